/*
 * Strong association rules from the itemset store.
 *
 * For every frequent itemset Z (|Z| >= 2 and >= min_size) the consequents Y
 * grow level by level, apriori-gen style: a consequent of m + 1 items is tried
 * only when every m-item consequent inside it passed the confidence test.
 * Confidence is anti-monotone in the consequent: moving an item from X to Y
 * shrinks X, which can only raise count(X) and so lower count(Z) / count(X);
 * if X => Y fails, X \ {a} => Y u {a} fails too. The lift filter is not
 * anti-monotone, so it only decides which passing rules are kept, never which
 * consequents grow.
 *
 * Item constraints act where they pay: an itemset with an excluded item (or,
 * with both sides listed, an unlisted one) holds no rule; a consequent list
 * limits the consequents to its items, so an itemset without one is skipped
 * at once (every subset of a listed consequent is listed, so the apriori-gen
 * pruning stays sound); an antecedent list only decides which passing rules
 * are kept, like lift, since a rule whose X has an unlisted item may still
 * grow into one whose X has none.
 *
 * Improvement and p-value are filters on kept rules too; p-values adjusted
 * for the number of tests are computed once every other filter has run.
 * Unless they filter, the p-values are computed in a pass of their own once
 * every rule is made, each count triple's by one thread.
 *
 * Itemsets are shared among OpenMP threads dynamically; each thread appends to
 * its own chunks of rules and item blocks. The chunks never move (no growing
 * copies); once every thread is done, each copies its chunks into its part of
 * the one rule array, in thread order.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "read/dataset.h"
#include "base/order.h"
#include "base/progress.h"
#include "constraints.h"
#include "count_cache.h"
#include "fisher_memo.h"
#include "measures.h"
#include "mine/mine.h"
#include "rules.h"
#include "store/store.h"

#define RULE_BLOCK_ITEMS ((size_t)1 << 16)
/* Rules in a worker's chunk: 228 KiB, a few hundred for a large result. */
#define RULE_CHUNK_ENTRIES 4096
/* Itemsets a thread examines between two progress counts. */
#define RULES_PROGRESS_BATCH 256
/* The largest itemset whose subset counts the improvement tabulates (a table
 * of 2^k slots, 96 KiB at most). */
#define SUBSET_TABLE_MAX_ITEMS 12
/* Tolerance of the threshold tests, relative to the compared quantity, so
 * that a confidence of exactly 0.8 passes a 0.8 threshold despite rounding. */
#define RULE_EPSILON 1e-9

/* The counts of an itemset's subsets by position mask, and their keys and
 * sizes for the count cache, in arrays of their own: the improvement's hot
 * loop reads counts alone (8-byte strides). One block holds all three. */
typedef struct subset_table {
    uint64_t *counts;
    uint64_t *keys;
    uint8_t *sizes;
} subset_table;

/* Threads that share the p-value pass at most (owners fit a byte). */
#define P_VALUE_SHARERS_MAX 256

typedef struct rule_chunk {
    struct rule_chunk *next;
    size_t count;
    rule_entry entries[RULE_CHUNK_ENTRIES];
    /* The thread that fills each rule's p-value, when several share that
     * pass (fill_p_values): the others skip the rule reading a byte, not
     * its entry. */
    uint8_t p_value_owners[RULE_CHUNK_ENTRIES];
} rule_chunk;

typedef struct rule_worker {
    rule_chunk *chunks; /* oldest first, appended at `last_chunk` */
    rule_chunk *last_chunk;
    size_t count;             /* rules in every chunk */
    rule_items_block *blocks; /* newest first */

    /* Consequents of the current and next level: `m` positions into Z each. */
    uint32_t *level;
    size_t level_count;
    size_t level_capacity; /* in words */
    uint32_t *next;
    size_t next_count;
    size_t next_capacity;

    uint32_t *antecedent; /* scratch: X and Y items of the rule being tried */
    uint32_t *consequent;
    uint32_t scratch_capacity;
    uint32_t *candidate;
    uint32_t *subset;     /* scratch: a subset's items, for the improvement */
    /* The counts of the current itemset's subsets by position mask, once
     * one of its rules needs an improvement, when it has at most
     * SUBSET_TABLE_MAX_ITEMS items. Until then it holds those of the itemset
     * filled before, filled_items[0 .. filled_size) (0: none), whose subsets
     * shared with the next one are copied from it. */
    subset_table subsets;
    subset_table spare_subsets; /* the table the next itemset fills */
    bool subsets_filled;
    uint32_t filled_size;
    uint32_t filled_items[SUBSET_TABLE_MAX_ITEMS];
    count_cache counts;   /* the counts of recent itemsets' subsets */
    fisher_memo p_values; /* the p-values of the count triples seen */
    int p_value_sharers;  /* threads sharing the p-value pass, or 0 */

    fimbit_status status;
    char padding[64];
} rule_worker;

typedef struct rule_job {
    const fimbit_itemsets *store;
    const fimbit_dataset *dataset;
    uint64_t basket_count;
    double min_confidence;
    double min_lift;
    uint32_t max_consequent;
    uint32_t min_size;
    item_constraints constraints;
    bool needs_improvement;
    double min_improvement;
    bool non_redundant;
    bool needs_p_value;
    double max_p; /* applied while generating only when p-values are not adjusted */
    bool p_values_later; /* needed, and max_p keeps every rule: fill_p_values() */
} rule_job;

static bool worker_scratch(rule_worker *worker, uint32_t size)
{
    if (size <= worker->scratch_capacity)
        return true;
    uint32_t *antecedent = fimbit__malloc_array(size, sizeof *antecedent);
    uint32_t *consequent = fimbit__malloc_array(size, sizeof *consequent);
    uint32_t *candidate = fimbit__malloc_array(size, sizeof *candidate);
    uint32_t *subset = fimbit__malloc_array(size, sizeof *subset);
    if (antecedent == NULL || consequent == NULL || candidate == NULL || subset == NULL) {
        fimbit__free(antecedent);
        fimbit__free(consequent);
        fimbit__free(candidate);
        fimbit__free(subset);
        return false;
    }
    fimbit__free(worker->antecedent);
    fimbit__free(worker->consequent);
    fimbit__free(worker->candidate);
    fimbit__free(worker->subset);
    worker->antecedent = antecedent;
    worker->consequent = consequent;
    worker->candidate = candidate;
    worker->subset = subset;
    worker->scratch_capacity = size;
    return true;
}

/* Makes a subset table of 2^SUBSET_TABLE_MAX_ITEMS slots in one block.
 * @return false when out of memory. */
static bool subset_table_make(subset_table *table)
{
    const size_t slots = (size_t)1 << SUBSET_TABLE_MAX_ITEMS;
    uint64_t *block = fimbit__malloc_array(slots, 2 * sizeof(uint64_t) + sizeof(uint8_t));
    if (block == NULL)
        return false;
    *table = (subset_table){block, block + slots, (uint8_t *)(block + 2 * slots)};
    return true;
}

static void worker_free_chunks(rule_worker *worker)
{
    rule_chunk *chunk = worker->chunks;
    while (chunk) {
        rule_chunk *next = chunk->next;
        fimbit__free(chunk);
        chunk = next;
    }
    worker->chunks = worker->last_chunk = NULL;
}

static void worker_release(rule_worker *worker, bool keep_results)
{
    worker_free_chunks(worker);
    if (!keep_results) {
        rule_items_block *block = worker->blocks;
        while (block) {
            rule_items_block *next = block->next;
            fimbit__free(block);
            block = next;
        }
        worker->blocks = NULL;
    }
    fimbit__free(worker->level);
    fimbit__free(worker->next);
    fimbit__free(worker->antecedent);
    fimbit__free(worker->consequent);
    fimbit__free(worker->candidate);
    fimbit__free(worker->subset);
    fimbit__free(worker->subsets.counts);
    fimbit__free(worker->spare_subsets.counts);
    count_cache_free(&worker->counts);
    fisher_memo_free(&worker->p_values);
}

/* Which of `sharers` threads fills the p-value of rules with these counts
 * when they share the p-value pass: one for each count triple, so that its
 * tail is computed once, not by every thread that made a rule with it. The
 * high half of a multiplicative hash picks it (groceries: 15.9 k triples
 * each of two threads). */
static uint8_t p_value_owner(uint64_t cz, uint64_t cx, uint64_t cy, int sharers)
{
    uint64_t hash =
        cz * 0x9e3779b97f4a7c15ull + cx * 0xc2b2ae3d27d4eb4full + cy * 0x165667b19e3779f9ull;
    return (uint8_t)(((hash >> 32) * (uint64_t)sharers) >> 32);
}

/* Records the rule X => Y (scratch arrays) with its counts. */
static bool worker_emit(rule_worker *worker, uint32_t x_size, uint32_t y_size, uint64_t cz,
                        uint64_t cx, uint64_t cy, double improvement, double p_value)
{
    size_t words = (size_t)x_size + y_size;
    rule_items_block *block = worker->blocks;
    if (block == NULL || block->capacity - block->used < words) {
        size_t capacity = words > RULE_BLOCK_ITEMS ? words : RULE_BLOCK_ITEMS;
        block = fimbit__malloc(sizeof *block + capacity * sizeof(uint32_t));
        if (block == NULL)
            return false;
        block->used = 0;
        block->capacity = capacity;
        block->next = worker->blocks;
        worker->blocks = block;
    }
    rule_chunk *chunk = worker->last_chunk;
    if (chunk == NULL || chunk->count == RULE_CHUNK_ENTRIES) {
        chunk = fimbit__malloc(sizeof *chunk);
        if (chunk == NULL)
            return false;
        chunk->next = NULL;
        chunk->count = 0;
        if (worker->last_chunk)
            worker->last_chunk->next = chunk;
        else
            worker->chunks = chunk;
        worker->last_chunk = chunk;
    }
    uint32_t *items = block->items + block->used;
    memcpy(items, worker->antecedent, x_size * sizeof *items);
    memcpy(items + x_size, worker->consequent, y_size * sizeof *items);
    block->used += words;
    worker->count++;
    if (worker->p_value_sharers > 1)
        chunk->p_value_owners[chunk->count] = p_value_owner(cz, cx, cy, worker->p_value_sharers);
    chunk->entries[chunk->count++] = (rule_entry){
        .items = items,
        .antecedent_size = x_size,
        .consequent_size = y_size,
        .count = cz,
        .antecedent_count = cx,
        .consequent_count = cy,
        .improvement = improvement,
        .p_value = p_value,
    };
    return true;
}

/* The count of a proper subset of a stored itemset, natural order. A single
 * item's count is its support in the dataset (the same number, without a hash
 * probe, and there even when the store holds no 1-itemsets). */
static uint64_t subset_count(const rule_job *job, const uint32_t *items, uint32_t size)
{
    if (size == 1)
        return job->dataset->item_support[items[0]];
    return store_lookup_canonical(job->store, items, size);
}

/* Makes count(X' u Y) / count(X') the best confidence when it beats
 * *best_count / *best_base, compared exactly. */
static inline void keep_best(uint64_t count, uint64_t base, uint64_t *best_count,
                             uint64_t *best_base)
{
    if ((unsigned __int128)count * *best_base > (unsigned __int128)*best_count * base) {
        *best_count = count;
        *best_base = base;
    }
}

/* keep_best() over the subsets X' of the antecedent at the positions in
 * `antecedent` but itself, the empty one left to the caller: two reads of
 * the filled subset table each (its counts were checked when filled). With
 * `narrow` (every count below 2^32, as the basket count is), the products
 * fit 64 bits: one multiplication each and one comparison, where 128 bits
 * take more (groceries: 1.2 M subsets). */
static inline void best_subset_confidence(const uint64_t *counts, uint64_t antecedent,
                                          uint64_t consequent, bool narrow, uint64_t *best_count,
                                          uint64_t *best_base)
{
    uint64_t best_c = *best_count, best_b = *best_base;
    for (uint64_t sub = (antecedent - 1) & antecedent; sub != 0; sub = (sub - 1) & antecedent) {
        uint64_t count = counts[sub | consequent], base = counts[sub];
        bool better = narrow ? count * best_b > best_c * base
                             : (unsigned __int128)count * best_b > (unsigned __int128)best_c * base;
        if (better) {
            best_c = count;
            best_b = base;
        }
    }
    *best_count = best_c;
    *best_base = best_b;
}

/* The count of the subset of the current itemset z at the positions in
 * `mask` (`size` >= 2 of them), whose count cache key is `key`: from the
 * cache, else from the store (and then kept in the cache). */
static inline uint64_t cached_count(const rule_job *job, rule_worker *worker, const uint32_t *z,
                                    uint64_t mask, uint32_t size, uint64_t key)
{
    count_cache_slot *slot;
    uint64_t count = count_cache_get(&worker->counts, key, mask, size, &slot);
    if (count != 0)
        return count;
    uint32_t i = 0;
    for (uint64_t rest = mask; rest != 0; rest &= rest - 1)
        worker->subset[i++] = z[__builtin_ctzll(rest)];
    count = store_lookup_canonical(job->store, worker->subset, size);
    if (slot != NULL && count != 0)
        count_cache_put(&worker->counts, slot, key, mask, count);
    return count;
}

/* The positions of the items that z[0 .. k) and y[0 .. n) (both in natural
 * order) share: in z as *z_shared, in y as *y_shared. */
static void shared_positions(const uint32_t *natural_rank, const uint32_t *z, uint32_t k,
                             const uint32_t *y, uint32_t n, uint64_t *z_shared, uint64_t *y_shared)
{
    *z_shared = *y_shared = 0;
    for (uint32_t i = 0, j = 0; i < k && j < n;) {
        if (z[i] == y[j]) {
            *z_shared |= (uint64_t)1 << i++;
            *y_shared |= (uint64_t)1 << j++;
        } else if (natural_rank[z[i]] < natural_rank[y[j]]) {
            i++;
        } else {
            j++;
        }
    }
}

/* Fills the subset table with the count of every subset of z[0 .. k) (k <=
 * SUBSET_TABLE_MAX_ITEMS; count cz): those it shares with the itemset filled
 * before are copied from its table (the store lists itemsets depth first, so
 * about half are: groceries 55%), the others looked up. A key is the key of
 * the subset without its first position plus that position's term. @return
 * false when a count is missing. */
static bool subsets_fill(const rule_job *job, rule_worker *worker, const uint32_t *z, uint32_t k,
                         uint64_t cz)
{
    subset_table table = worker->spare_subsets;
    const subset_table previous_table = worker->subsets;
    table.counts[0] = job->basket_count;
    table.keys[0] = 0;
    table.sizes[0] = 0;
    uint64_t shared = 0, previous_shared = 0;
    if (worker->filled_size > 0)
        shared_positions(job->dataset->natural_rank, z, k, worker->filled_items,
                         worker->filled_size, &shared, &previous_shared);
    /* The submasks of both, in step from the largest down: the i-th of one
     * names the same items as the i-th of the other, as both keep natural
     * order. */
    for (uint64_t mask = shared, previous = previous_shared; mask != 0;
         mask = (mask - 1) & shared, previous = (previous - 1) & previous_shared) {
        table.counts[mask] = previous_table.counts[previous];
        table.keys[mask] = previous_table.keys[previous];
        table.sizes[mask] = previous_table.sizes[previous];
    }
    uint64_t everything = ((uint64_t)1 << k) - 1;
    for (uint64_t mask = 1; mask <= everything; mask++) {
        if ((mask & ~shared) == 0)
            continue;
        uint32_t first = (uint32_t)__builtin_ctzll(mask);
        uint64_t rest = mask & (mask - 1);
        uint64_t key = table.keys[rest] + worker->counts.terms[first];
        uint32_t size = table.sizes[rest] + 1u;
        uint64_t count = mask == everything ? cz
                         : rest == 0        ? job->dataset->item_support[z[first]]
                                            : cached_count(job, worker, z, mask, size, key);
        if (count == 0) {
            worker->status = FIMBIT_EINTERNAL;
            return false;
        }
        table.counts[mask] = count;
        table.keys[mask] = key;
        table.sizes[mask] = (uint8_t)size;
    }
    worker->spare_subsets = previous_table;
    worker->subsets = table;
    memcpy(worker->filled_items, z, k * sizeof *z);
    worker->filled_size = k;
    worker->subsets_filled = true;
    return true;
}

/* The count of the subset of z[0 .. k) (k <= 64) at the `size` >= 1
 * positions in `mask` (not all) when the subset table is not filled: as
 * cached_count(). */
static inline uint64_t sized_positions_count(const rule_job *job, rule_worker *worker,
                                             const uint32_t *z, uint64_t mask, uint32_t size)
{
    if (size == 1)
        return job->dataset->item_support[z[__builtin_ctzll(mask)]];
    return cached_count(job, worker, z, mask, size, count_cache_key(&worker->counts, mask));
}

/* sized_positions_count() of any mask, the empty one included. */
static inline uint64_t positions_count(const rule_job *job, rule_worker *worker, const uint32_t *z,
                                       uint64_t mask)
{
    if (mask == 0)
        return job->basket_count;
    return sized_positions_count(job, worker, z, mask, (uint32_t)__builtin_popcountll(mask));
}

/* The improvement of X => Y, z[0 .. k) being X u Y in natural order (k <= 64)
 * and `consequent` the mask of Y's positions: confidence minus the best
 * confidence of X' => Y over every proper subset X' of X, the empty one
 * included. Every X' u Y is a subset of a stored itemset, so in the store.
 * The sign is exact: the difference of the two fractions has an integer
 * numerator. */
static double rule_improvement(const rule_job *job, rule_worker *worker, const uint32_t *z,
                               uint32_t k, uint64_t consequent, uint64_t cz, uint64_t cx,
                               uint64_t cy, int *sign)
{
    uint64_t everything = k == 64 ? UINT64_MAX : ((uint64_t)1 << k) - 1;
    uint64_t antecedent = everything & ~consequent;
    uint64_t best_count = cy, best_base = job->basket_count; /* X' empty */
    if (worker->subsets_filled) {
        /* The common case, and the hot loop of the improvement: two reads
         * of the table a subset (its counts were checked when filled). */
        const uint64_t *counts = worker->subsets.counts;
        if (job->basket_count <= UINT32_MAX)
            best_subset_confidence(counts, antecedent, consequent, true, &best_count, &best_base);
        else
            best_subset_confidence(counts, antecedent, consequent, false, &best_count, &best_base);
    } else {
        for (uint64_t sub = (antecedent - 1) & antecedent; sub != 0; sub = (sub - 1) & antecedent) {
            uint64_t count = positions_count(job, worker, z, sub | consequent);
            uint64_t base = positions_count(job, worker, z, sub);
            if (count == 0 || base == 0) {
                worker->status = FIMBIT_EINTERNAL;
                return 0.0;
            }
            keep_best(count, base, &best_count, &best_base);
        }
    }
    __int128 numerator = (__int128)cz * best_base - (__int128)best_count * cx;
    *sign = numerator > 0 ? 1 : numerator < 0 ? -1 : 0;
    return rules_int128_to_double(numerator) / ((double)cx * (double)best_base);
}

/* Whether a strong X => Y passes the antecedent list. */
static bool antecedent_allowed(const rule_job *job, const uint32_t *x, uint32_t x_size)
{
    for (uint32_t i = 0; i < x_size; i++)
        if (!item_constraints_may_lead(&job->constraints, x[i]))
            return false;
    return true;
}

/* The filters after confidence: lift, the antecedent list, improvement and
 * (unadjusted) p-value. Computes what they and the kept measures need. */
static bool rule_kept(const rule_job *job, rule_worker *worker, const uint32_t *z, uint32_t k,
                      uint64_t consequent, uint32_t x_size, uint64_t cz, uint64_t cx,
                      uint64_t cy, double *improvement, double *p_value)
{
    if (job->min_lift > 0) {
        double lift = ((double)cz * (double)job->basket_count) / ((double)cx * (double)cy);
        if (!(lift >= job->min_lift - RULE_EPSILON * job->min_lift))
            return false;
    }
    if (!antecedent_allowed(job, worker->antecedent, x_size))
        return false;
    if (job->needs_improvement) {
        /* The first improvement of an itemset tabulates the counts of all its
         * subsets: its rules' improvements need nearly all of them. */
        if (!worker->subsets_filled && k <= SUBSET_TABLE_MAX_ITEMS &&
            !subsets_fill(job, worker, z, k, cz))
            return false;
        int sign = 0;
        *improvement = rule_improvement(job, worker, z, k, consequent, cz, cx, cy, &sign);
        if (job->non_redundant && sign <= 0)
            return false;
        if (*improvement < job->min_improvement - RULE_EPSILON * fabs(job->min_improvement))
            return false;
    }
    if (job->needs_p_value && !job->p_values_later) {
        *p_value = fisher_memo_upper_tail(&worker->p_values, job->basket_count, cy, cx, cz);
        if (*p_value > job->max_p + RULE_EPSILON * job->max_p)
            return false;
    }
    return true;
}

/* Rules whose p-value a worker other than their maker filled, for the tests. */
static _Atomic uint64_t p_values_handed_over;

uint64_t rules__p_values_handed_over(void) { return atomic_load(&p_values_handed_over); }

/* The p-values of every rule, once all are made, when none is filtered by
 * its p-value: in a loop of their own, the memo's random reads of
 * consecutive rules overlap and the tails run back to back, where between
 * two rules' other work each read waited alone (groceries --measures
 * p_value, -T 1: the rules stage 19.1 -> 17.1 ms). When several threads
 * share the pass, thread `self` fills the rules of every worker whose count
 * triple it owns (p_value_owner), its own chunks first: the memos then hold
 * no triple twice (groceries, -T 2 under callgrind: 31.8 k tails, not
 * 42.1 k). Each entry is written by its owner alone, so the threads need no
 * meeting between making the rules and filling them. */
static void fill_p_values(const rule_job *job, rule_worker *workers, int threads, int self)
{
    int sharers = workers[self].p_value_sharers;
    fisher_memo *memo = &workers[self].p_values;
    uint64_t handed_over = 0;
    for (int i = 0; i < threads && self < sharers; i++) {
        const rule_worker *maker = &workers[(self + i) % threads];
        for (rule_chunk *chunk = maker->chunks; chunk; chunk = chunk->next) {
            size_t filled = 0;
            for (size_t e = 0; e < chunk->count; e++) {
                if (sharers > 1 && chunk->p_value_owners[e] != self)
                    continue;
                rule_entry *entry = &chunk->entries[e];
                entry->p_value =
                    fisher_memo_upper_tail(memo, job->basket_count, entry->consequent_count,
                                           entry->antecedent_count, entry->count);
                filled++;
            }
            if (i > 0)
                handed_over += filled;
        }
    }
    if (handed_over > 0)
        atomic_fetch_add_explicit(&p_values_handed_over, handed_over, memory_order_relaxed);
}

/* Tries the consequent Y = { z[positions[i]] }: emits the rule when strong.
 * @return 1 when it passes the confidence test (Y may grow), 0 when not, -1 on
 * failure (worker->status says why). */
static int try_consequent(const rule_job *job, rule_worker *worker, const uint32_t *z,
                          uint32_t k, uint64_t cz, const uint32_t *positions, uint32_t m)
{
    uint32_t x_size = 0, y_size = 0;
    uint64_t consequent = 0; /* Y's positions, for the improvement (k <= 64 then) */
    for (uint32_t p = 0, i = 0; p < k; p++) {
        if (i < m && positions[i] == p) {
            consequent |= p < 64 ? (uint64_t)1 << p : 0;
            worker->consequent[y_size++] = z[p];
            i++;
        } else {
            worker->antecedent[x_size++] = z[p];
        }
    }
    uint64_t cx, cy;
    if (worker->subsets_filled) {
        cx = worker->subsets.counts[(((uint64_t)1 << k) - 1) & ~consequent];
        cy = worker->subsets.counts[consequent];
    } else if (job->needs_improvement) {
        /* Through the count cache: the subset table, filled at the itemset's
         * first strong rule, reads these counts again. */
        uint64_t everything = k == 64 ? UINT64_MAX : ((uint64_t)1 << k) - 1;
        cx = sized_positions_count(job, worker, z, everything & ~consequent, x_size);
        cy = sized_positions_count(job, worker, z, consequent, y_size);
    } else {
        cx = subset_count(job, worker->antecedent, x_size);
        cy = subset_count(job, worker->consequent, y_size);
    }
    if (cx == 0 || cy == 0) {
        worker->status = FIMBIT_EINTERNAL;
        return -1;
    }
    double dcx = (double)cx;
    if ((double)cz < job->min_confidence * dcx - RULE_EPSILON * dcx)
        return 0;
    double improvement = NAN, p_value = NAN;
    if (rule_kept(job, worker, z, k, consequent, x_size, cz, cx, cy, &improvement,
                  &p_value) &&
        !worker_emit(worker, x_size, y_size, cz, cx, cy, improvement, p_value)) {
        worker->status = FIMBIT_ENOMEM;
        return -1;
    }
    if (worker->status != FIMBIT_OK)
        return -1;
    return 1;
}

/* Lexicographic comparison of two m-position tuples. */
static int compare_tuples(const uint32_t *a, const uint32_t *b, uint32_t m)
{
    for (uint32_t i = 0; i < m; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static bool level_contains(const uint32_t *level, size_t count, const uint32_t *tuple, uint32_t m)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int order = compare_tuples(level + mid * m, tuple, m);
        if (order == 0)
            return true;
        if (order < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Whether the item constraints leave z[0 .. k) any rule: no item unusable,
 * one item at least on the consequent list, and no more items off the
 * antecedent list (which must all go to Y) than a consequent may hold. */
static bool itemset_may_hold_rules(const rule_job *job, const uint32_t *z, uint32_t k,
                                   uint32_t max_m)
{
    const item_constraints *c = &job->constraints;
    if (c->roles == NULL)
        return true;
    uint32_t followers = 0, must_follow = 0;
    for (uint32_t p = 0; p < k; p++) {
        if (!item_constraints_usable(c, z[p]))
            return false;
        followers += item_constraints_may_follow(c, z[p]);
        must_follow += !item_constraints_may_lead(c, z[p]);
    }
    return followers > 0 && must_follow <= max_m;
}

/* Every strong rule from the itemset z[0 .. k) with count cz. @return false on
 * failure. */
static bool rules_from_itemset(const rule_job *job, rule_worker *worker, const uint32_t *z,
                               uint32_t k, uint64_t cz)
{
    uint32_t max_m = k - 1;
    if (job->max_consequent > 0 && job->max_consequent < max_m)
        max_m = job->max_consequent;
    if (!itemset_may_hold_rules(job, z, k, max_m))
        return true;
    if (!worker_scratch(worker, k) ||
        !fimbit__grow_array((void **)&worker->level, &worker->level_capacity, k,
                            sizeof *worker->level)) {
        worker->status = FIMBIT_ENOMEM;
        return false;
    }
    if (job->needs_improvement) {
        /* Beyond 64 items the subsets of an antecedent cannot be counted. */
        if (k > 64) {
            worker->status = FIMBIT_ELIMIT;
            return false;
        }
        if (worker->subsets.counts == NULL &&
            (!subset_table_make(&worker->subsets) || !subset_table_make(&worker->spare_subsets))) {
            worker->status = FIMBIT_ENOMEM;
            return false;
        }
        if (!count_cache_begin(&worker->counts, z, k)) {
            worker->status = FIMBIT_ENOMEM;
            return false;
        }
    }
    worker->subsets_filled = false;

    /* Level 1: every single-item consequent (on the consequent list). Kept in
     * ascending position order, so each level is sorted lexicographically, as
     * apriori-gen needs. */
    worker->level_count = 0;
    for (uint32_t p = 0; p < k; p++) {
        if (!item_constraints_may_follow(&job->constraints, z[p]))
            continue;
        int passed = try_consequent(job, worker, z, k, cz, &p, 1);
        if (passed < 0)
            return false;
        if (passed)
            worker->level[worker->level_count++] = p;
    }

    for (uint32_t m = 1; m < max_m && worker->level_count >= 2; m++) {
        /* Join consequents that share their first m - 1 positions (they are
         * adjacent in the sorted level), prune candidates that have a failed
         * m-subset, and test the rest. */
        worker->next_count = 0;
        uint32_t *candidate = worker->candidate;
        for (size_t i = 0; i < worker->level_count; i++) {
            const uint32_t *first = worker->level + i * m;
            for (size_t j = i + 1; j < worker->level_count; j++) {
                const uint32_t *second = worker->level + j * m;
                if (compare_tuples(first, second, m - 1) != 0)
                    break;
                memcpy(candidate, first, m * sizeof *candidate);
                candidate[m] = second[m - 1];

                bool all_subsets_passed = true;
                uint32_t subset[m];
                for (uint32_t drop = 0; drop + 1 < m && all_subsets_passed; drop++) {
                    for (uint32_t s = 0, t = 0; s <= m; s++)
                        if (s != drop)
                            subset[t++] = candidate[s];
                    all_subsets_passed =
                        level_contains(worker->level, worker->level_count, subset, m);
                }
                if (!all_subsets_passed)
                    continue;

                int passed = try_consequent(job, worker, z, k, cz, candidate, m + 1);
                if (passed < 0)
                    return false;
                if (passed) {
                    size_t needed = (worker->next_count + 1) * (m + 1);
                    if (!fimbit__grow_array((void **)&worker->next, &worker->next_capacity, needed,
                                            sizeof *worker->next)) {
                        worker->status = FIMBIT_ENOMEM;
                        return false;
                    }
                    memcpy(worker->next + worker->next_count * (m + 1), candidate,
                           (m + 1) * sizeof *candidate);
                    worker->next_count++;
                }
            }
        }
        uint32_t *swap = worker->level;
        worker->level = worker->next;
        worker->next = swap;
        size_t swap_capacity = worker->level_capacity;
        worker->level_capacity = worker->next_capacity;
        worker->next_capacity = swap_capacity;
        worker->level_count = worker->next_count;
    }
    return true;
}

fimbit_status rules_check_options(const fimbit_rule_options *options, fimbit_error *error)
{
    if (!(options->min_confidence >= 0.0 && options->min_confidence <= 1.0))
        return fimbit__fail(error, FIMBIT_EINVAL, "minimum confidence %g is not in [0, 1]",
                            options->min_confidence);
    if (!(options->min_lift >= 0.0))
        return fimbit__fail(error, FIMBIT_EINVAL, "minimum lift %g is negative",
                            options->min_lift);
    if ((options->measures & ~(uint32_t)FIMBIT_MEASURES_ALL) != 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown measures in mask 0x%x",
                            (unsigned)options->measures);
    if (options->min_improvement != options->min_improvement)
        return fimbit__fail(error, FIMBIT_EINVAL, "minimum improvement is NaN");
    if (!(options->max_p >= 0.0 && options->max_p <= 1.0))
        return fimbit__fail(error, FIMBIT_EINVAL, "maximum p-value %g is not in [0, 1]",
                            options->max_p);
    /* Checked here as given: the mining runs from size 1 whatever min_size
     * says (a rule needs the counts of its subsets). */
    fimbit_status mine_status = mine_check_options(&options->mine, error);
    if (mine_status != FIMBIT_OK)
        return mine_status;
    if ((unsigned)options->p_adjust > FIMBIT_P_ADJUST_HOLM)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown p-value adjustment %d",
                            (int)options->p_adjust);
    if ((options->antecedent_items == NULL && options->antecedent_item_count > 0) ||
        (options->consequent_items == NULL && options->consequent_item_count > 0) ||
        (options->exclude_items == NULL && options->exclude_item_count > 0))
        return fimbit__fail(error, FIMBIT_EINVAL, "an item list has a count but no items");
    return FIMBIT_OK;
}

/* Adjusts the p-values of every rule for their number, then keeps those at
 * most max_p. @return false when out of memory. */
static bool adjust_and_filter(fimbit_rules *rules, fimbit_p_adjust method, double max_p)
{
    size_t m = rules->count;
    double *p = fimbit__malloc_array(m ? m : 1, sizeof *p);
    size_t *order = fimbit__malloc_array(m ? m : 1, sizeof *order);
    if (p == NULL || order == NULL) {
        fimbit__free(p);
        fimbit__free(order);
        return false;
    }
    for (size_t i = 0; i < m; i++)
        p[i] = rules->entries[i].p_value;
    rules_adjust_p_values(p, m, method, order);
    size_t kept = 0;
    for (size_t i = 0; i < m; i++) {
        if (p[i] > max_p + RULE_EPSILON * max_p)
            continue;
        rules->entries[kept] = rules->entries[i];
        rules->entries[kept++].p_value = p[i];
    }
    rules->count = kept;
    fimbit__free(p);
    fimbit__free(order);
    return true;
}

/* The workers' first failure, else the cancel, else room for all their
 * rules: sets rules->count and each worker's offset into rules->entries. */
static fimbit_status merge_prepare(fimbit_rules *rules, const rule_worker *workers, int threads,
                                   progress_meter *meter, size_t *offsets)
{
    fimbit_status status = FIMBIT_OK;
    size_t total = 0;
    for (int t = 0; t < threads; t++) {
        if (workers[t].status != FIMBIT_OK && status == FIMBIT_OK)
            status = workers[t].status;
        offsets[t] = total;
        total += workers[t].count;
    }
    if (status == FIMBIT_OK && progress_canceled(meter))
        status = FIMBIT_ECANCELED;
    if (status != FIMBIT_OK)
        return status;
    rules->entries = fimbit__malloc_array(total ? total : 1, sizeof *rules->entries);
    if (rules->entries == NULL)
        return FIMBIT_ENOMEM;
    /* Written in full at once (groceries: 8.4 MB, 2,050 faults of 4 KiB). */
    fimbit__advise_huge_pages(rules->entries, total * sizeof *rules->entries);
    rules->count = total;
    return FIMBIT_OK;
}

/* Copies a worker's rule chunks, in order, to `place` and frees them. */
static void worker_move_chunks(rule_worker *worker, rule_entry *place)
{
    for (const rule_chunk *chunk = worker->chunks; chunk; chunk = chunk->next) {
        memcpy(place, chunk->entries, chunk->count * sizeof *place);
        place += chunk->count;
    }
    worker_free_chunks(worker);
}

fimbit_status rules_generate(const fimbit_itemsets *itemsets, const fimbit_rule_options *options,
                             fimbit_rules **out, fimbit_error *error)
{
    *out = NULL;
    const fimbit_dataset *dataset = itemsets->dataset;
    rule_job job = {
        .store = itemsets,
        .dataset = dataset,
        .basket_count = dataset->basket_count,
        .min_confidence = options->min_confidence,
        .min_lift = options->min_lift,
        .max_consequent = options->max_consequent,
        .min_size = options->mine.min_size > 2 ? options->mine.min_size : 2,
        .needs_improvement = (options->measures &
                              FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_IMPROVEMENT)) != 0 ||
                             options->min_improvement > -INFINITY || options->non_redundant,
        .min_improvement = options->min_improvement,
        .non_redundant = options->non_redundant != 0,
        .needs_p_value = (options->measures & FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE)) != 0 ||
                         options->max_p < 1.0 || options->p_adjust != FIMBIT_P_ADJUST_NONE,
        .max_p = options->p_adjust == FIMBIT_P_ADJUST_NONE ? options->max_p : 1.0,
    };
    job.p_values_later = job.needs_p_value && job.max_p >= 1.0;
    size_t n = fimbit_itemsets_count(itemsets);
    progress_meter meter;
    if (progress_begin(&meter, FIMBIT_STAGE_RULES, "itemsets", n))
        return progress_cancel_error(&meter, error);
    fimbit_status prepared = store_prepare_lookup(itemsets, error);
    if (prepared == FIMBIT_OK)
        prepared = item_constraints_resolve(dataset, options, &job.constraints, error);
    if (prepared != FIMBIT_OK)
        return prepared;
    fimbit_rules *rules = fimbit__calloc(1, sizeof *rules);
    /* An itemset's rules cost about as much as reading a basket of 64 items. */
    int threads = fimbit__thread_count_for_work(options->mine.threads, (uint64_t)n * 64);
    rule_worker *workers = fimbit__calloc((size_t)threads, sizeof *workers);
    if (rules == NULL || workers == NULL) {
        fimbit__free(rules);
        fimbit__free(workers);
        item_constraints_free(&job.constraints);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while generating rules");
    }
    rules->dataset = dataset;
    rules->threads = threads;
    rules->measures = options->measures;

    /* One parallel region generates and merges: on a busy machine every
     * fork and join can cost a scheduler time slice. After the loop, one
     * thread sizes the array; then every thread copies its own rule chunks to
     * its place in it (the first touch of those pages is shared too). */
    atomic_int failed = 0;
    fimbit_status status = FIMBIT_OK;
    size_t offsets[threads];
#pragma omp parallel num_threads(threads)
    {
        rule_worker *worker = &workers[omp_get_thread_num()];
        if (job.p_values_later)
            worker->p_value_sharers = omp_get_num_threads() < P_VALUE_SHARERS_MAX
                                          ? omp_get_num_threads()
                                          : P_VALUE_SHARERS_MAX;
#pragma omp for schedule(dynamic, 256)
        for (size_t i = 0; i < n; i++) {
            if (atomic_load_explicit(&failed, memory_order_relaxed))
                continue;
            if (i % RULES_PROGRESS_BATCH == RULES_PROGRESS_BATCH - 1 &&
                progress_advance(&meter, RULES_PROGRESS_BATCH))
                atomic_store(&failed, 1);
            const uint32_t *record = itemsets->index[i];
            uint32_t k = store_record_size(record);
            if (k < job.min_size)
                continue;
            if (!rules_from_itemset(&job, worker, store_record_items(record), k,
                                    store_record_count(record)))
                atomic_store(&failed, 1);
        }
        /* Every rule is made by now: the loop ends with a barrier. */
        if (job.p_values_later && !atomic_load_explicit(&failed, memory_order_relaxed))
            fill_p_values(&job, workers, threads, omp_get_thread_num());
#pragma omp single
        status = merge_prepare(rules, workers, threads, &meter, offsets);
        if (status == FIMBIT_OK)
            for (int t = omp_get_thread_num(); t < threads; t += omp_get_num_threads())
                worker_move_chunks(&workers[t], rules->entries + offsets[t]);
    }

    item_constraints_free(&job.constraints);
    if (status != FIMBIT_OK) {
        for (int t = 0; t < threads; t++)
            worker_release(&workers[t], false);
        fimbit__free(workers);
        fimbit__free(rules);
        if (status == FIMBIT_EINTERNAL)
            return fimbit__fail(error, status,
                                "a subset of a frequent itemset is missing from the store");
        if (status == FIMBIT_ELIMIT)
            return fimbit__fail(error, status,
                                "improvement needs rules of at most 64 items; set a max size");
        if (status == FIMBIT_ECANCELED)
            return progress_cancel_error(&meter, error);
        return fimbit__fail(error, status, "out of memory while generating rules");
    }
    for (int t = 0; t < threads; t++) {
        rule_worker *worker = &workers[t];
        rule_items_block *block = worker->blocks;
        while (block) {
            rule_items_block *next = block->next;
            block->next = rules->blocks;
            rules->blocks = block;
            block = next;
        }
        worker->blocks = NULL;
        worker_release(worker, true);
    }
    fimbit__free(workers);
    if (options->p_adjust != FIMBIT_P_ADJUST_NONE &&
        !adjust_and_filter(rules, options->p_adjust, options->max_p)) {
        fimbit_rules_free(rules);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while adjusting p-values");
    }
    if (progress_end(&meter)) {
        fimbit_rules_free(rules);
        return progress_cancel_error(&meter, error);
    }
    *out = rules;
    return FIMBIT_OK;
}

void fimbit_rules_free(fimbit_rules *rules)
{
    if (rules == NULL)
        return;
    rule_items_block *block = rules->blocks;
    while (block) {
        rule_items_block *next = block->next;
        fimbit__free(block);
        block = next;
    }
    fimbit__free(rules->entries);
    fimbit__free(rules);
}

size_t fimbit_rules_count(const fimbit_rules *rules) { return rules ? rules->count : 0; }

void fimbit_rules_truncate(fimbit_rules *rules, size_t count)
{
    if (rules != NULL && count < rules->count)
        rules->count = count;
}

fimbit_status fimbit_rules_get(const fimbit_rules *rules, size_t index, fimbit_rule *rule)
{
    if (rules == NULL || rule == NULL || index >= rules->count)
        return FIMBIT_EINVAL;
    rules_entry_metrics(&rules->entries[index], rules->dataset->basket_count, rule);
    rules_entry_extra_measures(&rules->entries[index], rules->dataset->basket_count, rule);
    return FIMBIT_OK;
}

/* Item lists compare by size, then item by item in natural order. */
static int compare_item_lists(const uint32_t *a, uint32_t size_a, const uint32_t *b,
                              uint32_t size_b, const uint32_t *natural_rank)
{
    if (size_a != size_b)
        return size_a < size_b ? -1 : 1;
    for (uint32_t i = 0; i < size_a; i++) {
        if (a[i] != b[i])
            return natural_rank[a[i]] < natural_rank[b[i]] ? -1 : 1;
    }
    return 0;
}

static int compare_canonical(const rule_entry *a, const rule_entry *b,
                             const uint32_t *natural_rank)
{
    int order = compare_item_lists(a->items, a->antecedent_size, b->items, b->antecedent_size,
                                   natural_rank);
    if (order != 0)
        return order;
    return compare_item_lists(a->items + a->antecedent_size, a->consequent_size,
                              b->items + b->antecedent_size, b->consequent_size, natural_rank);
}

static int compare_canonical_qsort(const void *a, const void *b, void *context)
{
    return compare_canonical(a, b, context);
}

/* Sorting: (key, entry index) pairs are sorted (order.h), then the entries
 * are gathered into a new array in that order (sequential writes, prefetched
 * reads), or, when there is no memory for a second array, moved into place by
 * following the permutation's cycles (slower: a chain of dependent misses). */
static void apply_order(fimbit_rules *rules, order_entry *order)
{
    rule_entry *gathered = fimbit__malloc_array(rules->count, sizeof *gathered);
    if (gathered != NULL) {
        const rule_entry *entries = rules->entries;
        for (size_t i = 0; i < rules->count; i++) {
            if (i + 8 < rules->count)
                __builtin_prefetch(&entries[order[i + 8].value]);
            gathered[i] = entries[order[i].value];
        }
        fimbit__free(rules->entries);
        rules->entries = gathered;
        return;
    }
    const uint64_t done = UINT64_MAX;
    rule_entry *entries = rules->entries;
    for (size_t i = 0; i < rules->count; i++) {
        if (order[i].value == done || order[i].value == i)
            continue;
        rule_entry held = entries[i];
        size_t j = i;
        for (;;) {
            size_t source = (size_t)order[j].value;
            order[j].value = done;
            if (source == i) {
                entries[j] = held;
                break;
            }
            entries[j] = entries[source];
            j = source;
        }
    }
}

static int compare_canonical_tie(uint64_t a, uint64_t b, const void *context)
{
    const fimbit_rules *rules = context;
    return compare_canonical(&rules->entries[a], &rules->entries[b],
                             rules->dataset->natural_rank);
}

/* Items inside each side are in natural order already: they come from stored
 * itemsets in natural order, split by ascending positions. */
void fimbit_rules_sort(fimbit_rules *rules)
{
    if (rules == NULL || rules->count < 2)
        return;
    const uint32_t *natural_rank = rules->dataset->natural_rank;
    order_entry *order = fimbit__malloc_array(rules->count, sizeof *order);
    if (order == NULL) {
        qsort_r(rules->entries, rules->count, sizeof *rules->entries, compare_canonical_qsort,
                (void *)natural_rank);
        return;
    }
    unsigned rank_bits = order_bits_for(rules->dataset->item_count);
    ptrdiff_t count = (ptrdiff_t)rules->count;
#pragma omp parallel for schedule(static) num_threads(rules->threads) if (count > 100000)
    for (ptrdiff_t i = 0; i < count; i++) {
        const rule_entry *entry = &rules->entries[i];
        order_key key = order_key_start();
        order_key_push_size(&key, entry->antecedent_size);
        for (uint32_t j = 0; j < entry->antecedent_size && !key.closed; j++)
            order_key_push(&key, natural_rank[entry->items[j]], rank_bits);
        order_key_push_size(&key, entry->consequent_size);
        for (uint32_t j = 0; j < entry->consequent_size && !key.closed; j++)
            order_key_push(&key, natural_rank[entry->items[entry->antecedent_size + j]],
                           rank_bits);
        order[i] = (order_entry){key.key, (uint64_t)i};
    }
    order_sort(order, rules->count, compare_canonical_tie, rules, rules->threads);
    apply_order(rules, order);
    fimbit__free(order);
}

typedef struct strength_context {
    const fimbit_rules *rules;
    const uint32_t *natural_rank;
    uint64_t basket_count;
    fimbit_measure measure;
} strength_context;

static int compare_strength(const rule_entry *a, const rule_entry *b,
                            const strength_context *context)
{
    fimbit_rule ra, rb;
    rules_entry_metrics(a, context->basket_count, &ra);
    rules_entry_metrics(b, context->basket_count, &rb);
    if (ra.confidence != rb.confidence)
        return ra.confidence > rb.confidence ? -1 : 1;
    if (ra.lift != rb.lift)
        return ra.lift > rb.lift ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return compare_canonical(a, b, context->natural_rank);
}

/* A 64-bit key that orders a measure best first: the double's bits mapped to
 * an unsigned order (negative values flipped), complemented for descending
 * measures. NaN (a measure not computed) goes last. */
static uint64_t measure_key(const rule_entry *entry, const strength_context *context)
{
    double value = rules_entry_measure(entry, context->basket_count, context->measure);
    if (value != value)
        return UINT64_MAX;
    if (value == 0)
        value = 0.0; /* -0 and +0 tie */
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint64_t ascending = bits >> 63 ? ~bits : bits | (uint64_t)1 << 63;
    uint64_t key = context->measure == FIMBIT_MEASURE_P_VALUE ? ascending : ~ascending;
    return key == UINT64_MAX ? UINT64_MAX - 1 : key;
}

static int compare_by_measure(const rule_entry *a, const rule_entry *b,
                              const strength_context *context)
{
    uint64_t key_a = measure_key(a, context), key_b = measure_key(b, context);
    if (key_a != key_b)
        return key_a < key_b ? -1 : 1;
    return compare_strength(a, b, context);
}

static int compare_by_measure_qsort(const void *a, const void *b, void *context)
{
    return compare_by_measure(a, b, context);
}

static int compare_strength_tie(uint64_t a, uint64_t b, const void *pcontext)
{
    const strength_context *context = pcontext;
    return compare_strength(&context->rules->entries[a], &context->rules->entries[b], context);
}

fimbit_status fimbit_rules_sort_by(fimbit_rules *rules, fimbit_measure measure)
{
    if ((unsigned)measure >= FIMBIT_MEASURE_COUNT_)
        return FIMBIT_EINVAL;
    if (rules == NULL || rules->count < 2)
        return FIMBIT_OK;
    strength_context context = {rules, rules->dataset->natural_rank,
                                rules->dataset->basket_count, measure};
    order_entry *order = fimbit__malloc_array(rules->count, sizeof *order);
    if (order == NULL) {
        qsort_r(rules->entries, rules->count, sizeof *rules->entries, compare_by_measure_qsort,
                &context);
        return FIMBIT_OK;
    }
    ptrdiff_t count = (ptrdiff_t)rules->count;
#pragma omp parallel for schedule(static) num_threads(rules->threads) if (count > 100000)
    for (ptrdiff_t i = 0; i < count; i++)
        order[i] = (order_entry){measure_key(&rules->entries[i], &context), (uint64_t)i};
    order_sort(order, rules->count, compare_strength_tie, &context, rules->threads);
    apply_order(rules, order);
    fimbit__free(order);
    return FIMBIT_OK;
}

void fimbit_rules_sort_by_strength(fimbit_rules *rules)
{
    fimbit_rules_sort_by(rules, FIMBIT_MEASURE_CONFIDENCE);
}
