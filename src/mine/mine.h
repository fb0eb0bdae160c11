/*
 * The driver's internal entries: for data that is already recoded by rank,
 * as the MPI ranks hold it (src/dist/group.c), and for consumers that take
 * itemsets straight from the kernels' sinks (the streamed writer), without
 * records or a store.
 */
#ifndef FIMBIT_MINE_H
#define FIMBIT_MINE_H

#include <stdint.h>

#include "base/internal.h"
#include "kernels/kernel.h"
#include "store/sink.h"

/* EINVAL when the options are out of range (threads, target, algorithm, a
 * min_size above max_size), naming what. */
fimbit_status mine_check_options(const fimbit_mine_options *options, fimbit_error *error);

/* EINVAL when min_count is 0 and min_support is not a fraction in (0, 1]:
 * the threshold check of fimbit_min_count(), which needs no dataset. */
fimbit_status mine_check_threshold(const fimbit_mine_options *options, fimbit_error *error);

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

/* Called once the kernel ranks are known, before mining: rank r (0 ..
 * rank_count - 1) is item rank_to_item[r] (valid during the call only).
 * Fills *direct for `threads` worker threads. @return FIMBIT_OK, or the
 * failure that ends the run. */
typedef fimbit_status (*mine_direct_start_fn)(void *user, const uint32_t *rank_to_item,
                                              uint32_t rank_count, int threads,
                                              sink_direct *direct, fimbit_error *error);

/* Mines `dataset` with `options` in direct mode (sink.h): `start` is called
 * once (also when nothing is frequent), then every itemset goes to the
 * emit function it gave. @return FIMBIT_OK, the failure of a stage or of
 * `start`, or FIMBIT_ECANCELED when an emit call asked to stop (the consumer
 * knows why). */
fimbit_status mine_itemsets_direct(const fimbit_dataset *dataset,
                                   const fimbit_mine_options *options,
                                   mine_direct_start_fn start, void *user, fimbit_error *error);

#endif /* FIMBIT_MINE_H */
