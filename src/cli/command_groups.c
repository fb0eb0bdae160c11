/* fimbit itemsets / rules --group: read the groups, mine them all, order each
 * group's result, write them together. */
#include <stdlib.h>

#include "commands.h"
#include "input.h"
#include "output_file.h"
#include "report.h"

/* What the two commands differ in. */
typedef struct grouped_kind {
    const char *what; /* "itemsets" or "rules", for messages */
    fimbit_status (*mine)(const cli_options *options, const fimbit_groups *groups,
                          void **results, fimbit_error *error);
    size_t (*count)(const void *result);
    void (*order)(const cli_options *options, void *result);
    fimbit_status (*write)(const cli_options *options, const fimbit_groups *groups,
                           void *const *results, fimbit_error *error);
    void (*release)(void *result);
} grouped_kind;

static fimbit_status mine_itemsets(const cli_options *options, const fimbit_groups *groups,
                                   void **results, fimbit_error *error)
{
    return fimbit_groups_mine_itemsets(groups, &options->rule.mine, options->group_min_count,
                                       (fimbit_itemsets **)results, error);
}

static size_t count_itemsets(const void *result) { return fimbit_itemsets_count(result); }

static void order_itemsets(const cli_options *options, void *result)
{
    if (options->sort)
        fimbit_itemsets_sort(result);
}

static fimbit_status write_itemsets(const cli_options *options, const fimbit_groups *groups,
                                    void *const *results, fimbit_error *error)
{
    return fimbit_groups_itemsets_write(groups, (fimbit_itemsets *const *)results,
                                        options->format, 0, options->output, error);
}

static void release_itemsets(void *result) { fimbit_itemsets_free(result); }

static fimbit_status mine_rules(const cli_options *options, const fimbit_groups *groups,
                                void **results, fimbit_error *error)
{
    cli_warn_unknown_group_items(options, groups);
    return fimbit_groups_mine_rules(groups, &options->rule, options->group_min_count,
                                    (fimbit_rules **)results, error);
}

static size_t count_rules(const void *result) { return fimbit_rules_count(result); }

/* As the ungrouped rules: --top and --by rank by the measure (confidence by
 * default), --sort orders canonically. The measure is a known one. */
static void order_rules(const cli_options *options, void *result)
{
    if (options->top != 0 || options->rule_by_given)
        fimbit_rules_sort_by(result, options->rule_by);
    else if (options->sort)
        fimbit_rules_sort(result);
}

/* --top N keeps each group's N strongest. */
static fimbit_status write_rules(const cli_options *options, const fimbit_groups *groups,
                                 void *const *results, fimbit_error *error)
{
    return fimbit_groups_rules_write(groups, (fimbit_rules *const *)results, options->format,
                                     (size_t)options->top, options->output, error);
}

static void release_rules(void *result) { fimbit_rules_free(result); }

static const grouped_kind itemsets_kind = {"itemsets", mine_itemsets, count_itemsets,
                                           order_itemsets, write_itemsets, release_itemsets};
static const grouped_kind rules_kind = {"rules", mine_rules, count_rules, order_rules,
                                        write_rules, release_rules};

static int run_grouped(const cli_options *options, const grouped_kind *kind)
{
    fimbit_error error = {0};
    fimbit_groups *groups = NULL;
    void **results = NULL;
    size_t count = 0;

    fimbit_status status = cli_read_groups(options, &groups, &error);
    if (status == FIMBIT_OK) {
        count = fimbit_groups_count(groups);
        results = calloc(count ? count : 1, sizeof *results);
        if (results == NULL)
            status = cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");
    }
    if (status == FIMBIT_OK) {
        double start = cli_now();
        status = kind->mine(options, groups, results, &error);
        size_t found = 0;
        for (size_t g = 0; status == FIMBIT_OK && g < count; g++) {
            found += kind->count(results[g]);
            kind->order(options, results[g]);
        }
        if (status == FIMBIT_OK) {
            cli_verbose(options, "mine   %8.3f s  %zu %s in %zu groups", cli_now() - start,
                        found, kind->what, count);
            if (found == 0)
                cli_warn(options, "no %s in any of the %zu groups", kind->what, count);
        }
    }
    if (status == FIMBIT_OK) {
        double start = cli_now();
        status = kind->write(options, groups, results, &error);
        if (status == FIMBIT_OK)
            cli_verbose_written(options, start);
    }
    cli_verbose_peak_memory(options);

    for (size_t g = 0; results != NULL && g < count; g++)
        kind->release(results[g]);
    free(results);
    fimbit_groups_free(groups);
    return cli_report_failure(options, status, &error);
}

int cli_run_itemsets_by_group(const cli_options *options)
{
    return run_grouped(options, &itemsets_kind);
}

int cli_run_rules_by_group(const cli_options *options)
{
    return run_grouped(options, &rules_kind);
}
