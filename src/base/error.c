/* Status names and messages (from the one table in fimbit.h) and error filling. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *fimbit_version(void) { return FIMBIT_VERSION_STRING; }

const char *fimbit_status_str(fimbit_status status)
{
    switch (status) {
#define FIMBIT_STATUS_TEXT_(name, value, text) \
    case FIMBIT_##name:                        \
        return text;
        FIMBIT_STATUS_MAP(FIMBIT_STATUS_TEXT_)
#undef FIMBIT_STATUS_TEXT_
    }
    return "unknown status";
}

const char *fimbit_status_name(fimbit_status status)
{
    switch (status) {
#define FIMBIT_STATUS_NAME_(name, value, text) \
    case FIMBIT_##name:                        \
        return #name;
        FIMBIT_STATUS_MAP(FIMBIT_STATUS_NAME_)
#undef FIMBIT_STATUS_NAME_
    }
    return "UNKNOWN";
}

fimbit_status fimbit__error_set(fimbit_error *error, fimbit_status code, const char *file,
                                uint64_t line, uint64_t column, const char *format, ...)
{
    /* Memory exhausted under a limit the caller set is that limit's doing:
     * say so, with ELIMIT, wherever in the library it happened. */
    bool limited = code == FIMBIT_ENOMEM && fimbit__memory_limit_refused();
    if (limited)
        code = FIMBIT_ELIMIT;
    if (error == NULL)
        return code;
    error->code = code;
    error->line = line;
    error->column = column;
    snprintf(error->file, sizeof error->file, "%s", file ? file : "");

    int used = 0;
    if (file && line > 0)
        used = snprintf(error->message, sizeof error->message, "%s:%llu:%llu: ", file,
                        (unsigned long long)line, (unsigned long long)column);
    else if (file)
        used = snprintf(error->message, sizeof error->message, "%s: ", file);
    if (used < 0 || (size_t)used >= sizeof error->message)
        used = 0;
    if (limited) {
        fimbit_memory_usage usage;
        fimbit_get_memory_usage(&usage);
        int more = snprintf(error->message + used, sizeof error->message - (size_t)used,
                            "memory limit of %llu bytes reached: ",
                            (unsigned long long)usage.limit);
        if (more > 0 && (size_t)(used + more) < sizeof error->message)
            used += more;
    }

    va_list args;
    va_start(args, format);
    vsnprintf(error->message + used, sizeof error->message - (size_t)used, format, args);
    va_end(args);
    /* One printable line, whatever a name quoted in it holds (an item
     * "a\nb" read from JSON, a path with a tab). */
    for (char *c = error->message; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return code;
}
