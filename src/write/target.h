/*
 * Where the bytes go: standard output, or a file written atomically and
 * durably (created unnamed, flushed, then named on commit), or a device
 * written in place.
 */
#ifndef FIMBIT_WRITE_TARGET_H
#define FIMBIT_WRITE_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/internal.h"

/* Standard output, a new file (unnamed, or under a temporary name where the
 * file system cannot) given its name on commit, or (for an existing path that
 * is not a regular file, such as /dev/null or a FIFO) the path itself. */
typedef struct output_target {
    int fd;            /* -1 for standard output */
    bool to_stdout;
    bool direct;       /* writing to the path itself, no rename */
    const char *path;  /* as given; names the target in messages */
    bool unnamed;      /* the new file has no name (O_TMPFILE) until commit */
    char *temp_path;   /* owned; the new file's temporary name (unnamed: the
                          name to replace an existing file through); NULL for
                          standard output and direct targets */
    char *final_path;  /* owned; the resolved target when path is a symbolic link */
    char *directory;   /* owned; the new file's directory, synced on commit */
    uint64_t written;  /* bytes written through output_write: where the next go */
} output_target;

/* Opens `path` (NULL or "-": standard output). @return FIMBIT_OK, FIMBIT_EIO,
 * FIMBIT_ENOMEM, or FIMBIT_EINVAL for an empty path; on failure nothing is
 * left behind. */
fimbit_status output_open(output_target *target, const char *path, fimbit_error *error);

/* Writes all of data[0 .. size). @return FIMBIT_OK or FIMBIT_EIO (the target
 * stays open: call output_abort). */
fimbit_status output_write(output_target *target, const void *data, size_t size,
                           fimbit_error *error);

/* A new file is handed to the disk in steps of OUTPUT_WRITEBACK_STEP bytes,
 * each as soon as a write reaches its end, not all at the commit's fsync. */
#define OUTPUT_WRITEBACK_STEP ((uint64_t)8 << 20)

/* The steps whose end lies in (offset, offset + size]: those a write of
 * [offset, offset + size) completes. @return their number; *first is the
 * first one's index. */
uint64_t output_steps_reached(uint64_t offset, uint64_t size, uint64_t *first);

/* Writes all of data[0 .. size) at `offset` of a new file, with pwrite, so
 * that threads write their blocks at once (not for standard output or a
 * device: they have no positions). @return FIMBIT_OK or FIMBIT_EIO. */
fimbit_status output_write_at(const output_target *target, const void *data, size_t size,
                              uint64_t offset, fimbit_error *error);

/* Finishes: flushes standard output; or flushes the file to disk, names it
 * (replacing an existing file), closes it and flushes its directory. On
 * failure the new file is removed. Either way the target is released. */
fimbit_status output_commit(output_target *target, fimbit_error *error);

/* Gives up: removes the new file, releases the target. */
void output_abort(output_target *target);

#endif /* FIMBIT_WRITE_TARGET_H */
