/*
 * Mining by item projection, seeded by the pair counts (pairs.h). Every
 * frequent itemset is found in the conditional baskets of its highest-ranked
 * (least frequent) item i: the baskets holding i, cut down to the items j < i
 * whose pair {j, i} is frequent. On sparse data (T10I4: a thousand frequent
 * items, a few thousand frequent pairs) those conditional baskets are a few
 * items long, so each item's share is small and is mined by an ordinary
 * kernel on one thread, while the threads share the items. The conditional
 * baskets of a batch of consecutive items are written by one pass over the
 * dataset, compactly, so memory is bounded by the batch, not by the data: no
 * recoded copy of the dataset, no tree or vertical form over all of it.
 *
 * Only for FIMBIT_TARGET_ALL: closed and maximal itemsets are judged in the
 * whole lattice, which an item's projection does not see.
 */
#ifndef FIMBIT_PROJECTION_H
#define FIMBIT_PROJECTION_H

#include <stdbool.h>
#include <stdint.h>

#include "encode/flist.h"
#include "base/internal.h"
#include "kernel.h"

/* How the conditional baskets are found: by the occurrence index
 * (occurrences.h) or by pair triangles and batches (pairs.h); `auto` takes
 * the index when it fits its memory budget. The others are for tests. */
typedef enum projection_layout {
    PROJECTION_LAYOUT_AUTO = 0,
    PROJECTION_LAYOUT_INDEX,
    PROJECTION_LAYOUT_PAIRS
} projection_layout;

typedef struct projection_params {
    const fimbit_dataset *dataset;
    const flist *frequent;      /* the ranks (flist_rank_items); tx_* unused */
    uint64_t min_count;         /* >= 1 */
    uint32_t max_size;          /* 0 = no limit */
    fimbit_algorithm algorithm; /* the kernel for the conditional baskets */
    int threads;                /* >= 1 */
    kernel_output *output;      /* one sink per thread, as for a kernel */
    projection_layout layout;
} projection_params;

/* True when mining `dataset`'s frequent items `frequent` for `target` with
 * `threads` threads should go through the projection: every itemset wanted,
 * sparse data, few enough frequent items for the pair triangles. */
bool projection_suits(const fimbit_dataset *dataset, const flist *frequent,
                      fimbit_target target, int threads);

/* Reports every frequent itemset (as ranks) through params->output.
 * @return FIMBIT_OK, FIMBIT_ENOMEM, or FIMBIT_ECANCELED when a sink asked to
 * stop, as a kernel does. */
fimbit_status projection_mine(const projection_params *params);

#endif /* FIMBIT_PROJECTION_H */
