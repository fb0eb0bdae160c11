/*
 * The plan: global supports and counts (MPI_Allreduce), so that every rank
 * derives the same F-list; then the items' estimated work, and their
 * assignment to ranks.
 *
 * Work estimate. Under the prefix projection an item's rank receives, for
 * every basket holding it, the basket's items up to it: the item's
 * conditional pattern base. Its size (sum over the item's baskets of the
 * item's position + 1) is what the rank stores, what FP-growth builds its
 * conditional tree from, and a fair proxy of the mining below it. Items are
 * handed out largest first, each to the rank with the least work so far
 * (longest-processing-time scheduling: within 4/3 of the best split), so the
 * many cheap frequent items and the few expensive rare ones mix.
 */
#include <stdlib.h>
#include <string.h>

#include "base/work_order.h"
#include "dist.h"

enum { STAT_BASKETS, STAT_EMPTY, STAT_TOTAL_ITEMS, STAT_COUNT };

/* Rank 0: the dataset of names and global supports, without baskets. */
static fimbit_status build_header(dataset_builder *names, const uint64_t *supports,
                                  const uint64_t *stats, uint64_t max_basket,
                                  fimbit_dataset **header)
{
    fimbit_status status = dataset_builder_fit_supports(names);
    if (status != FIMBIT_OK) {
        dataset_builder_release(names);
        return status;
    }
    memcpy(names->supports, supports, names->names.count * sizeof *supports);
    status = dataset_builder_finish(names, header);
    if (status != FIMBIT_OK)
        return status;
    fimbit_dataset *d = *header;
    d->without_baskets = true;
    d->basket_count = stats[STAT_BASKETS];
    fimbit_dataset_stats *s = &d->stats;
    s->baskets = stats[STAT_BASKETS];
    s->empty_baskets = stats[STAT_EMPTY];
    s->total_items = stats[STAT_TOTAL_ITEMS];
    s->max_basket_size = max_basket;
    s->avg_basket_size = s->baskets ? (double)s->total_items / (double)s->baskets : 0.0;
    s->density = s->items ? s->avg_basket_size / (double)s->items : 0.0;
    return FIMBIT_OK;
}

/* Longest processing time first. Same input on every rank, same owners. */
static fimbit_status assign_items(const dist_job *job, dist_plan *plan)
{
    uint32_t F = plan->frequent.frequent_count;
    work_item *order = fimbit__malloc_array(F + 1, sizeof *order);
    uint64_t *load = fimbit__calloc((size_t)job->size, sizeof *load);
    if (!order || !load) {
        fimbit__free(order);
        fimbit__free(load);
        return FIMBIT_ENOMEM;
    }
    for (uint32_t r = 0; r < F; r++)
        order[r] = (work_item){plan->work[r] + 1, r};
    qsort(order, F, sizeof *order, work_item_descending);
    for (uint32_t k = 0; k < F; k++) {
        int least = 0;
        for (int p = 1; p < job->size; p++)
            if (load[p] < load[least])
                least = p;
        plan->owner[order[k].item] = least;
        load[least] += order[k].work;
    }
    fimbit__free(order);
    fimbit__free(load);
    return FIMBIT_OK;
}

/* Every rank: the work of each item in this rank's baskets, then summed. */
static void estimate_work(const dist_job *job, dist_plan *plan)
{
    const flist *f = &plan->frequent;
    for (uint64_t t = 0; t < f->tx_count; t++)
        for (uint64_t i = f->tx_offsets[t]; i < f->tx_offsets[t + 1]; i++)
            plan->work[f->tx_items[i]] += i - f->tx_offsets[t] + 1;
    dist_sum_u64(job, plan->work, f->frequent_count);
}

fimbit_status dist_plan_build(const dist_job *job, fimbit_dataset *local,
                              const uint32_t *local_to_global, uint32_t global_count,
                              const fimbit_mine_options *options, dataset_builder *names,
                              fimbit_dataset **header, dist_plan *plan, fimbit_error *error)
{
    memset(plan, 0, sizeof *plan);
    uint64_t *supports = fimbit__calloc((size_t)global_count + 1, sizeof *supports);
    fimbit_status status = FIMBIT_OK;
    uint64_t items_here = local->basket_offsets[local->basket_count];
    if (supports == NULL)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory counting the items");
    else if (global_count > ITEM_ARRAY_NARROW_LIMIT && !local->basket_items.wide &&
             !item_array_resize(&local->basket_items, items_here, items_here, true))
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory widening the baskets");
    status = dist_agree(job, status, error);
    if (status != FIMBIT_OK) {
        fimbit__free(supports);
        if (job->rank == 0)
            dataset_builder_release(names);
        return status;
    }

    /* Pass 1 across the ranks: this rank's baskets in global ids, their
     * supports and counts summed. */
    for (uint64_t i = 0; i < items_here; i++)
        item_array_set(&local->basket_items, i,
                       local_to_global[item_array_get(&local->basket_items, i)]);
    local->baskets_ordered = false; /* ordered by local supports, not global ones */
    for (uint32_t item = 0; item < local->item_count; item++)
        supports[local_to_global[item]] += local->item_support[item];
    dist_sum_u64(job, supports, global_count);
    uint64_t stats[STAT_COUNT] = {local->stats.baskets, local->stats.empty_baskets,
                                  local->stats.total_items};
    dist_sum_u64(job, stats, STAT_COUNT);
    uint64_t max_basket = local->stats.max_basket_size;
    MPI_Allreduce(MPI_IN_PLACE, &max_basket, 1, MPI_UINT64_T, MPI_MAX, job->comm);

    /* Rank 0 resolves the threshold against the whole input. */
    if (job->rank == 0) {
        status = build_header(names, supports, stats, max_basket, header);
        if (status != FIMBIT_OK)
            status = fimbit__fail(error, status, "out of memory building the dataset");
        else
            status = fimbit_min_count(*header, options, &plan->min_count, error);
    }
    status = dist_agree(job, status, error);
    if (status == FIMBIT_OK) {
        MPI_Bcast(&plan->min_count, 1, MPI_UINT64_T, 0, job->comm);
        fimbit_dataset view = {.basket_count = local->basket_count,
                               .basket_offsets = local->basket_offsets,
                               .basket_items = local->basket_items,
                               .item_count = global_count,
                               .item_support = supports};
        status = flist_build(&view, plan->min_count, NULL, job->threads, &plan->frequent,
                             error);
    }
    if (status == FIMBIT_OK) {
        uint32_t F = plan->frequent.frequent_count;
        plan->work = fimbit__calloc((size_t)F + 1, sizeof *plan->work);
        plan->owner = fimbit__calloc((size_t)F + 1, sizeof *plan->owner);
        if (!plan->work || !plan->owner)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory planning the work");
    }
    fimbit__free(supports);
    status = dist_agree(job, status, error);
    if (status == FIMBIT_OK) {
        estimate_work(job, plan);
        if (assign_items(job, plan) != FIMBIT_OK)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory planning the work");
        status = dist_agree(job, status, error);
    }
    if (status != FIMBIT_OK)
        dist_plan_free(plan);
    return status;
}

void dist_plan_free(dist_plan *plan)
{
    flist_free(&plan->frequent);
    fimbit__free(plan->owner);
    fimbit__free(plan->work);
    memset(plan, 0, sizeof *plan);
}
