/*
 * Hypergeometric probabilities without cancellation.
 *
 * log C(n, x) from lgamma loses about n * DBL_EPSILON in absolute terms, so
 * the probabilities of large tables would keep only a few digits. Instead the
 * hypergeometric mass is written as a ratio of three binomial masses,
 *   P[H = x] = b(x; K, p) b(n - x; N - K, p) / b(n; N, p),  any p in (0, 1),
 * and each binomial mass is evaluated by Loader's saddle-point expansion
 * (C. Loader, "Fast and accurate computation of binomial probabilities",
 * 2000): Stirling's series for the factorials' error terms and a deviance
 * term bd0 computed without subtracting near-equal numbers. Everything stays
 * in logs, so tails far below the smallest normal double keep their digits
 * until the final exp. Tails are summed from the observed value outwards
 * (terms fall geometrically once past the mode); a tail that holds the mode
 * is one minus the other, small, tail.
 */
#include "fisher.h"

#include <math.h>
#include <pthread.h>

#define LOG_TWO_PI 1.8378770664093454836
/* Beyond this the series' sixth term is below 1e-17 of the first. */
#define STIRLING_SERIES_FROM 15

/* stirling_error() of n <= STIRLING_SERIES_FROM from lgamma: both sides are
 * small numbers, lgamma is exact enough. */
static double stirling_error_from_lgamma(double n)
{
    return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - 0.5 * LOG_TWO_PI;
}

/* stirling_error_from_lgamma() of the integers 1 .. STIRLING_SERIES_FROM,
 * made once: counts are integers, and small ones are common (a third of the
 * calls on groceries), each an lgamma and a log. */
static double small_stirling_errors[STIRLING_SERIES_FROM + 1];
static pthread_once_t small_stirling_errors_once = PTHREAD_ONCE_INIT;

static void small_stirling_errors_fill(void)
{
    for (int n = 1; n <= STIRLING_SERIES_FROM; n++)
        small_stirling_errors[n] = stirling_error_from_lgamma((double)n);
}

/* log(n!) - [(n + 1/2) log n - n + log(2 pi) / 2], for n >= 1. */
static double stirling_error(double n)
{
    if (n > STIRLING_SERIES_FROM) {
        double inverse = 1.0 / n, square = inverse * inverse;
        return inverse * (1.0 / 12 - square * (1.0 / 360 - square * (1.0 / 1260 -
                                     square * (1.0 / 1680 - square / 1188))));
    }
    int whole = (int)n;
    if (whole < 1 || (double)whole != n)
        return stirling_error_from_lgamma(n);
    pthread_once(&small_stirling_errors_once, small_stirling_errors_fill);
    return small_stirling_errors[whole];
}

/* x log(x / mean) + mean - x >= 0, without cancellation when x is near mean. */
static double deviance(double x, double mean)
{
    if (fabs(x - mean) < 0.1 * (x + mean)) {
        double v = (x - mean) / (x + mean);
        double sum = (x - mean) * v, term = 2.0 * x * v, v2 = v * v;
        for (int j = 1; j < 1000; j++) {
            term *= v2;
            double next = sum + term / (2 * j + 1);
            if (next == sum)
                break;
            sum = next;
        }
        return sum;
    }
    return x * log(x / mean) + mean - x;
}

/* log b(x; n, p) for 0 <= x <= n and 0 < p < 1, q = 1 - p given separately. */
static double log_binomial_pmf(double x, double n, double p, double q)
{
    if (x == 0)
        return n == 0 ? 0.0 : n * log1p(-p);
    if (x == n)
        return n * log(p);
    double body = stirling_error(n) - stirling_error(x) - stirling_error(n - x) -
                  deviance(x, n * p) - deviance(n - x, n * q);
    return body - 0.5 * (LOG_TWO_PI + log(x) + log1p(-x / n));
}

/* The binomial masses' p = draws / total and q = 1 - p. */
static void draw_rates(uint64_t total, uint64_t draws, double *p, double *q)
{
    *p = (double)draws / (double)total;
    *q = (double)(total - draws) / (double)total;
}

double fisher_log_draws_mass(uint64_t total, uint64_t draws)
{
    double p, q;
    draw_rates(total, draws, &p, &q);
    return log_binomial_pmf((double)draws, (double)total, p, q);
}

/* fisher_log_pmf() given fisher_log_draws_mass(total, draws). */
static double log_pmf_given(uint64_t total, uint64_t successes, uint64_t draws, uint64_t x,
                            double log_draws_mass)
{
    uint64_t failures = total - successes;
    if (x > draws || x > successes || draws - x > failures)
        return -INFINITY;
    /* One outcome only: everything or nothing drawn. */
    if (draws == 0 || draws == total)
        return 0.0;
    double p, q;
    draw_rates(total, draws, &p, &q);
    return log_binomial_pmf((double)x, (double)successes, p, q) +
           log_binomial_pmf((double)(draws - x), (double)failures, p, q) - log_draws_mass;
}

double fisher_log_pmf(uint64_t total, uint64_t successes, uint64_t draws, uint64_t x)
{
    return log_pmf_given(total, successes, draws, x, fisher_log_draws_mass(total, draws));
}

/* The sum of P[H = i] / P[H = from] over i from `from` stepping by `step`
 * (+1 or -1) to `last`: ratios of consecutive masses, added until a term no
 * longer changes the sum once the terms fall. */
static double relative_tail(double total, double successes, double draws, uint64_t from,
                            uint64_t last, int step)
{
    double sum = 1.0, term = 1.0;
    for (uint64_t i = from; i != last;) {
        double x = (double)i, ratio;
        if (step > 0)
            ratio = (successes - x) * (draws - x) / ((x + 1) * (total - successes - draws + x + 1));
        else
            ratio = x * (total - successes - draws + x) / ((successes - x + 1) * (draws - x + 1));
        term *= ratio;
        double next = sum + term;
        if (next == sum && ratio < 1.0)
            break;
        sum = next;
        i = step > 0 ? i + 1 : i - 1;
    }
    return sum;
}

double fisher_upper_tail_given(uint64_t total, uint64_t successes, uint64_t draws,
                               uint64_t at_least, double log_draws_mass)
{
    uint64_t failures = total - successes;
    uint64_t lowest = draws > failures ? draws - failures : 0;
    uint64_t highest = draws < successes ? draws : successes;
    if (at_least <= lowest)
        return 1.0;
    if (at_least > highest)
        return 0.0;
    double n = (double)total, k = (double)successes, d = (double)draws;
    double mean = d * k / n;
    if ((double)at_least > mean) {
        double log_first = log_pmf_given(total, successes, draws, at_least, log_draws_mass);
        return exp(log_first + log(relative_tail(n, k, d, at_least, highest, +1)));
    }
    /* The upper tail holds the mode: one minus the lower tail below at_least. */
    uint64_t below = at_least - 1;
    double log_first = log_pmf_given(total, successes, draws, below, log_draws_mass);
    double lower = exp(log_first + log(relative_tail(n, k, d, below, lowest, -1)));
    return lower < 1.0 ? 1.0 - lower : 0.0;
}

double fisher_upper_tail(uint64_t total, uint64_t successes, uint64_t draws, uint64_t at_least)
{
    return fisher_upper_tail_given(total, successes, draws, at_least,
                                   fisher_log_draws_mass(total, draws));
}
