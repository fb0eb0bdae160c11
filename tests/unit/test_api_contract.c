/* The argument contract of include/fimbit.h as a new caller meets it: option
 * initialisers accept NULL, option values out of range are FIMBIT_EINVAL
 * whichever call sees them first, and a failed call leaves *out NULL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/internal.h"
#include "fimbit.h"
#include "test_data.h"

/* A stale pointer that a failed call must overwrite with NULL. */
#define STALE ((void *)&stale_target)
static int stale_target;

/* Two baskets {a, b} and {a, b, c}. */
static fimbit_dataset *small_dataset(void)
{
    const char *names[] = {"a", "b", "a", "b", "c"};
    const uint64_t offsets[] = {0, 2, 5};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 2, &dataset, NULL), FIMBIT_OK);
    return dataset;
}

static void test_option_inits_accept_null(void **state)
{
    (void)state;
    fimbit_read_options_init(NULL);
    fimbit_mine_options_init(NULL);
    fimbit_rule_options_init(NULL);
    fimbit_rfm_options_init(NULL);
    fimbit_generate_options_init(NULL);
}

static void test_rule_size_bounds_refused(void **state)
{
    (void)state;
    fimbit_dataset *dataset = small_dataset();
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 1;
    options.mine.min_size = 3;
    options.mine.max_size = 2;
    fimbit_rules *rules = STALE;
    fimbit_error error;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, &error), FIMBIT_EINVAL);
    assert_int_equal(error.code, FIMBIT_EINVAL);
    assert_non_null(strstr(error.message, "minimum size 3 exceeds maximum size 2"));
    assert_null(rules);

    /* As fimbit_mine_itemsets() says of the same bounds. */
    fimbit_itemsets *itemsets = STALE;
    assert_int_equal(fimbit_mine_itemsets(dataset, &options.mine, &itemsets, &error),
                     FIMBIT_EINVAL);
    assert_non_null(strstr(error.message, "minimum size 3 exceeds maximum size 2"));
    assert_null(itemsets);
    fimbit_dataset_free(dataset);
}

static void test_unknown_recommend_order_refused(void **state)
{
    (void)state;
    fimbit_recommender *recommender = NULL;
    assert_int_equal(fimbit_recommender_create(&recommender, NULL), FIMBIT_OK);
    const char *x[] = {"x"}, *y[] = {"y"};
    assert_int_equal(fimbit_recommender_add_rule(recommender, x, 1, y, 1, 0.5, 2.0, NULL),
                     FIMBIT_OK);
    const uint32_t basket[] = {0};
    fimbit_recommendation out[2];
    size_t found = 7;
    fimbit_error error;
    assert_int_equal(
        fimbit_recommend(recommender, basket, 1, (fimbit_recommend_by)9, 2, out, &found, &error),
        FIMBIT_EINVAL);
    assert_int_equal(error.code, FIMBIT_EINVAL);
    assert_int_equal(found, 0);
    const char *names[] = {"x"};
    found = 7;
    assert_int_equal(fimbit_recommend_names(recommender, names, 1, (fimbit_recommend_by)-1, 2, out,
                                            &found, NULL),
                     FIMBIT_EINVAL);
    assert_int_equal(found, 0);
    /* A failure before any look-up clears the count too. */
    found = 7;
    assert_int_equal(
        fimbit_recommend_names(NULL, names, 1, FIMBIT_RECOMMEND_BY_LIFT, 2, out, &found, NULL),
        FIMBIT_EINVAL);
    assert_int_equal(found, 0);
    fimbit_dataset *dataset = small_dataset();
    found = 7;
    assert_int_equal(fimbit_recommend_basket(recommender, dataset, 2, FIMBIT_RECOMMEND_BY_LIFT, 2,
                                             out, &found, NULL),
                     FIMBIT_EINVAL);
    assert_int_equal(found, 0);
    fimbit_dataset_free(dataset);
    assert_int_equal(
        fimbit_recommend(recommender, basket, 1, FIMBIT_RECOMMEND_BY_LIFT, 2, out, &found, NULL),
        FIMBIT_OK);
    assert_int_equal(found, 1);
    fimbit_recommender_free(recommender);
}

/* A failed fimbit_recommender_add_rule() keeps the names it interned, naming
 * no rule: a basket holding them gets nothing, and no read past the rule
 * index (the first rule failed here, so there was no index at all). */
static void test_names_of_a_failed_rule_recommend_nothing(void **state)
{
    (void)state;
    fimbit_recommender *recommender = NULL;
    assert_int_equal(fimbit_recommender_create(&recommender, NULL), FIMBIT_OK);
    const char *x[] = {"x"}, *no_name[] = {NULL};
    assert_int_equal(fimbit_recommender_add_rule(recommender, x, 1, no_name, 1, 0.5, 2.0, NULL),
                     FIMBIT_EINVAL);
    assert_int_equal(fimbit_recommender_rule_count(recommender), 0);
    assert_int_equal(fimbit_recommender_item_count(recommender), 1);
    fimbit_recommendation out[2];
    size_t found = 7;
    const uint32_t basket[] = {0};
    assert_int_equal(
        fimbit_recommend(recommender, basket, 1, FIMBIT_RECOMMEND_BY_LIFT, 2, out, &found, NULL),
        FIMBIT_OK);
    assert_int_equal(found, 0);

    /* Once rules exist, a name a later failure interned names none either. */
    const char *y[] = {"y"}, *z[] = {"z"};
    assert_int_equal(fimbit_recommender_add_rule(recommender, y, 1, x, 1, 0.5, 2.0, NULL),
                     FIMBIT_OK);
    assert_int_equal(fimbit_recommender_add_rule(recommender, z, 1, no_name, 1, 0.5, 2.0, NULL),
                     FIMBIT_EINVAL);
    const char *names[] = {"z", "y"};
    found = 7;
    assert_int_equal(fimbit_recommend_names(recommender, names, 2, FIMBIT_RECOMMEND_BY_LIFT, 2, out,
                                            &found, NULL),
                     FIMBIT_OK);
    assert_int_equal(found, 1);
    assert_string_equal(fimbit_recommender_item_name(recommender, out[0].item), "x");
    fimbit_recommender_free(recommender);
}

static void test_failure_leaves_out_null(void **state)
{
    (void)state;
    fimbit_itemsets *itemsets = STALE;
    assert_int_equal(fimbit_mine_itemsets(NULL, NULL, &itemsets, NULL), FIMBIT_EINVAL);
    assert_null(itemsets);

    fimbit_rules *rules = STALE;
    assert_int_equal(fimbit_mine_rules(NULL, NULL, &rules, NULL), FIMBIT_EINVAL);
    assert_null(rules);

    fimbit_support_table *table = STALE;
    assert_int_equal(fimbit_support_table_create(NULL, NULL, 1, NULL, NULL, 0, &table, NULL),
                     FIMBIT_EINVAL);
    assert_null(table);

    fimbit_table_rules *table_rules = STALE;
    assert_int_equal(
        fimbit_support_table_rules(NULL, FIMBIT_METRIC_CONFIDENCE, 0.5, 0, &table_rules, NULL),
        FIMBIT_EINVAL);
    assert_null(table_rules);

    fimbit_recommender *recommender = STALE;
    fimbit__alloc_fail_after(1);
    fimbit_status status = fimbit_recommender_create(&recommender, NULL);
    fimbit__alloc_fail_after(0);
    assert_int_equal(status, FIMBIT_ENOMEM);
    assert_null(recommender);
}

/* Groups of long CSV rows: "north" {a, b}, "south" {a}. */
static fimbit_groups *two_groups(void)
{
    const char *rows = "basket,item,shop\n1,a,north\n1,b,north\n2,a,south\n";
    char path[128];
    test_write_temp_file(rows, strlen(rows), ".csv", path, sizeof path);
    const char *paths[] = {path};
    fimbit_groups *groups = NULL;
    assert_int_equal(fimbit_groups_read(paths, 1, NULL, "shop", NULL, &groups, NULL), FIMBIT_OK);
    unlink(path);
    assert_int_equal(fimbit_groups_count(groups), 2);
    return groups;
}

static void test_failed_group_mining_leaves_results_null(void **state)
{
    (void)state;
    fimbit_groups *groups = two_groups();
    /* Options out of range: every result is NULL, as for any failure. */
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_size = 3;
    options.mine.max_size = 2;
    fimbit_itemsets *itemsets[2] = {STALE, STALE};
    assert_int_equal(fimbit_groups_mine_itemsets(groups, &options.mine, 0, itemsets, NULL),
                     FIMBIT_EINVAL);
    assert_null(itemsets[0]);
    assert_null(itemsets[1]);
    fimbit_rules *rules[2] = {STALE, STALE};
    assert_int_equal(fimbit_groups_mine_rules(groups, &options, 0, rules, NULL), FIMBIT_EINVAL);
    assert_null(rules[0]);
    assert_null(rules[1]);
    fimbit_groups_free(groups);
}

/* Wherever an options pointer is taken, NULL stands for the defaults of its
 * *_options_init(): the same results, the same refusals. */
static void test_null_options_are_the_defaults(void **state)
{
    (void)state;
    fimbit_groups *groups = two_groups();
    fimbit_rule_options defaults;
    fimbit_rule_options_init(&defaults);
    fimbit_itemsets *by_null[2], *by_defaults[2];
    assert_int_equal(fimbit_groups_mine_itemsets(groups, NULL, 0, by_null, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_groups_mine_itemsets(groups, &defaults.mine, 0, by_defaults, NULL),
                     FIMBIT_OK);
    fimbit_rules *rules_by_null[2], *rules_by_defaults[2];
    assert_int_equal(fimbit_groups_mine_rules(groups, NULL, 0, rules_by_null, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_groups_mine_rules(groups, &defaults, 0, rules_by_defaults, NULL),
                     FIMBIT_OK);
    for (size_t g = 0; g < 2; g++) {
        assert_int_equal(fimbit_itemsets_count(by_null[g]), fimbit_itemsets_count(by_defaults[g]));
        assert_true(fimbit_itemsets_count(by_null[g]) > 0);
        assert_int_equal(fimbit_rules_count(rules_by_null[g]),
                         fimbit_rules_count(rules_by_defaults[g]));
        fimbit_itemsets_free(by_null[g]);
        fimbit_itemsets_free(by_defaults[g]);
        fimbit_rules_free(rules_by_null[g]);
        fimbit_rules_free(rules_by_defaults[g]);
    }

    /* 1% of 200 baskets is 2 baskets. */
    const uint32_t ids[] = {1};
    uint64_t offsets[201] = {0};
    for (int b = 1; b <= 200; b++)
        offsets[b] = 1;
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_from_ids(ids, offsets, 200, &dataset, NULL), FIMBIT_OK);
    uint64_t min_count = 0;
    assert_int_equal(fimbit_min_count(dataset, NULL, &min_count, NULL), FIMBIT_OK);
    assert_int_equal(min_count, 2);
    fimbit_dataset_free(dataset);

    /* RFM's defaults name no column, so NULL is refused as they are. */
    fimbit_error error;
    assert_int_equal(fimbit_rfm_options_check(NULL, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "the customer column is required");
    fimbit_groups_free(groups);
}

/* Options out of range are refused also when no group would see them. */
static void test_group_options_checked_without_groups(void **state)
{
    (void)state;
    const char *header_only = "basket,item,shop\n";
    char path[128];
    test_write_temp_file(header_only, strlen(header_only), ".csv", path, sizeof path);
    const char *paths[] = {path};
    fimbit_groups *groups = NULL;
    assert_int_equal(fimbit_groups_read(paths, 1, NULL, "shop", NULL, &groups, NULL), FIMBIT_OK);
    unlink(path);
    assert_int_equal(fimbit_groups_count(groups), 0);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_support = 0;
    fimbit_error error;
    assert_int_equal(fimbit_groups_mine_itemsets(groups, &options.mine, 0, NULL, &error),
                     FIMBIT_EINVAL);
    fimbit_itemsets *no_itemsets[1];
    assert_int_equal(fimbit_groups_mine_itemsets(groups, &options.mine, 0, no_itemsets, &error),
                     FIMBIT_EINVAL);
    assert_string_equal(error.message, "minimum support 0 is not a fraction in (0, 1]");
    options.mine.min_support = 0.5;
    options.min_confidence = 2;
    fimbit_rules *no_rules[1];
    assert_int_equal(fimbit_groups_mine_rules(groups, &options, 0, no_rules, &error),
                     FIMBIT_EINVAL);
    assert_string_equal(error.message, "minimum confidence 2 is not in [0, 1]");
    options.min_confidence = 0.5;
    assert_int_equal(fimbit_groups_mine_rules(groups, &options, 0, no_rules, NULL), FIMBIT_OK);
    fimbit_groups_free(groups);
}

/* Results are written with their group's item names: a result mined from
 * another dataset (groups swapped) is refused, not read with the wrong names
 * ("south" has one item, "north"'s result holds two). */
static void test_group_results_of_other_datasets_refused(void **state)
{
    (void)state;
    fimbit_groups *groups = two_groups();
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 1;
    options.min_confidence = 0.5;
    fimbit_itemsets *itemsets[2];
    fimbit_rules *rules[2];
    assert_int_equal(fimbit_groups_mine_itemsets(groups, &options.mine, 0, itemsets, NULL),
                     FIMBIT_OK);
    assert_int_equal(fimbit_groups_mine_rules(groups, &options, 0, rules, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_rules_count(rules[0]), 2); /* north: a => b, b => a */
    fimbit_itemsets *swapped[2] = {itemsets[1], itemsets[0]};
    fimbit_error error;
    assert_int_equal(
        fimbit_groups_itemsets_write(groups, swapped, FIMBIT_FORMAT_CSV, 0, "/dev/null", &error),
        FIMBIT_EINVAL);
    assert_string_equal(error.message,
                        "the result for group 'north' was not mined from its dataset");
    fimbit_rules *misplaced[2] = {rules[0], rules[0]};
    assert_int_equal(
        fimbit_groups_rules_write(groups, misplaced, FIMBIT_FORMAT_TEXT, 0, "/dev/null", &error),
        FIMBIT_EINVAL);
    assert_string_equal(error.message,
                        "the result for group 'south' was not mined from its dataset");
    /* A group's dataset mined directly is its own. */
    fimbit_itemsets_free(itemsets[1]);
    assert_int_equal(
        fimbit_mine_itemsets(fimbit_groups_dataset(groups, 1), &options.mine, &itemsets[1], NULL),
        FIMBIT_OK);
    assert_int_equal(
        fimbit_groups_itemsets_write(groups, itemsets, FIMBIT_FORMAT_CSV, 0, "/dev/null", NULL),
        FIMBIT_OK);
    for (size_t g = 0; g < 2; g++) {
        fimbit_itemsets_free(itemsets[g]);
        fimbit_rules_free(rules[g]);
    }
    fimbit_groups_free(groups);
}

/* An error left over from an earlier failure: the bytes a successful call
 * must leave alone. */
static void stale_error(fimbit_error *error)
{
    memset(error, 0x5a, sizeof *error);
    error->code = FIMBIT_EIO;
}

#define assert_untouched(error)                                                                    \
    do {                                                                                           \
        fimbit_error expected_;                                                                    \
        stale_error(&expected_);                                                                   \
        assert_memory_equal(&(error), &expected_, sizeof expected_);                               \
    } while (0)

/* A call that succeeds leaves the caller's fimbit_error as it was, whichever
 * stage it runs: reading, mining, rules, writing, tables, the recommender,
 * groups and the generator. */
static void test_success_leaves_error_untouched(void **state)
{
    (void)state;
    fimbit_error error;
    stale_error(&error);
    assert_int_equal(fimbit_read_options_check(NULL, &error), FIMBIT_OK);
    fimbit_dataset *dataset = NULL;
    const char *names[] = {"a", "b", "a", "b", "c"};
    const uint64_t offsets[] = {0, 2, 5};
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 2, &dataset, &error), FIMBIT_OK);
    fimbit_mine_options mine;
    fimbit_mine_options_init(&mine);
    mine.min_count = 1;
    uint64_t min_count = 0;
    assert_int_equal(fimbit_min_count(dataset, &mine, &min_count, &error), FIMBIT_OK);
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(dataset, &mine, &itemsets, &error), FIMBIT_OK);
    assert_int_equal(fimbit_itemsets_write(itemsets, FIMBIT_FORMAT_CSV, "/dev/null", &error),
                     FIMBIT_OK);
    uint64_t written = 0;
    assert_int_equal(fimbit_mine_itemsets_write(dataset, &mine, FIMBIT_FORMAT_JSONL, "/dev/null",
                                                &written, &error),
                     FIMBIT_OK);
    fimbit_rule_options rule;
    fimbit_rule_options_init(&rule);
    rule.mine = mine;
    fimbit_rules *rules = NULL;
    assert_int_equal(fimbit_mine_rules(dataset, &rule, &rules, &error), FIMBIT_OK);
    assert_int_equal(fimbit_rules_write(rules, FIMBIT_FORMAT_TEXT, "/dev/null", &error), FIMBIT_OK);
    fimbit_recommender *recommender = NULL;
    assert_int_equal(fimbit_recommender_create(&recommender, &error), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_add_rules(recommender, rules, &error), FIMBIT_OK);
    fimbit_recommendation out[2];
    size_t found = 0;
    assert_int_equal(fimbit_recommend_basket(recommender, dataset, 0, FIMBIT_RECOMMEND_BY_LIFT, 2,
                                             out, &found, &error),
                     FIMBIT_OK);
    const uint32_t items[] = {1, 2, 1, 2};
    const uint64_t rows[] = {0, 1, 2, 4};
    const uint64_t counts[] = {2, 2, 2};
    fimbit_support_table *table = NULL;
    assert_int_equal(fimbit_support_table_create(items, rows, 3, NULL, counts, 2, &table, &error),
                     FIMBIT_OK);
    fimbit_table_rules *table_rules = NULL;
    assert_int_equal(
        fimbit_support_table_rules(table, FIMBIT_METRIC_CONFIDENCE, 0.5, 0, &table_rules, &error),
        FIMBIT_OK);
    assert_int_equal(fimbit_table_rules_count(table_rules), 2);
    fimbit_groups *groups = two_groups();
    fimbit_itemsets *by_group[2];
    assert_int_equal(fimbit_groups_mine_itemsets(groups, &mine, 0, by_group, &error), FIMBIT_OK);
    assert_int_equal(
        fimbit_groups_itemsets_write(groups, by_group, FIMBIT_FORMAT_JSONL, 0, "/dev/null", &error),
        FIMBIT_OK);
    fimbit_generate_options generate;
    fimbit_generate_options_init(&generate);
    generate.baskets = 10;
    assert_int_equal(fimbit_generate(&generate, "/dev/null", &error), FIMBIT_OK);
    assert_untouched(error);

    fimbit_itemsets_free(by_group[0]);
    fimbit_itemsets_free(by_group[1]);
    fimbit_groups_free(groups);
    fimbit_table_rules_free(table_rules);
    fimbit_support_table_free(table);
    fimbit_recommender_free(recommender);
    fimbit_rules_free(rules);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(dataset);
}

/* The version macros, the string and the runtime call agree. */
static void test_version_agrees(void **state)
{
    (void)state;
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", FIMBIT_VERSION_MAJOR, FIMBIT_VERSION_MINOR,
             FIMBIT_VERSION_PATCH);
    assert_string_equal(FIMBIT_VERSION_STRING, expected);
    assert_string_equal(fimbit_version(), FIMBIT_VERSION_STRING);
}

/* A value out of range is named with its range, not a wrong reason. */
static void test_generator_range_message(void **state)
{
    (void)state;
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = 1;
    options.correlation = 2e6;
    fimbit_error error;
    assert_int_equal(fimbit_generate(&options, "/dev/null", &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "correlation 2e+06 is not in [0, 1e6]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_agrees),
        cmocka_unit_test(test_option_inits_accept_null),
        cmocka_unit_test(test_rule_size_bounds_refused),
        cmocka_unit_test(test_unknown_recommend_order_refused),
        cmocka_unit_test(test_names_of_a_failed_rule_recommend_nothing),
        cmocka_unit_test(test_failure_leaves_out_null),
        cmocka_unit_test(test_failed_group_mining_leaves_results_null),
        cmocka_unit_test(test_null_options_are_the_defaults),
        cmocka_unit_test(test_group_options_checked_without_groups),
        cmocka_unit_test(test_group_results_of_other_datasets_refused),
        cmocka_unit_test(test_success_leaves_error_untouched),
        cmocka_unit_test(test_generator_range_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
