/*
 * The group map: a CSV table (header row) from a key in its first column to
 * a group in another. It is read by the long-CSV reader as baskets (a key)
 * of items (its groups), so it gets the readers' quoting, compression and
 * file:line:column errors; a key with two groups is an error.
 *
 * A grouped read looks a row's key up once an order, in a map of up to
 * millions of customers, so the keys are indexed by what they hold:
 * canonical integers (customer numbers) by value, through a window over
 * their range when they are dense enough (one cache miss, no name compared),
 * other keys by name. Both give a group's number, its item id in the table.
 */
#include <string.h>

#include "groups.h"
#include "read/dict.h"
#include "read/number_map.h"
#include "read/reader.h"

struct fimbit_group_map {
    fimbit_dataset *table; /* basket = a key, its one item = the key's group */
    number_map numbers;    /* canonical integer key -> its group's number */
    dict names;            /* any other key -> name_groups[its id] */
    uint32_t *name_groups; /* the group's number, DICT_EMPTY for none */
};

void fimbit_group_map_free(fimbit_group_map *map)
{
    if (map == NULL)
        return;
    fimbit_dataset_free(map->table);
    number_map_release(&map->numbers);
    dict_release(&map->names);
    fimbit__free(map->name_groups);
    fimbit__free(map);
}

/* Checks that every key names one group at most. */
static fimbit_status check_keys(const fimbit_dataset *table, const char *path, fimbit_error *error)
{
    for (uint64_t b = 0; b < table->basket_count; b++) {
        if (table->basket_offsets[b + 1] - table->basket_offsets[b] <= 1)
            continue;
        const char *first = dataset_item_name(table, dataset_item(table, table->basket_offsets[b]));
        const char *second =
            dataset_item_name(table, dataset_item(table, table->basket_offsets[b] + 1));
        return fimbit__error_set(error, FIMBIT_EPARSE, path, 0, 0,
                                 "key '%.100s' has two groups, '%.100s' and '%.100s'",
                                 fimbit_dataset_basket_key(table, b), first, second);
    }
    return FIMBIT_OK;
}

/* The number of key b's group (DICT_EMPTY when its group is empty). */
static uint32_t key_group(const fimbit_dataset *table, uint64_t b)
{
    if (table->basket_offsets[b + 1] == table->basket_offsets[b])
        return DICT_EMPTY;
    return dataset_item(table, table->basket_offsets[b]);
}

/* Indexes the keys with a group: integers by value, the window placed over
 * their range first, since they come in any order; the rest by name. */
static fimbit_status index_keys(fimbit_group_map *map)
{
    const fimbit_dataset *table = map->table;
    uint64_t low = UINT64_MAX, high = 0, numbers = 0, value;
    for (uint64_t b = 0; b < table->basket_count; b++) {
        const char *key = fimbit_dataset_basket_key(table, b);
        if (key_group(table, b) != DICT_EMPTY &&
            decimal_parse_canonical(key, strlen(key), &value)) {
            low = value < low ? value : low;
            high = value > high ? value : high;
            numbers++;
        }
    }
    fimbit_status status =
        numbers > 0 ? number_map_expect(&map->numbers, low, high, numbers) : FIMBIT_OK;
    size_t capacity = 0;
    for (uint64_t b = 0; b < table->basket_count && status == FIMBIT_OK; b++) {
        const char *key = fimbit_dataset_basket_key(table, b);
        size_t length = strlen(key);
        uint32_t group = key_group(table, b), id;
        if (group == DICT_EMPTY)
            continue; /* found nowhere: no group, as for a key not in the map */
        if (decimal_parse_canonical(key, length, &value)) {
            status = number_map_put(&map->numbers, value, group);
            continue;
        }
        status = dict_intern(&map->names, key, length, &id, NULL);
        if (status == FIMBIT_OK && !fimbit__grow_array((void **)&map->name_groups, &capacity,
                                                       (size_t)id + 1, sizeof *map->name_groups))
            status = FIMBIT_ENOMEM;
        if (status == FIMBIT_OK)
            map->name_groups[id] = group;
    }
    return status;
}

fimbit_status fimbit_group_map_read(const char *path, const char *column, fimbit_group_map **out,
                                    fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_group_map_read: out is NULL");
    *out = NULL;
    if (path == NULL || *path == '\0')
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_group_map_read: no file given");
    fimbit_group_map *map = fimbit__calloc(1, sizeof *map);
    if (map == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", path);
    number_map_init(&map->numbers);
    dict_init(&map->names);

    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_CSV;
    options.header = 1;
    options.basket_column = "1";
    options.item_column = column != NULL ? column : "2";
    options.basket_keys = 1;
    options.threads = 1;
    fimbit_status status = fimbit_dataset_read(&path, 1, &options, &map->table, error);
    if (status == FIMBIT_OK)
        status = check_keys(map->table, path, error);
    if (status == FIMBIT_OK && index_keys(map) != FIMBIT_OK)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory indexing %s", path);
    if (status != FIMBIT_OK) {
        fimbit_group_map_free(map);
        return status;
    }
    *out = map;
    return FIMBIT_OK;
}

size_t fimbit_group_map_size(const fimbit_group_map *map)
{
    return map != NULL ? (size_t)map->table->basket_count : 0;
}

uint32_t group_map_find(const fimbit_group_map *map, const char *key, size_t length)
{
    uint64_t value;
    if (decimal_parse_canonical(key, length, &value))
        return number_map_get(&map->numbers, value);
    uint32_t id = dict_find(&map->names, key, length);
    return id != DICT_EMPTY ? map->name_groups[id] : DICT_EMPTY;
}

const char *group_map_group_name(const fimbit_group_map *map, uint32_t group)
{
    return dataset_item_name(map->table, group);
}

uint32_t group_map_group_count(const fimbit_group_map *map)
{
    return map->table->item_count;
}

const char *fimbit_group_map_find(const fimbit_group_map *map, const char *key)
{
    if (map == NULL || key == NULL)
        return NULL;
    uint32_t group = group_map_find(map, key, strlen(key));
    return group != DICT_EMPTY ? group_map_group_name(map, group) : NULL;
}
