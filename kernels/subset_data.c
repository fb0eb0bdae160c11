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
    uint32_t *row = arena_alloc_array(scratch, n, sizeof *row);
    container *columns = arena_alloc_array(scratch, n, sizeof *columns);
    uint64_t *local_offsets =
        arena_alloc_array(scratch, (size_t)baskets + 1, sizeof *local_offsets);
    container *every_part = arena_alloc(scratch, sizeof *every_part);
    uint64_t *every_bits = arena_alloc_array(scratch, words, sizeof *every_bits);
    if (!support || !row || !columns || !local_offsets || !every_part || !every_bits)
        return false;
    memset(every_bits, 0xff, (size_t)words * sizeof *every_bits);
    if (baskets % 64u)
        every_bits[words - 1] = ((uint64_t)1 << (baskets % 64u)) - 1;
    *every_part = (container){baskets, CONTAINER_BITMAP, words, {.bits = every_bits}};

    uint32_t rows = 0;
    for (uint32_t r = 0; r < n; r++)
        row[r] = keep[r] ? rows++ : UINT32_MAX;
    /* The baskets' lengths bound the items kept: reading the offsets alone
     * saves a counting pass over the items. */
    size_t room = 0;
    tidset_cursor cursor;
    uint64_t tx;
    tidset_cursor_start(&cursor, data, occ);
    while (tidset_cursor_next(&cursor, &tx))
        room += offsets[tx + 1] - offsets[tx];
    uint32_t *local_items = arena_alloc_array(scratch, room ? room : 1, sizeof *local_items);
    uint64_t *bits = arena_alloc_array(scratch, (size_t)(rows ? rows : 1) * words, sizeof *bits);
    if (!local_items || !bits)
        return false;
    memset(bits, 0, (size_t)rows * words * sizeof *bits);
    memset(support, 0, (size_t)n * sizeof *support);

    /* One pass: the kept items of basket t, and bit t of their rows. */
    size_t fill = 0;
    uint32_t t = 0;
    tidset_cursor_start(&cursor, data, occ);
    while (tidset_cursor_next(&cursor, &tx)) {
        local_offsets[t] = fill;
        uint64_t bit = (uint64_t)1 << (t & 63u);
        uint64_t *word = bits + (t >> 6);
        for (const uint32_t *p = tx_items + offsets[tx], *end = tx_items + offsets[tx + 1]; p < end;
             p++) {
            uint32_t r = *p, at = row[r];
            if (at == UINT32_MAX)
                continue;
            local_items[fill++] = r;
            word[(size_t)at * words] |= bit;
            support[r]++;
        }
        t++;
    }
    local_offsets[baskets] = fill;

    for (uint32_t r = 0; r < n; r++) {
        columns[r].words = words;
        columns[r].cardinality = (uint32_t)support[r];
        if (support[r]) {
            columns[r].kind = CONTAINER_BITMAP;
            columns[r].u.bits = bits + (size_t)row[r] * words;
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
