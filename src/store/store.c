/*
 * The itemset store (see store.h for the layout): per-thread chunk lists
 * filled by the sinks, then one index and one hash table over them.
 */
#include <stdlib.h>
#include <string.h>

#include "read/dataset.h"
#include "base/item_set_hash.h"
#include "base/order.h"
#include "sink.h"
#include "store.h"
#include "base/sort_u32.h"

/* Chunk sizes grow from 4 Ki words to 4 Mi words (16 MiB): small results,
 * and the threads of a large team that store little, stay small; large ones
 * pay one allocation per 16 MiB. */
#define STORE_FIRST_CHUNK_WORDS ((size_t)1 << 12)
#define STORE_LAST_CHUNK_WORDS ((size_t)1 << 22)
#define STORE_EMPTY_SLOT UINT32_MAX
/* Queries up to this size are sorted on the stack; longer ones compare as sets. */
#define STORE_STACK_ITEMS 64u

fimbit_itemsets *store_create(const fimbit_dataset *dataset, const uint32_t *rank_to_item,
                              int threads)
{
    if (threads < 1)
        threads = 1;
    fimbit_itemsets *store = fimbit__calloc(1, sizeof *store);
    if (store == NULL)
        return NULL;
    store->dataset = dataset;
    store->rank_to_item = rank_to_item;
    store->threads = threads;
    store->per_thread = fimbit__calloc((size_t)threads, sizeof *store->per_thread);
    store->natural_to_item = fimbit__malloc_array(dataset->item_count ? dataset->item_count : 1,
                                                  sizeof *store->natural_to_item);
    if (store->per_thread == NULL || store->natural_to_item == NULL) {
        fimbit_itemsets_free(store);
        return NULL;
    }
    for (uint32_t item = 0; item < dataset->item_count; item++)
        store->natural_to_item[dataset->natural_rank[item]] = item;
    for (int t = 0; t < threads; t++)
        store->per_thread[t].next_capacity = STORE_FIRST_CHUNK_WORDS;
    return store;
}

void fimbit_itemsets_free(fimbit_itemsets *itemsets)
{
    if (itemsets == NULL)
        return;
    if (itemsets->per_thread) {
        for (int t = 0; t < itemsets->threads; t++) {
            store_chunk *chunk = itemsets->per_thread[t].head;
            while (chunk) {
                store_chunk *next = chunk->next;
                fimbit__free(chunk);
                chunk = next;
            }
        }
        fimbit__free(itemsets->per_thread);
    }
    fimbit__free(itemsets->natural_to_item);
    fimbit__free((void *)itemsets->index);
    fimbit__free(itemsets->table);
    fimbit__free(itemsets);
}

void store_sort_natural(const fimbit_dataset *dataset, uint32_t *items, uint32_t size)
{
    /* Insertion sort by natural rank: itemsets are short (callers with long
     * arrays sort by other means). */
    const uint32_t *rank = dataset->natural_rank;
    for (uint32_t i = 1; i < size; i++) {
        uint32_t item = items[i];
        uint32_t key = rank[item];
        uint32_t j = i;
        while (j > 0 && rank[items[j - 1]] > key) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = item;
    }
}

static store_chunk *store_new_chunk(store_thread *thread, size_t at_least)
{
    size_t capacity = thread->next_capacity;
    if (capacity < at_least)
        capacity = at_least;
    if (capacity > (SIZE_MAX - sizeof(store_chunk)) / sizeof(uint32_t))
        return NULL;
    store_chunk *chunk = fimbit__malloc(sizeof *chunk + capacity * sizeof(uint32_t));
    if (chunk == NULL)
        return NULL;
    chunk->next = NULL;
    chunk->used = 0;
    chunk->capacity = capacity;
    if (thread->tail)
        thread->tail->next = chunk;
    else
        thread->head = chunk;
    thread->tail = chunk;
    if (thread->next_capacity < STORE_LAST_CHUNK_WORDS)
        thread->next_capacity *= 2;
    return chunk;
}

int store_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    fimbit_itemsets *store = context;
    store_thread *own = &store->per_thread[thread];
    if (own->failed)
        return 1;
    const uint32_t *rank_to_item = store->rank_to_item;
    const uint32_t *natural_rank = store->dataset->natural_rank;
    const uint32_t *natural_to_item = store->natural_to_item;
    const uint32_t *end = records + words;

    /* Each record is copied whole into the tail chunk (a new one when it does
     * not fit); its ranks become natural ranks, get sorted, and become ids. */
    for (const uint32_t *record = records; record < end; record = sink_record_next(record)) {
        uint32_t size = sink_record_size(record);
        size_t record_words = SINK_RECORD_HEADER_WORDS + (size_t)size;
        store_chunk *chunk = own->tail;
        if (chunk == NULL || chunk->capacity - chunk->used < record_words) {
            chunk = store_new_chunk(own, record_words);
            if (chunk == NULL) {
                own->failed = true;
                return 1;
            }
        }
        uint32_t *out = chunk->words + chunk->used;
        out[0] = record[0];
        out[1] = record[1];
        out[2] = record[2];
        const uint32_t *ranks = sink_record_items(record);
        uint32_t *items = out + SINK_RECORD_HEADER_WORDS;
        for (uint32_t i = 0; i < size; i++)
            items[i] = natural_rank[rank_to_item[ranks[i]]];
        sort_u32(items, size);
        for (uint32_t i = 0; i < size; i++)
            items[i] = natural_to_item[items[i]];
        chunk->used += record_words;
        own->records++;
    }
    return 0;
}

/* Fills the table from the index, in parallel: slots are claimed with a
 * compare-and-swap, so concurrent insertions probe past each other. The table
 * must be allocated and big enough. */
static void store_fill_table(fimbit_itemsets *store)
{
    uint32_t *table = store->table;
    uint64_t mask = store->table_mask;
    const uint32_t **index = store->index;
    memset(table, 0xff, (size_t)(mask + 1) * sizeof *table);
    ptrdiff_t count = (ptrdiff_t)store->count;
#pragma omp parallel for schedule(static) num_threads(store->threads) if (count > 100000)
    for (ptrdiff_t i = 0; i < count; i++) {
        const uint32_t *record = index[i];
        uint64_t slot = item_set_hash(store_record_items(record), store_record_size(record)) & mask;
        for (;;) {
            uint32_t expected = STORE_EMPTY_SLOT;
            if (__atomic_compare_exchange_n(&table[slot], &expected, (uint32_t)i, false,
                                            __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                break;
            slot = (slot + 1) & mask;
        }
    }
}

fimbit_status store_finish(fimbit_itemsets *store, fimbit_error *error)
{
    size_t total = 0;
    for (int t = 0; t < store->threads; t++) {
        if (store->per_thread[t].failed)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while storing itemsets");
        total += store->per_thread[t].records;
    }
    if (total >= (size_t)UINT32_MAX - 1)
        return fimbit__fail(error, FIMBIT_ELIMIT,
                            "too many itemsets to index (%zu; the limit is 2^32 - 2)", total);
    const uint32_t **index = fimbit__malloc_array(total ? total : 1, sizeof *index);
    if (index == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while indexing %zu itemsets",
                            total);
    size_t n = 0;
    for (int t = 0; t < store->threads; t++)
        for (const store_chunk *chunk = store->per_thread[t].head; chunk; chunk = chunk->next)
            for (size_t at = 0; at < chunk->used; at += 3 + (size_t)chunk->words[at])
                index[n++] = chunk->words + at;
    store->index = index;
    store->count = n;

    /* The rank translation tables belong to the driver and the filling. */
    store->rank_to_item = NULL;
    fimbit__free(store->natural_to_item);
    store->natural_to_item = NULL;
    store->finished = true;
    return FIMBIT_OK;
}

fimbit_status store_prepare_lookup(const fimbit_itemsets *itemsets, fimbit_error *error)
{
    /* The table is a cache of the (logically constant) store. */
    fimbit_itemsets *store = (fimbit_itemsets *)itemsets;
    if (store->table != NULL)
        return FIMBIT_OK;
    /* A power of two at least 1.5 times the count: at most 2/3 full. */
    uint64_t slots = 16;
    while (slots < (uint64_t)store->count + store->count / 2)
        slots *= 2;
    uint32_t *table = fimbit__malloc_array((size_t)slots, sizeof *table);
    if (table == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM,
                            "out of memory while indexing %zu itemsets for look-ups",
                            store->count);
    store->table = table;
    store->table_mask = slots - 1;
    store_fill_table(store);
    return FIMBIT_OK;
}

/* True when record holds exactly the set items[0 .. size), for a record of the
 * same size; works for any order of items (quadratic, for long queries only). */
static bool record_equals_set(const uint32_t *record_items, const uint32_t *items, uint32_t size)
{
    for (uint32_t i = 0; i < size; i++) {
        bool found = false;
        for (uint32_t j = 0; j < size && !found; j++)
            found = record_items[j] == items[i];
        if (!found)
            return false;
    }
    return true;
}

/* Whether a record's items are `items` in the same order. A loop, not
 * memcmp: the rules' subset look-ups compare a few items, where the call
 * costs more than the comparison. */
static bool record_equals_list(const uint32_t *record_items, const uint32_t *items, uint32_t size)
{
    for (uint32_t i = 0; i < size; i++)
        if (record_items[i] != items[i])
            return false;
    return true;
}

static uint64_t store_probe(const fimbit_itemsets *store, const uint32_t *items, uint32_t size,
                            bool canonical)
{
    if (store->table == NULL)
        return 0;
    uint64_t mask = store->table_mask;
    uint64_t slot = item_set_hash(items, size) & mask;
    for (;;) {
        uint32_t position = store->table[slot];
        if (position == STORE_EMPTY_SLOT)
            return 0;
        const uint32_t *record = store->index[position];
        if (store_record_size(record) == size) {
            bool equal = canonical ? record_equals_list(store_record_items(record), items, size)
                                   : record_equals_set(store_record_items(record), items, size);
            if (equal)
                return store_record_count(record);
        }
        slot = (slot + 1) & mask;
    }
}

uint64_t store_lookup_canonical(const fimbit_itemsets *store, const uint32_t *items,
                                uint32_t size)
{
    return store_probe(store, items, size, true);
}

uint64_t store_lookup(const fimbit_itemsets *store, const uint32_t *items, uint32_t size)
{
    if (size > STORE_STACK_ITEMS)
        return store_probe(store, items, size, false);
    uint32_t sorted[STORE_STACK_ITEMS];
    memcpy(sorted, items, size * sizeof *items);
    store_sort_natural(store->dataset, sorted, size);
    return store_probe(store, sorted, size, true);
}

size_t fimbit_itemsets_count(const fimbit_itemsets *itemsets)
{
    return itemsets ? itemsets->count : 0;
}

fimbit_status fimbit_itemsets_get(const fimbit_itemsets *itemsets, size_t index,
                                  const uint32_t **items, uint32_t *size, uint64_t *count)
{
    if (itemsets == NULL || index >= itemsets->count)
        return FIMBIT_EINVAL;
    const uint32_t *record = itemsets->index[index];
    if (items)
        *items = store_record_items(record);
    if (size)
        *size = store_record_size(record);
    if (count)
        *count = store_record_count(record);
    return FIMBIT_OK;
}

uint64_t fimbit_itemsets_item_total(const fimbit_itemsets *itemsets)
{
    uint64_t total = 0;
    for (size_t i = 0; itemsets && i < itemsets->count; i++)
        total += store_record_size(itemsets->index[i]);
    return total;
}

void fimbit_itemsets_export(const fimbit_itemsets *itemsets, uint32_t *items, uint64_t *offsets,
                            uint64_t *counts)
{
    size_t count = itemsets ? itemsets->count : 0;
    uint64_t at = 0;
    if (offsets)
        offsets[0] = 0;
    for (size_t i = 0; i < count; i++) {
        const uint32_t *record = itemsets->index[i];
        uint32_t size = store_record_size(record);
        if (items)
            memcpy(items + at, store_record_items(record), size * sizeof *items);
        at += size;
        if (offsets)
            offsets[i + 1] = at;
        if (counts)
            counts[i] = store_record_count(record);
    }
}

/* Canonical itemset order: by size, then item by item in natural order (the
 * items inside every record are in natural order already). */
static int compare_records(const uint32_t *a, const uint32_t *b, const uint32_t *natural_rank)
{
    uint32_t size_a = store_record_size(a), size_b = store_record_size(b);
    if (size_a != size_b)
        return size_a < size_b ? -1 : 1;
    const uint32_t *items_a = store_record_items(a), *items_b = store_record_items(b);
    for (uint32_t i = 0; i < size_a; i++) {
        if (items_a[i] != items_b[i]) {
            uint32_t rank_a = natural_rank[items_a[i]], rank_b = natural_rank[items_b[i]];
            return rank_a < rank_b ? -1 : 1;
        }
    }
    return 0;
}

static int compare_records_qsort(const void *a, const void *b, void *context)
{
    return compare_records(*(const uint32_t *const *)a, *(const uint32_t *const *)b, context);
}

static int compare_records_tie(uint64_t a, uint64_t b, const void *context)
{
    return compare_records((const uint32_t *)(uintptr_t)a, (const uint32_t *)(uintptr_t)b,
                           context);
}

void fimbit_itemsets_sort(fimbit_itemsets *itemsets)
{
    if (itemsets == NULL || itemsets->count < 2)
        return;
    const fimbit_dataset *dataset = itemsets->dataset;
    const uint32_t *natural_rank = dataset->natural_rank;
    size_t n = itemsets->count;
    const uint32_t **index = itemsets->index;

    /* Keys hold the size and the leading natural ranks, so most comparisons
     * never touch the records. Without memory for them: an in-place sort of
     * the index with full comparisons. */
    order_entry *entries = fimbit__malloc_array(n, sizeof *entries);
    if (entries == NULL) {
        qsort_r(index, n, sizeof *index, compare_records_qsort, (void *)natural_rank);
    } else {
        unsigned rank_bits = order_bits_for(dataset->item_count);
        ptrdiff_t count = (ptrdiff_t)n;
#pragma omp parallel for schedule(static) num_threads(itemsets->threads) if (count > 100000)
        for (ptrdiff_t i = 0; i < count; i++) {
            const uint32_t *record = index[i];
            uint32_t size = store_record_size(record);
            const uint32_t *items = store_record_items(record);
            order_key key = order_key_start();
            order_key_push_size(&key, size);
            for (uint32_t j = 0; j < size && !key.closed; j++)
                order_key_push(&key, natural_rank[items[j]], rank_bits);
            entries[i] = (order_entry){key.key, (uint64_t)(uintptr_t)record};
        }
        order_sort(entries, n, compare_records_tie, natural_rank, itemsets->threads);
        for (size_t i = 0; i < n; i++)
            index[i] = (const uint32_t *)(uintptr_t)entries[i].value;
        fimbit__free(entries);
    }
    /* The table holds index positions, which just moved. */
    if (itemsets->table)
        store_fill_table(itemsets);
}
