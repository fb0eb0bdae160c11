/*
 * Closure checks shared by both kernels for the closed and maximal targets.
 *
 * Both kernels grow an itemset Q by adding items of smaller rank (more
 * frequent) than those already in it, after merging in the perfect extensions
 * found among those smaller ranks. Whether Q is closed then depends on the
 * items of greater rank that are not in Q: if one of them occurs in every
 * basket of Q, Q is not closed, and neither is any itemset grown from Q (the
 * prefix-preserving closure argument of LCM), so the whole branch is pruned.
 */
#ifndef FIMBIT_CLOSURE_H
#define FIMBIT_CLOSURE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "kernel.h"
#include "tidset.h"

/* Q = items[0 .. size) (ranks, any order), occ its tidset (occ->count >= 1).
 * @return true when an item of rank > `above` that is not in Q occurs in every
 *         basket of occ. */
bool closure_has_item_above(const kernel_data *data, const tidset *occ, const uint32_t *items,
                            uint32_t size, uint32_t above, arena *scratch);

/* @return true when an item of rank > `above` that is not in Q occurs in at
 *         least min_count baskets of occ (Q then has a frequent superset). */
bool closure_has_frequent_item_above(const kernel_data *data, const tidset *occ,
                                     const uint32_t *items, uint32_t size, uint32_t above,
                                     uint64_t min_count, arena *scratch);

#endif /* FIMBIT_CLOSURE_H */
