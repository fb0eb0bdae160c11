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
 *
 * An upper tail that starts a little above the mean takes its first mass
 * from the mass at the anchor, the smallest count above the mean, by the
 * ratios of consecutive masses: the anchor's mass depends on the successes
 * and draws alone, so callers keep it for the many tests that share them
 * (groceries: 32 k tests, 10 k pairs), and a few ratios cost far less than
 * a saddle-point mass. Each ratio adds a few roundings, so the walk is kept
 * short (FISHER_ANCHOR_STEPS).
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

/* The ratio P[H = x + 1] / P[H = x], `rest` being total - successes -
 * draws. Counts are exact doubles (below 2^53). */
static inline double upward_ratio(double successes, double draws, double rest, double x)
{
    return (successes - x) * (draws - x) / ((x + 1) * (rest + x + 1));
}

/* The sum of P[H = i] / P[H = from] over i from `from` stepping by `step`
 * (+1 or -1) to `last`: ratios of consecutive masses, added until a term no
 * longer changes the sum once the terms fall. */
static double relative_tail(double successes, double draws, double rest, double from, double last,
                            double step)
{
    double sum = 1.0, term = 1.0;
    for (double x = from; x != last; x += step) {
        double ratio = step > 0 ? upward_ratio(successes, draws, rest, x)
                                : x * (rest + x) / ((successes - x + 1) * (draws - x + 1));
        term *= ratio;
        double next = sum + term;
        if (next == sum && ratio < 1.0)
            break;
        sum = next;
    }
    return sum;
}

/* The mean of H, as the tails compare with it. */
static double tail_mean(uint64_t total, uint64_t successes, uint64_t draws)
{
    return (double)draws * (double)successes / (double)total;
}

uint64_t fisher_anchor(uint64_t total, uint64_t successes, uint64_t draws)
{
    return (uint64_t)floor(tail_mean(total, successes, draws)) + 1;
}

bool fisher_tail_walks_from_anchor(uint64_t total, uint64_t successes, uint64_t draws,
                                   uint64_t at_least)
{
    uint64_t failures = total - successes;
    uint64_t lowest = draws > failures ? draws - failures : 0;
    uint64_t highest = draws < successes ? draws : successes;
    if (draws == 0 || draws == total || at_least <= lowest || at_least > highest)
        return false;
    double mean = tail_mean(total, successes, draws);
    return (double)at_least > mean &&
           at_least - fisher_anchor(total, successes, draws) <= FISHER_ANCHOR_STEPS;
}

double fisher_log_anchor_mass(uint64_t total, uint64_t successes, uint64_t draws,
                              double log_draws_mass)
{
    return log_pmf_given(total, successes, draws, fisher_anchor(total, successes, draws),
                         log_draws_mass);
}

/* ln 2 in two parts, the first with trailing zeros, so that a multiple of
 * it by a small integer is exact. */
#define LN2_HIGH 0.693147180369123816490
#define LN2_LOW 1.90821492927058770002e-10

double fisher_upper_tail_from_anchor(uint64_t total, uint64_t successes, uint64_t draws,
                                     uint64_t at_least, double log_anchor_mass)
{
    uint64_t highest = draws < successes ? draws : successes;
    double k = (double)successes, d = (double)draws, rest = (double)total - k - d;
    double first = (double)at_least;
    /* P[H = at_least] / P[H = anchor] as a product times 2^scale: the
     * ratios fall below one past the mean, as far as 1 / N^2 each. */
    double product = 1.0;
    int scale = 0;
    for (double x = (double)fisher_anchor(total, successes, draws); x < first; x++) {
        product *= upward_ratio(k, d, rest, x);
        if (product < 0x1p-512) { /* rescaled by a power of two: exact */
            product *= 0x1p512;
            scale -= 512;
        }
    }
    double log_scale = (double)scale * LN2_HIGH + (double)scale * LN2_LOW;
    return exp(log_anchor_mass + log_scale +
               log(product * relative_tail(k, d, rest, first, (double)highest, 1.0)));
}

double fisher_upper_tail_given(uint64_t total, uint64_t successes, uint64_t draws,
                               uint64_t at_least, double log_draws_mass)
{
    if (fisher_tail_walks_from_anchor(total, successes, draws, at_least))
        return fisher_upper_tail_from_anchor(
            total, successes, draws, at_least,
            fisher_log_anchor_mass(total, successes, draws, log_draws_mass));
    uint64_t failures = total - successes;
    uint64_t lowest = draws > failures ? draws - failures : 0;
    uint64_t highest = draws < successes ? draws : successes;
    if (at_least <= lowest)
        return 1.0;
    if (at_least > highest)
        return 0.0;
    double k = (double)successes, d = (double)draws, rest = (double)total - k - d;
    double mean = tail_mean(total, successes, draws);
    if ((double)at_least > mean) {
        double log_first = log_pmf_given(total, successes, draws, at_least, log_draws_mass);
        return exp(log_first +
                   log(relative_tail(k, d, rest, (double)at_least, (double)highest, 1.0)));
    }
    /* The upper tail holds the mode: one minus the lower tail below at_least. */
    uint64_t below = at_least - 1;
    double log_first = log_pmf_given(total, successes, draws, below, log_draws_mass);
    double lower =
        exp(log_first + log(relative_tail(k, d, rest, (double)below, (double)lowest, -1.0)));
    return lower < 1.0 ? 1.0 - lower : 0.0;
}

double fisher_upper_tail(uint64_t total, uint64_t successes, uint64_t draws, uint64_t at_least)
{
    return fisher_upper_tail_given(total, successes, draws, at_least,
                                   fisher_log_draws_mass(total, draws));
}
