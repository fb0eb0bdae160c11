/* Cutting CSV text into slices at record starts (csv_cuts.h). */
#include <string.h>

#include "csv_cuts.h"
#include "base/internal.h"

bool csv_cuts_reserve(const char ***cuts, size_t **quotes, int count)
{
    const char **grown_cuts = fimbit__realloc_array(*cuts, (size_t)count + 1, sizeof **cuts);
    if (grown_cuts != NULL)
        *cuts = grown_cuts;
    size_t *grown_quotes = fimbit__realloc_array(*quotes, (size_t)count, sizeof **quotes);
    if (grown_quotes != NULL)
        *quotes = grown_quotes;
    return grown_cuts != NULL && grown_quotes != NULL;
}

static const char *nominal_start(const char *begin, const char *end, int count, int t)
{
    return t == count ? end : begin + (size_t)(end - begin) / (size_t)count * (size_t)t;
}

/* The quotes in slice t's nominal bounds. */
static size_t slice_quotes(const char *begin, const char *end, int count, int t)
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

/* The cut that starts slice t (t = 1 .. count - 1), given quotes[u] for
 * every u < t. */
static const char *slice_cut(const char *begin, const char *end, int count, int t,
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

void csv_cuts_find(const char *begin, const char *end, int count, const char **cuts,
                   size_t *quotes)
{
#pragma omp single
    {
        cuts[0] = begin;
        cuts[count] = end;
    }
#pragma omp for schedule(static, 1)
    for (int t = 0; t < count; t++)
        quotes[t] = slice_quotes(begin, end, count, t);
#pragma omp for schedule(static, 1)
    for (int t = 1; t < count; t++)
        cuts[t] = slice_cut(begin, end, count, t, quotes);
}
