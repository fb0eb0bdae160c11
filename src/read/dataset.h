/*
 * The in-memory dataset every stage reads: baskets as CSR over dense item ids,
 * item names, per-item supports and the natural item order used for canonical
 * output. Built by the readers (src/read/) through the builder (builder.c).
 */
#ifndef FIMBIT_DATASET_H
#define FIMBIT_DATASET_H

#include <stdbool.h>
#include <stdint.h>

#include "base/internal.h"
#include "base/item_array.h"
#include "base/sort_u32.h"

struct fimbit_dataset {
    uint64_t basket_count;     /* empty baskets included */
    uint64_t *basket_offsets;  /* basket_count + 1 entries */
    item_array basket_items;   /* item ids, unique inside a basket: dataset_item() */
    /* True when every basket's items are in F-list order (support descending,
     * then id), as dataset_builder_finish leaves them: a basket's frequent
     * items are then a prefix, in rank order. Else any order. */
    bool baskets_ordered;

    uint32_t item_count;
    uint64_t *item_support;    /* baskets holding the item, by id */
    char *name_bytes;          /* every name, NUL-terminated, back to back */
    uint64_t *name_offsets;    /* item_count entries into name_bytes */

    /* Natural order: numeric when every name is a decimal integer, else by
     * bytes. natural_rank[id] is the item's position in that order. */
    bool numeric_names;
    uint32_t *natural_rank;

    /* Open-addressing index from name to id, for fimbit_dataset_find_item. */
    uint32_t *name_index;      /* name_index_size slots, UINT32_MAX = empty */
    uint64_t name_index_size;  /* a power of two */

    fimbit_dataset_stats stats;

    /* Long CSV read with basket_keys: basket b's id as read is key_bytes +
     * key_offsets[b], NUL-terminated. NULL otherwise. */
    char *key_bytes;
    uint64_t *key_offsets;

    /* True for the dataset an MPI run gives rank 0: names, supports, counts
     * and stats of the whole input, but no baskets (basket_offsets holds one
     * entry), which stayed on the ranks that read them; and for a dataset
     * whose baskets a mining call freed (baskets_released). */
    bool without_baskets;
    /* fimbit_dataset_mine_once(): the next mining call frees the baskets
     * (dataset_release_baskets) once it no longer reads them. */
    bool mine_once;
    bool baskets_released;
};

/* An item and its support, in the F-list order of supported_item_compare. */
typedef struct supported_item {
    uint64_t support;
    uint32_t item;
} supported_item;

/* qsort order of supported_item: support descending, then id — a total
 * order, the F-list's (flist.c) and the baskets' (baskets_ordered). */
int supported_item_compare(const void *a, const void *b);

/* Derives what the baskets and names determine, once the builder has handed
 * them over (builder.c): the name index (name_bytes_used bytes of names), the
 * natural order, the stats, and every basket's items in F-list order, with
 * `threads` threads (0: as many as the work keeps busy). @return FIMBIT_OK
 * or FIMBIT_ENOMEM; the caller frees d either way. */
fimbit_status dataset_derive(fimbit_dataset *d, size_t name_bytes_used, int threads);

/* Frees the baskets of a dataset marked mine_once, if not done yet, leaving
 * it without_baskets (basket_offsets of one entry); any other dataset is
 * left alone. The dataset is immutable but for this: only the one mining
 * call that fimbit_dataset_mine_once() admits calls it. */
void dataset_release_baskets(const fimbit_dataset *dataset);

/* Gives back the pages that hold only baskets before `basket` of a dataset
 * marked mine_once, which the one mining call reads in order, for the last
 * time, as it recodes them (flist_build): the recoding then does not hold
 * them all beside its own. Any other dataset is left alone. */
void dataset_discard_baskets_before(const fimbit_dataset *dataset, uint64_t basket);

/* @return the item's name (no bounds check). */
static inline const char *dataset_item_name(const fimbit_dataset *d, uint32_t item)
{
    return d->name_bytes + d->name_offsets[item];
}

/* @return the id of the k-th item of the baskets' CSR. */
static inline uint32_t dataset_item(const fimbit_dataset *d, uint64_t k)
{
    return item_array_get(&d->basket_items, k);
}

/* Writes to ranks[] the ranks below `limit` (by item_to_rank) of basket b's
 * items, ascending, and @return how many. Reads only the basket's ranked
 * prefix when the baskets are ordered; sorts otherwise. `ranks` has room for
 * the longest basket. */
static inline uint32_t dataset_basket_ranks(const fimbit_dataset *d, const uint32_t *item_to_rank,
                                            uint32_t limit, uint64_t b, uint32_t *ranks)
{
    uint32_t n = 0;
    uint64_t end = d->basket_offsets[b + 1];
    if (d->baskets_ordered) {
        for (uint64_t k = d->basket_offsets[b]; k < end; k++) {
            uint32_t rank = item_to_rank[dataset_item(d, k)];
            if (rank >= limit)
                break;
            ranks[n++] = rank;
        }
        return n;
    }
    for (uint64_t k = d->basket_offsets[b]; k < end; k++) {
        uint32_t rank = item_to_rank[dataset_item(d, k)];
        if (rank < limit)
            ranks[n++] = rank;
    }
    sort_u32(ranks, n);
    return n;
}

#endif /* FIMBIT_DATASET_H */
