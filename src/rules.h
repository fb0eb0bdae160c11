/*
 * Strong rules from a store of all frequent itemsets.
 * OWNED BY THE STORE/RULES/OUTPUT WORK; the driver (mine.c) calls it.
 */
#ifndef FIMBIT_RULES_H
#define FIMBIT_RULES_H

#include "internal.h"

/* Every strong rule X => Y with X ∪ Y in `itemsets` (which must hold every
 * frequent itemset up to the size limit: subsets are looked up in it), under
 * options' confidence, lift, consequent-size and min_size bounds. */
fimbit_status rules_generate(const fimbit_itemsets *itemsets, const fimbit_rule_options *options,
                             fimbit_rules **out, fimbit_error *error);

#endif /* FIMBIT_RULES_H */
