/* Counting every pair of frequent items in one pass over the baskets. */
#include <stdbool.h>
#include <string.h>

#include <omp.h>

#include "read/dataset.h"
#include "pairs.h"

/* Where the baskets come from: the dataset through item_to_rank, or (when
 * `recoded` is set) recoded baskets, whose ranks are read in place. */
typedef struct pair_source {
    const fimbit_dataset *dataset;
    const uint32_t *item_to_rank;
    const kernel_data *recoded;
    uint32_t item_count;
    uint64_t baskets, longest;
} pair_source;

/* Adds basket b's pairs to `counts`. ranks has room for the longest basket. */
static void count_basket_pairs(const pair_source *source, uint64_t b, uint32_t *ranks,
                               uint32_t *counts)
{
    const uint32_t *basket = ranks;
    uint32_t n;
    if (source->recoded) {
        const kernel_data *data = source->recoded;
        basket = data->tx_items + data->tx_offsets[b];
        n = (uint32_t)(data->tx_offsets[b + 1] - data->tx_offsets[b]);
    } else {
        n = dataset_basket_ranks(source->dataset, source->item_to_rank, source->item_count, b,
                                 ranks);
    }
    /* n(n-1)/2 increments, each in the row of the later item: the rows of a
     * sparse basket's items are far apart, so this loop is bounded by cache
     * misses on the triangle (a few MB for a thousand items). */
    for (uint32_t y = 1; y < n; y++) {
        uint32_t *row = counts + pair_cells(basket[y]);
        for (uint32_t x = 0; x < y; x++)
            row[basket[x]]++;
    }
}

static fimbit_status count_pairs(const pair_source *source, int threads, pair_table *out)
{
    memset(out, 0, sizeof *out);
    uint32_t item_count = source->item_count;
    size_t cells = pair_cells(item_count);
    uint32_t **partial = fimbit__calloc((size_t)threads, sizeof *partial);
    if (!partial)
        return FIMBIT_ENOMEM;
    uint64_t longest = source->longest;
    int64_t baskets = (int64_t)source->baskets;
    bool failed = false;
    int team = 1;
    #pragma omp parallel num_threads(threads)
    {
        int t = omp_get_thread_num();
        uint32_t *ranks = fimbit__malloc_array(longest + 1, sizeof *ranks);
        partial[t] = fimbit__calloc(cells + 1, sizeof(uint32_t));
        if (!ranks || !partial[t]) {
            #pragma omp atomic write
            failed = true;
        }
        #pragma omp single
        team = omp_get_num_threads();
        /* The single's barrier: every thread knows `failed` from here on. */
        bool any_failed;
        #pragma omp atomic read
        any_failed = failed;
        if (!any_failed) {
            #pragma omp for schedule(dynamic, 4096)
            for (int64_t b = 0; b < baskets; b++)
                count_basket_pairs(source, (uint64_t)b, ranks, partial[t]);
            #pragma omp for schedule(static)
            for (size_t c = 0; c < cells; c++)
                for (int u = 1; u < team; u++)
                    partial[0][c] += partial[u][c];
        }
        fimbit__free(ranks);
    }
    for (int u = 1; u < threads; u++)
        fimbit__free(partial[u]);
    if (failed) {
        fimbit__free(partial[0]);
        fimbit__free(partial);
        return FIMBIT_ENOMEM;
    }
    out->item_count = item_count;
    out->counts = partial[0];
    fimbit__free(partial);
    return FIMBIT_OK;
}

fimbit_status pair_table_count(const fimbit_dataset *d, const uint32_t *item_to_rank,
                               uint32_t item_count, int threads, pair_table *out)
{
    pair_source source = {.dataset = d,
                          .item_to_rank = item_to_rank,
                          .item_count = item_count,
                          .baskets = d->basket_count,
                          .longest = d->stats.max_basket_size};
    return count_pairs(&source, threads, out);
}

fimbit_status pair_table_count_recoded(const kernel_data *data, int threads, pair_table *out)
{
    /* The ranks are read in place: the buffer of ranks is not used. */
    pair_source source = {
        .recoded = data, .item_count = data->item_count, .baskets = data->tx_count};
    return count_pairs(&source, threads, out);
}

void pair_table_free(pair_table *table)
{
    fimbit__free(table->counts);
    memset(table, 0, sizeof *table);
}
