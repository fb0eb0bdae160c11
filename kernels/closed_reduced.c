/*
 * Closed mining of one top-level branch over its reduced conditional
 * database; see closed_reduced.h.
 *
 * The branch of item e holds the itemsets whose greatest rank is e. Its
 * database: every basket holding e, with only the items that occur in at
 * least min_count of those baskets (no other item can be in a frequent
 * itemset of the branch, nor in the closure of one), recoded to dense local
 * ids in rank order. An item below e is an extension (the walk may add it),
 * an item above e is only ever a witness that some itemset is not closed.
 * Baskets with no extension item are dropped (no itemset below the branch's
 * root reaches them), and baskets with the same extension items are merged
 * into one with a weight: the itemsets of the branch contain either all or
 * none of a merged group, so counts stay exact, and the merged basket keeps
 * the intersection of its parts' witness items, which is exactly the set of
 * witnesses present in all of them (LCM ver. 2's reduction).
 *
 * A node X, reached by adding extension item x, is visited with the merged
 * baskets holding X. An item above x in all of them means X's closure adds
 * an item above x, so X is not closed and neither is anything grown from it
 * (the prefix-preserving closure argument of closure.h). Otherwise one pass
 * hands every basket to a bucket per item below x in it and counts those
 * items (LCM's occurrence delivery): items in all of them join X (its
 * closure); items in at least min_count are X's children, walked with their
 * buckets.
 *
 * The maximal target walks the same nodes and reports a node only when it is
 * a leaf (no child, so no item below x extends it frequently) and no item
 * above x does either. It walks a node's children from the highest item down
 * and keeps the maximal sets found in the branch in a repository (FPmax's
 * MFI-tree): by the argument of maximal_confirmed() in eclat.c, a maximal
 * superset of a leaf that adds an extension item was found before, so a leaf
 * the repository does not cover needs one count over its baskets of the
 * witness items only (above e), and a node whose itemset with all its
 * candidates the repository covers has no maximal set below it. A node
 * with only a few of its parent's candidates below x takes their baskets by
 * intersecting its own with the parent's lists of them (Eclat's way), which
 * reads no item of the baskets. With a max_size bound larger sets are not
 * reported, so the count reads every item above x. For the counts to be
 * exact, this target merges only identical baskets (witnesses included), so
 * every count in every database is exact, and an item left out of one
 * (infrequent in its node's baskets) is infrequent with every itemset below.
 * Every maximal itemset is a closed leaf of its branch, so none is missed,
 * and the check needs nothing outside the branch: any thread may walk any
 * branch, in any order.
 *
 * Working memory is the branch's arena, restored on the way back up: a node
 * needs its candidates and their basket lists, both bounded by its baskets'
 * lengths, so the depth-first walk keeps one path's worth.
 */
#include <string.h>

#include "closed_reduced.h"
#include "base/sort_u32.h"

/* Sparse enough for the reduced databases: average basket length over
 * frequent items below this fraction of the items. */
#define CLOSED_REDUCED_MAX_DENSITY 0.05

/* A node rebuilds its database when the items kept would be fewer than
 * 1 / this of the items its count read. */
#define CLOSED_REDUCED_REBUILD 2u

/* ... and it has at least this many candidates ... */
#define CLOSED_REDUCED_REBUILD_CHILDREN 16u

/* ... and its merged baskets hold this many items on average: on shorter ones
 * the children's delivery costs less than the rebuild (T10I4D100K 10 closed:
 * 2.32 G instructions rebuilding, 2.10 G not), while retail-long's long
 * baskets still gain from it. */
#define CLOSED_REDUCED_REBUILD_LENGTH 32u

/* has_item_above() seeds its candidates from the shortest of this many
 * baskets. */
#define CLOSED_REDUCED_SEED_BASKETS 8u

/* sort_kept() scans the tallies when at least 1 / this of the items are kept. */
#define CLOSED_REDUCED_SCAN_DENSITY 8u

/* The roots' counts come from a table of every pair's count when the tables
 * of all threads take at most this many bytes, and no more than 4 bytes an
 * occurrence of the data: a larger table costs more memory than the count
 * passes it saves cost time (retail-long 70: +4 MB peak, no faster). */
#define CLOSED_REDUCED_PAIR_BYTES (32u << 20)

/* A maximal node delivers by intersecting its baskets with its parent's
 * candidates' when it has at most this many of them below it (retail-long 70
 * maximal: 12.46, 12.35, 12.48 G instructions at 6, 16, 32) ... */
#define CLOSED_REDUCED_INTERSECT_MAX 16u

/* ... and their lists hold at most this many baskets per basket of its own:
 * on retail 5 (min count 5, short baskets) long lists against a few short
 * baskets cost more than the delivery (maximal 1.93 G instructions reading
 * the baskets, 2.08 G without this bound, 1.89 / 1.90 G at 6 / 10;
 * retail-long 70 12.54 / 12.31 G). */
#define CLOSED_REDUCED_INTERSECT_LISTS 10u

/* How many baskets ahead the root's passes over the data prefetch one. */
#define CLOSED_REDUCED_PREFETCH 8u

static int forced_mode = -1, forced_pairs = -1, forced_intersection = -1;

void closed_reduced__force(int mode) { forced_mode = mode; }

void closed_reduced__force_intersection(int mode) { forced_intersection = mode; }

void closed_reduced__force_pairs(int mode) { forced_pairs = mode; }

/* Merged baskets over local ids, ascending inside a basket: extension items
 * (local id < pivot) first, then witness items, then END_OF_BASKET, which is
 * above every item: a scan of the items below x stops at the first item not
 * below x alone, with no bound to load or test. A basket whose items take at
 * least twice the room of a bit per local id also has its items as a bit row,
 * so has_item_above() tests a candidate in it in one step instead of a search
 * (click streams: merged baskets of 16 to 250 items).
 *
 * A basket is named by the position of its first item in items[], and its
 * header is the BASKET_HEADER words before that: a pass over a list of
 * baskets finds a basket's weight and items in one place, where side arrays
 * indexed by basket cost a cache miss each on the way (T10I4D100K 10 closed:
 * delivery waited on them more than on the items). Positions fit 32 bits:
 * closed_reduced_suits() takes no data whose every basket with its header
 * would not. */
typedef struct reduced_db {
    uint32_t count;
    uint32_t *basket; /* each basket's position, in the order kept */
    uint32_t pivot;   /* the branch's pivot, or the item of the node that rebuilt it */
    uint32_t *items;
    uint64_t *bits; /* row_words words a row */
    uint32_t row_words;
} reduced_db;

/* The header, counted back from a basket's first item. */
enum {
    HEADER_WEIGHT = 1,    /* original baskets merged into it */
    HEADER_LENGTH = 2,    /* its items */
    HEADER_EXTENSION = 3, /* its items below `pivot` */
    HEADER_ROW = 4,       /* its bit row in bits[], or NO_ROW */
    BASKET_HEADER = 4
};

#define NO_ROW UINT32_MAX
#define END_OF_BASKET UINT32_MAX

static inline uint32_t basket_weight(const reduced_db *db, uint32_t b)
{
    return db->items[b - HEADER_WEIGHT];
}

static inline uint32_t basket_length(const reduced_db *db, uint32_t b)
{
    return db->items[b - HEADER_LENGTH];
}

static inline uint32_t basket_extension(const reduced_db *db, uint32_t b)
{
    return db->items[b - HEADER_EXTENSION];
}

static inline uint32_t basket_row(const reduced_db *db, uint32_t b)
{
    return db->items[b - HEADER_ROW];
}

/* @return the position just past db's last basket: no database rebuilt from
 * it reaches further (it keeps fewer baskets, of fewer items). */
static uint32_t db_end(const reduced_db *db)
{
    if (db->count == 0)
        return 0;
    uint32_t last = db->basket[db->count - 1];
    return last + basket_length(db, last) + 1;
}

/* @return basket b's bit in reduced_walk.basket_bits: a basket takes at
 * least BASKET_HEADER + 2 words (a header, an extension item and
 * END_OF_BASKET), so two baskets' positions differ in their quarters. A
 * dense ordinal in a fifth header word costs a load per basket tested
 * (retail-long 70 maximal: 13.26 G instructions against 13.00 G, the same
 * time). */
static inline uint32_t basket_mark(uint32_t b) { return b / 4; }

bool closed_reduced_suits(const kernel_data *data)
{
    /* A branch's database holds at most every basket, with its header and
     * END_OF_BASKET, and names them by 32-bit positions (see reduced_db). */
    uint64_t items = data->tx_offsets[data->tx_count];
    if (items + (uint64_t)data->tx_count * (BASKET_HEADER + 1) >= UINT32_MAX)
        return false;
    if (forced_mode >= 0)
        return forced_mode != CLOSED_REDUCED_FORCE_OFF;
    if (data->tx_count == 0 || data->item_count == 0)
        return false;
    double average = (double)items / (double)data->tx_count;
    return average < CLOSED_REDUCED_MAX_DENSITY * (double)data->item_count;
}

/* The candidates of a node: extension items, ascending, with their count
 * and their baskets, the first `baskets` of their bucket. */
typedef struct candidates {
    uint32_t count;
    uint32_t *item;
    uint64_t *support;
    uint32_t *baskets;
} candidates;

/* The candidates of a node's parent below the node's item, ascending: the
 * only items that can extend the node, as an item frequent in its baskets is
 * frequent in its parent's. MAXIMAL also has their baskets (copies of the
 * parent's buckets): item[k]'s are lists[start[k] .. start[k + 1]). */
typedef struct lower_candidates {
    uint32_t count;
    const uint32_t *item;
    const uint32_t *lists, *start; /* NULL for CLOSED */
} lower_candidates;

typedef struct reduced_walk {
    const closed_reduced_branch *branch;
    reduced_db db;
    const uint32_t *rank_of; /* local id -> rank */
    uint32_t locals;         /* local ids */
    uint32_t pivot;          /* local ids below it are extensions */
    /* Per local id; zero outside a pass. */
    uint64_t *count;
    uint8_t *in_itemset;
    uint64_t *itemset_bits; /* in_itemset as a bit row (as db.bits) */
    /* MAXIMAL: a bit per basket_mark() of the branch's database (no rebuilt
     * one reaches further), set for a node's baskets during
     * deliver_by_intersection() only. */
    uint64_t *basket_bits;
    uint32_t *touched; /* the local ids a count met, and room for one more */
    /* Occurrence delivery's buckets, per extension item: the merged baskets
     * of the current node's database holding the node's itemset and the
     * item are bucket[y] .. bucket_end[y]. Room for each is its basket count
     * in the branch's database (no rebuilt one holds more). Children are
     * walked in ascending order and a node delivers only to items below its
     * own, so a node never overwrites a bucket its ancestors still need: the
     * siblings yet to walk are all above it (LCM's reuse of the buckets).
     * MAXIMAL walks them descending, from copies (visit_candidates). Outside
     * a pass every bucket_end[y] is bucket[y]: the pass that fills a bucket
     * takes its length into delivered[y] (a candidate's into its `baskets`)
     * and empties it, so delivery starts no bucket and needs no branch to
     * tell an item's first basket from the others. */
    uint32_t **bucket, **bucket_end;
    uint32_t *delivered;
    uint32_t *above;   /* has_item_above()'s candidates */
    uint64_t *above_bits, *spare_bits; /* the same as bits: row_words words each */
    /* The itemset: ranks in branch->items, and the local ids of the items the
     * walk added (the root's items have none). */
    uint32_t size;
    uint32_t *local;
    uint32_t local_size;
    /* MAXIMAL: the entries of the repository holding the current node's
     * parent's itemset (progressive focusing, maximal_repository.h). */
    maximal_focus focus;
} reduced_walk;

static bool walk_stopped(const reduced_walk *walk)
{
    return kernel_output_stopped(walk->branch->output);
}

static void itemset_push(reduced_walk *walk, uint32_t local)
{
    walk->branch->items[walk->size++] = walk->rank_of[local];
    walk->local[walk->local_size++] = local;
    walk->in_itemset[local] = 1;
    walk->itemset_bits[local / 64] |= 1ull << (local % 64);
}

static void itemset_pop_to(reduced_walk *walk, uint32_t size, uint32_t local_size)
{
    while (walk->local_size > local_size) {
        uint32_t local = walk->local[--walk->local_size];
        walk->in_itemset[local] = 0;
        walk->itemset_bits[local / 64] &= ~(1ull << (local % 64));
    }
    walk->size = size;
}

static uint64_t hash_items(const uint32_t *items, uint32_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ items[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

/* a = a ∩ b, both ascending. @return the new length of a. */
static uint32_t intersect_in_place(uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb)
{
    uint32_t i = 0, j = 0, kept = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            a[kept++] = a[i++];
            j++;
        }
    }
    return kept;
}

/* Room for a database of at most `baskets` baskets and `capacity` items
 * (and a header and an END_OF_BASKET each), extensions below `pivot`, with
 * its merge table. @return false when the arena is exhausted. */
static bool db_start(reduced_db *db, uint32_t pivot, uint64_t baskets, uint64_t capacity,
                     arena *scratch, uint32_t **table, uint64_t *table_size)
{
    db->pivot = pivot;
    *table_size = 16;
    while (*table_size < 2 * baskets)
        *table_size *= 2;
    db->count = 0;
    db->basket = arena_alloc_array(scratch, baskets ? baskets : 1, sizeof *db->basket);
    db->items =
        arena_alloc_array(scratch, capacity + baskets * (BASKET_HEADER + 1) + 1, sizeof *db->items);
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

/* Where one basket of the data lies in data->tx_items. */
typedef struct basket_span {
    uint64_t begin, end;
} basket_span;

/* The spans of the baskets of occ, in the branch's arena. The baskets lie
 * anywhere in the data, and the root's passes over them wait on memory more
 * than they compute (T10I4D100K: a third of the cycles for a sixth of the
 * instructions), so this pass and theirs ask for the one
 * CLOSED_REDUCED_PREFETCH ahead. @return NULL when the arena is exhausted. */
static basket_span *gather_spans(const kernel_data *data, const tidset *occ, arena *scratch)
{
    basket_span *span = arena_alloc_array(scratch, occ->count ? occ->count : 1, sizeof *span);
    if (!span)
        return NULL;
    tidset_cursor cursor;
    tidset_cursor_start(&cursor, data, occ);
    uint64_t tx, n = 0;
    while (tidset_cursor_next(&cursor, &tx))
        span[n++].begin = tx;
    for (uint64_t k = 0; k < n; k++) {
        if (k + CLOSED_REDUCED_PREFETCH < n)
            __builtin_prefetch(data->tx_offsets + span[k + CLOSED_REDUCED_PREFETCH].begin);
        tx = span[k].begin;
        span[k] = (basket_span){data->tx_offsets[tx], data->tx_offsets[tx + 1]};
    }
    return span;
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
static bool build_db(reduced_walk *walk, const basket_span *span, uint64_t n, uint32_t item,
                     uint32_t pivot, uint64_t capacity)
{
    const closed_reduced_branch *branch = walk->branch;
    const kernel_data *data = branch->data;
    reduced_db *db = &walk->db;
    uint32_t *table;
    uint64_t table_size, fill = 0;
    if (!db_start(db, pivot, n, capacity, branch->scratch, &table, &table_size))
        return false;
    /* No rank above the highest kept one (rank_of is sorted) is kept: a
     * basket's tail above it is not read. */
    uint32_t above_kept = walk->rank_of[walk->locals - 1] + 1;
    for (uint64_t k = 0; k < n; k++) {
        if (k + CLOSED_REDUCED_PREFETCH < n)
            __builtin_prefetch(data->tx_items + span[k + CLOSED_REDUCED_PREFETCH].begin);
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
static bool reduce_db(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                      uint64_t capacity, reduced_db *out)
{
    const reduced_db *db = &walk->db;
    uint64_t min_count = walk->branch->min_count;
    uint32_t *table;
    uint64_t table_size, fill = 0;
    if (!db_start(out, x, n, capacity, walk->branch->scratch, &table, &table_size))
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

/* @return the first position of items[from .. n) (ascending) holding at
 * least `value`. */
static uint32_t first_at_least(const uint32_t *items, uint32_t from, uint32_t n, uint32_t value)
{
    /* Halving down to a few items, then a scan: most baskets are short, and
     * the scan's branch predicts better than the halving's. */
    while (n - from > 8) {
        uint32_t middle = from + (n - from) / 2;
        if (items[middle] < value)
            from = middle + 1;
        else
            n = middle;
    }
    while (from < n && items[from] < value)
        from++;
    return from;
}

/* @return word w of basket b's items as a bit row: from its row, or for a
 * basket without one from its items in the word's range. */
static uint64_t basket_word(const reduced_db *db, uint32_t b, uint32_t w)
{
    if (basket_row(db, b) != NO_ROW)
        return db->bits[(uint64_t)basket_row(db, b) * db->row_words + w];
    const uint32_t *items = db->items + b;
    uint32_t length = basket_length(db, b);
    uint64_t word = 0;
    for (uint32_t p = first_at_least(items, 0, length, w * 64); p < length && items[p] / 64 == w;
         p++)
        word |= 1ull << (items[p] % 64);
    return word;
}

/* has_item_above() when its seed basket has a bit row (so do the baskets
 * around it: long ones, many candidates): the candidates as a bit row, ANDed
 * with each basket a word at a time over the words that still hold one. Most
 * often one word soon holds all that are left (click streams: 30 M of 33 M
 * basket tests), and the loop goes on with that word alone (not when a test
 * forces rebuilding: then the word loop runs to the end, as it must on data
 * of more than 64 items, which the oracle's are not). */
static bool has_item_above_bits(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                                uint32_t seed)
{
    const reduced_db *db = &walk->db;
    uint64_t *mask = walk->above_bits, *spare = walk->spare_bits;
    uint32_t lo = (x + 1) / 64, hi = db->row_words;
    if (lo == hi)
        return false;
    const uint64_t *row = db->bits + (uint64_t)basket_row(db, occ[seed]) * db->row_words;
    uint64_t any = 0;
    for (uint32_t w = lo; w < hi; w++)
        mask[w] = row[w] & ~walk->itemset_bits[w];
    mask[lo] &= ~0ull << ((x + 1) % 64);
    for (uint32_t w = lo; w < hi; w++)
        any |= mask[w];
    if (any == 0)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        /* Some word of mask[lo .. hi) is not zero: trim the zero ends. */
        while (mask[lo] == 0)
            lo++;
        while (mask[hi - 1] == 0)
            hi--;
        if (hi - lo == 1 && forced_mode != CLOSED_REDUCED_FORCE_REBUILD) {
            uint64_t left = mask[lo];
            for (; i < n && left != 0; i++)
                if (i != seed)
                    left &= basket_word(db, occ[i], lo);
            return left != 0;
        }
        if (i == seed)
            continue;
        uint32_t b = occ[i];
        if (basket_row(db, b) != NO_ROW) {
            row = db->bits + (uint64_t)basket_row(db, b) * db->row_words;
        } else { /* a short basket: its items in the span as a row */
            memset(spare + lo, 0, (hi - lo) * sizeof *spare);
            const uint32_t *items = db->items + b;
            uint32_t length = basket_length(db, b);
            for (uint32_t p = first_at_least(items, 0, length, lo * 64);
                 p < length && items[p] < hi * 64; p++)
                spare[items[p] / 64] |= 1ull << (items[p] % 64);
            row = spare;
        }
        any = 0;
        for (uint32_t w = lo; w < hi; w++)
            any |= mask[w] &= row[w];
        if (any == 0)
            return false;
    }
    return true;
}

/* @return true when an item above x that is not in the itemset is in every
 * basket of occ[0 .. n): the itemset's closure then reaches above x. The
 * candidates are the items above x of the shortest of the first few baskets,
 * thinned basket by basket; on sparse data they are usually gone after two
 * or three baskets, so the check rarely reads far. A basket with a bit row
 * answers each candidate in one test; a few candidates against a long basket
 * without one are looked up by binary search rather than merged. */
static bool has_item_above(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n)
{
    const reduced_db *db = &walk->db;
    uint32_t *candidates = walk->above;
    uint32_t seed = 0, shortest = basket_length(db, occ[0]);
    for (uint32_t i = 1; i < n && i < CLOSED_REDUCED_SEED_BASKETS; i++) {
        uint32_t length = basket_length(db, occ[i]);
        bool shorter = length < shortest; /* a coin toss: selected, not branched on */
        seed = shorter ? i : seed;
        shortest = shorter ? length : shortest;
    }
    if (basket_row(db, occ[seed]) != NO_ROW)
        return has_item_above_bits(walk, x, occ, n, seed);
    const uint32_t *items = db->items + occ[seed];
    uint32_t length = basket_length(db, occ[seed]), left = 0;
    for (uint32_t p = first_at_least(items, 0, length, x + 1); p < length; p++)
        if (!walk->in_itemset[items[p]])
            candidates[left++] = items[p];
    for (uint32_t i = 0; i < n && left > 0; i++) {
        if (i == seed)
            continue;
        uint32_t kept = 0;
        if (basket_row(db, occ[i]) != NO_ROW) {
            const uint64_t *bits = db->bits + (uint64_t)basket_row(db, occ[i]) * db->row_words;
            for (uint32_t c = 0; c < left; c++) { /* no branch: the outcome is a coin toss */
                uint32_t y = candidates[c];
                candidates[kept] = y;
                kept += (uint32_t)(bits[y / 64] >> (y % 64) & 1);
            }
            left = kept;
            continue;
        }
        items = db->items + occ[i];
        length = basket_length(db, occ[i]);
        uint32_t p = first_at_least(items, 0, length, candidates[0]);
        bool search = length - p >= 64u && (uint64_t)left * 8u < length - p;
        for (uint32_t c = 0; c < left && p < length; c++) {
            if (search)
                p = first_at_least(items, p, length, candidates[c]);
            else
                while (p < length && items[p] < candidates[c])
                    p++;
            if (p < length && items[p] == candidates[c])
                candidates[kept++] = candidates[c];
        }
        left = kept;
    }
    return left > 0;
}

/* Counts, over the merged baskets occ[0 .. n), every item above x: its
 * weighted count, appending the items met first to walk->touched from
 * position `met`. @return the new `met`. Bounded by the baskets' items above
 * x. */
static uint32_t count_above(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                            uint32_t met)
{
    const reduced_db *db = &walk->db;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = occ[i];
        uint64_t weight = basket_weight(db, b);
        const uint32_t *items = db->items + b;
        uint32_t length = basket_length(db, b);
        for (uint32_t p = first_at_least(items, 0, length, x + 1); p < length; p++) {
            uint32_t y = items[p];
            if (walk->count[y] == 0)
                walk->touched[met++] = y;
            walk->count[y] += weight;
        }
    }
    return met;
}

static fimbit_status visit(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                           uint64_t support, const lower_candidates *lower);

/* Counts, over the merged baskets occ[0 .. n) (`support` original ones),
 * the items from local id `from` on as count_above() does, but stops at the
 * first one not in the itemset that reaches min_count, or as soon as none
 * can: the highest count so far plus the baskets left is below min_count
 * (near min_count, a few baskets without an item rule it out). @return true
 * when one did reach it: it extends the itemset frequently. */
static bool extended_above(reduced_walk *walk, uint32_t from, const uint32_t *occ, uint32_t n,
                           uint64_t support, uint32_t *met)
{
    const reduced_db *db = &walk->db;
    /* Locals: the compiler cannot tell the stores below from the walk's fields. */
    uint64_t *counts = walk->count;
    uint32_t *touched = walk->touched;
    const uint8_t *in_itemset = walk->in_itemset;
    uint64_t min_count = walk->branch->min_count;
    uint64_t highest = 0, left = support;
    size_t met_so_far = *met; /* as wide as a pointer: no extension before each store */
    for (uint32_t i = 0; i < n && highest + left >= min_count; i++) {
        uint32_t b = occ[i];
        uint64_t weight = basket_weight(db, b);
        const uint32_t *items = db->items + b;
        uint32_t length = basket_length(db, b);
        left -= weight;
        /* The items from db->pivot on follow its extensions: no search for them. */
        uint32_t p =
            from == db->pivot ? basket_extension(db, b) : first_at_least(items, 0, length, from);
        /* Most items are met once: no branch on that (touched has room for
         * one more than the local ids). */
        for (; p < length; p++) {
            uint32_t y = items[p];
            uint64_t seen = counts[y];
            touched[met_so_far] = y;
            met_so_far += seen == 0;
            uint64_t count = counts[y] = seen + weight;
            /* The rarer test first: an item seldom passes the highest. */
            if (count > highest && !in_itemset[y]) {
                if (count >= min_count) {
                    *met = (uint32_t)met_so_far;
                    return true;
                }
                highest = count;
            }
        }
    }
    *met = (uint32_t)met_so_far;
    return false;
}

/* MAXIMAL: the first local id a maximal candidate of a node of item x must
 * be checked against in its baskets: the witnesses, whose maximal sets lie in
 * other branches; every item above x when a max_size bound keeps larger sets
 * out of the repository (see the head comment). */
static uint32_t check_from(const reduced_walk *walk, uint32_t x)
{
    return walk->branch->max_size == UINT32_MAX ? walk->pivot : x + 1;
}

/* MAXIMAL: @return true when a set found before in the branch holds the
 * walk's itemset with extra[0 .. n): the itemset is not maximal, nor is
 * anything below it that adds only items of extra. The itemset's first
 * `inherited` local ids are its parent's, which walk->focus holds. */
static bool found_holds(reduced_walk *walk, uint32_t inherited, const uint32_t *extra, uint32_t n)
{
    uint32_t own = walk->local_size - inherited;
    const uint32_t *fresh = walk->local + inherited;
    if (n > 0) { /* one span: the node's own items, then extra */
        uint32_t *joined = arena_alloc_array(walk->branch->scratch, own + n, sizeof *joined);
        if (!joined)
            return false; /* not proven: the walk goes on and fails there */
        memcpy(joined, fresh, own * sizeof *joined);
        memcpy(joined + own, extra, n * sizeof *joined);
        fresh = joined;
    }
    return maximal_repository_covers(walk->branch->repository, &walk->focus, walk->local,
                                     inherited, fresh, own + n);
}

/* MAXIMAL: reports the walk's itemset and keeps it in the repository (its
 * local ids: the root's items are in every set of the branch). */
static fimbit_status maximal_report(reduced_walk *walk, uint64_t support)
{
    const closed_reduced_branch *branch = walk->branch;
    if (!maximal_repository_add(branch->repository, walk->local, walk->local_size))
        return FIMBIT_ENOMEM;
    return sink_emit(branch->sink, branch->items, walk->size, support) ? FIMBIT_ECANCELED
                                                                         : FIMBIT_OK;
}

/* out = a ∩ b over the merged baskets of walk's database (both ascending;
 * out may be a), summing the weights of those kept into *support: a merge,
 * or a search per basket of a once it is far shorter than b. @return the
 * length of out. */
static uint32_t intersect_baskets(const reduced_walk *walk, const uint32_t *a, uint32_t na,
                                  const uint32_t *b, uint32_t nb, uint32_t *out, uint64_t *support)
{
    uint32_t kept = 0, i = 0, j = 0;
    *support = 0;
    if ((uint64_t)na * 8u < nb) {
        for (; i < na && j < nb; i++) {
            j = first_at_least(b, j, nb, a[i]);
            if (j < nb && b[j] == a[i]) {
                *support += basket_weight(&walk->db, a[i]);
                out[kept++] = a[i];
            }
        }
        return kept;
    }
    while (i < na && j < nb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            *support += basket_weight(&walk->db, a[i]);
            out[kept++] = a[i++];
            j++;
        }
    }
    return kept;
}

/* MAXIMAL's look-ahead (MAFIA's head-union-tail) at a node with candidates
 * cand (items below x), before walking them: every itemset below the node
 * lies inside the node's itemset plus all its candidates, so when that union
 * is frequent it is the subtree's only possible maximal itemset, reported
 * here when no item above x extends it frequently. Runs while visit() holds
 * the counts of walk->touched[0 .. met) and the candidates' buckets, and
 * leaves them. @return true when the union is frequent (the subtree is
 * settled) or on failure (*status), false when the subtree must be walked. */
static bool lookahead_settles(reduced_walk *walk, uint32_t x, const candidates *cand, uint32_t met,
                              fimbit_status *status)
{
    const closed_reduced_branch *branch = walk->branch;
    /* The union's baskets: those in every candidate's bucket, from the
     * rarest candidate's on. Buckets list their baskets ascending, as the
     * node's baskets are (deliver() keeps their order, a database's are
     * delivered as built), so each step is a merge; most unions fall below
     * min_count after a few of them, without reading the baskets' items
     * (retail-long 70: they were a third as many items as the delivery's). */
    uint32_t rarest = 0;
    for (uint32_t c = 1; c < cand->count; c++)
        if (cand->support[c] < cand->support[rarest])
            rarest = c;
    uint32_t held = cand->baskets[rarest];
    uint32_t *holding = arena_alloc_array(branch->scratch, held, sizeof *holding);
    if (!holding) {
        *status = FIMBIT_ENOMEM;
        return true;
    }
    memcpy(holding, walk->bucket[cand->item[rarest]], held * sizeof *holding);
    uint64_t support = cand->support[rarest];
    for (uint32_t c = cand->count; c-- > 0 && support >= branch->min_count;)
        if (c != rarest)
            held = intersect_baskets(walk, holding, held, walk->bucket[cand->item[c]],
                                     cand->baskets[c], holding, &support);
    if (support < branch->min_count)
        return false;
    /* The counts of the items below x stay (visit() may rebuild with them). */
    uint32_t counted = met;
    bool extended = extended_above(walk, check_from(walk, x), holding, held, support, &counted);
    for (uint32_t t = met; t < counted; t++)
        walk->count[walk->touched[t]] = 0;
    if (extended || walk->size + cand->count > branch->max_size)
        return true;
    uint32_t size = walk->size, local_size = walk->local_size;
    for (uint32_t c = 0; c < cand->count; c++)
        itemset_push(walk, cand->item[c]);
    *status = maximal_report(walk, support);
    itemset_pop_to(walk, size, local_size);
    return true;
}

/* Occurrence delivery: hands each basket of occ[0 .. n) to the (empty)
 * bucket of every item below x in it, and counts those items (weighted),
 * appending the items met first to walk->touched. @return how many were met.
 * One pass over the baskets' items below x, which are their first ones; the
 * caller takes the buckets' lengths and empties them (see reduced_walk). */
static uint32_t deliver(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n)
{
    /* Locals: the compiler cannot tell the stores below from the walk's fields. */
    const uint32_t *db_items = walk->db.items;
    uint64_t *count = walk->count;
    uint32_t **bucket_end = walk->bucket_end;
    uint32_t *touched = walk->touched;
    size_t met = 0; /* as wide as a pointer: no extension before each store */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = occ[i];
        const uint32_t *items = db_items + b;
        uint64_t weight = items[-HEADER_WEIGHT];
        /* The items below x lead the basket; END_OF_BASKET ends it. Most
         * items are met once at a node: no branch on that. */
        uint32_t y;
        for (; (y = *items) < x; items++) {
            uint64_t seen = count[y];
            touched[met] = y;
            met += seen == 0;
            count[y] = seen + weight;
            *bucket_end[y]++ = b;
        }
    }
    return (uint32_t)met;
}

/* MAXIMAL: true when a node of n baskets delivers by
 * deliver_by_intersection(): when it has few of its parent's candidates
 * below it, with short lists. On long baskets most of a node's items below
 * x are infrequent there; on short ones the intersection reads more than the
 * delivery would, but runs faster: its loops over the lists are long and
 * predictable, where the delivery's loop over each basket's few items below x
 * ends at a different place every time. Maximal, -T 1, with a bound of 16
 * items a merged basket on average (d345ab9) / without (alternating perf
 * stat task-clock medians; callgrind instructions): BMS1 40 29.5 / 27.0 ms,
 * 228.7 / 217.5 M; BMS1 30 140 / 135 ms, 1169 / 1151 M; retail 5 293 / 267
 * ms, 1872 / 1905 M; T10I4D100K 50 127 / 125 ms, 786 / 805 M; T10I4D100K
 * 10 277 / 280 ms, 2080 / 2089 M. */
static bool delivers_by_intersection(const lower_candidates *lower, uint32_t n)
{
    if (!lower->lists)
        return false;
    if (forced_intersection >= 0)
        return forced_intersection != 0;
    return lower->count <= CLOSED_REDUCED_INTERSECT_MAX &&
           lower->start[lower->count] - lower->start[0] <=
               (uint64_t)n * CLOSED_REDUCED_INTERSECT_LISTS;
}

/* deliver() from the other side (Eclat's): each of the parent's candidates
 * below x gets the baskets of occ[0 .. n) in its parent's list, so only
 * those items are read, not every item below x of every basket. The node's
 * baskets are bits for the time, so each list is read once, in order: the
 * buckets keep the lists' ascending order. @return as deliver(), with the
 * items in ascending order. */
static uint32_t deliver_by_intersection(reduced_walk *walk, const uint32_t *occ, uint32_t n,
                                        const lower_candidates *lower)
{
    uint64_t *bits = walk->basket_bits;
    for (uint32_t i = 0; i < n; i++)
        bits[basket_mark(occ[i]) / 64] |= 1ull << (basket_mark(occ[i]) % 64);
    uint32_t met = 0;
    for (uint32_t k = 0; k < lower->count; k++) {
        uint32_t y = lower->item[k];
        const uint32_t *list = lower->lists + lower->start[k];
        uint32_t length = lower->start[k + 1] - lower->start[k], held = 0;
        uint32_t *out = walk->bucket[y]; /* room for the parent's bucket of y */
        /* No branch on the test: its outcome is a coin toss. */
        for (uint32_t j = 0; j < length; j++) {
            uint32_t mark = basket_mark(list[j]);
            out[held] = list[j];
            held += (uint32_t)(bits[mark / 64] >> (mark % 64) & 1);
        }
        if (held == 0)
            continue;
        uint64_t count = 0;
        for (uint32_t h = 0; h < held; h++)
            count += basket_weight(&walk->db, out[h]);
        walk->count[y] = count;
        walk->bucket_end[y] = out + held;
        walk->touched[met++] = y;
    }
    for (uint32_t i = 0; i < n; i++)
        bits[basket_mark(occ[i]) / 64] = 0;
    return met;
}

/* Takes the lengths of the buckets of cand's items into cand->baskets and
 * empties them (see reduced_walk). */
static void take_buckets(reduced_walk *walk, candidates *cand)
{
    for (uint32_t c = 0; c < cand->count; c++) {
        uint32_t y = cand->item[c];
        cand->baskets[c] = (uint32_t)(walk->bucket_end[y] - walk->bucket[y]);
        walk->bucket_end[y] = walk->bucket[y];
    }
}

/* MAXIMAL: visits the candidates from the highest down, each with the
 * baskets delivered to it. A child delivers to the items below it, its lower
 * siblings among them, so their buckets are copied out first (into the
 * node's arena frame). A child whose whole subtree lies inside the itemset
 * with the candidates up to it (those below it are its only extensions, its
 * closure included) is skipped when a set found before holds that: nothing
 * maximal is there (FPmax's head-union-tail test). @return as visit(). */
static fimbit_status visit_candidates_descending(reduced_walk *walk, const candidates *cand)
{
    arena *scratch = walk->branch->scratch;
    uint32_t *start = arena_alloc_array(scratch, cand->count + 1, sizeof *start);
    if (!start)
        return FIMBIT_ENOMEM;
    start[0] = 0;
    for (uint32_t c = 0; c < cand->count; c++)
        start[c + 1] = start[c] + cand->baskets[c];
    uint32_t *lists = arena_alloc_array(scratch, start[cand->count] ? start[cand->count] : 1,
                                        sizeof *lists);
    if (!lists)
        return FIMBIT_ENOMEM;
    for (uint32_t c = 0; c < cand->count; c++)
        memcpy(lists + start[c], walk->bucket[cand->item[c]],
               (start[c + 1] - start[c]) * sizeof *lists);
    fimbit_status status = FIMBIT_OK;
    for (uint32_t c = cand->count; c-- > 0 && status == FIMBIT_OK;) {
        if (maximal_repository_covers(walk->branch->repository, &walk->focus, walk->local,
                                      walk->local_size, cand->item, c + 1))
            continue;
        lower_candidates lower = {c, cand->item, lists, start};
        status = visit(walk, cand->item[c], lists + start[c], start[c + 1] - start[c],
                       cand->support[c], &lower);
    }
    return status;
}

/* Visits the candidates, ascending (see reduced_walk.bucket), each with the
 * baskets delivered to it; MAXIMAL's from the highest down, as above.
 * @return as visit(). */
static fimbit_status visit_candidates(reduced_walk *walk, const candidates *cand)
{
    if (walk->branch->maximal)
        return visit_candidates_descending(walk, cand);
    fimbit_status status = FIMBIT_OK;
    for (uint32_t c = 0; c < cand->count && status == FIMBIT_OK; c++) {
        uint32_t y = cand->item[c];
        lower_candidates lower = {c, cand->item, NULL, NULL};
        status = visit(walk, y, walk->bucket[y], cand->baskets[c], cand->support[c], &lower);
    }
    return status;
}

/* Visits the itemset plus extension item x, held by the merged baskets
 * occ[0 .. n) with `support` original baskets: reports it and walks below
 * it when it is closed. Its candidates and closure items are among `lower`
 * (the others of its parent's itemset are in its own): with none there is
 * nothing to deliver (retail-long 70 maximal: a ninth of the items
 * delivered). The walk's itemset is the same on return. */
static fimbit_status visit(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                           uint64_t support, const lower_candidates *lower)
{
    const closed_reduced_branch *branch = walk->branch;
    if (walk->size >= branch->max_size)
        return FIMBIT_OK; /* X and all below it too big */
    if (walk_stopped(walk))
        return FIMBIT_ECANCELED;
    arena *scratch = branch->scratch;
    arena_mark mark = arena_save(scratch);
    uint32_t saved_size = walk->size, saved_local = walk->local_size;
    itemset_push(walk, x);

    fimbit_status status = FIMBIT_OK;
    if (has_item_above(walk, x, occ, n))
        goto done; /* not closed, nor anything grown from it */

    uint32_t met = lower->count == 0 ? 0
                   : delivers_by_intersection(lower, n)
                       ? deliver_by_intersection(walk, occ, n, lower)
                       : deliver(walk, x, occ, n);
    candidates cand = {0, arena_alloc_array(scratch, met, sizeof *cand.item),
                       arena_alloc_array(scratch, met, sizeof *cand.support),
                       arena_alloc_array(scratch, met, sizeof *cand.baskets)};
    uint64_t kept = 0;         /* bounds the items a reduced database keeps */
    uint64_t kept_weighted = 0; /* the candidates' items in the original baskets */
    for (uint32_t t = 0; t < met; t++) {
        uint32_t y = walk->touched[t];
        uint64_t count = walk->count[y];
        uint32_t *start = walk->bucket[y], *end = walk->bucket_end[y];
        walk->bucket_end[y] = start;
        if (walk->in_itemset[y])
            continue; /* an ancestor's, in every basket */
        if (count == support) {
            itemset_push(walk, y); /* in the closure */
        } else if (count >= branch->min_count && cand.item) {
            walk->delivered[y] = (uint32_t)(end - start);
            kept += walk->delivered[y];
            kept_weighted += count;
            cand.item[cand.count++] = y;
        }
    }
    bool walk_below = false, reduce = false, maximal_leaf = false;
    reduced_db smaller;
    if (met > 0 && (!cand.item || !cand.support || !cand.baskets))
        status = FIMBIT_ENOMEM;
    else if (walk->size <= branch->max_size) {
        sort_u32(cand.item, cand.count);
        for (uint32_t c = 0; c < cand.count; c++) {
            cand.support[c] = walk->count[cand.item[c]];
            cand.baskets[c] = walk->delivered[cand.item[c]];
        }
        if (branch->maximal)
            maximal_leaf = cand.count == 0 && !found_holds(walk, saved_local, NULL, 0) &&
                           !extended_above(walk, check_from(walk, x), occ, n, support, &met);
        else if (sink_emit(branch->sink, branch->items, walk->size, support))
            status = FIMBIT_ECANCELED;
        walk_below = status == FIMBIT_OK && cand.count > 0 && walk->size < branch->max_size;
        /* MAXIMAL: a subtree settled here needs no smaller database. */
        if (walk_below && branch->maximal &&
            (found_holds(walk, saved_local, cand.item, cand.count) ||
             (cand.count >= 2 && lookahead_settles(walk, x, &cand, met, &status))))
            walk_below = false;
        if (walk_below && status == FIMBIT_OK) {
            /* Worth a smaller database when most items of long baskets
             * (counted in the original ones, as the candidates are) would
             * not be read again below. The items above x are counted only
             * then: the rebuilt database keeps those frequent in occ. */
            uint64_t length = 0, merged_length = 0;
            if (cand.count >= CLOSED_REDUCED_REBUILD_CHILDREN)
                for (uint32_t i = 0; i < n; i++) {
                    length += (uint64_t)basket_length(&walk->db, occ[i]) *
                              basket_weight(&walk->db, occ[i]);
                    merged_length += basket_length(&walk->db, occ[i]);
                }
            reduce = (kept_weighted * CLOSED_REDUCED_REBUILD < length &&
                      merged_length >= (uint64_t)n * CLOSED_REDUCED_REBUILD_LENGTH) ||
                     forced_mode == CLOSED_REDUCED_FORCE_REBUILD;
            if (reduce) {
                uint32_t below = met;
                met = count_above(walk, x, occ, n, met);
                for (uint32_t t = below; t < met; t++) {
                    uint32_t y = walk->touched[t];
                    if (walk->count[y] >= branch->min_count && !walk->in_itemset[y])
                        kept += walk->count[y] < n ? walk->count[y] : n;
                }
                /* The children's baskets again, in the smaller database. */
                if (reduce_db(walk, x, occ, n, kept, &smaller))
                    take_buckets(walk, &cand);
                else
                    status = FIMBIT_ENOMEM;
            }
        }
    }
    for (uint32_t t = 0; t < met; t++)
        walk->count[walk->touched[t]] = 0;
    if (maximal_leaf && status == FIMBIT_OK)
        status = maximal_report(walk, support);
    maximal_focus parent_focus = walk->focus;
    if (walk_below && status == FIMBIT_OK && branch->maximal &&
        !maximal_repository_narrow(branch->repository, &parent_focus, walk->local, saved_local,
                                   walk->local + saved_local, walk->local_size - saved_local,
                                   scratch, &walk->focus))
        status = FIMBIT_ENOMEM;
    if (walk_below && status == FIMBIT_OK) {
        if (reduce) {
            reduced_db saved_db = walk->db;
            walk->db = smaller;
            status = visit_candidates(walk, &cand);
            walk->db = saved_db;
        } else {
            status = visit_candidates(walk, &cand);
        }
    }
    walk->focus = parent_focus;
done:
    itemset_pop_to(walk, saved_size, saved_local);
    arena_restore(scratch, mark);
    return status;
}

/* Sorts the `kept` ranks of touched[], the ranks of non-zero tally among
 * item_count: by a scan of tally when they are dense among the ranks (on
 * T10I4D100K 10, sorting hundreds of ranks a branch cost as much as the
 * scan of every rank's tally), else by sort_u32(). */
static void sort_kept(const uint64_t *tally, uint32_t item_count, uint32_t *touched, uint32_t kept)
{
    bool scan = (uint64_t)kept * CLOSED_REDUCED_SCAN_DENSITY >= item_count;
    if (forced_mode == CLOSED_REDUCED_FORCE_ON || forced_mode == CLOSED_REDUCED_FORCE_REBUILD)
        scan = forced_mode == CLOSED_REDUCED_FORCE_ON; /* tests: each way on every branch */
    if (!scan) {
        sort_u32(touched, kept);
        return;
    }
    kept = 0;
    for (uint32_t r = 0; r < item_count; r++)
        if (tally[r] != 0)
            touched[kept++] = r;
}

/* Counts every other item in the `support` baskets of span into
 * branch->tally, appending the items met to branch->touched. Bounded by the
 * baskets' length. @return how many were met. */
static uint32_t tally_baskets(const closed_reduced_branch *branch, uint32_t item,
                              const basket_span *span, uint64_t support)
{
    const kernel_data *data = branch->data;
    uint64_t *tally = branch->tally;
    uint32_t *touched = branch->touched, met = 0;
    for (uint64_t k = 0; k < support; k++) {
        if (k + CLOSED_REDUCED_PREFETCH < support)
            __builtin_prefetch(data->tx_items + span[k + CLOSED_REDUCED_PREFETCH].begin);
        for (uint64_t p = span[k].begin; p < span[k].end; p++) {
            uint32_t r = data->tx_items[p];
            if (r != item && tally[r]++ == 0)
                touched[met++] = r;
        }
    }
    return met;
}

/* The same counts read from branch->pairs, for the items frequent with
 * `item` only (the others would be dropped), in ascending order: one read per
 * rank instead of a pass over the baskets. */
static uint32_t tally_from_pairs(const closed_reduced_branch *branch, uint32_t item)
{
    const uint32_t *counts = branch->pairs->counts;
    uint32_t met = 0, n = branch->data->item_count;
    for (uint32_t r = 0; r < n; r++) {
        if (r == item)
            continue;
        uint32_t count = counts[r < item ? pair_index(r, item) : pair_index(item, r)];
        if (count >= branch->min_count) {
            branch->tally[r] = count;
            branch->touched[met++] = r;
        }
    }
    return met;
}

bool closed_reduced_wants_pairs(const kernel_data *data, int threads)
{
    if (forced_pairs >= 0)
        return forced_pairs != 0 && data->tx_count < UINT32_MAX;
    size_t bytes = pair_table_bytes(data->item_count, threads);
    return data->tx_count < UINT32_MAX && bytes <= CLOSED_REDUCED_PAIR_BYTES &&
           bytes / sizeof(uint32_t) <= data->tx_offsets[data->tx_count];
}

fimbit_status closed_reduced_mine_branch(const closed_reduced_branch *branch, uint32_t item,
                                         const tidset *occ)
{
    const kernel_data *data = branch->data;
    uint64_t *tally = branch->tally;
    uint32_t *touched = branch->touched;
    uint64_t support = occ->count;
    if (support < branch->min_count || branch->max_size == 0)
        return FIMBIT_OK;

    arena *scratch = branch->scratch;
    arena_mark mark = arena_save(scratch);
    basket_span *span = gather_spans(data, occ, scratch);
    if (!span)
        return FIMBIT_ENOMEM;

    uint32_t met =
        branch->pairs ? tally_from_pairs(branch, item) : tally_baskets(branch, item, span, support);

    /* The root: the item with the items in all its baskets, closed unless one
     * of those is above it. The frequent others make the database. */
    bool closed = true;
    uint32_t size = 0, kept = 0;
    uint64_t capacity = 0;
    branch->items[size++] = item;
    for (uint32_t t = 0; t < met; t++) {
        uint32_t r = touched[t];
        uint64_t count = tally[r];
        if (count == support) {
            if (r > item)
                closed = false;
            else
                branch->items[size++] = r;
        } else if (count >= branch->min_count) {
            touched[kept++] = r;
            capacity += count;
            continue; /* its tally is the candidates' count below */
        }
        tally[r] = 0;
    }
    fimbit_status status = FIMBIT_OK;
    if (!closed || size > branch->max_size)
        goto done;
    if (!branch->pairs)
        sort_kept(tally, data->item_count, touched, kept);
    uint32_t pivot = 0;
    while (pivot < kept && touched[pivot] < item)
        pivot++;
    /* MAXIMAL: the root is a leaf only when no other item is frequent with
     * it (the tallies are exact). */
    if ((!branch->maximal || kept == 0) &&
        sink_emit(branch->sink, branch->items, size, support)) {
        status = FIMBIT_ECANCELED;
        goto done;
    }
    if (pivot == 0 || size >= branch->max_size)
        goto done;

    reduced_walk walk = {.branch = branch, .size = size};
    walk.rank_of = touched; /* sorted: local id -> rank */
    walk.locals = kept;
    walk.pivot = pivot;
    if (branch->maximal)
        maximal_repository_clear_for(branch->repository, kept);
    walk.count = arena_alloc_array(scratch, kept, sizeof *walk.count);
    walk.in_itemset = arena_alloc_array(scratch, kept, sizeof *walk.in_itemset);
    walk.touched = arena_alloc_array(scratch, kept + 1, sizeof *walk.touched);
    walk.local = arena_alloc_array(scratch, kept, sizeof *walk.local);
    walk.above = arena_alloc_array(scratch, kept, sizeof *walk.above);
    walk.above_bits = arena_alloc_array(scratch, (kept + 63) / 64 + 1, sizeof *walk.above_bits);
    walk.spare_bits = arena_alloc_array(scratch, (kept + 63) / 64 + 1, sizeof *walk.spare_bits);
    walk.itemset_bits = arena_alloc_array(scratch, (kept + 63) / 64 + 1, sizeof *walk.itemset_bits);
    candidates cand = {pivot, arena_alloc_array(scratch, pivot, sizeof *cand.item),
                       arena_alloc_array(scratch, pivot, sizeof *cand.support),
                       arena_alloc_array(scratch, pivot, sizeof *cand.baskets)};
    walk.bucket = arena_alloc_array(scratch, pivot, sizeof *walk.bucket);
    walk.bucket_end = arena_alloc_array(scratch, pivot, sizeof *walk.bucket_end);
    walk.delivered = arena_alloc_array(scratch, pivot, sizeof *walk.delivered);
    if (!walk.count || !walk.in_itemset || !walk.touched || !walk.local || !walk.above ||
        !walk.above_bits || !walk.spare_bits || !walk.itemset_bits || !cand.item || !cand.support ||
        !cand.baskets || !walk.bucket || !walk.bucket_end || !walk.delivered) {
        status = FIMBIT_ENOMEM;
        goto done;
    }
    memset(walk.count, 0, kept * sizeof *walk.count);
    memset(walk.in_itemset, 0, kept * sizeof *walk.in_itemset);
    memset(walk.itemset_bits, 0, ((kept + 63) / 64 + 1) * sizeof *walk.itemset_bits);

    /* The root's candidates: every extension item, each with room in the
     * buckets for its count (original baskets, so at least the merged ones),
     * filled as the database is built. */
    uint64_t room = 0;
    for (uint32_t l = 0; l < pivot; l++) {
        cand.item[l] = l;
        cand.support[l] = tally[touched[l]];
        room += cand.support[l];
    }
    uint32_t *buckets = arena_alloc_array(scratch, room ? room : 1, sizeof *buckets);
    if (!buckets) {
        status = FIMBIT_ENOMEM;
        goto done;
    }
    for (uint32_t l = 0; l < pivot; l++) {
        walk.bucket[l] = walk.bucket_end[l] = buckets;
        buckets += cand.support[l];
    }
    for (uint32_t l = 0; l < kept; l++)
        branch->slot[touched[l]] = (int32_t)l;
    bool built = build_db(&walk, span, support, item, pivot, capacity);
    for (uint32_t l = 0; l < kept; l++)
        branch->slot[touched[l]] = -1;
    if (built && branch->maximal) {
        uint32_t words = basket_mark(db_end(&walk.db)) / 64 + 1;
        walk.basket_bits = arena_alloc_array(scratch, words, sizeof *walk.basket_bits);
        if (walk.basket_bits)
            memset(walk.basket_bits, 0, words * sizeof *walk.basket_bits);
    }
    if (!built || (branch->maximal && !walk.basket_bits)) {
        status = FIMBIT_ENOMEM;
        goto done;
    }
    take_buckets(&walk, &cand);
    status = visit_candidates(&walk, &cand);
done:
    for (uint32_t l = 0; l < kept; l++)
        tally[touched[l]] = 0;
    arena_restore(scratch, mark);
    return status;
}
