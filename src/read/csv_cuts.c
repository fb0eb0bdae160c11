/* Cutting CSV text into slices at record starts (csv_cuts.h). */
#include <stdbool.h>
#include <string.h>

#include "csv_cuts.h"

static const char *nominal_start(const char *begin, const char *end, int count, int t)
{
    return t == count ? end : begin + (size_t)(end - begin) / (size_t)count * (size_t)t;
}

size_t csv_slice_quotes(const char *begin, const char *end, int count, int t)
{
    const char *p = nominal_start(begin, end, count, t);
    const char *stop = nominal_start(begin, end, count, t + 1);
    size_t quotes = 0;
    while ((p = memchr(p, '"', (size_t)(stop - p))) != NULL) {
        quotes++;
        p++;
    }
    return quotes;
}

const char *csv_slice_cut(const char *begin, const char *end, int count, int t,
                          const size_t *quotes)
{
    size_t before = 0;
    for (int u = 0; u < t; u++)
        before += quotes[u];
    bool quoted = before % 2 == 1;
    for (const char *p = nominal_start(begin, end, count, t); p < end; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == '\n' && !quoted)
            return p + 1;
    }
    return end;
}
