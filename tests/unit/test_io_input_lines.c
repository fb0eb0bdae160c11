/* The line reader over input sources (read/input_lines.h): every source
 * gives the same lines, with their line ends, numbered from 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "read/input_lines.h"
#include "test_compress.h"
#include "test_data.h"

/* Every line of `path` back to back, each followed by '|' so that line ends
 * show; asserts the lines' numbers count up from 1. */
static fimbit_status read_lines(const char *path, char *out, size_t size, fimbit_error *error)
{
    input_lines lines;
    fimbit_status status = input_lines_open(&lines, path, error);
    size_t used = 0;
    uint64_t count = 0;
    out[0] = '\0';
    while (status == FIMBIT_OK) {
        const char *text;
        size_t length;
        status = input_lines_next(&lines, &text, &length, error);
        if (status != FIMBIT_OK || length == 0)
            break;
        assert_int_equal(lines.line, ++count);
        assert_true(used + length + 2 <= size);
        memcpy(out + used, text, length);
        used += length;
        out[used++] = '|';
        out[used] = '\0';
    }
    input_lines_close(&lines);
    return status;
}

enum { PLAIN, GZIP, ZSTD, PIPE };
static const char *const source_names[] = {"plain", "gzip", "zstd", "pipe"};

/* Reads `text` as a mapped file, gzip, zstd, and a pipe on standard input,
 * expecting `expected` from each. */
static void expect_lines(const char *text, size_t length, const char *expected)
{
    size_t size = strlen(expected) + 2;
    char *got = malloc(size);
    assert_non_null(got);
    for (int source = PLAIN; source <= PIPE; source++) {
        char path[256];
        fimbit_error error;
        fimbit_status status;
        if (source == PIPE) {
            /* A child writes the text: a pipe may hold less than all of it. */
            int ends[2], saved = dup(STDIN_FILENO);
            assert_int_equal(pipe(ends), 0);
            pid_t child = fork();
            assert_true(child >= 0);
            if (child == 0) {
                close(ends[0]);
                _exit(write(ends[1], text, length) == (ssize_t)length ? 0 : 1);
            }
            close(ends[1]);
            dup2(ends[0], STDIN_FILENO);
            close(ends[0]);
            status = read_lines("-", got, size, &error);
            dup2(saved, STDIN_FILENO);
            close(saved);
        } else {
            size_t bytes_length = length;
            unsigned char *bytes = source == GZIP   ? test_gzip_bytes(text, length, &bytes_length)
                                   : source == ZSTD ? test_zstd_bytes(text, length, &bytes_length)
                                                    : NULL;
            test_write_temp_file(bytes ? (const char *)bytes : text, bytes_length, ".txt", path,
                                 sizeof path);
            free(bytes);
            status = read_lines(path, got, size, &error);
            unlink(path);
        }
        if (status != FIMBIT_OK)
            fail_msg("%s: %s", source_names[source], error.message);
        if (strcmp(got, expected) != 0)
            fail_msg("%s: lines differ", source_names[source]);
    }
    free(got);
}

static void test_line_ends(void **state)
{
    (void)state;
    static const char text[] = "a b\r\n\n  c\nlast";
    expect_lines(text, sizeof text - 1, "a b\r\n|\n|  c\n|last|");
    expect_lines("one\n", 4, "one\n|");
    expect_lines("", 0, "");
}

static void test_byte_order_mark(void **state)
{
    (void)state;
    /* The mark is no data at the start only. */
    static const char marked[] = "\xEF\xBB\xBF{}\n\xEF\xBB\xBF\n";
    expect_lines(marked, sizeof marked - 1, "{}\n|\xEF\xBB\xBF\n|");
    expect_lines("\xEF\xBB\xBF", 3, "");
    char path[256];
    fimbit_error error;
    char got[64];
    test_write_temp_file("\xFF\xFEx\0", 4, ".txt", path, sizeof path);
    assert_int_equal(read_lines(path, got, sizeof got, &error), FIMBIT_EPARSE);
    assert_non_null(strstr(error.message, "UTF-16 text"));
    unlink(path);
}

/* Lines longer than the reader's buffer, lines across its refills, and a
 * mapped file of several windows. */
static void test_long_lines(void **state)
{
    (void)state;
    size_t length = 0, capacity = (size_t)3 << 20;
    char *text = malloc(capacity);
    assert_non_null(text);
    for (size_t line = 0; length + 300000 < capacity; line++) {
        size_t width = line % 7 == 3 ? 200000 : line * 37 % 1000;
        memset(text + length, 'a' + (char)(line % 26), width);
        length += width;
        text[length++] = '\n';
    }
    text[length] = '\0';
    /* Every line of the text is one line read, line ends between them. */
    char *expected = malloc(2 * length + 1);
    assert_non_null(expected);
    size_t at = 0;
    for (size_t i = 0; i < length; i++) {
        expected[at++] = text[i];
        if (text[i] == '\n')
            expected[at++] = '|';
    }
    expected[at] = '\0';
    expect_lines(text, length, expected);
    free(expected);
    free(text);
}

static void test_errors(void **state)
{
    (void)state;
    char got[4096];
    fimbit_error error;
    assert_int_equal(read_lines("/nonexistent/lines.txt", got, sizeof got, &error), FIMBIT_EIO);
    assert_non_null(strstr(error.message, "/nonexistent/lines.txt: cannot open"));
    assert_int_equal(read_lines("/", got, sizeof got, &error), FIMBIT_EIO);

    /* Cut short: the lines before the cut, then the error; never a part of
     * a line. */
    char text[2000];
    size_t length = 0;
    for (int i = 0; i < 200; i++)
        length += (size_t)snprintf(text + length, sizeof text - length, "l%03d\n", i);
    for (int codec = 0; codec < 2; codec++) {
        size_t compressed;
        unsigned char *bytes = codec ? test_zstd_bytes(text, length, &compressed)
                                     : test_gzip_bytes(text, length, &compressed);
        char path[256];
        test_write_temp_file((const char *)bytes, compressed - 8, ".gz", path, sizeof path);
        free(bytes);
        assert_int_equal(read_lines(path, got, sizeof got, &error), FIMBIT_EPARSE);
        assert_non_null(strstr(error.message, codec ? "zstd" : "gzip"));
        size_t given = strlen(got);
        assert_true(given == 0 || got[given - 1] == '|');
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_byte_order_mark),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
