/*
 * The kernel_data of the baskets of one tidset: those baskets renumbered 0 ..
 * c - 1 (in their order) in a single shard, each item's column a bitmap of
 * ceil(c / 64) words. The dense closed and maximal Eclat walk switches to it
 * at a node with few baskets: every intersection below then ANDs a few words
 * where it merged two basket lists before (mushroom's deep tidsets are arrays
 * of hundreds of entries in a 127-word shard).
 */
#ifndef FIMBIT_SUBSET_DATA_H
#define FIMBIT_SUBSET_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "kernel.h"
#include "tidset.h"

/* Builds *out, over the same ranks as `data`, from the baskets of occ (1 ..
 * SHARD_BASKETS of them) cut to the items r with keep[r] == 1 (the others, 0,
 * get empty columns), and *every, the tidset of all its baskets (occ's
 * there), everything written to `scratch`. out->item_support is each item's
 * count there. Over at most KERNEL_RANKS8_ITEMS items the baskets' ranks
 * are bytes (out->tx_ranks8, no tx_items): the items were most of a
 * projection's memory. @return false when the arena is exhausted. */
bool subset_data_build(const kernel_data *data, const tidset *occ, const uint8_t *keep,
                       arena *scratch, kernel_data *out, tidset *every);

/* For tests: true keeps every projection's ranks in tx_items, as over more
 * than KERNEL_RANKS8_ITEMS items, so that small cases take that path too. */
void subset_data__force_wide(bool wide);

#endif /* FIMBIT_SUBSET_DATA_H */
