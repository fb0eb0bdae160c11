/*
 * Fuzz target: the order-line value parsers of src/read (dates and exact
 * decimals). The first byte picks the parser: an ISO 8601 date, a number,
 * or a strptime-style format and a date (the rest split at the first
 * newline). What parses must come back unchanged through its text form:
 * a day through YYYY-MM-DD, a number through its shortest text, and a sum
 * or product must either fit or be refused, never wrap.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_check.h"
#include "read/date.h"
#include "read/decimal.h"

static void check_day(int32_t day)
{
    char text[16];
    date_format_iso(day, text);
    int32_t again = INT32_MIN;
    date_problem problem;
    FUZZ_REQUIRE(date_parse_iso(text, strlen(text), &again, &problem) && again == day,
                 "day %d printed as '%s' does not read back", (int)day, text);
}

static void check_decimal(decimal value)
{
    char text[DECIMAL_TEXT_SIZE];
    size_t length = decimal_format(value, text);
    decimal again;
    size_t at;
    const char *reason;
    FUZZ_REQUIRE(decimal_parse(text, length, &again, &at, &reason), "'%s' does not read back: %s",
                 text, reason);
    FUZZ_REQUIRE(decimal_compare(value, again) == 0, "'%s' reads back as another value", text);
    decimal sum = value, product;
    if (decimal_add(&sum, value)) {
        decimal difference = sum, negated = {-value.units, value.scale};
        FUZZ_REQUIRE(decimal_add(&difference, negated) && decimal_compare(difference, value) == 0,
                     "'%s' + itself - itself is not itself", text);
    }
    if (decimal_multiply(value, value, &product))
        FUZZ_REQUIRE(product.units >= 0, "the square of '%s' is negative", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    size_t length = size - 1;
    int32_t day;
    date_problem problem;
    switch (data[0] % 3) {
    case 0:
        if (date_parse_iso(text, length, &day, &problem))
            check_day(day);
        else
            FUZZ_REQUIRE(problem.at <= length && problem.reason != NULL, "a bad problem report");
        break;
    case 1: {
        decimal value;
        size_t at;
        const char *reason = NULL;
        if (decimal_parse(text, length, &value, &at, &reason))
            check_decimal(value);
        else
            FUZZ_REQUIRE(at <= length && reason != NULL, "a bad problem report");
        break;
    }
    default: {
        const char *newline = memchr(text, '\n', length);
        if (newline == NULL)
            break;
        char format[256];
        size_t format_length = (size_t)(newline - text);
        if (format_length >= sizeof format || memchr(text, '\0', format_length) != NULL)
            break;
        memcpy(format, text, format_length);
        format[format_length] = '\0';
        if (date_format_check(format) != NULL)
            break;
        const char *date = newline + 1;
        size_t date_length = length - format_length - 1;
        if (date_parse_format(format, date, date_length, &day, &problem))
            check_day(day);
        else
            FUZZ_REQUIRE(problem.at <= date_length && problem.reason != NULL,
                         "a bad problem report");
        break;
    }
    }
    return 0;
}
