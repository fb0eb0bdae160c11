/*
 * The compact basket store: item ids as uint16_t while every id fits, uint32_t
 * from the 65,537th distinct item on (src/base/item_array.h), through the builder
 * the readers fill, from in-memory baskets and from a FIMI file read in small
 * blocks (so that the widening happens between blocks); and the baskets' F-list
 * order that the projection relies on.
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
#include "base/item_array.h"
#include "test_data.h"

enum { ITEMS_PER_BASKET = 7 };

static void test_item_array_widens_in_place(void **state)
{
    (void)state;
    item_array a = {0};
    assert_true(item_array_resize(&a, 4, 0, false));
    assert_non_null(a.narrow);
    assert_null(a.wide);
    assert_int_equal(item_array_width(&a), sizeof(uint16_t));
    for (uint32_t k = 0; k < 4; k++)
        item_array_set(&a, k, 65535u - k);
    assert_true(item_array_resize(&a, 8, 4, true));
    assert_null(a.narrow);
    assert_non_null(a.wide);
    assert_int_equal(item_array_width(&a), sizeof(uint32_t));
    for (uint32_t k = 0; k < 4; k++)
        assert_int_equal(item_array_get(&a, k), 65535u - k);
    item_array_set(&a, 7, 70000u);
    assert_int_equal(item_array_get(&a, 7), 70000u);
    /* Once wide, a resize asking for narrow stays wide. */
    assert_true(item_array_resize(&a, 16, 8, false));
    assert_non_null(a.wide);
    assert_int_equal(item_array_get(&a, 7), 70000u);
    item_array_free(&a);
    assert_null(a.wide);
}

/* Item `k` of the baskets below: every id once, then id 0 again in each
 * basket, so that supports differ and the F-list order is not the id order. */
static void build_names(uint32_t distinct, char ***names_out, uint64_t **offsets_out,
                        uint64_t *baskets_out)
{
    uint64_t baskets = (distinct + ITEMS_PER_BASKET - 1) / ITEMS_PER_BASKET;
    uint64_t total = distinct + baskets;
    char **names = calloc(total, sizeof *names);
    uint64_t *offsets = calloc(baskets + 1, sizeof *offsets);
    assert_non_null(names);
    assert_non_null(offsets);
    uint64_t used = 0;
    for (uint64_t b = 0; b < baskets; b++) {
        for (uint32_t k = 0; k < ITEMS_PER_BASKET; k++) {
            uint64_t id = b * ITEMS_PER_BASKET + k;
            if (id >= distinct)
                break;
            names[used] = malloc(16);
            assert_non_null(names[used]);
            snprintf(names[used++], 16, "n%llu", (unsigned long long)id);
        }
        names[used++] = strdup("n0");
        offsets[b + 1] = used;
    }
    *names_out = names;
    *offsets_out = offsets;
    *baskets_out = baskets;
}

static void free_names(char **names, uint64_t *offsets, uint64_t baskets)
{
    for (uint64_t k = 0; k < offsets[baskets]; k++)
        free(names[k]);
    free(names);
    free(offsets);
}

/* Every basket holds the names it was given (as a set), in F-list order. */
static void check_baskets(const fimbit_dataset *d, char **names, const uint64_t *offsets)
{
    assert_true(d->baskets_ordered);
    for (uint64_t b = 0; b < d->basket_count; b++) {
        uint64_t begin = d->basket_offsets[b], end = d->basket_offsets[b + 1];
        /* "n0" is repeated at the end of the basket it starts: it counts once. */
        uint64_t given = offsets[b + 1] - offsets[b] - (b == 0);
        assert_int_equal(end - begin, given);
        for (uint64_t k = begin; k < end; k++) {
            const char *name = fimbit_dataset_item_name(d, dataset_item(d, k));
            bool found = false;
            for (uint64_t j = offsets[b]; j < offsets[b + 1] && !found; j++)
                found = strcmp(names[j], name) == 0;
            assert_true(found);
            if (k > begin) {
                uint32_t previous = dataset_item(d, k - 1), item = dataset_item(d, k);
                uint64_t s0 = d->item_support[previous], s1 = d->item_support[item];
                assert_true(s0 > s1 || (s0 == s1 && previous < item));
            }
        }
    }
}

static void check_width(uint32_t distinct, size_t width)
{
    char **names;
    uint64_t *offsets, baskets;
    build_names(distinct, &names, &offsets, &baskets);
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_baskets((const char *const *)names, offsets, baskets, &d,
                                                 NULL),
                     FIMBIT_OK);
    assert_int_equal(fimbit_dataset_item_count(d), distinct);
    assert_int_equal(item_array_width(&d->basket_items), width);
    check_baskets(d, names, offsets);
    fimbit_dataset_free(d);
    free_names(names, offsets, baskets);
}

static void test_narrow_up_to_65536_items(void **state)
{
    (void)state;
    check_width(1000, sizeof(uint16_t));
    check_width(65536, sizeof(uint16_t));
}

static void test_wide_from_65537_items(void **state)
{
    (void)state;
    check_width(65537, sizeof(uint32_t));
    check_width(70000, sizeof(uint32_t));
}

/* A FIMI file whose 65,537th distinct id appears in a late block: the items
 * read so far are widened between blocks, and nothing is lost. */
static void test_fimi_widens_between_blocks(void **state)
{
    (void)state;
    size_t capacity = 1 << 20, used = 0;
    char *text = malloc(capacity);
    assert_non_null(text);
    uint32_t distinct = 65537 + 100;
    for (uint32_t id = 0; id < distinct; id++) {
        used += (size_t)snprintf(text + used, capacity - used, "%u 7%s", id + 1000,
                                 id % ITEMS_PER_BASKET == ITEMS_PER_BASKET - 1 ? "\n" : " ");
        assert_true(used + 64 < capacity);
    }
    text[used++] = '\n';
    text[used] = '\0';
    size_t saved = reader_block_size;
    reader_block_size = 4096;
    char path[256];
    fimbit_dataset *d = NULL, *whole = NULL;
    fimbit_error error;
    fimbit_status status = test_read_text(".dat", text, NULL, &d, &error, path);
    reader_block_size = saved;
    if (status != FIMBIT_OK)
        fail_msg("unexpected %s: %s", fimbit_status_name(status), error.message);
    assert_int_equal(test_read_text(".dat", text, NULL, &whole, &error, path), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_item_count(d), distinct + 1);
    assert_int_equal(item_array_width(&d->basket_items), sizeof(uint32_t));
    test_assert_same_baskets(d, whole);
    assert_true(d->baskets_ordered);
    /* "7" is in every basket, so it leads each one. */
    for (uint64_t b = 0; b < d->basket_count; b++)
        assert_string_equal(fimbit_dataset_item_name(d, dataset_item(d, d->basket_offsets[b])),
                            "7");
    fimbit_dataset_free(d);
    fimbit_dataset_free(whole);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_item_array_widens_in_place),
        cmocka_unit_test(test_narrow_up_to_65536_items),
        cmocka_unit_test(test_wide_from_65537_items),
        cmocka_unit_test(test_fimi_widens_between_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
