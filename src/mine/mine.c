/*
 * The driver: resolves the plan (threshold, kernel, threads), then runs the
 * stages in order — F-list and recoding, shards when the kernel wants the
 * vertical form, the kernel, and the consumer of its sinks (the store, or the
 * caller's stream). It owns nothing but the plan.
 */
#include <string.h>

#include <omp.h>

#include "read/dataset.h"
#include "encode/flist.h"
#include "base/internal.h"
#include "kernels/kernel.h"
#include "kernels/kernel_choice.h"
#include "mine.h"
#include "base/progress.h"
#include "kernels/projection.h"
#include "rules/constraints.h"
#include "rules/rules.h"
#include "encode/shard.h"
#include "store/sink.h"
#include "store/store.h"

typedef struct mining_plan {
    const fimbit_dataset *dataset;
    uint64_t min_count;
    int threads;
    fimbit_target target;
    fimbit_algorithm algorithm;
    bool by_projection; /* projection.h instead of one kernel over the recoding */
    kernel_fn kernel;
    flist frequent;
    kernel_data data;
    shard_vertical *vertical;
    const uint8_t *top_level; /* kernel_params.top_level */
} mining_plan;

fimbit_status mine_check_options(const fimbit_mine_options *o, fimbit_error *error)
{
    if (o->threads < 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "thread count %d is negative", o->threads);
    if ((unsigned)o->target > FIMBIT_TARGET_MAXIMAL)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown target %d", (int)o->target);
    if ((unsigned)o->algorithm > FIMBIT_ALGORITHM_ECLAT)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown algorithm %d", (int)o->algorithm);
    if (o->max_size > 0 && o->min_size > o->max_size)
        return fimbit__fail(error, FIMBIT_EINVAL, "minimum size %u exceeds maximum size %u",
                            o->min_size, o->max_size);
    return FIMBIT_OK;
}

static void plan_free(mining_plan *plan)
{
    /* A projection read the baskets to the end; a recoding gave them up
     * already (plan_prepare). */
    if (plan->dataset != NULL)
        dataset_release_baskets(plan->dataset);
    shard_vertical_free(plan->vertical);
    flist_free(&plan->frequent);
    memset(plan, 0, sizeof *plan);
}

/* The kernel for plan->data, and the vertical form when it needs one. */
static fimbit_status plan_choose_kernel(mining_plan *plan, const fimbit_mine_options *o,
                                        fimbit_error *error)
{
    kernel_params probe = {.data = &plan->data,
                           .min_count = plan->min_count,
                           .target = plan->target,
                           .max_size = o->max_size,
                           .threads = plan->threads,
                           .top_level = plan->top_level};
    plan->kernel = kernel_choose_for(o->algorithm, &probe);
    bool shards = kernel_needs_vertical(plan->kernel, &probe);
    progress_meter meter;
    if (shards && progress_begin(&meter, FIMBIT_STAGE_SHARD, "baskets", plan->data.tx_count)) {
        plan_free(plan);
        return progress_cancel_error(&meter, error);
    }
    fimbit_status status = kernel_prepare_vertical(plan->kernel, &probe, &plan->data,
                                                   &plan->vertical);
    if (status != FIMBIT_OK) {
        plan_free(plan);
        return fimbit__fail(error, status, "out of memory while building the shards");
    }
    if (shards && progress_end(&meter)) {
        plan_free(plan);
        return progress_cancel_error(&meter, error);
    }
    return FIMBIT_OK;
}

/* Everything up to the kernel: threshold, recoding, kernel choice, shards.
 * Items marked in `dropped` (NULL = none) are mined as if absent. */
static fimbit_status plan_prepare(const fimbit_dataset *dataset, const fimbit_mine_options *o,
                                  fimbit_target target, const uint8_t *dropped,
                                  mining_plan *plan, fimbit_error *error)
{
    memset(plan, 0, sizeof *plan);
    if (dataset->baskets_released)
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "the dataset was mined once already (fimbit_dataset_mine_once)");
    if (dataset->without_baskets)
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "the dataset's baskets are on other MPI ranks: mine it there");
    fimbit_status status = mine_check_options(o, error);
    if (status == FIMBIT_OK)
        status = fimbit_min_count(dataset, o, &plan->min_count, error);
    if (status != FIMBIT_OK)
        return status;
    plan->dataset = dataset;
    plan->threads = fimbit__thread_count_for_work(o->threads, dataset->stats.total_items);
    plan->target = target;
    plan->algorithm = o->algorithm;

    /* The projection reads the dataset itself: rank the items, recode nothing. */
    progress_meter meter;
    if (progress_begin(&meter, FIMBIT_STAGE_COUNT, "baskets", dataset->basket_count))
        return progress_cancel_error(&meter, error);
    status = flist_rank_items(dataset, plan->min_count, dropped, &plan->frequent, error);
    if (status != FIMBIT_OK)
        return status;
    /* The projection reads baskets in support order and stops at the first
     * infrequent item, which a dropped item need not be: it takes the
     * recoding path then. */
    plan->by_projection = o->algorithm == FIMBIT_ALGORITHM_AUTO && dropped == NULL &&
                          projection_suits(dataset, &plan->frequent, target, plan->threads);
    if (plan->by_projection) {
        plan->data.item_count = plan->frequent.frequent_count;
    } else {
        flist_free(&plan->frequent);
        status = flist_build(dataset, plan->min_count, dropped, plan->threads, &plan->frequent,
                             error);
        if (status != FIMBIT_OK)
            return status;
        flist_kernel_data(&plan->frequent, &plan->data);
        /* Kernels read the recoding only: the baskets can go now, before
         * the kernel's working memory comes. */
        dataset_release_baskets(dataset);
    }
    if (progress_end(&meter)) {
        plan_free(plan);
        return progress_cancel_error(&meter, error);
    }
    return plan->by_projection ? FIMBIT_OK : plan_choose_kernel(plan, o, error);
}

/* Runs the kernel with `output` as its sinks, then frees them: the MINE
 * stage, whose kernel counts its top-level branches, one per frequent item. */
static fimbit_status plan_run_into(const mining_plan *plan, const fimbit_mine_options *o,
                                   kernel_output *output, fimbit_error *error)
{
    if (!output)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while starting the kernel");
    progress_meter meter;
    if (progress_begin(&meter, FIMBIT_STAGE_MINE, "branches", plan->data.item_count)) {
        kernel_output_free(output);
        return progress_cancel_error(&meter, error);
    }
    kernel_output_set_progress(output, &meter);
    kernel_params params = {.data = &plan->data, .min_count = plan->min_count,
                            .target = plan->target, .max_size = o->max_size,
                            .threads = plan->threads, .output = output,
                            .top_level = plan->top_level};
    fimbit_status status;
    if (plan->by_projection) {
        projection_params projection = {.dataset = plan->dataset, .frequent = &plan->frequent,
                                         .min_count = plan->min_count, .max_size = o->max_size,
                                         .algorithm = plan->algorithm, .threads = plan->threads,
                                         .output = output};
        status = projection_mine(&projection);
    } else {
        status = plan->kernel(&params);
    }
    if (status == FIMBIT_OK && kernel_output_finish(output))
        status = FIMBIT_ECANCELED;
    if (status == FIMBIT_ECANCELED && kernel_output_out_of_memory(output))
        status = FIMBIT_ENOMEM;
    kernel_output_free(output);
    if (status == FIMBIT_ENOMEM)
        return fimbit__fail(error, status, "out of memory while mining");
    if (status == FIMBIT_ECANCELED && progress_canceled(&meter))
        return progress_cancel_error(&meter, error);
    if (status == FIMBIT_OK && progress_end(&meter))
        return progress_cancel_error(&meter, error);
    return status; /* ECANCELED: the consumer says why */
}

static uint32_t plan_min_size(const fimbit_mine_options *o)
{
    return o->min_size > 0 ? o->min_size : 1;
}

/* Runs the kernel with its sinks flushing into `flush`. */
static fimbit_status plan_run(const mining_plan *plan, const fimbit_mine_options *o,
                              sink_flush_fn flush, void *context, fimbit_error *error)
{
    if (plan->data.item_count == 0)
        return FIMBIT_OK;
    return plan_run_into(plan, o,
                         kernel_output_create(plan->threads, plan_min_size(o), o->max_size,
                                              flush, context),
                         error);
}

fimbit_status mine_itemsets_direct(const fimbit_dataset *dataset,
                                   const fimbit_mine_options *options,
                                   mine_direct_start_fn start, void *user, fimbit_error *error)
{
    mining_plan plan;
    fimbit_status status = plan_prepare(dataset, options, options->target, NULL, &plan, error);
    if (status != FIMBIT_OK)
        return status;
    sink_direct direct;
    status = start(user, plan.frequent.rank_to_item, plan.data.item_count, plan.threads, &direct,
                   error);
    if (status == FIMBIT_OK && plan.data.item_count > 0)
        status = plan_run_into(&plan, options,
                               kernel_output_create_direct(plan.threads, plan_min_size(options),
                                                           options->max_size, &direct),
                               error);
    plan_free(&plan);
    return status;
}

/* Mines into a new store: what fimbit_mine_itemsets and the rules need. */
static fimbit_status mine_into_store(const fimbit_dataset *dataset, const fimbit_mine_options *o,
                                     fimbit_target target, const uint8_t *dropped,
                                     fimbit_itemsets **out, fimbit_error *error)
{
    mining_plan plan;
    fimbit_status status = plan_prepare(dataset, o, target, dropped, &plan, error);
    if (status != FIMBIT_OK)
        return status;
    fimbit_itemsets *store = store_create(dataset, plan.frequent.rank_to_item, plan.threads);
    if (!store) {
        plan_free(&plan);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while creating the store");
    }
    status = plan_run(&plan, o, store_flush, store, error);
    plan_free(&plan);
    /* A store that ran out of memory stops the kernel (ECANCELED here);
     * store_finish reports the real cause. */
    fimbit_status finished = store_finish(store, error);
    if (status == FIMBIT_OK || status == FIMBIT_ECANCELED)
        status = finished != FIMBIT_OK ? finished : status;
    if (status != FIMBIT_OK) {
        fimbit_itemsets_free(store);
        return status;
    }
    *out = store;
    return FIMBIT_OK;
}

fimbit_status fimbit_mine_itemsets(const fimbit_dataset *dataset,
                                   const fimbit_mine_options *options, fimbit_itemsets **out,
                                   fimbit_error *error)
{
    if (out != NULL)
        *out = NULL;
    if (!dataset || !out)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_mine_itemsets: NULL argument");
    fimbit_mine_options defaults;
    if (!options) {
        fimbit_mine_options_init(&defaults);
        options = &defaults;
    }
    return mine_into_store(dataset, options, options->target, NULL, out, error);
}

/* Stream mode: worker threads flush whole buffers; the lock makes the calls
 * to the caller's function one at a time, as the header promises. */
typedef struct stream_context {
    fimbit_itemset_fn fn;
    void *user;
    const uint32_t *rank_to_item;
    uint32_t *items; /* item ids of the record being delivered */
    omp_lock_t lock;
    bool canceled;
} stream_context;

static int stream_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    FIMBIT_UNUSED(thread);
    stream_context *stream = context;
    const uint32_t *end = records + words;
    int stop = 0;
    omp_set_lock(&stream->lock);
    for (const uint32_t *r = records; r < end && !stream->canceled; r = sink_record_next(r)) {
        uint32_t size = sink_record_size(r);
        const uint32_t *ranks = sink_record_items(r);
        for (uint32_t i = 0; i < size; i++)
            stream->items[i] = stream->rank_to_item[ranks[i]];
        if (stream->fn(stream->user, stream->items, size, sink_record_count(r)))
            stream->canceled = true;
    }
    stop = stream->canceled;
    omp_unset_lock(&stream->lock);
    return stop;
}

fimbit_status fimbit_mine_itemsets_stream(const fimbit_dataset *dataset,
                                          const fimbit_mine_options *options,
                                          fimbit_itemset_fn fn, void *user, fimbit_error *error)
{
    if (!dataset || !fn)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_mine_itemsets_stream: NULL argument");
    fimbit_mine_options defaults;
    if (!options) {
        fimbit_mine_options_init(&defaults);
        options = &defaults;
    }
    mining_plan plan;
    fimbit_status status = plan_prepare(dataset, options, options->target, NULL, &plan, error);
    if (status != FIMBIT_OK)
        return status;
    stream_context stream = {.fn = fn, .user = user,
                             .rank_to_item = plan.frequent.rank_to_item};
    stream.items = fimbit__malloc_array(plan.data.item_count + 1, sizeof *stream.items);
    if (!stream.items) {
        plan_free(&plan);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while starting the stream");
    }
    omp_init_lock(&stream.lock);
    status = plan_run(&plan, options, stream_flush, &stream, error);
    omp_destroy_lock(&stream.lock);
    fimbit__free(stream.items);
    plan_free(&plan);
    if (status == FIMBIT_ECANCELED && stream.canceled)
        return fimbit__fail(error, status, "mining stopped by the itemset callback");
    return status;
}

fimbit_status mine_recoded(const kernel_data *data, uint64_t min_count, const uint8_t *top_level,
                           const fimbit_mine_options *options, sink_flush_fn flush,
                           void *context, fimbit_error *error)
{
    fimbit_status status = mine_check_options(options, error);
    if (status != FIMBIT_OK)
        return status;
    mining_plan plan = {.min_count = min_count,
                        .threads = fimbit__thread_count(options->threads),
                        .target = options->target,
                        .data = *data,
                        .top_level = top_level};
    status = plan_choose_kernel(&plan, options, error);
    if (status != FIMBIT_OK)
        return status;
    status = plan_run(&plan, options, flush, context, error);
    plan_free(&plan);
    return status;
}

fimbit_status fimbit_mine_rules(const fimbit_dataset *dataset, const fimbit_rule_options *options,
                                fimbit_rules **out, fimbit_error *error)
{
    if (out != NULL)
        *out = NULL;
    if (!dataset || !out)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_mine_rules: NULL argument");
    fimbit_rule_options defaults;
    if (!options) {
        fimbit_rule_options_init(&defaults);
        options = &defaults;
    }
    fimbit_status status = rules_check_options(options, error);
    if (status != FIMBIT_OK)
        return status;
    /* Rules need the support of every subset of a rule's itemset, so every
     * frequent itemset up to the size limit is mined, whatever min_size is;
     * but items no rule may hold (excluded, or on neither list) are left out
     * of the mining. */
    fimbit_mine_options mine = options->mine;
    mine.min_size = 1;
    item_constraints constraints;
    uint8_t *dropped = NULL;
    status = item_constraints_resolve(dataset, options, &constraints, error);
    if (status == FIMBIT_OK)
        status = item_constraints_dropped(dataset, &constraints, &dropped, error);
    item_constraints_free(&constraints);
    fimbit_itemsets *all = NULL;
    if (status == FIMBIT_OK)
        status = mine_into_store(dataset, &mine, FIMBIT_TARGET_ALL, dropped, &all, error);
    fimbit__free(dropped);
    if (status != FIMBIT_OK)
        return status;
    status = rules_generate(all, options, out, error);
    fimbit_itemsets_free(all);
    return status;
}
