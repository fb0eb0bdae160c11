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

/* itemsets and rules with --group: every group mined on its own. */
int cli_run_itemsets_by_group(const cli_options *options);
int cli_run_rules_by_group(const cli_options *options);

#endif /* FIMBIT_CLI_COMMANDS_H */
