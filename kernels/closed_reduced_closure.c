/*
 * The checks a node of closed_reduced.c makes in its baskets: whether an
 * item above its own is in all of them (not closed), counts of the items
 * above it, whether one of those extends it frequently (MAXIMAL: not a
 * maximal leaf), and whether a set found before holds it.
 */
#include <string.h>

#include "closed_reduced_walk.h"

/* reduced_has_item_above() seeds its candidates from the shortest of this many
 * baskets. */
#define CLOSED_REDUCED_SEED_BASKETS 8u

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

/* reduced_has_item_above() when its seed basket has a bit row (so do the baskets
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
        if (hi - lo == 1 && closed_reduced_forced_mode != CLOSED_REDUCED_FORCE_REBUILD) {
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
bool reduced_has_item_above(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n)
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
    for (uint32_t p = basket_first_at_least(items, length, x + 1); p < length; p++) {
        candidates[left] = items[p]; /* no branch: the outcome is a coin toss */
        left += !walk->in_itemset[items[p]];
    }
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
        uint32_t p = basket_first_at_least(items, length, candidates[0]);
        if (length - p >= 64u && (uint64_t)left * 8u < length - p) {
            for (uint32_t c = 0; c < left && p < length; c++) {
                p = first_at_least(items, p, length, candidates[c]);
                if (items[p] == candidates[c])
                    candidates[kept++] = candidates[c];
            }
        } else {
            /* A merge that steps with selects, not branches: which side
             * steps is a coin toss. END_OF_BASKET, above every candidate,
             * lets the candidates end it. */
            for (uint32_t c = 0; c < left;) {
                uint32_t y = candidates[c], item = items[p];
                candidates[kept] = y;
                kept += y == item;
                c += y <= item;
                p += item <= y;
            }
        }
        left = kept;
    }
    return left > 0;
}

/* Counts, over the merged baskets occ[0 .. n), every item above x: its
 * weighted count, appending the items met first to walk->touched from
 * position `met`. @return the new `met`. Bounded by the baskets' items above
 * x. */
uint32_t reduced_count_above(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                             uint32_t met)
{
    const reduced_db *db = &walk->db;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = occ[i];
        uint64_t weight = basket_weight(db, b);
        const uint32_t *items = db->items + b;
        uint32_t length = basket_length(db, b);
        for (uint32_t p = basket_first_at_least(items, length, x + 1); p < length; p++) {
            uint32_t y = items[p];
            if (walk->count[y] == 0)
                walk->touched[met++] = y;
            walk->count[y] += weight;
        }
    }
    return met;
}

/* Counts, over the merged baskets occ[0 .. n) (`support` original ones),
 * the items from local id `from` on as reduced_count_above() does, but stops
 * after the first basket where one not in the itemset reaches min_count, or
 * as soon as none can: the highest count so far plus the baskets left is
 * below min_count (near min_count, a few baskets without an item rule it
 * out). @return true when one did reach it: it extends the itemset
 * frequently. */
bool reduced_extended_above(reduced_walk *walk, uint32_t from, const uint32_t *occ, uint32_t n,
                            uint64_t support, uint32_t *met)
{
    const reduced_db *db = &walk->db;
    /* Locals: the compiler cannot tell the stores below from the walk's fields. */
    uint64_t *counts = walk->count;
    uint32_t *touched = walk->touched;
    const uint8_t *in_itemset = walk->in_itemset;
    uint64_t min_count = walk->branch->min_count;
    /* A witness (a local id from the pivot on) is never in the itemset. */
    bool witnesses_only = from >= walk->pivot;
    uint64_t highest = 0, left = support;
    size_t met_so_far = *met; /* as wide as a pointer: no extension before each store */
    for (uint32_t i = 0; i < n && highest + left >= min_count; i++) {
        uint32_t b = occ[i];
        uint64_t weight = basket_weight(db, b);
        const uint32_t *items = db->items + b;
        uint32_t length = basket_length(db, b);
        left -= weight;
        /* The items from db->pivot on follow its extensions: no search for them. */
        uint32_t p = from == db->pivot ? basket_extension(db, b)
                                       : basket_first_at_least(items, length, from);
        /* Most items are met once: no branch on that (touched has room for
         * one more than the local ids). */
        for (; p < length; p++) {
            uint32_t y = items[p];
            uint64_t seen = counts[y];
            touched[met_so_far] = y;
            met_so_far += seen == 0;
            uint64_t count = counts[y] = seen + weight;
            /* Selected, not branched on: whether an item passes the
             * highest was mispredicted on 6% of them (BMS1 40 maximal,
             * -T 1: 74 k mispredictions, 22.9 -> 22.4 ms task-clock, for
             * 2.4 M more instructions); the threshold is tested a basket
             * at a time, which returns the same (counts only grow). */
            uint64_t extends = witnesses_only || !in_itemset[y] ? count : 0;
            highest = extends > highest ? extends : highest;
        }
        if (highest >= min_count) {
            *met = (uint32_t)met_so_far;
            return true;
        }
    }
    *met = (uint32_t)met_so_far;
    return false;
}

/* MAXIMAL: @return true when a set found before in the branch holds the
 * walk's itemset with extra[0 .. n): the itemset is not maximal, nor is
 * anything below it that adds only items of extra. The itemset's first
 * `inherited` local ids are its parent's, which walk->focus holds. */
bool reduced_found_holds(reduced_walk *walk, uint32_t inherited, const uint32_t *extra, uint32_t n)
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
    return maximal_repository_covers(walk->branch->repository, &walk->focus, walk->local, inherited,
                                     fresh, own + n);
}