/*
 * Shards: the vertical, container-encoded form of the recoded baskets, built
 * by threads that first-touch the shards they own.
 */
#ifndef FIMBIT_SHARD_H
#define FIMBIT_SHARD_H

#include "base/internal.h"
#include "kernels/kernel.h"

typedef struct shard_vertical shard_vertical; /* owns the containers' memory */

/* Builds data->vertical (and data->shard_count) from data's horizontal form
 * with `threads` threads. @return FIMBIT_OK or FIMBIT_ENOMEM; on success
 * *owner must be released with shard_vertical_free() after mining. */
fimbit_status shard_build_vertical(kernel_data *data, int threads, shard_vertical **owner);

void shard_vertical_free(shard_vertical *owner);

#endif /* FIMBIT_SHARD_H */
