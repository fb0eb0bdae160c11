/*
 * Occurrence delivery in closed_reduced.c: a node's baskets handed to the
 * buckets of the items below its own, by reading its baskets or (MAXIMAL) by
 * intersecting them with its parent's lists, and MAXIMAL's look-ahead, which
 * intersects the buckets.
 */
#include <string.h>

#include "closed_reduced_walk.h"

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

/* out = a ∩ b over the merged baskets of walk's database (both ascending;
 * out may be a), summing the weights of those kept into *support: a merge,
 * or a search per basket of a once it is far shorter than b. a's baskets
 * weigh `weight` together: once those missed leave less than min_count,
 * the rest is not read and *support is left below min_count. @return the
 * length of out. */
static uint32_t intersect_baskets(const reduced_walk *walk, const uint32_t *a, uint32_t na,
                                  uint64_t weight, const uint32_t *b, uint32_t nb, uint32_t *out,
                                  uint64_t *support)
{
    /* Each basket missed weighs at least 1. */
    uint64_t slack = weight - walk->branch->min_count;
    uint32_t kept = 0, i = 0, j = 0;
    *support = 0;
    if ((uint64_t)na * 8u < nb) {
        for (; i < na && j < nb && i - kept <= slack; i++) {
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
            if (++i - kept > slack)
                break;
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
bool reduced_lookahead_settles(reduced_walk *walk, uint32_t x, const candidates *cand, uint32_t met,
                               fimbit_status *status)
{
    const closed_reduced_branch *branch = walk->branch;
    /* The union's baskets: those in every candidate's bucket, from the
     * rarest candidate's on. Buckets list their baskets ascending, as the
     * node's baskets are (reduced_deliver() keeps their order, a database's are
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
            held = intersect_baskets(walk, holding, held, support, walk->bucket[cand->item[c]],
                                     cand->baskets[c], holding, &support);
    if (support < branch->min_count)
        return false;
    /* The counts of the items below x stay (visit() may rebuild with them). */
    uint32_t counted = met;
    bool extended =
        reduced_extended_above(walk, check_from(walk, x), holding, held, support, &counted);
    for (uint32_t t = met; t < counted; t++)
        walk->count[walk->touched[t]] = 0;
    if (extended || walk->size + cand->count > branch->max_size)
        return true;
    uint32_t size = walk->size, local_size = walk->local_size;
    for (uint32_t c = 0; c < cand->count; c++)
        itemset_push(walk, cand->item[c]);
    *status = reduced_maximal_report(walk, support);
    itemset_pop_to(walk, size, local_size);
    return true;
}

/* Occurrence delivery: hands each basket of occ[0 .. n) to the (empty)
 * bucket of every item below x in it, and counts those items (weighted),
 * appending the items met first to walk->touched. @return how many were met.
 * One pass over the baskets' items below x, which are their first ones; the
 * caller takes the buckets' lengths and empties them (see reduced_walk). */
uint32_t reduced_deliver(reduced_walk *walk, uint32_t x, const uint32_t *occ, uint32_t n)
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
 * reduced_deliver_by_intersection(): when it has few of its parent's candidates
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
bool reduced_delivers_by_intersection(const lower_candidates *lower, uint32_t n)
{
    if (!lower->lists)
        return false;
    if (closed_reduced_forced_intersection >= 0)
        return closed_reduced_forced_intersection != 0;
    return lower->count <= CLOSED_REDUCED_INTERSECT_MAX &&
           lower->start[lower->count] - lower->start[0] <=
               (uint64_t)n * CLOSED_REDUCED_INTERSECT_LISTS;
}

/* reduced_deliver() from the other side (Eclat's): each of the parent's candidates
 * below x gets the baskets of occ[0 .. n) in its parent's list, so only
 * those items are read, not every item below x of every basket (and is
 * flagged as reduced_deliver() does). The node's
 * baskets are marked for the time, so each list is read once, in order: the
 * buckets keep the lists' ascending order. A byte a mark rather than a bit
 * takes two instructions out of the test, a tenth of a byte per item of the
 * branch's database (BMS1 40 maximal, -T 1: 214.7 -> 207.5 M instructions,
 * 27.6 -> 27.0 ms; retail-long 70 the same time and peak). @return as
 * reduced_deliver(), with the items in ascending order. */
uint32_t reduced_deliver_by_intersection(reduced_walk *walk, const uint32_t *occ, uint32_t n,
                                         const lower_candidates *lower)
{
    /* Locals: the byte stores below (marks, unclosed) may alias any field. */
    uint8_t *marks = walk->basket_marks;
    const uint32_t *db_items = walk->db.items;
    uint64_t *counts = walk->count;
    uint32_t *const *bucket = walk->bucket;
    uint32_t **bucket_end = walk->bucket_end;
    uint32_t *touched = walk->touched;
    const uint32_t *item = lower->item, *lists = lower->lists, *start = lower->start;
    const uint64_t *support = lower->support;
    uint8_t *unclosed = lower->unclosed;
    uint64_t min_count = walk->branch->min_count;
    for (uint32_t i = 0; i < n; i++)
        marks[basket_mark(occ[i])] = 1;
    uint32_t met = 0;
    for (uint32_t k = 0, candidates = lower->count; k < candidates; k++) {
        uint32_t y = item[k];
        const uint32_t *list = lists + start[k];
        uint32_t length = start[k + 1] - start[k], held = 0, j = 0;
        uint32_t *out = bucket[y]; /* room for the parent's bucket of y */
        /* Its count here is its parent's less a weight of at least 1 for
         * each basket of the list not held: once more are missed than its
         * slack above min_count, it is infrequent and the rest of the list
         * is not read (BMS1 40 maximal: 27.7 -> 25.3 M instructions).
         * Checked every 32 baskets, so the copy stays free of branches. */
        uint64_t slack = support[k] - min_count;
        while (j < length && j - held <= slack) {
            uint32_t end = length - j > 32 ? j + 32 : length;
            /* No branch on the test: its outcome is a coin toss. */
            for (; j < end; j++) {
                out[held] = list[j];
                held += marks[basket_mark(list[j])];
            }
        }
        if (held == 0 || j - held > slack)
            continue; /* as if never met */
        uint64_t count = 0;
        for (uint32_t h = 0; h < held; h++)
            count += db_items[out[h] - HEADER_WEIGHT];
        counts[y] = count;
        unclosed[k] |= count == support[k];
        bucket_end[y] = out + held;
        touched[met++] = y;
    }
    for (uint32_t i = 0; i < n; i++)
        marks[basket_mark(occ[i])] = 0;
    return met;
}

/* Takes the lengths of the buckets of cand's items into cand->baskets and
 * empties them (see reduced_walk). */
void reduced_take_buckets(reduced_walk *walk, candidates *cand)
{
    for (uint32_t c = 0; c < cand->count; c++) {
        uint32_t y = cand->item[c];
        cand->baskets[c] = (uint32_t)(walk->bucket_end[y] - walk->bucket[y]);
        walk->bucket_end[y] = walk->bucket[y];
    }
}