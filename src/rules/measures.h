/*
 * The measures of a rule from its counts, their names, and the correction of
 * p-values for multiple testing.
 */
#ifndef FIMBIT_MEASURES_H
#define FIMBIT_MEASURES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fimbit.h"
#include "rule_entry.h"

/* (double)v, the same double: the conversion of a 128-bit integer is a libgcc
 * call, that of a 64-bit one an instruction, and both round correctly. The
 * numerators of the measures fit 64 bits but for huge counts. */
static inline double rules_int128_to_double(__int128 v)
{
    return v == (int64_t)v ? (double)(int64_t)v : (double)v;
}

/* Fills *rule from an entry of a rule set over `basket_count` baskets: the
 * items, the count and the base measures (support to conviction). */
void rules_entry_metrics(const rule_entry *entry, uint64_t basket_count, fimbit_rule *rule);

/* Fills the extra measures of *rule (fimbit_rule's fields after conviction)
 * from an entry: improvement and p-value as the entry holds them. */
void rules_entry_extra_measures(const rule_entry *entry, uint64_t basket_count,
                                fimbit_rule *rule);

/* Fills *rule from an entry as the writers need it: the base measures, and
 * the extra ones too when `measures` (FIMBIT_MEASURE_BIT()s) asks for any
 * (when it asks for improvement or p-value alone, the extra measures
 * computed from the counts are NaN). */
void rules_entry_fill(const rule_entry *entry, uint64_t basket_count, uint32_t measures,
                      fimbit_rule *rule);

/* Where each measure sits in a fimbit_rule, in fimbit_measure order: the
 * writers read a rule's measures through it without a call a field. */
static const uint16_t rule_measure_offsets[FIMBIT_MEASURE_COUNT_] = {
    offsetof(fimbit_rule, antecedent_support), offsetof(fimbit_rule, consequent_support),
    offsetof(fimbit_rule, jaccard),            offsetof(fimbit_rule, kulczynski),
    offsetof(fimbit_rule, certainty),          offsetof(fimbit_rule, zhangs_metric),
    offsetof(fimbit_rule, cosine),             offsetof(fimbit_rule, improvement),
    offsetof(fimbit_rule, p_value),            offsetof(fimbit_rule, support),
    offsetof(fimbit_rule, confidence),         offsetof(fimbit_rule, lift),
    offsetof(fimbit_rule, leverage),           offsetof(fimbit_rule, conviction),
};

/* fimbit_rule_measure() of a measure known to be valid. */
static inline double rule_measure_value(const fimbit_rule *rule, fimbit_measure measure)
{
    double value;
    memcpy(&value, (const char *)rule + rule_measure_offsets[measure], sizeof value);
    return value;
}

/* The value of one measure of an entry. */
double rules_entry_measure(const rule_entry *entry, uint64_t basket_count,
                           fimbit_measure measure);

/* Replaces p[0 .. m) by their adjusted values (Bonferroni or Holm over m
 * tests); `order` is scratch for m indexes. */
void rules_adjust_p_values(double *p, size_t m, fimbit_p_adjust method, size_t *order);

#endif /* FIMBIT_MEASURES_H */
