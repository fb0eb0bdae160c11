/*
 * The one-sided Fisher exact test of a rule: the upper tail of the
 * hypergeometric distribution, accurate in relative terms down to the
 * smallest doubles.
 */
#ifndef FIMBIT_FISHER_H
#define FIMBIT_FISHER_H

#include <stdint.h>

/* The natural log of P[H = x] for H hypergeometric: `draws` baskets drawn
 * without replacement from `total`, of which `successes` are successes.
 * -INFINITY when x is impossible. */
double fisher_log_pmf(uint64_t total, uint64_t successes, uint64_t draws, uint64_t x);

/* P[H >= at_least] for H as above. */
double fisher_upper_tail(uint64_t total, uint64_t successes, uint64_t draws,
                         uint64_t at_least);

/* The part of every fisher_log_pmf(total, ., draws, .) that depends on
 * `draws` alone (the log of a binomial mass), for callers that keep it: many
 * tests share their draws. */
double fisher_log_draws_mass(uint64_t total, uint64_t draws);

/* fisher_upper_tail() given fisher_log_draws_mass(total, draws): the same
 * double. */
double fisher_upper_tail_given(uint64_t total, uint64_t successes, uint64_t draws,
                               uint64_t at_least, double log_draws_mass);

#endif /* FIMBIT_FISHER_H */
