/* A hand-built dataset for the store, rules and output tests; see hand_dataset.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hand_dataset.h"
#include "read/dataset.h"
#include "store/sink.h"
#include "store/store.h"


static bool all_numeric(const char *const *names, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (names[i][0] == '\0')
            return false;
        for (const char *c = names[i]; *c; c++)
            if (*c < '0' || *c > '9')
                return false;
    }
    return true;
}

static const char *const *sort_names;
static bool sort_numeric;

static int compare_natural(const void *a, const void *b)
{
    const char *x = sort_names[*(const uint32_t *)a], *y = sort_names[*(const uint32_t *)b];
    if (sort_numeric) {
        size_t lx = strlen(x), ly = strlen(y);
        if (lx != ly)
            return lx < ly ? -1 : 1;
    }
    return strcmp(x, y);
}

fimbit_dataset *hand_dataset_make(const char *const *names, uint32_t item_count,
                                    const char *const *baskets, uint64_t basket_count)
{
    fimbit_dataset *d = calloc(1, sizeof *d);
    d->basket_count = basket_count;
    d->item_count = item_count;
    d->item_support = calloc(item_count + 1, sizeof *d->item_support);
    d->name_offsets = calloc(item_count + 1, sizeof *d->name_offsets);
    size_t bytes = 0;
    for (uint32_t i = 0; i < item_count; i++)
        bytes += strlen(names[i]) + 1;
    d->name_bytes = malloc(bytes + 1);
    bytes = 0;
    for (uint32_t i = 0; i < item_count; i++) {
        d->name_offsets[i] = bytes;
        memcpy(d->name_bytes + bytes, names[i], strlen(names[i]) + 1);
        bytes += strlen(names[i]) + 1;
    }
    d->basket_offsets = calloc(basket_count + 1, sizeof *d->basket_offsets);
    size_t total = 0;
    for (uint64_t b = 0; b < basket_count; b++)
        total += strlen(baskets[b]);
    d->basket_items.wide = calloc(total + 1, sizeof *d->basket_items.wide);
    total = 0;
    for (uint64_t b = 0; b < basket_count; b++) {
        for (const char *c = baskets[b]; *c; c++) {
            uint32_t item = (uint32_t)(*c - 'a');
            d->basket_items.wide[total++] = item;
            d->item_support[item]++;
        }
        d->basket_offsets[b + 1] = total;
    }
    d->numeric_names = all_numeric(names, item_count);
    uint32_t *order = calloc(item_count + 1, sizeof *order);
    for (uint32_t i = 0; i < item_count; i++)
        order[i] = i;
    sort_names = names;
    sort_numeric = d->numeric_names;
    qsort(order, item_count, sizeof *order, compare_natural);
    d->natural_rank = calloc(item_count + 1, sizeof *d->natural_rank);
    for (uint32_t r = 0; r < item_count; r++)
        d->natural_rank[order[r]] = r;
    free(order);
    return d;
}

void hand_dataset_free(fimbit_dataset *d)
{
    free(d->item_support);
    free(d->name_offsets);
    free(d->name_bytes);
    free(d->basket_offsets);
    free(d->basket_items.wide);
    free(d->natural_rank);
    free(d);
}

/* The number of baskets holding every item of `mask`. */
uint64_t hand_mask_count(const fimbit_dataset *d, uint32_t mask)
{
    uint64_t count = 0;
    for (uint64_t b = 0; b < d->basket_count; b++) {
        uint32_t basket = 0;
        for (uint64_t i = d->basket_offsets[b]; i < d->basket_offsets[b + 1]; i++)
            basket |= 1u << dataset_item(d, i);
        count += (basket & mask) == mask;
    }
    return count;
}

/* Fills a store the way the driver does: every frequent itemset as a sink
 * record of ranks (rank r is item rank_to_item[r]), dealt round-robin to
 * `threads` threads, flushed a few records at a time. */
fimbit_itemsets *hand_store_fill(const fimbit_dataset *d, uint64_t min_count, int threads,
                                   const uint32_t *rank_to_item, size_t *frequent)
{
    fimbit_itemsets *store = store_create(d, rank_to_item, threads);
    if (store == NULL)
        return NULL;
    uint32_t buffer[8][256];
    size_t used[8] = {0};
    size_t found = 0;
    for (uint32_t mask = 1; mask < (1u << d->item_count); mask++) {
        uint64_t count = hand_mask_count(d, mask);
        if (count < min_count)
            continue;
        int t = (int)(found++ % (size_t)threads);
        uint32_t *record = buffer[t] + used[t];
        uint32_t size = 0;
        for (uint32_t r = 0; r < d->item_count; r++)
            if (mask & (1u << rank_to_item[r]))
                record[3 + size++] = r;
        record[0] = size;
        record[1] = (uint32_t)count;
        record[2] = (uint32_t)(count >> 32);
        used[t] += 3 + size;
        if (used[t] > 200) {
            store_flush(store, t, buffer[t], used[t]);
            used[t] = 0;
        }
    }
    for (int t = 0; t < threads; t++)
        if (used[t])
            store_flush(store, t, buffer[t], used[t]);
    if (frequent)
        *frequent = found;
    return store;
}
