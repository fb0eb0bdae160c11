/* Per-thread itemset buffers between the kernels and the store or stream. */
#include <stdatomic.h>
#include <string.h>

#include "base/internal.h"
#include "sink.h"
#include "base/sort_u32.h"
#include "subset_walk.h"

/* Up to 64 Ki words (256 KiB) per thread: large enough that flushes, which
 * may take a lock in stream mode, are rare; small enough to stay in L2/L3.
 * A buffer starts at 4 Ki words and doubles before its first flush, so that
 * the threads of a team that report little (a 128-thread run on a small
 * result) hold 16 KiB each, not 256. */
#define SINK_BUFFER_WORDS (64u * 1024u)
#define SINK_FIRST_WORDS (4u * 1024u)

struct kernel_sink {
    uint32_t *buffer; /* record mode only */
    size_t used;     /* words */
    size_t capacity; /* words */
    kernel_output *owner;
    int thread;
    sink_direct_fn direct;  /* direct mode only */
    sink_direct_subsets_fn direct_subsets; /* direct mode, when the consumer takes walks */
    void *direct_context;
    /* The itemset being expanded by sink_emit_with_extensions, (record
     * mode) a sorted copy of the extensions, and the walk's stack. */
    uint32_t *current;
    uint32_t *sorted_extensions;
    uint32_t *chosen;
    uint32_t scratch_capacity;
} __attribute__((aligned(64))); /* one cache line or more each: no false sharing */

struct kernel_output {
    int threads;
    uint32_t min_size;
    uint32_t max_size; /* UINT32_MAX when unlimited */
    sink_flush_fn flush;
    void *context;
    atomic_bool stopped;
    atomic_bool out_of_memory; /* a sink's own allocation failed */
    progress_meter *progress;  /* top-level branches done; NULL = not counted */
    kernel_sink *sinks;
};

/* The common part of both modes: the sinks without buffers. */
static kernel_output *output_create(int threads, uint32_t min_size, uint32_t max_size)
{
    kernel_output *output = fimbit__calloc(1, sizeof *output);
    if (!output)
        return NULL;
    output->threads = threads;
    output->min_size = min_size;
    output->max_size = max_size ? max_size : UINT32_MAX;
    atomic_init(&output->stopped, false);
    atomic_init(&output->out_of_memory, false);
    output->sinks = fimbit__calloc((size_t)threads, sizeof *output->sinks);
    if (!output->sinks) {
        fimbit__free(output);
        return NULL;
    }
    for (int t = 0; t < threads; t++) {
        output->sinks[t].owner = output;
        output->sinks[t].thread = t;
    }
    return output;
}

kernel_output *kernel_output_create(int threads, uint32_t min_size, uint32_t max_size,
                                    sink_flush_fn flush, void *context)
{
    kernel_output *output = output_create(threads, min_size, max_size);
    if (!output)
        return NULL;
    output->flush = flush;
    output->context = context;
    for (int t = 0; t < threads; t++) {
        kernel_sink *sink = &output->sinks[t];
        sink->capacity = SINK_FIRST_WORDS;
        sink->buffer = fimbit__malloc_array(sink->capacity, sizeof(uint32_t));
        if (!sink->buffer) {
            kernel_output_free(output);
            return NULL;
        }
    }
    return output;
}

kernel_output *kernel_output_create_direct(int threads, uint32_t min_size, uint32_t max_size,
                                           const sink_direct *direct)
{
    kernel_output *output = output_create(threads, min_size, max_size);
    if (!output)
        return NULL;
    for (int t = 0; t < threads; t++) {
        output->sinks[t].direct = direct->emit;
        output->sinks[t].direct_subsets = direct->emit_subsets;
        output->sinks[t].direct_context = direct->thread_contexts[t];
    }
    return output;
}

void kernel_output_free(kernel_output *output)
{
    if (!output)
        return;
    for (int t = 0; t < output->threads; t++) {
        kernel_sink *sink = &output->sinks[t];
        fimbit__free(sink->buffer);
        fimbit__free(sink->current);
        fimbit__free(sink->sorted_extensions);
        fimbit__free(sink->chosen);
    }
    fimbit__free(output->sinks);
    fimbit__free(output);
}

kernel_sink *kernel_output_sink(kernel_output *output, int thread) { return &output->sinks[thread]; }

bool kernel_output_stopped(const kernel_output *output)
{
    return atomic_load_explicit(&output->stopped, memory_order_relaxed) ||
           progress_stop_requested();
}

static int sink_stop(kernel_sink *sink)
{
    atomic_store_explicit(&sink->owner->stopped, true, memory_order_relaxed);
    return 1;
}

/* Stops the mining because the sink could not grow: the driver then reports
 * memory exhaustion, not a consumer's decision. */
static int sink_out_of_memory(kernel_sink *sink)
{
    atomic_store_explicit(&sink->owner->out_of_memory, true, memory_order_relaxed);
    return sink_stop(sink);
}

void kernel_output_set_progress(kernel_output *output, progress_meter *meter)
{
    output->progress = meter;
}

void kernel_output_branch_done(kernel_output *output)
{
    if (progress_advance(output->progress, 1))
        atomic_store_explicit(&output->stopped, true, memory_order_relaxed);
}

bool kernel_output_out_of_memory(const kernel_output *output)
{
    return atomic_load_explicit(&output->out_of_memory, memory_order_relaxed);
}

static int sink_flush(kernel_sink *sink)
{
    /* A full buffer is the check inside a long branch. */
    if (progress_stop_requested())
        return sink_stop(sink);
    if (sink->direct || sink->used == 0)
        return 0;
    kernel_output *owner = sink->owner;
    int rc = owner->flush(owner->context, sink->thread, sink->buffer, sink->used);
    sink->used = 0;
    return rc ? sink_stop(sink) : 0;
}

/* Grows the buffer to `capacity` words. @return whether it could: a
 * failure leaves the buffer as it was and stops nothing. */
static bool sink_try_grow(kernel_sink *sink, size_t capacity)
{
    uint32_t *grown = fimbit__realloc_array(sink->buffer, capacity, sizeof(uint32_t));
    if (!grown)
        return false;
    sink->buffer = grown;
    sink->capacity = capacity;
    return true;
}

/* Makes room for a record of `size` items. @return 0, or non-zero to stop. */
static int sink_reserve(kernel_sink *sink, uint32_t size)
{
    size_t words = SINK_RECORD_HEADER_WORDS + (size_t)size;
    if (sink->capacity - sink->used >= words)
        return 0;
    if (sink->capacity < SINK_BUFFER_WORDS) {
        size_t doubled = 2 * sink->capacity;
        size_t capacity = doubled < SINK_BUFFER_WORDS ? doubled : SINK_BUFFER_WORDS;
        /* A bigger buffer only saves flushes: when a tight memory limit
         * refuses it, flushing what the buffer holds makes the room. */
        if (capacity - sink->used >= words && sink_try_grow(sink, capacity))
            return 0;
    }
    if (sink_flush(sink))
        return 1;
    if (sink->capacity >= words)
        return 0;
    /* A single itemset longer than the buffer: grow it (rare, not in a loop). */
    return sink_try_grow(sink, words) ? 0 : sink_out_of_memory(sink);
}

static uint32_t *sink_start_record(kernel_sink *sink, uint32_t size, uint64_t count)
{
    uint32_t *record = sink->buffer + sink->used;
    record[0] = size;
    record[1] = (uint32_t)count;
    record[2] = (uint32_t)(count >> 32);
    sink->used += SINK_RECORD_HEADER_WORDS + size;
    return record + SINK_RECORD_HEADER_WORDS;
}

/* Copies items into `out` in ascending order. */
static void copy_sorted(uint32_t *out, const uint32_t *items, uint32_t size)
{
    if (size > 1 && items[0] > items[size - 1]) {
        for (uint32_t i = 0; i < size; i++)
            out[i] = items[size - 1 - i];
    } else {
        memcpy(out, items, (size_t)size * sizeof *items);
    }
    sort_u32(out, size);
}

int sink_emit(kernel_sink *sink, const uint32_t *items, uint32_t size, uint64_t count)
{
    kernel_output *owner = sink->owner;
    if (size < owner->min_size || size > owner->max_size || size == 0)
        return kernel_output_stopped(owner);
    if (sink->direct)
        return sink->direct(sink->direct_context, items, size, 0, count) ? sink_stop(sink) : 0;
    if (sink_reserve(sink, size))
        return 1;
    copy_sorted(sink_start_record(sink, size, count), items, size);
    return 0;
}

static int sink_grow_scratch(kernel_sink *sink, uint32_t needed)
{
    if (sink->scratch_capacity >= needed)
        return 0;
    uint32_t capacity = needed < 64 ? 64 : needed;
    uint32_t *current = fimbit__realloc_array(sink->current, capacity, sizeof(uint32_t));
    if (current)
        sink->current = current;
    uint32_t *sorted = fimbit__realloc_array(sink->sorted_extensions, capacity, sizeof(uint32_t));
    if (sorted)
        sink->sorted_extensions = sorted;
    uint32_t *chosen = fimbit__realloc_array(sink->chosen, capacity, sizeof(uint32_t));
    if (chosen)
        sink->chosen = chosen;
    if (!current || !sorted || !chosen)
        return sink_out_of_memory(sink);
    sink->scratch_capacity = capacity;
    return 0;
}

/* Hands on current[0 .. size), made of the prefix current[0 .. prefix_size)
 * and the extensions chosen after it, of which the first `unchanged` items
 * are those handed on last. In record mode both runs are sorted and the record
 * gets their merge. */
static int sink_deliver(kernel_sink *sink, uint32_t prefix_size, uint32_t size,
                        uint32_t unchanged, uint64_t count)
{
    if (sink->direct)
        return sink->direct(sink->direct_context, sink->current, size, unchanged, count)
                   ? sink_stop(sink)
                   : 0;
    if (sink_reserve(sink, size))
        return 1;
    uint32_t *out = sink_start_record(sink, size, count);
    const uint32_t *a = sink->current, *b = sink->current + prefix_size;
    uint32_t i = 0, j = 0, chosen_count = size - prefix_size;
    while (i < prefix_size && j < chosen_count)
        *out++ = a[i] < b[j] ? a[i++] : b[j++];
    while (i < prefix_size)
        *out++ = a[i++];
    while (j < chosen_count)
        *out++ = b[j++];
    return 0;
}

int sink_emit_with_extensions(kernel_sink *sink, const uint32_t *prefix, uint32_t prefix_size,
                              const uint32_t *extensions, uint32_t extension_count,
                              uint64_t count)
{
    if (extension_count == 0)
        return sink_emit(sink, prefix, prefix_size, count);
    kernel_output *owner = sink->owner;
    if (prefix_size > owner->max_size)
        return kernel_output_stopped(owner);
    /* The bounds on |S|; the empty itemset is never reported. */
    uint32_t least = owner->min_size > 1 ? owner->min_size : 1;
    uint32_t min_extra = least > prefix_size ? least - prefix_size : 0;
    uint32_t max_extra = owner->max_size - prefix_size;
    if (sink->direct_subsets) {
        if (sink->direct_subsets(sink->direct_context, prefix, prefix_size, extensions,
                                 extension_count, min_extra, max_extra, count))
            return sink_stop(sink);
        return kernel_output_stopped(owner);
    }
    if (sink_grow_scratch(sink, prefix_size + extension_count))
        return 1;
    if (sink->direct) {
        /* The kernel's order, which its next itemsets share. */
        memcpy(sink->current, prefix, (size_t)prefix_size * sizeof *prefix);
    } else {
        copy_sorted(sink->current, prefix, prefix_size);
        copy_sorted(sink->sorted_extensions, extensions, extension_count);
        extensions = sink->sorted_extensions;
    }
    subset_walk walk;
    subset_walk_start(&walk, extension_count, min_extra, max_extra, sink->chosen);
    bool delivered = false; /* before the first, the consumer saw other itemsets */
    while (subset_walk_next(&walk)) {
        for (uint32_t i = walk.unchanged; i < walk.size; i++)
            sink->current[prefix_size + i] = extensions[walk.chosen[i]];
        uint32_t unchanged = delivered ? prefix_size + walk.unchanged : 0;
        if (sink_deliver(sink, prefix_size, prefix_size + walk.size, unchanged, count))
            return 1;
        delivered = true;
    }
    return kernel_output_stopped(owner);
}

int kernel_output_finish(kernel_output *output)
{
    for (int t = 0; t < output->threads; t++)
        if (sink_flush(&output->sinks[t]))
            return 1;
    return kernel_output_stopped(output);
}
