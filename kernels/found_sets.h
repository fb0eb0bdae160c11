/*
 * The maximal sets a walk has found, in ranks, with each item's list of the
 * sets holding it: what FP-growth's maximal walk projects into a branch's
 * repository (maximal_repository.h) when it starts the branch, since only
 * the sets holding the branch's item can hold an itemset of the branch.
 *
 * Not thread-safe: one walker owns it.
 */
#ifndef FIMBIT_FOUND_SETS_H
#define FIMBIT_FOUND_SETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The sets holding one item: ids[0 .. count). */
typedef struct found_list {
    uint32_t *ids;
    uint32_t count;
    size_t room;
} found_list;

typedef struct found_sets {
    uint32_t *items; /* set s is items[starts[s] .. starts[s + 1]) */
    size_t used, room;
    size_t *starts; /* count + 1 entries */
    size_t starts_room;
    uint32_t count;
    found_list *holding; /* by rank, item_count of them */
    uint32_t item_count;
} found_sets;

/* @return false when memory is exhausted (nothing is then held). */
bool found_sets_init(found_sets *sets, uint32_t item_count);
void found_sets_release(found_sets *sets);

/* Adds items[0 .. size) (distinct ranks below item_count).
 * @return false when memory is exhausted. */
bool found_sets_add(found_sets *sets, const uint32_t *items, uint32_t size);

#endif /* FIMBIT_FOUND_SETS_H */
