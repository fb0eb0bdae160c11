/*
 * The byte-order mark that may open a text file. Excel's "CSV UTF-8" and
 * many Windows tools start UTF-8 text with EF BB BF; it is no data, so every
 * reader drops it from the start of the content (and only there: the same
 * bytes elsewhere are data). UTF-16 and UTF-32 text is refused by name
 * rather than read as garbage.
 */
#ifndef FIMBIT_READ_BYTE_ORDER_MARK_H
#define FIMBIT_READ_BYTE_ORDER_MARK_H

#include <stddef.h>

/* The bytes a text must show (when it is that long) to tell every mark. */
#define BYTE_ORDER_MARK_BYTES 4

typedef enum byte_order_mark {
    BYTE_ORDER_MARK_NONE = 0,
    BYTE_ORDER_MARK_UTF8,  /* EF BB BF: skip it */
    BYTE_ORDER_MARK_UTF16, /* FF FE or FE FF */
    BYTE_ORDER_MARK_UTF32  /* FF FE 00 00 or 00 00 FE FF */
} byte_order_mark;

/* The mark at the start of a text, from its first `length` bytes (at least
 * BYTE_ORDER_MARK_BYTES unless the text is shorter). */
byte_order_mark byte_order_mark_find(const void *text, size_t length);

/* @return the bytes of `mark` to skip: 3 for UTF-8, else 0. */
static inline size_t byte_order_mark_length(byte_order_mark mark)
{
    return mark == BYTE_ORDER_MARK_UTF8 ? 3 : 0;
}

/* @return "UTF-16 text; convert it to UTF-8" (or UTF-32) for a mark whose
 * text cannot be read, NULL for one that can. */
const char *byte_order_mark_refusal(byte_order_mark mark);

#endif /* FIMBIT_READ_BYTE_ORDER_MARK_H */
