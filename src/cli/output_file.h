/*
 * Output that the CLI formats itself (info, recommend, report), through a
 * stdio stream, with the library's promise (write/target.h): a new file is
 * created unnamed and named only when complete and on disk, so a failed,
 * stopped or killed run leaves no file that looks finished and never destroys
 * an existing one.
 */
#ifndef FIMBIT_CLI_OUTPUT_FILE_H
#define FIMBIT_CLI_OUTPUT_FILE_H

#include <stdio.h>

#include "fimbit.h"
#include "write/target.h"

typedef struct cli_output {
    FILE *file;               /* write here */
    output_target target;     /* where the bytes land */
    fimbit_error write_error; /* the first failed write's, which names its cause */
    bool write_failed;
} cli_output;

/* Opens `path` (NULL or "-" = standard output) for writing. An existing path
 * that is not a regular file (/dev/null, a FIFO) is written directly. The
 * stream refers to `output`, which must stay where it is until finished. */
fimbit_status cli_output_open(cli_output *output, const char *path, fimbit_error *error);

/* Flushes and closes the output, and puts a file in place. On failure the new
 * file is removed. */
fimbit_status cli_output_commit(cli_output *output, fimbit_error *error);

/* Gives up: closes and removes the new file. NULL file is allowed. */
void cli_output_abort(cli_output *output);

/* Ends an output written with `status`: commits it when FIMBIT_OK, else
 * aborts it. @return the commit's status, or `status` itself. */
fimbit_status cli_output_finish(cli_output *output, fimbit_status status, fimbit_error *error);

/* Fills `error` with `code` and a printf-style message. @return `code`. */
fimbit_status cli_error_set(fimbit_error *error, fimbit_status code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* FIMBIT_CLI_OUTPUT_FILE_H */
