/*
 * Where the bytes go: standard output, or a file written atomically (a
 * temporary name renamed into place on commit), or a device written in place.
 */
#ifndef FIMBIT_WRITE_TARGET_H
#define FIMBIT_WRITE_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/internal.h"

/* Standard output, a file written under a temporary name and renamed into
 * place on commit, or (for an existing path that is not a regular file, such
 * as /dev/null or a FIFO) the path itself. */
typedef struct output_target {
    int fd;            /* -1 for standard output */
    bool to_stdout;
    bool direct;       /* writing to the path itself, no rename */
    const char *path;  /* as given; names the target in messages */
    char *temp_path;   /* owned; NULL unless writing under a temporary name */
    char *final_path;  /* owned; the resolved target when path is a symbolic link */
} output_target;

/* Opens `path` (NULL or "-": standard output). @return FIMBIT_OK, FIMBIT_EIO,
 * FIMBIT_ENOMEM, or FIMBIT_EINVAL for an empty path; on failure nothing is
 * left behind. */
fimbit_status output_open(output_target *target, const char *path, fimbit_error *error);

/* Writes all of data[0 .. size). @return FIMBIT_OK or FIMBIT_EIO (the target
 * stays open: call output_abort). */
fimbit_status output_write(output_target *target, const void *data, size_t size,
                           fimbit_error *error);

/* Finishes: flushes standard output, or closes the file and renames it into
 * place. On failure the temporary file is removed. Either way the target is
 * released. */
fimbit_status output_commit(output_target *target, fimbit_error *error);

/* Gives up: removes the temporary file, releases the target. */
void output_abort(output_target *target);

#endif /* FIMBIT_WRITE_TARGET_H */
