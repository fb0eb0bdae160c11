/*
 * The vertical form of one item in one shard of up to SHARD_BASKETS baskets:
 * a bitmap of ceil(shard_baskets / 64) words when the item is dense in the
 * shard, a sorted array of uint16_t basket indexes when it is sparse (the
 * Roaring container idea). Operations are fused (intersect and count in one
 * pass) and write into caller-provided (arena) memory.
 */
#ifndef FIMBIT_CONTAINERS_H
#define FIMBIT_CONTAINERS_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

typedef enum container_kind { CONTAINER_ARRAY = 0, CONTAINER_BITMAP = 1 } container_kind;

typedef struct container {
    uint32_t cardinality; /* baskets in the set */
    uint16_t kind;        /* container_kind */
    uint16_t words;       /* bitmap words of the shard (same for every container of it) */
    union {
        const uint16_t *array; /* cardinality sorted basket indexes */
        const uint64_t *bits;  /* `words` words */
    } u;
} container;

/* Bitmap words of a shard of `baskets` baskets (1 .. SHARD_BASKETS). */
static inline uint16_t container_words_for(uint32_t baskets)
{
    return (uint16_t)((baskets + 63u) / 64u);
}

/* True when a set of `cardinality` baskets is stored as an array in a shard of
 * `words` bitmap words: the array is then smaller than the bitmap (2 bytes a
 * basket against 8 bytes a word), the Roaring break-even point. */
static inline bool container_prefers_array(uint32_t cardinality, uint32_t words)
{
    return cardinality < words * 4u;
}

/* True when the result of intersecting two bitmaps, `cardinality` baskets, is
 * kept as an array rather than the bitmap it was computed in. Lower than
 * container_prefers_array: the result is read again at once, mostly against
 * bitmap columns, where an array costs several times more a basket (a bit
 * test and the early-abort check) than a bitmap a word (mushroom 406
 * maximal: 12% fewer instructions than at the Roaring point). */
static inline bool container_result_prefers_array(uint32_t cardinality, uint32_t words)
{
    return cardinality * 2u < words;
}

/* True when basket `index` is in c. */
static inline bool container_contains(const container *c, uint32_t index)
{
    if (c->kind == CONTAINER_BITMAP)
        return (c->u.bits[index >> 6] >> (index & 63u)) & 1u;
    uint32_t low = 0, high = c->cardinality;
    while (low < high) {
        uint32_t middle = (low + high) / 2;
        if (c->u.array[middle] < index)
            low = middle + 1;
        else
            high = middle;
    }
    return low < c->cardinality && c->u.array[low] == index;
}

/* @return |a ∩ b|. a and b belong to the same shard. */
uint32_t container_intersect_count(const container *a, const container *b);

/* @return |a ∩ b| when it is at least `min_needed`; otherwise some value below
 *         min_needed (the scan stops as soon as min_needed is out of reach). */
uint32_t container_intersect_count_min(const container *a, const container *b,
                                       uint32_t min_needed);

/* out = a ∩ b, as an array or a bitmap by its cardinality, the data written to
 * `scratch`. An empty result is an array with no data. @return false when the
 * arena is exhausted. */
bool container_intersect(const container *a, const container *b, arena *scratch,
                         container *out);

/* As container_intersect, but gives up as soon as |a ∩ b| cannot reach
 * `min_needed`. @return 1 with *out filled, 0 when |a ∩ b| < min_needed
 * (nothing is left allocated), -1 when the arena is exhausted. */
int container_intersect_min(const container *a, const container *b, uint32_t min_needed,
                            arena *scratch, container *out);

/* @return true when every basket of a is in b. */
bool container_is_subset(const container *a, const container *b);

/* @return the bits set in bits[0 .. words). */
uint32_t container_bitmap_count(const uint64_t *bits, uint32_t words);

/* Writes the basket indexes of c, ascending, to out (c->cardinality entries). */
void container_to_array(const container *c, uint16_t *out);

#endif /* FIMBIT_CONTAINERS_H */
