/*
 * The p-value memo: open addressing with linear probing over (successes,
 * draws, at_least) keys packed into one word, so that a slot is 16 bytes and
 * the table half the cache footprint of one with three words a key (it is
 * read at random, once a rule; groceries: 1 MiB, -2 ms at -T 1). The rules do
 * not prefetch their slot ahead: that was 1.5 ms slower there. It doubles
 * when half full, up to FISHER_MEMO_MAX_SLOTS; past that, new triples are
 * computed and not kept.
 * A new triple's tail takes the part of its mass that depends on draws alone
 * from a direct-mapped table by draws (groceries: 32 k triples, 271 draws).
 */
#include "fisher_memo.h"

#include <string.h>

#include "base/internal.h"
#include "base/mix64.h"
#include "fisher.h"

#define FISHER_MEMO_FIRST_SLOTS ((size_t)1 << 10)
/* Past this many slots the table grows at once to a whole huge page. */
#define FISHER_MEMO_SMALL_SLOTS ((size_t)1 << 14)
#define FISHER_MEMO_HUGE_PAGE ((size_t)2 << 20)
/* 4 MiB of slots a worker at most. */
#define FISHER_MEMO_MAX_SLOTS ((size_t)1 << 18)
/* Bits of each count in a key: counts of 2^21 or more are not memoised
 * (every count of a dataset of fewer baskets fits). */
#define FISHER_MEMO_COUNT_BITS 21
#define FISHER_DRAWS_SLOT_BITS 10

/* key == 0 marks an empty slot: no memoised test has draws == 0. */
struct fisher_memo_slot {
    uint64_t key; /* memo_key() */
    double p_value;
};

/* draws == 0 marks an empty slot here too. */
struct fisher_draws_slot {
    uint64_t draws;
    double log_mass;
};

/* The three counts side by side, or 0 when one does not fit its field. */
static uint64_t memo_key(uint64_t successes, uint64_t draws, uint64_t at_least)
{
    if ((successes | draws | at_least) >> FISHER_MEMO_COUNT_BITS != 0)
        return 0;
    return (successes << 2 * FISHER_MEMO_COUNT_BITS) | (draws << FISHER_MEMO_COUNT_BITS) | at_least;
}

static fisher_memo_slot *find_slot(fisher_memo_slot *slots, size_t capacity, uint64_t key)
{
    size_t i = (size_t)fimbit__mix64(key) & (capacity - 1);
    while (slots[i].key != 0 && slots[i].key != key)
        i = (i + 1) & (capacity - 1);
    return &slots[i];
}

/* An empty table of `capacity` slots: one of whole huge pages once it is
 * that large (one page fault, and no TLB misses on its random reads, instead
 * of 512 of each; groceries: -1 ms). */
static fisher_memo_slot *memo_table(size_t capacity)
{
    size_t bytes = capacity * sizeof(fisher_memo_slot);
    if (bytes < FISHER_MEMO_HUGE_PAGE)
        return fimbit__zeroed_array(capacity, sizeof(fisher_memo_slot));
    fisher_memo_slot *slots = fimbit__aligned_malloc(FISHER_MEMO_HUGE_PAGE, bytes);
    if (slots != NULL) {
        fimbit__advise_huge_pages(slots, bytes);
        memset(slots, 0, bytes);
    }
    return slots;
}

/* Doubles the table (or makes the first); past FISHER_MEMO_SMALL_SLOTS it
 * makes one of a huge page. @return false when it may not or cannot grow. */
static bool memo_grow(fisher_memo *memo)
{
    size_t capacity = memo->capacity ? memo->capacity * 2 : FISHER_MEMO_FIRST_SLOTS;
    if (capacity > FISHER_MEMO_SMALL_SLOTS &&
        capacity * sizeof(fisher_memo_slot) < FISHER_MEMO_HUGE_PAGE)
        capacity = FISHER_MEMO_HUGE_PAGE / sizeof(fisher_memo_slot);
    if (capacity > FISHER_MEMO_MAX_SLOTS)
        return false;
    fisher_memo_slot *slots = memo_table(capacity);
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < memo->capacity; i++) {
        const fisher_memo_slot *old = &memo->slots[i];
        if (old->key != 0)
            *find_slot(slots, capacity, old->key) = *old;
    }
    fimbit__free(memo->slots);
    memo->slots = slots;
    memo->capacity = capacity;
    return true;
}

/* fisher_log_draws_mass(total, draws) (draws > 0), from the memo's table
 * when it holds it. */
static double log_draws_mass(fisher_memo *memo, uint64_t total, uint64_t draws)
{
    if (memo->draws == NULL) {
        memo->draws = fimbit__calloc((size_t)1 << FISHER_DRAWS_SLOT_BITS, sizeof *memo->draws);
        if (memo->draws == NULL)
            return fisher_log_draws_mass(total, draws);
    }
    fisher_draws_slot *slot =
        &memo->draws[fimbit__mix64(draws) & (((size_t)1 << FISHER_DRAWS_SLOT_BITS) - 1)];
    if (slot->draws != draws)
        *slot = (fisher_draws_slot){draws, fisher_log_draws_mass(total, draws)};
    return slot->log_mass;
}

double fisher_memo_upper_tail(fisher_memo *memo, uint64_t total, uint64_t successes,
                              uint64_t draws, uint64_t at_least)
{
    uint64_t key = memo_key(successes, draws, at_least);
    if (draws == 0 || key == 0)
        return fisher_upper_tail(total, successes, draws, at_least);
    if (memo->capacity > 0) {
        fisher_memo_slot *slot = find_slot(memo->slots, memo->capacity, key);
        if (slot->key != 0)
            return slot->p_value;
    }
    double p_value = fisher_upper_tail_given(total, successes, draws, at_least,
                                             log_draws_mass(memo, total, draws));
    if (2 * (memo->used + 1) > memo->capacity && !memo_grow(memo))
        return p_value;
    *find_slot(memo->slots, memo->capacity, key) = (fisher_memo_slot){key, p_value};
    memo->used++;
    return p_value;
}

void fisher_memo_free(fisher_memo *memo)
{
    fimbit__free(memo->slots);
    fimbit__free(memo->draws);
    *memo = (fisher_memo){0};
}
