/* JSON text for the CLI's own writers (info, recommend, report). */
#ifndef FIMBIT_CLI_JSON_H
#define FIMBIT_CLI_JSON_H

#include <stdio.h>

/* Writes `text` as a JSON string, quotes included: '"' and '\' are escaped,
 * control characters written as \u00XX; other bytes (UTF-8) pass as they are. */
void cli_write_json_string(FILE *out, const char *text);

/* Writes a finite number in its shortest %.6g form, or null for NaN and the
 * infinities, which JSON cannot hold. */
void cli_write_json_number(FILE *out, double value);

#endif /* FIMBIT_CLI_JSON_H */
