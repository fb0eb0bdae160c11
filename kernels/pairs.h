/*
 * Pair counting: the basket count of every pair of frequent items, from one
 * parallel pass over the dataset's baskets into a triangular array per
 * thread, summed at the end. On sparse data the pairs are the bulk of the
 * counting work, and this pass reads the baskets once, in order, with no
 * tree or tidset built: the projection (projection.h) then mines only the
 * branches of the frequent pairs, and the reduced databases of closed mining
 * (closed_reduced.h) read their roots' counts from it.
 */
#ifndef FIMBIT_PAIRS_H
#define FIMBIT_PAIRS_H

#include <stddef.h>
#include <stdint.h>

#include "base/internal.h"
#include "kernel.h"

typedef struct pair_table {
    uint32_t item_count; /* ranks 0 .. item_count - 1 */
    uint32_t *counts;    /* pair_cells(item_count) entries, see pair_index() */
} pair_table;

/* Cells of the triangle over n items: one per pair i < j. */
static inline size_t pair_cells(uint32_t n) { return n < 2 ? 0 : (size_t)n * (n - 1) / 2; }

/* Where the pair {i, j}, i < j, is counted: row j holds the pairs of j with
 * every item ranked before it, so a row lists an item's possible partners
 * in a projection (items ranked before it). */
static inline size_t pair_index(uint32_t i, uint32_t j) { return pair_cells(j) + i; }

/* Bytes the counting needs with `threads` threads (one triangle each). */
static inline size_t pair_table_bytes(uint32_t n, int threads)
{
    return pair_cells(n) * sizeof(uint32_t) * (size_t)(threads > 0 ? threads : 1);
}

/* Counts the pairs of `dataset`'s baskets over the items mapped to a rank
 * below `item_count` by item_to_rank (other items are skipped), with
 * `threads` threads. Counts are uint32_t: the caller makes sure the dataset
 * has fewer than 2^32 baskets. @return FIMBIT_OK or FIMBIT_ENOMEM; on
 * success free *out with pair_table_free(). */
fimbit_status pair_table_count(const fimbit_dataset *dataset, const uint32_t *item_to_rank,
                               uint32_t item_count, int threads, pair_table *out);

/* The same over recoded baskets (every rank below data->item_count), for
 * the kernels that read them; the caller makes sure data->tx_count < 2^32. */
fimbit_status pair_table_count_recoded(const kernel_data *data, int threads, pair_table *out);

void pair_table_free(pair_table *table);

#endif /* FIMBIT_PAIRS_H */
