/* The support table and the rules derived from it: the same rules and
 * measures as the miner's own rule generator, the other measures against a
 * brute-force count over the baskets, a confidence at exactly the threshold
 * kept from counts and lost to mlxtend's rounding without them, support-only
 * rules over missing subsets, refused input, and clean failure when
 * allocations fail. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fimbit.h"
#include "base/internal.h"

#define BASKETS 60
/* A stale handle, which a failed call must overwrite with NULL. */
#define STALE_TABLE ((fimbit_support_table *)&stale_target)
static int stale_target;
#define ITEMS 7

/* Pseudo-random baskets of the items "0" .. "6", a few items each. */
static fimbit_dataset *random_dataset(uint32_t baskets[BASKETS][ITEMS], uint32_t sizes[BASKETS])
{
    static const char *names[ITEMS] = {"0", "1", "2", "3", "4", "5", "6"};
    const char *flat[BASKETS * ITEMS];
    uint64_t offsets[BASKETS + 1] = {0};
    uint64_t state = 12345;
    for (int b = 0; b < BASKETS; b++) {
        sizes[b] = 0;
        for (uint32_t item = 0; item < ITEMS; item++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            if ((state >> 33) % 100 < 30 + 8 * item) {
                baskets[b][sizes[b]++] = item;
                flat[offsets[b] + sizes[b] - 1] = names[item];
            }
        }
        offsets[b + 1] = offsets[b] + sizes[b];
    }
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(flat, offsets, BASKETS, &d, NULL), FIMBIT_OK);
    return d;
}

/* Baskets holding every item (a name id) of the mask `set`. */
static uint64_t brute_count(uint32_t baskets[BASKETS][ITEMS], const uint32_t sizes[BASKETS],
                            uint32_t set)
{
    uint64_t count = 0;
    for (int b = 0; b < BASKETS; b++) {
        uint32_t held = 0;
        for (uint32_t i = 0; i < sizes[b]; i++)
            held |= 1u << baskets[b][i];
        count += (held & set) == set;
    }
    return count;
}

/* The mask of names of `size` dataset items. */
static uint32_t name_mask(const fimbit_dataset *d, const uint32_t *items, uint32_t size)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < size; i++)
        mask |= 1u << atoi(fimbit_dataset_item_name(d, items[i]));
    return mask;
}

typedef struct exported {
    size_t count;
    uint64_t *itemset, *antecedent, *consequent, *mask;
    double *metrics;
} exported;

static exported export_rules(const fimbit_table_rules *rules)
{
    exported e = {.count = fimbit_table_rules_count(rules)};
    size_t n = e.count ? e.count : 1;
    e.itemset = calloc(n, sizeof(uint64_t));
    e.antecedent = calloc(n, sizeof(uint64_t));
    e.consequent = calloc(n, sizeof(uint64_t));
    e.mask = calloc(n, sizeof(uint64_t));
    e.metrics = calloc(n * FIMBIT_METRIC_COUNT, sizeof(double));
    fimbit_table_rules_export(rules, e.itemset, e.antecedent, e.consequent, e.mask, e.metrics);
    return e;
}

static void exported_free(exported *e)
{
    free(e->itemset);
    free(e->antecedent);
    free(e->consequent);
    free(e->mask);
    free(e->metrics);
}

static void assert_close(double got, double want)
{
    if (isinf(want))
        assert_true(got == want);
    else
        assert_true(fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want)));
}

static void test_same_rules_as_the_miner(void **state)
{
    (void)state;
    uint32_t baskets[BASKETS][ITEMS], sizes[BASKETS];
    fimbit_dataset *d = random_dataset(baskets, sizes);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 3;
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(d, &options, &itemsets, NULL), FIMBIT_OK);
    size_t rows = fimbit_itemsets_count(itemsets);
    uint32_t *items = malloc(fimbit_itemsets_item_total(itemsets) * sizeof *items);
    uint64_t *offsets = malloc((rows + 1) * sizeof *offsets);
    uint64_t *counts = malloc(rows * sizeof *counts);
    fimbit_itemsets_export(itemsets, items, offsets, counts);
    fimbit_support_table *table = NULL;
    assert_int_equal(fimbit_support_table_create(items, offsets, rows, NULL, counts, BASKETS,
                                                 &table, NULL),
                     FIMBIT_OK);
    fimbit_table_rules *derived = NULL;
    assert_int_equal(
        fimbit_support_table_rules(table, FIMBIT_METRIC_CONFIDENCE, 0.5, 0, &derived, NULL),
        FIMBIT_OK);
    fimbit_support_table_free(table); /* the rules do not need it */
    exported e = export_rules(derived);

    fimbit_rule_options rule_options;
    fimbit_rule_options_init(&rule_options);
    rule_options.mine = options;
    rule_options.min_confidence = 0.5;
    rule_options.max_consequent = 0;
    fimbit_rules *mined = NULL;
    assert_int_equal(fimbit_mine_rules(d, &rule_options, &mined, NULL), FIMBIT_OK);
    assert_int_equal(e.count, fimbit_rules_count(mined));
    assert_true(e.count > 20);

    for (size_t r = 0; r < e.count; r++) {
        const double *m = e.metrics + r * FIMBIT_METRIC_COUNT;
        uint64_t row = e.itemset[r];
        uint32_t z = name_mask(d, items + offsets[row], (uint32_t)(offsets[row + 1] - offsets[row]));
        uint32_t x = 0;
        for (uint64_t i = offsets[row]; i < offsets[row + 1]; i++)
            if (e.mask[r] >> (i - offsets[row]) & 1)
                x |= 1u << atoi(fimbit_dataset_item_name(d, items[i]));
        uint32_t y = z & ~x;
        /* X and Y are the rows the table says. */
        assert_int_equal(name_mask(d, items + offsets[e.antecedent[r]],
                                   (uint32_t)(offsets[e.antecedent[r] + 1] -
                                              offsets[e.antecedent[r]])),
                         x);
        assert_int_equal(name_mask(d, items + offsets[e.consequent[r]],
                                   (uint32_t)(offsets[e.consequent[r] + 1] -
                                              offsets[e.consequent[r]])),
                         y);
        /* The miner's rule X => Y, found by a linear search. */
        fimbit_rule rule;
        size_t k = 0;
        for (; k < fimbit_rules_count(mined); k++) {
            fimbit_rules_get(mined, k, &rule);
            if (name_mask(d, rule.antecedent, rule.antecedent_size) == x &&
                name_mask(d, rule.consequent, rule.consequent_size) == y)
                break;
        }
        assert_true(k < fimbit_rules_count(mined));
        assert_close(m[FIMBIT_METRIC_SUPPORT], rule.support);
        assert_close(m[FIMBIT_METRIC_CONFIDENCE], rule.confidence);
        assert_close(m[FIMBIT_METRIC_LIFT], rule.lift);
        assert_close(m[FIMBIT_METRIC_LEVERAGE], rule.leverage);
        assert_close(m[FIMBIT_METRIC_CONVICTION], rule.conviction);
        /* The rest from counts over the baskets. */
        double n = BASKETS, a = (double)brute_count(baskets, sizes, x) / n,
               c = (double)brute_count(baskets, sizes, y) / n,
               ac = (double)brute_count(baskets, sizes, z) / n;
        double leverage = ac - a * c;
        assert_close(m[FIMBIT_METRIC_ANTECEDENT_SUPPORT], a);
        assert_close(m[FIMBIT_METRIC_CONSEQUENT_SUPPORT], c);
        assert_close(m[FIMBIT_METRIC_REPRESENTATIVITY], 1.0);
        double zhang = fmax(ac * (1 - a), a * (c - ac));
        assert_close(m[FIMBIT_METRIC_ZHANG], zhang == 0 ? 0 : leverage / zhang);
        assert_close(m[FIMBIT_METRIC_JACCARD], ac / (a + c - ac));
        assert_close(m[FIMBIT_METRIC_CERTAINTY], c == 1 ? 0 : (ac / a - c) / (1 - c));
        assert_close(m[FIMBIT_METRIC_KULCZYNSKI], (ac / a + ac / c) / 2);
    }
    exported_free(&e);
    fimbit_table_rules_free(derived);
    fimbit_rules_free(mined);
    free(items);
    free(offsets);
    free(counts);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(d);
}

/* {a} in 15 of 29 baskets, {b} in 16, {a, b} in 12: a => b has confidence
 * exactly 0.8. */
static size_t rules_at_threshold(const uint64_t *counts, const double *supports)
{
    const uint32_t items[] = {0, 1, 1, 0};
    const uint64_t offsets[] = {0, 1, 2, 4};
    fimbit_support_table *table = NULL;
    assert_int_equal(
        fimbit_support_table_create(items, offsets, 3, supports, counts, 29, &table, NULL),
        FIMBIT_OK);
    fimbit_table_rules *rules = NULL;
    assert_int_equal(
        fimbit_support_table_rules(table, FIMBIT_METRIC_CONFIDENCE, 0.8, 0, &rules, NULL),
        FIMBIT_OK);
    size_t count = fimbit_table_rules_count(rules);
    if (count == 1) {
        exported e = export_rules(rules);
        assert_int_equal(e.antecedent[0], 0);
        assert_int_equal(e.consequent[0], 1);
        assert_int_equal(e.mask[0], 2); /* row 2 lists b, then a */
        assert_true(e.metrics[FIMBIT_METRIC_CONFIDENCE] == 0.8);
        exported_free(&e);
    }
    fimbit_table_rules_free(rules);
    fimbit_support_table_free(table);
    return count;
}

static void test_exact_threshold(void **state)
{
    (void)state;
    const uint64_t counts[] = {15, 16, 12};
    const double supports[] = {15.0 / 29, 16.0 / 29, 12.0 / 29};
    assert_int_equal(rules_at_threshold(counts, NULL), 1);
    /* mlxtend's (12/29 * 29) / (15/29 * 29) is 0.7999999999999999. */
    assert_int_equal(rules_at_threshold(NULL, supports), 0);
}

static void test_support_only(void **state)
{
    (void)state;
    const uint32_t items[] = {7, 8, 9, 7};
    const uint64_t offsets[] = {0, 3, 4};
    const double supports[] = {0.25, 0.5};
    fimbit_support_table *table = NULL;
    assert_int_equal(
        fimbit_support_table_create(items, offsets, 2, supports, NULL, 0, &table, NULL),
        FIMBIT_OK);
    fimbit_table_rules *rules = NULL;
    assert_int_equal(fimbit_support_table_rules(table, FIMBIT_METRIC_CONFIDENCE, 0, 0, &rules,
                                                NULL),
                     FIMBIT_EINVAL); /* {8}, {9}, ... are not rows */
    assert_int_equal(fimbit_support_table_rules(table, FIMBIT_METRIC_CONFIDENCE, 0, 1, &rules,
                                                NULL),
                     FIMBIT_EINVAL); /* support only thresholds the support */
    assert_int_equal(fimbit_support_table_rules(table, FIMBIT_METRIC_SUPPORT, 0.2, 1, &rules,
                                                NULL),
                     FIMBIT_OK);
    exported e = export_rules(rules);
    assert_int_equal(e.count, 6);
    uint64_t seen = 0;
    for (size_t r = 0; r < e.count; r++) {
        assert_int_equal(e.itemset[r], 0);
        assert_true(e.mask[r] > 0 && e.mask[r] < 7);
        seen |= 1u << e.mask[r];
        /* Only {7} is a row: X = {7} is mask 1, Y = {7} is mask 6. */
        assert_int_equal(e.antecedent[r], e.mask[r] == 1 ? 1 : FIMBIT_NO_ROW);
        assert_int_equal(e.consequent[r], e.mask[r] == 6 ? 1 : FIMBIT_NO_ROW);
        for (int k = 0; k < FIMBIT_METRIC_COUNT; k++)
            assert_true(k == FIMBIT_METRIC_SUPPORT ? e.metrics[r * FIMBIT_METRIC_COUNT + k] == 0.25
                                                   : isnan(e.metrics[r * FIMBIT_METRIC_COUNT + k]));
        /* Larger antecedents first. */
        assert_true(r == 0 || __builtin_popcountll(e.mask[r]) <= __builtin_popcountll(e.mask[r - 1]));
    }
    assert_int_equal(seen, 0x7e); /* every non-empty proper subset once */
    exported_free(&e);
    fimbit_table_rules_free(rules);
    fimbit_support_table_rules(table, FIMBIT_METRIC_SUPPORT, 0.3, 1, &rules, NULL);
    assert_int_equal(fimbit_table_rules_count(rules), 0);
    fimbit_table_rules_free(rules);
    fimbit_support_table_free(table);
}

static fimbit_status create(const uint32_t *items, const uint64_t *offsets, size_t rows,
                            const uint64_t *counts, uint64_t baskets, fimbit_error *error)
{
    const double supports[4] = {0.5, 0.5, 0.5, 0.5};
    fimbit_support_table *table = NULL;
    fimbit_status status =
        fimbit_support_table_create(items, offsets, rows, supports, counts, baskets, &table, error);
    assert_true((status == FIMBIT_OK) == (table != NULL));
    fimbit_support_table_free(table);
    return status;
}

static void test_refused(void **state)
{
    (void)state;
    fimbit_error error;
    const uint32_t repeated_row[] = {1, 2, 2, 1};
    const uint64_t two_rows[] = {0, 2, 4};
    assert_int_equal(create(repeated_row, two_rows, 2, NULL, 0, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "row 1 repeats the itemset of row 0");
    const uint32_t repeated_item[] = {1, 2, 3, 3};
    assert_int_equal(create(repeated_item, two_rows, 2, NULL, 0, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "row 1 holds item 3 twice");
    const uint32_t fine[] = {1, 2, 3, 4};
    const uint64_t counts[] = {5, 11};
    assert_int_equal(create(fine, two_rows, 2, counts, 10, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "row 1 has a count of 11, above the 10 baskets");
    assert_int_equal(create(fine, two_rows, 2, counts, 0, NULL), FIMBIT_EINVAL);
    const uint64_t backwards[] = {0, 3, 2};
    assert_int_equal(create(fine, backwards, 2, NULL, 0, NULL), FIMBIT_EINVAL);
    assert_int_equal(create(NULL, (const uint64_t[]){0, 0}, 1, NULL, 0, NULL), FIMBIT_OK);
    assert_int_equal(create(NULL, two_rows, 2, NULL, 0, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "rows hold items but items is NULL");

    /* 64 items in a row: more antecedents than a mask holds. */
    uint32_t wide[64];
    for (uint32_t i = 0; i < 64; i++)
        wide[i] = i;
    const uint64_t one_row[] = {0, 64};
    const double support = 0.5;
    fimbit_support_table *table = NULL;
    assert_int_equal(
        fimbit_support_table_create(wide, one_row, 1, &support, NULL, 0, &table, NULL), 0);
    fimbit_table_rules *rules = NULL;
    assert_int_equal(
        fimbit_support_table_rules(table, FIMBIT_METRIC_SUPPORT, 0, 1, &rules, &error),
        FIMBIT_ELIMIT);
    assert_null(rules);
    assert_int_equal(fimbit_support_table_rules(table, FIMBIT_METRIC_COUNT, 0, 0, &rules, NULL),
                     FIMBIT_EINVAL);
    fimbit_support_table_free(table);
    fimbit_support_table_free(NULL);
    fimbit_table_rules_free(NULL);
    assert_int_equal(fimbit_table_rules_count(NULL), 0);
}

/* A support that is no fraction of the baskets is refused with its row,
 * with counts or without (NaN from an edited pandas frame, say). */
static void test_supports_out_of_range_refused(void **state)
{
    (void)state;
    const uint32_t items[] = {1, 2, 1, 2};
    const uint64_t offsets[] = {0, 1, 2, 4};
    const uint64_t counts[] = {4, 3, 2};
    const struct {
        double support;
        const char *message;
    } cases[] = {
        {NAN, "row 2 has a support of nan, not a fraction in [0, 1]"},
        {INFINITY, "row 2 has a support of inf, not a fraction in [0, 1]"},
        {-0.25, "row 2 has a support of -0.25, not a fraction in [0, 1]"},
        {1.5, "row 2 has a support of 1.5, not a fraction in [0, 1]"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (int with_counts = 0; with_counts < 2; with_counts++) {
            const double supports[] = {0.4, 0.3, cases[c].support};
            fimbit_support_table *table = STALE_TABLE;
            fimbit_error error;
            assert_int_equal(fimbit_support_table_create(items, offsets, 3, supports,
                                                         with_counts ? counts : NULL, 10, &table,
                                                         &error),
                             FIMBIT_EINVAL);
            assert_null(table);
            assert_string_equal(error.message, cases[c].message);
        }
    /* The ends of the range are fractions. */
    const double ends[] = {0.0, 1.0, -0.0};
    fimbit_support_table *table = NULL;
    assert_int_equal(fimbit_support_table_create(items, offsets, 3, ends, NULL, 10, &table, NULL),
                     FIMBIT_OK);
    fimbit_support_table_free(table);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    const uint32_t items[] = {1, 2, 1, 2};
    const uint64_t offsets[] = {0, 1, 2, 4};
    const uint64_t counts[] = {6, 7, 5};
    for (uint64_t n = 1; n < 100; n++) {
        fimbit_support_table *table = NULL;
        fimbit_table_rules *rules = NULL;
        fimbit__alloc_fail_after(n);
        fimbit_status status =
            fimbit_support_table_create(items, offsets, 3, NULL, counts, 10, &table, NULL);
        if (status == FIMBIT_OK)
            status = fimbit_support_table_rules(table, FIMBIT_METRIC_LIFT, 0, 0, &rules, NULL);
        fimbit__alloc_fail_after(0);
        size_t count = fimbit_table_rules_count(rules);
        fimbit_table_rules_free(rules);
        fimbit_support_table_free(table);
        if (status == FIMBIT_OK) {
            assert_int_equal(count, 2);
            return;
        }
        assert_int_equal(status, FIMBIT_ENOMEM);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_rules_as_the_miner),
        cmocka_unit_test(test_exact_threshold),
        cmocka_unit_test(test_support_only),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_supports_out_of_range_refused),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
