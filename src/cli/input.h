/* Reading the command's inputs into one dataset. */
#ifndef FIMBIT_CLI_INPUT_H
#define FIMBIT_CLI_INPUT_H

#include "fimbit.h"
#include "options.h"

/* Reads every input of `options` (standard input when there are none) as one
 * dataset, and with --verbose reports the time taken and the dataset's size. */
fimbit_status cli_read_dataset(const cli_options *options, fimbit_dataset **dataset,
                               fimbit_error *error);

#endif /* FIMBIT_CLI_INPUT_H */
