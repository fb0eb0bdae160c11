/*
 * Datasets split by group (fimbit_groups_read): rows of long CSV are sorted
 * into groups by one column's value, optionally looked up in a group map, and
 * each group becomes a dataset of its own, as if its rows alone had been
 * read. The mining and writing calls of fimbit.h's groups section run over
 * every group.
 */
#ifndef FIMBIT_GROUP_GROUPS_H
#define FIMBIT_GROUP_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "base/internal.h"

struct fimbit_groups {
    size_t count;
    char **names;               /* by group, in natural order */
    fimbit_dataset **datasets;  /* by group */
    uint64_t skipped_rows;      /* rows whose key the map lacks */
};

/* The number of the group of `key` (`length` bytes) in `map`, or DICT_EMPTY
 * when it has none. Numbers are below the map's count of groups. */
uint32_t group_map_find(const fimbit_group_map *map, const char *key, size_t length);

/* The name of group number `group` of `map`. */
const char *group_map_group_name(const fimbit_group_map *map, uint32_t group);

/* How many groups `map` names: group numbers are below it. */
uint32_t group_map_group_count(const fimbit_group_map *map);

#endif /* FIMBIT_GROUP_GROUPS_H */
