/*
 * fimbit_groups_read: long CSV read once with a group column, then split into
 * one dataset per group. The reader numbers a basket per (group, basket id),
 * so a basket id found in two groups is two baskets, one in each; the split
 * copies every group's baskets, in order, into a dataset of its own, with
 * its own item names: each group is what reading its rows alone would give.
 */
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "groups.h"
#include "read/builder.h"
#include "read/reader.h"

void fimbit_groups_free(fimbit_groups *groups)
{
    if (groups == NULL)
        return;
    for (size_t g = 0; g < groups->count; g++) {
        if (groups->names != NULL)
            fimbit__free(groups->names[g]);
        if (groups->datasets != NULL)
            fimbit_dataset_free(groups->datasets[g]);
    }
    fimbit__free(groups->names);
    fimbit__free(groups->datasets);
    fimbit__free(groups);
}

size_t fimbit_groups_count(const fimbit_groups *groups)
{
    return groups != NULL ? groups->count : 0;
}

const char *fimbit_groups_name(const fimbit_groups *groups, size_t group)
{
    return groups != NULL && group < groups->count ? groups->names[group] : NULL;
}

const fimbit_dataset *fimbit_groups_dataset(const fimbit_groups *groups, size_t group)
{
    return groups != NULL && group < groups->count ? groups->datasets[group] : NULL;
}

uint64_t fimbit_groups_skipped_rows(const fimbit_groups *groups)
{
    return groups != NULL ? groups->skipped_rows : 0;
}

static uint32_t lookup_in_map(const void *context, const char *value, size_t length)
{
    return group_map_find(context, value, length);
}

static const char *map_group_name(const void *context, uint32_t group)
{
    return group_map_group_name(context, group);
}

/* A group name and where it sorts. */
typedef struct group_key {
    const char *name;
    uint64_t value; /* when every name is a decimal integer */
    uint32_t id;    /* in order of first appearance */
} group_key;

static int compare_numeric(const void *a, const void *b)
{
    uint64_t x = ((const group_key *)a)->value, y = ((const group_key *)b)->value;
    return (x > y) - (x < y);
}

static int compare_bytes(const void *a, const void *b)
{
    return strcmp(((const group_key *)a)->name, ((const group_key *)b)->name);
}

/* Sorts the groups into natural order (numeric when every name is a decimal
 * integer, else by bytes), as items are: rank[id] receives each group's
 * place, and groups->names the names. */
static fimbit_status order_groups(fimbit_groups *groups, const dict *names, uint32_t *rank)
{
    uint32_t count = names->count;
    group_key *keys = fimbit__malloc_array(count ? count : 1, sizeof *keys);
    if (keys == NULL)
        return FIMBIT_ENOMEM;
    bool numeric = true;
    for (uint32_t id = 0; id < count; id++) {
        keys[id].name = names->bytes + names->offsets[id];
        keys[id].id = id;
        numeric = numeric && decimal_parse_canonical(keys[id].name, strlen(keys[id].name),
                                                     &keys[id].value);
    }
    qsort(keys, count, sizeof *keys, numeric ? compare_numeric : compare_bytes);
    fimbit_status status = FIMBIT_OK;
    for (uint32_t g = 0; g < count; g++) {
        rank[keys[g].id] = g;
        groups->names[g] = fimbit__strdup(keys[g].name);
        if (groups->names[g] == NULL)
            status = FIMBIT_ENOMEM;
    }
    fimbit__free(keys);
    return status;
}

/* Copies `count` baskets of `all` (numbers in `baskets`) into a new dataset
 * with names of its own, named first in the order of `items` (ids of `all`,
 * the group's in order of first appearance), as reading the group's rows
 * alone would number them. `local_of` (an entry per item of `all`) receives
 * each of them its new id, so the baskets are copied without a name look-up. */
static fimbit_status copy_baskets(const fimbit_dataset *all, const uint64_t *baskets,
                                  uint64_t count, const uint64_t *items, size_t item_count,
                                  uint32_t *local_of, fimbit_dataset **out)
{
    dataset_builder builder;
    fimbit_status status = dataset_builder_init(&builder);
    for (size_t i = 0; i < item_count && status == FIMBIT_OK; i++) {
        const char *name = dataset_item_name(all, (uint32_t)items[i]);
        status = dataset_builder_intern_name(&builder, name, strlen(name), &local_of[items[i]]);
    }
    uint32_t *ids = NULL;
    uint64_t capacity = 0;
    for (uint64_t i = 0; i < count && status == FIMBIT_OK; i++) {
        uint64_t begin = all->basket_offsets[baskets[i]], end = all->basket_offsets[baskets[i] + 1];
        if (end - begin > capacity) {
            capacity = end - begin;
            fimbit__free(ids);
            ids = fimbit__malloc_array((size_t)capacity, sizeof *ids);
            if (ids == NULL) {
                status = FIMBIT_ENOMEM;
                break;
            }
        }
        for (uint64_t k = begin; k < end; k++)
            ids[k - begin] = local_of[dataset_item(all, k)];
        status = dataset_builder_add_basket(&builder, ids, end - begin);
    }
    fimbit__free(ids);
    if (status != FIMBIT_OK) {
        dataset_builder_release(&builder);
        return status;
    }
    return dataset_builder_finish(&builder, out);
}

/* Sorts `count` values into group_count lists, stably, by the group
 * `group_of` gives each (a counting sort): list g is
 * sorted[starts[g] .. starts[g + 1]). `value` gives the kept value. */
static fimbit_status sort_by_group(size_t group_count, uint64_t count,
                                   uint32_t (*group_of)(const void *, uint64_t),
                                   uint64_t (*value)(const void *, uint64_t),
                                   const void *context, uint64_t **starts, uint64_t **sorted)
{
    *starts = fimbit__calloc(group_count + 1, sizeof **starts);
    *sorted = fimbit__malloc_array(count ? count : 1, sizeof **sorted);
    if (*starts == NULL || *sorted == NULL)
        return FIMBIT_ENOMEM;
    uint64_t *s = *starts;
    for (uint64_t i = 0; i < count; i++)
        s[group_of(context, i) + 1]++;
    for (size_t g = 0; g < group_count; g++)
        s[g + 1] += s[g];
    for (uint64_t i = 0; i < count; i++)
        (*sorted)[s[group_of(context, i)]++] = value(context, i);
    /* s[g] is now the end of group g, where g + 1 begins. */
    memmove(s + 1, s, group_count * sizeof *s);
    s[0] = 0;
    return FIMBIT_OK;
}

/* What the split sorts by the groups' places: baskets, and (group, item)
 * pairs. */
typedef struct split_source {
    const uint32_t *basket_group;
    const uint64_t *group_items;
    const uint32_t *rank;
} split_source;

static uint32_t basket_group_of(const void *context, uint64_t b)
{
    const split_source *s = context;
    return s->rank[s->basket_group[b]];
}

static uint64_t basket_itself(const void *context, uint64_t b)
{
    (void)context;
    return b;
}

static uint32_t pair_group_of(const void *context, uint64_t i)
{
    const split_source *s = context;
    return s->rank[s->group_items[i] >> 32];
}

static uint64_t pair_item(const void *context, uint64_t i)
{
    return ((const split_source *)context)->group_items[i] & UINT32_MAX;
}

/* Splits `all` into groups->datasets, the groups in parallel. */
static fimbit_status split_groups(fimbit_groups *groups, const fimbit_dataset *all,
                                  const csv_extras *extras, const uint32_t *rank, int threads)
{
    size_t count = groups->count;
    split_source source = {extras->basket_group, extras->group_items, rank};
    uint64_t *basket_starts = NULL, *baskets = NULL, *item_starts = NULL, *items = NULL;
    fimbit_status status = sort_by_group(count, all->basket_count, basket_group_of,
                                         basket_itself, &source, &basket_starts, &baskets);
    if (status == FIMBIT_OK)
        status = sort_by_group(count, extras->group_item_count, pair_group_of, pair_item,
                               &source, &item_starts, &items);
    int failed = status != FIMBIT_OK;
    if (!failed) {
#pragma omp parallel num_threads(threads) reduction(| : failed)
        {
            uint32_t *local_of = fimbit__malloc_array(all->item_count ? all->item_count : 1,
                                                      sizeof *local_of);
            failed |= local_of == NULL;
#pragma omp for schedule(dynamic, 1)
            for (size_t g = 0; g < count; g++)
                failed |= local_of == NULL ||
                          copy_baskets(all, baskets + basket_starts[g],
                                       basket_starts[g + 1] - basket_starts[g],
                                       items + item_starts[g], item_starts[g + 1] - item_starts[g],
                                       local_of, &groups->datasets[g]) != FIMBIT_OK;
            fimbit__free(local_of);
        }
    }
    fimbit__free(basket_starts);
    fimbit__free(baskets);
    fimbit__free(item_starts);
    fimbit__free(items);
    return failed ? FIMBIT_ENOMEM : FIMBIT_OK;
}

static fimbit_status check_group_column(const char *column, const fimbit_read_options *options,
                                        fimbit_error *error)
{
    if (column == NULL || *column == '\0')
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_groups_read: no group column given");
    if (options->format != FIMBIT_INPUT_AUTO && options->format != FIMBIT_INPUT_CSV)
        return fimbit__fail(error, FIMBIT_EINVAL, "groups need long CSV input");
    bool index = true;
    for (const char *p = column; *p != '\0'; p++)
        index = index && *p >= '0' && *p <= '9';
    uint64_t value = 0;
    if (index && (!decimal_parse_canonical(column, strlen(column), &value) || value == 0 ||
                  value > UINT32_MAX))
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "the group column '%s' is not a valid 1-based index", column);
    if (!index && options->header == 0)
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "the group column is asked for by name but header is 0 "
                            "(no header row)");
    return FIMBIT_OK;
}

fimbit_status fimbit_groups_read(const char *const *paths, size_t path_count,
                                 const fimbit_read_options *options, const char *group_column,
                                 const fimbit_group_map *map, fimbit_groups **out,
                                 fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_groups_read: out is NULL");
    *out = NULL;
    fimbit_read_options defaults;
    if (options == NULL) {
        fimbit_read_options_init(&defaults);
        options = &defaults;
    }
    fimbit_status status = check_group_column(group_column, options, error);
    if (status != FIMBIT_OK)
        return status;

    fimbit_read_options read = *options;
    read.format = FIMBIT_INPUT_CSV;
    read.basket_keys = 0;
    csv_settings grouping = {.group_column = group_column,
                             .group_lookup = map != NULL ? lookup_in_map : NULL,
                             .group_name = map_group_name,
                             .group_context = map};
    csv_extras extras = {0};
    dict_init(&extras.groups);
    fimbit_dataset *all = NULL;
    status = dataset_read(paths, path_count, &read, &grouping, &all, &extras, error);
    if (status != FIMBIT_OK) {
        csv_extras_release(&extras);
        return status;
    }

    fimbit_groups *groups = fimbit__calloc(1, sizeof *groups);
    uint32_t count = extras.groups.count;
    uint32_t *rank = fimbit__malloc_array(count ? count : 1, sizeof *rank);
    if (groups != NULL) {
        groups->skipped_rows = extras.skipped_rows;
        groups->names = fimbit__calloc(count ? count : 1, sizeof *groups->names);
        groups->datasets = fimbit__calloc(count ? count : 1, sizeof *groups->datasets);
    }
    status = groups == NULL || rank == NULL || groups->names == NULL || groups->datasets == NULL
                 ? FIMBIT_ENOMEM
                 : FIMBIT_OK;
    if (status == FIMBIT_OK) {
        groups->count = count;
        status = order_groups(groups, &extras.groups, rank);
    }
    if (status == FIMBIT_OK)
        status = split_groups(groups, all, &extras, rank,
                              fimbit__thread_count_for_work(
                                  options->threads, all->basket_offsets[all->basket_count]));
    fimbit__free(rank);
    csv_extras_release(&extras);
    fimbit_dataset_free(all);
    if (status != FIMBIT_OK) {
        fimbit_groups_free(groups);
        return fimbit__fail(error, status, "out of memory splitting the input into groups");
    }
    *out = groups;
    return FIMBIT_OK;
}
