/* fimbit report: read, describe, mine the strong rules, and write them as one
 * self-contained HTML page (html_report.c); with --group, a page per group
 * inside one file. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
#include "dataset_info.h"
#include "html_report.h"
#include "input.h"
#include "output_file.h"
#include "read/input.h"
#include "report.h"

/* The most frequent items charted and the rules drawn when --top does not
 * say. */
#define REPORT_TOP_ITEMS 20
#define REPORT_DEFAULT_RULES 500
/* Past this many rules a page takes a browser many seconds to open (20,000
 * took 10 s in headless Chromium, 150,000 did not open in 5 minutes). */
#define REPORT_HEAVY_RULES 20000

/* Whether `path` is one of standard input's names: "-", or a link to its
 * descriptor (/dev/stdin, /dev/fd/0, /proc/self/fd/0). The file standard
 * input was redirected from, named by its own path, is titled by that name. */
static bool names_standard_input(const char *path)
{
    struct stat link;
    return strcmp(path, "-") == 0 ||
           (lstat(path, &link) == 0 && S_ISLNK(link.st_mode) && input_names_standard_input(path));
}

/* The page's title: the input's file name, or "standard input" by any of its
 * names. */
static const char *input_title(const cli_options *options)
{
    if (options->input_count == 0 || names_standard_input(options->inputs[0]))
        return "standard input";
    const char *slash = strrchr(options->inputs[0], '/');
    return slash != NULL ? slash + 1 : options->inputs[0];
}

/* When the page is made, in UTC to the minute: SOURCE_DATE_EPOCH (seconds
 * since 1970) when set, as reproducible builds expect, else now. */
static void report_date(char *date, size_t size)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long seconds = epoch != NULL ? strtoll(epoch, &end, 10) : 0;
    time_t when = epoch != NULL && end != epoch && *end == '\0' && seconds >= 0 ? (time_t)seconds
                                                                                : time(NULL);
    struct tm utc;
    if (gmtime_r(&when, &utc) == NULL || strftime(date, size, "%Y-%m-%d %H:%M UTC", &utc) == 0)
        snprintf(date, size, "an unknown date");
}

/* Orders the rules and writes the page of `dataset` and its `rules` to `out`
 * (with the warning when there are none, `what` naming the dataset in it). */
static fimbit_status write_page(const cli_options *options, FILE *out, const char *title,
                                const char *what, const fimbit_dataset *dataset,
                                fimbit_rules *rules, uint64_t min_count, fimbit_error *error)
{
    dataset_info info = {0};
    fimbit_status status = cli_dataset_info_gather(dataset, REPORT_TOP_ITEMS, &info, error);
    if (status == FIMBIT_OK)
        status = fimbit_rules_sort_by(rules, options->rule_by);
    if (status == FIMBIT_OK) {
        size_t count = fimbit_rules_count(rules);
        if (count == 0)
            cli_warn_no_rules(options, what, min_count, fimbit_dataset_basket_count(dataset));
        uint64_t top = options->top != 0 ? options->top : REPORT_DEFAULT_RULES;
        size_t shown = top < count ? (size_t)top : count;
        if (shown > REPORT_HEAVY_RULES)
            cli_warn(options,
                     "a page of %zu rules%s is slow to open in a browser; fimbit rules "
                     "-f csv writes rules for other tools",
                     shown, what);
        char made[64];
        report_date(made, sizeof made);
        html_report report = {
            .title = title,
            .dataset = dataset,
            .info = &info,
            .rules = rules,
            .ranked_by = options->rule_by,
            .shown = shown,
            .min_count = min_count,
            .rule = &options->rule,
            .made = made,
        };
        cli_write_html_report(out, &report);
    }
    cli_dataset_info_release(&info);
    return status;
}

static int run_report(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_dataset *dataset = NULL;
    fimbit_rules *rules = NULL;
    uint64_t min_count = 0;

    fimbit_status status = cli_read_dataset(options, &dataset, &error);
    if (status == FIMBIT_OK)
        status = fimbit_min_count(dataset, &options->rule.mine, &min_count, &error);
    if (status == FIMBIT_OK) {
        cli_warn_unknown_items(options, dataset);
        double start = cli_now();
        status = fimbit_mine_rules(dataset, &options->rule, &rules, &error);
        if (status == FIMBIT_OK)
            cli_verbose(options, "mine+rules %8.3f s  %zu rules", cli_now() - start,
                        fimbit_rules_count(rules));
    }
    if (status == FIMBIT_OK) {
        double start = cli_now();
        cli_output output;
        status = cli_output_open(&output, options->output, &error);
        if (status == FIMBIT_OK)
            status = write_page(options, output.file, input_title(options), "", dataset, rules,
                                min_count, &error);
        status = cli_output_finish(&output, status, &error);
        if (status == FIMBIT_OK)
            cli_verbose_written(options, start);
    }
    cli_verbose_peak_memory(options);

    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
    return cli_report_failure(options, status, &error);
}

/* Group g's page, written to memory (*page, *size; free it). */
static fimbit_status group_page(const cli_options *options, const fimbit_groups *groups,
                                size_t g, fimbit_rules *rules, char **page, size_t *size,
                                fimbit_error *error)
{
    const fimbit_dataset *dataset = fimbit_groups_dataset(groups, g);
    const char *name = fimbit_groups_name(groups, g);
    uint64_t min_count = 0;
    fimbit_status status = fimbit_min_count(dataset, &options->rule.mine, &min_count, error);
    if (status != FIMBIT_OK)
        return status;
    if (min_count < options->group_min_count)
        min_count = options->group_min_count;
    FILE *memory = open_memstream(page, size);
    if (memory == NULL)
        return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
    char title[512], what[512];
    snprintf(title, sizeof title, "%s, group %s", input_title(options), name);
    snprintf(what, sizeof what, " in group %s", name);
    status = write_page(options, memory, title, what, dataset, rules, min_count, error);
    if (fclose(memory) != 0 && status == FIMBIT_OK)
        status = cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
    return status;
}

static int run_report_by_group(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_groups *groups = NULL;
    fimbit_rules **rules = NULL;
    char **pages = NULL;
    size_t *sizes = NULL;
    size_t count = 0;

    fimbit_status status = cli_read_groups(options, &groups, &error);
    if (status == FIMBIT_OK) {
        cli_warn_unknown_group_items(options, groups);
        count = fimbit_groups_count(groups);
        rules = calloc(count ? count : 1, sizeof *rules);
        pages = calloc(count ? count : 1, sizeof *pages);
        sizes = calloc(count ? count : 1, sizeof *sizes);
        if (rules == NULL || pages == NULL || sizes == NULL)
            status = cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");
    }
    if (status == FIMBIT_OK) {
        double start = cli_now();
        status = fimbit_groups_mine_rules(groups, &options->rule, options->group_min_count,
                                          rules, &error);
        if (status == FIMBIT_OK)
            cli_verbose(options, "mine+rules %8.3f s  %zu groups", cli_now() - start, count);
    }
    for (size_t g = 0; status == FIMBIT_OK && g < count; g++)
        status = group_page(options, groups, g, rules[g], &pages[g], &sizes[g], &error);
    if (status == FIMBIT_OK) {
        const char **names = calloc(count ? count : 1, sizeof *names);
        if (names == NULL)
            status = cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");
        for (size_t g = 0; names != NULL && g < count; g++)
            names[g] = fimbit_groups_name(groups, g);
        cli_output output;
        if (status == FIMBIT_OK)
            status = cli_output_open(&output, options->output, &error);
        if (status == FIMBIT_OK) {
            html_group_pages book = {input_title(options), names, (const char *const *)pages,
                                     count};
            cli_write_html_group_pages(output.file, &book);
            status = cli_output_commit(&output, &error);
        }
        free(names);
    }
    cli_verbose_peak_memory(options);

    for (size_t g = 0; g < count; g++) {
        if (rules != NULL)
            fimbit_rules_free(rules[g]);
        if (pages != NULL)
            free(pages[g]);
    }
    free(rules);
    free(pages);
    free(sizes);
    fimbit_groups_free(groups);
    return cli_report_failure(options, status, &error);
}

int cli_run_report(const cli_options *options)
{
    cli_warn_p_adjust_idle(options);
    return options->group_column != NULL ? run_report_by_group(options) : run_report(options);
}
