/*
 * The walk of one branch of closed_reduced.c over its reduced databases: its
 * state, and the steps its files share (building the databases in
 * closed_reduced_db.c, the closure and leaf checks in closed_reduced_closure.c,
 * occurrence delivery in closed_reduced_delivery.c, the walk itself in
 * closed_reduced_walk.c).
 */
#ifndef FIMBIT_CLOSED_REDUCED_WALK_H
#define FIMBIT_CLOSED_REDUCED_WALK_H

#include <stdint.h>

#include "closed_reduced.h"
#include "closed_reduced_db.h"

/* The tests' switches (closed_reduced__force*()), -1 when the data decides. */
extern int closed_reduced_forced_mode, closed_reduced_forced_intersection;

/* The candidates of a node: extension items, ascending, with their count
 * and their baskets, the first `baskets` of their bucket. */
typedef struct candidates {
    uint32_t count;
    uint32_t *item;
    uint64_t *support;
    uint32_t *baskets;
} candidates;

/* Room for `room` candidates, none yet, in one block of the arena: a node's
 * three arrays share their cache lines, and the walk makes one call a node,
 * not three (T10I4D100K 10 closed: 1,726 -> 1,704 M instructions). @return
 * false when the arena is exhausted (the arrays are then NULL). */
static inline bool candidates_alloc(candidates *cand, uint32_t room, arena *scratch)
{
    size_t each = sizeof *cand->support + sizeof *cand->item + sizeof *cand->baskets;
    uint64_t *block = arena_alloc_array(scratch, room, each);
    cand->count = 0;
    cand->support = block;
    cand->item = block ? (uint32_t *)(block + room) : NULL;
    cand->baskets = block ? cand->item + room : NULL;
    return block != NULL;
}

/* The candidates of a node's parent below the node's item, ascending: the
 * only items that can extend the node, as an item frequent in its baskets is
 * frequent in its parent's. MAXIMAL also has their baskets (copies of the
 * parent's buckets): item[k]'s are lists[start[k] .. start[k + 1]), their
 * counts in the parent's baskets, and a flag each that the node sets when
 * its delivery counts item[k] as often as the parent did: every basket of
 * item[k]'s node then holds the node's item, which is above item[k], so
 * that sibling (walked later: they go from the highest down) is not closed
 * and is skipped before any test (BMS1 30 maximal: 4 in 5 of the nodes
 * visited were not closed, and each paid the repository's test and
 * reduced_has_item_above()). */
typedef struct lower_candidates {
    uint32_t count;
    const uint32_t *item;
    const uint32_t *lists, *start; /* NULL for CLOSED */
    const uint64_t *support;       /* NULL for CLOSED */
    uint8_t *unclosed;             /* NULL for CLOSED */
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
    /* MAXIMAL: a byte per basket_mark() of the branch's database (no rebuilt
     * one reaches further), 1 for a node's baskets during
     * reduced_deliver_by_intersection() only. */
    uint8_t *basket_marks;
    uint32_t *touched; /* the local ids a count met, and room for one more */
    /* Occurrence delivery's buckets, per extension item: the merged baskets
     * of the current node's database holding the node's itemset and the
     * item are bucket[y] .. bucket_end[y]. Room for each is its basket count
     * in the branch's database (no rebuilt one holds more). Children are
     * walked in ascending order and a node delivers only to items below its
     * own, so a node never overwrites a bucket its ancestors still need: the
     * siblings yet to walk are all above it (LCM's reuse of the buckets).
     * MAXIMAL walks them descending, from copies (reduced_visit_candidates). Outside
     * a pass every bucket_end[y] is bucket[y]: the pass that fills a bucket
     * takes its length into delivered[y] (a candidate's into its `baskets`)
     * and empties it, so delivery starts no bucket and needs no branch to
     * tell an item's first basket from the others. */
    uint32_t **bucket, **bucket_end;
    uint32_t *delivered;
    uint32_t *above;                   /* reduced_has_item_above()'s candidates */
    uint64_t *above_bits, *spare_bits; /* the same as bits: row_words words each */
    /* The itemset: ranks in branch->items, and the local ids of the items the
     * walk added (the root's items have none). */
    uint32_t size;
    uint32_t *local;
    uint32_t local_size;
    /* MAXIMAL: the entries of the repository holding the current node's
     * parent's itemset (progressive focusing, maximal_repository.h). */
    maximal_focus focus;
    /* MAXIMAL: the children maximal_child_cut() skipped by each test. */
    uint64_t closure_cuts, cover_cuts;
} reduced_walk;

static inline bool walk_stopped(const reduced_walk *walk)
{
    return kernel_output_stopped(walk->branch->output);
}

static inline void itemset_push(reduced_walk *walk, uint32_t local)
{
    walk->branch->items[walk->size++] = walk->rank_of[local];
    walk->local[walk->local_size++] = local;
    walk->in_itemset[local] = 1;
    walk->itemset_bits[local / 64] |= 1ull << (local % 64);
}

static inline void itemset_pop_to(reduced_walk *walk, uint32_t size, uint32_t local_size)
{
    while (walk->local_size > local_size) {
        uint32_t local = walk->local[--walk->local_size];
        walk->in_itemset[local] = 0;
        walk->itemset_bits[local / 64] &= ~(1ull << (local % 64));
    }
    walk->size = size;
}

/* MAXIMAL: the first local id a maximal candidate of a node of item x must
 * be checked against in its baskets: the witnesses, whose maximal sets lie in
 * other branches; every item above x when a max_size bound keeps larger sets
 * out of the repository (see the head comment of closed_reduced.c). */
static inline uint32_t check_from(const reduced_walk *walk, uint32_t x)
{
    return walk->branch->max_size == UINT32_MAX ? walk->pivot : x + 1;
}

/* closed_reduced_db.c */
bool reduced_db_build(reduced_walk *walk, const basket_span *span, uint64_t n, uint32_t item,
                      uint32_t pivot, uint64_t capacity);
bool reduced_db_rebuild(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                        uint64_t capacity, reduced_db *out);

/* closed_reduced_closure.c */
bool reduced_has_item_above(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n);
uint32_t reduced_count_above(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                             uint32_t met);
bool reduced_extended_above(reduced_walk *walk, uint32_t from, const uint32_t *occ, uint32_t n,
                            uint64_t support, uint32_t *met);
bool reduced_found_holds(reduced_walk *walk, uint32_t inherited, const uint32_t *extra, uint32_t n);

/* closed_reduced_delivery.c */
uint32_t reduced_deliver(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n);
bool reduced_delivers_by_intersection(const lower_candidates *lower, uint32_t n);
uint32_t reduced_deliver_by_intersection(reduced_walk *walk, const uint32_t *occ, uint32_t n,
                                         const lower_candidates *lower);
void reduced_take_buckets(reduced_walk *walk, candidates *cand);
bool reduced_lookahead_settles(reduced_walk *walk, uint32_t x, const candidates *cand, uint32_t met,
                               fimbit_status *status);

/* closed_reduced_walk.c */
fimbit_status reduced_maximal_report(reduced_walk *walk, uint64_t support);
fimbit_status reduced_visit_candidates(reduced_walk *walk, const candidates *cand);

#endif /* FIMBIT_CLOSED_REDUCED_WALK_H */
