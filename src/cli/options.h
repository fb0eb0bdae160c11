/*
 * The command line of one subcommand, parsed into a struct. Parsing is a pure
 * function of argc/argv: it prints nothing and never exits, so the unit tests
 * (tests/unit/test_cli_options.c) can drive it with any argument vector.
 */
#ifndef FIMBIT_CLI_OPTIONS_H
#define FIMBIT_CLI_OPTIONS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"
#include "item_lists.h"

typedef enum cli_command {
    CLI_COMMAND_NONE = 0,
    CLI_COMMAND_ITEMSETS,
    CLI_COMMAND_RULES,
    CLI_COMMAND_INFO,
    CLI_COMMAND_RECOMMEND,
    CLI_COMMAND_REPORT,
    CLI_COMMAND_GEN,
    CLI_COMMAND_RFM,
    CLI_COMMAND_COUNT /* not a command: one past the last */
} cli_command;

typedef enum cli_parse_result {
    CLI_PARSE_OK = 0,  /* run the command */
    CLI_PARSE_HELP,    /* --help: print the command's usage, exit 0 */
    CLI_PARSE_VERSION, /* --version: print the version, exit 0 */
    CLI_PARSE_ERROR    /* a usage error, described in the error buffer */
} cli_parse_result;

typedef struct cli_options {
    cli_command command;
    fimbit_read_options read;
    /* rule.mine holds the itemset options; the rule fields matter to `rules` only. */
    fimbit_rule_options rule;
    fimbit_format format;
    bool format_given;    /* -f was given (gen: --names then keeps it) */
    bool table;           /* rules -f table: aligned columns for a terminal */
    fimbit_generate_options generate; /* gen only */
    const char *output;   /* NULL = standard output */
    bool sort;            /* --sort: canonical order */
    uint64_t top;         /* rules --top N: the N strongest; 0 = every rule (report: 500) */
    /* rules and report --by: the measure --top ranks by (default confidence,
     * then lift and count: fimbit_rules_sort_by_strength's order) */
    fimbit_measure rule_by;
    bool rule_by_given;
    bool measures_given;  /* --measures was given (--by adds its measure too) */
    /* rules and report: the item lists; rule.*_items point into them */
    cli_item_list antecedent_items;
    cli_item_list consequent_items;
    cli_item_list exclude_items;
    uint64_t max_memory;  /* --max-memory in bytes; 0 = no limit */
    bool quiet;
    bool verbose;
    bool progress;        /* --progress: stage lines on standard error, for logs */
    const char *const *inputs; /* points into argv; none = standard input */
    size_t input_count;
    /* --columns BASKET,ITEM, split; empty = not given. cli_options_read()
     * points the read options at them. */
    char basket_column[256];
    char item_column[256];
    /* recommend: where the rules and the baskets come from, and what to give */
    const char *rules_path;
    const char *basket;       /* --basket "a,b": one basket, items split at the separator */
    const char *baskets_path; /* --baskets FILE: a basket a line */
    uint64_t recommend_count; /* -k: recommendations per basket; default 10 */
    fimbit_recommend_by recommend_by;
    fimbit_rfm_options rfm; /* rfm only; its strings point into argv */
    /* --group COL: mine each group of rows on its own; NULL = not given */
    const char *group_column;
    /* --group-map FILE[:COLUMN]: FILE (empty = not given) and COLUMN (NULL =
     * the map's second column) */
    char group_map_file[4096];
    const char *group_map_column;
    uint64_t group_min_count; /* --group-min-count: a group's least threshold; default 1 */
} cli_options;

/* @return the command named `name` ("itemsets", "rules", "info",
 *         "recommend", "report", "gen", "rfm"), or
 *         CLI_COMMAND_NONE. */
cli_command cli_command_from_name(const char *name);

/* @return the command's name as typed on the command line. */
const char *cli_command_name(cli_command command);

/* Parses the arguments of `command`: argv[0] is the subcommand's name and
 * argv[1 .. argc) its options and inputs. GNU getopt_long rules apply (options
 * and inputs may mix, `--` ends options); argv may be permuted. On
 * CLI_PARSE_ERROR `error` holds one line saying what is wrong, without the
 * "fimbit: " prefix. `options->inputs` points into argv. Whatever the result,
 * free the options with cli_options_free(). An @FILE item list is read here:
 * an unreadable one is a usage error. */
cli_parse_result cli_parse_options(cli_command command, int argc, char **argv,
                                   cli_options *options, char *error, size_t error_size);

/* Frees what parsing allocated (the item lists); `options` may be parsed into
 * again afterwards. */
void cli_options_free(cli_options *options);

/* Fills `read` from `options`, pointing the column names into `options`,
 * which must outlive `read`. */
void cli_options_read(const cli_options *options, fimbit_read_options *read);

#endif /* FIMBIT_CLI_OPTIONS_H */
