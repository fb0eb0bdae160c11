/* rules --top N: write only the N strongest rules. */
#ifndef FIMBIT_CLI_TOP_RULES_H
#define FIMBIT_CLI_TOP_RULES_H

#include <stdint.h>

#include "fimbit.h"

/* Writes the first `keep` rules of `rules` (in their current order) to `path`
 * (NULL = standard output) in `format`, dropping the others from `rules`. */
fimbit_status cli_write_top_rules(fimbit_rules *rules, fimbit_format format, const char *path,
                                  uint64_t keep, fimbit_error *error);

#endif /* FIMBIT_CLI_TOP_RULES_H */
