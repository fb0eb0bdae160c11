#include "top_rules.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output_file.h"

/* Copies the first `records` records of `in` to `out`. A record ends at a
 * newline; in CSV a newline inside a quoted field does not end it (a doubled
 * quote inside a field toggles twice, which leaves the state right). */
static void copy_records(FILE *in, FILE *out, uint64_t records, bool csv)
{
    bool quoted = false;
    int c;
    while (records > 0 && (c = getc(in)) != EOF) {
        putc(c, out);
        if (csv && c == '"')
            quoted = !quoted;
        else if (c == '\n' && !quoted)
            records--;
    }
}

fimbit_status cli_write_top_rules(const fimbit_rules *rules, fimbit_format format,
                                  const char *path, uint64_t keep, fimbit_error *error)
{
    if (fimbit_rules_count(rules) <= keep)
        return fimbit_rules_write(rules, format, path, error);

    char all_path[4096];
    fimbit_status status = cli_temp_file_beside(path, all_path, sizeof all_path, error);
    if (status != FIMBIT_OK)
        return status;
    status = fimbit_rules_write(rules, format, all_path, error);
    if (status != FIMBIT_OK) {
        unlink(all_path);
        return status;
    }

    FILE *all = fopen(all_path, "r");
    if (all == NULL) {
        int saved = errno;
        unlink(all_path);
        return cli_error_set(error, FIMBIT_EIO, "%s: %s", all_path, strerror(saved));
    }
    cli_output output;
    status = cli_output_open(&output, path, error);
    if (status == FIMBIT_OK) {
        bool csv = format == FIMBIT_FORMAT_CSV;
        copy_records(all, output.file, csv ? keep + 1 : keep, csv);
        if (ferror(all)) {
            int saved = errno;
            cli_output_abort(&output);
            status = cli_error_set(error, FIMBIT_EIO, "%s: %s", all_path, strerror(saved));
        } else {
            status = cli_output_commit(&output, error);
        }
    }
    fclose(all);
    unlink(all_path);
    return status;
}
