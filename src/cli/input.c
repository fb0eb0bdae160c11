#include "input.h"

#include <unistd.h>

#include "report.h"

size_t cli_input_paths(const cli_options *options, const char *what, const char *const **paths)
{
    static const char *const standard_input[] = {"-"};
    *paths = options->inputs;
    if (options->input_count > 0)
        return options->input_count;
    *paths = standard_input;
    /* Someone who typed `fimbit itemsets` alone would otherwise wait in
     * silence. */
    if (isatty(STDIN_FILENO))
        cli_warn(options, "reading %s from the terminal; end with Ctrl-D", what);
    return 1;
}

fimbit_status cli_read_dataset(const cli_options *options, fimbit_dataset **dataset,
                               fimbit_error *error)
{
    const char *const *paths;
    size_t path_count = cli_input_paths(options, "baskets", &paths);

    cli_verbose_topology(options);
    fimbit_read_options read;
    cli_options_read(options, &read);

    double start = cli_now();
    fimbit_status status = fimbit_dataset_read(paths, path_count, &read, dataset, error);
    if (status != FIMBIT_OK)
        return status;

    fimbit_dataset_stats stats;
    fimbit_dataset_get_stats(*dataset, &stats);
    cli_verbose(options, "read   %8.3f s  %llu baskets, %u distinct items, %llu items",
                cli_now() - start, (unsigned long long)stats.baskets, (unsigned)stats.items,
                (unsigned long long)stats.total_items);
    return FIMBIT_OK;
}

fimbit_status cli_read_group_map(const cli_options *options, fimbit_group_map **map,
                                 fimbit_error *error)
{
    *map = NULL;
    if (options->group_map_file[0] == '\0')
        return FIMBIT_OK;
    double start = cli_now();
    fimbit_status status =
        fimbit_group_map_read(options->group_map_file, options->group_map_column, map, error);
    if (status == FIMBIT_OK)
        cli_verbose(options, "map    %8.3f s  %zu keys from %s", cli_now() - start,
                    fimbit_group_map_size(*map), options->group_map_file);
    return status;
}

fimbit_status cli_read_groups(const cli_options *options, fimbit_groups **groups,
                              fimbit_error *error)
{
    const char *const *paths;
    size_t path_count = cli_input_paths(options, "baskets", &paths);
    cli_verbose_topology(options);
    fimbit_group_map *map = NULL;
    fimbit_status status = cli_read_group_map(options, &map, error);
    if (status != FIMBIT_OK)
        return status;
    fimbit_read_options read;
    cli_options_read(options, &read);

    double start = cli_now();
    status = fimbit_groups_read(paths, path_count, &read, options->group_column, map, groups,
                                error);
    fimbit_group_map_free(map);
    if (status != FIMBIT_OK)
        return status;
    uint64_t baskets = 0;
    for (size_t g = 0; g < fimbit_groups_count(*groups); g++)
        baskets += fimbit_dataset_basket_count(fimbit_groups_dataset(*groups, g));
    cli_verbose(options, "read   %8.3f s  %zu groups, %llu baskets", cli_now() - start,
                fimbit_groups_count(*groups), (unsigned long long)baskets);
    uint64_t skipped = fimbit_groups_skipped_rows(*groups);
    if (skipped > 0)
        cli_warn(options, "%llu row%s skipped: %s not in %s", (unsigned long long)skipped,
                 skipped == 1 ? "" : "s", skipped == 1 ? "its key is" : "their keys are",
                 options->group_map_file);
    return FIMBIT_OK;
}

/* The datasets an item list is checked against: one, or every group's. */
typedef struct item_sources {
    const fimbit_dataset *dataset;
    const fimbit_groups *groups;
} item_sources;

static bool item_occurs(const item_sources *sources, const char *name)
{
    uint32_t item;
    if (sources->groups == NULL)
        return fimbit_dataset_find_item(sources->dataset, name, &item) == FIMBIT_OK;
    for (size_t g = 0; g < fimbit_groups_count(sources->groups); g++)
        if (fimbit_dataset_find_item(fimbit_groups_dataset(sources->groups, g), name, &item) ==
            FIMBIT_OK)
            return true;
    return false;
}

static void warn_list(const cli_options *options, const item_sources *sources,
                      const cli_item_list *list, const char *option)
{
    for (size_t i = 0; i < list->count; i++)
        if (!item_occurs(sources, list->names[i]))
            cli_warn(options, "%s: item '%s' does not occur in the data", option,
                     list->names[i]);
}

static void warn_lists(const cli_options *options, const item_sources *sources)
{
    warn_list(options, sources, &options->antecedent_items, "--antecedent-items");
    warn_list(options, sources, &options->consequent_items, "--consequent-items");
    warn_list(options, sources, &options->exclude_items, "--exclude-items");
}

void cli_warn_unknown_items(const cli_options *options, const fimbit_dataset *dataset)
{
    warn_lists(options, &(item_sources){.dataset = dataset});
}

void cli_warn_unknown_group_items(const cli_options *options, const fimbit_groups *groups)
{
    warn_lists(options, &(item_sources){.groups = groups});
}
