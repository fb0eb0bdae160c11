#include "byte_order_mark.h"

#include <string.h>

byte_order_mark byte_order_mark_find(const void *text, size_t length)
{
    const unsigned char *bytes = text;
    if (length >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0)
        return BYTE_ORDER_MARK_UTF8;
    /* UTF-32 little-endian starts as UTF-16 little-endian does: test it first. */
    if (length >= 4 &&
        (memcmp(bytes, "\xFF\xFE\0\0", 4) == 0 || memcmp(bytes, "\0\0\xFE\xFF", 4) == 0))
        return BYTE_ORDER_MARK_UTF32;
    if (length >= 2 && (memcmp(bytes, "\xFF\xFE", 2) == 0 || memcmp(bytes, "\xFE\xFF", 2) == 0))
        return BYTE_ORDER_MARK_UTF16;
    return BYTE_ORDER_MARK_NONE;
}

const char *byte_order_mark_refusal(byte_order_mark mark)
{
    switch (mark) {
    case BYTE_ORDER_MARK_UTF16:
        return "UTF-16 text; convert it to UTF-8";
    case BYTE_ORDER_MARK_UTF32:
        return "UTF-32 text; convert it to UTF-8";
    case BYTE_ORDER_MARK_NONE:
    case BYTE_ORDER_MARK_UTF8:
        break;
    }
    return NULL;
}
