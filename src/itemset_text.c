/* Prefix-reusing itemset formatting (see itemset_text.h). */
#include <string.h>

#include "itemset_text.h"

/* Item texts and lines are copied in 16-byte blocks, so every buffer they are
 * read from or written to has this much room past its end. */
#define TEXT_PAD 16u
#define NO_QUOTED UINT32_MAX

/* Copies n bytes in whole 16-byte blocks: may read and write up to 15 bytes
 * past n (the pads above). Names are short, so most pieces take one block. */
static inline char *copy_blocks(char *to, const char *from, size_t n)
{
    for (size_t at = 0; at < n; at += TEXT_PAD)
        memcpy(to + at, from + at, TEXT_PAD);
    return to + n;
}

/* The separator written after each item. */
static char piece_separator(fimbit_format format)
{
    return format == FIMBIT_FORMAT_JSONL ? ',' : ' ';
}

fimbit_status itemset_text_build(itemset_text *text, const output_names *names,
                                 const uint32_t *rank_to_item, uint32_t rank_count,
                                 uint64_t basket_count, fimbit_error *error)
{
    *text = (itemset_text){.format = names->format, .rank_count = rank_count,
                           .basket_count = basket_count};
    text->starts = fimbit__malloc_array((size_t)rank_count + 1, sizeof *text->starts);
    if (names->format == FIMBIT_FORMAT_CSV)
        text->needs_quotes = fimbit__calloc(rank_count ? rank_count : 1, 1);
    if (text->starts == NULL || (names->format == FIMBIT_FORMAT_CSV && !text->needs_quotes))
        goto out_of_memory;
    size_t total = 0;
    for (uint32_t r = 0; r < rank_count; r++) {
        uint32_t item = rank_to_item ? rank_to_item[r] : r;
        text->starts[r] = total;
        total += (size_t)(names->offsets[item + 1] - names->offsets[item]) + 1;
    }
    text->starts[rank_count] = total;
    text->pieces = fimbit__calloc(total + TEXT_PAD, 1);
    if (text->pieces == NULL)
        goto out_of_memory;
    char separator = piece_separator(names->format);
    for (uint32_t r = 0; r < rank_count; r++) {
        uint32_t item = rank_to_item ? rank_to_item[r] : r;
        size_t length = (size_t)(names->offsets[item + 1] - names->offsets[item]);
        char *piece = text->pieces + text->starts[r];
        memcpy(piece, names->bytes + names->offsets[item], length);
        piece[length] = separator;
        if (text->needs_quotes)
            text->needs_quotes[r] = names->needs_quotes[item];
    }
    return FIMBIT_OK;

out_of_memory:
    itemset_text_free(text);
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while preparing item names");
}

void itemset_text_free(itemset_text *text)
{
    fimbit__free(text->pieces);
    fimbit__free(text->starts);
    fimbit__free(text->needs_quotes);
    *text = (itemset_text){0};
}

fimbit_status itemset_line_init(itemset_line *line, const itemset_text *text,
                                fimbit_error *error)
{
    *line = (itemset_line){.text = text, .first_quoted = NO_QUOTED};
    size_t ranks = text->rank_count ? text->rank_count : 1;
    line->items = fimbit__malloc_array(ranks, sizeof *line->items);
    line->ends = fimbit__malloc_array(ranks, sizeof *line->ends);
    line->line_capacity = 256;
    line->line = fimbit__malloc(line->line_capacity + TEXT_PAD);
    if (line->items == NULL || line->ends == NULL || line->line == NULL) {
        itemset_line_free(line);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while starting the output");
    }
    return FIMBIT_OK;
}

void itemset_line_free(itemset_line *line)
{
    fimbit__free(line->items);
    fimbit__free(line->ends);
    fimbit__free(line->line);
    *line = (itemset_line){0};
}

/* Rebuilds the text that follows the size field for `count`: text
 * "count)\n", CSV ",count,support\n", JSON Lines ",\"count\":count,
 * \"support\":support}\n". */
static void line_set_tail(itemset_line *line, uint64_t count)
{
    const itemset_text *text = line->text;
    char *p = line->tail;
    double support = text->basket_count ? (double)count / (double)text->basket_count : 0.0;
    switch (text->format) {
    case FIMBIT_FORMAT_JSONL:
        memcpy(p, ",\"count\":", 9);
        p = output_format_u64(p + 9, count);
        memcpy(p, ",\"support\":", 11);
        p += 11;
        p += output_format_g6(support, p);
        *p++ = '}';
        break;
    case FIMBIT_FORMAT_CSV:
        *p++ = ',';
        p = output_format_u64(p, count);
        *p++ = ',';
        p += output_format_g6(support, p);
        break;
    default:
        p = output_format_u64(p, count);
        *p++ = ')';
        break;
    }
    *p++ = '\n';
    line->tail_length = (uint32_t)(p - line->tail);
    line->tail_count = count;
    line->tail_valid = true;
}

/* Makes the line hold `needed` bytes (plus the pad). @return false when
 * memory is exhausted. */
static bool line_reserve(itemset_line *line, size_t needed)
{
    if (needed <= line->line_capacity)
        return true;
    size_t capacity = line->line_capacity * 2;
    while (capacity < needed)
        capacity *= 2;
    char *grown = fimbit__realloc_array(line->line, capacity + TEXT_PAD, 1);
    if (grown == NULL)
        return false;
    line->line = grown;
    line->line_capacity = capacity;
    return true;
}

bool itemset_line_format(itemset_line *line, output_buffer *out, const uint32_t *items,
                         uint32_t size, uint64_t count)
{
    const itemset_text *text = line->text;
    /* The items shared with the previous itemset keep their text. */
    uint32_t common = 0, shared_limit = size < line->size ? size : line->size;
    while (common < shared_limit && items[common] == line->items[common])
        common++;
    size_t length = common ? line->ends[common - 1] : 0;
    if (line->first_quoted >= common)
        line->first_quoted = NO_QUOTED;
    for (uint32_t i = common; i < size; i++) {
        uint32_t rank = items[i];
        size_t start = text->starts[rank], piece = text->starts[rank + 1] - start;
        if (!line_reserve(line, length + piece)) {
            line->size = i; /* what the line holds stays consistent */
            return false;
        }
        copy_blocks(line->line + length, text->pieces + start, piece);
        length += piece;
        line->items[i] = rank;
        line->ends[i] = length;
        if (text->needs_quotes && text->needs_quotes[rank] && line->first_quoted == NO_QUOTED)
            line->first_quoted = i;
    }
    line->size = size;
    if (!line->tail_valid || line->tail_count != count)
        line_set_tail(line, count);

    /* The list, its punctuation, the size (20 digits), the tail, the pad. */
    char *start = output_buffer_reserve(out, length + 64 + line->tail_length + TEXT_PAD);
    if (start == NULL)
        return false;
    char *p = start;
    size_t list = length - 1; /* without the last separator */
    switch (text->format) {
    case FIMBIT_FORMAT_JSONL:
        memcpy(p, "{\"items\":[", 10);
        p = copy_blocks(p + 10, line->line, list);
        memcpy(p, "],\"size\":", 9);
        p = output_format_u64(p + 9, size);
        break;
    case FIMBIT_FORMAT_CSV: {
        bool quoted = line->first_quoted != NO_QUOTED;
        *p = '"';
        p = copy_blocks(p + quoted, line->line, list);
        p[0] = '"';
        p[quoted] = ',';
        p = output_format_u64(p + quoted + 1, size);
        break;
    }
    default:
        /* "a b c (" + tail: the last separator is the space before '('. */
        p = copy_blocks(p, line->line, length);
        *p++ = '(';
        break;
    }
    p = copy_blocks(p, line->tail, line->tail_length);
    out->length += (size_t)(p - start);
    return true;
}
