/*
 * The CLI's option parser: value forms, defaults, per-command options and the
 * usage errors it reports. The parser is a pure function, so each test hands
 * it an argument vector and looks at the struct or the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "option_values.h"
#include "options.h"
#include "test_compress.h"
#include "test_data.h"

#define ARGC(array) ((int)(sizeof(array) / sizeof((array)[0])))

typedef struct parse_run {
    cli_parse_result result;
    cli_options options;
    char error[512];
} parse_run;

/* Parses a NULL-terminated list of arguments for `command`. argv is copied:
 * getopt_long permutes it. */
static char argument_storage[32][128];
static char *argument_vector[33];

static parse_run *parse(cli_command command, ...)
{
    static parse_run run;
    va_list args;
    va_start(args, command);
    int argc = 0;
    snprintf(argument_storage[argc], sizeof argument_storage[0], "%s",
             cli_command_name(command));
    argument_vector[argc] = argument_storage[argc];
    argc++;
    for (const char *arg = va_arg(args, const char *); arg != NULL;
         arg = va_arg(args, const char *)) {
        assert_true(argc < 32);
        snprintf(argument_storage[argc], sizeof argument_storage[0], "%s", arg);
        argument_vector[argc] = argument_storage[argc];
        argc++;
    }
    va_end(args);
    argument_vector[argc] = NULL;
    cli_options_free(&run.options);
    memset(&run, 0, sizeof run);
    run.result = cli_parse_options(command, argc, argument_vector, &run.options, run.error,
                                   sizeof run.error);
    return &run;
}

static void expect_error(parse_run *run, const char *fragment)
{
    assert_int_equal(run->result, CLI_PARSE_ERROR);
    if (strstr(run->error, fragment) == NULL)
        fail_msg("error '%s' does not mention '%s'", run->error, fragment);
}

/* ------------------------------------------------------------ support */

static void support_integer_is_a_count(void **state)
{
    (void)state;
    uint64_t count = 99;
    double fraction = 99;
    assert_true(cli_parse_support("5", &count, &fraction));
    assert_int_equal(count, 5);
    assert_true(fraction == 0);
    assert_true(cli_parse_support("1", &count, &fraction));
    assert_int_equal(count, 1);
    assert_true(cli_parse_support("18446744073709551615", &count, &fraction));
    assert_true(count == UINT64_MAX);
}

static void support_decimal_is_a_fraction(void **state)
{
    (void)state;
    uint64_t count = 99;
    double fraction = 0;
    assert_true(cli_parse_support("1.0", &count, &fraction));
    assert_int_equal(count, 0);
    assert_true(fraction == 1.0);
    assert_true(cli_parse_support("0.25", &count, &fraction));
    assert_true(fraction == 0.25);
    assert_true(cli_parse_support(".5", &count, &fraction));
    assert_true(fraction == 0.5);
    assert_true(cli_parse_support("1e-3", &count, &fraction));
    assert_true(fabs(fraction - 0.001) < 1e-15);
}

static void support_percent(void **state)
{
    (void)state;
    uint64_t count = 99;
    double fraction = 0;
    assert_true(cli_parse_support("1%", &count, &fraction));
    assert_int_equal(count, 0);
    assert_true(fabs(fraction - 0.01) < 1e-15);
    assert_true(cli_parse_support("0.5%", &count, &fraction));
    assert_true(fabs(fraction - 0.005) < 1e-15);
    assert_true(cli_parse_support("100%", &count, &fraction));
    assert_true(fraction == 1.0);
}

static void support_rejects_bad_values(void **state)
{
    (void)state;
    static const char *const bad[] = {"0", "-1", "1.5", "2.0", "abc", "0%", "101%", "",
                                      "0.0", "%", "1e", "nan", "inf", " 1", "1 ", "+1",
                                      "0x10", "1..2", "1,5", "18446744073709551616"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t count = 7;
        double fraction = 0.5;
        if (cli_parse_support(bad[i], &count, &fraction))
            fail_msg("support '%s' was accepted", bad[i]);
        assert_int_equal(count, 7);
        assert_true(fraction == 0.5);
    }
}

/* ----------------------------------------------------- other value forms */

static void confidence_fraction_or_percent(void **state)
{
    (void)state;
    double value = -1;
    assert_true(cli_parse_confidence("0.8", &value));
    assert_true(value == 0.8);
    assert_true(cli_parse_confidence("1", &value));
    assert_true(value == 1.0);
    assert_true(cli_parse_confidence("0", &value));
    assert_true(value == 0.0);
    assert_true(cli_parse_confidence("75%", &value));
    assert_true(value == 0.75);
    static const char *const bad[] = {"1.1", "-0.1", "101%", "x", "", "%", "inf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (cli_parse_confidence(bad[i], &value))
            fail_msg("confidence '%s' was accepted", bad[i]);
}

static void numbers_and_separators(void **state)
{
    (void)state;
    double lift = -1;
    assert_true(cli_parse_nonnegative_number("0", &lift));
    assert_true(cli_parse_nonnegative_number("2.5", &lift));
    assert_true(lift == 2.5);
    assert_false(cli_parse_nonnegative_number("-1", &lift));
    assert_false(cli_parse_nonnegative_number("x", &lift));

    uint64_t number = 0;
    assert_true(cli_parse_unsigned("42", 100, &number));
    assert_int_equal(number, 42);
    assert_true(cli_parse_unsigned("100", 100, &number));
    assert_false(cli_parse_unsigned("101", 100, &number));
    assert_false(cli_parse_unsigned("-1", 100, &number));
    assert_false(cli_parse_unsigned("", 100, &number));
    assert_false(cli_parse_unsigned("1x", 100, &number));

    char separator = 0;
    assert_true(cli_parse_separator(";", &separator));
    assert_int_equal(separator, ';');
    assert_true(cli_parse_separator("\\t", &separator));
    assert_int_equal(separator, '\t');
    assert_true(cli_parse_separator("tab", &separator));
    assert_int_equal(separator, '\t');
    assert_false(cli_parse_separator("", &separator));
    assert_false(cli_parse_separator("ab", &separator));
    assert_false(cli_parse_separator("\"", &separator));
}

/* ------------------------------------------------------- whole commands */

static void defaults_match_the_library(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_RULES, NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    fimbit_rule_options defaults;
    fimbit_rule_options_init(&defaults);
    const cli_options *o = &run->options;
    assert_int_equal(o->command, CLI_COMMAND_RULES);
    assert_true(o->rule.min_confidence == defaults.min_confidence);
    assert_true(o->rule.mine.min_support == defaults.mine.min_support);
    assert_int_equal(o->rule.mine.min_count, defaults.mine.min_count);
    assert_int_equal(o->rule.max_consequent, defaults.max_consequent);
    assert_int_equal(o->rule.mine.min_size, defaults.mine.min_size);
    assert_int_equal(o->format, FIMBIT_FORMAT_TEXT);
    assert_null(o->output);
    assert_false(o->sort);
    assert_int_equal(o->top, 0);
    assert_false(o->quiet);
    assert_false(o->verbose);
    assert_int_equal(o->input_count, 0);
}

static void short_and_long_forms(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_RULES, "-s", "3", "-c", "60%", "--min-lift", "1.5",
                           "-m", "2", "-n", "4", "--max-consequent", "0", "-a", "eclat",
                           "-T", "2", "-f", "csv", "-o", "out.csv", "--top", "10", "-v",
                           "a.dat", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    const cli_options *o = &run->options;
    assert_int_equal(o->rule.mine.min_count, 3);
    assert_true(o->rule.min_confidence == 0.6);
    assert_true(o->rule.min_lift == 1.5);
    assert_int_equal(o->rule.mine.min_size, 2);
    assert_int_equal(o->rule.mine.max_size, 4);
    assert_int_equal(o->rule.max_consequent, 0);
    assert_int_equal(o->rule.mine.algorithm, FIMBIT_ALGORITHM_ECLAT);
    assert_int_equal(o->rule.mine.threads, 2);
    assert_int_equal(o->read.threads, 2);
    assert_int_equal(o->format, FIMBIT_FORMAT_CSV);
    assert_string_equal(o->output, "out.csv");
    assert_int_equal(o->top, 10);
    assert_true(o->verbose);
    assert_int_equal(o->input_count, 1);
    assert_string_equal(o->inputs[0], "a.dat");

    run = parse(CLI_COMMAND_ITEMSETS, "--min-support=1.0", "--target=maximal",
                "--algorithm", "fpgrowth", "--threads=0", "--format=jsonl", "--output=-",
                "--sort", "--quiet", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    o = &run->options;
    assert_int_equal(o->rule.mine.min_count, 0);
    assert_true(o->rule.mine.min_support == 1.0);
    assert_int_equal(o->rule.mine.target, FIMBIT_TARGET_MAXIMAL);
    assert_int_equal(o->rule.mine.algorithm, FIMBIT_ALGORITHM_FPGROWTH);
    assert_int_equal(o->rule.mine.threads, 0);
    assert_int_equal(o->format, FIMBIT_FORMAT_JSONL);
    assert_null(o->output); /* "-" is standard output */
    assert_true(o->sort);
    assert_true(o->quiet);
}

static void inputs_mix_with_options_and_double_dash_ends_them(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_ITEMSETS, "a.dat", "-s", "2", "-", "b.dat", "--",
                           "-s", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    const cli_options *o = &run->options;
    assert_int_equal(o->rule.mine.min_count, 2);
    assert_int_equal(o->input_count, 4);
    assert_string_equal(o->inputs[0], "a.dat");
    assert_string_equal(o->inputs[1], "-");
    assert_string_equal(o->inputs[2], "b.dat");
    assert_string_equal(o->inputs[3], "-s");
}

static void input_options(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_INFO, "--columns", "order,product", "--separator",
                           "tab", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    fimbit_read_options read;
    cli_options_read(&run->options, &read);
    assert_int_equal(read.format, FIMBIT_INPUT_CSV); /* --columns implies csv */
    assert_string_equal(read.basket_column, "order");
    assert_string_equal(read.item_column, "product");
    assert_int_equal(read.separator, '\t');

    run = parse(CLI_COMMAND_INFO, "--no-header", "--columns=1,2", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.read.header, 0);
    assert_int_equal(run->options.read.format, FIMBIT_INPUT_CSV);

    run = parse(CLI_COMMAND_INFO, "--input-format", "basket", "--separator", ";", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.read.format, FIMBIT_INPUT_BASKET);
    assert_int_equal(run->options.read.separator, ';');

    run = parse(CLI_COMMAND_INFO, "--input-format=fimi", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.read.format, FIMBIT_INPUT_FIMI);
    assert_int_equal(run->options.read.header, -1);

    expect_error(parse(CLI_COMMAND_INFO, "--input-format", "fimi", "--columns", "1,2", NULL),
                 "--columns");
    expect_error(parse(CLI_COMMAND_INFO, "--input-format", "fimi", "--separator", ",", NULL),
                 "--separator");
    expect_error(parse(CLI_COMMAND_INFO, "--input-format", "basket", "--header", NULL),
                 "--header");
    expect_error(parse(CLI_COMMAND_INFO, "--columns", "order", NULL), "BASKET,ITEM");
    expect_error(parse(CLI_COMMAND_INFO, "--columns", "a,b,c", NULL), "BASKET,ITEM");
    expect_error(parse(CLI_COMMAND_INFO, "--input-format", "xml", NULL), "xml");
}

static void usage_errors_name_the_problem(void **state)
{
    (void)state;
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-s", "0", NULL), "'0'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-s", "1.5", NULL), "min-support");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "--min-support=abc", NULL), "'abc'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-s", NULL), "requires a value");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-m", "0", NULL), "min-size");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-m", "3", "-n", "2", NULL), "below");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-t", "open", NULL), "'open'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-a", "apriori", NULL), "'apriori'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-f", "xml", NULL), "'xml'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-T", "-1", NULL), "threads");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "--bogus", NULL), "'--bogus'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-x", NULL), "'x'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "--sort=yes", NULL), "does not take a value");
    expect_error(parse(CLI_COMMAND_RULES, "-c", "1.5", NULL), "min-confidence");
    expect_error(parse(CLI_COMMAND_RULES, "--min-lift", "-2", NULL), "min-lift");
    expect_error(parse(CLI_COMMAND_RULES, "--top", "0", NULL), "--top");
    expect_error(parse(CLI_COMMAND_RULES, "--top", "5", "--sort", NULL), "--sort");
    expect_error(parse(CLI_COMMAND_RULES, "-o", "", NULL), "--output");
}

static void options_belong_to_their_commands(void **state)
{
    (void)state;
    expect_error(parse(CLI_COMMAND_RULES, "-t", "closed", NULL), "'t'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-c", "0.5", NULL), "'c'");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "--top", "3", NULL), "--top");
    expect_error(parse(CLI_COMMAND_INFO, "-s", "2", NULL), "'s'");
    expect_error(parse(CLI_COMMAND_INFO, "--sort", NULL), "--sort");
}

static void help_and_version(void **state)
{
    (void)state;
    assert_int_equal(parse(CLI_COMMAND_RULES, "--help", NULL)->result, CLI_PARSE_HELP);
    assert_int_equal(parse(CLI_COMMAND_INFO, "-h", NULL)->result, CLI_PARSE_HELP);
    assert_int_equal(parse(CLI_COMMAND_ITEMSETS, "-m", "3", "-n", "2", "--help", NULL)->result,
                     CLI_PARSE_HELP);
    assert_int_equal(parse(CLI_COMMAND_ITEMSETS, "-s", "0", "--help", NULL)->result,
                     CLI_PARSE_HELP);
    assert_int_equal(parse(CLI_COMMAND_RULES, "--bogus", "-t", "x", "-h", NULL)->result,
                     CLI_PARSE_HELP);
    assert_int_equal(parse(CLI_COMMAND_ITEMSETS, "-V", NULL)->result, CLI_PARSE_VERSION);
    assert_int_equal(parse(CLI_COMMAND_INFO, "-f", "xml", "-V", NULL)->result,
                     CLI_PARSE_VERSION);
    /* Without them, the first mistake is the one reported. */
    expect_error(parse(CLI_COMMAND_ITEMSETS, "-s", "0", "-m", "0", NULL), "min-support");
    assert_int_equal(parse(CLI_COMMAND_RULES, "--version", NULL)->result, CLI_PARSE_VERSION);
}

static void quiet_and_verbose_last_wins(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_INFO, "-q", "-v", NULL);
    assert_true(run->options.verbose);
    assert_false(run->options.quiet);
    run = parse(CLI_COMMAND_INFO, "--verbose", "--quiet", NULL);
    assert_false(run->options.verbose);
    assert_true(run->options.quiet);
}

static void progress_for_the_commands_that_read(void **state)
{
    (void)state;
    assert_false(parse(CLI_COMMAND_ITEMSETS, NULL)->options.progress);
    for (cli_command c = CLI_COMMAND_ITEMSETS; c <= CLI_COMMAND_REPORT; c++) {
        if (c == CLI_COMMAND_RECOMMEND)
            continue;
        parse_run *run = parse(c, "--progress", "-q", NULL);
        assert_int_equal(run->result, CLI_PARSE_OK);
        assert_true(run->options.progress);
        assert_true(run->options.quiet);
    }
    expect_error(parse(CLI_COMMAND_GEN, "--progress", NULL), "--progress");
    expect_error(parse(CLI_COMMAND_RECOMMEND, "--progress", NULL), "--progress");
}

static void rule_analysis_options(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_RULES, NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_null(run->options.rule.antecedent_items);
    assert_null(run->options.rule.consequent_items);
    assert_null(run->options.rule.exclude_items);
    assert_int_equal(run->options.rule.measures, 0);
    assert_true(run->options.rule.min_improvement == -INFINITY);
    assert_true(run->options.rule.max_p == 1.0);
    assert_false(run->options.rule_by_given);

    run = parse(CLI_COMMAND_RULES, "--antecedent-items", "a, b ,,c", "--consequent-items",
                " whole milk ", "--exclude-items", "x", "--measures", "jaccard,p_value",
                "--min-improvement", "-0.25", "--non-redundant", "--max-p", "0.05",
                "--p-adjust", "holm", "--by", "lift", "--top", "5", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    const fimbit_rule_options *rule = &run->options.rule;
    assert_int_equal(rule->antecedent_item_count, 3);
    assert_string_equal(rule->antecedent_items[0], "a");
    assert_string_equal(rule->antecedent_items[1], "b");
    assert_string_equal(rule->antecedent_items[2], "c");
    assert_int_equal(rule->consequent_item_count, 1);
    assert_string_equal(rule->consequent_items[0], "whole milk");
    assert_int_equal(rule->exclude_item_count, 1);
    assert_int_equal(rule->measures, FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_JACCARD) |
                                         FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE));
    assert_true(rule->min_improvement == -0.25);
    assert_int_equal(rule->non_redundant, 1);
    assert_true(rule->max_p == 0.05);
    assert_int_equal(rule->p_adjust, FIMBIT_P_ADJUST_HOLM);
    assert_int_equal(run->options.rule_by, FIMBIT_MEASURE_LIFT);

    /* Ranking by an extra measure computes and writes it. */
    run = parse(CLI_COMMAND_REPORT, "--by", "improvement", "--measures", "all", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.rule.measures, FIMBIT_MEASURES_ALL);
    run = parse(CLI_COMMAND_RULES, "--by", "p_value", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.rule.measures, FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE));

    /* @FILE: one name a line, CR LF and blank lines tolerated. */
    char path[] = "/tmp/fimbit_items_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char lines[] = "whole milk\r\n\n  yogurt\nrolls/buns";
    assert_int_equal(write(fd, lines, sizeof lines - 1), (ssize_t)(sizeof lines - 1));
    close(fd);
    char argument[300];
    snprintf(argument, sizeof argument, "@%s", path);
    run = parse(CLI_COMMAND_RULES, "--consequent-items", argument, NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.rule.consequent_item_count, 3);
    assert_string_equal(run->options.rule.consequent_items[0], "whole milk");
    assert_string_equal(run->options.rule.consequent_items[1], "yogurt");
    assert_string_equal(run->options.rule.consequent_items[2], "rolls/buns");
    /* A file of blank lines holds no names: the error names option and file. */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "\n \n", 3), 3);
    close(fd);
    char expected[320];
    snprintf(expected, sizeof expected, "--consequent-items: %s: no item names", path);
    expect_error(parse(CLI_COMMAND_RULES, "--consequent-items", argument, NULL), expected);
    unlink(path);
    snprintf(expected, sizeof expected, "--consequent-items: %s: cannot open", path);
    expect_error(parse(CLI_COMMAND_RULES, "--consequent-items", argument, NULL), expected);
    /* Compressed as basket inputs may be; corrupt data names option and file. */
    char packed[256];
    for (int codec = 0; codec < 2; codec++) {
        size_t length;
        unsigned char *bytes = codec ? test_zstd_bytes(lines, sizeof lines - 1, &length)
                                     : test_gzip_bytes(lines, sizeof lines - 1, &length);
        test_write_temp_file((const char *)bytes, length, codec ? ".zst" : ".gz", packed,
                             sizeof packed);
        snprintf(argument, sizeof argument, "@%s", packed);
        run = parse(CLI_COMMAND_RULES, "--exclude-items", argument, NULL);
        assert_int_equal(run->result, CLI_PARSE_OK);
        assert_int_equal(run->options.rule.exclude_item_count, 3);
        assert_string_equal(run->options.rule.exclude_items[2], "rolls/buns");
        unlink(packed);
        test_write_temp_file((const char *)bytes, length - 6, codec ? ".zst" : ".gz", packed,
                             sizeof packed);
        snprintf(argument, sizeof argument, "@%s", packed);
        snprintf(expected, sizeof expected, "--exclude-items: %s: truncated %s data", packed,
                 codec ? "zstd" : "gzip");
        expect_error(parse(CLI_COMMAND_RULES, "--exclude-items", argument, NULL), expected);
        unlink(packed);
        free(bytes);
    }

    /* Standard input is read once: two "@-" lists are named as the clash,
     * not as a second list that found no names. */
    int ends[2], saved = dup(STDIN_FILENO);
    assert_int_equal(pipe(ends), 0);
    assert_int_equal(write(ends[1], "whole milk\n", 11), 11);
    close(ends[1]);
    dup2(ends[0], STDIN_FILENO);
    close(ends[0]);
    run = parse(CLI_COMMAND_RULES, "--antecedent-items", "@-", "--consequent-items", "@-",
                "data.txt", NULL);
    dup2(saved, STDIN_FILENO);
    close(saved);
    expect_error(run, "--antecedent-items @- and --consequent-items @- both read standard input");

    expect_error(parse(CLI_COMMAND_RULES, "--max-p", "2", NULL), "--max-p");
    expect_error(parse(CLI_COMMAND_RULES, "--max-p", "-0.1", NULL), "--max-p");
    expect_error(parse(CLI_COMMAND_RULES, "--by", "nosuch", NULL), "--by 'nosuch'");
    expect_error(parse(CLI_COMMAND_RULES, "--measures", "lift", NULL), "--measures");
    expect_error(parse(CLI_COMMAND_RULES, "--measures", "jaccard,", NULL), "--measures");
    expect_error(parse(CLI_COMMAND_RULES, "--measures", "", NULL), "--measures");
    expect_error(parse(CLI_COMMAND_RULES, "--min-improvement", "1.5", NULL), "[-1,1]");
    expect_error(parse(CLI_COMMAND_RULES, "--p-adjust", "fdr", NULL), "holm");
    expect_error(parse(CLI_COMMAND_RULES, "--antecedent-items", " , ", NULL), "no item names");
    expect_error(parse(CLI_COMMAND_RULES, "--sort", "--by", "lift", NULL), "--by");
    /* They belong to the rule commands only. */
    expect_error(parse(CLI_COMMAND_ITEMSETS, "--measures", "all", NULL), "measures");
}

static void recommend_options(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_RECOMMEND, "--rules", "r.jsonl", "--basket", "a,b", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_string_equal(run->options.rules_path, "r.jsonl");
    assert_string_equal(run->options.basket, "a,b");
    assert_null(run->options.baskets_path);
    assert_int_equal(run->options.recommend_count, 10);
    assert_int_equal(run->options.recommend_by, FIMBIT_RECOMMEND_BY_CONFIDENCE);
    run = parse(CLI_COMMAND_RECOMMEND, "--rules=r", "--baskets", "-", "-k", "3", "--by", "lift",
                "--separator", ";", "-o", "out", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_string_equal(run->options.baskets_path, "-");
    assert_int_equal(run->options.recommend_count, 3);
    assert_int_equal(run->options.recommend_by, FIMBIT_RECOMMEND_BY_LIFT);
    assert_int_equal(run->options.read.separator, ';');
    assert_string_equal(run->options.output, "out");

    expect_error(parse(CLI_COMMAND_RECOMMEND, "--basket", "a", NULL), "--rules");
    expect_error(parse(CLI_COMMAND_RECOMMEND, "--rules", "r", NULL), "--basket");
    expect_error(parse(CLI_COMMAND_RECOMMEND, "--rules", "r", "--basket", "a", "--baskets", "b",
                       NULL),
                 "either");
    expect_error(parse(CLI_COMMAND_RECOMMEND, "--rules", "r", "--basket", "a", "-k", "0", NULL),
                 "-k/--count");
    expect_error(parse(CLI_COMMAND_RECOMMEND, "--rules", "r", "--basket", "a", "x.csv", NULL),
                 "'x.csv'");
    /* Standard input can be read once. */
    expect_error(parse(CLI_COMMAND_RECOMMEND, "--rules", "-", "--baskets", "-", NULL),
                 "--baskets - and --rules - both read standard input");
    /* Mining and reading options belong to the other commands. */
    expect_error(parse(CLI_COMMAND_RECOMMEND, "--rules", "r", "--basket", "a", "-s", "2", NULL),
                 "'s'");
    expect_error(parse(CLI_COMMAND_RULES, "--rules", "r", NULL), "--rules");
}

static void commands_by_name(void **state)
{
    (void)state;
    assert_int_equal(cli_command_from_name("itemsets"), CLI_COMMAND_ITEMSETS);
    assert_int_equal(cli_command_from_name("rules"), CLI_COMMAND_RULES);
    assert_int_equal(cli_command_from_name("info"), CLI_COMMAND_INFO);
    assert_int_equal(cli_command_from_name("recommend"), CLI_COMMAND_RECOMMEND);
    assert_int_equal(cli_command_from_name("item"), CLI_COMMAND_NONE);
    assert_int_equal(cli_command_from_name(NULL), CLI_COMMAND_NONE);
    assert_string_equal(cli_command_name(CLI_COMMAND_RULES), "rules");
}

static void counts_take_suffixes(void **state)
{
    (void)state;
    uint64_t value = 0;
    assert_true(cli_parse_count("100000", &value));
    assert_int_equal(value, 100000);
    assert_true(cli_parse_count("100k", &value));
    assert_int_equal(value, 100000);
    assert_true(cli_parse_count("10M", &value));
    assert_int_equal(value, 10000000);
    assert_true(cli_parse_count("2G", &value));
    assert_int_equal(value, 2000000000);
    assert_false(cli_parse_count("M", &value));
    assert_false(cli_parse_count("10X", &value));
    assert_false(cli_parse_count("-1k", &value));
    assert_false(cli_parse_count("99999999999999999999G", &value));
}

static void gen_options(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_GEN, "--baskets", "10M", "--avg-size", "12.5",
                           "--pattern-size", "6", "--patterns", "3k", "--items", "20000",
                           "--correlation", "0.25", "--corruption", "0.1", "--seed", "7",
                           "-T", "3", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    const fimbit_generate_options *g = &run->options.generate;
    assert_int_equal(g->baskets, 10000000);
    assert_true(g->avg_size == 12.5 && g->pattern_size == 6.0);
    assert_int_equal(g->patterns, 3000);
    assert_int_equal(g->items, 20000);
    assert_true(g->correlation == 0.25 && g->corruption == 0.1);
    assert_int_equal(g->seed, 7);
    assert_int_equal(g->threads, 3);
    assert_int_equal(g->format, FIMBIT_GENERATE_FIMI);

    run = parse(CLI_COMMAND_GEN, "--names", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.generate.format, FIMBIT_GENERATE_BASKET);
    run = parse(CLI_COMMAND_GEN, "--names", "-f", "csv-long", NULL);
    assert_int_equal(run->options.generate.format, FIMBIT_GENERATE_CSV_LONG);
    expect_error(parse(CLI_COMMAND_GEN, "--names", "-f", "fimi", NULL), "--names");
    expect_error(parse(CLI_COMMAND_GEN, "-f", "jsonl", NULL), "csv-long");
    expect_error(parse(CLI_COMMAND_GEN, "--corruption", "1.5", NULL), "--corruption");
    expect_error(parse(CLI_COMMAND_GEN, "--pattern-size", "0", NULL), "--pattern-size");
    expect_error(parse(CLI_COMMAND_GEN, "--input-format", "fimi", NULL), "input-format");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "--seed", "1", NULL), "seed");
    run = parse(CLI_COMMAND_GEN, "--names", "-f", "orders", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.generate.format, FIMBIT_GENERATE_ORDERS);
}

static void rfm_options(void **state)
{
    (void)state;
    parse_run *run = parse(CLI_COMMAND_RFM, "--customer", "CustomerID", "--order", "1",
                           "--date", "InvoiceDate", "--amount", "Quantity*UnitPrice",
                           "--date-format", "%m/%d/%Y %H:%M", "--as-of", "2011-12-10",
                           "--bins", "4", "--separator", ";", "-f", "jsonl", "in.csv", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    const fimbit_rfm_options *o = &run->options.rfm;
    assert_string_equal(o->customer_column, "CustomerID");
    assert_string_equal(o->order_column, "1");
    assert_string_equal(o->date_column, "InvoiceDate");
    assert_string_equal(o->amount, "Quantity*UnitPrice");
    assert_string_equal(o->date_format, "%m/%d/%Y %H:%M");
    assert_string_equal(o->as_of, "2011-12-10");
    assert_int_equal(o->bins, 4);
    assert_int_equal(o->separator, ';');
    assert_int_equal(run->options.format, FIMBIT_FORMAT_JSONL);
    assert_int_equal(run->options.input_count, 1);

    expect_error(parse(CLI_COMMAND_RFM, "--order", "o", "--date", "d", "--amount", "a", NULL),
                 "--customer");
    expect_error(parse(CLI_COMMAND_RFM, "--customer", "c", "--order", "o", "--date", "d", NULL),
                 "--amount");
    expect_error(parse(CLI_COMMAND_RFM, "--customer", "c", "--order", "o", "--date", "d",
                       "--amount", "a", "--bins", "1", NULL),
                 "--bins");
    expect_error(parse(CLI_COMMAND_RFM, "--customer", "c", "--order", "o", "--date", "d",
                       "--amount", "a", "--date-format", "%H:%M", NULL),
                 "date format");
    expect_error(parse(CLI_COMMAND_RFM, "--customer", "c", "--order", "o", "--date", "d",
                       "--amount", "a", "--as-of", "yesterday", NULL),
                 "as-of");
    run = parse(CLI_COMMAND_RFM, "--customer", "c", "--order", "o", "--date", "d", "--amount", "a",
                "--threads", "3", NULL);
    assert_int_equal(run->result, CLI_PARSE_OK);
    assert_int_equal(run->options.rfm.threads, 3);
    assert_int_equal(run->options.read.threads, 3); /* the threads' memory is taken for them */
    expect_error(parse(CLI_COMMAND_RFM, "--customer", "c", "--order", "o", "--date", "d",
                       "--amount", "a", "-T", "-1", NULL),
                 "0 = every core");
    expect_error(parse(CLI_COMMAND_ITEMSETS, "--customer", "c", NULL), "customer");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(support_integer_is_a_count),
        cmocka_unit_test(support_decimal_is_a_fraction),
        cmocka_unit_test(support_percent),
        cmocka_unit_test(support_rejects_bad_values),
        cmocka_unit_test(confidence_fraction_or_percent),
        cmocka_unit_test(numbers_and_separators),
        cmocka_unit_test(defaults_match_the_library),
        cmocka_unit_test(short_and_long_forms),
        cmocka_unit_test(inputs_mix_with_options_and_double_dash_ends_them),
        cmocka_unit_test(input_options),
        cmocka_unit_test(usage_errors_name_the_problem),
        cmocka_unit_test(options_belong_to_their_commands),
        cmocka_unit_test(help_and_version),
        cmocka_unit_test(quiet_and_verbose_last_wins),
        cmocka_unit_test(progress_for_the_commands_that_read),
        cmocka_unit_test(rule_analysis_options),
        cmocka_unit_test(recommend_options),
        cmocka_unit_test(commands_by_name),
        cmocka_unit_test(counts_take_suffixes),
        cmocka_unit_test(gen_options),
        cmocka_unit_test(rfm_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
