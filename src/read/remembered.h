/*
 * A field of the previous row and what it resolved to. Order lines come
 * grouped by order in every export seen, so a reader that remembers the
 * previous row's order (customer, date) skips most hash look-ups.
 */
#ifndef FIMBIT_READ_REMEMBERED_H
#define FIMBIT_READ_REMEMBERED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The longest field remembered. */
#define REMEMBERED_FIELD 64

typedef struct remembered_field {
    char text[REMEMBERED_FIELD];
    size_t length; /* SIZE_MAX: nothing remembered */
    uint32_t value;
} remembered_field;

static inline bool remembered(const remembered_field *r, const char *text, size_t length)
{
    return r->length == length && memcmp(r->text, text, length) == 0;
}

static inline void remember(remembered_field *r, const char *text, size_t length, uint32_t value)
{
    r->length = length <= sizeof r->text ? length : SIZE_MAX;
    if (r->length != SIZE_MAX)
        memcpy(r->text, text, length);
    r->value = value;
}

static inline void forget(remembered_field *r) { r->length = SIZE_MAX; }

#endif /* FIMBIT_READ_REMEMBERED_H */
