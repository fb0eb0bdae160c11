/*
 * Target ALL, each itemset mined once. The prefix projection gave this rank,
 * for each item g it owns, every basket holding g, cut no earlier than g.
 * Those baskets cut just before g are g's conditional database; its frequent
 * itemsets X (over items more frequent than g), each with g added, are
 * exactly the frequent itemsets whose least frequent item is g, with their
 * counts — and {g} itself has as count the number of those baskets. So every
 * rank mines only its own itemsets: no work is repeated across ranks.
 *
 * Each conditional database is mined by the single-process driver and
 * kernels (fimbit_mine_itemsets_stream). The few large ones run one after the
 * other with all the rank's threads; the many small ones run side by side,
 * one thread each, so that they do not pay a parallel region apiece.
 */
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "base/work_order.h"
#include "read/dataset.h"
#include "dist.h"

/* A conditional database with at least this share of the rank's work runs
 * with every thread (divided by the thread count). */
#define LARGE_SHARE 0.25

/* Where each owned item sits in the received baskets: for item g, entries
 * start[g] .. start[g + 1] - 1, each the offset of a basket's first item and
 * g's position in it (= the length of the basket cut before g). */
typedef struct item_index {
    uint64_t *start;    /* F + 1 */
    uint64_t *begin;    /* by entry */
    uint32_t *length;   /* by entry */
} item_index;

typedef struct conditional_job {
    const dist_plan *plan;
    const dist_baskets *baskets;
    const fimbit_mine_options *options;
    item_index index;
} conditional_job;

static void index_free(item_index *index)
{
    fimbit__free(index->start);
    fimbit__free(index->begin);
    fimbit__free(index->length);
}

static bool index_build(const dist_job *job, const dist_plan *plan, const dist_baskets *baskets,
                        item_index *index)
{
    uint32_t F = plan->frequent.frequent_count;
    uint64_t total = baskets->offsets ? baskets->offsets[baskets->count] : 0;
    index->start = fimbit__calloc((size_t)F + 1, sizeof *index->start);
    uint64_t *fill = fimbit__calloc((size_t)F + 1, sizeof *fill);
    if (!index->start || !fill) {
        fimbit__free(fill);
        return false;
    }
    for (uint64_t i = 0; i < total; i++)
        if (plan->owner[baskets->items[i]] == job->rank)
            index->start[baskets->items[i] + 1]++;
    for (uint32_t g = 0; g < F; g++)
        index->start[g + 1] += index->start[g];
    uint64_t entries = index->start[F];
    index->begin = fimbit__malloc_array(entries + 1, sizeof *index->begin);
    index->length = fimbit__malloc_array(entries + 1, sizeof *index->length);
    if (!index->begin || !index->length) {
        fimbit__free(fill);
        return false;
    }
    memcpy(fill, index->start, (size_t)F * sizeof *fill);
    for (uint64_t b = 0; b < baskets->count; b++)
        for (uint64_t i = baskets->offsets[b]; i < baskets->offsets[b + 1]; i++) {
            uint32_t g = baskets->items[i];
            if (plan->owner[g] != job->rank)
                continue;
            uint64_t e = fill[g]++;
            index->begin[e] = baskets->offsets[b];
            index->length[e] = (uint32_t)(i - baskets->offsets[b]);
        }
    fimbit__free(fill);
    return true;
}

/* What the kernel's callback adds g to. */
typedef struct item_output {
    dist_records *out;
    uint32_t item;
    bool out_of_memory;
} item_output;

static int append_with_item(void *user, const uint32_t *items, uint32_t size, uint64_t count)
{
    item_output *o = user;
    if (dist_records_append(o->out, items, size, o->item, count))
        return 0;
    o->out_of_memory = true;
    return 1;
}

/* Mines the itemsets whose least frequent item is g, with `threads` threads,
 * into `out`. `supports` has room for g counters, all zero (and left so). */
static fimbit_status mine_item(const conditional_job *cj, uint32_t g, int threads,
                               uint64_t *supports, dist_records *out, fimbit_error *error)
{
    const fimbit_mine_options *o = cj->options;
    uint64_t first = cj->index.start[g], n = cj->index.start[g + 1] - first;
    if (o->min_size <= 1 && !dist_records_append(out, &g, 1, UINT32_MAX, n))
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory keeping the itemsets");
    if (o->max_size == 1 || g == 0)
        return FIMBIT_OK;

    uint64_t total = 0;
    for (uint64_t e = first; e < first + n; e++)
        total += cj->index.length[e];
    uint64_t *offsets = fimbit__malloc_array(n + 1, sizeof *offsets);
    uint32_t *items = fimbit__malloc_array(total + 1, sizeof *items);
    if (!offsets || !items) {
        fimbit__free(offsets);
        fimbit__free(items);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while mining");
    }
    offsets[0] = 0;
    for (uint64_t k = 0; k < n; k++) {
        uint32_t length = cj->index.length[first + k];
        const uint32_t *prefix = cj->baskets->items + cj->index.begin[first + k];
        memcpy(items + offsets[k], prefix, length * sizeof *items);
        for (uint32_t i = 0; i < length; i++)
            supports[prefix[i]]++;
        offsets[k + 1] = offsets[k] + length;
    }
    fimbit_dataset view = {.basket_count = n, .basket_offsets = offsets,
                           .basket_items = {.wide = items}, .item_count = g,
                           .item_support = supports};
    fimbit_mine_options mine = *o;
    mine.target = FIMBIT_TARGET_ALL;
    mine.min_count = cj->plan->min_count;
    mine.threads = threads;
    mine.min_size = o->min_size > 1 ? o->min_size - 1 : 1;
    mine.max_size = o->max_size > 0 ? o->max_size - 1 : 0;
    item_output output = {.out = out, .item = g};
    fimbit_status status = fimbit_mine_itemsets_stream(&view, &mine, append_with_item, &output,
                                                       error);
    if (output.out_of_memory)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory keeping the itemsets");
    for (uint64_t i = 0; i < total; i++)
        supports[items[i]] = 0;
    fimbit__free(offsets);
    fimbit__free(items);
    return status;
}

/* Appends `from` to `to` and empties it. */
static bool records_move(dist_records *to, dist_records *from)
{
    bool moved = dist_records_append_words(to, from->words, from->used);
    fimbit__free(from->words);
    memset(from, 0, sizeof *from);
    return moved;
}

/* The small items side by side: one thread each, per-thread outputs. */
static fimbit_status mine_small_items(const dist_job *job, const conditional_job *cj,
                                      const work_item *order, uint32_t count, dist_records *out,
                                      fimbit_error *error)
{
    int threads = job->threads;
    uint32_t F = cj->plan->frequent.frequent_count;
    dist_records *outputs = fimbit__calloc((size_t)threads, sizeof *outputs);
    uint64_t *supports = fimbit__calloc((size_t)threads * ((size_t)F + 1), sizeof *supports);
    if (!outputs || !supports) {
        fimbit__free(outputs);
        fimbit__free(supports);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while mining");
    }
    fimbit_status status = FIMBIT_OK;
    int64_t n = count;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) default(none) \
    shared(cj, order, n, outputs, supports, F, status, error)
    for (int64_t k = 0; k < n; k++) {
        bool stopped;
#pragma omp atomic read
        stopped = status;
        if (stopped)
            continue;
        int t = omp_get_thread_num();
        fimbit_error own = {0};
        fimbit_status s = mine_item(cj, order[k].item, 1, supports + (size_t)t * (F + 1),
                                    &outputs[t], &own);
        if (s != FIMBIT_OK) {
#pragma omp critical(dist_conditional_error)
            if (status == FIMBIT_OK) {
                status = s;
                if (error)
                    *error = own;
            }
        }
    }
    for (int t = 0; t < threads; t++)
        if (!records_move(out, &outputs[t]) && status == FIMBIT_OK)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory keeping the itemsets");
    for (int t = 0; t < threads; t++)
        fimbit__free(outputs[t].words);
    fimbit__free(outputs);
    fimbit__free(supports);
    return status;
}

fimbit_status dist_mine_conditional(const dist_job *job, const dist_plan *plan,
                                    const dist_baskets *baskets,
                                    const fimbit_mine_options *options, dist_records *out,
                                    fimbit_error *error)
{
    conditional_job cj = {.plan = plan, .baskets = baskets, .options = options};
    uint32_t F = plan->frequent.frequent_count;
    work_item *order = fimbit__malloc_array((size_t)F + 1, sizeof *order);
    uint64_t *supports = fimbit__calloc((size_t)F + 1, sizeof *supports);
    if (!order || !supports || !index_build(job, plan, baskets, &cj.index)) {
        fimbit__free(order);
        fimbit__free(supports);
        index_free(&cj.index);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while mining");
    }
    uint32_t owned = 0;
    uint64_t work = 0;
    for (uint32_t g = 0; g < F; g++)
        if (plan->owner[g] == job->rank) {
            order[owned++] = (work_item){plan->work[g], g};
            work += plan->work[g];
        }
    qsort(order, owned, sizeof *order, work_item_descending);

    /* Largest first, with every thread, while they are large. */
    double large = job->threads > 1 ? LARGE_SHARE * (double)work / job->threads : 0.0;
    uint32_t k = 0;
    fimbit_status status = FIMBIT_OK;
    for (; k < owned && status == FIMBIT_OK && (double)order[k].work >= large; k++)
        status = mine_item(&cj, order[k].item, job->threads, supports, out, error);
    if (status == FIMBIT_OK && k < owned)
        status = mine_small_items(job, &cj, order + k, owned - k, out, error);
    fimbit__free(order);
    fimbit__free(supports);
    index_free(&cj.index);
    return status;
}
