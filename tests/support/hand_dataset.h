/*
 * A hand-built dataset for the store, rules and output tests: items named by
 * the caller, baskets as strings of item letters ('a' = item 0, 'b' = item 1,
 * ...), built straight into the dataset struct so those tests do not depend on
 * the readers. At most 32 items (itemsets are handled as bit masks).
 */
#ifndef FIMBIT_HAND_DATASET_H
#define FIMBIT_HAND_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"

fimbit_dataset *hand_dataset_make(const char *const *names, uint32_t item_count,
                                  const char *const *baskets, uint64_t basket_count);
void hand_dataset_free(fimbit_dataset *d);

/* The number of baskets holding every item of `mask`. */
uint64_t hand_mask_count(const fimbit_dataset *d, uint32_t mask);

/* Fills a store the way the driver does: every itemset with at least
 * min_count baskets as a sink record of ranks (rank r is item rank_to_item[r]),
 * dealt round-robin to `threads` threads (at most 8), flushed a few records at
 * a time. *frequent (when not NULL) gets how many were added. */
fimbit_itemsets *hand_store_fill(const fimbit_dataset *d, uint64_t min_count, int threads,
                                 const uint32_t *rank_to_item, size_t *frequent);

#endif /* FIMBIT_HAND_DATASET_H */
