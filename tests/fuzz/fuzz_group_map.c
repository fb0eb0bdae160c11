/*
 * Fuzz target: the group-map reader (fimbit_group_map_read: CSV with a
 * header, key in the first column, the group in another). The first byte
 * picks the group column; the rest is the file. A map that is read must
 * agree with the same bytes read as long CSV (a basket per key, its group as
 * the one item), answer no key it lacks, and split a small table of rows
 * into the groups it names.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "read/dataset.h"

/* Whether `key` is one of the table's basket keys (a longer name made up to
 * be absent may be in the file too). */
static bool table_has_key(const fimbit_dataset *table, const char *key)
{
    for (uint64_t b = 0; b < table->basket_count; b++)
        if (strcmp(fimbit_dataset_basket_key(table, b), key) == 0)
            return true;
    return false;
}

/* Rows whose group column holds the map's keys: every row is either skipped
 * or in the group its key maps to. */
static void check_split(const fimbit_group_map *map, const fimbit_dataset *table)
{
    char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text, "basket,item,key\n");
    uint64_t rows = 0, mapped = 0;
    for (uint64_t b = 0; b < fimbit_dataset_basket_count(table) && b < 16; b++) {
        const char *key = fimbit_dataset_basket_key(table, b);
        /* Only keys that need no quoting keep the table simple. */
        if (strpbrk(key, ",\"\r\n") != NULL || key[0] == ' ' || key[0] == '\t' ||
            strlen(key) > 100 || (*key != '\0' && strchr(" \t", key[strlen(key) - 1])))
            continue;
        used += (size_t)snprintf(text + used, sizeof text - used, "%llu,x,%s\n",
                                 (unsigned long long)b, key);
        rows++;
        mapped += fimbit_group_map_find(map, key) != NULL;
    }
    char path[64];
    int fd = fuzz_memory_file((const uint8_t *)text, used, path, sizeof path);
    const char *paths[] = {path};
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.threads = 1;
    fimbit_groups *groups = NULL;
    fimbit_error error;
    fimbit_status status = fimbit_groups_read(paths, 1, &options, "key", map, &groups, &error);
    close(fd);
    FUZZ_REQUIRE(status == FIMBIT_OK, "splitting by the map: %s", error.message);
    FUZZ_REQUIRE(fimbit_groups_skipped_rows(groups) == rows - mapped,
                 "%llu rows skipped, expected %llu",
                 (unsigned long long)fimbit_groups_skipped_rows(groups),
                 (unsigned long long)(rows - mapped));
    uint64_t baskets = 0;
    for (size_t g = 0; g < fimbit_groups_count(groups); g++)
        baskets += fimbit_dataset_basket_count(fimbit_groups_dataset(groups, g));
    FUZZ_REQUIRE(baskets == mapped, "%llu baskets in groups, %llu rows mapped",
                 (unsigned long long)baskets, (unsigned long long)mapped);
    fimbit_groups_free(groups);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const columns[] = {NULL, "2", "group", "3"};
    const char *column = columns[data[0] & 3];
    char path[64];
    int fd = fuzz_memory_file(data + 1, size - 1, path, sizeof path);
    fimbit_group_map *map = NULL;
    fimbit_error error;
    memset(&error, 0, sizeof error);
    fimbit_status status = fimbit_group_map_read(path, column, &map, &error);
    close(fd);
    FUZZ_REQUIRE(status == FIMBIT_OK || status == FIMBIT_EPARSE || status == FIMBIT_ELIMIT ||
                     status == FIMBIT_EIO,
                 "fimbit_group_map_read: %s (%s)", fimbit_status_name(status), error.message);
    if (status != FIMBIT_OK) {
        FUZZ_REQUIRE(map == NULL && error.message[0] != '\0',
                     "a failed read left a map or no message");
        return 0;
    }

    /* The same bytes as long CSV: a basket per key, its group the one item. */
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_CSV;
    options.header = 1;
    options.basket_column = "1";
    options.item_column = column != NULL ? column : "2";
    options.basket_keys = 1;
    options.threads = 1;
    fimbit_dataset *table = NULL;
    FUZZ_REQUIRE(fuzz_read(data + 1, size - 1, &options, &table) == FIMBIT_OK,
                 "the map read but its CSV did not");
    FUZZ_REQUIRE(fimbit_group_map_size(map) == fimbit_dataset_basket_count(table),
                 "%zu keys, %llu baskets", fimbit_group_map_size(map),
                 (unsigned long long)fimbit_dataset_basket_count(table));
    for (uint64_t b = 0; b < table->basket_count; b++) {
        const char *key = fimbit_dataset_basket_key(table, b);
        const char *group = fimbit_group_map_find(map, key);
        uint64_t begin = table->basket_offsets[b], end = table->basket_offsets[b + 1];
        FUZZ_REQUIRE(end - begin <= 1, "key '%s' with two groups was accepted", key);
        FUZZ_REQUIRE((group == NULL) == (end == begin), "key '%s': group %s, %llu in the table",
                     key, group ? group : "none", (unsigned long long)(end - begin));
        if (group != NULL)
            FUZZ_REQUIRE(strcmp(group, dataset_item_name(table, dataset_item(table, begin))) == 0,
                         "key '%s' maps to '%s'", key, group);
        char longer[300];
        snprintf(longer, sizeof longer, "%.200s\x01", key);
        FUZZ_REQUIRE(fimbit_group_map_find(map, longer) == NULL || table_has_key(table, longer),
                     "a key the map lacks is found");
    }
    check_split(map, table);
    fimbit_dataset_free(table);
    fimbit_group_map_free(map);
    return 0;
}
