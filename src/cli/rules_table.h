/* rules -f table: the rules as aligned columns, for a terminal. */
#ifndef FIMBIT_CLI_RULES_TABLE_H
#define FIMBIT_CLI_RULES_TABLE_H

#include <stdint.h>

#include "fimbit.h"

/* Writes the first `keep` rules of `rules` (every rule when keep is 0), in
 * their current order, to `path` (NULL = standard output) as a table: a
 * header row, then per rule the antecedent and consequent in the braced text
 * form ("{butter, yogurt}"), confidence, lift, support and count, then the
 * extra measures in `measures` (FIMBIT_MEASURE_BIT()s, in fimbit_measure
 * order, headed by their names), columns padded to their widest cell
 * (counted in UTF-8 characters). */
fimbit_status cli_write_rules_table(const fimbit_dataset *dataset, const fimbit_rules *rules,
                                    uint32_t measures, const char *path, uint64_t keep,
                                    fimbit_error *error);

#endif /* FIMBIT_CLI_RULES_TABLE_H */
