/*
 * Exact decimal numbers for amounts: a value is units / 10^scale with 128-bit
 * units, so sums of prices and quantities carry no rounding and equal totals
 * compare equal whatever the order of their terms.
 */
#ifndef FIMBIT_READ_DECIMAL_H
#define FIMBIT_READ_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 decimal_units;

typedef struct decimal {
    decimal_units units;
    uint32_t scale; /* <= DECIMAL_MAX_SCALE */
} decimal;

/* What a number read from text may hold: significant digits, and decimal
 * places once trailing zeros are dropped. */
#define DECIMAL_MAX_DIGITS 18
#define DECIMAL_MAX_PLACES 18
/* Any result keeps |units| < 10^36 and scale <= 36. */
#define DECIMAL_MAX_SCALE 36

/* Parses an optional sign, digits with at most one decimal point (at least
 * one digit), and an optional exponent (e or E, an optional sign, digits):
 * "-2.55", "1e3", ".5". @return true and *value, or false with the byte
 * offset of the problem in *at and a static reason. */
bool decimal_parse(const char *text, size_t length, decimal *value, size_t *at,
                   const char **reason);

/* a * b and *sum + value. @return false when the result is out of range. */
bool decimal_multiply(decimal a, decimal b, decimal *product);
bool decimal_add(decimal *sum, decimal value);

/* @return -1, 0 or 1 as a < b, a == b, a > b. */
int decimal_compare(decimal a, decimal b);

/* Writes the shortest exact text ("15.3", "-2", "0.05") plus a NUL into out
 * (at least DECIMAL_TEXT_SIZE bytes). @return its length. */
#define DECIMAL_TEXT_SIZE 48
size_t decimal_format(decimal value, char *out);

/* @return the nearest double. */
double decimal_to_double(decimal value);

#endif /* FIMBIT_READ_DECIMAL_H */
