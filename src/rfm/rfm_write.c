/*
 * fimbit_rfm_write: one record per customer as CSV, JSON Lines or an aligned
 * text table. Lines are formatted into one buffer written out whenever it
 * holds a megabyte.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rfm.h"
#include "write/format.h"
#include "write/target.h"

#define RFM_WRITE_CHUNK ((size_t)1 << 20)

/* Column widths of the text table. */
typedef struct text_widths {
    int customer, recency, frequency, monetary, score;
} text_widths;

static int decimal_width(uint64_t value)
{
    char digits[24];
    return snprintf(digits, sizeof digits, "%" PRIu64, value);
}

static int max_int(int a, int b) { return a > b ? a : b; }

static text_widths measure_text(const fimbit_rfm *rfm)
{
    text_widths w = {(int)strlen("customer"), (int)strlen("recency"), (int)strlen("frequency"),
                     (int)strlen("monetary"), decimal_width(rfm->bins)};
    for (size_t c = 0; c < rfm->customers.count; c++) {
        fimbit_rfm_customer record;
        fimbit_rfm_get(rfm, c, &record);
        w.customer = max_int(w.customer, (int)strlen(record.customer));
        w.recency = max_int(w.recency, snprintf(NULL, 0, "%" PRId64, record.recency));
        w.frequency = max_int(w.frequency, decimal_width(record.frequency));
        w.monetary = max_int(w.monetary, (int)strlen(record.monetary_text));
    }
    return w;
}

/* Appends at most `room` bytes formatted like printf. */
static bool append(output_buffer *buffer, size_t room, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static bool append(output_buffer *buffer, size_t room, const char *format, ...)
{
    char *at = output_buffer_reserve(buffer, room);
    if (at == NULL)
        return false;
    va_list args;
    va_start(args, format);
    int length = vsnprintf(at, room, format, args);
    va_end(args);
    buffer->length += (size_t)length < room ? (size_t)length : room - 1;
    return true;
}

/* Appends a name encoded for `format` (quoted for CSV when it must be). */
static bool append_name(output_buffer *buffer, const char *name, fimbit_format format)
{
    uint8_t quote = 0;
    size_t length = output_encode_name(name, format, false, NULL, &quote);
    char *at = output_buffer_reserve(buffer, length + 2);
    if (at == NULL)
        return false;
    if (quote)
        *at++ = '"';
    output_encode_name(name, format, false, at, NULL);
    at += length;
    if (quote)
        *at++ = '"';
    buffer->length = (size_t)(at - buffer->data);
    return true;
}

/* A record's line; room for the numbers: 20 digits each and the names. */
static bool append_record(output_buffer *buffer, const fimbit_rfm_customer *c,
                          fimbit_format format, const text_widths *w, bool segments)
{
    size_t room = 256 + (size_t)w->customer + strlen(c->monetary_text);
    if (format == FIMBIT_FORMAT_TEXT)
        return append(buffer, room, "%-*s  %*" PRId64 "  %*" PRIu64 "  %*s  %*u  %*u  %*u%s%s\n",
                      w->customer, c->customer, w->recency, c->recency, w->frequency,
                      c->frequency, w->monetary, c->monetary_text, w->score, (unsigned)c->r,
                      w->score, (unsigned)c->f, w->score, (unsigned)c->m,
                      segments ? "  " : "", c->segment);
    if (format == FIMBIT_FORMAT_CSV)
        return append_name(buffer, c->customer, format) &&
               append(buffer, room, ",%" PRId64 ",%" PRIu64 ",%s,%u,%u,%u,%s\n", c->recency,
                      c->frequency, c->monetary_text, (unsigned)c->r, (unsigned)c->f,
                      (unsigned)c->m, c->segment);
    return append(buffer, 16, "{\"customer\":") && append_name(buffer, c->customer, format) &&
           append(buffer, room,
                  ",\"recency\":%" PRId64 ",\"frequency\":%" PRIu64
                  ",\"monetary\":%s,\"r\":%u,\"f\":%u,\"m\":%u,\"segment\":\"%s\"}\n",
                  c->recency, c->frequency, c->monetary_text, (unsigned)c->r, (unsigned)c->f,
                  (unsigned)c->m, c->segment);
}

static bool append_header(output_buffer *buffer, fimbit_format format, const text_widths *w,
                          bool segments)
{
    if (format == FIMBIT_FORMAT_CSV)
        return append(buffer, 64, "customer,recency,frequency,monetary,r,f,m,segment\n");
    if (format != FIMBIT_FORMAT_TEXT)
        return true;
    return append(buffer, 256 + (size_t)w->customer, "%-*s  %*s  %*s  %*s  %*s  %*s  %*s%s\n",
                  w->customer, "customer", w->recency, "recency", w->frequency, "frequency",
                  w->monetary, "monetary", w->score, "r", w->score, "f", w->score, "m",
                  segments ? "  segment" : "");
}

fimbit_status fimbit_rfm_write(const fimbit_rfm *rfm, fimbit_format format, const char *path,
                               fimbit_error *error)
{
    if (rfm == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_rfm_write: no result given");
    if (format != FIMBIT_FORMAT_TEXT && format != FIMBIT_FORMAT_CSV &&
        format != FIMBIT_FORMAT_JSONL)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown output format %d", (int)format);
    text_widths widths = {0};
    if (format == FIMBIT_FORMAT_TEXT)
        widths = measure_text(rfm);
    bool segments = rfm->bins == 5;
    output_target target;
    fimbit_status status = output_open(&target, path, error);
    if (status != FIMBIT_OK)
        return status;
    output_buffer buffer = {0};
    bool formatted = append_header(&buffer, format, &widths, segments);
    for (size_t c = 0; formatted && status == FIMBIT_OK && c < rfm->customers.count; c++) {
        fimbit_rfm_customer record;
        fimbit_rfm_get(rfm, c, &record);
        formatted = append_record(&buffer, &record, format, &widths, segments);
        if (formatted && (buffer.length >= RFM_WRITE_CHUNK || c + 1 == rfm->customers.count)) {
            status = output_write(&target, buffer.data, buffer.length, error);
            buffer.length = 0;
        }
    }
    if (formatted && status == FIMBIT_OK && buffer.length > 0)
        status = output_write(&target, buffer.data, buffer.length, error);
    if (!formatted && status == FIMBIT_OK)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory writing the RFM records");
    output_buffer_free(&buffer);
    if (status == FIMBIT_OK)
        return output_commit(&target, error);
    output_abort(&target);
    return status;
}
