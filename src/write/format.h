/*
 * How records look: item names pre-encoded for one format, a growable byte
 * buffer, and the formatting of numbers, itemset lines and rule lines in
 * text, CSV and JSON Lines (format.c says how each format looks).
 */
#ifndef FIMBIT_WRITE_FORMAT_H
#define FIMBIT_WRITE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/internal.h"
#include "rules/rule_entry.h"

/* Every item name pre-encoded for one format: for text, raw when every name is
 * an integer (FIMI items: lists are space-joined) and else as the braced form
 * writes it (text_name.h); with quotes doubled (and a flag saying the list
 * field needs quoting) for CSV; as a complete JSON string literal for JSON
 * Lines. */
typedef struct output_names {
    fimbit_format format;
    bool braced; /* text only: lists are written "{a, b}" (named items) */
    char *bytes;
    uint64_t *offsets; /* item_count + 1 entries into bytes */
    uint8_t *needs_quotes; /* CSV only: 1 when the name holds , " CR or LF */
    uint32_t rule_measures; /* rules: the extra measures (FIMBIT_MEASURE_BIT) of CSV and JSONL */
    /* JSON Lines: ,"name": before each measure, made once (the longest
     * name has 18 bytes). */
    char measure_keys[FIMBIT_MEASURE_COUNT_][24];
    uint8_t measure_key_lengths[FIMBIT_MEASURE_COUNT_];
} output_names;

/* Encodes `name` as `format` wants it into out (when not NULL): for text as
 * is, or with `braced` quoted as the braced text form needs (text_name.h);
 * quotes doubled for CSV (*quote, when not NULL, says whether the field needs
 * quoting); a complete JSON string literal for JSON Lines. @return the
 * encoded length (at most 6 bytes a byte of name, plus 2). */
size_t output_encode_name(const char *name, fimbit_format format, bool braced, char *out,
                          uint8_t *quote);

fimbit_status output_names_build(output_names *names, const fimbit_dataset *dataset,
                                 fimbit_format format, fimbit_error *error);
void output_names_free(output_names *names);

/* The text of numbers recently written into a buffer's rule lines (format.c). */
typedef struct number_texts number_texts;
/* The text of the count measures of recent rule lines, by count triple. */
typedef struct count_texts count_texts;

/* A growable byte buffer. */
typedef struct output_buffer {
    char *data;
    size_t length;
    size_t capacity;
    number_texts *numbers; /* made at the first rule line */
    count_texts *counts;   /* made at the first rule line written from a rule entry */
} output_buffer;

void output_buffer_free(output_buffer *buffer);

/* output_buffer_reserve's slow path: grows the buffer. */
char *output_buffer_grow(output_buffer *buffer, size_t extra);

/* Makes room for `extra` more bytes. @return the write position (the buffer's
 * data + length), or NULL when memory is exhausted. Inline: the streamed
 * writer calls it once per itemset, and it almost never grows. */
static inline char *output_buffer_reserve(output_buffer *buffer, size_t extra)
{
    if (buffer->capacity - buffer->length >= extra)
        return buffer->data + buffer->length;
    return output_buffer_grow(buffer, extra);
}

/* Copies n bytes of text to p. @return the end. */
static inline char *output_put_text(char *p, const char *text, size_t n)
{
    memcpy(p, text, n);
    return p + n;
}

/* output_put_text() of a string literal. */
#define OUTPUT_PUT_LITERAL(p, literal) output_put_text((p), (literal), sizeof(literal) - 1)

/* Writes `value` in decimal at p (room for 20 digits). @return the end. */
char *output_format_u64(char *p, uint64_t value);

/* The header line of a format ("" for text and JSON Lines). */
const char *output_itemset_header(fimbit_format format);
const char *output_rule_header(fimbit_format format);

/* The CSV header of rules carrying the extra `measures`, into out (size
 * bytes: 512 hold every measure). "" for text and JSON Lines. */
void output_rule_header_with_measures(fimbit_format format, uint32_t measures, char *out,
                                      size_t size);

/* Writes `value` as printf("%.6g") does in the C locale, into out (at least 32
 * bytes, not NUL-terminated). @return the length. */
size_t output_format_g6(double value, char *out);

/* Appends one itemset line. @return false when memory is exhausted. */
bool output_format_itemset(output_buffer *buffer, const output_names *names,
                           const uint32_t *items, uint32_t size, uint64_t count,
                           uint64_t basket_count);

/* Appends one rule line, with names->rule_measures' fields of *rule in CSV
 * and JSON Lines. @return false when memory is exhausted. */
bool output_format_rule(output_buffer *buffer, const output_names *names,
                        const fimbit_rule *rule);

/* As output_format_rule(), from a rule set's entry over `basket_count`
 * baskets: the same bytes, with the measures computed only when the
 * buffer has not written a rule with the same three counts recently.
 * `basket_count` must be the same for every call on one buffer. */
bool output_format_rule_entry(output_buffer *buffer, const output_names *names,
                              const rule_entry *entry, uint64_t basket_count);

#endif /* FIMBIT_WRITE_FORMAT_H */
