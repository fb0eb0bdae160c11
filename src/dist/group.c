/*
 * A rank mines what the exchange brought it with the single-process kernels.
 *
 * Target ALL goes item by item (conditional.c). CLOSED and MAXIMAL run the
 * kernels once on the received baskets, whole and in global ranks, with the
 * top-level branches restricted to the items this rank owns
 * (kernel_params.top_level). The branch of item g is exactly the itemsets
 * whose greatest rank (least frequent item) is g; every test that decides
 * one of them closed or maximal reads only baskets that hold g — whole, with
 * items of any rank — and every such basket is here. So each rank reports
 * exactly its own share, with the counts and verdicts of one process, and no
 * itemset is mined twice. docs/distributed.md has the argument in full.
 */
#include <omp.h>

#include "dist.h"
#include "mine/mine.h"

/* Where the kernel's sinks flush: the rank's records, one thread at a time. */
typedef struct branch_output {
    dist_records *out;
    omp_lock_t lock;
    bool out_of_memory;
} branch_output;

static int append_records(void *context, int thread, const uint32_t *records, size_t words)
{
    FIMBIT_UNUSED(thread);
    branch_output *output = context;
    omp_set_lock(&output->lock);
    bool appended = dist_records_append_words(output->out, records, words);
    output->out_of_memory |= !appended;
    omp_unset_lock(&output->lock);
    return !appended;
}

static fimbit_status mine_owned_branches(const dist_job *job, const dist_plan *plan,
                                         const dist_baskets *baskets,
                                         const fimbit_mine_options *options, dist_records *out,
                                         fimbit_error *error)
{
    uint32_t F = plan->frequent.frequent_count;
    if (baskets->count == 0 || F == 0)
        return FIMBIT_OK;
    uint8_t *owned = fimbit__malloc((size_t)F);
    if (owned == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while mining");
    for (uint32_t g = 0; g < F; g++)
        owned[g] = plan->owner[g] == job->rank;

    /* The whole data's supports: exact for the owned items, whose baskets
     * are all here, and an upper bound for the others, as top_level wants. */
    kernel_data data = {.item_count = F,
                        .item_support = plan->frequent.rank_support,
                        .tx_count = baskets->count,
                        .tx_offsets = baskets->offsets,
                        .tx_items = baskets->items};
    fimbit_mine_options o = *options;
    o.threads = job->threads;
    branch_output output = {.out = out};
    omp_init_lock(&output.lock);
    fimbit_status status = mine_recoded(&data, plan->min_count, owned, &o, append_records,
                                        &output, error);
    omp_destroy_lock(&output.lock);
    if (output.out_of_memory)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory keeping the itemsets");
    fimbit__free(owned);
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
            : mine_owned_branches(job, plan, baskets, options, out, error);
    job->stats->mine_seconds = omp_get_wtime() - start;
    job->stats->itemsets_mined = 0;
    for (size_t w = 0; w < out->used; w += SINK_RECORD_HEADER_WORDS + out->words[w])
        job->stats->itemsets_mined++;
    status = dist_agree(job, status, error);
    if (status != FIMBIT_OK) {
        fimbit__free(out->words);
        out->words = NULL;
        out->used = out->capacity = 0;
    }
    return status;
}
