/*
 * The analyst's rule options: item constraints against filtering the
 * unconstrained result, every extra measure against its formula from counts
 * taken straight from the baskets, improvement against a brute force over
 * antecedent subsets, p-values against an independent hypergeometric tail
 * (at the extremes too) and against the library's own tail when threads
 * share the work, p-value adjustment against hand-worked numbers, and
 * ordering by a measure.
 *
 * Datasets come from the oracle's generator; the references here count
 * baskets as bitmasks and share nothing with the library.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fimbit.h"
#include "oracle.h"
#include "rules/fisher.h"
#include "rules/fisher_memo.h"
#include "rules/measures.h"
#include "rules/rules.h"

/* ------------------------------------------------------------ references */

/* P[H >= k], H hypergeometric(N, K, n), summing every term in long double
 * from lgammal: an independent route (no recursion between terms, no
 * saddle-point expansion). */
static long double log_choose(uint64_t a, uint64_t b)
{
    return lgammal((long double)a + 1) - lgammal((long double)b + 1) -
           lgammal((long double)(a - b) + 1);
}

static long double reference_tail(uint64_t total, uint64_t successes, uint64_t draws,
                                  uint64_t at_least, bool lower)
{
    uint64_t lowest = draws > total - successes ? draws - (total - successes) : 0;
    uint64_t highest = draws < successes ? draws : successes;
    long double sum = 0;
    for (uint64_t x = lowest; x <= highest; x++) {
        if (lower ? x >= at_least : x < at_least)
            continue;
        sum += expl(log_choose(successes, x) + log_choose(total - successes, draws - x) -
                    log_choose(total, draws));
    }
    return sum;
}

static void assert_relative(double value, long double expected, double tolerance)
{
    long double difference = fabsl((long double)value - expected);
    if (!(difference <= tolerance * fabsl(expected)))
        fail_msg("%.17g differs from %.17Lg by %.3Lg (relative)", value, expected,
                 expected != 0 ? difference / fabsl(expected) : difference);
}

/* Baskets as bitmasks over the oracle's items. */
typedef struct mask_baskets {
    uint32_t *masks;
    uint64_t count;
} mask_baskets;

static mask_baskets to_masks(const oracle_baskets *baskets)
{
    mask_baskets out = {calloc(baskets->basket_count + 1, sizeof(uint32_t)),
                        baskets->basket_count};
    for (uint64_t b = 0; b < baskets->basket_count; b++)
        for (uint64_t i = baskets->offsets[b]; i < baskets->offsets[b + 1]; i++)
            out.masks[b] |= 1u << baskets->items[i];
    return out;
}

static uint64_t count_mask(const mask_baskets *baskets, uint32_t mask, uint32_t dropped)
{
    uint64_t n = 0;
    for (uint64_t b = 0; b < baskets->count; b++)
        n += ((baskets->masks[b] & ~dropped) & mask) == mask;
    return n;
}

/* ------------------------------------------------------------- mining */

static fimbit_dataset *make_dataset(const oracle_baskets *baskets)
{
    const char **names = NULL;
    uint64_t *offsets = NULL;
    oracle_to_named(baskets, &names, &offsets);
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, baskets->basket_count,
                                                 &dataset, NULL),
                     FIMBIT_OK);
    free(names);
    free(offsets);
    return dataset;
}

static uint32_t side_mask(const fimbit_dataset *dataset, const uint32_t *items, uint32_t size)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < size; i++)
        mask |= 1u << oracle_item_from_name(fimbit_dataset_item_name(dataset, items[i]));
    return mask;
}

/* A rule as masks, its counts and the measures the run carried. */
typedef struct mask_rule {
    uint32_t x, y;
    uint64_t count;
    fimbit_rule rule;
} mask_rule;

typedef struct mask_rules {
    mask_rule *rules;
    size_t count;
} mask_rules;

static int compare_mask_rules(const void *a, const void *b)
{
    const mask_rule *ra = a, *rb = b;
    if (ra->x != rb->x)
        return ra->x < rb->x ? -1 : 1;
    if (ra->y != rb->y)
        return ra->y < rb->y ? -1 : 1;
    return 0;
}

static mask_rules mine(const fimbit_dataset *dataset, const fimbit_rule_options *options)
{
    fimbit_rules *rules = NULL;
    fimbit_error error;
    fimbit_status status = fimbit_mine_rules(dataset, options, &rules, &error);
    if (status != FIMBIT_OK)
        fail_msg("fimbit_mine_rules: %s", error.message);
    mask_rules out = {calloc(fimbit_rules_count(rules) + 1, sizeof(mask_rule)),
                      fimbit_rules_count(rules)};
    for (size_t i = 0; i < out.count; i++) {
        mask_rule *r = &out.rules[i];
        assert_int_equal(fimbit_rules_get(rules, i, &r->rule), FIMBIT_OK);
        r->x = side_mask(dataset, r->rule.antecedent, r->rule.antecedent_size);
        r->y = side_mask(dataset, r->rule.consequent, r->rule.consequent_size);
        r->count = r->rule.count;
        r->rule.antecedent = r->rule.consequent = NULL; /* the rule set goes */
    }
    fimbit_rules_free(rules);
    qsort(out.rules, out.count, sizeof *out.rules, compare_mask_rules);
    return out;
}

static void base_options(fimbit_rule_options *options, oracle_rng *rng)
{
    fimbit_rule_options_init(options);
    options->mine.min_count = 1 + oracle_rng_below(rng, 3);
    options->mine.threads = 1 + (int)oracle_rng_below(rng, 2);
    options->min_confidence = (double)oracle_rng_below(rng, 8) / 10;
    options->max_consequent = (uint32_t)oracle_rng_below(rng, 3); /* 0 = no limit */
}

/* Random item names of the oracle's items (some not in the data). */
static size_t random_list(oracle_rng *rng, uint32_t item_count, const char **names,
                          uint32_t *mask)
{
    size_t count = 0;
    *mask = 0;
    for (uint32_t item = 0; item < item_count + 2 && item < ORACLE_MAX_ITEMS; item++)
        if (oracle_rng_below(rng, 3) == 0) {
            names[count++] = oracle_item_name(item);
            *mask |= 1u << item;
        }
    if (count == 0) {
        names[count++] = oracle_item_name(0);
        *mask = 1;
    }
    return count;
}

/* One random case: baskets drawn from `seed`, as a dataset and as masks,
 * and rule options drawn from a generator of its own (`stream` keeps the
 * tests' draws apart). */
typedef struct random_case {
    oracle_rng rng;
    oracle_baskets baskets;
    mask_baskets masks;
    fimbit_dataset *dataset;
    fimbit_rule_options options;
} random_case;

static void case_start(random_case *c, uint64_t seed, uint64_t stream)
{
    oracle_rng_seed(&c->rng, seed * stream);
    oracle_generate(seed, &c->baskets);
    c->masks = to_masks(&c->baskets);
    c->dataset = make_dataset(&c->baskets);
    base_options(&c->options, &c->rng);
}

static void case_end(random_case *c)
{
    free(c->masks.masks);
    fimbit_dataset_free(c->dataset);
    oracle_baskets_free(&c->baskets);
}

/* ------------------------------------------------------------ the tests */

/* --antecedent-items and --consequent-items give the unconstrained rules
 * whose sides are inside the lists; --exclude-items gives the rules of the
 * baskets without those items. */
static void constraints_filter_the_unconstrained_rules(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 80; seed++) {
        random_case c;
        case_start(&c, seed, 7919);
        oracle_rng rng = c.rng;
        oracle_baskets baskets = c.baskets;
        fimbit_dataset *dataset = c.dataset;
        fimbit_rule_options options = c.options;
        mask_rules all = mine(dataset, &options);

        const char *antecedent[ORACLE_MAX_ITEMS + 2], *consequent[ORACLE_MAX_ITEMS + 2];
        uint32_t a_mask = UINT32_MAX, c_mask = UINT32_MAX;
        unsigned which = (unsigned)oracle_rng_below(&rng, 3); /* A, C or both */
        if (which != 1) {
            options.antecedent_item_count =
                random_list(&rng, baskets.item_count, antecedent, &a_mask);
            options.antecedent_items = antecedent;
        }
        if (which != 0) {
            options.consequent_item_count =
                random_list(&rng, baskets.item_count, consequent, &c_mask);
            options.consequent_items = consequent;
        }
        mask_rules constrained = mine(dataset, &options);
        size_t expected = 0;
        for (size_t i = 0; i < all.count; i++) {
            const mask_rule *r = &all.rules[i];
            if ((r->x & ~a_mask) != 0 || (r->y & ~c_mask) != 0)
                continue;
            if (expected >= constrained.count ||
                compare_mask_rules(r, &constrained.rules[expected]) != 0)
                fail_msg("seed %llu: rule %#x => %#x missing from the constrained result",
                         (unsigned long long)seed, r->x, r->y);
            assert_int_equal(r->count, constrained.rules[expected].count);
            expected++;
        }
        assert_int_equal(expected, constrained.count);
        free(constrained.rules);

        /* Exclusion: the same as mining baskets that lack the items. */
        fimbit_rule_options excluding;
        base_options(&excluding, &rng);
        const char *excluded[ORACLE_MAX_ITEMS + 2];
        uint32_t e_mask = 0;
        excluding.exclude_item_count = random_list(&rng, baskets.item_count, excluded, &e_mask);
        excluding.exclude_items = excluded;
        oracle_baskets reduced = baskets;
        reduced.items = malloc((baskets.offsets[baskets.basket_count] + 1) * sizeof(uint32_t));
        reduced.offsets = malloc((baskets.basket_count + 1) * sizeof(uint64_t));
        uint64_t kept = 0;
        for (uint64_t b = 0; b < baskets.basket_count; b++) {
            reduced.offsets[b] = kept;
            for (uint64_t i = baskets.offsets[b]; i < baskets.offsets[b + 1]; i++)
                if (!(e_mask >> baskets.items[i] & 1))
                    reduced.items[kept++] = baskets.items[i];
        }
        reduced.offsets[baskets.basket_count] = kept;
        fimbit_dataset *reduced_dataset = make_dataset(&reduced);
        fimbit_rule_options plain = excluding;
        plain.exclude_items = NULL;
        plain.exclude_item_count = 0;
        mask_rules by_exclusion = mine(dataset, &excluding);
        mask_rules by_removal = mine(reduced_dataset, &plain);
        assert_int_equal(fimbit_dataset_basket_count(reduced_dataset),
                         fimbit_dataset_basket_count(dataset));
        assert_int_equal(by_exclusion.count, by_removal.count);
        for (size_t i = 0; i < by_removal.count; i++) {
            assert_int_equal(compare_mask_rules(&by_exclusion.rules[i], &by_removal.rules[i]), 0);
            assert_int_equal(by_exclusion.rules[i].count, by_removal.rules[i].count);
        }
        free(by_exclusion.rules);
        free(by_removal.rules);
        fimbit_dataset_free(reduced_dataset);
        free(reduced.items);
        free(reduced.offsets);

        free(all.rules);
        case_end(&c);
    }
}

/* The best confidence of X' => Y over the proper subsets X' of X, as an exact
 * fraction, from the baskets. */
static void best_subset_confidence(const mask_baskets *baskets, uint32_t x, uint32_t y,
                                   uint64_t *best_count, uint64_t *best_base)
{
    *best_count = count_mask(baskets, y, 0);
    *best_base = baskets->count;
    for (uint32_t sub = (x - 1) & x; sub != 0; sub = (sub - 1) & x) {
        uint64_t count = count_mask(baskets, sub | y, 0), base = count_mask(baskets, sub, 0);
        if ((unsigned __int128)count * *best_base > (unsigned __int128)*best_count * base) {
            *best_count = count;
            *best_base = base;
        }
    }
}

/* Every extra measure from its formula over counts taken from the baskets;
 * improvement by brute force over subsets; p-value by the reference tail. */
static void measures_match_their_formulas(void **state)
{
    (void)state;
    size_t checked = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        random_case c;
        case_start(&c, seed, 104729);
        mask_baskets masks = c.masks;
        fimbit_dataset *dataset = c.dataset;
        fimbit_rule_options options = c.options;
        options.measures = FIMBIT_MEASURES_ALL;
        mask_rules rules = mine(dataset, &options);
        long double n = (long double)masks.count;
        for (size_t i = 0; i < rules.count; i++) {
            const mask_rule *r = &rules.rules[i];
            uint64_t cx = count_mask(&masks, r->x, 0), cy = count_mask(&masks, r->y, 0),
                     cz = count_mask(&masks, r->x | r->y, 0);
            assert_int_equal(cz, r->count);
            long double a = cx / n, c = cy / n, s = cz / n, conf = s / a;
            const fimbit_rule *m = &r->rule;
            assert_relative(m->antecedent_support, a, 1e-15);
            assert_relative(m->consequent_support, c, 1e-15);
            assert_relative(m->jaccard, s / (a + c - s), 1e-14);
            assert_relative(m->kulczynski, (s / a + s / c) / 2, 1e-14);
            /* Certainty and Zhang's metric from exact integer numerators. */
            long double certainty =
                cy == masks.count ? 0 : ((long double)cz * n - (long double)cx * cy) /
                                            ((long double)cx * (n - cy));
            if (certainty == 0)
                assert_true(m->certainty == 0);
            else
                assert_relative(m->certainty, certainty, 1e-13);
            (void)conf;
            long double left = s * (1 - a), right = a * (c - s);
            long double denominator = left > right ? left : right;
            long double zhang = ((long double)cz * n - (long double)cx * cy) / (n * n);
            zhang = denominator == 0 ? 0 : zhang / denominator;
            if (zhang == 0)
                assert_true(m->zhangs_metric == 0);
            else
                assert_relative(m->zhangs_metric, zhang, 1e-12);
            assert_relative(m->cosine, s / sqrtl(a * c), 1e-14);

            uint64_t best_count, best_base;
            best_subset_confidence(&masks, r->x, r->y, &best_count, &best_base);
            __int128 numerator = (__int128)cz * best_base - (__int128)best_count * cx;
            long double improvement =
                (long double)numerator / ((long double)cx * (long double)best_base);
            if (numerator == 0)
                assert_true(m->improvement == 0);
            else
                assert_relative(m->improvement, improvement, 1e-12);

            assert_relative(m->p_value, reference_tail(masks.count, cy, cx, cz, false), 1e-12);
            checked++;
        }
        free(rules.rules);
        case_end(&c);
    }
    assert_true(checked > 1000);
}

/* Improvements of rules from itemsets of up to 16 items: past the 12 items
 * whose subset counts the rules tabulate, and with subsets past the 11 items
 * the count cache keeps. Three baskets hold items 0 .. 13 (every subset of
 * them is frequent at a count of 3), the rest are random; the consequent list
 * holds i0 only, so that the brute force stays small. */
static void improvement_of_large_itemsets(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        oracle_rng rng;
        oracle_rng_seed(&rng, seed * 7877);
        uint64_t basket_count = 3 + 25;
        oracle_baskets baskets = {ORACLE_MAX_ITEMS, basket_count,
                                  calloc(basket_count + 1, sizeof(uint64_t)),
                                  calloc(basket_count * ORACLE_MAX_ITEMS, sizeof(uint32_t))};
        uint64_t used = 0;
        for (uint64_t b = 0; b < basket_count; b++) {
            for (uint32_t item = 0; item < ORACLE_MAX_ITEMS; item++)
                if (b < 3 ? item < 14 : oracle_rng_below(&rng, 10) < 7)
                    baskets.items[used++] = item;
            baskets.offsets[b + 1] = used;
        }
        mask_baskets masks = to_masks(&baskets);
        fimbit_dataset *dataset = make_dataset(&baskets);
        const char *consequent[] = {oracle_item_name(0)};
        fimbit_rule_options options;
        fimbit_rule_options_init(&options);
        options.mine.min_count = 3;
        options.mine.threads = 1 + (int)(seed % 2);
        options.min_confidence = 0.0;
        options.consequent_items = consequent;
        options.consequent_item_count = 1;
        options.measures = FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_IMPROVEMENT);
        mask_rules rules = mine(dataset, &options);
        uint32_t largest = 0;
        for (size_t i = 0; i < rules.count; i++) {
            const mask_rule *r = &rules.rules[i];
            uint32_t k = (uint32_t)__builtin_popcount(r->x | r->y);
            largest = k > largest ? k : largest;
            uint64_t cx = count_mask(&masks, r->x, 0), best_count, best_base;
            best_subset_confidence(&masks, r->x, r->y, &best_count, &best_base);
            __int128 numerator = (__int128)r->count * best_base - (__int128)best_count * cx;
            long double improvement =
                (long double)numerator / ((long double)cx * (long double)best_base);
            if (numerator == 0)
                assert_true(r->rule.improvement == 0);
            else
                assert_relative(r->rule.improvement, improvement, 1e-12);
        }
        assert_true(largest >= 14);
        free(rules.rules);
        free(masks.masks);
        fimbit_dataset_free(dataset);
        oracle_baskets_free(&baskets);
    }
}

/* --non-redundant keeps exactly the rules whose brute-force improvement is
 * positive; --min-improvement V those at V or above; --max-p P those whose
 * reference p-value is at most P. */
static void filters_keep_the_right_rules(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        random_case c;
        case_start(&c, seed, 31337);
        oracle_rng rng = c.rng;
        mask_baskets masks = c.masks;
        fimbit_dataset *dataset = c.dataset;
        fimbit_rule_options options = c.options;
        mask_rules all = mine(dataset, &options);

        fimbit_rule_options filtered = options;
        int mode = (int)oracle_rng_below(&rng, 3);
        if (mode == 0)
            filtered.non_redundant = 1;
        else if (mode == 1)
            filtered.min_improvement = 0.05;
        else
            filtered.max_p = 0.2;
        mask_rules kept = mine(dataset, &filtered);
        size_t next = 0;
        for (size_t i = 0; i < all.count; i++) {
            const mask_rule *r = &all.rules[i];
            uint64_t cx = count_mask(&masks, r->x, 0), cy = count_mask(&masks, r->y, 0);
            uint64_t best_count, best_base;
            best_subset_confidence(&masks, r->x, r->y, &best_count, &best_base);
            __int128 numerator = (__int128)r->count * best_base - (__int128)best_count * cx;
            bool keep;
            if (mode == 0)
                keep = numerator > 0;
            else if (mode == 1)
                keep = (long double)numerator >= 0.05L * cx * best_base - 1e-9L;
            else
                keep = reference_tail(masks.count, cy, cx, r->count, false) <= 0.2L + 1e-9L;
            if (!keep)
                continue;
            if (next >= kept.count || compare_mask_rules(r, &kept.rules[next]) != 0)
                fail_msg("seed %llu mode %d: rule %#x => %#x should be kept",
                         (unsigned long long)seed, mode, r->x, r->y);
            next++;
        }
        assert_int_equal(next, kept.count);
        free(kept.rules);
        free(all.rules);
        case_end(&c);
    }
}

/* --max-p over rule sets of several chunks a worker (rules.c keeps 4096
 * rules a chunk): the rules kept are those of the unfiltered set at or below
 * the maximum, with the same p-values, at one thread and two. */
static void max_p_over_many_chunks(void **state)
{
    (void)state;
    oracle_baskets baskets;
    oracle_generate_sized(7, 14, 400, &baskets);
    fimbit_dataset *dataset = make_dataset(&baskets);
    for (int threads = 1; threads <= 2; threads++) {
        fimbit_rule_options options;
        fimbit_rule_options_init(&options);
        options.mine.min_count = 3;
        options.mine.threads = threads;
        options.min_confidence = 0.05;
        options.measures = FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE);
        mask_rules all = mine(dataset, &options);
        assert_true(all.count > 3 * 4096);
        options.max_p = 0.3;
        mask_rules kept = mine(dataset, &options);
        size_t next = 0;
        for (size_t i = 0; i < all.count; i++) {
            if (all.rules[i].rule.p_value > 0.3 + 0.3 * 1e-9)
                continue;
            assert_true(next < kept.count);
            assert_int_equal(compare_mask_rules(&all.rules[i], &kept.rules[next]), 0);
            assert_true(all.rules[i].rule.p_value == kept.rules[next].rule.p_value);
            next++;
        }
        assert_int_equal(next, kept.count);
        assert_true(kept.count > 1000 && kept.count < all.count - 1000);
        free(all.rules);
        free(kept.rules);
    }
    fimbit_dataset_free(dataset);
    oracle_baskets_free(&baskets);
}

/* With several threads, each count triple's p-value is filled by one thread,
 * also into the rules other threads made: every rule still gets the tail of
 * its own counts, to the last bit, at every thread count. */
static void p_values_shared_among_threads(void **state)
{
    (void)state;
    oracle_baskets baskets;
    oracle_generate_sized(7, 14, 400, &baskets);
    mask_baskets masks = to_masks(&baskets);
    fimbit_dataset *dataset = make_dataset(&baskets);
    size_t rule_count = 0;
    for (int threads = 1; threads <= 4; threads++) {
        fimbit_rule_options options;
        fimbit_rule_options_init(&options);
        options.mine.min_count = 3;
        options.mine.threads = threads;
        options.min_confidence = 0.05;
        options.measures = FIMBIT_MEASURES_ALL;
        uint64_t handed_over = rules__p_values_handed_over();
        mask_rules rules = mine(dataset, &options);
        if (threads == 1)
            rule_count = rules.count;
        assert_int_equal(rules.count, rule_count);
        assert_true(rules.count > 3 * 4096);
        for (size_t i = 0; i < rules.count; i++) {
            const mask_rule *r = &rules.rules[i];
            uint64_t cx = count_mask(&masks, r->x, 0), cy = count_mask(&masks, r->y, 0);
            assert_true(r->rule.p_value == fisher_upper_tail(masks.count, cy, cx, r->count));
        }
        /* Some rules were filled by a thread that did not make them. */
        if (threads > 1)
            assert_true(rules__p_values_handed_over() > handed_over);
        free(rules.rules);
    }
    free(masks.masks);
    fimbit_dataset_free(dataset);
    oracle_baskets_free(&baskets);
}

/* Holm and Bonferroni on a worked example: p = 0.01, 0.04, 0.03, 0.005.
 * Holm sorts them (0.005, 0.01, 0.03, 0.04), multiplies by 4, 3, 2, 1
 * (0.02, 0.03, 0.06, 0.04) and keeps the running maximum (0.02, 0.03, 0.06,
 * 0.06); Bonferroni multiplies each by 4. */
static void p_adjustment_worked_example(void **state)
{
    (void)state;
    double p[] = {0.01, 0.04, 0.03, 0.005};
    size_t order[4];
    rules_adjust_p_values(p, 4, FIMBIT_P_ADJUST_HOLM, order);
    const double holm[] = {0.03, 0.06, 0.06, 0.02};
    for (int i = 0; i < 4; i++)
        assert_true(fabs(p[i] - holm[i]) < 1e-15);
    double q[] = {0.01, 0.04, 0.03, 0.005, 0.5};
    rules_adjust_p_values(q, 5, FIMBIT_P_ADJUST_BONFERRONI, order);
    const double bonferroni[] = {0.05, 0.2, 0.15, 0.025, 1.0};
    for (int i = 0; i < 5; i++)
        assert_true(fabs(q[i] - bonferroni[i]) < 1e-15);
    /* Ties keep their order and both get the larger factor's running max. */
    double tied[] = {0.02, 0.01, 0.02};
    rules_adjust_p_values(tied, 3, FIMBIT_P_ADJUST_HOLM, order);
    assert_true(fabs(tied[0] - 0.04) < 1e-15 && fabs(tied[1] - 0.03) < 1e-15 &&
                fabs(tied[2] - 0.04) < 1e-15);
}

/* With an adjustment, the rule set carries the adjusted p-values of the m
 * rules that pass every other filter, and max_p applies to them. */
static void adjusted_rules_match_an_independent_holm(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        random_case c;
        case_start(&c, seed, 65537);
        fimbit_dataset *dataset = c.dataset;
        fimbit_rule_options options = c.options;
        options.measures = FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE);
        mask_rules raw = mine(dataset, &options);
        size_t m = raw.count;
        /* Holm by hand: selection of the smallest remaining p, O(m^2). */
        double *adjusted = calloc(m + 1, sizeof *adjusted);
        bool *done = calloc(m + 1, sizeof *done);
        double running = 0;
        for (size_t step = 0; step < m; step++) {
            size_t best = m;
            for (size_t i = 0; i < m; i++)
                if (!done[i] && (best == m || raw.rules[i].rule.p_value < raw.rules[best].rule.p_value))
                    best = i;
            done[best] = true;
            double value = raw.rules[best].rule.p_value * (double)(m - step);
            running = fmax(running, value < 1 ? value : 1);
            adjusted[best] = running;
        }
        options.p_adjust = FIMBIT_P_ADJUST_HOLM;
        options.max_p = 0.5;
        mask_rules holm = mine(dataset, &options);
        size_t next = 0;
        for (size_t i = 0; i < m; i++) {
            if (adjusted[i] > 0.5)
                continue;
            assert_true(next < holm.count);
            assert_int_equal(compare_mask_rules(&raw.rules[i], &holm.rules[next]), 0);
            assert_relative(holm.rules[next].rule.p_value, adjusted[i], 1e-14);
            next++;
        }
        assert_int_equal(next, holm.count);
        free(adjusted);
        free(done);
        free(raw.rules);
        free(holm.rules);
        case_end(&c);
    }
}

/* The tail against the reference across shapes, and at the extremes. */
static void p_values_against_a_reference_tail(void **state)
{
    (void)state;
    oracle_rng rng;
    oracle_rng_seed(&rng, 2024);
    for (int trial = 0; trial < 2200; trial++) {
        uint64_t total = 1 + oracle_rng_below(&rng, trial < 2000 ? 60 : 3000);
        uint64_t successes = oracle_rng_below(&rng, total + 1);
        uint64_t draws = oracle_rng_below(&rng, total + 1);
        uint64_t at_least = oracle_rng_below(&rng, draws + 2);
        double p = fisher_upper_tail(total, successes, draws, at_least);
        long double expected = reference_tail(total, successes, draws, at_least, false);
        if (expected < 0x1p-1075L)
            assert_true(p == 0); /* below every double */
        else if (expected < 0x1p-1022L)
            assert_true(fabsl((long double)p - expected) <= 0x1p-1074L); /* subnormal */
        else
            assert_relative(p, expected, 1e-12);
    }

    /* p near 1: strongly negative association. 1 - p is the lower tail,
     * which must come out right too (p is 1 minus it, to the last bit). */
    long double lower = reference_tail(1000, 500, 500, 200, true);
    double p = fisher_upper_tail(1000, 500, 500, 200);
    assert_true(lower > 0 && lower < 1e-9L);
    assert_true(fabsl((long double)p - (1 - lower)) <= 1.2e-16L);
    assert_true(p < 1.0);

    /* Far below 1e-300, still to 12 digits: every draw a success,
     * P = prod (K - i) / (N - i), a product known to long double accuracy. */
    const uint64_t shapes[][2] = {{88162, 60}, {10000000, 53}, {5000, 160}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        uint64_t total = shapes[s][0], k = shapes[s][1];
        long double product = 1;
        for (uint64_t i = 0; i < k; i++)
            product *= (long double)(k - i) / (long double)(total - i);
        double tail = fisher_upper_tail(total, k, k, k);
        assert_relative(tail, product, 1e-12);
        if (s > 0)
            assert_true(product < 1e-300L);
    }
    /* Subnormal doubles: still non-zero and within rounding of the scale. */
    long double tiny = 1;
    for (uint64_t i = 0; i < 52; i++)
        tiny *= (long double)(52 - i) / (long double)(20000000 - i);
    double subnormal = fisher_upper_tail(20000000, 52, 52, 52);
    assert_true(tiny < 2.2e-308L && subnormal > 0);
    assert_relative(subnormal, tiny, 1e-6);
    /* Degenerate tables. */
    assert_true(fisher_upper_tail(10, 4, 0, 0) == 1.0);
    assert_true(fisher_upper_tail(10, 4, 10, 4) == 1.0);
    assert_true(fisher_upper_tail(10, 4, 10, 5) == 0.0);
    assert_true(fisher_upper_tail(10, 10, 3, 3) == 1.0);
}

/* fimbit_rules_sort_by: best first by the measure, p-values ascending. */
static void sort_by_measure(void **state)
{
    (void)state;
    oracle_baskets baskets;
    oracle_generate_sized(99, 10, 200, &baskets);
    fimbit_dataset *dataset = make_dataset(&baskets);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 10;
    options.min_confidence = 0.1;
    options.max_consequent = 2;
    options.measures = FIMBIT_MEASURES_ALL;
    fimbit_rules *rules = NULL;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_OK);
    assert_true(fimbit_rules_count(rules) > 20);
    for (unsigned m = 0; m < FIMBIT_MEASURE_COUNT_; m++) {
        assert_int_equal(fimbit_rules_sort_by(rules, (fimbit_measure)m), FIMBIT_OK);
        for (size_t i = 1; i < fimbit_rules_count(rules); i++) {
            fimbit_rule before, after;
            fimbit_rules_get(rules, i - 1, &before);
            fimbit_rules_get(rules, i, &after);
            double x = fimbit_rule_measure(&before, (fimbit_measure)m),
                   y = fimbit_rule_measure(&after, (fimbit_measure)m);
            if (m == FIMBIT_MEASURE_P_VALUE)
                assert_true(x <= y);
            else
                assert_true(x >= y);
        }
    }
    assert_int_equal(fimbit_rules_sort_by(rules, FIMBIT_MEASURE_COUNT_), FIMBIT_EINVAL);
    fimbit_measure found;
    assert_int_equal(fimbit_measure_from_name("zhangs_metric", &found), FIMBIT_OK);
    assert_int_equal(found, FIMBIT_MEASURE_ZHANGS_METRIC);
    assert_int_equal(fimbit_measure_from_name("nosuch", &found), FIMBIT_EINVAL);
    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
    oracle_baskets_free(&baskets);
}

/* Out-of-range options are EINVAL, not a silent default. */
static void bad_options_are_refused(void **state)
{
    (void)state;
    oracle_baskets baskets;
    oracle_generate(5, &baskets);
    fimbit_dataset *dataset = make_dataset(&baskets);
    fimbit_rule_options options;
    fimbit_rules *rules = NULL;
    fimbit_rule_options_init(&options);
    options.max_p = 2;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_EINVAL);
    fimbit_rule_options_init(&options);
    options.measures = 1u << 20;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_EINVAL);
    fimbit_rule_options_init(&options);
    options.p_adjust = (fimbit_p_adjust)7;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_EINVAL);
    fimbit_rule_options_init(&options);
    options.consequent_item_count = 2;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_EINVAL);
    fimbit_rule_options_init(&options);
    options.min_improvement = NAN;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_EINVAL);
    assert_null(rules);
    fimbit_dataset_free(dataset);
    oracle_baskets_free(&baskets);
}

/* The memo gives fisher_upper_tail()'s very double for every triple, asked
 * once or again, before and after it grows (past 512 triples), for counts
 * too large for its keys (2^21 and more: not kept) and once it is full (past
 * 2^17 it keeps no more). */
static void memoised_p_values_are_the_computed_ones(void **state)
{
    (void)state;
    const uint64_t total = 5000;
    fisher_memo memo = {0};
    oracle_rng rng;
    for (int pass = 0; pass < 2; pass++) {
        oracle_rng_seed(&rng, 77); /* the same triples in both passes */
        for (int trial = 0; trial < 3000; trial++) {
            uint64_t successes = oracle_rng_below(&rng, total + 1);
            /* Every other test draws one of a few counts: the memo's table
             * of draws terms hits, misses and takes slots over. */
            uint64_t draws =
                trial % 2 ? oracle_rng_below(&rng, total + 1) : 1 + oracle_rng_below(&rng, 40) * 97;
            uint64_t at_least = oracle_rng_below(&rng, draws + 2);
            double p = fisher_memo_upper_tail(&memo, total, successes, draws, at_least);
            assert_true(p == fisher_upper_tail(total, successes, draws, at_least));
        }
    }
    assert_true(memo.used > 512 && memo.used <= 3000);
    const uint64_t large = (uint64_t)1 << 21, many = 3 * large;
    fisher_memo wide = {0};
    for (int again = 0; again < 2; again++) {
        assert_true(fisher_memo_upper_tail(&wide, many, large, 1000, 3) ==
                    fisher_upper_tail(many, large, 1000, 3));
        assert_true(fisher_memo_upper_tail(&wide, many, 5000, large + 7, 2500) ==
                    fisher_upper_tail(many, 5000, large + 7, 2500));
        assert_true(fisher_memo_upper_tail(&wide, many, many - 1, many - 2, large + 1) ==
                    fisher_upper_tail(many, many - 1, many - 2, large + 1));
    }
    assert_true(fisher_memo_upper_tail(&wide, many, large - 1, 1000, 3) ==
                fisher_upper_tail(many, large - 1, 1000, 3));
    assert_int_equal(wide.used, 1);
    fisher_memo_free(&wide);
    for (uint64_t draws = 1; memo.used < ((size_t)1 << 17); draws++)
        fisher_memo_upper_tail(&memo, total, 10, draws % total + 1, draws / total);
    size_t full = memo.used;
    assert_true(fisher_memo_upper_tail(&memo, total, 11, 3, 1) ==
                fisher_upper_tail(total, 11, 3, 1));
    assert_int_equal(memo.used, full);
    fisher_memo_free(&memo);
    assert_null(memo.slots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constraints_filter_the_unconstrained_rules),
        cmocka_unit_test(measures_match_their_formulas),
        cmocka_unit_test(improvement_of_large_itemsets),
        cmocka_unit_test(filters_keep_the_right_rules),
        cmocka_unit_test(p_adjustment_worked_example),
        cmocka_unit_test(adjusted_rules_match_an_independent_holm),
        cmocka_unit_test(p_values_against_a_reference_tail),
        cmocka_unit_test(memoised_p_values_are_the_computed_ones),
        cmocka_unit_test(max_p_over_many_chunks),
        cmocka_unit_test(p_values_shared_among_threads),
        cmocka_unit_test(sort_by_measure),
        cmocka_unit_test(bad_options_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
