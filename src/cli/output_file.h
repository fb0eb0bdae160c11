/*
 * Output that the CLI formats itself (info, --top), with the library's
 * promise: a file is written under a temporary name in the same directory and
 * renamed into place only when complete, so a failed run leaves no file that
 * looks finished and never destroys an existing one.
 */
#ifndef FIMBIT_CLI_OUTPUT_FILE_H
#define FIMBIT_CLI_OUTPUT_FILE_H

#include <stdio.h>

#include "fimbit.h"

typedef struct cli_output {
    FILE *file;          /* write here */
    const char *path;    /* the final name; NULL = standard output */
    int direct;          /* writing to `path` itself (not a regular file) */
    char temp_path[4096];
} cli_output;

/* Opens `path` (NULL or "-" = standard output) for writing. An existing path
 * that is not a regular file (/dev/null, a FIFO) is written directly. */
fimbit_status cli_output_open(cli_output *output, const char *path, fimbit_error *error);

/* Flushes and closes the output, and renames a file into place. On failure
 * the temporary file is removed. */
fimbit_status cli_output_commit(cli_output *output, fimbit_error *error);

/* Gives up: closes and removes the temporary file. NULL file is allowed. */
void cli_output_abort(cli_output *output);

/* Creates an empty temporary file beside `path` (in $TMPDIR, else /tmp, when
 * `path` is NULL or not a regular file) and writes its name to `temp_path`. */
fimbit_status cli_temp_file_beside(const char *path, char *temp_path, size_t size,
                                   fimbit_error *error);

/* Fills `error` with `code` and a printf-style message. @return `code`. */
fimbit_status cli_error_set(fimbit_error *error, fimbit_status code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* FIMBIT_CLI_OUTPUT_FILE_H */
