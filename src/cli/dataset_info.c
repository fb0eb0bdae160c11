#include "dataset_info.h"

#include <stdlib.h>
#include <string.h>

#include "output_file.h"

/* Keeps the `capacity` items with the highest counts, by insertion into a
 * short sorted array: capacity is small (tens). */
static void find_top_items(const fimbit_dataset *dataset, size_t capacity, dataset_info *info)
{
    uint32_t items = fimbit_dataset_item_count(dataset);
    info->top_count = 0;
    for (uint32_t item = 0; item < items; item++) {
        uint64_t count = fimbit_dataset_item_support(dataset, item);
        size_t at = info->top_count;
        while (at > 0 && info->top[at - 1].count < count)
            at--;
        if (at >= capacity)
            continue;
        size_t last = info->top_count < capacity ? info->top_count : capacity - 1;
        memmove(&info->top[at + 1], &info->top[at], (last - at) * sizeof info->top[0]);
        info->top[at] = (top_item){item, count};
        if (info->top_count < capacity)
            info->top_count++;
    }
}

fimbit_status cli_dataset_info_gather(const fimbit_dataset *dataset, size_t top_items,
                                      size_t max_length, dataset_info *info, fimbit_error *error)
{
    memset(info, 0, sizeof *info);
    fimbit_dataset_get_stats(dataset, &info->stats);
    uint64_t longest = info->stats.max_basket_size;
    info->capped = longest > max_length;
    info->bins = (size_t)(info->capped ? max_length : longest) + 1;
    info->histogram = calloc(info->bins, sizeof *info->histogram);
    info->top = calloc(top_items > 0 ? top_items : 1, sizeof *info->top);
    if (info->histogram == NULL || info->top == NULL)
        return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
    fimbit_status status =
        fimbit_dataset_length_histogram(dataset, info->histogram, info->bins);
    if (status != FIMBIT_OK)
        return cli_error_set(error, status, "cannot count basket lengths: %s",
                             fimbit_status_str(status));
    if (top_items > 0)
        find_top_items(dataset, top_items, info);
    return FIMBIT_OK;
}

void cli_dataset_info_release(dataset_info *info)
{
    free(info->histogram);
    free(info->top);
    memset(info, 0, sizeof *info);
}

double cli_share(uint64_t part, uint64_t whole)
{
    return whole == 0 ? 0.0 : (double)part / (double)whole;
}
