/* FIMI input: integer ids, one basket a line; parallel parsing; errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "read/dataset.h"
#include "fimbit.h"
#include "test_data.h"

static void expect_error(const char *text, fimbit_input_format format, fimbit_status code,
                         const char *expected_after_path)
{
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = format;
    fimbit_dataset *d = (fimbit_dataset *)1;
    fimbit_error error;
    char path[256], expected[1024];
    fimbit_status status = test_read_text(".dat", text, &options, &d, &error, path);
    assert_int_equal(status, code);
    assert_null(d);
    assert_int_equal(error.code, code);
    snprintf(expected, sizeof expected, "%s:%s", path, expected_after_path);
    assert_string_equal(error.message, expected);
    assert_string_equal(error.file, path);
}

static void test_basic(void **state)
{
    (void)state;
    test_expect_dataset(".dat", "1 2 3\n4 5\n", FIMBIT_INPUT_FIMI, "1 2 3|4 5", 2, 5);
    test_expect_dataset(".dat", "1 2 3\n4 5\n", FIMBIT_INPUT_AUTO, "1 2 3|4 5", 2, 5);
    test_expect_dataset(".dat", "  10\t20  \n\t30 10\n", FIMBIT_INPUT_AUTO, "10 20|10 30", 2, 3);
}

static void test_ids_are_first_appearance(void **state)
{
    (void)state;
    fimbit_dataset *d = NULL;
    char path[256];
    assert_int_equal(test_read_text(".dat", "9 3\n3 7 9\n", NULL, &d, NULL, path), FIMBIT_OK);
    assert_string_equal(fimbit_dataset_item_name(d, 0), "9");
    assert_string_equal(fimbit_dataset_item_name(d, 1), "3");
    assert_string_equal(fimbit_dataset_item_name(d, 2), "7");
    assert_null(fimbit_dataset_item_name(d, 3));
    assert_int_equal(fimbit_dataset_item_support(d, 0), 2);
    assert_int_equal(fimbit_dataset_item_support(d, 2), 1);
    assert_true(d->numeric_names);
    assert_int_equal(d->natural_rank[0], 2); /* 3 < 7 < 9 */
    assert_int_equal(d->natural_rank[1], 0);
    assert_int_equal(d->natural_rank[2], 1);
    fimbit_dataset_free(d);
}

static void test_canonical_names_and_large_ids(void **state)
{
    (void)state;
    /* "007" and "7" are one item, named canonically. */
    test_expect_dataset(".dat", "007 7 0 00\n", FIMBIT_INPUT_FIMI, "7 0", 1, 2);
    test_expect_dataset(".dat", "18446744073709551615 0\n", FIMBIT_INPUT_FIMI, "18446744073709551615 0", 1, 2);
    test_expect_dataset(".dat", "4294967296 1048576 1048575\n", FIMBIT_INPUT_FIMI,
                   "4294967296 1048576 1048575", 1, 3);
}

static void test_lines(void **state)
{
    (void)state;
    test_expect_dataset(".dat", "1 2\r\n3\r\n", FIMBIT_INPUT_AUTO, "1 2|3", 2, 3);
    test_expect_dataset(".dat", "1\n\n2\n", FIMBIT_INPUT_AUTO, "1||2", 3, 2);
    test_expect_dataset(".dat", "\n\n", FIMBIT_INPUT_AUTO, "|", 2, 0);
    test_expect_dataset(".dat", "1\n2", FIMBIT_INPUT_AUTO, "1|2", 2, 2);
    test_expect_dataset(".dat", "1\n2\n", FIMBIT_INPUT_AUTO, "1|2", 2, 2);
    test_expect_dataset(".dat", "1\n   ", FIMBIT_INPUT_AUTO, "1|", 2, 1);
    test_expect_dataset(".dat", "", FIMBIT_INPUT_AUTO, "", 0, 0);
    test_expect_dataset(".dat", "", FIMBIT_INPUT_FIMI, "", 0, 0);
    test_expect_dataset(".dat", "\r\n", FIMBIT_INPUT_FIMI, "", 1, 0);
}

static void test_duplicates(void **state)
{
    (void)state;
    fimbit_dataset *d = NULL;
    char path[256];
    assert_int_equal(test_read_text(".dat", "1 2 1 1 2\n1\n", NULL, &d, NULL, path), FIMBIT_OK);
    assert_int_equal(d->basket_offsets[1], 2);
    assert_int_equal(fimbit_dataset_item_support(d, 0), 2);
    assert_int_equal(fimbit_dataset_item_support(d, 1), 1);
    fimbit_dataset_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("1 2\n3 x 4\n", FIMBIT_INPUT_FIMI, FIMBIT_EPARSE,
                 "2:3: expected an item id, found 'x'");
    expect_error("1 2\n3 4x 4\n", FIMBIT_INPUT_FIMI, FIMBIT_EPARSE,
                 "2:3: expected an item id, found '4x'");
    expect_error("-1\n", FIMBIT_INPUT_FIMI, FIMBIT_EPARSE, "1:1: expected an item id, found '-1'");
    expect_error("1 2\r\n3 18446744073709551616\r\n", FIMBIT_INPUT_FIMI, FIMBIT_EPARSE,
                 "2:3: item id '18446744073709551616' is larger than 18446744073709551615");
    expect_error("1 99999999999999999999999\n", FIMBIT_INPUT_AUTO, FIMBIT_EPARSE,
                 "1:3: item id '99999999999999999999999' is larger than 18446744073709551615");
}

static void test_binary(void **state)
{
    (void)state;
    const char text[] = "1 2\n3\0 4\n";
    char path[256], expected[512];
    test_write_temp_file(text, sizeof text - 1, ".dat", path, sizeof path);
    const char *paths[] = {path};
    fimbit_dataset *d = NULL;
    fimbit_error error;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &d, &error), FIMBIT_EPARSE);
    snprintf(expected, sizeof expected, "%s:2:2: binary data (a NUL byte), not text", path);
    assert_string_equal(error.message, expected);
    assert_int_equal(error.line, 2);
    assert_int_equal(error.column, 2);
    unlink(path);
}

/* AUTO looks at the first 100 non-blank lines; a later non-integer token is
 * an error, not a switch to named baskets. */
static void test_auto_contradicted(void **state)
{
    (void)state;
    size_t size = 120 * 8 + 64;
    char *text = malloc(size);
    size_t used = 0;
    for (int i = 0; i < 120; i++)
        used += (size_t)snprintf(text + used, size - used, "%d %d\n", i, i + 1);
    snprintf(text + used, size - used, "5 abc\n");
    expect_error(text, FIMBIT_INPUT_AUTO, FIMBIT_EPARSE, "121:3: expected an item id, found 'abc'");
    /* Within the first lines it is simply named baskets. */
    test_expect_dataset(".dat", "1 2\n3 abc\n", FIMBIT_INPUT_AUTO, "1 2|3 abc", 2, 4);
    free(text);
}

static void test_several_inputs(void **state)
{
    (void)state;
    char first[256], second[256];
    test_write_temp_file("1 2", 3, ".dat", first, sizeof first);
    test_write_temp_file("2 3\n\n", 5, ".dat", second, sizeof second);
    const char *paths[] = {first, second};
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 2, NULL, &d, NULL), FIMBIT_OK);
    char got[256];
    test_dump_dataset(d, got, sizeof got);
    assert_string_equal(got, "1 2|2 3|");
    assert_int_equal(fimbit_dataset_item_count(d), 3);
    fimbit_dataset_free(d);
    unlink(first);
    unlink(second);
}

static void test_io_errors_and_options(void **state)
{
    (void)state;
    const char *missing[] = {"/nonexistent/fimbit/none.dat"};
    fimbit_dataset *d = (fimbit_dataset *)1;
    fimbit_error error;
    assert_int_equal(fimbit_dataset_read(missing, 1, NULL, &d, &error), FIMBIT_EIO);
    assert_null(d);
    assert_string_equal(error.message,
                        "/nonexistent/fimbit/none.dat: cannot open: No such file or directory");
    assert_string_equal(error.file, "/nonexistent/fimbit/none.dat");

    const char *folder[] = {"/tmp"};
    assert_int_equal(fimbit_dataset_read(folder, 1, NULL, &d, &error), FIMBIT_EIO);
    assert_string_equal(error.message, "/tmp: cannot read: Is a directory");

    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.threads = -1;
    assert_int_equal(fimbit_dataset_read(folder, 1, &options, &d, &error), FIMBIT_EINVAL);
    fimbit_read_options_init(&options);
    options.format = (fimbit_input_format)42;
    assert_int_equal(fimbit_dataset_read(folder, 1, &options, &d, &error), FIMBIT_EINVAL);
    fimbit_read_options_init(&options);
    options.header = 2;
    assert_int_equal(fimbit_dataset_read(folder, 1, &options, &d, &error), FIMBIT_EINVAL);
    fimbit_read_options_init(&options);
    options.separator = '\n';
    assert_int_equal(fimbit_dataset_read(folder, 1, &options, &d, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_read(folder, 1, NULL, NULL, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_read(folder, 0, NULL, &d, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_read(NULL, 1, NULL, &d, NULL), FIMBIT_EINVAL);
}

/* A generated input big enough to be cut into chunks: random ids (some past
 * the flat table), blank lines, repeats, CRLF lines. */
static char *generate_fimi(size_t baskets, size_t *length)
{
    size_t capacity = baskets * 64 + 64, used = 0;
    char *text = malloc(capacity);
    uint64_t state = 12345;
    for (size_t b = 0; b < baskets; b++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        int size = (int)((state >> 33) % 9);
        for (int k = 0; k < size; k++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t r = state >> 20;
            uint64_t id = (r % 10 == 0) ? (r % 5000000) : (r % 3000);
            used += (size_t)snprintf(text + used, capacity - used, "%s%llu", k ? " " : "",
                                     (unsigned long long)id);
        }
        used += (size_t)snprintf(text + used, capacity - used, (b % 7 == 3) ? "\r\n" : "\n");
    }
    *length = used;
    return text;
}

static void assert_same_dataset(const fimbit_dataset *a, const fimbit_dataset *b)
{
    assert_int_equal(a->basket_count, b->basket_count);
    assert_int_equal(a->item_count, b->item_count);
    test_assert_same_baskets(a, b);
    assert_memory_equal(a->item_support, b->item_support, a->item_count * sizeof *a->item_support);
    /* Supports are counted per chunk and merged: recount them here. */
    uint64_t *recount = calloc(a->item_count + 1, sizeof *recount);
    for (uint64_t k = 0; k < a->basket_offsets[a->basket_count]; k++)
        recount[dataset_item(a, k)]++;
    assert_memory_equal(recount, a->item_support, a->item_count * sizeof *recount);
    free(recount);
    assert_memory_equal(a->natural_rank, b->natural_rank, a->item_count * sizeof *a->natural_rank);
    for (uint32_t i = 0; i < a->item_count; i++)
        assert_string_equal(fimbit_dataset_item_name(a, i), fimbit_dataset_item_name(b, i));
}

static void test_parallel_is_deterministic(void **state)
{
    (void)state;
    size_t length;
    char *text = generate_fimi(60000, &length);
    char path[256];
    test_write_temp_file(text, length, ".dat", path, sizeof path);
    const char *paths[] = {path};
    fimbit_dataset *reference = NULL;
    int thread_counts[] = {1, 2, 3, 4, 8};
    for (size_t i = 0; i < sizeof thread_counts / sizeof *thread_counts; i++) {
        fimbit_read_options options;
        fimbit_read_options_init(&options);
        options.threads = thread_counts[i];
        fimbit_dataset *d = NULL;
        fimbit_error error;
        if (fimbit_dataset_read(paths, 1, &options, &d, &error) != FIMBIT_OK)
            fail_msg("%s", error.message);
        assert_int_equal(d->basket_count, 60000);
        if (reference == NULL)
            reference = d;
        else {
            assert_same_dataset(reference, d);
            fimbit_dataset_free(d);
        }
    }
    fimbit_dataset_free(reference);
    unlink(path);

    /* An error deep in the input is reported at the same place whatever the
     * thread count (and the first of two errors wins). */
    char *bad = strstr(text + length * 3 / 4, "\n");
    bad[1] = 'z';
    char *later = strstr(text + length * 7 / 8, "\n");
    later[1] = 'y';
    uint64_t line = 1;
    for (char *p = text; p <= bad; p++)
        line += *p == '\n';
    test_write_temp_file(text, length, ".dat", path, sizeof path);
    char expected[512];
    snprintf(expected, sizeof expected, "%s:%llu:1: expected an item id, found '", path,
             (unsigned long long)line);
    for (size_t i = 0; i < sizeof thread_counts / sizeof *thread_counts; i++) {
        fimbit_read_options options;
        fimbit_read_options_init(&options);
        options.threads = thread_counts[i];
        fimbit_dataset *d = NULL;
        fimbit_error error;
        assert_int_equal(fimbit_dataset_read(paths, 1, &options, &d, &error), FIMBIT_EPARSE);
        assert_memory_equal(error.message, expected, strlen(expected));
        assert_int_equal(error.line, line);
    }
    unlink(path);
    free(text);
}

static void check_shared_dataset(const char *name, uint64_t baskets, uint32_t items,
                                 uint64_t total_items)
{
    char path[1024];
    if (!test_dataset_path(name, path, sizeof path)) {
        skip();
        return;
    }
    const char *paths[] = {path};
    for (int threads = 1; threads <= 2; threads++) {
        fimbit_read_options options;
        fimbit_read_options_init(&options);
        options.threads = threads;
        fimbit_dataset *d = NULL;
        fimbit_error error;
        if (fimbit_dataset_read(paths, 1, &options, &d, &error) != FIMBIT_OK)
            fail_msg("%s", error.message);
        assert_int_equal(fimbit_dataset_basket_count(d), baskets);
        assert_int_equal(fimbit_dataset_item_count(d), items);
        assert_true(d->numeric_names);
        /* Counted independently (awk, repeats in a line once). */
        fimbit_dataset_stats stats;
        fimbit_dataset_get_stats(d, &stats);
        assert_int_equal(stats.total_items, total_items);
        fimbit_dataset_free(d);
    }
}

static void test_retail(void **state)
{
    (void)state;
    check_shared_dataset("retail.dat", 88162, 16470, 908576);
}

static void test_t10i4d100k(void **state)
{
    (void)state;
    check_shared_dataset("T10I4D100K.dat", 100000, 870, 1010228);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_ids_are_first_appearance),
        cmocka_unit_test(test_canonical_names_and_large_ids),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_auto_contradicted),
        cmocka_unit_test(test_several_inputs),
        cmocka_unit_test(test_io_errors_and_options),
        cmocka_unit_test(test_parallel_is_deterministic),
        cmocka_unit_test(test_retail),
        cmocka_unit_test(test_t10i4d100k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
