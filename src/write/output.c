/*
 * Writing a stored result (fimbit_itemsets_write, fimbit_rules_write): records
 * are formatted in chunks by OpenMP threads, and the chunks written in order
 * by whichever thread is free, so the output does not depend on the thread
 * count.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <omp.h>

#include "itemset_text.h"
#include "output.h"
#include "base/progress.h"
#include "read/dataset.h"
#include "rules/rules.h"
#include "store/store.h"

/* Records formatted before a buffer is written out with one thread. */
#define OUTPUT_BLOCK_RECORDS 8192
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

/* Formats records [0, count) and writes them in order, with one thread: a
 * block of records at a time into one buffer. */
static fimbit_status format_and_write_serial(const write_job *job, size_t count,
                                             output_target *target, fimbit_error *error)
{
    output_buffer buffer = {0};
    itemset_line line = {0};
    fimbit_status status = FIMBIT_OK;
    if (job->itemsets)
        status = itemset_line_init(&line, &job->text, error);
    for (size_t first = 0; first < count && status == FIMBIT_OK; first += OUTPUT_BLOCK_RECORDS) {
        size_t last = first + OUTPUT_BLOCK_RECORDS < count ? first + OUTPUT_BLOCK_RECORDS : count;
        buffer.length = 0;
        if (!format_range(job, &buffer, &line, first, last))
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
        else
            status = output_write(target, buffer.data, buffer.length, error);
        if (status == FIMBIT_OK && progress_advance(job->progress, last - first))
            status = progress_cancel_error(job->progress, error);
    }
    output_buffer_free(&buffer);
    itemset_line_free(&line);
    return status;
}

/* Text a chunk of the parallel writer holds, about: small enough that the
 * chunks in flight stay in cache, big enough that a write(2) call is rare next
 * to the formatting. */
#define OUTPUT_CHUNK_BYTES ((size_t)256 << 10)
/* Chunks in flight a thread: formatted and waiting for the writer, or being
 * formatted. The writer may fall that many chunks behind before a thread
 * that wants a slot must wait for it. */
#define OUTPUT_SLOTS_PER_THREAD 4

/* Records in every chunk when a test forces it; 0: sized from the text. */
static size_t forced_chunk_records;

void output__force_chunk_records(size_t records) { forced_chunk_records = records; }

/* A place for one chunk's text in the ring of chunks in flight. */
typedef struct chunk_slot {
    output_buffer text;
    size_t records;
    _Atomic uint64_t ready; /* the chunk's number + 1 once its text is complete */
    char padding[64];       /* the next slot's flag on another cache line */
} chunk_slot;

/* The parallel writer, shared by its threads. */
typedef struct write_pipeline {
    const write_job *job;
    output_target *target;
    size_t count; /* records to write */
    uint64_t slot_count;
    chunk_slot *slots; /* chunk c goes into slots[c % slot_count] */

    omp_lock_t lock;      /* guards the claims and the failure */
    uint64_t claimed;     /* chunks handed out */
    size_t next_record;   /* where the next chunk starts */
    size_t chunk_records; /* records the next chunk takes */

    _Atomic uint64_t written; /* chunks written, in order */
    atomic_flag writing;      /* held by the thread writing */
    atomic_int failed;        /* set once status is not FIMBIT_OK */
    fimbit_status status;     /* the first failure */
    fimbit_error error;

    /* Each thread's caches of recent numbers (format.h), lent to the chunks
     * it formats: they stay warm with the thread, one set a thread. They
     * never hold text. */
    output_buffer caches[OUTPUT_MAX_THREADS];
    itemset_line lines[OUTPUT_MAX_THREADS];
} write_pipeline;

/* Records the first failure; the others stop at their next check. */
static void pipeline_fail(write_pipeline *pipe, fimbit_status status, const fimbit_error *error)
{
    omp_set_lock(&pipe->lock);
    if (pipe->status == FIMBIT_OK) {
        pipe->status = status;
        pipe->error = *error;
        atomic_store(&pipe->failed, 1);
    }
    omp_unset_lock(&pipe->lock);
}

/* Hands out the next chunk: its number and records [*first, *last).
 * @return false when every record is handed out or the writer failed. */
static bool claim_chunk(write_pipeline *pipe, uint64_t *chunk, size_t *first, size_t *last)
{
    if (atomic_load_explicit(&pipe->failed, memory_order_relaxed))
        return false;
    omp_set_lock(&pipe->lock);
    bool claimed = pipe->next_record < pipe->count;
    if (claimed) {
        *chunk = pipe->claimed++;
        *first = pipe->next_record;
        *last =
            pipe->count - *first < pipe->chunk_records ? pipe->count : *first + pipe->chunk_records;
        pipe->next_record = *last;
    }
    omp_unset_lock(&pipe->lock);
    return claimed;
}

/* Sizes later chunks from one just formatted: OUTPUT_CHUNK_BYTES at its mean
 * record length, at least 256 records. */
static void resize_chunks(write_pipeline *pipe, size_t records, size_t bytes)
{
    if (forced_chunk_records)
        return;
    size_t next = OUTPUT_CHUNK_BYTES / (bytes / records + 1);
    omp_set_lock(&pipe->lock);
    pipe->chunk_records = next > 256 ? next : 256;
    omp_unset_lock(&pipe->lock);
}

/* Writes the chunks that are ready, in order, unless another thread is
 * writing them. Whoever writes checks again after letting go, so a chunk
 * that became ready meanwhile (its formatter found the writer busy) is not
 * left behind. Each chunk written counts its records, which is where a stop
 * request is seen. @return whether anything was written. */
static bool write_ready_chunks(write_pipeline *pipe)
{
    bool wrote = false;
    for (;;) {
        uint64_t next = atomic_load(&pipe->written);
        if (atomic_load(&pipe->slots[next % pipe->slot_count].ready) != next + 1 ||
            atomic_load_explicit(&pipe->failed, memory_order_relaxed) ||
            atomic_flag_test_and_set(&pipe->writing))
            return wrote;
        /* Another writer may have gone on since: start from where it ended. */
        for (next = atomic_load(&pipe->written);; next++) {
            chunk_slot *slot = &pipe->slots[next % pipe->slot_count];
            if (atomic_load(&slot->ready) != next + 1 ||
                atomic_load_explicit(&pipe->failed, memory_order_relaxed))
                break;
            fimbit_error error;
            fimbit_status status =
                output_write(pipe->target, slot->text.data, slot->text.length, &error);
            if (status == FIMBIT_OK && progress_advance(pipe->job->progress, slot->records))
                status = progress_cancel_error(pipe->job->progress, &error);
            if (status != FIMBIT_OK) {
                pipeline_fail(pipe, status, &error);
                break;
            }
            atomic_store(&pipe->written, next + 1);
            wrote = true;
        }
        atomic_flag_clear(&pipe->writing);
    }
}

/* Sleeps of a thread waiting for the writer, doubled from about a chunk's
 * write (256 KiB at a few GB/s) up to this: a writer blocked for long (a pipe
 * whose reader pauses, `| less`) then wakes each waiter some 600 times a
 * second, not 10,000 (a fifth of a core each, measured). */
#define WRITER_WAIT_FIRST_NS 50000L
#define WRITER_WAIT_DOUBLINGS 5

/* The sleeps so far, for the tests. */
static _Atomic uint64_t writer_wait_sleeps;

uint64_t output__writer_wait_sleeps(void) { return atomic_load(&writer_wait_sleeps); }

/* Lets another thread go on writing: yields at first, then sleeps, longer
 * the longer the wait, so that threads waiting on a writer that lags behind
 * (many threads, a slow disk) or is blocked do not keep cores busy. */
static void wait_for_writer(unsigned *waits)
{
    if (++*waits < 16) {
        sched_yield();
        return;
    }
    unsigned doublings = *waits - 16;
    if (doublings > WRITER_WAIT_DOUBLINGS)
        doublings = WRITER_WAIT_DOUBLINGS;
    atomic_fetch_add_explicit(&writer_wait_sleeps, 1, memory_order_relaxed);
    nanosleep(&(struct timespec){.tv_nsec = WRITER_WAIT_FIRST_NS << doublings}, NULL);
}

/* Formats records [first, last) as chunk `chunk` into its slot, with the
 * caches of thread `self`, once the chunk that had the slot before is
 * written (writing it, and what is ready after it, if no one else is). */
static void format_chunk(write_pipeline *pipe, uint64_t chunk, size_t first, size_t last, int self)
{
    unsigned waits = 0;
    while (atomic_load(&pipe->written) + pipe->slot_count <= chunk) {
        if (atomic_load_explicit(&pipe->failed, memory_order_relaxed))
            return;
        if (!write_ready_chunks(pipe))
            wait_for_writer(&waits);
    }
    chunk_slot *slot = &pipe->slots[chunk % pipe->slot_count];
    output_buffer *caches = &pipe->caches[self];
    slot->text.length = 0;
    slot->text.numbers = caches->numbers;
    slot->text.counts = caches->counts;
    bool formatted = format_range(pipe->job, &slot->text, &pipe->lines[self], first, last);
    caches->numbers = slot->text.numbers;
    caches->counts = slot->text.counts;
    slot->text.numbers = NULL;
    slot->text.counts = NULL;
    if (!formatted) {
        /* fimbit__fail() says ELIMIT when a memory limit refused: keep its
         * code, so that the status returned matches error->code. */
        fimbit_error error;
        fimbit_status status =
            fimbit__fail(&error, FIMBIT_ENOMEM, "out of memory while formatting output");
        pipeline_fail(pipe, status, &error);
        return;
    }
    slot->records = last - first;
    resize_chunks(pipe, last - first, slot->text.length);
    atomic_store(&slot->ready, chunk + 1);
}

/* Formats records [0, count) with `threads` threads and writes them in order,
 * with no meeting of the threads until the end. Each thread takes the next
 * chunk of records, formats it into a slot of a ring of chunks in flight,
 * then writes whatever is ready in order if no other thread is writing. The
 * write(2) calls (ext4 serialises writes into one file anyway) thus run
 * beside the formatting instead of after it, by whichever thread is free, and
 * a thread the machine preempts holds up the others only once the ring is
 * full behind its chunk (on a busy machine a meeting of the threads can cost
 * a scheduler time slice: a per-block hand-off in an ordered loop was
 * measured ten times slower than one thread there). */
static fimbit_status format_and_write_parallel(const write_job *job, size_t count, int threads,
                                               output_target *target, fimbit_error *error)
{
    write_pipeline *pipe = fimbit__malloc(sizeof *pipe);
    chunk_slot *slots =
        fimbit__zeroed_array((size_t)threads * OUTPUT_SLOTS_PER_THREAD, sizeof *slots);
    if (pipe == NULL || slots == NULL) {
        fimbit__free(pipe);
        fimbit__free(slots);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
    }
    *pipe = (write_pipeline){
        .job = job,
        .target = target,
        .count = count,
        .slot_count = (uint64_t)threads * OUTPUT_SLOTS_PER_THREAD,
        .slots = slots,
        .chunk_records = forced_chunk_records ? forced_chunk_records : OUTPUT_BLOCK_RECORDS / 4,
    };
    omp_init_lock(&pipe->lock);
    atomic_init(&pipe->written, 0);
    atomic_flag_clear(&pipe->writing);
    atomic_init(&pipe->failed, 0);
    for (int t = 0; t < threads && job->itemsets && pipe->status == FIMBIT_OK; t++)
        pipe->status = itemset_line_init(&pipe->lines[t], &job->text, &pipe->error);
    if (pipe->status == FIMBIT_OK) {
#pragma omp parallel num_threads(threads)
        {
            int self = omp_get_thread_num();
            uint64_t chunk;
            size_t first, last;
            while (claim_chunk(pipe, &chunk, &first, &last)) {
                format_chunk(pipe, chunk, first, last, self);
                write_ready_chunks(pipe);
            }
        }
        /* Every chunk is written by now: a writer looks again after letting
         * go, so a chunk made ready while it wrote is not left behind. This
         * call only guards that argument, at the cost of one load. */
        write_ready_chunks(pipe);
    }
    fimbit_status status = pipe->status;
    if (status != FIMBIT_OK && error != NULL)
        *error = pipe->error;
    for (uint64_t s = 0; s < pipe->slot_count; s++)
        output_buffer_free(&slots[s].text);
    for (int t = 0; t < threads; t++) {
        output_buffer_free(&pipe->caches[t]);
        itemset_line_free(&pipe->lines[t]);
    }
    omp_destroy_lock(&pipe->lock);
    fimbit__free(slots);
    fimbit__free(pipe);
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
    if (count < 2 * (size_t)OUTPUT_BLOCK_RECORDS && !forced_chunk_records)
        threads = 1;
    if (threads <= 1)
        return format_and_write_serial(job, count, target, error);
    return format_and_write_parallel(job, count, threads, target, error);
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
