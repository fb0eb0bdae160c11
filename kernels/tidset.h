/*
 * The baskets that hold an itemset, across all shards: one container per
 * shard. Used by Eclat for every node and by the closure checks of the closed
 * and maximal targets in both kernels.
 */
#ifndef FIMBIT_TIDSET_H
#define FIMBIT_TIDSET_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "kernel.h"

typedef struct tidset {
    uint64_t count;   /* baskets in the set, over all shards */
    container *parts; /* data->shard_count containers */
} tidset;

/* The tidset of one frequent item (rank), pointing into data->vertical; the
 * `parts` array lives in `scratch`. @return false on arena exhaustion. */
bool tidset_of_item(const kernel_data *data, uint32_t rank, arena *scratch, tidset *out);

/* out = a ∩ b, its containers written into `scratch`. @return false on arena
 * exhaustion. */
bool tidset_intersect(const kernel_data *data, const tidset *a, const tidset *b, arena *scratch,
                      tidset *out);

/* @return |a ∩ b| without building it. */
uint64_t tidset_intersect_count(const kernel_data *data, const tidset *a, const tidset *b);

/* out = a ∩ b when |a ∩ b| >= min_count; gives up as soon as that is out of
 * reach (per-shard early abort, with the other shards' bounds). @return 1 with
 * *out filled, 0 when |a ∩ b| < min_count (nothing is left allocated in
 * `scratch`), -1 on arena exhaustion. */
int tidset_intersect_min(const kernel_data *data, const tidset *a, const tidset *b,
                         uint64_t min_count, arena *scratch, tidset *out);

/* @return |a ∩ b| when it is at least min_count, else some value below it. */
uint64_t tidset_intersect_count_min(const kernel_data *data, const tidset *a, const tidset *b,
                                    uint64_t min_count);

/* @return true when every basket of a is in b. */
bool tidset_is_subset(const kernel_data *data, const tidset *a, const tidset *b);

/* Writes the baskets of `set`, ascending, as horizontal indexes (shard *
 * SHARD_BASKETS + index) to out (set->count entries): the cursor's walk in
 * one tight loop per container, for a caller that wants them all. */
void tidset_list(const kernel_data *data, const tidset *set, uint64_t *out);

/* Walks the baskets of a tidset in ascending order, as horizontal indexes
 * (shard * SHARD_BASKETS + index): the way to read them in the CSR. */
typedef struct tidset_cursor {
    const tidset *set;
    uint32_t shard_count;
    uint32_t shard;
    uint32_t position; /* array: next entry; bitmap: the word `bits` came from */
    uint64_t bits;     /* bitmap: bits of that word not yet returned */
} tidset_cursor;

/* Inline with tidset_cursor_next, so that a walk keeps the cursor in
 * registers rather than in memory its caller handed out. */
static inline void tidset_cursor_start(tidset_cursor *cursor, const kernel_data *data,
                                       const tidset *set)
{
    cursor->set = set;
    cursor->shard_count = data->shard_count;
    cursor->shard = 0;
    cursor->position = 0;
    cursor->bits = 0;
    if (data->shard_count && set->parts[0].kind == CONTAINER_BITMAP)
        cursor->bits = set->parts[0].u.bits[0];
}

/* @return true with the next basket in *tx, or false at the end. */
static inline bool tidset_cursor_next(tidset_cursor *cursor, uint64_t *tx)
{
    while (cursor->shard < cursor->shard_count) {
        const container *c = &cursor->set->parts[cursor->shard];
        uint64_t base = (uint64_t)cursor->shard * SHARD_BASKETS;
        if (c->kind == CONTAINER_ARRAY) {
            if (cursor->position < c->cardinality) {
                *tx = base + c->u.array[cursor->position++];
                return true;
            }
        } else {
            for (;;) {
                if (cursor->bits) {
                    uint32_t bit = (uint32_t)__builtin_ctzll(cursor->bits);
                    cursor->bits &= cursor->bits - 1;
                    *tx = base + (uint64_t)cursor->position * 64u + bit;
                    return true;
                }
                if (++cursor->position >= c->words)
                    break;
                cursor->bits = c->u.bits[cursor->position];
            }
        }
        cursor->shard++;
        cursor->position = 0;
        cursor->bits = 0;
        if (cursor->shard < cursor->shard_count) {
            const container *next = &cursor->set->parts[cursor->shard];
            if (next->kind == CONTAINER_BITMAP)
                cursor->bits = next->u.bits[0];
        }
    }
    return false;
}

#endif /* FIMBIT_TIDSET_H */
