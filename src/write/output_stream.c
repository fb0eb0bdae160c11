/*
 * fimbit_mine_itemsets_write: mining straight into a writer (output.h,
 * "streaming itemsets straight from the kernels"). Each worker thread formats
 * its own itemsets, prefix-reusing (itemset_text.h), into its own buffer; a
 * buffer nearly holding its block (STREAM_FIRST_BLOCK) is written and reused.
 * Nothing grows with the number of itemsets, and nothing is shared per
 * itemset: into a regular file, a thread reserves the block's place with one
 * atomic addition and writes it there (pwrite), so blocks of different threads
 * are written at once; standard output and devices (no positions) take a lock
 * per block.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <omp.h>

#include "read/dataset.h"
#include "itemset_text.h"
#include "mine/mine.h"
#include "output.h"
#include "base/progress.h"

/* A thread's blocks start at STREAM_FIRST_BLOCK, small enough to stay off
 * the peak memory of small runs (256 KiB blocks peaked 0.4-0.8 MB higher on
 * chess and mushroom), and double each time the thread has written
 * STREAM_GROWTH blocks' worth, up to STREAM_LAST_BLOCK, big enough that a
 * block write (and, without positions, its lock) is rare next to the
 * formatting, and still within the core's L2 cache: at -T 2 the two threads'
 * writes into one file wait on each other (chess 959 closed, 194 MB: 0.93 s
 * with 64 KiB blocks, 0.90 s with 256 KiB). */
#define STREAM_FIRST_BLOCK ((size_t)64 << 10)
#define STREAM_LAST_BLOCK ((size_t)256 << 10)
#define STREAM_GROWTH 64u
/* A buffer is written once it holds its block less this: a record of up to
 * 16 KiB then still fits the block's capacity (the buffer grows in
 * doublings, so writing at the block size itself would double it to twice
 * the block). */
#define STREAM_RECORD_ROOM ((size_t)16 << 10)

typedef struct stream_thread {
    output_stream *stream;
    itemset_line line;
    output_buffer buffer;
    uint32_t *chosen; /* a subset walk's stack: one entry per rank */
    uint64_t written;   /* itemsets */
    size_t write_from;  /* bytes: the buffer is written once it holds this */
    uint64_t bytes_out; /* written by this thread */
    char padding[64]; /* the next thread's fields on other cache lines */
} stream_thread;

struct output_stream {
    output_target target;
    output_names names;
    uint64_t basket_count;
    bool positional;           /* a regular file: blocks go at reserved offsets */
    _Atomic uint64_t file_end; /* positional: where the next block goes */
    omp_lock_t lock;           /* serialises unpositioned writes and the failure */
    atomic_int failed;         /* set once status is not FIMBIT_OK */
    fimbit_status status;
    fimbit_error error;

    /* Set by output_stream_start. */
    itemset_text text;
    int threads;
    stream_thread *per_thread;
    void **contexts; /* &per_thread[t], for the sinks */
};

fimbit_status output_stream_open(const fimbit_dataset *dataset, fimbit_format format,
                                 const char *path, output_stream **out, fimbit_error *error)
{
    *out = NULL;
    if (format != FIMBIT_FORMAT_TEXT && format != FIMBIT_FORMAT_CSV &&
        format != FIMBIT_FORMAT_JSONL)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown output format %d", (int)format);
    output_stream *stream = fimbit__calloc(1, sizeof *stream);
    if (stream == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while starting the output");
    stream->basket_count = dataset->basket_count;
    fimbit_status status = output_names_build(&stream->names, dataset, format, error);
    if (status == FIMBIT_OK) {
        status = output_open(&stream->target, path, error);
        if (status == FIMBIT_OK) {
            const char *header = output_itemset_header(format);
            status = output_write(&stream->target, header, strlen(header), error);
            if (status != FIMBIT_OK)
                output_abort(&stream->target);
        }
        if (status != FIMBIT_OK)
            output_names_free(&stream->names);
    }
    if (status != FIMBIT_OK) {
        fimbit__free(stream);
        return status;
    }
    /* A temporary file is always regular; direct targets (devices, FIFOs)
     * and standard output may have no positions. */
    stream->positional = !stream->target.to_stdout && !stream->target.direct;
    atomic_init(&stream->file_end, strlen(output_itemset_header(format)));
    atomic_init(&stream->failed, 0);
    omp_init_lock(&stream->lock);
    *out = stream;
    return FIMBIT_OK;
}

/* Records the first failure. */
static void stream_fail(output_stream *stream, fimbit_status status, const fimbit_error *error)
{
    omp_set_lock(&stream->lock);
    if (stream->status == FIMBIT_OK) {
        stream->status = status;
        stream->error = *error;
        atomic_store(&stream->failed, 1);
    }
    omp_unset_lock(&stream->lock);
}

/* Writes a thread's buffer as one block and empties it. @return non-zero
 * when the stream has failed or a stop was requested (the check inside a long
 * branch). */
static int stream_write_block(output_stream *stream, output_buffer *buffer)
{
    if (atomic_load_explicit(&stream->failed, memory_order_relaxed) || progress_stop_requested())
        return 1;
    fimbit_error error;
    fimbit_status status;
    if (stream->positional) {
        uint64_t offset = atomic_fetch_add_explicit(&stream->file_end, buffer->length,
                                                    memory_order_relaxed);
        status = output_write_at(&stream->target, buffer->data, buffer->length, offset, &error);
    } else {
        omp_set_lock(&stream->lock);
        status = output_write(&stream->target, buffer->data, buffer->length, &error);
        omp_unset_lock(&stream->lock);
    }
    buffer->length = 0;
    if (status != FIMBIT_OK) {
        stream_fail(stream, status, &error);
        return 1;
    }
    return 0;
}

/* Fails the stream for memory exhausted while formatting. @return 1. */
static int stream_out_of_memory(stream_thread *own)
{
    fimbit_error error;
    fimbit__fail(&error, FIMBIT_ENOMEM, "out of memory while formatting output");
    stream_fail(own->stream, FIMBIT_ENOMEM, &error);
    return 1;
}

/* Writes the thread's buffer as one block, and lets its blocks grow with
 * what it has written (see STREAM_FIRST_BLOCK). @return as
 * stream_write_block(). */
static int stream_write_own(stream_thread *own)
{
    own->bytes_out += own->buffer.length;
    size_t block = own->write_from + STREAM_RECORD_ROOM;
    if (block < STREAM_LAST_BLOCK && own->bytes_out >= (uint64_t)STREAM_GROWTH * block)
        own->write_from = 2 * block - STREAM_RECORD_ROOM;
    return stream_write_block(own->stream, &own->buffer);
}

/* A sink_direct_fn: one itemset of one thread. */
static int stream_emit(void *thread_context, const uint32_t *items, uint32_t size,
                       uint32_t unchanged, uint64_t count)
{
    stream_thread *own = thread_context;
    if (!itemset_line_format(&own->line, &own->buffer, items, size, unchanged, count))
        return stream_out_of_memory(own);
    own->written++;
    if (own->buffer.length >= own->write_from)
        return stream_write_own(own);
    return 0;
}

/* A sink_direct_subsets_fn: a node and its perfect extensions, formatted in
 * one loop (most itemsets of dense data come this way), a block at a time. */
static int stream_emit_subsets(void *thread_context, const uint32_t *prefix,
                               uint32_t prefix_size, const uint32_t *extensions,
                               uint32_t extension_count, uint32_t min_extra, uint32_t max_extra,
                               uint64_t count)
{
    stream_thread *own = thread_context;
    subset_walk walk;
    subset_walk_start(&walk, extension_count, min_extra, max_extra, own->chosen);
    for (;;) {
        uint64_t lines;
        int more =
            itemset_line_format_subsets(&own->line, &own->buffer, prefix, prefix_size, extensions,
                                        &walk, count, own->write_from, &lines);
        own->written += lines;
        if (more < 0)
            return stream_out_of_memory(own);
        if (own->buffer.length >= own->write_from && stream_write_own(own))
            return 1;
        if (more == 0)
            return 0;
    }
}

fimbit_status output_stream_start(output_stream *stream, const uint32_t *rank_to_item,
                                  uint32_t rank_count, int threads, sink_direct *direct,
                                  fimbit_error *error)
{
    if (threads < 1)
        threads = 1;
    fimbit_status status = itemset_text_build(&stream->text, &stream->names, rank_to_item,
                                              rank_count, stream->basket_count, error);
    if (status != FIMBIT_OK)
        return status;
    stream->per_thread = fimbit__calloc((size_t)threads, sizeof *stream->per_thread);
    stream->contexts = fimbit__calloc((size_t)threads, sizeof *stream->contexts);
    if (stream->per_thread == NULL || stream->contexts == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while starting the output");
    for (int t = 0; t < threads; t++) {
        stream_thread *own = &stream->per_thread[t];
        own->stream = stream;
        own->write_from = STREAM_FIRST_BLOCK - STREAM_RECORD_ROOM;
        status = itemset_line_init(&own->line, &stream->text, error);
        if (status != FIMBIT_OK)
            return status; /* output_stream_close frees what was made */
        own->chosen = fimbit__malloc_array(rank_count ? rank_count : 1, sizeof *own->chosen);
        if (own->chosen == NULL) {
            itemset_line_free(&own->line);
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while starting the output");
        }
        stream->threads = t + 1;
        stream->contexts[t] = own;
    }
    *direct = (sink_direct){.emit = stream_emit, .emit_subsets = stream_emit_subsets,
                            .thread_contexts = stream->contexts};
    return FIMBIT_OK;
}

fimbit_status output_stream_close(output_stream *stream, bool commit, uint64_t *count,
                                  fimbit_error *error)
{
    if (count != NULL)
        *count = 0;
    if (stream == NULL)
        return FIMBIT_OK;
    uint64_t written = 0;
    for (int t = 0; t < stream->threads; t++)
        written += stream->per_thread[t].written;
    /* The itemsets went out as they were found; the WRITE stage is the rest. */
    progress_meter meter;
    bool stopped = commit && progress_begin(&meter, FIMBIT_STAGE_WRITE, "itemsets", written);
    for (int t = 0; t < stream->threads && commit && !stopped; t++)
        if (stream->per_thread[t].buffer.length > 0)
            stream_write_block(stream, &stream->per_thread[t].buffer);
    fimbit_status status = stream->status;
    if (status != FIMBIT_OK) {
        if (error)
            *error = stream->error;
    } else if (!commit) {
        status = FIMBIT_ECANCELED;
    } else if (stopped || progress_end(&meter)) {
        status = progress_cancel_error(&meter, error);
    }
    if (status == FIMBIT_OK)
        status = output_commit(&stream->target, error);
    else
        output_abort(&stream->target);
    for (int t = 0; t < stream->threads; t++) {
        itemset_line_free(&stream->per_thread[t].line);
        fimbit__free(stream->per_thread[t].chosen);
        output_buffer_free(&stream->per_thread[t].buffer);
    }
    if (status == FIMBIT_OK && count != NULL)
        *count = written;
    omp_destroy_lock(&stream->lock);
    itemset_text_free(&stream->text);
    output_names_free(&stream->names);
    fimbit__free(stream->per_thread);
    fimbit__free(stream->contexts);
    fimbit__free(stream);
    return status;
}

static fimbit_status start_stream(void *user, const uint32_t *rank_to_item, uint32_t rank_count,
                                  int threads, sink_direct *direct, fimbit_error *error)
{
    return output_stream_start(user, rank_to_item, rank_count, threads, direct, error);
}

fimbit_status fimbit_mine_itemsets_write(const fimbit_dataset *dataset,
                                         const fimbit_mine_options *options,
                                         fimbit_format format, const char *path,
                                         uint64_t *count, fimbit_error *error)
{
    if (count != NULL)
        *count = 0;
    if (dataset == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_mine_itemsets_write: NULL dataset");
    fimbit_mine_options defaults;
    if (options == NULL) {
        fimbit_mine_options_init(&defaults);
        options = &defaults;
    }
    output_stream *stream = NULL;
    fimbit_status status = output_stream_open(dataset, format, path, &stream, error);
    if (status != FIMBIT_OK)
        return status;
    status = mine_itemsets_direct(dataset, options, start_stream, stream, error);
    /* When the writer stopped the mining (ECANCELED), closing says why;
     * when mining failed, its error stands. */
    bool mined = status == FIMBIT_OK || status == FIMBIT_ECANCELED;
    fimbit_status closed = output_stream_close(stream, status == FIMBIT_OK, count,
                                               mined ? error : NULL);
    return mined ? closed : status;
}
