/* The dataset: building from memory, accessors, stats, natural order, and
 * clean failure when any allocation fails (building or reading). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

#include "read/dataset.h"
#include "fimbit.h"
#include "base/internal.h"
#include "test_data.h"

static void test_from_baskets(void **state)
{
    (void)state;
    const char *names[] = {"milk", "bread", "milk", "beer", "bread", "eggs", "milk"};
    const uint64_t offsets[] = {0, 3, 3, 5, 7};
    fimbit_dataset *d = NULL;
    fimbit_error error;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 4, &d, &error), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_basket_count(d), 4);
    assert_int_equal(fimbit_dataset_item_count(d), 4);
    assert_string_equal(fimbit_dataset_item_name(d, 0), "milk");
    assert_string_equal(fimbit_dataset_item_name(d, 1), "bread");
    assert_string_equal(fimbit_dataset_item_name(d, 2), "beer");
    assert_string_equal(fimbit_dataset_item_name(d, 3), "eggs");
    assert_null(fimbit_dataset_item_name(d, 4));
    /* "milk" twice in basket 0 counts once. */
    assert_int_equal(fimbit_dataset_item_support(d, 0), 2);
    assert_int_equal(fimbit_dataset_item_support(d, 1), 2);
    assert_int_equal(fimbit_dataset_item_support(d, 2), 1);
    assert_int_equal(fimbit_dataset_item_support(d, 9), 0);
    assert_int_equal(d->basket_offsets[1], 2);

    uint32_t item;
    assert_int_equal(fimbit_dataset_find_item(d, "eggs", &item), FIMBIT_OK);
    assert_int_equal(item, 3);
    assert_int_equal(fimbit_dataset_find_item(d, "egg", &item), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_find_item(d, "", &item), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_find_item(d, NULL, &item), FIMBIT_EINVAL);

    fimbit_dataset_stats stats;
    fimbit_dataset_get_stats(d, &stats);
    assert_int_equal(stats.baskets, 4);
    assert_int_equal(stats.empty_baskets, 1);
    assert_int_equal(stats.items, 4);
    assert_int_equal(stats.total_items, 6);
    assert_int_equal(stats.max_basket_size, 2);
    assert_true(stats.avg_basket_size == 1.5);
    assert_true(stats.density == 1.5 / 4);

    uint64_t histogram[3];
    assert_int_equal(fimbit_dataset_length_histogram(d, histogram, 3), FIMBIT_OK);
    assert_int_equal(histogram[0], 1);
    assert_int_equal(histogram[1], 0);
    assert_int_equal(histogram[2], 3);
    assert_int_equal(fimbit_dataset_length_histogram(d, histogram, 2), FIMBIT_OK);
    assert_int_equal(histogram[0], 1);
    assert_int_equal(histogram[1], 3);
    assert_int_equal(fimbit_dataset_length_histogram(d, histogram, 1), FIMBIT_OK);
    assert_int_equal(histogram[0], 4);
    assert_int_equal(fimbit_dataset_length_histogram(d, histogram, 0), FIMBIT_EINVAL);

    /* Bytewise natural order: beer < bread < eggs < milk. */
    assert_false(d->numeric_names);
    assert_int_equal(d->natural_rank[0], 3);
    assert_int_equal(d->natural_rank[1], 1);
    assert_int_equal(d->natural_rank[2], 0);
    assert_int_equal(d->natural_rank[3], 2);
    fimbit_dataset_free(d);
    fimbit_dataset_free(NULL);
}

static void test_many_items(void **state)
{
    (void)state;
    /* Enough names to grow every table several times. */
    enum { count = 100000 };
    char (*text)[16] = malloc(sizeof(char[16]) * count);
    const char **names = malloc(sizeof *names * count);
    for (int i = 0; i < count; i++) {
        snprintf(text[i], sizeof text[i], "%d", (i * 7919) % count);
        names[i] = text[i];
    }
    uint64_t offsets[] = {0, count / 2, count};
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 2, &d, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_item_count(d), count);
    assert_true(d->numeric_names);
    for (int i = 0; i < count; i += 997) {
        uint32_t item;
        assert_int_equal(fimbit_dataset_find_item(d, names[i], &item), FIMBIT_OK);
        assert_int_equal(item, i);
        /* numeric order: the name's value is its rank */
        assert_int_equal(d->natural_rank[item], atoi(names[i]));
    }
    fimbit_dataset_free(d);
    free(names);
    free(text);
}

/* Every basket lists its items by support descending, then id: checked on
 * baskets longer than the bitmap of all ranks (set and read back as bits) and
 * on baskets shorter than it (placed by counting from 5 to 16 items, sorted
 * otherwise). */
static void check_basket_order(uint32_t items, uint32_t basket_size, uint32_t baskets)
{
    char (*text)[16] = malloc(sizeof(char[16]) * items);
    const char **names = malloc(sizeof *names * (size_t)basket_size * baskets);
    uint64_t *offsets = malloc(sizeof *offsets * (baskets + 1));
    for (uint32_t i = 0; i < items; i++)
        snprintf(text[i], sizeof text[i], "i%u", i);
    /* Basket b holds a shuffled run of distinct items; supports differ. */
    uint32_t fill = 0;
    for (uint32_t b = 0; b < baskets; b++) {
        offsets[b] = fill;
        for (uint32_t k = 0; k < basket_size; k++)
            names[fill++] = text[(b * 3u + k * 7u * (b % 5u + 1u)) % items];
    }
    offsets[baskets] = fill;
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, baskets, &d, NULL), FIMBIT_OK);
    for (uint64_t b = 0; b < d->basket_count; b++)
        for (uint64_t k = d->basket_offsets[b] + 1; k < d->basket_offsets[b + 1]; k++) {
            uint32_t before = dataset_item(d, k - 1), item = dataset_item(d, k);
            assert_true(d->item_support[before] > d->item_support[item] ||
                        (d->item_support[before] == d->item_support[item] && before < item));
        }
    fimbit_dataset_free(d);
    free(offsets);
    free(names);
    free(text);
}

static void test_basket_order(void **state)
{
    (void)state;
    check_basket_order(119, 23, 500);  /* 2 bitmap words, baskets of 23 */
    check_basket_order(3000, 23, 500); /* 47 words: sorted */
    /* Sorted below 5 items, placed by counting in 8 or 16 lanes up to 16. */
    for (uint32_t size = 2; size <= 17; size++)
        check_basket_order(3000, size, 200);
    check_basket_order(70, 1, 50); /* single items */
}

static void test_empty_and_invalid(void **state)
{
    (void)state;
    const uint64_t offsets[] = {0};
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(NULL, offsets, 0, &d, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_basket_count(d), 0);
    assert_int_equal(fimbit_dataset_item_count(d), 0);
    /* Arrays exist even when empty. */
    assert_non_null(d->basket_offsets);
    assert_true(d->basket_items.narrow != NULL || d->basket_items.wide != NULL);
    assert_non_null(d->item_support);
    assert_non_null(d->name_bytes);
    assert_non_null(d->name_offsets);
    assert_non_null(d->natural_rank);
    assert_int_equal(d->basket_offsets[0], 0);
    fimbit_dataset_stats stats;
    fimbit_dataset_get_stats(d, &stats);
    assert_int_equal(stats.baskets, 0);
    assert_true(stats.avg_basket_size == 0.0 && stats.density == 0.0);
    uint32_t item;
    assert_int_equal(fimbit_dataset_find_item(d, "x", &item), FIMBIT_EINVAL);
    fimbit_dataset_free(d);

    fimbit_error error;
    const char *names[] = {"a", NULL};
    const uint64_t two[] = {0, 2};
    const uint64_t backwards[] = {1, 0};
    assert_int_equal(fimbit_dataset_from_baskets(names, two, 1, &d, &error), FIMBIT_EINVAL);
    assert_null(d);
    assert_int_equal(fimbit_dataset_from_baskets(names, backwards, 1, &d, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_from_baskets(NULL, two, 1, &d, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_from_baskets(names, NULL, 1, &d, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_from_baskets(names, two, 1, NULL, &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_basket_count(NULL), 0);
    assert_null(fimbit_dataset_item_name(NULL, 0));
}

static void test_read_options_init(void **state)
{
    (void)state;
    fimbit_read_options o;
    memset(&o, 0x5a, sizeof o);
    fimbit_read_options_init(&o);
    assert_int_equal(o.format, FIMBIT_INPUT_AUTO);
    assert_int_equal(o.separator, 0);
    assert_null(o.basket_column);
    assert_null(o.item_column);
    assert_int_equal(o.header, -1);
    assert_int_equal(o.threads, 0);
}

/* Runs `operation` with the n-th allocation failing, for n = 1, 2, ... until
 * it succeeds: every failure must be FIMBIT_ENOMEM with nothing returned
 * (leaks show under the sanitizer build). */
typedef fimbit_status (*dataset_operation)(void *context, fimbit_dataset **out,
                                           fimbit_error *error);

static void check_out_of_memory(dataset_operation operation, void *context)
{
    for (uint64_t n = 1;; n++) {
        fimbit_dataset *d = (fimbit_dataset *)1;
        fimbit_error error;
        fimbit__alloc_fail_after(n);
        fimbit_status status = operation(context, &d, &error);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK) {
            assert_non_null(d);
            fimbit_dataset_free(d);
            assert_true(n > 1);
            return;
        }
        if (status != FIMBIT_ENOMEM)
            fail_msg("allocation %llu: %s", (unsigned long long)n, error.message);
        assert_null(d);
        assert_int_equal(error.code, FIMBIT_ENOMEM);
    }
}

static fimbit_status build_small(void *context, fimbit_dataset **out, fimbit_error *error)
{
    (void)context;
    const char *names[] = {"a", "b", "a", "c", "b"};
    const uint64_t offsets[] = {0, 2, 2, 5};
    return fimbit_dataset_from_baskets(names, offsets, 3, out, error);
}

typedef struct read_case {
    const char *path;
    fimbit_read_options options;
} read_case;

static fimbit_status read_case_run(void *context, fimbit_dataset **out, fimbit_error *error)
{
    read_case *c = context;
    const char *paths[] = {c->path, c->path};
    return fimbit_dataset_read(paths, 2, &c->options, out, error);
}

static void check_read_out_of_memory(const void *bytes, size_t length, fimbit_input_format format,
                                     int threads)
{
    read_case c;
    char path[256];
    test_write_temp_file(bytes, length, ".in", path, sizeof path);
    c.path = path;
    fimbit_read_options_init(&c.options);
    c.options.format = format;
    c.options.threads = threads;
    check_out_of_memory(read_case_run, &c);
    unlink(path);
}

static char *generate(size_t lines, bool named, size_t *length)
{
    size_t capacity = lines * 40 + 16, used = 0;
    char *text = malloc(capacity);
    for (size_t i = 0; i < lines; i++)
        used += (size_t)snprintf(text + used, capacity - used,
                                 named ? "n%zu,n%zu,n%zu\n" : "%zu %zu %zu\n", i % 300,
                                 (i * 7) % 2003, (i * 13) % 2000003);
    *length = used;
    return text;
}

static void test_out_of_memory(void **state)
{
    (void)state;
    check_out_of_memory(build_small, NULL);

    const char *fimi = "1 2 3\n4 1\n\n5";
    check_read_out_of_memory(fimi, strlen(fimi), FIMBIT_INPUT_AUTO, 1);
    const char *named = "a,b\nc,a\n";
    check_read_out_of_memory(named, strlen(named), FIMBIT_INPUT_AUTO, 1);
    const char *csv = "basket,item\n1,a\n2,\"b\"\n1,c\n";
    check_read_out_of_memory(csv, strlen(csv), FIMBIT_INPUT_CSV, 1);

    /* Chunked parallel parsing. */
    size_t length;
    char *text = generate(20000, false, &length);
    check_read_out_of_memory(text, length, FIMBIT_INPUT_FIMI, 2);
    free(text);
    text = generate(20000, true, &length);
    check_read_out_of_memory(text, length, FIMBIT_INPUT_BASKET, 2);

    /* Compressed streams. */
    size_t capacity = ZSTD_compressBound(length);
    unsigned char *zst = malloc(capacity);
    size_t zst_length = ZSTD_compress(zst, capacity, text, length, 1);
    assert_false(ZSTD_isError(zst_length));
    check_read_out_of_memory(zst, zst_length, FIMBIT_INPUT_AUTO, 2);
    free(zst);

    uLongf gz_length = compressBound((uLong)length) + 32;
    unsigned char *gz = malloc(gz_length);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)length;
    z.next_out = gz;
    z.avail_out = (uInt)gz_length;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t gz_size = gz_length - z.avail_out;
    deflateEnd(&z);
    check_read_out_of_memory(gz, gz_size, FIMBIT_INPUT_AUTO, 1);
    free(gz);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_baskets),
        cmocka_unit_test(test_many_items),
        cmocka_unit_test(test_basket_order),
        cmocka_unit_test(test_empty_and_invalid),
        cmocka_unit_test(test_read_options_init),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
