/*
 * Parsers for option values. Each returns true and stores the value, or
 * returns false and leaves it alone.
 */
#ifndef FIMBIT_CLI_OPTION_VALUES_H
#define FIMBIT_CLI_OPTION_VALUES_H

#include <stdbool.h>
#include <stdint.h>

/* A count: decimal digits with an optional k, M or G suffix (10^3, 10^6,
 * 10^9), as in "100k" or "10M". */
bool cli_parse_count(const char *text, uint64_t *value);

/* A size in bytes: a decimal number with an optional K, M, G or T suffix
 * (powers of 1024, optionally followed by B), as in "500M" or "1.5G". */
bool cli_parse_size(const char *text, uint64_t *bytes);

/* Support: "N" (an absolute basket count >= 1), "F" (a fraction in (0, 1],
 * written with a decimal point or exponent), or "P%" (a percent in (0, 100]).
 * Exactly one of *count and *fraction is set non-zero. */
bool cli_parse_support(const char *text, uint64_t *count, double *fraction);

/* Confidence: a fraction in [0, 1] or a percent "P%" in [0, 100]. */
bool cli_parse_confidence(const char *text, double *value);

/* A finite, non-negative decimal number. */
bool cli_parse_nonnegative_number(const char *text, double *value);

/* A finite decimal number, optionally with a leading minus sign. */
bool cli_parse_number(const char *text, double *value);

/* A decimal integer in [0, max]. */
bool cli_parse_unsigned(const char *text, uint64_t max, uint64_t *value);

/* One separator character: a single byte, or "\t" / "tab" for a tab. */
bool cli_parse_separator(const char *text, char *value);

#endif /* FIMBIT_CLI_OPTION_VALUES_H */
