/*
 * One slice of a long-CSV block, parsed on a thread of its own into tables of
 * its own: basket ids, groups and items get chunk-local ids in order of first
 * appearance in the slice, and every row becomes a (local basket, local item)
 * pair. The reader (csv.c) merges the slices in input order, which gives
 * every id the number one pass over the whole text would give.
 */
#ifndef FIMBIT_READ_CSV_CHUNK_H
#define FIMBIT_READ_CSV_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv_record.h"
#include "number_map.h"
#include "reader.h"
#include "remembered.h"

/* The columns rows are read from, resolved by the header; read-only while
 * chunks are parsed. */
typedef struct csv_columns {
    const char *basket_spec; /* as asked: a name or a 1-based index */
    const char *item_spec;
    const char *group_spec;  /* NULL = no groups */
    size_t basket_index;     /* 0-based */
    size_t item_index;
    size_t group_index;
    csv_group_lookup group_lookup; /* NULL = the value is the group */
    csv_group_name group_name; /* with a lookup: the names of its numbers */
    const void *group_context;
} csv_columns;

typedef struct csv_row {
    uint32_t basket;
    uint32_t item; /* DICT_EMPTY: the row names the basket but no item */
} csv_row;

/* A basket id as read: a canonical integer, or a name of `key_names`. */
typedef struct csv_key {
    uint64_t value;
    uint32_t name; /* DICT_EMPTY for an integer id */
} csv_key;

typedef struct csv_basket {
    uint64_t pair; /* local group << 32 | local key */
    uint64_t line; /* of its first row, for the limit error */
} csv_basket;

typedef struct csv_chunk {
    /* The outcome of the last parse. */
    fimbit_status status;
    fimbit_error error;      /* names true lines only when given the true first line */
    const char *stop;        /* the end, or where the record that runs past it starts */
    uint64_t stop_line;      /* the line number at `stop` */

    csv_cursor cursor;       /* its buffers live from parse to parse */
    /* Basket ids: integers through a map with a window over rising numbers,
     * others through a name table (name_keys: name id -> local key). */
    number_map key_numbers;
    dict key_names;
    uint32_t *name_keys;
    size_t name_key_capacity;
    csv_key *keys;
    uint32_t key_count;
    size_t key_capacity;
    /* Baskets: one basket id within one group (the id itself without
     * groups). With groups, key_baskets[k] is key k's basket in the first
     * group it came with; its baskets in other groups are found by
     * (local group << 32 | local key) in basket_of_pair. */
    uint32_t *key_baskets;
    size_t key_basket_capacity;
    u64_map basket_of_pair;
    csv_basket *baskets;
    uint32_t basket_count;
    size_t basket_capacity;
    dict groups;
    /* With a group lookup: its group number -> local group (DICT_EMPTY
     * before the number's first row), so a group's name is interned once. */
    uint32_t *looked_up_groups;
    size_t looked_up_count;
    size_t looked_up_capacity;
    /* Items: canonical integers (item codes) found through a window, every
     * name in `items`. */
    number_map item_numbers;
    dict items;
    uint64_t *item_lines;    /* per local item: the line of its first row */
    size_t item_line_capacity;
    /* Groups: every local group << 32 | local item pair, in order of first
     * appearance; per local item a bit for each of the first 64 local groups
     * it was seen with, the pairs of later groups in group_items_seen. */
    uint64_t *item_groups;
    size_t item_group_capacity;
    u64_map group_items_seen;
    uint64_t *group_items;
    size_t group_item_count;
    size_t group_item_capacity;
    /* The previous row's basket id (its local basket) and group value (its
     * local group). */
    remembered_field last_key;
    remembered_field last_group;
    csv_row *rows;           /* in local ids */
    size_t row_count;
    size_t row_capacity;
    uint64_t skipped_rows;   /* refused by the group lookup */

    /* Filled by the merge: local id -> the reader's id. */
    uint32_t *global_groups;
    uint32_t *global_baskets;
    uint32_t *global_items;
} csv_chunk;

void csv_chunk_init(csv_chunk *c);
void csv_chunk_release(csv_chunk *c);

/* Parses the rows of text [begin, end) (`line` the line number of begin,
 * which starts a line) into the chunk's tables, replacing what an earlier
 * parse left. Unless `final`, a record that runs past `end` is left unread.
 * Sets status, error, stop and stop_line. */
void csv_chunk_parse(csv_chunk *c, const csv_columns *columns, const char *name, char separator,
                     const char *begin, const char *end, bool final, uint64_t line);

/* The text of local key `k` (a name's bytes, or an integer written back in
 * canonical form into `digits`, 21 bytes). */
const char *csv_chunk_key_text(const csv_chunk *c, uint32_t k, char *digits, size_t *length);

/* The ELIMIT error of a read at `line`. @return FIMBIT_ELIMIT. */
fimbit_status csv_limit_error(const char *name, uint64_t line, fimbit_error *error);

#endif /* FIMBIT_READ_CSV_CHUNK_H */
