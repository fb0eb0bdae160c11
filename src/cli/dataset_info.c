#include "dataset_info.h"

#include <inttypes.h>
#include <stdio.h>
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

/* The bins' bounds up to the one holding `longest`: one per length up to
 * CLI_EXACT_LENGTHS, then ranges ending at 20, 50, 100, 200, 500, 1000, ...
 * Lengths are below 2^32 (a basket holds distinct items), so the bounds
 * cannot overflow. */
static void make_length_bins(uint64_t longest, dataset_info *info)
{
    static const uint64_t steps[] = {2, 5, 10};
    uint64_t shortest = 0;
    for (; shortest <= CLI_EXACT_LENGTHS && shortest <= longest; shortest++)
        info->bins[info->bin_count++] = (length_bin){shortest, shortest, 0};
    for (uint64_t decade = 10; shortest <= longest; decade *= 10)
        for (size_t s = 0; s < 3 && shortest <= longest; s++) {
            info->bins[info->bin_count++] = (length_bin){shortest, decade * steps[s], 0};
            shortest = decade * steps[s] + 1;
        }
}

fimbit_status cli_dataset_info_gather(const fimbit_dataset *dataset, size_t top_items,
                                      dataset_info *info, fimbit_error *error)
{
    memset(info, 0, sizeof *info);
    fimbit_dataset_get_stats(dataset, &info->stats);
    uint64_t longest = info->stats.max_basket_size;
    make_length_bins(longest, info);
    /* Every length's count, then summed into the bins: a basket cannot be
     * longer than the distinct items, so the array is as long as an item
     * column. */
    size_t lengths = (size_t)longest + 1;
    uint64_t *histogram = calloc(lengths, sizeof *histogram);
    info->top = calloc(top_items > 0 ? top_items : 1, sizeof *info->top);
    if (histogram == NULL || info->top == NULL) {
        free(histogram);
        return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
    }
    fimbit_status status = fimbit_dataset_length_histogram(dataset, histogram, lengths);
    if (status != FIMBIT_OK) {
        free(histogram);
        return cli_error_set(error, status, "cannot count basket lengths: %s",
                             fimbit_status_str(status));
    }
    size_t bin = 0;
    for (size_t length = 0; length < lengths; length++) {
        while (length > info->bins[bin].longest)
            bin++;
        info->bins[bin].baskets += histogram[length];
    }
    free(histogram);
    if (top_items > 0)
        find_top_items(dataset, top_items, info);
    return FIMBIT_OK;
}

void cli_length_bin_label(const length_bin *bin, char *label, size_t size)
{
    if (bin->shortest == bin->longest)
        snprintf(label, size, "%" PRIu64, bin->shortest);
    else
        snprintf(label, size, "%" PRIu64 "-%" PRIu64, bin->shortest, bin->longest);
}

void cli_dataset_info_release(dataset_info *info)
{
    free(info->top);
    memset(info, 0, sizeof *info);
}

double cli_share(uint64_t part, uint64_t whole)
{
    return whole == 0 ? 0.0 : (double)part / (double)whole;
}
