/*
 * The generator's random numbers: splitmix64 streams, one per block of
 * baskets (and one for the pattern table), so that the bytes a seed gives do
 * not depend on the thread count.
 */
#ifndef FIMBIT_GEN_RANDOM_H
#define FIMBIT_GEN_RANDOM_H

#include <math.h>
#include <stdint.h>

#include "base/mix64.h"

/* Above this mean a Poisson draw uses the normal approximation. */
#define GEN_POISSON_NORMAL_FROM 64.0

/* A splitmix64 stream: a counter advanced by the golden gamma, mixed. */
typedef struct gen_random {
    uint64_t state;
} gen_random;

/* The stream of block `block` (UINT64_MAX: the pattern table's). */
static inline gen_random random_stream(uint64_t seed, uint64_t block)
{
    gen_random r = {fimbit__mix64(seed ^ 0x6a09e667f3bcc909ull) ^ fimbit__mix64(block + 0x3c6ef372fe94f82bull)};
    return r;
}

static inline uint64_t random_next(gen_random *r)
{
    return fimbit__mix64(r->state += 0x9e3779b97f4a7c15ull);
}

/* Uniform in [0, 1). */
static inline double random_uniform(gen_random *r)
{
    return (double)(random_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n), n >= 1 (multiply-shift: no division, bias < 2^-32). */
static inline uint32_t random_below(gen_random *r, uint32_t n)
{
    return (uint32_t)(((random_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline double random_exponential(gen_random *r, double mean)
{
    return -mean * log1p(-random_uniform(r));
}

static inline double random_normal(gen_random *r, double mean, double sd)
{
    double u = 1.0 - random_uniform(r); /* (0, 1]: log is finite */
    double v = random_uniform(r);
    return mean + sd * sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* A Poisson draw with mean `mean`; `exp_minus_mean` = exp(-mean), computed
 * once by the caller. Inversion by sequential search for small means (a mean
 * of 10 takes about 11 steps), the normal approximation for large ones. */
static inline uint32_t random_poisson(gen_random *r, double mean, double exp_minus_mean)
{
    if (mean <= 0.0)
        return 0;
    if (mean >= GEN_POISSON_NORMAL_FROM) {
        double x = floor(random_normal(r, mean, sqrt(mean)) + 0.5);
        return x <= 0.0 ? 0 : x >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)x;
    }
    double u = random_uniform(r);
    double p = exp_minus_mean, cumulative = p;
    uint32_t k = 0;
    while (u > cumulative && k < 4 * GEN_POISSON_NORMAL_FROM) {
        k++;
        p *= mean / k;
        cumulative += p;
    }
    return k;
}

#endif /* FIMBIT_GEN_RANDOM_H */
