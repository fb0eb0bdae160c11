/*
 * Where the bytes go (see target.h).
 *
 * Files are written atomically and durably. The new file is created unnamed
 * in the target's directory (open with O_TMPFILE), so a process killed at any
 * moment, even by SIGKILL, leaves nothing behind: the kernel frees a file
 * without a name. When complete, it is flushed to disk (fsync), given a name
 * (linkat through /proc/self/fd) and the directory flushed too, so a run that
 * reported success keeps its file through a crash or power loss. Over an
 * existing file the name is first a temporary one ("<path>.tmp-XXXXXX",
 * linkat cannot replace), then the two are exchanged and the old file removed
 * (see move_into_place). Where the file system has no O_TMPFILE, or /proc is
 * not mounted, the file is created under that temporary name from the start
 * (open(O_CREAT | O_EXCL, 0666)), which SIGKILL can leave behind. Either way
 * a failure or a stop removes the new file and leaves an existing file at
 * path untouched, and the kernel applies the umask (and any default ACL)
 * exactly as for a file created in place. Replacing an existing file keeps
 * its permission bits; a symbolic link is kept and the file it leads to
 * replaced, or created when it does not exist yet (as open() would). Paths
 * that exist but are not regular files (/dev/null, /dev/full, FIFOs) are
 * written in place: renaming over a device would replace the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/mix64.h"
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
    uint64_t x = fimbit__mix64(((uint64_t)now.tv_nsec << 20) ^ (uint64_t)now.tv_sec ^
                               ((uint64_t)getpid() << 40) ^ atomic_fetch_add(&counter, 1));
    for (int i = 0; i < 6; i++) {
        out[i] = alphabet[x % 62];
        x /= 62;
    }
    out[6] = '\0';
}

/* "<path>.tmp-XXXXXX" with a first suffix: owned, or NULL. */
static char *temp_name_beside(const char *path)
{
    size_t length = strlen(path);
    char *name = fimbit__malloc(length + sizeof ".tmp-XXXXXX");
    if (name == NULL)
        return NULL;
    memcpy(name, path, length);
    memcpy(name + length, ".tmp-", 5);
    temp_suffix(name + length + 5);
    return name;
}

/* Gives a temporary name from temp_name_beside() another suffix. */
static void temp_name_renew(char *name)
{
    temp_suffix(name + strlen(name) - 6);
}

/* The directory holding `path` ("." for a bare name): owned, or NULL. */
static char *directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return fimbit__strdup(".");
    if (slash == path)
        return fimbit__strdup("/");
    char *directory = fimbit__malloc((size_t)(slash - path) + 1);
    if (directory != NULL) {
        memcpy(directory, path, (size_t)(slash - path));
        directory[slash - path] = '\0';
    }
    return directory;
}

/* What the symbolic link at `link` (of `size` bytes by lstat) holds, as a
 * path from where `link` is seen: owned, or NULL with errno. */
static char *link_target(const char *link, size_t size)
{
    const char *slash = strrchr(link, '/');
    size_t prefix = slash ? (size_t)(slash - link) + 1 : 0;
    /* lstat's size is not always the link's: /proc's links report 64 bytes
     * whatever they hold. None holds more than PATH_MAX. */
    if (size < PATH_MAX)
        size = PATH_MAX;
    char *path = fimbit__malloc(prefix + size + 1);
    if (path == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    ssize_t length = readlink(link, path + prefix, size + 1);
    if (length < 0 || (size_t)length > size) {
        /* Changed since lstat: give up as open() would on a race. */
        if (length >= 0)
            errno = EAGAIN;
        fimbit__free(path);
        return NULL;
    }
    if (path[prefix] == '/') {
        memmove(path, path + prefix, (size_t)length);
        prefix = 0;
    } else {
        memcpy(path, link, prefix);
    }
    path[prefix + (size_t)length] = '\0';
    return path;
}

/* The path that `path`, a symbolic link, leads to, followed link by link as
 * open() does, whether a file is there yet or not: owned, or NULL with errno. */
static char *link_destination(const char *path)
{
    char *current = fimbit__strdup(path);
    if (current == NULL)
        errno = ENOMEM;
    for (int hops = 0; current != NULL; hops++) {
        struct stat info;
        if (lstat(current, &info) != 0 || !S_ISLNK(info.st_mode))
            return current;
        char *next = hops < 40 ? link_target(current, (size_t)info.st_size) : NULL;
        int code = hops < 40 ? errno : ELOOP;
        fimbit__free(current);
        current = next;
        errno = code;
    }
    return NULL;
}

/* Creates the unnamed file in `directory`. @return the descriptor; or -1 with
 * errno, where ENOTSUP means the system cannot (no O_TMPFILE on the file
 * system, no /proc to name the file through later). */
static int open_unnamed(const char *directory, mode_t mode)
{
#ifdef O_TMPFILE
    if (access("/proc/self/fd", X_OK) == 0) {
        int fd = open(directory, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
        /* Old kernels and some file systems refuse O_TMPFILE with these. */
        if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
            errno = ENOTSUP;
        return fd;
    }
#endif
    (void)directory;
    (void)mode;
    errno = ENOTSUP;
    return -1;
}

/* Creates the file named `temp_path` (renewing its suffix while taken).
 * @return the descriptor, or -1 with errno. */
static int open_named_temp(char *temp_path, mode_t mode)
{
    int fd = -1;
    for (int attempt = 0; attempt < 1000; attempt++, temp_name_renew(temp_path)) {
        fd = open(temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    return fd;
}

static void target_release(output_target *target)
{
    fimbit__free(target->temp_path);
    target->temp_path = NULL;
    fimbit__free(target->final_path);
    target->final_path = NULL;
    fimbit__free(target->directory);
    target->directory = NULL;
    target->fd = -1;
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

    /* Through a symbolic link, the file it leads to is replaced (or
     * created): the new file goes beside it, and the rename lands there, so
     * the link survives. */
    const char *final_path = path;
    struct stat link;
    if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
        target->final_path = link_destination(path);
        if (target->final_path == NULL) {
            if (errno == ENOMEM)
                return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory");
            return io_error(error, target, NULL, errno);
        }
        final_path = target->final_path;
    }

    /* Both names now: committing allocates nothing. */
    target->directory = directory_of(final_path);
    target->temp_path = temp_name_beside(final_path);
    if (target->directory == NULL || target->temp_path == NULL) {
        target_release(target);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory");
    }
    mode_t mode = exists ? 0600 : 0666;
    int fd = open_unnamed(target->directory, mode);
    target->unnamed = fd >= 0;
    if (fd < 0 && errno == ENOTSUP)
        fd = open_named_temp(target->temp_path, mode);
    if (fd < 0) {
        int code = errno;
        target_release(target);
        return io_error(error, target, NULL, code);
    }
    target->fd = fd;
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
 * returns; an exchange does not (the fsync before has done it already).
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

/* Gives the unnamed file of `fd` the name final_path: a new name directly,
 * over an existing file through temp_path (a complete file, which SIGKILL in
 * the instant between the two steps would leave). @return 0, or -1 with
 * errno set. */
static int link_into_place(int fd, char *temp_path, const char *final_path)
{
    char fd_path[64];
    snprintf(fd_path, sizeof fd_path, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, fd_path, AT_FDCWD, final_path, AT_SYMLINK_FOLLOW) == 0)
        return 0;
    if (errno != EEXIST)
        return -1;
    for (int attempt = 0; attempt < 1000; attempt++, temp_name_renew(temp_path)) {
        if (linkat(AT_FDCWD, fd_path, AT_FDCWD, temp_path, AT_SYMLINK_FOLLOW) == 0) {
            if (move_into_place(temp_path, final_path) == 0)
                return 0;
            int code = errno;
            unlink(temp_path);
            errno = code;
            return -1;
        }
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

/* Flushes a directory's entries to disk. @return 0, or -1 with errno. */
static int sync_directory(const char *directory)
{
    int fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int code = errno;
    close(fd);
    errno = code;
    return rc;
}

uint64_t output_steps_reached(uint64_t offset, uint64_t size, uint64_t *first)
{
    *first = offset / OUTPUT_WRITEBACK_STEP;
    return (offset + size) / OUTPUT_WRITEBACK_STEP - *first;
}

/* Starts the disk on the steps that a write of [offset, offset + size) to a
 * new file completes. The kernel writes a file's dirty pages on its own only
 * when they are old or many, so a large new file would go to disk whole in
 * the commit's fsync, while every other thread waits (chess 959 closed, 194
 * MB: 0.1 s). Started step by step, the disk works while the run goes on. */
static void start_writeback(const output_target *target, uint64_t offset, uint64_t size)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (target->to_stdout || target->direct)
        return;
    uint64_t step;
    /* Only a start: a failure to write shows at the fsync, which reports it. */
    for (uint64_t n = output_steps_reached(offset, size, &step); n > 0; n--, step++)
        sync_file_range(target->fd, (off_t)(step * OUTPUT_WRITEBACK_STEP),
                        (off_t)OUTPUT_WRITEBACK_STEP, SYNC_FILE_RANGE_WRITE);
#else
    (void)target, (void)offset, (void)size;
#endif
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
    size = (size_t)(bytes - (const char *)data);
    start_writeback(target, target->written, size);
    target->written += size;
    return FIMBIT_OK;
}

fimbit_status output_write_at(const output_target *target, const void *data, size_t size,
                              uint64_t offset, fimbit_error *error)
{
    const char *bytes = data;
    for (size_t done = 0; done < size;) {
        ssize_t written = pwrite(target->fd, bytes + done, size - done, (off_t)(offset + done));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return io_error(error, target, NULL, errno);
        }
        done += (size_t)written;
    }
    start_writeback(target, offset, size);
    return FIMBIT_OK;
}

void output_abort(output_target *target)
{
    if (target->to_stdout) {
        fflush(stdout);
        return;
    }
    if (target->fd >= 0)
        close(target->fd);
    if (target->temp_path && !target->unnamed)
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
    if (target->direct) {
        int fd = target->fd;
        target->fd = -1;
        if (close(fd) != 0)
            return io_error(error, target, NULL, errno);
        return FIMBIT_OK;
    }
    /* The data on disk before the name: a name never points at a file that
     * a crash could leave short. */
    if (fsync(target->fd) != 0) {
        int code = errno;
        output_abort(target);
        return io_error(error, target, NULL, code);
    }
    const char *final_path = target->final_path ? target->final_path : target->path;
    int rc = target->unnamed ? link_into_place(target->fd, target->temp_path, final_path)
                             : move_into_place(target->temp_path, final_path);
    if (rc != 0) {
        int code = errno;
        output_abort(target);
        return io_error(error, target, "cannot move the new file into place", code);
    }
    int closed = close(target->fd);
    int code = errno;
    target->fd = -1;
    /* The name on disk before success is reported. */
    if (closed == 0 && sync_directory(target->directory) != 0)
        closed = -1, code = errno;
    target_release(target);
    if (closed != 0)
        return io_error(error, target, NULL, code);
    return FIMBIT_OK;
}
