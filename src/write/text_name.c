/* How the braced text form writes one item name (see text_name.h). */
#include <stdbool.h>
#include <string.h>

#include "text_name.h"

static bool text_name_needs_quotes(const char *name, size_t n)
{
    if (n == 0 || name[0] == ' ' || name[0] == '\t' || name[n - 1] == ' ' ||
        name[n - 1] == '\t')
        return true;
    return strpbrk(name, ",{}\"\r\n") != NULL;
}

size_t output_text_name(const char *name, char *out)
{
    size_t n = strlen(name);
    if (!text_name_needs_quotes(name, n)) {
        if (out)
            memcpy(out, name, n);
        return n;
    }
    size_t length = 0;
    if (out)
        out[length] = '"';
    length++;
    for (size_t i = 0; i < n; i++) {
        if (out)
            out[length] = name[i];
        length++;
        if (name[i] == '"') {
            if (out)
                out[length] = '"';
            length++;
        }
    }
    if (out)
        out[length] = '"';
    return length + 1;
}
