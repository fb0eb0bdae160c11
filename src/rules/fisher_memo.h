/*
 * A memo of Fisher p-values by the counts they come from. Many rules share
 * their three counts (on groceries 150k rules have 32k distinct triples), and
 * a p-value costs far more than a hash probe. Each rule worker owns one, so
 * no locking; a value comes from fisher_upper_tail() either way, so memoised
 * or not, it is the same double.
 */
#ifndef FIMBIT_FISHER_MEMO_H
#define FIMBIT_FISHER_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "base/mix64.h"

typedef struct fisher_memo_slot fisher_memo_slot;
/* The size of a slot (fisher_memo.c checks it). */
#define FISHER_MEMO_SLOT_BYTES 32
typedef struct fisher_draws_slot fisher_draws_slot;

typedef struct fisher_memo {
    fisher_memo_slot *slots; /* capacity slots (a power of two), or NULL */
    size_t capacity;
    size_t used;
    fisher_draws_slot *draws; /* fisher_log_draws_mass() by draws, or NULL */
} fisher_memo;

/* The memo's slot index of a test in a table of `capacity` (a power of two)
 * slots: one mix of a combination of the three counts (a probe is a large
 * part of a hit). */
static inline size_t fisher_memo_slot_of(uint64_t successes, uint64_t draws, uint64_t at_least,
                                         size_t capacity)
{
    uint64_t h =
        fimbit__mix64(successes * 0x9e3779b97f4a7c15ull + draws * 0xc2b2ae3d27d4eb4full + at_least);
    return (size_t)h & (capacity - 1);
}

/* Starts loading the memo's slot of a test that fisher_memo_upper_tail()
 * will be asked for soon: the table outgrows the caches (groceries: 2 MiB,
 * the probe's miss was two thirds of its time), and the work in between
 * hides the miss. Inlined early: GCC takes a function that only prefetches
 * for a pure one and drops its calls. */
static inline __attribute__((always_inline)) void
fisher_memo_prefetch(const fisher_memo *memo, uint64_t successes, uint64_t draws, uint64_t at_least)
{
    if (memo->capacity > 0)
        __builtin_prefetch((const char *)memo->slots +
                           fisher_memo_slot_of(successes, draws, at_least, memo->capacity) *
                               FISHER_MEMO_SLOT_BYTES);
}

/* fisher_upper_tail(total, successes, draws, at_least), looked up first.
 * `total` must be the same for every call on one memo. Never fails: when
 * memory runs out the value is computed without being kept. */
double fisher_memo_upper_tail(fisher_memo *memo, uint64_t total, uint64_t successes,
                              uint64_t draws, uint64_t at_least);

/* Frees the memo's memory and empties it. */
void fisher_memo_free(fisher_memo *memo);

#endif /* FIMBIT_FISHER_MEMO_H */
