/* Compressed input: gzip and zstd by magic bytes, streamed in blocks. */
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
#include "test_compress.h"
#include "test_data.h"

static fimbit_status read_bytes(const void *bytes, size_t length, const char *suffix,
                                const fimbit_read_options *options, fimbit_dataset **out,
                                fimbit_error *error, char *path)
{
    test_write_temp_file(bytes, length, suffix, path, 256);
    const char *paths[] = {path};
    fimbit_status status = fimbit_dataset_read(paths, 1, options, out, error);
    unlink(path);
    return status;
}

static void expect_compressed(const char *text, const fimbit_read_options *options,
                              const char *expected)
{
    for (int codec = 0; codec < 2; codec++) {
        size_t length;
        unsigned char *bytes = codec ? test_zstd_bytes(text, strlen(text), &length)
                                     : test_gzip_bytes(text, strlen(text), &length);
        fimbit_dataset *d = NULL;
        fimbit_error error;
        char path[256], got[4096];
        if (read_bytes(bytes, length, codec ? ".zst" : ".gz", options, &d, &error, path) !=
            FIMBIT_OK)
            fail_msg("unexpected error: %s", error.message);
        test_dump_dataset(d, got, sizeof got);
        assert_string_equal(got, expected);
        fimbit_dataset_free(d);
        free(bytes);
    }
}

static void test_formats(void **state)
{
    (void)state;
    expect_compressed("1 2 3\n4 5\n\n6", NULL, "1 2 3|4 5||6");
    expect_compressed("milk,bread\r\nbeer\r\n", NULL, "milk bread|beer");
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    o.format = FIMBIT_INPUT_CSV;
    expect_compressed("order,item\n1,milk\n2,\"a\nb\"\n1,eggs\n", &o, "milk eggs|a\nb");
    expect_compressed("", NULL, "");
}

static void test_multiple_members_and_frames(void **state)
{
    (void)state;
    size_t first_length, second_length;
    unsigned char *first = test_gzip_bytes("1 2\n", 4, &first_length);
    unsigned char *second = test_gzip_bytes("3\n", 2, &second_length);
    unsigned char *both = malloc(first_length + second_length);
    memcpy(both, first, first_length);
    memcpy(both + first_length, second, second_length);
    fimbit_dataset *d = NULL;
    char path[256], got[256];
    assert_int_equal(read_bytes(both, first_length + second_length, ".gz", NULL, &d, NULL, path),
                     FIMBIT_OK);
    test_dump_dataset(d, got, sizeof got);
    assert_string_equal(got, "1 2|3");
    fimbit_dataset_free(d);
    free(first);
    free(second);
    free(both);

    first = test_zstd_bytes("1 2\n", 4, &first_length);
    second = test_zstd_bytes("3\n", 2, &second_length);
    both = malloc(first_length + second_length);
    memcpy(both, first, first_length);
    memcpy(both + first_length, second, second_length);
    assert_int_equal(read_bytes(both, first_length + second_length, ".zst", NULL, &d, NULL, path),
                     FIMBIT_OK);
    test_dump_dataset(d, got, sizeof got);
    assert_string_equal(got, "1 2|3");
    fimbit_dataset_free(d);
    free(first);
    free(second);
    free(both);
}

static char *generate_text(size_t lines, size_t *length)
{
    size_t capacity = lines * 48 + 16, used = 0;
    char *text = malloc(capacity);
    for (size_t i = 0; i < lines; i++)
        used += (size_t)snprintf(text + used, capacity - used, "%zu %zu %zu\n", i % 1000,
                                 (i * 7) % 5003, (i * 13) % 70001);
    *length = used;
    return text;
}

static void expect_broken(const unsigned char *bytes, size_t length, const char *suffix,
                          const char *message_after_path)
{
    fimbit_dataset *d = (fimbit_dataset *)1;
    fimbit_error error;
    char path[256], expected[512];
    assert_int_equal(read_bytes(bytes, length, suffix, NULL, &d, &error, path), FIMBIT_EPARSE);
    assert_null(d);
    snprintf(expected, sizeof expected, "%s: %s", path, message_after_path);
    assert_memory_equal(error.message, expected, strlen(expected));
    assert_string_equal(error.file, path);
}

static void test_truncated_and_corrupt(void **state)
{
    (void)state;
    size_t length, gz_length, zst_length;
    char *text = generate_text(20000, &length);
    unsigned char *gz = test_gzip_bytes(text, length, &gz_length);
    unsigned char *zst = test_zstd_bytes(text, length, &zst_length);

    expect_broken(gz, gz_length / 2, ".gz", "truncated gzip data (unexpected end of file)");
    expect_broken(gz, gz_length - 4, ".gz", "truncated gzip data (unexpected end of file)");
    expect_broken(zst, zst_length / 2, ".zst", "truncated zstd data (unexpected end of file)");
    expect_broken(zst, zst_length - 1, ".zst", "truncated zstd data (unexpected end of file)");

    for (size_t i = gz_length / 3; i < gz_length / 3 + 64; i++)
        gz[i] ^= 0x5a;
    expect_broken(gz, gz_length, ".gz", "corrupt gzip data (");
    for (size_t i = zst_length / 3; i < zst_length / 3 + 64; i++)
        zst[i] ^= 0x5a;
    expect_broken(zst, zst_length, ".zst", "corrupt zstd data (");
    free(gz);
    free(zst);
    free(text);
}

/* With tiny blocks the stream is parsed in many pieces; the dataset and the
 * lines of errors must not notice. */
static void test_small_blocks(void **state)
{
    (void)state;
    size_t length, gz_length;
    char *text = generate_text(30000, &length);
    char plain_path[256], path[256];
    test_write_temp_file(text, length, ".dat", plain_path, sizeof plain_path);
    const char *plain_paths[] = {plain_path};
    fimbit_dataset *plain = NULL, *d = NULL;
    assert_int_equal(fimbit_dataset_read(plain_paths, 1, NULL, &plain, NULL), FIMBIT_OK);
    unlink(plain_path);

    size_t saved = reader_block_size;
    reader_block_size = 4096;
    unsigned char *gz = test_gzip_bytes(text, length, &gz_length);
    for (int threads = 1; threads <= 2; threads++) {
        fimbit_read_options o;
        fimbit_read_options_init(&o);
        o.threads = threads;
        assert_int_equal(read_bytes(gz, gz_length, ".gz", &o, &d, NULL, path), FIMBIT_OK);
        assert_int_equal(d->basket_count, plain->basket_count);
        assert_int_equal(d->item_count, plain->item_count);
        test_assert_same_baskets(d, plain);
        fimbit_dataset_free(d);
    }
    free(gz);

    /* An error on line 25001, far past the first block. */
    char *line = text;
    for (int i = 0; i < 25000; i++)
        line = strchr(line, '\n') + 1;
    char *space = strchr(line, ' ');
    space[1] = '#';
    gz = test_gzip_bytes(text, length, &gz_length);
    fimbit_error error;
    assert_int_equal(read_bytes(gz, gz_length, ".gz", NULL, &d, &error, path), FIMBIT_EPARSE);
    char expected[512];
    snprintf(expected, sizeof expected, "%s:25001:%d: expected an item id, found '#", path,
             (int)(space - line) + 2);
    assert_memory_equal(error.message, expected, strlen(expected));
    free(gz);

    /* A line longer than a block. */
    size_t long_length = 20000;
    char *long_line = malloc(long_length * 2 + 8);
    size_t used = 0;
    for (size_t i = 0; i < long_length / 5; i++)
        used += (size_t)sprintf(long_line + used, "%zu ", i);
    used += (size_t)sprintf(long_line + used, "\n1\n");
    gz = test_gzip_bytes(long_line, used, &gz_length);
    assert_int_equal(read_bytes(gz, gz_length, ".gz", NULL, &d, NULL, path), FIMBIT_OK);
    assert_int_equal(d->basket_count, 2);
    assert_int_equal(d->basket_offsets[1], long_length / 5);
    fimbit_dataset_free(d);
    free(gz);
    free(long_line);

    reader_block_size = saved;
    fimbit_dataset_free(plain);
    free(text);
}

/* Long CSV streamed in tiny blocks: records (quoted newlines included) cut
 * anywhere by the block ends give the same dataset as the mapped file. */
static void test_csv_small_blocks(void **state)
{
    (void)state;
    size_t capacity = 1 << 20, used = 0;
    char *text = malloc(capacity);
    used += (size_t)snprintf(text + used, capacity - used, "order,product\r\n");
    for (int i = 0; i < 5000; i++) {
        int order = (i * 37) % 911;
        if (i % 5 == 0)
            used += (size_t)snprintf(text + used, capacity - used, "%d,\"multi\nline \"\"%d\"\"\"\r\n",
                                     order, i % 17);
        else if (i % 7 == 0)
            used += (size_t)snprintf(text + used, capacity - used, "\"x%d\",p%d\n\n", order,
                                     i % 101);
        else
            used += (size_t)snprintf(text + used, capacity - used, "%d, p%d \n", order, i % 101);
    }
    fimbit_read_options o;
    fimbit_read_options_init(&o);
    o.format = FIMBIT_INPUT_CSV;
    char plain_path[256], path[256];
    test_write_temp_file(text, used, ".csv", plain_path, sizeof plain_path);
    const char *plain_paths[] = {plain_path};
    fimbit_dataset *plain = NULL, *d = NULL;
    fimbit_error error;
    if (fimbit_dataset_read(plain_paths, 1, &o, &plain, &error) != FIMBIT_OK)
        fail_msg("%s", error.message);
    unlink(plain_path);
    assert_true(plain->basket_count > 900);

    size_t saved = reader_block_size;
    size_t gz_length;
    unsigned char *gz = test_gzip_bytes(text, used, &gz_length);
    size_t block_sizes[] = {16, 100, 4096};
    for (size_t k = 0; k < sizeof block_sizes / sizeof *block_sizes; k++) {
        reader_block_size = block_sizes[k];
        if (read_bytes(gz, gz_length, ".gz", &o, &d, &error, path) != FIMBIT_OK)
            fail_msg("%s", error.message);
        assert_int_equal(d->basket_count, plain->basket_count);
        assert_int_equal(d->item_count, plain->item_count);
        test_assert_same_baskets(d, plain);
        for (uint32_t i = 0; i < d->item_count; i++)
            assert_string_equal(fimbit_dataset_item_name(d, i),
                                fimbit_dataset_item_name(plain, i));
        fimbit_dataset_free(d);
    }
    free(gz);

    /* Errors keep their lines across blocks: a short row, then a quote left
     * open at the end. */
    const char *bad = "b,i\n1,a\n2,\"x\ny\"\n3,c\n4\n";
    gz = test_gzip_bytes(bad, strlen(bad), &gz_length);
    reader_block_size = 16;
    assert_int_equal(read_bytes(gz, gz_length, ".gz", &o, &d, &error, path), FIMBIT_EPARSE);
    char expected[512];
    snprintf(expected, sizeof expected, "%s:6:2: missing item column 2: the row has 1 field", path);
    assert_string_equal(error.message, expected);
    free(gz);
    const char *open_quote = "b,i\n1,a\n2,b\n3,\"c\nd\n";
    gz = test_gzip_bytes(open_quote, strlen(open_quote), &gz_length);
    assert_int_equal(read_bytes(gz, gz_length, ".gz", &o, &d, &error, path), FIMBIT_EPARSE);
    snprintf(expected, sizeof expected, "%s:4:3: unterminated quoted field", path);
    assert_string_equal(error.message, expected);
    free(gz);

    /* The header is guessed from two whole rows, however small the blocks. */
    const char *guess = "order_id_long_name,item\n1,a\n";
    gz = test_gzip_bytes(guess, strlen(guess), &gz_length);
    assert_int_equal(read_bytes(gz, gz_length, ".gz", &o, &d, &error, path), FIMBIT_OK);
    assert_int_equal(d->basket_count, 1);
    assert_int_equal(d->item_count, 1);
    fimbit_dataset_free(d);
    free(gz);

    reader_block_size = saved;
    fimbit_dataset_free(plain);
    free(text);
}

/* AUTO decides on the first 100 non-blank lines whether the input streams
 * in small blocks or is mapped whole. */
static void test_auto_detection_in_blocks(void **state)
{
    (void)state;
    char text[4096];
    size_t used = 0;
    for (int i = 0; i < 60; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%d %d\n", i, i + 1);
    used += (size_t)snprintf(text + used, sizeof text - used, "milk 3\n");
    size_t saved = reader_block_size;
    reader_block_size = 16;
    size_t gz_length;
    unsigned char *gz = test_gzip_bytes(text, used, &gz_length);
    fimbit_dataset *d = NULL;
    fimbit_error error;
    char path[256];
    if (read_bytes(gz, gz_length, ".gz", NULL, &d, &error, path) != FIMBIT_OK)
        fail_msg("%s", error.message);
    assert_int_equal(d->basket_count, 61);
    uint32_t milk;
    assert_int_equal(fimbit_dataset_find_item(d, "milk", &milk), FIMBIT_OK);
    fimbit_dataset_free(d);
    free(gz);
    reader_block_size = saved;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_multiple_members_and_frames),
        cmocka_unit_test(test_truncated_and_corrupt),
        cmocka_unit_test(test_small_blocks),
        cmocka_unit_test(test_csv_small_blocks),
        cmocka_unit_test(test_auto_detection_in_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
