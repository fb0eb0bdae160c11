/*
 * Sinks: where kernels put the itemsets they find (kernel_output and
 * kernel_sink of kernels/kernel.h). Each worker thread appends records to its
 * own buffer, with no lock; a full buffer is handed to a flush function, which
 * either appends it to the store (collect mode: per-thread, still no lock) or
 * streams it to the caller (stream mode: the flush function serialises).
 *
 * A record is uint32_t words: [size][count low 32 bits][count high 32 bits]
 * followed by `size` item ranks sorted ascending.
 */
#ifndef FIMBIT_SINK_H
#define FIMBIT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "progress.h"

#define SINK_RECORD_HEADER_WORDS 3u

/* Receives the records[0 .. words) that thread `thread` produced. @return 0 to
 * go on, non-zero to stop mining (the flush function remembers why). */
typedef int (*sink_flush_fn)(void *context, int thread, const uint32_t *records, size_t words);

/* A sink set for `threads` workers reporting itemsets of min_size .. max_size
 * items (max_size 0 = no limit). @return NULL when memory is exhausted. */
kernel_output *kernel_output_create(int threads, uint32_t min_size, uint32_t max_size,
                                    sink_flush_fn flush, void *context);

/* Flushes what every buffer still holds; call once the kernel has returned.
 * @return 0, or non-zero when a flush asked to stop. */
int kernel_output_finish(kernel_output *output);

void kernel_output_free(kernel_output *output);

/* Counts the kernel's finished top-level branches on `meter` (NULL: none). */
void kernel_output_set_progress(kernel_output *output, progress_meter *meter);

/* True when mining stopped because a sink could not allocate. */
bool kernel_output_out_of_memory(const kernel_output *output);

/* Reading records back. */
static inline uint32_t sink_record_size(const uint32_t *record) { return record[0]; }
static inline uint64_t sink_record_count(const uint32_t *record)
{
    return (uint64_t)record[1] | ((uint64_t)record[2] << 32);
}
static inline const uint32_t *sink_record_items(const uint32_t *record)
{
    return record + SINK_RECORD_HEADER_WORDS;
}
static inline const uint32_t *sink_record_next(const uint32_t *record)
{
    return record + SINK_RECORD_HEADER_WORDS + record[0];
}

#endif /* FIMBIT_SINK_H */
