/*
 * The support table: itemsets as a caller has them (fimbit_support_table_*),
 * each with its support and, when known, its basket count, found by their
 * items through an open-addressing hash table. table_rules.c derives rules
 * from it.
 */
#ifndef FIMBIT_SUPPORT_TABLE_H
#define FIMBIT_SUPPORT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/internal.h"

struct fimbit_support_table {
    size_t row_count;
    uint64_t *offsets;     /* row_count + 1 entries into items and sorted */
    uint32_t *items;       /* every row's items in the caller's order */
    uint32_t *sorted;      /* the same, ascending within each row: for equality */
    double *supports;      /* row_count */
    uint64_t *counts;      /* row_count, or NULL when the caller gave none */
    uint64_t basket_count; /* with counts: their denominator; else num_itemsets */
    uint64_t *slots;       /* row + 1 per slot, 0 = empty */
    uint64_t slot_mask;
};

/* @return the row holding exactly the items sorted[0 .. size) (ascending), or
 *         FIMBIT_NO_ROW. */
uint64_t support_table_find(const fimbit_support_table *table, const uint32_t *sorted,
                            uint32_t size);

#endif /* FIMBIT_SUPPORT_TABLE_H */
