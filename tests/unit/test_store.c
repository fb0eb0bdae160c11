/*
 * The itemset store: filling from per-thread sink records, rank translation,
 * look-ups in any item order, get, canonical sort, memory exhaustion.
 *
 * Datasets are built by hand (struct fimbit_dataset from src/read/dataset.h) so that
 * these tests depend on nothing but the store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <omp.h>

#include "read/dataset.h"
#include "store/sink.h"
#include "store/store.h"
#include "hand_dataset.h"


static const char *const grocery_names[] = {"bread", "milk", "diapers", "beer", "eggs", "cola"};
/* a bread, b milk, c diapers, d beer, e eggs, f cola */
static const char *const grocery_baskets[] = {"ab", "acde", "bcdf", "abcd", "abcf"};

static const uint32_t reversed6[] = {5, 4, 3, 2, 1, 0};

static uint32_t items_to_mask(const uint32_t *items, uint32_t size)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < size; i++)
        mask |= 1u << items[i];
    return mask;
}

static void test_store_lookup(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    size_t frequent = 0;
    fimbit_itemsets *store = hand_store_fill(d, 2, 3, reversed6, &frequent);
    assert_non_null(store);
    fimbit_error error;
    assert_int_equal(store_finish(store, &error), FIMBIT_OK);
    assert_int_equal(fimbit_itemsets_count(store), frequent);
    uint32_t bread = 0;
    assert_int_equal(store_lookup(store, &bread, 1), 0); /* no table yet */
    assert_int_equal(store_prepare_lookup(store, &error), FIMBIT_OK);
    assert_int_equal(store_prepare_lookup(store, &error), FIMBIT_OK);
    assert_true(frequent > 10);

    for (uint32_t mask = 1; mask < 64; mask++) {
        uint64_t count = hand_mask_count(d, mask);
        uint64_t expected = count >= 2 ? count : 0;
        uint32_t forward[6], backward[6], size = 0;
        for (uint32_t i = 0; i < 6; i++)
            if (mask & (1u << i))
                forward[size++] = i;
        for (uint32_t i = 0; i < size; i++)
            backward[i] = forward[size - 1 - i];
        assert_int_equal(store_lookup(store, forward, size), expected);
        assert_int_equal(store_lookup(store, backward, size), expected);
        store_sort_natural(d, forward, size);
        assert_int_equal(store_lookup_canonical(store, forward, size), expected);
    }
    /* {diapers, beer} by hand: baskets 2, 3 and 4. */
    uint32_t diapers_beer[] = {3, 2};
    assert_int_equal(store_lookup(store, diapers_beer, 2), 3);
    uint32_t eggs_cola[] = {4, 5};
    assert_int_equal(store_lookup(store, eggs_cola, 2), 0);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_store_get_and_sort(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_itemsets *store = hand_store_fill(d, 2, 2, reversed6, NULL);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    assert_int_equal(store_prepare_lookup(store, NULL), FIMBIT_OK);
    size_t n = fimbit_itemsets_count(store);

    /* Before sorting: every itemset is frequent, counted right, items in
     * natural order (bread < milk by bytes, beer < bread, ...). */
    for (size_t i = 0; i < n; i++) {
        const uint32_t *items;
        uint32_t size;
        uint64_t count;
        assert_int_equal(fimbit_itemsets_get(store, i, &items, &size, &count), FIMBIT_OK);
        assert_int_equal(count, hand_mask_count(d, items_to_mask(items, size)));
        for (uint32_t j = 1; j < size; j++)
            assert_true(strcmp(grocery_names[items[j - 1]], grocery_names[items[j]]) < 0);
    }
    const uint32_t *items;
    uint32_t size;
    uint64_t count;
    assert_int_equal(fimbit_itemsets_get(store, n, &items, &size, &count), FIMBIT_EINVAL);

    /* Without memory for the sort keys, the plain in-place sort runs. */
    fimbit__alloc_fail_after(1);
    fimbit_itemsets_sort(store);
    fimbit__alloc_fail_after(0);
    assert_int_equal(fimbit_itemsets_count(store), n);
    /* Canonical: singletons beer, bread, cola, diapers, milk (eggs is rare). */
    const char *singletons[] = {"beer", "bread", "cola", "diapers", "milk"};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(fimbit_itemsets_get(store, i, &items, &size, &count), FIMBIT_OK);
        assert_int_equal(size, 1);
        assert_string_equal(grocery_names[items[0]], singletons[i]);
    }
    for (size_t i = 1; i < n; i++) {
        const uint32_t *a, *b;
        uint32_t sa, sb;
        fimbit_itemsets_get(store, i - 1, &a, &sa, NULL);
        fimbit_itemsets_get(store, i, &b, &sb, NULL);
        assert_true(sa <= sb);
        if (sa == sb) {
            int order = 0;
            for (uint32_t j = 0; j < sa && order == 0; j++)
                order = strcmp(grocery_names[a[j]], grocery_names[b[j]]);
            assert_true(order < 0);
        }
    }
    /* Look-ups still work once the index moved. */
    uint32_t bread_milk_diapers[] = {2, 0, 1};
    assert_int_equal(store_lookup(store, bread_milk_diapers, 3), 2);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_store_numeric_order(void **state)
{
    (void)state;
    const char *names[] = {"10", "9", "100", "2"};
    const char *baskets[] = {"abcd", "abcd", "abc", "ad"};
    fimbit_dataset *d = hand_dataset_make(names, 4, baskets, 4);
    assert_true(d->numeric_names);
    const uint32_t identity[] = {0, 1, 2, 3};
    fimbit_itemsets *store = hand_store_fill(d, 1, 1, identity, NULL);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    fimbit_itemsets_sort(store);
    const char *expected_first[] = {"2", "9", "10", "100"};
    for (size_t i = 0; i < 4; i++) {
        const uint32_t *items;
        uint32_t size;
        fimbit_itemsets_get(store, i, &items, &size, NULL);
        assert_string_equal(names[items[0]], expected_first[i]);
    }
    /* The last itemset holds everything, numerically ordered. */
    const uint32_t *items;
    uint32_t size;
    uint64_t count;
    fimbit_itemsets_get(store, fimbit_itemsets_count(store) - 1, &items, &size, &count);
    assert_int_equal(size, 4);
    assert_int_equal(count, 2);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(names[items[i]], expected_first[i]);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_store_empty(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_itemsets *store = store_create(d, reversed6, 4);
    assert_non_null(store);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    assert_int_equal(store_prepare_lookup(store, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_itemsets_count(store), 0);
    uint32_t one = 0;
    assert_int_equal(store_lookup(store, &one, 1), 0);
    assert_int_equal(fimbit_itemsets_get(store, 0, NULL, NULL, NULL), FIMBIT_EINVAL);
    fimbit_itemsets_sort(store);
    fimbit_itemsets_free(store);
    fimbit_itemsets_free(NULL);
    assert_int_equal(fimbit_itemsets_count(NULL), 0);
    /* Freed before finishing, as the driver does on failure. */
    store = hand_store_fill(d, 1, 2, reversed6, NULL);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

/* Many itemsets (every item and every pair of 700 numerically named items),
 * flushed from several OpenMP threads at once: chunk growth, a parallel
 * sort, look-ups among a quarter of a million entries. */
static void test_store_large_parallel(void **state)
{
    (void)state;
    enum { ITEMS = 700, THREADS = 4 };
    char (*text)[8] = calloc(ITEMS, sizeof *text);
    const char **names = calloc(ITEMS, sizeof *names);
    for (uint32_t i = 0; i < ITEMS; i++) {
        snprintf(text[i], sizeof text[i], "%u", i);
        names[i] = text[i];
    }
    fimbit_dataset *d = hand_dataset_make(names, ITEMS, NULL, 0);
    /* Rank r is item ITEMS - 1 - r. */
    uint32_t *rank_to_item = calloc(ITEMS, sizeof *rank_to_item);
    for (uint32_t r = 0; r < ITEMS; r++)
        rank_to_item[r] = ITEMS - 1 - r;
    fimbit_itemsets *store = store_create(d, rank_to_item, THREADS);
    assert_non_null(store);

    int failures = 0;
#pragma omp parallel num_threads(THREADS) reduction(+ : failures)
    {
        int t = omp_get_thread_num();
        uint32_t buffer[5 * 100];
        size_t used = 0;
        for (uint32_t a = (uint32_t)t; a < ITEMS; a += THREADS) {
            for (uint32_t b = a; b < ITEMS; b++) {
                /* {a} when b == a, else {a, b}; count encodes the set. */
                uint32_t *record = buffer + used;
                uint64_t count = (uint64_t)a * 1000 + b + ((uint64_t)1 << 33);
                record[1] = (uint32_t)count;
                record[2] = (uint32_t)(count >> 32);
                if (a == b) {
                    record[0] = 1;
                    record[3] = ITEMS - 1 - a;
                } else {
                    record[0] = 2;
                    record[3] = ITEMS - 1 - b;
                    record[4] = ITEMS - 1 - a;
                }
                used += 3 + record[0];
                if (used + 5 > 5 * 100) {
                    failures += store_flush(store, t, buffer, used) != 0;
                    used = 0;
                }
            }
        }
        if (used)
            failures += store_flush(store, t, buffer, used) != 0;
    }
    assert_int_equal(failures, 0);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    size_t expected = ITEMS + (size_t)ITEMS * (ITEMS - 1) / 2;
    assert_int_equal(fimbit_itemsets_count(store), expected);
    assert_int_equal(store_prepare_lookup(store, NULL), FIMBIT_OK);
    for (uint32_t a = 0; a < ITEMS; a += 7) {
        for (uint32_t b = a + 1; b < ITEMS; b += 13) {
            uint32_t query[2] = {b, a};
            assert_int_equal(store_lookup(store, query, 2), (uint64_t)a * 1000 + b + (1ULL << 33));
        }
    }

    fimbit_itemsets_sort(store);
    size_t i = 0;
    for (uint32_t a = 0; a < ITEMS; a++, i++) {
        const uint32_t *items;
        uint32_t size;
        fimbit_itemsets_get(store, i, &items, &size, NULL);
        assert_int_equal(size, 1);
        assert_int_equal(items[0], a);
    }
    for (uint32_t a = 0; a < ITEMS; a++) {
        for (uint32_t b = a + 1; b < ITEMS; b++, i++) {
            const uint32_t *items;
            uint32_t size;
            uint64_t count;
            fimbit_itemsets_get(store, i, &items, &size, &count);
            assert_int_equal(size, 2);
            assert_int_equal(items[0], a);
            assert_int_equal(items[1], b);
            assert_int_equal(count, (uint64_t)a * 1000 + b + (1ULL << 33));
        }
    }
    uint32_t query[2] = {699, 3};
    assert_int_equal(store_lookup(store, query, 2), 3 * 1000 + 699 + (1ULL << 33));
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
    free(rank_to_item);
    free(names);
    free(text);
}

/* Itemsets longer than the sort keys can describe (sizes past the key's size
 * field, more items than it has room for): the full comparison orders them. */
static void test_store_sort_long_itemsets(void **state)
{
    (void)state;
    enum { ITEMS = 80 };
    char (*text)[8] = calloc(ITEMS, sizeof *text);
    const char **names = calloc(ITEMS, sizeof *names);
    for (uint32_t i = 0; i < ITEMS; i++) {
        snprintf(text[i], sizeof text[i], "%u", (i * 37) % ITEMS);
        names[i] = text[i];
    }
    fimbit_dataset *d = hand_dataset_make(names, ITEMS, NULL, 0);
    uint32_t identity[ITEMS];
    for (uint32_t i = 0; i < ITEMS; i++)
        identity[i] = i;
    fimbit_itemsets *store = store_create(d, identity, 2);
    /* For every length 1 .. ITEMS, a few windows of consecutive ranks. */
    uint32_t record[3 + ITEMS];
    size_t stored = 0;
    for (uint32_t size = 1; size <= ITEMS; size++) {
        for (uint32_t start = 0; start + size <= ITEMS; start += 7) {
            record[0] = size;
            record[1] = size * 1000 + start;
            record[2] = 0;
            for (uint32_t j = 0; j < size; j++)
                record[3 + j] = start + j;
            assert_int_equal(store_flush(store, (int)(stored++ % 2), record, 3 + size), 0);
        }
    }
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    assert_int_equal(store_prepare_lookup(store, NULL), FIMBIT_OK);
    fimbit_itemsets_sort(store);
    assert_int_equal(fimbit_itemsets_count(store), stored);
    for (size_t i = 1; i < stored; i++) {
        const uint32_t *a, *b;
        uint32_t sa, sb;
        fimbit_itemsets_get(store, i - 1, &a, &sa, NULL);
        fimbit_itemsets_get(store, i, &b, &sb, NULL);
        assert_true(sa <= sb);
        if (sa == sb) {
            int order = 0;
            for (uint32_t j = 0; j < sa && order == 0; j++)
                if (a[j] != b[j])
                    order = atoi(names[a[j]]) < atoi(names[b[j]]) ? -1 : 1;
            assert_true(order < 0);
        }
        for (uint32_t j = 1; j < sb; j++)
            assert_true(atoi(names[b[j - 1]]) < atoi(names[b[j]]));
    }
    /* Long look-ups, in any order, after the sort. */
    uint32_t query[ITEMS];
    for (uint32_t j = 0; j < ITEMS; j++)
        query[j] = ITEMS - 1 - j;
    assert_int_equal(store_lookup(store, query, ITEMS), ITEMS * 1000);
    for (uint32_t j = 0; j < 40; j++)
        query[j] = 14 + 39 - j;
    assert_int_equal(store_lookup(store, query, 40), 40 * 1000 + 14);
    query[0] = 0;
    assert_int_equal(store_lookup(store, query, 40), 0);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
    free(names);
    free(text);
}

/* Every allocation of a fill and finish fails in turn: each run either
 * succeeds or reports FIMBIT_ENOMEM, and nothing leaks (see the ASan build). */
static void test_store_out_of_memory(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    bool succeeded = false;
    for (uint64_t n = 1; n < 200 && !succeeded; n++) {
        fimbit__alloc_fail_after(n);
        size_t frequent = 0;
        fimbit_itemsets *store = hand_store_fill(d, 1, 2, reversed6, &frequent);
        if (store == NULL)
            continue;
        fimbit_error error = {0};
        fimbit_status status = store_finish(store, &error);
        if (status == FIMBIT_OK)
            status = store_prepare_lookup(store, &error);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK) {
            succeeded = true;
            assert_int_equal(fimbit_itemsets_count(store), frequent);
        } else {
            assert_int_equal(status, FIMBIT_ENOMEM);
            assert_int_equal(error.code, FIMBIT_ENOMEM);
            assert_true(strstr(error.message, "memory") != NULL);
        }
        fimbit_itemsets_free(store);
    }
    fimbit__alloc_fail_after(0);
    assert_true(succeeded);
    hand_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_lookup),
        cmocka_unit_test(test_store_get_and_sort),
        cmocka_unit_test(test_store_numeric_order),
        cmocka_unit_test(test_store_empty),
        cmocka_unit_test(test_store_large_parallel),
        cmocka_unit_test(test_store_sort_long_itemsets),
        cmocka_unit_test(test_store_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
