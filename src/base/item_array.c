/* Resizing and widening item arrays. */
#include <string.h>

#include "item_array.h"

bool item_array_resize(item_array *a, uint64_t count, uint64_t keep, bool wide)
{
    uint64_t slots = count ? count : 1;
    if (a->wide || (wide && !a->narrow)) {
        uint32_t *grown = fimbit__realloc_array(a->wide, slots, sizeof *grown);
        if (!grown)
            return false;
        a->wide = grown;
        return true;
    }
    if (!wide) {
        uint16_t *grown = fimbit__realloc_array(a->narrow, slots, sizeof *grown);
        if (!grown)
            return false;
        a->narrow = grown;
        return true;
    }
    /* Narrow to wide: the first id past 65,535 arrived. */
    uint32_t *widened = fimbit__malloc_array(slots, sizeof *widened);
    if (!widened)
        return false;
    for (uint64_t k = 0; k < keep && k < slots; k++)
        widened[k] = a->narrow[k];
    fimbit__free(a->narrow);
    a->narrow = NULL;
    a->wide = widened;
    return true;
}

void item_array_free(item_array *a)
{
    fimbit__free(a->narrow);
    fimbit__free(a->wide);
    memset(a, 0, sizeof *a);
}
