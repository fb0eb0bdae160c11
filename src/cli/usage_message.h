/* Usage messages of the option parsers (options.c, item_lists.c). */
#ifndef FIMBIT_CLI_USAGE_MESSAGE_H
#define FIMBIT_CLI_USAGE_MESSAGE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Formats a usage message into out[0 .. size) as vsnprintf does, with every
 * control byte replaced by '?': the message quotes what was typed, and must
 * stay one printable line whatever bytes an argument held. */
static inline void cli_format_message(char *out, size_t size, const char *format, va_list args)
{
    if (out == NULL || size == 0)
        return;
    vsnprintf(out, size, format, args);
    for (char *p = out; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
}

#endif /* FIMBIT_CLI_USAGE_MESSAGE_H */
