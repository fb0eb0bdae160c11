/* Groups: a long-CSV input split by a group column equals reading each
 * group's rows alone (baskets and item ids), mining every group (itemsets and
 * rules, any thread count) equals mining each alone, a group map's look-ups
 * and errors, basket keys, rules of one group for the recommender, a dataset
 * basket's recommendations, and clean failure when allocations fail. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/internal.h"
#include "fimbit.h"
#include "read/dataset.h"
#include "read/reader.h"
#include "test_data.h"

#define GROUPS 5
#define ROWS 3000

/* Rows "basket,item,group" with a header: 400 basket ids shared by the groups,
 * 30 items, group names "g0" .. "g4" given out so that group sizes differ. */
static char *make_rows(void)
{
    size_t capacity = 64 + (size_t)ROWS * 32;
    char *text = malloc(capacity);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, capacity, "basket,item,group\n");
    uint64_t state = 15;
    for (int row = 0; row < ROWS; row++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        unsigned basket = (unsigned)(state >> 33) % 400;
        unsigned item = (unsigned)(state >> 20) % 30;
        unsigned group = (unsigned)(state >> 45) % 15;
        group = group < 7 ? 0 : group < 11 ? 1 : group < 13 ? 2 : group - 10;
        /* Correlated items, so that rules exist. */
        used += (size_t)snprintf(text + used, capacity - used, "%u,i%u,g%u\n", basket, item,
                                 group);
        if (item % 3 == 0 && (state >> 60) < 10)
            used += (size_t)snprintf(text + used, capacity - used, "%u,i%u,g%u\n", basket,
                                     item + 1, group);
    }
    return text;
}

/* The header and the rows of `group` only. */
static char *filter_rows(const char *rows, const char *group)
{
    char *out = malloc(strlen(rows) + 1), *at = out;
    assert_non_null(out);
    size_t suffix = strlen(group);
    const char *line = rows;
    for (int first = 1; *line != '\0'; first = 0) {
        const char *end = strchr(line, '\n') + 1;
        size_t length = (size_t)(end - line);
        if (first || (length > suffix + 1 && line[length - suffix - 2] == ',' &&
                      memcmp(line + length - suffix - 1, group, suffix) == 0)) {
            memcpy(at, line, length);
            at += length;
        }
        line = end;
    }
    *at = '\0';
    return out;
}

static fimbit_groups *read_groups(const char *path, const fimbit_group_map *map, int threads)
{
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.threads = threads;
    fimbit_groups *groups = NULL;
    fimbit_error error;
    if (fimbit_groups_read(&path, 1, &options, "group", map, &groups, &error) != FIMBIT_OK)
        fail_msg("groups: %s", error.message);
    return groups;
}

static fimbit_dataset *read_text(const char *text)
{
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_CSV;
    options.header = 1;
    fimbit_dataset *d = NULL;
    fimbit_error error;
    char path[256];
    if (test_read_text(".csv", text, &options, &d, &error, path) != FIMBIT_OK)
        fail_msg("read: %s", error.message);
    return d;
}

/* Every group of `groups` is the dataset of its rows of `rows` read alone:
 * the same baskets with the same item ids and names. */
static void assert_groups_equal_filtered(const fimbit_groups *groups, const char *rows)
{
    for (size_t g = 0; g < fimbit_groups_count(groups); g++) {
        char *only = filter_rows(rows, fimbit_groups_name(groups, g));
        fimbit_dataset *alone = read_text(only);
        const fimbit_dataset *split = fimbit_groups_dataset(groups, g);
        test_assert_same_baskets(split, alone);
        assert_int_equal(fimbit_dataset_item_count(split), fimbit_dataset_item_count(alone));
        for (uint32_t i = 0; i < fimbit_dataset_item_count(alone); i++)
            assert_string_equal(fimbit_dataset_item_name(split, i),
                                fimbit_dataset_item_name(alone, i));
        fimbit_dataset_free(alone);
        free(only);
    }
}

static void test_split_equals_filtered(void **state)
{
    (void)state;
    char *rows = make_rows(), path[256];
    test_write_temp_file(rows, strlen(rows), ".csv", path, sizeof path);
    for (int threads = 1; threads <= 3; threads++) {
        fimbit_groups *groups = read_groups(path, NULL, threads);
        assert_int_equal(fimbit_groups_count(groups), GROUPS);
        assert_int_equal(fimbit_groups_skipped_rows(groups), 0);
        for (size_t g = 0; g < GROUPS; g++) {
            char name[8];
            snprintf(name, sizeof name, "g%zu", g);
            assert_string_equal(fimbit_groups_name(groups, g), name);
        }
        assert_groups_equal_filtered(groups, rows);
        assert_null(fimbit_groups_name(groups, GROUPS));
        assert_null(fimbit_groups_dataset(groups, GROUPS));
        fimbit_groups_free(groups);
    }
    unlink(path);
    free(rows);
}

/* Order lines as exports have them: rising invoice numbers (a few out of
 * order, a few cancellations named "C..."), item codes that are integers
 * (small ones, and some past 65,536), and `group_count` groups "h0", "h1",
 * ... (more than 64: past a slice's bits per item); an invoice's rows are
 * adjacent but for one in 20, which comes back later, some in another
 * group. */
static char *make_order_rows(unsigned group_count)
{
    size_t capacity = 64 + (size_t)ROWS * 48;
    char *text = malloc(capacity);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, capacity, "invoice,item,group\n");
    uint64_t state = 21, invoice = 536365;
    unsigned group = 0;
    for (int row = 0; row < ROWS; row++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(state >> 33);
        if (r % 3 == 0) {
            invoice += 1 + r % 4;
            group = (r >> 8) % group_count;
        }
        uint64_t shown = r % 20 == 7 && invoice > 536400 ? invoice - 30 + r % 5 : invoice;
        unsigned shown_group = r % 40 == 7 ? (group + 1) % group_count : group;
        unsigned item = (r >> 12) % 40;
        unsigned code = item < 20 ? item * 7 : 70000 + item * 13;
        used +=
            (size_t)snprintf(text + used, capacity - used, "%s%llu,%u,h%u\n",
                             r % 50 == 3 ? "C" : "", (unsigned long long)shown, code, shown_group);
    }
    return text;
}

/* Slices and blocks far smaller than a file: merged ids, windows restarted
 * every block, baskets found again in later slices and other groups. */
static void test_split_order_lines(void **state)
{
    (void)state;
    char *rows = make_order_rows(70), path[256];
    test_write_temp_file(rows, strlen(rows), ".csv", path, sizeof path);
    size_t saved_slice = csv_slice_min, saved_block = reader_block_size;
    csv_slice_min = 1000;
    for (int threads = 1; threads <= 3; threads++) {
        reader_block_size = threads == 3 ? 8192 : saved_block;
        fimbit_groups *groups = read_groups(path, NULL, threads);
        assert_int_equal(fimbit_groups_count(groups), 70);
        assert_groups_equal_filtered(groups, rows);
        fimbit_groups_free(groups);
    }
    csv_slice_min = saved_slice;
    reader_block_size = saved_block;
    unlink(path);
    free(rows);
}

/* Two sorted results hold the same itemsets, by name, with the same counts. */
static void assert_same_itemsets(fimbit_itemsets *a, const fimbit_dataset *da, fimbit_itemsets *b,
                                 const fimbit_dataset *db)
{
    fimbit_itemsets_sort(a);
    fimbit_itemsets_sort(b);
    assert_int_equal(fimbit_itemsets_count(a), fimbit_itemsets_count(b));
    for (size_t i = 0; i < fimbit_itemsets_count(a); i++) {
        const uint32_t *x, *y;
        uint32_t xs, ys;
        uint64_t xc, yc;
        assert_int_equal(fimbit_itemsets_get(a, i, &x, &xs, &xc), FIMBIT_OK);
        assert_int_equal(fimbit_itemsets_get(b, i, &y, &ys, &yc), FIMBIT_OK);
        assert_int_equal(xs, ys);
        assert_int_equal(xc, yc);
        for (uint32_t k = 0; k < xs; k++)
            assert_string_equal(fimbit_dataset_item_name(da, x[k]),
                                fimbit_dataset_item_name(db, y[k]));
    }
}

static void assert_same_rules(fimbit_rules *a, const fimbit_dataset *da, fimbit_rules *b,
                              const fimbit_dataset *db)
{
    fimbit_rules_sort(a);
    fimbit_rules_sort(b);
    assert_int_equal(fimbit_rules_count(a), fimbit_rules_count(b));
    for (size_t i = 0; i < fimbit_rules_count(a); i++) {
        fimbit_rule x, y;
        fimbit_rules_get(a, i, &x);
        fimbit_rules_get(b, i, &y);
        assert_int_equal(x.count, y.count);
        assert_true(x.confidence == y.confidence && x.lift == y.lift);
        assert_int_equal(x.antecedent_size, y.antecedent_size);
        assert_int_equal(x.consequent_size, y.consequent_size);
        for (uint32_t k = 0; k < x.antecedent_size; k++)
            assert_string_equal(fimbit_dataset_item_name(da, x.antecedent[k]),
                                fimbit_dataset_item_name(db, y.antecedent[k]));
        for (uint32_t k = 0; k < x.consequent_size; k++)
            assert_string_equal(fimbit_dataset_item_name(da, x.consequent[k]),
                                fimbit_dataset_item_name(db, y.consequent[k]));
    }
}

static void test_mining_equals_each_alone(void **state)
{
    (void)state;
    char *rows = make_rows(), path[256];
    test_write_temp_file(rows, strlen(rows), ".csv", path, sizeof path);
    fimbit_groups *groups = read_groups(path, NULL, 2);
    fimbit_rule_options rule;
    fimbit_rule_options_init(&rule);
    rule.mine.min_support = 0.02; /* of each group's baskets */
    rule.min_confidence = 0.3;
    size_t total_rules = 0;
    for (int threads = 1; threads <= 3; threads++) {
        rule.mine.threads = threads;
        fimbit_itemsets *itemsets[GROUPS];
        fimbit_rules *rules[GROUPS];
        fimbit_error error;
        assert_int_equal(fimbit_groups_mine_itemsets(groups, &rule.mine, 1, itemsets, &error), 0);
        assert_int_equal(fimbit_groups_mine_rules(groups, &rule, 1, rules, &error), 0);
        for (size_t g = 0; g < GROUPS; g++) {
            const fimbit_dataset *d = fimbit_groups_dataset(groups, g);
            fimbit_itemsets *alone = NULL;
            fimbit_rules *alone_rules = NULL;
            assert_int_equal(fimbit_mine_itemsets(d, &rule.mine, &alone, NULL), FIMBIT_OK);
            assert_int_equal(fimbit_mine_rules(d, &rule, &alone_rules, NULL), FIMBIT_OK);
            assert_same_itemsets(itemsets[g], d, alone, d);
            assert_same_rules(rules[g], d, alone_rules, d);
            total_rules += fimbit_rules_count(alone_rules);
            fimbit_itemsets_free(alone);
            fimbit_rules_free(alone_rules);
            fimbit_itemsets_free(itemsets[g]);
            fimbit_rules_free(rules[g]);
        }
    }
    assert_true(total_rules > 0);

    /* A floor above a group's own threshold wins. */
    fimbit_itemsets *itemsets[GROUPS];
    assert_int_equal(fimbit_groups_mine_itemsets(groups, &rule.mine, 25, itemsets, NULL), 0);
    for (size_t g = 0; g < GROUPS; g++) {
        fimbit_mine_options floor = rule.mine;
        uint64_t own = 0;
        fimbit_min_count(fimbit_groups_dataset(groups, g), &rule.mine, &own, NULL);
        floor.min_count = own > 25 ? own : 25;
        fimbit_itemsets *alone = NULL;
        assert_int_equal(
            fimbit_mine_itemsets(fimbit_groups_dataset(groups, g), &floor, &alone, NULL), 0);
        assert_same_itemsets(itemsets[g], fimbit_groups_dataset(groups, g), alone,
                             fimbit_groups_dataset(groups, g));
        fimbit_itemsets_free(alone);
        fimbit_itemsets_free(itemsets[g]);
    }
    fimbit_groups_free(groups);
    unlink(path);
    free(rows);
}

static void test_group_map(void **state)
{
    (void)state;
    const char *text = "customer,tier,segment\n"
                       "g0,gold,\"champions, loyal\"\n"
                       "g1,silver,at_risk\n"
                       "g1,silver,at_risk\n" /* repeated: one key */
                       "g2,,\n";               /* no group */
    char path[256];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    fimbit_group_map *map = NULL;
    fimbit_error error;
    assert_int_equal(fimbit_group_map_read(path, "segment", &map, &error), FIMBIT_OK);
    assert_int_equal(fimbit_group_map_size(map), 3);
    assert_string_equal(fimbit_group_map_find(map, "g0"), "champions, loyal");
    assert_string_equal(fimbit_group_map_find(map, "g1"), "at_risk");
    assert_null(fimbit_group_map_find(map, "g2"));
    assert_null(fimbit_group_map_find(map, "g9"));
    fimbit_group_map_free(map);
    assert_int_equal(fimbit_group_map_read(path, NULL, &map, NULL), FIMBIT_OK);
    assert_string_equal(fimbit_group_map_find(map, "g0"), "gold");

    /* Rows mapped through it: g0's rows are one group, g1's another, the
     * rest skipped. */
    char *rows = make_rows(), rows_path[256];
    test_write_temp_file(rows, strlen(rows), ".csv", rows_path, sizeof rows_path);
    fimbit_groups *groups = read_groups(rows_path, map, 2);
    assert_int_equal(fimbit_groups_count(groups), 2);
    assert_string_equal(fimbit_groups_name(groups, 0), "gold");
    assert_string_equal(fimbit_groups_name(groups, 1), "silver");
    char *g0 = filter_rows(rows, "g0");
    fimbit_dataset *alone = read_text(g0);
    test_assert_same_baskets(fimbit_groups_dataset(groups, 0), alone);
    uint64_t kept = 0;
    for (const char *p = rows; (p = strstr(p, ",g0\n")) != NULL; p++)
        kept++;
    for (const char *p = rows; (p = strstr(p, ",g1\n")) != NULL; p++)
        kept++;
    assert_true(kept > 0);
    uint64_t all = 0;
    for (const char *p = rows; (p = strchr(p, '\n')) != NULL; p++)
        all++;
    assert_int_equal(fimbit_groups_skipped_rows(groups), all - 1 - kept);
    fimbit_dataset_free(alone);
    free(g0);
    fimbit_groups_free(groups);
    fimbit_group_map_free(map);
    unlink(rows_path);
    free(rows);

    /* Errors: a missing column (with its place), a missing file, two groups. */
    assert_int_equal(fimbit_group_map_read(path, "region", &map, &error), FIMBIT_EPARSE);
    assert_null(map);
    assert_non_null(strstr(error.message, ":1:1: no column named 'region'"));
    unlink(path);
    assert_int_equal(fimbit_group_map_read(path, NULL, &map, &error), FIMBIT_EIO);
    const char *twice = "k,g\na,x\na,y\n";
    test_write_temp_file(twice, strlen(twice), ".csv", path, sizeof path);
    assert_int_equal(fimbit_group_map_read(path, NULL, &map, &error), FIMBIT_EPARSE);
    assert_non_null(strstr(error.message, "key 'a' has two groups, 'x' and 'y'"));
    unlink(path);
}

/* A group map of 3000 customer numbers from 100,000 (every other number,
 * in shuffled order: indexed by value), "100001" with an empty group, and a
 * key that only looks like a number: "007" is not 7. With `outliers`,
 * numbers far away beside them (7, 99999999999, 2^64 - 1). */
static void check_number_keys(bool outliers)
{
    size_t capacity = 256 + 3000 * 24;
    char *text = malloc(capacity);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, capacity, "customer,segment\n");
    for (unsigned k = 0; k < 3000; k++)
        used += (size_t)snprintf(text + used, capacity - used, "%u,s%u\n",
                                 100000 + 2 * ((k * 1237u) % 3000), k % 4);
    used += (size_t)snprintf(text + used, capacity - used, "007,double-o\n100001,\n");
    if (outliers)
        snprintf(text + used, capacity - used,
                 "7,seven\n18446744073709551615,last\n99999999999,far\n");
    char path[256];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    fimbit_group_map *map = NULL;
    fimbit_error error;
    if (fimbit_group_map_read(path, NULL, &map, &error) != FIMBIT_OK)
        fail_msg("map: %s", error.message);
    assert_int_equal(fimbit_group_map_size(map), outliers ? 3005 : 3002);
    for (unsigned k = 0; k < 3000; k++) {
        char key[16], group[8];
        snprintf(key, sizeof key, "%u", 100000 + 2 * ((k * 1237u) % 3000));
        snprintf(group, sizeof group, "s%u", k % 4);
        assert_string_equal(fimbit_group_map_find(map, key), group);
    }
    assert_null(fimbit_group_map_find(map, "100001")); /* its group is empty */
    assert_null(fimbit_group_map_find(map, "100003"));
    assert_null(fimbit_group_map_find(map, "0100000"));
    assert_null(fimbit_group_map_find(map, "99999"));
    assert_string_equal(fimbit_group_map_find(map, "007"), "double-o");
    assert_null(fimbit_group_map_find(map, "07"));
    if (!outliers)
        assert_null(fimbit_group_map_find(map, "7"));
    assert_null(fimbit_group_map_find(map, "18446744073709551616"));
    if (outliers) {
        assert_string_equal(fimbit_group_map_find(map, "7"), "seven");
        assert_string_equal(fimbit_group_map_find(map, "18446744073709551615"), "last");
        assert_string_equal(fimbit_group_map_find(map, "99999999999"), "far");
    }
    fimbit_group_map_free(map);
    unlink(path);
    free(text);
}

static void test_group_map_number_keys(void **state)
{
    (void)state;
    check_number_keys(false);
    check_number_keys(true);
}

static void test_read_errors(void **state)
{
    (void)state;
    const char *text = "basket,item\n1,a\n";
    char path[256];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    const char *paths[] = {path};
    fimbit_groups *groups = NULL;
    fimbit_error error;
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    assert_int_equal(fimbit_groups_read(paths, 1, &options, "group", NULL, &groups, &error),
                     FIMBIT_EPARSE);
    assert_null(groups);
    assert_non_null(strstr(error.message, "no column named 'group'"));
    assert_int_equal(fimbit_groups_read(paths, 1, &options, "3", NULL, &groups, &error),
                     FIMBIT_EPARSE);
    assert_non_null(strstr(error.message, ":2:4: missing group column 3"));
    assert_int_equal(fimbit_groups_read(paths, 1, &options, "0", NULL, &groups, &error),
                     FIMBIT_EINVAL);
    assert_int_equal(fimbit_groups_read(paths, 1, &options, NULL, NULL, &groups, &error),
                     FIMBIT_EINVAL);
    options.format = FIMBIT_INPUT_FIMI;
    assert_int_equal(fimbit_groups_read(paths, 1, &options, "2", NULL, &groups, &error),
                     FIMBIT_EINVAL);
    unlink(path);
}

static void test_basket_keys(void **state)
{
    (void)state;
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_CSV;
    options.header = 1;
    options.basket_keys = 1;
    fimbit_dataset *d = NULL;
    char path[256];
    const char *text = "customer,item\n17850,a\n\"x, y\",b\n17850,c\n007,d\n";
    assert_int_equal(test_read_text(".csv", text, &options, &d, NULL, path), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_basket_count(d), 3);
    assert_string_equal(fimbit_dataset_basket_key(d, 0), "17850");
    assert_string_equal(fimbit_dataset_basket_key(d, 1), "x, y");
    assert_string_equal(fimbit_dataset_basket_key(d, 2), "007");
    assert_null(fimbit_dataset_basket_key(d, 3));
    fimbit_dataset_free(d);
    options.basket_keys = 0;
    assert_int_equal(test_read_text(".csv", text, &options, &d, NULL, path), FIMBIT_OK);
    assert_null(fimbit_dataset_basket_key(d, 0));
    fimbit_dataset_free(d);
}

static void test_group_rules_and_dataset_baskets(void **state)
{
    (void)state;
    const char *text =
        "{\"group\":\"gold\",\"antecedent\":[\"a\"],\"consequent\":[\"b\"],\"confidence\":0.5,"
        "\"lift\":2}\n"
        "{\"antecedent\":[\"a\"],\"consequent\":[\"c\"],\"confidence\":0.9,\"lift\":1}\n"
        "{\"group\":\"silver\",\"antecedent\":[\"a\"],\"consequent\":[\"d\"],"
        "\"confidence\":0.7,\"lift\":1,\"count\":3}\n";
    char path[256];
    test_write_temp_file(text, strlen(text), ".jsonl", path, sizeof path);
    fimbit_recommender *gold = NULL, *all = NULL;
    assert_int_equal(fimbit_recommender_create(&gold, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_read_group_rules(gold, path, "gold", NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_rule_count(gold), 1);
    assert_int_equal(fimbit_recommender_read_group_rules(gold, path, NULL, NULL), FIMBIT_EINVAL);
    assert_int_equal(fimbit_recommender_create(&all, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_read_rules(all, path, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_recommender_rule_count(all), 3);
    unlink(path);
    const char *bad = "{\"group\":5,\"antecedent\":[\"a\"],\"consequent\":[\"b\"],"
                      "\"confidence\":0.5,\"lift\":2}\n";
    test_write_temp_file(bad, strlen(bad), ".jsonl", path, sizeof path);
    fimbit_error error;
    assert_int_equal(fimbit_recommender_read_group_rules(gold, path, "gold", &error),
                     FIMBIT_EPARSE);
    assert_int_equal(fimbit_recommender_read_rules(all, path, NULL), FIMBIT_OK);
    unlink(path);

    /* A dataset's basket recommends as its names do. */
    const char *names[] = {"a", "x", "a", "b"};
    const uint64_t offsets[] = {0, 2, 4, 4};
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 3, &d, NULL), FIMBIT_OK);
    fimbit_recommendation out[4];
    size_t found = 9;
    assert_int_equal(fimbit_recommend_basket(gold, d, 0, FIMBIT_RECOMMEND_BY_CONFIDENCE, 4, out,
                                             &found, NULL),
                     FIMBIT_OK);
    assert_int_equal(found, 1);
    assert_string_equal(fimbit_recommender_item_name(gold, out[0].item), "b");
    assert_int_equal(fimbit_recommend_basket(gold, d, 1, FIMBIT_RECOMMEND_BY_CONFIDENCE, 4, out,
                                             &found, NULL),
                     FIMBIT_OK);
    assert_int_equal(found, 0); /* b is in the basket */
    assert_int_equal(fimbit_recommend_basket(gold, d, 2, FIMBIT_RECOMMEND_BY_CONFIDENCE, 4, out,
                                             &found, NULL),
                     FIMBIT_OK);
    assert_int_equal(found, 0); /* empty */
    assert_int_equal(fimbit_recommend_basket(gold, d, 3, FIMBIT_RECOMMEND_BY_CONFIDENCE, 4, out,
                                             &found, NULL),
                     FIMBIT_EINVAL);
    fimbit_dataset_free(d);
    fimbit_recommender_free(gold);
    fimbit_recommender_free(all);
}

/* Every allocation of reading, mining and writing groups may fail: the call
 * reports FIMBIT_ENOMEM and leaks nothing (ASan builds check the leaks). */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *text = "basket,item,group\n1,a,x\n1,b,x\n2,a,y\n2,c,y\n3,a,x\n";
    const char *map_text = "k,g\nx,one\ny,two\n";
    char path[256], map_path[256], out_path[300];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    test_write_temp_file(map_text, strlen(map_text), ".csv", map_path, sizeof map_path);
    snprintf(out_path, sizeof out_path, "%s.out", path);
    const char *paths[] = {path};
    fimbit_rule_options rule;
    fimbit_rule_options_init(&rule);
    rule.mine.min_count = 1;
    rule.mine.threads = 2;
    rule.min_confidence = 0;
    for (uint64_t n = 1; n < 2000; n++) {
        fimbit_group_map *map = NULL;
        fimbit_groups *groups = NULL;
        fimbit_rules *rules[2] = {NULL, NULL};
        fimbit__alloc_fail_after(n);
        fimbit_status status = fimbit_group_map_read(map_path, NULL, &map, NULL);
        if (status == FIMBIT_OK)
            status = fimbit_groups_read(paths, 1, NULL, "group", map, &groups, NULL);
        if (status == FIMBIT_OK)
            status = fimbit_groups_mine_rules(groups, &rule, 1, rules, NULL);
        if (status == FIMBIT_OK)
            status = fimbit_groups_rules_write(groups, rules, FIMBIT_FORMAT_JSONL, 0, out_path,
                                               NULL);
        fimbit__alloc_fail_after(0);
        for (int g = 0; g < 2; g++)
            fimbit_rules_free(rules[g]);
        fimbit_groups_free(groups);
        fimbit_group_map_free(map);
        if (status == FIMBIT_OK)
            break;
        assert_int_equal(status, FIMBIT_ENOMEM);
        assert_int_equal(access(out_path, F_OK), -1);
    }
    size_t size;
    char *written = test_read_file(out_path, &size);
    assert_non_null(strstr(written, "{\"group\":\"one\",\"antecedent\":[\"b\"],\"consequent\":[\"a\"]"));
    assert_non_null(strstr(written, "{\"group\":\"two\","));
    free(written);
    unlink(out_path);
    unlink(path);
    unlink(map_path);
}

/* Grouped rule output carries the rule sets' extra measures, header and
 * values, as the ungrouped writer does; rule sets with different measures
 * cannot share one header. */
static void test_group_rules_with_measures(void **state)
{
    (void)state;
    const char *text = "basket,item,group\n1,a,x\n1,b,x\n2,a,x\n3,a,y\n3,c,y\n4,c,x\n"
                       "5,a,x\n5,b,x\n";
    char path[256], out_path[300];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    snprintf(out_path, sizeof out_path, "%s.out", path);
    const char *paths[] = {path};
    fimbit_groups *groups = NULL;
    assert_int_equal(fimbit_groups_read(paths, 1, NULL, "group", NULL, &groups, NULL), 0);
    fimbit_rule_options rule;
    fimbit_rule_options_init(&rule);
    rule.mine.min_count = 1;
    rule.min_confidence = 0.5;
    rule.measures = FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_JACCARD) |
                    FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE);
    fimbit_rules *rules[2] = {NULL, NULL};
    assert_int_equal(fimbit_groups_mine_rules(groups, &rule, 1, rules, NULL), 0);
    assert_int_equal(
        fimbit_groups_rules_write(groups, rules, FIMBIT_FORMAT_CSV, 0, out_path, NULL), 0);
    size_t size;
    char *written = test_read_file(out_path, &size);
    /* Group x: 4 baskets, a in 3, b in 2, both in 2. b => a: jaccard
     * 2 / (2 + 3 - 2); p = P[H >= 2] drawing 2 of 4 with 3 successes
     * = C(3, 2) / C(4, 2) = 1/2. */
    assert_non_null(strstr(written, "group,antecedent,consequent,count,support,confidence,lift,"
                                    "leverage,conviction,jaccard,p_value\n"));
    assert_non_null(strstr(written, "x,b,a,2,0.5,1,1.33333,0.125,inf,0.666667,0.5\n"));
    free(written);
    unlink(out_path);

    /* One group's rules with other measures: refused, no file. */
    fimbit_rules *other = NULL;
    rule.measures = FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_COSINE);
    assert_int_equal(fimbit_mine_rules(fimbit_groups_dataset(groups, 1), &rule, &other, NULL), 0);
    fimbit_rules_free(rules[1]);
    rules[1] = other;
    fimbit_error error;
    assert_int_equal(
        fimbit_groups_rules_write(groups, rules, FIMBIT_FORMAT_CSV, 0, out_path, &error),
        FIMBIT_EINVAL);
    assert_non_null(strstr(error.message, "carry different measures"));
    assert_int_equal(access(out_path, F_OK), -1);
    for (int g = 0; g < 2; g++)
        fimbit_rules_free(rules[g]);
    fimbit_groups_free(groups);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_equals_filtered),
        cmocka_unit_test(test_split_order_lines),
        cmocka_unit_test(test_mining_equals_each_alone),
        cmocka_unit_test(test_group_map),
        cmocka_unit_test(test_group_map_number_keys),
        cmocka_unit_test(test_read_errors),
        cmocka_unit_test(test_basket_keys),
        cmocka_unit_test(test_group_rules_and_dataset_baskets),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_group_rules_with_measures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
