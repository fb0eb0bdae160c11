/*
 * fimbit recommend: items to suggest for baskets, from rules written by
 * `fimbit rules -f jsonl`. One basket from --basket, or a basket a line from
 * --baskets; for each, one JSON Lines line:
 *   {"recommendations":[{"item":"yogurt","confidence":0.4,"lift":1.6},...]}
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
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

static void write_recommendations(FILE *out, const fimbit_recommender *recommender,
                                  const fimbit_recommendation *found, size_t count)
{
    fputs("{\"recommendations\":[", out);
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
        write_recommendations(out, recommender, found, count);
    return status;
}

/* --baskets FILE: a basket a line, a JSON line each. */
static fimbit_status recommend_file(const cli_options *options,
                                    const fimbit_recommender *recommender,
                                    basket_names *basket, fimbit_recommendation *found,
                                    FILE *out, uint64_t *baskets, fimbit_error *error)
{
    bool standard_input = strcmp(options->baskets_path, "-") == 0;
    FILE *in = standard_input ? stdin : fopen(options->baskets_path, "rb");
    if (in == NULL)
        return cli_error_set(error, FIMBIT_EIO, "%s: %s", options->baskets_path,
                             strerror(errno));
    char *line = NULL;
    size_t capacity = 0;
    fimbit_status status = FIMBIT_OK;
    while (status == FIMBIT_OK && getline(&line, &capacity, in) >= 0) {
        status = recommend_line(options, recommender, line, basket, found, out, error);
        ++*baskets;
    }
    if (status == FIMBIT_OK && ferror(in))
        status = cli_error_set(error, FIMBIT_EIO, "%s: %s",
                               standard_input ? "standard input" : options->baskets_path,
                               strerror(errno));
    free(line);
    if (!standard_input)
        fclose(in);
    return status;
}

int cli_run_recommend(const cli_options *options)
{
    fimbit_error error = {0};
    fimbit_recommender *recommender = NULL;
    basket_names basket = {0};
    uint64_t baskets = 0;
    fimbit_recommendation *found = malloc(options->recommend_count * sizeof *found);
    fimbit_status status =
        found != NULL ? FIMBIT_OK : cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");

    double start = cli_now();
    if (status == FIMBIT_OK)
        status = fimbit_recommender_create(&recommender, &error);
    if (status == FIMBIT_OK)
        status = fimbit_recommender_read_rules(recommender, options->rules_path, &error);
    if (status == FIMBIT_OK) {
        cli_verbose(options, "rules  %8.3f s  %zu rules over %u items", cli_now() - start,
                    fimbit_recommender_rule_count(recommender),
                    (unsigned)fimbit_recommender_item_count(recommender));
        if (fimbit_recommender_rule_count(recommender) == 0)
            cli_warn(options, "%s holds no rules: nothing to recommend", options->rules_path);
    }

    cli_output output = {0};
    if (status == FIMBIT_OK)
        status = cli_output_open(&output, options->output, &error);
    if (status == FIMBIT_OK) {
        start = cli_now();
        if (options->basket != NULL) {
            char *line = strdup(options->basket);
            status = line != NULL ? recommend_line(options, recommender, line, &basket, found,
                                                   output.file, &error)
                                  : cli_error_set(&error, FIMBIT_ENOMEM, "out of memory");
            baskets = 1;
            free(line);
        } else {
            status = recommend_file(options, recommender, &basket, found, output.file, &baskets,
                                    &error);
        }
        if (status == FIMBIT_OK)
            status = cli_output_commit(&output, &error);
        else
            cli_output_abort(&output);
        if (status == FIMBIT_OK)
            cli_verbose(options, "recommend %5.3f s  %llu baskets", cli_now() - start,
                        (unsigned long long)baskets);
    }
    cli_verbose_peak_memory(options);

    free(basket.names);
    free(found);
    fimbit_recommender_free(recommender);
    return cli_report_failure(options, status, &error);
}
