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
#include "measures.h"
#include "rule_entry.h"

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

/* For the tests: how many rules so far had their p-value filled by a
 * worker other than the one that made them (the shared p-value pass of
 * several threads). */
uint64_t rules__p_values_handed_over(void);

#endif /* FIMBIT_RULES_H */
