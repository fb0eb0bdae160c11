/*
 * The p-value memo: open addressing with linear probing over (successes,
 * draws, at_least) keys. It doubles when half full, up to
 * FISHER_MEMO_MAX_SLOTS; past that, new triples are computed and not kept.
 * A new triple's tail takes the part of its mass that depends on draws alone
 * from a direct-mapped table by draws (groceries: 32 k triples, 271 draws).
 */
#include "fisher_memo.h"

#include "base/internal.h"
#include "fisher.h"

#define FISHER_MEMO_FIRST_SLOTS ((size_t)1 << 10)
/* 8 MiB of slots a worker at most. */
#define FISHER_MEMO_MAX_SLOTS ((size_t)1 << 18)
#define FISHER_DRAWS_SLOT_BITS 10

/* draws == 0 marks an empty slot: such a test is never memoised. */
struct fisher_memo_slot {
    uint64_t successes;
    uint64_t draws;
    uint64_t at_least;
    double p_value;
};

/* draws == 0 marks an empty slot here too. */
struct fisher_draws_slot {
    uint64_t draws;
    double log_mass;
};

_Static_assert(sizeof(fisher_memo_slot) == FISHER_MEMO_SLOT_BYTES, "fisher_memo_prefetch's stride");

static fisher_memo_slot *find_slot(fisher_memo_slot *slots, size_t capacity,
                                   uint64_t successes, uint64_t draws, uint64_t at_least)
{
    size_t i = fisher_memo_slot_of(successes, draws, at_least, capacity);
    while (slots[i].draws != 0 && !(slots[i].successes == successes &&
                                    slots[i].draws == draws && slots[i].at_least == at_least))
        i = (i + 1) & (capacity - 1);
    return &slots[i];
}

/* Doubles the table (or makes the first). @return false when it may not or
 * cannot grow. */
static bool memo_grow(fisher_memo *memo)
{
    size_t capacity = memo->capacity ? memo->capacity * 2 : FISHER_MEMO_FIRST_SLOTS;
    if (capacity > FISHER_MEMO_MAX_SLOTS)
        return false;
    fisher_memo_slot *slots = fimbit__zeroed_array(capacity, sizeof *slots);
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < memo->capacity; i++) {
        const fisher_memo_slot *old = &memo->slots[i];
        if (old->draws != 0)
            *find_slot(slots, capacity, old->successes, old->draws, old->at_least) = *old;
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
    if (draws == 0)
        return fisher_upper_tail(total, successes, draws, at_least);
    if (memo->capacity > 0) {
        fisher_memo_slot *slot =
            find_slot(memo->slots, memo->capacity, successes, draws, at_least);
        if (slot->draws != 0)
            return slot->p_value;
    }
    double p_value = fisher_upper_tail_given(total, successes, draws, at_least,
                                             log_draws_mass(memo, total, draws));
    if (2 * (memo->used + 1) > memo->capacity && !memo_grow(memo))
        return p_value;
    *find_slot(memo->slots, memo->capacity, successes, draws, at_least) =
        (fisher_memo_slot){successes, draws, at_least, p_value};
    memo->used++;
    return p_value;
}

void fisher_memo_free(fisher_memo *memo)
{
    fimbit__free(memo->slots);
    fimbit__free(memo->draws);
    *memo = (fisher_memo){0};
}
