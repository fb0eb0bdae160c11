/* The maximal sets found, listed by item; see found_sets.h. */
#include <string.h>

#include "base/internal.h"
#include "found_sets.h"

bool found_sets_init(found_sets *sets, uint32_t item_count)
{
    memset(sets, 0, sizeof *sets);
    sets->holding = fimbit__calloc(item_count ? item_count : 1, sizeof *sets->holding);
    sets->item_count = item_count;
    if (!sets->holding ||
        !fimbit__grow_array((void **)&sets->starts, &sets->starts_room, 1, sizeof *sets->starts)) {
        found_sets_release(sets);
        return false;
    }
    sets->starts[0] = 0;
    return true;
}

void found_sets_release(found_sets *sets)
{
    for (uint32_t r = 0; sets->holding && r < sets->item_count; r++)
        fimbit__free(sets->holding[r].ids);
    fimbit__free(sets->holding);
    fimbit__free(sets->items);
    fimbit__free(sets->starts);
    memset(sets, 0, sizeof *sets);
}

bool found_sets_add(found_sets *sets, const uint32_t *items, uint32_t size)
{
    uint32_t id = sets->count;
    if (id == UINT32_MAX ||
        !fimbit__grow_array((void **)&sets->items, &sets->room, sets->used + size,
                            sizeof *sets->items) ||
        !fimbit__grow_array((void **)&sets->starts, &sets->starts_room, (size_t)id + 2,
                            sizeof *sets->starts))
        return false;
    for (uint32_t i = 0; i < size; i++) {
        found_list *list = &sets->holding[items[i]];
        if (!fimbit__grow_array((void **)&list->ids, &list->room, (size_t)list->count + 1,
                                sizeof *list->ids))
            return false;
        list->ids[list->count++] = id;
    }
    memcpy(sets->items + sets->used, items, (size_t)size * sizeof *items);
    sets->used += size;
    sets->starts[id + 1] = sets->used;
    sets->count = id + 1;
    return true;
}
