/*
 * Records formatted in chunks by OpenMP threads and written in order by
 * whichever thread is free (see ordered_write.h).
 */
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <omp.h>

#include "ordered_write.h"

/* Records formatted before a buffer is written out with one thread. */
#define ORDERED_BLOCK_RECORDS 8192

/* Formats the records and writes them in order, with one thread: a block of
 * records at a time into one buffer. */
static fimbit_status write_serial(const ordered_records *records, output_target *target,
                                  fimbit_error *error)
{
    output_buffer buffer = {0};
    fimbit_status status = FIMBIT_OK;
    for (size_t first = 0; first < records->count && status == FIMBIT_OK;
         first += ORDERED_BLOCK_RECORDS) {
        size_t last = records->count - first < ORDERED_BLOCK_RECORDS
                          ? records->count
                          : first + ORDERED_BLOCK_RECORDS;
        buffer.length = 0;
        status = records->format(records->context, 0, &buffer, first, last, error);
        if (status == FIMBIT_OK)
            status = output_write(target, buffer.data, buffer.length, error);
        if (status == FIMBIT_OK && progress_advance(records->progress, last - first))
            status = progress_cancel_error(records->progress, error);
    }
    output_buffer_free(&buffer);
    return status;
}

/* Text a chunk of the parallel writer holds, about: small enough that the
 * chunks in flight stay in cache, big enough that a write(2) call is rare next
 * to the formatting. */
#define ORDERED_CHUNK_BYTES ((size_t)256 << 10)
/* Chunks in flight a thread: formatted and waiting for the writer, or being
 * formatted. The writer may fall that many chunks behind before a thread
 * that wants a slot must wait for it. */
#define ORDERED_SLOTS_PER_THREAD 4

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
    const ordered_records *records;
    output_target *target;
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
    size_t count = pipe->records->count;
    omp_set_lock(&pipe->lock);
    bool claimed = pipe->next_record < count;
    if (claimed) {
        *chunk = pipe->claimed++;
        *first = pipe->next_record;
        *last = count - *first < pipe->chunk_records ? count : *first + pipe->chunk_records;
        pipe->next_record = *last;
    }
    omp_unset_lock(&pipe->lock);
    return claimed;
}

/* Sizes later chunks from one just formatted: ORDERED_CHUNK_BYTES at its
 * mean record length, at least 256 records. */
static void resize_chunks(write_pipeline *pipe, size_t records, size_t bytes)
{
    if (forced_chunk_records)
        return;
    size_t next = ORDERED_CHUNK_BYTES / (bytes / records + 1);
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
            if (status == FIMBIT_OK && progress_advance(pipe->records->progress, slot->records))
                status = progress_cancel_error(pipe->records->progress, &error);
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

/* Formats records [first, last) as chunk `chunk` into its slot, as thread
 * `self`, once the chunk that had the slot before is written (writing it,
 * and what is ready after it, if no one else is). */
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
    slot->text.length = 0;
    fimbit_error error;
    fimbit_status status =
        pipe->records->format(pipe->records->context, self, &slot->text, first, last, &error);
    if (status != FIMBIT_OK) {
        pipeline_fail(pipe, status, &error);
        return;
    }
    slot->records = last - first;
    resize_chunks(pipe, last - first, slot->text.length);
    atomic_store(&slot->ready, chunk + 1);
}

/* Formats the records with `threads` threads and writes them in order, with
 * no meeting of the threads until the end. Each thread takes the next chunk
 * of records, formats it into a slot of a ring of chunks in flight, then
 * writes whatever is ready in order if no other thread is writing. The
 * write(2) calls (ext4 serialises writes into one file anyway) thus run
 * beside the formatting instead of after it, by whichever thread is free, and
 * a thread the machine preempts holds up the others only once the ring is
 * full behind its chunk (on a busy machine a meeting of the threads can cost
 * a scheduler time slice: a per-block hand-off in an ordered loop was
 * measured ten times slower than one thread there). */
static fimbit_status write_parallel(const ordered_records *records, int threads,
                                    output_target *target, fimbit_error *error)
{
    write_pipeline *pipe = fimbit__malloc(sizeof *pipe);
    chunk_slot *slots =
        fimbit__zeroed_array((size_t)threads * ORDERED_SLOTS_PER_THREAD, sizeof *slots);
    if (pipe == NULL || slots == NULL) {
        fimbit__free(pipe);
        fimbit__free(slots);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
    }
    *pipe = (write_pipeline){
        .records = records,
        .target = target,
        .slot_count = (uint64_t)threads * ORDERED_SLOTS_PER_THREAD,
        .slots = slots,
        .chunk_records = forced_chunk_records ? forced_chunk_records : ORDERED_BLOCK_RECORDS / 4,
    };
    omp_init_lock(&pipe->lock);
    atomic_init(&pipe->written, 0);
    atomic_flag_clear(&pipe->writing);
    atomic_init(&pipe->failed, 0);
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
    /* Every chunk is written by now: a writer looks again after letting go,
     * so a chunk made ready while it wrote is not left behind. This call only
     * guards that argument, at the cost of one load. */
    write_ready_chunks(pipe);
    fimbit_status status = pipe->status;
    if (status != FIMBIT_OK && error != NULL)
        *error = pipe->error;
    for (uint64_t s = 0; s < pipe->slot_count; s++)
        output_buffer_free(&slots[s].text);
    omp_destroy_lock(&pipe->lock);
    fimbit__free(slots);
    fimbit__free(pipe);
    return status;
}

fimbit_status ordered_write(const ordered_records *records, int threads, output_target *target,
                            fimbit_error *error)
{
    if (threads > ORDERED_WRITE_MAX_THREADS)
        threads = ORDERED_WRITE_MAX_THREADS;
    if (records->count < 2 * (size_t)ORDERED_BLOCK_RECORDS && !forced_chunk_records)
        threads = 1;
    if (threads <= 1)
        return write_serial(records, target, error);
    return write_parallel(records, threads, target, error);
}
