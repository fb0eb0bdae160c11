/*
 * Eclat over the vertical form: a depth-first walk of the itemset lattice
 * where every node holds a class of candidate items with the tidsets of the
 * node extended by each of them.
 *
 * Items are added in decreasing rank order (towards more frequent items, as
 * closure.h describes): the node P, reached by adding item i last, has as
 * candidates the items j < i that are frequent together with P, each with
 * tidset(P ∪ j). A child P ∪ {i'} (i' a candidate) gets the candidates j < i'
 * by intersecting tidset(P ∪ i') with tidset(P ∪ j). One top-level node per
 * item e starts the walk, with every item below e as candidate.
 *
 * Perfect extensions (count(P ∪ j) == count(P)) leave the class: for target
 * ALL they are reported as free extensions of every itemset below P
 * (sink_emit_with_extensions); for CLOSED and MAXIMAL they are merged into the
 * itemset, which together with the prefix-preserving check of closure.h
 * (closure_has_item_above) makes every node reached a closed itemset (LCM's
 * ppc-extension argument, mirrored to decreasing ranks).
 *
 * Candidate counting has two ways. Vertical: intersect tidsets with an early
 * abort as soon as min_count is out of reach. Horizontal: walk the node's
 * baskets in the CSR and count every candidate at once (a slot map from rank to
 * candidate), then build the tidsets of the frequent, non-perfect ones in a
 * second pass that appends each basket to its candidates' lists (LCM's
 * occurrence delivery); on sparse data with long classes this replaces
 * thousands of failing intersections by two passes over a few baskets. A cost
 * estimate picks one way per node.
 *
 * The closed and maximal targets learn from siblings: walking a class from
 * its highest entry down, a node that counts its class also finds which lower
 * siblings it lies in the closure of (and flags them pruned), so the data-wide
 * closure check of a node only needs the items above its parent's item. The
 * maximal target also looks ahead (MAFIA's head-union-tail): a node whose
 * whole class can join it and stay frequent has a single maximal candidate
 * below it.
 *
 * On dense data a closed or maximal node with few baskets projects them
 * (subset_data.h): its subtree then reads a kernel_data of just those
 * baskets, one shard of local basket ids with a bitmap column per item, where
 * an intersection ANDs ceil(count / 64) words instead of merging two arrays
 * of basket indexes. The ranks, the itemset and the walk stay the same, so
 * the output does too.
 *
 * On sparse data the closed and maximal targets mine each top-level branch
 * horizontally instead, over the branch's reduced conditional database with
 * merged baskets (closed_reduced.h): there the data-wide closure checks cost
 * more than the search itself.
 *
 * Parallelism: top-level items are OpenMP tasks, most costly (least frequent
 * item, longest class) first; a node near the top with a long class hands its
 * children out as tasks too. Each task works in an arena of its own taken from
 * a pool (never a per-thread arena: a thread may interleave tasks). A node
 * that hands its class to child tasks gives up its arena to them (reference
 * counted, read-only from then on) and goes on in a fresh one. No task ever
 * waits for another; the implicit barrier at the end of the parallel region
 * waits for all.
 */
#include <stdatomic.h>
#include <string.h>

#include <omp.h>

#include "base/internal.h"
#include "base/topology.h"
#include "arena.h"
#include "closed_reduced.h"
#include "closure.h"
#include "kernel.h"
#include "maximal_repository.h"
#include "subset_data.h"
#include "tidset.h"

/* Arena chunks: big enough for the classes of a few levels of a dense run.
 * A task's arena goes from its first small chunk to one of these at once
 * (arena_init_flat): what a deep walk leaves resident is then what it holds
 * at its deepest, not a doubling chain's sum of fills. */
#define ECLAT_ARENA_CHUNK ((size_t)1 << 20)
/* Nodes at most this deep (items of the core) may hand children out as tasks. */
#define ECLAT_SPAWN_DEPTH 2u
/* ... when they have at least this many children. */
#define ECLAT_SPAWN_MIN_CLASS 4u
/* ... and while fewer than this many arenas per thread are in use. */
#define ECLAT_SPAWN_ARENAS_PER_THREAD 8u
/* A closed or maximal node may project its baskets (eclat_projects) when
 * their bitmaps take at most 1 / ECLAT_PROJECT_WORD_RATIO of the words of
 * the data it reads, and the intersections saved below outweigh the build
 * (an item read costs ECLAT_PROJECT_BUILD_COST of a word saved). Both by
 * instruction counts on mushroom (1% and 5%) and chess: ratio 2 against 1,
 * 4 or 8, cost 0.5 against 0.1 to 1; chess never projects at its
 * thresholds. */
#define ECLAT_PROJECT_WORD_RATIO 2u
#define ECLAT_PROJECT_BUILD_COST 0.5

/* --------------------------------------------------------- arena pool */

/* A task's working memory: an arena plus item buffers kept across tasks. */
typedef struct pooled_arena {
    arena memory;
    struct pooled_arena *next_free; /* in the pool's free list */
    struct pooled_arena *next_all;  /* every arena, for the final release */
    struct pooled_arena *next_held; /* arenas one walker holds */
    _Atomic uint32_t references;
    uint32_t *items;   /* the current itemset (item_count entries) */
    uint32_t *ext;     /* target ALL: perfect extensions (item_count entries) */
    int32_t *slot;     /* rank -> candidate index, -1 outside a count (item_count) */
    uint64_t *tally;   /* per candidate index, 0 outside a count (item_count) */
    uint64_t *met;     /* bit per candidate index, 0 outside a count */
    maximal_repository repository; /* MAXIMAL with a team, or a reduced branch: the task's own */
} __attribute__((aligned(64))) pooled_arena;

typedef struct arena_pool {
    omp_lock_t lock;
    pooled_arena *free;
    pooled_arena *all;
    _Atomic uint32_t in_use;
    uint32_t item_count;
    bool repositories; /* each arena carries a maximal_repository */
} arena_pool;

static void pool_init(arena_pool *pool, uint32_t item_count, bool repositories)
{
    omp_init_lock(&pool->lock);
    pool->free = NULL;
    pool->all = NULL;
    atomic_init(&pool->in_use, 0);
    pool->item_count = item_count;
    pool->repositories = repositories;
}

static void pool_destroy(arena_pool *pool)
{
    pooled_arena *p = pool->all;
    while (p) {
        pooled_arena *next = p->next_all;
        arena_release(&p->memory);
        fimbit__free(p->items);
        fimbit__free(p->ext);
        fimbit__free(p->slot);
        fimbit__free(p->tally);
        fimbit__free(p->met);
        maximal_repository_release(&p->repository);
        fimbit__free(p);
        p = next;
    }
    omp_destroy_lock(&pool->lock);
}

/* @return an arena with one reference, or NULL when memory is exhausted. */
static pooled_arena *pool_acquire(arena_pool *pool)
{
    omp_set_lock(&pool->lock);
    pooled_arena *p = pool->free;
    if (p)
        pool->free = p->next_free;
    omp_unset_lock(&pool->lock);
    if (!p) {
        /* Rare: a new arena, only when every pooled one is busy. */
        size_t n = pool->item_count ? pool->item_count : 1;
        p = fimbit__calloc(1, sizeof *p);
        if (!p)
            return NULL;
        p->items = fimbit__malloc_array(n, sizeof *p->items);
        p->ext = fimbit__malloc_array(n, sizeof *p->ext);
        p->slot = fimbit__malloc_array(n, sizeof *p->slot);
        p->tally = fimbit__calloc(n, sizeof *p->tally);
        p->met = fimbit__calloc(n / 64 + 1, sizeof *p->met);
        arena_init_flat(&p->memory, ECLAT_ARENA_CHUNK);
        if (p->slot)
            memset(p->slot, 0xff, n * sizeof *p->slot); /* every slot -1 */
        omp_set_lock(&pool->lock);
        p->next_all = pool->all;
        pool->all = p;
        omp_unset_lock(&pool->lock);
        bool repository_ok =
            !pool->repositories || maximal_repository_init(&p->repository, pool->item_count);
        if (!p->items || !p->ext || !p->slot || !p->tally || !p->met || !repository_ok) {
            /* Linked into `all`, so the final release frees it. */
            return NULL;
        }
    }
    p->next_held = NULL;
    atomic_store_explicit(&p->references, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&pool->in_use, 1, memory_order_relaxed);
    return p;
}

static void pool_retain(pooled_arena *p)
{
    atomic_fetch_add_explicit(&p->references, 1, memory_order_relaxed);
}

/* Drops one reference; the last one rewinds the arena and returns it. */
static void pool_release(arena_pool *pool, pooled_arena *p)
{
    if (atomic_fetch_sub_explicit(&p->references, 1, memory_order_acq_rel) != 1)
        return;
    arena_mark start = {NULL, 0};
    arena_restore(&p->memory, start);
    atomic_fetch_sub_explicit(&pool->in_use, 1, memory_order_relaxed);
    omp_set_lock(&pool->lock);
    p->next_free = pool->free;
    pool->free = p;
    omp_unset_lock(&pool->lock);
}

/* ---------------------------------------------------------- the walk */

/* What the closed and maximal targets learn about a class entry from the
 * siblings processed before it (see eclat_extend). */
enum {
    CLASS_DONE = 1,  /* its node computed its whole class */
    CLASS_PRUNED = 2 /* a sibling above is in its closure: not closed */
};

/* Candidates of a node, ascending by rank, with tidset(node ∪ item). */
typedef struct eclat_class {
    uint32_t size;
    const uint32_t *items;
    const tidset *sets;
    /* CLASS_* per entry, for CLOSED and MAXIMAL when the entries are walked
     * in order by one walker (highest first); NULL otherwise (the root, and
     * classes handed out to tasks, whose entries run in any order). */
    uint8_t *flags;
} eclat_class;

/* The data a walker reads: the whole recoded data, or the baskets of a node
 * it projected (subset_data.h), with what the counting-cost estimate needs. */
typedef struct eclat_view {
    const kernel_data *data;
    double average_basket; /* items per basket */
    uint64_t shard_words;  /* bitmap words over all shards */
    /* The arena a projection lives in (NULL for the run's data): tasks
     * spawned below it keep it alive, as they do their class's arena. */
    pooled_arena *owner;
} eclat_view;

typedef struct eclat_run {
    const kernel_data *data;
    eclat_view view; /* of `data` */
    kernel_output *output;
    uint64_t min_count;
    fimbit_target target;
    uint32_t max_size; /* UINT32_MAX when unlimited */
    int threads;
    const uint8_t *top_level; /* kernel_params.top_level */
    bool closed_reduced;   /* CLOSED, MAXIMAL: top-level branches by closed_reduced.h */
    pair_table pairs;      /* closed_reduced: every pair's count, when it wants them */
    eclat_class root;
    arena_pool pool;
    maximal_repository repository; /* MAXIMAL without a team: the whole walk's */
    _Atomic int status; /* fimbit_status: the first failure wins */
} eclat_run;

/* One task's state: its arenas, its sink, the itemset it is extending. */
typedef struct eclat_walker {
    eclat_run *run;
    const eclat_view *view; /* the data the current node's tidsets index */
    pooled_arena *home;    /* owns the item buffers */
    pooled_arena *current; /* where allocations go now */
    pooled_arena *held;    /* every arena this walker holds a reference on */
    kernel_sink *sink;
    uint32_t *items; /* home->items: CLOSED/MAXIMAL the whole itemset, ALL the core */
    uint32_t size;
    uint32_t *ext; /* home->ext: ALL's perfect extensions */
    uint32_t ext_count;
    uint32_t depth; /* items added by the walk (the core) */
    /* MAXIMAL: the sets this walker may rely on (NULL for other targets),
     * the entries of it holding the current node's itemset, and where a
     * candidate the repository does not hold must still be checked in the
     * data (see maximal_confirmed). */
    maximal_repository *repository;
    maximal_focus focus;
    uint32_t verify_above;
} eclat_walker;

/* What a task spawned below a node needs: the class (in its parent's arena,
 * which it holds a reference on) and a copy of the itemset. */
typedef struct eclat_subtask {
    eclat_run *run;
    pooled_arena *owner;
    const eclat_class *class;
    uint32_t index;
    uint32_t parent_item;
    uint32_t size, ext_count, depth;
    const uint32_t *items;
    const uint32_t *ext;
    const eclat_view *view; /* the data the class's tidsets index */
} eclat_subtask;

static void eclat_fail(eclat_run *run, fimbit_status status)
{
    int expected = FIMBIT_OK;
    atomic_compare_exchange_strong(&run->status, &expected, (int)status);
}

static bool eclat_stopped(eclat_run *run)
{
    if (atomic_load_explicit(&run->status, memory_order_relaxed) != FIMBIT_OK)
        return true;
    if (kernel_output_stopped(run->output)) {
        eclat_fail(run, FIMBIT_ECANCELED);
        return true;
    }
    return false;
}

/* verify_above: no candidate needs a check in the data. */
#define ECLAT_VERIFY_NONE UINT32_MAX

/* Starts a walker for the subtree of the node reached by adding root_item. */
static bool walker_start(eclat_walker *w, eclat_run *run, uint32_t root_item)
{
    w->run = run;
    w->view = &run->view;
    w->home = pool_acquire(&run->pool);
    if (!w->home) {
        eclat_fail(run, FIMBIT_ENOMEM);
        return false;
    }
    w->current = w->home;
    w->held = w->home;
    /* Tasks are tied: the thread that starts one runs it to the end. A run
     * without a team uses sink 0 whoever calls it. */
    w->sink = kernel_output_sink(run->output, run->threads > 1 ? omp_get_thread_num() : 0);
    w->items = w->home->items;
    w->ext = w->home->ext;
    w->size = w->ext_count = w->depth = 0;
    w->repository = NULL;
    if (run->target == FIMBIT_TARGET_MAXIMAL && !run->closed_reduced) {
        /* With a team each task has a repository of its own, emptied here;
         * alone, the whole walk shares one (maximal_confirmed says why). */
        w->repository = run->threads > 1 ? &w->home->repository : &run->repository;
        if (run->threads > 1)
            maximal_repository_clear(w->repository);
        w->focus = (maximal_focus){NULL, 0, 0};
        if (run->max_size != UINT32_MAX)
            w->verify_above = 0;
        else if (run->threads > 1 || run->top_level)
            w->verify_above = root_item;
        else
            w->verify_above = ECLAT_VERIFY_NONE;
    }
    return true;
}

static void walker_finish(eclat_walker *w)
{
    pooled_arena *p = w->held;
    while (p) {
        pooled_arena *next = p->next_held;
        pool_release(&w->run->pool, p);
        p = next;
    }
    w->held = NULL;
}

/* Leaves the current arena to the tasks just spawned and goes on in a new one.
 * @return false when memory is exhausted. */
static bool walker_switch_arena(eclat_walker *w)
{
    pooled_arena *fresh = pool_acquire(&w->run->pool);
    if (!fresh) {
        eclat_fail(w->run, FIMBIT_ENOMEM);
        return false;
    }
    fresh->next_held = w->held;
    w->held = fresh;
    w->current = fresh;
    return true;
}

static void eclat_spawned(eclat_subtask *task);

/* Counts the candidates class->items[0 .. k) in the baskets of occ through the
 * horizontal form. Writes the indexes j of the candidates met, ascending, to
 * hit[] and count(occ ∪ items[j]) to counts[]. @return how many. `below` is
 * the item just added: every candidate is below it, so each basket is read
 * only up to it (ranks ascend inside a basket). The root class (items[j] ==
 * j) needs no slot map; with the walker's tally and met arrays, kept zero
 * between calls, the work is then bounded by the baskets read plus k / 64,
 * not by k: a top-level node of a sparse dataset has thousands of
 * candidates and meets few. */
static uint32_t count_horizontally(eclat_walker *w, const eclat_class *class, uint32_t k,
                                   const tidset *occ, uint32_t below, bool identity,
                                   uint32_t *hit, uint64_t *counts)
{
    const kernel_data *data = w->view->data;
    int32_t *slot = w->home->slot;
    uint64_t *tally = w->home->tally, *met = w->home->met;
    if (!identity)
        for (uint32_t j = 0; j < k; j++)
            slot[class->items[j]] = (int32_t)j;
    tidset_cursor cursor;
    tidset_cursor_start(&cursor, data, occ);
    uint64_t tx;
    const uint32_t *tx_items = data->tx_items;
    while (tidset_cursor_next(&cursor, &tx)) {
        /* Bounded by the basket's items below `below`. */
        for (uint64_t p = data->tx_offsets[tx], end = data->tx_offsets[tx + 1]; p < end; p++) {
            uint32_t r = tx_items[p];
            if (r >= below)
                break;
            int32_t j = identity ? (int32_t)r : slot[r];
            if (j >= 0 && tally[j]++ == 0)
                met[(uint32_t)j >> 6] |= (uint64_t)1 << ((uint32_t)j & 63u);
        }
    }
    uint32_t n = 0;
    for (uint32_t word = 0; word < (k + 63u) / 64u; word++) {
        for (uint64_t bits = met[word]; bits; bits &= bits - 1) {
            uint32_t j = word * 64u + (uint32_t)__builtin_ctzll(bits);
            hit[n] = j;
            counts[n++] = tally[j];
            tally[j] = 0;
        }
        met[word] = 0;
    }
    if (!identity)
        for (uint32_t j = 0; j < k; j++)
            slot[class->items[j]] = -1;
    return n;
}

/* Builds the tidsets of the candidates items[0 .. m) (sets[c].count already
 * holds each one's count) by reading occ's baskets in the CSR and appending
 * each basket to the list of every candidate it holds: LCM's occurrence
 * delivery. Lists come out sorted, one array container per shard, turned into
 * bitmaps where dense. @return false when the arena is exhausted. */
static bool deliver_horizontally(eclat_walker *w, const tidset *occ, uint32_t below,
                                 const uint32_t *items, tidset *sets, uint32_t m, arena *scratch)
{
    const kernel_data *data = w->view->data;
    uint32_t shards = data->shard_count;
    size_t total = 0;
    for (uint32_t c = 0; c < m; c++)
        total += sets[c].count;
    container *parts = arena_alloc_array(scratch, (size_t)m * shards, sizeof *parts);
    size_t *fill = arena_alloc_array(scratch, m, sizeof *fill);
    size_t *shard_start = arena_alloc_array(scratch, m, sizeof *shard_start);
    uint16_t *lists = arena_alloc_array(scratch, total, sizeof *lists);
    if (!parts || !fill || !shard_start || !lists)
        return false;
    int32_t *slot = w->home->slot;
    size_t offset = 0;
    for (uint32_t c = 0; c < m; c++) {
        slot[items[c]] = (int32_t)c;
        fill[c] = shard_start[c] = offset;
        offset += sets[c].count;
        sets[c].parts = parts + (size_t)c * shards;
    }
    const uint64_t *offsets = data->tx_offsets;
    const uint32_t *tx_items = data->tx_items;
    for (uint32_t s = 0; s < shards; s++) {
        const container *part = &occ->parts[s];
        uint64_t base = (uint64_t)s * SHARD_BASKETS;
        /* Appends basket `index` of shard s to its candidates' lists; bounded
         * by the basket's items below `below`. */
#define ECLAT_DELIVER(index)                                                        \
    do {                                                                            \
        uint64_t tx_ = base + (index);                                              \
        for (uint64_t p_ = offsets[tx_], e_ = offsets[tx_ + 1]; p_ < e_; p_++) {    \
            uint32_t r_ = tx_items[p_];                                             \
            if (r_ >= below)                                                        \
                break;                                                              \
            int32_t c_ = slot[r_];                                                  \
            if (c_ >= 0)                                                            \
                lists[fill[c_]++] = (uint16_t)(index);                              \
        }                                                                           \
    } while (0)
        if (part->kind == CONTAINER_ARRAY) {
            for (uint32_t i = 0; i < part->cardinality; i++)
                ECLAT_DELIVER(part->u.array[i]);
        } else {
            for (uint32_t word = 0; word < part->words; word++) {
                uint64_t bits = part->u.bits[word];
                while (bits) {
                    uint32_t index = word * 64u + (uint32_t)__builtin_ctzll(bits);
                    bits &= bits - 1;
                    ECLAT_DELIVER(index);
                }
            }
        }
#undef ECLAT_DELIVER
        uint16_t words = data->vertical[s].words;
        for (uint32_t c = 0; c < m; c++) {
            container *out = &parts[(size_t)c * shards + s];
            out->cardinality = (uint32_t)(fill[c] - shard_start[c]);
            out->kind = CONTAINER_ARRAY;
            out->words = words;
            out->u.array = out->cardinality ? lists + shard_start[c] : NULL;
            shard_start[c] = fill[c];
        }
    }
    for (uint32_t c = 0; c < m; c++)
        slot[items[c]] = -1;

    /* Dense lists become bitmaps, as the shard builder would have made them. */
    for (size_t p = 0; p < (size_t)m * shards; p++) {
        container *out = &parts[p];
        if (out->cardinality == 0 || container_prefers_array(out->cardinality, out->words))
            continue;
        uint64_t *bits = arena_alloc_array(scratch, out->words, sizeof *bits);
        if (!bits)
            return false;
        memset(bits, 0, (size_t)out->words * sizeof *bits);
        for (uint32_t i = 0; i < out->cardinality; i++)
            bits[out->u.array[i] >> 6] |= (uint64_t)1 << (out->u.array[i] & 63u);
        out->kind = CONTAINER_BITMAP;
        out->u.bits = bits;
    }
    return true;
}

/* True when counting the k candidates over occ's baskets should be cheaper
 * than k tidset intersections. */
static bool prefer_horizontal(const eclat_view *view, const tidset *occ, uint32_t k)
{
    /* The counting reads tx_items, which a projection may lack. */
    if (k < 8 || view->data->tx_items == NULL)
        return false;
    /* Two passes over the baskets (count, deliver) against k intersections;
     * the factor 1 (not 2: the passes are cheaper per item than a merge step)
     * measured best by instruction counts on T10I4D100K, retail, mushroom. */
    double horizontal = 1.0 * (double)occ->count * view->average_basket;
    uint64_t per_intersection = occ->count < view->shard_words ? occ->count : view->shard_words;
    double vertical = (double)k * (double)(16 + per_intersection);
    return horizontal < vertical;
}

static void view_init(eclat_view *view, const kernel_data *data, pooled_arena *owner)
{
    view->data = data;
    view->owner = owner;
    view->average_basket =
        data->tx_count ? (double)data->tx_offsets[data->tx_count] / (double)data->tx_count : 0.0;
    view->shard_words = 0;
    for (uint32_t s = 0; s < data->shard_count; s++)
        view->shard_words += data->vertical[s].words;
}

static int forced_projection = -1;

void eclat__force_projection(int mode) { forced_projection = mode; }

/* A cut costs about an instruction per item the entries hold and pays only
 * in memory, so it waits until the masks weigh something (kernel.h). */
static size_t cut_min_mask_bytes = ECLAT_CUT_MIN_MASK_BYTES;

void eclat__set_cut_min_mask_bytes(size_t bytes) { cut_min_mask_bytes = bytes; }

static bool repository_worth_cutting(const maximal_repository *r)
{
    return (size_t)r->count * r->mask_words * sizeof *r->masks >= cut_min_mask_bytes;
}

/* True when a closed or maximal node with k candidates and baskets occ
 * should mine its subtree over a projection of those baskets (subset_data.h).
 * It pays when their bitmaps take a fraction of the view's words: the build
 * reads the baskets twice, and every intersection below then costs
 * ceil(count / 64) words where it cost min(count, shard words). */
static bool eclat_projects(const eclat_view *view, const tidset *occ, uint32_t k)
{
    if (occ->count > SHARD_BASKETS || occ->count == 0)
        return false;
    if (forced_projection >= 0)
        return forced_projection != 0;
    uint64_t words = container_words_for((uint32_t)occ->count);
    if (k < 2 || words * ECLAT_PROJECT_WORD_RATIO > view->shard_words)
        return false;
    /* About k * k / 2 intersections below, each saving the difference; the
     * build costs a read of the baskets' items. */
    uint64_t now = occ->count < view->shard_words ? occ->count : view->shard_words;
    double saved = (double)k * (double)k / 2.0 * (double)(now - words);
    return saved > ECLAT_PROJECT_BUILD_COST * (double)occ->count * view->average_basket;
}

/* The tidset of `item` in a projection, when frequent there. @return 1 with
 * *out set, 0 when infrequent (the interface of tidset_intersect_min). */
static int projected_column(const kernel_data *local, uint32_t item, uint64_t min_count,
                            tidset *out)
{
    if (local->item_support[item] < min_count)
        return 0;
    out->count = local->item_support[item];
    out->parts = (container *)&local->vertical[item];
    return 1;
}

/*
 * The maximal target decides a candidate (a node whose class is empty, or a
 * look-ahead's union) by the walker's repository first: a set found before
 * that holds it proves it not maximal. Why a miss proves it maximal:
 *
 * The nodes are the closed itemsets. Write a node X's ancestors C_1 .. C_d =
 * X, C_t reached by adding its core item i_t (i_1 > .. > i_d); the subtree of
 * C_t holds exactly the closed sets C with C ∩ [i_t, n) = C_t ∩ [i_t, n), and
 * a node walks its children by core item from the highest down. Let M ⊋ X be
 * maximal and a the greatest item of M \ X. An empty class means no item
 * below i_d extends X frequently, so a > i_d (for a look-ahead's union X ∪
 * class(X) the same holds with X's own core). Take t with i_{t-1} > a > i_t:
 * M lies below C_{t-1} (it agrees with X on every item above a) in the child
 * whose core is M's greatest item outside C_{t-1}, which is at least a, so
 * above i_t: that child's subtree, and M in it, was walked before C_t's,
 * which holds X. M, maximal, was reported there and is in the repository
 * (or, cut in a walk alone, a set holding M's items below the cut, X's
 * among them: every cut so far was at an item above i_1).
 *
 * So a walk that runs alone over every top-level item needs no check in the
 * data. A task walks only the subtree of its root node R: the M above with
 * a < core(R) diverge at or below R and are in the task's own repository;
 * those with a > core(R) are found by closure_has_frequent_item_above over
 * the items above core(R) (a is one: X ∪ {a} ⊆ M is frequent). The same
 * holds for a single walk restricted to some top-level items (MPI), with R
 * the top-level node. A walker that hands the subtree of a node X (core x)
 * to other tasks never sees the sets found there. A later candidate Y of its
 * own leaves X's path at some node C: X's path goes on by a child of core
 * c >= x, Y's by a lower one, so c is in every set of X's subtree and not in
 * Y, and a superset M of Y from there has a >= c >= x: from then on the
 * walker checks the items of rank >= x in the data. A max_size limit keeps
 * larger maximal sets out of the
 * repository: every miss is then checked over all items above X's item.
 */
static bool maximal_confirmed(const eclat_walker *w, const tidset *occ, uint32_t item,
                              arena *scratch)
{
    if (w->verify_above == ECLAT_VERIFY_NONE)
        return true;
    uint32_t above = item > w->verify_above ? item : w->verify_above;
    return !closure_has_frequent_item_above(w->view->data, occ, w->items, w->size, above,
                                            w->run->min_count, scratch);
}

/* Reports the walker's itemset as maximal and keeps it in the repository.
 * @return 0, -1 when memory is exhausted, -2 when the sink asked to stop. */
static int maximal_report(eclat_walker *w, uint64_t count)
{
    if (!maximal_repository_add(w->repository, w->items, w->size))
        return -1;
    return sink_emit(w->sink, w->items, w->size, count) ? -2 : 0;
}

/* A node with an empty class: the walker's itemset, its parent's items
 * w->items[0 .. parent_size) (parent_focus) plus those the node added.
 * @return as maximal_report. */
static int maximal_leaf(eclat_walker *w, const maximal_focus *parent_focus,
                        uint32_t parent_size, const tidset *occ, uint32_t item, arena *scratch)
{
    if (maximal_repository_covers(w->repository, parent_focus, w->items, parent_size,
                                  w->items + parent_size, w->size - parent_size) ||
        !maximal_confirmed(w, occ, item, scratch))
        return 0;
    return maximal_report(w, occ->count);
}

/* The look-ahead at a node (MAFIA's head-union-tail; the walker's itemset,
 * reached by adding `item`, with class items[0 .. m), m >= 2): if the
 * itemset with every class item is frequent, it is the only maximal
 * candidate of the subtree and is reported when maximal and within
 * max_size. The repository does not hold it (maximal_branch checked).
 * @return 1 when the look-ahead settled the subtree, 0 when the union is
 * infrequent (walk the subtree), -1 on memory exhaustion, -2 when the sink
 * asked to stop. */
static int maximal_lookahead(eclat_walker *w, uint32_t item,
                             const uint32_t *items, const tidset *sets, uint32_t m,
                             arena *scratch)
{
    eclat_run *run = w->run;
    const kernel_data *data = w->view->data;
    tidset joint = sets[0];
    /* Bounded by m intersections, each giving up below min_count. */
    for (uint32_t c = 1; c < m; c++) {
        tidset next;
        int rc = tidset_intersect_min(data, &joint, &sets[c], run->min_count, scratch, &next);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return 0;
        joint = next;
    }
    uint32_t saved = w->size;
    for (uint32_t c = 0; c < m; c++)
        w->items[w->size++] = items[c];
    int result = 1;
    if (w->size <= run->max_size && maximal_confirmed(w, &joint, item, scratch)) {
        int rc = maximal_report(w, joint.count);
        if (rc < 0)
            result = rc;
    }
    w->size = saved;
    return result;
}

/* Before walking the children of a node with a non-empty class items[0 ..
 * m): skips them when a set of the repository holds the node's itemset with
 * its whole class (MAFIA's HUTMFI), tries the look-ahead, and else narrows
 * the walker's focus to the entries holding the node's itemset (its parent's
 * items w->items[0 .. parent_size), parent_focus). @return as
 * maximal_lookahead. */
static int maximal_branch(eclat_walker *w, const maximal_focus *parent_focus,
                          uint32_t parent_size, uint32_t item, const uint32_t *items,
                          const tidset *sets, uint32_t m, arena *scratch)
{
    uint32_t added = w->size - parent_size;
    uint32_t *whole = arena_alloc_array(scratch, (size_t)added + m, sizeof *whole);
    if (!whole)
        return -1;
    memcpy(whole, w->items + parent_size, (size_t)added * sizeof *whole);
    memcpy(whole + added, items, (size_t)m * sizeof *whole);
    if (maximal_repository_covers(w->repository, parent_focus, w->items, parent_size, whole,
                                  added + m))
        return 1;
    if (m >= 2) {
        int rc = maximal_lookahead(w, item, items, sets, m, scratch);
        if (rc != 0)
            return rc;
    }
    return maximal_repository_narrow(w->repository, parent_focus, w->items, parent_size,
                                     w->items + parent_size, added, scratch, &w->focus)
               ? 0
               : -1;
}

/*
 * Extends the walker's itemset by parent->items[k] (tidset parent->sets[k])
 * and walks everything below. `parent_item` is the item whose addition made
 * the parent node. The walker's itemset is that of the parent on entry and
 * again on return. @return FIMBIT_OK, or the failure that stops the run.
 *
 * The closed and maximal targets need the new node's closure to hold no item
 * above `item` (closure.h). With the parent's class flags, only items above
 * parent_item must be looked up in the data: an item between the two is
 * either infrequent with the parent, or in the itemset already, or a sibling
 * in the parent's class; and a sibling was checked when its own node counted
 * its class, which includes this entry (count(P ∪ sibling ∪ j) == count(P ∪ j)
 * flags j as CLASS_PRUNED), or, when that node stopped early, is checked
 * here directly.
 */
static fimbit_status eclat_extend(eclat_walker *w, const eclat_class *parent, uint32_t k,
                                  uint32_t parent_item)
{
    eclat_run *run = w->run;
    const eclat_view *parent_view = w->view;
    const kernel_data *data = parent_view->data;
    const tidset *occ = &parent->sets[k];
    uint32_t item = parent->items[k];
    bool all = run->target == FIMBIT_TARGET_ALL;
    if (eclat_stopped(run))
        return FIMBIT_ECANCELED;

    uint32_t saved_size = w->size, saved_ext = w->ext_count;
    maximal_focus parent_focus = w->focus;
    w->items[w->size++] = item;
    w->depth++;
    fimbit_status status = FIMBIT_OK;
    pooled_arena *frame_arena = w->current;
    arena *scratch = &frame_arena->memory;
    arena_mark mark = arena_save(scratch);

    uint8_t *sibling_flags = all ? NULL : parent->flags;
    if (!all) {
        /* Too big already, or not closed (nor anything grown from it). */
        if (w->size > run->max_size || (sibling_flags && (sibling_flags[k] & CLASS_PRUNED)))
            goto done;
        /* A set of the repository holding the itemset with every candidate
         * it may add (parent->items[0 .. k)) holds the whole subtree: skip it
         * before any closure check or count. Not at the top level, whose
         * candidates are nearly every item and rarely held, nor inside a
         * projection, where the class costs less than the query (mushroom 1%
         * maximal: 4% fewer instructions; maximal_branch still asks with the
         * class). */
        if (w->repository && parent->items != run->root.items && w->view == &run->view &&
            maximal_repository_covers(w->repository, &parent_focus, w->items, saved_size,
                                      parent->items, k + 1))
            goto done;
        uint32_t above = item;
        if (sibling_flags) {
            for (uint32_t j = k + 1; j < parent->size; j++)
                if (!(sibling_flags[j] & CLASS_DONE) &&
                    tidset_is_subset(data, occ, &parent->sets[j]))
                    goto done;
            above = parent_item;
        }
        if (closure_has_item_above(data, occ, w->items, w->size, above, scratch))
            goto done;
    }

    /* The class of the new node: candidates below `item`, minus the perfect
     * extensions, which join the itemset (or ALL's extension list). An ALL
     * node whose core has max_size items needs none: nothing may be added. */
    uint32_t m = 0;
    uint32_t *child_items = NULL;
    tidset *child_sets = NULL;
    bool need_class = k > 0 && !(all && w->size >= run->max_size);
    if (need_class) {
        child_items = arena_alloc_array(scratch, k, sizeof *child_items);
        child_sets = arena_alloc_array(scratch, k, sizeof *child_sets);
        if (!child_items || !child_sets) {
            status = FIMBIT_ENOMEM;
            goto done;
        }
        const kernel_data *local = NULL;
        if (!all && eclat_projects(parent_view, occ, k)) {
            /* The node's baskets become the data of its subtree. */
            eclat_view *view = arena_alloc(scratch, sizeof *view);
            kernel_data *projected = arena_alloc(scratch, sizeof *projected);
            tidset *every = arena_alloc(scratch, sizeof *every);
            uint8_t *keep = arena_alloc(scratch, data->item_count);
            if (!view || !projected || !every || !keep) {
                status = FIMBIT_ENOMEM;
                goto done;
            }
            /* What the subtree reads: its candidates, and the items above
             * for the closure checks; not the itemset, in every basket. */
            memset(keep, 0, item + 1);
            memset(keep + item + 1, 1, data->item_count - item - 1);
            for (uint32_t i = 0; i < w->size; i++)
                keep[w->items[i]] = 0;
            for (uint32_t j = 0; j < k; j++)
                keep[parent->items[j]] = 1;
            if (!subset_data_build(data, occ, keep, scratch, projected, every)) {
                status = FIMBIT_ENOMEM;
                goto done;
            }
            view_init(view, projected, frame_arena);
            w->view = view;
            data = local = projected;
            occ = every;
        }
        if (!local && prefer_horizontal(parent_view, occ, k)) {
            /* Count every candidate in occ's baskets, sort out the infrequent
             * and perfect ones, deliver the baskets of the rest. */
            uint64_t *counts = arena_alloc_array(scratch, k, sizeof *counts);
            uint32_t *hit = arena_alloc_array(scratch, k, sizeof *hit);
            if (!counts || !hit) {
                status = FIMBIT_ENOMEM;
                goto done;
            }
            uint32_t met = count_horizontally(w, parent, k, occ, item,
                                              parent->items == run->root.items, hit, counts);
            for (uint32_t u = 0; u < met; u++) {
                uint32_t j = hit[u];
                uint64_t count = counts[u];
                if (count < run->min_count)
                    continue;
                if (sibling_flags && count == parent->sets[j].count)
                    sibling_flags[j] |= CLASS_PRUNED;
                if (count == occ->count) {
                    if (all)
                        w->ext[w->ext_count++] = parent->items[j];
                    else
                        w->items[w->size++] = parent->items[j];
                    continue;
                }
                child_items[m] = parent->items[j];
                child_sets[m].count = count;
                m++;
            }
            if (m > 0 && !deliver_horizontally(w, occ, item, child_items, child_sets, m, scratch)) {
                status = FIMBIT_ENOMEM;
                goto done;
            }
        } else {
            for (uint32_t j = 0; j < k; j++) {
                arena_mark before = arena_save(scratch);
                /* In a projection the candidate's column is its tidset with
                 * the node, counted while it was built. */
                int rc = local ? projected_column(local, parent->items[j], run->min_count,
                                                  &child_sets[m])
                               : tidset_intersect_min(data, occ, &parent->sets[j], run->min_count,
                                                      scratch, &child_sets[m]);
                if (rc < 0) {
                    status = FIMBIT_ENOMEM;
                    goto done;
                }
                if (rc == 0)
                    continue;
                if (sibling_flags && child_sets[m].count == parent->sets[j].count)
                    sibling_flags[j] |= CLASS_PRUNED;
                if (child_sets[m].count == occ->count) {
                    /* A perfect extension: its tidset is occ's, not worth keeping. */
                    arena_restore(scratch, before);
                    if (all)
                        w->ext[w->ext_count++] = parent->items[j];
                    else
                        w->items[w->size++] = parent->items[j];
                    continue;
                }
                child_items[m++] = parent->items[j];
            }
        }
        if (sibling_flags)
            sibling_flags[k] |= CLASS_DONE;
    }

    /* Report the node. */
    int stop = 0;
    if (all) {
        stop = sink_emit_with_extensions(w->sink, w->items, w->size, w->ext, w->ext_count,
                                         occ->count);
    } else if (w->size <= run->max_size) {
        if (run->target == FIMBIT_TARGET_CLOSED)
            stop = sink_emit(w->sink, w->items, w->size, occ->count);
        else if (m == 0)
            stop = maximal_leaf(w, &parent_focus, saved_size, occ, item, scratch);
    }
    if (stop) {
        status = stop == -1 ? FIMBIT_ENOMEM : FIMBIT_ECANCELED;
        goto done;
    }

    /* Walk the children: only if they can still be small enough. */
    if (m == 0 || w->size >= run->max_size)
        goto done;
    if (run->target == FIMBIT_TARGET_MAXIMAL) {
        int rc = maximal_branch(w, &parent_focus, saved_size, item, child_items, child_sets, m,
                                scratch);
        if (rc < 0) {
            status = rc == -1 ? FIMBIT_ENOMEM : FIMBIT_ECANCELED;
            goto done;
        }
        if (rc > 0)
            goto done;
    }
    uint8_t *child_flags = NULL;
    if (!all) {
        child_flags = arena_alloc(scratch, m);
        if (!child_flags) {
            status = FIMBIT_ENOMEM;
            goto done;
        }
        memset(child_flags, 0, m);
    }
    eclat_class child = {m, child_items, child_sets, child_flags};
    if (run->threads > 1 && w->depth <= ECLAT_SPAWN_DEPTH && m >= ECLAT_SPAWN_MIN_CLASS &&
        atomic_load_explicit(&run->pool.in_use, memory_order_relaxed) <
            ECLAT_SPAWN_ARENAS_PER_THREAD * (uint32_t)run->threads) {
        /* Hand the children out: the class, the itemset and the descriptors
         * stay in this arena, which the tasks keep alive; this walker goes on
         * in a fresh one (so no restore of this frame's mark). */
        eclat_class *shared = arena_alloc(scratch, sizeof *shared);
        uint32_t *items_copy = arena_alloc_array(scratch, w->size, sizeof *items_copy);
        uint32_t *ext_copy = arena_alloc_array(scratch, w->ext_count + 1, sizeof *ext_copy);
        eclat_subtask *tasks = arena_alloc_array(scratch, m, sizeof *tasks);
        if (!shared || !items_copy || !ext_copy || !tasks) {
            status = FIMBIT_ENOMEM;
            goto done;
        }
        *shared = child;
        shared->flags = NULL; /* its entries run in any order */
        memcpy(items_copy, w->items, (size_t)w->size * sizeof *items_copy);
        memcpy(ext_copy, w->ext, (size_t)w->ext_count * sizeof *ext_copy);
        if (!walker_switch_arena(w)) {
            status = FIMBIT_ENOMEM;
            goto done_no_restore;
        }
        /* The walker's later candidates may lie inside sets of the subtree
         * handed out, which its repository will not see: see
         * maximal_confirmed. */
        if (w->repository && w->verify_above > (item ? item - 1 : 0))
            w->verify_above = item ? item - 1 : 0;
        /* Biggest classes (last children) first. */
        for (uint32_t c = m; c-- > 0;) {
            eclat_subtask *task = &tasks[c];
            *task = (eclat_subtask){.run = run,
                                    .owner = frame_arena,
                                    .class = shared,
                                    .index = c,
                                    .parent_item = item,
                                    .size = w->size,
                                    .ext_count = w->ext_count,
                                    .depth = w->depth,
                                    .items = items_copy,
                                    .ext = ext_copy,
                                    .view = w->view};
            pool_retain(frame_arena);
            if (w->view->owner && w->view->owner != frame_arena)
                pool_retain(w->view->owner);
#pragma omp task firstprivate(task) default(none)
            eclat_spawned(task);
        }
        goto done_no_restore;
    }
    for (uint32_t c = m; c-- > 0;) {
        status = eclat_extend(w, &child, c, item);
        if (status != FIMBIT_OK)
            break;
    }

done:
    if (w->current == frame_arena)
        arena_restore(scratch, mark);
done_no_restore:
    if (status != FIMBIT_OK)
        eclat_fail(run, status);
    w->size = saved_size;
    w->ext_count = saved_ext;
    w->focus = parent_focus;
    w->view = parent_view;
    w->depth--;
    return status;
}

/* A task for one child of a node whose class was handed out. */
static void eclat_spawned(eclat_subtask *task)
{
    eclat_run *run = task->run;
    eclat_walker w;
    if (!eclat_stopped(run) && walker_start(&w, run, task->class->items[task->index])) {
        memcpy(w.items, task->items, (size_t)task->size * sizeof *w.items);
        memcpy(w.ext, task->ext, (size_t)task->ext_count * sizeof *w.ext);
        w.size = task->size;
        w.ext_count = task->ext_count;
        w.depth = task->depth;
        w.view = task->view;
        eclat_extend(&w, task->class, task->index, task->parent_item);
        walker_finish(&w);
    }
    pooled_arena *view_owner = task->view->owner;
    if (view_owner && view_owner != task->owner)
        pool_release(&run->pool, view_owner);
    pool_release(&run->pool, task->owner);
}

/* A task for one top-level item. */
static void eclat_top_level(eclat_run *run, uint32_t item)
{
    /* Kernels get frequent items only; this guards a caller that did not. */
    if (run->root.sets[item].count < run->min_count ||
        (run->top_level && !run->top_level[item]))
        return;
    eclat_walker w;
    if (eclat_stopped(run) || !walker_start(&w, run, item))
        return;
    if (run->closed_reduced) {
        closed_reduced_branch branch = {run->data,
                                        run->output,
                                        w.sink,
                                        run->min_count,
                                        run->max_size,
                                        &w.home->memory,
                                        w.home->tally,
                                        w.home->slot,
                                        w.items,
                                        w.ext,
                                        run->target == FIMBIT_TARGET_MAXIMAL,
                                        &w.home->repository,
                                        run->pairs.counts ? &run->pairs : NULL};
        fimbit_status status =
            closed_reduced_mine_branch(&branch, item, &run->root.sets[item]);
        if (status != FIMBIT_OK)
            eclat_fail(run, status);
    } else {
        /* A walk alone shares one repository, and the branches left ask it
         * about the items below this one only: it is cut to them. With a
         * team each task empties its own at its start. */
        if (eclat_extend(&w, &run->root, item, UINT32_MAX) == FIMBIT_OK &&
            w.repository == &run->repository && item > 0 &&
            repository_worth_cutting(w.repository) &&
            !maximal_repository_cut(w.repository, item, &w.home->memory))
            eclat_fail(run, FIMBIT_ENOMEM);
    }
    walker_finish(&w);
    kernel_output_branch_done(run->output);
}

bool eclat_needs_vertical(const kernel_params *params)
{
    FIMBIT_UNUSED(params);
    return true;
}

fimbit_status eclat_mine(const kernel_params *params)
{
    const kernel_data *data = params->data;
    uint32_t n = data->item_count;
    if (n == 0)
        return FIMBIT_OK;
    if (!data->vertical)
        return FIMBIT_EINVAL;

    eclat_run run;
    memset(&run, 0, sizeof run);
    run.data = data;
    run.output = params->output;
    run.min_count = params->min_count ? params->min_count : 1;
    run.target = params->target;
    run.max_size = params->max_size ? params->max_size : UINT32_MAX;
    run.threads = params->threads > 0 ? params->threads : 1;
    run.top_level = params->top_level;
    view_init(&run.view, data, NULL);
    run.closed_reduced = run.target != FIMBIT_TARGET_ALL && closed_reduced_suits(data);
    atomic_init(&run.status, FIMBIT_OK);
    /* The reduced walk keeps a repository per branch, so per arena. */
    bool maximal = run.target == FIMBIT_TARGET_MAXIMAL && !run.closed_reduced;
    pool_init(&run.pool, n,
              (maximal && run.threads > 1) ||
                  (run.target == FIMBIT_TARGET_MAXIMAL && run.closed_reduced));
    if (maximal && run.threads == 1 && !maximal_repository_init(&run.repository, n)) {
        pool_destroy(&run.pool);
        return FIMBIT_ENOMEM;
    }

    /* The root class: every item with its own tidset, shared read-only. */
    arena root_memory;
    arena_init(&root_memory, 0);
    uint32_t *root_items = arena_alloc_array(&root_memory, n, sizeof *root_items);
    tidset *root_sets = arena_alloc_array(&root_memory, n, sizeof *root_sets);
    fimbit_status status = FIMBIT_OK;
    if (!root_items || !root_sets)
        status = FIMBIT_ENOMEM;
    for (uint32_t r = 0; r < n && status == FIMBIT_OK; r++) {
        root_items[r] = r;
        if (!tidset_of_item(data, r, &root_memory, &root_sets[r]))
            status = FIMBIT_ENOMEM;
    }
    /* One pass over the baskets counts every root's items for its branch. */
    if (status == FIMBIT_OK && run.closed_reduced && closed_reduced_wants_pairs(data, run.threads))
        status = pair_table_count_recoded(data, run.threads, &run.pairs);
    if (status != FIMBIT_OK) {
        arena_release(&root_memory);
        pool_destroy(&run.pool);
        maximal_repository_release(&run.repository);
        return status;
    }
    run.root = (eclat_class){n, root_items, root_sets, NULL};

    eclat_run *shared = &run;
    if (run.threads == 1) {
        /* No team: the same walk, without task overhead. */
        for (uint32_t e = n; e-- > 0 && !eclat_stopped(shared);)
            eclat_top_level(shared, e);
    } else {
#pragma omp parallel num_threads(shared->threads) default(none) shared(shared, n)
        {
            topology_bind_thread();
#pragma omp single
            {
                /* The least frequent items have the longest classes: start
                 * them first so that the short ones fill in at the end. */
                for (uint32_t e = n; e-- > 0;) {
                    if (eclat_stopped(shared))
                        break;
#pragma omp task firstprivate(e) default(none) shared(shared)
                    eclat_top_level(shared, e);
                }
            }
        }
    }

    status = (fimbit_status)atomic_load(&run.status);
    if (status == FIMBIT_OK && kernel_output_stopped(run.output))
        status = FIMBIT_ECANCELED;
    arena_release(&root_memory);
    pool_destroy(&run.pool);
    maximal_repository_release(&run.repository);
    pair_table_free(&run.pairs);
    return status;
}
