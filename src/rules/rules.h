/*
 * Strong rules from a store of all frequent itemsets.
 *
 * A rule set keeps one compact entry per rule (56 bytes: an items pointer, two
 * sizes, three counts, and the two measures that need more than the counts);
 * the other metrics are computed from the counts when a rule is read or
 * written, so every reader sees the same doubles. Antecedent
 * and consequent items sit back to back in per-thread item blocks that never
 * move, each side in natural item order.
 */
#ifndef FIMBIT_RULES_H
#define FIMBIT_RULES_H

#include <stdint.h>

#include "base/internal.h"

typedef struct rule_entry {
    const uint32_t *items;     /* antecedent_size items, then consequent_size items */
    uint32_t antecedent_size;
    uint32_t consequent_size;
    uint64_t count;            /* count(X u Y) */
    uint64_t antecedent_count; /* count(X) */
    uint64_t consequent_count; /* count(Y) */
    double improvement;        /* NaN unless asked for (it needs the store) */
    double p_value;            /* NaN unless asked for (then adjusted, if asked) */
} rule_entry;

typedef struct rule_items_block {
    struct rule_items_block *next;
    size_t used;
    size_t capacity;
    uint32_t items[];
} rule_items_block;

struct fimbit_rules {
    const fimbit_dataset *dataset;
    rule_entry *entries;
    size_t count;
    rule_items_block *blocks; /* every item block, for freeing */
    int threads;              /* for sorting */
    uint32_t measures;        /* FIMBIT_MEASURE_BIT()s the writers add */
};

/* Checks the rule-only options (confidence in [0, 1], lift >= 0, known
 * measures and adjustment, max_p in [0, 1], an improvement bound that is not
 * NaN, item lists with a count have an array).
 * @return FIMBIT_OK or FIMBIT_EINVAL. */
fimbit_status rules_check_options(const fimbit_rule_options *options, fimbit_error *error);

/* Every strong rule X => Y with X ∪ Y in `itemsets` (which must hold every
 * frequent itemset up to the size limit, or, with item constraints, at least
 * every one whose items item_constraints_usable() accepts: subsets are looked
 * up in it), under every bound and filter of `options`. Runs on
 * options->mine.threads threads. @return FIMBIT_OK, FIMBIT_ENOMEM, or
 * FIMBIT_EINTERNAL when a subset of a stored itemset is missing. */
fimbit_status rules_generate(const fimbit_itemsets *itemsets, const fimbit_rule_options *options,
                             fimbit_rules **out, fimbit_error *error);

/* Fills *rule from an entry of a rule set over `basket_count` baskets. */
void rules_entry_metrics(const rule_entry *entry, uint64_t basket_count, fimbit_rule *rule);

#endif /* FIMBIT_RULES_H */
