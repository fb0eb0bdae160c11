/*
 * Item constraints of a rule search (fimbit_rule_options' item lists),
 * resolved from names into one role byte per item.
 */
#ifndef FIMBIT_CONSTRAINTS_H
#define FIMBIT_CONSTRAINTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/internal.h"

enum {
    ITEM_MAY_LEAD = 1,    /* may be in an antecedent */
    ITEM_MAY_FOLLOW = 2,  /* may be in a consequent */
    ITEM_EXCLUDED = 4     /* removed from the baskets */
};

typedef struct item_constraints {
    uint8_t *roles;         /* per item id; NULL when no option constrains items */
    bool antecedent_listed; /* an antecedent list was given */
    bool consequent_listed;
} item_constraints;

/* Resolves the item lists of `options` against `dataset`; unknown names are
 * skipped. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status item_constraints_resolve(const fimbit_dataset *dataset,
                                       const fimbit_rule_options *options,
                                       item_constraints *out, fimbit_error *error);

void item_constraints_free(item_constraints *constraints);

/* Whether an itemset with `item` can hold a rule at all: not excluded, and,
 * when both sides are listed, on one of the lists. */
static inline bool item_constraints_usable(const item_constraints *c, uint32_t item)
{
    if (c->roles == NULL)
        return true;
    uint8_t role = c->roles[item];
    if (role & ITEM_EXCLUDED)
        return false;
    return !(c->antecedent_listed && c->consequent_listed) ||
           (role & (ITEM_MAY_LEAD | ITEM_MAY_FOLLOW)) != 0;
}

static inline bool item_constraints_may_lead(const item_constraints *c, uint32_t item)
{
    return !c->antecedent_listed || (c->roles[item] & ITEM_MAY_LEAD) != 0;
}

static inline bool item_constraints_may_follow(const item_constraints *c, uint32_t item)
{
    return !c->consequent_listed || (c->roles[item] & ITEM_MAY_FOLLOW) != 0;
}

/* A mask for the mining stage: 1 for every item no rule can use (the items
 * item_constraints_usable() refuses), so that mining skips them; NULL in
 * *dropped when every item is usable. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status item_constraints_dropped(const fimbit_dataset *dataset,
                                       const item_constraints *constraints, uint8_t **dropped,
                                       fimbit_error *error);

#endif /* FIMBIT_CONSTRAINTS_H */
