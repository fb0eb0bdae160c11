/*
 * Rule generation: metrics against hand-computed values, thresholds at their
 * boundaries, multi-item consequents, the lift and size filters, both sort
 * orders, and a brute-force oracle over every option combination.
 *
 * Datasets and stores are built by hand (struct fimbit_dataset from
 * src/read/dataset.h, records through store_flush) so that these tests depend on
 * nothing but the store and the rule generator.
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

#include "read/dataset.h"
#include "rules/rules.h"
#include "store/sink.h"
#include "store/store.h"
#include "hand_dataset.h"


static uint32_t items_to_mask(const uint32_t *items, uint32_t size)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < size; i++)
        mask |= 1u << items[i];
    return mask;
}

static const char *const grocery_names[] = {"bread", "milk", "diapers", "beer", "eggs", "cola"};
/* a bread, b milk, c diapers, d beer, e eggs, f cola */
static const char *const grocery_baskets[] = {"ab", "acde", "bcdf", "abcd", "abcf"};
static const uint32_t reversed6[] = {5, 4, 3, 2, 1, 0};

enum { BREAD, MILK, DIAPERS, BEER, EGGS, COLA };

static fimbit_rules *mine_rules(const fimbit_dataset *d, const uint32_t *rank_to_item,
                                uint64_t min_count, double min_confidence, double min_lift,
                                uint32_t max_consequent, uint32_t min_size, int threads)
{
    fimbit_itemsets *store = hand_store_fill(d, min_count, 2, rank_to_item, NULL);
    assert_non_null(store);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_size = min_size;
    options.mine.threads = threads;
    options.min_confidence = min_confidence;
    options.min_lift = min_lift;
    options.max_consequent = max_consequent;
    fimbit_rules *rules = NULL;
    fimbit_error error;
    assert_int_equal(rules_generate(store, &options, &rules, &error), FIMBIT_OK);
    /* Rules own their items: the store can go. */
    fimbit_itemsets_free(store);
    return rules;
}

/* The rule X => Y given as masks, or fails the test when absent. */
static fimbit_rule find_rule(const fimbit_rules *rules, uint32_t x, uint32_t y)
{
    for (size_t i = 0; i < fimbit_rules_count(rules); i++) {
        fimbit_rule rule;
        assert_int_equal(fimbit_rules_get(rules, i, &rule), FIMBIT_OK);
        if (items_to_mask(rule.antecedent, rule.antecedent_size) == x &&
            items_to_mask(rule.consequent, rule.consequent_size) == y)
            return rule;
    }
    fail_msg("rule %#x => %#x not found", x, y);
    fimbit_rule none = {0};
    return none;
}

static bool has_rule(const fimbit_rules *rules, uint32_t x, uint32_t y)
{
    for (size_t i = 0; i < fimbit_rules_count(rules); i++) {
        fimbit_rule rule;
        fimbit_rules_get(rules, i, &rule);
        if (items_to_mask(rule.antecedent, rule.antecedent_size) == x &&
            items_to_mask(rule.consequent, rule.consequent_size) == y)
            return true;
    }
    return false;
}

#define BIT(item) (1u << (item))
#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-12)

static void test_rules_grocery_metrics(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_rules *rules = mine_rules(d, reversed6, 2, 0.6, 0, 2, 1, 2);

    /* diapers => beer: count(diapers, beer) = 3, count(diapers) = 4, count(beer) = 3. */
    fimbit_rule rule = find_rule(rules, BIT(DIAPERS), BIT(BEER));
    assert_int_equal(rule.count, 3);
    assert_int_equal(rule.antecedent_size, 1);
    assert_int_equal(rule.consequent_size, 1);
    CLOSE(rule.support, 0.6);
    CLOSE(rule.confidence, 0.75);
    CLOSE(rule.lift, 1.25);
    CLOSE(rule.leverage, 0.6 - 0.8 * 0.6);
    CLOSE(rule.conviction, (1 - 0.6) / (1 - 0.75));

    /* beer => diapers: confidence 1, so conviction is infinite. */
    rule = find_rule(rules, BIT(BEER), BIT(DIAPERS));
    CLOSE(rule.confidence, 1.0);
    CLOSE(rule.lift, 1.25);
    assert_true(isinf(rule.conviction) && rule.conviction > 0);

    /* beer => {milk, diapers}: count 2 of count(beer) 3; count(milk, diapers) 3. */
    rule = find_rule(rules, BIT(BEER), BIT(MILK) | BIT(DIAPERS));
    assert_int_equal(rule.count, 2);
    assert_int_equal(rule.consequent_size, 2);
    CLOSE(rule.support, 0.4);
    CLOSE(rule.confidence, 2.0 / 3.0);
    CLOSE(rule.lift, (2.0 / 3.0) / 0.6);
    CLOSE(rule.leverage, 0.4 - 0.6 * 0.6);
    CLOSE(rule.conviction, (1 - 0.6) / (1 - 2.0 / 3.0));
    /* Items inside each side come in natural order: diapers < milk. */
    assert_string_equal(grocery_names[rule.consequent[0]], "diapers");
    assert_string_equal(grocery_names[rule.consequent[1]], "milk");

    /* milk => bread: 3 / 4 = 0.75 passes 0.6; bread => cola: 1 / 4 fails. */
    assert_true(has_rule(rules, BIT(MILK), BIT(BREAD)));
    assert_false(has_rule(rules, BIT(BREAD), BIT(COLA)));
    /* eggs is infrequent at 2, so no rule mentions it. */
    for (size_t i = 0; i < fimbit_rules_count(rules); i++) {
        fimbit_rule any;
        fimbit_rules_get(rules, i, &any);
        uint32_t all = items_to_mask(any.antecedent, any.antecedent_size) |
                       items_to_mask(any.consequent, any.consequent_size);
        assert_false(all & BIT(EGGS));
        assert_true(any.consequent_size <= 2);
    }
    fimbit_rule out_of_range;
    assert_int_equal(fimbit_rules_get(rules, fimbit_rules_count(rules), &out_of_range),
                     FIMBIT_EINVAL);
    fimbit_rules_free(rules);
    fimbit_rules_free(NULL);
    hand_dataset_free(d);
}

/* A confidence exactly at the threshold passes; one just below fails. */
static void test_rules_confidence_boundary(void **state)
{
    (void)state;
    const char *names[] = {"x", "y", "z"};
    /* count(x) = 10, count(x, y) = 8 (0.8), count(x, z) = 7 (0.7),
     * count(y) = 8, count(z) = 7. */
    const char *baskets[] = {"xyz", "xyz", "xyz", "xyz", "xyz", "xyz", "xy", "xy", "xz", "x"};
    const char *converted[10];
    char storage[10][4];
    for (int b = 0; b < 10; b++) {
        size_t n = strlen(baskets[b]);
        for (size_t i = 0; i < n; i++)
            storage[b][i] = (char)('a' + (baskets[b][i] - 'x'));
        storage[b][n] = '\0';
        converted[b] = storage[b];
    }
    fimbit_dataset *d = hand_dataset_make(names, 3, converted, 10);
    const uint32_t identity[] = {0, 1, 2};

    fimbit_rules *rules = mine_rules(d, identity, 1, 0.8, 0, 1, 1, 1);
    assert_true(has_rule(rules, BIT(0), BIT(1)));
    assert_false(has_rule(rules, BIT(0), BIT(2)));
    fimbit_rules_free(rules);

    rules = mine_rules(d, identity, 1, 0.7, 0, 1, 1, 1);
    assert_true(has_rule(rules, BIT(0), BIT(2)));
    fimbit_rules_free(rules);

    rules = mine_rules(d, identity, 1, 0.7000001, 0, 1, 1, 1);
    assert_false(has_rule(rules, BIT(0), BIT(2)));
    assert_true(has_rule(rules, BIT(0), BIT(1)));
    fimbit_rules_free(rules);

    /* Confidence 1 and threshold 1: z => x holds in every basket with z. */
    rules = mine_rules(d, identity, 1, 1.0, 0, 1, 1, 1);
    assert_true(has_rule(rules, BIT(2), BIT(0)));
    assert_false(has_rule(rules, BIT(0), BIT(1)));
    fimbit_rules_free(rules);
    hand_dataset_free(d);
}

/* ---- the oracle: every rule of every frequent itemset, by brute force ------ */

typedef struct oracle_rule {
    uint32_t x, y;
    uint64_t cz, cx, cy;
} oracle_rule;

static int popcount(uint32_t v) { return __builtin_popcount(v); }

static size_t oracle_rules(const fimbit_dataset *d, uint64_t min_count, double min_confidence,
                           double min_lift, uint32_t max_consequent, uint32_t min_size,
                           oracle_rule *out, size_t capacity)
{
    size_t n = 0;
    uint32_t universe = (1u << d->item_count) - 1;
    uint64_t baskets = d->basket_count;
    for (uint32_t z = 1; z <= universe; z++) {
        uint64_t cz = hand_mask_count(d, z);
        if (cz < min_count || popcount(z) < 2 || (uint32_t)popcount(z) < min_size)
            continue;
        for (uint32_t y = (z - 1) & z; y != 0; y = (y - 1) & z) {
            if (max_consequent && (uint32_t)popcount(y) > max_consequent)
                continue;
            uint32_t x = z & ~y;
            uint64_t cx = hand_mask_count(d, x), cy = hand_mask_count(d, y);
            double confidence = (double)cz / (double)cx;
            if (confidence < min_confidence - 1e-9)
                continue;
            double lift = confidence / ((double)cy / (double)baskets);
            if (min_lift > 0 && lift < min_lift - 1e-9)
                continue;
            assert_true(n < capacity);
            out[n++] = (oracle_rule){x, y, cz, cx, cy};
        }
    }
    return n;
}

static int compare_oracle_rules(const void *a, const void *b)
{
    const oracle_rule *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return 0;
}

static void check_against_oracle(const fimbit_dataset *d, const uint32_t *rank_to_item,
                                 uint64_t min_count, double min_confidence, double min_lift,
                                 uint32_t max_consequent, uint32_t min_size, int threads)
{
    enum { CAPACITY = 200000 };
    oracle_rule *expected = calloc(CAPACITY, sizeof *expected);
    oracle_rule *got = calloc(CAPACITY, sizeof *got);
    size_t n = oracle_rules(d, min_count, min_confidence, min_lift, max_consequent, min_size,
                            expected, CAPACITY);
    fimbit_rules *rules = mine_rules(d, rank_to_item, min_count, min_confidence, min_lift,
                                     max_consequent, min_size, threads);
    if (fimbit_rules_count(rules) != n)
        fail_msg("conf %g lift %g maxc %u min_size %u: %zu rules, the oracle says %zu",
                 min_confidence, min_lift, max_consequent, min_size, fimbit_rules_count(rules),
                 n);
    for (size_t i = 0; i < n; i++) {
        fimbit_rule rule;
        assert_int_equal(fimbit_rules_get(rules, i, &rule), FIMBIT_OK);
        got[i].x = items_to_mask(rule.antecedent, rule.antecedent_size);
        got[i].y = items_to_mask(rule.consequent, rule.consequent_size);
        assert_int_equal(popcount(got[i].x), rule.antecedent_size);
        assert_int_equal(popcount(got[i].y), rule.consequent_size);
        got[i].cz = rule.count;
        double baskets = (double)d->basket_count;
        uint64_t cx = hand_mask_count(d, got[i].x), cy = hand_mask_count(d, got[i].y);
        assert_true(fabs(rule.support - (double)rule.count / baskets) < 1e-12);
        assert_true(fabs(rule.confidence - (double)rule.count / (double)cx) < 1e-12);
        assert_true(fabs(rule.lift - rule.confidence / ((double)cy / baskets)) < 1e-9);
        assert_true(fabs(rule.leverage - ((double)rule.count / baskets -
                                          ((double)cx / baskets) * ((double)cy / baskets))) <
                    1e-12);
        if (rule.count == cx)
            assert_true(isinf(rule.conviction));
        else
            assert_true(fabs(rule.conviction - (1 - (double)cy / baskets) /
                                                   (1 - rule.confidence)) < 1e-9);
    }
    qsort(expected, n, sizeof *expected, compare_oracle_rules);
    qsort(got, n, sizeof *got, compare_oracle_rules);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i].x, expected[i].x);
        assert_int_equal(got[i].y, expected[i].y);
        assert_int_equal(got[i].cz, expected[i].cz);
    }
    fimbit_rules_free(rules);
    free(expected);
    free(got);
}

static void test_rules_grocery_oracle(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    const double confidences[] = {0.0, 0.5, 0.6, 0.75, 0.8, 1.0};
    const double lifts[] = {0.0, 1.0, 1.2, 1.25};
    for (size_t c = 0; c < 6; c++)
        for (size_t l = 0; l < 4; l++)
            for (uint32_t maxc = 0; maxc <= 3; maxc++)
                for (uint32_t min_size = 1; min_size <= 4; min_size++)
                    check_against_oracle(d, reversed6, 1 + (c % 2), confidences[c], lifts[l],
                                         maxc, min_size, 1 + (int)(l % 2));
    hand_dataset_free(d);
}

/* A random, denser dataset: itemsets up to 12 items, long consequents. */
static void test_rules_random_oracle(void **state)
{
    (void)state;
    enum { ITEMS = 12, BASKETS = 80 };
    const char *names[ITEMS] = {"i00", "i01", "i02", "i03", "i04", "i05",
                                "i06", "i07", "i08", "i09", "i10", "i11"};
    char storage[BASKETS][ITEMS + 1];
    const char *baskets[BASKETS];
    uint64_t seed = 12345;
    for (int b = 0; b < BASKETS; b++) {
        size_t n = 0;
        for (int i = 0; i < ITEMS; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            uint32_t roll = (uint32_t)(seed >> 33) % 100;
            if (roll < (uint32_t)(30 + 4 * i))
                storage[b][n++] = (char)('a' + i);
        }
        storage[b][n] = '\0';
        baskets[b] = storage[b];
    }
    fimbit_dataset *d = hand_dataset_make(names, ITEMS, baskets, BASKETS);
    uint32_t rank_to_item[ITEMS];
    for (uint32_t r = 0; r < ITEMS; r++)
        rank_to_item[r] = (r * 5) % ITEMS;
    const double confidences[] = {0.3, 0.6, 0.8, 0.95};
    for (size_t c = 0; c < 4; c++) {
        check_against_oracle(d, rank_to_item, 8, confidences[c], 0, 0, 1, 2);
        check_against_oracle(d, rank_to_item, 8, confidences[c], 0, 1, 1, 2);
        check_against_oracle(d, rank_to_item, 8, confidences[c], 0, 3, 3, 1);
        check_against_oracle(d, rank_to_item, 8, confidences[c], 1.1, 0, 2, 2);
    }
    hand_dataset_free(d);
}

static void test_rules_lift_filter(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_rules *rules = mine_rules(d, reversed6, 2, 0.5, 1.2, 1, 1, 2);
    assert_true(fimbit_rules_count(rules) > 0);
    for (size_t i = 0; i < fimbit_rules_count(rules); i++) {
        fimbit_rule rule;
        fimbit_rules_get(rules, i, &rule);
        assert_true(rule.lift >= 1.2 - 1e-12);
        assert_true(rule.confidence >= 0.5 - 1e-12);
    }
    /* diapers => beer has lift exactly 1.25: kept at 1.25, dropped at 1.26. */
    assert_true(has_rule(rules, BIT(DIAPERS), BIT(BEER)));
    /* milk => bread has lift 0.75 / 0.8 < 1: dropped. */
    assert_false(has_rule(rules, BIT(MILK), BIT(BREAD)));
    fimbit_rules_free(rules);
    rules = mine_rules(d, reversed6, 2, 0.5, 1.25, 1, 1, 2);
    assert_true(has_rule(rules, BIT(DIAPERS), BIT(BEER)));
    fimbit_rules_free(rules);
    rules = mine_rules(d, reversed6, 2, 0.5, 1.26, 1, 1, 2);
    assert_false(has_rule(rules, BIT(DIAPERS), BIT(BEER)));
    fimbit_rules_free(rules);
    hand_dataset_free(d);
}

static void test_rules_min_size(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_rules *rules = mine_rules(d, reversed6, 2, 0.0, 0, 0, 3, 2);
    assert_true(fimbit_rules_count(rules) > 0);
    for (size_t i = 0; i < fimbit_rules_count(rules); i++) {
        fimbit_rule rule;
        fimbit_rules_get(rules, i, &rule);
        assert_true(rule.antecedent_size + rule.consequent_size >= 3);
    }
    fimbit_rules_free(rules);
    hand_dataset_free(d);
}

static int compare_lists(const uint32_t *a, uint32_t sa, const uint32_t *b, uint32_t sb)
{
    if (sa != sb)
        return sa < sb ? -1 : 1;
    for (uint32_t i = 0; i < sa; i++) {
        int order = strcmp(grocery_names[a[i]], grocery_names[b[i]]);
        if (order != 0)
            return order;
    }
    return 0;
}

static int compare_canonical(const fimbit_rule *a, const fimbit_rule *b)
{
    int order = compare_lists(a->antecedent, a->antecedent_size, b->antecedent,
                              b->antecedent_size);
    if (order == 0)
        order = compare_lists(a->consequent, a->consequent_size, b->consequent,
                              b->consequent_size);
    return order;
}

static void test_rules_sort(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_rules *rules = mine_rules(d, reversed6, 1, 0.3, 0, 0, 1, 2);
    size_t n = fimbit_rules_count(rules);
    assert_true(n > 20);

    /* Every path: the keyed sort with a gathered copy, the keyed sort with
     * in-place cycles (no memory for the copy), the plain sort (no memory for
     * the keys). Each from the strength order. */
    for (uint64_t fail_after = 3; fail_after-- > 0;) {
        fimbit_rules_sort_by_strength(rules);
        fimbit__alloc_fail_after(fail_after);
        fimbit_rules_sort(rules);
        fimbit__alloc_fail_after(0);
        for (size_t i = 1; i < n; i++) {
            fimbit_rule a, b;
            fimbit_rules_get(rules, i - 1, &a);
            fimbit_rules_get(rules, i, &b);
            assert_true(compare_canonical(&a, &b) < 0);
        }
    }
    assert_int_equal(fimbit_rules_count(rules), n);
    for (size_t i = 1; i < n; i++) {
        fimbit_rule a, b;
        fimbit_rules_get(rules, i - 1, &a);
        fimbit_rules_get(rules, i, &b);
        assert_true(compare_canonical(&a, &b) < 0);
        for (uint32_t j = 1; j < b.antecedent_size; j++)
            assert_true(strcmp(grocery_names[b.antecedent[j - 1]],
                               grocery_names[b.antecedent[j]]) < 0);
        for (uint32_t j = 1; j < b.consequent_size; j++)
            assert_true(strcmp(grocery_names[b.consequent[j - 1]],
                               grocery_names[b.consequent[j]]) < 0);
    }
    fimbit_rule first;
    fimbit_rules_get(rules, 0, &first);
    assert_string_equal(grocery_names[first.antecedent[0]], "beer");
    assert_string_equal(grocery_names[first.consequent[0]], "bread");

    fimbit_rules_sort_by_strength(rules);
    for (size_t i = 1; i < n; i++) {
        fimbit_rule a, b;
        fimbit_rules_get(rules, i - 1, &a);
        fimbit_rules_get(rules, i, &b);
        assert_true(a.confidence >= b.confidence);
        if (a.confidence == b.confidence) {
            assert_true(a.lift >= b.lift);
            if (a.lift == b.lift) {
                assert_true(a.count >= b.count);
                if (a.count == b.count)
                    assert_true(compare_canonical(&a, &b) < 0);
            }
        }
    }
    fimbit_rules_get(rules, 0, &first);
    assert_true(first.confidence == 1.0);
    fimbit_rules_sort(NULL);
    fimbit_rules_sort_by_strength(NULL);
    fimbit_rules_free(rules);
    hand_dataset_free(d);
}

/* Sorting many rules with long antecedents: the packed keys run out and ties
 * fall back to the full comparison; the parallel sort must still give the
 * canonical order, and the strength order must agree with its definition. */
static int compare_lists_by_name(const fimbit_dataset *d, const uint32_t *a, uint32_t sa,
                                 const uint32_t *b, uint32_t sb)
{
    if (sa != sb)
        return sa < sb ? -1 : 1;
    for (uint32_t i = 0; i < sa; i++) {
        int order = strcmp(dataset_item_name(d, a[i]), dataset_item_name(d, b[i]));
        if (order != 0)
            return order;
    }
    return 0;
}

static void test_rules_sort_many(void **state)
{
    (void)state;
    enum { ITEMS = 12, BASKETS = 60 };
    const char *names[ITEMS] = {"k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a", "l"};
    char storage[BASKETS][ITEMS + 1];
    const char *baskets[BASKETS];
    uint64_t seed = 99;
    for (int b = 0; b < BASKETS; b++) {
        size_t n = 0;
        for (int i = 0; i < ITEMS; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            if ((seed >> 33) % 100 < 75)
                storage[b][n++] = (char)('a' + i);
        }
        storage[b][n] = '\0';
        baskets[b] = storage[b];
    }
    fimbit_dataset *d = hand_dataset_make(names, ITEMS, baskets, BASKETS);
    uint32_t rank_to_item[ITEMS];
    for (uint32_t r = 0; r < ITEMS; r++)
        rank_to_item[r] = r;
    fimbit_rules *rules = mine_rules(d, rank_to_item, 3, 0.2, 0, 0, 1, 2);
    size_t n = fimbit_rules_count(rules);
    assert_true(n > 200000);
    fimbit_rules_sort(rules);
    for (size_t i = 1; i < n; i++) {
        fimbit_rule a, b;
        fimbit_rules_get(rules, i - 1, &a);
        fimbit_rules_get(rules, i, &b);
        int order = compare_lists_by_name(d, a.antecedent, a.antecedent_size, b.antecedent,
                                          b.antecedent_size);
        if (order == 0)
            order = compare_lists_by_name(d, a.consequent, a.consequent_size, b.consequent,
                                          b.consequent_size);
        assert_true(order < 0);
    }
    fimbit_rules_sort_by_strength(rules);
    for (size_t i = 1; i < n; i++) {
        fimbit_rule a, b;
        fimbit_rules_get(rules, i - 1, &a);
        fimbit_rules_get(rules, i, &b);
        assert_true(a.confidence >= b.confidence);
        if (a.confidence == b.confidence) {
            assert_true(a.lift >= b.lift);
            if (a.lift == b.lift)
                assert_true(a.count >= b.count);
        }
    }
    assert_int_equal(fimbit_rules_count(rules), n);
    fimbit_rules_free(rules);
    hand_dataset_free(d);
}

/* A store without some subset is a driver bug: reported, not crashed on. */
static void test_rules_missing_subset(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_itemsets *store = store_create(d, reversed6, 1);
    /* {bread, milk, diapers} (ranks of items 0, 1, 2 are 5, 4, 3) without its pairs. */
    uint32_t record[] = {3, 2, 0, 3, 4, 5};
    assert_int_equal(store_flush(store, 0, record, 6), 0);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.min_confidence = 0.5;
    options.max_consequent = 1;
    options.mine.threads = 1;
    fimbit_rules *rules = (fimbit_rules *)&options;
    fimbit_error error;
    assert_int_equal(rules_generate(store, &options, &rules, &error), FIMBIT_EINTERNAL);
    assert_null(rules);
    assert_int_equal(error.code, FIMBIT_EINTERNAL);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_rules_out_of_memory(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_itemsets *store = hand_store_fill(d, 1, 2, reversed6, NULL);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.min_confidence = 0.0;
    options.max_consequent = 0;
    options.mine.threads = 2;
    bool succeeded = false;
    for (uint64_t n = 1; n < 500 && !succeeded; n++) {
        fimbit_rules *rules = NULL;
        fimbit_error error = {0};
        fimbit__alloc_fail_after(n);
        fimbit_status status = rules_generate(store, &options, &rules, &error);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK) {
            succeeded = true;
            assert_true(fimbit_rules_count(rules) > 100);
        } else {
            assert_int_equal(status, FIMBIT_ENOMEM);
            assert_null(rules);
            assert_true(strstr(error.message, "memory") != NULL);
        }
        fimbit_rules_free(rules);
    }
    assert_true(succeeded);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_grocery_metrics),
        cmocka_unit_test(test_rules_confidence_boundary),
        cmocka_unit_test(test_rules_grocery_oracle),
        cmocka_unit_test(test_rules_random_oracle),
        cmocka_unit_test(test_rules_lift_filter),
        cmocka_unit_test(test_rules_min_size),
        cmocka_unit_test(test_rules_sort),
        cmocka_unit_test(test_rules_sort_many),
        cmocka_unit_test(test_rules_missing_subset),
        cmocka_unit_test(test_rules_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
