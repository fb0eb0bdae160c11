/* The RFM options: defaults and the checks made before anything is read. */
#include <string.h>

#include "rfm.h"
#include "read/date.h"
#include "read/reader.h"

void fimbit_rfm_options_init(fimbit_rfm_options *options)
{
    if (options == NULL)
        return;
    memset(options, 0, sizeof *options);
    options->bins = 5;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool rfm_amount_split(const char *expression, amount_columns *out)
{
    const char *star = strchr(expression, '*');
    if (star != NULL && strchr(star + 1, '*') != NULL)
        return false;
    const char *parts[2][2] = {{expression, star ? star : expression + strlen(expression)},
                               {star ? star + 1 : NULL, star ? star + strlen(star) : NULL}};
    out->count = star ? 2 : 1;
    for (size_t k = 0; k < out->count; k++) {
        const char *begin = parts[k][0], *end = parts[k][1];
        while (begin < end && is_blank(*begin))
            begin++;
        while (end > begin && is_blank(end[-1]))
            end--;
        size_t length = (size_t)(end - begin);
        if (length == 0 || length >= sizeof out->spec[k])
            return false;
        memcpy(out->spec[k], begin, length);
        out->spec[k][length] = '\0';
    }
    return true;
}

bool rfm_parse_day(const char *text, const char *format, int32_t *day)
{
    date_problem problem;
    return date_parse_iso(text, strlen(text), day, &problem) ||
           (format != NULL && date_parse_format(format, text, strlen(text), day, &problem));
}

fimbit_status fimbit_rfm_options_check(const fimbit_rfm_options *o, fimbit_error *error)
{
    fimbit_rfm_options defaults;
    if (o == NULL) { /* the defaults, which name no column */
        fimbit_rfm_options_init(&defaults);
        o = &defaults;
    }
    const char *columns[3] = {o->customer_column, o->order_column, o->date_column};
    const char *what[3] = {"customer", "order", "date"};
    for (int k = 0; k < 3; k++) {
        if (columns[k] == NULL)
            return fimbit__fail(error, FIMBIT_EINVAL, "the %s column is required", what[k]);
        fimbit_status status = read_check_column(columns[k], what[k], error);
        if (status != FIMBIT_OK)
            return status;
    }
    amount_columns amount;
    if (o->amount == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "the amount is required");
    if (!rfm_amount_split(o->amount, &amount))
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "invalid amount '%s': expected a column or COLUMN*COLUMN", o->amount);
    for (size_t k = 0; k < amount.count; k++) {
        fimbit_status status = read_check_column(amount.spec[k], "amount", error);
        if (status != FIMBIT_OK)
            return status;
    }
    if (o->date_format != NULL) {
        const char *problem = date_format_check(o->date_format);
        if (problem != NULL)
            return fimbit__fail(error, FIMBIT_EINVAL, "invalid date format '%s': %s",
                                o->date_format, problem);
    }
    int32_t day;
    if (o->as_of != NULL && !rfm_parse_day(o->as_of, o->date_format, &day))
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "invalid as-of day '%s': expected an ISO 8601 date such as "
                            "2011-12-10%s",
                            o->as_of, o->date_format ? " or one in the date format" : "");
    if (o->bins < 2 || o->bins > 1000)
        return fimbit__fail(error, FIMBIT_EINVAL, "the number of bins must be in [2,1000], not %u",
                            (unsigned)o->bins);
    if (o->threads < 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "threads must be 0 (every core) or more, not %d",
                            o->threads);
    if (o->separator == '\n' || o->separator == '\r' || o->separator == '"')
        return fimbit__fail(error, FIMBIT_EINVAL, "the separator cannot be a %s",
                            o->separator == '"' ? "quote" : "line break");
    return FIMBIT_OK;
}

