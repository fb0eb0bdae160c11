/* Exact decimal numbers (decimal.h). */
#include <stdlib.h>

#include "decimal.h"

#define TEN_TO_18 ((decimal_units)1000000000000000000)

/* 10^0 .. 10^DECIMAL_MAX_SCALE: every scaling and range check is a look-up. */
static const decimal_units powers_of_ten[DECIMAL_MAX_SCALE + 1] = {
    (decimal_units)1, (decimal_units)10, (decimal_units)100, (decimal_units)1000,
    (decimal_units)10000, (decimal_units)100000, (decimal_units)1000000,
    (decimal_units)10000000, (decimal_units)100000000, (decimal_units)1000000000,
    (decimal_units)10000000000, (decimal_units)100000000000, (decimal_units)1000000000000,
    (decimal_units)10000000000000, (decimal_units)100000000000000,
    (decimal_units)1000000000000000, (decimal_units)10000000000000000,
    (decimal_units)100000000000000000, (decimal_units)1000000000000000000, TEN_TO_18 * 10,
    TEN_TO_18 * 100, TEN_TO_18 * 1000, TEN_TO_18 * 10000, TEN_TO_18 * 100000,
    TEN_TO_18 * 1000000, TEN_TO_18 * 10000000, TEN_TO_18 * 100000000, TEN_TO_18 * 1000000000,
    TEN_TO_18 * 10000000000, TEN_TO_18 * 100000000000, TEN_TO_18 * 1000000000000,
    TEN_TO_18 * 10000000000000, TEN_TO_18 * 100000000000000, TEN_TO_18 * 1000000000000000,
    TEN_TO_18 * 10000000000000000, TEN_TO_18 * 100000000000000000,
    TEN_TO_18 * 1000000000000000000};

/* Results stay below 10^36 in magnitude, so that a product or a sum that
 * would not is caught before it wraps. */
static bool units_in_range(decimal_units units)
{
    return units < powers_of_ten[DECIMAL_MAX_SCALE] && units > -powers_of_ten[DECIMAL_MAX_SCALE];
}

static bool scale_up(decimal_units units, uint32_t by, decimal_units *out)
{
    if (by == 0) {
        *out = units;
        return true;
    }
    decimal_units scaled;
    if (by > DECIMAL_MAX_SCALE || __builtin_mul_overflow(units, powers_of_ten[by], &scaled) ||
        !units_in_range(scaled))
        return false;
    *out = scaled;
    return true;
}

static bool parse_fail(size_t position, const char *why, size_t *at, const char **reason)
{
    *at = position;
    *reason = why;
    return false;
}

bool decimal_parse(const char *text, size_t length, decimal *value, size_t *at,
                   const char **reason)
{
    static const char expected[] =
        "expected a number (digits with an optional sign, decimal point and exponent)";
    size_t i = 0;
    bool negative = false;
    if (i < length && (text[i] == '+' || text[i] == '-'))
        negative = text[i++] == '-';
    /* value = significand * 10^power; zeros after the last non-zero digit
     * wait in `pending`, so that "2.50" and "100" keep only their significant
     * digits. At most 18 of them: the significand fits in 64 bits. */
    uint64_t significand = 0;
    int64_t power = 0, pending = 0;
    int digits = 0;
    bool any_digit = false, point = false;
    for (; i < length; i++) {
        char c = text[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if ((unsigned)(c - '0') > 9)
            break;
        any_digit = true;
        power -= point;
        if (c == '0') {
            pending += significand != 0;
            continue;
        }
        digits += (int)pending + 1;
        if (digits > DECIMAL_MAX_DIGITS)
            return parse_fail(i, "more than 18 significant digits", at, reason);
        significand = significand * (uint64_t)powers_of_ten[pending + 1] + (uint64_t)(c - '0');
        pending = 0;
    }
    if (!any_digit)
        return parse_fail(i, expected, at, reason);
    power += pending;
    if (i < length && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        bool exponent_negative = false;
        if (i < length && (text[i] == '+' || text[i] == '-'))
            exponent_negative = text[i++] == '-';
        size_t first = i;
        int64_t exponent = 0;
        for (; i < length && (unsigned)(text[i] - '0') <= 9; i++)
            if (exponent < 1000000)
                exponent = exponent * 10 + (text[i] - '0');
        if (i == first)
            return parse_fail(i, "expected the exponent's digits", at, reason);
        power += exponent_negative ? -exponent : exponent;
    }
    if (i < length)
        return parse_fail(i, expected, at, reason);
    decimal_units units = (decimal_units)significand;
    if (units == 0)
        power = 0;
    if (power < -DECIMAL_MAX_PLACES)
        return parse_fail(0, "more than 18 decimal places", at, reason);
    if (power > 0 && (power + digits > DECIMAL_MAX_SCALE ||
                      !scale_up(units, (uint32_t)power, &units)))
        return parse_fail(0, "out of range (10^36 or more)", at, reason);
    value->units = negative ? -units : units;
    value->scale = power < 0 ? (uint32_t)-power : 0;
    return true;
}

bool decimal_multiply(decimal a, decimal b, decimal *product)
{
    decimal_units units;
    if (__builtin_mul_overflow(a.units, b.units, &units) || !units_in_range(units) ||
        a.scale + b.scale > DECIMAL_MAX_SCALE)
        return false;
    product->units = units;
    product->scale = a.scale + b.scale;
    return true;
}

bool decimal_add(decimal *sum, decimal value)
{
    decimal_units left = sum->units, right = value.units, total;
    uint32_t scale = sum->scale > value.scale ? sum->scale : value.scale;
    if (!scale_up(left, scale - sum->scale, &left) ||
        !scale_up(right, scale - value.scale, &right) ||
        __builtin_add_overflow(left, right, &total) || !units_in_range(total))
        return false;
    sum->units = total;
    sum->scale = scale;
    return true;
}

int decimal_compare(decimal a, decimal b)
{
    decimal_units left = a.units, right = b.units;
    /* A value that cannot be scaled up is larger in magnitude than any the
     * other can be: its sign decides. */
    if (a.scale < b.scale && !scale_up(left, b.scale - a.scale, &left))
        return a.units < 0 ? -1 : 1;
    if (b.scale < a.scale && !scale_up(right, a.scale - b.scale, &right))
        return b.units < 0 ? 1 : -1;
    return (left > right) - (left < right);
}

size_t decimal_format(decimal value, char *out)
{
    unsigned __int128 magnitude = value.units < 0 ? -(unsigned __int128)value.units
                                                  : (unsigned __int128)value.units;
    char reversed[DECIMAL_TEXT_SIZE];
    uint32_t count = 0;
    do {
        reversed[count++] = (char)('0' + (int)(magnitude % 10));
        magnitude /= 10;
    } while (magnitude != 0);
    while (count <= value.scale)
        reversed[count++] = '0';
    /* Trailing zeros of the fraction say nothing. */
    uint32_t places = value.scale, skip = 0;
    while (places > 0 && reversed[skip] == '0') {
        skip++;
        places--;
    }
    size_t length = 0;
    if (value.units < 0)
        out[length++] = '-';
    for (uint32_t i = count; i-- > skip;) {
        out[length++] = reversed[i];
        if (i == skip + places && places > 0)
            out[length++] = '.';
    }
    out[length] = '\0';
    return length;
}

double decimal_to_double(decimal value)
{
    char text[DECIMAL_TEXT_SIZE];
    decimal_format(value, text);
    return strtod(text, NULL);
}
