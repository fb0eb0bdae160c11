/* The kernel_data of one tidset's baskets; see subset_data.h. */
#include <string.h>

#include "subset_data.h"

/* Writes the kept items of basket local_offsets[t] (a basket of the data,
 * ranks in `wide` or `narrow`) as basket t, ranks in `wide_out` or
 * `narrow_out`, for t < baskets, setting bit t of their columns; local_offsets
 * becomes the offsets of the baskets written. Always inlined, so that each
 * call has the widths it passes fixed (the others NULL).
 *
 * One pass, bounded by the baskets' items, with neither a branch nor a
 * counter per item: every item is stored and the fill moves past the kept
 * ones only (keep[] is 0 or 1), and the counts come from the columns' bits
 * afterwards. Unrolled: the loop's own overhead was a fifth of the work
 * (mushroom's baskets hold 23 items). */
static inline __attribute__((always_inline)) void
project_baskets(const uint32_t *wide, const uint8_t *narrow, const uint64_t *offsets,
                const uint8_t *keep, uint64_t *const *column_of, uint32_t baskets,
                uint64_t *local_offsets, uint32_t *wide_out, uint8_t *narrow_out)
{
    size_t fill = 0;
    for (uint32_t t = 0; t < baskets; t++) {
        uint64_t tx = local_offsets[t];
        local_offsets[t] = fill;
        uint64_t bit = (uint64_t)1 << (t & 63u);
        uint32_t word = t >> 6;
#pragma GCC unroll 4
        for (uint64_t p = offsets[tx], end = offsets[tx + 1]; p < end; p++) {
            uint32_t r = narrow ? narrow[p] : wide[p]; /* once: the store might alias it */
            column_of[r][word] |= bit;
            if (narrow_out)
                narrow_out[fill] = (uint8_t)r;
            else
                wide_out[fill] = r;
            fill += keep[r];
        }
    }
    local_offsets[baskets] = fill;
}

static bool ranks8_allowed = true;

void subset_data__force_wide(bool wide) { ranks8_allowed = !wide; }

bool subset_data_build(const kernel_data *data, const tidset *occ, const uint8_t *keep,
                       arena *scratch, kernel_data *out, tidset *every)
{
    uint32_t n = data->item_count;
    uint32_t baskets = (uint32_t)occ->count;
    uint16_t words = container_words_for(baskets);
    const uint64_t *offsets = data->tx_offsets;
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
    /* A byte a rank where they fit: the items were most of a projection's
     * memory (mushroom 406: 217 of the 300 KB the walk held at most). */
    bool narrow = ranks8_allowed && n <= KERNEL_RANKS8_ITEMS;
    void *local_items =
        arena_alloc_array(scratch, room ? room : 1, narrow ? sizeof(uint8_t) : sizeof(uint32_t));
    /* One column per kept item, and one more that every other item writes
     * to and nothing reads: the pass below then sets bits without a branch. */
    uint64_t *bits = arena_alloc_array(scratch, ((size_t)rows + 1) * words, sizeof *bits);
    if (!local_items || !bits)
        return false;
    memset(bits, 0, ((size_t)rows + 1) * words * sizeof *bits);
    uint64_t *discard = bits + (size_t)rows * words;
    for (uint32_t r = 0, row = 0; r < n; r++)
        column_of[r] = keep[r] ? bits + (size_t)row++ * words : discard;

    /* Specialised by the widths: ranks read from the run's data (4 bytes)
     * or a projection (the width it chose), written at this one's. */
    if (data->tx_ranks8)
        project_baskets(NULL, data->tx_ranks8, offsets, keep, column_of, baskets, local_offsets,
                        NULL, local_items);
    else if (narrow)
        project_baskets(data->tx_items, NULL, offsets, keep, column_of, baskets, local_offsets,
                        NULL, local_items);
    else
        project_baskets(data->tx_items, NULL, offsets, keep, column_of, baskets, local_offsets,
                        local_items, NULL);

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

    memset(out, 0, sizeof *out);
    out->item_count = n;
    out->item_support = support;
    out->tx_count = baskets;
    out->tx_offsets = local_offsets;
    out->tx_items = narrow ? NULL : local_items;
    out->tx_ranks8 = narrow ? local_items : NULL;
    out->shard_count = 1;
    out->vertical = columns;
    every->count = baskets;
    every->parts = every_part;
    return true;
}
