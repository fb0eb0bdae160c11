/*
 * The depth-first walk of closed_reduced.c below a branch's root: a node's
 * closure check, delivery, report and children, and whether its children
 * get a smaller database.
 */
#include <string.h>

#include "closed_reduced_walk.h"
#include "base/sort_u32.h"

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

static fimbit_status visit(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n,
                           uint64_t support, const lower_candidates *lower);

/* MAXIMAL: reports the walk's itemset and keeps it in the repository (its
 * local ids: the root's items are in every set of the branch). */
fimbit_status reduced_maximal_report(reduced_walk *walk, uint64_t support)
{
    const closed_reduced_branch *branch = walk->branch;
    if (!maximal_repository_add(branch->repository, walk->local, walk->local_size))
        return FIMBIT_ENOMEM;
    return sink_emit(branch->sink, branch->items, walk->size, support) ? FIMBIT_ECANCELED
                                                                       : FIMBIT_OK;
}

/* MAXIMAL: @return true when the child of candidate c (baskets occ[0 .. n))
 * need not be visited: it is not closed (reduced_has_item_above()), or its
 * whole subtree lies inside the itemset with the candidates up to it (those
 * below it are its only extensions, its closure included) and a set found
 * before holds that, so nothing maximal is there (FPmax's head-union-tail
 * test). Either test proves it alone; the one that has cut more children of
 * the branch so far goes first (-T 1: on BMS1 30 maximal 9 in 10 of the
 * children tested are not closed, 941 M instructions closure first against
 * 1,028 M; on BMS1 40 the repository cuts more, 200.6 M against 202.0 M).
 * The highest child's set is its parent's itemset with every candidate,
 * which no set held when the parent was tested (by itself or by its own cut
 * test; at the root the repository is empty), and nothing was added since:
 * it is not tested again. */
static bool maximal_child_cut(reduced_walk *walk, const candidates *cand, uint32_t c,
                              const uint32_t *occ, uint32_t n)
{
    bool closure_first = walk->closure_cuts >= walk->cover_cuts;
    if (closure_first && reduced_has_item_above(walk, cand->item[c], occ, n)) {
        walk->closure_cuts++;
        return true;
    }
    if (c + 1 < cand->count &&
        maximal_repository_covers(walk->branch->repository, &walk->focus, walk->local,
                                  walk->local_size, cand->item, c + 1)) {
        walk->cover_cuts++;
        return true;
    }
    if (!closure_first && reduced_has_item_above(walk, cand->item[c], occ, n)) {
        walk->closure_cuts++;
        return true;
    }
    return false;
}

/* MAXIMAL: visits the candidates from the highest down, each with the
 * baskets delivered to it, except those a higher sibling's delivery found
 * not closed (lower_candidates.unclosed) and those maximal_child_cut()
 * skips. A child delivers to the items below it, its lower siblings among
 * them, so their buckets are copied out first (into the node's arena
 * frame). @return as visit(). */
static fimbit_status visit_candidates_descending(reduced_walk *walk, const candidates *cand)
{
    if (walk->size >= walk->branch->max_size)
        return FIMBIT_OK; /* every child too big */
    arena *scratch = walk->branch->scratch;
    /* One block: start[], then a flag a candidate. */
    uint32_t *start = arena_alloc_array(scratch, cand->count + 1, sizeof *start + sizeof(uint8_t));
    if (!start)
        return FIMBIT_ENOMEM;
    uint8_t *unclosed = (uint8_t *)(start + cand->count + 1);
    start[0] = 0;
    for (uint32_t c = 0; c < cand->count; c++) {
        start[c + 1] = start[c] + cand->baskets[c];
        unclosed[c] = 0;
    }
    uint32_t *lists =
        arena_alloc_array(scratch, start[cand->count] ? start[cand->count] : 1, sizeof *lists);
    if (!lists)
        return FIMBIT_ENOMEM;
    for (uint32_t c = 0; c < cand->count; c++)
        memcpy(lists + start[c], walk->bucket[cand->item[c]],
               (start[c + 1] - start[c]) * sizeof *lists);
    fimbit_status status = FIMBIT_OK;
    for (uint32_t c = cand->count; c-- > 0 && status == FIMBIT_OK;) {
        const uint32_t *occ = lists + start[c];
        uint32_t n = start[c + 1] - start[c];
        if (unclosed[c] || maximal_child_cut(walk, cand, c, occ, n))
            continue;
        lower_candidates lower = {c, cand->item, lists, start, cand->support, unclosed};
        status = visit(walk, cand->item[c], occ, n, cand->support[c], &lower);
    }
    return status;
}

/* Visits the candidates whose itemset is closed (reduced_has_item_above(): a
 * child that is not is skipped, and all below it), ascending (see
 * reduced_walk.bucket), each with the baskets delivered to it; MAXIMAL's
 * from the highest down, as above. @return as visit(). */
fimbit_status reduced_visit_candidates(reduced_walk *walk, const candidates *cand)
{
    if (walk->branch->maximal)
        return visit_candidates_descending(walk, cand);
    if (walk->size >= walk->branch->max_size)
        return FIMBIT_OK; /* every child too big */
    fimbit_status status = FIMBIT_OK;
    for (uint32_t c = 0; c < cand->count && status == FIMBIT_OK; c++) {
        uint32_t y = cand->item[c];
        if (reduced_has_item_above(walk, y, walk->bucket[y], cand->baskets[c]))
            continue;
        lower_candidates lower = {c, cand->item, NULL, NULL, NULL, NULL};
        status = visit(walk, y, walk->bucket[y], cand->baskets[c], cand->support[c], &lower);
    }
    return status;
}

/* MAXIMAL, after reduced_deliver(): flags each sibling below the node (lower)
 * whose count in the node's baskets is its count in the parent's (see
 * lower_candidates). Only an item counted at least min_count times can be
 * one: a candidate of the node (cand, ascending) or an item of its closure
 * (walk->local from closure_from on, counted `support` times). A few of
 * those are looked up among the siblings; else every sibling's count is
 * compared (T10I4D100K 10 maximal: 105 M instructions comparing all, 10 M
 * this way). */
static void mark_unclosed_siblings(const reduced_walk *walk, const lower_candidates *lower,
                                   const candidates *cand, uint32_t closure_from, uint64_t support)
{
    const uint32_t *item = lower->item;
    const uint64_t *parent_support = lower->support;
    uint8_t *unclosed = lower->unclosed;
    uint32_t siblings = lower->count, closure = walk->local_size - closure_from;
    if ((uint64_t)(cand->count + closure) * 8u >= siblings) {
        const uint64_t *count = walk->count;
        for (uint32_t k = 0; k < siblings; k++)
            unclosed[k] |= count[item[k]] == parent_support[k];
        return;
    }
    uint32_t k = 0;
    for (uint32_t c = 0; c < cand->count; c++) {
        k = first_at_least(item, k, siblings, cand->item[c]);
        if (k < siblings && item[k] == cand->item[c] && cand->support[c] == parent_support[k])
            unclosed[k] = 1;
    }
    for (uint32_t i = closure_from; i < walk->local_size; i++) {
        uint32_t y = walk->local[i];
        k = first_at_least(item, 0, siblings, y);
        if (k < siblings && item[k] == y && support == parent_support[k])
            unclosed[k] = 1;
    }
}

/* Visits the itemset plus extension item x, held by the merged baskets
 * occ[0 .. n) with `support` original baskets, a closed itemset: reports it
 * (MAXIMAL: when it is a maximal leaf) and walks below it. Its candidates
 * and closure items are among `lower` (the others of its parent's itemset
 * are in its own): with none there is nothing to reduced_deliver
 * (retail-long 70 maximal: a ninth of the items delivered). The walk's
 * itemset is the same on return. */
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
    bool by_intersection = lower->count > 0 && reduced_delivers_by_intersection(lower, n);
    uint32_t met = by_intersection     ? reduced_deliver_by_intersection(walk, occ, n, lower)
                   : lower->count == 0 ? 0
                                       : reduced_deliver(walk, x, occ, n);
    candidates cand;
    bool room = candidates_alloc(&cand, met, scratch);
    uint64_t kept = 0;          /* bounds the items a reduced database keeps */
    uint64_t kept_weighted = 0; /* the candidates' items in the original baskets */
    /* Locals: the compiler cannot tell the stores below (itemset_push()'s
     * among them) from the walk's fields, and reloaded them every item. */
    const uint32_t *touched = walk->touched;
    uint64_t *counts = walk->count;
    uint32_t *const *bucket = walk->bucket;
    uint32_t **bucket_end = walk->bucket_end;
    const uint8_t *in_itemset = walk->in_itemset;
    uint32_t *delivered = walk->delivered;
    for (uint32_t t = 0; t < met; t++) {
        uint32_t y = touched[t];
        uint64_t count = counts[y];
        uint32_t *start = bucket[y], *end = bucket_end[y];
        bucket_end[y] = start;
        if (in_itemset[y])
            continue; /* an ancestor's, in every basket */
        if (count == support) {
            itemset_push(walk, y); /* in the closure */
        } else if (count >= branch->min_count && cand.item) {
            delivered[y] = (uint32_t)(end - start);
            kept += delivered[y];
            kept_weighted += count;
            cand.item[cand.count++] = y;
        }
    }
    bool walk_below = false, reduce = false, maximal_leaf = false;
    reduced_db smaller;
    if (met > 0 && !room)
        status = FIMBIT_ENOMEM;
    else if (walk->size <= branch->max_size) {
        sort_u32(cand.item, cand.count);
        for (uint32_t c = 0; c < cand.count; c++) {
            cand.support[c] = walk->count[cand.item[c]];
            cand.baskets[c] = walk->delivered[cand.item[c]];
        }
        if (lower->unclosed && !by_intersection && lower->count > 0)
            mark_unclosed_siblings(walk, lower, &cand, saved_local + 1, support);
        /* MAXIMAL: whether a set found before holds the node's itemset
         * with its candidates (then it is no maximal leaf, and nothing
         * maximal lies below it). When every sibling below the node is its
         * candidate or in its closure, that is the very set its
         * maximal_child_cut() found no set to hold: not asked again. */
        bool held = branch->maximal && (cand.count == 0 || walk->size < branch->max_size) &&
                    cand.count + (walk->local_size - saved_local - 1) != lower->count &&
                    reduced_found_holds(walk, saved_local, cand.item, cand.count);
        if (branch->maximal)
            maximal_leaf =
                cand.count == 0 && !held &&
                !reduced_extended_above(walk, check_from(walk, x), occ, n, support, &met);
        else if (sink_emit(branch->sink, branch->items, walk->size, support))
            status = FIMBIT_ECANCELED;
        walk_below = status == FIMBIT_OK && cand.count > 0 && walk->size < branch->max_size;
        /* MAXIMAL: a subtree settled here needs no smaller database. */
        if (walk_below && branch->maximal &&
            (held || (cand.count >= 2 && reduced_lookahead_settles(walk, x, &cand, met, &status))))
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
                     closed_reduced_forced_mode == CLOSED_REDUCED_FORCE_REBUILD;
            if (reduce) {
                uint32_t below = met;
                met = reduced_count_above(walk, x, occ, n, met);
                for (uint32_t t = below; t < met; t++) {
                    uint32_t y = walk->touched[t];
                    if (walk->count[y] >= branch->min_count && !walk->in_itemset[y])
                        kept += walk->count[y] < n ? walk->count[y] : n;
                }
                /* The children's baskets again, in the smaller database. */
                if (reduced_db_rebuild(walk, x, occ, n, kept, &smaller))
                    reduced_take_buckets(walk, &cand);
                else
                    status = FIMBIT_ENOMEM;
            }
        }
    }
    for (uint32_t t = 0; t < met; t++)
        counts[touched[t]] = 0;
    if (maximal_leaf && status == FIMBIT_OK)
        status = reduced_maximal_report(walk, support);
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
            status = reduced_visit_candidates(walk, &cand);
            walk->db = saved_db;
        } else {
            status = reduced_visit_candidates(walk, &cand);
        }
    }
    walk->focus = parent_focus;
    itemset_pop_to(walk, saved_size, saved_local);
    arena_restore(scratch, mark);
    return status;
}