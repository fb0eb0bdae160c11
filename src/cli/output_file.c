#include "output_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

fimbit_status cli_error_set(fimbit_error *error, fimbit_status code, const char *format, ...)
{
    if (error != NULL) {
        memset(error, 0, sizeof *error);
        error->code = code;
        va_list args;
        va_start(args, format);
        vsnprintf(error->message, sizeof error->message, format, args);
        va_end(args);
    }
    return code;
}

fimbit_status cli_temp_file_beside(const char *path, char *temp_path, size_t size,
                                   fimbit_error *error)
{
    int written;
    struct stat info;
    if (path != NULL && stat(path, &info) == 0 && !S_ISREG(info.st_mode))
        path = NULL; /* /dev/null, a FIFO: no directory of ours to write in */
    if (path == NULL) {
        const char *directory = getenv("TMPDIR");
        if (directory == NULL || directory[0] == '\0')
            directory = "/tmp";
        written = snprintf(temp_path, size, "%s/fimbit-XXXXXX", directory);
    } else {
        /* Same directory as the final file, so that rename() is atomic. */
        const char *slash = strrchr(path, '/');
        int directory_length = slash == NULL ? 0 : (int)(slash - path) + 1;
        written = snprintf(temp_path, size, "%.*s.%s.fimbit-XXXXXX", directory_length, path,
                           slash == NULL ? path : slash + 1);
    }
    if (written < 0 || (size_t)written >= size)
        return cli_error_set(error, FIMBIT_EIO, "%s: file name too long",
                             path != NULL ? path : "temporary file");
    int fd = mkstemp(temp_path);
    if (fd < 0) {
        int saved = errno;
        return cli_error_set(error, FIMBIT_EIO, "%s: cannot create a file: %s",
                             path != NULL ? path : temp_path, strerror(saved));
    }
    /* mkstemp makes the file 0600; give it the permissions a new file gets. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* Not fatal: the file is still ours to write. */
    }
    close(fd);
    return FIMBIT_OK;
}

fimbit_status cli_output_open(cli_output *output, const char *path, fimbit_error *error)
{
    memset(output, 0, sizeof *output);
    if (path == NULL || strcmp(path, "-") == 0) {
        output->file = stdout;
        return FIMBIT_OK;
    }
    output->path = path;
    /* An existing path that is not a regular file (/dev/null, a FIFO) cannot
     * be replaced by a rename: write to it directly. */
    struct stat info;
    if (stat(path, &info) == 0 && !S_ISREG(info.st_mode)) {
        output->direct = 1;
        output->file = fopen(path, "w");
        if (output->file == NULL) {
            int saved = errno;
            return cli_error_set(error, FIMBIT_EIO, "%s: %s", path, strerror(saved));
        }
        return FIMBIT_OK;
    }
    fimbit_status status =
        cli_temp_file_beside(path, output->temp_path, sizeof output->temp_path, error);
    if (status != FIMBIT_OK)
        return status;
    output->file = fopen(output->temp_path, "w");
    if (output->file == NULL) {
        int saved = errno;
        unlink(output->temp_path);
        return cli_error_set(error, FIMBIT_EIO, "%s: %s", path, strerror(saved));
    }
    return FIMBIT_OK;
}

fimbit_status cli_output_commit(cli_output *output, fimbit_error *error)
{
    if (output->path == NULL) {
        errno = 0;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            int saved = errno != 0 ? errno : EIO;
            return cli_error_set(error, FIMBIT_EIO, "standard output: %s", strerror(saved));
        }
        return FIMBIT_OK;
    }
    int failed = ferror(output->file);
    int saved = failed ? EIO : 0;
    errno = 0;
    if (fclose(output->file) != 0 && !failed) {
        failed = 1;
        saved = errno != 0 ? errno : EIO;
    }
    output->file = NULL;
    if (output->direct) {
        if (failed)
            return cli_error_set(error, FIMBIT_EIO, "%s: %s", output->path, strerror(saved));
        return FIMBIT_OK;
    }
    if (!failed && rename(output->temp_path, output->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(output->temp_path);
        return cli_error_set(error, FIMBIT_EIO, "%s: %s", output->path, strerror(saved));
    }
    return FIMBIT_OK;
}

void cli_output_abort(cli_output *output)
{
    if (output->path == NULL) {
        fflush(stdout);
        return;
    }
    if (output->file != NULL)
        fclose(output->file);
    output->file = NULL;
    if (!output->direct)
        unlink(output->temp_path);
}
