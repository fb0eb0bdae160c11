/* Item lists by name into per-item roles. */
#include "constraints.h"

#include <string.h>

#include "read/dataset.h"

static void mark_items(const fimbit_dataset *dataset, const char *const *names, size_t count,
                       uint8_t role, uint8_t *roles)
{
    for (size_t i = 0; i < count; i++) {
        uint32_t item;
        if (names[i] != NULL && fimbit_dataset_find_item(dataset, names[i], &item) == FIMBIT_OK)
            roles[item] |= role;
    }
}

fimbit_status item_constraints_resolve(const fimbit_dataset *dataset,
                                       const fimbit_rule_options *options,
                                       item_constraints *out, fimbit_error *error)
{
    memset(out, 0, sizeof *out);
    out->antecedent_listed = options->antecedent_items != NULL;
    out->consequent_listed = options->consequent_items != NULL;
    if (!out->antecedent_listed && !out->consequent_listed && options->exclude_items == NULL)
        return FIMBIT_OK;
    out->roles = fimbit__calloc(dataset->item_count ? dataset->item_count : 1, 1);
    if (out->roles == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while resolving item lists");
    mark_items(dataset, options->antecedent_items, options->antecedent_item_count,
               ITEM_MAY_LEAD, out->roles);
    mark_items(dataset, options->consequent_items, options->consequent_item_count,
               ITEM_MAY_FOLLOW, out->roles);
    mark_items(dataset, options->exclude_items, options->exclude_item_count, ITEM_EXCLUDED,
               out->roles);
    return FIMBIT_OK;
}

void item_constraints_free(item_constraints *constraints)
{
    fimbit__free(constraints->roles);
    constraints->roles = NULL;
}

fimbit_status item_constraints_dropped(const fimbit_dataset *dataset,
                                       const item_constraints *constraints, uint8_t **dropped,
                                       fimbit_error *error)
{
    *dropped = NULL;
    if (constraints->roles == NULL)
        return FIMBIT_OK;
    uint8_t *mask = fimbit__calloc(dataset->item_count ? dataset->item_count : 1, 1);
    if (mask == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while resolving item lists");
    bool any = false;
    for (uint32_t item = 0; item < dataset->item_count; item++) {
        mask[item] = !item_constraints_usable(constraints, item);
        any |= mask[item];
    }
    if (!any) {
        fimbit__free(mask);
        return FIMBIT_OK;
    }
    *dropped = mask;
    return FIMBIT_OK;
}
