/*
 * The in-memory dataset every stage reads: baskets as CSR over dense item ids,
 * item names, per-item supports and the natural item order used for canonical
 * output. Built by the readers (src/io/) through the builder in dataset.c.
 */
#ifndef FIMBIT_DATASET_H
#define FIMBIT_DATASET_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

struct fimbit_dataset {
    uint64_t basket_count;     /* empty baskets included */
    uint64_t *basket_offsets;  /* basket_count + 1 entries */
    uint32_t *basket_items;    /* item ids; unique inside a basket, any order */

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

    /* True for the dataset an MPI run gives rank 0: names, supports, counts
     * and stats of the whole input, but no baskets (basket_offsets holds one
     * entry), which stayed on the ranks that read them. */
    bool without_baskets;
};

/* @return the item's name (no bounds check). */
static inline const char *dataset_item_name(const fimbit_dataset *d, uint32_t item)
{
    return d->name_bytes + d->name_offsets[item];
}

#endif /* FIMBIT_DATASET_H */
