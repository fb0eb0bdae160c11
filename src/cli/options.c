/*
 * Option parsing for the subcommands. One table lists every option with the
 * commands it applies to; each parse builds that command's getopt_long table
 * from it, so an option of another command is reported as unrecognised.
 */
#include "options.h"
#include "option_values.h"
#include "standard_input.h"
#include "usage_message.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Long-only options get values above every byte. */
enum {
    OPT_MIN_LIFT = 256,
    OPT_MAX_CONSEQUENT,
    OPT_SORT,
    OPT_TOP,
    OPT_INPUT_FORMAT,
    OPT_SEPARATOR,
    OPT_COLUMNS,
    OPT_HEADER,
    OPT_NO_HEADER,
    OPT_RULES,
    OPT_BASKET,
    OPT_BASKET_FILE,
    OPT_BY,
    OPT_BASKETS,
    OPT_AVG_SIZE,
    OPT_PATTERN_SIZE,
    OPT_PATTERNS,
    OPT_ITEMS,
    OPT_CORRELATION,
    OPT_CORRUPTION,
    OPT_SEED,
    OPT_NAMES,
    OPT_MAX_MEMORY,
    OPT_PROGRESS,
    OPT_GROUP,
    OPT_GROUP_MAP,
    OPT_GROUP_MIN_COUNT,
    OPT_ANTECEDENT_ITEMS,
    OPT_CONSEQUENT_ITEMS,
    OPT_EXCLUDE_ITEMS,
    OPT_MEASURES,
    OPT_MIN_IMPROVEMENT,
    OPT_NON_REDUNDANT,
    OPT_MAX_P,
    OPT_P_ADJUST,
    OPT_RULE_BY,
    OPT_CUSTOMER,
    OPT_ORDER,
    OPT_DATE,
    OPT_AMOUNT,
    OPT_DATE_FORMAT,
    OPT_AS_OF,
    OPT_BINS
};

#define FOR_ITEMSETS (1u << CLI_COMMAND_ITEMSETS)
#define FOR_RULES (1u << CLI_COMMAND_RULES)
#define FOR_INFO (1u << CLI_COMMAND_INFO)
#define FOR_RECOMMEND (1u << CLI_COMMAND_RECOMMEND)
#define FOR_REPORT (1u << CLI_COMMAND_REPORT)
#define FOR_MINING (FOR_ITEMSETS | FOR_RULES | FOR_REPORT)
/* The commands that derive rules. */
#define FOR_RULE_MINING (FOR_RULES | FOR_REPORT)
#define FOR_GEN (1u << CLI_COMMAND_GEN)
#define FOR_RFM (1u << CLI_COMMAND_RFM)
/* The commands that read a dataset. */
#define FOR_READING (FOR_ITEMSETS | FOR_RULES | FOR_INFO | FOR_REPORT)
#define FOR_ALL (FOR_READING | FOR_RECOMMEND | FOR_GEN | FOR_RFM)
/* The commands that read baskets in any input format. */
#define FOR_BASKETS (FOR_READING | FOR_RECOMMEND)

typedef struct option_spec {
    const char *name;
    int has_arg;
    int value; /* the short option's letter, or an OPT_ value */
    unsigned commands;
} option_spec;

static const option_spec option_specs[] = {
    {"min-support", required_argument, 's', FOR_MINING},
    {"min-confidence", required_argument, 'c', FOR_RULE_MINING},
    {"min-lift", required_argument, OPT_MIN_LIFT, FOR_RULE_MINING},
    {"min-size", required_argument, 'm', FOR_MINING},
    {"max-size", required_argument, 'n', FOR_MINING},
    {"max-consequent", required_argument, OPT_MAX_CONSEQUENT, FOR_RULE_MINING},
    {"target", required_argument, 't', FOR_ITEMSETS},
    {"algorithm", required_argument, 'a', FOR_MINING},
    {"threads", required_argument, 'T', FOR_BASKETS | FOR_GEN | FOR_RFM},
    {"format", required_argument, 'f', FOR_ITEMSETS | FOR_RULES | FOR_INFO | FOR_GEN | FOR_RFM},
    {"output", required_argument, 'o', FOR_ALL},
    {"sort", no_argument, OPT_SORT, FOR_ITEMSETS | FOR_RULES},
    {"top", required_argument, OPT_TOP, FOR_RULE_MINING},
    {"by", required_argument, OPT_RULE_BY, FOR_RULE_MINING},
    {"antecedent-items", required_argument, OPT_ANTECEDENT_ITEMS, FOR_RULE_MINING},
    {"consequent-items", required_argument, OPT_CONSEQUENT_ITEMS, FOR_RULE_MINING},
    {"exclude-items", required_argument, OPT_EXCLUDE_ITEMS, FOR_RULE_MINING},
    {"measures", required_argument, OPT_MEASURES, FOR_RULE_MINING},
    {"min-improvement", required_argument, OPT_MIN_IMPROVEMENT, FOR_RULE_MINING},
    {"non-redundant", no_argument, OPT_NON_REDUNDANT, FOR_RULE_MINING},
    {"max-p", required_argument, OPT_MAX_P, FOR_RULE_MINING},
    {"p-adjust", required_argument, OPT_P_ADJUST, FOR_RULE_MINING},
    {"input-format", required_argument, OPT_INPUT_FORMAT, FOR_BASKETS},
    {"separator", required_argument, OPT_SEPARATOR, FOR_BASKETS | FOR_RFM},
    {"columns", required_argument, OPT_COLUMNS, FOR_BASKETS},
    {"header", no_argument, OPT_HEADER, FOR_BASKETS},
    {"no-header", no_argument, OPT_NO_HEADER, FOR_BASKETS},
    {"group", required_argument, OPT_GROUP, FOR_ITEMSETS | FOR_RULES | FOR_INFO | FOR_REPORT},
    {"group-map", required_argument, OPT_GROUP_MAP,
     FOR_ITEMSETS | FOR_RULES | FOR_INFO | FOR_REPORT | FOR_RECOMMEND},
    {"group-min-count", required_argument, OPT_GROUP_MIN_COUNT,
     FOR_ITEMSETS | FOR_RULES | FOR_REPORT},
    {"rules", required_argument, OPT_RULES, FOR_RECOMMEND},
    {"basket", required_argument, OPT_BASKET, FOR_RECOMMEND},
    {"baskets", required_argument, OPT_BASKET_FILE, FOR_RECOMMEND},
    {"count", required_argument, 'k', FOR_RECOMMEND},
    {"by", required_argument, OPT_BY, FOR_RECOMMEND},
    {"baskets", required_argument, OPT_BASKETS, FOR_GEN},
    {"avg-size", required_argument, OPT_AVG_SIZE, FOR_GEN},
    {"pattern-size", required_argument, OPT_PATTERN_SIZE, FOR_GEN},
    {"patterns", required_argument, OPT_PATTERNS, FOR_GEN},
    {"items", required_argument, OPT_ITEMS, FOR_GEN},
    {"correlation", required_argument, OPT_CORRELATION, FOR_GEN},
    {"corruption", required_argument, OPT_CORRUPTION, FOR_GEN},
    {"seed", required_argument, OPT_SEED, FOR_GEN},
    {"names", no_argument, OPT_NAMES, FOR_GEN},
    {"customer", required_argument, OPT_CUSTOMER, FOR_RFM},
    {"order", required_argument, OPT_ORDER, FOR_RFM},
    {"date", required_argument, OPT_DATE, FOR_RFM},
    {"amount", required_argument, OPT_AMOUNT, FOR_RFM},
    {"date-format", required_argument, OPT_DATE_FORMAT, FOR_RFM},
    {"as-of", required_argument, OPT_AS_OF, FOR_RFM},
    {"bins", required_argument, OPT_BINS, FOR_RFM},
    {"max-memory", required_argument, OPT_MAX_MEMORY, FOR_ALL},
    {"progress", no_argument, OPT_PROGRESS, FOR_READING | FOR_RFM},
    {"quiet", no_argument, 'q', FOR_ALL},
    {"verbose", no_argument, 'v', FOR_ALL},
    {"help", no_argument, 'h', FOR_ALL},
    {"version", no_argument, 'V', FOR_ALL},
};

#define OPTION_SPEC_COUNT (sizeof option_specs / sizeof option_specs[0])

/* A thread count beyond this is a typo, not a machine. */
#define CLI_MAX_THREADS 65536

cli_command cli_command_from_name(const char *name)
{
    if (name == NULL)
        return CLI_COMMAND_NONE;
    if (strcmp(name, "itemsets") == 0)
        return CLI_COMMAND_ITEMSETS;
    if (strcmp(name, "rules") == 0)
        return CLI_COMMAND_RULES;
    if (strcmp(name, "info") == 0)
        return CLI_COMMAND_INFO;
    if (strcmp(name, "recommend") == 0)
        return CLI_COMMAND_RECOMMEND;
    if (strcmp(name, "report") == 0)
        return CLI_COMMAND_REPORT;
    if (strcmp(name, "gen") == 0)
        return CLI_COMMAND_GEN;
    if (strcmp(name, "rfm") == 0)
        return CLI_COMMAND_RFM;
    return CLI_COMMAND_NONE;
}

const char *cli_command_name(cli_command command)
{
    switch (command) {
    case CLI_COMMAND_ITEMSETS:
        return "itemsets";
    case CLI_COMMAND_RULES:
        return "rules";
    case CLI_COMMAND_INFO:
        return "info";
    case CLI_COMMAND_RECOMMEND:
        return "recommend";
    case CLI_COMMAND_REPORT:
        return "report";
    case CLI_COMMAND_GEN:
        return "gen";
    case CLI_COMMAND_RFM:
        return "rfm";
    default:
        return "";
    }
}

/* --------------------------------------------------------------- the parse */

static cli_parse_result usage_error(char *error, size_t error_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static cli_parse_result usage_error(char *error, size_t error_size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    cli_format_message(error, error_size, format, args);
    va_end(args);
    return CLI_PARSE_ERROR;
}

static const option_spec *find_spec(int value)
{
    for (size_t i = 0; i < OPTION_SPEC_COUNT; i++)
        if (option_specs[i].value == value)
            return &option_specs[i];
    return NULL;
}

/* "--min-support" or "-s/--min-support", for messages. */
static void describe_option(int value, char *out, size_t size)
{
    const option_spec *spec = find_spec(value);
    if (spec == NULL)
        snprintf(out, size, "-%c", value);
    else if (value < 256)
        snprintf(out, size, "-%c/--%s", value, spec->name);
    else
        snprintf(out, size, "--%s", spec->name);
}

static bool parse_columns(const char *text, cli_options *options)
{
    const char *comma = strchr(text, ',');
    if (comma == NULL || strchr(comma + 1, ',') != NULL)
        return false;
    size_t basket_length = (size_t)(comma - text);
    size_t item_length = strlen(comma + 1);
    if (basket_length == 0 || item_length == 0 ||
        basket_length >= sizeof options->basket_column ||
        item_length >= sizeof options->item_column)
        return false;
    memcpy(options->basket_column, text, basket_length);
    options->basket_column[basket_length] = '\0';
    memcpy(options->item_column, comma + 1, item_length + 1);
    return true;
}

/* FILE or FILE:COLUMN, split at the last colon. */
static bool parse_group_map(const char *text, cli_options *options)
{
    const char *colon = strrchr(text, ':');
    size_t file_length = colon != NULL ? (size_t)(colon - text) : strlen(text);
    if (file_length == 0 || file_length >= sizeof options->group_map_file ||
        (colon != NULL && colon[1] == '\0'))
        return false;
    memcpy(options->group_map_file, text, file_length);
    options->group_map_file[file_length] = '\0';
    options->group_map_column = colon != NULL ? colon + 1 : NULL;
    return true;
}

void cli_options_free(cli_options *options)
{
    cli_item_list_free(&options->antecedent_items);
    cli_item_list_free(&options->consequent_items);
    cli_item_list_free(&options->exclude_items);
}

static void set_defaults(cli_command command, cli_options *options)
{
    memset(options, 0, sizeof *options);
    options->command = command;
    fimbit_read_options_init(&options->read);
    fimbit_rule_options_init(&options->rule);
    fimbit_generate_options_init(&options->generate);
    fimbit_rfm_options_init(&options->rfm);
    options->format = FIMBIT_FORMAT_TEXT;
    options->recommend_count = 10;
    options->recommend_by = FIMBIT_RECOMMEND_BY_CONFIDENCE;
    options->group_min_count = 1;
    options->rule_by = FIMBIT_MEASURE_CONFIDENCE;
}

/* The list of measures --by accepts, for its message. */
static void describe_measures(char *out, size_t size)
{
    size_t length = 0;
    out[0] = '\0';
    for (unsigned m = 0; m < FIMBIT_MEASURE_COUNT_ && length < size; m++)
        length += (size_t)snprintf(out + length, size - length, "%s%s", m ? ", " : "",
                                   fimbit_measure_name((fimbit_measure)m));
}

/* The rule-analysis options: item lists, measures, their filters, --by. */
static bool apply_rule_analysis_option(int value, const char *arg, cli_options *options,
                                       const char *name, char *error, size_t error_size)
{
    fimbit_rule_options *rule = &options->rule;
    cli_item_list *list = NULL;
    switch (value) {
    case OPT_ANTECEDENT_ITEMS:
        list = &options->antecedent_items;
        break;
    case OPT_CONSEQUENT_ITEMS:
        list = &options->consequent_items;
        break;
    case OPT_EXCLUDE_ITEMS:
        list = &options->exclude_items;
        break;
    case OPT_MEASURES:
        options->measures_given = true;
        if (!cli_parse_measures(arg, &rule->measures)) {
            usage_error(error, error_size,
                        "invalid %s '%s': expected 'all' or a comma-separated list of "
                        "antecedent_support, consequent_support, jaccard, kulczynski, "
                        "certainty, zhangs_metric, cosine, improvement, p_value",
                        name, arg);
            return false;
        }
        return true;
    case OPT_MIN_IMPROVEMENT:
        if (!cli_parse_number(arg, &rule->min_improvement) || rule->min_improvement < -1 ||
            rule->min_improvement > 1) {
            rule->min_improvement = -INFINITY;
            usage_error(error, error_size, "invalid %s '%s': expected a number in [-1,1]", name,
                        arg);
            return false;
        }
        return true;
    case OPT_NON_REDUNDANT:
        rule->non_redundant = 1;
        return true;
    case OPT_MAX_P:
        if (!cli_parse_nonnegative_number(arg, &rule->max_p) || rule->max_p > 1) {
            rule->max_p = 1;
            usage_error(error, error_size, "invalid %s '%s': expected a p-value in [0,1]", name,
                        arg);
            return false;
        }
        return true;
    case OPT_P_ADJUST:
        if (strcmp(arg, "none") == 0)
            rule->p_adjust = FIMBIT_P_ADJUST_NONE;
        else if (strcmp(arg, "bonferroni") == 0)
            rule->p_adjust = FIMBIT_P_ADJUST_BONFERRONI;
        else if (strcmp(arg, "holm") == 0)
            rule->p_adjust = FIMBIT_P_ADJUST_HOLM;
        else {
            usage_error(error, error_size,
                        "invalid %s '%s': expected none, bonferroni or holm", name, arg);
            return false;
        }
        return true;
    default: /* OPT_RULE_BY */
        if (fimbit_measure_from_name(arg, &options->rule_by) != FIMBIT_OK) {
            char names[400];
            describe_measures(names, sizeof names);
            usage_error(error, error_size, "invalid %s '%s': expected a measure: %s", name, arg,
                        names);
            return false;
        }
        options->rule_by_given = true;
        return true;
    }
    /* A list given twice: the last one counts. */
    cli_item_list_free(list);
    /* Standard input is read once: an "@-" list (or "@/dev/stdin") after another is left
     * unread (it would find nothing and say only that), for
     * check_standard_input() to name both readers. */
    const cli_item_list *lists[] = {&options->antecedent_items, &options->consequent_items,
                                    &options->exclude_items};
    for (size_t i = 0; i < 3 && arg[0] == '@' && cli_reads_standard_input(arg + 1); i++)
        if (lists[i] != list && lists[i]->standard_input_file != NULL) {
            list->standard_input_file = arg + 1;
            return true;
        }
    char message[512];
    if (!cli_item_list_parse(arg, name, list, message, sizeof message)) {
        usage_error(error, error_size, "%s", message);
        return false;
    }
    return true;
}

static bool apply_generate_format(const char *arg, cli_options *options, const char *name,
                                  char *error, size_t error_size)
{
    if (strcmp(arg, "fimi") == 0)
        options->generate.format = FIMBIT_GENERATE_FIMI;
    else if (strcmp(arg, "basket") == 0)
        options->generate.format = FIMBIT_GENERATE_BASKET;
    else if (strcmp(arg, "csv-long") == 0)
        options->generate.format = FIMBIT_GENERATE_CSV_LONG;
    else if (strcmp(arg, "orders") == 0)
        options->generate.format = FIMBIT_GENERATE_ORDERS;
    else {
        usage_error(error, error_size,
                    "invalid %s '%s': expected fimi, basket, csv-long or orders", name, arg);
        return false;
    }
    return true;
}

/* The generator's model parameters. */
static bool apply_generate_option(int value, const char *arg, fimbit_generate_options *g,
                                  const char *name, char *error, size_t error_size)
{
    uint64_t number = 0;
    double real = 0;
    switch (value) {
    case OPT_BASKETS:
        if (!cli_parse_count(arg, &g->baskets)) {
            usage_error(error, error_size,
                        "invalid %s '%s': expected a count such as 100000, 100k or 10M", name,
                        arg);
            return false;
        }
        return true;
    case OPT_PATTERNS:
    case OPT_ITEMS:
        if (!cli_parse_count(arg, &number) || number == 0 || number > UINT32_MAX) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer in [1,%u]",
                        name, arg, (unsigned)UINT32_MAX);
            return false;
        }
        *(value == OPT_PATTERNS ? &g->patterns : &g->items) = (uint32_t)number;
        return true;
    case OPT_SEED:
        if (!cli_parse_unsigned(arg, UINT64_MAX, &g->seed)) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer >= 0", name, arg);
            return false;
        }
        return true;
    case OPT_NAMES:
        g->named_items = 1;
        return true;
    default:
        break;
    }
    /* The real-valued ones. */
    double max = value == OPT_CORRUPTION ? 1.0 : 1e6;
    if (!cli_parse_nonnegative_number(arg, &real) || real > max ||
        (value == OPT_PATTERN_SIZE && real == 0)) {
        usage_error(error, error_size, "invalid %s '%s': expected a number in %s%g]", name, arg,
                    value == OPT_PATTERN_SIZE ? "(0," : "[0,", max);
        return false;
    }
    if (value == OPT_AVG_SIZE)
        g->avg_size = real;
    else if (value == OPT_PATTERN_SIZE)
        g->pattern_size = real;
    else if (value == OPT_CORRELATION)
        g->correlation = real;
    else
        g->corruption = real;
    return true;
}

/* The options of `rfm`; the library checks the texts as a whole later. */
static bool apply_rfm_option(int value, const char *arg, fimbit_rfm_options *rfm,
                             const char *name, char *error, size_t error_size)
{
    uint64_t number = 0;
    switch (value) {
    case OPT_BINS:
        if (!cli_parse_unsigned(arg, 1000, &number) || number < 2) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer in [2,1000]",
                        name, arg);
            return false;
        }
        rfm->bins = (uint32_t)number;
        return true;
    case OPT_CUSTOMER: rfm->customer_column = arg; return true;
    case OPT_ORDER: rfm->order_column = arg; return true;
    case OPT_DATE: rfm->date_column = arg; return true;
    case OPT_AMOUNT: rfm->amount = arg; return true;
    case OPT_DATE_FORMAT: rfm->date_format = arg; return true;
    default: rfm->as_of = arg; return true;
    }
}

/* Applies one option with its argument. @return false with `error` filled. */
static bool apply_option(int value, const char *arg, cli_options *options,
                         bool *input_format_given, char *error, size_t error_size)
{
    fimbit_mine_options *mine = &options->rule.mine;
    uint64_t number = 0;
    char name[64];
    describe_option(value, name, sizeof name);

    switch (value) {
    case 's':
        if (!cli_parse_support(arg, &mine->min_count, &mine->min_support)) {
            usage_error(error, error_size,
                 "invalid %s '%s': expected a basket count >= 1, a fraction in (0,1] "
                 "or a percent in (0,100]%%",
                 name, arg);
            return false;
        }
        return true;
    case 'c':
        if (!cli_parse_confidence(arg, &options->rule.min_confidence)) {
            usage_error(error, error_size,
                 "invalid %s '%s': expected a fraction in [0,1] or a percent in [0,100]%%",
                 name, arg);
            return false;
        }
        return true;
    case OPT_MIN_LIFT:
        if (!cli_parse_nonnegative_number(arg, &options->rule.min_lift)) {
            usage_error(error, error_size, "invalid %s '%s': expected a number >= 0", name, arg);
            return false;
        }
        return true;
    case 'm':
        if (!cli_parse_unsigned(arg, UINT32_MAX, &number) || number == 0) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer >= 1", name, arg);
            return false;
        }
        mine->min_size = (uint32_t)number;
        return true;
    case 'n':
        if (!cli_parse_unsigned(arg, UINT32_MAX, &number)) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer >= 0 (0 = no limit)",
                 name, arg);
            return false;
        }
        mine->max_size = (uint32_t)number;
        return true;
    case OPT_MAX_CONSEQUENT:
        if (!cli_parse_unsigned(arg, UINT32_MAX, &number)) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer >= 0 (0 = no limit)",
                 name, arg);
            return false;
        }
        options->rule.max_consequent = (uint32_t)number;
        return true;
    case 't':
        if (strcmp(arg, "all") == 0)
            mine->target = FIMBIT_TARGET_ALL;
        else if (strcmp(arg, "closed") == 0)
            mine->target = FIMBIT_TARGET_CLOSED;
        else if (strcmp(arg, "maximal") == 0)
            mine->target = FIMBIT_TARGET_MAXIMAL;
        else {
            usage_error(error, error_size, "invalid %s '%s': expected all, closed or maximal", name,
                 arg);
            return false;
        }
        return true;
    case 'a':
        if (strcmp(arg, "auto") == 0)
            mine->algorithm = FIMBIT_ALGORITHM_AUTO;
        else if (strcmp(arg, "fpgrowth") == 0)
            mine->algorithm = FIMBIT_ALGORITHM_FPGROWTH;
        else if (strcmp(arg, "eclat") == 0)
            mine->algorithm = FIMBIT_ALGORITHM_ECLAT;
        else {
            usage_error(error, error_size, "invalid %s '%s': expected auto, fpgrowth or eclat", name,
                 arg);
            return false;
        }
        return true;
    case 'T':
        if (!cli_parse_unsigned(arg, CLI_MAX_THREADS, &number)) {
            usage_error(error, error_size,
                 "invalid %s '%s': expected an integer in [0,%d] (0 = every core)", name, arg,
                 CLI_MAX_THREADS);
            return false;
        }
        mine->threads = (int)number;
        options->read.threads = (int)number;
        options->generate.threads = (int)number;
        options->rfm.threads = (int)number;
        return true;
    case 'f':
        options->format_given = true;
        if (options->command == CLI_COMMAND_GEN)
            return apply_generate_format(arg, options, name, error, error_size);
        options->table = false;
        if (strcmp(arg, "table") == 0 && options->command == CLI_COMMAND_RULES)
            options->table = true;
        else if (strcmp(arg, "text") == 0)
            options->format = FIMBIT_FORMAT_TEXT;
        else if (strcmp(arg, "csv") == 0)
            options->format = FIMBIT_FORMAT_CSV;
        else if (strcmp(arg, "jsonl") == 0)
            options->format = FIMBIT_FORMAT_JSONL;
        else if (options->command == CLI_COMMAND_RULES) {
            usage_error(error, error_size, "invalid %s '%s': expected text, csv, jsonl or table",
                        name, arg);
            return false;
        } else {
            usage_error(error, error_size, "invalid %s '%s': expected text, csv or jsonl", name, arg);
            return false;
        }
        return true;
    case 'o':
        if (arg[0] == '\0') {
            usage_error(error, error_size, "invalid %s '': expected a file name or '-'", name);
            return false;
        }
        options->output = strcmp(arg, "-") == 0 ? NULL : arg;
        return true;
    case OPT_SORT:
        options->sort = true;
        return true;
    case OPT_TOP:
        if (!cli_parse_unsigned(arg, UINT64_MAX, &number) || number == 0) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer >= 1", name, arg);
            return false;
        }
        options->top = number;
        return true;
    case OPT_INPUT_FORMAT:
        if (strcmp(arg, "auto") == 0)
            options->read.format = FIMBIT_INPUT_AUTO;
        else if (strcmp(arg, "fimi") == 0)
            options->read.format = FIMBIT_INPUT_FIMI;
        else if (strcmp(arg, "basket") == 0)
            options->read.format = FIMBIT_INPUT_BASKET;
        else if (strcmp(arg, "csv") == 0)
            options->read.format = FIMBIT_INPUT_CSV;
        else {
            usage_error(error, error_size, "invalid %s '%s': expected auto, fimi, basket or csv",
                 name, arg);
            return false;
        }
        *input_format_given = options->read.format != FIMBIT_INPUT_AUTO;
        return true;
    case OPT_SEPARATOR:
        if (!cli_parse_separator(arg, &options->read.separator) ||
            !cli_parse_separator(arg, &options->rfm.separator)) {
            usage_error(error, error_size,
                 "invalid %s '%s': expected one character, or '\\t' or 'tab' for a tab", name,
                 arg);
            return false;
        }
        return true;
    case OPT_COLUMNS:
        if (!parse_columns(arg, options)) {
            usage_error(error, error_size,
                 "invalid %s '%s': expected BASKET,ITEM (two column names or 1-based indexes)",
                 name, arg);
            return false;
        }
        return true;
    case OPT_HEADER:
        options->read.header = 1;
        return true;
    case OPT_NO_HEADER:
        options->read.header = 0;
        return true;
    case OPT_RULES:
    case OPT_BASKET_FILE:
        if (arg[0] == '\0') {
            usage_error(error, error_size, "invalid %s '': expected a file name or '-'", name);
            return false;
        }
        if (value == OPT_RULES)
            options->rules_path = arg;
        else
            options->baskets_path = arg;
        return true;
    case OPT_BASKET:
        options->basket = arg;
        return true;
    case 'k':
        if (!cli_parse_unsigned(arg, UINT32_MAX, &number) || number == 0) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer >= 1", name, arg);
            return false;
        }
        options->recommend_count = number;
        return true;
    case OPT_BY:
        if (strcmp(arg, "confidence") == 0)
            options->recommend_by = FIMBIT_RECOMMEND_BY_CONFIDENCE;
        else if (strcmp(arg, "lift") == 0)
            options->recommend_by = FIMBIT_RECOMMEND_BY_LIFT;
        else {
            usage_error(error, error_size, "invalid %s '%s': expected confidence or lift", name,
                        arg);
            return false;
        }
        return true;
    case OPT_BASKETS:
    case OPT_AVG_SIZE:
    case OPT_PATTERN_SIZE:
    case OPT_PATTERNS:
    case OPT_ITEMS:
    case OPT_CORRELATION:
    case OPT_CORRUPTION:
    case OPT_SEED:
    case OPT_NAMES:
        return apply_generate_option(value, arg, &options->generate, name, error, error_size);
    case OPT_CUSTOMER:
    case OPT_ORDER:
    case OPT_DATE:
    case OPT_AMOUNT:
    case OPT_DATE_FORMAT:
    case OPT_AS_OF:
    case OPT_BINS:
        return apply_rfm_option(value, arg, &options->rfm, name, error, error_size);
    case OPT_MAX_MEMORY:
        if (!cli_parse_size(arg, &options->max_memory)) {
            usage_error(error, error_size,
                        "invalid %s '%s': expected a size such as 500M, 2G or 1.5G", name, arg);
            return false;
        }
        return true;
    case OPT_PROGRESS:
        options->progress = true;
        return true;
    case OPT_GROUP:
        if (arg[0] == '\0') {
            usage_error(error, error_size, "invalid %s '': expected a column name or 1-based index",
                        name);
            return false;
        }
        options->group_column = arg;
        return true;
    case OPT_GROUP_MAP:
        if (!parse_group_map(arg, options)) {
            usage_error(error, error_size, "invalid %s '%s': expected FILE or FILE:COLUMN", name,
                        arg);
            return false;
        }
        return true;
    case OPT_GROUP_MIN_COUNT:
        if (!cli_parse_unsigned(arg, UINT64_MAX, &options->group_min_count) ||
            options->group_min_count == 0) {
            usage_error(error, error_size, "invalid %s '%s': expected an integer >= 1", name, arg);
            return false;
        }
        return true;
    case OPT_ANTECEDENT_ITEMS:
    case OPT_CONSEQUENT_ITEMS:
    case OPT_EXCLUDE_ITEMS:
    case OPT_MEASURES:
    case OPT_MIN_IMPROVEMENT:
    case OPT_NON_REDUNDANT:
    case OPT_MAX_P:
    case OPT_P_ADJUST:
    case OPT_RULE_BY:
        return apply_rule_analysis_option(value, arg, options, name, error, error_size);
    case 'q':
        options->quiet = true;
        options->verbose = false;
        return true;
    case 'v':
        options->verbose = true;
        options->quiet = false;
        return true;
    default:
        usage_error(error, error_size, "internal error: unhandled option %d", value);
        return false;
    }
}

/* Checks the options against each other once all are known. */
static bool check_combination(const cli_options *options, bool input_format_given,
                              bool header_given, char *error, size_t error_size)
{
    const fimbit_mine_options *mine = &options->rule.mine;
    fimbit_input_format format = options->read.format;

    if (mine->max_size != 0 && mine->max_size < mine->min_size) {
        usage_error(error, error_size, "-n/--max-size %u is below -m/--min-size %u",
             (unsigned)mine->max_size, (unsigned)mine->min_size);
        return false;
    }
    if (options->basket_column[0] != '\0' && input_format_given &&
        format != FIMBIT_INPUT_CSV) {
        usage_error(error, error_size, "--columns applies to --input-format csv only");
        return false;
    }
    if (header_given && input_format_given && format != FIMBIT_INPUT_CSV) {
        usage_error(error, error_size, "--header and --no-header apply to --input-format csv only");
        return false;
    }
    if (options->read.separator != 0 && format == FIMBIT_INPUT_FIMI) {
        usage_error(error, error_size,
             "--separator does not apply to --input-format fimi (items are whitespace separated)");
        return false;
    }
    if (options->command == CLI_COMMAND_RECOMMEND) {
        if (options->rules_path == NULL) {
            usage_error(error, error_size, "--rules FILE is required");
            return false;
        }
        if ((options->basket == NULL) == (options->baskets_path == NULL)) {
            usage_error(error, error_size, "give either --basket ITEMS or --baskets FILE");
            return false;
        }
        if (options->group_map_file[0] != '\0' && options->basket != NULL) {
            usage_error(error, error_size,
                        "--group-map needs --baskets FILE (a basket's key finds its group)");
            return false;
        }
        if (options->group_map_file[0] != '\0' && cli_reads_once(options->rules_path)) {
            usage_error(error, error_size,
                        "--group-map needs --rules FILE, not standard input or a pipe (the "
                        "rules are read once per group)");
            return false;
        }
    }
    if (options->generate.named_items && options->format_given &&
        options->generate.format == FIMBIT_GENERATE_FIMI) {
        usage_error(error, error_size,
                    "--names needs --format basket, csv-long or orders (FIMI items are integers)");
        return false;
    }
    if (options->group_column != NULL && input_format_given && format != FIMBIT_INPUT_CSV) {
        usage_error(error, error_size, "--group applies to --input-format csv only");
        return false;
    }
    if (options->group_map_file[0] != '\0' && options->command != CLI_COMMAND_RECOMMEND &&
        options->group_column == NULL) {
        usage_error(error, error_size, "--group-map needs --group COLUMN (the key it looks up)");
        return false;
    }
    if (options->group_min_count > 1 && options->group_column == NULL) {
        usage_error(error, error_size, "--group-min-count needs --group COLUMN");
        return false;
    }
    if (options->table && options->group_column != NULL) {
        usage_error(error, error_size,
                    "-f table shows one rule set; --group writes every group's: use text, csv "
                    "or jsonl");
        return false;
    }
    if (options->sort && options->top != 0) {
        usage_error(error, error_size,
             "--sort and --top exclude each other (--top orders rules by strength)");
        return false;
    }
    if (options->sort && options->rule_by_given) {
        usage_error(error, error_size,
                    "--sort and --by exclude each other (--by orders rules by a measure)");
        return false;
    }
    return true;
}

/* Points the rule options at the parsed item lists; a measure ranked by
 * --by is computed, so it is written too. */
static void finish_rule_options(cli_options *options)
{
    fimbit_rule_options *rule = &options->rule;
    const cli_item_list *lists[] = {&options->antecedent_items, &options->consequent_items,
                                    &options->exclude_items};
    const char *const **names[] = {&rule->antecedent_items, &rule->consequent_items,
                                   &rule->exclude_items};
    size_t *counts[] = {&rule->antecedent_item_count, &rule->consequent_item_count,
                        &rule->exclude_item_count};
    for (size_t i = 0; i < 3; i++) {
        *names[i] = lists[i]->count > 0 ? lists[i]->names : NULL;
        *counts[i] = lists[i]->count;
    }
    if (options->rule_by <= FIMBIT_MEASURE_P_VALUE)
        rule->measures |= FIMBIT_MEASURE_BIT(options->rule_by);
}

/* The read options as the library will see them must pass its own check, so
 * that a bad --columns or --separator is a usage error (exit 2) rather than a
 * failed read (exit 1). */
static bool check_read_options(const cli_options *options, char *error, size_t error_size)
{
    fimbit_read_options read;
    cli_options_read(options, &read);
    fimbit_error problem;
    if (fimbit_read_options_check(&read, &problem) == FIMBIT_OK)
        return true;
    usage_error(error, error_size, "%s", problem.message);
    return false;
}

/* Names the first two readers of standard input in `readers`, and counts
 * them all. */
typedef struct standard_input_readers {
    char names[2][600];
    size_t count;
} standard_input_readers;

static void standard_input_reader(standard_input_readers *readers, const char *format, ...)
{
    if (readers->count < 2) {
        va_list arguments;
        va_start(arguments, format);
        vsnprintf(readers->names[readers->count], sizeof readers->names[0], format, arguments);
        va_end(arguments);
    }
    readers->count++;
}

/* Standard input is one text: of the baskets, --rules, --baskets,
 * --group-map and the @ item lists, one may read it (as "-" or as a name of
 * its pipe); the next would find it empty. */
static bool check_standard_input(const cli_options *options, unsigned mask, char *error,
                                 size_t error_size)
{
    standard_input_readers readers = {.count = 0};
    if ((mask & (FOR_READING | FOR_RFM)) != 0) {
        if (options->input_count == 0)
            standard_input_reader(&readers, "the input");
        /* Each input that names it is a reader: "- -" read a redirected
         * file twice and a pipe once. */
        for (size_t i = 0; i < options->input_count; i++)
            if (cli_reads_standard_input(options->inputs[i]))
                standard_input_reader(&readers, "the input %s", options->inputs[i]);
    }
    if (options->baskets_path != NULL && cli_reads_standard_input(options->baskets_path))
        standard_input_reader(&readers, "--baskets %s", options->baskets_path);
    if (options->rules_path != NULL && cli_reads_standard_input(options->rules_path))
        standard_input_reader(&readers, "--rules %s", options->rules_path);
    if (options->group_map_file[0] != '\0' && cli_reads_standard_input(options->group_map_file))
        standard_input_reader(&readers, "--group-map %s", options->group_map_file);
    const cli_item_list *lists[] = {&options->antecedent_items, &options->consequent_items,
                                    &options->exclude_items};
    static const char *const list_options[] = {"--antecedent-items", "--consequent-items",
                                               "--exclude-items"};
    for (size_t i = 0; i < 3; i++)
        if (lists[i]->standard_input_file != NULL)
            standard_input_reader(&readers, "%s @%s", list_options[i],
                                  lists[i]->standard_input_file);
    if (readers.count < 2)
        return true;
    usage_error(error, error_size, "%s and %s both read standard input, which can be read once",
                readers.names[0], readers.names[1]);
    return false;
}

/* rfm: what the library would refuse is a usage error; the four columns
 * are asked for by their option names. */
static bool check_rfm_options(const cli_options *options, char *error, size_t error_size)
{
    const fimbit_rfm_options *rfm = &options->rfm;
    const char *missing = !rfm->customer_column ? "--customer COLUMN"
                          : !rfm->order_column  ? "--order COLUMN"
                          : !rfm->date_column   ? "--date COLUMN"
                          : !rfm->amount        ? "--amount COLUMN[*COLUMN]"
                                                : NULL;
    if (missing != NULL) {
        usage_error(error, error_size, "%s is required", missing);
        return false;
    }
    fimbit_error problem;
    if (fimbit_rfm_options_check(rfm, &problem) == FIMBIT_OK)
        return true;
    usage_error(error, error_size, "%s", problem.message);
    return false;
}

cli_parse_result cli_parse_options(cli_command command, int argc, char **argv,
                                   cli_options *options, char *error, size_t error_size)
{
    struct option long_options[OPTION_SPEC_COUNT + 1];
    char short_options[3 * OPTION_SPEC_COUNT + 2];
    size_t long_count = 0, short_length = 0;
    unsigned mask = 1u << command;

    if (error != NULL && error_size > 0)
        error[0] = '\0';
    set_defaults(command, options);
    if (command == CLI_COMMAND_NONE)
        return usage_error(error, error_size, "no command given");

    /* ':' first: a missing argument is reported as ':' rather than '?'. */
    short_options[short_length++] = ':';
    for (size_t i = 0; i < OPTION_SPEC_COUNT; i++) {
        const option_spec *spec = &option_specs[i];
        if ((spec->commands & mask) == 0)
            continue;
        long_options[long_count++] =
            (struct option){spec->name, spec->has_arg, NULL, spec->value};
        if (spec->value < 256) {
            short_options[short_length++] = (char)spec->value;
            if (spec->has_arg == required_argument)
                short_options[short_length++] = ':';
        }
    }
    long_options[long_count] = (struct option){NULL, 0, NULL, 0};
    short_options[short_length] = '\0';

    bool input_format_given = false, header_given = false;
    bool help = false, version = false, failed = false;

    /* optind = 0 makes GNU getopt start afresh, so the parser can run twice
     * in one process (the unit tests do). */
    optind = 0;
    opterr = 0;
    for (;;) {
        int value = getopt_long(argc, argv, short_options, long_options, NULL);
        if (value == -1)
            break;
        /* After the first mistake, keep scanning only for --help and
         * --version, which win over it as in GNU tools; the first mistake is
         * the one reported. */
        if (failed && value != 'h' && value != 'V')
            continue;
        if (value == '?') {
            const option_spec *spec = optopt != 0 ? find_spec(optopt) : NULL;
            failed = true;
            if (optopt == 0)
                usage_error(error, error_size, "unrecognized or ambiguous option '%s'",
                            argv[optind - 1]);
            /* A known option of this command ends here only when given a value
             * it does not take (--sort=yes). */
            else if (spec != NULL && (spec->commands & mask) != 0)
                usage_error(error, error_size, "option '--%s' does not take a value",
                            spec->name);
            else
                usage_error(error, error_size, "invalid option -- '%c'", optopt);
            continue;
        }
        if (value == ':') {
            char name[64];
            describe_option(optopt, name, sizeof name);
            usage_error(error, error_size, "option %s requires a value", name);
            failed = true;
            continue;
        }
        if (value == 'h') {
            help = true;
            continue;
        }
        if (value == 'V') {
            version = true;
            continue;
        }
        if (value == OPT_HEADER || value == OPT_NO_HEADER)
            header_given = true;
        if (!apply_option(value, optarg, options, &input_format_given, error, error_size))
            failed = true;
    }
    if (help)
        return CLI_PARSE_HELP;
    if (version)
        return CLI_PARSE_VERSION;
    if (failed)
        return CLI_PARSE_ERROR;
    if (!check_combination(options, input_format_given, header_given, error, error_size))
        return CLI_PARSE_ERROR;
    finish_rule_options(options);

    /* --columns and --header name CSV columns: without an explicit format they
     * mean the input is long CSV. */
    if (!input_format_given &&
        (options->basket_column[0] != '\0' || header_given || options->group_column != NULL))
        options->read.format = FIMBIT_INPUT_CSV;
    /* Named items are not FIMI: without a format they are named baskets. */
    if (options->generate.named_items && !options->format_given)
        options->generate.format = FIMBIT_GENERATE_BASKET;
    if ((mask & FOR_BASKETS) != 0 && !check_read_options(options, error, error_size))
        return CLI_PARSE_ERROR;
    if (command == CLI_COMMAND_RFM && !check_rfm_options(options, error, error_size))
        return CLI_PARSE_ERROR;

    if (command == CLI_COMMAND_RECOMMEND && optind < argc)
        return usage_error(error, error_size,
                           "unexpected argument '%s' (baskets come from --basket or --baskets)",
                           argv[optind]);
    options->inputs = (const char *const *)(argv + optind);
    options->input_count = (size_t)(argc - optind);
    if (!check_standard_input(options, mask, error, error_size))
        return CLI_PARSE_ERROR;
    return CLI_PARSE_OK;
}

void cli_options_read(const cli_options *options, fimbit_read_options *read)
{
    *read = options->read;
    if (options->basket_column[0] != '\0') {
        read->basket_column = options->basket_column;
        read->item_column = options->item_column;
    }
}
