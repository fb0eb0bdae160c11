/*
 * Writers for itemsets and rules: text, CSV and JSON Lines, to standard output
 * or atomically to a file. The public entry points are fimbit_itemsets_write()
 * and fimbit_rules_write(); the pieces below let other stages (a streaming
 * run, the MPI gatherer) write the same bytes record by record.
 */
#ifndef FIMBIT_OUTPUT_H
#define FIMBIT_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/internal.h"
#include "format.h"
#include "store/sink.h"
#include "target.h"

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
