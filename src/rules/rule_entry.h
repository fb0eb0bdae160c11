/*
 * One rule of a rule set, as rules.c keeps it and measures.c reads it: its
 * items and the counts every measure is computed from.
 */
#ifndef FIMBIT_RULE_ENTRY_H
#define FIMBIT_RULE_ENTRY_H

#include <stdint.h>

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

#endif /* FIMBIT_RULE_ENTRY_H */
