/*
 * How records look: text, CSV and JSON Lines (see format.h).
 *
 * Speed: item names are encoded once per call (output_names), integers are
 * formatted by hand, and doubles are formatted as printf's "%.6g" would, by
 * hand (printf for the rare near-ties), and whatever the locale.
 *
 * Formats:
 *  - text: itemsets "{a, b, c} (count)", rules "{a, b} => {c} (count,
 *    support, confidence, lift)"; a name that is empty, has outer blanks or
 *    holds , { } " CR or LF is written between double quotes, its quotes
 *    doubled. When every item is an integer (FIMI input), lists are
 *    space-joined without braces, "1 5 12 (count)", as other miners write
 *    them.
 *  - CSV (RFC 4180): a header row; item lists joined by single spaces in one
 *    field, which is quoted (with quotes doubled) when any of its names holds
 *    a comma, a quote, CR or LF. An infinite conviction is written `inf`.
 *  - JSON Lines: one object a line, item lists as arrays of strings. Strings
 *    escape quote and backslash as \" and \\, control characters as \u00XX.
 *    Bytes that are not valid UTF-8 are replaced by U+FFFD (each invalid byte
 *    gives one replacement character): a \u00XX escape would name a different
 *    character (Latin-1), and the output must be valid UTF-8 to be JSON. An
 *    infinite conviction (confidence 1) is written `null`, since JSON has no
 *    infinity.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mix64.h"
#include "format.h"
#include "read/dataset.h"
#include "rules/measures.h"
#include "text_name.h"

/* Room for every number and the punctuation of one record. */
#define OUTPUT_RECORD_SLACK 400
/* Bytes after the last name, so that any name may be read in one block of
 * this size (put_name). */
#define OUTPUT_NAME_PADDING 16

/* -------------------------------------------------------------------- names */

/* The length of a valid UTF-8 sequence at s[0 .. n), or 0 when s starts with
 * an invalid one (overlong forms, surrogates and code points past U+10FFFF are
 * invalid). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t length;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        length = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0)
            low = 0xA0;
        else if (c == 0xED)
            high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0)
            low = 0x90;
        else if (c == 0xF4)
            high = 0x8F;
    } else {
        return 0;
    }
    if (n < length || s[1] < low || s[1] > high)
        return 0;
    for (size_t i = 2; i < length; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return length;
}

size_t output_encode_name(const char *name, fimbit_format format, bool braced, char *out,
                          uint8_t *quote)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)name;
    size_t n = strlen(name), length = 0;
    if (format == FIMBIT_FORMAT_TEXT && braced)
        return output_text_name(name, out);
    if (format == FIMBIT_FORMAT_TEXT) {
        if (out)
            memcpy(out, name, n);
        return n;
    }
    if (format == FIMBIT_FORMAT_CSV) {
        uint8_t needs = 0;
        for (size_t i = 0; i < n; i++) {
            char c = (char)s[i];
            if (c == ',' || c == '"' || c == '\r' || c == '\n')
                needs = 1;
            if (out)
                out[length] = c;
            length++;
            if (c == '"') {
                if (out)
                    out[length] = '"';
                length++;
            }
        }
        if (quote)
            *quote = needs;
        return length;
    }
    /* JSON: a complete string literal. */
#define PUT(c)                  \
    do {                        \
        if (out)                \
            out[length] = (c);  \
        length++;               \
    } while (0)
    PUT('"');
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            PUT('\\');
            PUT((char)c);
            i++;
        } else if (c < 0x20) {
            PUT('\\');
            PUT('u');
            PUT('0');
            PUT('0');
            PUT(hex[c >> 4]);
            PUT(hex[c & 15]);
            i++;
        } else {
            size_t sequence = utf8_sequence(s + i, n - i);
            if (sequence == 0) {
                PUT('\xEF');
                PUT('\xBF');
                PUT('\xBD');
                i++;
            } else {
                for (size_t j = 0; j < sequence; j++)
                    PUT((char)s[i + j]);
                i += sequence;
            }
        }
    }
    PUT('"');
#undef PUT
    return length;
}

fimbit_status output_names_build(output_names *names, const fimbit_dataset *dataset,
                                 fimbit_format format, fimbit_error *error)
{
    *names = (output_names){.format = format,
                            .braced = format == FIMBIT_FORMAT_TEXT && !dataset->numeric_names};
    uint32_t items = dataset->item_count;
    names->offsets = fimbit__malloc_array((size_t)items + 1, sizeof *names->offsets);
    if (format == FIMBIT_FORMAT_CSV)
        names->needs_quotes = fimbit__calloc(items ? items : 1, 1);
    if (names->offsets == NULL || (format == FIMBIT_FORMAT_CSV && names->needs_quotes == NULL))
        goto out_of_memory;
    uint64_t total = 0;
    for (uint32_t item = 0; item < items; item++) {
        names->offsets[item] = total;
        total += output_encode_name(dataset_item_name(dataset, item), format, names->braced,
                                    NULL, names->needs_quotes ? &names->needs_quotes[item] : NULL);
    }
    names->offsets[items] = total;
    for (unsigned m = 0; m < FIMBIT_MEASURE_COUNT_; m++) {
        int length = snprintf(names->measure_keys[m], sizeof names->measure_keys[m],
                              ",\"%s\":", fimbit_measure_name((fimbit_measure)m));
        names->measure_key_lengths[m] = (uint8_t)length;
    }
    names->bytes = fimbit__calloc((size_t)total + OUTPUT_NAME_PADDING, 1);
    if (names->bytes == NULL)
        goto out_of_memory;
    for (uint32_t item = 0; item < items; item++)
        output_encode_name(dataset_item_name(dataset, item), format, names->braced,
                           names->bytes + names->offsets[item], NULL);
    return FIMBIT_OK;

out_of_memory:
    output_names_free(names);
    return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while preparing item names");
}

void output_names_free(output_names *names)
{
    fimbit__free(names->bytes);
    fimbit__free(names->offsets);
    fimbit__free(names->needs_quotes);
    *names = (output_names){0};
}

/* ------------------------------------------------------------------ numbers */

static const char digit_pairs[201] = "00010203040506070809"
                                     "10111213141516171819"
                                     "20212223242526272829"
                                     "30313233343536373839"
                                     "40414243444546474849"
                                     "50515253545556575859"
                                     "60616263646566676869"
                                     "70717273747576777879"
                                     "80818283848586878889"
                                     "90919293949596979899";

/* Writes v < 10000 in four digits, leading zeros kept. */
static inline char *put_four_digits(char *p, uint32_t v)
{
    memcpy(p, digit_pairs + 2 * (v / 100), 2);
    memcpy(p + 2, digit_pairs + 2 * (v % 100), 2);
    return p + 4;
}

/* Writes v < 10000 without leading zeros. */
static inline char *put_below_10000(char *p, uint32_t v)
{
    if (v < 100) {
        if (v < 10) {
            *p = (char)('0' + v);
            return p + 1;
        }
        memcpy(p, digit_pairs + 2 * v, 2);
        return p + 2;
    }
    uint32_t high = v / 100;
    if (high < 10) {
        *p++ = (char)('0' + high);
    } else {
        memcpy(p, digit_pairs + 2 * high, 2);
        p += 2;
    }
    memcpy(p, digit_pairs + 2 * (v % 100), 2);
    return p + 2;
}

/* Writes value in decimal at p. @return the end. Counts below 10^8 (nearly
 * all of them) take one or two 32-bit splits, without counting digits:
 * every itemset line of a streamed run formats one. */
char *output_format_u64(char *p, uint64_t value)
{
    if (value < 10000)
        return put_below_10000(p, (uint32_t)value);
    if (value < 100000000) {
        p = put_below_10000(p, (uint32_t)value / 10000);
        return put_four_digits(p, (uint32_t)value % 10000);
    }
    /* Counts the digits first, then writes them in place from the last,
     * two at a time: no copy from a scratch buffer. */
    unsigned n = 1;
    for (uint64_t power = 10; n < 20 && value >= power; power *= 10)
        n++;
    char *end = p + n, *q = end;
    while (value >= 100) {
        unsigned pair = (unsigned)(value % 100);
        value /= 100;
        q -= 2;
        q[0] = digit_pairs[2 * pair];
        q[1] = digit_pairs[2 * pair + 1];
    }
    if (value >= 10) {
        q[-2] = digit_pairs[2 * value];
        q[-1] = digit_pairs[2 * value + 1];
    } else {
        q[-1] = (char)('0' + value);
    }
    return end;
}

/* snprintf("%.6g"), made independent of the locale's decimal separator (one
 * or more bytes, none of them digits, signs or 'e', become '.'). The slow path
 * of output_format_g6(). */
static __attribute__((noinline)) size_t format_g6_printf(double value, char *out)
{
    char text[40];
    int n = snprintf(text, sizeof text, "%.6g", value);
    if (n < 0 || (size_t)n >= sizeof text)
        n = 0;
    size_t length = 0;
    for (int i = 0; i < n; i++) {
        char c = text[i];
        bool plain = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == '.' ||
                     c == 'i' || c == 'n' || c == 'f' || c == 'a';
        if (plain) {
            out[length++] = c;
        } else {
            out[length++] = '.';
            while (i + 1 < n && !((text[i + 1] >= '0' && text[i + 1] <= '9') ||
                                  text[i + 1] == 'e'))
                i++;
        }
    }
    return length;
}

static const double powers_of_ten[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* scale_to_six_digits() beyond the exact powers: steps of 1e22, one
 * rounding each (at most 15 for normal a). Out of line: rare. */
static __attribute__((noinline)) double scale_by_steps(double a, int k)
{
    for (; k > 22; k -= 22)
        a *= 1e22;
    for (; k < -22; k += 22)
        a /= 1e22;
    return k >= 0 ? a * powers_of_ten[k] : a / powers_of_ten[-k];
}

/* Scales a (> 0) by 10^(5 - exponent): with one correctly rounded operation
 * when 0 <= 5 - exponent <= 22 (powers of ten up to 1e22 are exact doubles:
 * every value from 1e-17 up to 1e5), else by scale_by_steps(). */
static inline double scale_to_six_digits(double a, int exponent)
{
    int k = 5 - exponent;
    if ((unsigned)k <= 22)
        return a * powers_of_ten[k];
    return scale_by_steps(a, k);
}

/* The digit pair of v < 100 as a 16-bit value, its first digit lowest. */
static inline uint64_t digit_pair(uint32_t v)
{
    uint16_t pair;
    memcpy(&pair, digit_pairs + 2 * v, sizeof pair);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    pair = __builtin_bswap16(pair);
#endif
    return pair;
}

/* The six significant digits of a mantissa in [100000, 999999] as text in
 * the low six bytes of a word, first digit lowest, the two high bytes zero;
 * *significant: how many remain without trailing zeros. The word is built
 * in a register: text stored piecewise and read back as a block would wait
 * for the stores (no store-to-load forwarding across several stores).
 * The digit pairs come from one product and two more by 100: mantissa / 10^4
 * as a fixed-point number with 40 fractional bits (the multiplier is
 * 2^40 / 10^4 rounded up, which errs by less than 2.3e-7 below 10^6: every
 * digit is exact), each pair the integer part in turn. Shorter than two
 * divisions by constants and their remainders, which follow each other. */
static inline uint64_t six_digits(uint32_t mantissa, int *significant)
{
    const uint64_t fraction_mask = ((uint64_t)1 << 40) - 1;
    uint64_t fixed = (uint64_t)mantissa * 109951163u;
    uint64_t digits = digit_pair((uint32_t)(fixed >> 40));
    fixed = (fixed & fraction_mask) * 100;
    digits |= digit_pair((uint32_t)(fixed >> 40)) << 16;
    fixed = (fixed & fraction_mask) * 100;
    digits |= digit_pair((uint32_t)(fixed >> 40)) << 32;
    /* Less '0' in each byte: the highest nonzero byte is the last significant
     * digit (the first digit is not zero). */
    *significant = 8 - (int)((unsigned)__builtin_clzll(digits - 0x303030303030ull) / 8);
    return digits;
}

/* Stores a word of six_digits() text as eight bytes at p, first digit first. */
static inline void put_digit_word(char *p, uint64_t word)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    memcpy(p, &word, sizeof word);
}

/* output_format_g6(), inline for the rule lines' measures (a dozen numbers
 * a line: the call's overhead is a tenth of the work). */
static inline __attribute__((always_inline)) size_t format_g6(double value, char *out)
{
    /* The fast path: six significant digits from one scaling of the value.
     * The scaled value is below 1e6 and carries at most 15 roundings
     * (relative error 15 * 2^-53, absolute below 2e-9), so the digit rounding
     * is decided right unless the fraction lies within 1e-6 of one half:
     * those rare near-ties (and zeros, subnormals, NaN and infinities) take
     * printf, whose rounding of the exact binary value is the reference. */
    double a = fabs(value);
    if (!(a >= DBL_MIN && a <= DBL_MAX)) {
        if (value == 0) {
            size_t length = 0;
            if (signbit(value))
                out[length++] = '-';
            out[length++] = '0';
            return length;
        }
        return format_g6_printf(value, out);
    }
    /* a = m 2^e2 with m in [0.5, 1) (a is normal here), so log10(a) lies in
     * [(e2 - 1) log10(2), e2 log10(2)): the estimate (78913 / 2^18 is log10(2)
     * to 6 digits; the shift floors) is the exponent or one below it, which
     * the range check below corrects. */
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    int e2 = (int)(bits >> 52) - 1022;
    int exponent = ((e2 - 1) * 78913) >> 18;
    double scaled = scale_to_six_digits(a, exponent);
    if (scaled < 100000.0) {
        exponent--;
        scaled = scale_to_six_digits(a, exponent);
    } else if (scaled >= 1000000.0) {
        exponent++;
        scaled = scale_to_six_digits(a, exponent);
    }
    if (scaled < 100000.0 || scaled >= 1000000.0)
        return format_g6_printf(value, out);
    /* Rounded to the nearest integer by adding 2^52 (the sum has no
     * fraction bits; its low bits are the integer): shorter than converting
     * to an integer and back. The difference is exact (both below 2^20). */
    double rounded = scaled + 0x1p52;
    uint64_t rounded_bits;
    memcpy(&rounded_bits, &rounded, sizeof rounded_bits);
    if (fabs(scaled - (rounded - 0x1p52)) > 0.5 - 1e-6)
        return format_g6_printf(value, out);
    uint32_t mantissa = (uint32_t)rounded_bits;
    if (mantissa == 1000000) {
        mantissa = 100000;
        exponent++;
    }
    int significant;
    uint64_t digits = six_digits(mantissa, &significant);

    /* Every case below stores fixed-size blocks of at most 8 bytes, beyond
     * the length it returns but within the 32 bytes the caller provides. */
    char *p = out;
    if (value < 0)
        *p++ = '-';
    if (exponent < -4 || exponent >= 6) {
        /* d.ddddde±XX, or three exponent digits from 1e100 on. */
        p[0] = (char)digits;
        p[1] = '.';
        put_digit_word(p + 2, digits >> 8);
        p += significant > 1 ? significant + 1 : 1;
        int magnitude = exponent < 0 ? -exponent : exponent;
        p[0] = 'e';
        p[1] = exponent < 0 ? '-' : '+';
        p += 2;
        if (magnitude >= 100) {
            *p++ = (char)('0' + magnitude / 100);
            magnitude %= 100;
        }
        memcpy(p, digit_pairs + 2 * magnitude, 2);
        p += 2;
    } else if (exponent >= 0) {
        /* exponent + 1 integer digits, then the point and the rest, if any. */
        int integer_digits = exponent + 1;
        put_digit_word(p, digits);
        p[integer_digits] = '.';
        put_digit_word(p + integer_digits + 1, digits >> (8 * integer_digits));
        p += significant > integer_digits ? significant + 1 : integer_digits;
    } else {
        /* 0.000ddddd: -exponent - 1 zeros after the point. */
        memcpy(p, "0.000000", 8);
        put_digit_word(p + 1 - exponent, digits);
        p += 1 - exponent + significant;
    }
    return (size_t)(p - out);
}

size_t output_format_g6(double value, char *out) { return format_g6(value, out); }

/* put_double() of an infinity or a NaN. */
static char *put_not_finite(char *p, double value, bool json)
{
    if (json)
        return OUTPUT_PUT_LITERAL(p, "null");
    if (value != value)
        return OUTPUT_PUT_LITERAL(p, "nan");
    return value > 0 ? OUTPUT_PUT_LITERAL(p, "inf") : OUTPUT_PUT_LITERAL(p, "-inf");
}

/* Writes value as "%.6g"; an infinity as "inf" (CSV and text) or "null"
 * (JSON, which has no infinity), a NaN as "nan" or "null". */
static char *put_double(char *p, double value, bool json)
{
    if (__builtin_expect(!isfinite(value), 0))
        return put_not_finite(p, value, json);
    return p + format_g6(value, p);
}

/* ------------------------------------------------------------------ records */

void output_buffer_free(output_buffer *buffer)
{
    fimbit__free(buffer->data);
    fimbit__free(buffer->numbers);
    fimbit__free(buffer->counts);
    *buffer = (output_buffer){0};
}

/* Makes room for `extra` more bytes. @return the write position, or NULL. */
char *output_buffer_grow(output_buffer *buffer, size_t extra)
{
    size_t capacity = buffer->capacity ? buffer->capacity : 1 << 16;
    while (capacity - buffer->length < extra)
        capacity *= 2;
    char *grown = fimbit__realloc_array(buffer->data, capacity, 1);
    if (grown == NULL)
        return NULL;
    buffer->data = grown;
    buffer->capacity = capacity;
    return buffer->data + buffer->length;
}

/* The bytes an item list needs at most: the names, separators, quotes. */
static size_t list_room(const output_names *names, const uint32_t *items, uint32_t size)
{
    size_t room = 4 + 2 * (size_t)size;
    for (uint32_t i = 0; i < size; i++)
        room += (size_t)(names->offsets[items[i] + 1] - names->offsets[items[i]]);
    return room;
}

/* Writes the encoded name of `item`. Most names are short: a fixed-size
 * move of OUTPUT_NAME_PADDING bytes (names->bytes is padded by as many, the
 * record's room covers the bytes past the name) instead of a memcpy call. */
static inline char *put_name(char *p, const output_names *names, uint32_t item)
{
    const char *name = names->bytes + names->offsets[item];
    size_t length = (size_t)(names->offsets[item + 1] - names->offsets[item]);
    if (length <= OUTPUT_NAME_PADDING)
        memcpy(p, name, OUTPUT_NAME_PADDING);
    else
        memcpy(p, name, length);
    return p + length;
}

/* Writes an item list: "{a, b}" or space-joined names (text), one CSV field,
 * or a JSON array. */
static char *put_list(char *p, const output_names *names, const uint32_t *items, uint32_t size)
{
    switch (names->format) {
    case FIMBIT_FORMAT_JSONL:
        *p++ = '[';
        for (uint32_t i = 0; i < size; i++) {
            if (i > 0)
                *p++ = ',';
            p = put_name(p, names, items[i]);
        }
        *p++ = ']';
        return p;
    case FIMBIT_FORMAT_CSV: {
        bool quoted = false;
        for (uint32_t i = 0; i < size && !quoted; i++)
            quoted = names->needs_quotes[items[i]] != 0;
        if (quoted)
            *p++ = '"';
        for (uint32_t i = 0; i < size; i++) {
            if (i > 0)
                *p++ = ' ';
            p = put_name(p, names, items[i]);
        }
        if (quoted)
            *p++ = '"';
        return p;
    }
    default:
        if (names->braced)
            *p++ = '{';
        for (uint32_t i = 0; i < size; i++) {
            if (i > 0 && names->braced)
                p = OUTPUT_PUT_LITERAL(p, ", ");
            else if (i > 0)
                *p++ = ' ';
            p = put_name(p, names, items[i]);
        }
        if (names->braced)
            *p++ = '}';
        return p;
    }
}

const char *output_itemset_header(fimbit_format format)
{
    return format == FIMBIT_FORMAT_CSV ? "items,size,count,support\n" : "";
}

const char *output_rule_header(fimbit_format format)
{
    return format == FIMBIT_FORMAT_CSV
               ? "antecedent,consequent,count,support,confidence,lift,leverage,conviction\n"
               : "";
}

void output_rule_header_with_measures(fimbit_format format, uint32_t measures, char *out,
                                      size_t size)
{
    const char *base = output_rule_header(format);
    size_t length = strlen(base);
    if (length == 0 || length >= size) {
        snprintf(out, size, "%s", length < size ? base : "");
        return;
    }
    memcpy(out, base, length - 1); /* without the newline */
    length--;
    for (unsigned m = 0; m <= FIMBIT_MEASURE_P_VALUE; m++)
        if (measures & FIMBIT_MEASURE_BIT(m))
            length += (size_t)snprintf(out + length, size > length ? size - length : 0, ",%s",
                                       fimbit_measure_name((fimbit_measure)m));
    snprintf(out + length, size > length ? size - length : 0, "\n");
}

/* Room for every measure's name and value. */
#define OUTPUT_MEASURES_ROOM 400

bool output_format_itemset(output_buffer *buffer, const output_names *names,
                           const uint32_t *items, uint32_t size, uint64_t count,
                           uint64_t basket_count)
{
    char *start = output_buffer_reserve(buffer, list_room(names, items, size) + OUTPUT_RECORD_SLACK);
    if (start == NULL)
        return false;
    char *p = start;
    double support = basket_count ? (double)count / (double)basket_count : 0.0;
    switch (names->format) {
    case FIMBIT_FORMAT_JSONL:
        p = OUTPUT_PUT_LITERAL(p, "{\"items\":");
        p = put_list(p, names, items, size);
        p = OUTPUT_PUT_LITERAL(p, ",\"size\":");
        p = output_format_u64(p, size);
        p = OUTPUT_PUT_LITERAL(p, ",\"count\":");
        p = output_format_u64(p, count);
        p = OUTPUT_PUT_LITERAL(p, ",\"support\":");
        p = put_double(p, support, true);
        p = OUTPUT_PUT_LITERAL(p, "}\n");
        break;
    case FIMBIT_FORMAT_CSV:
        p = put_list(p, names, items, size);
        *p++ = ',';
        p = output_format_u64(p, size);
        *p++ = ',';
        p = output_format_u64(p, count);
        *p++ = ',';
        p = put_double(p, support, false);
        *p++ = '\n';
        break;
    default:
        p = put_list(p, names, items, size);
        p = OUTPUT_PUT_LITERAL(p, " (");
        p = output_format_u64(p, count);
        p = OUTPUT_PUT_LITERAL(p, ")\n");
        break;
    }
    buffer->length += (size_t)(p - start);
    return true;
}

/* A short piece of a line, stored in full so that it is copied with one
 * fixed-size move (the line's room covers the bytes past its length). */
typedef struct line_piece {
    char text[16];
    size_t length;
} line_piece;

#define LINE_PIECE(literal) {literal, sizeof(literal) - 1}

static char *put_piece(char *p, const line_piece *piece)
{
    memcpy(p, piece->text, sizeof piece->text);
    return p + piece->length;
}

/* What a rule line holds around its items, count and measures, by format
 * (JSON Lines names each measure instead of a separator). */
typedef struct rule_line_frame {
    line_piece open, between, before_count, separator, close;
} rule_line_frame;

static const rule_line_frame rule_frames[] = {
    [FIMBIT_FORMAT_TEXT] = {LINE_PIECE(""), LINE_PIECE(" => "), LINE_PIECE(" ("),
                            LINE_PIECE(", "), LINE_PIECE(")\n")},
    [FIMBIT_FORMAT_CSV] = {LINE_PIECE(""), LINE_PIECE(","), LINE_PIECE(","), LINE_PIECE(","),
                           LINE_PIECE("\n")},
    [FIMBIT_FORMAT_JSONL] = {LINE_PIECE("{\"antecedent\":"), LINE_PIECE(",\"consequent\":"),
                             LINE_PIECE(",\"count\":"), LINE_PIECE(""), LINE_PIECE("}\n")},
};

/* The measures every rule line has, in order; text writes the first three. */
static const fimbit_measure base_rule_measures[] = {
    FIMBIT_MEASURE_SUPPORT, FIMBIT_MEASURE_CONFIDENCE, FIMBIT_MEASURE_LIFT,
    FIMBIT_MEASURE_LEVERAGE, FIMBIT_MEASURE_CONVICTION,
};
#define TEXT_RULE_MEASURES 3

/* Rule lines repeat a few numbers many times: supports are counts over the
 * basket count (a few thousand distinct counts), p-values come from count
 * triples (groceries: 150 k rules, 32 k triples). A direct-mapped table by
 * the double's bits keeps the text of such numbers: a hit copies it instead
 * of formatting it again, the same bytes since it is the same double. */
#define NUMBER_TEXT_SLOT_BITS 12
#define REPEATED_MEASURES                                                                    \
    (FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_SUPPORT) |                                           \
     FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_ANTECEDENT_SUPPORT) |                                \
     FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_CONSEQUENT_SUPPORT) |                                \
     FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE))

typedef struct number_text {
    uint64_t bits;
    char text[15]; /* "%.6g" takes 13 bytes at most: -1.23457e-308 */
    uint8_t length; /* 0: an empty slot (every number has a digit) */
} number_text;

struct number_texts {
    number_text slots[(size_t)1 << NUMBER_TEXT_SLOT_BITS];
};

/* put_repeated_double() of a number the table does not hold: formats it and
 * keeps its text in `slot`. Out of line: the look-up is inline. */
static __attribute__((noinline)) char *put_new_repeated_double(char *p, number_text *slot,
                                                               double value, uint64_t bits)
{
    size_t length = format_g6(value, p);
    memcpy(slot->text, p, sizeof slot->text);
    slot->bits = bits;
    slot->length = (uint8_t)length;
    return p + length;
}

/* put_double() of a finite or infinite value through the table. */
static inline char *put_repeated_double(char *p, number_texts *numbers, double value, bool json)
{
    if (__builtin_expect(!isfinite(value), 0))
        return put_not_finite(p, value, json);
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    number_text *slot =
        &numbers->slots[fimbit__mix64(bits) & (((uint64_t)1 << NUMBER_TEXT_SLOT_BITS) - 1)];
    if (slot->length == 0 || slot->bits != bits)
        return put_new_repeated_double(p, slot, value, bits);
    /* The text and the length byte: a fixed-size move within the room. */
    memcpy(p, slot->text, sizeof slot->text + 1);
    return p + slot->length;
}

/* One measure of a rule line behind the frame's separator, or in JSON Lines
 * behind its key. */
static inline char *put_rule_measure(char *p, const output_names *names,
                                     const rule_line_frame *frame, bool json,
                                     number_texts *numbers, const fimbit_rule *rule,
                                     fimbit_measure measure)
{
    if (json) {
        /* The whole key array: a fixed-size move within the record's room. */
        memcpy(p, names->measure_keys[measure], sizeof names->measure_keys[measure]);
        p += names->measure_key_lengths[measure];
    } else {
        p = put_piece(p, &frame->separator);
    }
    double value = rule_measure_value(rule, measure);
    if (REPEATED_MEASURES & FIMBIT_MEASURE_BIT(measure))
        return put_repeated_double(p, numbers, value, json);
    return put_double(p, value, json);
}

/* The measures that are functions of a rule's three counts: every base
 * measure, and every extra one but improvement and p-value. In a line they
 * come first, as one run after the count (improvement and p-value are the
 * last extra measures in fimbit_measure order). */
#define COUNT_MEASURES                                                                             \
    (FIMBIT_MEASURES_ALL & ~FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_IMPROVEMENT) &                       \
     ~FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE))

/* Writes the run of count measures of a rule line: the base measures, then
 * the extra count measures the line carries. */
static char *put_count_measures(char *p, const output_names *names, number_texts *numbers,
                                const fimbit_rule *rule)
{
    fimbit_format format = names->format;
    bool json = format == FIMBIT_FORMAT_JSONL;
    const rule_line_frame *frame = &rule_frames[format];
    size_t base = format == FIMBIT_FORMAT_TEXT
                      ? TEXT_RULE_MEASURES
                      : sizeof base_rule_measures / sizeof *base_rule_measures;
    for (size_t i = 0; i < base; i++)
        p = put_rule_measure(p, names, frame, json, numbers, rule, base_rule_measures[i]);
    uint32_t extra = format == FIMBIT_FORMAT_TEXT ? 0 : names->rule_measures & COUNT_MEASURES;
    for (uint32_t rest = extra; rest != 0; rest &= rest - 1)
        p = put_rule_measure(p, names, frame, json, numbers, rule,
                             (fimbit_measure)__builtin_ctz(rest));
    return p;
}

/* Writes the rest of a rule line after its count measures: improvement and
 * p-value when the line carries them (not in text), then the line's end. */
static char *put_rule_end(char *p, const output_names *names, number_texts *numbers,
                          const fimbit_rule *rule)
{
    fimbit_format format = names->format;
    bool json = format == FIMBIT_FORMAT_JSONL;
    const rule_line_frame *frame = &rule_frames[format];
    uint32_t extra = format == FIMBIT_FORMAT_TEXT ? 0 : names->rule_measures & ~COUNT_MEASURES;
    for (uint32_t rest = extra; rest != 0; rest &= rest - 1)
        p = put_rule_measure(p, names, frame, json, numbers, rule,
                             (fimbit_measure)__builtin_ctz(rest));
    return put_piece(p, &frame->close);
}

/* Writes a rule line's items and count. */
static char *put_rule_start(char *p, const output_names *names, const uint32_t *antecedent,
                            uint32_t antecedent_size, const uint32_t *consequent,
                            uint32_t consequent_size, uint64_t count)
{
    const rule_line_frame *frame = &rule_frames[names->format];
    p = put_piece(p, &frame->open);
    p = put_list(p, names, antecedent, antecedent_size);
    p = put_piece(p, &frame->between);
    p = put_list(p, names, consequent, consequent_size);
    p = put_piece(p, &frame->before_count);
    return output_format_u64(p, count);
}

/* Makes the buffer's number table at its first rule line and room for a
 * line. @return the write position, or NULL when memory is exhausted. */
static char *reserve_rule_line(output_buffer *buffer, const output_names *names,
                               const uint32_t *antecedent, uint32_t antecedent_size,
                               const uint32_t *consequent, uint32_t consequent_size)
{
    size_t room = list_room(names, antecedent, antecedent_size) +
                  list_room(names, consequent, consequent_size) + OUTPUT_RECORD_SLACK +
                  (names->rule_measures ? OUTPUT_MEASURES_ROOM : 0);
    if (buffer->numbers == NULL) {
        buffer->numbers = fimbit__zeroed_array(1, sizeof *buffer->numbers);
        if (buffer->numbers == NULL)
            return NULL;
    }
    return output_buffer_reserve(buffer, room);
}

bool output_format_rule(output_buffer *buffer, const output_names *names, const fimbit_rule *rule)
{
    char *start = reserve_rule_line(buffer, names, rule->antecedent, rule->antecedent_size,
                                    rule->consequent, rule->consequent_size);
    if (start == NULL)
        return false;
    char *p = put_rule_start(start, names, rule->antecedent, rule->antecedent_size,
                             rule->consequent, rule->consequent_size, rule->count);
    p = put_count_measures(p, names, buffer->numbers, rule);
    p = put_rule_end(p, names, buffer->numbers, rule);
    buffer->length += (size_t)(p - start);
    return true;
}

/* Rules that share their three counts share the text of every count
 * measure, and they are common and close together (groceries: 150 k rules,
 * 32 k count triples; the rules of one itemset and of its neighbours). A
 * direct-mapped table by the triple keeps that text: a hit copies it instead
 * of computing and formatting up to twelve numbers. */
#define COUNT_TEXT_SLOT_BITS 12

/* A slot: the triple, then the text's length (0: empty, every run has a
 * digit) and the text, in a stride fixed by the longest run of the format. */
typedef struct count_text_key {
    uint64_t count;
    uint64_t antecedent_count;
    uint64_t consequent_count;
    uint64_t length;
} count_text_key;

struct count_texts {
    size_t stride; /* bytes a slot */
    count_text_key slots[];
};

/* The longest "%.6g" text: -1.23457e-308. */
#define G6_MAX_LENGTH 13

/* The longest text a run of count measures can have in a format: every
 * number at its longest, behind a separator or, in JSON Lines, its key. */
static size_t count_text_room(const output_names *names)
{
    const rule_line_frame *frame = &rule_frames[names->format];
    bool json = names->format == FIMBIT_FORMAT_JSONL;
    uint32_t run =
        FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_SUPPORT) | FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_CONFIDENCE) |
        FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_LIFT) | FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_LEVERAGE) |
        FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_CONVICTION) | (names->rule_measures & COUNT_MEASURES);
    size_t room = 0;
    for (uint32_t rest = run; rest != 0; rest &= rest - 1)
        room += G6_MAX_LENGTH +
                (json ? names->measure_key_lengths[__builtin_ctz(rest)] : frame->separator.length);
    return room;
}

static count_texts *count_texts_make(const output_names *names)
{
    size_t stride = sizeof(count_text_key) + (count_text_room(names) + 7) / 8 * 8;
    size_t size = sizeof(count_texts) + ((size_t)1 << COUNT_TEXT_SLOT_BITS) * stride;
    count_texts *texts = fimbit__zeroed_array(1, size);
    if (texts == NULL)
        return NULL;
    texts->stride = stride;
    return texts;
}

bool output_format_rule_entry(output_buffer *buffer, const output_names *names,
                              const rule_entry *entry, uint64_t basket_count)
{
    const uint32_t *antecedent = entry->items, *consequent = entry->items + entry->antecedent_size;
    char *start = reserve_rule_line(buffer, names, antecedent, entry->antecedent_size, consequent,
                                    entry->consequent_size);
    if (start == NULL)
        return false;
    if (buffer->counts == NULL && (buffer->counts = count_texts_make(names)) == NULL)
        return false;
    char *p = put_rule_start(start, names, antecedent, entry->antecedent_size, consequent,
                             entry->consequent_size, entry->count);
    uint64_t hash = fimbit__mix64(entry->count + entry->antecedent_count * 0x9e3779b97f4a7c15ull +
                                  entry->consequent_count * 0xc2b2ae3d27d4eb4full);
    size_t slot = (size_t)hash & (((size_t)1 << COUNT_TEXT_SLOT_BITS) - 1);
    count_text_key *key =
        (count_text_key *)((char *)buffer->counts->slots + slot * buffer->counts->stride);
    char *text = (char *)(key + 1);
    fimbit_rule rule;
    if (key->length != 0 && key->count == entry->count &&
        key->antecedent_count == entry->antecedent_count &&
        key->consequent_count == entry->consequent_count) {
        memcpy(p, text, key->length);
        p += key->length;
        rule.improvement = entry->improvement;
        rule.p_value = entry->p_value;
    } else {
        rules_entry_fill(entry, basket_count, names->rule_measures, &rule);
        char *run = p;
        p = put_count_measures(p, names, buffer->numbers, &rule);
        *key = (count_text_key){entry->count, entry->antecedent_count, entry->consequent_count,
                                (uint64_t)(p - run)};
        memcpy(text, run, key->length);
    }
    p = put_rule_end(p, names, buffer->numbers, &rule);
    buffer->length += (size_t)(p - start);
    return true;
}
