/*
 * Building the reduced databases of closed_reduced.c: a branch's from its
 * baskets in the data, a node's smaller one from its baskets in the current
 * database, identical baskets merged through a hash table of their items.
 */
#include <string.h>

#include "closed_reduced_walk.h"

static uint64_t hash_items(const uint32_t *items, uint32_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ items[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

/* a = a ∩ b, both ascending. @return the new length of a. A merge that
 * steps with selects, not branches: which side steps is a coin toss. */
static uint32_t intersect_in_place(uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb)
{
    uint32_t i = 0, j = 0, kept = 0;
    while (i < na && j < nb) {
        uint32_t x = a[i], y = b[j];
        a[kept] = x;
        kept += x == y;
        i += x <= y;
        j += y <= x;
    }
    return kept;
}

/* @return how many of `n` baskets a database with extensions below `pivot`
 * can keep: a basket is kept only with an extension, and when merging on the
 * extensions alone (not `whole`), only with a set of them no kept basket has.
 * The branches of the most frequent items have the most baskets and the
 * fewest extensions (retail-long 70 closed: 12,554 baskets, one extension,
 * one basket kept). */
static uint64_t kept_bound(uint64_t n, uint32_t pivot, bool whole)
{
    if (!whole && pivot < 64 && ((uint64_t)1 << pivot) - 1 < n)
        return ((uint64_t)1 << pivot) - 1;
    return n;
}

/* Room for a database of `n` baskets and `capacity` items in all, over
 * `locals` local ids, extensions below `pivot`, with its merge table: for
 * the baskets it can keep (kept_bound()), each with a header and an
 * END_OF_BASKET, and for the next basket's items, written before
 * db_insert() decides. Only what is written is touched, but what is asked
 * for decides whether the arena takes a new chunk. @return false when the
 * arena is exhausted. */
static bool db_start(reduced_db *db, uint32_t pivot, uint32_t locals, bool whole, uint64_t n,
                     uint64_t capacity, arena *scratch, uint32_t **table, uint64_t *table_size)
{
    uint64_t baskets = kept_bound(n, pivot, whole);
    uint64_t room = capacity + n * (BASKET_HEADER + 1) + 1;
    uint64_t each = (uint64_t)locals + BASKET_HEADER + 1;
    if ((baskets + 1) * each < room)
        room = (baskets + 1) * each;
    db->pivot = pivot;
    *table_size = 16;
    while (*table_size < 2 * baskets)
        *table_size *= 2;
    db->count = 0;
    db->basket = arena_alloc_array(scratch, baskets ? baskets : 1, sizeof *db->basket);
    db->items = arena_alloc_array(scratch, room, sizeof *db->items);
    *table = arena_alloc_array(scratch, *table_size, sizeof **table);
    if (!db->basket || !db->items || !*table)
        return false;
    memset(*table, 0, *table_size * sizeof **table);
    return true;
}

/* @return where db_insert() wants the items of the next basket written. */
static uint32_t *db_next_items(const reduced_db *db, uint64_t fill)
{
    return db->items + fill + BASKET_HEADER;
}

/* Adds the basket just written at db_next_items() (`length` items, the
 * first `extension` of them extensions) with `weight`: merged into the basket
 * with the same extensions (and, when `whole`, the same witnesses) if there
 * is one, else kept (advancing *fill past its header, its items and its
 * END_OF_BASKET). The table holds baskets' positions, never 0 (a header comes
 * first), so 0 marks an empty slot. @return the position of the basket kept,
 * or 0 when it was merged. */
static uint32_t db_insert(reduced_db *db, uint32_t *table, uint64_t table_size, uint64_t *fill,
                          uint32_t length, uint32_t extension, bool whole, uint32_t weight)
{
    uint32_t *out = db_next_items(db, *fill);
    uint32_t key = whole ? length : extension;
    uint64_t h = hash_items(out, key) & (table_size - 1);
    for (;; h = (h + 1) & (table_size - 1)) {
        if (table[h] == 0) {
            uint32_t b = (uint32_t)(*fill + BASKET_HEADER);
            table[h] = b;
            db->basket[db->count++] = b;
            out[-HEADER_WEIGHT] = weight;
            out[-HEADER_LENGTH] = length;
            out[-HEADER_EXTENSION] = extension;
            out[-HEADER_ROW] = NO_ROW;
            out[length] = END_OF_BASKET;
            *fill = b + length + 1;
            return b;
        }
        uint32_t *items = db->items + table[h];
        uint32_t kept = items[-HEADER_LENGTH];
        if (items[-HEADER_EXTENSION] == extension && (!whole || kept == length) &&
            memcmp(items, out, key * sizeof *out) == 0) {
            items[-HEADER_WEIGHT] += weight;
            kept = extension + intersect_in_place(items + extension, kept - extension,
                                                  out + extension, length - extension);
            items[-HEADER_LENGTH] = kept;
            items[kept] = END_OF_BASKET;
            return 0;
        }
    }
}

/* Gives the bit rows to the database's long baskets (see reduced_db), over
 * `locals` local ids. @return false when the arena is exhausted. */
static bool db_add_rows(reduced_db *db, uint32_t locals, arena *scratch)
{
    db->row_words = (locals + 63) / 64;
    uint32_t rows = 0;
    for (uint32_t k = 0; k < db->count; k++)
        rows += basket_length(db, db->basket[k]) >= 2 * db->row_words;
    db->bits = arena_alloc_array(scratch, (uint64_t)rows * db->row_words + 1, sizeof *db->bits);
    if (!db->bits)
        return false;
    memset(db->bits, 0, ((uint64_t)rows * db->row_words + 1) * sizeof *db->bits);
    rows = 0;
    for (uint32_t k = 0; k < db->count; k++) {
        uint32_t *items = db->items + db->basket[k];
        uint32_t length = items[-HEADER_LENGTH];
        if (length < 2 * db->row_words)
            continue; /* NO_ROW, from db_insert() */
        uint64_t *bits = db->bits + (uint64_t)rows * db->row_words;
        items[-HEADER_ROW] = rows++;
        for (uint32_t p = 0; p < length; p++)
            bits[items[p] / 64] |= 1ull << (items[p] % 64);
    }
    return true;
}

/* Occurrence delivery while a database is built: hands the basket just kept
 * at position b of db to the bucket of each of its extension items, while
 * its items are at hand. The buckets of the extension items must start out
 * empty (bucket_end[] = bucket[]); merged baskets need no delivery (a
 * database's counts are known before it is built). */
static void deliver_kept(reduced_walk *walk, const reduced_db *db, uint32_t b)
{
    const uint32_t *items = db->items + b;
    for (uint32_t p = 0, extension = basket_extension(db, b); p < extension; p++)
        *walk->bucket_end[items[p]]++ = b;
}

/* Appends to out[length ..] the local ids (branch->slot) of the ranks from
 * *p on below `below`, up to end, leaving *p at the first one not read.
 * @return the new length. No branch on a rank left out (which one is, is a
 * coin toss): it is written and then overwritten, at worst where the
 * basket's END_OF_BASKET goes. */
static inline uint32_t map_ranks(const int32_t *slot, const uint32_t *ranks, uint64_t *p,
                                 uint64_t end, uint32_t below, uint32_t *out, uint32_t length)
{
    uint64_t q = *p;
    for (; q < end && ranks[q] < below; q++) {
        int32_t local = slot[ranks[q]];
        out[length] = (uint32_t)local;
        length += local >= 0;
    }
    *p = q;
    return length;
}

/* Builds the branch's database from the `n` baskets of span, the baskets of
 * rank `item`, whose items map to local ids through branch->slot (-1: left
 * out); items below `pivot` (the local ids of ranks below item) are
 * extensions, delivered as deliver_kept() does. `capacity` bounds the items
 * kept. @return false when the arena is exhausted. */
bool reduced_db_build(reduced_walk *walk, const basket_span *span, uint64_t n, uint32_t item,
                      uint32_t pivot, uint64_t capacity)
{
    const closed_reduced_branch *branch = walk->branch;
    const kernel_data *data = branch->data;
    reduced_db *db = &walk->db;
    uint32_t *table;
    uint64_t table_size, fill = 0;
    if (!db_start(db, pivot, walk->locals, branch->maximal, n, capacity, branch->scratch, &table,
                  &table_size))
        return false;
    /* No rank above the highest kept one (rank_of is sorted) is kept: a
     * basket's tail above it is not read. */
    uint32_t above_kept = walk->rank_of[walk->locals - 1] + 1;
    for (uint64_t k = 0; k < n; k++) {
        if (k + CLOSED_REDUCED_PREFETCH < n)
            prefetch_basket(data, &span[k + CLOSED_REDUCED_PREFETCH]);
        uint32_t *out = db_next_items(db, fill);
        /* Ranks ascend in a basket, so its extensions lead it, up to `item`:
         * a basket with none kept is dropped before the rest is read. */
        uint64_t p = span[k].begin;
        uint32_t length = map_ranks(branch->slot, data->tx_items, &p, span[k].end, item, out, 0);
        uint32_t extension = length;
        if (extension == 0)
            continue;
        length = map_ranks(branch->slot, data->tx_items, &p, span[k].end, above_kept, out, length);
        uint32_t b = db_insert(db, table, table_size, &fill, length, extension, branch->maximal, 1);
        if (b)
            deliver_kept(walk, db, b);
    }
    return db_add_rows(db, walk->locals, branch->scratch);
}

/* Rebuilds the database of node X (reached by x, baskets occ[0 .. n) of the
 * current database) into *out: only the items counted at least min_count
 * times in them (walk->count still holds the counts), extensions below x,
 * delivered as deliver_kept() does. @return false when the arena is
 * exhausted. */
bool reduced_db_rebuild(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                        uint64_t capacity, reduced_db *out)
{
    const reduced_db *db = &walk->db;
    uint64_t min_count = walk->branch->min_count;
    uint32_t *table;
    uint64_t table_size, fill = 0;
    if (!db_start(out, x, walk->locals, walk->branch->maximal, n, capacity, walk->branch->scratch,
                  &table, &table_size))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = occ[i];
        const uint32_t *items = db->items + b;
        uint32_t *kept = db_next_items(out, fill);
        uint32_t length = 0, extension = 0;
        for (uint32_t p = 0, end = basket_length(db, b); p < end; p++) {
            uint32_t y = items[p];
            if (walk->count[y] < min_count || walk->in_itemset[y])
                continue;
            kept[length++] = y;
            extension += y < x;
        }
        uint32_t kept_at;
        if (extension > 0 && (kept_at = db_insert(out, table, table_size, &fill, length, extension,
                                                  walk->branch->maximal, basket_weight(db, b))))
            deliver_kept(walk, out, kept_at);
    }
    return db_add_rows(out, walk->locals, walk->branch->scratch);
}