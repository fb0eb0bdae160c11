/*
 * Closure checks for the closed and maximal targets; see closure.h.
 *
 * Both walk the baskets of an occurrence set through the horizontal form: a
 * tidset tells which baskets, the CSR tells what is in them. Baskets keep
 * their ranks ascending, so the items above `above` are each basket's tail.
 */
#include <string.h>

#include "closure.h"
#include "base/sort_u32.h"

/* closure_has_item_above() over many items filters its candidates through
 * occ's baskets until at most this many are left, then tests them vertically. */
#define CLOSURE_VERTICAL_CANDIDATES 2u
/* ... or it has read this many baskets: candidates that survive so many are
 * likely in the closure, and the vertical test stops at the first one that
 * is, where reading every basket would not. */
#define CLOSURE_FILTER_BASKETS 8u
/* A first basket with more items than this above `above` makes it look for a
 * shorter one among the next few to take the candidates from. */
#define CLOSURE_LONG_TAIL 16u

/* Keeps the entries of candidates[0 .. n) (ascending) that are also in
 * sorted[0 .. m) (ascending). A few candidates against a long basket tail
 * (the usual case once the shortest tail seeded them) are each looked up by
 * binary search, bounded below by the previous one's place; many go by a
 * merge. @return the new n. */
static uint32_t keep_found(uint32_t *candidates, uint32_t n, const uint32_t *sorted, uint64_t m)
{
    uint32_t kept = 0;
    uint64_t j = 0;
    if ((uint64_t)n * 8u < m) {
        for (uint32_t i = 0; i < n; i++) {
            uint32_t value = candidates[i];
            uint64_t high = m;
            while (j < high) {
                uint64_t middle = j + (high - j) / 2;
                if (sorted[middle] < value)
                    j = middle + 1;
                else
                    high = middle;
            }
            if (j == m)
                break;
            if (sorted[j] == value)
                candidates[kept++] = value;
        }
        return kept;
    }
    for (uint32_t i = 0; i < n && j < m; i++) {
        uint32_t value = candidates[i];
        while (j < m && sorted[j] < value)
            j++;
        if (j < m && sorted[j] == value)
            candidates[kept++] = value;
    }
    return kept;
}

/* @return the first position in basket `tx` holding a rank above `above`. */
static uint64_t basket_tail(const kernel_data *data, uint64_t tx, uint32_t above)
{
    uint64_t begin = data->tx_offsets[tx], end = data->tx_offsets[tx + 1];
    const uint32_t *items = data->tx_items;
    while (begin < end) {
        uint64_t middle = begin + (end - begin) / 2;
        if (items[middle] <= above)
            begin = middle + 1;
        else
            end = middle;
    }
    return begin;
}

/* @return true when occ is inside the tidset of item r, shard by shard. */
static bool occ_inside_item(const kernel_data *data, const tidset *occ, uint32_t r)
{
    if (data->item_support[r] < occ->count)
        return false;
    const container *column = data->vertical + (size_t)r * data->shard_count;
    /* Most tests fail: a word of the middle of each bitmap pair, inline,
     * answers many of them without the call. */
    for (uint32_t s = 0; s < data->shard_count; s++) {
        const container *a = &occ->parts[s], *b = &column[s];
        if (a->kind == CONTAINER_BITMAP && b->kind == CONTAINER_BITMAP) {
            uint32_t w = a->words / 2u;
            if (a->u.bits[w] & ~b->u.bits[w])
                return false;
        }
    }
    for (uint32_t s = 0; s < data->shard_count; s++)
        if (!container_is_subset(&occ->parts[s], &column[s]))
            return false;
    return true;
}

/* Up to this many ranks, closure_has_item_above keeps its candidates in a
 * bit mask on the stack: the basket filter becomes a few ANDs. */
#define CLOSURE_MASK_WORDS 4u
/* Projections in bytes (tx_ranks8) have no tx_items: the masked path reads them. */
_Static_assert(CLOSURE_MASK_WORDS * 64u >= KERNEL_RANKS8_ITEMS, "tx_ranks8 takes the masked path");

/* @return the last basket of a non-empty tidset. */
static uint64_t last_basket(const kernel_data *data, const tidset *occ)
{
    for (uint32_t s = data->shard_count; s-- > 0;) {
        const container *c = &occ->parts[s];
        if (c->cardinality == 0)
            continue;
        uint64_t base = (uint64_t)s * SHARD_BASKETS;
        if (c->kind == CONTAINER_ARRAY)
            return base + c->u.array[c->cardinality - 1];
        for (uint32_t w = c->words; w-- > 0;)
            if (c->u.bits[w])
                return base + (uint64_t)w * 64u + 63u - (uint32_t)__builtin_clzll(c->u.bits[w]);
    }
    return 0;
}

/* Sets the bits of basket tx's items above `above` in mask[] (its tail,
 * read backwards), its ranks in tx_items or, in a projection, tx_ranks8. */
static inline __attribute__((always_inline)) void
add_tail_above(const kernel_data *data, uint64_t tx, uint32_t above, uint64_t *mask)
{
    uint64_t begin = data->tx_offsets[tx], k = data->tx_offsets[tx + 1];
    if (data->tx_ranks8)
        for (uint32_t r; k > begin && (r = data->tx_ranks8[k - 1]) > above; k--)
            mask[r >> 6] |= (uint64_t)1 << (r & 63u);
    else
        for (uint32_t r; k > begin && (r = data->tx_items[k - 1]) > above; k--)
            mask[r >> 6] |= (uint64_t)1 << (r & 63u);
}

/* closure_has_item_above for item_count <= 64 * CLOSURE_MASK_WORDS. */
static bool has_item_above_masked(const kernel_data *data, const tidset *occ,
                                  const uint32_t *items, uint32_t size, uint32_t above)
{
    uint64_t candidates[CLOSURE_MASK_WORDS] = {0}, basket[CLOSURE_MASK_WORDS];
    const uint32_t words = (data->item_count + 63u) / 64u;
    tidset_cursor cursor;
    tidset_cursor_start(&cursor, data, occ);
    uint64_t tx;
    if (!tidset_cursor_next(&cursor, &tx))
        return false;
    /* The first basket's items above `above`... */
    add_tail_above(data, tx, above, candidates);
    /* ... that are not in Q ... */
    for (uint32_t i = 0; i < size; i++)
        candidates[items[i] >> 6] &= ~((uint64_t)1 << (items[i] & 63u));
    uint64_t any = 0;
    for (uint32_t w = 0; w < words; w++)
        any |= candidates[w];
    /* ... and in the last basket (far from the first: neighbours tend to be
     * alike) ... */
    if (any && occ->count > 1) {
        uint64_t last = last_basket(data, occ);
        memset(basket, 0, sizeof basket);
        add_tail_above(data, last, above, basket);
        any = 0;
        for (uint32_t w = 0; w < words; w++)
            any |= candidates[w] &= basket[w];
    }
    if (!any)
        return false;
    if (occ->count <= 2)
        return true; /* every basket was read: the survivors are in all */
    /* The survivors, tested vertically. Filtering through more baskets costs
     * more than it saves (measured on chess and mushroom). */
    for (uint32_t w = 0; w < words; w++)
        for (uint64_t bits = candidates[w]; bits; bits &= bits - 1)
            if (occ_inside_item(data, occ, w * 64u + (uint32_t)__builtin_ctzll(bits)))
                return true;
    return false;
}

bool closure_has_item_above(const kernel_data *data, const tidset *occ, const uint32_t *items,
                            uint32_t size, uint32_t above, arena *scratch)
{
    if (occ->count == 0 || above + 1 >= data->item_count)
        return false;
    if (data->item_count <= 64u * CLOSURE_MASK_WORDS)
        return has_item_above_masked(data, occ, items, size, above);
    arena_mark mark = arena_save(scratch);
    bool found = false;

    /* Q's items above `above`, sorted, to leave out of the candidates. */
    uint32_t *q = arena_alloc_array(scratch, size ? size : 1, sizeof *q);
    if (!q)
        goto fallback;
    uint32_t q_size = 0;
    for (uint32_t i = 0; i < size; i++)
        if (items[i] > above)
            q[q_size++] = items[i];
    sort_u32(q, q_size);

    /* The candidates come from the tail above `above` of one of occ's first
     * baskets: the first one, unless it is long, when the next few are read
     * for a shorter one. On sparse data with some long baskets (click
     * streams) one tail may hold a hundred items where another holds none,
     * which settles the check at once. */
    uint64_t tail_begin[CLOSURE_FILTER_BASKETS], tail_end[CLOSURE_FILTER_BASKETS];
    uint32_t seen = 0, shortest = 0;
    tidset_cursor cursor;
    tidset_cursor_start(&cursor, data, occ);
    uint64_t tx;
    while (seen < CLOSURE_FILTER_BASKETS &&
           (seen == 0 || tail_end[shortest] - tail_begin[shortest] > CLOSURE_LONG_TAIL) &&
           tidset_cursor_next(&cursor, &tx)) {
        tail_begin[seen] = basket_tail(data, tx, above);
        tail_end[seen] = data->tx_offsets[tx + 1];
        if (tail_end[seen] - tail_begin[seen] < tail_end[shortest] - tail_begin[shortest])
            shortest = seen;
        seen++;
    }
    if (seen == 0 || tail_end[shortest] == tail_begin[shortest])
        goto done; /* a basket with no item above: nothing is in all */
    uint64_t begin = tail_begin[shortest], end = tail_end[shortest];
    uint32_t *candidates = arena_alloc_array(scratch, end - begin, sizeof *candidates);
    if (!candidates)
        goto fallback;
    uint32_t n = 0, qi = 0;
    for (uint64_t k = begin; k < end; k++) {
        uint32_t r = data->tx_items[k];
        while (qi < q_size && q[qi] < r)
            qi++;
        if (qi < q_size && q[qi] == r)
            continue;
        candidates[n++] = r;
    }

    /* Thin them out with the other tails read, then with more baskets while
     * more than a few are left: on sparse data a vertical test (galloping
     * through an item's basket list) costs far more than searching one
     * basket's tail. */
    for (uint32_t b = 0; b < seen && n > 0; b++)
        if (b != shortest)
            n = keep_found(candidates, n, data->tx_items + tail_begin[b],
                           tail_end[b] - tail_begin[b]);
    while (n > CLOSURE_VERTICAL_CANDIDATES && seen < CLOSURE_FILTER_BASKETS &&
           tidset_cursor_next(&cursor, &tx)) {
        uint64_t from = basket_tail(data, tx, above), to = data->tx_offsets[tx + 1];
        n = keep_found(candidates, n, data->tx_items + from, to - from);
        seen++;
    }
    if (n > 0 && seen == occ->count) {
        found = true; /* every basket was read: the survivors are in all */
        goto done;
    }
    /* The survivors: is occ inside the item's tidset, shard by shard? */
    for (uint32_t i = 0; i < n && !found; i++)
        found = occ_inside_item(data, occ, candidates[i]);
    goto done;

fallback:
    /* The arena is exhausted: test every item above vertically (no memory). */
    arena_restore(scratch, mark);
    for (uint32_t r = above + 1; r < data->item_count && !found; r++) {
        bool in_q = false;
        for (uint32_t i = 0; i < size && !in_q; i++)
            in_q = items[i] == r;
        if (!in_q)
            found = occ_inside_item(data, occ, r);
    }
done:
    arena_restore(scratch, mark);
    return found;
}

/* The vertical way: an item above, not in Q, whose tidset meets occ in
 * min_count baskets. Needs no memory; used when counters cannot be had. */
static bool frequent_above_vertical(const kernel_data *data, const tidset *occ,
                                    const uint32_t *items, uint32_t size, uint32_t above,
                                    uint64_t min_count)
{
    for (uint32_t r = above + 1; r < data->item_count; r++) {
        if (data->item_support[r] < min_count)
            continue;
        bool in_q = false;
        for (uint32_t i = 0; i < size && !in_q; i++)
            in_q = items[i] == r;
        if (in_q)
            continue;
        tidset column = {data->item_support[r],
                         (container *)(data->vertical + (size_t)r * data->shard_count)};
        if (tidset_intersect_count_min(data, occ, &column, min_count) >= min_count)
            return true;
    }
    return false;
}

bool closure_has_frequent_item_above(const kernel_data *data, const tidset *occ,
                                     const uint32_t *items, uint32_t size, uint32_t above,
                                     uint64_t min_count, arena *scratch)
{
    if (min_count == 0)
        min_count = 1;
    if (occ->count < min_count || above + 1 >= data->item_count)
        return false;
    uint32_t range = data->item_count - above - 1;
    /* The counting below reads tx_items, which a projection may lack. */
    if (min_count >= UINT32_MAX || data->tx_items == NULL)
        return frequent_above_vertical(data, occ, items, size, above, min_count);
    /* Horizontal counting reads occ's baskets once; the vertical way costs an
     * intersection (with early abort) per item above. Dense data with few
     * items favours the latter by far. */
    uint64_t words = 0;
    for (uint32_t s = 0; s < data->shard_count; s++)
        words += data->vertical[s].words;
    double horizontal = (double)occ->count * (double)data->tx_offsets[data->tx_count] /
                        (double)(data->tx_count ? data->tx_count : 1);
    double vertical = (double)range * (double)(8 + (occ->count < words ? occ->count : words));
    if (vertical < horizontal)
        return frequent_above_vertical(data, occ, items, size, above, min_count);
    arena_mark mark = arena_save(scratch);
    uint32_t *counters = arena_alloc_array(scratch, range, sizeof *counters);
    if (!counters) {
        arena_restore(scratch, mark);
        return frequent_above_vertical(data, occ, items, size, above, min_count);
    }
    /* counters[r - above - 1] counts item r; Q's items are parked at
     * UINT32_MAX, which the loop below never increments. Many items above and
     * few baskets (sparse data): zero only the counters the baskets touch, in
     * a first pass over them, rather than all of them. */
    if ((double)range > 2.0 * horizontal) {
        tidset_cursor zeroing;
        tidset_cursor_start(&zeroing, data, occ);
        uint64_t t;
        while (tidset_cursor_next(&zeroing, &t))
            for (uint64_t k = data->tx_offsets[t + 1]; k > data->tx_offsets[t]; k--) {
                uint32_t r = data->tx_items[k - 1];
                if (r <= above)
                    break;
                counters[r - above - 1] = 0;
            }
    } else {
        memset(counters, 0, (size_t)range * sizeof *counters);
    }
    for (uint32_t i = 0; i < size; i++)
        if (items[i] > above)
            counters[items[i] - above - 1] = UINT32_MAX;

    bool found = false;
    uint32_t threshold = (uint32_t)min_count;
    tidset_cursor cursor;
    tidset_cursor_start(&cursor, data, occ);
    uint64_t tx;
    const uint32_t *tx_items = data->tx_items;
    while (!found && tidset_cursor_next(&cursor, &tx)) {
        uint64_t end = data->tx_offsets[tx + 1];
        /* The tail above `above`, read backwards: it stops at the first rank
         * at or below, without a search. */
        for (uint64_t k = end; k > data->tx_offsets[tx]; k--) {
            uint32_t r = tx_items[k - 1];
            if (r <= above)
                break;
            uint32_t *counter = &counters[r - above - 1];
            if (*counter != UINT32_MAX && ++*counter >= threshold) {
                found = true;
                break;
            }
        }
    }
    arena_restore(scratch, mark);
    return found;
}
