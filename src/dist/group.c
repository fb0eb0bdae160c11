/*
 * A rank mines what the exchange brought it with the single-process driver
 * and kernels, unchanged.
 *
 * Target ALL goes item by item (conditional.c). CLOSED and MAXIMAL need, for
 * an itemset X, the counts of X's supersets, including items less frequent
 * than X's own: the exchange then sends whole baskets, and this file mines
 * them as one dataset whose items are the global ranks. Every itemset whose
 * least frequent item (largest global rank) this rank owns has all its
 * baskets here, whole, so its count and those of all its supersets are exact,
 * and closedness and maximality come out as in the whole data. The kernel
 * also finds itemsets of other ranks' items, with partial counts; they are
 * dropped as they are reported.
 */
#include <omp.h>

#include "dataset.h"
#include "dist.h"

typedef struct owned_filter {
    const int *owner;
    int rank;
    dist_records *out;
    uint64_t mined;
    bool out_of_memory;
} owned_filter;

/* A fimbit_itemset_fn (calls come one at a time): keeps the itemsets this
 * rank owns. */
static int keep_owned(void *user, const uint32_t *items, uint32_t size, uint64_t count)
{
    owned_filter *filter = user;
    filter->mined++;
    uint32_t last = 0;
    for (uint32_t i = 0; i < size; i++)
        last = items[i] > last ? items[i] : last;
    if (size == 0 || filter->owner[last] != filter->rank)
        return 0;
    if (dist_records_append(filter->out, items, size, UINT32_MAX, count))
        return 0;
    filter->out_of_memory = true;
    return 1;
}

static fimbit_status mine_filtered(const dist_job *job, const dist_plan *plan,
                                   const dist_baskets *baskets,
                                   const fimbit_mine_options *options, dist_records *out,
                                   fimbit_error *error)
{
    uint32_t F = plan->frequent.frequent_count;
    uint64_t *supports = fimbit__calloc((size_t)F + 1, sizeof *supports);
    if (supports == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while mining");
    uint64_t items = baskets->offsets ? baskets->offsets[baskets->count] : 0;
    for (uint64_t i = 0; i < items; i++)
        supports[baskets->items[i]]++;

    fimbit_dataset view = {.basket_count = baskets->count,
                           .basket_offsets = baskets->offsets,
                           .basket_items = {.wide = baskets->items},
                           .item_count = F,
                           .item_support = supports};
    fimbit_mine_options o = *options;
    o.min_count = plan->min_count;
    o.threads = job->threads;
    owned_filter filter = {.owner = plan->owner, .rank = job->rank, .out = out};
    fimbit_status status = FIMBIT_OK;
    if (baskets->count > 0)
        status = fimbit_mine_itemsets_stream(&view, &o, keep_owned, &filter, error);
    if (filter.out_of_memory)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory keeping the itemsets");
    fimbit__free(supports);
    job->stats->itemsets_mined = filter.mined;
    return status;
}

fimbit_status dist_mine_group(const dist_job *job, const dist_plan *plan,
                              const dist_baskets *baskets, const fimbit_mine_options *options,
                              dist_records *out, fimbit_error *error)
{
    double start = omp_get_wtime();
    fimbit_status status =
        options->target == FIMBIT_TARGET_ALL
            ? dist_mine_conditional(job, plan, baskets, options, out, error)
            : mine_filtered(job, plan, baskets, options, out, error);
    job->stats->mine_seconds = omp_get_wtime() - start;
    status = dist_agree(job, status, error);
    if (status != FIMBIT_OK) {
        fimbit__free(out->words);
        out->words = NULL;
        out->used = out->capacity = 0;
    }
    return status;
}
