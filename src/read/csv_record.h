/*
 * RFC 4180 records, one at a time: the tokenizer under the long-CSV reader
 * (csv.c) and the order-lines reader of `fimbit rfm` (src/rfm/). Quoted
 * fields may hold separators, doubled quotes and line breaks; every field
 * keeps the line and column where its text starts, for error messages.
 */
#ifndef FIMBIT_READ_CSV_RECORD_H
#define FIMBIT_READ_CSV_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/internal.h"

typedef struct csv_field {
    size_t offset; /* into the cursor's scratch */
    size_t length;
    bool quoted;
    uint64_t line;   /* where the field's text starts in the input, */
    uint64_t column; /* 1-based (after an opening quote) */
} csv_field;

typedef struct csv_cursor {
    const char *name;
    const char *p;
    const char *end;
    char separator;
    uint64_t line;          /* of p, 1-based */
    const char *line_start; /* of p's line */
    /* The current record, unquoted, and where it ended. */
    char *scratch;
    size_t scratch_used;
    size_t scratch_capacity;
    csv_field *fields;
    size_t field_count;
    size_t field_capacity;
    uint64_t end_line;
    uint64_t end_column;
    /* Streaming: unless `final`, more text follows `end`, and a record that
     * reaches `end` is left unread (`incomplete`) for the next block. */
    bool final;
    bool incomplete;
} csv_cursor;

/* Points the cursor at a block of text: `name` for messages, `line` the
 * line number of text[0]. The record buffers are kept from block to block. */
void csv_cursor_start(csv_cursor *c, const char *name, const char *text, size_t length,
                      bool final, char separator, uint64_t line);

/* Reads the next record into c->fields. *more is false at the end of text,
 * or when the record runs past the end of a non-final block (then
 * c->incomplete is set and nothing is consumed). Unquoted fields lose their
 * surrounding blanks; quoted ones are kept as written between the quotes.
 * Errors (an unterminated quote, a NUL byte) name file:line:column. */
fimbit_status csv_cursor_next(csv_cursor *c, bool *more, fimbit_error *error);

/* As csv_cursor_next, skipping blank records. */
fimbit_status csv_cursor_next_row(csv_cursor *c, bool *more, fimbit_error *error);

/* @return field `index` of the current record (not NUL-terminated) and its
 * length in *length. */
const char *csv_field_text(const csv_cursor *c, size_t index, size_t *length);

/* @return whether a column spec is a 1-based index ("3") rather than a name. */
bool csv_column_is_index(const char *spec);

/* Finds the column named `spec` in the header record now in the cursor. */
bool csv_header_find(const csv_cursor *c, const char *spec, size_t *index);

/* The out-of-memory error of a read. @return FIMBIT_ENOMEM. */
fimbit_status csv_cursor_nomem(const csv_cursor *c, fimbit_error *error);

/* Frees the record buffers. */
void csv_cursor_release(csv_cursor *c);

#endif /* FIMBIT_READ_CSV_RECORD_H */
