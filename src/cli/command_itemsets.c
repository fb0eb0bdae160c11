/* fimbit itemsets: read, mine, write — streamed straight to the writer, or,
 * with --sort, mined into a result, sorted and written. */
#include <stdio.h>

#include "commands.h"
#include "input.h"
#include "report.h"

/* Mines and writes at once: no itemset is kept. */
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

/* Mines into a result, sorts it, writes it. */
static fimbit_status mine_sort_write(const cli_options *options, const fimbit_dataset *dataset,
                                     uint64_t *count, fimbit_error *error)
{
    fimbit_itemsets *itemsets = NULL;
    double start = cli_now();
    fimbit_status status = fimbit_mine_itemsets(dataset, &options->rule.mine, &itemsets, error);
    if (status != FIMBIT_OK)
        return status;
    *count = fimbit_itemsets_count(itemsets);
    cli_verbose(options, "mine   %8.3f s  %llu itemsets", cli_now() - start,
                (unsigned long long)*count);
    start = cli_now();
    fimbit_itemsets_sort(itemsets);
    cli_verbose(options, "sort   %8.3f s", cli_now() - start);
    start = cli_now();
    status = fimbit_itemsets_write(itemsets, options->format, options->output, error);
    if (status == FIMBIT_OK)
        cli_verbose(options, "write  %8.3f s  to %s", cli_now() - start,
                    options->output != NULL ? options->output : "standard output");
    fimbit_itemsets_free(itemsets);
    return status;
}

int cli_run_itemsets(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    uint64_t min_count = 0, count = 0;

    fimbit_status status = cli_read_dataset(options, &dataset, &error);
    if (status == FIMBIT_OK)
        status = fimbit_min_count(dataset, &options->rule.mine, &min_count, &error);
    if (status == FIMBIT_OK)
        status = options->sort ? mine_sort_write(options, dataset, &count, &error)
                               : mine_and_stream(options, dataset, &count, &error);
    if (status == FIMBIT_OK) {
        cli_verbose(options, "min support %llu baskets", (unsigned long long)min_count);
        if (count == 0)
            cli_warn(options, "no frequent itemsets: min support is %llu of %llu baskets",
                     (unsigned long long)min_count,
                     (unsigned long long)fimbit_dataset_basket_count(dataset));
    }
    cli_verbose_peak_memory(options);

    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}
