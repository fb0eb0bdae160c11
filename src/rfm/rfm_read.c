/*
 * fimbit_rfm_compute: reads order lines through the CSV record tokenizer and
 * totals them per customer (latest day, distinct orders, exact amount sum),
 * then scores them (rfm_score.c).
 *
 * A block of text (read.c feeds a mapped file 32 MiB at a time) is cut at
 * record starts into two slices per thread (read/csv_cuts.h). The first
 * slice is parsed into the run's tally, the others side by side into
 * tallies of their own, merged into the run's in input order
 * (rfm_tally.c): the customers, counts and sums are those of a single pass.
 * A slice whose cut proves wrong (the slice before it did not end there),
 * that fails, or that could make the run meet a limit or a sum out of range
 * is parsed again, with the rest of the block, on one thread into the run's
 * tally: an error then names its true line, the first in input order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/csv_cuts.h"
#include "read/reader.h"
#include "rfm_rows.h"

/* A team cuts a block into this many slices a thread, taken in turn: the
 * first slice, totalled into the run's large tables, takes longer than the
 * others, and a thread done early takes another instead of waiting. */
#define SLICES_PER_THREAD 2

typedef struct rfm_reader {
    rfm_columns columns;
    int threads;
    bool header_done;
    char name[256];
    uint64_t line; /* of the next block's first byte */
    rfm_tally run;
    rfm_rows run_rows; /* parses into `run` */
    /* The slices after a block's first, kept from block to block: slice t
     * (1 .. slots) is cuts[t] .. cuts[t + 1], parsed by rows[t - 1] into
     * tallies[t - 1]. */
    rfm_tally *tallies;
    rfm_rows *rows;
    fimbit_status *statuses;
    const char **cuts;
    size_t *quotes;
    int slots;
} rfm_reader;

static void reader_begin_input(void *state, const char *name)
{
    rfm_reader *r = state;
    snprintf(r->name, sizeof r->name, "%s", name);
    r->line = 1;
    r->header_done = false;
}

static fimbit_status read_header(rfm_reader *r, fimbit_error *error)
{
    csv_cursor *c = &r->run_rows.cursor;
    rfm_columns *k = &r->columns;
    bool more = false;
    fimbit_status status = csv_cursor_next_row(c, &more, error);
    if (status != FIMBIT_OK || c->incomplete || !more)
        return status; /* an empty input has no rows either */
    k->needed = 0;
    for (size_t i = 0; i < k->roles; i++) {
        const char *spec = k->specs[i];
        if (csv_column_is_index(spec))
            k->index[i] = (size_t)strtoull(spec, NULL, 10) - 1;
        else if (!csv_header_find(c, spec, &k->index[i]))
            return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, 1,
                                     "no column named '%s' in the header", spec);
        if (k->index[i] + 1 > k->needed)
            k->needed = k->index[i] + 1;
    }
    r->header_done = true;
    return FIMBIT_OK;
}

static void release_slices(rfm_reader *r)
{
    for (int t = 0; t < r->slots; t++) {
        rfm_tally_release(&r->tallies[t]);
        rfm_rows_release(&r->rows[t]);
    }
    fimbit__free(r->tallies);
    fimbit__free(r->rows);
    fimbit__free(r->statuses);
    fimbit__free(r->cuts);
    fimbit__free(r->quotes);
}

/* Room for `count` slices: the run's and count - 1 of their own. */
static bool ensure_slices(rfm_reader *r, int count)
{
    if (count - 1 <= r->slots)
        return true;
    bool cut_room = csv_cuts_reserve(&r->cuts, &r->quotes, count);
    fimbit_status *statuses = fimbit__realloc_array(r->statuses, (size_t)count, sizeof *statuses);
    if (statuses != NULL)
        r->statuses = statuses;
    rfm_tally *tallies = fimbit__realloc_array(r->tallies, (size_t)count, sizeof *tallies);
    if (tallies != NULL) {
        r->tallies = tallies;
        for (int t = 0; t < r->slots; t++)
            r->rows[t].tally = &tallies[t]; /* the tallies may have moved */
    }
    rfm_rows *rows = fimbit__realloc_array(r->rows, (size_t)count, sizeof *rows);
    if (rows != NULL)
        r->rows = rows;
    if (!cut_room || !statuses || !tallies || !rows)
        return false;
    for (int t = r->slots; t < count - 1; t++) {
        rfm_tally_init(&tallies[t]);
        rfm_rows_init(&rows[t], &tallies[t]);
    }
    r->slots = count - 1;
    return true;
}

/* Parses [begin, end) on this thread into the run's tally. */
static fimbit_status parse_rest(rfm_reader *r, const char *begin, const char *end, bool final,
                                const char **stop, fimbit_error *error)
{
    fimbit_status status =
        rfm_rows_parse(&r->run_rows, &r->columns, r->name, begin, end, final, r->line, error);
    *stop = r->run_rows.stop;
    r->line = r->run_rows.stop_line;
    return status;
}

/* Cuts [begin, end) into `count` slices and parses them side by side on at
 * most r->threads threads: the first into the run's tally (its status
 * returned), the others into their own (line numbers from 1 each). */
static fimbit_status parse_slices(rfm_reader *r, const char *begin, const char *end, bool final,
                                  int count, fimbit_error *error)
{
    const char **cuts = r->cuts;
    fimbit_status status = FIMBIT_OK;
    int threads = count < r->threads ? count : r->threads;
#pragma omp parallel num_threads(threads)
    {
        csv_cuts_find(begin, end, count, cuts, r->quotes);
#pragma omp for schedule(dynamic, 1)
        for (int t = 0; t < count; t++) {
            if (t == 0) {
                status = rfm_rows_parse(&r->run_rows, &r->columns, r->name, cuts[0], cuts[1], false,
                                        r->line, error);
                continue;
            }
            /* A slice's error is found again, in place, by parse_rest. */
            fimbit_error ignored;
            rfm_rows *rows = &r->rows[t - 1];
            rfm_tally_clear(rows->tally);
            rfm_rows_forget(rows);
            r->statuses[t - 1] = rfm_rows_parse(rows, &r->columns, r->name, cuts[t], cuts[t + 1],
                                                t + 1 == count && final, 1, &ignored);
        }
    }
    return status;
}

/* Reads the rows of [begin, end), whose first line is r->line; *stop is
 * where the first record that runs past the end starts (or the end). */
static fimbit_status read_rows(rfm_reader *r, const char *begin, const char *end, bool final,
                               const char **stop, fimbit_error *error)
{
    int count = r->threads > 1 ? SLICES_PER_THREAD * r->threads : 1;
    size_t most = (size_t)(end - begin) / (csv_slice_min ? csv_slice_min : 1);
    if ((size_t)count > most)
        count = most > 1 ? (int)most : 1;
    if (count > 1 && !ensure_slices(r, count))
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
    if (count == 1)
        return parse_rest(r, begin, end, final, stop, error);
    fimbit_status status = parse_slices(r, begin, end, final, count, error);
    if (status != FIMBIT_OK)
        return status;
    r->line = r->run_rows.stop_line;
    if (r->run_rows.stop != r->cuts[1])
        return parse_rest(r, r->run_rows.stop, end, final, stop, error);
    /* The slices that stand: each ended on the next cut (the last, on the
     * block's end), without an error, within the run's limits. */
    rfm_merge_bound bound;
    rfm_merge_bound_start(&bound, &r->run);
    int standing = 0;
    for (int t = 1; t < count; t++) {
        const rfm_rows *rows = &r->rows[t - 1];
        if (r->statuses[t - 1] != FIMBIT_OK || (t + 1 < count && rows->stop != r->cuts[t + 1]) ||
            !rfm_merge_bound_take(&bound, rows->tally))
            break;
        standing = t;
    }
    status = rfm_tally_merge(&r->run, r->tallies, standing, r->threads);
    if (status != FIMBIT_OK)
        return fimbit__fail(error, status, "out of memory reading %s", r->name);
    for (int t = 1; t <= standing; t++)
        r->line += r->rows[t - 1].stop_line - 1;
    if (standing + 1 < count)
        return parse_rest(r, r->cuts[standing + 1], end, final, stop, error);
    *stop = r->rows[count - 2].stop;
    return FIMBIT_OK;
}

static fimbit_status reader_feed(void *state, const char *text, size_t length, bool final,
                                 size_t *consumed, fimbit_error *error)
{
    rfm_reader *r = state;
    const char *begin = text;
    if (!r->header_done) {
        csv_cursor *c = &r->run_rows.cursor;
        csv_cursor_start(c, r->name, text, length, final, r->columns.separator, r->line);
        fimbit_status status = read_header(r, error);
        *consumed = (size_t)(c->p - text);
        r->line = c->line;
        if (status != FIMBIT_OK || !r->header_done)
            return status;
        begin = c->p;
    }
    const char *stop = begin;
    fimbit_status status = read_rows(r, begin, text + length, final, &stop, error);
    *consumed = (size_t)(stop - text);
    return status;
}

void fimbit_rfm_free(fimbit_rfm *rfm)
{
    if (rfm == NULL)
        return;
    dict_release(&rfm->customers);
    fimbit__free(rfm->records);
    fimbit__free(rfm->monetary_text);
    fimbit__free(rfm->monetary_offsets);
    fimbit__free(rfm->monetary_value);
    fimbit__free(rfm);
}

/* Gives the run's customers and totals to `rfm`. */
static void take_tally(fimbit_rfm *rfm, rfm_tally *run)
{
    rfm->customers = run->customers;
    rfm->records = run->records;
    rfm->record_capacity = run->record_capacity;
    rfm->rows = run->rows;
    rfm->rows_without_customer = run->rows_without_customer;
    rfm->any_date = run->any_date;
    rfm->latest_day = run->latest_day;
    dict_init(&run->customers);
    run->records = NULL;
}

fimbit_status fimbit_rfm_compute(const char *const *paths, size_t path_count,
                                 const fimbit_rfm_options *options, fimbit_rfm **out,
                                 fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_rfm_compute: out is NULL");
    *out = NULL;
    if (paths == NULL || path_count == 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_rfm_compute: no input given");
    fimbit_status status = fimbit_rfm_options_check(options, error);
    if (status != FIMBIT_OK)
        return status;
    amount_columns amount;
    rfm_amount_split(options->amount, &amount);

    fimbit_rfm *rfm = fimbit__calloc(1, sizeof *rfm);
    if (rfm == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory computing RFM");
    dict_init(&rfm->customers);
    rfm->bins = options->bins;
    rfm->threads = options->threads;
    rfm_reader r = {.columns = {.date_format = options->date_format,
                                .separator = options->separator ? options->separator : ',',
                                .specs = {options->customer_column, options->order_column,
                                          options->date_column, amount.spec[0], amount.spec[1]},
                                .roles = COLUMN_AMOUNT + amount.count},
                    .threads = fimbit__thread_count(options->threads)};
    rfm_tally_init(&r.run);
    rfm_rows_init(&r.run_rows, &r.run);
    csv_consumer consumer = {&r, reader_begin_input, reader_feed};
    status = read_csv_inputs(paths, path_count, &consumer, error);
    release_slices(&r);
    rfm_rows_release(&r.run_rows);
    if (status == FIMBIT_OK)
        take_tally(rfm, &r.run);
    rfm_tally_release(&r.run);

    if (status == FIMBIT_OK) {
        if (options->as_of != NULL)
            rfm_parse_day(options->as_of, options->date_format, &rfm->as_of_day);
        else
            rfm->as_of_day = rfm->any_date ? rfm->latest_day + 1 : 0;
        status = rfm_score(rfm, error);
    }
    if (status != FIMBIT_OK) {
        fimbit_rfm_free(rfm);
        return status;
    }
    *out = rfm;
    return FIMBIT_OK;
}
