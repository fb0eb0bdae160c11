/* Prefix-reusing itemset formatting (see itemset_text.h). */
#include <string.h>

#include "itemset_text.h"

/* Item texts and lines are copied in 32-byte blocks (a line of a dozen short
 * names takes one or two), so every buffer they are read from or written to
 * has this much room past its end. */
#define TEXT_PAD 32u
#define NO_QUOTED UINT32_MAX

/* Copies n bytes in whole 32-byte blocks: may read and write up to 31 bytes
 * past n (the pads above). Names are short, so most pieces take one block. */
static inline char *copy_blocks(char *to, const char *from, size_t n)
{
    memcpy(to, from, TEXT_PAD);
    for (size_t at = TEXT_PAD; at < n; at += TEXT_PAD)
        memcpy(to + at, from + at, TEXT_PAD);
    return to + n;
}

/* The separator written after each item: ", " in braced text, else one
 * byte. */
static const char *piece_separator(const output_names *names)
{
    if (names->format == FIMBIT_FORMAT_JSONL)
        return ",";
    return names->braced ? ", " : " ";
}

fimbit_status itemset_text_build(itemset_text *text, const output_names *names,
                                 const uint32_t *rank_to_item, uint32_t rank_count,
                                 uint64_t basket_count, fimbit_error *error)
{
    *text = (itemset_text){.format = names->format, .braced = names->braced,
                           .rank_count = rank_count, .basket_count = basket_count};
    const char *separator = piece_separator(names);
    size_t separator_length = strlen(separator);
    text->starts = fimbit__malloc_array((size_t)rank_count + 1, sizeof *text->starts);
    if (names->format == FIMBIT_FORMAT_CSV)
        text->needs_quotes = fimbit__calloc(rank_count ? rank_count : 1, 1);
    if (text->starts == NULL || (names->format == FIMBIT_FORMAT_CSV && !text->needs_quotes))
        goto out_of_memory;
    size_t total = 0;
    for (uint32_t r = 0; r < rank_count; r++) {
        uint32_t item = rank_to_item ? rank_to_item[r] : r;
        text->starts[r] = total;
        size_t piece = (size_t)(names->offsets[item + 1] - names->offsets[item]) +
                       separator_length;
        total += piece;
        if (piece > text->longest_piece)
            text->longest_piece = piece;
    }
    text->starts[rank_count] = total;
    text->pieces = fimbit__calloc(total + TEXT_PAD, 1);
    if (text->pieces == NULL)
        goto out_of_memory;
    for (uint32_t r = 0; r < rank_count; r++) {
        uint32_t item = rank_to_item ? rank_to_item[r] : r;
        size_t length = (size_t)(names->offsets[item + 1] - names->offsets[item]);
        char *piece = text->pieces + text->starts[r];
        memcpy(piece, names->bytes + names->offsets[item], length);
        memcpy(piece + length, separator, separator_length);
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

/* Rebuilds the text that follows the size field (text: the item list) for
 * `count`: text "(count)\n", CSV ",count,support\n", JSON Lines
 * ",\"count\":count,\"support\":support}\n". */
static void line_set_tail(itemset_line *line, uint64_t count)
{
    const itemset_text *text = line->text;
    char *p = line->tail;
    double support = 0.0; /* CSV and JSON Lines only */
    if (text->format != FIMBIT_FORMAT_TEXT && text->basket_count)
        support = (double)count / (double)text->basket_count;
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
        *p = '(';
        p = output_format_u64(p + 1, count);
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

/* @return the length of the common prefix of a[0 .. limit) and b[0 ..
 * limit), known to be at least `from`. Two items per step: dense data's
 * itemsets run to a dozen items or more, nearly all shared with the line
 * before. */
static uint32_t common_prefix(const uint32_t *a, const uint32_t *b, uint32_t from, uint32_t limit)
{
    uint32_t i = from;
    for (; i + 2 <= limit; i += 2) {
        uint64_t x, y;
        memcpy(&x, a + i, sizeof x);
        memcpy(&y, b + i, sizeof y);
        if (x != y)
            return i + (a[i] == b[i]);
    }
    return i < limit && a[i] == b[i] ? i + 1 : i;
}

/* Puts the piece of `rank` at position `at`, after the line's first `at`
 * items; the caller has reserved its room and sets the line's size. */
static inline void line_set_item(itemset_line *line, uint32_t at, uint32_t rank)
{
    const itemset_text *text = line->text;
    size_t length = at ? line->ends[at - 1] : 0;
    size_t start = text->starts[rank], piece = text->starts[rank + 1] - start;
    copy_blocks(line->line + length, text->pieces + start, piece);
    line->items[at] = rank;
    line->ends[at] = length + piece;
    if (text->needs_quotes) {
        if (line->first_quoted >= at)
            line->first_quoted = NO_QUOTED;
        if (text->needs_quotes[rank] && line->first_quoted == NO_QUOTED)
            line->first_quoted = at;
    }
}

/* Makes the line hold its first `keep` items only, then the pieces of
 * ranks[0 .. n) after them, with room for `room` more pieces past those.
 * @return false when memory is exhausted (the line then holds its first
 * `keep` items). */
static inline bool line_replace_tail(itemset_line *line, uint32_t keep, const uint32_t *ranks,
                                     uint32_t n, uint32_t room)
{
    const itemset_text *text = line->text;
    size_t length = keep ? line->ends[keep - 1] : 0;
    line->size = keep;
    if (line->first_quoted >= keep)
        line->first_quoted = NO_QUOTED;
    if (!line_reserve(line, length + ((size_t)n + room) * text->longest_piece))
        return false;
    /* Sparse data replaces most items of its short itemsets: one running
     * length here rather than line_set_item's look-up per item. */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t rank = ranks[i];
        size_t start = text->starts[rank], piece = text->starts[rank + 1] - start;
        copy_blocks(line->line + length, text->pieces + start, piece);
        length += piece;
        line->items[keep + i] = rank;
        line->ends[keep + i] = length;
        if (text->needs_quotes && text->needs_quotes[rank] && line->first_quoted == NO_QUOTED)
            line->first_quoted = keep + i;
    }
    line->size = keep + n;
    return true;
}

/* Makes the line hold items[0 .. size), of which the first `unchanged` are
 * known to be those it holds, with room for `room` more pieces. */
static bool line_take(itemset_line *line, const uint32_t *items, uint32_t size, uint32_t unchanged,
                      uint32_t room)
{
    /* The items shared with the previous itemset keep their text. */
    uint32_t shared_limit = size < line->size ? size : line->size;
    uint32_t common = unchanged >= shared_limit
                          ? shared_limit
                          : common_prefix(items, line->items, unchanged, shared_limit);
    return line_replace_tail(line, common, items + common, size - common, room);
}

/* Writes a text line at p: "a b c " + tail, its items' text with the last
 * separator (the space before '(') kept; braced, "{a, b, c} " + tail, the
 * last separator ", " overwritten by "} ". p needs room for the line, 3
 * bytes, the tail and twice the pad. @return the end. */
static inline char *put_text_line(char *p, const char *items, size_t length, bool braced,
                                  const char *tail, size_t tail_length)
{
    if (braced) {
        *p = '{';
        p = copy_blocks(p + 1, items, length - 2);
        memcpy(p, "} ", 2);
        p += 2;
    } else {
        p = copy_blocks(p, items, length);
    }
    return copy_blocks(p, tail, tail_length);
}

/* line_put for the text format, the common case, kept small enough to be
 * inlined into the loops. */
static inline bool line_put_text(itemset_line *line, output_buffer *out)
{
    size_t length = line->ends[line->size - 1];
    char *start = output_buffer_reserve(out, length + 3 + line->tail_length + 2 * TEXT_PAD);
    if (start == NULL)
        return false;
    char *end =
        put_text_line(start, line->line, length, line->text->braced, line->tail, line->tail_length);
    out->length += (size_t)(end - start);
    return true;
}

/* Appends the line's itemset (size >= 1) with `count` to `out`. @return
 * false when memory is exhausted. */
static inline bool line_put(itemset_line *line, output_buffer *out, uint64_t count)
{
    const itemset_text *text = line->text;
    if (!line->tail_valid || line->tail_count != count)
        line_set_tail(line, count);
    if (text->format == FIMBIT_FORMAT_TEXT)
        return line_put_text(line, out);
    uint32_t size = line->size;
    size_t length = line->ends[size - 1];
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
        break; /* FIMBIT_FORMAT_TEXT: line_put_text */
    }
    p = copy_blocks(p, line->tail, line->tail_length);
    out->length += (size_t)(p - start);
    return true;
}

bool itemset_line_format(itemset_line *line, output_buffer *out, const uint32_t *items,
                         uint32_t size, uint32_t unchanged, uint64_t count)
{
    return line_take(line, items, size, unchanged, 0) && line_put(line, out, count);
}

/* The most bytes put_text_subsets_as() writes between two checks of the
 * byte limit: the room it reserves in one go. */
#define SUBSETS_CHUNK ((size_t)64 << 10)

/* A walk whose every non-empty subset is in bounds (as
 * subset_walk_next_unbounded steps), in the text format: most lines of dense
 * data. The same steps and bytes as itemset_line_format_subsets' loop, with
 * what the loop touches held in locals: the text copies store chars, which
 * may alias any field, so the compiler would otherwise load each field again
 * for every line. Each step changes the last position only: a step down
 * starts the new item's text where the line ended, a step back up where the
 * position before it ends (ends[]). The items' ranks are written back when
 * it returns; the output's room is reserved a chunk at a time, so no line
 * checks it. `braced` is a constant in each of the two callers below. Leaves
 * the walk, the line and `out` as that loop would. @return as
 * itemset_line_format_subsets(). */
static inline __attribute__((always_inline)) int
put_text_subsets_as(itemset_line *line, output_buffer *out, uint32_t prefix_size,
                    const uint32_t *extensions, subset_walk *walk, size_t byte_limit,
                    uint64_t *lines, const bool braced)
{
    const itemset_text *text = line->text;
    const char *pieces = text->pieces;
    const size_t *starts = text->starts;
    char *item_text = line->line;
    /* Every text tail has at most 23 bytes ("(" 20 digits ")\n"): one block. */
    char tail[TEXT_PAD];
    memcpy(tail, line->tail, TEXT_PAD);
    const size_t tail_length = line->tail_length;
    uint32_t *chosen = walk->chosen;
    const uint32_t count = walk->count;
    /* ends[i]: the text length with the prefix and the first i + 1 chosen. */
    size_t *ends = line->ends + prefix_size;
    const size_t base = prefix_size ? ends[-1] : 0;
    uint32_t size = walk->size;
    /* The last extension chosen; one before the first when none is. */
    uint32_t last = size ? chosen[size - 1] : UINT32_MAX;
    size_t line_length = size ? ends[size - 1] : base;
    /* The longest line this walk writes (line_take reserved its text). */
    const size_t line_room = base + count * text->longest_piece + 3 + tail_length + 2 * TEXT_PAD;
    uint64_t written = 0;
    int more = 1;
    if (!walk->started && out->length < byte_limit) {
        /* The empty subset first, when it is in bounds: the prefix alone. */
        walk->started = true;
        if (walk->min_size == 0) {
            char *p = output_buffer_reserve(out, line_room);
            if (p == NULL)
                return -1;
            p = put_text_line(p, item_text, line_length, braced, tail, tail_length);
            out->length = (size_t)(p - out->data);
            written++;
        }
    }
    while (more == 1 && out->length < byte_limit) {
        size_t chunk =
            byte_limit - out->length < SUBSETS_CHUNK ? byte_limit - out->length : SUBSETS_CHUNK;
        char *p = output_buffer_reserve(out, chunk + line_room);
        if (p == NULL) {
            more = -1;
            break;
        }
        char *const stop = p + chunk;
        while (p < stop) {
            size_t from;
            if (last + 1 < count) {
                chosen[size++] = ++last;
                from = line_length;
            } else if (size > 1) {
                last = ++chosen[--size - 1];
                from = size > 1 ? ends[size - 2] : base;
            } else {
                more = 0;
                break;
            }
            /* The last extension's piece replaces the text from `from`. */
            uint32_t rank = extensions[last];
            size_t start = starts[rank], piece = starts[rank + 1] - start;
            copy_blocks(item_text + from, pieces + start, piece);
            line_length = from + piece;
            ends[size - 1] = line_length;
            p = put_text_line(p, item_text, line_length, braced, tail, tail_length);
            written++;
        }
        out->length = (size_t)(p - out->data);
    }
    walk->size = size;
    walk->unchanged = size ? size - 1 : 0; /* the one position each step changes */
    for (uint32_t i = 0; i < size; i++)
        line->items[prefix_size + i] = extensions[chosen[i]];
    line->size = prefix_size + size;
    *lines += written;
    return more;
}

static int put_text_subsets(itemset_line *line, output_buffer *out, uint32_t prefix_size,
                            const uint32_t *extensions, subset_walk *walk, size_t byte_limit,
                            uint64_t *lines)
{
    if (line->text->braced)
        return put_text_subsets_as(line, out, prefix_size, extensions, walk, byte_limit, lines,
                                   true);
    return put_text_subsets_as(line, out, prefix_size, extensions, walk, byte_limit, lines, false);
}

int itemset_line_format_subsets(itemset_line *line, output_buffer *out, const uint32_t *prefix,
                                uint32_t prefix_size, const uint32_t *extensions,
                                subset_walk *walk, uint64_t count, size_t byte_limit,
                                uint64_t *lines)
{
    *lines = 0;
    /* The line gets room for every extension at once: the loop below
     * grows nothing. */
    if (!walk->started && !line_take(line, prefix, prefix_size, 0, walk->count))
        return -1;
    /* One tail serves every subset: they share the count. */
    if (!line->tail_valid || line->tail_count != count)
        line_set_tail(line, count);
    bool text = line->text->format == FIMBIT_FORMAT_TEXT;
    bool unbounded = walk->min_size <= 1 && walk->max_size == walk->count;
    if (text && unbounded)
        return put_text_subsets(line, out, prefix_size, extensions, walk, byte_limit, lines);
    while (out->length < byte_limit) {
        if (!subset_walk_next(walk))
            return 0;
        /* Only the extensions chosen since the last subset are new text. */
        for (uint32_t i = walk->unchanged; i < walk->size; i++)
            line_set_item(line, prefix_size + i, extensions[walk->chosen[i]]);
        line->size = prefix_size + walk->size;
        if (!(text ? line_put_text(line, out) : line_put(line, out, count)))
            return -1;
        (*lines)++;
    }
    return 1;
}
