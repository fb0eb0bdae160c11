/*
 * The dataset builder the readers fill (see builder.h): baskets appended in
 * CSR form with their items interned, then handed over to a fimbit_dataset;
 * and building from in-memory baskets (fimbit_dataset_from_baskets).
 */
#include <stdlib.h>
#include <string.h>

#include "builder.h"

fimbit_status dataset_builder_init(dataset_builder *b)
{
    memset(b, 0, sizeof *b);
    dict_init(&b->names);
    u64_map_init(&b->numeric_ids);
    b->offsets = fimbit__malloc_array(1024, sizeof *b->offsets);
    if (b->offsets == NULL)
        return FIMBIT_ENOMEM;
    b->offsets_capacity = 1024;
    b->offsets[0] = 0;
    return FIMBIT_OK;
}

void dataset_builder_release(dataset_builder *b)
{
    /* The look-up tables are scratch, given back as lines.c's chunk_release
     * says; the arrays a dataset takes over are NULL here by then. */
    dict_release(&b->names);
    fimbit__free_discarding(b->small_ids);
    u64_map_release(&b->numeric_ids);
    fimbit__free(b->offsets);
    item_array_free(&b->items);
    fimbit__free_discarding(b->seen);
    fimbit__free(b->supports);
    memset(b, 0, sizeof *b);
}

fimbit_status dataset_builder_intern_name(dataset_builder *b, const char *name, size_t length,
                                          uint32_t *id)
{
    return dict_intern(&b->names, name, length, id, NULL);
}

/* Makes the flat table of FIMI values cover `value` when it is small beside
 * the items so far (below 65,536, or 8 per item: the table then takes no
 * more than the map would). @return false when it does not. */
static bool cover_small_value(dataset_builder *b, uint64_t value)
{
    if (value >= ITEM_ARRAY_NARROW_LIMIT && value / 8 >= b->names.count)
        return false;
    uint64_t count = b->small_count ? b->small_count : 1024;
    while (count <= value)
        count *= 2;
    uint32_t *table = fimbit__grow_array_discarding(b->small_ids, count, sizeof *table);
    if (table == NULL)
        return false; /* the map takes it */
    memset(table + b->small_count, 0xff, (count - b->small_count) * sizeof *table);
    b->small_ids = table;
    b->small_count = count;
    return true;
}

fimbit_status dataset_builder_intern_number(dataset_builder *b, uint64_t value, uint32_t *id)
{
    bool small = value < b->small_count || cover_small_value(b, value);
    uint32_t found = small ? b->small_ids[value] : u64_map_get(&b->numeric_ids, value);
    if (found != DICT_EMPTY) {
        *id = found;
        return FIMBIT_OK;
    }
    /* Through the name table, so "7" read as FIMI and "7" read as a named
     * item (another input of the same run) are one item; so is a value the
     * map holds when the table has come to cover it. */
    char text[24];
    size_t length = u64_to_decimal(value, text);
    fimbit_status status = dict_intern(&b->names, text, length, id, NULL);
    if (status == FIMBIT_OK && small)
        b->small_ids[value] = *id;
    else if (status == FIMBIT_OK)
        status = u64_map_put(&b->numeric_ids, value, *id);
    return status;
}

static fimbit_status grow_u64(uint64_t **array, uint64_t *capacity, uint64_t needed)
{
    if (needed <= *capacity)
        return FIMBIT_OK;
    uint64_t grown = *capacity ? *capacity : 1024;
    while (grown < needed)
        grown = grown > UINT64_MAX / 2 ? needed : grown * 2;
    uint64_t *bigger = fimbit__grow_array_discarding(*array, grown, sizeof **array);
    if (bigger == NULL)
        return FIMBIT_ENOMEM;
    *array = bigger;
    *capacity = grown;
    return FIMBIT_OK;
}

/* Gives the items room for `capacity` ids, widened when an interned id no
 * longer fits the narrow form. */
static fimbit_status resize_items(dataset_builder *b, uint64_t capacity)
{
    bool wide = b->names.count > ITEM_ARRAY_NARROW_LIMIT;
    if (capacity <= b->items_capacity && (!wide || b->items.wide))
        return FIMBIT_OK;
    if (capacity < b->items_capacity)
        capacity = b->items_capacity;
    if (!item_array_resize(&b->items, capacity, b->item_total, wide))
        return FIMBIT_ENOMEM;
    b->items_capacity = capacity;
    return FIMBIT_OK;
}

fimbit_status dataset_builder_reserve(dataset_builder *b, uint64_t baskets, uint64_t items)
{
    if (baskets > UINT64_MAX - b->basket_count - 1 || items > UINT64_MAX - b->item_total)
        return FIMBIT_ENOMEM;
    fimbit_status status = grow_u64(&b->offsets, &b->offsets_capacity,
                                    b->basket_count + 1 + baskets);
    if (status != FIMBIT_OK)
        return status;
    /* The first reservation is exact: a reader that knows its first block's
     * size asks once; later ones double. */
    uint64_t needed = b->item_total + items;
    uint64_t grown = b->items_capacity ? b->items_capacity : needed;
    while (grown < needed)
        grown = grown > UINT64_MAX / 2 ? needed : grown * 2;
    return resize_items(b, grown);
}

fimbit_status dataset_builder_expect(dataset_builder *b, uint64_t basket_total, uint64_t item_total)
{
    if (basket_total >= b->offsets_capacity) {
        uint64_t *bigger = fimbit__realloc_array(b->offsets, basket_total + 1, sizeof *bigger);
        if (bigger == NULL)
            return FIMBIT_ENOMEM;
        b->offsets = bigger;
        b->offsets_capacity = basket_total + 1;
    }
    return item_total > b->items_capacity ? resize_items(b, item_total) : FIMBIT_OK;
}

/* Grows a per-id array to cover every interned id, zeroing new entries. */
static fimbit_status fit_per_item(uint64_t **array, uint64_t *capacity, uint64_t needed)
{
    uint64_t old_capacity = *capacity;
    fimbit_status status = grow_u64(array, capacity, needed);
    if (status == FIMBIT_OK && *capacity > old_capacity)
        memset(*array + old_capacity, 0, (*capacity - old_capacity) * sizeof **array);
    return status;
}

fimbit_status dataset_builder_fit_supports(dataset_builder *b)
{
    return fit_per_item(&b->supports, &b->supports_capacity, b->names.count);
}

fimbit_status dataset_builder_add_basket(dataset_builder *b, const uint32_t *ids, uint64_t size)
{
    fimbit_status status = dataset_builder_reserve(b, 1, size);
    if (status != FIMBIT_OK)
        return status;
    status = fit_per_item(&b->seen, &b->seen_capacity, b->names.count);
    if (status == FIMBIT_OK)
        status = dataset_builder_fit_supports(b);
    if (status != FIMBIT_OK)
        return status;

    uint64_t mark = b->basket_count + 1;
    uint64_t end = b->item_total;
    for (uint64_t i = 0; i < size; i++) {
        uint32_t id = ids[i];
        if (b->seen[id] == mark)
            continue;
        b->seen[id] = mark;
        b->supports[id]++;
        item_array_set(&b->items, end++, id);
    }
    b->item_total = end;
    b->basket_count++;
    b->offsets[b->basket_count] = end;
    return FIMBIT_OK;
}

/* Hands the builder's arrays over to a new dataset in *out, with
 * *name_bytes_used the bytes of its names; `b` is left released. */
static fimbit_status hand_over(dataset_builder *b, fimbit_dataset **out, size_t *name_bytes_used)
{
    fimbit_dataset *d = fimbit__calloc(1, sizeof *d);
    if (d == NULL) {
        dataset_builder_release(b);
        return FIMBIT_ENOMEM;
    }

    /* Hand the arrays over, trimmed to size when the allocator allows. */
    d->basket_count = b->basket_count;
    d->basket_offsets = b->offsets;
    b->offsets = NULL;
    if (b->offsets_capacity > b->basket_count + 1) {
        uint64_t *trimmed = fimbit__realloc_array(d->basket_offsets, b->basket_count + 1,
                                                  sizeof *trimmed);
        if (trimmed)
            d->basket_offsets = trimmed;
    }
    d->basket_items = b->items;
    memset(&b->items, 0, sizeof b->items);
    if ((!d->basket_items.narrow && !d->basket_items.wide) || b->items_capacity > b->item_total)
        item_array_resize(&d->basket_items, b->item_total, b->item_total,
                          d->basket_items.wide != NULL); /* a failed trim keeps the array */
    d->item_count = b->names.count;
    fimbit_status status = dataset_builder_fit_supports(b);
    d->item_support = b->supports; /* counted while the baskets came in */
    b->supports = NULL;
    d->name_bytes = b->names.bytes;
    d->name_offsets = b->names.offsets;
    *name_bytes_used = b->names.bytes_used;
    b->names.bytes = NULL;
    b->names.offsets = NULL;
    dataset_builder_release(b);

    /* Every array exists, even for a dataset without items, so that readers
     * may pass them to memcpy and friends without a special case. */
    if (status == FIMBIT_OK && d->item_support == NULL)
        d->item_support = fimbit__calloc(1, sizeof *d->item_support);
    if (status == FIMBIT_OK && d->name_offsets == NULL)
        d->name_offsets = fimbit__calloc(1, sizeof *d->name_offsets);
    if (status == FIMBIT_OK && d->name_bytes == NULL)
        d->name_bytes = fimbit__calloc(1, 1);
    bool items_held = d->basket_items.narrow || d->basket_items.wide;
    if (!items_held || d->item_support == NULL || d->name_offsets == NULL || d->name_bytes == NULL)
        status = FIMBIT_ENOMEM;
    if (status != FIMBIT_OK) {
        fimbit_dataset_free(d);
        return status;
    }
    *out = d;
    return FIMBIT_OK;
}

fimbit_status dataset_builder_finish(dataset_builder *b, fimbit_dataset **out)
{
    size_t name_bytes_used;
    int threads = b->threads; /* the hand-over empties b */
    fimbit_status status = hand_over(b, out, &name_bytes_used);
    if (status == FIMBIT_OK)
        status = dataset_derive(*out, name_bytes_used, threads);
    if (status != FIMBIT_OK) {
        fimbit_dataset_free(*out);
        *out = NULL;
    }
    return status;
}

fimbit_status dataset_builder_finish_plain(dataset_builder *b, fimbit_dataset **out)
{
    size_t name_bytes_used;
    return hand_over(b, out, &name_bytes_used);
}

/* Interns the item at position `at` of a caller's basket array. */
typedef fimbit_status (*basket_item_fn)(dataset_builder *b, const void *items, uint64_t at,
                                        uint32_t *id);

static fimbit_status intern_named(dataset_builder *b, const void *items, uint64_t at,
                                  uint32_t *id)
{
    const char *name = ((const char *const *)items)[at];
    return dataset_builder_intern_name(b, name, strlen(name), id);
}

static fimbit_status intern_numbered(dataset_builder *b, const void *items, uint64_t at,
                                     uint32_t *id)
{
    return dataset_builder_intern_number(b, ((const uint32_t *)items)[at], id);
}

/* Checks the arguments of `function`, whose item array is called `what`. */
static fimbit_status check_basket_offsets(const char *function, const char *what,
                                          const void *items,
                                          const uint64_t *offsets, uint64_t basket_count,
                                          fimbit_dataset **out, fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "%s: out is NULL", function);
    *out = NULL;
    if (offsets == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "%s: offsets is NULL", function);
    for (uint64_t basket = 0; basket < basket_count; basket++)
        if (offsets[basket + 1] < offsets[basket])
            return fimbit__fail(error, FIMBIT_EINVAL, "%s: offsets decrease at basket %llu",
                                function, (unsigned long long)basket);
    if (offsets[basket_count] > offsets[0] && items == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "%s: %s is NULL", function, what);
    return FIMBIT_OK;
}

/* Builds a dataset from in-memory baskets whose items `intern` reads. */
static fimbit_status build_baskets(const void *items, basket_item_fn intern,
                                   const uint64_t *offsets, uint64_t basket_count,
                                   fimbit_dataset **out, fimbit_error *error)
{
    dataset_builder b;
    fimbit_status status = dataset_builder_init(&b);
    uint32_t *ids = NULL;
    uint64_t ids_capacity = 0;
    for (uint64_t basket = 0; basket < basket_count && status == FIMBIT_OK; basket++) {
        uint64_t size = offsets[basket + 1] - offsets[basket];
        if (size > ids_capacity) {
            uint32_t *bigger = fimbit__realloc_array(ids, size, sizeof *bigger);
            if (bigger == NULL) {
                status = FIMBIT_ENOMEM;
                break;
            }
            ids = bigger;
            ids_capacity = size;
        }
        for (uint64_t i = 0; i < size && status == FIMBIT_OK; i++)
            status = intern(&b, items, offsets[basket] + i, &ids[i]);
        if (status == FIMBIT_OK)
            status = dataset_builder_add_basket(&b, ids, size);
    }
    fimbit__free(ids);
    if (status == FIMBIT_OK)
        return dataset_builder_finish(&b, out);
    dataset_builder_release(&b);
    if (status == FIMBIT_ELIMIT)
        return fimbit__fail(error, status, "more than %lu distinct items",
                            (unsigned long)DICT_MAX_ITEMS);
    return fimbit__fail(error, status, "out of memory while building the dataset");
}

fimbit_status fimbit_dataset_from_baskets(const char *const *names, const uint64_t *offsets,
                                          uint64_t basket_count, fimbit_dataset **out,
                                          fimbit_error *error)
{
    fimbit_status status = check_basket_offsets("fimbit_dataset_from_baskets", "names", names,
                                                offsets, basket_count, out, error);
    if (status != FIMBIT_OK)
        return status;
    for (uint64_t i = offsets[0]; i < offsets[basket_count]; i++)
        if (names[i] == NULL)
            return fimbit__fail(error, FIMBIT_EINVAL,
                                "fimbit_dataset_from_baskets: names[%llu] is NULL",
                                (unsigned long long)i);
    return build_baskets(names, intern_named, offsets, basket_count, out, error);
}

fimbit_status fimbit_dataset_from_ids(const uint32_t *ids, const uint64_t *offsets,
                                      uint64_t basket_count, fimbit_dataset **out,
                                      fimbit_error *error)
{
    fimbit_status status = check_basket_offsets("fimbit_dataset_from_ids", "ids", ids, offsets,
                                                basket_count, out, error);
    if (status != FIMBIT_OK)
        return status;
    return build_baskets(ids, intern_numbered, offsets, basket_count, out, error);
}
