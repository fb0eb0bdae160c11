/* Order lines parsed into a tally (rfm_rows.h). */
#include <stdio.h>

#include "read/date.h"
#include "rfm_rows.h"

void rfm_rows_init(rfm_rows *rows, rfm_tally *tally)
{
    *rows = (rfm_rows){.tally = tally};
    rfm_rows_forget(rows);
}

void rfm_rows_release(rfm_rows *rows) { csv_cursor_release(&rows->cursor); }

void rfm_rows_forget(rfm_rows *rows)
{
    forget(&rows->last_customer);
    forget(&rows->last_order);
    forget(&rows->last_date);
    rows->last_pair_known = false;
}

static fimbit_status field_error(const rfm_rows *r, size_t role, size_t at, const char *what,
                                 const char *reason, fimbit_error *error)
{
    const csv_cursor *c = &r->cursor;
    size_t index = r->columns->index[role];
    const csv_field *field = &c->fields[index];
    size_t length;
    const char *text = csv_field_text(c, index, &length);
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

static fimbit_status row_day(rfm_rows *r, int32_t *day, fimbit_error *error)
{
    size_t length;
    const char *text = csv_field_text(&r->cursor, r->columns->index[COLUMN_DATE], &length);
    if (remembered(&r->last_date, text, length)) {
        *day = (int32_t)r->last_date.value;
        return FIMBIT_OK;
    }
    const char *format = r->columns->date_format;
    date_problem problem;
    bool parsed = format ? date_parse_format(format, text, length, day, &problem)
                         : date_parse_iso(text, length, day, &problem);
    if (!parsed)
        return field_error(r, COLUMN_DATE, problem.at, "date", problem.reason, error);
    remember(&r->last_date, text, length, (uint32_t)*day);
    return FIMBIT_OK;
}

static fimbit_status row_amount(rfm_rows *r, decimal *amount, fimbit_error *error)
{
    for (size_t role = COLUMN_AMOUNT; role < r->columns->roles; role++) {
        size_t length, at;
        const char *reason;
        const char *text = csv_field_text(&r->cursor, r->columns->index[role], &length);
        decimal factor;
        if (!decimal_parse(text, length, &factor, &at, &reason))
            return field_error(r, role, at, "number", reason, error);
        if (role == COLUMN_AMOUNT)
            *amount = factor;
        else if (!decimal_multiply(*amount, factor, amount))
            return field_error(r, role, 0, "number", "the product is out of range (10^36)", error);
    }
    return FIMBIT_OK;
}

/* Counts the (customer, order) pair once. */
static fimbit_status count_order(rfm_rows *r, uint32_t customer, fimbit_error *error)
{
    const csv_cursor *c = &r->cursor;
    size_t length;
    const char *text = csv_field_text(c, r->columns->index[COLUMN_ORDER], &length);
    if (r->last_pair_known && r->last_customer.value == customer &&
        remembered(&r->last_order, text, length))
        return FIMBIT_OK;
    bool first;
    fimbit_status status = rfm_orders_note(&r->tally->orders, text, length, customer, &first);
    if (status == FIMBIT_ELIMIT)
        return fimbit__error_set(error, FIMBIT_ELIMIT, r->name, c->end_line, 1,
                                 "more than %lu distinct orders", (unsigned long)rfm_orders_limit);
    if (status != FIMBIT_OK)
        return csv_cursor_nomem(c, error);
    if (first)
        r->tally->records[customer].frequency++;
    remember(&r->last_order, text, length, 0);
    r->last_pair_known = r->last_order.length != SIZE_MAX;
    return FIMBIT_OK;
}

static fimbit_status missing_column(const rfm_rows *r, fimbit_error *error)
{
    const rfm_columns *k = r->columns;
    const csv_cursor *c = &r->cursor;
    size_t role = SIZE_MAX; /* the first missing column */
    for (size_t i = 0; i < k->roles; i++)
        if (k->index[i] >= c->field_count && (role == SIZE_MAX || k->index[i] < k->index[role]))
            role = i;
    return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, c->end_column,
                             "missing column '%s' (column %zu): the row has %zu field%s",
                             k->specs[role], k->index[role] + 1, c->field_count,
                             c->field_count == 1 ? "" : "s");
}

static fimbit_status read_row(rfm_rows *r, fimbit_error *error)
{
    csv_cursor *c = &r->cursor;
    rfm_tally *t = r->tally;
    if (c->field_count < r->columns->needed)
        return missing_column(r, error);
    t->rows++;
    size_t length;
    const char *text = csv_field_text(c, r->columns->index[COLUMN_CUSTOMER], &length);
    if (length == 0) {
        t->rows_without_customer++;
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
        if (t->customers.count >= DICT_MAX_ITEMS)
            return fimbit__error_set(error, FIMBIT_ELIMIT, r->name, c->end_line, 1,
                                     "more than %lu customers", (unsigned long)DICT_MAX_ITEMS);
        if (rfm_tally_customer(t, text, length, &customer) != FIMBIT_OK)
            return csv_cursor_nomem(c, error);
        remember(&r->last_customer, text, length, customer);
        r->last_pair_known = false;
    }
    status = count_order(r, customer, error);
    if (status != FIMBIT_OK)
        return status;
    rfm_record *record = &t->records[customer];
    if (day > record->latest_day)
        record->latest_day = day;
    if (!t->any_date || day > t->latest_day)
        t->latest_day = day;
    t->any_date = true;
    rfm_tally_add_magnitude(t, amount);
    if (!decimal_add(&record->monetary, amount))
        return fimbit__error_set(error, FIMBIT_ELIMIT, r->name, c->end_line, 1,
                                 "the amounts of customer '%s' add up beyond 10^36",
                                 t->customers.bytes + t->customers.offsets[customer]);
    return FIMBIT_OK;
}

fimbit_status rfm_rows_parse(rfm_rows *rows, const rfm_columns *columns, const char *name,
                             const char *begin, const char *end, bool final, uint64_t line,
                             fimbit_error *error)
{
    csv_cursor *c = &rows->cursor;
    rows->columns = columns;
    rows->name = name;
    csv_cursor_start(c, name, begin, (size_t)(end - begin), final, columns->separator, line);
    fimbit_status status = FIMBIT_OK;
    bool more = true;
    while (status == FIMBIT_OK && more) {
        status = csv_cursor_next_row(c, &more, error);
        if (status == FIMBIT_OK && more)
            status = read_row(rows, error);
    }
    rows->stop = c->p;
    rows->stop_line = c->line;
    return status;
}
