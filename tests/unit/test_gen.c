/*
 * The synthetic generator: the same seed gives the same bytes at every thread
 * count, the formats hold the same baskets, and the baskets follow the model
 * (mean length near T, item frequencies skewed, patterns recurring).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fimbit.h"
#include "base/internal.h"
#include "test_data.h"

/* Generates into a new temporary file; its path goes to `path`. */
static void generate(const fimbit_generate_options *options, char *path, size_t size)
{
    test_write_temp_file("", 0, ".dat", path, size);
    fimbit_error error = {0};
    fimbit_status status = fimbit_generate(options, path, &error);
    if (status != FIMBIT_OK)
        fail_msg("fimbit_generate: %s", error.message);
}

static fimbit_dataset *read_format(const char *path, fimbit_input_format format)
{
    fimbit_dataset *dataset = NULL;
    fimbit_error error = {0};
    const char *paths[] = {path};
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = format;
    if (fimbit_dataset_read(paths, 1, &options, &dataset, &error) != FIMBIT_OK)
        fail_msg("reading %s: %s", path, error.message);
    return dataset;
}

static fimbit_dataset *read_dataset(const char *path)
{
    return read_format(path, FIMBIT_INPUT_AUTO);
}

/* More baskets than one block (8192), so blocks go to several threads. */
static void same_seed_same_bytes_at_any_thread_count(void **state)
{
    (void)state;
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = 30000;
    options.seed = 7;
    char paths[3][256];
    const int threads[3] = {1, 2, 4};
    for (int i = 0; i < 3; i++) {
        options.threads = threads[i];
        generate(&options, paths[i], sizeof paths[i]);
    }
    size_t length0, length;
    char *first = test_read_file(paths[0], &length0);
    assert_true(length0 > 0);
    for (int i = 1; i < 3; i++) {
        char *other = test_read_file(paths[i], &length);
        assert_int_equal(length, length0);
        assert_memory_equal(other, first, length);
        free(other);
    }
    /* Another seed, other baskets. */
    options.seed = 8;
    char path8[256];
    generate(&options, path8, sizeof path8);
    char *other = test_read_file(path8, &length);
    assert_false(length == length0 && memcmp(other, first, length) == 0);
    free(other);
    free(first);
    for (int i = 0; i < 3; i++)
        unlink(paths[i]);
    unlink(path8);
}

/* The baskets as read: mean length near T, no empty basket, every item id
 * below N, and a skewed item frequency (the patterns' weights). Patterns are
 * kept well below T (as in the paper's T/I pairs): a pattern near the basket
 * size overshoots it half of the time. */
static void baskets_follow_the_model(void **state)
{
    (void)state;
    const double sizes[] = {5.0, 10.0, 20.0};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        fimbit_generate_options options;
        fimbit_generate_options_init(&options);
        options.baskets = 20000;
        options.avg_size = sizes[k];
        options.pattern_size = sizes[k] * 0.4;
        options.items = 500;
        char path[256];
        generate(&options, path, sizeof path);
        fimbit_dataset *d = read_dataset(path);
        fimbit_dataset_stats stats;
        fimbit_dataset_get_stats(d, &stats);
        assert_int_equal(stats.baskets, 20000);
        assert_int_equal(stats.empty_baskets, 0);
        /* Whole patterns overshoot the drawn size half of the time and are
         * carried over the other half: the mean stays within 10% of T. */
        if (fabs(stats.avg_basket_size - sizes[k]) > 0.1 * sizes[k])
            fail_msg("T=%g: mean basket size %g", sizes[k], stats.avg_basket_size);
        assert_true(stats.items <= 500);
        double sum = 0, squares = 0;
        for (uint32_t i = 0; i < stats.items; i++) {
            const char *name = fimbit_dataset_item_name(d, i);
            assert_true(strtoul(name, NULL, 10) < 500);
            double support = (double)fimbit_dataset_item_support(d, i);
            sum += support;
            squares += support * support;
        }
        /* Items drawn uniformly would have binomial supports, a coefficient
         * of variation near 1 / sqrt(mean); the weighted patterns make it
         * several times larger. */
        double mean = sum / stats.items;
        double variation = sqrt(squares / stats.items - mean * mean) / mean;
        if (variation < 5.0 / sqrt(mean))
            fail_msg("T=%g: item supports vary by %g only", sizes[k], variation);
        fimbit_dataset_free(d);
        unlink(path);
    }
}

/* Patterns recur: at T10 I4 with 1000 items, pairs and triples reach a
 * support no independent items could (1000 choose 2 pairs share 20000
 * baskets: about 0.9 baskets a pair by chance). */
static void patterns_make_frequent_itemsets(void **state)
{
    (void)state;
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = 20000;
    char path[256];
    generate(&options, path, sizeof path);
    fimbit_dataset *d = read_dataset(path);
    fimbit_mine_options mine;
    fimbit_mine_options_init(&mine);
    mine.min_count = 100;
    mine.min_size = 3;
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(d, &mine, &itemsets, NULL), FIMBIT_OK);
    assert_true(fimbit_itemsets_count(itemsets) >= 10);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(d);
    unlink(path);
}

/* FIMI, comma-separated baskets and long CSV, with numbers or names: the same
 * baskets. */
static void formats_hold_the_same_baskets(void **state)
{
    (void)state;
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = 9000;
    char fimi[256], basket[256], named[256], csv[256];
    generate(&options, fimi, sizeof fimi);
    options.format = FIMBIT_GENERATE_BASKET;
    generate(&options, basket, sizeof basket);
    options.named_items = 1;
    generate(&options, named, sizeof named);
    options.format = FIMBIT_GENERATE_CSV_LONG;
    generate(&options, csv, sizeof csv);

    fimbit_dataset *reference = read_dataset(fimi);
    const char *others[] = {basket, named, csv};
    for (int i = 0; i < 3; i++) {
        fimbit_dataset *d = read_format(others[i], i == 2 ? FIMBIT_INPUT_CSV : FIMBIT_INPUT_AUTO);
        assert_int_equal(fimbit_dataset_basket_count(d), fimbit_dataset_basket_count(reference));
        assert_int_equal(fimbit_dataset_item_count(d), fimbit_dataset_item_count(reference));
        for (uint32_t item = 0; item < fimbit_dataset_item_count(d); item++) {
            const char *name = fimbit_dataset_item_name(d, item);
            if (strncmp(name, "item", 4) == 0)
                name += 4;
            uint32_t same;
            assert_int_equal(fimbit_dataset_find_item(reference, name, &same), FIMBIT_OK);
            assert_int_equal(fimbit_dataset_item_support(d, item),
                             fimbit_dataset_item_support(reference, same));
        }
        fimbit_dataset_free(d);
    }
    fimbit_dataset_free(reference);
    size_t length;
    char *text = test_read_file(csv, &length);
    assert_true(strncmp(text, "basket_id,item\n1,item", 21) == 0);
    free(text);
    unlink(fimi);
    unlink(basket);
    unlink(named);
    unlink(csv);
}

static void bad_options_are_refused(void **state)
{
    (void)state;
    fimbit_generate_options options;
    fimbit_error error;
    fimbit_generate_options_init(&options);
    options.named_items = 1; /* FIMI ids are integers */
    assert_int_equal(fimbit_generate(&options, "/nonexistent/x", &error), FIMBIT_EINVAL);
    fimbit_generate_options_init(&options);
    options.items = 0;
    assert_int_equal(fimbit_generate(&options, "/nonexistent/x", &error), FIMBIT_EINVAL);
    fimbit_generate_options_init(&options);
    options.corruption = 1.5;
    assert_int_equal(fimbit_generate(&options, "/nonexistent/x", &error), FIMBIT_EINVAL);
    fimbit_generate_options_init(&options);
    options.pattern_size = 0;
    assert_int_equal(fimbit_generate(&options, "/nonexistent/x", &error), FIMBIT_EINVAL);
    fimbit_generate_options_init(&options);
    assert_int_equal(fimbit_generate(&options, "/nonexistent/x", &error), FIMBIT_EIO);
}

/* Zero baskets: an empty file (long CSV: the header alone). */
static void zero_baskets(void **state)
{
    (void)state;
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = 0;
    char path[256];
    generate(&options, path, sizeof path);
    size_t length;
    char *text = test_read_file(path, &length);
    assert_int_equal(length, 0);
    free(text);
    unlink(path);
    options.format = FIMBIT_GENERATE_CSV_LONG;
    generate(&options, path, sizeof path);
    text = test_read_file(path, &length);
    assert_string_equal(text, "basket_id,item\n");
    free(text);
    unlink(path);
}

/* Every allocation failing in turn: a clean ENOMEM, never a crash or leak. */
static void out_of_memory_everywhere(void **state)
{
    (void)state;
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = 20000;
    options.threads = 2;
    char path[256];
    test_write_temp_file("", 0, ".dat", path, sizeof path);
    for (uint64_t n = 1;; n++) {
        fimbit__alloc_fail_after(n);
        fimbit_status status = fimbit_generate(&options, path, NULL);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK)
            break;
        assert_int_equal(status, FIMBIT_ENOMEM);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes_at_any_thread_count),
        cmocka_unit_test(baskets_follow_the_model),
        cmocka_unit_test(patterns_make_frequent_itemsets),
        cmocka_unit_test(formats_hold_the_same_baskets),
        cmocka_unit_test(bad_options_are_refused),
        cmocka_unit_test(zero_baskets),
        cmocka_unit_test(out_of_memory_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
