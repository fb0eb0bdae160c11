/*
 * An order-independent hash of a set of item ids, for the hash tables that
 * look itemsets up by their items (the itemset store, the support table): a
 * sum of mixed ids, then a final mix with the size, so that the empty set and
 * {x, y} with cancelling terms stay apart. Any order of the same ids gives
 * the same hash, so a query need not be sorted to find its slot.
 */
#ifndef FIMBIT_ITEM_SET_HASH_H
#define FIMBIT_ITEM_SET_HASH_H

#include <stdint.h>

#include "mix64.h"

static inline uint64_t item_set_hash(const uint32_t *items, uint32_t size)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < size; i++)
        sum += fimbit__mix64((uint64_t)items[i] + 0x9e3779b97f4a7c15ULL);
    return fimbit__mix64(sum ^ ((uint64_t)size << 56));
}

#endif /* FIMBIT_ITEM_SET_HASH_H */
