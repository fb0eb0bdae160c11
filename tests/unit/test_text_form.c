/*
 * The text form round-trips: itemsets and rules written with -f text (stored
 * and sorted, streamed while mined, rules) are read back by an independent
 * parser (tests/support/text_form.c) and must give the very names, counts and
 * measures the library holds, for awkward names (separators, braces, quotes,
 * outer blanks, line breaks, "=>", the empty name), random names drawn from
 * those characters, and integer items, which keep the plain form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fimbit.h"
#include "test_data.h"
#include "text_form.h"

/* Every record of a text file, parsed. */
typedef struct parsed_file {
    text_record *records;
    size_t count;
    char *text;
} parsed_file;

static void parse_file(const char *path, bool braced, parsed_file *parsed)
{
    size_t size;
    *parsed = (parsed_file){.text = test_read_file(path, &size)};
    const char *at = parsed->text, *end = parsed->text + size;
    size_t capacity = 0;
    while (at < end) {
        if (parsed->count == capacity) {
            capacity = capacity ? 2 * capacity : 1024;
            parsed->records = realloc(parsed->records, capacity * sizeof *parsed->records);
            assert_non_null(parsed->records);
        }
        char error[200];
        if (!text_form_parse(parsed->text, &at, end, braced, &parsed->records[parsed->count],
                             error, sizeof error))
            fail_msg("%s: %s", path, error);
        parsed->count++;
    }
}

static void parsed_file_free(parsed_file *parsed)
{
    for (size_t i = 0; i < parsed->count; i++)
        text_record_free(&parsed->records[i]);
    free(parsed->records);
    free(parsed->text);
}

/* Parses the file a writer made at `path`, removes it, and checks it held
 * `expected` records (some). */
static void parse_written(char *path, bool braced, size_t expected, parsed_file *parsed)
{
    parse_file(path, braced, parsed);
    unlink(path);
    assert_int_equal(parsed->count, expected);
    assert_true(parsed->count > 0);
}

static void expect_names(const fimbit_dataset *dataset, const text_item_list *list,
                         const uint32_t *items, uint32_t size)
{
    assert_int_equal(list->count, size);
    for (uint32_t i = 0; i < size; i++)
        assert_string_equal(list->names[i], fimbit_dataset_item_name(dataset, items[i]));
}

/* Agrees to the six significant digits the text form writes. */
static void expect_close(double written, double held)
{
    if (isinf(held)) {
        assert_true(isinf(written));
        return;
    }
    assert_true(fabs(written - held) <= 5e-6 * fabs(held) + 1e-300);
}

/* Writes the sorted itemsets and checks every parsed record against them in
 * order. */
static void check_stored_itemsets(const fimbit_dataset *dataset, const fimbit_mine_options *options,
                                  bool braced)
{
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(dataset, options, &itemsets, NULL), FIMBIT_OK);
    fimbit_itemsets_sort(itemsets);
    char path[64];
    test_write_temp_file("", 0, ".txt", path, sizeof path);
    assert_int_equal(fimbit_itemsets_write(itemsets, FIMBIT_FORMAT_TEXT, path, NULL), FIMBIT_OK);
    parsed_file parsed;
    parse_written(path, braced, fimbit_itemsets_count(itemsets), &parsed);
    for (size_t i = 0; i < parsed.count; i++) {
        const uint32_t *items;
        uint32_t size;
        uint64_t count;
        assert_int_equal(fimbit_itemsets_get(itemsets, i, &items, &size, &count), FIMBIT_OK);
        assert_false(parsed.records[i].is_rule);
        expect_names(dataset, &parsed.records[i].items, items, size);
        assert_int_equal(parsed.records[i].count, count);
    }
    parsed_file_free(&parsed);
    fimbit_itemsets_free(itemsets);
}

/* A record as one string: its names sorted, then its count. Names in these
 * tests hold no byte below 0x09, so 0x01 and 0x02 can separate them. */
static char *record_key(char **names, size_t count, uint64_t basket_count)
{
    char **sorted = malloc((count ? count : 1) * sizeof *sorted);
    assert_non_null(sorted);
    memcpy(sorted, names, count * sizeof *sorted);
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
            char *swap = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = swap;
        }
    size_t length = 32;
    for (size_t i = 0; i < count; i++)
        length += strlen(sorted[i]) + 1;
    char *key = malloc(length);
    assert_non_null(key);
    size_t at = 0;
    for (size_t i = 0; i < count; i++)
        at += (size_t)sprintf(key + at, "%s\x01", sorted[i]);
    sprintf(key + at, "\x02%llu", (unsigned long long)basket_count);
    free(sorted);
    return key;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The streamed writer (unordered, items in mining order): the parsed records
 * are the stored result's, as sets. */
static void check_streamed_itemsets(const fimbit_dataset *dataset,
                                    const fimbit_mine_options *options, bool braced)
{
    char path[64];
    test_write_temp_file("", 0, ".txt", path, sizeof path);
    uint64_t written = 0;
    assert_int_equal(fimbit_mine_itemsets_write(dataset, options, FIMBIT_FORMAT_TEXT, path,
                                                &written, NULL),
                     FIMBIT_OK);
    parsed_file parsed;
    parse_file(path, braced, &parsed);
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(dataset, options, &itemsets, NULL), FIMBIT_OK);
    size_t n = fimbit_itemsets_count(itemsets);
    assert_int_equal(parsed.count, n);
    assert_int_equal(written, n);

    char **streamed = malloc((n ? n : 1) * sizeof *streamed);
    char **stored = malloc((n ? n : 1) * sizeof *stored);
    assert_true(streamed != NULL && stored != NULL);
    for (size_t i = 0; i < n; i++) {
        streamed[i] = record_key(parsed.records[i].items.names, parsed.records[i].items.count,
                                 parsed.records[i].count);
        const uint32_t *items;
        uint32_t size;
        uint64_t count;
        fimbit_itemsets_get(itemsets, i, &items, &size, &count);
        char **names = malloc((size ? size : 1) * sizeof *names);
        assert_non_null(names);
        for (uint32_t k = 0; k < size; k++)
            names[k] = (char *)fimbit_dataset_item_name(dataset, items[k]);
        stored[i] = record_key(names, size, count);
        free(names);
    }
    qsort(streamed, n, sizeof *streamed, compare_keys);
    qsort(stored, n, sizeof *stored, compare_keys);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(streamed[i], stored[i]);
        free(streamed[i]);
        free(stored[i]);
    }
    free(streamed);
    free(stored);
    fimbit_itemsets_free(itemsets);
    parsed_file_free(&parsed);
    unlink(path);
}

static void check_rules(const fimbit_dataset *dataset, const fimbit_rule_options *options,
                        bool braced)
{
    fimbit_rules *rules = NULL;
    assert_int_equal(fimbit_mine_rules(dataset, options, &rules, NULL), FIMBIT_OK);
    fimbit_rules_sort(rules);
    char path[64];
    test_write_temp_file("", 0, ".txt", path, sizeof path);
    assert_int_equal(fimbit_rules_write(rules, FIMBIT_FORMAT_TEXT, path, NULL), FIMBIT_OK);
    parsed_file parsed;
    parse_written(path, braced, fimbit_rules_count(rules), &parsed);
    for (size_t i = 0; i < parsed.count; i++) {
        fimbit_rule rule;
        assert_int_equal(fimbit_rules_get(rules, i, &rule), FIMBIT_OK);
        const text_record *record = &parsed.records[i];
        assert_true(record->is_rule);
        expect_names(dataset, &record->items, rule.antecedent, rule.antecedent_size);
        expect_names(dataset, &record->consequent, rule.consequent, rule.consequent_size);
        assert_int_equal(record->count, rule.count);
        expect_close(record->support, rule.support);
        expect_close(record->confidence, rule.confidence);
        expect_close(record->lift, rule.lift);
    }
    parsed_file_free(&parsed);
    fimbit_rules_free(rules);
}

/* Everything above, on the baskets of fimbit_dataset_from_baskets(). */
static void check_round_trips(const char *const *names, const uint64_t *offsets,
                              uint64_t baskets, bool braced)
{
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, baskets, &dataset, NULL),
                     FIMBIT_OK);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 1;
    options.mine.threads = 2;
    options.min_confidence = 0;
    options.max_consequent = 0;
    check_stored_itemsets(dataset, &options.mine, braced);
    check_streamed_itemsets(dataset, &options.mine, braced);
    check_rules(dataset, &options, braced);
    fimbit_dataset_free(dataset);
}

static void awkward_names_round_trip(void **state)
{
    (void)state;
    static const char *const names[] = {
        "whole milk", "a, b", "{braces}", "say \"hi\"", " leading", "trailing ", "\ttab",
        "=>", "(9)", "line\nbreak", "carriage\rreturn", "", "\"", "}", "plain",
        "whole milk", "a, b", "=>", "",
        "{braces}", "say \"hi\"", " leading", "plain", "\"",
        "whole milk", "trailing ", "\ttab", "(9)", "line\nbreak", "carriage\rreturn", "}",
        "a, b", "=>", "plain", "whole milk"};
    static const uint64_t offsets[] = {0, 7, 15, 19, 24, 31, 35};
    check_round_trips(names, offsets, 6, true);
}

/* Names of 0 to 5 characters drawn from those the form treats specially. */
static void random_names_round_trip(void **state)
{
    (void)state;
    static const char alphabet[] = "ab ,{}\"\n\r=>()\t";
    enum { NAME_COUNT = 24, BASKETS = 40, MAX_BASKET = 7 };
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (int round = 0; round < 4; round++) {
        char pool[NAME_COUNT][8];
        for (int i = 0; i < NAME_COUNT; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            int length = (int)(seed >> 61) % 6;
            for (int k = 0; k < length; k++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                pool[i][k] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
            }
            pool[i][length] = '\0';
        }
        const char *names[BASKETS * MAX_BASKET];
        uint64_t offsets[BASKETS + 1] = {0};
        size_t at = 0;
        for (int b = 0; b < BASKETS; b++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            int size = 1 + (int)((seed >> 40) % MAX_BASKET);
            for (int k = 0; k < size; k++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                names[at++] = pool[(seed >> 35) % 8 + (uint64_t)(k % 3) * 8];
            }
            offsets[b + 1] = at;
        }
        check_round_trips(names, offsets, BASKETS, true);
    }
}

/* Integer items keep the plain form ("1 5 (count)", no braces), which the
 * plain parser reads back. */
static void integer_items_keep_the_plain_form(void **state)
{
    (void)state;
    static const char *const names[] = {"1", "5", "12", "5", "12", "1", "12", "7", "1", "5", "7"};
    static const uint64_t offsets[] = {0, 3, 5, 8, 11};
    check_round_trips(names, offsets, 4, false);

    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 4, &dataset, NULL), FIMBIT_OK);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 2;
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(dataset, &options, &itemsets, NULL), FIMBIT_OK);
    fimbit_itemsets_sort(itemsets);
    char path[64];
    test_write_temp_file("", 0, ".txt", path, sizeof path);
    assert_int_equal(fimbit_itemsets_write(itemsets, FIMBIT_FORMAT_TEXT, path, NULL), FIMBIT_OK);
    size_t size;
    char *text = test_read_file(path, &size);
    assert_string_equal(text, "1 (3)\n5 (3)\n7 (2)\n12 (3)\n1 5 (2)\n1 7 (2)\n1 12 (2)\n5 12 (2)\n");
    free(text);
    unlink(path);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(dataset);
}

static void expect_rejected(const char *line, bool braced)
{
    const char *at = line;
    text_record record;
    char error[200];
    if (text_form_parse(line, &at, line + strlen(line), braced, &record, error, sizeof error)) {
        text_record_free(&record);
        fail_msg("accepted: %s", line);
    }
}

/* The parser is strict, so that a writer slip cannot round-trip by luck. */
static void parser_rejects_what_the_writer_never_writes(void **state)
{
    (void)state;
    expect_rejected("{a, b (3)\n", true);
    expect_rejected("{a,b} (3)\n", true);
    expect_rejected("{ a} (3)\n", true);
    expect_rejected("{a\"b} (3)\n", true);
    expect_rejected("{\"a} (3)\n", true);
    expect_rejected("{} (3)\n", true);
    expect_rejected("{a} (3\n", true);
    expect_rejected("{a} => {b} (3)\n", true);
    expect_rejected("{a} (3)", true);
    expect_rejected("a b (3)\n", true);
    expect_rejected("1  5 (3)\n", false);
    expect_rejected("{1} (3)\n", false);

    const char *line = "{\"a, \"\"b\"\"\", c} => {\" d\"} (2, 0.4, 1, inf)\n";
    const char *at = line;
    text_record record;
    char error[200];
    assert_true(text_form_parse(line, &at, line + strlen(line), true, &record, error,
                                sizeof error));
    assert_int_equal(record.items.count, 2);
    assert_string_equal(record.items.names[0], "a, \"b\"");
    assert_string_equal(record.items.names[1], "c");
    assert_string_equal(record.consequent.names[0], " d");
    assert_int_equal(record.count, 2);
    assert_true(isinf(record.lift));
    text_record_free(&record);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(awkward_names_round_trip),
        cmocka_unit_test(random_names_round_trip),
        cmocka_unit_test(integer_items_keep_the_plain_form),
        cmocka_unit_test(parser_rejects_what_the_writer_never_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
