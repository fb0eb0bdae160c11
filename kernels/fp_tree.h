/*
 * FP-growth's trees, per-thread state and the steps that build and project
 * them, shared by the walk of every target (fpgrowth.c) and the maximal
 * target's FPmax walk (fp_maximal.c). Internal to those two files.
 */
#ifndef FIMBIT_FP_TREE_H
#define FIMBIT_FP_TREE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "found_sets.h"
#include "fp_bits.h"
#include "kernel.h"
#include "maximal_repository.h"

#define FP_NONE UINT32_MAX

/* A tree node as a walk up the tree reads it, in 8 bytes: its count, which
 * only a walk along a chain reads, is in an array of its own
 * (fp_tree.count), where 16-byte nodes held the count and a chain link.
 * Nodes lie in creation order, so that the nodes a path added are adjacent
 * and a walk up a long basket reads few cache lines (grouped by item, each
 * step up was a miss: +20% time on retail-long 70 maximal). An item's chain
 * is kept apart from the nodes (fp_tree), so that FPmax's global tree,
 * whose walk needs the chains of a few items at a time, keeps no link per
 * node: 214 k nodes on retail-long 70, whose 3.4 MB at 16 bytes were the
 * peak of the run. Counts fit 32 bits: fp_build_global() refuses more than
 * 2^32 - 2 item occurrences, and a node counts at most one basket per
 * occurrence. */
typedef struct fp_node {
    uint32_t item;   /* local index in its tree */
    uint32_t parent; /* 0 is the root */
} fp_node;

typedef struct fp_tree {
    uint32_t node_count;     /* root (index 0) included */
    uint32_t item_count;     /* local items 0 .. item_count - 1 */
    uint32_t depth;          /* nodes on the longest path: a single path when == node_count - 1 */
    const uint32_t *rank;    /* local item -> global rank, ascending */
    const uint64_t *support; /* local item -> sum of its node counts */
    /* An item's chain, its nodes in creation order, read through fp_chain:
     * for the local items x >= chain_low it lists, the nodes of x are
     * chain_nodes[chain_start[x - chain_low] .. chain_start[x - chain_low + 1]). */
    const uint32_t *chain_start;
    const uint32_t *chain_nodes;
    uint32_t chain_low;
    const uint32_t *from;    /* local item -> its local index in the tree this
                              * one was projected from (conditional trees) */
    const fp_node *node;     /* node_count nodes */
    const uint32_t *count;   /* node -> baskets (weighted paths) through it */
    /* local item -> the summed depths of its nodes (ancestors below the
     * root): what walking its paths reads, and how much recording them
     * takes (fp_count_base); NULL on the trees of walks that do not record. */
    const uint64_t *cost;
    /* MAXIMAL by branch: local items 0 .. witness_count - 1 are above the
     * branch's item, counted but never added (see fp_build_branch); 0
     * elsewhere. */
    uint32_t witness_count;
} fp_tree;

/* Walks the nodes of one item, in creation order (which keeps conditional
 * paths nearly sorted for fp_path_sort()). */
typedef struct fp_chain {
    const uint32_t *list; /* the item's nodes are list[at .. end) */
    uint32_t at, end;
} fp_chain;

/* @return the first node of local item x, 0 when it has none. */
static inline uint32_t fp_chain_start(fp_chain *chain, const fp_tree *tree, uint32_t x)
{
    chain->list = tree->chain_nodes;
    chain->at = tree->chain_start[x - tree->chain_low];
    chain->end = tree->chain_start[x - tree->chain_low + 1];
    return chain->at < chain->end ? chain->list[chain->at] : 0;
}

/* @return the node after the current one in its chain, 0 after the last. */
static inline uint32_t fp_chain_step(fp_chain *chain)
{
    return ++chain->at < chain->end ? chain->list[chain->at] : 0;
}

/* A weighted path (a basket, for the global tree): items ascending, `count`
 * baskets. */
typedef struct fp_path {
    const uint32_t *items;
    uint32_t length;
    uint32_t count;
} fp_path;

/* What one thread owns. The counting arrays are indexed by local item and kept
 * all zero between projections. */
typedef struct fp_thread {
    arena memory;
    bool ready;
    kernel_sink *sink;
    uint64_t *item_count;     /* projection: summed counts of each item */
    uint32_t *item_nodes;     /* projection: nodes of each item visited */
    uint64_t *touched;        /* projection: bit per item seen, so that sparse bases
                               * are read without scanning every item below */
    uint32_t *local;          /* projection: item -> local index in the new tree, FP_NONE */
    uint32_t *kept_rank;      /* projection: the kept items' ranks, ascending */
    uint32_t *kept_from;      /* projection: the kept items' local indexes */
    uint64_t *kept_support;   /* projection: the kept items' supports */
    uint32_t *deliver;        /* rank -> child index while delivering, else FP_NONE */
    fp_bits_space bits;       /* ALL: bit tables for the bases of few items */
    maximal_repository found; /* MAXIMAL: the sets its walk found (FPmax's MFI-tree) */
    bool has_found;
    uint32_t *key_of; /* MAXIMAL: rank -> its key in `found`, else FP_NONE */
} __attribute__((aligned(64))) fp_thread;

typedef struct fp_shared {
    const kernel_params *params;
    const kernel_data *data;
    fp_tree global;
    /* The global tree's nodes and counts: FPmax's walk over every branch
     * drops the nodes of the branches it has finished (fp_max_every_branch).
     * They are mapped arrays (base/internal.h) with room for global_room
     * and global_count_room, so that the pages of the nodes dropped go back
     * to the system. */
    fp_node *global_node;
    size_t global_room;
    uint32_t *global_count;
    size_t global_count_room;
    fp_thread *threads;
    int thread_count;
    atomic_int status; /* the first failure; FIMBIT_OK while mining goes on */
    /* MAXIMAL by branch: the baskets holding each rank r are
     * holders[holder_start[r] .. holder_start[r + 1]). */
    const uint32_t *holder_start;
    const uint32_t *holders;
} fp_shared;

/* One task's state: its itemset so far. For the ALL target `prefix` holds the
 * items chosen and `extensions` the perfect extensions gathered on the way;
 * for CLOSED and MAXIMAL the perfect extensions go into `prefix` itself. */
typedef struct fp_task {
    fp_shared *shared;
    fp_thread *thread;
    uint32_t *prefix;
    uint32_t prefix_size;
    uint32_t *extensions;
    uint32_t extension_count;
    /* MAXIMAL by branch: the branch's item, whose witnesses have greater
     * ranks; FP_NONE when the walk is one for every branch. */
    uint32_t branch;
    /* MAXIMAL: the top-level branch's head is prefix[0 .. root), in every
     * set of the branch; the repository holds the other items as keys
     * (thread->key_of), keys[i] that of prefix[i]. */
    uint32_t *keys;
    uint32_t root;
    found_sets *every; /* one walk for every branch: all the sets found, else NULL */
} fp_task;

/* The outcome of counting a conditional pattern base. */
typedef struct fp_base {
    uint32_t kept;     /* frequent items that are not perfect extensions */
    uint32_t paths;    /* nodes of the item: paths of the base */
    size_t kept_nodes; /* bound on the nodes of the conditional tree */
    /* When counting recorded the paths: each path with items as
     * [length][count][its items, nearest the item first] from record to
     * record_end, `recorded` baskets in all; record is NULL otherwise. */
    const uint32_t *record;
    const uint32_t *record_end;
    uint64_t recorded;
} fp_base;

/* Reads a counted base's paths, from its record or else from the tree. */
typedef struct fp_base_cursor {
    const fp_tree *tree;
    const fp_base *base;
    const uint32_t *at; /* in the record */
    fp_chain chain;     /* in the tree: the item's chain... */
    uint32_t node;      /* ...and its next node, 0 = end */
    uint64_t left;      /* baskets on paths not yet read */
} fp_base_cursor;

static inline void fp_base_cursor_start(fp_base_cursor *cursor, const fp_tree *tree, uint32_t item,
                                        const fp_base *base)
{
    *cursor = (fp_base_cursor){
        .tree = tree, .base = base, .at = base->record, .left = tree->support[item]};
    cursor->node = fp_chain_start(&cursor->chain, tree, item);
}

/* Writes the next path's kept items (their local[] ids, which are not
 * FP_NONE), nearest the item first, to path[], their number to *length and
 * the path's baskets to *count. path[] has room for the tree's depth: each
 * item is written and kept or not without a branch, which half the items
 * would mispredict. A record leaves out the paths of no item: they come
 * last, as one path. @return false after the last path. */
static inline bool fp_base_cursor_next(fp_base_cursor *cursor, const uint32_t *local,
                                       uint32_t *path, uint32_t *length, uint32_t *count)
{
    size_t n = 0; /* a size_t index needs no widening each step */
    if (cursor->base->record) {
        if (cursor->at == cursor->base->record_end) {
            if (cursor->left == 0)
                return false;
            *count = (uint32_t)cursor->left;
            cursor->left = 0;
            *length = 0;
            return true;
        }
        const uint32_t *at = cursor->at, *end = at + 2 + at[0];
        *count = at[1];
        cursor->left -= at[1];
        /* Independent loads, where the tree's walk up waits on each parent. */
        for (const uint32_t *item = at + 2; item < end; item++) {
            path[n] = local[*item];
            n += path[n] != FP_NONE;
        }
        cursor->at = end;
        *length = (uint32_t)n;
        return true;
    }
    const fp_node *node = cursor->tree->node;
    uint32_t m = cursor->node;
    if (!m)
        return false;
    uint32_t following = fp_chain_step(&cursor->chain);
    __builtin_prefetch(&node[following]); /* as in fp_count_base() */
    __builtin_prefetch(&cursor->tree->count[following]);
    for (uint32_t a = node[m].parent; a; a = node[a].parent) {
        path[n] = local[node[a].item];
        n += path[n] != FP_NONE;
    }
    *count = cursor->tree->count[m];
    cursor->node = following;
    *length = (uint32_t)n;
    return true;
}

static inline void fp_fail(fp_shared *shared, fimbit_status status)
{
    int expected = FIMBIT_OK;
    atomic_compare_exchange_strong(&shared->status, &expected, (int)status);
}

static inline bool fp_stopping(const fp_shared *shared)
{
    return atomic_load_explicit(&shared->status, memory_order_relaxed) != FIMBIT_OK ||
           kernel_output_stopped(shared->params->output);
}

/* Sorts paths lexicographically, stable, through `spare` (n entries). */
void fp_path_sort(fp_path *paths, fp_path *spare, size_t n);

/* The nodes of the tree of `paths` (sorted, local items below `items`), its
 * root included; start[0 .. items] gets where each item's nodes start in a
 * listed chain of them all (fp_tree.chain_start), start[items] their total. */
size_t fp_paths_nodes(const fp_path *paths, size_t path_count, uint32_t items, uint32_t *start);

/* Fills a tree from sorted paths into caller-allocated arrays; see fpgrowth.c. */
void fp_tree_fill(const fp_path *paths, size_t path_count, uint32_t items, uint32_t *stack,
                  fp_node *node, uint32_t *count, const uint32_t *start, uint32_t *position,
                  uint32_t *chain_nodes, uint64_t *cost, fp_tree *tree);

/* Counts the conditional pattern base of `item`: perfect extensions to
 * extensions[], the other frequent items to thread->local and kept_*. With
 * `record`, also records its paths in thread->memory when they fit. */
void fp_count_base(fp_thread *thread, const fp_tree *tree, uint32_t item, uint64_t count,
                   uint64_t min_count, uint32_t *extensions, uint32_t *extension_count,
                   uint8_t *same, bool record, fp_base *base);

/* Builds the conditional tree of `item` after fp_count_base(), with its
 * items' costs when `costs` (see fpgrowth.c).
 * @return false when the arena is exhausted. */
bool fp_build_conditional(fp_thread *thread, const fp_tree *tree, uint32_t item,
                          const fp_base *base, bool costs, fp_tree *out);

/* Starts a task's state in the running thread's arena. */
bool fp_task_start(fp_task *task, fp_shared *shared);

/* A task's work on its fresh state. */
typedef fimbit_status (*fp_task_body)(fp_task *task, const void *context);

/* Runs `body` on a task state started in the running thread's arena, which
 * is given back afterwards; records a failure. @return false when mining
 * was stopping and nothing ran. */
bool fp_run_task(fp_shared *shared, fp_task_body body, const void *context);

/* The maximal target (fp_maximal.c). */

/* True when each top-level branch is walked alone (threads, a top-level
 * mask); else one walk takes every branch in rank order. */
bool fp_max_by_branch(const kernel_params *params);
/* The one walk over every branch, on the calling thread. */
void fp_max_every_branch(fp_shared *shared);
/* Indexes the baskets holding each rank into `memory`, for the walks by
 * branch. @return false when it is exhausted. */
bool fp_index_holders(fp_shared *shared, arena *memory);
/* One top-level branch walked alone (an OpenMP task). */
void fp_max_branch_task(fp_shared *shared, uint32_t item);

#endif /* FIMBIT_FP_TREE_H */
