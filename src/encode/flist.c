/* Frequent items, their recoding by frequency, and the recoded baskets. */
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "read/dataset.h"
#include "flist.h"
#include "base/sort_u32.h"

/* @return how many of the basket's items are frequent. With `prefix` they
 * lead the basket (see flist_build), so the count stops at the first other,
 * and a basket whose last item is frequent is frequent whole: one look-up
 * where most baskets of sparse data (BMS1 at 40) would read every item. */
static uint64_t frequent_in_basket(const fimbit_dataset *d, const uint32_t *item_to_rank,
                                   uint64_t basket, bool prefix)
{
    uint64_t begin = d->basket_offsets[basket], end = d->basket_offsets[basket + 1];
    if (prefix && begin < end && item_to_rank[dataset_item(d, end - 1)] != FLIST_NOT_FREQUENT)
        return end - begin;
    uint64_t n = 0;
    for (uint64_t i = begin; i < end; i++) {
        bool frequent = item_to_rank[dataset_item(d, i)] != FLIST_NOT_FREQUENT;
        if (!frequent && prefix)
            break;
        n += frequent;
    }
    return n;
}

fimbit_status flist_rank_items(const fimbit_dataset *d, uint64_t min_count,
                               const uint8_t *dropped, flist *out, fimbit_error *error)
{
    memset(out, 0, sizeof *out);
    supported_item *order = fimbit__malloc_array(d->item_count, sizeof *order);
    if (!order)
        goto out_of_memory;
    uint32_t frequent = 0;
    for (uint32_t item = 0; item < d->item_count; item++)
        if (d->item_support[item] >= min_count && (dropped == NULL || !dropped[item]))
            order[frequent++] = (supported_item){d->item_support[item], item};
    qsort(order, frequent, sizeof *order, supported_item_compare);
    out->frequent_count = frequent;
    out->rank_to_item = fimbit__malloc_array(frequent, sizeof *out->rank_to_item);
    out->rank_support = fimbit__malloc_array(frequent, sizeof *out->rank_support);
    if (!out->rank_to_item || !out->rank_support)
        goto out_of_memory;
    for (uint32_t rank = 0; rank < frequent; rank++) {
        out->rank_to_item[rank] = order[rank].item;
        out->rank_support[rank] = order[rank].support;
    }
    fimbit__free(order);
    return FIMBIT_OK;

out_of_memory:
    fimbit__free(order);
    flist_free(out);
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while ranking the items");
}

uint32_t *flist_item_to_rank(const fimbit_dataset *d, const flist *f)
{
    uint32_t *item_to_rank = fimbit__malloc_array(d->item_count, sizeof *item_to_rank);
    if (!item_to_rank)
        return NULL;
    for (uint32_t item = 0; item < d->item_count; item++)
        item_to_rank[item] = FLIST_NOT_FREQUENT;
    for (uint32_t rank = 0; rank < f->frequent_count; rank++)
        item_to_rank[f->rank_to_item[rank]] = rank;
    return item_to_rank;
}

static uint64_t forced_block_items; /* 0: none (flist__set_recode_block_items) */

void flist__set_recode_block_items(uint64_t items) { forced_block_items = items; }

uint64_t flist_recode_block_items(const fimbit_dataset *d)
{
    if (forced_block_items != 0)
        return forced_block_items;
    /* Each block ends in a barrier of every thread, which on a busy machine
     * costs a time slice (T10I4D5M, -T 2: 1,500 blocks, 0.1 -> 1.2 s): a
     * dataset that gives nothing back is one block, and one mined once at
     * most FLIST_RECODE_MAX_BLOCKS. */
    uint64_t total = d->basket_offsets[d->basket_count];
    if (!d->mine_once)
        return total + 1;
    uint64_t bounded = total / FLIST_RECODE_MAX_BLOCKS + 1;
    return bounded > FLIST_RECODE_BLOCK_ITEMS ? bounded : FLIST_RECODE_BLOCK_ITEMS;
}

/* @return the end of the block of baskets from `begin`: the first basket
 * at which `items` basket items have passed, or the last basket's end. */
static uint64_t recode_block_end(const fimbit_dataset *d, uint64_t begin, uint64_t items)
{
    uint64_t limit = d->basket_offsets[begin] + items;
    uint64_t low = begin + 1, high = d->basket_count;
    while (low < high) {
        uint64_t middle = low + (high - low) / 2;
        if (d->basket_offsets[middle] < limit)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/* Writes basket b's frequent items as ranks, ascending, to `slot`. */
static void recode_basket(const fimbit_dataset *d, const uint32_t *item_to_rank, uint64_t b,
                          bool prefix, uint32_t *slot)
{
    uint64_t n = 0;
    for (uint64_t i = d->basket_offsets[b]; i < d->basket_offsets[b + 1]; i++) {
        uint32_t rank = item_to_rank[dataset_item(d, i)];
        if (rank != FLIST_NOT_FREQUENT)
            slot[n++] = rank;
        else if (prefix)
            break;
    }
    if (!d->baskets_ordered)
        sort_u32(slot, n);
}

fimbit_status flist_build(const fimbit_dataset *d, uint64_t min_count, const uint8_t *dropped,
                          int threads, flist *out, fimbit_error *error)
{
    fimbit_status status = flist_rank_items(d, min_count, dropped, out, error);
    if (status != FIMBIT_OK)
        return status;
    uint32_t *item_to_rank = flist_item_to_rank(d, out);
    uint64_t *lengths = fimbit__malloc_array(d->basket_count + 1, sizeof *lengths);
    if (!item_to_rank || !lengths)
        goto out_of_memory;

    /* Pass 1: frequent items per basket; pass 2 (after a prefix sum over the
     * baskets that keep any) writes them. Both parallel over baskets. Baskets
     * in F-list order (baskets_ordered) are already in rank order, the
     * F-list's being the same order, and with no item dropped their frequent
     * items are a prefix: neither pass then reads past it, nor sorts. */
    bool prefix = d->baskets_ordered && dropped == NULL;
    int64_t baskets = (int64_t)d->basket_count;
    #pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t b = 0; b < baskets; b++)
        lengths[b] = frequent_in_basket(d, item_to_rank, (uint64_t)b, prefix);

    uint64_t tx_count = 0, total = 0;
    for (int64_t b = 0; b < baskets; b++)
        if (lengths[b]) {
            tx_count++;
            total += lengths[b];
        }
    out->tx_count = tx_count;
    if (!fimbit__grow_mapped_array_to((void **)&out->tx_offsets, &out->tx_offsets_room,
                                      tx_count + 1, sizeof *out->tx_offsets) ||
        !fimbit__grow_mapped_array_to((void **)&out->tx_items, &out->tx_items_room,
                                      total ? total : 1, sizeof *out->tx_items))
        goto out_of_memory;
    /* lengths[b] becomes the start of basket b's slot; kept baskets stay in
     * input order so the recoding is deterministic. */
    uint64_t tx = 0, position = 0;
    for (int64_t b = 0; b < baskets; b++) {
        uint64_t length = lengths[b];
        if (length) {
            out->tx_offsets[tx++] = position;
            lengths[b] = position;
            position += length;
        } else {
            lengths[b] = UINT64_MAX;
        }
    }
    out->tx_offsets[tx_count] = total;

    /* Block by block, so that a dataset mined once gives back the pages of
     * each block once every thread is past it (dataset_discard_baskets_before):
     * mushroom's 0.4 MB of baskets are not all resident beside the recoding. */
    uint64_t block_items = flist_recode_block_items(d);
    #pragma omp parallel num_threads(threads)
    for (uint64_t begin = 0; begin < (uint64_t)baskets;) {
        uint64_t end = recode_block_end(d, begin, block_items);
        #pragma omp for schedule(static)
        for (int64_t b = (int64_t)begin; b < (int64_t)end; b++)
            if (lengths[b] != UINT64_MAX)
                recode_basket(d, item_to_rank, (uint64_t)b, prefix, out->tx_items + lengths[b]);
        /* The next block reads from basket `end` on, not the pages before. */
        #pragma omp single nowait
        dataset_discard_baskets_before(d, end);
        begin = end;
    }

    fimbit__free(item_to_rank);
    /* As big as the dataset's offsets, and nothing the kernel allocates
     * would reuse its pages. */
    fimbit__free_discarding(lengths);
    return FIMBIT_OK;

out_of_memory:
    fimbit__free(item_to_rank);
    fimbit__free(lengths);
    flist_free(out);
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while recoding the baskets");
}

void flist_release_baskets(flist *f)
{
    fimbit__free_mapped_array(f->tx_offsets, f->tx_offsets_room, sizeof *f->tx_offsets);
    fimbit__free_mapped_array(f->tx_items, f->tx_items_room, sizeof *f->tx_items);
    f->tx_offsets = NULL;
    f->tx_items = NULL;
    f->tx_offsets_room = f->tx_items_room = 0;
}

void flist_free(flist *f)
{
    fimbit__free(f->rank_to_item);
    fimbit__free(f->rank_support);
    flist_release_baskets(f);
    memset(f, 0, sizeof *f);
}

static void flist_release_horizontal(void *f) { flist_release_baskets(f); }

void flist_kernel_data(flist *f, kernel_data *data)
{
    memset(data, 0, sizeof *data);
    data->item_count = f->frequent_count;
    data->item_support = f->rank_support;
    data->tx_count = f->tx_count;
    data->tx_offsets = f->tx_offsets;
    data->tx_items = f->tx_items;
    data->release_horizontal = flist_release_horizontal;
    data->horizontal_owner = f;
}
