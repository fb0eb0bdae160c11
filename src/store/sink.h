/*
 * Sinks: where kernels put the itemsets they find (kernel_output and
 * kernel_sink of kernels/kernel.h). They apply the size bounds and expand
 * perfect extensions, then either
 *  - record mode: each worker thread appends records to its own buffer, with
 *    no lock; a full buffer is handed to a flush function, which appends it to
 *    the store (per-thread, still no lock) or streams it to the caller (the
 *    flush function serialises); or
 *  - direct mode: each itemset goes straight to a per-thread consumer (the
 *    streamed text writer), with no record in between.
 *
 * A record is uint32_t words: [size][count low 32 bits][count high 32 bits]
 * followed by `size` item ranks sorted ascending.
 */
#ifndef FIMBIT_SINK_H
#define FIMBIT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels/kernel.h"
#include "base/progress.h"

#define SINK_RECORD_HEADER_WORDS 3u

/* Receives the records[0 .. words) that thread `thread` produced. @return 0 to
 * go on, non-zero to stop mining (the flush function remembers why). */
typedef int (*sink_flush_fn)(void *context, int thread, const uint32_t *records, size_t words);

/* A sink set for `threads` workers reporting itemsets of min_size .. max_size
 * items (max_size 0 = no limit). @return NULL when memory is exhausted. */
kernel_output *kernel_output_create(int threads, uint32_t min_size, uint32_t max_size,
                                    sink_flush_fn flush, void *context);

/* Direct mode: takes the itemset items[0 .. size) (ranks in the kernel's
 * order: a node's items, then the perfect extensions chosen, in the order the
 * kernel listed them) with its count, in the worker thread that found it.
 * Subsets of extensions come depth first, each right after its parent, so
 * consecutive itemsets of a thread share long prefixes; `unchanged` leading
 * items are known to be those of the thread's previous itemset (0 when the
 * sink does not know). @return 0 to go on, non-zero to stop mining. */
typedef int (*sink_direct_fn)(void *thread_context, const uint32_t *items, uint32_t size,
                              uint32_t unchanged, uint64_t count);

/* Direct mode, optionally: takes prefix[0 .. prefix_size) ∪ S for every
 * subset S of extensions[0 .. extension_count) with min_extra <= |S| <=
 * max_extra, in the order of subset_walk.h, all with `count` (a node and its
 * perfect extensions). @return as sink_direct_fn. */
typedef int (*sink_direct_subsets_fn)(void *thread_context, const uint32_t *prefix,
                                      uint32_t prefix_size, const uint32_t *extensions,
                                      uint32_t extension_count, uint32_t min_extra,
                                      uint32_t max_extra, uint64_t count);

typedef struct sink_direct {
    sink_direct_fn emit;
    sink_direct_subsets_fn emit_subsets; /* NULL: the sink walks, calling emit */
    void *const *thread_contexts; /* one per worker thread */
} sink_direct;

/* A sink set in direct mode: as kernel_output_create(), every itemset going
 * to direct->emit with the context of its thread. *direct is copied.
 * @return NULL when memory is exhausted. */
kernel_output *kernel_output_create_direct(int threads, uint32_t min_size, uint32_t max_size,
                                           const sink_direct *direct);

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
