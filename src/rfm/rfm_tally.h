/*
 * What order lines add up to: the customers in order of first appearance
 * with their totals, the orders counted, the rows. A block of order lines is
 * cut into slices parsed side by side (rfm_read.c): the first into the run's
 * own tally, the others each into a tally of its own, which
 * rfm_tally_merge then adds to the run's in input order, so that every
 * customer, count and sum is the one a single pass would give.
 */
#ifndef FIMBIT_RFM_TALLY_H
#define FIMBIT_RFM_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "rfm.h"
#include "rfm_orders.h"

typedef struct rfm_tally {
    dict customers;           /* id -> the customer's name as read */
    u64_map customer_numbers; /* a canonical integer customer id -> its customer */
    rfm_record *records;
    size_t record_capacity;
    rfm_orders orders; /* the (customer, order) pairs counted */
    uint64_t rows;
    uint64_t rows_without_customer;
    bool any_date;
    int32_t latest_day; /* over every customer's rows */
    /* The sum of every amount's magnitude: while it is in range, no sum of
     * some of the amounts, in any order, is out of range, so a slice's sums
     * can be added to the run's without a check row by row. */
    decimal magnitude;
    bool magnitude_out_of_range;
    /* A slice's tally: its customers' ids in the run's tally. */
    uint32_t *run_customers;
    size_t run_customer_capacity;
} rfm_tally;

void rfm_tally_init(rfm_tally *t);
void rfm_tally_release(rfm_tally *t);
/* Forgets everything but keeps the tables' memory (a slice's, each block). */
void rfm_tally_clear(rfm_tally *t);

/* The customer named `text`, added (with an empty record) when new.
 * @return FIMBIT_OK, FIMBIT_ENOMEM, or FIMBIT_ELIMIT past DICT_MAX_ITEMS. */
fimbit_status rfm_tally_customer(rfm_tally *t, const char *text, size_t length, uint32_t *customer);

/* Adds `amount`'s magnitude to t->magnitude (or notes it out of range). */
void rfm_tally_add_magnitude(rfm_tally *t, decimal amount);

/* What merging slices into the run would reach: their customers, orders
 * and magnitudes counted as if all were new. */
typedef struct rfm_merge_bound {
    uint64_t customers;
    uint64_t orders;
    decimal magnitude;
    bool in_range;
} rfm_merge_bound;

/* The bound of the run's tally alone. */
void rfm_merge_bound_start(rfm_merge_bound *bound, const rfm_tally *run);

/* Adds a slice's tally to the bound. @return whether the run can still take
 * it without a limit error or a sum out of range that a single pass would
 * meet (then the slice must be parsed again into the run's tally). */
bool rfm_merge_bound_take(rfm_merge_bound *bound, const rfm_tally *slice);

/* Adds the tallies of `count` slices, in input order, to the run's `into`
 * (each within the bound), with `threads` threads. The slices' records are
 * consumed. @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status rfm_tally_merge(rfm_tally *into, rfm_tally *slices, int count, int threads);

#endif /* FIMBIT_RFM_TALLY_H */
