/*
 * The reduced conditional database of closed_reduced.c: merged baskets over
 * local ids, each with a header, and the reads every pass over them shares.
 */
#ifndef FIMBIT_CLOSED_REDUCED_DB_H
#define FIMBIT_CLOSED_REDUCED_DB_H

#include <stdint.h>

#include "kernel.h"

/* Merged baskets over local ids, ascending inside a basket: extension items
 * (local id < pivot) first, then witness items, then END_OF_BASKET, which is
 * above every item: a scan of the items below x stops at the first item not
 * below x alone, with no bound to load or test. A basket whose items take at
 * least twice the room of a bit per local id also has its items as a bit row,
 * so reduced_has_item_above() tests a candidate in it in one step instead of a search
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
static inline uint32_t db_end(const reduced_db *db)
{
    if (db->count == 0)
        return 0;
    uint32_t last = db->basket[db->count - 1];
    return last + basket_length(db, last) + 1;
}

/* @return basket b's byte in reduced_walk.basket_marks: a basket takes at
 * least BASKET_HEADER + 2 words (a header, an extension item and
 * END_OF_BASKET), so two baskets' positions differ in their quarters. A
 * dense ordinal in a fifth header word costs a load per basket tested
 * (retail-long 70 maximal: 13.26 G instructions against 13.00 G, the same
 * time). */
static inline uint32_t basket_mark(uint32_t b) { return b / 4; }

/* Halves items[*from .. *n) (ascending) down to a few items around the first
 * one holding at least `value`, for a scan to find: most baskets are short,
 * and the scan's branch predicts better than the halving's. Each step that
 * lowers *n leaves an item holding at least `value` at items[*n]. */
static inline void narrow_to_few(const uint32_t *items, uint32_t *from, uint32_t *n, uint32_t value)
{
    while (*n - *from > 8) {
        uint32_t middle = *from + (*n - *from) / 2;
        if (items[middle] < value)
            *from = middle + 1;
        else
            *n = middle;
    }
}

/* @return the first position of items[from .. n) (ascending) holding at
 * least `value`. */
static inline uint32_t first_at_least(const uint32_t *items, uint32_t from, uint32_t n,
                                      uint32_t value)
{
    narrow_to_few(items, &from, &n, value);
    while (from < n && items[from] < value)
        from++;
    return from;
}

/* first_at_least() over a merged basket's items[0 .. length): END_OF_BASKET
 * follows them and holds more than any value, so the scan needs no bound.
 * @return length when no item holds `value`. */
static inline uint32_t basket_first_at_least(const uint32_t *items, uint32_t length, uint32_t value)
{
    uint32_t from = 0;
    narrow_to_few(items, &from, &length, value);
    while (items[from] < value)
        from++;
    return from;
}

/* Where one basket of the data lies in data->tx_items. Positions fit 32
 * bits (closed_reduced_suits()), and a branch's spans are its largest
 * allocation when its database keeps few baskets (retail-long 70 closed:
 * 12,554 baskets, one kept). */
typedef struct basket_span {
    uint32_t begin, end;
} basket_span;

/* How many baskets ahead the root's passes over the data prefetch one. */
#define CLOSED_REDUCED_PREFETCH 8u

/* Asks for the first and the last cache line of a basket of the data (never
 * empty: it holds the branch's item). Most baskets of T10I4D100K take 40
 * bytes, so more than half of them cross a line, and a pass that waited on
 * the second line waited as long as on the first (10 closed: 276 -> 253 ms,
 * the root's database build 20% -> 12% of the cycles). */
static inline void prefetch_basket(const kernel_data *data, const basket_span *span)
{
    __builtin_prefetch(data->tx_items + span->begin);
    __builtin_prefetch(data->tx_items + span->end - 1);
}

#endif /* FIMBIT_CLOSED_REDUCED_DB_H */
