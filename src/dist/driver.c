/*
 * The MPI entry points (fimbit_mpi.h): the stages of dist.h in order. Each
 * stage ends with an agreement, so every rank leaves at the same stage with
 * the same status.
 */
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "read/dataset.h"
#include "dist.h"
#include "base/progress.h"
#include "mine/mine.h"
#include "rules/rules.h"

/* Words a rank sends per exchange round: 16 MiB, so that a round's receive
 * buffer stays far below MPI's int counts up to hundreds of ranks. */
#define EXCHANGE_ROUND_WORDS ((size_t)4 << 20)

/* The environment variable FIMBIT_MPI_ROUND_WORDS overrides it: the tests
 * make rounds tiny to run many of them on small data. Ranks need not agree on
 * it; each takes part in rounds until every rank has sent everything. */
static size_t exchange_round_words(void)
{
    const char *text = getenv("FIMBIT_MPI_ROUND_WORDS");
    char *end = NULL;
    unsigned long long words = text ? strtoull(text, &end, 10) : 0;
    if (text == NULL || end == text || *end != '\0' || words == 0 || words > INT32_MAX)
        return EXCHANGE_ROUND_WORDS;
    return (size_t)words;
}

static void job_start(MPI_Comm comm, int threads, fimbit_mpi_stats *stats, dist_job *job)
{
    memset(stats, 0, sizeof *stats);
    job->comm = comm;
    MPI_Comm_rank(comm, &job->rank);
    MPI_Comm_size(comm, &job->size);
    job->threads = fimbit__thread_count(threads);
    job->stats = stats;
}

/* Reads, plans, exchanges, mines and gathers: on rank 0, *header and *out. */
static fimbit_status run_itemsets(const dist_job *job, const char *const *paths,
                                  size_t path_count, const fimbit_read_options *read,
                                  const fimbit_mine_options *mine, fimbit_dataset **header,
                                  fimbit_itemsets **out, fimbit_error *error)
{
    /* The stages run per rank and per item group: no progress reports (and
     * no rank stopping on its own while the others wait for it). */
    progress_registration muted = progress_mute();
    double start = omp_get_wtime();
    fimbit_dataset *local = NULL;
    fimbit_status status = dist_agree(job, dist_read(job, paths, path_count, read, &local, error),
                                      error);
    uint32_t *local_to_global = NULL;
    uint32_t global_count = 0;
    dataset_builder names;
    if (status == FIMBIT_OK)
        status = dist_merge_dictionaries(job, local, &local_to_global, &global_count, &names,
                                         error);
    dist_plan plan = {0};
    if (status == FIMBIT_OK)
        status = dist_plan_build(job, local, local_to_global, global_count, mine, &names, header,
                                 &plan, error);
    fimbit__free(local_to_global);
    fimbit_dataset_free(local); /* the plan holds this rank's baskets, recoded */
    job->stats->read_seconds = omp_get_wtime() - start;

    dist_baskets baskets = {0};
    if (status == FIMBIT_OK) {
        start = omp_get_wtime();
        status = dist_exchange(job, &plan, mine->target != FIMBIT_TARGET_ALL,
                               exchange_round_words(), &baskets, error);
        job->stats->exchange_seconds = omp_get_wtime() - start;
    }
    dist_records records = {0};
    if (status == FIMBIT_OK)
        status = dist_mine_group(job, &plan, &baskets, mine, &records, error);
    dist_baskets_free(&baskets);
    if (status == FIMBIT_OK)
        status = dist_gather(job, &plan, *header, &records, out, error);
    dist_plan_free(&plan);
    if (status != FIMBIT_OK) {
        fimbit_dataset_free(*header);
        *header = NULL;
    }
    progress_restore(muted);
    return status;
}

fimbit_status fimbit_mpi_mine_itemsets(MPI_Comm comm, const char *const *paths,
                                       size_t path_count, const fimbit_read_options *read,
                                       const fimbit_mine_options *mine, fimbit_dataset **dataset,
                                       fimbit_itemsets **itemsets, fimbit_mpi_stats *stats,
                                       fimbit_error *error)
{
    /* Every output NULL on failure, a NULL argument's too. */
    if (dataset)
        *dataset = NULL;
    if (itemsets)
        *itemsets = NULL;
    if (!paths || path_count == 0 || !dataset || !itemsets)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_mpi_mine_itemsets: NULL argument");
    fimbit_read_options read_defaults;
    if (!read) {
        fimbit_read_options_init(&read_defaults);
        read = &read_defaults;
    }
    fimbit_mine_options mine_defaults;
    if (!mine) {
        fimbit_mine_options_init(&mine_defaults);
        mine = &mine_defaults;
    }
    /* Before the read, as fimbit_mpi_mine_rules: the same on every rank. */
    fimbit_status status = mine_check_options(mine, error);
    if (status == FIMBIT_OK)
        status = mine_check_threshold(mine, error);
    if (status != FIMBIT_OK)
        return status;
    fimbit_mpi_stats own_stats;
    dist_job job;
    job_start(comm, mine->threads, stats ? stats : &own_stats, &job);
    return run_itemsets(&job, paths, path_count, read, mine, dataset, itemsets, error);
}

fimbit_status fimbit_mpi_mine_rules(MPI_Comm comm, const char *const *paths, size_t path_count,
                                    const fimbit_read_options *read,
                                    const fimbit_rule_options *rule, fimbit_dataset **dataset,
                                    fimbit_rules **rules, fimbit_mpi_stats *stats,
                                    fimbit_error *error)
{
    /* Every output NULL on failure, a NULL argument's too. */
    if (dataset)
        *dataset = NULL;
    if (rules)
        *rules = NULL;
    if (!paths || path_count == 0 || !dataset || !rules)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_mpi_mine_rules: NULL argument");
    fimbit_read_options read_defaults;
    if (!read) {
        fimbit_read_options_init(&read_defaults);
        read = &read_defaults;
    }
    fimbit_rule_options rule_defaults;
    if (!rule) {
        fimbit_rule_options_init(&rule_defaults);
        rule = &rule_defaults;
    }
    fimbit_status status = rules_check_options(rule, error);
    if (status == FIMBIT_OK)
        status = mine_check_threshold(&rule->mine, error);
    if (status != FIMBIT_OK)
        return status; /* the same on every rank */
    fimbit_mpi_stats own_stats;
    dist_job job;
    job_start(comm, rule->mine.threads, stats ? stats : &own_stats, &job);

    /* Rules need the count of every subset of a rule's itemset: all frequent
     * itemsets, whatever min_size and target say (as fimbit_mine_rules). */
    fimbit_mine_options mine = rule->mine;
    mine.min_size = 1;
    mine.target = FIMBIT_TARGET_ALL;
    fimbit_itemsets *all = NULL;
    status = run_itemsets(&job, paths, path_count, read, &mine, dataset, &all, error);
    if (status != FIMBIT_OK)
        return status;
    if (job.rank == 0) {
        double start = omp_get_wtime();
        progress_registration muted = progress_mute();
        status = rules_generate(all, rule, rules, error);
        progress_restore(muted);
        fimbit_itemsets_free(all);
        job.stats->gather_seconds += omp_get_wtime() - start;
    }
    status = dist_agree(&job, status, error);
    if (status != FIMBIT_OK) {
        fimbit_rules_free(*rules);
        *rules = NULL;
        fimbit_dataset_free(*dataset);
        *dataset = NULL;
    }
    return status;
}

fimbit_status fimbit_mpi_agree(MPI_Comm comm, fimbit_status status, fimbit_error *error)
{
    fimbit_mpi_stats stats;
    dist_job job;
    job_start(comm, 1, &stats, &job);
    return dist_agree(&job, status, error);
}
