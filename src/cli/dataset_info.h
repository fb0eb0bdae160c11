/* What `info` prints and `report` draws: a dataset's statistics, its
 * basket-length histogram and its most frequent items. */
#ifndef FIMBIT_CLI_DATASET_INFO_H
#define FIMBIT_CLI_DATASET_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"

typedef struct top_item {
    uint32_t item;
    uint64_t count;
} top_item;

/* Baskets of `shortest` to `longest` items. */
typedef struct length_bin {
    uint64_t shortest, longest;
    uint64_t baskets;
} length_bin;

/* Every length up to this one has a bin of its own; longer ones share
 * log-spaced bins: 11-20, 21-50, 51-100, 101-200, 201-500, ... */
#define CLI_EXACT_LENGTHS 10

/* 11 exact bins and three per decade from 10 to 10^10 (lengths are below
 * 2^32: a basket holds distinct items). */
#define CLI_MAX_LENGTH_BINS 41

typedef struct dataset_info {
    fimbit_dataset_stats stats;
    length_bin bins[CLI_MAX_LENGTH_BINS]; /* from length 0 to the longest basket's bin */
    size_t bin_count;
    top_item *top;       /* the most frequent items, most frequent first */
    size_t top_count;
} dataset_info;

/* Fills `info` with the statistics, the basket-length histogram and the
 * `top_items` most frequent items (ties go to the item seen first in the
 * input). Release it with cli_dataset_info_release, also after a failure. */
fimbit_status cli_dataset_info_gather(const fimbit_dataset *dataset, size_t top_items,
                                      dataset_info *info, fimbit_error *error);

/* Writes the bin's lengths, "7" or "11-20", to label (at least 48 bytes). */
void cli_length_bin_label(const length_bin *bin, char *label, size_t size);

void cli_dataset_info_release(dataset_info *info);

/* @return part / whole, or 0 when whole is 0. */
double cli_share(uint64_t part, uint64_t whole);

#endif /* FIMBIT_CLI_DATASET_INFO_H */
