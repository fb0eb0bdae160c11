/*
 * The values options take: counts, sizes, supports, confidences, numbers and
 * separators, each checked whole (no trailing text, no sign where none makes
 * sense, nothing infinite).
 */
#include "option_values.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parses a plain decimal number: digits with at most one '.', at least one
 * digit, optionally an exponent. No sign, no spaces, no "inf" or "nan". */
static bool parse_decimal(const char *text, size_t length, double *value, bool *is_integer)
{
    size_t digits = 0, dots = 0, i = 0;
    bool exponent = false;

    if (length == 0 || length > 64)
        return false;
    for (; i < length; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            digits++;
        } else if (c == '.' && !exponent) {
            if (++dots > 1)
                return false;
        } else if ((c == 'e' || c == 'E') && !exponent && digits > 0) {
            exponent = true;
            if (i + 1 < length && (text[i + 1] == '+' || text[i + 1] == '-'))
                i++;
            if (i + 1 >= length)
                return false;
        } else {
            return false;
        }
    }
    if (digits == 0)
        return false;

    char buffer[65];
    memcpy(buffer, text, length);
    buffer[length] = '\0';
    char *end = NULL;
    errno = 0;
    double parsed = strtod(buffer, &end);
    if (end != buffer + length || !isfinite(parsed))
        return false;
    *value = parsed;
    *is_integer = dots == 0 && !exponent;
    return true;
}

bool cli_parse_unsigned(const char *text, uint64_t max, uint64_t *value)
{
    if (text == NULL || *text == '\0')
        return false;
    uint64_t result = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return false;
        unsigned digit = (unsigned)(*p - '0');
        if (result > (max - digit) / 10)
            return false;
        result = result * 10 + digit;
    }
    *value = result;
    return true;
}

bool cli_parse_count(const char *text, uint64_t *value)
{
    if (text == NULL)
        return false;
    size_t length = strlen(text);
    uint64_t scale = 1;
    if (length > 1) {
        switch (text[length - 1]) {
        case 'k': case 'K': scale = 1000; break;
        case 'm': case 'M': scale = 1000000; break;
        case 'g': case 'G': scale = 1000000000; break;
        default: break;
        }
    }
    char digits[32];
    size_t digit_count = scale > 1 ? length - 1 : length;
    if (digit_count == 0 || digit_count >= sizeof digits)
        return false;
    memcpy(digits, text, digit_count);
    digits[digit_count] = '\0';
    uint64_t number = 0;
    if (!cli_parse_unsigned(digits, UINT64_MAX / scale, &number))
        return false;
    *value = number * scale;
    return true;
}

bool cli_parse_size(const char *text, uint64_t *bytes)
{
    if (text == NULL)
        return false;
    size_t length = strlen(text);
    if (length > 0 && (text[length - 1] == 'B' || text[length - 1] == 'b'))
        length--; /* "500MB", "2GB" */
    double scale = 1;
    if (length > 1) {
        switch (text[length - 1]) {
        case 'k': case 'K': scale = 0x1p10; break;
        case 'm': case 'M': scale = 0x1p20; break;
        case 'g': case 'G': scale = 0x1p30; break;
        case 't': case 'T': scale = 0x1p40; break;
        default: break;
        }
    }
    double number = 0;
    bool is_integer = false;
    if (!parse_decimal(text, scale > 1 ? length - 1 : length, &number, &is_integer))
        return false;
    double value = number * scale;
    if (!(value >= 1.0 && value < 0x1p63))
        return false;
    *bytes = (uint64_t)value;
    return true;
}

bool cli_parse_support(const char *text, uint64_t *count, double *fraction)
{
    if (text == NULL)
        return false;
    size_t length = strlen(text);
    double number = 0;
    bool is_integer = false;

    if (length > 0 && text[length - 1] == '%') {
        if (!parse_decimal(text, length - 1, &number, &is_integer))
            return false;
        if (!(number > 0 && number <= 100))
            return false;
        *count = 0;
        *fraction = number / 100.0;
        return true;
    }
    if (!parse_decimal(text, length, &number, &is_integer))
        return false;
    if (is_integer) {
        uint64_t parsed;
        if (!cli_parse_unsigned(text, UINT64_MAX, &parsed) || parsed == 0)
            return false;
        *count = parsed;
        *fraction = 0;
        return true;
    }
    if (!(number > 0 && number <= 1))
        return false;
    *count = 0;
    *fraction = number;
    return true;
}

bool cli_parse_confidence(const char *text, double *value)
{
    if (text == NULL)
        return false;
    size_t length = strlen(text);
    double number = 0;
    bool is_integer = false;
    bool percent = length > 0 && text[length - 1] == '%';

    if (!parse_decimal(text, percent ? length - 1 : length, &number, &is_integer))
        return false;
    if (percent)
        number /= 100.0;
    if (!(number >= 0 && number <= 1))
        return false;
    *value = number;
    return true;
}

bool cli_parse_nonnegative_number(const char *text, double *value)
{
    if (text == NULL)
        return false;
    double number = 0;
    bool is_integer = false;
    if (!parse_decimal(text, strlen(text), &number, &is_integer) || number < 0)
        return false;
    *value = number;
    return true;
}

bool cli_parse_number(const char *text, double *value)
{
    if (text == NULL)
        return false;
    bool negative = text[0] == '-';
    double magnitude = 0;
    if (!cli_parse_nonnegative_number(text + negative, &magnitude))
        return false;
    *value = negative ? -magnitude : magnitude;
    return true;
}

bool cli_parse_separator(const char *text, char *value)
{
    if (text == NULL)
        return false;
    if (strcmp(text, "\\t") == 0 || strcmp(text, "tab") == 0) {
        *value = '\t';
        return true;
    }
    if (text[0] == '\0' || text[1] != '\0' || text[0] == '\n' || text[0] == '\r' ||
        text[0] == '"')
        return false;
    *value = text[0];
    return true;
}
