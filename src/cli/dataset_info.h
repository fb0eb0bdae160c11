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

typedef struct dataset_info {
    fimbit_dataset_stats stats;
    uint64_t *histogram;
    size_t bins;         /* bins - 1 is the last length, an open bin when capped */
    int capped;          /* the last bin holds every longer basket too */
    top_item *top;       /* the most frequent items, most frequent first */
    size_t top_count;
} dataset_info;

/* Fills `info` with the statistics, a histogram of lengths 0 .. max_length
 * (longer baskets counted in the last bin) and the `top_items` most frequent
 * items (ties go to the item seen first in the input). Release it with
 * cli_dataset_info_release, also after a failure. */
fimbit_status cli_dataset_info_gather(const fimbit_dataset *dataset, size_t top_items,
                                      size_t max_length, dataset_info *info, fimbit_error *error);

void cli_dataset_info_release(dataset_info *info);

/* @return part / whole, or 0 when whole is 0. */
double cli_share(uint64_t part, uint64_t whole);

#endif /* FIMBIT_CLI_DATASET_INFO_H */
