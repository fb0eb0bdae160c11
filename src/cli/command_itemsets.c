/* fimbit itemsets: read, mine (alone or across an MPI job), write. Alone and
 * without --sort, itemsets stream straight to the writer and none is kept;
 * with --sort (or gathered from an MPI job) they are a result, sorted and
 * written. */
#include <stdio.h>

#include "commands.h"
#include "input.h"
#include "mpi_job.h"
#include "report.h"

/* Mines and writes at once. */
static fimbit_status mine_and_stream(const cli_options *options, const fimbit_dataset *dataset,
                                     uint64_t *count, fimbit_error *error)
{
    double start = cli_now();
    fimbit_status status = fimbit_mine_itemsets_write(dataset, &options->rule.mine,
                                                      options->format, options->output, count,
                                                      error);
    if (status == FIMBIT_OK)
        cli_verbose(options, "mine+write %8.3f s  %llu itemsets to %s", cli_now() - start,
                    (unsigned long long)*count,
                    options->output != NULL ? options->output : "standard output");
    return status;
}

/* Sorts a mined result when asked, then writes it. */
static fimbit_status sort_and_write(const cli_options *options, fimbit_itemsets *itemsets,
                                    fimbit_error *error)
{
    if (options->sort) {
        double start = cli_now();
        fimbit_itemsets_sort(itemsets);
        cli_verbose(options, "sort   %8.3f s", cli_now() - start);
    }
    double start = cli_now();
    fimbit_status status = fimbit_itemsets_write(itemsets, options->format, options->output,
                                                 error);
    if (status == FIMBIT_OK)
        cli_verbose_written(options, start);
    return status;
}

int cli_run_itemsets(const cli_options *options)
{
    if (options->group_column != NULL)
        return cli_run_itemsets_by_group(options);
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    fimbit_itemsets *itemsets = NULL;
    const fimbit_mine_options *mine = &options->rule.mine;
    uint64_t min_count = 0, count = 0;

    fimbit_status status;
    if (cli_mpi_active()) {
        status = cli_mpi_mine_itemsets(options, &dataset, &itemsets, &error);
        if (status == FIMBIT_OK && cli_mpi_helper())
            return CLI_EXIT_OK; /* rank 0 writes */
    } else {
        status = cli_read_dataset(options, &dataset, &error);
        /* Mined once, then only its names are written: the baskets can go
         * as soon as the mining has recoded them. */
        fimbit_dataset_mine_once(dataset);
        if (status == FIMBIT_OK && options->sort) {
            double start = cli_now();
            status = fimbit_mine_itemsets(dataset, mine, &itemsets, &error);
            if (status == FIMBIT_OK)
                cli_verbose(options, "mine   %8.3f s  %zu itemsets", cli_now() - start,
                            fimbit_itemsets_count(itemsets));
        }
    }
    if (status == FIMBIT_OK)
        status = fimbit_min_count(dataset, mine, &min_count, &error);
    if (status == FIMBIT_OK && itemsets != NULL) {
        count = fimbit_itemsets_count(itemsets);
        status = sort_and_write(options, itemsets, &error);
    } else if (status == FIMBIT_OK) {
        status = mine_and_stream(options, dataset, &count, &error);
    }
    if (status == FIMBIT_OK) {
        cli_verbose(options, "min support %llu baskets", (unsigned long long)min_count);
        if (count == 0)
            cli_warn(options, "no frequent itemsets: min support is %llu of %llu baskets",
                     (unsigned long long)min_count,
                     (unsigned long long)fimbit_dataset_basket_count(dataset));
    }
    cli_verbose_peak_memory(options);

    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}
