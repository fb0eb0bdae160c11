/*
 * The occurrence index: every basket's frequent items as ranks, and for
 * every frequent item the places it occurs (LCM's occurrence lists, here only
 * for the top level). With it, the projection (projection.h) reads exactly an
 * item's own baskets — only their part ranked before the item, contiguous —
 * to count its partners and write its conditional baskets, where the pair
 * triangles (pairs.h) take memory quadratic in the frequent items and a pass
 * over all the baskets per batch. It costs 10 bytes an occurrence, so it is
 * for data of moderate size (retail, T10I4D100K, BMS1), not for millions of
 * baskets.
 */
#ifndef FIMBIT_OCCURRENCES_H
#define FIMBIT_OCCURRENCES_H

#include <stddef.h>
#include <stdint.h>

#include "base/internal.h"

/* Where an item occurs: ranks[begin .. end) are the items of its basket
 * ranked before it, ascending (end is the item's own place). */
typedef struct occurrence {
    uint32_t begin, end;
} occurrence;

typedef struct occurrence_index {
    uint32_t item_count; /* ranks 0 .. item_count - 1 */
    uint16_t *ranks;     /* every basket's frequent ranks, ascending, basket after basket */
    uint64_t *start;     /* item_count + 1: rank r occurs at places[start[r] .. start[r + 1]) */
    occurrence *places;  /* in basket order for each rank */
} occurrence_index;

/* The most frequent occurrences and ranks the index can hold. */
#define OCCURRENCE_INDEX_MAX_OCCURRENCES ((uint64_t)UINT32_MAX)
#define OCCURRENCE_INDEX_MAX_ITEMS ((uint32_t)UINT16_MAX + 1u)

/* Bytes the index takes for `occurrences` frequent item occurrences over
 * `item_count` ranks, built with `threads` threads. */
static inline size_t occurrence_index_bytes(uint64_t occurrences, uint32_t item_count,
                                            int threads)
{
    size_t per_rank = sizeof(uint64_t) * ((size_t)(threads > 0 ? threads : 1) + 1);
    return (size_t)occurrences * (sizeof(uint16_t) + sizeof(occurrence)) +
           ((size_t)item_count + 1) * per_rank;
}

/* Indexes the items of `dataset` ranked below `item_count` (by item_to_rank;
 * at most OCCURRENCE_INDEX_MAX_ITEMS, and at most
 * OCCURRENCE_INDEX_MAX_OCCURRENCES occurrences) with `threads` threads; the
 * result does not depend on the thread count. @return FIMBIT_OK or
 * FIMBIT_ENOMEM; on success free *out with occurrence_index_free(). */
fimbit_status occurrence_index_build(const fimbit_dataset *dataset, const uint32_t *item_to_rank,
                                     uint32_t item_count, int threads, occurrence_index *out);

void occurrence_index_free(occurrence_index *index);

#endif /* FIMBIT_OCCURRENCES_H */
