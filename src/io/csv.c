/*
 * Long CSV: one `basket,item` row per item (an order-lines export), RFC 4180
 * quoting ("" inside quotes, separators and newlines inside quotes). Rows of
 * one basket may be anywhere: rows are grouped by basket id, baskets ordered
 * by first appearance, items inside a basket by row order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/reader.h"

typedef struct csv_field {
    size_t offset; /* into the cursor's scratch */
    size_t length;
    bool quoted;
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
} csv_cursor;

static bool cursor_append(csv_cursor *c, const char *bytes, size_t length)
{
    if (length == 0)
        return true;
    if (length > c->scratch_capacity - c->scratch_used) {
        size_t capacity = c->scratch_capacity ? c->scratch_capacity : 256;
        while (length > capacity - c->scratch_used) {
            if (capacity > SIZE_MAX / 2)
                return false;
            capacity *= 2;
        }
        char *bigger = fimbit__realloc_array(c->scratch, capacity, 1);
        if (bigger == NULL)
            return false;
        c->scratch = bigger;
        c->scratch_capacity = capacity;
    }
    memcpy(c->scratch + c->scratch_used, bytes, length);
    c->scratch_used += length;
    return true;
}

static bool cursor_push_field(csv_cursor *c, size_t offset, bool quoted)
{
    if (c->field_count == c->field_capacity) {
        size_t capacity = c->field_capacity ? c->field_capacity * 2 : 16;
        csv_field *bigger = fimbit__realloc_array(c->fields, capacity, sizeof *bigger);
        if (bigger == NULL)
            return false;
        c->fields = bigger;
        c->field_capacity = capacity;
    }
    c->fields[c->field_count++] = (csv_field){offset, c->scratch_used - offset, quoted};
    return true;
}

static inline bool csv_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static uint64_t cursor_column(const csv_cursor *c, const char *at)
{
    return (uint64_t)(at - c->line_start) + 1;
}

static fimbit_status cursor_nomem(const csv_cursor *c, fimbit_error *error)
{
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", c->name);
}

/* Reads the next record into c->fields. *more is false at the end of text.
 * Unquoted fields lose their surrounding blanks; quoted ones are kept as
 * written between the quotes. */
static fimbit_status cursor_next(csv_cursor *c, bool *more, fimbit_error *error)
{
    c->field_count = 0;
    c->scratch_used = 0;
    *more = c->p < c->end;
    if (!*more)
        return FIMBIT_OK;
    const char *p = c->p, *end = c->end;
    for (;;) {
        size_t offset = c->scratch_used;
        bool quoted = false;
        const char *q = p;
        while (q < end && csv_blank(*q) && *q != c->separator)
            q++;
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
                    return cursor_nomem(c, error);
                if (p == end)
                    return fimbit__error_set(error, FIMBIT_EPARSE, c->name, open_line,
                                             open_column, "unterminated quoted field");
                if (*p == '\0')
                    return fimbit__error_set(error, FIMBIT_EPARSE, c->name, c->line,
                                             cursor_column(c, p),
                                             "binary data (a NUL byte), not text");
                if (*p == '\n') {
                    if (!cursor_append(c, "\n", 1))
                        return cursor_nomem(c, error);
                    p++;
                    c->line++;
                    c->line_start = p;
                    continue;
                }
                /* A quote: doubled is a literal quote, single closes. */
                if (p + 1 < end && p[1] == '"') {
                    if (!cursor_append(c, "\"", 1))
                        return cursor_nomem(c, error);
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
                return cursor_nomem(c, error);
        }
        if (!cursor_push_field(c, offset, quoted))
            return cursor_nomem(c, error);
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
}

static bool record_is_blank(const csv_cursor *c)
{
    return c->field_count == 1 && c->fields[0].length == 0 && !c->fields[0].quoted;
}

static const char *field_text(const csv_cursor *c, size_t index, size_t *length)
{
    *length = c->fields[index].length;
    /* Only empty fields were read so far: no scratch buffer exists yet. */
    if (c->scratch == NULL)
        return "";
    return c->scratch + c->fields[index].offset;
}

static bool field_is_integer(const csv_cursor *c, size_t index)
{
    if (index >= c->field_count || c->fields[index].length == 0)
        return false;
    size_t length;
    const char *text = field_text(c, index, &length);
    for (size_t i = 0; i < length; i++)
        if ((unsigned)(text[i] - '0') > 9)
            return false;
    return true;
}

static bool spec_is_index(const char *spec)
{
    for (const char *p = spec; *p; p++)
        if ((unsigned)(*p - '0') > 9)
            return false;
    return *spec != '\0';
}

/* Reads records until a non-blank one. */
static fimbit_status cursor_next_row(csv_cursor *c, bool *more, fimbit_error *error)
{
    fimbit_status status;
    do
        status = cursor_next(c, more, error);
    while (status == FIMBIT_OK && *more && record_is_blank(c));
    return status;
}

/* Finds column `spec` in the header record now in the cursor. */
static bool header_find(const csv_cursor *c, const char *spec, size_t *index)
{
    size_t spec_length = strlen(spec);
    for (size_t i = 0; i < c->field_count; i++) {
        size_t length;
        const char *text = field_text(c, i, &length);
        if (length == spec_length && memcmp(text, spec, length) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* Basket ids to basket numbers (order of first appearance). Canonical integer
 * ids, the usual case (order numbers), go through an integer map; other ids
 * through a name table whose ids are mapped to basket numbers. */
typedef struct basket_table {
    u64_map numeric;
    dict named;
    uint32_t *named_basket;    /* named id -> basket number */
    uint32_t named_capacity;
    uint32_t count;
} basket_table;

static void basket_table_release(basket_table *t)
{
    u64_map_release(&t->numeric);
    dict_release(&t->named);
    fimbit__free(t->named_basket);
}

static fimbit_status basket_table_find(basket_table *t, const char *key, size_t length,
                                       uint32_t *basket)
{
    uint64_t value;
    if (decimal_parse_canonical(key, length, &value)) {
        uint32_t found = u64_map_get(&t->numeric, value);
        if (found != DICT_EMPTY) {
            *basket = found;
            return FIMBIT_OK;
        }
        if (t->count >= DICT_MAX_ITEMS)
            return FIMBIT_ELIMIT;
        fimbit_status status = u64_map_put(&t->numeric, value, t->count);
        if (status == FIMBIT_OK)
            *basket = t->count++;
        return status;
    }
    uint32_t id;
    bool added;
    fimbit_status status = dict_intern(&t->named, key, length, &id, &added);
    if (status != FIMBIT_OK || !added) {
        if (status == FIMBIT_OK)
            *basket = t->named_basket[id];
        return status;
    }
    if (t->count >= DICT_MAX_ITEMS)
        return FIMBIT_ELIMIT;
    if (id >= t->named_capacity) {
        uint32_t capacity = t->named_capacity ? t->named_capacity : 256;
        while (capacity <= id)
            capacity = capacity > DICT_MAX_ITEMS / 2 ? DICT_MAX_ITEMS : capacity * 2;
        uint32_t *bigger = fimbit__realloc_array(t->named_basket, capacity, sizeof *bigger);
        if (bigger == NULL)
            return FIMBIT_ENOMEM;
        t->named_basket = bigger;
        t->named_capacity = capacity;
    }
    t->named_basket[id] = t->count;
    *basket = t->count++;
    return FIMBIT_OK;
}

typedef struct csv_row {
    uint32_t basket;
    uint32_t item; /* DICT_EMPTY: the row names the basket but no item */
} csv_row;

fimbit_status csv_parse(dataset_builder *builder, const char *name, const char *text,
                        size_t length, const csv_settings *settings, fimbit_error *error)
{
    csv_cursor c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.p = text;
    c.end = text + length;
    c.separator = settings->separator;
    c.line = 1;
    c.line_start = text;

    const char *basket_spec = settings->basket_column ? settings->basket_column : "1";
    const char *item_spec = settings->item_column ? settings->item_column : "2";
    bool named = !spec_is_index(basket_spec) || !spec_is_index(item_spec);
    size_t basket_index = 0, item_index = 1;
    if (spec_is_index(basket_spec))
        basket_index = (size_t)strtoull(basket_spec, NULL, 10) - 1;
    if (spec_is_index(item_spec))
        item_index = (size_t)strtoull(item_spec, NULL, 10) - 1;

    basket_table baskets;
    memset(&baskets, 0, sizeof baskets);
    u64_map_init(&baskets.numeric);
    dict_init(&baskets.named);
    csv_row *rows = NULL;
    size_t row_count = 0, row_capacity = 0;
    uint64_t *counts = NULL;
    uint32_t *ordered = NULL;
    fimbit_status status = FIMBIT_OK;
    bool more = false;

    /* The header: asked for, or guessed from the first two rows' basket fields
     * (a name above integers, or the other way round). */
    int header = settings->header;
    if (header < 0 && named)
        header = 1;
    if (header < 0) {
        csv_cursor probe = c;
        bool first_integer = false, second_integer = false, have_second = false;
        status = cursor_next_row(&probe, &more, error);
        if (status == FIMBIT_OK && more) {
            first_integer = field_is_integer(&probe, basket_index);
            status = cursor_next_row(&probe, &more, error);
            have_second = status == FIMBIT_OK && more;
            if (have_second)
                second_integer = field_is_integer(&probe, basket_index);
        }
        /* probe shared the scratch buffers; keep whatever they grew to. */
        c.scratch = probe.scratch;
        c.scratch_capacity = probe.scratch_capacity;
        c.fields = probe.fields;
        c.field_capacity = probe.field_capacity;
        header = have_second && first_integer != second_integer;
        status = FIMBIT_OK; /* errors are found again, in place, below */
    }
    if (header == 1) {
        status = cursor_next_row(&c, &more, error);
        if (status == FIMBIT_OK && more) {
            const char *specs[2] = {basket_spec, item_spec};
            size_t *indexes[2] = {&basket_index, &item_index};
            for (int k = 0; k < 2 && status == FIMBIT_OK; k++) {
                if (spec_is_index(specs[k]))
                    continue;
                if (!header_find(&c, specs[k], indexes[k]))
                    status = fimbit__error_set(error, FIMBIT_EPARSE, name, c.end_line, 1,
                                               "no column named '%s' in the header", specs[k]);
            }
            if (status == FIMBIT_OK && basket_index == item_index)
                status = fimbit__error_set(error, FIMBIT_EINVAL, name, c.end_line, 1,
                                           "the basket and item columns are the same column");
        }
    }

    size_t needed = (basket_index > item_index ? basket_index : item_index) + 1;
    while (status == FIMBIT_OK) {
        status = cursor_next_row(&c, &more, error);
        if (status != FIMBIT_OK || !more)
            break;
        if (c.field_count < needed) {
            bool basket_missing = c.field_count <= basket_index;
            const char *spec = basket_missing ? basket_spec : item_spec;
            size_t index = basket_missing ? basket_index : item_index;
            char label[300];
            if (spec_is_index(spec))
                snprintf(label, sizeof label, "%zu", index + 1);
            else
                snprintf(label, sizeof label, "'%s' (column %zu)", spec, index + 1);
            status = fimbit__error_set(error, FIMBIT_EPARSE, name, c.end_line, c.end_column,
                                       "missing %s column %s: the row has %zu field%s",
                                       basket_missing ? "basket" : "item", label, c.field_count,
                                       c.field_count == 1 ? "" : "s");
            break;
        }
        if (row_count == row_capacity) {
            size_t capacity = row_capacity ? row_capacity * 2 : 4096;
            csv_row *bigger = fimbit__realloc_array(rows, capacity, sizeof *bigger);
            if (bigger == NULL) {
                status = cursor_nomem(&c, error);
                break;
            }
            rows = bigger;
            row_capacity = capacity;
        }
        size_t key_length, item_length;
        const char *key = field_text(&c, basket_index, &key_length);
        const char *item = field_text(&c, item_index, &item_length);
        csv_row row = {0, DICT_EMPTY};
        status = basket_table_find(&baskets, key, key_length, &row.basket);
        if (status == FIMBIT_OK && item_length > 0)
            status = dataset_builder_intern_name(builder, item, item_length, &row.item);
        if (status != FIMBIT_OK) {
            status = status == FIMBIT_ELIMIT
                         ? fimbit__error_set(error, FIMBIT_ELIMIT, name, c.end_line, 1,
                                             "more than %lu distinct baskets or items",
                                             (unsigned long)DICT_MAX_ITEMS)
                         : cursor_nomem(&c, error);
            break;
        }
        rows[row_count++] = row;
    }

    /* Group by basket: a counting sort keeps each basket's rows in order. */
    uint32_t basket_count = baskets.count;
    if (status == FIMBIT_OK) {
        counts = fimbit__calloc((size_t)basket_count + 1, sizeof *counts);
        ordered = fimbit__malloc_array(row_count, sizeof *ordered);
        if (counts == NULL || ordered == NULL)
            status = cursor_nomem(&c, error);
    }
    basket_table_release(&baskets);
    fimbit__free(c.scratch);
    fimbit__free(c.fields);
    if (status == FIMBIT_OK) {
        for (size_t i = 0; i < row_count; i++)
            counts[rows[i].basket + 1] += rows[i].item != DICT_EMPTY;
        for (uint32_t b = 0; b < basket_count; b++)
            counts[b + 1] += counts[b];
        for (size_t i = 0; i < row_count; i++)
            if (rows[i].item != DICT_EMPTY)
                ordered[counts[rows[i].basket]++] = rows[i].item;
        /* counts[b] is now the end of basket b, which is where b + 1 starts. */
        uint64_t start = 0;
        for (uint32_t b = 0; b < basket_count && status == FIMBIT_OK; b++) {
            status = dataset_builder_add_basket(builder, ordered + start, counts[b] - start);
            start = counts[b];
        }
        if (status != FIMBIT_OK)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", name);
    }
    fimbit__free(rows);
    fimbit__free(counts);
    fimbit__free(ordered);
    return status;
}
