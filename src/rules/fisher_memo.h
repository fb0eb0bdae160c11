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

typedef struct fisher_memo_slot fisher_memo_slot;
typedef struct fisher_draws_slot fisher_draws_slot;

typedef struct fisher_memo {
    fisher_memo_slot *slots; /* capacity slots (a power of two), or NULL */
    size_t capacity;
    size_t used;
    fisher_draws_slot *draws; /* fisher_log_draws_mass() by draws, or NULL */
} fisher_memo;

/* fisher_upper_tail(total, successes, draws, at_least), looked up first.
 * `total` must be the same for every call on one memo. Never fails: when
 * memory runs out, or a count is 2^21 or more, the value is computed without
 * being kept. */
double fisher_memo_upper_tail(fisher_memo *memo, uint64_t total, uint64_t successes,
                              uint64_t draws, uint64_t at_least);

/* Frees the memo's memory and empties it. */
void fisher_memo_free(fisher_memo *memo);

#endif /* FIMBIT_FISHER_MEMO_H */
