/*
 * The group map: a CSV table (header row) from a key in its first column to
 * a group in another. It is read by the long-CSV reader as baskets (a key)
 * of items (its groups), so it gets the readers' quoting, compression and
 * file:line:column errors; a key with two groups is an error.
 */
#include <string.h>

#include "groups.h"
#include "read/dict.h"
#include "read/reader.h"

struct fimbit_group_map {
    fimbit_dataset *table; /* basket = a key, its one item = the key's group */
    dict keys;             /* key -> its id, which is its basket: keys are distinct */
};

void fimbit_group_map_free(fimbit_group_map *map)
{
    if (map == NULL)
        return;
    fimbit_dataset_free(map->table);
    dict_release(&map->keys);
    fimbit__free(map);
}

/* Indexes the keys; every key must name one group at most. */
static fimbit_status index_keys(fimbit_group_map *map, const char *path, fimbit_error *error)
{
    const fimbit_dataset *table = map->table;
    for (uint64_t b = 0; b < table->basket_count; b++) {
        const char *key = fimbit_dataset_basket_key(table, b);
        uint64_t size = table->basket_offsets[b + 1] - table->basket_offsets[b];
        if (size > 1) {
            const char *first = dataset_item_name(table, dataset_item(table, table->basket_offsets[b]));
            const char *second =
                dataset_item_name(table, dataset_item(table, table->basket_offsets[b] + 1));
            return fimbit__error_set(error, FIMBIT_EPARSE, path, 0, 0,
                                     "key '%.100s' has two groups, '%.100s' and '%.100s'", key,
                                     first, second);
        }
        uint32_t id;
        if (dict_intern(&map->keys, key, strlen(key), &id, NULL) != FIMBIT_OK)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory indexing %s", path);
    }
    return FIMBIT_OK;
}

fimbit_status fimbit_group_map_read(const char *path, const char *column,
                                    fimbit_group_map **out, fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_group_map_read: out is NULL");
    *out = NULL;
    if (path == NULL || *path == '\0')
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_group_map_read: no file given");
    fimbit_group_map *map = fimbit__calloc(1, sizeof *map);
    if (map == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", path);
    dict_init(&map->keys);

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
        status = index_keys(map, path, error);
    if (status != FIMBIT_OK) {
        fimbit_group_map_free(map);
        return status;
    }
    *out = map;
    return FIMBIT_OK;
}

size_t fimbit_group_map_size(const fimbit_group_map *map)
{
    return map != NULL ? map->keys.count : 0;
}

const char *group_map_find(const fimbit_group_map *map, const char *key, size_t length)
{
    uint32_t basket = dict_find(&map->keys, key, length);
    if (basket == DICT_EMPTY)
        return NULL;
    const fimbit_dataset *table = map->table;
    if (table->basket_offsets[basket + 1] == table->basket_offsets[basket])
        return NULL; /* the key's group is empty: no group */
    return dataset_item_name(table, dataset_item(table, table->basket_offsets[basket]));
}

const char *fimbit_group_map_find(const fimbit_group_map *map, const char *key)
{
    if (map == NULL || key == NULL)
        return NULL;
    return group_map_find(map, key, strlen(key));
}
