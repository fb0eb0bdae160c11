/*
 * fimbit_rfm_compute on several threads: a block of order lines is cut into
 * slices parsed side by side and merged in input order (src/rfm/rfm_read.c,
 * rfm_tally.c). Wherever the cuts fall — inside orders of several lines, in
 * quoted customer names with line breaks, beside quotes inside unquoted
 * fields — the records equal those of one thread byte for byte: customers
 * in order of first appearance (many first appear late), each (customer,
 * order) pair counted once when an order's rows are split between slices
 * or an order id comes back much later, with another customer too, exact
 * sums and the latest day. An error names the first bad line in input
 * order, a limit or a sum out of range meets the run where one thread
 * meets it.
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

#include "base/internal.h"
#include "fimbit.h"
#include "read/reader.h"
#include "rfm/rfm_orders.h"
#include "test_data.h"

enum { ROWS = 1600, TEXT = 96 * 1024 };

/* The line each row of the last make_orders starts on. */
static uint64_t row_lines[ROWS];

static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

/* A customer's id as written: integers, names, quoted names with a
 * separator and a line break, names with a quote inside an unquoted field
 * (which fools a cut's quote parity). */
static void customer_field(uint64_t k, char *out, size_t size)
{
    const char *forms[4] = {"%llu", "cu%llu", "\"c,%llu\n\"", "x\"y%llu"};
    snprintf(out, size, forms[k % 4], (unsigned long long)(k % 4 == 0 ? 9000 + k : k));
}

/* Order lines: orders of one to five rows with rising numbers, returns
 * named "C...", now and then an old order id again (with its customer or
 * another), rows without a customer; customers drawn from a pool that grows
 * with the rows, so new ones appear until the end. `bad` rows (row number,
 * or -1) get a bad date and a bad number; `amounts` (may be NULL) replaces
 * the amount of rows 100 and ROWS - 100, ROWS - 99. */
static char *make_orders(uint64_t seed, int bad_date, int bad_number, const char *const *amounts)
{
    char *text = malloc(TEXT);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, TEXT, "order,customer,when,amount\n");
    uint64_t state = seed, order = 5000, customer = 0, line = 2;
    int left = 0;
    char order_id[32], who[32];
    for (int row = 0; row < ROWS; row++) {
        if (left == 0) {
            left = 1 + (int)(next_random(&state) % 5);
            customer = next_random(&state) % (3 + (uint64_t)row / 12);
            uint64_t kind = next_random(&state) % 10;
            if (kind == 0 && order > 5010)
                snprintf(order_id, sizeof order_id, "%llu",
                         (unsigned long long)(5000 + next_random(&state) % (order - 5000)));
            else if (kind == 1)
                snprintf(order_id, sizeof order_id, "C%llu", (unsigned long long)order++);
            else
                snprintf(order_id, sizeof order_id, "%llu", (unsigned long long)order++);
        }
        left--;
        if (next_random(&state) % 17 == 0)
            who[0] = '\0';
        else
            customer_field(customer, who, sizeof who);
        char amount[48];
        snprintf(amount, sizeof amount, "%s%llu.%02llu", next_random(&state) % 7 ? "" : "-",
                 (unsigned long long)(next_random(&state) % 90),
                 (unsigned long long)(next_random(&state) % 100));
        if (amounts != NULL && (row == 100 || row == ROWS - 100 || row == ROWS - 99)) {
            snprintf(amount, sizeof amount, "%s",
                     amounts[row == 100          ? 0
                             : row == ROWS - 100 ? 1
                                                 : 2]);
            snprintf(who, sizeof who, "big");
        }
        int day = 1 + (int)(next_random(&state) % 28), month = 1 + row * 12 / ROWS;
        row_lines[row] = line;
        line += 1 + (strchr(who, '\n') != NULL);
        used +=
            (size_t)snprintf(text + used, TEXT - used, "%s,%s,%s2020-%02d-%02d%s,%s\n", order_id,
                             who, row % 5 == 0 ? "\"" : "", row == bad_date ? 13 : month, day,
                             row % 5 == 0 ? " 10:00\"" : "", row == bad_number ? "1.2.3" : amount);
        assert_true(used < TEXT);
    }
    return text;
}

/* The records as CSV and the row counts, or the error, after a run with
 * `threads`: a string to compare. */
static char *run(const char *path, int threads, fimbit_status *status)
{
    fimbit_rfm_options o;
    fimbit_rfm_options_init(&o);
    o.customer_column = "customer";
    o.order_column = "order";
    o.date_column = "when";
    o.amount = "amount";
    o.threads = threads;
    fimbit_rfm *rfm = NULL;
    fimbit_error error = {0};
    const char *paths[] = {path};
    char output[300];
    snprintf(output, sizeof output, "%s.out", path);
    *status = fimbit_rfm_compute(paths, 1, &o, &rfm, &error);
    if (*status == FIMBIT_OK)
        *status = fimbit_rfm_write(rfm, FIMBIT_FORMAT_CSV, output, &error);
    if (*status != FIMBIT_OK) {
        fimbit_rfm_free(rfm);
        assert_null(rfm == NULL ? NULL : (void *)0);
        return strdup(error.message);
    }
    fimbit_rfm_stats stats;
    fimbit_rfm_get_stats(rfm, &stats);
    fimbit_rfm_free(rfm);
    size_t size;
    char *records = test_read_file(output, &size);
    unlink(output);
    char *result = malloc(size + 64);
    snprintf(result, size + 64, "%s%llu rows, %llu without a customer\n", records,
             (unsigned long long)stats.rows, (unsigned long long)stats.rows_without_customer);
    free(records);
    return result;
}

/* Slices of a few dozen bytes to a few KiB (the text is some 50 KiB), in
 * one block or in blocks of a few KiB that records run over. */
static const struct {
    size_t slice, block;
} sizes[] = {{53, READER_BLOCK_SIZE},
             {211, READER_BLOCK_SIZE},
             {1024, READER_BLOCK_SIZE},
             {4096, READER_BLOCK_SIZE},
             {211, 3001},
             {1024, 7919}};

/* Runs `path` at 2, 3 and 4 threads in every size and expects `expected`
 * (and `status`). */
static void expect_every_cut(const char *path, const char *expected, fimbit_status status)
{
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int threads = 2; threads <= 4; threads++) {
            csv_slice_min = sizes[s].slice;
            reader_block_size = sizes[s].block;
            fimbit_status got;
            char *result = run(path, threads, &got);
            csv_slice_min = CSV_SLICE_MIN;
            reader_block_size = READER_BLOCK_SIZE;
            if (got != status || strcmp(result, expected) != 0)
                fail_msg("slices of %zu, blocks of %zu, %d threads: status %d (expected %d)\n"
                         "%.300s\nexpected\n%.300s",
                         sizes[s].slice, sizes[s].block, threads, got, status, result, expected);
            free(result);
        }
}

static void test_records_at_any_cut(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        char *text = make_orders(seed, -1, -1, NULL);
        char path[256];
        test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
        fimbit_status status;
        char *expected = run(path, 1, &status);
        assert_int_equal(status, FIMBIT_OK);
        assert_non_null(strstr(expected, "\"c,2\n\","));
        assert_non_null(strstr(expected, "\"x\"\"y3\","));
        expect_every_cut(path, expected, FIMBIT_OK);
        free(expected);
        free(text);
        unlink(path);
    }
}

/* Two bad rows far apart: the first is named, whatever slice each is in. */
static void test_first_error_wins(void **state)
{
    (void)state;
    const int pairs[][2] = {{400, 1300}, {1300, 400}, {1500, 90}};
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        char *text = make_orders(5, pairs[k][0], pairs[k][1], NULL);
        char path[256];
        test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
        fimbit_status status;
        char *expected = run(path, 1, &status);
        assert_int_equal(status, FIMBIT_EPARSE);
        int first = pairs[k][0] < pairs[k][1] ? pairs[k][0] : pairs[k][1];
        char where[300];
        snprintf(where, sizeof where, "%s:%llu:", path, (unsigned long long)row_lines[first]);
        if (strstr(expected, where) == NULL)
            fail_msg("'%s' does not name %s", expected, where);
        assert_non_null(strstr(expected, first == pairs[k][0] ? "invalid date" : "invalid number"));
        expect_every_cut(path, expected, FIMBIT_EPARSE);
        free(expected);
        free(text);
        unlink(path);
    }
}

/* Customer "big": 6e35 early, then 6e35 and -6e35 late and side by side.
 * One pass goes past 10^36 at the second row; a slice holding the last two
 * alone adds up to 0, which must not hide it. */
static void test_sum_out_of_range_where_one_pass_meets_it(void **state)
{
    (void)state;
    const char *amounts[] = {"6e35", "6e35", "-6e35"};
    char *text = make_orders(7, -1, -1, amounts);
    char path[256];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    fimbit_status status;
    char *expected = run(path, 1, &status);
    assert_int_equal(status, FIMBIT_ELIMIT);
    char where[400];
    snprintf(where, sizeof where, "%s:%llu:1: the amounts of customer 'big' add up beyond 10^36",
             path, (unsigned long long)row_lines[ROWS - 100]);
    assert_string_equal(expected, where);
    expect_every_cut(path, expected, FIMBIT_ELIMIT);
    free(expected);
    free(text);
    unlink(path);
}

/* Past rfm_orders_limit distinct orders: a limit error naming the row. */
static void test_order_limit(void **state)
{
    (void)state;
    char *text = make_orders(3, -1, -1, NULL);
    char path[256];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    rfm_orders_limit = 300;
    fimbit_status status;
    char *expected = run(path, 1, &status);
    assert_int_equal(status, FIMBIT_ELIMIT);
    if (strstr(expected, ":1: more than 300 distinct orders") == NULL)
        fail_msg("'%s'", expected);
    expect_every_cut(path, expected, FIMBIT_ELIMIT);
    rfm_orders_limit = DICT_MAX_ITEMS;
    free(expected);
    free(text);
    unlink(path);
}

/* Every allocation failing in turn (and every later one), on three threads
 * (blocks of 20,000 bytes, slices of 4 KiB: a merge in every block): ENOMEM
 * with a message and no output file, never a crash or other records. */
static void test_allocation_failures(void **state)
{
    (void)state;
    char *text = make_orders(2, -1, -1, NULL);
    char path[256], output[300];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    snprintf(output, sizeof output, "%s.out", path);
    fimbit_status status;
    char *expected = run(path, 1, &status);
    for (uint64_t n = 1;; n++) {
        csv_slice_min = 4096;
        reader_block_size = 20000;
        fimbit__alloc_fail_after(n);
        char *result = run(path, 3, &status);
        uint64_t made = fimbit__alloc_fail_after(0);
        csv_slice_min = CSV_SLICE_MIN;
        reader_block_size = READER_BLOCK_SIZE;
        if (made < n) { /* none failed */
            assert_int_equal(status, FIMBIT_OK);
            assert_string_equal(result, expected);
            free(result);
            break;
        }
        if (status != FIMBIT_ENOMEM)
            fail_msg("allocation %llu: %s", (unsigned long long)n, result);
        assert_non_null(strstr(result, "out of memory"));
        assert_int_equal(access(output, F_OK), -1);
        free(result);
        assert_true(n < 20000);
    }
    free(expected);
    free(text);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_at_any_cut),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_sum_out_of_range_where_one_pass_meets_it),
        cmocka_unit_test(test_order_limit),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
