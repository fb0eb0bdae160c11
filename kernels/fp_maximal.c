/*
 * The maximal target of FP-growth: FPmax over fpgrowth.c's trees.
 */
#include <stdatomic.h>
#include <string.h>

#include <omp.h>

#include "arena.h"
#include "base/internal.h"
#include "base/sort_u32.h"
#include "fp_tree.h"

/*
 * FPmax (Grahne and Zhu). The walk visits the nodes of the ALL target's
 * walk, least frequent item first at every level, and keeps the maximal
 * sets it finds in a repository. A node's head H (its parent's, its item
 * and their perfect extensions) and tail T (the other items frequent in its
 * base) bound its subtree: every itemset below lies between H and H ∪ T. A
 * frequent proper superset of H ∪ S (S ⊆ T) adds an item of T, below the
 * node, or an item taken before H's at some level, whose subtree the walk
 * finished earlier, leaving a stored set that holds that superset. So a node
 * whose H ∪ T a stored set holds has nothing maximal below it; a node with
 * no tail, or whose conditional tree is a single path (H ∪ T is then
 * frequent), has one candidate, H ∪ T, maximal since no stored set holds
 * it. The data is never read for a check.
 *
 * That argument needs one walk over all branches in rank order, on one
 * thread. With more threads (or a top-level mask) each top-level branch e is
 * walked alone, with a repository of its own, over the tree of the baskets
 * holding e whose paths also carry the items above e frequent with e
 * (witnesses), next to the root, so that every base below counts them
 * exactly (fp_build_branch). A node with a witness in all its baskets has
 * nothing maximal below it, and nor has a leaf or single path with a
 * witness (H ∪ T ∪ {w} is frequent); otherwise the argument covers the
 * items below e.
 *
 * With a max_size bound a candidate is maximal when no frequent set of one
 * more item holds it, so the walk stops at heads of max_size items, storing
 * H ∪ {t} for every t of a tail (or H, when perfect extensions made it
 * larger): every frequent set of up to max_size + 1 items that it skips.
 */

/* Bases of at most this many items (no witness among them) are walked on a
 * table of every subset's support (fp_max_bits) rather than on trees. */
#define FP_MAX_BIT_ITEMS 8u

static _Atomic uint32_t fp_max_bit_items = FP_MAX_BIT_ITEMS;

void fpgrowth__set_maximal_bit_items(uint32_t items)
{
    atomic_store(&fp_max_bit_items, items < FP_MAX_BIT_ITEMS ? items : FP_MAX_BIT_ITEMS);
}

/* Tests only: see kernel.h. */
static _Atomic bool fp_forced_branches;

void fpgrowth__force_maximal_branches(bool on) { atomic_store(&fp_forced_branches, on); }

/* True when the maximal target walks each top-level branch on its own: for a
 * top-level mask (MPI ranks), which the one walk's argument does not cover.
 * Not for more threads: a branch walked alone with its witnesses took 2.6 to
 * 54 times the one walk's CPU time (-T 2 against -T 1, 7 Dec: chess 1500 54x,
 * chess 1000 9.4 against 0.27 s, mushroom 400 22x, BMS1 40 6.5x, retail 20
 * 3.6x, retail-long 70 2.6x), which a team wins back only with more threads
 * than that and branches even enough to share; so the one walk runs on one
 * thread whatever the count. */
bool fp_max_by_branch(const kernel_params *params)
{
    return params->top_level || atomic_load(&fp_forced_branches);
}

/* Stores task->prefix[0 .. size), frequent: in the repository as keys
 * (from task->root on), and for the one walk over every branch in
 * task->every, in rank order, without its greatest item (the branch's,
 * prefix[0]): the branches still to come are those of smaller ranks, and
 * seed from the sets' items below theirs only (retail-long 70: 499,479
 * nodes with those leaves, 105,290 without). Leaves the ranks in
 * task->extensions (unused by this target). @return false without memory. */
static bool fp_max_stored(fp_task *task, uint32_t size)
{
    /* Reversed: a head's items come mostly in descending rank, and
     * insertion sort is quick on nearly sorted input. */
    uint32_t *sorted = task->extensions;
    for (uint32_t i = 0; i < size; i++)
        sorted[i] = task->prefix[size - 1u - i];
    sort_u32(sorted, size);
    return maximal_repository_add(&task->thread->found, task->keys + task->root,
                                  size - task->root) &&
           (!task->every || found_sets_add(task->every, sorted, size - 1u));
}

/* Stores task->prefix[0 .. size), a maximal set with `count` baskets, and
 * reports it when max_size allows. */
static fimbit_status fp_max_found(fp_task *task, uint32_t size, uint64_t count)
{
    if (!fp_max_stored(task, size))
        return FIMBIT_ENOMEM;
    uint32_t max_size = task->shared->params->max_size;
    if (max_size && size > max_size)
        return FIMBIT_OK;
    /* Reported in rank order: the walk by branch and the one for all, on
     * trees or tables, add a set's items in different orders, and a streamed
     * line must not depend on the thread count. */
    return sink_emit(task->thread->sink, task->extensions, size, count) ? FIMBIT_ECANCELED
                                                                        : FIMBIT_OK;
}

/* max_size reached by the head prefix[0 .. size) with tail[0 .. tail_count):
 * stores the frequent sets of max_size + 1 items the walk skips below. */
static fimbit_status fp_max_bounded(fp_task *task, uint32_t size, const uint32_t *tail,
                                    uint32_t tail_count)
{
    if (size > task->shared->params->max_size)
        return fp_max_stored(task, size) ? FIMBIT_OK : FIMBIT_ENOMEM;
    for (uint32_t t = 0; t < tail_count; t++) {
        task->prefix[size] = tail[t];
        task->keys[size] = task->thread->key_of[tail[t]];
        if (!fp_max_stored(task, size + 1))
            return FIMBIT_ENOMEM;
    }
    return FIMBIT_OK;
}

static fimbit_status fp_max_tree(fp_task *task, const fp_tree *tree, const maximal_focus *focus);

/* The checks of a node that need no tree: its head is task->prefix[0 ..
 * size), with `count` baskets, the first `inherited` items (task->root at
 * least) its parent's head, which every entry of `focus` holds; its tail is
 * prefix[size .. size + tail) (past the head: disjoint ranks, and the buffer
 * holds every item). Keys the new items. @return true when the node is done
 * (*status says how), false when its subtree must be walked. */
static bool fp_max_settled(fp_task *task, const maximal_focus *focus, uint32_t inherited,
                           uint32_t size, uint32_t tail, uint64_t count, fimbit_status *status)
{
    for (uint32_t i = inherited; i < size + tail; i++)
        task->keys[i] = task->thread->key_of[task->prefix[i]];
    const uint32_t *keys = task->keys + task->root;
    uint32_t held = inherited - task->root;
    *status = FIMBIT_OK;
    if (maximal_repository_covers(&task->thread->found, focus, keys, held, keys + held,
                                  size + tail - inherited))
        return true;
    uint32_t max_size = task->shared->params->max_size;
    if (tail == 0)
        *status = fp_max_found(task, size, count);
    else if (max_size && size >= max_size)
        *status = fp_max_bounded(task, size, task->prefix + size, tail);
    return tail == 0 || (max_size && size >= max_size);
}

/* The focus below a node whose head is prefix[0 .. size) (see
 * fp_max_settled). @return false when the arena is exhausted. */
static bool fp_max_narrow(fp_task *task, const maximal_focus *focus, uint32_t inherited,
                          uint32_t size, maximal_focus *below)
{
    const uint32_t *keys = task->keys + task->root;
    uint32_t held = inherited - task->root;
    return maximal_repository_narrow(&task->thread->found, focus, keys, held, keys + held,
                                     size - inherited, &task->thread->memory, below);
}

/* The subtree of a node below the head prefix[0 .. size) whose base keeps
 * few items (no witness), on a table of the supports of every subset of
 * them: support[S] for S over bits 0 .. items - 1 (bit b = rank[b]) counts
 * the head with S. Walks the nodes of the items below bit `below` and not
 * in `chosen` (the bits the head holds), highest first, as fp_max_tree()
 * would; the head with its whole tail is a candidate whenever it is
 * frequent (a single path is one case). */
static fimbit_status fp_max_bits(fp_task *task, const uint32_t *support, const uint32_t *rank,
                                 uint32_t chosen, uint32_t below, const maximal_focus *focus)
{
    uint64_t min_count = task->shared->params->min_count;
    uint32_t inherited = task->prefix_size;
    fimbit_status status = FIMBIT_OK;
    for (uint32_t i = below; i-- > 0 && status == FIMBIT_OK;) {
        uint32_t with = chosen | 1u << i;
        uint64_t count = support[with];
        if ((chosen >> i) & 1u || count < min_count)
            continue;
        uint32_t size = inherited;
        task->prefix[size++] = rank[i];
        uint32_t tail_bits = 0;
        for (uint32_t j = 0; j < i; j++) {
            uint64_t s = support[with | 1u << j];
            if ((chosen >> j) & 1u || s < min_count)
                continue;
            if (s == count) {
                with |= 1u << j;
                task->prefix[size++] = rank[j];
            } else {
                tail_bits |= 1u << j;
            }
        }
        uint32_t tail = 0;
        for (uint32_t j = 0; j < i; j++)
            if ((tail_bits >> j) & 1u)
                task->prefix[size + tail++] = rank[j];
        task->prefix_size = size;
        arena_mark mark = arena_save(&task->thread->memory);
        maximal_focus next;
        if (fp_max_settled(task, focus, inherited, size, tail, count, &status))
            ;
        else if (support[with | tail_bits] >= min_count)
            status = fp_max_found(task, size + tail, support[with | tail_bits]);
        else if (!fp_max_narrow(task, focus, inherited, size, &next))
            status = FIMBIT_ENOMEM;
        else
            status = fp_max_bits(task, support, rank, with, i, &next);
        arena_restore(&task->thread->memory, mark);
        task->prefix_size = inherited;
        if (status == FIMBIT_OK && fp_stopping(task->shared))
            status = FIMBIT_ECANCELED;
    }
    return status;
}

/* Turns the baskets of each exact mask, support[0 .. entries), into each
 * set's support: the sum over its supersets, bit by bit. The sets without
 * bit b come in runs of 2^b, each followed by the run with it; the runs of
 * the three lowest bits, too short to loop over, are summed in blocks of
 * eight entries (their loops' overhead was 6% of BMS1 30's instructions). */
static void fp_max_superset_sums(uint32_t *support, uint32_t entries)
{
    uint32_t half = 1;
    if (entries >= 8) {
        for (uint32_t block = 0; block < entries; block += 8)
            for (uint32_t h = 1; h < 8; h *= 2)
                for (uint32_t m = block; m < block + 8; m++)
                    if (!(m & h))
                        support[m] += support[m + h];
        half = 8;
    }
    for (; half < entries; half *= 2)
        for (uint32_t run = 0; run < entries; run += 2 * half)
            for (uint32_t m = run; m < run + half; m++)
                support[m] += support[m + half];
}

/* Walks the subtree of a node, its head in task->prefix, on a table of
 * supports (fp_max_bits) built from the paths of item `item` of `tree`:
 * base->kept items at most FP_MAX_BIT_ITEMS, no witness among them. */
static fimbit_status fp_max_bits_start(fp_task *task, const fp_tree *tree, uint32_t item,
                                       const fp_base *base, uint32_t inherited,
                                       const maximal_focus *focus)
{
    fp_thread *thread = task->thread;
    uint32_t items = base->kept, entries = 1u << items, size = task->prefix_size;
    uint32_t *support = arena_alloc_array(&thread->memory, entries, sizeof *support);
    uint32_t *rank = arena_alloc_array(&thread->memory, items, sizeof *rank);
    if (!support || !rank)
        return FIMBIT_ENOMEM;
    memcpy(rank, thread->kept_rank, items * sizeof *rank);
    memset(support, 0, entries * sizeof *support);
    uint32_t *path = arena_alloc_array(&thread->memory, tree->depth, sizeof *path);
    if (!path)
        return FIMBIT_ENOMEM;
    fp_base_cursor cursor;
    fp_base_cursor_start(&cursor, tree, item, base);
    uint32_t length, count;
    /* Bounded by the summed depth of the item's nodes, then items * 2^items. */
    while (fp_base_cursor_next(&cursor, thread->local, path, &length, &count)) {
        uint32_t mask = 0;
        for (uint32_t i = 0; i < length; i++)
            mask |= 1u << path[i];
        support[mask] += count;
    }
    fp_max_superset_sums(support, entries);
    if (support[entries - 1] >= task->shared->params->min_count)
        return fp_max_found(task, size + items, support[entries - 1]);
    maximal_focus below;
    if (!fp_max_narrow(task, focus, inherited, size, &below))
        return FIMBIT_ENOMEM;
    return fp_max_bits(task, support, rank, 0, items, &below);
}

/* A node: its head is task->prefix[0 .. prefix_size), with `count` baskets;
 * the first `inherited` items (task->root at least) are its parent's head,
 * which every entry of `focus` holds. The frequent items of its base are
 * thread->kept_rank[0 .. base->kept), witnesses first. Its conditional tree
 * is `built`, or else is built from item `item` of `tree` when needed. */
static fimbit_status fp_max_node(fp_task *task, const maximal_focus *focus, uint32_t inherited,
                                 uint64_t count, const fp_tree *tree, uint32_t item,
                                 const fp_base *base, const fp_tree *built)
{
    fp_thread *thread = task->thread;
    uint32_t size = task->prefix_size;
    /* Witnesses are ranks above task->branch (FP_NONE is above every rank). */
    for (uint32_t i = inherited; i < size; i++)
        if (task->prefix[i] > task->branch)
            return FIMBIT_OK; /* a witness in every basket */
    uint32_t witnesses = 0;
    while (witnesses < base->kept && thread->kept_rank[witnesses] > task->branch)
        witnesses++;
    uint32_t tail = base->kept - witnesses;
    if (tail == 0 && witnesses > 0)
        return FIMBIT_OK;
    memcpy(task->prefix + size, thread->kept_rank + witnesses, tail * sizeof *task->prefix);
    fimbit_status status;
    if (fp_max_settled(task, focus, inherited, size, tail, count, &status))
        return status;
    if (base->kept == 1) /* a one-node conditional tree, without building it */
        return fp_max_found(task, size + 1, thread->kept_support[0]);
    if (!built && witnesses == 0 && base->kept <= atomic_load(&fp_max_bit_items))
        return fp_max_bits_start(task, tree, item, base, inherited, focus);
    fp_tree conditional;
    if (!built) {
        if (!fp_build_conditional(thread, tree, item, base, true, &conditional))
            return FIMBIT_ENOMEM;
        built = &conditional;
    }
    if (built->depth == built->node_count - 1) {
        /* A single path: its deepest node counts H ∪ T (still past the head),
         * and H ∪ T ∪ {w} for a witness w on it, which would lie next to the
         * root (a branch's tree may lack some of its witnesses). */
        if (built->node[1].item < built->witness_count)
            return FIMBIT_OK;
        return fp_max_found(task, size + tail, built->count[built->node_count - 1]);
    }
    maximal_focus below;
    if (!fp_max_narrow(task, focus, inherited, size, &below))
        return FIMBIT_ENOMEM;
    return fp_max_tree(task, built, &below);
}

/* The node of `tree`'s item `item` below the head in task->prefix. */
static fimbit_status fp_max_grow(fp_task *task, const fp_tree *tree, uint32_t item,
                                 const maximal_focus *focus)
{
    fp_thread *thread = task->thread;
    uint64_t count = tree->support[item];
    uint32_t inherited = task->prefix_size;
    arena_mark mark = arena_save(&thread->memory);
    task->prefix[task->prefix_size++] = tree->rank[item];
    fp_base base;
    fp_count_base(thread, tree, item, count, task->shared->params->min_count, task->prefix,
                  &task->prefix_size, NULL, true, &base);
    fimbit_status status = fp_max_node(task, focus, inherited, count, tree, item, &base, NULL);
    task->prefix_size = inherited;
    arena_restore(&thread->memory, mark);
    return status;
}

/* Every item of `tree` but its witnesses, least frequent first. */
static fimbit_status fp_max_tree(fp_task *task, const fp_tree *tree, const maximal_focus *focus)
{
    for (uint32_t i = tree->item_count; i-- > tree->witness_count;) {
        if (fp_stopping(task->shared))
            return FIMBIT_ECANCELED;
        fimbit_status status = fp_max_grow(task, tree, i, focus);
        if (status != FIMBIT_OK)
            return status;
    }
    return FIMBIT_OK;
}

/* Seeds the repository of the top-level branch of `item` with the sets
 * found before that hold the item, as keys (task->every): each distinct
 * run of their items below it once. The branches to come, of smaller
 * ranks, ask for none of the items from `item` on. @return false without
 * memory. */
static bool fp_max_seed(fp_task *task, uint32_t item)
{
    found_sets *every = task->every;
    uint32_t *keys = task->keys + task->root; /* free until the walk starts */
    for (uint32_t n = found_sets_first(every, item); n; n = found_sets_next(every, n)) {
        uint32_t size = found_sets_project(every, n, task->thread->key_of, keys);
        if (!maximal_repository_add(&task->thread->found, keys, size))
            return false;
    }
    found_sets_keep_below(every, item);
    return true;
}

/* The root of the top-level branch of `item`: its head (the item and its
 * perfect extensions) is task->prefix, its base's frequent items are
 * thread->kept_rank[0 .. base->kept), and its tree is `built` or item `item`
 * of `tree`. Keys those items by their local ids, so that the repository
 * holds few keys and exact masks when it can, and walks the branch. */
static fimbit_status fp_max_root(fp_task *task, uint32_t item, uint64_t count, const fp_tree *tree,
                                 const fp_base *base, const fp_tree *built)
{
    fp_thread *thread = task->thread;
    uint32_t kept = base->kept;
    for (uint32_t i = 1; i < task->prefix_size; i++)
        if (task->prefix[i] > task->branch)
            return FIMBIT_OK; /* a witness in every basket */
    uint32_t *ranks = arena_alloc_array(&thread->memory, kept ? kept : 1, sizeof *ranks);
    if (!ranks)
        return FIMBIT_ENOMEM;
    memcpy(ranks, thread->kept_rank, kept * sizeof *ranks);
    for (uint32_t k = 0; k < kept; k++)
        thread->key_of[ranks[k]] = k;
    maximal_repository_clear_for(&thread->found, kept);
    task->root = task->prefix_size;
    fimbit_status status = FIMBIT_OK;
    if (task->every && !fp_max_seed(task, item))
        status = FIMBIT_ENOMEM;
    maximal_focus everything = {NULL, 0, 0};
    if (status == FIMBIT_OK)
        status = fp_max_node(task, &everything, task->root, count, tree, item, base, built);
    for (uint32_t k = 0; k < kept; k++)
        thread->key_of[ranks[k]] = FP_NONE;
    return status;
}

/* The global tree's chains for the walk over every branch, listed for a
 * window of ranks at a time: one list for all the nodes would take 4 bytes
 * a node, at the run's peak, where a window takes an eighth of that and a
 * pass over the nodes left. */
typedef struct fp_global_chains {
    const uint32_t *all_start; /* rank -> its nodes' start in a list of all */
    uint32_t *start;           /* the window's fp_tree.chain_start */
    uint32_t *list;            /* the window's fp_tree.chain_nodes */
    uint32_t room;             /* entries of list */
    bool listed;               /* a window is listed */
} fp_global_chains;

static inline uint32_t fp_global_nodes_of(const fp_global_chains *chains, uint32_t rank)
{
    return chains->all_start[rank + 1] - chains->all_start[rank];
}

/* @return false when the thread's arena is exhausted. */
static bool fp_global_chains_init(fp_global_chains *chains, const fp_tree *tree, arena *memory)
{
    uint32_t items = tree->item_count;
    chains->all_start = tree->chain_start; /* fp_build_global() lists none */
    chains->start = arena_alloc_array(memory, (size_t)items + 1, sizeof *chains->start);
    uint32_t room = tree->node_count / 8u + 1u;
    for (uint32_t r = 0; r < items; r++)
        if (fp_global_nodes_of(chains, r) > room)
            room = fp_global_nodes_of(chains, r);
    chains->room = room;
    chains->list = arena_alloc_array(memory, room, sizeof *chains->list);
    chains->listed = false;
    return chains->start && chains->list;
}

/* Lists the chains of `top` and of the ranks below it that fit, in the
 * tree's node order (creation order, which the walk's results follow). */
static void fp_global_chains_list(fp_global_chains *chains, fp_tree *tree, uint32_t top)
{
    uint32_t low = top, total = fp_global_nodes_of(chains, top);
    while (low > 0 && total + fp_global_nodes_of(chains, low - 1) <= chains->room)
        total += fp_global_nodes_of(chains, --low);
    /* start[r - low] is where rank r's run ends while listing... */
    uint32_t *start = chains->start, at = 0;
    for (uint32_t r = low; r <= top; r++) {
        start[r - low] = at;
        at += fp_global_nodes_of(chains, r);
    }
    const fp_node *node = tree->node;
    /* Bounded by the nodes left: a pass per window. */
    for (uint32_t n = 1; n < tree->node_count; n++) {
        uint32_t item = node[n].item;
        if (item >= low && item <= top)
            chains->list[start[item - low]++] = n;
    }
    /* ...and where it begins after. */
    for (uint32_t r = top + 1; r-- > low;)
        start[r - low + 1] = start[r - low];
    start[0] = 0;
    tree->chain_start = start;
    tree->chain_nodes = chains->list;
    tree->chain_low = low;
    chains->listed = true;
}

/* Keeps only the global tree's nodes of items below `below`: the walk over
 * every branch has finished the others' branches, and a later branch reads
 * only smaller ranks (its base lies above its nodes). The nodes kept move
 * down in order, so every path and chain order stays as it was (a parent is
 * made before its children, so it lies before them, and is kept: its rank is
 * smaller), and the pages past them are released, where the whole tree
 * stayed until the end (retail-long 70: 16 k of 214 k nodes left when the
 * last fifth of the branches finds half of the sets). A node's new index is
 * its old one less the nodes dropped before it, counted from a bit per node
 * in `memory`, given back afterwards; the chains listed move with them.
 * @return false when it is exhausted. */
static bool fp_max_keep_below(fp_shared *shared, fp_global_chains *chains, uint32_t below,
                              arena *memory)
{
    fp_tree *tree = &shared->global;
    fp_node *node = shared->global_node;
    uint32_t *count = shared->global_count;
    uint32_t nodes = tree->node_count, words = nodes / 64u + 1u;
    arena_mark mark = arena_save(memory);
    uint64_t *dropped = arena_alloc_array(memory, words, sizeof *dropped);
    uint32_t *before = arena_alloc_array(memory, words, sizeof *before); /* dropped before word */
    if (!dropped || !before)
        return false;
    memset(dropped, 0, words * sizeof *dropped);
    for (uint32_t n = 1; n < nodes; n++)
        if (node[n].item >= below)
            dropped[n / 64u] |= (uint64_t)1 << (n % 64u);
    uint32_t total = 0;
    for (uint32_t w = 0; w < words; w++) {
        before[w] = total;
        total += (uint32_t)__builtin_popcountll(dropped[w]);
    }
#define FP_DROPPED_BEFORE(n)                                                                       \
    (before[(n) / 64u] +                                                                           \
     (uint32_t)__builtin_popcountll(dropped[(n) / 64u] & (((uint64_t)1 << ((n) % 64u)) - 1u)))
    /* A node moves to an index no greater than its own, which every node
     * left to move lies past. */
    for (uint32_t n = 1; n < nodes; n++) {
        if (dropped[n / 64u] >> (n % 64u) & 1u)
            continue;
        uint32_t parent = node[n].parent, to = n - FP_DROPPED_BEFORE(n);
        if (parent)
            parent -= FP_DROPPED_BEFORE(parent);
        node[to] = (fp_node){node[n].item, parent};
        count[to] = count[n];
    }
    /* The window's chains of the ranks kept (the others are not read again). */
    if (chains->listed && tree->chain_low < below) {
        uint32_t end = tree->chain_start[below - tree->chain_low];
        for (uint32_t k = 0; k < end; k++)
            chains->list[k] -= FP_DROPPED_BEFORE(chains->list[k]);
    }
#undef FP_DROPPED_BEFORE
    tree->node_count = nodes - total;
    arena_restore(memory, mark);
    /* Memory freed to the allocator stayed resident, and the sets found
     * later, in mapped arrays of their own (found_sets.c), did not reuse
     * it: the pages go back to the system at once. */
    fimbit__release_mapped_array_after(node, tree->node_count, shared->global_room, sizeof *node);
    fimbit__release_mapped_array_after(count, tree->node_count, shared->global_count_room,
                                       sizeof *count);
    return true;
}

/* One walk over every branch, in rank order: each branch's repository
 * starts from the sets found before that hold its item. Once the branches
 * done hold half of the global tree's nodes, those nodes are dropped. */
void fp_max_every_branch(fp_shared *shared)
{
    fp_thread *thread = &shared->threads[omp_get_thread_num()];
    arena_mark mark = arena_save(&thread->memory);
    fp_task task;
    found_sets every;
    fp_global_chains chains;
    fimbit_status status = FIMBIT_ENOMEM;
    fp_tree *global = &shared->global;
    uint32_t items = global->item_count;
    if (found_sets_init(&every, items)) {
        status =
            fp_global_chains_init(&chains, global, &thread->memory) && fp_task_start(&task, shared)
                ? FIMBIT_OK
                : FIMBIT_ENOMEM;
        task.every = &every;
    }
    uint32_t done_nodes = 0; /* in the global tree, of the branches done */
    for (uint32_t i = items; i-- > 0 && status == FIMBIT_OK;) {
        if (fp_stopping(shared)) {
            status = FIMBIT_ECANCELED;
            break;
        }
        if (!chains.listed || i < global->chain_low)
            fp_global_chains_list(&chains, global, i);
        arena_mark branch = arena_save(&thread->memory);
        task.prefix[0] = global->rank[i];
        task.prefix_size = 1;
        fp_base base;
        fp_count_base(thread, global, i, global->support[i], shared->params->min_count, task.prefix,
                      &task.prefix_size, NULL, true, &base);
        status = fp_max_root(&task, i, global->support[i], global, &base, NULL);
        arena_restore(&thread->memory, branch);
        kernel_output_branch_done(shared->params->output);
        done_nodes += fp_global_nodes_of(&chains, i);
        if (status == FIMBIT_OK && i > 0 && 2u * (uint64_t)done_nodes >= global->node_count) {
            if (!fp_max_keep_below(shared, &chains, i, &thread->memory))
                status = FIMBIT_ENOMEM;
            done_nodes = 0;
        }
    }
    if (status != FIMBIT_OK)
        fp_fail(shared, status);
    found_sets_release(&every);
    arena_restore(&thread->memory, mark);
}

/* The baskets holding each rank (fp_shared.holders), in `memory`.
 * @return false when it is exhausted. */
bool fp_index_holders(fp_shared *shared, arena *memory)
{
    const kernel_data *data = shared->data;
    uint32_t items = data->item_count;
    uint64_t first = data->tx_offsets[0], total = data->tx_offsets[data->tx_count] - first;
    uint32_t *start = arena_alloc_array(memory, (size_t)items + 1, sizeof *start);
    uint32_t *next = arena_alloc_array(memory, items, sizeof *next);
    uint32_t *holders = arena_alloc_array(memory, total ? total : 1, sizeof *holders);
    if (!start || !next || !holders)
        return false;
    memset(start, 0, ((size_t)items + 1) * sizeof *start);
    for (uint64_t p = first; p < first + total; p++)
        start[data->tx_items[p] + 1]++;
    for (uint32_t r = 0; r < items; r++) {
        start[r + 1] += start[r];
        next[r] = start[r];
    }
    for (uint64_t t = 0; t < data->tx_count; t++)
        for (uint64_t p = data->tx_offsets[t]; p < data->tx_offsets[t + 1]; p++)
            holders[next[data->tx_items[p]]++] = (uint32_t)t;
    shared->holder_start = start;
    shared->holders = holders;
    return true;
}

/* Classifies the items seen[0 .. seen_count) (ascending, counts in tally[],
 * which is cleared) of the baskets holding the task's branch item, `count`
 * of them: those in all join the prefix, the other frequent ones get local
 * ids (witnesses first) and go to thread->kept_*. @return the witnesses. */
static uint32_t fp_branch_items(fp_task *task, const uint32_t *seen, uint32_t seen_count,
                                uint64_t count, fp_base *base)
{
    fp_thread *thread = task->thread;
    uint64_t *tally = thread->item_count, min_count = task->shared->params->min_count;
    uint32_t rank = task->branch, witnesses = 0;
    for (uint32_t i = 0; i < seen_count; i++)
        if (seen[i] > rank && tally[seen[i]] >= min_count && tally[seen[i]] < count)
            witnesses++;
    uint32_t next_witness = 0, next_below = witnesses;
    for (uint32_t i = 0; i < seen_count; i++) {
        uint32_t y = seen[i];
        uint64_t s = tally[y];
        tally[y] = 0;
        thread->local[y] = FP_NONE;
        if (y == rank) {
            continue;
        } else if (s == count) {
            task->prefix[task->prefix_size++] = y;
        } else if (s >= min_count) {
            uint32_t id = y > rank ? next_witness++ : next_below++;
            thread->local[y] = id;
            thread->kept_rank[id] = y;
            thread->kept_support[id] = s;
        }
    }
    base->kept = next_below;
    return witnesses;
}

/* The tree of a top-level branch walked alone: the baskets holding the
 * task's branch item (the prefix so far), over the other items frequent
 * among them. Items in all of them join the prefix (perfect extensions);
 * the others are kept as fp_count_base() keeps them, with local ids: the
 * witnesses (items above the branch's) first, then the items below, each
 * part in rank order, so that witnesses lie next to the root. Baskets with
 * no item below are left out: no node of the walk is in them.
 * @return false when the arena is exhausted. */
static bool fp_build_branch(fp_task *task, fp_base *base, fp_tree *out)
{
    fp_shared *shared = task->shared;
    const kernel_data *data = shared->data;
    fp_thread *thread = task->thread;
    arena *memory = &thread->memory;
    uint32_t rank = task->branch;
    const uint32_t *holders = shared->holders + shared->holder_start[rank];
    uint32_t holder_count = shared->holder_start[rank + 1] - shared->holder_start[rank];
    const uint64_t *offsets = data->tx_offsets;
    const uint32_t *items = data->tx_items;
    uint64_t *tally = thread->item_count;
    uint32_t *seen = arena_alloc_array(memory, data->item_count, sizeof *seen);
    if (!seen)
        return false;
    uint32_t seen_count = 0;
    size_t occurrences = 0;
    /* Bounded by the summed lengths of the baskets holding `rank`. */
    for (uint32_t h = 0; h < holder_count; h++) {
        uint64_t t = holders[h];
        for (uint64_t p = offsets[t]; p < offsets[t + 1]; p++)
            if (tally[items[p]]++ == 0)
                seen[seen_count++] = items[p];
        occurrences += offsets[t + 1] - offsets[t];
    }
    sort_u32(seen, seen_count);
    uint32_t witnesses = fp_branch_items(task, seen, seen_count, holder_count, base);
    uint32_t kept = base->kept;

    fp_path *paths = arena_alloc_array(memory, holder_count, sizeof *paths);
    fp_path *spare = arena_alloc_array(memory, holder_count, sizeof *spare);
    uint32_t *buffer = arena_alloc_array(memory, occurrences ? occurrences : 1, sizeof *buffer);
    if (!paths || !spare || !buffer)
        return false;
    const uint32_t *local = thread->local;
    size_t path_count = 0, used = 0;
    uint32_t max_length = 1;
    for (uint32_t h = 0; h < holder_count; h++) {
        uint64_t t = holders[h], p = offsets[t], end = offsets[t + 1];
        uint32_t *path = buffer + used, length = 0;
        while (items[p] < rank)
            p++;
        for (uint64_t q = p + 1; q < end; q++) /* the witnesses */
            if (local[items[q]] != FP_NONE)
                path[length++] = local[items[q]];
        uint32_t witness_length = length;
        for (uint64_t q = offsets[t]; q < p; q++)
            if (local[items[q]] != FP_NONE)
                path[length++] = local[items[q]];
        if (length == witness_length)
            continue;
        paths[path_count++] = (fp_path){path, length, 1};
        used += length;
        if (length > max_length)
            max_length = length;
    }
    fp_path_sort(paths, spare, path_count);
    size_t n = kept ? kept : 1;
    uint32_t *start = arena_alloc_array(memory, n + 1, sizeof *start);
    if (!start)
        return false;
    size_t nodes = fp_paths_nodes(paths, path_count, kept, start);
    uint32_t *ranks = arena_alloc_array(memory, n, sizeof *ranks);
    uint64_t *support = arena_alloc_array(memory, n, sizeof *support);
    uint32_t *position = arena_alloc_array(memory, n, sizeof *position);
    uint32_t *stack = arena_alloc_array(memory, max_length, sizeof *stack);
    fp_node *node = arena_alloc_array(memory, nodes, sizeof *node);
    uint32_t *count = arena_alloc_array(memory, nodes, sizeof *count);
    uint32_t *chain_nodes = arena_alloc_array(memory, nodes, sizeof *chain_nodes);
    uint64_t *cost = arena_alloc_array(memory, n, sizeof *cost);
    if (!ranks || !support || !position || !stack || !node || !count || !chain_nodes || !cost)
        return false;
    memcpy(ranks, thread->kept_rank, kept * sizeof *ranks);
    memcpy(support, thread->kept_support, kept * sizeof *support);
    memset(cost, 0, n * sizeof *cost);
    fp_tree_fill(paths, path_count, kept, stack, node, count, start, position, chain_nodes, cost,
                 out);
    out->cost = cost;
    out->rank = ranks;
    out->support = support;
    out->from = NULL;
    out->witness_count = witnesses;
    return true;
}

static fimbit_status fp_max_branch_body(fp_task *task, const void *context)
{
    uint32_t item = *(const uint32_t *)context;
    task->branch = item;
    task->prefix[task->prefix_size++] = item;
    fp_base base;
    fp_tree tree;
    if (!fp_build_branch(task, &base, &tree))
        return FIMBIT_ENOMEM;
    return fp_max_root(task, item, task->shared->data->item_support[item], NULL, &base, &tree);
}

/* One top-level branch walked alone, with the thread's repository. */
void fp_max_branch_task(fp_shared *shared, uint32_t item)
{
    if (fp_run_task(shared, fp_max_branch_body, &item))
        kernel_output_branch_done(shared->params->output);
}
