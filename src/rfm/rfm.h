/*
 * RFM (recency, frequency, monetary value) of customers from order lines:
 * rfm_options.c checks the options, rfm_read.c reads the rows and totals
 * them per customer, rfm_score.c turns the totals into scores and segments,
 * rfm_write.c writes the records.
 */
#ifndef FIMBIT_RFM_H
#define FIMBIT_RFM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/internal.h"
#include "read/decimal.h"
#include "read/dict.h"

/* A segment's index in rfm_segment_names; RFM_NO_SEGMENT when bins != 5. */
enum { RFM_SEGMENT_COUNT = 10, RFM_NO_SEGMENT = RFM_SEGMENT_COUNT };

/* The segment names, best first, then "" (no segment). */
extern const char *const rfm_segment_names[RFM_SEGMENT_COUNT + 1];

/* One customer, in order of first appearance. */
typedef struct rfm_record {
    decimal monetary;
    int64_t recency;
    uint64_t frequency;
    int32_t latest_day;
    uint32_t r, f, m;
    uint32_t segment;
} rfm_record;

struct fimbit_rfm {
    dict customers;            /* id -> the customer's name as read */
    rfm_record *records;
    size_t record_capacity;
    uint64_t rows;
    uint64_t rows_without_customer;
    bool any_date;
    int32_t latest_day; /* over every customer's rows */
    int32_t as_of_day;
    uint32_t bins;
    int threads; /* as asked: 0 = every core */
    /* Filled by rfm_score: the exact monetary texts, back to back, and each
     * as the nearest double. */
    char *monetary_text;
    uint64_t *monetary_offsets;
    double *monetary_value;
};

/* The amount expression split into its one or two column specs. */
typedef struct amount_columns {
    char spec[2][256];
    size_t count;
} amount_columns;

/* Splits "COL" or "COL*COL" (blanks around the names dropped). @return false
 * for an empty name or more than one '*'. */
bool rfm_amount_split(const char *expression, amount_columns *out);

/* A day given as an option: ISO 8601, else in `format` (may be NULL). */
bool rfm_parse_day(const char *text, const char *format, int32_t *day);

/* Computes recency, the scores, the segments and the monetary texts of every
 * customer read. @return FIMBIT_OK or FIMBIT_ENOMEM (with `error`). */
fimbit_status rfm_score(fimbit_rfm *rfm, fimbit_error *error);

/* @return the segment of scores (r, f) with 5 bins. */
uint32_t rfm_segment_of(uint32_t r, uint32_t f);

#endif /* FIMBIT_RFM_H */
