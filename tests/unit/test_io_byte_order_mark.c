/*
 * A UTF-8 byte-order mark at the start of the text is no data: every input
 * path (a mapped file, a pipe, gzip, zstd; FIMI, named baskets, long CSV; the
 * group map and the recommender's rules) reads a text with one exactly as
 * without, and counts line 1's columns from after it. The same bytes
 * anywhere else are data; UTF-16 and UTF-32 text is refused by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fimbit.h"
#include "read/byte_order_mark.h"
#include "read/dataset.h"
#include "read/reader.h"
#include "test_compress.h"
#include "test_data.h"

#define MARK "\xEF\xBB\xBF"

/* How the text reaches the reader. */
typedef enum delivery { MAPPED, GZIP, ZSTD, PIPE, DELIVERIES } delivery;

static const char *const delivery_names[] = {"mapped", "gzip", "zstd", "pipe"};

/* Reads `text` delivered as `how`; `path` receives the name errors carry. A
 * pipe holds the whole text, so it must fit a pipe's buffer. */
static fimbit_status read_delivered(const char *text, size_t length, delivery how,
                                    const fimbit_read_options *options, fimbit_dataset **out,
                                    fimbit_error *error, char *path)
{
    if (how == PIPE) {
        assert_true(length <= 16384);
        int ends[2], saved = dup(STDIN_FILENO);
        assert_int_equal(pipe(ends), 0);
        assert_int_equal(write(ends[1], text, length), (ssize_t)length);
        close(ends[1]);
        dup2(ends[0], STDIN_FILENO);
        close(ends[0]);
        const char *paths[] = {"-"};
        fimbit_status status = fimbit_dataset_read(paths, 1, options, out, error);
        dup2(saved, STDIN_FILENO);
        close(saved);
        strcpy(path, "<stdin>");
        return status;
    }
    size_t size = length;
    unsigned char *packed = how == GZIP   ? test_gzip_bytes(text, length, &size)
                            : how == ZSTD ? test_zstd_bytes(text, length, &size)
                                          : NULL;
    test_write_temp_file(packed ? (const char *)packed : text, size, ".txt", path, 256);
    free(packed);
    const char *paths[] = {path};
    fimbit_status status = fimbit_dataset_read(paths, 1, options, out, error);
    unlink(path);
    return status;
}

static fimbit_dataset *read_ok(const char *text, size_t length, delivery how,
                               const fimbit_read_options *options)
{
    fimbit_dataset *d = NULL;
    fimbit_error error;
    char path[256];
    if (read_delivered(text, length, how, options, &d, &error, path) != FIMBIT_OK)
        fail_msg("%s: %s", delivery_names[how], error.message);
    return d;
}

/* Same names by id, same baskets. */
static void assert_same_dataset(const fimbit_dataset *a, const fimbit_dataset *b)
{
    assert_int_equal(a->item_count, b->item_count);
    for (uint32_t id = 0; id < a->item_count; id++)
        assert_string_equal(dataset_item_name(a, id), dataset_item_name(b, id));
    test_assert_same_baskets(a, b);
}

/* `text` with the mark before it reads as `text` does, every way it can
 * come, on one thread and two. */
static void expect_mark_ignored(const char *text, size_t length, const fimbit_read_options *options)
{
    char *marked = malloc(length + 3);
    memcpy(marked, MARK, 3);
    memcpy(marked + 3, text, length);
    fimbit_read_options o = *options;
    for (o.threads = 1; o.threads <= 2; o.threads++) {
        for (delivery how = 0; how < DELIVERIES; how++) {
            if (how == PIPE && length + 3 > 16384)
                continue;
            fimbit_dataset *plain = read_ok(text, length, how, &o);
            fimbit_dataset *with_mark = read_ok(marked, length + 3, how, &o);
            assert_same_dataset(plain, with_mark);
            fimbit_dataset_free(plain);
            fimbit_dataset_free(with_mark);
        }
    }
    free(marked);
}

static void test_find(void **state)
{
    (void)state;
    assert_int_equal(byte_order_mark_find(MARK "1 2", 6), BYTE_ORDER_MARK_UTF8);
    assert_int_equal(byte_order_mark_find(MARK, 3), BYTE_ORDER_MARK_UTF8);
    assert_int_equal(byte_order_mark_find("\xEF\xBB", 2), BYTE_ORDER_MARK_NONE);
    assert_int_equal(byte_order_mark_find("\xEF\xBB\x41", 3), BYTE_ORDER_MARK_NONE);
    assert_int_equal(byte_order_mark_find("", 0), BYTE_ORDER_MARK_NONE);
    assert_int_equal(byte_order_mark_find("1 2\n", 4), BYTE_ORDER_MARK_NONE);
    assert_int_equal(byte_order_mark_find("\xFF\xFE\x31\0", 4), BYTE_ORDER_MARK_UTF16);
    assert_int_equal(byte_order_mark_find("\xFE\xFF\0\x31", 4), BYTE_ORDER_MARK_UTF16);
    assert_int_equal(byte_order_mark_find("\xFF\xFE", 2), BYTE_ORDER_MARK_UTF16);
    assert_int_equal(byte_order_mark_find("\xFF\xFE\0\0", 4), BYTE_ORDER_MARK_UTF32);
    assert_int_equal(byte_order_mark_find("\0\0\xFE\xFF", 4), BYTE_ORDER_MARK_UTF32);
    assert_int_equal(byte_order_mark_length(BYTE_ORDER_MARK_UTF8), 3);
    assert_int_equal(byte_order_mark_length(BYTE_ORDER_MARK_UTF16), 0);
    assert_null(byte_order_mark_refusal(BYTE_ORDER_MARK_UTF8));
    assert_string_equal(byte_order_mark_refusal(BYTE_ORDER_MARK_UTF16),
                        "UTF-16 text; convert it to UTF-8");
}

static void test_formats(void **state)
{
    (void)state;
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    /* AUTO still sees FIMI: the mark does not make "1" a name. */
    const char *fimi = "1 2 3\n2 3\n\n3 4\n";
    expect_mark_ignored(fimi, strlen(fimi), &o);

    const char *named = "milk,bread\nbread\nmilk,eggs\n";
    expect_mark_ignored(named, strlen(named), &o);
    o.format = FIMBIT_INPUT_BASKET;
    expect_mark_ignored(named, strlen(named), &o);

    /* The first column is found by its name. */
    o.format = FIMBIT_INPUT_CSV;
    o.basket_column = "order";
    o.item_column = "item";
    const char *csv = "order,item\n1,milk\n2,bread\n1,eggs\n";
    expect_mark_ignored(csv, strlen(csv), &o);
}

/* Many blocks and windows: the mark is dropped once, before the first. */
static void test_many_blocks(void **state)
{
    (void)state;
    size_t capacity = 30000 * 24, length = 0;
    char *text = malloc(capacity);
    for (size_t i = 0; i < 30000; i++)
        length += (size_t)snprintf(text + length, capacity - length, "%zu %zu %zu\n", i % 997,
                                   (i * 7) % 5003, (i * 13) % 70001);
    size_t saved_block = reader_block_size, saved_flush = line_flush_items;
    reader_block_size = 4096;
    line_flush_items = 64;
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    expect_mark_ignored(text, length, &o);
    o.format = FIMBIT_INPUT_FIMI;
    expect_mark_ignored(text, length, &o);
    reader_block_size = saved_block;
    line_flush_items = saved_flush;
    free(text);
}

static void expect_dump(const char *text, size_t length, const fimbit_read_options *options,
                        const char *expected)
{
    for (delivery how = 0; how < DELIVERIES; how++) {
        fimbit_dataset *d = read_ok(text, length, how, options);
        char got[256];
        test_dump_dataset(d, got, sizeof got);
        assert_string_equal(got, expected);
        fimbit_dataset_free(d);
    }
}

static void test_only_at_the_start(void **state)
{
    (void)state;
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    o.format = FIMBIT_INPUT_BASKET;
    o.separator = ',';
    /* Inside a line, leading a later line, after a first mark. */
    const char *inner = "a," MARK "b\n" MARK "c\n";
    expect_dump(inner, strlen(inner), &o, "a " MARK "b|" MARK "c");
    const char *twice = MARK MARK "a\n";
    expect_dump(twice, strlen(twice), &o, MARK "a");
    /* Part of a mark is data; a mark alone is an empty file. */
    expect_dump("\xEF\xBB", 2, &o, "\xEF\xBB");
    expect_dump("\xEF\xBB\n", 3, &o, "\xEF\xBB");
    for (delivery how = 0; how < DELIVERIES; how++) {
        fimbit_dataset *d = read_ok(MARK, 3, how, &o);
        assert_int_equal(d->basket_count, 0);
        assert_int_equal(d->item_count, 0);
        fimbit_dataset_free(d);
    }
}

static void expect_error(const char *text, delivery how, const fimbit_read_options *options,
                         const char *message_after_path)
{
    fimbit_dataset *d = (fimbit_dataset *)1;
    fimbit_error error;
    char path[256], expected[512];
    assert_int_equal(read_delivered(text, strlen(text), how, options, &d, &error, path),
                     FIMBIT_EPARSE);
    assert_null(d);
    snprintf(expected, sizeof expected, "%s%s", path, message_after_path);
    assert_memory_equal(error.message, expected, strlen(expected));
}

static void test_error_columns(void **state)
{
    (void)state;
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    o.format = FIMBIT_INPUT_FIMI;
    for (delivery how = 0; how < DELIVERIES; how++)
        expect_error(MARK "1 2 x\n", how, &o, ":1:5: expected an item id, found 'x'");
    fimbit_read_options_init(&o);
    o.format = FIMBIT_INPUT_CSV;
    o.header = 1;
    for (delivery how = 0; how < DELIVERIES; how++)
        expect_error(MARK "basket,\"item\"x\n1,a\n", how, &o, ":1:14: ");
}

static void test_utf16_and_utf32_refused(void **state)
{
    (void)state;
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    static const struct {
        const char *text;
        size_t length;
        const char *message;
    } cases[] = {
        {"\xFF\xFE\x31\0\n\0", 6, ": UTF-16 text; convert it to UTF-8"},
        {"\xFE\xFF\0\x31\0\n", 6, ": UTF-16 text; convert it to UTF-8"},
        {"\xFF\xFE\0\0\x31\0\0\0", 8, ": UTF-32 text; convert it to UTF-8"},
        {"\0\0\xFE\xFF\0\0\0\x31", 8, ": UTF-32 text; convert it to UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (delivery how = 0; how < DELIVERIES; how++) {
            fimbit_dataset *d = NULL;
            fimbit_error error;
            char path[256], expected[512];
            assert_int_equal(
                read_delivered(cases[i].text, cases[i].length, how, &o, &d, &error, path),
                FIMBIT_EPARSE);
            snprintf(expected, sizeof expected, "%s%s", path, cases[i].message);
            assert_string_equal(error.message, expected);
        }
    }
}

/* The group map reads through the same input. Its header row is skipped and
 * its first column taken by index, so a mark there never showed; UTF-16 did
 * (as garbage). */
static void test_group_map(void **state)
{
    (void)state;
    const char *text = MARK "customer,segment\nann,gold\nbob,silver\n";
    char path[256];
    test_write_temp_file(text, strlen(text), ".csv", path, sizeof path);
    fimbit_group_map *map = NULL;
    fimbit_error error;
    if (fimbit_group_map_read(path, "segment", &map, &error) != FIMBIT_OK)
        fail_msg("%s", error.message);
    assert_int_equal(fimbit_group_map_size(map), 2);
    assert_string_equal(fimbit_group_map_find(map, "ann"), "gold");
    fimbit_group_map_free(map);
    unlink(path);

    test_write_temp_file("\xFF\xFEk\0,\0g\0\n\0", 10, ".csv", path, sizeof path);
    assert_int_equal(fimbit_group_map_read(path, NULL, &map, &error), FIMBIT_EPARSE);
    assert_null(map);
    char expected[512];
    snprintf(expected, sizeof expected, "%s: UTF-16 text; convert it to UTF-8", path);
    assert_string_equal(error.message, expected);
    unlink(path);
}

static void test_recommender_rules(void **state)
{
    (void)state;
    const char *rule = "{\"antecedent\":[\"a\"],\"consequent\":[\"b\"],\"confidence\":0.5,"
                       "\"lift\":2}\n";
    char text[256], path[256];
    snprintf(text, sizeof text, MARK "%s%s", rule, rule);
    test_write_temp_file(text, strlen(text), ".jsonl", path, sizeof path);
    fimbit_recommender *recommender = NULL;
    fimbit_error error;
    assert_int_equal(fimbit_recommender_create(&recommender, NULL), FIMBIT_OK);
    if (fimbit_recommender_read_rules(recommender, path, &error) != FIMBIT_OK)
        fail_msg("%s", error.message);
    assert_int_equal(fimbit_recommender_rule_count(recommender), 2);
    unlink(path);

    /* Line 1's columns count from after the mark; a mark alone is no rule. */
    test_write_temp_file(MARK " x\n", 6, ".jsonl", path, sizeof path);
    assert_int_equal(fimbit_recommender_read_rules(recommender, path, &error), FIMBIT_EPARSE);
    assert_int_equal(error.line, 1);
    assert_int_equal(error.column, 2);
    unlink(path);
    test_write_temp_file(MARK, 3, ".jsonl", path, sizeof path);
    assert_int_equal(fimbit_recommender_read_rules(recommender, path, &error), FIMBIT_OK);
    unlink(path);
    /* Only at the start: the mark on line 2 is an error. */
    snprintf(text, sizeof text, "%s" MARK "%s", rule, rule);
    test_write_temp_file(text, strlen(text), ".jsonl", path, sizeof path);
    assert_int_equal(fimbit_recommender_read_rules(recommender, path, &error), FIMBIT_EPARSE);
    assert_int_equal(error.line, 2);
    unlink(path);
    test_write_temp_file("\xFF\xFE{\0", 4, ".jsonl", path, sizeof path);
    assert_int_equal(fimbit_recommender_read_rules(recommender, path, &error), FIMBIT_EPARSE);
    char expected[512];
    snprintf(expected, sizeof expected, "%s: UTF-16 text; convert it to UTF-8", path);
    assert_string_equal(error.message, expected);
    unlink(path);
    assert_int_equal(fimbit_recommender_rule_count(recommender), 3);
    fimbit_recommender_free(recommender);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),          cmocka_unit_test(test_formats),
        cmocka_unit_test(test_many_blocks),   cmocka_unit_test(test_only_at_the_start),
        cmocka_unit_test(test_error_columns), cmocka_unit_test(test_utf16_and_utf32_refused),
        cmocka_unit_test(test_group_map),     cmocka_unit_test(test_recommender_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
