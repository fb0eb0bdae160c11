/*
 * A rule worker's cache of recent itemset counts, by items.
 *
 * Rules look up the counts of subsets of the itemset they come from, and the
 * store lists itemsets depth first, so neighbouring itemsets share most of
 * their subsets (groceries, --measures all: 4 look-ups in 5 hit 4096
 * slots). A hit costs a sum and a few compares, where a store probe hashes
 * every item and reads a record far away. Subsets are given as a mask of
 * positions in the current itemset, whose items' terms are computed once.
 */
#ifndef FIMBIT_COUNT_CACHE_H
#define FIMBIT_COUNT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Items a cached itemset holds at most: a slot is one 64-byte line. */
#define COUNT_CACHE_ITEMS 11
#define COUNT_CACHE_SLOT_BITS 12

typedef struct count_cache_slot {
    uint64_t key; /* the sum of the items' terms */
    uint64_t count;
    uint32_t size; /* 0: an empty slot */
    uint32_t items[COUNT_CACHE_ITEMS];
} count_cache_slot;

typedef struct count_cache {
    count_cache_slot *slots; /* 2^COUNT_CACHE_SLOT_BITS, or NULL before the first itemset */
    const uint32_t *itemset; /* the current itemset, natural order */
    uint64_t terms[64];      /* the term of its item at each position */
} count_cache;

/* Makes the cache's slots (once) and makes z[0 .. k) (k <= 64) the itemset
 * whose subsets the next calls name by mask. @return false when out of
 * memory. */
bool count_cache_begin(count_cache *cache, const uint32_t *z, uint32_t k);

/* The cache key of the current itemset's subset at the positions in `mask`:
 * the sum of their items' terms. */
uint64_t count_cache_key(const count_cache *cache, uint64_t mask);

/* The count of the current itemset's subset at the positions in `mask`, of
 * `size` items and key `key`, or 0 when the cache does not hold it; *slot is
 * then where count_cache_put() keeps it (NULL when the subset is too large to
 * keep). Inline: the improvement asks for every subset of every itemset. */
static inline uint64_t count_cache_get(const count_cache *cache, uint64_t key, uint64_t mask,
                                       uint32_t size, count_cache_slot **slot)
{
    if (size > COUNT_CACHE_ITEMS) {
        *slot = NULL;
        return 0;
    }
    /* The top bits of the key: a sum of mixed terms is mixed there too. */
    count_cache_slot *found = &cache->slots[key >> (64 - COUNT_CACHE_SLOT_BITS)];
    *slot = found;
    if (found->key != key || found->size != size)
        return 0;
    /* Items in natural order on both sides: the subset's are z's in order. */
    const uint32_t *items = found->items;
    for (uint64_t rest = mask; rest != 0; rest &= rest - 1)
        if (*items++ != cache->itemset[__builtin_ctzll(rest)])
            return 0;
    return found->count;
}

/* Keeps the count of the subset at `mask` (key `key`) in `slot` (from
 * count_cache_get), in place of what the slot held. */
void count_cache_put(const count_cache *cache, count_cache_slot *slot, uint64_t key, uint64_t mask,
                     uint64_t count);

void count_cache_free(count_cache *cache);

#endif /* FIMBIT_COUNT_CACHE_H */
