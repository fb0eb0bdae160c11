/*
 * Mining every group: the groups run in parallel, one thread each, the
 * biggest first, so that a group whose itemsets explode holds one thread
 * while the others carry on through the rest. A lone group gets every
 * thread. Each group's threshold is its own (a fraction counts its baskets),
 * never below the caller's floor.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "groups.h"
#include "base/progress.h"
#include "base/topology.h"
#include "mine/mine.h"
#include "read/dataset.h"
#include "rules/rules.h"

/* One group's mining: fimbit_mine_itemsets or fimbit_mine_rules behind one
 * signature. `options` is the caller's, `mine` the group's resolution of its
 * itemset part. */
typedef fimbit_status (*group_miner)(const fimbit_dataset *dataset, const void *options,
                                     const fimbit_mine_options *mine, void **result,
                                     fimbit_error *error);

static fimbit_status mine_itemsets_of(const fimbit_dataset *dataset, const void *options,
                                      const fimbit_mine_options *mine, void **result,
                                      fimbit_error *error)
{
    (void)options;
    return fimbit_mine_itemsets(dataset, mine, (fimbit_itemsets **)result, error);
}

static fimbit_status mine_rules_of(const fimbit_dataset *dataset, const void *options,
                                   const fimbit_mine_options *mine, void **result,
                                   fimbit_error *error)
{
    fimbit_rule_options rule = *(const fimbit_rule_options *)options;
    rule.mine = *mine;
    return fimbit_mine_rules(dataset, &rule, (fimbit_rules **)result, error);
}

typedef struct sized_group {
    uint64_t baskets;
    size_t group;
} sized_group;

static int by_baskets_descending(const void *a, const void *b)
{
    const sized_group *x = a, *y = b;
    if (x->baskets != y->baskets)
        return x->baskets < y->baskets ? 1 : -1;
    return (x->group > y->group) - (x->group < y->group);
}

/* Mines group `g` with `threads` threads into results[g]. */
static fimbit_status mine_group(const fimbit_groups *groups, size_t g, group_miner miner,
                                const void *options, const fimbit_mine_options *mine,
                                uint64_t min_count_floor, int threads, void **results,
                                fimbit_error *error)
{
    const fimbit_dataset *dataset = groups->datasets[g];
    fimbit_mine_options resolved = *mine;
    uint64_t min_count = 0;
    fimbit_status status = fimbit_min_count(dataset, mine, &min_count, error);
    if (status != FIMBIT_OK)
        return status;
    resolved.min_count = min_count < min_count_floor ? min_count_floor : min_count;
    resolved.threads = threads;
    status = miner(dataset, options, &resolved, &results[g], error);
    if (status != FIMBIT_OK && error != NULL) {
        /* Say which group failed. */
        char message[sizeof error->message + 128];
        snprintf(message, sizeof message, "group '%.100s': %s", groups->names[g], error->message);
        size_t length = strlen(message);
        if (length >= sizeof error->message)
            length = sizeof error->message - 1; /* cut, as every message is */
        memcpy(error->message, message, length);
        error->message[length] = '\0';
    }
    return status;
}

/* Mines every group into results[] (count entries, NULL on failure). */
static fimbit_status mine_in_parallel(const fimbit_groups *groups, group_miner miner,
                                      const void *options, const fimbit_mine_options *mine,
                                      uint64_t min_count_floor, int threads, void **results,
                                      fimbit_error *error)
{
    size_t count = groups->count;
    sized_group *order = fimbit__malloc_array(count, sizeof *order);
    if (order == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory planning the groups");
    for (size_t g = 0; g < count; g++)
        order[g] = (sized_group){groups->datasets[g]->basket_count, g};
    qsort(order, count, sizeof *order, by_baskets_descending);

    atomic_int first_failure = FIMBIT_OK;
    fimbit_error failure = {0};
#pragma omp parallel num_threads(threads)
    {
        topology_bind_thread();
#pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < count; i++) {
            if (atomic_load(&first_failure) != FIMBIT_OK)
                continue;
            fimbit_error mine_error = {0};
            fimbit_status status = mine_group(groups, order[i].group, miner, options, mine,
                                              min_count_floor, 1, results, &mine_error);
            int expected = FIMBIT_OK;
            if (status != FIMBIT_OK &&
                atomic_compare_exchange_strong(&first_failure, &expected, (int)status))
                failure = mine_error;
        }
    }
    fimbit__free(order);
    fimbit_status status = (fimbit_status)atomic_load(&first_failure);
    if (status != FIMBIT_OK && error != NULL)
        *error = failure;
    return status;
}

/* Mines every group into results[] (count entries), freeing what it made
 * with `release` on failure. */
static fimbit_status mine_groups(const fimbit_groups *groups, group_miner miner,
                                 const void *options, const fimbit_mine_options *mine,
                                 uint64_t min_count_floor, void **results,
                                 void (*release)(void *), fimbit_error *error)
{
    size_t count = groups->count;
    uint64_t items = 0; /* the work: basket items over every group */
    for (size_t g = 0; g < count; g++)
        items += groups->datasets[g]->basket_offsets[groups->datasets[g]->basket_count];
    int threads = fimbit__thread_count_for_work(mine->threads, items);
    /* No progress reports: the stages of many groups would interleave. */
    progress_registration muted = progress_mute();
    fimbit_status status = FIMBIT_OK;
    if (count == 1 || threads == 1) {
        for (size_t g = 0; g < count && status == FIMBIT_OK; g++)
            status = mine_group(groups, g, miner, options, mine, min_count_floor, threads,
                                results, error);
    } else {
        status = mine_in_parallel(groups, miner, options, mine, min_count_floor, threads,
                                  results, error);
    }
    progress_restore(muted);
    if (status != FIMBIT_OK)
        for (size_t g = 0; g < count; g++) {
            release(results[g]);
            results[g] = NULL;
        }
    return status;
}

static void release_itemsets(void *itemsets) { fimbit_itemsets_free(itemsets); }
static void release_rules(void *rules) { fimbit_rules_free(rules); }

/* The public calls' common checks, and their typed results through one void
 * array. The threshold is checked here once, also when there is no group to
 * mine (a group checks it again when it resolves its own count). */
static fimbit_status run_groups(const fimbit_groups *groups, group_miner miner,
                                const void *options, const fimbit_mine_options *mine,
                                uint64_t min_count_floor, void (*release)(void *),
                                void ***slots, fimbit_error *error)
{
    *slots = NULL;
    if (groups == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "no groups to mine");
    fimbit_status status = mine_check_threshold(mine, error);
    if (status != FIMBIT_OK)
        return status;
    *slots = fimbit__calloc(groups->count ? groups->count : 1, sizeof **slots);
    if (*slots == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory mining the groups");
    return mine_groups(groups, miner, options, mine, min_count_floor, *slots, release, error);
}

fimbit_status fimbit_groups_mine_itemsets(const fimbit_groups *groups,
                                          const fimbit_mine_options *options,
                                          uint64_t min_count_floor, fimbit_itemsets **results,
                                          fimbit_error *error)
{
    if (results == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_groups_mine_itemsets: results is NULL");
    fimbit_mine_options defaults;
    if (options == NULL) {
        fimbit_mine_options_init(&defaults);
        options = &defaults;
    }
    void **slots = NULL;
    fimbit_status status = mine_check_options(options, error);
    if (status == FIMBIT_OK)
        status = run_groups(groups, mine_itemsets_of, options, options, min_count_floor,
                            release_itemsets, &slots, error);
    for (size_t g = 0; groups != NULL && g < groups->count; g++)
        results[g] = slots != NULL ? slots[g] : NULL;
    fimbit__free(slots);
    return status;
}

fimbit_status fimbit_groups_mine_rules(const fimbit_groups *groups,
                                       const fimbit_rule_options *options,
                                       uint64_t min_count_floor, fimbit_rules **results,
                                       fimbit_error *error)
{
    if (results == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_groups_mine_rules: results is NULL");
    fimbit_rule_options defaults;
    if (options == NULL) {
        fimbit_rule_options_init(&defaults);
        options = &defaults;
    }
    void **slots = NULL;
    fimbit_status status = rules_check_options(options, error);
    if (status == FIMBIT_OK)
        status = run_groups(groups, mine_rules_of, options, &options->mine, min_count_floor,
                            release_rules, &slots, error);
    for (size_t g = 0; groups != NULL && g < groups->count; g++)
        results[g] = slots != NULL ? slots[g] : NULL;
    fimbit__free(slots);
    return status;
}
