/* rules --top N: write only the N strongest rules. */
#ifndef FIMBIT_CLI_TOP_RULES_H
#define FIMBIT_CLI_TOP_RULES_H

#include <stdint.h>

#include "fimbit.h"

/* Writes the first `keep` rules of `rules` (in their current order) to `path`
 * (NULL = standard output) in `format`. The public API writes whole rule sets,
 * so the rules are written by fimbit_rules_write() to a temporary file and the
 * first `keep` records (plus the CSV header) copied from it. */
fimbit_status cli_write_top_rules(const fimbit_rules *rules, fimbit_format format,
                                  const char *path, uint64_t keep, fimbit_error *error);

#endif /* FIMBIT_CLI_TOP_RULES_H */
