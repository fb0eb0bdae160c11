/*
 * Writing a stored result (fimbit_itemsets_write, fimbit_rules_write): records
 * are formatted in chunks by OpenMP threads, and the chunks written in order
 * by whichever thread is free (ordered_write.h), so the output does not depend
 * on the thread count.
 */
#include <string.h>

#include "itemset_text.h"
#include "ordered_write.h"
#include "output.h"
#include "base/progress.h"
#include "read/dataset.h"
#include "rules/rules.h"
#include "store/store.h"

typedef struct write_job {
    const fimbit_itemsets *itemsets; /* one of these two */
    const fimbit_rules *rules;
    const output_names *names;
    uint64_t basket_count;
    /* Itemsets: every item's text by item id, for prefix-reusing formatting
     * (sorted itemsets share long prefixes with the one before). */
    itemset_text text;
    /* Each thread's caches of recent numbers (format.h), lent to the chunks
     * it formats: they stay warm with the thread, one set a thread. They
     * never hold text. */
    output_buffer caches[ORDERED_WRITE_MAX_THREADS];
    itemset_line lines[ORDERED_WRITE_MAX_THREADS]; /* itemsets: made at a thread's first chunk */
} write_job;

/* How far ahead the formatting loop prefetches records: sorted results are
 * read in an order unrelated to where the records live. */
#define OUTPUT_PREFETCH_DISTANCE 16

static bool format_range(const write_job *job, output_buffer *buffer, itemset_line *line,
                         size_t first, size_t last)
{
    for (size_t i = first; i < last; i++) {
        if (i + OUTPUT_PREFETCH_DISTANCE < last) {
            size_t ahead = i + OUTPUT_PREFETCH_DISTANCE;
            __builtin_prefetch(job->itemsets ? (const void *)job->itemsets->index[ahead]
                                             : (const void *)job->rules->entries[ahead].items);
        }
        if (job->itemsets) {
            const uint32_t *record = job->itemsets->index[i];
            if (!itemset_line_format(line, buffer, store_record_items(record),
                                     store_record_size(record), 0, store_record_count(record)))
                return false;
        } else {
            if (!output_format_rule_entry(buffer, job->names, &job->rules->entries[i],
                                          job->basket_count))
                return false;
        }
    }
    return true;
}

/* ordered_write()'s formatter: records [first, last) into `text`, with the
 * caches and line of thread `thread`. */
static fimbit_status format_records(void *context, int thread, output_buffer *text, size_t first,
                                    size_t last, fimbit_error *error)
{
    write_job *job = context;
    itemset_line *line = &job->lines[thread];
    if (job->itemsets && line->text == NULL) {
        fimbit_status status = itemset_line_init(line, &job->text, error);
        if (status != FIMBIT_OK)
            return status;
    }
    output_buffer *caches = &job->caches[thread];
    text->numbers = caches->numbers;
    text->counts = caches->counts;
    bool formatted = format_range(job, text, line, first, last);
    caches->numbers = text->numbers;
    caches->counts = text->counts;
    text->numbers = NULL;
    text->counts = NULL;
    /* fimbit__fail() says ELIMIT when a memory limit refused: its code is
     * returned, so that the status matches error->code. */
    return formatted ? FIMBIT_OK
                     : fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
}

/* Writes the header, then the records with up to `threads` threads. */
static fimbit_status write_records(write_job *job, size_t count, const char *header, int threads,
                                   progress_meter *progress, output_target *target,
                                   fimbit_error *error)
{
    fimbit_status status = output_write(target, header, strlen(header), error);
    if (status != FIMBIT_OK)
        return status;
    ordered_records records = {
        .count = count, .format = format_records, .context = job, .progress = progress};
    status = ordered_write(&records, threads, target, error);
    for (int t = 0; t < ORDERED_WRITE_MAX_THREADS; t++) {
        output_buffer_free(&job->caches[t]);
        itemset_line_free(&job->lines[t]);
    }
    return status;
}

static fimbit_status write_result(write_job *job, const fimbit_dataset *dataset, size_t count,
                                  const char *header, int threads, fimbit_format format,
                                  const char *path, fimbit_error *error)
{
    if (format != FIMBIT_FORMAT_TEXT && format != FIMBIT_FORMAT_CSV &&
        format != FIMBIT_FORMAT_JSONL)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown output format %d", (int)format);
    output_names names;
    fimbit_status status = output_names_build(&names, dataset, format, error);
    if (status != FIMBIT_OK)
        return status;
    if (job->rules && format != FIMBIT_FORMAT_TEXT)
        names.rule_measures = job->rules->measures;
    job->names = &names;
    job->basket_count = dataset->basket_count;
    if (job->itemsets)
        status = itemset_text_build(&job->text, &names, NULL, dataset->item_count,
                                    dataset->basket_count, error);
    if (status != FIMBIT_OK) {
        output_names_free(&names);
        return status;
    }

    progress_meter meter;
    output_target target;
    if (progress_begin(&meter, FIMBIT_STAGE_WRITE, job->itemsets ? "itemsets" : "rules", count))
        status = progress_cancel_error(&meter, error);
    else
        status = output_open(&target, path, error);
    if (status == FIMBIT_OK) {
        status = write_records(job, count, header, threads, &meter, &target, error);
        /* END before the rename: a callback that stops there leaves no file. */
        if (status == FIMBIT_OK && progress_end(&meter))
            status = progress_cancel_error(&meter, error);
        if (status == FIMBIT_OK)
            status = output_commit(&target, error);
        else
            output_abort(&target);
    }
    itemset_text_free(&job->text);
    output_names_free(&names);
    return status;
}

fimbit_status fimbit_itemsets_write(const fimbit_itemsets *itemsets, fimbit_format format,
                                    const char *path, fimbit_error *error)
{
    if (itemsets == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "no itemsets to write");
    write_job job = {.itemsets = itemsets};
    return write_result(&job, itemsets->dataset, itemsets->count, output_itemset_header(format),
                        itemsets->threads, format, path, error);
}

fimbit_status fimbit_rules_write(const fimbit_rules *rules, fimbit_format format,
                                 const char *path, fimbit_error *error)
{
    if (rules == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "no rules to write");
    write_job job = {.rules = rules};
    char header[512];
    output_rule_header_with_measures(format, rules->measures, header, sizeof header);
    return write_result(&job, rules->dataset, rules->count, header,
                        rules->threads > 0 ? rules->threads : 1, format, path, error);
}
