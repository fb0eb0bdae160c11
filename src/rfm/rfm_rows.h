/*
 * Order lines parsed into a tally (rfm_tally.h), a run of rows at a time:
 * the whole input on one thread, or one slice of a block among several.
 *
 * Order lines come grouped by order in every export seen, so the parser
 * remembers the previous row's customer, order and date: most rows then cost
 * no hash look-up and no date parse.
 */
#ifndef FIMBIT_RFM_ROWS_H
#define FIMBIT_RFM_ROWS_H

#include <stdbool.h>
#include <stdint.h>

#include "read/csv_record.h"
#include "read/remembered.h"
#include "rfm_tally.h"

/* The column roles, in the order of rfm_columns.specs. */
enum { COLUMN_CUSTOMER, COLUMN_ORDER, COLUMN_DATE, COLUMN_AMOUNT, COLUMN_ROLES = 5 };

/* Where a row's values are, resolved by the header; read-only while slices
 * are parsed. */
typedef struct rfm_columns {
    const char *date_format; /* NULL: ISO 8601 */
    char separator;
    const char *specs[COLUMN_ROLES]; /* customer, order, date, amount factors */
    size_t roles;                    /* 4 or 5 */
    size_t index[COLUMN_ROLES];      /* 0-based */
    size_t needed;                   /* fields a row must have */
} rfm_columns;

/* A parser of rows into `tally`, and where its last parse stopped. */
typedef struct rfm_rows {
    rfm_tally *tally;
    const rfm_columns *columns; /* of the parse under way, */
    const char *name;           /* and its input's name */
    csv_cursor cursor;          /* its buffers live from parse to parse */
    remembered_field last_customer, last_order, last_date;
    bool last_pair_known; /* last_customer and last_order form a counted pair */
    const char *stop;     /* the end, or where the record that runs past it starts */
    uint64_t stop_line;   /* the line number at `stop` */
} rfm_rows;

/* Starts a parser into `tally`, remembering nothing. */
void rfm_rows_init(rfm_rows *rows, rfm_tally *tally);
void rfm_rows_release(rfm_rows *rows);
/* Forgets the previous row (whose ids the tally may no longer hold). */
void rfm_rows_forget(rfm_rows *rows);

/* Parses the rows of [begin, end) (`line` the line number of begin, which
 * starts a line; `name` the input's name for messages) into the tally.
 * Unless `final`, a record that runs past `end` is left unread. Sets stop
 * and stop_line. @return FIMBIT_OK, or an error naming file:line:column. */
fimbit_status rfm_rows_parse(rfm_rows *rows, const rfm_columns *columns, const char *name,
                             const char *begin, const char *end, bool final, uint64_t line,
                             fimbit_error *error);

#endif /* FIMBIT_RFM_ROWS_H */
