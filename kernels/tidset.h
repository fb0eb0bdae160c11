/*
 * The baskets that hold an itemset, across all shards: one container per
 * shard. Used by Eclat for every node and by the closure checks of the closed
 * and maximal targets in both kernels.
 *
 * OWNED BY THE ECLAT/CONTAINERS WORK; fpgrowth.c uses it as declared here.
 */
#ifndef FIMBIT_TIDSET_H
#define FIMBIT_TIDSET_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "kernel.h"

typedef struct tidset {
    uint64_t count;   /* baskets in the set, over all shards */
    container *parts; /* data->shard_count containers */
} tidset;

/* The tidset of one frequent item (rank), pointing into data->vertical; the
 * `parts` array lives in `scratch`. @return false on arena exhaustion. */
bool tidset_of_item(const kernel_data *data, uint32_t rank, arena *scratch, tidset *out);

/* out = a ∩ b, its containers written into `scratch`. @return false on arena
 * exhaustion. */
bool tidset_intersect(const kernel_data *data, const tidset *a, const tidset *b, arena *scratch,
                      tidset *out);

/* @return |a ∩ b| without building it. */
uint64_t tidset_intersect_count(const kernel_data *data, const tidset *a, const tidset *b);

/* @return true when every basket of a is in b. */
bool tidset_is_subset(const kernel_data *data, const tidset *a, const tidset *b);

#endif /* FIMBIT_TIDSET_H */
