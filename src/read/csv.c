/*
 * Long CSV: one `basket,item` row per item (an order-lines export), RFC 4180
 * quoting ("" inside quotes, separators and newlines inside quotes). Rows of
 * one basket may be anywhere: rows are grouped by basket id, baskets ordered
 * by first appearance, items inside a basket by row order.
 *
 * A block is cut at record boundaries into one slice per thread, each parsed
 * into ids of its own (csv_chunk.c), then merged in input order: every id is
 * then the one a single pass would give, whatever the thread count. A cut is
 * placed after a line break outside quotes, judged by the parity of the
 * quotes before it; a quote inside an unquoted field can fool that, so each
 * cut is checked (the slice before it must end there, on a record boundary)
 * and the text from the first doubtful cut on is parsed again in one piece.
 * Errors are reported from that one-piece parse, with true line numbers.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_chunk.h"
#include "csv_cuts.h"
#include "csv_record.h"
#include "number_map.h"
#include "reader.h"

size_t csv_slice_min = CSV_SLICE_MIN;

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
 * ids, the usual case (order numbers), go through a map that finds rising
 * numbers in a window; other ids through a name table whose ids are mapped
 * to basket numbers. */
typedef struct basket_table {
    number_map numeric;
    dict named;
    uint32_t *named_basket;    /* named id -> basket number */
    uint32_t named_capacity;
    uint32_t count;
} basket_table;

static void basket_table_release(basket_table *t)
{
    number_map_release(&t->numeric);
    dict_release(&t->named);
    fimbit__free(t->named_basket);
    t->named_basket = NULL;
    t->named_capacity = 0;
}

/* A new basket id's number. */
static fimbit_status basket_table_next(basket_table *t, uint32_t *basket)
{
    if (t->count >= DICT_MAX_ITEMS)
        return FIMBIT_ELIMIT;
    *basket = t->count++;
    return FIMBIT_OK;
}

/* The number of basket id `k` of chunk `c`; *added tells whether it is new. */
static fimbit_status basket_table_find(basket_table *t, const csv_chunk *c, uint32_t k,
                                       uint32_t *basket, bool *added)
{
    const csv_key *key = &c->keys[k];
    *added = false;
    if (key->name == DICT_EMPTY) {
        uint32_t found = number_map_get(&t->numeric, key->value);
        if (found != DICT_EMPTY) {
            *basket = found;
            return FIMBIT_OK;
        }
        fimbit_status status = basket_table_next(t, basket);
        if (status == FIMBIT_OK)
            status = number_map_put(&t->numeric, key->value, *basket);
        *added = status == FIMBIT_OK;
        return status;
    }
    const char *name = c->key_names.bytes + c->key_names.offsets[key->name];
    uint32_t id;
    fimbit_status status = dict_intern(&t->named, name, strlen(name), &id, added);
    if (status != FIMBIT_OK || !*added) {
        if (status == FIMBIT_OK)
            *basket = t->named_basket[id];
        return status;
    }
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
    status = basket_table_next(t, &t->named_basket[id]);
    *basket = t->named_basket[id];
    return status;
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

typedef struct row_segment {
    csv_row *rows;
    size_t count;
} row_segment;

struct csv_reader {
    dataset_builder *builder;
    char name[256];
    csv_settings settings;
    csv_columns columns;
    bool header_resolved;
    uint64_t line;         /* of the next block's first byte */
    csv_cursor cursor;     /* reads the header; its buffers live from block to block */
    basket_table baskets;
    /* Groups: a basket is one basket id within one group. Nearly every id
     * has one group, so each id's number leads to its basket in the first
     * group it came with, and only the ids of other groups are looked up as
     * (group << 32 | id's number) pairs. */
    uint32_t *first_baskets;
    size_t first_basket_capacity;
    u64_map group_baskets;
    u64_map group_items_seen; /* the pairs of extras.group_items */
    size_t group_items_capacity;
    uint32_t basket_count;
    size_t group_capacity; /* of extras.basket_group */
    size_t key_bytes_used;
    size_t key_bytes_capacity;
    size_t key_offsets_capacity;
    csv_extras extras;
    /* The rows so far, in the reader's ids: the row arrays of the chunks
     * merged, taken over from them in input order. */
    row_segment *segments;
    size_t segment_count;
    size_t segment_capacity;
    size_t row_count;
    /* The slices of a block, kept from block to block; cuts[t] .. cuts[t + 1]
     * is slice t. */
    csv_chunk *chunks;
    const char **cuts;
    size_t *quotes;        /* per slice: the quotes between its nominal bounds */
    int chunk_slots;
};

fimbit_status csv_reader_create(dataset_builder *builder, const char *name,
                                const csv_settings *settings, csv_reader **out)
{
    csv_reader *r = fimbit__calloc(1, sizeof *r);
    if (r == NULL)
        return FIMBIT_ENOMEM;
    r->builder = builder;
    r->settings = *settings;
    r->columns.basket_spec = settings->basket_column ? settings->basket_column : "1";
    r->columns.item_spec = settings->item_column ? settings->item_column : "2";
    r->columns.group_spec = settings->group_column;
    r->columns.group_lookup = settings->group_lookup;
    r->columns.group_name = settings->group_name;
    r->columns.group_context = settings->group_context;
    number_map_init(&r->baskets.numeric);
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
    csv_columns *k = &r->columns;
    snprintf(r->name, sizeof r->name, "%s", name);
    k->basket_index = 0;
    k->item_index = 1;
    if (csv_column_is_index(k->basket_spec))
        k->basket_index = (size_t)strtoull(k->basket_spec, NULL, 10) - 1;
    if (csv_column_is_index(k->item_spec))
        k->item_index = (size_t)strtoull(k->item_spec, NULL, 10) - 1;
    if (k->group_spec != NULL && csv_column_is_index(k->group_spec))
        k->group_index = (size_t)strtoull(k->group_spec, NULL, 10) - 1;
    r->header_resolved = false;
    r->line = 1;
}

static void release_rows(csv_reader *r)
{
    for (size_t k = 0; k < r->segment_count; k++)
        fimbit__free(r->segments[k].rows);
    fimbit__free(r->segments);
    r->segments = NULL;
    r->segment_count = 0;
    r->segment_capacity = 0;
    r->row_count = 0;
}

void csv_reader_free(csv_reader *r)
{
    if (r == NULL)
        return;
    basket_table_release(&r->baskets);
    fimbit__free_discarding(r->first_baskets);
    u64_map_release(&r->group_baskets);
    u64_map_release(&r->group_items_seen);
    csv_extras_release(&r->extras);
    csv_cursor_release(&r->cursor);
    release_rows(r);
    for (int t = 0; t < r->chunk_slots; t++)
        csv_chunk_release(&r->chunks[t]);
    fimbit__free(r->chunks);
    fimbit__free(r->cuts);
    fimbit__free(r->quotes);
    fimbit__free(r);
}

/* The header: asked for, or guessed from the first two rows' basket fields
 * (a name above integers, or the other way round). @return FIMBIT_OK with
 * r->header_resolved still false when the block ends too soon to tell. */
static fimbit_status csv_resolve_header(csv_reader *r, fimbit_error *error)
{
    csv_cursor *c = &r->cursor;
    csv_columns *k = &r->columns;
    bool more = false;
    bool named = !csv_column_is_index(k->basket_spec) || !csv_column_is_index(k->item_spec) ||
                 (k->group_spec != NULL && !csv_column_is_index(k->group_spec));
    int header = r->settings.header;
    if (header < 0 && named)
        header = 1;
    if (header < 0) {
        csv_cursor probe = *c;
        bool first_integer = false, second_integer = false, have_second = false;
        fimbit_status status = csv_cursor_next_row(&probe, &more, error);
        if (status == FIMBIT_OK && more) {
            first_integer = field_is_integer(&probe, k->basket_index);
            status = csv_cursor_next_row(&probe, &more, error);
            have_second = status == FIMBIT_OK && more;
            if (have_second)
                second_integer = field_is_integer(&probe, k->basket_index);
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
            const char *specs[3] = {k->basket_spec, k->item_spec, k->group_spec};
            size_t *indexes[3] = {&k->basket_index, &k->item_index, &k->group_index};
            for (int i = 0; i < 3; i++)
                if (specs[i] != NULL && !csv_column_is_index(specs[i]) &&
                    !csv_header_find(c, specs[i], indexes[i]))
                    return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, 1,
                                             "no column named '%s' in the header", specs[i]);
            /* Only the header can say this (a name and an index may meet),
             * so it is a fact about the data, not a bad option. */
            if (k->basket_index == k->item_index)
                return fimbit__error_set(error, FIMBIT_EPARSE, r->name, c->end_line, 1,
                                         "the basket and item columns are the same column");
        }
    }
    r->header_resolved = true;
    return FIMBIT_OK;
}

/* Records a new basket: its id (keep_keys: local key `key` of chunk `c`)
 * and its group. */
static fimbit_status note_new_basket(csv_reader *r, const csv_chunk *c, uint32_t key,
                                     uint32_t group)
{
    csv_extras *x = &r->extras;
    uint32_t basket = r->basket_count;
    if (r->settings.keep_keys) {
        char digits[24];
        size_t key_length;
        const char *text = csv_chunk_key_text(c, key, digits, &key_length);
        size_t used = r->key_bytes_used;
        if (!fimbit__grow_array((void **)&x->key_offsets, &r->key_offsets_capacity, basket + 1,
                                sizeof *x->key_offsets) ||
            !fimbit__grow_array((void **)&x->key_bytes, &r->key_bytes_capacity,
                                used + key_length + 1, 1))
            return FIMBIT_ENOMEM;
        memcpy(x->key_bytes + used, text, key_length);
        x->key_bytes[used + key_length] = '\0';
        x->key_offsets[basket] = used;
        r->key_bytes_used = used + key_length + 1;
    }
    if (r->columns.group_spec != NULL) {
        if (!fimbit__grow_array((void **)&x->basket_group, &r->group_capacity, basket + 1,
                                sizeof *x->basket_group))
            return FIMBIT_ENOMEM;
        x->basket_group[basket] = group;
    }
    r->basket_count++;
    return FIMBIT_OK;
}

/* Notes the (group << 32 | item) `pair` when it is the first time. */
static fimbit_status note_group_item(csv_reader *r, uint64_t pair)
{
    csv_extras *x = &r->extras;
    if (u64_map_get(&r->group_items_seen, pair) != DICT_EMPTY)
        return FIMBIT_OK;
    if (u64_map_put(&r->group_items_seen, pair, 0) != FIMBIT_OK ||
        !fimbit__grow_array((void **)&x->group_items, &r->group_items_capacity,
                            x->group_item_count + 1, sizeof *x->group_items))
        return FIMBIT_ENOMEM;
    x->group_items[x->group_item_count++] = pair;
    return FIMBIT_OK;
}

/* The reader's basket of local basket `b` of chunk `c`: its basket id's,
 * or with groups the one of that id within its group. */
static fimbit_status merge_basket(csv_reader *r, const csv_chunk *c, uint32_t b,
                                  uint32_t *basket)
{
    uint64_t local = c->baskets[b].pair;
    uint32_t key = (uint32_t)(local & UINT32_MAX);
    uint32_t group = r->columns.group_spec != NULL ? c->global_groups[local >> 32] : 0;
    uint32_t id;
    bool added;
    fimbit_status status = basket_table_find(&r->baskets, c, key, &id, &added);
    if (status != FIMBIT_OK)
        return status;
    if (r->columns.group_spec != NULL && added) {
        if (r->basket_count >= DICT_MAX_ITEMS)
            return FIMBIT_ELIMIT;
        if (!fimbit__grow_array((void **)&r->first_baskets, &r->first_basket_capacity,
                                (size_t)id + 1, sizeof *r->first_baskets))
            return FIMBIT_ENOMEM;
        r->first_baskets[id] = r->basket_count;
    } else if (r->columns.group_spec != NULL) {
        uint32_t first = r->first_baskets[id];
        if (r->extras.basket_group[first] == group) {
            *basket = first;
            return FIMBIT_OK;
        }
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
    return status == FIMBIT_OK ? note_new_basket(r, c, key, group) : status;
}

/* Gives chunk `c`'s local ids their numbers in the reader, in order of first
 * appearance in the chunk: after the chunks before it, that is their order
 * of first appearance in the input. `line_offset` turns the chunk's line
 * numbers into the input's. */
static fimbit_status merge_chunk(csv_reader *r, csv_chunk *c, uint64_t line_offset,
                                 fimbit_error *error)
{
    uint32_t group_count = c->groups.count;
    fimbit__free(c->global_groups);
    fimbit__free(c->global_baskets);
    fimbit__free(c->global_items);
    c->global_groups = fimbit__malloc_array(group_count ? group_count : 1, sizeof(uint32_t));
    c->global_baskets = fimbit__malloc_array(c->basket_count ? c->basket_count : 1,
                                             sizeof(uint32_t));
    c->global_items = fimbit__malloc_array(c->items.count ? c->items.count : 1,
                                           sizeof(uint32_t));
    if (c->global_groups == NULL || c->global_baskets == NULL || c->global_items == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
    fimbit_status status = FIMBIT_OK;
    /* The line of the row that made the failing id (a group's: the first). */
    uint64_t line = c->basket_count ? c->baskets[0].line : 1;
    for (uint32_t g = 0; g < group_count && status == FIMBIT_OK; g++) {
        const char *name = c->groups.bytes + c->groups.offsets[g];
        status = dict_intern(&r->extras.groups, name, strlen(name), &c->global_groups[g], NULL);
    }
    for (uint32_t b = 0; b < c->basket_count && status == FIMBIT_OK; b++) {
        status = merge_basket(r, c, b, &c->global_baskets[b]);
        line = c->baskets[b].line;
    }
    for (uint32_t i = 0; i < c->items.count && status == FIMBIT_OK; i++) {
        const char *name = c->items.bytes + c->items.offsets[i];
        status = dataset_builder_intern_name(r->builder, name, strlen(name), &c->global_items[i]);
        line = c->item_lines[i];
    }
    for (size_t p = 0; p < c->group_item_count && status == FIMBIT_OK; p++) {
        uint64_t local = c->group_items[p];
        status = note_group_item(r, (uint64_t)c->global_groups[local >> 32] << 32 |
                                        c->global_items[local & UINT32_MAX]);
    }
    r->extras.skipped_rows += c->skipped_rows;
    if (status == FIMBIT_ELIMIT)
        return csv_limit_error(r->name, line + line_offset, error);
    if (status != FIMBIT_OK)
        return fimbit__fail(error, status, "out of memory reading %s", r->name);
    return FIMBIT_OK;
}

/* Puts chunk `c`'s rows into the reader's ids, in place. */
static void translate_rows(csv_chunk *c)
{
    for (size_t i = 0; i < c->row_count; i++) {
        csv_row *row = &c->rows[i];
        row->basket = c->global_baskets[row->basket];
        if (row->item != DICT_EMPTY)
            row->item = c->global_items[row->item];
    }
}

/* Takes chunk `c`'s rows over as the reader's next segment. */
static bool take_rows(csv_reader *r, csv_chunk *c)
{
    if (c->row_count == 0)
        return true;
    if (!fimbit__grow_array((void **)&r->segments, &r->segment_capacity, r->segment_count + 1,
                            sizeof *r->segments))
        return false;
    csv_row *trimmed = fimbit__realloc_array(c->rows, c->row_count, sizeof *trimmed);
    r->segments[r->segment_count++] = (row_segment){trimmed ? trimmed : c->rows, c->row_count};
    r->row_count += c->row_count;
    c->rows = NULL;
    c->row_count = 0;
    c->row_capacity = 0;
    return true;
}

static bool ensure_slices(csv_reader *r, int count)
{
    if (count <= r->chunk_slots)
        return true;
    bool cut_room = csv_cuts_reserve(&r->cuts, &r->quotes, count);
    csv_chunk *chunks = fimbit__realloc_array(r->chunks, (size_t)count, sizeof *chunks);
    if (chunks != NULL)
        r->chunks = chunks;
    if (!cut_room || chunks == NULL)
        return false;
    for (int t = r->chunk_slots; t < count; t++)
        csv_chunk_init(&chunks[t]);
    r->chunk_slots = count;
    return true;
}

/* Cuts [begin, end) into `count` slices at record starts by the quotes'
 * parity, and parses them side by side (line numbers from 1 each). */
static void parse_slices(csv_reader *r, const char *begin, const char *end, bool final,
                         int count)
{
    const char **cuts = r->cuts;
#pragma omp parallel num_threads(count)
    {
        csv_cuts_find(begin, end, count, cuts, r->quotes);
#pragma omp for schedule(dynamic, 1)
        for (int t = 0; t < count; t++)
            csv_chunk_parse(&r->chunks[t], &r->columns, r->name, r->settings.separator, cuts[t],
                            cuts[t + 1], t + 1 == count && final, 1);
    }
}

/* Sizes the reader's tables for what the chunks may add, so the merge does
 * not grow them again and again (at most every local id is new). */
static fimbit_status reserve_for_merge(csv_reader *r, int count)
{
    uint64_t names = 0, pairs = 0;
    for (int t = 0; t < count; t++) {
        names += r->chunks[t].key_names.count;
        pairs += r->chunks[t].group_item_count;
    }
    fimbit_status status = FIMBIT_OK;
    if (names > 0)
        status = dict_reserve(&r->baskets.named, names);
    if (status == FIMBIT_OK && pairs > 0)
        status = u64_map_reserve(&r->group_items_seen, pairs);
    return status;
}

/* Reads the rows of [begin, end), whose first line is `line`; *stop is
 * where the first record that runs past the end starts (or the end). */
static fimbit_status read_rows(csv_reader *r, const char *begin, const char *end, bool final,
                               const char **stop, fimbit_error *error)
{
    int count = r->settings.threads > 1 ? r->settings.threads : 1;
    size_t most = (size_t)(end - begin) / (csv_slice_min ? csv_slice_min : 1);
    if ((size_t)count > most)
        count = most > 1 ? (int)most : 1;
    if (!ensure_slices(r, count))
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
    if (count == 1)
        csv_chunk_parse(&r->chunks[0], &r->columns, r->name, r->settings.separator, begin, end,
                        final, r->line);
    else
        parse_slices(r, begin, end, final, count);

    fimbit_status status = reserve_for_merge(r, count);
    if (status != FIMBIT_OK)
        return fimbit__fail(error, status, "out of memory reading %s", r->name);
    int merged = 0;
    while (merged < count && status == FIMBIT_OK) {
        csv_chunk *c = &r->chunks[merged];
        /* A slice parsed on its own stands when it ended on its cut (or, the
         * last, parsed to the end of the block) without an error. */
        bool whole = count == 1;
        bool stands = c->status == FIMBIT_OK &&
                      (merged + 1 == count || c->stop == r->cuts[merged + 1]);
        if (!whole && !stands) {
            csv_chunk_parse(c, &r->columns, r->name, r->settings.separator,
                            r->cuts[merged], end, final, r->line);
            whole = true;
        }
        if (c->status != FIMBIT_OK) {
            if (error != NULL)
                *error = c->error;
            status = c->status;
            break;
        }
        uint64_t line_offset = whole ? 0 : r->line - 1;
        status = merge_chunk(r, c, line_offset, error);
        merged++;
        r->line = c->stop_line + line_offset;
        *stop = c->stop;
        if (whole)
            break;
    }
    if (status != FIMBIT_OK)
        return status;
#pragma omp parallel for num_threads(merged) if (merged > 1) schedule(dynamic, 1)
    for (int t = 0; t < merged; t++)
        translate_rows(&r->chunks[t]);
    for (int t = 0; t < merged; t++)
        if (!take_rows(r, &r->chunks[t]))
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", r->name);
    return FIMBIT_OK;
}

fimbit_status csv_reader_feed(csv_reader *r, const char *text, size_t length, bool final,
                              size_t *consumed, fimbit_error *error)
{
    csv_cursor *c = &r->cursor;
    csv_cursor_start(c, r->name, text, length, final, r->settings.separator, r->line);
    *consumed = 0;
    if (!r->header_resolved) {
        fimbit_status status = csv_resolve_header(r, error);
        if (status != FIMBIT_OK || !r->header_resolved) {
            *consumed = (size_t)(c->p - text);
            r->line = c->line;
            return status;
        }
        r->line = c->line;
    }
    const char *stop = c->p;
    fimbit_status status = read_rows(r, c->p, text + length, final, &stop, error);
    *consumed = (size_t)(stop - text);
    return status;
}

fimbit_status csv_reader_finish(csv_reader *r, fimbit_error *error)
{
    for (int t = 0; t < r->chunk_slots; t++)
        csv_chunk_release(&r->chunks[t]); /* their rows are the reader's now */
    /* Group by basket: a counting sort keeps each basket's rows in order. */
    uint32_t basket_count = r->basket_count;
    basket_table_release(&r->baskets);
    fimbit__free_discarding(r->first_baskets);
    r->first_baskets = NULL;
    r->first_basket_capacity = 0;
    u64_map_release(&r->group_baskets);
    u64_map_release(&r->group_items_seen);
    uint64_t *counts = fimbit__calloc((size_t)basket_count + 1, sizeof *counts);
    uint32_t *ordered = fimbit__malloc_array(r->row_count, sizeof *ordered);
    fimbit_status status = FIMBIT_OK;
    if (counts == NULL || ordered == NULL)
        status = FIMBIT_ENOMEM;
    if (status == FIMBIT_OK) {
        for (size_t k = 0; k < r->segment_count; k++) {
            const row_segment *segment = &r->segments[k];
            for (size_t i = 0; i < segment->count; i++)
                counts[segment->rows[i].basket + 1] += segment->rows[i].item != DICT_EMPTY;
        }
        for (uint32_t b = 0; b < basket_count; b++)
            counts[b + 1] += counts[b];
        for (size_t k = 0; k < r->segment_count; k++) {
            const row_segment *segment = &r->segments[k];
            for (size_t i = 0; i < segment->count; i++)
                if (segment->rows[i].item != DICT_EMPTY)
                    ordered[counts[segment->rows[i].basket]++] = segment->rows[i].item;
        }
        release_rows(r);
        /* Sized once: grown by doubling, the arrays would be copied and
         * their pages faulted in again and again. */
        status = dataset_builder_expect(r->builder, r->builder->basket_count + basket_count,
                                        r->builder->item_total + counts[basket_count]);
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
