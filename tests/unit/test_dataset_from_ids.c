/* fimbit_dataset_from_ids: the same dataset as the same baskets given by
 * name (ids named in decimal, numeric natural order), repeated ids counted
 * once, and refused arguments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "fimbit.h"
#include "test_data.h"

static void test_same_as_by_name(void **state)
{
    (void)state;
    const uint32_t ids[] = {30, 1, 7, 1, 30, 7, 7, 7, 200000};
    const char *names[] = {"30", "1", "7", "1", "30", "7", "7", "7", "200000"};
    const uint64_t offsets[] = {0, 3, 3, 6, 9};
    fimbit_dataset *by_id = NULL, *by_name = NULL;
    assert_int_equal(fimbit_dataset_from_ids(ids, offsets, 4, &by_id, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, 4, &by_name, NULL), FIMBIT_OK);
    test_assert_same_baskets(by_id, by_name);
    assert_int_equal(fimbit_dataset_basket_count(by_id), 4);
    assert_int_equal(fimbit_dataset_item_count(by_id), 4);
    assert_string_equal(fimbit_dataset_item_name(by_id, 0), "30");
    uint32_t item = 99;
    assert_int_equal(fimbit_dataset_find_item(by_id, "7", &item), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_item_support(by_id, item), 3); /* 7, 7 in one basket */

    /* Canonical order is numeric: 1, 7, 30, 200000. */
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 1;
    options.max_size = 1;
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(by_id, &options, &itemsets, NULL), FIMBIT_OK);
    fimbit_itemsets_sort(itemsets);
    assert_int_equal(fimbit_itemsets_item_total(itemsets), 4);
    uint32_t items[4];
    uint64_t starts[5], counts[4];
    fimbit_itemsets_export(itemsets, items, starts, counts);
    const char *order[] = {"1", "7", "30", "200000"};
    const uint64_t supports[] = {2, 3, 2, 1};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(starts[i], i);
        assert_string_equal(fimbit_dataset_item_name(by_id, items[i]), order[i]);
        assert_int_equal(counts[i], supports[i]);
    }
    assert_int_equal(starts[4], 4);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(by_id);
    fimbit_dataset_free(by_name);
}

static void test_refused(void **state)
{
    (void)state;
    const uint64_t offsets[] = {0, 2};
    const uint64_t backwards[] = {2, 1};
    const uint32_t ids[] = {1, 2};
    fimbit_dataset *d = NULL;
    fimbit_error error;
    assert_int_equal(fimbit_dataset_from_ids(NULL, offsets, 1, &d, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "fimbit_dataset_from_ids: ids is NULL");
    assert_int_equal(fimbit_dataset_from_ids(ids, backwards, 1, &d, &error), FIMBIT_EINVAL);
    assert_string_equal(error.message, "fimbit_dataset_from_ids: offsets decrease at basket 0");
    assert_int_equal(fimbit_dataset_from_ids(ids, NULL, 1, &d, NULL), FIMBIT_EINVAL);
    assert_int_equal(fimbit_dataset_from_ids(ids, offsets, 1, NULL, NULL), FIMBIT_EINVAL);
    assert_null(d);
    /* No baskets at all is a dataset too. */
    assert_int_equal(fimbit_dataset_from_ids(NULL, offsets, 0, &d, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_dataset_basket_count(d), 0);
    fimbit_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_by_name),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
