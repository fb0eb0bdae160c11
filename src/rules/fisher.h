/*
 * The one-sided Fisher exact test of a rule: the upper tail of the
 * hypergeometric distribution, accurate in relative terms down to the
 * smallest doubles.
 */
#ifndef FIMBIT_FISHER_H
#define FIMBIT_FISHER_H

#include <stdbool.h>
#include <stdint.h>

/* The most ratios an upper tail walks from its anchor to its first mass
 * (about what one saddle-point mass costs). */
#define FISHER_ANCHOR_STEPS 100

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

/* The anchor of the tails of (total, successes, draws): the smallest count
 * above the mean. */
uint64_t fisher_anchor(uint64_t total, uint64_t successes, uint64_t draws);

/* Whether fisher_upper_tail_given() takes the tail's first mass from the
 * anchor's: an upper tail that starts above the mean, at most
 * FISHER_ANCHOR_STEPS past the anchor. */
bool fisher_tail_walks_from_anchor(uint64_t total, uint64_t successes, uint64_t draws,
                                   uint64_t at_least);

/* The log of P[H = fisher_anchor()] given fisher_log_draws_mass(total,
 * draws): the part of such tails that depends on successes and draws alone,
 * for callers that keep it. */
double fisher_log_anchor_mass(uint64_t total, uint64_t successes, uint64_t draws,
                              double log_draws_mass);

/* fisher_upper_tail() of a test that fisher_tail_walks_from_anchor(), given
 * fisher_log_anchor_mass(): the same double. */
double fisher_upper_tail_from_anchor(uint64_t total, uint64_t successes, uint64_t draws,
                                     uint64_t at_least, double log_anchor_mass);

#endif /* FIMBIT_FISHER_H */
