/* The command's inputs, and reading them into one dataset. */
#ifndef FIMBIT_CLI_INPUT_H
#define FIMBIT_CLI_INPUT_H

#include "fimbit.h"
#include "options.h"

/* Points *paths at the inputs of `options`, or at "-" (standard input) when
 * there are none, warning when that is a terminal ("reading <what> from the
 * terminal"). @return how many paths there are. */
size_t cli_input_paths(const cli_options *options, const char *what, const char *const **paths);

/* Reads every input of `options` (standard input when there are none) as one
 * dataset, and with --verbose reports the time taken and the dataset's size. */
fimbit_status cli_read_dataset(const cli_options *options, fimbit_dataset **dataset,
                               fimbit_error *error);

/* Reads --group-map FILE[:COLUMN] when given (*map is NULL otherwise). */
fimbit_status cli_read_group_map(const cli_options *options, fimbit_group_map **map,
                                 fimbit_error *error);

/* Reads every input split by --group (through --group-map when given), and
 * warns once, with their count, about rows the map has no group for. */
fimbit_status cli_read_groups(const cli_options *options, fimbit_groups **groups,
                              fimbit_error *error);

/* Warns (unless --quiet) about each name of the item lists that does not
 * occur in `dataset`: a constraint on it is no error, but likely a typo. */
void cli_warn_unknown_items(const cli_options *options, const fimbit_dataset *dataset);

/* The same for mining by group: an item is unknown when no group has it. */
void cli_warn_unknown_group_items(const cli_options *options, const fimbit_groups *groups);

#endif /* FIMBIT_CLI_INPUT_H */
