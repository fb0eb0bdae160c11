/*
 * Prefix-reusing itemset formatting, for itemsets streamed from the kernels.
 *
 * A kernel's recursion reports itemsets that share a prefix with the one
 * before (a node's itemset, then its children's: the parent's items plus
 * one). So each thread keeps the formatted text of its previous itemset's
 * items, with the byte offset after every item; a new itemset finds how many
 * leading items it shares with the previous one, keeps that much of the text,
 * and formats only its own tail. Each item's text (its encoded name and the
 * separator after it) is built once per run, by kernel rank, so formatting an
 * item is one short copy. The count's text is kept too: itemsets reported
 * with their perfect extensions share it, 2^k of them in a row.
 *
 * Items come out in the order given: the kernel's for streamed output, which
 * is unordered; natural order for the stored result's writer (output.c), whose
 * sorted itemsets share prefixes as well.
 */
#ifndef FIMBIT_ITEMSET_TEXT_H
#define FIMBIT_ITEMSET_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "store/subset_walk.h"

/* Every item's text by kernel rank, for one format; read-only while mining,
 * shared by the threads. */
typedef struct itemset_text {
    fimbit_format format;
    uint32_t rank_count;
    uint64_t basket_count; /* for the support column */
    char *pieces;          /* piece of rank r: pieces[starts[r] .. starts[r + 1]) */
    size_t *starts;        /* rank_count + 1 entries */
    size_t longest_piece;
    uint8_t *needs_quotes; /* CSV only: 1 when the name makes the list field quoted */
} itemset_text;

/* Builds the pieces of ranks 0 .. rank_count - 1 from `names` (item ids),
 * rank r naming item rank_to_item[r], or item r when rank_to_item is NULL.
 * @return FIMBIT_OK or FIMBIT_ENOMEM. */
fimbit_status itemset_text_build(itemset_text *text, const output_names *names,
                                 const uint32_t *rank_to_item, uint32_t rank_count,
                                 uint64_t basket_count, fimbit_error *error);
void itemset_text_free(itemset_text *text);

/* One thread's formatting state: the previous itemset and its text. */
typedef struct itemset_line {
    const itemset_text *text;
    uint32_t size;         /* items of the previous itemset */
    uint32_t *items;       /* its ranks; rank_count entries */
    size_t *ends;          /* ends[i]: text length after items[0 .. i]; rank_count entries */
    uint32_t first_quoted; /* CSV: the first position holding a quoted name, or UINT32_MAX */
    char *line;            /* the previous itemset's item text */
    size_t line_capacity;
    bool tail_valid;       /* tail holds the text that follows the size for tail_count */
    uint64_t tail_count;
    uint32_t tail_length;
    char tail[128]; /* the longest tail (JSON Lines, 66 bytes) and the copy pad */
} itemset_line;

/* @return FIMBIT_OK or FIMBIT_ENOMEM (then nothing is held). `text` must
 * outlive the line. */
fimbit_status itemset_line_init(itemset_line *line, const itemset_text *text,
                                fimbit_error *error);
void itemset_line_free(itemset_line *line);

/* Appends the itemset items[0 .. size) (distinct ranks, size >= 1) with its
 * count to `out`, as output_format_itemset() would format the same items in
 * the same order. `unchanged` is how many leading items the caller knows to
 * equal those of the previous call on this line (0 when it does not know):
 * they are not compared again. @return false when memory is exhausted (out
 * is unchanged). */
bool itemset_line_format(itemset_line *line, output_buffer *out, const uint32_t *items,
                         uint32_t size, uint32_t unchanged, uint64_t count);

/* Appends prefix[0 .. prefix_size) ∪ S with `count` for the subsets S of
 * extensions that `walk` (subset_walk.h, over this many extensions) yields,
 * until the walk ends or out holds byte_limit bytes; call again with the same
 * arguments to go on. Each line costs the copy of its text and of the new
 * extensions' names. *lines counts the itemsets appended. @return 0 when the
 * walk has ended, 1 when it stopped at byte_limit, -1 when memory is
 * exhausted. */
int itemset_line_format_subsets(itemset_line *line, output_buffer *out, const uint32_t *prefix,
                                uint32_t prefix_size, const uint32_t *extensions,
                                subset_walk *walk, uint64_t count, size_t byte_limit,
                                uint64_t *lines);

#endif /* FIMBIT_ITEMSET_TEXT_H */
