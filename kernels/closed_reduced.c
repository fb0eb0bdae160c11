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

#include "closed_reduced_walk.h"
#include "base/sort_u32.h"

/* Sparse enough for the reduced databases: average basket length over
 * frequent items below this fraction of the items. */
#define CLOSED_REDUCED_MAX_DENSITY 0.05

/* sort_kept() scans the tallies when at least 1 / this of the items are kept. */
#define CLOSED_REDUCED_SCAN_DENSITY 8u

/* The roots' counts come from a table of every pair's count when the tables
 * of all threads take at most this many bytes, and no more than 4 bytes an
 * occurrence of the data: a larger table costs more memory than the count
 * passes it saves cost time (retail-long 70: +4 MB peak, no faster). */
#define CLOSED_REDUCED_PAIR_BYTES (32u << 20)

int closed_reduced_forced_mode = -1, closed_reduced_forced_intersection = -1;
static int forced_pairs = -1;

void closed_reduced__force(int mode) { closed_reduced_forced_mode = mode; }

void closed_reduced__force_intersection(int mode) { closed_reduced_forced_intersection = mode; }

void closed_reduced__force_pairs(int mode) { forced_pairs = mode; }

bool closed_reduced_suits(const kernel_data *data)
{
    /* A branch's database holds at most every basket, with its header and
     * END_OF_BASKET, and names them by 32-bit positions (see reduced_db). */
    uint64_t items = data->tx_offsets[data->tx_count];
    if (items + (uint64_t)data->tx_count * (BASKET_HEADER + 1) >= UINT32_MAX)
        return false;
    if (closed_reduced_forced_mode >= 0)
        return closed_reduced_forced_mode != CLOSED_REDUCED_FORCE_OFF;
    if (data->tx_count == 0 || data->item_count == 0)
        return false;
    double average = (double)items / (double)data->tx_count;
    return average < CLOSED_REDUCED_MAX_DENSITY * (double)data->item_count;
}

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

/* Sorts the `kept` ranks of touched[], the ranks of non-zero tally among
 * item_count: by a scan of tally when they are dense among the ranks (on
 * T10I4D100K 10, sorting hundreds of ranks a branch cost as much as the
 * scan of every rank's tally), else by sort_u32(). */
static void sort_kept(const uint64_t *tally, uint32_t item_count, uint32_t *touched, uint32_t kept)
{
    bool scan = (uint64_t)kept * CLOSED_REDUCED_SCAN_DENSITY >= item_count;
    if (closed_reduced_forced_mode == CLOSED_REDUCED_FORCE_ON ||
        closed_reduced_forced_mode == CLOSED_REDUCED_FORCE_REBUILD)
        scan = closed_reduced_forced_mode ==
               CLOSED_REDUCED_FORCE_ON; /* tests: each way on every branch */
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
            prefetch_basket(data, &span[k + CLOSED_REDUCED_PREFETCH]);
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
    if ((!branch->maximal || kept == 0) && sink_emit(branch->sink, branch->items, size, support)) {
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
    candidates cand;
    bool cand_room = candidates_alloc(&cand, pivot, scratch);
    cand.count = pivot;
    walk.bucket = arena_alloc_array(scratch, pivot, sizeof *walk.bucket);
    walk.bucket_end = arena_alloc_array(scratch, pivot, sizeof *walk.bucket_end);
    walk.delivered = arena_alloc_array(scratch, pivot, sizeof *walk.delivered);
    if (!walk.count || !walk.in_itemset || !walk.touched || !walk.local || !walk.above ||
        !walk.above_bits || !walk.spare_bits || !walk.itemset_bits || !cand_room || !walk.bucket ||
        !walk.bucket_end || !walk.delivered) {
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
    bool built = reduced_db_build(&walk, span, support, item, pivot, capacity);
    for (uint32_t l = 0; l < kept; l++)
        branch->slot[touched[l]] = -1;
    if (built && branch->maximal) {
        uint32_t marks = basket_mark(db_end(&walk.db)) + 1;
        walk.basket_marks = arena_alloc_array(scratch, marks, sizeof *walk.basket_marks);
        if (walk.basket_marks)
            memset(walk.basket_marks, 0, marks * sizeof *walk.basket_marks);
    }
    if (!built || (branch->maximal && !walk.basket_marks)) {
        status = FIMBIT_ENOMEM;
        goto done;
    }
    reduced_take_buckets(&walk, &cand);
    status = reduced_visit_candidates(&walk, &cand);
done:
    for (uint32_t l = 0; l < kept; l++)
        tally[touched[l]] = 0;
    arena_restore(scratch, mark);
    return status;
}
