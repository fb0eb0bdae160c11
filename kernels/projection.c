/* Mining by item projection: pair counts, batched conditional baskets, kernels. */
#include <string.h>

#include <omp.h>

#include "read/dataset.h"
#include "kernel_choice.h"
#include "occurrences.h"
#include "pairs.h"
#include "projection.h"
#include "store/sink.h"
#include "base/sort_u32.h"

/* The pair triangles of all threads together may take this much. */
#define PROJECTION_PAIR_BYTES ((size_t)64 << 20)
/* The occurrence index may take this much; it is preferred when it fits. */
#define PROJECTION_INDEX_BYTES ((size_t)64 << 20)
/* A batch's conditional baskets take at most this much (unless one item's
 * alone take more); each thread holds one batch at a time. */
#define PROJECTION_BATCH_BYTES ((uint64_t)16 << 20)
/* How many occurrences ahead data_from_index prefetches a basket. */
#define PROJECTION_PREFETCH 8u
/* Batches per thread when the data is small, for load balance. */
#define PROJECTION_BATCHES_PER_THREAD 4u
/* Conditional baskets are uint16_t ranks with this bit on a basket's last
 * item, so ranks must stay below it. */
#define BASKET_END 0x8000u
#define PROJECTION_MAX_ITEMS BASKET_END

static uint64_t frequent_occurrences(const flist *f)
{
    uint64_t occurrences = 0;
    for (uint32_t rank = 0; rank < f->frequent_count; rank++)
        occurrences += f->rank_support[rank];
    return occurrences;
}

static bool index_fits(const flist *f, int threads)
{
    uint64_t occurrences = frequent_occurrences(f);
    return occurrences <= OCCURRENCE_INDEX_MAX_OCCURRENCES &&
           f->frequent_count <= OCCURRENCE_INDEX_MAX_ITEMS &&
           occurrence_index_bytes(occurrences, f->frequent_count, threads) <=
               PROJECTION_INDEX_BYTES;
}

bool projection_suits(const fimbit_dataset *d, const flist *f, fimbit_target target,
                      int threads)
{
    uint32_t n = f->frequent_count;
    if (target != FIMBIT_TARGET_ALL || n < 2 || n > PROJECTION_MAX_ITEMS ||
        d->basket_count >= UINT32_MAX)
        return false;
    if (pair_table_bytes(n, threads) > PROJECTION_PAIR_BYTES && !index_fits(f, threads))
        return false;
    uint64_t baskets = d->stats.baskets - d->stats.empty_baskets;
    double cells = (double)baskets * (double)n;
    return cells > 0 && (double)frequent_occurrences(f) / cells < AUTO_ECLAT_DENSITY;
}

typedef struct projection_run {
    const projection_params *params;
    const uint32_t *item_to_rank;
    bool by_index;           /* index, else pairs and batches */
    occurrence_index index;  /* by_index */
    pair_table pairs;        /* !by_index */
    uint64_t *entries;     /* !by_index, per rank i: items in i's conditional baskets */
    uint32_t *batch_first; /* batch b holds ranks batch_first[b] .. batch_first[b + 1] */
    uint32_t batch_count;
} projection_run;

/* Where the kernel of one item's conditional baskets reports: its itemsets,
 * in local ranks, go to the thread's own sink as global ranks plus the item. */
typedef struct forward_context {
    kernel_sink *outer;
    const uint32_t *local_to_global;
    uint32_t item;
    uint32_t *items; /* room for every partner and the item */
} forward_context;

/* One thread's working memory, reused from item to item. */
typedef struct projection_worker {
    uint32_t *ranks;          /* a basket's frequent ranks: the longest basket */
    uint64_t *cursor;         /* per item of the batch: where its next entry goes */
    uint16_t *buffer;         /* the batch's conditional baskets */
    uint64_t buffer_capacity;
    uint64_t *partners;       /* per frequent item: partner_key() */
    uint32_t *tally;          /* by_index: per frequent item, zero between items */
    uint32_t *touched;        /* by_index: the items tallied for the current one */
    uint32_t *global_to_local; /* per frequent item, UINT32_MAX outside an item's partners */
    uint32_t *local_to_global;
    uint64_t *local_support;
    uint64_t *tx_offsets;     /* the conditional baskets as a kernel reads them */
    uint64_t offsets_capacity;
    uint32_t *tx_items;
    uint64_t items_capacity;
    kernel_output *inner;     /* the conditional kernel's sinks, one thread */
    forward_context forward;
} projection_worker;

static int forward_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    FIMBIT_UNUSED(thread);
    forward_context *f = context;
    const uint32_t *end = records + words;
    for (const uint32_t *r = records; r < end; r = sink_record_next(r)) {
        uint32_t size = sink_record_size(r);
        const uint32_t *local = sink_record_items(r);
        for (uint32_t k = 0; k < size; k++)
            f->items[k] = f->local_to_global[local[k]];
        f->items[size] = f->item;
        if (sink_emit(f->outer, f->items, size + 1, sink_record_count(r)))
            return 1;
    }
    return 0;
}

static void worker_release(projection_worker *w)
{
    fimbit__free(w->ranks);
    fimbit__free(w->cursor);
    fimbit__free(w->buffer);
    fimbit__free(w->partners);
    fimbit__free(w->tally);
    fimbit__free(w->touched);
    fimbit__free(w->global_to_local);
    fimbit__free(w->local_to_global);
    fimbit__free(w->local_support);
    fimbit__free(w->tx_offsets);
    fimbit__free(w->tx_items);
    kernel_output_free(w->inner);
    fimbit__free(w->forward.items);
    memset(w, 0, sizeof *w);
}

static bool worker_init(projection_worker *w, const projection_run *run, kernel_sink *outer)
{
    memset(w, 0, sizeof *w);
    uint32_t n = run->params->frequent->frequent_count;
    uint32_t widest = 0;
    for (uint32_t b = 0; b < run->batch_count; b++)
        if (run->batch_first[b + 1] - run->batch_first[b] > widest)
            widest = run->batch_first[b + 1] - run->batch_first[b];
    w->ranks = fimbit__malloc_array(run->params->dataset->stats.max_basket_size + 1,
                                    sizeof *w->ranks);
    w->cursor = fimbit__malloc_array(widest + 1, sizeof *w->cursor);
    w->partners = fimbit__malloc_array(n, sizeof *w->partners);
    w->tally = fimbit__calloc(n, sizeof *w->tally);
    w->touched = fimbit__malloc_array(n, sizeof *w->touched);
    w->global_to_local = fimbit__malloc_array(n, sizeof *w->global_to_local);
    w->local_to_global = fimbit__malloc_array(n, sizeof *w->local_to_global);
    w->local_support = fimbit__malloc_array(n, sizeof *w->local_support);
    w->forward.items = fimbit__malloc_array((size_t)n + 1, sizeof *w->forward.items);
    w->forward.outer = outer;
    w->forward.local_to_global = w->local_to_global;
    w->inner = kernel_output_create(1, 1, 0, forward_flush, &w->forward);
    if (!w->ranks || !w->cursor || !w->partners || !w->tally || !w->touched ||
        !w->global_to_local || !w->local_to_global ||
        !w->local_support || !w->forward.items || !w->inner)
        return false;
    for (uint32_t r = 0; r < n; r++)
        w->global_to_local[r] = UINT32_MAX;
    return true;
}

static bool grow_to(void **array, uint64_t *capacity, uint64_t needed, size_t size)
{
    if (needed <= *capacity)
        return true;
    void *bigger = fimbit__realloc_array(*array, needed, size);
    if (!bigger)
        return false;
    *array = bigger;
    *capacity = needed;
    return true;
}

/* Writes the conditional baskets of items lo .. hi: one pass over the
 * dataset, each basket cut to its frequent items below hi. */
static bool deliver_batch(const projection_run *run, projection_worker *w, uint32_t lo,
                          uint32_t hi)
{
    const projection_params *p = run->params;
    const fimbit_dataset *d = p->dataset;
    uint64_t total = 0;
    for (uint32_t i = lo; i < hi; i++) {
        w->cursor[i - lo] = total;
        total += run->entries[i];
    }
    void *buffer = w->buffer;
    if (!grow_to(&buffer, &w->buffer_capacity, total, sizeof *w->buffer))
        return false;
    w->buffer = buffer;
    if (total == 0)
        return true;
    const uint32_t *counts = run->pairs.counts;
    uint64_t min_count = p->min_count;
    for (uint64_t b = 0; b < d->basket_count; b++) {
        uint32_t n = dataset_basket_ranks(d, run->item_to_rank, hi, b, w->ranks);
        /* Ranks ascend: the batch's items are the tail. */
        uint32_t first = n;
        while (first > 0 && w->ranks[first - 1] >= lo)
            first--;
        for (uint32_t y = first; y < n; y++) {
            uint32_t i = w->ranks[y];
            const uint32_t *row = counts + pair_cells(i);
            uint64_t at = w->cursor[i - lo], first = at;
            for (uint32_t x = 0; x < y; x++)
                if (row[w->ranks[x]] >= min_count)
                    w->buffer[at++] = (uint16_t)w->ranks[x];
            if (at > first) {
                w->buffer[at - 1] |= BASKET_END;
                w->cursor[i - lo] = at;
            }
        }
    }
    return true;
}

/* A partner of the current item as one key whose ascending order is the
 * kernels' frequency order: its count (a pair count or a tally, 32 bits)
 * descending, then its rank ascending. Sorting the keys needs neither a
 * comparison call nor glibc's qsort, which may malloc. */
static inline uint64_t partner_key(uint32_t count, uint32_t rank)
{
    return (uint64_t)(UINT32_MAX - count) << 32 | rank;
}

static inline uint32_t partner_key_count(uint64_t key)
{
    return UINT32_MAX - (uint32_t)(key >> 32);
}

static inline uint32_t partner_key_rank(uint64_t key) { return (uint32_t)key; }

/* Recodes the partners w->partners[0 .. m) by their pair count (the kernels'
 * frequency order): local_to_global, global_to_local and local_support. */
static void partners_recode(projection_worker *w, uint32_t m)
{
    sort_u64(w->partners, m);
    for (uint32_t l = 0; l < m; l++) {
        uint32_t rank = partner_key_rank(w->partners[l]);
        w->local_to_global[l] = rank;
        w->global_to_local[rank] = l;
        w->local_support[l] = partner_key_count(w->partners[l]);
    }
}

static void partners_forget(projection_worker *w, uint32_t m)
{
    for (uint32_t l = 0; l < m; l++)
        w->global_to_local[w->local_to_global[l]] = UINT32_MAX;
}

/* Room for `baskets` conditional baskets of `entries` items in all. */
static bool reserve_baskets(projection_worker *w, uint64_t baskets, uint64_t entries)
{
    void *offsets = w->tx_offsets, *items = w->tx_items;
    bool grown = grow_to(&offsets, &w->offsets_capacity, baskets + 1, sizeof *w->tx_offsets) &&
                 grow_to(&items, &w->items_capacity, entries, sizeof *w->tx_items);
    w->tx_offsets = offsets;
    w->tx_items = items;
    return grown;
}

static void point_data(projection_worker *w, uint32_t m, uint64_t tx, kernel_data *data)
{
    memset(data, 0, sizeof *data);
    data->item_count = m;
    data->item_support = w->local_support;
    data->tx_count = tx;
    data->tx_offsets = w->tx_offsets;
    data->tx_items = w->tx_items;
}

/* Turns item i's conditional baskets, entries[0 .. n) of its batch, into
 * `data`: partners recoded by their pair count, each basket's ranks
 * ascending. @return false when out of memory. */
static bool data_from_batch(const projection_run *run, projection_worker *w, uint32_t i,
                            const uint16_t *entries, uint64_t n, kernel_data *data)
{
    const uint32_t *row = run->pairs.counts + pair_cells(i);
    uint32_t m = 0;
    for (uint32_t j = 0; j < i; j++)
        if (row[j] >= run->params->min_count)
            w->partners[m++] = partner_key(row[j], j);
    partners_recode(w, m);
    if (!reserve_baskets(w, n, n)) {
        partners_forget(w, m);
        return false;
    }
    uint64_t tx = 0;
    w->tx_offsets[0] = 0;
    for (uint64_t k = 0; k < n; k++) {
        w->tx_items[k] = w->global_to_local[entries[k] & (BASKET_END - 1u)];
        if (entries[k] & BASKET_END) {
            sort_u32(w->tx_items + w->tx_offsets[tx], (size_t)(k + 1 - w->tx_offsets[tx]));
            w->tx_offsets[++tx] = k + 1;
        }
    }
    partners_forget(w, m);
    point_data(w, m, tx, data);
    return true;
}

/* Builds item i's conditional baskets from its occurrences in the index:
 * one read of the items ranked before it tallies them, the frequent ones
 * become the partners (recoded as in data_from_batch), a second read writes
 * the baskets cut to them. @return false when out of memory. */
static bool data_from_index(const projection_run *run, projection_worker *w, uint32_t i,
                            kernel_data *data)
{
    const uint16_t *ranks = run->index.ranks;
    const occurrence *places = run->index.places + run->index.start[i];
    uint64_t count = run->index.start[i + 1] - run->index.start[i];
    uint32_t touched = 0;
    for (uint64_t k = 0; k < count; k++) {
        /* The baskets lie anywhere in the index: ask for one ahead. */
        if (k + PROJECTION_PREFETCH < count)
            __builtin_prefetch(ranks + places[k + PROJECTION_PREFETCH].begin);
        for (uint32_t at = places[k].begin; at < places[k].end; at++)
            if (w->tally[ranks[at]]++ == 0)
                w->touched[touched++] = ranks[at];
    }
    uint32_t m = 0;
    uint64_t entries = 0;
    for (uint32_t t = 0; t < touched; t++) {
        uint32_t j = w->touched[t];
        if (w->tally[j] >= run->params->min_count) {
            w->partners[m++] = partner_key(w->tally[j], j);
            entries += w->tally[j];
        }
        w->tally[j] = 0;
    }
    if (m == 0) {
        point_data(w, 0, 0, data);
        return true;
    }
    partners_recode(w, m);
    if (!reserve_baskets(w, count, entries)) {
        partners_forget(w, m);
        return false;
    }
    uint64_t tx = 0, filled = 0;
    w->tx_offsets[0] = 0;
    for (uint64_t k = 0; k < count; k++) {
        uint64_t first = filled;
        for (uint32_t at = places[k].begin; at < places[k].end; at++) {
            uint32_t l = w->global_to_local[ranks[at]];
            if (l != UINT32_MAX)
                w->tx_items[filled++] = l;
        }
        if (filled > first) {
            sort_u32(w->tx_items + first, (size_t)(filled - first));
            w->tx_offsets[++tx] = filled;
        }
    }
    partners_forget(w, m);
    point_data(w, m, tx, data);
    return true;
}

/* The kernel for the conditional baskets. For `auto`, Eclat: on them it beat
 * FP-growth on every sparse workload of the benchmark (see
 * docs/performance.md, "Sparse data"), as FP-growth has to sort the baskets
 * and build a tree before it counts anything. */
static kernel_fn conditional_kernel(fimbit_algorithm algorithm)
{
    return algorithm == FIMBIT_ALGORITHM_AUTO ? eclat_mine
                                              : kernel_choose(algorithm, FIMBIT_TARGET_ALL);
}

/* Mines item i: reports {i}, then runs a kernel on its conditional baskets
 * (by_index: from the index; else entries, from its batch). */
static fimbit_status mine_item(const projection_run *run, projection_worker *w, uint32_t i,
                               const uint16_t *entries)
{
    const projection_params *p = run->params;
    if (sink_emit(w->forward.outer, &i, 1, p->frequent->rank_support[i]))
        return FIMBIT_ECANCELED;
    if (p->max_size == 1 || (!run->by_index && run->entries[i] == 0))
        return FIMBIT_OK;
    kernel_data data;
    bool built = run->by_index ? data_from_index(run, w, i, &data)
                               : data_from_batch(run, w, i, entries, run->entries[i], &data);
    if (!built)
        return FIMBIT_ENOMEM;
    if (data.item_count == 0)
        return FIMBIT_OK;
    kernel_fn kernel = conditional_kernel(p->algorithm);
    kernel_params params = {.data = &data, .min_count = p->min_count,
                            .target = FIMBIT_TARGET_ALL,
                            .max_size = p->max_size ? p->max_size - 1 : 0, .threads = 1,
                            .output = w->inner};
    shard_vertical *vertical = NULL;
    fimbit_status status = kernel_prepare_vertical(kernel, &params, &data, &vertical);
    if (status != FIMBIT_OK)
        return status;
    w->forward.item = i;
    status = kernel(&params);
    if (status == FIMBIT_OK && kernel_output_finish(w->inner))
        status = FIMBIT_ECANCELED;
    if (status == FIMBIT_ECANCELED && kernel_output_out_of_memory(w->inner))
        status = FIMBIT_ENOMEM;
    shard_vertical_free(vertical);
    return status;
}

static fimbit_status mine_batch(const projection_run *run, projection_worker *w, uint32_t batch)
{
    uint32_t lo = run->batch_first[batch], hi = run->batch_first[batch + 1];
    if (!run->by_index && !deliver_batch(run, w, lo, hi))
        return FIMBIT_ENOMEM;
    uint64_t start = 0;
    for (uint32_t i = lo; i < hi; i++) {
        if (kernel_output_stopped(run->params->output))
            return FIMBIT_ECANCELED;
        fimbit_status status = mine_item(run, w, i, run->by_index ? NULL : w->buffer + start);
        if (status != FIMBIT_OK)
            return status;
        kernel_output_branch_done(run->params->output);
        if (!run->by_index)
            start += run->entries[i];
    }
    return FIMBIT_OK;
}

/* Sizes every item's conditional baskets from the pair counts (item i's hold
 * count({j, i}) entries for each frequent pair), then cuts the ranks into
 * batches of at most PROJECTION_BATCH_BYTES, fewer when the data is small so
 * that every thread gets several. */
static bool plan_batches(projection_run *run)
{
    const projection_params *p = run->params;
    uint32_t n = p->frequent->frequent_count;
    run->entries = fimbit__calloc(n, sizeof *run->entries);
    run->batch_first = fimbit__malloc_array((size_t)n + 1, sizeof *run->batch_first);
    if (!run->entries || !run->batch_first)
        return false;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n && run->pairs.item_count > 0; i++) {
        const uint32_t *row = run->pairs.counts + pair_cells(i);
        for (uint32_t j = 0; j < i; j++)
            if (row[j] >= p->min_count)
                run->entries[i] += row[j];
        total += run->entries[i];
    }
    uint64_t batches = (uint64_t)p->threads * PROJECTION_BATCHES_PER_THREAD;
    uint64_t limit = total * sizeof(uint16_t) / batches + 1;
    if (limit > PROJECTION_BATCH_BYTES)
        limit = PROJECTION_BATCH_BYTES;
    uint32_t count = 0;
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t item_bytes = run->entries[i] * sizeof(uint16_t);
        if (i == 0 || (bytes > 0 && bytes + item_bytes > limit)) {
            run->batch_first[count++] = i;
            bytes = 0;
        }
        bytes += item_bytes;
    }
    run->batch_first[count] = n;
    run->batch_count = count;
    return true;
}

static fimbit_status mine_batches(const projection_run *run)
{
    const projection_params *p = run->params;
    fimbit_status result = FIMBIT_OK;
    int failed = 0;
    #pragma omp parallel num_threads(p->threads)
    {
        projection_worker w;
        fimbit_status mine = FIMBIT_OK;
        if (!worker_init(&w, run, kernel_output_sink(p->output, omp_get_thread_num())))
            mine = FIMBIT_ENOMEM;
        #pragma omp for schedule(dynamic, 1)
        for (uint32_t b = 0; b < run->batch_count; b++) {
            int others_failed;
            #pragma omp atomic read
            others_failed = failed;
            if (mine == FIMBIT_OK && !others_failed)
                mine = mine_batch(run, &w, b);
        }
        /* Out of memory outranks the stop it may have caused elsewhere. */
        if (mine != FIMBIT_OK) {
            #pragma omp atomic write
            failed = 1;
            #pragma omp critical(projection_status)
            if (result == FIMBIT_OK || mine == FIMBIT_ENOMEM)
                result = mine;
        }
        worker_release(&w);
    }
    return result;
}

/* By index, every item is a batch of its own: it reads only its baskets. */
static bool plan_items(projection_run *run)
{
    uint32_t n = run->params->frequent->frequent_count;
    run->batch_first = fimbit__malloc_array((size_t)n + 1, sizeof *run->batch_first);
    if (!run->batch_first)
        return false;
    for (uint32_t i = 0; i <= n; i++)
        run->batch_first[i] = i;
    run->batch_count = n;
    return true;
}

static bool use_index(const projection_params *p)
{
    if (p->layout != PROJECTION_LAYOUT_AUTO)
        return p->layout == PROJECTION_LAYOUT_INDEX;
    return index_fits(p->frequent, p->threads);
}

fimbit_status projection_mine(const projection_params *p)
{
    projection_run run = {.params = p};
    uint32_t n = p->frequent->frequent_count;
    uint32_t *item_to_rank = flist_item_to_rank(p->dataset, p->frequent);
    if (!item_to_rank)
        return FIMBIT_ENOMEM;
    run.item_to_rank = item_to_rank;
    /* Without pairs wanted, the items alone are the answer: no counting. */
    run.by_index = p->max_size == 1 || use_index(p);
    fimbit_status status = FIMBIT_OK;
    if (p->max_size == 1)
        status = plan_items(&run) ? FIMBIT_OK : FIMBIT_ENOMEM;
    else if (run.by_index)
        status = occurrence_index_build(p->dataset, item_to_rank, n, p->threads, &run.index) ==
                         FIMBIT_OK && plan_items(&run)
                     ? FIMBIT_OK
                     : FIMBIT_ENOMEM;
    else
        status = pair_table_count(p->dataset, item_to_rank, n, p->threads, &run.pairs) ==
                         FIMBIT_OK && plan_batches(&run)
                     ? FIMBIT_OK
                     : FIMBIT_ENOMEM;
    if (status == FIMBIT_OK)
        status = mine_batches(&run);
    occurrence_index_free(&run.index);
    pair_table_free(&run.pairs);
    fimbit__free(run.entries);
    fimbit__free(run.batch_first);
    fimbit__free(item_to_rank);
    return status;
}
