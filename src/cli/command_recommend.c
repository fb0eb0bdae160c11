/*
 * fimbit recommend: items to suggest for baskets, from rules written by
 * `fimbit rules -f jsonl`. One basket from --basket:
 *   {"recommendations":[{"item":"yogurt","confidence":0.4,"lift":1.6},...]}
 * or every basket of --baskets FILE, in any input format, each line led by
 * the basket's key: {"basket":"17850","recommendations":[...]}. With
 * --group-map, a basket's key is looked up there and only the rules of its
 * group (their "group" key) recommend for it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "group/groups.h"
#include "input.h"
#include "output_file.h"
#include "read/dict.h"
#include "recommend/basket_groups.h"
#include "recommend/recommend_write.h"
#include "report.h"
#include "write/target.h"

/* The item names of one basket, pointing into a line it splits in place. */
typedef struct basket_names {
    const char **names;
    size_t count;
    size_t capacity;
} basket_names;

static char *trim(char *start, char *end)
{
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
                           end[-1] == '\n'))
        end--;
    *end = '\0';
    return start;
}

/* Splits `line` at `separator` into trimmed, non-empty names. */
static fimbit_status split_basket(char *line, char separator, basket_names *basket,
                                  fimbit_error *error)
{
    basket->count = 0;
    char *start = line;
    for (;;) {
        char *end = strchr(start, separator);
        bool last = end == NULL;
        if (last)
            end = start + strlen(start);
        char *name = trim(start, end);
        if (*name != '\0') {
            if (basket->count == basket->capacity) {
                size_t size = basket->capacity < 16 ? 16 : basket->capacity * 2;
                const char **bigger = realloc(basket->names, size * sizeof *bigger);
                if (bigger == NULL)
                    return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
                basket->names = bigger;
                basket->capacity = size;
            }
            basket->names[basket->count++] = name;
        }
        if (last)
            return FIMBIT_OK;
        start = end + 1;
    }
}

/* Recommends for one basket line and writes its JSON line. */
static fimbit_status recommend_line(const cli_options *options,
                                    const fimbit_recommender *recommender, char *line,
                                    basket_names *basket, fimbit_recommendation *found,
                                    output_target *out, fimbit_error *error)
{
    char separator = options->read.separator != 0 ? options->read.separator : ',';
    fimbit_status status = split_basket(line, separator, basket, error);
    size_t count = 0;
    if (status == FIMBIT_OK)
        status = fimbit_recommend_names(recommender, basket->names, basket->count,
                                        options->recommend_by, options->recommend_count, found,
                                        &count, error);
    if (status == FIMBIT_OK)
        status = recommend_write_line(recommender, found, count, out, error);
    return status;
}

/* The rules to recommend from: all of them, or with --group-map those of
 * each group, read when a basket of the group first needs them. */
typedef struct rule_source {
    const cli_options *options;
    fimbit_recommender *all;       /* without a map */
    const fimbit_group_map *map;
    fimbit_recommender **by_group; /* with a map: the groups', in order of first use */
    size_t count;
    size_t capacity;
} rule_source;

static void rule_source_release(rule_source *source)
{
    for (size_t g = 0; g < source->count; g++)
        fimbit_recommender_free(source->by_group[g]);
    free(source->by_group);
}

/* Reads the rules of `group` into a new recommender, source->by_group[*out]. */
static fimbit_status add_group_recommender(rule_source *source, const char *group, uint32_t *out,
                                           fimbit_error *error)
{
    if (source->count == source->capacity) {
        size_t capacity = source->capacity ? source->capacity * 2 : 16;
        fimbit_recommender **by_group = realloc(source->by_group, capacity * sizeof *by_group);
        if (by_group == NULL)
            return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
        source->by_group = by_group;
        source->capacity = capacity;
    }
    fimbit_recommender *recommender = NULL;
    fimbit_status status = fimbit_recommender_create(&recommender, error);
    if (status == FIMBIT_OK)
        status = fimbit_recommender_read_group_rules(recommender, source->options->rules_path,
                                                     group, error);
    if (status != FIMBIT_OK) {
        fimbit_recommender_free(recommender);
        return status;
    }
    if (fimbit_recommender_rule_count(recommender) == 0)
        cli_warn(source->options, "%s holds no rules of group '%s'", source->options->rules_path,
                 group);
    source->by_group[source->count] = recommender;
    *out = (uint32_t)source->count++;
    return FIMBIT_OK;
}

/* With --group-map: every basket's recommender, the rules of each group read
 * when its first basket needs them. A basket whose key has no group gets
 * RECOMMEND_NO_RECOMMENDER; *unmapped counts them. The keys are looked up
 * by every thread first. */
static fimbit_status map_baskets(rule_source *source, const fimbit_dataset *dataset,
                                 uint32_t *recommender_of, uint64_t *unmapped, fimbit_error *error)
{
    *unmapped = 0;
    uint64_t count = fimbit_dataset_basket_count(dataset);
    uint32_t groups = group_map_group_count(source->map);
    uint32_t *group_of = malloc((count ? count : 1) * sizeof *group_of);
    uint32_t *recommender_of_group = malloc((groups ? groups : 1) * sizeof *recommender_of_group);
    if (group_of == NULL || recommender_of_group == NULL) {
        free(group_of);
        free(recommender_of_group);
        return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
    }
    for (uint32_t g = 0; g < groups; g++)
        recommender_of_group[g] = RECOMMEND_NO_RECOMMENDER; /* not read yet */
    recommend_find_basket_groups(dataset, source->map, source->options->read.threads, group_of);
    fimbit_status status = FIMBIT_OK;
    for (uint64_t b = 0; b < count && status == FIMBIT_OK; b++) {
        uint32_t group = group_of[b];
        recommender_of[b] = RECOMMEND_NO_RECOMMENDER;
        if (group == DICT_EMPTY) {
            ++*unmapped;
            continue;
        }
        if (recommender_of_group[group] == RECOMMEND_NO_RECOMMENDER)
            status = add_group_recommender(source, group_map_group_name(source->map, group),
                                           &recommender_of_group[group], error);
        recommender_of[b] = recommender_of_group[group];
    }
    free(group_of);
    free(recommender_of_group);
    return status;
}

/* --baskets FILE read as the mining commands read input, long CSV included:
 * a JSON line a basket, led by its key (its id in long CSV, else its
 * 1-based number), scored and formatted by every thread. */
static fimbit_status recommend_dataset(const cli_options *options, rule_source *source,
                                       const fimbit_dataset *dataset, output_target *out,
                                       fimbit_error *error)
{
    recommend_baskets baskets = {
        .dataset = dataset, .by = options->recommend_by, .k = options->recommend_count};
    uint32_t *recommender_of = NULL;
    uint64_t unmapped = 0;
    fimbit_status status = FIMBIT_OK;
    if (source->map != NULL) {
        uint64_t count = fimbit_dataset_basket_count(dataset);
        recommender_of = malloc((count ? count : 1) * sizeof *recommender_of);
        status = recommender_of != NULL
                     ? map_baskets(source, dataset, recommender_of, &unmapped, error)
                     : cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
        baskets.recommenders = (const fimbit_recommender *const *)source->by_group;
        baskets.recommender_count = source->count;
        baskets.recommender_of = recommender_of;
    } else {
        baskets.recommenders = (const fimbit_recommender *const *)&source->all;
        baskets.recommender_count = 1;
    }
    if (status == FIMBIT_OK)
        status = recommend_write_baskets(&baskets, options->read.threads, out, error);
    free(recommender_of);
    if (status == FIMBIT_OK && unmapped > 0)
        cli_warn(options, "%llu basket%s without a group in %s: nothing recommended",
                 (unsigned long long)unmapped, unmapped == 1 ? "" : "s", options->group_map_file);
    return status;
}

/* Reads --baskets FILE with the read options; line formats split at a comma
 * unless --separator says otherwise, as --basket does. */
static fimbit_status read_baskets(const cli_options *options, fimbit_dataset **dataset,
                                  fimbit_error *error)
{
    fimbit_read_options read;
    cli_options_read(options, &read);
    read.basket_keys = 1;
    if (read.separator == 0 && read.format != FIMBIT_INPUT_CSV && read.format != FIMBIT_INPUT_FIMI)
        read.separator = ',';
    const char *path = options->baskets_path;
    return fimbit_dataset_read(&path, 1, &read, dataset, error);
}

/* Without a group map, every rule, read at once. */
static fimbit_status read_all_rules(const cli_options *options, rule_source *source,
                                    fimbit_error *error)
{
    double start = cli_now();
    fimbit_status status = fimbit_recommender_create(&source->all, error);
    if (status == FIMBIT_OK)
        status = fimbit_recommender_read_rules(source->all, options->rules_path, error);
    if (status != FIMBIT_OK)
        return status;
    cli_verbose(options, "rules  %8.3f s  %zu rules over %u items", cli_now() - start,
                fimbit_recommender_rule_count(source->all),
                (unsigned)fimbit_recommender_item_count(source->all));
    if (fimbit_recommender_rule_count(source->all) == 0)
        cli_warn(options, "%s holds no rules: nothing to recommend", options->rules_path);
    return FIMBIT_OK;
}

int cli_run_recommend(const cli_options *options)
{
    fimbit_error error = {0};
    rule_source source = {.options = options};
    fimbit_group_map *map = NULL;
    fimbit_dataset *dataset = NULL;
    basket_names basket = {0};
    fimbit_recommendation *found = malloc(options->recommend_count * sizeof *found);
    fimbit_status status =
        found != NULL ? FIMBIT_OK : cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");

    if (status == FIMBIT_OK)
        status = cli_read_group_map(options, &map, &error);
    source.map = map;
    if (status == FIMBIT_OK && map == NULL)
        status = read_all_rules(options, &source, &error);
    if (status == FIMBIT_OK && options->baskets_path != NULL) {
        double start = cli_now();
        status = read_baskets(options, &dataset, &error);
        if (status == FIMBIT_OK)
            cli_verbose(options, "read   %8.3f s  %llu baskets", cli_now() - start,
                        (unsigned long long)fimbit_dataset_basket_count(dataset));
    }

    output_target output;
    if (status == FIMBIT_OK)
        status = output_open(&output, options->output, &error);
    if (status == FIMBIT_OK) {
        double start = cli_now();
        if (options->basket != NULL) {
            char *line = strdup(options->basket);
            status = line != NULL ? recommend_line(options, source.all, line, &basket, found,
                                                   &output, &error)
                                  : cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");
            free(line);
        } else {
            status = recommend_dataset(options, &source, dataset, &output, &error);
        }
        if (status == FIMBIT_OK)
            status = output_commit(&output, &error);
        else
            output_abort(&output);
        if (status == FIMBIT_OK)
            cli_verbose(options, "recommend %5.3f s  %llu baskets", cli_now() - start,
                        (unsigned long long)(dataset != NULL
                                                 ? fimbit_dataset_basket_count(dataset)
                                                 : 1));
    }
    cli_verbose_peak_memory(options);

    free(basket.names);
    free(found);
    fimbit_dataset_free(dataset);
    rule_source_release(&source);
    fimbit_recommender_free(source.all);
    fimbit_group_map_free(map);
    return cli_report_failure(options, status, &error);
}
