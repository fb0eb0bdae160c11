/* fimbit itemsets: read, mine (alone or across an MPI job), optionally sort, write. */
#include <stdio.h>

#include "commands.h"
#include "input.h"
#include "mpi_job.h"
#include "report.h"

int cli_run_itemsets(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    fimbit_itemsets *itemsets = NULL;
    const fimbit_mine_options *mine = &options->rule.mine;
    uint64_t min_count = 0;

    fimbit_status status;
    if (cli_mpi_active()) {
        status = cli_mpi_mine_itemsets(options, &dataset, &itemsets, &error);
        if (status == FIMBIT_OK && cli_mpi_helper())
            return CLI_EXIT_OK; /* rank 0 writes */
        if (status == FIMBIT_OK)
            status = fimbit_min_count(dataset, mine, &min_count, &error);
    } else {
        status = cli_read_dataset(options, &dataset, &error);
        if (status == FIMBIT_OK)
            status = fimbit_min_count(dataset, mine, &min_count, &error);
        if (status == FIMBIT_OK) {
            double start = cli_now();
            status = fimbit_mine_itemsets(dataset, mine, &itemsets, &error);
            if (status == FIMBIT_OK)
                cli_verbose(options, "mine   %8.3f s  %zu itemsets at min support %llu baskets",
                            cli_now() - start, fimbit_itemsets_count(itemsets),
                            (unsigned long long)min_count);
        }
    }
    if (status == FIMBIT_OK && fimbit_itemsets_count(itemsets) == 0)
        cli_warn(options, "no frequent itemsets: min support is %llu of %llu baskets",
                 (unsigned long long)min_count,
                 (unsigned long long)fimbit_dataset_basket_count(dataset));
    if (status == FIMBIT_OK && options->sort) {
        double start = cli_now();
        fimbit_itemsets_sort(itemsets);
        cli_verbose(options, "sort   %8.3f s", cli_now() - start);
    }
    if (status == FIMBIT_OK) {
        double start = cli_now();
        status = fimbit_itemsets_write(itemsets, options->format, options->output, &error);
        if (status == FIMBIT_OK)
            cli_verbose(options, "write  %8.3f s  to %s", cli_now() - start,
                        options->output != NULL ? options->output : "standard output");
    }
    cli_verbose_peak_memory(options);

    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}
