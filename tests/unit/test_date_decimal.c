/*
 * The order-line value parsers of src/read: dates (ISO 8601 and
 * strptime-style formats) as day numbers, checked against a day count made
 * by walking the calendar; exact decimals, their sums, products, order and
 * shortest text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "read/date.h"
#include "read/decimal.h"

static int32_t iso_day(const char *text)
{
    int32_t day = INT32_MIN;
    date_problem problem = {0};
    if (!date_parse_iso(text, strlen(text), &day, &problem))
        fail_msg("'%s' was refused at %zu: %s", text, problem.at, problem.reason);
    return day;
}

static void expect_iso_error(const char *text, size_t at)
{
    int32_t day;
    date_problem problem = {0};
    assert_false(date_parse_iso(text, strlen(text), &day, &problem));
    if (problem.at != at)
        fail_msg("'%s': problem at %zu, expected %zu (%s)", text, problem.at, at, problem.reason);
    assert_non_null(problem.reason);
}

static int32_t format_day(const char *format, const char *text)
{
    int32_t day = INT32_MIN;
    date_problem problem = {0};
    assert_null(date_format_check(format));
    if (!date_parse_format(format, text, strlen(text), &day, &problem))
        fail_msg("'%s' as '%s' was refused at %zu: %s", text, format, problem.at, problem.reason);
    return day;
}

/* Day numbers by walking the calendar one day at a time from 1970-01-01,
 * forwards and backwards: an independent check of the era arithmetic. */
static void test_days_match_a_calendar_walk(void **state)
{
    (void)state;
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = 1970, month = 1, day = 1;
    for (int32_t n = 0; n < 200000; n++) { /* to the year 2517 */
        assert_int_equal(date_from_civil(year, month, day), n);
        char text[16], expected[48];
        date_format_iso(n, text);
        snprintf(expected, sizeof expected, "%04d-%02d-%02d", year, month, day);
        assert_string_equal(text, expected);
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        int length = month == 2 && leap ? 29 : month_days[month - 1];
        if (++day > length) {
            day = 1;
            if (++month > 12) {
                month = 1;
                year++;
            }
        }
    }
    year = 1969, month = 12, day = 31;
    for (int32_t n = -1; n > -719529; n--) { /* back to 0000-01-01 */
        assert_int_equal(date_from_civil(year, month, day), n);
        if (--day < 1) {
            if (--month < 1) {
                month = 12;
                year--;
            }
            bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            day = month == 2 && leap ? 29 : month_days[month - 1];
        }
    }
    assert_int_equal(year, -1);
}

static void test_iso_forms(void **state)
{
    (void)state;
    int32_t day = date_from_civil(2011, 12, 9);
    assert_int_equal(day, 15317);
    const char *same_day[] = {"2011-12-09",
                              "2011-12-09 12:50",
                              "2011-12-09 12:50:00",
                              "2011-12-09T12:50:00Z",
                              "2011-12-09t23:59:59.999999",
                              "2011-12-09T00:00:00,5",
                              "2011-12-09T12:50+01",
                              "2011-12-09T12:50:00-0530",
                              "2011-12-09 23:30:00+14:00",
                              "2011-12-09T12:50:60z"};
    for (size_t i = 0; i < sizeof same_day / sizeof *same_day; i++)
        assert_int_equal(iso_day(same_day[i]), day);
    assert_int_equal(iso_day("2012-02-29"), date_from_civil(2012, 3, 1) - 1);
    assert_int_equal(iso_day("2000-02-29"), 11016);
    assert_int_equal(iso_day("0000-01-01"), -719528);
    assert_int_equal(iso_day("9999-12-31"), 2932896);
}

static void test_iso_errors(void **state)
{
    (void)state;
    expect_iso_error("", 0);
    expect_iso_error("11-12-09", 2);
    expect_iso_error("2011/12/09", 4);
    expect_iso_error("2011-1-09", 6);
    expect_iso_error("2011-13-09", 0);    /* month: the whole date */
    expect_iso_error("2011-02-29", 0);    /* not a leap year */
    expect_iso_error("1900-02-29", 0);
    expect_iso_error("2011-12-00", 0);
    expect_iso_error("2011-12-09 24:00", 0);
    expect_iso_error("2011-12-09 12:60", 0);
    expect_iso_error("2011-12-09 12", 13);
    expect_iso_error("2011-12-09_12:50", 10);
    expect_iso_error("2011-12-09 12:50:", 17);
    expect_iso_error("2011-12-09 12:50:00.", 20);
    expect_iso_error("2011-12-09T12:50Z ", 17);
    expect_iso_error("2011-12-09T12:50+1", 18);
    expect_iso_error("2011-12-09T12:50+25:00", 22);
    expect_iso_error("2011-12-09 ", 11);
}

static void test_formats(void **state)
{
    (void)state;
    int32_t day = date_from_civil(2010, 12, 1);
    assert_int_equal(format_day("%m/%d/%Y %H:%M", "12/1/2010 8:26"), day);
    assert_int_equal(format_day("%m/%d/%Y %H:%M", "12/01/2010 08:26"), day);
    assert_int_equal(format_day("%d.%m.%y", "01.12.10"), day);
    assert_int_equal(format_day("%d.%m.%y", "1.12.69"), date_from_civil(1969, 12, 1));
    assert_int_equal(format_day("%e %b %Y", " 1 Dec 2010"), day);
    assert_int_equal(format_day("%a, %d %B %Y %T %z", "Wed, 01 december 2010 23:59:59 +0000"),
                     day);
    assert_int_equal(format_day("%F", "2010-12-01"), day);
    assert_int_equal(format_day("%D %I:%M %p", "12/01/10 12:30 AM"), day);
    assert_int_equal(format_day("%D %I:%M %p", "12/01/10 11:59 pm"), day);
    assert_int_equal(format_day("%Y%j", "2010335"), day);
    assert_int_equal(format_day("%Y-%m-%dT%H:%M:%S.%f", "2010-12-01T10:00:00.123"), day);
    assert_int_equal(format_day("%Y %m %d", "2010\t12  1  "), day); /* white space: any amount */
    assert_int_equal(format_day("%Y-%m-%d%n", "2010-12-01"), day);
    assert_int_equal(format_day("100%% %Y-%m-%d", "100% 2010-12-01"), day);

    int32_t parsed;
    date_problem problem;
    assert_false(date_parse_format("%m/%d/%Y", "2010-12-01", 10, &parsed, &problem));
    assert_int_equal(problem.at, 2); /* "20" is a month of 20, then '1' is not '/' */
    assert_false(date_parse_format("%m/%d/%Y", "13/01/2010", 10, &parsed, &problem));
    assert_false(date_parse_format("%m/%d/%Y", "02/30/2010", 10, &parsed, &problem));
    assert_false(date_parse_format("%m/%d/%Y", "12/01/2010 8:26", 15, &parsed, &problem));
    assert_int_equal(problem.at, 11);
    assert_false(date_parse_format("%I %p %F", "13 PM 2010-12-01", 16, &parsed, &problem));
    assert_false(date_parse_format("%b %d %Y", "Dez 01 2010", 11, &parsed, &problem));
    assert_int_equal(problem.at, 0);
    assert_false(date_parse_format("%Y%j", "2010366", 7, &parsed, &problem));

    assert_non_null(date_format_check("%Y-%m"));
    assert_non_null(date_format_check("%m/%d"));
    assert_non_null(date_format_check("%Y-%m-%d %Q"));
    assert_non_null(date_format_check("%Y-%m-%d %"));
    assert_null(date_format_check("%Y-%j"));
}

static decimal parse(const char *text)
{
    decimal value;
    size_t at;
    const char *reason;
    if (!decimal_parse(text, strlen(text), &value, &at, &reason))
        fail_msg("'%s' was refused at %zu: %s", text, at, reason);
    return value;
}

static void expect_text(decimal value, const char *expected)
{
    char text[DECIMAL_TEXT_SIZE];
    decimal_format(value, text);
    assert_string_equal(text, expected);
}

static void expect_number_error(const char *text, size_t at)
{
    decimal value;
    size_t where = SIZE_MAX;
    const char *reason = NULL;
    assert_false(decimal_parse(text, strlen(text), &value, &where, &reason));
    if (where != at)
        fail_msg("'%s': problem at %zu, expected %zu (%s)", text, where, at, reason);
}

static void test_decimal_parse_and_format(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"0", "0"},          {"-0", "0"},        {"+7", "7"},       {"2.55", "2.55"},
        {"2.50", "2.5"},     {"100", "100"},     {"100.000", "100"}, {".5", "0.5"},
        {"5.", "5"},         {"-0.05", "-0.05"}, {"1e3", "1000"},    {"1.5E-3", "0.0015"},
        {"25e-1", "2.5"},    {"0.000e9", "0"},   {"007.10", "7.1"},  {"-1e+2", "-100"},
        {"123456789012345678", "123456789012345678"},
        {"0.000000000000000001", "0.000000000000000001"},
        {"100000000000000000000000", "100000000000000000000000"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_text(parse(cases[i][0]), cases[i][1]);
    expect_number_error("", 0);
    expect_number_error("-", 1);
    expect_number_error(".", 1);
    expect_number_error("1,5", 1);
    expect_number_error("1.2.3", 3);
    expect_number_error("1e", 2);
    expect_number_error("1e+", 3);
    expect_number_error("x", 0);
    expect_number_error(" 1", 0);
    expect_number_error("1 ", 1);
    expect_number_error("nan", 0);
    expect_number_error("1234567890123456789", 18);
    expect_number_error("0.0000000000000000001", 0); /* 19 places */
    expect_number_error("1e36", 0);
    expect_number_error("1e999999999999", 0);
}

static void test_decimal_arithmetic(void **state)
{
    (void)state;
    decimal sum = parse("0");
    assert_true(decimal_add(&sum, parse("0.1")));
    assert_true(decimal_add(&sum, parse("0.2")));
    assert_int_equal(decimal_compare(sum, parse("0.3")), 0); /* exact, unlike doubles */
    expect_text(sum, "0.3");
    decimal product;
    assert_true(decimal_multiply(parse("6"), parse("2.55"), &product));
    expect_text(product, "15.3");
    assert_true(decimal_multiply(parse("-3"), parse("0.333"), &product));
    expect_text(product, "-0.999");
    assert_true(decimal_add(&sum, product));
    expect_text(sum, "-0.699");
    assert_true(decimal_compare(parse("2.5"), parse("2.49")) > 0);
    assert_true(decimal_compare(parse("-2.5"), parse("-2.49")) < 0);
    assert_true(decimal_compare(parse("1e30"), parse("0.000000000000000001")) > 0);
    assert_true(decimal_compare(parse("-1e30"), parse("0.000000000000000001")) < 0);
    assert_true(decimal_compare(parse("0.000000000000000001"), parse("1e30")) < 0);
    /* Out of range: products and sums at 10^36, never a wrapped value. */
    assert_false(decimal_multiply(parse("1e20"), parse("1e16"), &product));
    assert_true(decimal_multiply(parse("1e20"), parse("1e15"), &product));
    decimal big = product;
    for (int i = 0; i < 8; i++)
        assert_true(decimal_add(&big, product));
    expect_text(big, "900000000000000000000000000000000000"); /* 9 x 10^35 */
    decimal too_big = big;
    assert_false(decimal_add(&too_big, product));
    decimal tiny = parse("0.000000000000000001");
    assert_false(decimal_add(&tiny, big)); /* needs 10^52 units at 18 places */
    assert_true(decimal_to_double(parse("-14.3")) == -14.3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_match_a_calendar_walk),
        cmocka_unit_test(test_iso_forms),
        cmocka_unit_test(test_iso_errors),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_decimal_parse_and_format),
        cmocka_unit_test(test_decimal_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
