/* Named baskets: separators, trimming, empty names, natural order, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "read/dataset.h"
#include "fimbit.h"
#include "test_data.h"

static void expect_basket(const char *text, char separator, const char *expected,
                          uint64_t baskets, uint32_t items)
{
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_BASKET;
    options.separator = separator;
    test_expect_read(".txt", text, &options, expected, baskets, items);
}

static void test_separators(void **state)
{
    (void)state;
    /* Automatic: a comma in the first non-blank line. */
    test_expect_dataset(".txt", "milk, bread ,eggs\nbeer\n", FIMBIT_INPUT_AUTO, "milk bread eggs|beer", 2, 4);
    test_expect_dataset(".txt", "milk bread\teggs\nbeer\n", FIMBIT_INPUT_AUTO, "milk bread eggs|beer", 2, 4);
    test_expect_dataset(".txt", "\n  \na b,c\n", FIMBIT_INPUT_BASKET, "||a b c", 3, 2);
    expect_basket("a b,c\nd e\n", 0, "a b c|d e", 2, 3);
    expect_basket("a;b c; d\n", ';', "a b c d", 1, 3);
    expect_basket("a\tb c\t d\n", '\t', "a b c d", 1, 3);
    expect_basket("whole milk,whole milk,  yogurt \n", 0, "whole milk yogurt", 1, 2);
}

static void test_empty_names_and_lines(void **state)
{
    (void)state;
    expect_basket("a,,b,\n,\n\nc", 0, "a b|||c", 4, 3);
    expect_basket("a,b\r\nc\r\n", 0, "a b|c", 2, 3);
    expect_basket("x y\r\n\r\nz", 0, "x y||z", 3, 3);
    expect_basket("", 0, "", 0, 0);
    expect_basket(" , \n", 0, "", 1, 0);
}

static void test_duplicates_and_support(void **state)
{
    (void)state;
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_BASKET;
    fimbit_dataset *d = NULL;
    char path[256];
    assert_int_equal(test_read_text(".txt", "b,a,b\na\n", &options, &d, NULL, path), FIMBIT_OK);
    uint32_t a, b;
    assert_int_equal(fimbit_dataset_find_item(d, "a", &a), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_find_item(d, "b", &b), FIMBIT_OK);
    assert_int_equal(b, 0);
    assert_int_equal(a, 1);
    assert_int_equal(fimbit_dataset_find_item(d, "c", &a), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_item_support(d, a), 2);
    assert_int_equal(fimbit_dataset_item_support(d, b), 1);
    fimbit_dataset_free(d);
}

static void test_natural_order(void **state)
{
    (void)state;
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_BASKET;
    fimbit_dataset *d = NULL;
    char path[256];
    assert_int_equal(test_read_text(".txt", "10,2\n1\n", &options, &d, NULL, path), FIMBIT_OK);
    assert_true(d->numeric_names);
    assert_int_equal(d->natural_rank[0], 2); /* 1 < 2 < 10 */
    assert_int_equal(d->natural_rank[1], 1);
    assert_int_equal(d->natural_rank[2], 0);
    fimbit_dataset_free(d);

    /* "07" is not canonical: bytewise order for all. */
    assert_int_equal(test_read_text(".txt", "10,2,07,b,B\n", &options, &d, NULL, path), FIMBIT_OK);
    assert_false(d->numeric_names);
    assert_int_equal(d->natural_rank[0], 1); /* "07" < "10" < "2" < "B" < "b" */
    assert_int_equal(d->natural_rank[1], 2);
    assert_int_equal(d->natural_rank[2], 0);
    assert_int_equal(d->natural_rank[3], 4);
    assert_int_equal(d->natural_rank[4], 3);
    fimbit_dataset_free(d);
}

static void test_binary(void **state)
{
    (void)state;
    const char text[] = "a,b\nc,d\0e\n";
    char path[256], expected[512];
    test_write_temp_file(text, sizeof text - 1, ".txt", path, sizeof path);
    const char *paths[] = {path};
    fimbit_dataset *d = NULL;
    fimbit_error error;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &d, &error), FIMBIT_EPARSE);
    snprintf(expected, sizeof expected, "%s:2:4: binary data (a NUL byte), not text", path);
    assert_string_equal(error.message, expected);
    unlink(path);
}

static void test_parallel_is_deterministic(void **state)
{
    (void)state;
    size_t capacity = 4 << 20, used = 0;
    char *text = malloc(capacity);
    uint64_t seed = 99;
    for (int b = 0; b < 40000; b++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int size = (int)((seed >> 33) % 6);
        for (int k = 0; k < size; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            used += (size_t)snprintf(text + used, capacity - used, "%sitem %llu", k ? ", " : "",
                                     (unsigned long long)((seed >> 30) % 7000));
        }
        used += (size_t)snprintf(text + used, capacity - used, "\n");
    }
    char path[256];
    test_write_temp_file(text, used, ".txt", path, sizeof path);
    const char *paths[] = {path};
    fimbit_dataset *reference = NULL;
    for (int threads = 1; threads <= 4; threads++) {
        fimbit_read_options options;
        fimbit_read_options_init(&options);
        options.threads = threads;
        fimbit_dataset *d = NULL;
        assert_int_equal(fimbit_dataset_read(paths, 1, &options, &d, NULL), FIMBIT_OK);
        assert_int_equal(d->basket_count, 40000);
        if (reference == NULL) {
            reference = d;
            continue;
        }
        assert_int_equal(d->item_count, reference->item_count);
        test_assert_same_baskets(d, reference);
        for (uint32_t i = 0; i < d->item_count; i++)
            assert_string_equal(fimbit_dataset_item_name(d, i),
                                fimbit_dataset_item_name(reference, i));
        fimbit_dataset_free(d);
    }
    fimbit_dataset_free(reference);
    unlink(path);
    free(text);
}

static void test_groceries(void **state)
{
    (void)state;
    char path[1024];
    if (!test_dataset_path("groceries.csv", path, sizeof path)) {
        skip();
        return;
    }
    const char *paths[] = {path};
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_BASKET;
    for (int auto_format = 0; auto_format <= 1; auto_format++) {
        options.format = auto_format ? FIMBIT_INPUT_AUTO : FIMBIT_INPUT_BASKET;
        fimbit_dataset *d = NULL;
        fimbit_error error;
        if (fimbit_dataset_read(paths, 1, &options, &d, &error) != FIMBIT_OK)
            fail_msg("%s", error.message);
        assert_int_equal(fimbit_dataset_basket_count(d), 9835);
        assert_int_equal(fimbit_dataset_item_count(d), 169);
        fimbit_dataset_stats stats;
        fimbit_dataset_get_stats(d, &stats);
        assert_int_equal(stats.total_items, 43367);
        uint32_t milk;
        assert_int_equal(fimbit_dataset_find_item(d, "whole milk", &milk), FIMBIT_OK);
        assert_int_equal(fimbit_dataset_item_support(d, milk), 2513);
        assert_false(d->numeric_names);
        fimbit_dataset_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_empty_names_and_lines),
        cmocka_unit_test(test_duplicates_and_support),
        cmocka_unit_test(test_natural_order),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_parallel_is_deterministic),
        cmocka_unit_test(test_groceries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
