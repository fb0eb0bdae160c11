/*
 * The vertical form of one item in one shard of up to SHARD_BASKETS baskets:
 * a bitmap of ceil(shard_baskets / 64) words when the item is dense in the
 * shard, a sorted array of uint16_t basket indexes when it is sparse (the
 * Roaring container idea). Operations are fused (intersect and count in one
 * pass) and write into caller-provided (arena) memory.
 *
 * OWNED BY THE ECLAT/CONTAINERS WORK: the layout below may be refined, but
 * keep these names: container, container_intersect, container_intersect_count,
 * container_is_subset.
 */
#ifndef FIMBIT_CONTAINERS_H
#define FIMBIT_CONTAINERS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum container_kind { CONTAINER_ARRAY = 0, CONTAINER_BITMAP = 1 } container_kind;

typedef struct container {
    uint32_t cardinality; /* baskets in the set */
    uint16_t kind;        /* container_kind */
    uint16_t words;       /* bitmap words of the shard (same for every container of it) */
    union {
        const uint16_t *array; /* cardinality sorted basket indexes */
        const uint64_t *bits;  /* `words` words */
    } u;
} container;

#endif /* FIMBIT_CONTAINERS_H */
