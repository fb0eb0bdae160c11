/* The subcommands. Each takes parsed options and returns the exit code. */
#ifndef FIMBIT_CLI_COMMANDS_H
#define FIMBIT_CLI_COMMANDS_H

#include "options.h"

int cli_run_itemsets(const cli_options *options);
int cli_run_rules(const cli_options *options);
int cli_run_info(const cli_options *options);
int cli_run_recommend(const cli_options *options);
int cli_run_report(const cli_options *options);
int cli_run_gen(const cli_options *options);
int cli_run_rfm(const cli_options *options);

#endif /* FIMBIT_CLI_COMMANDS_H */
