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

/* @return the kernel `algorithm` names, or for FIMBIT_ALGORITHM_AUTO the
 * faster one for `target` (see kernel_choice.c). */
kernel_fn kernel_choose(fimbit_algorithm algorithm, fimbit_target target);

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
