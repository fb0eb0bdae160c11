#include "output_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <string.h>

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

/* stdio's buffer is flushed through the target, so that a failed write keeps
 * its cause (a full disk, a quota): stdio itself remembers only that a write
 * failed, and the errno of the moment is gone by the time fclose reports. */
static ssize_t write_through_target(void *cookie, const char *data, size_t size)
{
    cli_output *output = cookie;
    if (!output->write_failed &&
        output_write(&output->target, data, size, &output->write_error) != FIMBIT_OK)
        output->write_failed = true;
    if (output->write_failed) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)size;
}

fimbit_status cli_output_open(cli_output *output, const char *path, fimbit_error *error)
{
    output->file = NULL;
    output->write_failed = false;
    fimbit_status status = output_open(&output->target, path, error);
    if (status != FIMBIT_OK)
        return status;
    if (output->target.to_stdout) {
        output->file = stdout;
        return FIMBIT_OK;
    }
    output->file = fopencookie(output, "w", (cookie_io_functions_t){.write = write_through_target});
    if (output->file == NULL) {
        int saved = errno;
        output_abort(&output->target);
        return cli_error_set(error, FIMBIT_EIO, "%s: %s", path, strerror(saved));
    }
    /* One thread formats the output: no lock taken per character. */
    __fsetlocking(output->file, FSETLOCKING_BYCALLER);
    return FIMBIT_OK;
}

fimbit_status cli_output_commit(cli_output *output, fimbit_error *error)
{
    if (output->target.to_stdout) {
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
    if (failed) {
        const char *path = output->target.path;
        output_abort(&output->target);
        if (output->write_failed) {
            if (error != NULL)
                *error = output->write_error;
            return output->write_error.code;
        }
        return cli_error_set(error, FIMBIT_EIO, "%s: %s", path, strerror(saved));
    }
    return output_commit(&output->target, error);
}

void cli_output_abort(cli_output *output)
{
    if (output->target.to_stdout) {
        fflush(stdout);
        return;
    }
    if (output->file != NULL)
        fclose(output->file);
    output->file = NULL;
    output_abort(&output->target);
}

fimbit_status cli_output_finish(cli_output *output, fimbit_status status, fimbit_error *error)
{
    if (status == FIMBIT_OK)
        return cli_output_commit(output, error);
    cli_output_abort(output);
    return status;
}
