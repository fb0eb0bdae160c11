/* flist_build over a dataset mined once: the recoding is the same as over
 * any dataset, and the pages of the baskets it has recoded go back to the
 * system as it goes (they read as zeros), on one thread and on two, in few
 * blocks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fimbit.h"
#include "encode/flist.h"
#include "read/dataset.h"

/* 24,000 baskets of 1 .. 16 ids out of 60, skewed towards the small ones:
 * about 0.4 MB of narrow ids, pages enough to give back in many blocks. */
#define BASKETS 24000u
#define IDS 60u

typedef struct baskets {
    uint32_t *ids;
    uint64_t offsets[BASKETS + 1];
} baskets;

static void baskets_make(baskets *b)
{
    b->ids = malloc((size_t)BASKETS * 16 * sizeof *b->ids);
    assert_non_null(b->ids);
    uint64_t state = 0x9E3779B97F4A7C15u, fill = 0;
    for (uint32_t t = 0; t < BASKETS; t++) {
        b->offsets[t] = fill;
        state = state * 6364136223846793005u + 1442695040888963407u;
        uint32_t length = 1 + (uint32_t)(state >> 60);
        for (uint32_t i = 0; i < length; i++) {
            state = state * 6364136223846793005u + 1442695040888963407u;
            uint32_t r = (uint32_t)(state >> 40) % (IDS * IDS);
            b->ids[fill++] = r % IDS < r / IDS ? r % IDS : r / IDS; /* the smaller of two */
        }
    }
    b->offsets[BASKETS] = fill;
}

static fimbit_dataset *dataset_of(const baskets *b)
{
    fimbit_dataset *d = NULL;
    assert_int_equal(fimbit_dataset_from_ids(b->ids, b->offsets, BASKETS, &d, NULL), FIMBIT_OK);
    assert_non_null(d->basket_items.narrow);
    return d;
}

static void assert_same_recoding(const flist *a, const flist *b)
{
    assert_int_equal(a->frequent_count, b->frequent_count);
    assert_memory_equal(a->rank_to_item, b->rank_to_item,
                        a->frequent_count * sizeof *a->rank_to_item);
    assert_int_equal(a->tx_count, b->tx_count);
    assert_memory_equal(a->tx_offsets, b->tx_offsets, (a->tx_count + 1) * sizeof *a->tx_offsets);
    assert_memory_equal(a->tx_items, b->tx_items, a->tx_offsets[a->tx_count] * sizeof *a->tx_items);
}

/* How many of the dataset's first `count` ids read as zero. */
static uint64_t zero_ids(const fimbit_dataset *d, uint64_t count)
{
    uint64_t zeros = 0;
    for (uint64_t k = 0; k < count; k++)
        zeros += d->basket_items.narrow[k] == 0;
    return zeros;
}

static void test_mine_once_gives_recoded_pages_back(void **state)
{
    (void)state;
    baskets b;
    baskets_make(&b);
    fimbit_dataset *kept = dataset_of(&b);
    uint64_t items = kept->basket_offsets[BASKETS];
    uint64_t zeros_before = zero_ids(kept, items);
    /* The smallest id is every tenth or so: a page of 2048 ids holds some. */
    assert_true(zeros_before < items / 2);
    for (uint64_t block = 0; block <= 1000; block += 1000) {
        flist__set_recode_block_items(block);
        flist expected;
        assert_int_equal(flist_build(kept, 40, NULL, 1, &expected, NULL), FIMBIT_OK);
        /* Not mined once: nothing given back. */
        assert_int_equal(zero_ids(kept, items), zeros_before);
        for (int threads = 1; threads <= 2; threads++) {
            fimbit_dataset *once = dataset_of(&b);
            fimbit_dataset_mine_once(once);
            flist got;
            assert_int_equal(flist_build(once, 40, NULL, threads, &got, NULL), FIMBIT_OK);
            assert_same_recoding(&expected, &got);
            /* Every whole page but those of the last block reads as zeros. */
            uint64_t last_block = block ? block : FLIST_RECODE_BLOCK_ITEMS;
            assert_true(zero_ids(once, items) > items - last_block - 4096);
            dataset_release_baskets(once);
            assert_true(once->baskets_released);
            flist_free(&got);
            fimbit_dataset_free(once);
        }
        flist_free(&expected);
    }
    flist__set_recode_block_items(0);
    fimbit_dataset_free(kept);
    free(b.ids);
}

/* Blocks cost a barrier each: a dataset that gives nothing back is one, a
 * large one mined once a bounded number, a small one blocks of
 * FLIST_RECODE_BLOCK_ITEMS. */
static void test_recode_blocks_are_few(void **state)
{
    (void)state;
    for (uint64_t total = 1000; total <= (uint64_t)1 << 32; total *= 1000) {
        uint64_t offsets[2] = {0, total};
        fimbit_dataset d = {.basket_count = 1, .basket_offsets = offsets};
        assert_true(flist_recode_block_items(&d) > total);
        d.mine_once = true;
        uint64_t block = flist_recode_block_items(&d);
        assert_true(block >= FLIST_RECODE_BLOCK_ITEMS);
        assert_true(block * FLIST_RECODE_MAX_BLOCKS >= total);
        if (total <= FLIST_RECODE_BLOCK_ITEMS * FLIST_RECODE_MAX_BLOCKS)
            assert_int_equal(block, FLIST_RECODE_BLOCK_ITEMS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mine_once_gives_recoded_pages_back),
        cmocka_unit_test(test_recode_blocks_are_few),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
