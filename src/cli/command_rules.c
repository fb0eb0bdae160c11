/* fimbit rules: read, mine the strong rules (alone or across an MPI job), order
 * them, write. */
#include <stdio.h>

#include "commands.h"
#include "input.h"
#include "mpi_job.h"
#include "report.h"
#include "rules_table.h"
#include "top_rules.h"

/* The text form is one fixed line a rule: the extra measures go to CSV,
 * JSON Lines and the table only, which a user who asked for them is told. */
static void warn_measures_not_shown(const cli_options *options)
{
    if (options->measures_given && !options->table && options->format == FIMBIT_FORMAT_TEXT &&
        !cli_mpi_helper())
        cli_warn(options, "--measures adds fields to -f csv, jsonl and table only; "
                          "the text form shows count, support, confidence and lift");
}

int cli_run_rules(const cli_options *options)
{
    warn_measures_not_shown(options);
    if (!cli_mpi_helper())
        cli_warn_p_adjust_idle(options);
    if (options->group_column != NULL)
        return cli_run_rules_by_group(options);
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    fimbit_rules *rules = NULL;
    uint64_t min_count = 0;

    fimbit_status status;
    if (cli_mpi_active()) {
        status = cli_mpi_mine_rules(options, &dataset, &rules, &error);
        if (status == FIMBIT_OK && cli_mpi_helper())
            return CLI_EXIT_OK; /* rank 0 writes */
        if (status == FIMBIT_OK)
            status = fimbit_min_count(dataset, &options->rule.mine, &min_count, &error);
        if (status == FIMBIT_OK)
            cli_warn_unknown_items(options, dataset);
    } else {
        status = cli_read_dataset(options, &dataset, &error);
        if (status == FIMBIT_OK)
            status = fimbit_min_count(dataset, &options->rule.mine, &min_count, &error);
        if (status == FIMBIT_OK)
            cli_warn_unknown_items(options, dataset);
        if (status == FIMBIT_OK) {
            /* The public API mines itemsets and derives rules in one call, so
             * the two stages are timed together. */
            double start = cli_now();
            status = fimbit_mine_rules(dataset, &options->rule, &rules, &error);
            if (status == FIMBIT_OK)
                cli_verbose(options,
                            "mine+rules %8.3f s  %zu rules at min support %llu baskets, "
                            "min confidence %g",
                            cli_now() - start, fimbit_rules_count(rules),
                            (unsigned long long)min_count, options->rule.min_confidence);
        }
    }
    if (status == FIMBIT_OK && fimbit_rules_count(rules) == 0)
        cli_warn_no_rules(options, "", min_count, fimbit_dataset_basket_count(dataset));
    if (status == FIMBIT_OK && (options->sort || options->top != 0 || options->rule_by_given)) {
        double start = cli_now();
        if (options->top != 0 || options->rule_by_given)
            status = fimbit_rules_sort_by(rules, options->rule_by);
        else
            fimbit_rules_sort(rules);
        cli_verbose(options, "sort   %8.3f s", cli_now() - start);
    }
    if (status == FIMBIT_OK) {
        double start = cli_now();
        if (options->table)
            status = cli_write_rules_table(dataset, rules, options->rule.measures, options->output,
                                           options->top, &error);
        else if (options->top != 0)
            status = cli_write_top_rules(rules, options->format, options->output, options->top,
                                         &error);
        else
            status = fimbit_rules_write(rules, options->format, options->output, &error);
        if (status == FIMBIT_OK)
            cli_verbose_written(options, start);
    }
    cli_verbose_peak_memory(options);

    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}
