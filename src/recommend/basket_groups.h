/*
 * A basket's key, and every basket's group in a group map, looked up by
 * several threads: the lookups miss the caches (a million keys' table), and
 * one thread alone spent 0.6 s on a million customers.
 */
#ifndef FIMBIT_RECOMMEND_BASKET_GROUPS_H
#define FIMBIT_RECOMMEND_BASKET_GROUPS_H

#include <stdint.h>

#include "fimbit.h"

/* @return basket b's key (fimbit_dataset_basket_key), or without keys its
 *         1-based number, written into `number`. */
const char *recommend_basket_key(const fimbit_dataset *dataset, uint64_t b, char number[24]);

/* Fills group_of[0 .. basket count) with the number of each basket's group
 * in `map` (group_map_find(): DICT_EMPTY for none), with up to `threads`
 * threads (0 = every core, fewer for few baskets). */
void recommend_find_basket_groups(const fimbit_dataset *dataset, const fimbit_group_map *map,
                                  int threads, uint32_t *group_of);

#endif /* FIMBIT_RECOMMEND_BASKET_GROUPS_H */
