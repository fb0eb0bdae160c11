/* The kernel_data of one tidset's baskets; see subset_data.h. */
#include <string.h>

#include "subset_data.h"

bool subset_data_build(const kernel_data *data, const tidset *occ, const uint8_t *keep,
                       arena *scratch, kernel_data *out, tidset *every)
{
    uint32_t n = data->item_count;
    uint32_t baskets = (uint32_t)occ->count;
    uint16_t words = container_words_for(baskets);
    const uint64_t *offsets = data->tx_offsets;
    const uint32_t *tx_items = data->tx_items;
    uint64_t *support = arena_alloc_array(scratch, n, sizeof *support);
    uint64_t **column_of = arena_alloc_array(scratch, n, sizeof *column_of);
    container *columns = arena_alloc_array(scratch, n, sizeof *columns);
    uint64_t *local_offsets =
        arena_alloc_array(scratch, (size_t)baskets + 1, sizeof *local_offsets);
    container *every_part = arena_alloc(scratch, sizeof *every_part);
    uint64_t *every_bits = arena_alloc_array(scratch, words, sizeof *every_bits);
    if (!support || !column_of || !columns || !local_offsets || !every_part || !every_bits)
        return false;
    memset(every_bits, 0xff, (size_t)words * sizeof *every_bits);
    if (baskets % 64u)
        every_bits[words - 1] = ((uint64_t)1 << (baskets % 64u)) - 1;
    *every_part = (container){baskets, CONTAINER_BITMAP, words, {.bits = every_bits}};

    uint32_t rows = 0;
    for (uint32_t r = 0; r < n; r++)
        rows += keep[r] != 0;
    /* The baskets' lengths bound the items kept: reading the offsets alone
     * saves a counting pass over the items. The global basket ids wait in
     * local_offsets for the pass below, which reads them instead of walking
     * occ again. */
    tidset_list(data, occ, local_offsets);
    size_t room = 0;
    for (uint32_t t = 0; t < baskets; t++)
        room += offsets[local_offsets[t] + 1] - offsets[local_offsets[t]];
    uint32_t *local_items = arena_alloc_array(scratch, room ? room : 1, sizeof *local_items);
    /* One column per kept item, and one more that every other item writes
     * to and nothing reads: the pass below then sets bits without a branch. */
    uint64_t *bits = arena_alloc_array(scratch, ((size_t)rows + 1) * words, sizeof *bits);
    if (!local_items || !bits)
        return false;
    memset(bits, 0, ((size_t)rows + 1) * words * sizeof *bits);
    uint64_t *discard = bits + (size_t)rows * words;
    for (uint32_t r = 0, row = 0; r < n; r++)
        column_of[r] = keep[r] ? bits + (size_t)row++ * words : discard;

    /* One pass: the kept items of basket t, and bit t of their columns.
     * Bounded by the baskets' items, with neither a branch nor a counter per
     * item: every item is stored and the fill moves past the kept ones only
     * (keep[] is 0 or 1), and the counts come from the columns' bits
     * afterwards. Unrolled: the loop's own overhead was a fifth of the work
     * (mushroom's baskets hold 23 items). */
    size_t fill = 0;
    for (uint32_t t = 0; t < baskets; t++) {
        uint64_t tx = local_offsets[t];
        local_offsets[t] = fill;
        uint64_t bit = (uint64_t)1 << (t & 63u);
        uint32_t word = t >> 6;
#pragma GCC unroll 4
        for (const uint32_t *p = tx_items + offsets[tx], *end = tx_items + offsets[tx + 1]; p < end;
             p++) {
            uint32_t r = *p; /* once: the store below might alias it */
            column_of[r][word] |= bit;
            local_items[fill] = r;
            fill += keep[r];
        }
    }
    local_offsets[baskets] = fill;

    /* Each column's count, from its bits. */
    for (uint32_t r = 0; r < n; r++) {
        uint64_t count = column_of[r] != discard ? container_bitmap_count(column_of[r], words) : 0;
        support[r] = count;
        columns[r].words = words;
        columns[r].cardinality = (uint32_t)count;
        if (count) {
            columns[r].kind = CONTAINER_BITMAP;
            columns[r].u.bits = column_of[r];
        } else {
            columns[r].kind = CONTAINER_ARRAY;
            columns[r].u.array = NULL;
        }
    }

    out->item_count = n;
    out->item_support = support;
    out->tx_count = baskets;
    out->tx_offsets = local_offsets;
    out->tx_items = local_items;
    out->shard_count = 1;
    out->vertical = columns;
    every->count = baskets;
    every->parts = every_part;
    return true;
}
