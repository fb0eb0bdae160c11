/*
 * The count cache: direct-mapped by the sum of the items' terms (mixed ids; any
 * order of the same items gives the same sum), every hit checked item by
 * item, so a count comes from the cache only for the very same itemset.
 */
#include "count_cache.h"

#include "base/internal.h"
#include "base/mix64.h"

bool count_cache_begin(count_cache *cache, const uint32_t *z, uint32_t k)
{
    if (cache->slots == NULL) {
        cache->slots =
            fimbit__zeroed_array((size_t)1 << COUNT_CACHE_SLOT_BITS, sizeof *cache->slots);
        if (cache->slots == NULL)
            return false;
    }
    cache->itemset = z;
    for (uint32_t p = 0; p < k; p++)
        cache->terms[p] = fimbit__mix64(z[p]);
    return true;
}

uint64_t count_cache_key(const count_cache *cache, uint64_t mask)
{
    uint64_t key = 0;
    for (uint64_t rest = mask; rest != 0; rest &= rest - 1)
        key += cache->terms[__builtin_ctzll(rest)];
    return key;
}

void count_cache_put(const count_cache *cache, count_cache_slot *slot, uint64_t key, uint64_t mask,
                     uint64_t count)
{
    uint32_t size = 0;
    for (uint64_t rest = mask; rest != 0; rest &= rest - 1)
        slot->items[size++] = cache->itemset[__builtin_ctzll(rest)];
    slot->key = key;
    slot->size = size;
    slot->count = count;
}

void count_cache_free(count_cache *cache)
{
    fimbit__free(cache->slots);
    *cache = (count_cache){0};
}
