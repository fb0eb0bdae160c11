/*
 * Text, CSV and JSON Lines writers.
 *
 * Speed: item names are encoded once per call (output_names), integers are
 * formatted by hand, and records are formatted in blocks by OpenMP threads into
 * per-thread buffers that are written in order, so the output does not depend
 * on the thread count. Doubles are formatted as printf's "%.6g" would, by hand
 * (printf for the rare near-ties), and whatever the locale.
 *
 * Formats:
 *  - text: itemsets "a b c (count)", rules "a b => c (count, support,
 *    confidence, lift)"; names are written as they are, without escaping.
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
 *
 * Files are written atomically: to "<path>.tmp-XXXXXX" in the same directory,
 * closed, then renamed over path (exchanged with an existing file, which is
 * then removed: see move_into_place); any failure removes the temporary file and
 * leaves an existing file at path untouched. The temporary file is created
 * with open(O_CREAT | O_EXCL, 0666), so the kernel applies the umask (and any
 * default ACL) exactly as for a file created in place; mkstemp's 0600 would
 * need the process umask, which cannot be read without changing it. Replacing
 * an existing file keeps its permission bits; a symbolic link to a file is
 * kept and its target replaced. Paths that exist but are not regular files
 * (/dev/null, /dev/full, FIFOs) are written in place: renaming over a device
 * would replace the device. There is no fsync: a failed run never leaves a
 * file under the final name, but after a power failure a renamed file may be
 * incomplete on file systems that commit the rename before the data.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>

#include "read/dataset.h"
#include "itemset_text.h"
#include "output.h"
#include "base/progress.h"
#include "rules/rules.h"
#include "store/sink.h"
#include "store/store.h"

/* Records formatted before a buffer is written out: per block with one
 * thread, per round (shared by the threads) with several. */
#define OUTPUT_BLOCK_RECORDS 8192
#define OUTPUT_ROUND_RECORDS ((size_t)1 << 18)
#define OUTPUT_MAX_THREADS 16
/* Room for every number and the punctuation of one record. */
#define OUTPUT_RECORD_SLACK 400

/* ------------------------------------------------------------------ targets */

static fimbit_status io_error(fimbit_error *error, const output_target *target, const char *what,
                              int code)
{
    const char *name = target->to_stdout ? "standard output" : target->path;
    if (what)
        return fimbit__error_set(error, FIMBIT_EIO, name, 0, 0, "%s: %s", what, strerror(code));
    return fimbit__error_set(error, FIMBIT_EIO, name, 0, 0, "%s", strerror(code));
}

/* Six characters for a temporary name, different on every call. */
static void temp_suffix(char *out)
{
    static const char alphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Atomic uint64_t counter;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t x = ((uint64_t)now.tv_nsec << 20) ^ (uint64_t)now.tv_sec ^
                 ((uint64_t)getpid() << 40) ^ (atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ULL);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 29;
    for (int i = 0; i < 6; i++) {
        out[i] = alphabet[x % 62];
        x /= 62;
    }
    out[6] = '\0';
}

fimbit_status output_open(output_target *target, const char *path, fimbit_error *error)
{
    *target = (output_target){.fd = -1, .path = path};
    if (path == NULL || strcmp(path, "-") == 0) {
        target->to_stdout = true;
        target->path = "-";
        return FIMBIT_OK;
    }

    if (path[0] == '\0')
        return fimbit__fail(error, FIMBIT_EINVAL, "the output path is empty");

    struct stat existing;
    bool exists = stat(path, &existing) == 0;
    if (exists && !S_ISREG(existing.st_mode)) {
        int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0)
            return io_error(error, target, NULL, errno);
        target->fd = fd;
        target->direct = true;
        return FIMBIT_OK;
    }

    /* Through a symbolic link to a regular file, the file is replaced: the
     * temporary file goes beside the link's target, and the rename lands there,
     * so the link survives. */
    const char *final_path = path;
    struct stat link;
    if (exists && lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
        char *resolved = realpath(path, NULL);
        if (resolved == NULL)
            return io_error(error, target, NULL, errno);
        target->final_path = fimbit__strdup(resolved);
        free(resolved);
        if (target->final_path == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory");
        final_path = target->final_path;
    }

    size_t length = strlen(final_path);
    char *temp_path = fimbit__malloc(length + sizeof ".tmp-XXXXXX");
    if (temp_path == NULL) {
        fimbit__free(target->final_path);
        target->final_path = NULL;
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory");
    }
    memcpy(temp_path, final_path, length);
    memcpy(temp_path + length, ".tmp-", 5);
    int fd = -1;
    for (int attempt = 0; attempt < 1000; attempt++) {
        temp_suffix(temp_path + length + 5);
        fd = open(temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, exists ? 0600 : 0666);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int code = errno;
        fimbit__free(temp_path);
        fimbit__free(target->final_path);
        target->final_path = NULL;
        return io_error(error, target, NULL, code);
    }
    target->fd = fd;
    target->temp_path = temp_path;
    if (exists && fchmod(fd, existing.st_mode & 0777) != 0) {
        int code = errno;
        output_abort(target);
        return io_error(error, target, NULL, code);
    }
    return FIMBIT_OK;
}

/* Puts the temporary file at final_path. Over an existing file the two are
 * exchanged and the old one, now under the temporary name, removed: readers of
 * final_path see the old file, then the new, as with rename(). A rename that
 * replaces a file makes ext4 (auto_da_alloc) write the new file out before it
 * returns, seconds for gigabytes of itemsets; an exchange does not.
 * @return 0, or -1 with errno set. */
static int move_into_place(const char *temp_path, const char *final_path)
{
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, temp_path, AT_FDCWD, final_path, RENAME_EXCHANGE) == 0) {
        /* The old file, in the same directory as the new: removing it cannot
         * fail where the exchange succeeded, short of a concurrent change. */
        unlink(temp_path);
        return 0;
    }
#endif
    /* No file to exchange with, or a file system without exchanges. */
    return rename(temp_path, final_path);
}

fimbit_status output_write(output_target *target, const void *data, size_t size,
                           fimbit_error *error)
{
    if (size == 0)
        return FIMBIT_OK;
    if (target->to_stdout) {
        errno = 0;
        if (fwrite(data, 1, size, stdout) != size)
            return io_error(error, target, NULL, errno ? errno : EIO);
        return FIMBIT_OK;
    }
    const char *bytes = data;
    while (size > 0) {
        ssize_t written = write(target->fd, bytes, size);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return io_error(error, target, NULL, errno);
        }
        bytes += written;
        size -= (size_t)written;
    }
    return FIMBIT_OK;
}

static void target_release(output_target *target)
{
    fimbit__free(target->temp_path);
    target->temp_path = NULL;
    fimbit__free(target->final_path);
    target->final_path = NULL;
    target->fd = -1;
}

void output_abort(output_target *target)
{
    if (target->to_stdout) {
        fflush(stdout);
        return;
    }
    if (target->fd >= 0)
        close(target->fd);
    if (target->temp_path)
        unlink(target->temp_path);
    target_release(target);
}

fimbit_status output_commit(output_target *target, fimbit_error *error)
{
    if (target->to_stdout) {
        errno = 0;
        if (fflush(stdout) != 0)
            return io_error(error, target, NULL, errno ? errno : EIO);
        return FIMBIT_OK;
    }
    int fd = target->fd;
    target->fd = -1;
    if (close(fd) != 0) {
        int code = errno;
        if (target->temp_path)
            unlink(target->temp_path);
        target_release(target);
        return io_error(error, target, NULL, code);
    }
    const char *final_path = target->final_path ? target->final_path : target->path;
    if (target->temp_path && move_into_place(target->temp_path, final_path) != 0) {
        int code = errno;
        unlink(target->temp_path);
        target_release(target);
        return io_error(error, target, "cannot rename the temporary file into place", code);
    }
    target_release(target);
    return FIMBIT_OK;
}

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

size_t output_encode_name(const char *name, fimbit_format format, char *out, uint8_t *quote)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)name;
    size_t n = strlen(name), length = 0;
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
    *names = (output_names){.format = format};
    uint32_t items = dataset->item_count;
    names->offsets = fimbit__malloc_array((size_t)items + 1, sizeof *names->offsets);
    if (format == FIMBIT_FORMAT_CSV)
        names->needs_quotes = fimbit__calloc(items ? items : 1, 1);
    if (names->offsets == NULL || (format == FIMBIT_FORMAT_CSV && names->needs_quotes == NULL))
        goto out_of_memory;
    uint64_t total = 0;
    for (uint32_t item = 0; item < items; item++) {
        names->offsets[item] = total;
        total += output_encode_name(dataset_item_name(dataset, item), format, NULL,
                                    names->needs_quotes ? &names->needs_quotes[item] : NULL);
    }
    names->offsets[items] = total;
    names->bytes = fimbit__malloc((size_t)total);
    if (names->bytes == NULL)
        goto out_of_memory;
    for (uint32_t item = 0; item < items; item++)
        output_encode_name(dataset_item_name(dataset, item), format,
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

/* Writes value in decimal at p. @return the end. */
char *output_format_u64(char *p, uint64_t value)
{
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

static char *put_text(char *p, const char *text, size_t n)
{
    memcpy(p, text, n);
    return p + n;
}

#define PUT_LITERAL(p, literal) put_text((p), (literal), sizeof(literal) - 1)

/* snprintf("%.6g"), made independent of the locale's decimal separator (one
 * or more bytes, none of them digits, signs or 'e', become '.'). The slow path
 * of output_format_g6(). */
static size_t format_g6_printf(double value, char *out)
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

/* Scales a (> 0) by 10^(5 - exponent) with one correctly rounded operation:
 * powers of ten up to 1e22 are exact doubles. */
static double scale_to_six_digits(double a, int exponent)
{
    int k = 5 - exponent;
    return k >= 0 ? a * powers_of_ten[k] : a / powers_of_ten[-k];
}

size_t output_format_g6(double value, char *out)
{
    /* The fast path: six significant digits from one scaling of the value.
     * The scaled value is below 1e6 and carries one rounding (relative error
     * 2^-53, absolute below 3e-10), so the digit rounding is decided right
     * unless the fraction lies within 1e-6 of one half: those rare near-ties
     * (and values outside [1e-15, 1e15), NaN and infinities) take printf,
     * whose rounding of the exact binary value is the reference. */
    double a = fabs(value);
    if (!(a >= 1e-15 && a < 1e15)) {
        if (value == 0) {
            size_t length = 0;
            if (signbit(value))
                out[length++] = '-';
            out[length++] = '0';
            return length;
        }
        return format_g6_printf(value, out);
    }
    /* a = m 2^e2 with m in [0.5, 1), so log10(a) lies in [(e2 - 1) log10(2),
     * e2 log10(2)): the estimate is the exponent or one below it, which the
     * range check below corrects. Cheaper than log10. */
    int e2;
    frexp(a, &e2);
    int exponent = (int)floor((double)(e2 - 1) * 0.30102999566398120);
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
    double whole = floor(scaled);
    double fraction = scaled - whole;
    if (fabs(fraction - 0.5) < 1e-6)
        return format_g6_printf(value, out);
    uint32_t mantissa = (uint32_t)whole + (fraction > 0.5);
    if (mantissa == 1000000) {
        mantissa = 100000;
        exponent++;
    }
    char digits[6];
    for (int i = 5; i >= 0; i--) {
        digits[i] = (char)('0' + mantissa % 10);
        mantissa /= 10;
    }
    int significant = 6;
    while (significant > 1 && digits[significant - 1] == '0')
        significant--;

    size_t length = 0;
    if (value < 0)
        out[length++] = '-';
    if (exponent < -4 || exponent >= 6) {
        out[length++] = digits[0];
        if (significant > 1) {
            out[length++] = '.';
            for (int i = 1; i < significant; i++)
                out[length++] = digits[i];
        }
        out[length++] = 'e';
        out[length++] = exponent < 0 ? '-' : '+';
        int magnitude = exponent < 0 ? -exponent : exponent;
        if (magnitude >= 100)
            out[length++] = (char)('0' + magnitude / 100);
        out[length++] = (char)('0' + magnitude / 10 % 10);
        out[length++] = (char)('0' + magnitude % 10);
    } else if (exponent >= 0) {
        for (int i = 0; i <= exponent; i++)
            out[length++] = digits[i];
        if (significant > exponent + 1) {
            out[length++] = '.';
            for (int i = exponent + 1; i < significant; i++)
                out[length++] = digits[i];
        }
    } else {
        out[length++] = '0';
        out[length++] = '.';
        for (int i = 0; i < -exponent - 1; i++)
            out[length++] = '0';
        for (int i = 0; i < significant; i++)
            out[length++] = digits[i];
    }
    return length;
}

/* Writes value as "%.6g"; an infinity as "inf" (CSV and text) or "null"
 * (JSON, which has no infinity), a NaN as "nan" or "null". */
static char *put_double(char *p, double value, bool json)
{
    if (value != value)
        return json ? PUT_LITERAL(p, "null") : PUT_LITERAL(p, "nan");
    if (value == INFINITY || value == -INFINITY) {
        if (json)
            return PUT_LITERAL(p, "null");
        return value > 0 ? PUT_LITERAL(p, "inf") : PUT_LITERAL(p, "-inf");
    }
    return p + output_format_g6(value, p);
}

/* ------------------------------------------------------------------ records */

void output_buffer_free(output_buffer *buffer)
{
    fimbit__free(buffer->data);
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

/* Writes an item list: space-joined names (text), one CSV field, or a JSON
 * array. */
static char *put_list(char *p, const output_names *names, const uint32_t *items, uint32_t size)
{
    const char *bytes = names->bytes;
    const uint64_t *offsets = names->offsets;
    switch (names->format) {
    case FIMBIT_FORMAT_JSONL:
        *p++ = '[';
        for (uint32_t i = 0; i < size; i++) {
            if (i > 0)
                *p++ = ',';
            p = put_text(p, bytes + offsets[items[i]],
                         (size_t)(offsets[items[i] + 1] - offsets[items[i]]));
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
            p = put_text(p, bytes + offsets[items[i]],
                         (size_t)(offsets[items[i] + 1] - offsets[items[i]]));
        }
        if (quoted)
            *p++ = '"';
        return p;
    }
    default:
        for (uint32_t i = 0; i < size; i++) {
            if (i > 0)
                *p++ = ' ';
            p = put_text(p, bytes + offsets[items[i]],
                         (size_t)(offsets[items[i] + 1] - offsets[items[i]]));
        }
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
        p = PUT_LITERAL(p, "{\"items\":");
        p = put_list(p, names, items, size);
        p = PUT_LITERAL(p, ",\"size\":");
        p = output_format_u64(p, size);
        p = PUT_LITERAL(p, ",\"count\":");
        p = output_format_u64(p, count);
        p = PUT_LITERAL(p, ",\"support\":");
        p = put_double(p, support, true);
        p = PUT_LITERAL(p, "}\n");
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
        p = PUT_LITERAL(p, " (");
        p = output_format_u64(p, count);
        p = PUT_LITERAL(p, ")\n");
        break;
    }
    buffer->length += (size_t)(p - start);
    return true;
}

bool output_format_rule(output_buffer *buffer, const output_names *names,
                        const fimbit_rule *rule)
{
    size_t room = list_room(names, rule->antecedent, rule->antecedent_size) +
                  list_room(names, rule->consequent, rule->consequent_size) + OUTPUT_RECORD_SLACK;
    char *start = output_buffer_reserve(buffer, room);
    if (start == NULL)
        return false;
    char *p = start;
    switch (names->format) {
    case FIMBIT_FORMAT_JSONL:
        p = PUT_LITERAL(p, "{\"antecedent\":");
        p = put_list(p, names, rule->antecedent, rule->antecedent_size);
        p = PUT_LITERAL(p, ",\"consequent\":");
        p = put_list(p, names, rule->consequent, rule->consequent_size);
        p = PUT_LITERAL(p, ",\"count\":");
        p = output_format_u64(p, rule->count);
        p = PUT_LITERAL(p, ",\"support\":");
        p = put_double(p, rule->support, true);
        p = PUT_LITERAL(p, ",\"confidence\":");
        p = put_double(p, rule->confidence, true);
        p = PUT_LITERAL(p, ",\"lift\":");
        p = put_double(p, rule->lift, true);
        p = PUT_LITERAL(p, ",\"leverage\":");
        p = put_double(p, rule->leverage, true);
        p = PUT_LITERAL(p, ",\"conviction\":");
        p = put_double(p, rule->conviction, true);
        p = PUT_LITERAL(p, "}\n");
        break;
    case FIMBIT_FORMAT_CSV:
        p = put_list(p, names, rule->antecedent, rule->antecedent_size);
        *p++ = ',';
        p = put_list(p, names, rule->consequent, rule->consequent_size);
        *p++ = ',';
        p = output_format_u64(p, rule->count);
        *p++ = ',';
        p = put_double(p, rule->support, false);
        *p++ = ',';
        p = put_double(p, rule->confidence, false);
        *p++ = ',';
        p = put_double(p, rule->lift, false);
        *p++ = ',';
        p = put_double(p, rule->leverage, false);
        *p++ = ',';
        p = put_double(p, rule->conviction, false);
        *p++ = '\n';
        break;
    default:
        p = put_list(p, names, rule->antecedent, rule->antecedent_size);
        p = PUT_LITERAL(p, " => ");
        p = put_list(p, names, rule->consequent, rule->consequent_size);
        p = PUT_LITERAL(p, " (");
        p = output_format_u64(p, rule->count);
        p = PUT_LITERAL(p, ", ");
        p = put_double(p, rule->support, false);
        p = PUT_LITERAL(p, ", ");
        p = put_double(p, rule->confidence, false);
        p = PUT_LITERAL(p, ", ");
        p = put_double(p, rule->lift, false);
        p = PUT_LITERAL(p, ")\n");
        break;
    }
    buffer->length += (size_t)(p - start);
    return true;
}

/* ------------------------------------------------------------------ drivers */

typedef struct write_job {
    const fimbit_itemsets *itemsets; /* one of these two */
    const fimbit_rules *rules;
    const output_names *names;
    uint64_t basket_count;
    /* Itemsets: every item's text by item id, for prefix-reusing formatting
     * (sorted itemsets share long prefixes with the one before). */
    itemset_text text;
    progress_meter *progress; /* the WRITE stage: records written */
} write_job;

/* How far ahead the formatting loop prefetches records: sorted results are
 * read in an order unrelated to where the records live. */
#define OUTPUT_PREFETCH_DISTANCE 16

static bool format_range(const write_job *job, output_buffer *buffer, itemset_line *line,
                         size_t first, size_t last)
{
    for (size_t i = first; i < last; i++) {
        if (i + OUTPUT_PREFETCH_DISTANCE < last) {
            size_t ahead = i + OUTPUT_PREFETCH_DISTANCE;
            __builtin_prefetch(job->itemsets ? (const void *)job->itemsets->index[ahead]
                                             : (const void *)job->rules->entries[ahead].items);
        }
        if (job->itemsets) {
            const uint32_t *record = job->itemsets->index[i];
            if (!itemset_line_format(line, buffer, store_record_items(record),
                                     store_record_size(record), 0, store_record_count(record)))
                return false;
        } else {
            fimbit_rule rule;
            rules_entry_metrics(&job->rules->entries[i], job->basket_count, &rule);
            if (!output_format_rule(buffer, job->names, &rule))
                return false;
        }
    }
    return true;
}

/* Formats records [0, count) and writes them in order. With several threads,
 * the records go in rounds of OUTPUT_ROUND_RECORDS: each thread formats a
 * contiguous slice of the round into its own buffer (one parallel loop), then
 * the buffers are written in order. Rounds are long so that threads meet
 * rarely: on a busy machine every meeting can cost a scheduler time slice (a
 * per-block hand-off in an ordered loop was measured ten times slower than
 * one thread there). */
static fimbit_status format_and_write(const write_job *job, size_t count, int threads,
                                      output_buffer *buffers, itemset_line *lines,
                                      output_target *target, fimbit_error *error)
{
    fimbit_status status = FIMBIT_OK;
    if (threads <= 1) {
        for (size_t first = 0; first < count && status == FIMBIT_OK;
             first += OUTPUT_BLOCK_RECORDS) {
            size_t last = first + OUTPUT_BLOCK_RECORDS < count ? first + OUTPUT_BLOCK_RECORDS
                                                               : count;
            buffers[0].length = 0;
            if (!format_range(job, &buffers[0], &lines[0], first, last))
                status = fimbit__fail(error, FIMBIT_ENOMEM,
                                      "out of memory while formatting output");
            else
                status = output_write(target, buffers[0].data, buffers[0].length, error);
            if (status == FIMBIT_OK && progress_advance(job->progress, last - first))
                status = progress_cancel_error(job->progress, error);
        }
        return status;
    }
    for (size_t start = 0; start < count && status == FIMBIT_OK; start += OUTPUT_ROUND_RECORDS) {
        size_t round = count - start < OUTPUT_ROUND_RECORDS ? count - start : OUTPUT_ROUND_RECORDS;
        atomic_int failed = 0;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
        for (int t = 0; t < threads; t++) {
            size_t first = start + round * (size_t)t / (size_t)threads;
            size_t last = start + round * (size_t)(t + 1) / (size_t)threads;
            buffers[t].length = 0;
            if (!format_range(job, &buffers[t], &lines[t], first, last))
                atomic_store(&failed, 1);
        }
        if (failed)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory while formatting output");
        for (int t = 0; t < threads && status == FIMBIT_OK; t++)
            status = output_write(target, buffers[t].data, buffers[t].length, error);
        if (status == FIMBIT_OK && progress_advance(job->progress, round))
            status = progress_cancel_error(job->progress, error);
    }
    return status;
}

/* Writes the header, then the records with up to `threads` threads. */
static fimbit_status write_records(const write_job *job, size_t count, const char *header,
                                   int threads, output_target *target, fimbit_error *error)
{
    fimbit_status status = output_write(target, header, strlen(header), error);
    if (status != FIMBIT_OK)
        return status;
    if (threads > OUTPUT_MAX_THREADS)
        threads = OUTPUT_MAX_THREADS;
    if (count < 2 * (size_t)OUTPUT_BLOCK_RECORDS)
        threads = 1;
    output_buffer buffers[OUTPUT_MAX_THREADS] = {{0}};
    itemset_line lines[OUTPUT_MAX_THREADS] = {{0}};
    for (int t = 0; t < threads && job->itemsets && status == FIMBIT_OK; t++)
        status = itemset_line_init(&lines[t], &job->text, error);
    if (status == FIMBIT_OK)
        status = format_and_write(job, count, threads, buffers, lines, target, error);
    for (int t = 0; t < threads; t++) {
        output_buffer_free(&buffers[t]);
        itemset_line_free(&lines[t]);
    }
    return status;
}

static fimbit_status write_result(write_job *job, const fimbit_dataset *dataset, size_t count,
                                  const char *header, int threads, fimbit_format format,
                                  const char *path, fimbit_error *error)
{
    if (format != FIMBIT_FORMAT_TEXT && format != FIMBIT_FORMAT_CSV &&
        format != FIMBIT_FORMAT_JSONL)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown output format %d", (int)format);
    output_names names;
    fimbit_status status = output_names_build(&names, dataset, format, error);
    if (status != FIMBIT_OK)
        return status;
    job->names = &names;
    job->basket_count = dataset->basket_count;
    if (job->itemsets)
        status = itemset_text_build(&job->text, &names, NULL, dataset->item_count,
                                    dataset->basket_count, error);
    if (status != FIMBIT_OK) {
        output_names_free(&names);
        return status;
    }

    progress_meter meter;
    job->progress = &meter;
    output_target target;
    if (progress_begin(&meter, FIMBIT_STAGE_WRITE, job->itemsets ? "itemsets" : "rules", count))
        status = progress_cancel_error(&meter, error);
    else
        status = output_open(&target, path, error);
    if (status == FIMBIT_OK) {
        status = write_records(job, count, header, threads, &target, error);
        /* END before the rename: a callback that stops there leaves no file. */
        if (status == FIMBIT_OK && progress_end(&meter))
            status = progress_cancel_error(&meter, error);
        if (status == FIMBIT_OK)
            status = output_commit(&target, error);
        else
            output_abort(&target);
    }
    itemset_text_free(&job->text);
    output_names_free(&names);
    return status;
}

fimbit_status fimbit_itemsets_write(const fimbit_itemsets *itemsets, fimbit_format format,
                                    const char *path, fimbit_error *error)
{
    if (itemsets == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "no itemsets to write");
    write_job job = {.itemsets = itemsets};
    return write_result(&job, itemsets->dataset, itemsets->count, output_itemset_header(format),
                        itemsets->threads, format, path, error);
}

fimbit_status fimbit_rules_write(const fimbit_rules *rules, fimbit_format format,
                                 const char *path, fimbit_error *error)
{
    if (rules == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "no rules to write");
    write_job job = {.rules = rules};
    return write_result(&job, rules->dataset, rules->count, output_rule_header(format),
                        rules->threads > 0 ? rules->threads : 1, format, path, error);
}
