/*
 * Bit tables for FP-growth's small conditional databases (the ALL target).
 *
 * Once a conditional pattern base keeps at most FP_BITS_MAX_ITEMS items, its
 * paths become bit masks over those items (bit b = the b-th kept item, most
 * frequent first) with weights, and every frequent itemset grown from it is
 * mined on the masks, with no tree (the k-items idea of LCM ver. 3). A table
 * over n items holds each distinct mask once, its weight summed in a
 * 2^n-entry array, and lists the masks by their highest item. Items are taken
 * from the highest down: the masks listed under item i are exactly the
 * baskets holding i, once the higher items' masks have been moved down with
 * those items cleared, so the conditional base of i is read straight from
 * its list, and merging equal masks as they move keeps every list at most
 * 2^i long.
 *
 * One table per level of the recursion, each over fewer items than its
 * parent's, so all of them fit in 2^(n+1) entries allocated once per thread
 * and left all zero between uses.
 */
#ifndef FIMBIT_FP_BITS_H
#define FIMBIT_FP_BITS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

/* The most items a bit table takes: 16-bit masks, and 2^17 entries of
 * weights (512 KiB) and masks (256 KiB) per thread. */
#define FP_BITS_MAX_ITEMS 16u

/* A thread's tables: weights and mask lists, all zero between uses. */
typedef struct fp_bits_space {
    uint32_t *weight;
    uint16_t *list;
    uint32_t max_items; /* tables over at most this many items fit */
} fp_bits_space;

/* The top-level table of one conditional base; filled by fp_bits_add(). */
typedef struct fp_bits_table {
    uint32_t *weight;   /* weight[mask]: the summed weights of the mask */
    uint16_t *list;     /* list + 2^i: the masks whose highest item is i */
    uint32_t items;     /* bits 0 .. items - 1 */
    uint32_t length[FP_BITS_MAX_ITEMS]; /* masks listed under each item */
} fp_bits_table;

/* What fp_bits_mine() reports through: the itemset grown so far (as in
 * sink_emit_with_extensions(): `prefix` holds prefix_size items and room for
 * the table's items more, `extensions` likewise), and what bit b stands for. */
typedef struct fp_bits_itemset {
    kernel_sink *sink;
    uint64_t min_count;
    uint32_t max_size; /* 0 = no limit */
    const uint32_t *rank; /* bit -> the item's rank */
    uint32_t *prefix;
    uint32_t prefix_size;
    uint32_t *extensions;
    uint32_t extension_count;
} fp_bits_itemset;

/* Allocates the tables for up to max_items (<= FP_BITS_MAX_ITEMS) items,
 * zeroed. @return false without memory; free with fp_bits_space_release()
 * either way. */
bool fp_bits_space_init(fp_bits_space *space, uint32_t max_items);
/* Frees the tables; a space never initialised must be zeroed. */
void fp_bits_space_release(fp_bits_space *space);

/* Starts the top-level table over `items` (<= space->max_items) bits. */
void fp_bits_start(fp_bits_space *space, uint32_t items, fp_bits_table *table);

/* Adds `weight` (> 0) baskets of the item set `mask` (bits below
 * table->items). The empty mask is ignored: it holds none of the items. */
static inline void fp_bits_add(fp_bits_table *table, uint32_t mask, uint32_t weight)
{
    if (mask == 0)
        return;
    if (table->weight[mask] == 0) {
        uint32_t top = 31u - (uint32_t)__builtin_clz(mask);
        table->list[(1u << top) + table->length[top]++] = (uint16_t)mask;
    }
    table->weight[mask] += weight;
}

/* Reports, for every frequent item set S of the table's items, the itemset
 * prefix ∪ S ∪ T for each subset T of the extensions and of S's own perfect
 * extensions, with S's support; `support` gives each bit's support in the
 * table (every item that occurs must be frequent and not a perfect extension
 * of the prefix). Empties the table, also when it stops early.
 * @return 0, or non-zero when the sink asked to stop. */
int fp_bits_mine(fp_bits_space *space, fp_bits_table *table, const uint64_t *support,
                 fp_bits_itemset *itemset);

#endif /* FIMBIT_FP_BITS_H */
