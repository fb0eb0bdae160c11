/*
 * A brute-force reference for the tests: frequent, closed and maximal itemsets
 * and strong rules computed the slow, obvious way on plain arrays of baskets.
 * It shares no code and no data structure with the library, so that agreeing
 * with it means something.
 *
 * Two tools live here:
 *  - the small-data oracle: at most ORACLE_MAX_ITEMS distinct items, baskets
 *    as bitmasks, the support of every one of the 2^k itemsets counted at once
 *    (a superset-sum over the lattice), every answer read off that table;
 *  - the large-data counter: a plain depth-first enumeration over tidsets
 *    (bitsets or sorted basket lists) that counts the frequent, closed and
 *    maximal itemsets of a FIMI file, used to derive and re-check the numbers
 *    that tests/unit/test_known_counts.c hard-codes.
 */
#ifndef FIMBIT_TEST_ORACLE_H
#define FIMBIT_TEST_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The small-data oracle enumerates 2^item_count itemsets. */
#define ORACLE_MAX_ITEMS 16

/* Baskets over item ids 0 .. item_count - 1. Basket b holds
 * items[offsets[b]] .. items[offsets[b + 1] - 1]; an id may repeat inside a
 * basket (it counts once) and a basket may be empty. */
typedef struct oracle_baskets {
    uint32_t item_count;
    uint64_t basket_count;
    uint64_t *offsets; /* basket_count + 1 entries */
    uint32_t *items;
} oracle_baskets;

void oracle_baskets_free(oracle_baskets *baskets);

/* A small, fast, seedable generator (splitmix64): the same seed gives the same
 * numbers on every machine. */
typedef struct oracle_rng {
    uint64_t state;
} oracle_rng;

void oracle_rng_seed(oracle_rng *rng, uint64_t seed);
uint64_t oracle_rng_next(oracle_rng *rng);
/* @return a number in [0, bound); 0 when bound is 0. */
uint64_t oracle_rng_below(oracle_rng *rng, uint64_t bound);
/* @return a number in [0, 1). */
double oracle_rng_unit(oracle_rng *rng);

/* Fills *out with a random dataset drawn from `seed`: 1..12 items, mostly
 * 1..40 baskets (up to 120 or 300 now and then), densities from sparse to
 * nearly full, basket lengths from a per-item coin or a drawn length, repeated
 * items inside baskets, empty baskets, and sometimes a few repeated "pattern"
 * baskets so that closed and maximal itemsets are not all trivial. */
void oracle_generate(uint64_t seed, oracle_baskets *out);

/* Like oracle_generate() with a given number of items (at most
 * ORACLE_MAX_ITEMS; 0 = drawn) and baskets (0 = drawn): for datasets that
 * span several of the library's 65,536-basket shards. */
void oracle_generate_sized(uint64_t seed, uint32_t item_count, uint64_t basket_count,
                           oracle_baskets *out);

/* The name of item `item` in the tests' datasets: "i<item>". The returned
 * string is static (item < ORACLE_MAX_ITEMS). */
const char *oracle_item_name(uint32_t item);

/* Parses a name made by oracle_item_name(). @return the item, or -1. */
int oracle_item_from_name(const char *name);

/* Builds the arrays that fimbit_dataset_from_baskets() takes: *names gets
 * pointers to static names (one per item occurrence, repeats kept) and
 * *offsets basket_count + 1 entries. The caller frees both arrays. */
void oracle_to_named(const oracle_baskets *baskets, const char ***names, uint64_t **offsets);

/* Prints the dataset, a basket a line ("  3: i0 i2 i2"), for failure reports. */
void oracle_print_baskets(FILE *stream, const oracle_baskets *baskets);

/* ------------------------------------------------------------ itemsets */

typedef enum oracle_target { ORACLE_ALL = 0, ORACLE_CLOSED, ORACLE_MAXIMAL } oracle_target;

/* An itemset as a bitmask over the item ids. */
typedef struct oracle_itemset {
    uint32_t mask;
    uint64_t count;
} oracle_itemset;

typedef struct oracle_itemsets {
    oracle_itemset *sets;
    size_t count;
} oracle_itemsets;

/* Canonical order of itemsets: by size, then item by item ascending; equal
 * masks by count. Usable with qsort over oracle_itemset. */
int oracle_itemset_compare(const void *left, const void *right);
/* The same order on bare masks. */
int oracle_mask_compare(uint32_t left, uint32_t right);

/* Computes the itemsets of `target` in canonical order. An itemset is frequent
 * when its count is >= min_count (min_count 0 behaves as 1). Closedness (no
 * proper superset with the same count) and maximality (no frequent proper
 * superset) are judged in the whole lattice; the result is then filtered by
 * min_size <= size <= max_size (max_size 0 = no limit; min_size 0 = 1: the
 * empty itemset is never reported). @return 0, or -1 when there are more than
 * ORACLE_MAX_ITEMS items. */
int oracle_mine(const oracle_baskets *baskets, uint64_t min_count, oracle_target target,
                uint32_t min_size, uint32_t max_size, oracle_itemsets *out);

void oracle_itemsets_free(oracle_itemsets *itemsets);

/* Prints an itemset: "{i0 i3} (5)". */
void oracle_print_itemset(FILE *stream, uint32_t mask, uint64_t count);

/* --------------------------------------------------------------- rules */

typedef struct oracle_rule {
    uint32_t antecedent; /* X, a mask */
    uint32_t consequent; /* Y, a mask */
    uint64_t count;      /* count(X u Y) */
    double support, confidence, lift, leverage, conviction;
} oracle_rule;

typedef struct oracle_rules {
    oracle_rule *rules;
    size_t count;
} oracle_rules;

typedef struct oracle_rule_params {
    uint64_t min_count;
    uint32_t min_size, max_size; /* bounds on |X u Y|, as in oracle_mine() */
    double min_confidence;
    double min_lift;         /* 0 = no lift filter */
    uint32_t max_consequent; /* 0 = no limit */
} oracle_rule_params;

/* Canonical order of rules: by antecedent, then consequent (mask order). */
int oracle_rule_compare(const void *left, const void *right);

/* Computes every strong rule X => Y, in canonical order, with the textbook
 * definitions: Z = X u Y frequent, |Z| >= 2 and within the size bounds, Y a
 * non-empty proper subset of Z with |Y| <= max_consequent,
 * confidence = count(Z) / count(X), support = count(Z) / N,
 * lift = confidence / (count(Y) / N),
 * leverage = count(Z) / N - count(X) / N * count(Y) / N,
 * conviction = (1 - count(Y) / N) / (1 - confidence), INFINITY at confidence 1.
 * A rule is strong when confidence >= min_confidence and (when min_lift > 0)
 * lift >= min_lift, each compared with a relative tolerance of 1e-9 so that a
 * ratio equal to the threshold in exact arithmetic passes. @return 0 or -1. */
int oracle_mine_rules(const oracle_baskets *baskets, const oracle_rule_params *params,
                      oracle_rules *out);

void oracle_rules_free(oracle_rules *rules);

/* Prints a rule: "{i0} => {i2} (4, conf 0.8, lift 1.2)". */
void oracle_print_rule(FILE *stream, const oracle_rule *rule);

/* ------------------------------------------------- the large-data counter */

/* Reads a FIMI file (whitespace-separated non-negative integer ids, a basket a
 * line) into *out; item_count becomes the largest id + 1. Independent of the
 * library's reader. @return 0, or -1 when the file cannot be read or holds
 * something other than integers. */
int oracle_read_fimi(const char *path, oracle_baskets *out);

/* How many itemsets each target has and the sum of their counts. */
typedef struct oracle_summary {
    uint64_t itemsets[3];  /* indexed by oracle_target */
    uint64_t count_sum[3];
} oracle_summary;

/* Counts the frequent (count >= min_count), closed and maximal itemsets of a
 * dataset of any size by a depth-first walk over tidsets, keeping every
 * frequent itemset in a hash table to judge closedness and maximality from
 * their immediate subsets. Memory grows with the number of frequent itemsets.
 * @return 0, or -1 when memory runs out. */
int oracle_count_large(const oracle_baskets *baskets, uint64_t min_count,
                       oracle_summary *out);

#endif /* FIMBIT_TEST_ORACLE_H */
