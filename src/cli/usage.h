/* The --help texts and the version line. */
#ifndef FIMBIT_CLI_USAGE_H
#define FIMBIT_CLI_USAGE_H

#include <stdio.h>

#include "options.h"

/* Prints the help of `command` to `out`; CLI_COMMAND_NONE prints the overview
 * of every command. */
void cli_print_usage(FILE *out, cli_command command);

/* Prints "fimbit <version>". */
void cli_print_version(FILE *out);

#endif /* FIMBIT_CLI_USAGE_H */
