/*
 * The line scanners against references written here, a token at a time.
 * FIMI: random texts with every edge the word-at-a-time scanner has (numbers
 * of 1 to 20 digits, 2^32 - 1, 2^64 - 1, leading zeros, CRLF, tabs, trailing
 * blanks, empty and blank lines, repeats, no final newline), then errors put
 * at random places: the same line and column as the reference. Named
 * baskets: names short and long, sharing their first eight bytes or being
 * prefixes of each other, comma or blank separated, and NUL bytes. Every text
 * is read with 1 to 3 threads and windows of many sizes, so that chunk,
 * window and word boundaries fall everywhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "read/dataset.h"
#include "fimbit.h"
#include "read/reader.h"
#include "test_data.h"
#include "test_rounds.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(uint64_t bound)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (rng_state >> 16) % bound;
}

typedef struct text {
    char *bytes;
    size_t length, capacity;
} text;

static void text_add(text *t, const char *bytes, size_t length)
{
    if (t->length + length + 1 > t->capacity) {
        t->capacity = (t->length + length + 1) * 2;
        t->bytes = realloc(t->bytes, t->capacity);
        assert_non_null(t->bytes);
    }
    memcpy(t->bytes + t->length, bytes, length);
    t->length += length;
    t->bytes[t->length] = '\0';
}

static void text_add_str(text *t, const char *s) { text_add(t, s, strlen(s)); }

/* One token: mostly short ids from a small pool (so baskets repeat items),
 * sometimes long ones, the 32- and 64-bit edges, leading zeros. */
static void add_random_id(text *t)
{
    static const char *const edges[] = {"4294967295", "4294967296", "18446744073709551615",
                                        "1048575",    "1048576",    "99999999",
                                        "100000000",  "12345678",   "0"};
    char buffer[64];
    uint64_t kind = rng_next(20);
    if (kind < 14) {
        snprintf(buffer, sizeof buffer, "%llu", (unsigned long long)rng_next(kind < 10 ? 40 : 3000));
    } else if (kind < 17) {
        unsigned digits = 1 + (unsigned)rng_next(19); /* below 2^64 */
        for (unsigned i = 0; i < digits; i++)
            buffer[i] = (char)('0' + rng_next(10));
        buffer[digits] = '\0';
    } else if (kind < 19) {
        snprintf(buffer, sizeof buffer, "%s", edges[rng_next(sizeof edges / sizeof *edges)]);
    } else {
        snprintf(buffer, sizeof buffer, "%.*s%llu", (int)(1 + rng_next(12)), "000000000000",
                 (unsigned long long)rng_next(50));
    }
    text_add_str(t, buffer);
}

static const char *random_blanks(void)
{
    static const char *const blanks[] = {" ", " ", " ", " ", "  ", "\t", " \t ", "\r"};
    return blanks[rng_next(sizeof blanks / sizeof *blanks)];
}

/* A random FIMI text of about `lines` lines. */
static text random_fimi(size_t lines)
{
    text t = {0};
    text_add(&t, "", 0);
    for (size_t line = 0; line < lines; line++) {
        uint64_t shape = rng_next(30);
        if (shape == 0) {
            text_add_str(&t, random_blanks()); /* a blank line */
        } else if (shape > 1) {
            if (rng_next(6) == 0)
                text_add_str(&t, random_blanks()); /* leading blanks */
            size_t size = 1 + rng_next(shape < 5 ? 40 : 12);
            for (size_t k = 0; k < size; k++) {
                if (k > 0)
                    text_add_str(&t, rng_next(5) ? " " : random_blanks());
                add_random_id(&t);
            }
            if (rng_next(5) == 0)
                text_add_str(&t, random_blanks()); /* trailing blanks */
        }
        bool last = line + 1 == lines;
        if (!last || rng_next(2))
            text_add_str(&t, rng_next(8) ? "\n" : "\r\n");
    }
    return t;
}

static bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The reference: the dump of test_dump_dataset ("names|names"), or the line
 * and column of the first bad token (*line 0 when there is none). */
static void reference_parse(const text *t, text *dump, uint64_t *baskets, uint64_t *line,
                            uint64_t *column)
{
    *baskets = 0;
    *line = 0;
    *column = 0;
    text_add(dump, "", 0);
    uint64_t current_line = 1;
    const char *line_start = t->bytes, *end = t->bytes + t->length;
    const char *p = t->bytes;
    uint64_t *basket = NULL;
    size_t basket_size = 0;
    while (p < end) {
        const char *line_end = memchr(p, '\n', (size_t)(end - p));
        if (line_end == NULL)
            line_end = end;
        basket = realloc(basket, (size_t)(line_end - p + 1) * sizeof *basket);
        basket_size = 0;
        while (p < line_end) {
            if (is_separator(*p)) {
                p++;
                continue;
            }
            const char *token = p;
            uint64_t value = 0;
            bool digits_only = true, overflow = false;
            for (; p < line_end && !is_separator(*p); p++) {
                unsigned digit = (unsigned)(*p - '0');
                if (digit > 9) {
                    digits_only = false;
                    continue;
                }
                if (value > (UINT64_MAX - digit) / 10)
                    overflow = true;
                value = value * 10 + digit;
            }
            if (!digits_only || overflow) {
                *line = current_line;
                *column = (uint64_t)(token - line_start) + 1;
                free(basket);
                return;
            }
            bool repeated = false;
            for (size_t k = 0; k < basket_size; k++)
                repeated = repeated || basket[k] == value;
            if (!repeated)
                basket[basket_size++] = value;
        }
        if (*baskets > 0)
            text_add_str(dump, "|");
        for (size_t k = 0; k < basket_size; k++) {
            char number[32];
            snprintf(number, sizeof number, "%s%llu", k ? " " : "",
                     (unsigned long long)basket[k]);
            text_add_str(dump, number);
        }
        (*baskets)++;
        p = line_end + (line_end < end);
        line_start = p;
        current_line++;
    }
    free(basket);
}

static fimbit_status read_with(const char *path, fimbit_input_format format, int threads,
                               fimbit_dataset **d, fimbit_error *error)
{
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = format;
    options.threads = threads;
    const char *paths[] = {path};
    return fimbit_dataset_read(paths, 1, &options, d, error);
}

typedef void reference_fn(const text *t, text *dump, uint64_t *baskets, uint64_t *line,
                          uint64_t *column);

/* Asserts that a and b hold the same items by id (names) and baskets. */
static void assert_same_dataset(const fimbit_dataset *a, const fimbit_dataset *b)
{
    assert_int_equal(fimbit_dataset_item_count(a), fimbit_dataset_item_count(b));
    for (uint32_t id = 0; id < fimbit_dataset_item_count(a); id++)
        assert_string_equal(fimbit_dataset_item_name(a, id), fimbit_dataset_item_name(b, id));
    test_assert_same_baskets(a, b);
}

/* Reads `t` as `format` with every thread count, window size and flush size
 * of a lone chunk, and checks it against `reference`: the same baskets, or
 * the same error place; and every read gives the dataset of the first (ids
 * and baskets in the same order). */
static void check_format(const text *t, fimbit_input_format format, reference_fn *reference)
{
    text expected = {0};
    uint64_t baskets, line, column;
    reference(t, &expected, &baskets, &line, &column);
    test_sort_dump_baskets(expected.bytes);
    char path[256];
    test_write_temp_file(t->bytes, t->length, ".dat", path, sizeof path);
    static const size_t windows[] = {READER_BLOCK_SIZE, 4096, 61, 9};
    static const size_t flushes[] = {LINE_FLUSH_ITEMS, 2};
    size_t saved = reader_block_size, saved_flush = line_flush_items;
    size_t dump_size = t->length * 2 + 64;
    char *dump = malloc(dump_size);
    fimbit_dataset *first = NULL;
    for (size_t w = 0; w < sizeof windows / sizeof *windows; w++)
        for (size_t f = 0; f < sizeof flushes / sizeof *flushes; f++)
            for (int threads = 1; threads <= 3; threads++) {
                reader_block_size = windows[w];
                line_flush_items = flushes[f];
                fimbit_dataset *d = NULL;
                fimbit_error error;
                fimbit_status status = read_with(path, format, threads, &d, &error);
                if (line != 0) {
                    assert_int_equal(status, FIMBIT_EPARSE);
                    assert_int_equal(error.line, line);
                    assert_int_equal(error.column, column);
                    continue;
                }
                if (status != FIMBIT_OK)
                    fail_msg("%s", error.message);
                assert_int_equal(fimbit_dataset_basket_count(d), baskets);
                /* A basket is a set: its items in any order. */
                test_dump_dataset(d, dump, dump_size);
                test_sort_dump_baskets(dump);
                assert_string_equal(dump, expected.bytes);
                if (first == NULL) {
                    first = d;
                    continue;
                }
                assert_same_dataset(first, d);
                fimbit_dataset_free(d);
            }
    fimbit_dataset_free(first);
    reader_block_size = saved;
    line_flush_items = saved_flush;
    free(dump);
    free(expected.bytes);
    unlink(path);
}

static void check_against_reference(const text *t)
{
    check_format(t, FIMBIT_INPUT_FIMI, reference_parse);
}

static void test_random_texts(void **state)
{
    (void)state;
    for (int round = 0; round < 300; round += (int)test_round_stride()) {
        text t = random_fimi(1 + rng_next(round < 250 ? 6 : 400));
        check_against_reference(&t);
        free(t.bytes);
    }
}

/* Big enough for two chunks of 64 KiB and more. */
static void test_random_text_in_chunks(void **state)
{
    (void)state;
    text t = random_fimi(30000);
    assert_true(t.length > 300000);
    check_against_reference(&t);
    free(t.bytes);
}

/* One bad byte or an overflowing id at a random place of a valid text. */
static void test_random_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {"x", "-", "1.5", "7a", "18446744073709551616",
                                      "99999999999999999999999", "\x80", "+3"};
    for (int round = 0; round < 200; round += (int)test_round_stride()) {
        text t = random_fimi(1 + rng_next(round < 150 ? 8 : 300));
        size_t at = (size_t)rng_next(t.length + 1);
        const char *insert = bad[rng_next(sizeof bad / sizeof *bad)];
        text broken = {0};
        text_add(&broken, t.bytes, at);
        if (rng_next(2))
            text_add_str(&broken, " ");
        text_add_str(&broken, insert);
        text_add(&broken, t.bytes + at, t.length - at);
        check_against_reference(&broken);
        free(broken.bytes);
        free(t.bytes);
    }
}

/* The edges by name, each in the word-at-a-time part (a long line) and in the
 * last bytes of the text, which are read a byte at a time. */
static void test_edges(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "4294967295 4294967295 1",
        "18446744073709551615 12345678 123456789 0000000000000000000000007",
        "1 2 3 \t \r",
        "   ",
        "",
        "5\t6\r",
        "18446744073709551616",
        "1 18446744073709551616",
        "99999999x",
        "7 7 7 7 7 7 7 7 7 7 8 7",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        for (int shape = 0; shape < 4; shape++) {
            text t = {0};
            text_add(&t, "", 0);
            if (shape & 1) /* far from the end: the fast part reads it */
                text_add_str(&t, "10 20 30 40 50 60 70 80 90\n");
            text_add_str(&t, lines[i]);
            if (shape & 2)
                text_add_str(&t, "\n");
            if (shape & 1)
                text_add_str(&t, "\n11 22 33 44 55 66 77 88 99 111 222 333\n");
            check_against_reference(&t);
            free(t.bytes);
        }
    }
}

/* A random named-basket text: comma separated (names may hold inner
 * blanks) or blank separated. */
static text random_named(size_t lines, bool commas)
{
    static const char *const names[] = {
        "a",         "b",          "item1",        "item12",       "item123",
        "eight888",  "eight8889",  "longname_1",   "longname_2",   "a much longer name 1",
        "a much longer name 2", "x",  "café",       "9",            "12345678901234567890123"};
    text t = {0};
    text_add(&t, "", 0);
    for (size_t line = 0; line < lines; line++) {
        size_t size = line == 0 ? 2 : rng_next(10);
        for (size_t k = 0; k < size; k++) {
            if (k > 0)
                text_add_str(&t, commas ? (rng_next(4) ? "," : " , ") : random_blanks());
            const char *name = names[rng_next(sizeof names / sizeof *names)];
            if (!commas && strchr(name, ' ') != NULL)
                name = "blank";
            text_add_str(&t, name);
        }
        if (commas && rng_next(10) == 0)
            text_add_str(&t, ",,"); /* empty names are skipped */
        if (rng_next(6) == 0)
            text_add_str(&t, random_blanks());
        if (line + 1 < lines || rng_next(2))
            text_add_str(&t, rng_next(8) ? "\n" : "\r\n");
    }
    return t;
}

static bool is_blank_byte(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The named-basket reference: the separator is a comma when the first
 * non-blank line has one, else runs of blanks; names are trimmed, empty ones
 * skipped, repeats in a basket kept once; a NUL is an error where it is. */
static void reference_named(const text *t, text *dump, uint64_t *baskets, uint64_t *line,
                            uint64_t *column)
{
    *baskets = 0;
    *line = 0;
    *column = 0;
    text_add(dump, "", 0);
    const char *end = t->bytes + t->length;
    const char *nul = memchr(t->bytes, '\0', t->length);
    if (nul != NULL) {
        const char *line_start = t->bytes;
        *line = 1;
        for (const char *p = t->bytes; p < nul; p++)
            if (*p == '\n') {
                (*line)++;
                line_start = p + 1;
            }
        *column = (uint64_t)(nul - line_start) + 1;
        return;
    }
    bool commas = false;
    for (const char *p = t->bytes; p < end;) {
        const char *line_end = memchr(p, '\n', (size_t)(end - p));
        if (line_end == NULL)
            line_end = end;
        bool blank = true;
        for (const char *q = p; q < line_end; q++)
            blank = blank && is_blank_byte(*q);
        if (!blank) {
            commas = memchr(p, ',', (size_t)(line_end - p)) != NULL;
            break;
        }
        p = line_end + 1;
    }
    for (const char *p = t->bytes; p < end;) {
        const char *line_end = memchr(p, '\n', (size_t)(end - p));
        if (line_end == NULL)
            line_end = end;
        text basket = {0};
        text_add(&basket, "", 0);
        size_t basket_size = 0;
        while (p < line_end) {
            const char *field_end = p;
            if (commas)
                while (field_end < line_end && *field_end != ',')
                    field_end++;
            else
                while (field_end < line_end && !is_blank_byte(*field_end))
                    field_end++;
            const char *a = p, *b = field_end;
            while (a < b && is_blank_byte(*a))
                a++;
            while (b > a && is_blank_byte(b[-1]))
                b--;
            if (b > a) {
                /* Repeats: look for " name " in " basket ". */
                text key = {0};
                text_add_str(&key, "\x01");
                text_add(&key, a, (size_t)(b - a));
                text_add_str(&key, "\x01");
                if (basket.length == 0 || strstr(basket.bytes, key.bytes) == NULL) {
                    text_add(&basket, key.bytes, key.length);
                    basket_size++;
                }
                free(key.bytes);
            }
            p = field_end + (field_end < line_end);
        }
        if (*baskets > 0)
            text_add_str(dump, "|");
        /* "\x01a\x01\x01b\x01" -> "a b" */
        bool first = true;
        for (char *q = basket.bytes; *q; q++) {
            char *close = strchr(q + 1, '\x01');
            if (!first)
                text_add_str(dump, " ");
            text_add(dump, q + 1, (size_t)(close - q - 1));
            first = false;
            q = close;
        }
        free(basket.bytes);
        (*baskets)++;
        p = line_end + (line_end < end);
    }
}

static void test_random_named(void **state)
{
    (void)state;
    for (int round = 0; round < 200; round += (int)test_round_stride()) {
        text t = random_named(1 + rng_next(round < 150 ? 6 : 300), round % 2 == 0);
        if (round % 10 == 9) { /* a NUL somewhere */
            size_t at = (size_t)rng_next(t.length + 1);
            text broken = {0};
            text_add(&broken, t.bytes, at);
            text_add(&broken, "\0", 1);
            text_add(&broken, t.bytes + at, t.length - at);
            free(t.bytes);
            t = broken;
        }
        check_format(&t, FIMBIT_INPUT_BASKET, reference_named);
        free(t.bytes);
    }
    text t = random_named(20000, true);
    assert_true(t.length > 200000);
    check_format(&t, FIMBIT_INPUT_BASKET, reference_named);
    free(t.bytes);
}

/* 80,000 distinct items, the 65,537th on line 32,768: a lone chunk hands
 * its first pieces over narrow, and the builder widens them in the middle of
 * a block (or, in small blocks, between two). 99999 comes first, when it is
 * large beside the items so far (the builder's map takes it), and again last,
 * when the flat table covers it. Every read gives the team's dataset. */
static void test_wide_mid_block(void **state)
{
    (void)state;
    text t = {0};
    char line[64];
    text_add_str(&t, "99999\n");
    for (unsigned k = 0; k < 40000; k++) {
        snprintf(line, sizeof line, "%u %u 7\n", 2 * k + 100, 2 * k + 101);
        text_add_str(&t, line);
    }
    text_add_str(&t, "7 99999\n");
    char path[256];
    test_write_temp_file(t.bytes, t.length, ".dat", path, sizeof path);
    size_t saved = reader_block_size, saved_flush = line_flush_items;
    fimbit_error error;
    fimbit_dataset *team = NULL;
    assert_int_equal(read_with(path, FIMBIT_INPUT_FIMI, 2, &team, &error), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_item_count(team), 80002);
    assert_string_equal(fimbit_dataset_item_name(team, 0), "99999");
    assert_int_equal(fimbit_dataset_item_support(team, 0), 2);
    assert_int_equal(item_array_width(&team->basket_items), sizeof(uint32_t));
    static const size_t windows[] = {READER_BLOCK_SIZE, 65536};
    static const size_t flushes[] = {LINE_FLUSH_ITEMS, 1000};
    for (size_t w = 0; w < sizeof windows / sizeof *windows; w++)
        for (size_t f = 0; f < sizeof flushes / sizeof *flushes; f++) {
            reader_block_size = windows[w];
            line_flush_items = flushes[f];
            fimbit_dataset *d = NULL;
            assert_int_equal(read_with(path, FIMBIT_INPUT_FIMI, 1, &d, &error), FIMBIT_OK);
            assert_same_dataset(team, d);
            fimbit_dataset_free(d);
        }
    reader_block_size = saved;
    line_flush_items = saved_flush;
    fimbit_dataset_free(team);
    free(t.bytes);
    unlink(path);
}

/* One thread reads in small blocks, a team in reader_block_size ones; a
 * smaller reader_block_size (the windows above) bounds both. */
static void test_line_block(void **state)
{
    (void)state;
    size_t saved = reader_block_size;
    reader_block_size = READER_BLOCK_SIZE;
    assert_int_equal(reader_line_block(1), READER_SOLO_BLOCK);
    assert_int_equal(reader_line_block(2), READER_BLOCK_SIZE);
    reader_block_size = 4096;
    assert_int_equal(reader_line_block(1), 4096);
    assert_int_equal(reader_line_block(3), 4096);
    reader_block_size = saved;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_block),
        cmocka_unit_test(test_wide_mid_block),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random_texts),
        cmocka_unit_test(test_random_text_in_chunks),
        cmocka_unit_test(test_random_errors),
        cmocka_unit_test(test_random_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
