#include "item_lists.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fimbit.h"
#include "read/input.h"
#include "standard_input.h"
#include "usage_message.h"

/* An @FILE larger than this is not a list of items. */
#define ITEM_FILE_LIMIT ((size_t)1 << 30)

static bool list_error(char *error, size_t error_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static bool list_error(char *error, size_t error_size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    cli_format_message(error, error_size, format, args);
    va_end(args);
    return false;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

void cli_item_list_free(cli_item_list *list)
{
    free(list->text);
    free(list->names);
    *list = (cli_item_list){0};
}

bool cli_item_list_split(const char *text, size_t length, char separator, const char *origin,
                         cli_item_list *list, char *error, size_t error_size)
{
    *list = (cli_item_list){0};
    const char *nul = memchr(text, '\0', length);
    if (nul != NULL) {
        size_t line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        if (separator == '\n')
            return list_error(error, error_size, "%s:%zu: a NUL byte in an item name", origin,
                              line);
        return list_error(error, error_size, "%s: a NUL byte in an item name", origin);
    }
    /* Each name takes at most its bytes and a NUL; separators bound the count. */
    size_t pieces = 1;
    for (size_t i = 0; i < length; i++)
        pieces += text[i] == separator;
    list->text = malloc(length + 1);
    list->names = malloc(pieces * sizeof *list->names);
    if (list->text == NULL || list->names == NULL) {
        cli_item_list_free(list);
        return list_error(error, error_size, "%s: out of memory", origin);
    }
    char *out = list->text;
    for (size_t start = 0; start <= length;) {
        const char *end = memchr(text + start, separator, length - start);
        size_t stop = end != NULL ? (size_t)(end - text) : length;
        size_t first = start, last = stop;
        while (first < last && is_blank(text[first]))
            first++;
        while (last > first && is_blank(text[last - 1]))
            last--;
        if (last > first) {
            memcpy(out, text + first, last - first);
            out[last - first] = '\0';
            list->names[list->count++] = out;
            out += last - first + 1;
        }
        start = stop + 1;
    }
    if (list->count == 0) {
        cli_item_list_free(list);
        return list_error(error, error_size, "%s: no item names", origin);
    }
    return true;
}

/* Reads the @FILE `path` whole, as basket inputs are read (standard input,
 * gzip and zstd; without a byte-order mark), into a new buffer. *name is the
 * file's name for messages. @return false with "FILE: why" in `error`. */
static bool read_item_file(const char *path, char **text, size_t *length, const char **name,
                           char *error, size_t error_size)
{
    input_source in;
    fimbit_error problem;
    fimbit_status status = input_open(&in, path, &problem);
    *name = in.name; /* the path, or a literal for standard input */
    size_t used = 0, capacity = 4096;
    char *buffer = malloc(capacity);
    const char *refusal = buffer == NULL ? "out of memory" : NULL;
    while (status == FIMBIT_OK && refusal == NULL) {
        if (used == capacity) {
            char *grown = capacity < ITEM_FILE_LIMIT ? realloc(buffer, capacity * 2) : NULL;
            if (grown == NULL) {
                refusal = capacity < ITEM_FILE_LIMIT ? "out of memory"
                                                     : "more than 1 GiB, not a list of items";
                break;
            }
            buffer = grown;
            capacity *= 2;
        }
        size_t got = 0;
        status = input_read(&in, buffer + used, capacity - used, &got, &problem);
        if (got == 0)
            break;
        used += got;
    }
    input_close(&in);
    if (status == FIMBIT_OK && refusal == NULL) {
        *text = buffer;
        *length = used;
        return true;
    }
    free(buffer);
    if (refusal != NULL)
        return list_error(error, error_size, "%s: %s", *name, refusal);
    return list_error(error, error_size, "%s", problem.message);
}

bool cli_item_list_parse(const char *value, const char *option, cli_item_list *list,
                         char *error, size_t error_size)
{
    if (value[0] != '@')
        return cli_item_list_split(value, strlen(value), ',', option, list, error, error_size);
    char *text;
    size_t length;
    const char *name;
    bool parsed = read_item_file(value + 1, &text, &length, &name, error, error_size);
    if (parsed) {
        parsed = cli_item_list_split(text, length, '\n', name, list, error, error_size);
        list->standard_input_file =
            parsed && cli_reads_standard_input(value + 1) ? value + 1 : NULL;
        free(text);
    }
    size_t prefix = strlen(option) + 2; /* "OPTION: " */
    if (!parsed && prefix < error_size) {
        /* "FILE:LINE: what" or "FILE: what", moved behind the option it came
         * from. */
        size_t message_length = strlen(error);
        if (message_length > error_size - prefix - 1)
            message_length = error_size - prefix - 1;
        memmove(error + prefix, error, message_length);
        error[prefix + message_length] = '\0';
        memcpy(error, option, prefix - 2);
        memcpy(error + prefix - 2, ": ", 2);
    }
    return parsed;
}

bool cli_parse_measures(const char *text, uint32_t *mask)
{
    if (text == NULL)
        return false;
    if (strcmp(text, "all") == 0) {
        *mask = FIMBIT_MEASURES_ALL;
        return true;
    }
    uint32_t chosen = 0;
    const char *start = text;
    for (;;) {
        const char *comma = strchr(start, ',');
        size_t length = comma != NULL ? (size_t)(comma - start) : strlen(start);
        char name[32];
        fimbit_measure measure;
        if (length == 0 || length >= sizeof name)
            return false;
        memcpy(name, start, length);
        name[length] = '\0';
        if (fimbit_measure_from_name(name, &measure) != FIMBIT_OK ||
            measure > FIMBIT_MEASURE_P_VALUE)
            return false;
        chosen |= FIMBIT_MEASURE_BIT(measure);
        if (comma == NULL)
            break;
        start = comma + 1;
    }
    *mask = chosen;
    return true;
}
