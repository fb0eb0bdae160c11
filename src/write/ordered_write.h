/*
 * Records formatted by several threads and written in their order: the
 * records are cut into chunks of about 256 KiB of text, each formatted by
 * whichever thread takes it into a ring of chunks in flight, and the chunks
 * written in order by whichever thread is free. The output does not depend
 * on the thread count, and memory stays bounded by the ring. The stored
 * results' writer (output.c) and the recommender's (recommend_write.h) use it.
 */
#ifndef FIMBIT_WRITE_ORDERED_WRITE_H
#define FIMBIT_WRITE_ORDERED_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "base/internal.h"
#include "base/progress.h"
#include "format.h"
#include "target.h"

/* Appends the text of records [first, last) to `text`, as thread `thread`
 * (0 .. threads - 1: an index for the caller's per-thread state; a thread
 * formats one chunk at a time). @return FIMBIT_OK, or a failure described in
 * `error`, which stops the writing. */
typedef fimbit_status (*ordered_format_fn)(void *context, int thread, output_buffer *text,
                                           size_t first, size_t last, fimbit_error *error);

/* What ordered_write() writes: `count` records that `format` turns into text,
 * counted into `progress` (which must be begun; its stop requests are seen
 * after each chunk written). */
typedef struct ordered_records {
    size_t count;
    ordered_format_fn format;
    void *context;
    progress_meter *progress;
} ordered_records;

/* The most threads ordered_write() uses: more would only wait for the one
 * writing (ext4 serialises writes into one file anyway). */
#define ORDERED_WRITE_MAX_THREADS 16

/* Formats the records and writes them to `target` in order, with up to
 * `threads` threads (one for fewer than 16,384 records). @return FIMBIT_OK,
 * the formatter's failure, FIMBIT_EIO from the target, FIMBIT_ENOMEM (or
 * FIMBIT_ELIMIT under a memory limit), or FIMBIT_ECANCELED on a stop
 * request; on failure the target holds part of the text: abort it. */
fimbit_status ordered_write(const ordered_records *records, int threads, output_target *target,
                            fimbit_error *error);

/* ---- tests only ------------------------------------------------------------------ */

/* Makes ordered_write() cut its records into chunks of `records` on its
 * parallel path, and take that path for any number of records; 0 restores
 * the sizing from the text and the one-thread path for few records. */
void output__force_chunk_records(size_t records);

/* How many times the threads of ordered_write() have slept waiting for the
 * thread writing, since the process started. */
uint64_t output__writer_wait_sleeps(void);

#endif /* FIMBIT_WRITE_ORDERED_WRITE_H */
