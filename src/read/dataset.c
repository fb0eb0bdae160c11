/*
 * The dataset: what is derived once the last basket is in (name index,
 * natural order, stats, every basket's items in F-list order) and the public
 * accessors.
 * The builder that fills it is builder.c.
 */
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "dataset.h"
#include "dict.h"
#include "base/sort_u32.h"

typedef struct numeric_key {
    uint64_t value;
    uint32_t id;
} numeric_key;

typedef struct text_key {
    const char *name;
    uint32_t id;
} text_key;

static int compare_numeric_keys(const void *a, const void *b)
{
    uint64_t x = ((const numeric_key *)a)->value, y = ((const numeric_key *)b)->value;
    return (x > y) - (x < y);
}

static int compare_text_keys(const void *a, const void *b)
{
    return strcmp(((const text_key *)a)->name, ((const text_key *)b)->name);
}

/* natural_rank: numeric order when every name is a canonical decimal integer
 * (then distinct names are distinct numbers), else strcmp's bytewise order. */
static fimbit_status dataset_compute_natural_order(fimbit_dataset *d)
{
    uint32_t n = d->item_count;
    d->natural_rank = fimbit__malloc_array(n, sizeof *d->natural_rank);
    if (d->natural_rank == NULL)
        return FIMBIT_ENOMEM;

    numeric_key *numbers = fimbit__malloc_array(n, sizeof *numbers);
    if (numbers == NULL)
        return FIMBIT_ENOMEM;
    bool numeric = true;
    for (uint32_t id = 0; id < n && numeric; id++) {
        const char *name = dataset_item_name(d, id);
        numbers[id].id = id;
        numeric = decimal_parse_canonical(name, strlen(name), &numbers[id].value);
    }
    d->numeric_names = numeric;
    if (numeric) {
        qsort(numbers, n, sizeof *numbers, compare_numeric_keys);
        for (uint32_t rank = 0; rank < n; rank++)
            d->natural_rank[numbers[rank].id] = rank;
        fimbit__free(numbers);
        return FIMBIT_OK;
    }
    fimbit__free(numbers);

    text_key *texts = fimbit__malloc_array(n, sizeof *texts);
    if (texts == NULL)
        return FIMBIT_ENOMEM;
    for (uint32_t id = 0; id < n; id++) {
        texts[id].name = dataset_item_name(d, id);
        texts[id].id = id;
    }
    qsort(texts, n, sizeof *texts, compare_text_keys);
    for (uint32_t rank = 0; rank < n; rank++)
        d->natural_rank[texts[rank].id] = rank;
    fimbit__free(texts);
    return FIMBIT_OK;
}

int supported_item_compare(const void *a, const void *b)
{
    const supported_item *x = a, *y = b;
    if (x->support != y->support)
        return x->support > y->support ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

/* From BASKET_PLACE_MIN to BASKET_PLACE_MAX ranks, basket_place_ranks()
 * sorts a basket; an insertion sort of fewer costs fewer instructions. */
#define BASKET_PLACE_MIN 5
#define BASKET_PLACE_MAX 16

/* Four ranks compared at once (GCC and Clang vector extensions: SSE2 on
 * x86-64). */
typedef uint32_t rank_lanes __attribute__((vector_size(16)));

/* Sorts distinct ranks[0 .. size), size <= 4 * vectors <= BASKET_PLACE_MAX,
 * by putting each where the count of ranks below it says: comparisons
 * four at a time, none branched on, where an insertion sort of shuffled
 * ranks mispredicts about once a rank (T10I4D100K, 10 items a basket: 1.27
 * -> 0.71 M of the run's 21.6 M mispredictions under callgrind's model). The
 * ranks are padded with UINT32_MAX, above every rank (ranks < item count),
 * which counts below none. */
static inline void basket_place_ranks_within(uint32_t *ranks, size_t size, size_t vectors)
{
    rank_lanes lanes[BASKET_PLACE_MAX / 4];
    uint32_t placed[BASKET_PLACE_MAX];
    for (size_t v = 0; v < vectors; v++)
        lanes[v] = (rank_lanes){UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX};
    for (size_t k = 0; k < size; k++)
        lanes[k / 4][k % 4] = ranks[k];
    for (size_t k = 0; k < size; k++) {
        rank_lanes below = {0, 0, 0, 0}, rank = {0, 0, 0, 0};
        rank += ranks[k];
        for (size_t v = 0; v < vectors; v++)
            below -= (rank_lanes)(lanes[v] < rank); /* all ones in each lane below */
        placed[below[0] + below[1] + below[2] + below[3]] = ranks[k];
    }
    memcpy(ranks, placed, size * sizeof *ranks);
}

/* basket_place_ranks_within() the fewest vectors that hold the basket, as a
 * constant the compiler can unroll. */
static void basket_place_ranks(uint32_t *ranks, size_t size)
{
    if (size <= 8)
        basket_place_ranks_within(ranks, size, 2);
    else
        basket_place_ranks_within(ranks, size, BASKET_PLACE_MAX / 4);
}

/* Sorts the ranks of one basket, ranks[0 .. size), ascending; they are
 * distinct (the builder keeps an item once a basket). With few ranks in all
 * (a bitmap of `words` words, at most the basket's length: dense data such
 * as mushroom or chess) they are set as bits and read back in order, linear
 * in the basket where an insertion sort of its 23 shuffled items moves about
 * 130 of them; `bits` (words of zeros; none when words is 0) is zero again
 * on return. */
static void basket_sort_ranks(uint32_t *ranks, size_t size, uint64_t *bits, size_t words)
{
    if ((words == 0 || words > size) && size >= BASKET_PLACE_MIN && size <= BASKET_PLACE_MAX) {
        basket_place_ranks(ranks, size);
        return;
    }
    if (words == 0 || words > size) {
        sort_u32(ranks, size);
        return;
    }
    for (size_t k = 0; k < size; k++)
        bits[ranks[k] >> 6] |= (uint64_t)1 << (ranks[k] & 63u);
    size_t k = 0;
    for (size_t w = 0; w < words; w++) {
        for (uint64_t word = bits[w]; word; word &= word - 1)
            ranks[k++] = (uint32_t)(w * 64u + (uint32_t)__builtin_ctzll(word));
        bits[w] = 0;
    }
}

/* Puts every basket's items in F-list order (support descending, then id).
 * The order inside a basket is free, and this one makes each basket's
 * frequent items a prefix, already ranked, at any threshold: the projection
 * (projection.c) then reads only that prefix and sorts nothing. */
static fimbit_status dataset_order_baskets(fimbit_dataset *d, int requested)
{
    uint32_t n = d->item_count;
    int threads = fimbit__thread_count_for_work(requested, d->stats.total_items);
    size_t longest = (size_t)d->stats.max_basket_size;
    size_t words = ((size_t)n + 63u) / 64u;
    /* A thread's bitmap only when some basket can use it. */
    size_t bitmap_words = words <= longest ? words : 0;
    supported_item *order = fimbit__malloc_array(n, sizeof *order);
    uint32_t *rank_of = fimbit__malloc_array(n, sizeof *rank_of);
    uint32_t *scratch = fimbit__malloc_array((size_t)threads * longest + 1, sizeof *scratch);
    uint64_t *bitmaps = fimbit__calloc((size_t)threads * bitmap_words + 1, sizeof *bitmaps);
    if (!order || !rank_of || !scratch || !bitmaps) {
        fimbit__free(order);
        fimbit__free(rank_of);
        fimbit__free(scratch);
        fimbit__free(bitmaps);
        return FIMBIT_ENOMEM;
    }
    for (uint32_t item = 0; item < n; item++)
        order[item] = (supported_item){d->item_support[item], item};
    qsort(order, n, sizeof *order, supported_item_compare);
    for (uint32_t rank = 0; rank < n; rank++)
        rank_of[order[rank].item] = rank;
    int64_t baskets = (int64_t)d->basket_count;
    /* A thread finds its scratch once: asked a basket, omp_get_thread_num()
     * was 8% of this loop on BMS1, whose baskets hold 2.5 items. */
    #pragma omp parallel num_threads(threads)
    {
        int thread = omp_get_thread_num();
        uint32_t *ranks = scratch + (size_t)thread * longest;
        uint64_t *bits = bitmaps + (size_t)thread * bitmap_words;
        #pragma omp for schedule(dynamic, 4096)
        for (int64_t b = 0; b < baskets; b++) {
            uint64_t begin = d->basket_offsets[b];
            size_t size = (size_t)(d->basket_offsets[b + 1] - begin);
            if (size < 2)
                continue; /* in order already: a quarter of BMS1's baskets */
            for (size_t k = 0; k < size; k++)
                ranks[k] = rank_of[dataset_item(d, begin + k)];
            basket_sort_ranks(ranks, size, bits, bitmap_words);
            for (size_t k = 0; k < size; k++)
                item_array_set(&d->basket_items, begin + k, order[ranks[k]].item);
        }
    }
    fimbit__free(order);
    fimbit__free(rank_of);
    fimbit__free(scratch);
    fimbit__free(bitmaps);
    d->baskets_ordered = true;
    return FIMBIT_OK;
}
fimbit_status dataset_derive(fimbit_dataset *d, size_t name_bytes_used, int threads)
{
    fimbit_status status = dict_index_build(d->name_bytes, d->name_offsets, d->item_count,
                                             name_bytes_used, &d->name_index,
                                             &d->name_index_size);
    if (status == FIMBIT_OK)
        status = dataset_compute_natural_order(d);
    if (status != FIMBIT_OK)
        return status;

    fimbit_dataset_stats *s = &d->stats;
    s->baskets = d->basket_count;
    s->items = d->item_count;
    s->total_items = d->basket_offsets[d->basket_count];
    for (uint64_t basket = 0; basket < d->basket_count; basket++) {
        uint64_t size = d->basket_offsets[basket + 1] - d->basket_offsets[basket];
        if (size == 0)
            s->empty_baskets++;
        if (size > s->max_basket_size)
            s->max_basket_size = size;
    }
    s->avg_basket_size = s->baskets ? (double)s->total_items / (double)s->baskets : 0.0;
    s->density = s->items ? s->avg_basket_size / (double)s->items : 0.0;
    return dataset_order_baskets(d, threads);
}

void fimbit_dataset_free(fimbit_dataset *dataset)
{
    if (dataset == NULL)
        return;
    fimbit__free(dataset->basket_offsets);
    item_array_free(&dataset->basket_items);
    fimbit__free(dataset->item_support);
    fimbit__free(dataset->name_bytes);
    fimbit__free(dataset->name_offsets);
    fimbit__free(dataset->natural_rank);
    fimbit__free(dataset->name_index);
    fimbit__free(dataset->key_bytes);
    fimbit__free(dataset->key_offsets);
    fimbit__free(dataset);
}

void fimbit_dataset_mine_once(fimbit_dataset *dataset)
{
    if (dataset != NULL)
        dataset->mine_once = true;
}

void dataset_release_baskets(const fimbit_dataset *dataset)
{
    if (!dataset->mine_once || dataset->without_baskets)
        return;
    /* The caller gave this dataset up to the mining call that runs now. */
    fimbit_dataset *d = (fimbit_dataset *)dataset;
    /* The kernel's arenas and trees do not fit in the freed blocks: their
     * pages go back to the system (mushroom 406: 0.3 MB of peak RSS). */
    fimbit__free_discarding(d->basket_items.narrow);
    fimbit__free_discarding(d->basket_items.wide);
    d->basket_items = (item_array){0};
    uint64_t *one = fimbit__malloc_array(1, sizeof *one);
    if (one != NULL) {
        fimbit__free_discarding(d->basket_offsets);
        d->basket_offsets = one;
    }
    d->basket_offsets[0] = 0;
    d->without_baskets = true;
    d->baskets_released = true;
}

void dataset_discard_baskets_before(const fimbit_dataset *dataset, uint64_t basket)
{
    if (!dataset->mine_once || dataset->without_baskets)
        return;
    const item_array *items = &dataset->basket_items;
    void *ids = items->narrow ? (void *)items->narrow : (void *)items->wide;
    fimbit__discard_block_prefix(ids, dataset->basket_offsets[basket] * item_array_width(items));
    fimbit__discard_block_prefix(dataset->basket_offsets, basket * sizeof *dataset->basket_offsets);
}

const char *fimbit_dataset_basket_key(const fimbit_dataset *dataset, uint64_t basket)
{
    if (dataset == NULL || dataset->key_offsets == NULL || basket >= dataset->basket_count)
        return NULL;
    return dataset->key_bytes + dataset->key_offsets[basket];
}

uint64_t fimbit_dataset_basket_count(const fimbit_dataset *dataset)
{
    return dataset ? dataset->basket_count : 0;
}

uint32_t fimbit_dataset_item_count(const fimbit_dataset *dataset)
{
    return dataset ? dataset->item_count : 0;
}

const char *fimbit_dataset_item_name(const fimbit_dataset *dataset, uint32_t item)
{
    if (dataset == NULL || item >= dataset->item_count)
        return NULL;
    return dataset_item_name(dataset, item);
}

uint64_t fimbit_dataset_item_support(const fimbit_dataset *dataset, uint32_t item)
{
    if (dataset == NULL || item >= dataset->item_count)
        return 0;
    return dataset->item_support[item];
}

fimbit_status fimbit_dataset_find_item(const fimbit_dataset *dataset, const char *name,
                                       uint32_t *item)
{
    if (dataset == NULL || name == NULL || item == NULL)
        return FIMBIT_EINVAL;
    uint32_t id = dict_probe(dataset->name_index, dataset->name_index_size, dataset->name_bytes,
                             dataset->name_offsets, name, strlen(name));
    if (id == DICT_EMPTY)
        return FIMBIT_EINVAL;
    *item = id;
    return FIMBIT_OK;
}

void fimbit_dataset_get_stats(const fimbit_dataset *dataset, fimbit_dataset_stats *stats)
{
    if (stats == NULL)
        return;
    if (dataset == NULL) {
        memset(stats, 0, sizeof *stats);
        return;
    }
    *stats = dataset->stats;
}

fimbit_status fimbit_dataset_length_histogram(const fimbit_dataset *dataset, uint64_t *histogram,
                                              size_t bins)
{
    if (dataset == NULL || histogram == NULL || bins == 0 || dataset->without_baskets)
        return FIMBIT_EINVAL;
    memset(histogram, 0, bins * sizeof *histogram);
    for (uint64_t basket = 0; basket < dataset->basket_count; basket++) {
        uint64_t size = dataset->basket_offsets[basket + 1] - dataset->basket_offsets[basket];
        histogram[size < bins - 1 ? size : bins - 1]++;
    }
    return FIMBIT_OK;
}
