/*
 * A rank mines what the exchange brought it with the single-process driver
 * and kernels, unchanged: the received baskets become a dataset whose items
 * are the global ranks, with the supports they have in it. Every itemset
 * whose least frequent item (largest global rank) this rank owns has all its
 * baskets here — each basket holding that item was sent, cut no earlier than
 * the item — so its count is exact, and (with whole baskets) so is the count
 * of each of its supersets, which is what closedness and maximality are
 * judged by. The kernel also finds itemsets of other ranks' items, with
 * partial counts; they are dropped as they are reported.
 */
#include <string.h>

#include <omp.h>

#include "dataset.h"
#include "dist.h"

typedef struct group_output {
    const int *owner;
    int rank;
    uint32_t *records;
    size_t words, capacity;
    uint64_t mined, kept;
    bool out_of_memory;
} group_output;

/* A fimbit_itemset_fn (calls come one at a time): keeps the itemsets this
 * rank owns, as sink records. */
static int keep_owned(void *user, const uint32_t *items, uint32_t size, uint64_t count)
{
    group_output *out = user;
    out->mined++;
    uint32_t last = 0;
    for (uint32_t i = 0; i < size; i++)
        last = items[i] > last ? items[i] : last;
    if (size == 0 || out->owner[last] != out->rank)
        return 0;
    size_t need = out->words + 3 + size;
    if (need > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 4096;
        while (capacity < need)
            capacity *= 2;
        uint32_t *bigger = fimbit__realloc_array(out->records, capacity, sizeof *bigger);
        if (bigger == NULL) {
            out->out_of_memory = true;
            return 1;
        }
        out->records = bigger;
        out->capacity = capacity;
    }
    uint32_t *record = out->records + out->words;
    record[0] = size;
    record[1] = (uint32_t)count;
    record[2] = (uint32_t)(count >> 32);
    memcpy(record + 3, items, size * sizeof *items);
    out->words = need;
    out->kept++;
    return 0;
}

fimbit_status dist_mine_group(const dist_job *job, const dist_plan *plan,
                              const dist_baskets *baskets, const fimbit_mine_options *options,
                              uint32_t **records, size_t *words, fimbit_error *error)
{
    *records = NULL;
    *words = 0;
    double start = omp_get_wtime();
    uint32_t F = plan->frequent.frequent_count;
    uint64_t *supports = fimbit__calloc((size_t)F + 1, sizeof *supports);
    if (supports == NULL)
        return dist_agree(job, fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while mining"),
                          error);
    uint64_t items = baskets->offsets ? baskets->offsets[baskets->count] : 0;
    for (uint64_t i = 0; i < items; i++)
        supports[baskets->items[i]]++;

    fimbit_dataset view = {.basket_count = baskets->count,
                           .basket_offsets = baskets->offsets,
                           .basket_items = baskets->items,
                           .item_count = F,
                           .item_support = supports};
    fimbit_mine_options o = *options;
    o.min_count = plan->min_count;
    o.threads = job->threads;
    group_output out = {.owner = plan->owner, .rank = job->rank};
    fimbit_status status = FIMBIT_OK;
    if (baskets->count > 0)
        status = fimbit_mine_itemsets_stream(&view, &o, keep_owned, &out, error);
    if (out.out_of_memory)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory keeping the itemsets");
    fimbit__free(supports);
    job->stats->itemsets_mined = out.mined;
    job->stats->itemsets_kept = out.kept;
    job->stats->mine_seconds = omp_get_wtime() - start;
    status = dist_agree(job, status, error);
    if (status != FIMBIT_OK) {
        fimbit__free(out.records);
        return status;
    }
    *records = out.records;
    *words = out.words;
    return FIMBIT_OK;
}
