/*
 * Parsing one slice of long CSV into chunk-local ids (see csv_chunk.h). The
 * loop shares nothing with other chunks but the read-only column layout and
 * group lookup, so chunks run on their threads side by side.
 */
#include <stdio.h>
#include <string.h>

#include "csv_chunk.h"

void csv_chunk_init(csv_chunk *c)
{
    memset(c, 0, sizeof *c);
    number_map_init(&c->key_numbers);
    dict_init(&c->key_names);
    u64_map_init(&c->basket_of_pair);
    dict_init(&c->groups);
    number_map_init(&c->item_numbers);
    dict_init(&c->items);
    u64_map_init(&c->group_items_seen);
}

/* Drops the ids of the previous parse; the arrays and tables keep their
 * size (a file is parsed a block at a time, each block into the same
 * chunks). */
static void chunk_forget(csv_chunk *c)
{
    number_map_clear(&c->key_numbers);
    dict_clear(&c->key_names);
    u64_map_clear(&c->basket_of_pair);
    dict_clear(&c->groups);
    c->looked_up_count = 0;
    number_map_clear(&c->item_numbers);
    dict_clear(&c->items);
    u64_map_clear(&c->group_items_seen);
    c->key_count = 0;
    c->basket_count = 0;
    c->group_item_count = 0;
    c->row_count = 0;
    c->skipped_rows = 0;
    forget(&c->last_key);
    forget(&c->last_group);
}

void csv_chunk_release(csv_chunk *c)
{
    number_map_release(&c->key_numbers);
    dict_release(&c->key_names);
    u64_map_release(&c->basket_of_pair);
    dict_release(&c->groups);
    number_map_release(&c->item_numbers);
    dict_release(&c->items);
    u64_map_release(&c->group_items_seen);
    csv_cursor_release(&c->cursor);
    fimbit__free(c->keys);
    fimbit__free(c->key_baskets);
    fimbit__free(c->looked_up_groups);
    fimbit__free(c->name_keys);
    fimbit__free(c->baskets);
    fimbit__free(c->item_lines);
    fimbit__free(c->item_groups);
    fimbit__free(c->group_items);
    fimbit__free(c->rows);
    fimbit__free(c->global_groups);
    fimbit__free(c->global_baskets);
    fimbit__free(c->global_items);
    csv_chunk_init(c);
}

fimbit_status csv_limit_error(const char *name, uint64_t line, fimbit_error *error)
{
    return fimbit__error_set(error, FIMBIT_ELIMIT, name, line, 1,
                             "more than %lu distinct baskets or items",
                             (unsigned long)DICT_MAX_ITEMS);
}

/* A data row must reach every column read. */
static fimbit_status check_row_width(const csv_columns *k, const csv_cursor *c, const char *name,
                                     fimbit_error *error)
{
    const char *what = NULL, *spec = NULL;
    size_t index = 0;
    if (c->field_count <= k->basket_index)
        what = "basket", spec = k->basket_spec, index = k->basket_index;
    else if (c->field_count <= k->item_index)
        what = "item", spec = k->item_spec, index = k->item_index;
    else if (k->group_spec != NULL && c->field_count <= k->group_index)
        what = "group", spec = k->group_spec, index = k->group_index;
    if (what == NULL)
        return FIMBIT_OK;
    char label[300];
    if (csv_column_is_index(spec))
        snprintf(label, sizeof label, "%zu", index + 1);
    else
        snprintf(label, sizeof label, "'%s' (column %zu)", spec, index + 1);
    return fimbit__error_set(error, FIMBIT_EPARSE, name, c->end_line, c->end_column,
                             "missing %s column %s: the row has %zu field%s", what, label,
                             c->field_count, c->field_count == 1 ? "" : "s");
}

/* The local key of a basket id, added (*added) when new. */
static fimbit_status chunk_key(csv_chunk *c, const char *text, size_t length, uint32_t *key,
                               bool *added)
{
    csv_key entry = {0, DICT_EMPTY};
    fimbit_status status;
    *added = false;
    if (decimal_parse_canonical(text, length, &entry.value)) {
        *key = number_map_get(&c->key_numbers, entry.value);
        if (*key != DICT_EMPTY)
            return FIMBIT_OK;
        if (c->key_count >= DICT_MAX_ITEMS)
            return FIMBIT_ELIMIT;
        status = number_map_put(&c->key_numbers, entry.value, c->key_count);
    } else {
        bool new_name;
        status = dict_intern(&c->key_names, text, length, &entry.name, &new_name);
        if (status != FIMBIT_OK)
            return status;
        if (!new_name) {
            *key = c->name_keys[entry.name];
            return FIMBIT_OK;
        }
        if (c->key_count >= DICT_MAX_ITEMS)
            return FIMBIT_ELIMIT;
        if (!fimbit__grow_array((void **)&c->name_keys, &c->name_key_capacity, entry.name + 1,
                                sizeof *c->name_keys))
            return FIMBIT_ENOMEM;
        c->name_keys[entry.name] = c->key_count;
    }
    if (status != FIMBIT_OK)
        return status;
    if (!fimbit__grow_array((void **)&c->keys, &c->key_capacity, c->key_count + 1, sizeof *c->keys))
        return FIMBIT_ENOMEM;
    c->keys[c->key_count] = entry;
    *key = c->key_count++;
    *added = true;
    return FIMBIT_OK;
}

/* The local basket of (group, key), added when new; `new_key` says whether
 * the key is. */
static fimbit_status chunk_basket(csv_chunk *c, bool grouped, uint32_t group, uint32_t key,
                                  bool new_key, uint64_t line, uint32_t *basket)
{
    uint64_t pair = (uint64_t)group << 32 | key;
    if (!new_key && !grouped) {
        *basket = key; /* without groups a basket is its id */
        return FIMBIT_OK;
    }
    if (!new_key) {
        *basket = c->key_baskets[key];
        if (c->baskets[*basket].pair >> 32 == group)
            return FIMBIT_OK;
        *basket = u64_map_get(&c->basket_of_pair, pair);
        if (*basket != DICT_EMPTY)
            return FIMBIT_OK;
        if (u64_map_put(&c->basket_of_pair, pair, c->basket_count) != FIMBIT_OK)
            return FIMBIT_ENOMEM;
    } else if (grouped) {
        if (!fimbit__grow_array((void **)&c->key_baskets, &c->key_basket_capacity, (size_t)key + 1,
                                sizeof *c->key_baskets))
            return FIMBIT_ENOMEM;
        c->key_baskets[key] = c->basket_count;
    }
    if (!fimbit__grow_array((void **)&c->baskets, &c->basket_capacity, c->basket_count + 1,
                            sizeof *c->baskets))
        return FIMBIT_ENOMEM;
    c->baskets[c->basket_count] = (csv_basket){pair, line};
    *basket = c->basket_count++;
    return FIMBIT_OK;
}

/* The local group of the group column's `value`, or *skip when the lookup
 * refuses it. */
static fimbit_status chunk_group(csv_chunk *c, const csv_columns *k, const char *value,
                                 size_t length, uint32_t *group, bool *skip)
{
    if (k->group_lookup == NULL)
        return dict_intern(&c->groups, value, length, group, NULL);
    uint32_t number = k->group_lookup(k->group_context, value, length);
    if (number == DICT_EMPTY) {
        *skip = true;
        return FIMBIT_OK;
    }
    if (number >= c->looked_up_count) {
        if (!fimbit__grow_array((void **)&c->looked_up_groups, &c->looked_up_capacity,
                                (size_t)number + 1, sizeof *c->looked_up_groups))
            return FIMBIT_ENOMEM;
        for (size_t n = c->looked_up_count; n <= number; n++)
            c->looked_up_groups[n] = DICT_EMPTY;
        c->looked_up_count = (size_t)number + 1;
    }
    if (c->looked_up_groups[number] == DICT_EMPTY) {
        const char *name = k->group_name(k->group_context, number);
        fimbit_status status =
            dict_intern(&c->groups, name, strlen(name), &c->looked_up_groups[number], NULL);
        if (status != FIMBIT_OK)
            return status;
    }
    *group = c->looked_up_groups[number];
    return FIMBIT_OK;
}

/* The local item named `text`, added (*added) when new. */
static fimbit_status chunk_item_id(csv_chunk *c, const char *text, size_t length, uint32_t *item,
                                   bool *added)
{
    uint64_t value;
    *added = false;
    if (!decimal_parse_canonical(text, length, &value))
        return dict_intern(&c->items, text, length, item, added);
    *item = number_map_get(&c->item_numbers, value);
    if (*item != DICT_EMPTY)
        return FIMBIT_OK;
    fimbit_status status = dict_intern(&c->items, text, length, item, added);
    return status == FIMBIT_OK ? number_map_put(&c->item_numbers, value, *item) : status;
}

/* The local item of the row (DICT_EMPTY for an empty field), and with groups
 * its (group, item) pair noted when new. */
static fimbit_status chunk_item(csv_chunk *c, const csv_columns *k, uint32_t group, uint64_t line,
                                uint32_t *item)
{
    size_t length;
    const char *text = csv_field_text(&c->cursor, k->item_index, &length);
    *item = DICT_EMPTY;
    if (length == 0)
        return FIMBIT_OK;
    bool added;
    fimbit_status status = chunk_item_id(c, text, length, item, &added);
    if (status != FIMBIT_OK)
        return status;
    if (added) {
        if (!fimbit__grow_array((void **)&c->item_lines, &c->item_line_capacity, *item + 1,
                                sizeof *c->item_lines) ||
            !fimbit__grow_array((void **)&c->item_groups, &c->item_group_capacity, *item + 1,
                                sizeof *c->item_groups))
            return FIMBIT_ENOMEM;
        c->item_lines[*item] = line;
        c->item_groups[*item] = 0;
    }
    if (k->group_spec == NULL)
        return FIMBIT_OK;
    uint64_t pair = (uint64_t)group << 32 | *item;
    if (group < 64) {
        uint64_t bit = (uint64_t)1 << group;
        if (c->item_groups[*item] & bit)
            return FIMBIT_OK;
        c->item_groups[*item] |= bit;
    } else if (u64_map_get(&c->group_items_seen, pair) != DICT_EMPTY) {
        return FIMBIT_OK;
    } else if (u64_map_put(&c->group_items_seen, pair, 0) != FIMBIT_OK) {
        return FIMBIT_ENOMEM;
    }
    if (!fimbit__grow_array((void **)&c->group_items, &c->group_item_capacity,
                            c->group_item_count + 1, sizeof *c->group_items))
        return FIMBIT_ENOMEM;
    c->group_items[c->group_item_count++] = pair;
    return FIMBIT_OK;
}

/* Reads the row in the cursor into a local row; *skip for a row the group
 * lookup refuses. A row of the previous row's basket (same id, same group
 * value) costs no look-up. */
static fimbit_status chunk_row(csv_chunk *c, const csv_columns *k, csv_row *row, bool *skip)
{
    uint64_t line = c->cursor.end_line;
    size_t key_length, value_length = 0;
    const char *key_text = csv_field_text(&c->cursor, k->basket_index, &key_length);
    const char *value = k->group_spec != NULL
                            ? csv_field_text(&c->cursor, k->group_index, &value_length)
                            : NULL;
    uint32_t group = c->last_group.value, key;
    fimbit_status status = FIMBIT_OK;
    if (remembered(&c->last_key, key_text, key_length) &&
        (value == NULL || remembered(&c->last_group, value, value_length))) {
        row->basket = c->last_key.value;
    } else {
        forget(&c->last_key);
        group = 0;
        if (value != NULL)
            status = chunk_group(c, k, value, value_length, &group, skip);
        if (status != FIMBIT_OK || *skip)
            return status;
        bool new_key;
        status = chunk_key(c, key_text, key_length, &key, &new_key);
        if (status == FIMBIT_OK)
            status = chunk_basket(c, value != NULL, group, key, new_key, line, &row->basket);
        if (status != FIMBIT_OK)
            return status;
        remember(&c->last_key, key_text, key_length, row->basket);
        if (value != NULL)
            remember(&c->last_group, value, value_length, group);
    }
    return chunk_item(c, k, group, line, &row->item);
}

void csv_chunk_parse(csv_chunk *c, const csv_columns *columns, const char *name, char separator,
                     const char *begin, const char *end, bool final, uint64_t line)
{
    chunk_forget(c);
    csv_cursor *cursor = &c->cursor;
    csv_cursor_start(cursor, name, begin, (size_t)(end - begin), final, separator, line);
    fimbit_status status = FIMBIT_OK;
    for (;;) {
        bool more = false, skip = false;
        status = csv_cursor_next_row(cursor, &more, &c->error);
        if (status != FIMBIT_OK || !more)
            break;
        status = check_row_width(columns, cursor, name, &c->error);
        if (status != FIMBIT_OK)
            break;
        if (!fimbit__grow_array((void **)&c->rows, &c->row_capacity, c->row_count + 1,
                                sizeof *c->rows)) {
            status = csv_cursor_nomem(cursor, &c->error);
            break;
        }
        status = chunk_row(c, columns, &c->rows[c->row_count], &skip);
        if (status != FIMBIT_OK) {
            status = status == FIMBIT_ELIMIT ? csv_limit_error(name, cursor->end_line, &c->error)
                                             : csv_cursor_nomem(cursor, &c->error);
            break;
        }
        if (skip)
            c->skipped_rows++;
        else
            c->row_count++;
    }
    c->status = status;
    c->stop = cursor->p;
    c->stop_line = cursor->line;
}

const char *csv_chunk_key_text(const csv_chunk *c, uint32_t k, char *digits, size_t *length)
{
    const csv_key *key = &c->keys[k];
    if (key->name == DICT_EMPTY) {
        *length = u64_to_decimal(key->value, digits);
        return digits;
    }
    const char *text = c->key_names.bytes + c->key_names.offsets[key->name];
    *length = strlen(text);
    return text;
}
