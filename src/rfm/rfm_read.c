/*
 * fimbit_rfm_compute: reads order lines through the CSV record tokenizer and
 * totals them per customer (latest day, distinct orders, exact amount sum),
 * then scores them (rfm_score.c).
 *
 * Order lines come grouped by order in every export seen, so the reader
 * remembers the previous row's customer, order and date: most rows then cost
 * no hash look-up and no date parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/csv_record.h"
#include "read/date.h"
#include "read/reader.h"
#include "read/remembered.h"
#include "rfm.h"
#include "rfm_orders.h"

/* The column roles, in the order of `specs`. */
enum { COLUMN_CUSTOMER, COLUMN_ORDER, COLUMN_DATE, COLUMN_AMOUNT, COLUMN_ROLES = 5 };

typedef struct rfm_reader {
    fimbit_rfm *rfm;
    const char *date_format;
    char separator;
    const char *specs[COLUMN_ROLES]; /* customer, order, date, amount factors */
    size_t roles;                    /* 4 or 5 */
    size_t index[COLUMN_ROLES];      /* 0-based, once the header is read */
    size_t needed;                   /* fields a row must have */
    bool header_done;
    char name[256];
    uint64_t line;
    csv_cursor cursor;
    u64_map customer_numbers; /* a canonical integer customer id -> its customer */
    rfm_orders orders;        /* the (customer, order) pairs counted */
    remembered_field last_customer, last_order, last_date;
    bool last_pair_known;            /* last_customer and last_order form a counted pair */
} rfm_reader;

static void reader_begin_input(void *state, const char *name)
{
    rfm_reader *r = state;
    snprintf(r->name, sizeof r->name, "%s", name);
    r->line = 1;
    r->header_done = false;
}

static fimbit_status read_header(rfm_reader *r, fimbit_error *error)
{
    csv_cursor *c = &r->cursor;
    bool more = false;
    fimbit_status status = csv_cursor_next_row(c, &more, error);
    if (status != FIMBIT_OK || c->incomplete || !more)
        return status; /* an empty input has no rows either */
    r->needed = 0;
    for (size_t k = 0; k < r->roles; k++) {
        const char *spec = r->specs[k];
        if (csv_column_is_index(spec))
            r->index[k] = (size_t)strtoull(spec, NULL, 10) - 1;
        else if (!csv_header_find(c, spec, &r->index[k]))
            return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, 1,
                                     "no column named '%s' in the header", spec);
        if (r->index[k] + 1 > r->needed)
            r->needed = r->index[k] + 1;
    }
    r->header_done = true;
    return FIMBIT_OK;
}

static fimbit_status field_error(const rfm_reader *r, size_t role, size_t at, const char *what,
                                 const char *reason, fimbit_error *error)
{
    const csv_cursor *c = &r->cursor;
    const csv_field *field = &c->fields[r->index[role]];
    size_t length;
    const char *text = csv_field_text(c, r->index[role], &length);
    /* The field as it was read, cut at 60 bytes and on one printable line. */
    char shown[61];
    size_t count = length < sizeof shown - 1 ? length : sizeof shown - 1;
    for (size_t i = 0; i < count; i++)
        shown[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? '?' : text[i];
    shown[count] = '\0';
    return fimbit__error_set(error, FIMBIT_EPARSE, r->name, field->line, field->column + at,
                             "invalid %s '%s%s': %s", what, shown, length > count ? "..." : "",
                             reason);
}

static fimbit_status row_day(rfm_reader *r, int32_t *day, fimbit_error *error)
{
    size_t length;
    const char *text = csv_field_text(&r->cursor, r->index[COLUMN_DATE], &length);
    if (remembered(&r->last_date, text, length)) {
        *day = (int32_t)r->last_date.value;
        return FIMBIT_OK;
    }
    date_problem problem;
    bool parsed = r->date_format ? date_parse_format(r->date_format, text, length, day, &problem)
                                 : date_parse_iso(text, length, day, &problem);
    if (!parsed)
        return field_error(r, COLUMN_DATE, problem.at, "date", problem.reason, error);
    remember(&r->last_date, text, length, (uint32_t)*day);
    return FIMBIT_OK;
}

static fimbit_status row_amount(rfm_reader *r, decimal *amount, fimbit_error *error)
{
    for (size_t role = COLUMN_AMOUNT; role < r->roles; role++) {
        size_t length, at;
        const char *reason;
        const char *text = csv_field_text(&r->cursor, r->index[role], &length);
        decimal factor;
        if (!decimal_parse(text, length, &factor, &at, &reason))
            return field_error(r, role, at, "number", reason, error);
        if (role == COLUMN_AMOUNT)
            *amount = factor;
        else if (!decimal_multiply(*amount, factor, amount))
            return field_error(r, role, 0, "number", "the product is out of range (10^36)",
                               error);
    }
    return FIMBIT_OK;
}

/* The customer of `text`, added when new. Customer ids that are canonical
 * integers (the usual case) are found through an integer map, whose slot
 * holds the key: one cache miss, where the name table's probe also reads the
 * stored name. */
static fimbit_status find_customer(rfm_reader *r, const char *text, size_t length,
                                   uint32_t *customer)
{
    fimbit_rfm *rfm = r->rfm;
    uint64_t number;
    bool numeric = decimal_parse_canonical(text, length, &number);
    if (numeric) {
        *customer = u64_map_get(&r->customer_numbers, number);
        if (*customer != DICT_EMPTY)
            return FIMBIT_OK;
    }
    bool added;
    fimbit_status status = dict_intern(&rfm->customers, text, length, customer, &added);
    if (status != FIMBIT_OK || !added)
        return status;
    if ((numeric && u64_map_put(&r->customer_numbers, number, *customer) != FIMBIT_OK) ||
        !fimbit__grow_array((void **)&rfm->records, &rfm->record_capacity, (size_t)*customer + 1,
                            sizeof *rfm->records))
        return FIMBIT_ENOMEM;
    rfm->records[*customer] = (rfm_record){.latest_day = INT32_MIN};
    return FIMBIT_OK;
}

/* Counts the (customer, order) pair once. */
static fimbit_status count_order(rfm_reader *r, uint32_t customer, fimbit_error *error)
{
    size_t length;
    const char *text = csv_field_text(&r->cursor, r->index[COLUMN_ORDER], &length);
    if (r->last_pair_known && r->last_customer.value == customer &&
        remembered(&r->last_order, text, length))
        return FIMBIT_OK;
    bool first;
    if (rfm_orders_note(&r->orders, text, length, customer, &first) != FIMBIT_OK)
        return csv_cursor_nomem(&r->cursor, error);
    if (first)
        r->rfm->records[customer].frequency++;
    remember(&r->last_order, text, length, 0);
    r->last_pair_known = r->last_order.length != SIZE_MAX;
    return FIMBIT_OK;
}

static fimbit_status read_row(rfm_reader *r, fimbit_error *error)
{
    csv_cursor *c = &r->cursor;
    fimbit_rfm *rfm = r->rfm;
    if (c->field_count < r->needed) {
        size_t role = SIZE_MAX; /* the first missing column */
        for (size_t k = 0; k < r->roles; k++)
            if (r->index[k] >= c->field_count && (role == SIZE_MAX || r->index[k] < r->index[role]))
                role = k;
        return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, c->end_column,
                                 "missing column '%s' (column %zu): the row has %zu field%s",
                                 r->specs[role], r->index[role] + 1, c->field_count,
                                 c->field_count == 1 ? "" : "s");
    }
    rfm->rows++;
    size_t length;
    const char *text = csv_field_text(c, r->index[COLUMN_CUSTOMER], &length);
    if (length == 0) {
        rfm->rows_without_customer++;
        return FIMBIT_OK;
    }
    int32_t day;
    decimal amount;
    fimbit_status status = row_day(r, &day, error);
    if (status == FIMBIT_OK)
        status = row_amount(r, &amount, error);
    if (status != FIMBIT_OK)
        return status;
    uint32_t customer;
    if (remembered(&r->last_customer, text, length)) {
        customer = r->last_customer.value;
    } else {
        if (rfm->customers.count >= DICT_MAX_ITEMS)
            return fimbit__error_set(error, FIMBIT_ELIMIT, r->name, c->end_line, 1,
                                     "more than %lu customers", (unsigned long)DICT_MAX_ITEMS);
        if (find_customer(r, text, length, &customer) != FIMBIT_OK)
            return csv_cursor_nomem(c, error);
        remember(&r->last_customer, text, length, customer);
        r->last_pair_known = false;
    }
    status = count_order(r, customer, error);
    if (status != FIMBIT_OK)
        return status;
    rfm_record *record = &rfm->records[customer];
    if (day > record->latest_day)
        record->latest_day = day;
    if (!rfm->any_date || day > rfm->latest_day)
        rfm->latest_day = day;
    rfm->any_date = true;
    if (!decimal_add(&record->monetary, amount))
        return fimbit__error_set(error, FIMBIT_ELIMIT, r->name, c->end_line, 1,
                                 "the amounts of customer '%s' add up beyond 10^36",
                                 rfm->customers.bytes + rfm->customers.offsets[customer]);
    return FIMBIT_OK;
}

static fimbit_status reader_feed(void *state, const char *text, size_t length, bool final,
                                 size_t *consumed, fimbit_error *error)
{
    rfm_reader *r = state;
    csv_cursor *c = &r->cursor;
    csv_cursor_start(c, r->name, text, length, final, r->separator, r->line);
    fimbit_status status = FIMBIT_OK;
    if (!r->header_done)
        status = read_header(r, error);
    bool more = r->header_done;
    while (status == FIMBIT_OK && more) {
        status = csv_cursor_next_row(c, &more, error);
        if (status == FIMBIT_OK && more)
            status = read_row(r, error);
    }
    *consumed = (size_t)(c->p - text);
    r->line = c->line;
    return status;
}

void fimbit_rfm_free(fimbit_rfm *rfm)
{
    if (rfm == NULL)
        return;
    dict_release(&rfm->customers);
    fimbit__free(rfm->records);
    fimbit__free(rfm->monetary_text);
    fimbit__free(rfm->monetary_offsets);
    fimbit__free(rfm->monetary_value);
    fimbit__free(rfm);
}

fimbit_status fimbit_rfm_compute(const char *const *paths, size_t path_count,
                                 const fimbit_rfm_options *options, fimbit_rfm **out,
                                 fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_rfm_compute: out is NULL");
    *out = NULL;
    if (paths == NULL || path_count == 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_rfm_compute: no input given");
    fimbit_status status = fimbit_rfm_options_check(options, error);
    if (status != FIMBIT_OK)
        return status;
    amount_columns amount;
    rfm_amount_split(options->amount, &amount);

    fimbit_rfm *rfm = fimbit__calloc(1, sizeof *rfm);
    if (rfm == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory computing RFM");
    dict_init(&rfm->customers);
    rfm->bins = options->bins;
    rfm_reader r = {.rfm = rfm,
                    .date_format = options->date_format,
                    .separator = options->separator ? options->separator : ',',
                    .specs = {options->customer_column, options->order_column,
                              options->date_column, amount.spec[0], amount.spec[1]},
                    .roles = COLUMN_AMOUNT + amount.count,
                    .last_customer = {.length = SIZE_MAX},
                    .last_order = {.length = SIZE_MAX},
                    .last_date = {.length = SIZE_MAX}};
    u64_map_init(&r.customer_numbers);
    rfm_orders_init(&r.orders);
    csv_consumer consumer = {&r, reader_begin_input, reader_feed};
    status = read_csv_inputs(paths, path_count, &consumer, error);
    csv_cursor_release(&r.cursor);
    rfm_orders_release(&r.orders);
    u64_map_release(&r.customer_numbers);

    if (status == FIMBIT_OK) {
        if (options->as_of != NULL)
            rfm_parse_day(options->as_of, options->date_format, &rfm->as_of_day);
        else
            rfm->as_of_day = rfm->any_date ? rfm->latest_day + 1 : 0;
        status = rfm_score(rfm, error);
    }
    if (status != FIMBIT_OK) {
        fimbit_rfm_free(rfm);
        return status;
    }
    *out = rfm;
    return FIMBIT_OK;
}
