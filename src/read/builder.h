/*
 * The dataset builder the readers fill: baskets of dense item ids in CSR form
 * plus the item dictionary. dataset_builder_finish() turns it into a
 * fimbit_dataset (supports, stats, natural order, name index), handing its
 * arrays over instead of copying them. Implemented in builder.c.
 */
#ifndef FIMBIT_IO_BUILDER_H
#define FIMBIT_IO_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "dataset.h"
#include "dict.h"
#include "base/item_array.h"

typedef struct dataset_builder {
    dict names;              /* name -> id; ids in order of first appearance */
    /* FIMI fast path: an integer id as read -> its dense id, by value in a
     * flat table while values stay small beside the item count (4 bytes a
     * value; FIMI files number their items densely), else in a map (32
     * bytes an item: 16-byte slots, at most half full). */
    uint32_t *small_ids; /* DICT_EMPTY where unseen */
    uint64_t small_count;
    u64_map numeric_ids;
    uint64_t basket_count;
    uint64_t *offsets;       /* basket_count + 1 entries once anything is added */
    uint64_t offsets_capacity;
    item_array items;        /* narrow while every id interned so far fits */
    uint64_t item_total;     /* items used */
    uint64_t items_capacity;
    uint64_t *seen;          /* per id: 1 + the last basket holding it (dedupe) */
    uint64_t seen_capacity;
    uint64_t *supports;      /* per id: baskets holding it, kept up to date */
    uint64_t supports_capacity;
    int threads; /* dataset_derive's: 0 (init's) every core the work keeps busy */
} dataset_builder;

fimbit_status dataset_builder_init(dataset_builder *b);
void dataset_builder_release(dataset_builder *b);

/* The dense id of a named item, added when new. FIMBIT_ELIMIT past 2^32 - 2. */
fimbit_status dataset_builder_intern_name(dataset_builder *b, const char *name, size_t length,
                                          uint32_t *id);

/* The dense id of the FIMI item `value` (named by its canonical decimal text). */
fimbit_status dataset_builder_intern_number(dataset_builder *b, uint64_t value, uint32_t *id);

/* Makes room for `baskets` more baskets and `items` more items, so a caller
 * may write b->offsets[b->basket_count + 1 ...] and b->items[b->item_total ...]
 * directly and then advance the counts. Intern the ids first: the items are
 * widened here when an id no longer fits the narrow form. */
fimbit_status dataset_builder_reserve(dataset_builder *b, uint64_t baskets, uint64_t items);

/* Grows the basket and item arrays to hold `basket_total` baskets and
 * `item_total` items in all, exactly, when they hold fewer: for a reader that
 * projects the input's size, where dataset_builder_reserve would double. */
fimbit_status dataset_builder_expect(dataset_builder *b, uint64_t basket_total,
                                     uint64_t item_total);

/* Makes supports[] cover every id interned so far (new entries 0), for a
 * caller that writes baskets directly and adds their supports itself. */
fimbit_status dataset_builder_fit_supports(dataset_builder *b);

/* Appends one basket of `size` ids, dropping repeated ids. */
fimbit_status dataset_builder_add_basket(dataset_builder *b, const uint32_t *ids, uint64_t size);

/* Builds the dataset and leaves `b` released (also on failure). */
fimbit_status dataset_builder_finish(dataset_builder *b, fimbit_dataset **out);

/* As dataset_builder_finish, without the derived parts (stats, natural
 * order, name index, F-list basket order): baskets, supports and names
 * only, for a dataset that is read basket by basket and then dropped, as
 * the group split does. */
fimbit_status dataset_builder_finish_plain(dataset_builder *b, fimbit_dataset **out);

#endif /* FIMBIT_IO_BUILDER_H */
