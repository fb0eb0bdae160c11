/* The RFC 4180 record tokenizer (csv_record.h). */
#include <string.h>

#include "csv_record.h"
#include "reader.h"

static bool cursor_append(csv_cursor *c, const char *bytes, size_t length)
{
    if (length == 0)
        return true;
    if (length > SIZE_MAX - c->scratch_used ||
        !fimbit__grow_array((void **)&c->scratch, &c->scratch_capacity, c->scratch_used + length,
                            1))
        return false;
    memcpy(c->scratch + c->scratch_used, bytes, length);
    c->scratch_used += length;
    return true;
}

static bool cursor_push_field(csv_cursor *c, size_t offset, bool quoted, uint64_t line,
                              uint64_t column)
{
    if (!fimbit__grow_array((void **)&c->fields, &c->field_capacity, c->field_count + 1,
                            sizeof *c->fields))
        return false;
    c->fields[c->field_count++] =
        (csv_field){offset, c->scratch_used - offset, quoted, line, column};
    return true;
}

static inline bool csv_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static uint64_t cursor_column(const csv_cursor *c, const char *at)
{
    return (uint64_t)(at - c->line_start) + 1;
}

void csv_cursor_start(csv_cursor *c, const char *name, const char *text, size_t length,
                      bool final, char separator, uint64_t line)
{
    c->name = name;
    c->p = text;
    c->end = text + length;
    c->separator = separator;
    c->line = line;
    c->line_start = text;
    c->final = final;
    c->incomplete = false;
}

fimbit_status csv_cursor_nomem(const csv_cursor *c, fimbit_error *error)
{
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", c->name);
}

fimbit_status csv_cursor_next(csv_cursor *c, bool *more, fimbit_error *error)
{
    c->field_count = 0;
    c->scratch_used = 0;
    *more = c->p < c->end;
    if (!*more) {
        c->incomplete = !c->final; /* the next record is in the next block */
        return FIMBIT_OK;
    }
    const char *p = c->p, *end = c->end;
    uint64_t record_line = c->line;
    const char *record_line_start = c->line_start;
    for (;;) {
        size_t offset = c->scratch_used;
        bool quoted = false;
        const char *q = p;
        while (q < end && csv_blank(*q) && *q != c->separator)
            q++;
        uint64_t field_line = c->line;
        uint64_t field_column = cursor_column(c, q) + (q < end && *q == '"');
        if (q < end && *q == '"') {
            quoted = true;
            uint64_t open_line = c->line;
            uint64_t open_column = cursor_column(c, q);
            p = q + 1;
            for (;;) {
                const char *run = p;
                while (p < end && *p != '"' && *p != '\n' && *p != '\0')
                    p++;
                if (!cursor_append(c, run, (size_t)(p - run)))
                    return csv_cursor_nomem(c, error);
                if (p == end) {
                    if (!c->final)
                        goto incomplete;
                    return fimbit__error_set(error, FIMBIT_EPARSE, c->name, open_line,
                                             open_column, "unterminated quoted field");
                }
                if (*p == '\0')
                    return fimbit__error_set(error, FIMBIT_EPARSE, c->name, c->line,
                                             cursor_column(c, p),
                                             "binary data (a NUL byte), not text");
                if (*p == '\n') {
                    if (!cursor_append(c, "\n", 1))
                        return csv_cursor_nomem(c, error);
                    p++;
                    c->line++;
                    c->line_start = p;
                    continue;
                }
                /* A quote: doubled is a literal quote, single closes. */
                if (p + 1 == end && !c->final)
                    goto incomplete;
                if (p + 1 < end && p[1] == '"') {
                    if (!cursor_append(c, "\"", 1))
                        return csv_cursor_nomem(c, error);
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            while (p < end && csv_blank(*p) && *p != c->separator)
                p++;
            if (p < end && *p != c->separator && *p != '\n') {
                char token[64];
                /* Quote the whole token: wait for the rest of the record. */
                if (!c->final && memchr(p, '\n', (size_t)(end - p)) == NULL)
                    goto incomplete;
                if (*p == '\0')
                    return fimbit__error_set(error, FIMBIT_EPARSE, c->name, c->line,
                                             cursor_column(c, p),
                                             "binary data (a NUL byte), not text");
                reader_quote_token(p, end, token, sizeof token);
                return fimbit__error_set(error, FIMBIT_EPARSE, c->name, c->line,
                                         cursor_column(c, p),
                                         "expected a separator after a closing quote, found '%s'",
                                         token);
            }
        } else {
            p = q;
            while (p < end && *p != c->separator && *p != '\n' && *p != '\0')
                p++;
            if (p < end && *p == '\0')
                return fimbit__error_set(error, FIMBIT_EPARSE, c->name, c->line,
                                         cursor_column(c, p),
                                         "binary data (a NUL byte), not text");
            const char *field_end = p;
            while (field_end > q && csv_blank(field_end[-1]))
                field_end--;
            if (!cursor_append(c, q, (size_t)(field_end - q)))
                return csv_cursor_nomem(c, error);
        }
        if (p == end && !c->final)
            goto incomplete; /* the record's '\n' is in the next block */
        if (!cursor_push_field(c, offset, quoted, field_line, field_column))
            return csv_cursor_nomem(c, error);
        if (p < end && *p == c->separator) {
            p++;
            continue;
        }
        /* The record ends at '\n' or at the end of text. */
        c->end_line = c->line;
        c->end_column = cursor_column(c, p);
        if (p > c->line_start && p[-1] == '\r')
            c->end_column--; /* a CRLF line ends at its '\r' */
        if (p < end) {
            p++;
            c->line++;
            c->line_start = p;
        }
        break;
    }
    c->p = p;
    return FIMBIT_OK;

incomplete:
    c->line = record_line;
    c->line_start = record_line_start;
    c->field_count = 0;
    c->incomplete = true;
    *more = false;
    return FIMBIT_OK;
}

static bool record_is_blank(const csv_cursor *c)
{
    return c->field_count == 1 && c->fields[0].length == 0 && !c->fields[0].quoted;
}

const char *csv_field_text(const csv_cursor *c, size_t index, size_t *length)
{
    *length = c->fields[index].length;
    /* Only empty fields were read so far: no scratch buffer exists yet. */
    if (c->scratch == NULL)
        return "";
    return c->scratch + c->fields[index].offset;
}

bool csv_column_is_index(const char *spec)
{
    for (const char *p = spec; *p; p++)
        if ((unsigned)(*p - '0') > 9)
            return false;
    return *spec != '\0';
}

fimbit_status csv_cursor_next_row(csv_cursor *c, bool *more, fimbit_error *error)
{
    fimbit_status status;
    do
        status = csv_cursor_next(c, more, error);
    while (status == FIMBIT_OK && *more && record_is_blank(c));
    return status;
}

bool csv_header_find(const csv_cursor *c, const char *spec, size_t *index)
{
    size_t spec_length = strlen(spec);
    for (size_t i = 0; i < c->field_count; i++) {
        size_t length;
        const char *text = csv_field_text(c, i, &length);
        if (length == spec_length && memcmp(text, spec, length) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}


void csv_cursor_release(csv_cursor *c)
{
    fimbit__free(c->scratch);
    fimbit__free(c->fields);
    c->scratch = NULL;
    c->fields = NULL;
    c->scratch_capacity = 0;
    c->field_capacity = 0;
}
