/*
 * FP-growth over array-based prefix trees.
 *
 * The global tree holds every basket's frequent items in rank order, most
 * frequent next to the root. Mining takes the items of a tree from the least
 * frequent up: the baskets holding item e, cut to the items of smaller rank,
 * are the conditional pattern base of P ∪ {e}; its items that occur in every
 * one of those baskets are perfect extensions (merged into the itemset and
 * dropped from the base), its infrequent items are dropped too, and what is
 * left becomes the conditional tree that the recursion mines.
 *
 * Trees live in contiguous arrays (no allocation per node) taken from
 * per-thread arenas, and are freed by restoring an arena mark when their
 * branch is done. The global tree is built from the baskets sorted
 * lexicographically: each then shares with the tree exactly its common prefix
 * with the previous one, so insertion needs no child look-up however wide the
 * root fans out. Conditional trees, narrow, insert their paths one by one
 * through temporary sibling lists. Chains of same-item nodes run in creation
 * order, so walking one visits the paths nearly in lexicographic order.
 *
 * For the ALL target, an itemset is reported with the perfect extensions
 * gathered on the way down (the sink expands their subsets), a
 * conditional tree that is a single path is reported without recursing, and
 * a conditional base of at most 16 items is mined on bit tables instead of a
 * tree (fp_bits.h).
 *
 * The closed target follows LCM's prefix-preserving argument (see
 * closure.h): the itemset Q = P ∪ {e} ∪ perfect extensions is closed unless an
 * item of greater rank than e, not in Q, occurs in every basket of Q; then no
 * itemset grown from Q is closed either, and the branch is pruned. Those
 * checks need Q's baskets, kept down the recursion as tidsets: a child's is
 * its parent's intersected with a sibling's (Eclat's way), or, on sparse
 * data, all children's are delivered in one pass over the parent's baskets
 * (LCM's way). The projections of the items above also answer many of these
 * checks for free (fp_count_base's `same`).
 *
 * The maximal target is FPmax (Grahne and Zhu): the same walk over the
 * trees, with the maximal sets found so far in a repository
 * (maximal_repository.h) that answers every question without the data; see
 * "maximal target" below.
 *
 * Parallelism: one OpenMP task per item of the global tree, largest expected
 * branch first; a branch whose conditional tree is large splits again into
 * one task per item of that tree. Every task takes its memory from the arena
 * of the thread running it. Tasks are tied, and a thread only switches task at
 * a task scheduling point (task creation, taskwait), which never falls inside
 * a projection; whatever it runs there finishes before it comes back, so each
 * arena stays last-in first-out.
 */
#include <stdatomic.h>
#include <string.h>

#include <omp.h>

#include "arena.h"
#include "base/internal.h"
#include "base/sort_u32.h"
#include "base/topology.h"
#include "base/work_order.h"
#include "fp_tree.h"
#include "tidset.h"

/* Arena chunks: big enough that a chunk serves many conditional trees. */
#define FP_ARENA_CHUNK ((size_t)4 << 20)

/* A conditional tree of at least this many nodes, at depth 1, is mined by one
 * task per item rather than inline. */
#define FP_SPLIT_NODES 2048u

/* Projections of an item with more items than this below it mark the items
 * they see instead of scanning them all. */
#define FP_MARK_ITEMS 256u

/* Below this many paths, insertion sort beats merging. */
#define FP_SORT_RUN 16u

/* Baskets from which the global tree's sort runs on every thread: below, a
 * parallel region costs more than it saves. */
#define FP_PARALLEL_SORT_PATHS 65536u

/* ------------------------------------------------------------ path sorting */

static int fp_path_compare(const fp_path *x, const fp_path *y)
{
    uint32_t n = x->length < y->length ? x->length : y->length;
    for (uint32_t d = 0; d < n; d++)
        if (x->items[d] != y->items[d])
            return x->items[d] < y->items[d] ? -1 : 1;
    return (x->length > y->length) - (x->length < y->length);
}

static void fp_path_insertion_sort(fp_path *paths, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        fp_path value = paths[i];
        size_t j = i;
        while (j > 0 && fp_path_compare(&paths[j - 1], &value) > 0) {
            paths[j] = paths[j - 1];
            j--;
        }
        paths[j] = value;
    }
}

/* Sorts paths lexicographically (a path before its extensions): insertion
 * sort of short runs, then bottom-up merges through `spare` (n entries).
 * Stable, no recursion, no allocation. */
void fp_path_sort(fp_path *paths, fp_path *spare, size_t n)
{
    for (size_t start = 0; start < n; start += FP_SORT_RUN)
        fp_path_insertion_sort(paths + start, n - start < FP_SORT_RUN ? n - start : FP_SORT_RUN);
    fp_path *from = paths, *to = spare;
    for (size_t width = FP_SORT_RUN; width < n; width *= 2) {
        for (size_t left = 0; left < n; left += 2 * width) {
            size_t middle = left + width < n ? left + width : n;
            size_t right = left + 2 * width < n ? left + 2 * width : n;
            size_t i = left, j = middle, k = left;
            while (i < middle && j < right)
                to[k++] = fp_path_compare(&from[j], &from[i]) < 0 ? from[j++] : from[i++];
            while (i < middle)
                to[k++] = from[i++];
            while (j < right)
                to[k++] = from[j++];
        }
        fp_path *swap = from;
        from = to;
        to = swap;
    }
    if (from != paths)
        memcpy(paths, from, n * sizeof *paths);
}

/* Sorts the baskets lexicographically: a counting sort by first item, then
 * each first item's run by fp_path_sort(), in parallel over the runs when
 * they are many. `start` has items + 1 entries. The runs are short and
 * independent, where one merge sort of every basket made log2(n) passes over
 * all of them, on one thread. */
static void fp_path_sort_baskets(fp_path *paths, fp_path *spare, size_t n, uint32_t items,
                                 size_t *start, int threads)
{
    memset(start, 0, ((size_t)items + 1) * sizeof *start);
    for (size_t p = 0; p < n; p++)
        start[paths[p].items[0] + 1]++;
    for (uint32_t r = 0; r < items; r++)
        start[r + 1] += start[r];
    /* start[r] moves to the end of run r - 1 while distributing... */
    for (size_t p = 0; p < n; p++)
        spare[start[paths[p].items[0]]++] = paths[p];
    /* ...so that run r is spare[start[r - 1] .. start[r]). */
    int team = n >= FP_PARALLEL_SORT_PATHS ? threads : 1;
#pragma omp parallel for schedule(dynamic, 16) num_threads(team) default(none) \
    shared(paths, spare, start, items)
    for (uint32_t r = 0; r < items; r++) {
        size_t begin = r ? start[r - 1] : 0;
        fp_path_sort(spare + begin, paths + begin, start[r] - begin);
    }
    memcpy(paths, spare, n * sizeof *paths);
}

/* ---------------------------------------------------------- tree building */

/* @return how many leading items paths a and b share. */
static inline uint32_t fp_paths_shared(const fp_path *a, const fp_path *b)
{
    uint32_t n = a->length < b->length ? a->length : b->length, shared = 0;
    while (shared < n && a->items[shared] == b->items[shared])
        shared++;
    return shared;
}

size_t fp_paths_nodes(const fp_path *paths, size_t path_count, uint32_t items, uint32_t *start)
{
    memset(start, 0, ((size_t)items + 1) * sizeof *start);
    /* Each path adds the nodes past its common prefix with the previous. */
    for (size_t p = 0; p < path_count; p++) {
        uint32_t shared = p > 0 ? fp_paths_shared(&paths[p - 1], &paths[p]) : 0;
        for (uint32_t d = shared; d < paths[p].length; d++)
            start[paths[p].items[d]]++;
    }
    uint32_t total = 0;
    for (uint32_t x = 0; x <= items; x++) {
        uint32_t of_item = x < items ? start[x] : 0;
        start[x] = total;
        total += of_item;
    }
    return (size_t)total + 1; /* the root */
}

/* A tree being filled from sorted paths (fp_tree_fill, fp_fill_global).
 * stack[d] is the node at depth d of the path added last. */
typedef struct fp_filling {
    fp_node *node;
    uint32_t *count;
    uint32_t *stack;
    uint32_t *chain_nodes; /* NULL: the caller lists the chains it needs */
    uint32_t *position;    /* with chain_nodes: where each item's next node goes */
    uint64_t *cost;        /* NULL: not kept */
    uint32_t nodes;
    uint32_t depth;
} fp_filling;

/* Adds a path of `count` baskets whose first `shared` items are those of
 * the path added before (the nodes stack[0 .. shared)) and whose other
 * items are fresh[0 .. fresh_count): new nodes below them. */
static inline void fp_filling_add(fp_filling *f, uint32_t shared, const uint32_t *fresh,
                                  uint32_t fresh_count, uint32_t count)
{
    for (uint32_t d = 0; d < shared; d++)
        f->count[f->stack[d]] += count;
    for (uint32_t k = 0; k < fresh_count; k++) {
        uint32_t item = fresh[k], d = shared + k;
        uint32_t n = f->nodes++;
        f->node[n] = (fp_node){item, d ? f->stack[d - 1] : 0};
        f->count[n] = count;
        if (f->chain_nodes)
            f->chain_nodes[f->position[item]++] = n;
        f->stack[d] = n;
        if (f->cost)
            f->cost[item] += d;
    }
    if (shared + fresh_count > f->depth)
        f->depth = shared + fresh_count;
}

static void fp_filling_start(fp_filling *f, uint32_t items, uint32_t *stack, fp_node *node,
                             uint32_t *count, const uint32_t *start, uint32_t *position,
                             uint32_t *chain_nodes, uint64_t *cost)
{
    *f = (fp_filling){node, count, stack, chain_nodes, position, cost, 1, 0};
    node[0] = (fp_node){FP_NONE, 0};
    count[0] = 0;
    if (chain_nodes)
        memcpy(position, start, (size_t)items * sizeof *position);
}

static void fp_filling_finish(const fp_filling *f, uint32_t items, const uint32_t *start,
                              fp_tree *tree)
{
    tree->node_count = f->nodes;
    tree->item_count = items;
    tree->depth = f->depth;
    tree->node = f->node;
    tree->count = f->count;
    tree->chain_start = start;
    tree->chain_nodes = f->chain_nodes;
    tree->chain_low = 0;
}

/* Builds a tree from `paths` (sorted, none empty, local items below
 * `items`), whose node and count arrays (root included) and item arrays
 * were allocated by the caller, `start` filled by fp_paths_nodes(). With
 * `chain_nodes` (start[items] entries) its chains are listed there;
 * without, the caller lists the chains it needs (FPmax's global tree).
 * `stack` holds `max_length` node indexes, `position` one entry per item.
 * When `cost` is given (zeroed), cost[item] accumulates the depth of each
 * new node: the length of the walks that projecting the item will make. */
void fp_tree_fill(const fp_path *paths, size_t path_count, uint32_t items, uint32_t *stack,
                  fp_node *node, uint32_t *count, const uint32_t *start, uint32_t *position,
                  uint32_t *chain_nodes, uint64_t *cost, fp_tree *tree)
{
    fp_filling f;
    fp_filling_start(&f, items, stack, node, count, start, position, chain_nodes, cost);
    for (size_t p = 0; p < path_count; p++) {
        const fp_path *path = &paths[p];
        uint32_t shared = p > 0 ? fp_paths_shared(&paths[p - 1], path) : 0;
        fp_filling_add(&f, shared, path->items + shared, path->length - shared, path->count);
    }
    fp_filling_finish(&f, items, start, tree);
}

/* The sorted baskets as a stream, for a walk that gives the baskets up once
 * the global tree is built (FPmax's over every branch): each basket as the
 * number of items it shares with the one before, the number of the others,
 * and those others. Filling the tree from it reads it in order, giving its
 * pages back behind (fp_fill_global), where the baskets themselves, read in
 * sorted order, stayed whole beside the whole tree: retail-long 70 maximal
 * peaked there. It takes an entry per node of the tree and two per basket. */
typedef struct fp_basket_stream {
    uint32_t *entries;
    size_t room;
    size_t used;
} fp_basket_stream;

/* Entries between two give-backs of a read stream's pages: 64 KiB. */
#define FP_STREAM_RELEASE_ENTRIES ((size_t)16 << 10)

/* Writes the sorted `paths` to a new stream of `entries` entries.
 * @return false without memory. */
static bool fp_stream_write(fp_basket_stream *stream, const fp_path *paths, size_t path_count,
                            size_t entries)
{
    *stream = (fp_basket_stream){NULL, 0, entries};
    if (!fimbit__grow_mapped_array_to((void **)&stream->entries, &stream->room, entries,
                                      sizeof *stream->entries))
        return false;
    uint32_t *at = stream->entries;
    for (size_t p = 0; p < path_count; p++) {
        uint32_t shared = p > 0 ? fp_paths_shared(&paths[p - 1], &paths[p]) : 0;
        uint32_t fresh = paths[p].length - shared;
        *at++ = shared;
        *at++ = fresh;
        memcpy(at, paths[p].items + shared, fresh * sizeof *at);
        at += fresh;
    }
    return true;
}

/* fp_tree_fill() from a stream of single baskets, which it frees, giving
 * its pages back as it goes. */
static void fp_fill_global(fp_basket_stream *stream, uint32_t items, uint32_t *stack, fp_node *node,
                           uint32_t *count, const uint32_t *start, uint64_t *cost, fp_tree *tree)
{
    fp_filling f;
    fp_filling_start(&f, items, stack, node, count, start, NULL, NULL, cost);
    const uint32_t *entries = stream->entries;
    size_t released = 0;
    /* Bounded by the stream's length: an entry per node and two per basket. */
    for (size_t at = 0; at < stream->used;) {
        uint32_t shared = entries[at], fresh = entries[at + 1];
        fp_filling_add(&f, shared, entries + at + 2, fresh, 1);
        at += 2u + fresh;
        if (at - released >= FP_STREAM_RELEASE_ENTRIES) {
            size_t upto = at - at % FP_STREAM_RELEASE_ENTRIES;
            fimbit__discard_block_prefix(stream->entries + released,
                                         (upto - released) * sizeof *entries);
            released = upto;
        }
    }
    fp_filling_finish(&f, items, start, tree);
    fimbit__free_mapped_array(stream->entries, stream->room, sizeof *stream->entries);
    *stream = (fp_basket_stream){NULL, 0, 0};
}

/* Builds the global tree from the horizontal form into `memory`, but for its
 * nodes, which go to the mapped array shared->global_node (the caller frees
 * it). cost gets, per item, the summed depth of its nodes. With `consume`,
 * the baskets are released (kernel_data.release_horizontal) before the tree
 * is filled, from a stream of them (fp_basket_stream). */
static fimbit_status fp_build_global(fp_shared *shared, arena *memory, uint64_t *cost, bool consume)
{
    const kernel_data *data = shared->data;
    fp_tree *tree = &shared->global;
    uint32_t items = data->item_count;
    uint64_t total = data->tx_offsets[data->tx_count] - data->tx_offsets[0];
    if (total >= UINT32_MAX - 1u)
        return FIMBIT_ENOMEM; /* node indexes are 32 bits */

    /* The sorted baskets and the sort's spare room are mapped apart and
     * unmapped as soon as they are done with (the spare before the tree's
     * nodes are touched: retail-long 70 maximal peaks there by its 400 KB
     * otherwise); the small rest is scratch in an arena of its own. */
    arena scratch;
    arena_init(&scratch, FP_ARENA_CHUNK);
    fimbit_status status = FIMBIT_ENOMEM;
    size_t path_count = 0, nodes;
    uint32_t max_length = 0;
    fp_path *paths = NULL, *spare = NULL;
    size_t paths_room = 0, spare_room = 0;
    fp_basket_stream stream = {NULL, 0, 0};
    uint32_t *position = arena_alloc_array(&scratch, items, sizeof *position);
    size_t *start = arena_alloc_array(&scratch, (size_t)items + 1, sizeof *start);
    uint32_t *chain_start = arena_alloc_array(memory, (size_t)items + 1, sizeof *chain_start);
    if (!fimbit__grow_mapped_array_to((void **)&paths, &paths_room,
                                      data->tx_count ? data->tx_count : 1, sizeof *paths) ||
        !position || !start || !chain_start)
        goto done;
    bool sorted = true;
    for (uint64_t t = 0; t < data->tx_count; t++) {
        uint64_t begin = data->tx_offsets[t], end = data->tx_offsets[t + 1];
        if (end == begin)
            continue;
        fp_path *path = &paths[path_count];
        path->items = data->tx_items + begin;
        path->length = (uint32_t)(end - begin);
        path->count = 1;
        if (path->length > max_length)
            max_length = path->length;
        if (path_count > 0 && sorted && fp_path_compare(&paths[path_count - 1], path) > 0)
            sorted = false;
        path_count++;
    }
    if (!sorted) {
        if (!fimbit__grow_mapped_array_to((void **)&spare, &spare_room, path_count, sizeof *spare))
            goto done;
        fp_path_sort_baskets(paths, spare, path_count, items, start, shared->thread_count);
        fimbit__free_mapped_array(spare, spare_room, sizeof *spare);
        spare = NULL;
        spare_room = 0;
    }
    nodes = fp_paths_nodes(paths, path_count, items, chain_start);
    if (consume) {
        if (!fp_stream_write(&stream, paths, path_count, nodes - 1 + 2 * path_count))
            goto done;
        fimbit__free_mapped_array(paths, paths_room, sizeof *paths);
        paths = NULL;
        paths_room = 0;
        data->release_horizontal(data->horizontal_owner);
    }
    /* FPmax lists the chains of a few items at a time (fp_max_every_branch);
     * the other walks read every item's. */
    uint32_t *chain_nodes = NULL;
    if (shared->params->target != FIMBIT_TARGET_MAXIMAL)
        chain_nodes = arena_alloc_array(memory, nodes, sizeof *chain_nodes);

    uint32_t *rank = arena_alloc_array(memory, items, sizeof *rank);
    uint64_t *support = arena_alloc_array(memory, items, sizeof *support);
    fp_node *node = NULL;
    bool have_nodes =
        fimbit__grow_mapped_array_to((void **)&node, &shared->global_room, nodes, sizeof *node);
    shared->global_node = node;
    uint32_t *count = NULL;
    have_nodes =
        have_nodes && fimbit__grow_mapped_array_to((void **)&count, &shared->global_count_room,
                                                   nodes, sizeof *count);
    shared->global_count = count;
    uint32_t *stack = arena_alloc_array(&scratch, max_length ? max_length : 1, sizeof *stack);
    if (!rank || !support || !have_nodes || !stack ||
        (shared->params->target != FIMBIT_TARGET_MAXIMAL && !chain_nodes))
        goto done;
    for (uint32_t r = 0; r < items; r++) {
        rank[r] = r;
        support[r] = data->item_support[r];
    }
    memset(cost, 0, (size_t)items * sizeof *cost);
    if (consume)
        fp_fill_global(&stream, items, stack, node, count, chain_start, cost, tree);
    else
        fp_tree_fill(paths, path_count, items, stack, node, count, chain_start, position,
                     chain_nodes, cost, tree);
    tree->cost = cost;
    tree->rank = rank;
    tree->support = support;
    status = FIMBIT_OK;
done:
    fimbit__free_mapped_array(stream.entries, stream.room, sizeof *stream.entries);
    fimbit__free_mapped_array(spare, spare_room, sizeof *spare);
    fimbit__free_mapped_array(paths, paths_room, sizeof *paths);
    arena_release(&scratch);
    return status;
}

/* A base's recorded paths take at most this many entries; larger ones are
 * read from the tree again. */
#define FP_RECORD_ENTRIES ((uint64_t)1 << 24)

/* Tests only: see kernel.h. */
static _Atomic bool fp_recording = true;

void fpgrowth__record_paths(bool on) { atomic_store(&fp_recording, on); }

/* Walks up from every node of `item`, summing the counts of the items seen
 * (and marking them when `mark`), and when `record` is given writes each
 * path with items to it (see fp_base); else counts each item's nodes, the
 * bound on the conditional tree's that a record's length gives otherwise.
 * @return the nodes walked from. */
static inline __attribute__((always_inline)) uint32_t fp_walk_base(fp_thread *thread,
                                                                   const fp_tree *tree,
                                                                   uint32_t item, bool mark,
                                                                   uint32_t *record, fp_base *base)
{
    uint64_t *item_count = thread->item_count;
    uint32_t *item_nodes = thread->item_nodes;
    uint64_t *touched = thread->touched;
    const fp_node *node = tree->node;
    uint32_t paths = 0;
    uint32_t *at = record;
    uint64_t recorded = 0;
    size_t with_items = 0; /* recorded paths */
    /* Bounded by the summed depth of the item's nodes. */
    fp_chain chain;
    for (uint32_t n = fp_chain_start(&chain, tree, item), following; n; n = following) {
        uint32_t c = tree->count[n];
        paths++;
        /* The chain's next node and its count are far away in a large tree:
         * fetch them while this node's path is walked (without the count's,
         * chess 959 closed with -a fpgrowth took 8% longer than with counts
         * inside 16-byte nodes; with it 2-4%). */
        following = fp_chain_step(&chain);
        __builtin_prefetch(&node[following]);
        __builtin_prefetch(&tree->count[following]);
        uint32_t *path = record ? at + 2 : NULL; /* no offset on a null pointer */
        for (uint32_t a = node[n].parent; a; a = node[a].parent) {
            uint32_t x = node[a].item;
            if (mark && item_count[x] == 0)
                touched[x >> 6] |= (uint64_t)1 << (x & 63u);
            item_count[x] += c;
            if (record)
                *path++ = x;
            else
                item_nodes[x]++;
        }
        if (record && path > at + 2) {
            at[0] = (uint32_t)(path - at - 2);
            at[1] = c;
            at = path;
            recorded += c;
            with_items++;
        }
    }
    base->record = record;
    base->record_end = at;
    base->recorded = recorded;
    /* The record's items (its lengths and counts aside) bound the new nodes. */
    if (record)
        base->kept_nodes = (size_t)(at - record) - 2u * with_items;
    return paths;
}

/* Counts the conditional pattern base of `item` in `tree`: the summed counts
 * of every item above it on its paths. Items whose count equals `count` (the
 * item's own) are perfect extensions: their ranks go to extensions[*ext_count
 * ..]. The other frequent ones are kept: their local indexes in the
 * conditional tree are written to thread->local, their ranks and supports to
 * thread->kept_rank and kept_support. Leaves the counting arrays zero.
 * When `same` is given (CLOSED), it marks every item j below whose pair
 * with `item` has the support of P ∪ {j}: no itemset P ∪ {j} ∪ E, E below j,
 * is closed (the prefix-preserving closure test, answered for free).
 * When `record` is set and the tree knows its costs, the paths are recorded
 * in thread->memory (see fp_base), for a build or a table to read without
 * walking the tree again. */
void fp_count_base(fp_thread *thread, const fp_tree *tree, uint32_t item, uint64_t count,
                   uint64_t min_count, uint32_t *extensions, uint32_t *extension_count,
                   uint8_t *same, bool record, fp_base *base)
{
    uint32_t *into = NULL;
    if (record && tree->cost && atomic_load_explicit(&fp_recording, memory_order_relaxed)) {
        /* A length and a count per path with items: at most one per item. */
        uint64_t items = tree->cost[item], paths = items < count ? items : count;
        if (items + 2 * paths <= FP_RECORD_ENTRIES)
            into = arena_alloc_array(&thread->memory, items + 2 * paths + 1, sizeof *into);
    }
    /* With many items below, marking the ones seen beats scanning them all
     * afterwards (the top level of sparse data); with few, it does not. */
    bool mark = item > FP_MARK_ITEMS;
    uint32_t paths = mark ? (into ? fp_walk_base(thread, tree, item, true, into, base)
                                  : fp_walk_base(thread, tree, item, true, NULL, base))
                          : (into ? fp_walk_base(thread, tree, item, false, into, base)
                                  : fp_walk_base(thread, tree, item, false, NULL, base));
    uint64_t *item_count = thread->item_count;
    uint32_t *item_nodes = thread->item_nodes;
    uint64_t *touched = thread->touched;
    uint32_t kept = 0;
    size_t kept_nodes = 0;
    uint32_t added = *extension_count;
    /* Classifies item j of the base, in ascending order, and clears its
     * counters; `local` is only read for the items seen (s > 0). */
#define FP_CLASSIFY(j, with_same)                                                        \
    do {                                                                                 \
        uint64_t s = item_count[j];                                                      \
        if (s == 0)                                                                      \
            break;                                                                       \
        if (with_same && s == tree->support[j])                                          \
            same[j] = 1;                                                                 \
        if (s == count) {                                                                \
            extensions[added++] = tree->rank[j];                                         \
            thread->local[j] = FP_NONE;                                                  \
        } else if (s >= min_count) {                                                     \
            thread->local[j] = kept;                                                     \
            thread->kept_rank[kept] = tree->rank[j];                                     \
            thread->kept_from[kept] = j;                                                 \
            thread->kept_support[kept] = s;                                              \
            kept++;                                                                      \
            kept_nodes += item_nodes[j];                                                 \
        } else {                                                                         \
            thread->local[j] = FP_NONE;                                                  \
        }                                                                                \
        item_count[j] = 0;                                                               \
        item_nodes[j] = 0;                                                               \
    } while (0)
    if (mark) {
        for (uint32_t w = 0; w < (item + 63u) / 64u; w++) {
            uint64_t bits = touched[w];
            touched[w] = 0;
            while (bits) {
                uint32_t j = w * 64u + (uint32_t)__builtin_ctzll(bits);
                bits &= bits - 1;
                FP_CLASSIFY(j, same != NULL);
            }
        }
    } else if (same) {
        for (uint32_t j = 0; j < item; j++)
            FP_CLASSIFY(j, 1);
    } else {
        for (uint32_t j = 0; j < item; j++)
            FP_CLASSIFY(j, 0);
    }
#undef FP_CLASSIFY
    *extension_count = added;
    base->kept = kept;
    base->paths = paths;
    if (!into)
        base->kept_nodes = kept_nodes; /* else the walk's bound */
}

/* Builds the conditional tree of `item` after fp_count_base(): every path to
 * a node of the item, cut to the kept items, weighted by the node's count.
 * Paths are inserted one by one, finding children through sibling lists
 * (temporary, freed with the other scratch): conditional trees are narrow,
 * and sorting their paths first costs more than the searches it saves.
 * Nodes come in insertion order, their chains listed afterwards.
 * With `costs` (for a walk that records its bases, FPmax's), each item's
 * summed node depths go to out->cost; else out->cost is NULL.
 * @return false when the arena is exhausted. */
bool fp_build_conditional(fp_thread *thread, const fp_tree *tree, uint32_t item,
                          const fp_base *base, bool costs, fp_tree *out)
{
    arena *memory = &thread->memory;
    uint32_t kept = base->kept;
    size_t node_bound = base->kept_nodes + 1;
    uint32_t *rank = arena_alloc_array(memory, kept, sizeof *rank);
    uint64_t *support = arena_alloc_array(memory, kept, sizeof *support);
    uint32_t *start = arena_alloc_array(memory, (size_t)kept + 1, sizeof *start);
    uint32_t *from = arena_alloc_array(memory, kept, sizeof *from);
    fp_node *node = arena_alloc_array(memory, node_bound, sizeof *node);
    uint32_t *count = arena_alloc_array(memory, node_bound, sizeof *count);
    uint64_t *cost = costs ? arena_alloc_array(memory, kept, sizeof *cost) : NULL;
    if (!rank || !support || !start || !from || !node || !count || (costs && !cost))
        return false;
    memcpy(rank, thread->kept_rank, (size_t)kept * sizeof *rank);
    memcpy(from, thread->kept_from, (size_t)kept * sizeof *from);
    memcpy(support, thread->kept_support, (size_t)kept * sizeof *support);
    memset(start, 0, ((size_t)kept + 1) * sizeof *start);
    if (costs)
        memset(cost, 0, (size_t)kept * sizeof *cost);

    arena_mark scratch = arena_save(memory);
    uint32_t *child = arena_alloc_array(memory, node_bound, sizeof *child);
    uint32_t *sibling = arena_alloc_array(memory, node_bound, sizeof *sibling);
    uint32_t *path = arena_alloc_array(memory, tree->depth, sizeof *path);
    /* The root's children by item: the root fans out to most kept items on
     * sparse data, where a sibling list there is the slow part. */
    uint32_t *root_child = arena_alloc_array(memory, kept, sizeof *root_child);
    if (!child || !sibling || !path || !root_child)
        return false;
    memset(root_child, 0, (size_t)kept * sizeof *root_child);
    node[0] = (fp_node){FP_NONE, 0};
    count[0] = 0;
    child[0] = 0;
    uint32_t nodes = 1, depth = 0;
    fp_base_cursor cursor;
    fp_base_cursor_start(&cursor, tree, item, base);
    uint32_t length, c;
    while (fp_base_cursor_next(&cursor, thread->local, path, &length, &c)) {
        if (length > depth)
            depth = length;
        uint32_t at = 0, above = 0; /* above: the new node's ancestors */
        /* Bounded by the path's length times the fan-out of its nodes. */
        while (length > 0) {
            uint32_t x = path[--length];
            uint32_t k = at ? child[at] : root_child[x];
            while (k && node[k].item != x)
                k = sibling[k];
            if (!k) {
                k = nodes++;
                node[k] = (fp_node){x, at};
                count[k] = 0;
                child[k] = 0;
                if (at) {
                    sibling[k] = child[at];
                    child[at] = k;
                } else {
                    root_child[x] = k;
                }
                start[x]++;
                if (costs)
                    cost[x] += above;
            }
            count[k] += c;
            at = k;
            above++;
        }
    }
    arena_restore(memory, scratch);
    /* The chains, listed in the scratch's place: each item's run ends
     * where the next begins, and is filled from its end, the nodes taken
     * last first, so that it lists them in creation order. */
    uint32_t *chain_nodes = arena_alloc_array(memory, nodes, sizeof *chain_nodes);
    if (!chain_nodes)
        return false;
    for (uint32_t x = 0, total = 0; x <= kept; x++) {
        total += x < kept ? start[x] : 0;
        start[x] = total;
    }
    for (uint32_t k = nodes; k-- > 1;)
        chain_nodes[--start[node[k].item]] = k;
    out->node_count = nodes;
    out->depth = depth;
    out->item_count = kept;
    out->rank = rank;
    out->support = support;
    out->chain_start = start;
    out->chain_nodes = chain_nodes;
    out->chain_low = 0;
    out->from = from;
    out->node = node;
    out->count = count;
    out->cost = cost;
    /* Kept in order: the parent's witnesses that stay come first. */
    uint32_t witnesses = 0;
    while (witnesses < kept && from[witnesses] < tree->witness_count)
        witnesses++;
    out->witness_count = witnesses;
    return true;
}

/* ----------------------------------------------------------------- mining */

/* Conditional bases of at most this many items are mined on bit tables (ALL
 * target); tests lower it to cover both paths on small data. */
static _Atomic uint32_t fp_bit_table_items = FP_BITS_MAX_ITEMS;

void fpgrowth_set_bit_table_items(uint32_t items)
{
    atomic_store(&fp_bit_table_items, items < FP_BITS_MAX_ITEMS ? items : FP_BITS_MAX_ITEMS);
}

/* ALL: mines the conditional base of `item` after fp_count_base() on a bit
 * table instead of a conditional tree: each path to a node of the item
 * becomes the mask of its kept items (their local indexes are bits). */
static fimbit_status fp_mine_bits(fp_task *task, const fp_tree *tree, uint32_t item,
                                  const fp_base *base)
{
    fp_thread *thread = task->thread;
    const kernel_params *params = task->shared->params;
    fp_bits_table table;
    fp_bits_start(&thread->bits, base->kept, &table);
    const uint32_t *local = thread->local;
    const fp_node *node = tree->node;
    fp_chain chain;
    for (uint32_t n = fp_chain_start(&chain, tree, item), following; n; n = following) {
        following = fp_chain_step(&chain);
        __builtin_prefetch(&node[following]); /* as in fp_count_base() */
        uint32_t mask = 0;
        for (uint32_t a = node[n].parent; a; a = node[a].parent) {
            uint32_t x = local[node[a].item];
            if (x != FP_NONE)
                mask |= 1u << x;
        }
        fp_bits_add(&table, mask, tree->count[n]);
    }
    fp_bits_itemset itemset = {thread->sink,       params->min_count,    params->max_size,
                               thread->kept_rank,  task->prefix,         task->prefix_size,
                               task->extensions,   task->extension_count};
    return fp_bits_mine(&thread->bits, &table, thread->kept_support, &itemset) ? FIMBIT_ECANCELED
                                                                              : FIMBIT_OK;
}

/* @return the number of items of rank > `above` whose support reaches
 * `support`: the only ones that can hold every basket of a set that large. */
static uint32_t fp_items_reaching(const kernel_data *data, uint32_t above, uint64_t support)
{
    uint32_t low = above + 1, high = data->item_count;
    while (low < high) { /* supports are non-increasing by rank */
        uint32_t middle = low + (high - low) / 2;
        if (data->item_support[middle] >= support)
            low = middle + 1;
        else
            high = middle;
    }
    return low - above - 1;
}

/* Which of the candidates above `above` are in Q: a bitmap over the first
 * FP_CANDIDATE_BITS of them, a scan of Q for the rest. */
#define FP_CANDIDATE_BITS 256u

typedef struct fp_members {
    uint64_t bits[FP_CANDIDATE_BITS / 64];
    const uint32_t *items;
    uint32_t size;
    uint32_t above;
} fp_members;

static void fp_members_init(fp_members *members, const uint32_t *items, uint32_t size,
                            uint32_t above)
{
    memset(members->bits, 0, sizeof members->bits);
    members->items = items;
    members->size = size;
    members->above = above;
    for (uint32_t i = 0; i < size; i++) {
        uint32_t offset = items[i] - above - 1; /* wraps for items at or below */
        if (items[i] > above && offset < FP_CANDIDATE_BITS)
            members->bits[offset / 64] |= (uint64_t)1 << (offset % 64);
    }
}

static bool fp_members_has(const fp_members *members, uint32_t rank)
{
    uint32_t offset = rank - members->above - 1;
    if (offset < FP_CANDIDATE_BITS)
        return (members->bits[offset / 64] >> (offset % 64)) & 1u;
    for (uint32_t i = 0; i < members->size; i++)
        if (members->items[i] == rank)
            return true;
    return false;
}

/* CLOSED and MAXIMAL: true when an item of rank > `above`, not in Q =
 * items[0 .. size), occurs in every basket of occ (Q is then not closed).
 * Such an item is in occ's first basket and at least as frequent as Q: those
 * few candidates are then tested vertically, each test stopping at the first
 * basket of occ that misses the item. */
static bool fp_has_closure_item(const kernel_data *data, const tidset *occ, const uint32_t *items,
                                uint32_t size, uint32_t above)
{
    uint32_t candidates = fp_items_reaching(data, above, occ->count);
    if (candidates == 0)
        return false;
    tidset_cursor cursor;
    uint64_t tx;
    tidset_cursor_start(&cursor, data, occ);
    if (!tidset_cursor_next(&cursor, &tx))
        return false;
    fp_members members;
    fp_members_init(&members, items, size, above);
    uint32_t last = above + candidates;
    const uint32_t *basket = data->tx_items;
    /* The basket's tail above `above`, read backwards (ranks ascend). */
    for (uint64_t k = data->tx_offsets[tx + 1]; k > data->tx_offsets[tx]; k--) {
        uint32_t r = basket[k - 1];
        if (r <= above)
            break;
        if (r > last || fp_members_has(&members, r))
            continue;
        tidset column = {data->item_support[r],
                         (container *)(data->vertical + (size_t)r * data->shard_count)};
        if (tidset_is_subset(data, occ, &column))
            return true;
    }
    return false;
}

static fimbit_status fp_mine_tree(fp_task *task, const fp_tree *tree, const tidset *sibling,
                                  uint32_t depth);

/* ALL target, a conditional tree that is a single path n1 .. nm (counts
 * non-increasing downwards): every itemset of the branch has a deepest path
 * item nj, takes nj's count, and any subset of n1 .. nj-1 — one emission with
 * extensions per node. */
static fimbit_status fp_emit_single_path(fp_task *task, const fp_tree *tree)
{
    const kernel_params *params = task->shared->params;
    uint32_t size = task->prefix_size + 1;
    if (params->max_size && size > params->max_size)
        return FIMBIT_OK;
    kernel_sink *sink = task->thread->sink;
    uint32_t extension_count = task->extension_count;
    for (uint32_t n = 1; n < tree->node_count; n++) {
        uint32_t rank = tree->rank[tree->node[n].item];
        task->prefix[size - 1] = rank;
        if (sink_emit_with_extensions(sink, task->prefix, size, task->extensions, extension_count,
                                      tree->count[n]))
            return FIMBIT_ECANCELED;
        task->extensions[extension_count++] = rank;
    }
    return FIMBIT_OK;
}

typedef struct fp_split {
    fp_shared *shared;
    const fp_tree *tree;
    const tidset *sibling;
    const uint32_t *prefix;
    uint32_t prefix_size;
    const uint32_t *extensions;
    uint32_t extension_count;
} fp_split;

static fimbit_status fp_grow(fp_task *task, const fp_tree *tree, uint32_t item,
                             const tidset *sibling, uint8_t *same, uint32_t depth);

/* Starts a task's state in the running thread's arena: prefix and extension
 * buffers big enough for every frequent item. */
bool fp_task_start(fp_task *task, fp_shared *shared)
{
    fp_thread *thread = &shared->threads[omp_get_thread_num()];
    if (!thread->ready)
        return false;
    uint32_t items = shared->data->item_count;
    task->shared = shared;
    task->thread = thread;
    task->prefix = arena_alloc_array(&thread->memory, (size_t)items + 1, sizeof *task->prefix);
    task->extensions = arena_alloc_array(&thread->memory, (size_t)items + 1,
                                         sizeof *task->extensions);
    task->prefix_size = 0;
    task->extension_count = 0;
    task->branch = FP_NONE;
    task->keys = arena_alloc_array(&thread->memory, (size_t)items + 1, sizeof *task->keys);
    task->root = 0;
    task->every = NULL;
    return task->prefix && task->extensions && task->keys;
}

bool fp_run_task(fp_shared *shared, fp_task_body body, const void *context)
{
    if (fp_stopping(shared))
        return false;
    fp_thread *thread = &shared->threads[omp_get_thread_num()];
    arena_mark mark = arena_save(&thread->memory);
    fp_task task;
    fimbit_status status = fp_task_start(&task, shared) ? body(&task, context) : FIMBIT_ENOMEM;
    if (status != FIMBIT_OK)
        fp_fail(shared, status);
    arena_restore(&thread->memory, mark);
    return true;
}

/* Item `item` of a split tree. */
typedef struct fp_split_item {
    const fp_split *split;
    uint32_t item;
} fp_split_item;

static fimbit_status fp_split_body(fp_task *task, const void *context)
{
    const fp_split_item *at = context;
    const fp_split *split = at->split;
    memcpy(task->prefix, split->prefix, split->prefix_size * sizeof *task->prefix);
    task->prefix_size = split->prefix_size;
    memcpy(task->extensions, split->extensions, split->extension_count * sizeof *task->extensions);
    task->extension_count = split->extension_count;
    return fp_grow(task, split->tree, at->item, split->sibling, NULL, 1);
}

/* One task of a split branch: item `item` of the split tree. */
static void fp_split_task(const fp_split *split, uint32_t item)
{
    fp_split_item at = {split, item};
    fp_run_task(split->shared, fp_split_body, &at);
}

/* Mines a depth-1 conditional tree with one task per item, waiting for them:
 * the tree and tidsets stay in this task's arena meanwhile, read-only. */
static fimbit_status fp_mine_split(fp_task *task, const fp_tree *tree, const tidset *sibling)
{
    fp_split split = {task->shared, tree, sibling, task->prefix, task->prefix_size,
                      task->extensions, task->extension_count};
    for (uint32_t i = tree->item_count; i-- > 0;) {
        if (fp_stopping(task->shared))
            break;
#pragma omp task default(none) firstprivate(i) shared(split)
        fp_split_task(&split, i);
    }
#pragma omp taskwait
    return FIMBIT_OK;
}

/* The tidsets of Q ∪ {j} for every item j of Q's conditional tree, Eclat's
 * way: occ(Q) ∩ occ(P ∪ {j}), P's sibling sets being no larger than the
 * items' own (which the top level, sibling NULL, uses). @return them, in
 * `memory`, or NULL when it is exhausted. */
static tidset *fp_child_tidsets(const kernel_data *data, arena *memory, const fp_tree *tree,
                                const fp_tree *conditional, const tidset *sibling,
                                const tidset *occ)
{
    tidset *children = arena_alloc_array(memory, conditional->item_count, sizeof *children);
    if (!children)
        return NULL;
    for (uint32_t j = 0; j < conditional->item_count; j++) {
        uint32_t parent = conditional->from[j];
        tidset other;
        if (sibling)
            other = sibling[parent];
        else if (!tidset_of_item(data, tree->rank[parent], memory, &other))
            return NULL;
        if (!tidset_intersect(data, occ, &other, memory, &children[j]))
            return NULL;
    }
    return children;
}

/* The tidsets of Q ∪ {j} for every item j of Q's conditional tree, by
 * occurrence delivery (LCM's way): one pass over Q's baskets appends each to
 * the lists of the children it holds. Every list's length is known (the
 * item's support in the conditional tree), so each is allocated once. Used
 * when occ is sparse (arrays in every shard), where reading its baskets once
 * costs less than one intersection per child. @return the tidsets, or NULL
 * when `memory` is exhausted. */
static tidset *fp_deliver_children(const kernel_data *data, fp_thread *thread,
                                   const fp_tree *conditional, const tidset *occ, uint32_t rank)
{
    arena *memory = &thread->memory;
    uint32_t k = conditional->item_count, shards = data->shard_count;
    tidset *children = arena_alloc_array(memory, k, sizeof *children);
    container *parts = arena_alloc_array(memory, (size_t)k * shards, sizeof *parts);
    uint16_t **cursor = arena_alloc_array(memory, k, sizeof *cursor);
    if (!children || !parts || !cursor)
        return NULL;
    for (uint32_t j = 0; j < k; j++) {
        uint64_t count = conditional->support[j];
        cursor[j] = arena_alloc_array(memory, count ? count : 1, sizeof(uint16_t));
        if (!cursor[j])
            return NULL;
        children[j].count = count;
        children[j].parts = parts + (size_t)j * shards;
        for (uint32_t s = 0; s < shards; s++) {
            container *part = &children[j].parts[s];
            part->cardinality = 0;
            part->kind = CONTAINER_ARRAY;
            part->words = occ->parts[s].words;
            part->u.array = NULL;
        }
    }
    uint32_t *deliver = thread->deliver;
    for (uint32_t j = 0; j < k; j++)
        deliver[conditional->rank[j]] = j;
    tidset_cursor walk;
    uint64_t tx;
    tidset_cursor_start(&walk, data, occ);
    const uint32_t *items = data->tx_items;
    /* Bounded by the summed lengths of occ's baskets below `rank`. */
    while (tidset_cursor_next(&walk, &tx)) {
        uint32_t shard = (uint32_t)(tx / SHARD_BASKETS);
        uint16_t index = (uint16_t)(tx % SHARD_BASKETS);
        for (uint64_t p = data->tx_offsets[tx], end = data->tx_offsets[tx + 1]; p < end; p++) {
            uint32_t r = items[p];
            if (r >= rank)
                break;
            uint32_t j = deliver[r];
            if (j == FP_NONE)
                continue;
            container *part = &children[j].parts[shard];
            if (part->cardinality++ == 0)
                part->u.array = cursor[j];
            *cursor[j]++ = index;
        }
    }
    for (uint32_t j = 0; j < k; j++)
        deliver[conditional->rank[j]] = FP_NONE;
    return children;
}

/* True when Q's children's tidsets are cheaper to deliver than to intersect:
 * occ is an array in every shard, and its baskets are short against the
 * number of children. */
static bool fp_prefer_delivery(const kernel_data *data, const tidset *occ, uint32_t children)
{
    for (uint32_t s = 0; s < data->shard_count; s++)
        if (occ->parts[s].kind != CONTAINER_ARRAY)
            return false;
    uint64_t tx = data->tx_count ? data->tx_count : 1;
    double average_length = (double)data->tx_offsets[data->tx_count] / (double)tx;
    return average_length <= 2.0 * (double)children;
}

/* Grows the current itemset P by local item `item` of `tree` (P's
 * conditional tree), reports what it must and recurses (ALL and CLOSED). For
 * CLOSED, sibling[j] is the tidset of P ∪ {item j of tree} (NULL at the top,
 * where it is item j's own), and `same` (NULL when the tree's items are mined
 * in parallel) the marks that the items above left (fp_count_base). */
static fimbit_status fp_grow(fp_task *task, const fp_tree *tree, uint32_t item,
                             const tidset *sibling, uint8_t *same, uint32_t depth)
{
    fp_shared *shared = task->shared;
    const kernel_params *params = shared->params;
    const kernel_data *data = shared->data;
    fp_thread *thread = task->thread;
    arena *memory = &thread->memory;
    uint64_t count = tree->support[item];
    uint32_t rank = tree->rank[item];
    uint32_t max_size = params->max_size;
    if (count < params->min_count)
        return FIMBIT_OK;
    if (max_size && task->prefix_size + 1 > max_size)
        return FIMBIT_OK;

    arena_mark mark = arena_save(memory);
    uint32_t prefix_size = task->prefix_size, extension_count = task->extension_count;
    fimbit_status status = FIMBIT_OK;
    task->prefix[task->prefix_size++] = rank;

    if (params->target == FIMBIT_TARGET_ALL && max_size && task->prefix_size == max_size) {
        /* Nothing larger is reported: the base need not be read (on one
         * basket of n items at -n 1, reading it made the run O(n^2)). */
        if (sink_emit_with_extensions(thread->sink, task->prefix, task->prefix_size,
                                      task->extensions, task->extension_count, count))
            status = FIMBIT_ECANCELED;
        goto done;
    }
    if (params->target == FIMBIT_TARGET_ALL) {
        fp_base base;
        fp_count_base(thread, tree, item, count, params->min_count, task->extensions,
                      &task->extension_count, NULL, false, &base);
        if (sink_emit_with_extensions(thread->sink, task->prefix, task->prefix_size,
                                      task->extensions, task->extension_count, count)) {
            status = FIMBIT_ECANCELED;
        } else if (base.kept == 1 && (!max_size || task->prefix_size < max_size)) {
            /* A one-node conditional tree: its only itemset, directly. */
            task->prefix[task->prefix_size] = thread->kept_rank[0];
            if (sink_emit_with_extensions(thread->sink, task->prefix, task->prefix_size + 1,
                                          task->extensions, task->extension_count,
                                          thread->kept_support[0]))
                status = FIMBIT_ECANCELED;
        } else if (base.kept > 0 && (!max_size || task->prefix_size < max_size) &&
                   base.kept <= thread->bits.max_items) {
            status = fp_mine_bits(task, tree, item, &base);
        } else if (base.kept > 0 && (!max_size || task->prefix_size < max_size)) {
            fp_tree conditional;
            if (!fp_build_conditional(thread, tree, item, &base, false, &conditional))
                status = FIMBIT_ENOMEM;
            else if (conditional.depth == conditional.node_count - 1)
                status = fp_emit_single_path(task, &conditional);
            else if (depth == 0 && shared->thread_count > 1 &&
                     conditional.node_count >= FP_SPLIT_NODES)
                status = fp_mine_split(task, &conditional, NULL);
            else
                status = fp_mine_tree(task, &conditional, NULL, depth + 1);
        }
        goto done;
    }

    /* CLOSED: Q's baskets (its perfect extensions, all found below, do not
     * change them), then the closure check above `rank`. */
    if (same && same[item])
        goto done;
    tidset q_occ;
    if (sibling) {
        q_occ = sibling[item];
    } else if (!tidset_of_item(data, rank, memory, &q_occ)) {
        status = FIMBIT_ENOMEM;
        goto done;
    }
    if (fp_has_closure_item(data, &q_occ, task->prefix, task->prefix_size, rank))
        goto done;

    fp_base base;
    fp_count_base(thread, tree, item, count, params->min_count, task->prefix, &task->prefix_size,
                  same, false, &base);
    uint32_t size = task->prefix_size;
    if ((!max_size || size <= max_size) && sink_emit(thread->sink, task->prefix, size, count)) {
        status = FIMBIT_ECANCELED;
        goto done;
    }
    if (base.kept > 0 && (!max_size || size < max_size)) {
        fp_tree conditional;
        tidset *children = NULL;
        if (fp_build_conditional(thread, tree, item, &base, false, &conditional))
            children = fp_prefer_delivery(data, &q_occ, conditional.item_count)
                           ? fp_deliver_children(data, thread, &conditional, &q_occ, rank)
                           : fp_child_tidsets(data, memory, tree, &conditional, sibling, &q_occ);
        if (!children)
            status = FIMBIT_ENOMEM;
        else if (depth == 0 && shared->thread_count > 1 &&
                 conditional.node_count >= FP_SPLIT_NODES)
            status = fp_mine_split(task, &conditional, children);
        else
            status = fp_mine_tree(task, &conditional, children, depth + 1);
    }

done:
    task->prefix_size = prefix_size;
    task->extension_count = extension_count;
    arena_restore(memory, mark);
    return status;
}

/* Mines every item of a conditional tree, least frequent first. */
static fimbit_status fp_mine_tree(fp_task *task, const fp_tree *tree, const tidset *sibling,
                                  uint32_t depth)
{
    uint8_t *same = NULL;
    if (task->shared->params->target != FIMBIT_TARGET_ALL) {
        same = arena_alloc(&task->thread->memory, tree->item_count);
        if (!same)
            return FIMBIT_ENOMEM;
        memset(same, 0, tree->item_count);
    }
    for (uint32_t i = tree->item_count; i-- > 0;) {
        if (fp_stopping(task->shared))
            return FIMBIT_ECANCELED;
        fimbit_status status = fp_grow(task, tree, i, sibling, same, depth);
        if (status != FIMBIT_OK)
            return status;
    }
    return FIMBIT_OK;
}

static fimbit_status fp_top_body(fp_task *task, const void *item)
{
    return fp_grow(task, &task->shared->global, *(const uint32_t *)item, NULL, NULL, 0);
}

/* One top-level task: the branch of the itemsets whose greatest rank is `item`. */
static void fp_top_task(fp_shared *shared, uint32_t item)
{
    if (fp_run_task(shared, fp_top_body, &item))
        kernel_output_branch_done(shared->params->output);
}

static bool fp_thread_init(fp_thread *thread, uint32_t items, fimbit_target target,
                           kernel_sink *sink)
{
    arena_init(&thread->memory, FP_ARENA_CHUNK);
    thread->sink = sink;
    size_t n = items ? items : 1;
    thread->item_count = arena_alloc_array(&thread->memory, n, sizeof *thread->item_count);
    thread->item_nodes = arena_alloc_array(&thread->memory, n, sizeof *thread->item_nodes);
    thread->local = arena_alloc_array(&thread->memory, n, sizeof *thread->local);
    thread->touched = arena_alloc_array(&thread->memory, (n + 63) / 64, sizeof *thread->touched);
    thread->kept_rank = arena_alloc_array(&thread->memory, n, sizeof *thread->kept_rank);
    thread->kept_from = arena_alloc_array(&thread->memory, n, sizeof *thread->kept_from);
    thread->kept_support = arena_alloc_array(&thread->memory, n, sizeof *thread->kept_support);
    thread->deliver = arena_alloc_array(&thread->memory, n, sizeof *thread->deliver);
    if (!thread->item_count || !thread->item_nodes || !thread->local || !thread->touched ||
        !thread->kept_rank || !thread->kept_from || !thread->kept_support || !thread->deliver)
        return false;
    /* No base has more items than the data. */
    uint32_t bit_items = atomic_load(&fp_bit_table_items);
    if (target != FIMBIT_TARGET_ALL)
        bit_items = 0;
    if (!fp_bits_space_init(&thread->bits, items < bit_items ? items : bit_items))
        return false;
    if (target == FIMBIT_TARGET_MAXIMAL) {
        thread->key_of = arena_alloc_array(&thread->memory, n, sizeof *thread->key_of);
        if (!thread->key_of || !maximal_repository_init(&thread->found, items))
            return false;
        thread->has_found = true;
        for (size_t r = 0; r < n; r++)
            thread->key_of[r] = FP_NONE;
    }
    for (size_t r = 0; r < n; r++)
        thread->deliver[r] = FP_NONE;
    memset(thread->touched, 0, (n + 63) / 64 * sizeof *thread->touched);
    memset(thread->item_count, 0, n * sizeof *thread->item_count);
    memset(thread->item_nodes, 0, n * sizeof *thread->item_nodes);
    thread->ready = true;
    return true;
}

bool fpgrowth_needs_vertical(const kernel_params *params)
{
    return params->target == FIMBIT_TARGET_CLOSED;
}

fimbit_status fpgrowth_mine(const kernel_params *params)
{
    const kernel_data *data = params->data;
    uint32_t items = data->item_count;
    if (items == 0 || data->tx_count == 0)
        return FIMBIT_OK;
    if (fpgrowth_needs_vertical(params) && !data->vertical)
        return FIMBIT_EINTERNAL;

    fp_shared shared;
    memset(&shared, 0, sizeof shared);
    shared.params = params;
    shared.data = data;
    bool by_branch = params->target == FIMBIT_TARGET_MAXIMAL && fp_max_by_branch(params);
    /* FPmax's one walk over every branch runs on one thread. */
    bool one_walk = params->target == FIMBIT_TARGET_MAXIMAL && !by_branch;
    shared.thread_count = params->threads > 0 && !one_walk ? params->threads : 1;
    atomic_init(&shared.status, FIMBIT_OK);

    arena global;
    arena_init(&global, FP_ARENA_CHUNK);
    fimbit_status status = FIMBIT_ENOMEM;
    uint64_t *cost = arena_alloc_array(&global, items, sizeof *cost);
    uint32_t *order = arena_alloc_array(&global, items, sizeof *order);
    work_item *costed = arena_alloc_array(&global, items, sizeof *costed);
    shared.threads = fimbit__calloc((size_t)shared.thread_count, sizeof *shared.threads);
    /* FPmax's one walk over every branch reads the global tree only: the
     * baskets can go before the tree's and the walk's memory comes
     * (retail-long 70 maximal: 1.3 MB of the peak). The other walks read
     * them to the end. */
    bool reads_baskets = by_branch || params->target != FIMBIT_TARGET_MAXIMAL;
    if (cost && order && costed && shared.threads)
        status =
            fp_build_global(&shared, &global, cost, !reads_baskets && data->release_horizontal);
    if (status == FIMBIT_OK && by_branch && !fp_index_holders(&shared, &global))
        status = FIMBIT_ENOMEM;
    if (status != FIMBIT_OK) {
        fimbit__free(shared.threads);
        fimbit__free_mapped_array(shared.global_node, shared.global_room,
                                  sizeof *shared.global_node);
        fimbit__free_mapped_array(shared.global_count, shared.global_count_room,
                                  sizeof *shared.global_count);
        arena_release(&global);
        return status;
    }
    /* Ties go to the higher rank (deeper, cheaper to build): items counted
     * from the end. */
    for (uint32_t r = 0; r < items; r++)
        costed[r] = (work_item){cost[r], items - 1 - r};
    qsort(costed, items, sizeof *costed, work_item_descending);
    for (uint32_t r = 0; r < items; r++)
        order[r] = items - 1 - costed[r].item;

#pragma omp parallel num_threads(shared.thread_count) default(none) \
    shared(shared, params, items, order, by_branch)
    {
        topology_bind_thread();
        int t = omp_get_thread_num();
        fp_thread *thread = &shared.threads[t];
        if (!fp_thread_init(thread, items, params->target, kernel_output_sink(params->output, t)))
            fp_fail(&shared, FIMBIT_ENOMEM);
#pragma omp single
        {
            bool maximal = params->target == FIMBIT_TARGET_MAXIMAL;
            if (maximal && !by_branch)
                fp_max_every_branch(&shared);
            for (uint32_t k = 0; k < items && (!maximal || by_branch); k++) {
                uint32_t item = order[k];
                if (fp_stopping(&shared))
                    break;
                if (params->top_level && !params->top_level[item])
                    continue;
                if (maximal) {
#pragma omp task default(none) firstprivate(item) shared(shared)
                    fp_max_branch_task(&shared, item);
                } else {
#pragma omp task default(none) firstprivate(item) shared(shared)
                    fp_top_task(&shared, item);
                }
            }
        }
        /* The barrier closing `single` has run every task. */
        if (thread->has_found)
            maximal_repository_release(&thread->found);
        fp_bits_space_release(&thread->bits);
        arena_release(&thread->memory);
    }

    status = (fimbit_status)atomic_load(&shared.status);
    fimbit__free(shared.threads);
    fimbit__free_mapped_array(shared.global_node, shared.global_room, sizeof *shared.global_node);
    fimbit__free_mapped_array(shared.global_count, shared.global_count_room,
                              sizeof *shared.global_count);
    arena_release(&global);
    return status;
}
