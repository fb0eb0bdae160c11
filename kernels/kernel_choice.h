/*
 * Which kernel mines a kernel_data, and the vertical form it needs: shared by
 * the driver (the whole recoded dataset) and the projection (each item's
 * conditional baskets).
 */
#ifndef FIMBIT_KERNEL_CHOICE_H
#define FIMBIT_KERNEL_CHOICE_H

#include "base/internal.h"
#include "kernel.h"
#include "encode/shard.h"

/* Average basket length over frequent items, as a fraction of them, below
 * which data counts as sparse (where projection.c mines by item). */
#define AUTO_ECLAT_DENSITY 0.1

/* The length of the basket an item occurrence lies in, on average over the
 * occurrences (frequent items only), from which sparse data (below
 * AUTO_ECLAT_DENSITY) has its maximal itemsets mined by FP-growth's FPmax
 * walk on one thread (see kernel_choice.c). */
#define AUTO_FPMAX_OCCURRENCE_LENGTH 32.0

/* @return the kernel `algorithm` names, or for FIMBIT_ALGORITHM_AUTO the
 * faster one for `target` (see kernel_choice.c). */
kernel_fn kernel_choose(fimbit_algorithm algorithm, fimbit_target target);

/* kernel_choose() for probe->target, knowing the data and the run: for
 * FIMBIT_ALGORITHM_AUTO, also picks FP-growth for maximal itemsets of sparse
 * data whose occurrences lie in long baskets, on one thread. */
kernel_fn kernel_choose_for(fimbit_algorithm algorithm, const kernel_params *probe);

/* True when `kernel` needs the vertical form for `probe` and its data has
 * items. */
bool kernel_needs_vertical(kernel_fn kernel, const kernel_params *probe);

/* Builds data->vertical with `threads` threads when `kernel` needs it for
 * `probe` (whose data is `data`); *owner is then set (else left NULL) and
 * must be freed with shard_vertical_free(). @return FIMBIT_OK or
 * FIMBIT_ENOMEM. */
fimbit_status kernel_prepare_vertical(kernel_fn kernel, const kernel_params *probe,
                                      kernel_data *data, shard_vertical **owner);

#endif /* FIMBIT_KERNEL_CHOICE_H */
