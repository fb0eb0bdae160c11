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
#include "input.h"
#include "json.h"
#include "output_file.h"
#include "report.h"

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

/* One JSON line; `key` (when not NULL) leads it as "basket". */
static void write_recommendations(FILE *out, const fimbit_recommender *recommender,
                                  const char *key, const fimbit_recommendation *found,
                                  size_t count)
{
    if (key != NULL) {
        fputs("{\"basket\":", out);
        cli_write_json_string(out, key);
        fputs(",\"recommendations\":[", out);
    } else {
        fputs("{\"recommendations\":[", out);
    }
    for (size_t i = 0; i < count; i++) {
        fputs(i == 0 ? "{\"item\":" : ",{\"item\":", out);
        cli_write_json_string(out, fimbit_recommender_item_name(recommender, found[i].item));
        fputs(",\"confidence\":", out);
        cli_write_json_number(out, found[i].confidence);
        fputs(",\"lift\":", out);
        cli_write_json_number(out, found[i].lift);
        putc('}', out);
    }
    fputs("]}\n", out);
}

/* Recommends for one basket line and writes its JSON line. */
static fimbit_status recommend_line(const cli_options *options,
                                    const fimbit_recommender *recommender, char *line,
                                    basket_names *basket, fimbit_recommendation *found,
                                    FILE *out, fimbit_error *error)
{
    char separator = options->read.separator != 0 ? options->read.separator : ',';
    fimbit_status status = split_basket(line, separator, basket, error);
    size_t count = 0;
    if (status == FIMBIT_OK)
        status = fimbit_recommend_names(recommender, basket->names, basket->count,
                                        options->recommend_by, options->recommend_count, found,
                                        &count, error);
    if (status == FIMBIT_OK)
        write_recommendations(out, recommender, NULL, found, count);
    return status;
}

/* The rules to recommend from: all of them, or with --group-map those of
 * each group, read when a basket of the group first needs them. */
typedef struct rule_source {
    const cli_options *options;
    fimbit_recommender *all;       /* without a map */
    const fimbit_group_map *map;
    const char **groups;           /* with a map: the groups read so far */
    fimbit_recommender **by_group;
    size_t count;
    size_t capacity;
} rule_source;

static void rule_source_release(rule_source *source)
{
    for (size_t g = 0; g < source->count; g++)
        fimbit_recommender_free(source->by_group[g]);
    free(source->groups);
    free(source->by_group);
}

/* The recommender for `group`, its rules read on first use. */
static fimbit_status group_recommender(rule_source *source, const char *group,
                                       const fimbit_recommender **out, fimbit_error *error)
{
    for (size_t g = 0; g < source->count; g++)
        if (strcmp(source->groups[g], group) == 0) {
            *out = source->by_group[g];
            return FIMBIT_OK;
        }
    if (source->count == source->capacity) {
        size_t capacity = source->capacity ? source->capacity * 2 : 16;
        const char **groups = realloc(source->groups, capacity * sizeof *groups);
        if (groups != NULL)
            source->groups = groups;
        fimbit_recommender **by_group = realloc(source->by_group, capacity * sizeof *by_group);
        if (by_group != NULL)
            source->by_group = by_group;
        if (groups == NULL || by_group == NULL)
            return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
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
    source->groups[source->count] = group; /* owned by the map */
    source->by_group[source->count++] = recommender;
    *out = recommender;
    return FIMBIT_OK;
}

/* --baskets FILE read as the mining commands read input, long CSV included:
 * a JSON line a basket, led by its key (its id in long CSV, else its
 * 1-based number). */
static fimbit_status recommend_dataset(const cli_options *options, rule_source *source,
                                       const fimbit_dataset *dataset,
                                       fimbit_recommendation *found, FILE *out,
                                       fimbit_error *error)
{
    uint64_t unmapped = 0;
    fimbit_status status = FIMBIT_OK;
    for (uint64_t b = 0; b < fimbit_dataset_basket_count(dataset) && status == FIMBIT_OK; b++) {
        char number[24];
        const char *key = fimbit_dataset_basket_key(dataset, b);
        if (key == NULL) {
            snprintf(number, sizeof number, "%llu", (unsigned long long)b + 1);
            key = number;
        }
        const fimbit_recommender *recommender = source->all;
        if (source->map != NULL) {
            const char *group = fimbit_group_map_find(source->map, key);
            recommender = NULL;
            if (group == NULL)
                unmapped++;
            else
                status = group_recommender(source, group, &recommender, error);
        }
        size_t count = 0;
        if (status == FIMBIT_OK && recommender != NULL)
            status = fimbit_recommend_basket(recommender, dataset, b, options->recommend_by,
                                             options->recommend_count, found, &count, error);
        if (status == FIMBIT_OK)
            write_recommendations(out, recommender, key, found, count);
    }
    if (status == FIMBIT_OK && unmapped > 0)
        cli_warn(options, "%llu basket%s without a group in %s: nothing recommended",
                 (unsigned long long)unmapped, unmapped == 1 ? "" : "s",
                 options->group_map_file);
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

    cli_output output = {0};
    if (status == FIMBIT_OK)
        status = cli_output_open(&output, options->output, &error);
    if (status == FIMBIT_OK) {
        double start = cli_now();
        if (options->basket != NULL) {
            char *line = strdup(options->basket);
            status = line != NULL ? recommend_line(options, source.all, line, &basket, found,
                                                   output.file, &error)
                                  : cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");
            free(line);
        } else {
            status = recommend_dataset(options, &source, dataset, found, output.file, &error);
        }
        status = cli_output_finish(&output, status, &error);
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
