#include "top_rules.h"

fimbit_status cli_write_top_rules(fimbit_rules *rules, fimbit_format format, const char *path,
                                  uint64_t keep, fimbit_error *error)
{
    if (keep < fimbit_rules_count(rules))
        fimbit_rules_truncate(rules, (size_t)keep);
    return fimbit_rules_write(rules, format, path, error);
}
