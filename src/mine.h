/*
 * The driver's entry for data that is already recoded by rank, as the MPI
 * ranks hold it (src/dist/group.c): the kernel choice, the vertical form and
 * the kernel run of fimbit_mine_itemsets_stream, without the F-list stage.
 */
#ifndef FIMBIT_MINE_H
#define FIMBIT_MINE_H

#include "internal.h"
#include "kernel.h"
#include "sink.h"

/* Mines `data` (its horizontal form; the vertical one is built here when the
 * kernel needs it) at `min_count` with the target, algorithm, threads and
 * size bounds of `options`, restricted to the top-level branches that
 * `top_level` marks (kernel_params.top_level; NULL = all). The itemsets go as
 * sink records, in ranks, to `flush` (called by worker threads, possibly at
 * once). @return FIMBIT_OK, FIMBIT_EINVAL for bad options, FIMBIT_ENOMEM, or
 * FIMBIT_ECANCELED when `flush` asked to stop. */
fimbit_status mine_recoded(const kernel_data *data, uint64_t min_count, const uint8_t *top_level,
                           const fimbit_mine_options *options, sink_flush_fn flush,
                           void *context, fimbit_error *error);

#endif /* FIMBIT_MINE_H */
