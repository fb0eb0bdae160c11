/*
 * Where the bytes go (see target.h). Files are written atomically: to
 * "<path>.tmp-XXXXXX" in the same directory, closed, then renamed over path
 * (exchanged with an existing file, which is then removed: see
 * move_into_place); any failure removes the temporary file and leaves an
 * existing file at path untouched. The temporary file is created with
 * open(O_CREAT | O_EXCL, 0666), so the kernel applies the umask (and any
 * default ACL) exactly as for a file created in place; mkstemp's 0600 would
 * need the process umask, which cannot be read without changing it. Replacing
 * an existing file keeps its permission bits; a symbolic link to a file is
 * kept and its target replaced. Paths that exist but are not regular files
 * (/dev/null, /dev/full, FIFOs) are written in place: renaming over a device
 * would replace the device. There is no fsync: a failed run never leaves a
 * file under the final name, but after a power failure a renamed file may be
 * incomplete on file systems that commit the rename before the data.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "target.h"

static fimbit_status io_error(fimbit_error *error, const output_target *target, const char *what,
                              int code)
{
    const char *name = target->to_stdout ? "standard output" : target->path;
    if (what)
        return fimbit__error_set(error, FIMBIT_EIO, name, 0, 0, "%s: %s", what, strerror(code));
    return fimbit__error_set(error, FIMBIT_EIO, name, 0, 0, "%s", strerror(code));
}

/* Six characters for a temporary name, different on every call. */
static void temp_suffix(char *out)
{
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Atomic uint64_t counter;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t x = ((uint64_t)now.tv_nsec << 20) ^ (uint64_t)now.tv_sec ^
                 ((uint64_t)getpid() << 40) ^ (atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ULL);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 29;
    for (int i = 0; i < 6; i++) {
        out[i] = alphabet[x % 62];
        x /= 62;
    }
    out[6] = '\0';
}

fimbit_status output_open(output_target *target, const char *path, fimbit_error *error)
{
    *target = (output_target){.fd = -1, .path = path};
    if (path == NULL || strcmp(path, "-") == 0) {
        target->to_stdout = true;
        target->path = "-";
        return FIMBIT_OK;
    }

    if (path[0] == '\0')
        return fimbit__fail(error, FIMBIT_EINVAL, "the output path is empty");

    struct stat existing;
    bool exists = stat(path, &existing) == 0;
    if (exists && !S_ISREG(existing.st_mode)) {
        int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0)
            return io_error(error, target, NULL, errno);
        target->fd = fd;
        target->direct = true;
        return FIMBIT_OK;
    }

    /* Through a symbolic link to a regular file, the file is replaced: the
     * temporary file goes beside the link's target, and the rename lands there,
     * so the link survives. */
    const char *final_path = path;
    struct stat link;
    if (exists && lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
        char *resolved = realpath(path, NULL);
        if (resolved == NULL)
            return io_error(error, target, NULL, errno);
        target->final_path = fimbit__strdup(resolved);
        free(resolved);
        if (target->final_path == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory");
        final_path = target->final_path;
    }

    size_t length = strlen(final_path);
    char *temp_path = fimbit__malloc(length + sizeof ".tmp-XXXXXX");
    if (temp_path == NULL) {
        fimbit__free(target->final_path);
        target->final_path = NULL;
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory");
    }
    memcpy(temp_path, final_path, length);
    memcpy(temp_path + length, ".tmp-", 5);
    int fd = -1;
    for (int attempt = 0; attempt < 1000; attempt++) {
        temp_suffix(temp_path + length + 5);
        fd = open(temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, exists ? 0600 : 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int code = errno;
        fimbit__free(temp_path);
        fimbit__free(target->final_path);
        target->final_path = NULL;
        return io_error(error, target, NULL, code);
    }
    target->fd = fd;
    target->temp_path = temp_path;
    if (exists && fchmod(fd, existing.st_mode & 0777) != 0) {
        int code = errno;
        output_abort(target);
        return io_error(error, target, NULL, code);
    }
    return FIMBIT_OK;
}

/* Puts the temporary file at final_path. Over an existing file the two are
 * exchanged and the old one, now under the temporary name, removed: readers of
 * final_path see the old file, then the new, as with rename(). A rename that
 * replaces a file makes ext4 (auto_da_alloc) write the new file out before it
 * returns, seconds for gigabytes of itemsets; an exchange does not.
 * @return 0, or -1 with errno set. */
static int move_into_place(const char *temp_path, const char *final_path)
{
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, temp_path, AT_FDCWD, final_path, RENAME_EXCHANGE) == 0) {
        /* The old file, in the same directory as the new: removing it cannot
         * fail where the exchange succeeded, short of a concurrent change. */
        unlink(temp_path);
        return 0;
    }
#endif
    /* No file to exchange with, or a file system without exchanges. */
    return rename(temp_path, final_path);
}

fimbit_status output_write(output_target *target, const void *data, size_t size,
                           fimbit_error *error)
{
    if (size == 0)
        return FIMBIT_OK;
    if (target->to_stdout) {
        errno = 0;
        if (fwrite(data, 1, size, stdout) != size)
            return io_error(error, target, NULL, errno ? errno : EIO);
        return FIMBIT_OK;
    }
    const char *bytes = data;
    while (size > 0) {
        ssize_t written = write(target->fd, bytes, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return io_error(error, target, NULL, errno);
        }
        bytes += written;
        size -= (size_t)written;
    }
    return FIMBIT_OK;
}

static void target_release(output_target *target)
{
    fimbit__free(target->temp_path);
    target->temp_path = NULL;
    fimbit__free(target->final_path);
    target->final_path = NULL;
    target->fd = -1;
}

void output_abort(output_target *target)
{
    if (target->to_stdout) {
        fflush(stdout);
        return;
    }
    if (target->fd >= 0)
        close(target->fd);
    if (target->temp_path)
        unlink(target->temp_path);
    target_release(target);
}

fimbit_status output_commit(output_target *target, fimbit_error *error)
{
    if (target->to_stdout) {
        errno = 0;
        if (fflush(stdout) != 0)
            return io_error(error, target, NULL, errno ? errno : EIO);
        return FIMBIT_OK;
    }
    int fd = target->fd;
    target->fd = -1;
    if (close(fd) != 0) {
        int code = errno;
        if (target->temp_path)
            unlink(target->temp_path);
        target_release(target);
        return io_error(error, target, NULL, code);
    }
    const char *final_path = target->final_path ? target->final_path : target->path;
    if (target->temp_path && move_into_place(target->temp_path, final_path) != 0) {
        int code = errno;
        unlink(target->temp_path);
        target_release(target);
        return io_error(error, target, "cannot rename the temporary file into place", code);
    }
    target_release(target);
    return FIMBIT_OK;
}

