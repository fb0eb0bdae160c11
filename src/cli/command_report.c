/* fimbit report: read, describe, mine the strong rules, and write them as one
 * self-contained HTML page (html_report.c). */
#include <string.h>

#include "commands.h"
#include "dataset_info.h"
#include "html_report.h"
#include "input.h"
#include "output_file.h"
#include "report.h"

/* The most frequent items charted, the longest basket length with a bar of
 * its own, and the rules drawn when --top does not say. */
#define REPORT_TOP_ITEMS 20
#define REPORT_MAX_LENGTH_BIN 40
#define REPORT_DEFAULT_RULES 500

/* The page's title: the input's file name, or "standard input". */
static const char *input_title(const cli_options *options)
{
    if (options->input_count == 0 || strcmp(options->inputs[0], "-") == 0)
        return "standard input";
    const char *slash = strrchr(options->inputs[0], '/');
    return slash != NULL ? slash + 1 : options->inputs[0];
}

int cli_run_report(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    fimbit_rules *rules = NULL;
    dataset_info info = {0};
    uint64_t min_count = 0;

    fimbit_status status = cli_read_dataset(options, &dataset, &error);
    if (status == FIMBIT_OK)
        status = cli_dataset_info_gather(dataset, REPORT_TOP_ITEMS, REPORT_MAX_LENGTH_BIN, &info,
                                         &error);
    if (status == FIMBIT_OK)
        status = fimbit_min_count(dataset, &options->rule.mine, &min_count, &error);
    if (status == FIMBIT_OK) {
        cli_warn_unknown_items(options, dataset);
        double start = cli_now();
        status = fimbit_mine_rules(dataset, &options->rule, &rules, &error);
        if (status == FIMBIT_OK)
            status = fimbit_rules_sort_by(rules, options->rule_by);
        if (status == FIMBIT_OK) {
            cli_verbose(options, "mine+rules %8.3f s  %zu rules", cli_now() - start,
                        fimbit_rules_count(rules));
            if (fimbit_rules_count(rules) == 0)
                cli_warn(options, "no strong rules: min support is %llu of %llu baskets, "
                                  "min confidence %g",
                         (unsigned long long)min_count,
                         (unsigned long long)fimbit_dataset_basket_count(dataset),
                         options->rule.min_confidence);
        }
    }
    if (status == FIMBIT_OK) {
        double start = cli_now();
        uint64_t top = options->top != 0 ? options->top : REPORT_DEFAULT_RULES;
        size_t count = fimbit_rules_count(rules);
        html_report report = {
            .title = input_title(options),
            .dataset = dataset,
            .info = &info,
            .rules = rules,
            .ranked_by = options->rule_by,
            .measures = options->rule.measures,
            .shown = top < count ? (size_t)top : count,
            .min_count = min_count,
            .min_confidence = options->rule.min_confidence,
            .min_lift = options->rule.min_lift,
        };
        cli_output output;
        status = cli_output_open(&output, options->output, &error);
        if (status == FIMBIT_OK) {
            cli_write_html_report(output.file, &report);
            status = cli_output_commit(&output, &error);
        }
        if (status == FIMBIT_OK)
            cli_verbose(options, "write  %8.3f s  to %s", cli_now() - start,
                        options->output != NULL ? options->output : "standard output");
    }
    cli_verbose_peak_memory(options);

    cli_dataset_info_release(&info);
    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}
