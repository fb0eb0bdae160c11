/*
 * Writing a stored result (fimbit_itemsets_write, fimbit_rules_write): records
 * are formatted in blocks by OpenMP threads into per-thread buffers that are
 * written in order, so the output does not depend on the thread count.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "itemset_text.h"
#include "output.h"
#include "base/progress.h"
#include "read/dataset.h"
#include "rules/rules.h"
#include "store/store.h"

/* Records formatted before a buffer is written out with one thread. */
#define OUTPUT_BLOCK_RECORDS 8192
/* Bytes each thread formats in a round with several threads: few enough that
 * its buffer stays in cache and is reused from round to round (no growing
 * copies, no fresh pages), enough that the threads meet rarely. */
#define OUTPUT_ROUND_THREAD_BYTES ((size_t)1 << 20)
#define OUTPUT_MAX_THREADS 16

typedef struct write_job {
    const fimbit_itemsets *itemsets; /* one of these two */
    const fimbit_rules *rules;
    const output_names *names;
    uint64_t basket_count;
    /* Itemsets: every item's text by item id, for prefix-reusing formatting
     * (sorted itemsets share long prefixes with the one before). */
    itemset_text text;
    progress_meter *progress; /* the WRITE stage: records written */
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

/* Records per thread for the next round: OUTPUT_ROUND_THREAD_BYTES at the
 * mean record length of the round just formatted. */
static size_t round_thread_records(size_t records, size_t bytes)
{
    size_t next = OUTPUT_ROUND_THREAD_BYTES / (bytes / records + 1);
    return next > 1024 ? next : 1024;
}

/* Formats records [0, count) and writes them in order. With several threads,
 * the records go in rounds: each thread formats a contiguous slice of the
 * round into its own buffer (one parallel loop), then the buffers are written
 * in order. A round holds about OUTPUT_ROUND_THREAD_BYTES of text a thread,
 * sized from the records before it, so the buffers stay small and warm while
 * threads still meet rarely: on a busy machine every meeting can cost a
 * scheduler time slice (a per-block hand-off in an ordered loop was measured
 * ten times slower than one thread there). */
static fimbit_status format_and_write(const write_job *job, size_t count, int threads,
                                      output_buffer *buffers, itemset_line *lines,
                                      output_target *target, fimbit_error *error)
{
    fimbit_status status = FIMBIT_OK;
    if (threads <= 1) {
        for (size_t first = 0; first < count && status == FIMBIT_OK;
             first += OUTPUT_BLOCK_RECORDS) {
            size_t last = first + OUTPUT_BLOCK_RECORDS < count ? first + OUTPUT_BLOCK_RECORDS
                                                               : count;
            buffers[0].length = 0;
            if (!format_range(job, &buffers[0], &lines[0], first, last))
                status = fimbit__fail(error, FIMBIT_ENOMEM,
                                      "out of memory while formatting output");
            else
                status = output_write(target, buffers[0].data, buffers[0].length, error);
            if (status == FIMBIT_OK && progress_advance(job->progress, last - first))
                status = progress_cancel_error(job->progress, error);
        }
        return status;
    }
    size_t thread_records = OUTPUT_BLOCK_RECORDS;
    for (size_t start = 0; start < count && status == FIMBIT_OK;) {
        size_t round = thread_records * (size_t)threads;
        if (round > count - start)
            round = count - start;
        atomic_int failed = 0;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
        for (int t = 0; t < threads; t++) {
            size_t first = start + round * (size_t)t / (size_t)threads;
            size_t last = start + round * (size_t)(t + 1) / (size_t)threads;
            buffers[t].length = 0;
            if (!format_range(job, &buffers[t], &lines[t], first, last))
                atomic_store(&failed, 1);
        }
        if (failed)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
        size_t bytes = 0;
        for (int t = 0; t < threads && status == FIMBIT_OK; t++) {
            status = output_write(target, buffers[t].data, buffers[t].length, error);
            bytes += buffers[t].length;
        }
        if (status == FIMBIT_OK && progress_advance(job->progress, round))
            status = progress_cancel_error(job->progress, error);
        start += round;
        thread_records = round_thread_records(round, bytes);
    }
    return status;
}

/* Writes the header, then the records with up to `threads` threads. */
static fimbit_status write_records(const write_job *job, size_t count, const char *header,
                                   int threads, output_target *target, fimbit_error *error)
{
    fimbit_status status = output_write(target, header, strlen(header), error);
    if (status != FIMBIT_OK)
        return status;
    if (threads > OUTPUT_MAX_THREADS)
        threads = OUTPUT_MAX_THREADS;
    if (count < 2 * (size_t)OUTPUT_BLOCK_RECORDS)
        threads = 1;
    output_buffer buffers[OUTPUT_MAX_THREADS] = {{0}};
    itemset_line lines[OUTPUT_MAX_THREADS] = {{0}};
    for (int t = 0; t < threads && job->itemsets && status == FIMBIT_OK; t++)
        status = itemset_line_init(&lines[t], &job->text, error);
    if (status == FIMBIT_OK)
        status = format_and_write(job, count, threads, buffers, lines, target, error);
    for (int t = 0; t < threads; t++) {
        output_buffer_free(&buffers[t]);
        itemset_line_free(&lines[t]);
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
    job->progress = &meter;
    output_target target;
    if (progress_begin(&meter, FIMBIT_STAGE_WRITE, job->itemsets ? "itemsets" : "rules", count))
        status = progress_cancel_error(&meter, error);
    else
        status = output_open(&target, path, error);
    if (status == FIMBIT_OK) {
        status = write_records(job, count, header, threads, &target, error);
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
