/*
 * Writers for itemsets and rules: text, CSV and JSON Lines, to standard output
 * or atomically to a file. The public entry points are fimbit_itemsets_write()
 * and fimbit_rules_write(); the pieces below let other stages (a streaming
 * run, the MPI gatherer) write the same bytes record by record.
 *
 * OWNED BY THE STORE/RULES/OUTPUT WORK.
 */
#ifndef FIMBIT_OUTPUT_H
#define FIMBIT_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/internal.h"
#include "store/sink.h"

/* ---- where the bytes go ---------------------------------------------------- */

/* Standard output, a file written under a temporary name and renamed into
 * place on commit, or (for an existing path that is not a regular file, such
 * as /dev/null or a FIFO) the path itself. */
typedef struct output_target {
    int fd;            /* -1 for standard output */
    bool to_stdout;
    bool direct;       /* writing to the path itself, no rename */
    const char *path;  /* as given; names the target in messages */
    char *temp_path;   /* owned; NULL unless writing under a temporary name */
    char *final_path;  /* owned; the resolved target when path is a symbolic link */
} output_target;

/* Opens `path` (NULL or "-": standard output). @return FIMBIT_OK, FIMBIT_EIO,
 * FIMBIT_ENOMEM, or FIMBIT_EINVAL for an empty path; on failure nothing is
 * left behind. */
fimbit_status output_open(output_target *target, const char *path, fimbit_error *error);

/* Writes all of data[0 .. size). @return FIMBIT_OK or FIMBIT_EIO (the target
 * stays open: call output_abort). */
fimbit_status output_write(output_target *target, const void *data, size_t size,
                           fimbit_error *error);

/* Finishes: flushes standard output, or closes the file and renames it into
 * place. On failure the temporary file is removed. Either way the target is
 * released. */
fimbit_status output_commit(output_target *target, fimbit_error *error);

/* Gives up: removes the temporary file, releases the target. */
void output_abort(output_target *target);

/* ---- how records look -------------------------------------------------------- */

/* Every item name pre-encoded for one format: raw for text, with quotes
 * doubled (and a flag saying the list field needs quoting) for CSV, as a
 * complete JSON string literal for JSON Lines. */
typedef struct output_names {
    fimbit_format format;
    char *bytes;
    uint64_t *offsets; /* item_count + 1 entries into bytes */
    uint8_t *needs_quotes; /* CSV only: 1 when the name holds , " CR or LF */
} output_names;

/* Encodes one name as `format` wants it into out (when not NULL): as is for
 * text; quotes doubled for CSV, with *quote (when not NULL) set to 1 when
 * the field must be quoted; a complete JSON string literal (invalid UTF-8 as
 * U+FFFD) for JSON Lines. @return the encoded length. */
size_t output_encode_name(const char *name, fimbit_format format, char *out, uint8_t *quote);

fimbit_status output_names_build(output_names *names, const fimbit_dataset *dataset,
                                 fimbit_format format, fimbit_error *error);
void output_names_free(output_names *names);

/* A growable byte buffer. */
typedef struct output_buffer {
    char *data;
    size_t length;
    size_t capacity;
} output_buffer;

void output_buffer_free(output_buffer *buffer);

/* output_buffer_reserve's slow path: grows the buffer. */
char *output_buffer_grow(output_buffer *buffer, size_t extra);

/* Makes room for `extra` more bytes. @return the write position (the buffer's
 * data + length), or NULL when memory is exhausted. Inline: the streamed
 * writer calls it once per itemset, and it almost never grows. */
static inline char *output_buffer_reserve(output_buffer *buffer, size_t extra)
{
    if (buffer->capacity - buffer->length >= extra)
        return buffer->data + buffer->length;
    return output_buffer_grow(buffer, extra);
}

/* Writes `value` in decimal at p (room for 20 digits). @return the end. */
char *output_format_u64(char *p, uint64_t value);

/* The header line of a format ("" for text and JSON Lines). */
const char *output_itemset_header(fimbit_format format);
const char *output_rule_header(fimbit_format format);

/* Writes `value` as printf("%.6g") does in the C locale, into out (at least 32
 * bytes, not NUL-terminated). @return the length. */
size_t output_format_g6(double value, char *out);

/* Appends one itemset line. @return false when memory is exhausted. */
bool output_format_itemset(output_buffer *buffer, const output_names *names,
                           const uint32_t *items, uint32_t size, uint64_t count,
                           uint64_t basket_count);

/* Appends one rule line. @return false when memory is exhausted. */
bool output_format_rule(output_buffer *buffer, const output_names *names,
                        const fimbit_rule *rule);

/* ---- streaming itemsets straight from the kernels ---------------------------- */

/* For output-only runs: every worker thread formats the itemsets its kernel
 * reports (prefix-reusing, itemset_text.h) into its own buffer, and a full
 * buffer is written as one block: into a file at an offset reserved with one
 * atomic addition (no lock), to standard output or a device under a lock. No
 * store is built; memory stays bounded by the buffers. Itemsets come out in
 * mining order, items in the kernel's order. */
typedef struct output_stream output_stream;

/* Opens `path` (as output_open) for itemsets of `dataset` in `format` and
 * writes the header. @return FIMBIT_OK (and *out), FIMBIT_EINVAL, FIMBIT_EIO
 * or FIMBIT_ENOMEM. */
fimbit_status output_stream_open(const fimbit_dataset *dataset, fimbit_format format,
                                 const char *path, output_stream **out, fimbit_error *error);

/* Prepares the stream for `threads` workers reporting kernel ranks 0 ..
 * rank_count - 1, rank r being item rank_to_item[r] (read here only). Fills
 * *direct with the emit function and per-thread contexts to give the sinks
 * (sink.h). Call once, before mining. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status output_stream_start(output_stream *stream, const uint32_t *rank_to_item,
                                  uint32_t rank_count, int threads, sink_direct *direct,
                                  fimbit_error *error);

/* Finishes the stream and frees it. With `commit`, writes what the buffers
 * hold and renames the file into place; without (mining failed), removes the
 * temporary file. *count (when not NULL) receives the itemsets written.
 * @return FIMBIT_OK, or the error that stopped the stream (FIMBIT_EIO,
 * FIMBIT_ENOMEM), or FIMBIT_ECANCELED when `commit` is false and nothing
 * failed here. */
fimbit_status output_stream_close(output_stream *stream, bool commit, uint64_t *count,
                                  fimbit_error *error);

#endif /* FIMBIT_OUTPUT_H */
