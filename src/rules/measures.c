/*
 * Rule measures from the three counts of a rule over N baskets: count(X),
 * count(Y), count(X u Y). Numerators that vanish at independence are formed
 * as exact integers (128 bits), so independent X and Y give exactly 0.
 */
#include "measures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rules_entry_metrics(const rule_entry *entry, uint64_t basket_count, fimbit_rule *rule)
{
    uint64_t n = basket_count, cz = entry->count, cx = entry->antecedent_count,
             cy = entry->consequent_count;
    rule->antecedent = entry->items;
    rule->antecedent_size = entry->antecedent_size;
    rule->consequent = entry->items + entry->antecedent_size;
    rule->consequent_size = entry->consequent_size;
    rule->count = cz;
    rule->support = (double)cz / (double)n;
    rule->confidence = (double)cz / (double)cx;
    rule->lift = ((double)cz * (double)n) / ((double)cx * (double)cy);
    /* Leverage as one fraction with an exact integer numerator, so that
     * independent X and Y give exactly 0 rather than rounding noise. */
    __int128 numerator = (__int128)cz * (__int128)n - (__int128)cx * (__int128)cy;
    rule->leverage = rules_int128_to_double(numerator) / ((double)n * (double)n);
    rule->conviction = cz >= cx ? INFINITY
                                : ((double)(n - cy) * (double)cx) /
                                      ((double)n * (double)(cx - cz));
}



/* In fimbit_measure order. */
static const char *const measure_names[FIMBIT_MEASURE_COUNT_] = {
    "antecedent_support", "consequent_support", "jaccard", "kulczynski", "certainty",
    "zhangs_metric", "cosine", "improvement", "p_value", "support", "confidence",
    "lift", "leverage", "conviction",
};

const char *fimbit_measure_name(fimbit_measure measure)
{
    return (unsigned)measure < FIMBIT_MEASURE_COUNT_ ? measure_names[measure] : NULL;
}

fimbit_status fimbit_measure_from_name(const char *name, fimbit_measure *measure)
{
    if (name == NULL || measure == NULL)
        return FIMBIT_EINVAL;
    for (unsigned m = 0; m < FIMBIT_MEASURE_COUNT_; m++)
        if (strcmp(name, measure_names[m]) == 0) {
            *measure = (fimbit_measure)m;
            return FIMBIT_OK;
        }
    return FIMBIT_EINVAL;
}

/* count(X u Y) N - count(X) count(Y): N^2 times s - a c. */
static __int128 excess_count(const rule_entry *entry, uint64_t n)
{
    return (__int128)entry->count * n -
           (__int128)entry->antecedent_count * entry->consequent_count;
}

void rules_entry_extra_measures(const rule_entry *entry, uint64_t basket_count,
                                fimbit_rule *rule)
{
    double n = (double)basket_count, cz = (double)entry->count,
           cx = (double)entry->antecedent_count, cy = (double)entry->consequent_count;
    double excess = rules_int128_to_double(excess_count(entry, basket_count));
    rule->antecedent_support = cx / n;
    rule->consequent_support = cy / n;
    rule->jaccard = cz / (double)(entry->antecedent_count + entry->consequent_count -
                                  entry->count);
    rule->kulczynski = (cz / cx + cz / cy) / 2;
    /* (conf - c) / (1 - c) = (cz N - cx cy) / (cx (N - cy)). */
    rule->certainty = entry->consequent_count == basket_count
                          ? 0.0
                          : excess / (cx * (double)(basket_count - entry->consequent_count));
    /* (s - a c) / max(s (1 - a), a (c - s)), every term times N^2. */
    double left = cz * (double)(basket_count - entry->antecedent_count);
    double right = cx * (double)(entry->consequent_count - entry->count);
    double denominator = left > right ? left : right;
    rule->zhangs_metric = denominator == 0 ? 0.0 : excess / denominator;
    rule->cosine = cz / sqrt(cx * cy);
    rule->improvement = entry->improvement;
    rule->p_value = entry->p_value;
}

/* The extra measures an entry holds rather than computes from its counts. */
#define HELD_MEASURES                                                                              \
    (FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_IMPROVEMENT) | FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE))

void rules_entry_fill(const rule_entry *entry, uint64_t basket_count, uint32_t measures,
                      fimbit_rule *rule)
{
    rules_entry_metrics(entry, basket_count, rule);
    if ((measures & ~HELD_MEASURES) != 0) {
        rules_entry_extra_measures(entry, basket_count, rule);
    } else if (measures != 0) {
        /* Improvement or p-value alone (--measures p_value): the seven
         * measures from the counts are not written, so not computed. */
        rule->antecedent_support = rule->consequent_support = rule->jaccard = NAN;
        rule->kulczynski = rule->certainty = rule->zhangs_metric = rule->cosine = NAN;
        rule->improvement = entry->improvement;
        rule->p_value = entry->p_value;
    }
}

double fimbit_rule_measure(const fimbit_rule *rule, fimbit_measure measure)
{
    if (rule == NULL || (unsigned)measure >= FIMBIT_MEASURE_COUNT_)
        return NAN;
    return rule_measure_value(rule, measure);
}

double rules_entry_measure(const rule_entry *entry, uint64_t basket_count,
                           fimbit_measure measure)
{
    fimbit_rule rule;
    rules_entry_metrics(entry, basket_count, &rule);
    if (measure <= FIMBIT_MEASURE_P_VALUE)
        rules_entry_extra_measures(entry, basket_count, &rule);
    return fimbit_rule_measure(&rule, measure);
}

static int compare_p(const void *a, const void *b, void *context)
{
    const double *p = context;
    double pa = p[*(const size_t *)a], pb = p[*(const size_t *)b];
    if (pa != pb)
        return pa < pb ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void rules_adjust_p_values(double *p, size_t m, fimbit_p_adjust method, size_t *order)
{
    if (method == FIMBIT_P_ADJUST_BONFERRONI) {
        for (size_t i = 0; i < m; i++)
            p[i] = fmin(1.0, p[i] * (double)m);
        return;
    }
    if (method != FIMBIT_P_ADJUST_HOLM || m == 0)
        return;
    for (size_t i = 0; i < m; i++)
        order[i] = i;
    qsort_r(order, m, sizeof *order, compare_p, p);
    /* Step down: the i-th smallest (0-based) is multiplied by m - i, and an
     * adjusted value never falls below the one before it. */
    double running = 0.0;
    for (size_t i = 0; i < m; i++) {
        double adjusted = fmin(1.0, p[order[i]] * (double)(m - i));
        running = fmax(running, adjusted);
        p[order[i]] = running;
    }
}
