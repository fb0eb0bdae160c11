/*
 * Rules from a support table (fimbit_support_table_rules): for every row Z of
 * two items or more, every non-empty proper subset X of Z as antecedent and
 * Y = Z \ X as consequent, X's and Y's supports looked up among the rows.
 * This is what mlxtend's association_rules does over its frame of itemsets,
 * here with one hash look-up per side instead of a Python dictionary.
 *
 * Measures come from exact counts when the table has them: each is one
 * quotient of integers formed exactly (128-bit products), rounded once where
 * the operands fit a double's mantissa. Without counts they follow mlxtend's
 * floating-point formulas over the supports step by step, so a foreign
 * frame gives mlxtend's very numbers.
 */
#include <math.h>
#include <string.h>

#include "base/sort_u32.h"
#include "support_table.h"

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 s128;

/* Rows with more items than this cannot list their antecedents in a 64-bit
 * mask (and would make 2^64 rules). */
#define TABLE_RULES_MAX_ITEMS 63u

typedef struct table_rule {
    uint64_t itemset;
    uint64_t antecedent;
    uint64_t consequent;
    uint64_t antecedent_mask;
    double metrics[FIMBIT_METRIC_COUNT];
} table_rule;

struct fimbit_table_rules {
    table_rule *rules;
    size_t count;
    size_t capacity;
};

/* num / den, rounded once when both fit a double's 53-bit mantissa (so that
 * 4 / 5 is exactly the double 0.8), else through long double. */
static double ratio(s128 num, u128 den)
{
    const u128 exact = (u128)1 << 53;
    u128 magnitude = num < 0 ? (u128)-num : (u128)num;
    if (magnitude < exact && den < exact)
        return (double)num / (double)den;
    return (double)((long double)num / (long double)den);
}

/* The measures of X => Y from the counts of X (a), Y (c) and X u Y (ac) among
 * n baskets. */
static void measures_from_counts(uint64_t n, uint64_t a, uint64_t c, uint64_t ac, double *m)
{
    s128 excess = (s128)ac * n - (s128)a * c; /* n^2 times the leverage */
    m[FIMBIT_METRIC_ANTECEDENT_SUPPORT] = (double)a / (double)n;
    m[FIMBIT_METRIC_CONSEQUENT_SUPPORT] = (double)c / (double)n;
    m[FIMBIT_METRIC_SUPPORT] = (double)ac / (double)n;
    m[FIMBIT_METRIC_CONFIDENCE] = ratio(ac, a);
    m[FIMBIT_METRIC_LIFT] = ratio((s128)ac * n, (u128)a * c);
    m[FIMBIT_METRIC_REPRESENTATIVITY] = 1.0;
    m[FIMBIT_METRIC_LEVERAGE] = ratio(excess, (u128)n * n);
    m[FIMBIT_METRIC_CONVICTION] =
        ac >= a ? INFINITY : ratio((s128)(n - c) * a, (u128)n * (a - ac));
    u128 zhang_left = (u128)ac * (n - a), zhang_right = (u128)a * (c - ac);
    u128 zhang_denominator = zhang_left > zhang_right ? zhang_left : zhang_right;
    m[FIMBIT_METRIC_ZHANG] = zhang_denominator == 0 ? 0.0 : ratio(excess, zhang_denominator);
    m[FIMBIT_METRIC_JACCARD] = ratio(ac, (u128)a + c - ac);
    m[FIMBIT_METRIC_CERTAINTY] = c == n ? 0.0 : ratio(excess, (u128)a * (n - c));
    m[FIMBIT_METRIC_KULCZYNSKI] = ratio((s128)ac * (a + c), (u128)2 * a * c);
}

/* The same measures as mlxtend computes them from supports, operation by
 * operation (num_itemsets multiplies both sides of its confidence). */
static void measures_from_supports(double num_itemsets, double sa, double sc, double sac,
                                   double *m)
{
    double confidence = (sac * num_itemsets) / (sa * num_itemsets);
    double leverage = sac - sa * sc;
    m[FIMBIT_METRIC_ANTECEDENT_SUPPORT] = sa;
    m[FIMBIT_METRIC_CONSEQUENT_SUPPORT] = sc;
    m[FIMBIT_METRIC_SUPPORT] = sac;
    m[FIMBIT_METRIC_CONFIDENCE] = confidence;
    m[FIMBIT_METRIC_LIFT] = confidence / sc;
    m[FIMBIT_METRIC_REPRESENTATIVITY] = num_itemsets / num_itemsets;
    m[FIMBIT_METRIC_LEVERAGE] = leverage;
    m[FIMBIT_METRIC_CONVICTION] = confidence < 1.0 ? (1.0 - sc) / (1.0 - confidence) : INFINITY;
    double zhang_left = sac * (1 - sa), zhang_right = sa * (sc - sac);
    double zhang_denominator = zhang_left > zhang_right ? zhang_left : zhang_right;
    m[FIMBIT_METRIC_ZHANG] = zhang_denominator == 0 ? 0.0 : leverage / zhang_denominator;
    m[FIMBIT_METRIC_JACCARD] = sac / (sa + sc - sac);
    m[FIMBIT_METRIC_CERTAINTY] = 1 - sc == 0 ? 0.0 : (confidence - sc) / (1 - sc);
    double reverse = (sac * num_itemsets) / (sc * num_itemsets);
    m[FIMBIT_METRIC_KULCZYNSKI] = (confidence + reverse) / 2;
}

static bool rules_append(fimbit_table_rules *rules, const table_rule *rule)
{
    if (!fimbit__grow_array((void **)&rules->rules, &rules->capacity, rules->count + 1,
                            sizeof *rules->rules))
        return false;
    rules->rules[rules->count++] = *rule;
    return true;
}

/* Splits row items[0 .. size) by `mask` into the sorted sides x and y and
 * finds their rows. */
static void rule_sides(const fimbit_support_table *table, const uint32_t *items, uint32_t size,
                       uint64_t mask, table_rule *rule)
{
    uint32_t x[TABLE_RULES_MAX_ITEMS], y[TABLE_RULES_MAX_ITEMS];
    uint32_t x_size = 0, y_size = 0;
    for (uint32_t i = 0; i < size; i++) {
        if (mask >> i & 1)
            x[x_size++] = items[i];
        else
            y[y_size++] = items[i];
    }
    sort_u32(x, x_size);
    sort_u32(y, y_size);
    rule->antecedent = support_table_find(table, x, x_size);
    rule->consequent = support_table_find(table, y, y_size);
}

static void rule_measures(const fimbit_support_table *table, bool support_only,
                          table_rule *rule)
{
    double *m = rule->metrics;
    if (support_only) {
        for (int k = 0; k < FIMBIT_METRIC_COUNT; k++)
            m[k] = NAN;
        m[FIMBIT_METRIC_SUPPORT] = table->supports[rule->itemset];
    } else if (table->counts != NULL) {
        measures_from_counts(table->basket_count, table->counts[rule->antecedent],
                             table->counts[rule->consequent], table->counts[rule->itemset], m);
    } else {
        double num_itemsets = table->basket_count ? (double)table->basket_count : 1.0;
        measures_from_supports(num_itemsets, table->supports[rule->antecedent],
                               table->supports[rule->consequent],
                               table->supports[rule->itemset], m);
    }
}

/* Every rule of one row, antecedents of size - 1 items down to one; within a
 * size, masks in increasing order (Gosper's next-combination step). */
static fimbit_status row_rules(const fimbit_support_table *table, uint64_t row,
                               fimbit_rule_metric metric, double min_threshold,
                               bool support_only, fimbit_table_rules *rules,
                               fimbit_error *error)
{
    const uint32_t *items = table->items + table->offsets[row];
    uint32_t size = (uint32_t)(table->offsets[row + 1] - table->offsets[row]);
    if (size < 2)
        return FIMBIT_OK;
    if (size > TABLE_RULES_MAX_ITEMS)
        return fimbit__fail(error, FIMBIT_ELIMIT,
                            "row %llu holds %u items: rules need at most %u",
                            (unsigned long long)row, size, TABLE_RULES_MAX_ITEMS);
    uint64_t end = (uint64_t)1 << size;
    for (uint32_t antecedent_size = size - 1; antecedent_size >= 1; antecedent_size--) {
        for (uint64_t mask = ((uint64_t)1 << antecedent_size) - 1; mask < end;) {
            table_rule rule = {.itemset = row, .antecedent_mask = mask};
            rule_sides(table, items, size, mask, &rule);
            if (!support_only &&
                (rule.antecedent == FIMBIT_NO_ROW || rule.consequent == FIMBIT_NO_ROW))
                return fimbit__fail(error, FIMBIT_EINVAL,
                                    "row %llu: the support of a rule's %s is not in the table",
                                    (unsigned long long)row,
                                    rule.antecedent == FIMBIT_NO_ROW ? "antecedent"
                                                                     : "consequent");
            rule_measures(table, support_only, &rule);
            if (rule.metrics[metric] >= min_threshold && !rules_append(rules, &rule))
                return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory after %zu rules",
                                    rules->count);
            uint64_t lowest = mask & -mask, ripple = mask + lowest;
            mask = ripple | (((mask ^ ripple) >> 2) / lowest);
        }
    }
    return FIMBIT_OK;
}

fimbit_status fimbit_support_table_rules(const fimbit_support_table *table,
                                         fimbit_rule_metric metric, double min_threshold,
                                         int support_only, fimbit_table_rules **out,
                                         fimbit_error *error)
{
    if (out != NULL)
        *out = NULL;
    if (table == NULL || out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "no support table or no place for the rules");
    if ((int)metric < 0 || metric >= FIMBIT_METRIC_COUNT)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown rule metric %d", (int)metric);
    if (support_only && metric != FIMBIT_METRIC_SUPPORT)
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "with support only, the threshold applies to the support");
    fimbit_table_rules *rules = fimbit__calloc(1, sizeof *rules);
    if (rules == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory for rules");
    for (uint64_t row = 0; row < table->row_count; row++) {
        fimbit_status status =
            row_rules(table, row, metric, min_threshold, support_only != 0, rules, error);
        if (status != FIMBIT_OK) {
            fimbit_table_rules_free(rules);
            return status;
        }
    }
    *out = rules;
    return FIMBIT_OK;
}

void fimbit_table_rules_free(fimbit_table_rules *rules)
{
    if (rules == NULL)
        return;
    fimbit__free(rules->rules);
    fimbit__free(rules);
}

size_t fimbit_table_rules_count(const fimbit_table_rules *rules)
{
    return rules ? rules->count : 0;
}

void fimbit_table_rules_export(const fimbit_table_rules *rules, uint64_t *itemset_rows,
                               uint64_t *antecedent_rows, uint64_t *consequent_rows,
                               uint64_t *antecedent_masks, double *metrics)
{
    for (size_t i = 0; rules && i < rules->count; i++) {
        const table_rule *rule = &rules->rules[i];
        if (itemset_rows)
            itemset_rows[i] = rule->itemset;
        if (antecedent_rows)
            antecedent_rows[i] = rule->antecedent;
        if (consequent_rows)
            consequent_rows[i] = rule->consequent;
        if (antecedent_masks)
            antecedent_masks[i] = rule->antecedent_mask;
        if (metrics)
            memcpy(metrics + i * FIMBIT_METRIC_COUNT, rule->metrics, sizeof rule->metrics);
    }
}
