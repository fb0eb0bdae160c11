/*
 * Item ids in the smallest width that holds them: uint16_t while every id is
 * below 65,536 (fewer distinct items than that: nearly every basket file),
 * else uint32_t. The baskets' items are most of a dataset's memory, so this
 * halves it. Exactly one of the two pointers is set once anything is stored.
 */
#ifndef FIMBIT_ITEM_ARRAY_H
#define FIMBIT_ITEM_ARRAY_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

/* Ids below this fit the narrow form. */
#define ITEM_ARRAY_NARROW_LIMIT 65536u

typedef struct item_array {
    uint16_t *narrow;
    uint32_t *wide;
} item_array;

static inline uint32_t item_array_get(const item_array *a, uint64_t k)
{
    return a->narrow ? a->narrow[k] : a->wide[k];
}

static inline void item_array_set(item_array *a, uint64_t k, uint32_t id)
{
    if (a->narrow)
        a->narrow[k] = (uint16_t)id;
    else
        a->wide[k] = id;
}

/* Bytes a stored id takes. */
static inline size_t item_array_width(const item_array *a)
{
    return a->wide ? sizeof(uint32_t) : sizeof(uint16_t);
}

/* Resizes `a` to `count` ids, narrow unless it is wide already or `wide` is
 * asked for; with count 0 it keeps one slot. The first `keep` ids are kept
 * (and widened when the form changes). @return false when out of memory
 * (then `a` is unchanged). */
bool item_array_resize(item_array *a, uint64_t count, uint64_t keep, bool wide);

void item_array_free(item_array *a);

#endif /* FIMBIT_ITEM_ARRAY_H */
