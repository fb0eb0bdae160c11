/*
 * The RFM calls of include/fimbit.h: option checks, a hand-computed record
 * set through fimbit_rfm_get, integer and other customer ids side by side,
 * the statistics, the per-segment summary, the segment table for every
 * (r, f), the writers, every allocation failing in turn (ENOMEM with a
 * message, no output file, or the undisturbed bytes), and a file read in
 * small blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fimbit.h"
#include "base/internal.h"
#include "read/reader.h"
#include "test_data.h"

/* Four customers; dan has only a return. Latest 2020-01-10, so as-of is
 * 2020-01-11. recency: ann 1, bo 5, cy 1, dan 9; frequency: ann 3 (order 2
 * twice), bo 1,
 * cy 1, dan 1; monetary: ann 10 + 5 - 2.5 = 12.5, bo 100, cy 12.5, dan -3.
 * n = 4, 5 bins: score = 1 + floor(5b/4). */
static const char orders[] =
    "order,customer,when,amount\n"
    "1,ann,2020-01-01,10\n"
    "2,ann,2020-01-05,5\n"
    "2,ann,2020-01-05,0\n"
    "3,bo,2020-01-06T10:00,100\n"
    "4,cy,2020-01-10,12.5\n"
    "5,,2020-01-11,7\n"
    "6,ann,2020-01-10 23:00,-2.5\n"
    "7,dan,2020-01-02,-3\n";

static void options_for(fimbit_rfm_options *o)
{
    fimbit_rfm_options_init(o);
    o->customer_column = "customer";
    o->order_column = "order";
    o->date_column = "when";
    o->amount = "amount";
}

static fimbit_rfm *compute(const char *path, const fimbit_rfm_options *o)
{
    fimbit_rfm *rfm = NULL;
    fimbit_error error = {0};
    const char *paths[] = {path};
    if (fimbit_rfm_compute(paths, 1, o, &rfm, &error) != FIMBIT_OK)
        fail_msg("fimbit_rfm_compute: %s", error.message);
    return rfm;
}

static void test_option_checks(void **state)
{
    (void)state;
    fimbit_rfm_options o;
    fimbit_error error = {0};
    options_for(&o);
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_OK);
    assert_int_equal(fimbit_rfm_options_check(NULL, &error), FIMBIT_EINVAL);
    o.order_column = NULL;
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);
    assert_non_null(strstr(error.message, "order column"));
    options_for(&o);
    o.customer_column = "0";
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);
    options_for(&o);
    const char *bad_amounts[] = {"", "*", "a*", "*b", "a*b*c", " * b"};
    for (size_t i = 0; i < sizeof bad_amounts / sizeof *bad_amounts; i++) {
        o.amount = bad_amounts[i];
        assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);
    }
    o.amount = " qty * price ";
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_OK);
    options_for(&o);
    o.bins = 1;
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);
    o.bins = 1001;
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);
    options_for(&o);
    o.date_format = "%d/%m";
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);
    assert_non_null(strstr(error.message, "no year"));
    o.date_format = "%d/%m/%Y";
    o.as_of = "31/12/2020";
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_OK);
    o.as_of = "2020-12-31";
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_OK);
    o.as_of = "31.12.2020";
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);
    options_for(&o);
    o.separator = '"';
    assert_int_equal(fimbit_rfm_options_check(&o, &error), FIMBIT_EINVAL);

    fimbit_rfm *rfm = (fimbit_rfm *)1;
    const char *paths[] = {"-"};
    options_for(&o);
    assert_int_equal(fimbit_rfm_compute(NULL, 0, &o, &rfm, &error), FIMBIT_EINVAL);
    assert_null(rfm);
    assert_int_equal(fimbit_rfm_compute(paths, 1, &o, NULL, &error), FIMBIT_EINVAL);
    fimbit_rfm_free(NULL);
}

static void expect_customer(const fimbit_rfm *rfm, size_t index, const char *name,
                            int64_t recency, uint64_t frequency, const char *monetary,
                            uint32_t r, uint32_t f, uint32_t m, const char *segment)
{
    fimbit_rfm_customer c;
    assert_int_equal(fimbit_rfm_get(rfm, index, &c), FIMBIT_OK);
    assert_string_equal(c.customer, name);
    assert_int_equal(c.recency, recency);
    assert_int_equal(c.frequency, frequency);
    assert_string_equal(c.monetary_text, monetary);
    assert_true(c.monetary == strtod(monetary, NULL));
    assert_int_equal(c.r, r);
    assert_int_equal(c.f, f);
    assert_int_equal(c.m, m);
    assert_string_equal(c.segment, segment);
}

static void test_hand_computed(void **state)
{
    (void)state;
    char path[256];
    test_write_temp_file(orders, sizeof orders - 1, ".csv", path, sizeof path);
    fimbit_rfm_options o;
    options_for(&o);
    fimbit_rfm *rfm = compute(path, &o);
    assert_int_equal(fimbit_rfm_customer_count(rfm), 4);
    /* R: b = strictly larger recency: ann 1 (bo, dan) -> 1 + 10/4 = 3; bo 1
     * (dan) -> 2; cy as ann; dan 0 -> 1. F: ann 3 (three below) -> 4; others
     * 1. M: ann 12.5 (dan) -> 2; bo (three) -> 4; cy as ann; dan -> 1. */
    expect_customer(rfm, 0, "ann", 1, 3, "12.5", 3, 4, 2, "loyal_customers");
    expect_customer(rfm, 1, "bo", 5, 1, "100", 2, 1, 4, "hibernating");
    expect_customer(rfm, 2, "cy", 1, 1, "12.5", 3, 1, 2, "about_to_sleep");
    expect_customer(rfm, 3, "dan", 9, 1, "-3", 1, 1, 1, "hibernating");
    fimbit_rfm_customer c;
    assert_int_equal(fimbit_rfm_get(rfm, 4, &c), FIMBIT_EINVAL);
    assert_int_equal(fimbit_rfm_get(NULL, 0, &c), FIMBIT_EINVAL);

    fimbit_rfm_stats stats;
    fimbit_rfm_get_stats(rfm, &stats);
    assert_int_equal(stats.rows, 8);
    assert_int_equal(stats.rows_without_customer, 1);
    assert_int_equal(stats.customers, 4);
    assert_int_equal(stats.bins, 5);
    assert_string_equal(stats.latest, "2020-01-10"); /* the skipped row's date does not count */
    assert_string_equal(stats.as_of, "2020-01-11");

    fimbit_rfm_segment_summary segments[FIMBIT_RFM_MAX_SEGMENTS];
    size_t count = 0;
    fimbit_rfm_summarize(rfm, segments, &count);
    assert_int_equal(count, 3); /* best first */
    assert_string_equal(segments[0].segment, "loyal_customers");
    assert_string_equal(segments[1].segment, "about_to_sleep");
    assert_string_equal(segments[2].segment, "hibernating");
    assert_int_equal(segments[2].customers, 2);
    assert_true(segments[2].share == 0.5);
    assert_true(segments[2].mean_recency == 7.0);
    assert_true(segments[2].mean_frequency == 1.0);
    assert_true(segments[2].mean_monetary == 48.5);
    fimbit_rfm_free(rfm);

    o.as_of = "2019-12-31"; /* before every date: negative recency */
    o.bins = 2;
    rfm = compute(path, &o);
    /* With 2 bins: ann b = 2, 3, 1 -> r 2, f 2, m 1; dan b = 0 everywhere. */
    expect_customer(rfm, 0, "ann", -10, 3, "12.5", 2, 2, 1, "");
    expect_customer(rfm, 3, "dan", -2, 1, "-3", 1, 1, 1, "");
    fimbit_rfm_summarize(rfm, segments, &count);
    assert_int_equal(count, 1);
    assert_string_equal(segments[0].segment, "");
    assert_int_equal(segments[0].customers, 4);
    fimbit_rfm_free(rfm);
    unlink(path);
}

/* Integer customer ids go through a map of their own: "12" and "012" stay
 * two customers, and an order of two customers counts for each. */
static void test_integer_customers(void **state)
{
    (void)state;
    static const char rows[] = "order,customer,when,amount\n"
                               "1,12,2020-01-01,1\n"
                               "1,012,2020-01-01,2\n"
                               "2,12,2020-01-02,3\n"
                               "1,12,2020-01-03,4\n";
    char path[256];
    test_write_temp_file(rows, sizeof rows - 1, ".csv", path, sizeof path);
    fimbit_rfm_options o;
    options_for(&o);
    fimbit_rfm *rfm = compute(path, &o);
    assert_int_equal(fimbit_rfm_customer_count(rfm), 2);
    fimbit_rfm_customer c;
    assert_int_equal(fimbit_rfm_get(rfm, 0, &c), FIMBIT_OK);
    assert_string_equal(c.customer, "12");
    assert_int_equal(c.frequency, 2);
    assert_string_equal(c.monetary_text, "8");
    assert_int_equal(fimbit_rfm_get(rfm, 1, &c), FIMBIT_OK);
    assert_string_equal(c.customer, "012");
    assert_int_equal(c.frequency, 1);
    fimbit_rfm_free(rfm);
    unlink(path);
}

static void test_segment_table(void **state)
{
    (void)state;
    /* The table, row by row: r 1-2, 3, 4, 5 against f 1..5. */
    static const char *const expected[5][5] = {
        {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},
        {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},
        {"about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers",
         "loyal_customers"},
        {"promising", "potential_loyalists", "potential_loyalists", "loyal_customers",
         "loyal_customers"},
        {"new_customers", "potential_loyalists", "potential_loyalists", "champions",
         "champions"}};
    /* 25 customers with every (recency, frequency) pair of ranks 0..4: with
     * n = 25 and 5 bins, five customers share each value, so b = 5k and the
     * score is 1 + k. */
    char text[4096] = "order,customer,when,amount\n";
    size_t length = strlen(text);
    int order = 0;
    for (int rr = 0; rr < 5; rr++)
        for (int ff = 0; ff < 5; ff++)
            for (int k = 0; k <= ff; k++)
                length += (size_t)snprintf(text + length, sizeof text - length,
                                           "%d,c%d%d,2020-01-%02d,1\n", order++, rr, ff,
                                           1 + rr);
    char path[256];
    test_write_temp_file(text, length, ".csv", path, sizeof path);
    fimbit_rfm_options o;
    options_for(&o);
    fimbit_rfm *rfm = compute(path, &o);
    assert_int_equal(fimbit_rfm_customer_count(rfm), 25);
    for (size_t i = 0; i < 25; i++) {
        fimbit_rfm_customer c;
        assert_int_equal(fimbit_rfm_get(rfm, i, &c), FIMBIT_OK);
        int rr = c.customer[1] - '0', ff = c.customer[2] - '0';
        assert_int_equal(c.r, rr + 1); /* later days are more recent */
        assert_int_equal(c.f, ff + 1);
        assert_string_equal(c.segment, expected[rr][ff]);
    }
    fimbit_rfm_free(rfm);
    unlink(path);
}

/* Computes and writes CSV to `output`; on ENOMEM the output must not exist. */
static fimbit_status compute_and_write(const char *input, const char *output,
                                       fimbit_format format, fimbit_error *error)
{
    fimbit_rfm_options o;
    options_for(&o);
    fimbit_rfm *rfm = NULL;
    const char *paths[] = {input};
    fimbit_status status = fimbit_rfm_compute(paths, 1, &o, &rfm, error);
    if (status == FIMBIT_OK)
        status = fimbit_rfm_write(rfm, format, output, error);
    fimbit_rfm_free(rfm);
    return status;
}

static void test_writers_and_allocation_failures(void **state)
{
    (void)state;
    char input[256], output[300];
    test_write_temp_file(orders, sizeof orders - 1, ".csv", input, sizeof input);
    snprintf(output, sizeof output, "%s.out", input);
    fimbit_error error = {0};
    assert_int_equal(compute_and_write(input, output, FIMBIT_FORMAT_JSONL, &error), FIMBIT_OK);
    size_t size;
    char *jsonl = test_read_file(output, &size);
    assert_non_null(strstr(jsonl, "{\"customer\":\"dan\",\"recency\":9,\"frequency\":1,"
                                  "\"monetary\":-3,\"r\":1,\"f\":1,\"m\":1,"
                                  "\"segment\":\"hibernating\"}\n"));
    free(jsonl);
    assert_int_equal(compute_and_write(input, output, (fimbit_format)7, &error), FIMBIT_EINVAL);

    assert_int_equal(compute_and_write(input, output, FIMBIT_FORMAT_CSV, &error), FIMBIT_OK);
    char *reference = test_read_file(output, &size);
    assert_string_equal(reference, "customer,recency,frequency,monetary,r,f,m,segment\n"
                                   "ann,1,3,12.5,3,4,2,loyal_customers\n"
                                   "bo,5,1,100,2,1,4,hibernating\n"
                                   "cy,1,1,12.5,3,1,2,about_to_sleep\n"
                                   "dan,9,1,-3,1,1,1,hibernating\n");
    unlink(output);
    for (uint64_t n = 1;; n++) {
        fimbit__alloc_fail_after(n);
        fimbit_status status = compute_and_write(input, output, FIMBIT_FORMAT_CSV, &error);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK) {
            char *written = test_read_file(output, &size);
            assert_string_equal(written, reference);
            free(written);
            break;
        }
        if (status != FIMBIT_ENOMEM)
            fail_msg("allocation %llu: %s", (unsigned long long)n, error.message);
        assert_true(error.message[0] != '\0');
        assert_int_equal(access(output, F_OK), -1);
        assert_true(n < 1000);
    }
    free(reference);
    unlink(output);
    unlink(input);
}

/* A mapped file is fed to the reader a block at a time: with blocks of a
 * few dozen bytes, rows (a quoted customer with a line break among them)
 * run over every block's end, and the records are those of one block. */
static void test_small_blocks(void **state)
{
    (void)state;
    static char rows[64 * 1024];
    size_t used = (size_t)snprintf(rows, sizeof rows, "order,customer,when,amount\n");
    for (int k = 0; k < 1500; k++)
        used += (size_t)snprintf(rows + used, sizeof rows - used,
                                 k % 9 == 0 ? "%d,\"c%d,\n\",2020-01-%02d,%d.5\n"
                                            : "%d,c%d,2020-01-%02d,%d.5\n",
                                 k / 3, k * 7 % 41, 1 + k % 28, k % 13 - 4);
    char input[256], output[300];
    test_write_temp_file(rows, used, ".csv", input, sizeof input);
    snprintf(output, sizeof output, "%s.out", input);
    fimbit_error error = {0};
    assert_int_equal(compute_and_write(input, output, FIMBIT_FORMAT_CSV, &error), FIMBIT_OK);
    size_t size;
    char *whole = test_read_file(output, &size);
    reader_block_size = 61;
    assert_int_equal(compute_and_write(input, output, FIMBIT_FORMAT_CSV, &error), FIMBIT_OK);
    reader_block_size = READER_BLOCK_SIZE;
    char *blocks = test_read_file(output, &size);
    assert_string_equal(blocks, whole);
    assert_non_null(strstr(whole, "\"c0,\n\","));
    free(whole);
    free(blocks);
    unlink(output);
    unlink(input);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_checks),
        cmocka_unit_test(test_hand_computed),
        cmocka_unit_test(test_integer_customers),
        cmocka_unit_test(test_segment_table),
        cmocka_unit_test(test_writers_and_allocation_failures),
        cmocka_unit_test(test_small_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
