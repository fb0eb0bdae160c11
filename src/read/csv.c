/*
 * Long CSV: one `basket,item` row per item (an order-lines export), RFC 4180
 * quoting ("" inside quotes, separators and newlines inside quotes). Rows of
 * one basket may be anywhere: rows are grouped by basket id, baskets ordered
 * by first appearance, items inside a basket by row order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_record.h"
#include "reader.h"

static bool field_is_integer(const csv_cursor *c, size_t index)
{
    if (index >= c->field_count || c->fields[index].length == 0)
        return false;
    size_t length;
    const char *text = csv_field_text(c, index, &length);
    for (size_t i = 0; i < length; i++)
        if ((unsigned)(text[i] - '0') > 9)
            return false;
    return true;
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
    t->named_basket = NULL;
    t->named_capacity = 0;
}

/* *added tells whether the basket is new. */
static fimbit_status basket_table_find(basket_table *t, const char *key, size_t length,
                                       uint32_t *basket, bool *added)
{
    uint64_t value;
    *added = false;
    if (decimal_parse_canonical(key, length, &value)) {
        uint32_t found = u64_map_get(&t->numeric, value);
        if (found != DICT_EMPTY) {
            *basket = found;
            return FIMBIT_OK;
        }
        if (t->count >= DICT_MAX_ITEMS)
            return FIMBIT_ELIMIT;
        fimbit_status status = u64_map_put(&t->numeric, value, t->count);
        if (status == FIMBIT_OK) {
            *basket = t->count++;
            *added = true;
        }
        return status;
    }
    uint32_t id;
    fimbit_status status = dict_intern(&t->named, key, length, &id, added);
    if (status != FIMBIT_OK || !*added) {
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

void csv_extras_release(csv_extras *extras)
{
    fimbit__free(extras->key_bytes);
    fimbit__free(extras->key_offsets);
    dict_release(&extras->groups);
    fimbit__free(extras->basket_group);
    fimbit__free(extras->group_items);
    *extras = (csv_extras){0};
    dict_init(&extras->groups);
}

/* Grows an array of `size`-byte elements to hold index `needed`. */
static bool grow_to(void **array, size_t *capacity, size_t needed, size_t size)
{
    if (needed < *capacity)
        return true;
    size_t bigger = *capacity ? *capacity * 2 : 4096;
    while (bigger <= needed)
        bigger *= 2;
    void *grown = fimbit__realloc_array(*array, bigger, size);
    if (grown == NULL)
        return false;
    *array = grown;
    *capacity = bigger;
    return true;
}

typedef struct csv_row {
    uint32_t basket;
    uint32_t item; /* DICT_EMPTY: the row names the basket but no item */
} csv_row;

struct csv_reader {
    dataset_builder *builder;
    char name[256];
    csv_settings settings;
    const char *basket_spec;
    const char *item_spec;
    const char *group_spec; /* NULL = no groups */
    size_t basket_index;   /* 0-based, once the header is resolved */
    size_t item_index;
    size_t group_index;
    bool header_resolved;
    uint64_t line;         /* of the next block's first byte */
    csv_cursor cursor;     /* its buffers live from block to block */
    basket_table baskets;
    /* Groups: (group << 32 | basket id's number) -> basket, which is then
     * one basket id within one group. */
    u64_map group_baskets;
    u64_map group_items_seen; /* the pairs of extras.group_items */
    size_t group_items_capacity;
    uint32_t basket_count;
    size_t group_capacity; /* of extras.basket_group */
    size_t key_bytes_used;
    size_t key_bytes_capacity;
    size_t key_offsets_capacity;
    csv_extras extras;
    csv_row *rows;
    size_t row_count;
    size_t row_capacity;
};

fimbit_status csv_reader_create(dataset_builder *builder, const char *name,
                                const csv_settings *settings, csv_reader **out)
{
    csv_reader *r = fimbit__calloc(1, sizeof *r);
    if (r == NULL)
        return FIMBIT_ENOMEM;
    r->builder = builder;
    r->settings = *settings;
    r->basket_spec = settings->basket_column ? settings->basket_column : "1";
    r->item_spec = settings->item_column ? settings->item_column : "2";
    r->group_spec = settings->group_column;
    u64_map_init(&r->baskets.numeric);
    dict_init(&r->baskets.named);
    u64_map_init(&r->group_baskets);
    u64_map_init(&r->group_items_seen);
    dict_init(&r->extras.groups);
    csv_reader_begin_input(r, name);
    *out = r;
    return FIMBIT_OK;
}

void csv_reader_begin_input(csv_reader *r, const char *name)
{
    snprintf(r->name, sizeof r->name, "%s", name);
    r->basket_index = 0;
    r->item_index = 1;
    if (csv_column_is_index(r->basket_spec))
        r->basket_index = (size_t)strtoull(r->basket_spec, NULL, 10) - 1;
    if (csv_column_is_index(r->item_spec))
        r->item_index = (size_t)strtoull(r->item_spec, NULL, 10) - 1;
    if (r->group_spec != NULL && csv_column_is_index(r->group_spec))
        r->group_index = (size_t)strtoull(r->group_spec, NULL, 10) - 1;
    r->header_resolved = false;
    r->line = 1;
}

void csv_reader_free(csv_reader *r)
{
    if (r == NULL)
        return;
    basket_table_release(&r->baskets);
    u64_map_release(&r->group_baskets);
    u64_map_release(&r->group_items_seen);
    csv_extras_release(&r->extras);
    csv_cursor_release(&r->cursor);
    fimbit__free(r->rows);
    fimbit__free(r);
}

/* The header: asked for, or guessed from the first two rows' basket fields
 * (a name above integers, or the other way round). @return FIMBIT_OK with
 * r->header_resolved still false when the block ends too soon to tell. */
static fimbit_status csv_resolve_header(csv_reader *r, fimbit_error *error)
{
    csv_cursor *c = &r->cursor;
    bool more = false;
    bool named = !csv_column_is_index(r->basket_spec) || !csv_column_is_index(r->item_spec) ||
                 (r->group_spec != NULL && !csv_column_is_index(r->group_spec));
    int header = r->settings.header;
    if (header < 0 && named)
        header = 1;
    if (header < 0) {
        csv_cursor probe = *c;
        bool first_integer = false, second_integer = false, have_second = false;
        fimbit_status status = csv_cursor_next_row(&probe, &more, error);
        if (status == FIMBIT_OK && more) {
            first_integer = field_is_integer(&probe, r->basket_index);
            status = csv_cursor_next_row(&probe, &more, error);
            have_second = status == FIMBIT_OK && more;
            if (have_second)
                second_integer = field_is_integer(&probe, r->basket_index);
        }
        /* probe shared the scratch buffers; keep whatever they grew to. */
        c->scratch = probe.scratch;
        c->scratch_capacity = probe.scratch_capacity;
        c->fields = probe.fields;
        c->field_capacity = probe.field_capacity;
        if (status == FIMBIT_ENOMEM)
            return status;
        if (probe.incomplete)
            return FIMBIT_OK; /* decide on a longer block */
        /* Other errors are found again, in place, by the rows loop. */
        header = have_second && first_integer != second_integer;
    }
    if (header == 1) {
        fimbit_status status = csv_cursor_next_row(c, &more, error);
        if (status != FIMBIT_OK || c->incomplete)
            return status;
        if (more) {
            const char *specs[3] = {r->basket_spec, r->item_spec, r->group_spec};
            size_t *indexes[3] = {&r->basket_index, &r->item_index, &r->group_index};
            for (int k = 0; k < 3; k++)
                if (specs[k] != NULL && !csv_column_is_index(specs[k]) &&
                    !csv_header_find(c, specs[k], indexes[k]))
                    return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, 1,
                                             "no column named '%s' in the header", specs[k]);
            /* Only the header can say this (a name and an index may meet),
             * so it is a fact about the data, not a bad option. */
            if (r->basket_index == r->item_index)
                return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, 1,
                                         "the basket and item columns are the same column");
        }
    }
    r->header_resolved = true;
    return FIMBIT_OK;
}

/* A data row must reach every column read. */
static fimbit_status check_row_width(const csv_reader *r, fimbit_error *error)
{
    const csv_cursor *c = &r->cursor;
    const char *what = NULL, *spec = NULL;
    size_t index = 0;
    if (c->field_count <= r->basket_index)
        what = "basket", spec = r->basket_spec, index = r->basket_index;
    else if (c->field_count <= r->item_index)
        what = "item", spec = r->item_spec, index = r->item_index;
    else if (r->group_spec != NULL && c->field_count <= r->group_index)
        what = "group", spec = r->group_spec, index = r->group_index;
    if (what == NULL)
        return FIMBIT_OK;
    char label[300];
    if (csv_column_is_index(spec))
        snprintf(label, sizeof label, "%zu", index + 1);
    else
        snprintf(label, sizeof label, "'%s' (column %zu)", spec, index + 1);
    return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, c->end_column,
                             "missing %s column %s: the row has %zu field%s", what, label,
                             c->field_count, c->field_count == 1 ? "" : "s");
}

/* Records a new basket: its id (keep_keys) and its group. */
static fimbit_status note_new_basket(csv_reader *r, const char *key, size_t key_length,
                                     uint32_t group)
{
    csv_extras *x = &r->extras;
    uint32_t basket = r->basket_count;
    if (r->settings.keep_keys) {
        size_t used = r->key_bytes_used;
        if (!grow_to((void **)&x->key_offsets, &r->key_offsets_capacity, basket,
                     sizeof *x->key_offsets) ||
            !grow_to((void **)&x->key_bytes, &r->key_bytes_capacity, used + key_length, 1))
            return FIMBIT_ENOMEM;
        memcpy(x->key_bytes + used, key, key_length);
        x->key_bytes[used + key_length] = '\0';
        x->key_offsets[basket] = used;
        r->key_bytes_used = used + key_length + 1;
    }
    if (r->group_spec != NULL) {
        if (!grow_to((void **)&x->basket_group, &r->group_capacity, basket,
                     sizeof *x->basket_group))
            return FIMBIT_ENOMEM;
        x->basket_group[basket] = group;
    }
    r->basket_count++;
    return FIMBIT_OK;
}

/* Notes `item` as seen in the group of `basket`, when it is the first time. */
static fimbit_status note_group_item(csv_reader *r, uint32_t basket, uint32_t item)
{
    csv_extras *x = &r->extras;
    uint64_t pair = (uint64_t)x->basket_group[basket] << 32 | item;
    if (u64_map_get(&r->group_items_seen, pair) != DICT_EMPTY)
        return FIMBIT_OK;
    if (u64_map_put(&r->group_items_seen, pair, 0) != FIMBIT_OK ||
        !grow_to((void **)&x->group_items, &r->group_items_capacity, x->group_item_count,
                 sizeof *x->group_items))
        return FIMBIT_ENOMEM;
    x->group_items[x->group_item_count++] = pair;
    return FIMBIT_OK;
}

/* The basket of the row in the cursor: its basket id's, or with groups the
 * one of that id within the row's group. *skip is set for a row the group
 * lookup refuses. */
static fimbit_status row_basket(csv_reader *r, uint32_t *basket, bool *skip)
{
    const csv_cursor *c = &r->cursor;
    size_t key_length;
    const char *key = csv_field_text(c, r->basket_index, &key_length);
    uint32_t group = 0;
    if (r->group_spec != NULL) {
        size_t value_length;
        const char *value = csv_field_text(c, r->group_index, &value_length);
        const char *name = value;
        size_t name_length = value_length;
        if (r->settings.group_lookup != NULL &&
            !r->settings.group_lookup(r->settings.group_context, value, value_length, &name,
                                      &name_length)) {
            *skip = true;
            return FIMBIT_OK;
        }
        fimbit_status status = dict_intern(&r->extras.groups, name, name_length, &group, NULL);
        if (status != FIMBIT_OK)
            return status;
    }
    uint32_t id;
    bool added;
    fimbit_status status = basket_table_find(&r->baskets, key, key_length, &id, &added);
    if (status != FIMBIT_OK)
        return status;
    if (r->group_spec != NULL) {
        uint64_t pair = (uint64_t)group << 32 | id;
        uint32_t found = u64_map_get(&r->group_baskets, pair);
        if (found != DICT_EMPTY) {
            *basket = found;
            return FIMBIT_OK;
        }
        if (r->basket_count >= DICT_MAX_ITEMS)
            return FIMBIT_ELIMIT;
        status = u64_map_put(&r->group_baskets, pair, r->basket_count);
        added = status == FIMBIT_OK;
    }
    if (status == FIMBIT_OK && !added) {
        *basket = id;
        return FIMBIT_OK;
    }
    *basket = r->basket_count;
    return status == FIMBIT_OK ? note_new_basket(r, key, key_length, group) : status;
}

fimbit_status csv_reader_feed(csv_reader *r, const char *text, size_t length, bool final,
                              size_t *consumed, fimbit_error *error)
{
    csv_cursor *c = &r->cursor;
    csv_cursor_start(c, r->name, text, length, final, r->settings.separator, r->line);
    *consumed = 0;

    fimbit_status status = FIMBIT_OK;
    if (!r->header_resolved) {
        status = csv_resolve_header(r, error);
        if (status != FIMBIT_OK || !r->header_resolved) {
            *consumed = (size_t)(c->p - text);
            r->line = c->line;
            return status;
        }
    }

    bool more = false;
    while (status == FIMBIT_OK) {
        status = csv_cursor_next_row(c, &more, error);
        if (status != FIMBIT_OK || !more)
            break;
        status = check_row_width(r, error);
        if (status != FIMBIT_OK)
            break;
        if (r->row_count == r->row_capacity) {
            size_t capacity = r->row_capacity ? r->row_capacity * 2 : 4096;
            csv_row *bigger = fimbit__realloc_array(r->rows, capacity, sizeof *bigger);
            if (bigger == NULL) {
                status = csv_cursor_nomem(c, error);
                break;
            }
            r->rows = bigger;
            r->row_capacity = capacity;
        }
        size_t item_length;
        const char *item = csv_field_text(c, r->item_index, &item_length);
        csv_row row = {0, DICT_EMPTY};
        bool skip = false;
        status = row_basket(r, &row.basket, &skip);
        if (skip) {
            r->extras.skipped_rows++;
            continue;
        }
        if (status == FIMBIT_OK && item_length > 0)
            status = dataset_builder_intern_name(r->builder, item, item_length, &row.item);
        if (status == FIMBIT_OK && item_length > 0 && r->group_spec != NULL)
            status = note_group_item(r, row.basket, row.item);
        if (status != FIMBIT_OK) {
            status = status == FIMBIT_ELIMIT
                         ? fimbit__error_set(error, FIMBIT_ELIMIT, r->name, c->end_line, 1,
                                             "more than %lu distinct baskets or items",
                                             (unsigned long)DICT_MAX_ITEMS)
                         : csv_cursor_nomem(c, error);
            break;
        }
        r->rows[r->row_count++] = row;
    }
    *consumed = (size_t)(c->p - text);
    r->line = c->line;
    return status;
}

fimbit_status csv_reader_finish(csv_reader *r, fimbit_error *error)
{
    /* Group by basket: a counting sort keeps each basket's rows in order. */
    uint32_t basket_count = r->basket_count;
    basket_table_release(&r->baskets);
    u64_map_release(&r->group_baskets);
    u64_map_release(&r->group_items_seen);
    uint64_t *counts = fimbit__calloc((size_t)basket_count + 1, sizeof *counts);
    uint32_t *ordered = fimbit__malloc_array(r->row_count, sizeof *ordered);
    fimbit_status status = FIMBIT_OK;
    if (counts == NULL || ordered == NULL)
        status = FIMBIT_ENOMEM;
    if (status == FIMBIT_OK) {
        const csv_row *rows = r->rows;
        for (size_t i = 0; i < r->row_count; i++)
            counts[rows[i].basket + 1] += rows[i].item != DICT_EMPTY;
        for (uint32_t b = 0; b < basket_count; b++)
            counts[b + 1] += counts[b];
        for (size_t i = 0; i < r->row_count; i++)
            if (rows[i].item != DICT_EMPTY)
                ordered[counts[rows[i].basket]++] = rows[i].item;
        /* counts[b] is now the end of basket b, which is where b + 1 starts. */
        uint64_t start = 0;
        for (uint32_t b = 0; b < basket_count && status == FIMBIT_OK; b++) {
            status = dataset_builder_add_basket(r->builder, ordered + start, counts[b] - start);
            start = counts[b];
        }
    }
    fimbit__free(counts);
    fimbit__free(ordered);
    if (status != FIMBIT_OK)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
    return FIMBIT_OK;
}

void csv_reader_take_extras(csv_reader *r, csv_extras *extras)
{
    *extras = r->extras;
    r->extras = (csv_extras){0};
    dict_init(&r->extras.groups);
}

fimbit_status csv_parse(dataset_builder *builder, const char *name, const char *text,
                        size_t length, const csv_settings *settings, fimbit_error *error)
{
    csv_reader *r = NULL;
    if (csv_reader_create(builder, name, settings, &r) != FIMBIT_OK)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", name);
    size_t consumed;
    fimbit_status status = csv_reader_feed(r, text, length, true, &consumed, error);
    if (status == FIMBIT_OK)
        status = csv_reader_finish(r, error);
    csv_reader_free(r);
    return status;
}
