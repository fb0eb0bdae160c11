/* Long CSV: grouping by basket id, RFC 4180 quoting, headers, columns, errors. */
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

static void csv_options(fimbit_read_options *options, const char *basket, const char *item,
                        int header)
{
    fimbit_read_options_init(options);
    options->format = FIMBIT_INPUT_CSV;
    options->basket_column = basket;
    options->item_column = item;
    options->header = header;
}

static void expect_csv(const char *text, const fimbit_read_options *options, const char *expected,
                       uint64_t baskets, uint32_t items)
{
    test_expect_read(".csv", text, options, expected, baskets, items);
}

static void expect_csv_error(const char *text, const fimbit_read_options *options,
                             fimbit_status code, const char *expected_after_path)
{
    fimbit_dataset *d = (fimbit_dataset *)1;
    fimbit_error error;
    char path[256], expected[1024];
    assert_int_equal(test_read_text(".csv", text, options, &d, &error, path), code);
    assert_null(d);
    snprintf(expected, sizeof expected, "%s:%s", path, expected_after_path);
    assert_string_equal(error.message, expected);
}

static void test_grouping(void **state)
{
    (void)state;
    fimbit_read_options o;
    csv_options(&o, NULL, NULL, -1);
    /* Header guessed: "order" above integers. */
    expect_csv("order,item\n1,milk\n1,bread\n2,milk\n", &o, "milk bread|milk", 2, 2);
    /* No header: both rows start with an integer. */
    expect_csv("1,milk\n2,bread\n", &o, "milk|bread", 2, 2);
    /* Scattered rows: baskets by first appearance, items by row order. */
    expect_csv("7,a\n3,b\n7,c\n9,a\n3,a\n", &o, "a c|a b|a", 3, 3);
    /* Basket ids are text: "007" and "7" are two baskets. */
    expect_csv("7,a\n007,b\nx,c\n7,d\nx,a\n", &o, "a d|b|a c", 3, 4);
    /* Non-integer basket ids without a header. */
    expect_csv("x,a\ny,b\nx,b\n", &o, "a b|b", 2, 2);
    /* Repeated rows count once. */
    expect_csv("1,a\n1,a\n1,b\n", &o, "a b", 1, 2);
    /* CRLF, blank lines, surrounding blanks of unquoted fields. */
    expect_csv("1, a \r\n\r\n2,b\r\n1,c", &o, "a c|b", 2, 3);
    /* A row with an empty item still makes its basket. */
    expect_csv("1,a\n2,\n", &o, "a|", 2, 1);
    expect_csv("", &o, "", 0, 0);
}

static void test_quoting(void **state)
{
    (void)state;
    fimbit_read_options o;
    csv_options(&o, NULL, NULL, 1);
    fimbit_dataset *d = NULL;
    char path[256];
    assert_int_equal(test_read_text(".csv", "basket,item\n1,\"milk, 2%\"\n\"1\",\"say \"\"hi\"\"\"\n"
                               "2,\"multi\nline\"\r\n2, \"x\" \n",
                               &o, &d, NULL, path),
                     FIMBIT_OK);
    assert_int_equal(fimbit_dataset_basket_count(d), 2);
    assert_int_equal(fimbit_dataset_item_count(d), 4);
    assert_string_equal(fimbit_dataset_item_name(d, 0), "milk, 2%");
    assert_string_equal(fimbit_dataset_item_name(d, 1), "say \"hi\"");
    assert_string_equal(fimbit_dataset_item_name(d, 2), "multi\nline");
    assert_string_equal(fimbit_dataset_item_name(d, 3), "x");
    fimbit_dataset_free(d);
}

static void test_columns(void **state)
{
    (void)state;
    fimbit_read_options o;
    /* Named columns switch AUTO to long CSV and imply a header. */
    fimbit_read_options_init(&o);
    o.basket_column = "id";
    o.item_column = "product";
    expect_csv("product,x,id\nmilk,q,5\nbread,r,6\neggs,s,5\n", &o, "milk eggs|bread", 2, 3);
    /* 1-based indexes. */
    csv_options(&o, "3", "1", 0);
    expect_csv("milk,q,5\nbread,r,6\neggs,s,5\n", &o, "milk eggs|bread", 2, 3);
    csv_options(&o, "3", "1", 1);
    expect_csv("a,b,c\nmilk,q,5\n", &o, "milk", 1, 1);
    /* Another separator. */
    csv_options(&o, NULL, NULL, 0);
    o.separator = ';';
    expect_csv("1;a,b\n1;c\n", &o, "a,b c", 1, 2);
    o.separator = '\t';
    expect_csv("1\t a b \n", &o, "a b", 1, 1);
}

static void test_errors(void **state)
{
    (void)state;
    fimbit_read_options o;
    csv_options(&o, NULL, NULL, 0);
    expect_csv_error("1,a\n2\n", &o, FIMBIT_EPARSE, "2:2: missing item column 2: the row has 1 field");
    expect_csv_error("1,a\n2,\"abc\n\n", &o, FIMBIT_EPARSE, "2:3: unterminated quoted field");
    expect_csv_error("1,\"a\"x\n", &o, FIMBIT_EPARSE,
                     "1:6: expected a separator after a closing quote, found 'x'");
    csv_options(&o, "b", "item", -1);
    expect_csv_error("basket,item\n1,a\n", &o, FIMBIT_EPARSE,
                     "1:1: no column named 'b' in the header");
    csv_options(&o, "basket", "item", -1);
    expect_csv_error("basket,item\r\n1,a\r\n7\r\n", &o, FIMBIT_EPARSE,
                     "3:2: missing item column 'item' (column 2): the row has 1 field");
    csv_options(&o, "1", "4", 0);
    expect_csv_error("1,a\n", &o, FIMBIT_EPARSE, "1:4: missing item column 4: the row has 2 fields");

    const char text[] = "1,a\n2,b\0\n";
    char path[256], expected[512];
    test_write_temp_file(text, sizeof text - 1, ".csv", path, sizeof path);
    const char *paths[] = {path};
    fimbit_dataset *d = NULL;
    fimbit_error error;
    csv_options(&o, NULL, NULL, 0);
    assert_int_equal(fimbit_dataset_read(paths, 1, &o, &d, &error), FIMBIT_EPARSE);
    snprintf(expected, sizeof expected, "%s:2:4: binary data (a NUL byte), not text", path);
    assert_string_equal(error.message, expected);
    unlink(path);
}

static void test_invalid_options(void **state)
{
    (void)state;
    const char *paths[] = {"/nonexistent.csv"};
    fimbit_dataset *d = NULL;
    fimbit_error error;
    fimbit_read_options o;
    csv_options(&o, "basket", "item", 0);
    assert_int_equal(fimbit_dataset_read(paths, 1, &o, &d, &error), FIMBIT_EINVAL);
    csv_options(&o, "0", "1", 0);
    assert_int_equal(fimbit_dataset_read(paths, 1, &o, &d, &error), FIMBIT_EINVAL);
    csv_options(&o, "", "1", 0);
    assert_int_equal(fimbit_dataset_read(paths, 1, &o, &d, &error), FIMBIT_EINVAL);
    csv_options(&o, "2", NULL, 0);
    assert_int_equal(fimbit_dataset_read(paths, 1, &o, &d, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "the basket and item columns are the same column ('2')");
    csv_options(&o, NULL, NULL, 0);
    o.separator = '"';
    assert_int_equal(fimbit_dataset_read(paths, 1, &o, &d, &error), FIMBIT_EINVAL);
}

/* Several inputs are one table: each has its own header and line numbers,
 * and a basket id seen in two files is one basket. */
static void test_several_inputs(void **state)
{
    (void)state;
    char first[256], second[256];
    const char *a = "order,item\n1,milk\n2,bread\n";
    const char *b = "item,order\neggs,1\nbeer,3\n";
    test_write_temp_file(a, strlen(a), ".csv", first, sizeof first);
    test_write_temp_file(b, strlen(b), ".csv", second, sizeof second);
    const char *paths[] = {first, second};
    fimbit_read_options o;
    csv_options(&o, "order", "item", -1);
    fimbit_dataset *d = NULL;
    fimbit_error error;
    if (fimbit_dataset_read(paths, 2, &o, &d, &error) != FIMBIT_OK)
        fail_msg("%s", error.message);
    char got[256];
    test_dump_dataset(d, got, sizeof got);
    assert_string_equal(got, "milk eggs|bread|beer");
    fimbit_dataset_free(d);
    unlink(second);

    const char *bad = "order,item\n4,tea\n5\n";
    test_write_temp_file(bad, strlen(bad), ".csv", second, sizeof second);
    assert_int_equal(fimbit_dataset_read(paths, 2, &o, &d, &error), FIMBIT_EPARSE);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s:3:2: missing item column 'item' (column 2): the row has 1 field", second);
    assert_string_equal(error.message, expected);
    unlink(first);
    unlink(second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grouping),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_invalid_options),
        cmocka_unit_test(test_several_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
