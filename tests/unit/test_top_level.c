/*
 * kernel_params.top_level against the brute-force oracle: the items of
 * random datasets are split into 1 to 4 groups, each group's kernel run sees
 * only the baskets holding one of its items (whole) with the whole data's
 * supports — what an MPI rank holds for the closed and maximal targets — and
 * mines only its items' top-level branches. Together the runs must report
 * every frequent, closed or maximal itemset exactly once, with its count, for
 * both kernels at 1 and 2 threads, and for Eclat with its nodes projected
 * and with its one-thread repository cut early.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/kernel.h"
#include "oracle.h"
#include "encode/shard.h"
#include "store/sink.h"
#include "test_rounds.h"

enum { SEEDS = 150, MAX_THREADS = 2, MAX_GROUPS = 4 };

/* A dataset in rank space: ranks by non-increasing support (ties by id), each
 * basket's frequent ranks ascending, and rank -> oracle item. */
typedef struct ranked {
    uint32_t count;
    uint32_t item_of_rank[ORACLE_MAX_ITEMS];
    uint64_t support[ORACLE_MAX_ITEMS];
    uint64_t tx_count;
    uint64_t *offsets;
    uint32_t *items;
} ranked;

static void rank_dataset(const oracle_baskets *b, uint64_t min_count, ranked *out)
{
    memset(out, 0, sizeof *out);
    uint64_t support[ORACLE_MAX_ITEMS] = {0};
    uint32_t *masks = calloc(b->basket_count + 1, sizeof *masks);
    assert_non_null(masks);
    for (uint64_t t = 0; t < b->basket_count; t++)
        for (uint64_t i = b->offsets[t]; i < b->offsets[t + 1]; i++)
            masks[t] |= 1u << b->items[i];
    for (uint64_t t = 0; t < b->basket_count; t++)
        for (uint32_t item = 0; item < b->item_count; item++)
            support[item] += (masks[t] >> item) & 1u;
    for (uint32_t item = 0; item < b->item_count; item++)
        if (support[item] >= min_count)
            out->item_of_rank[out->count++] = item;
    for (uint32_t i = 1; i < out->count; i++) /* stable: ties stay by id */
        for (uint32_t j = i; j > 0 && support[out->item_of_rank[j - 1]] <
                                          support[out->item_of_rank[j]]; j--) {
            uint32_t swap = out->item_of_rank[j];
            out->item_of_rank[j] = out->item_of_rank[j - 1];
            out->item_of_rank[j - 1] = swap;
        }
    for (uint32_t r = 0; r < out->count; r++)
        out->support[r] = support[out->item_of_rank[r]];
    out->offsets = calloc(b->basket_count + 1, sizeof *out->offsets);
    out->items = calloc(b->basket_count * ORACLE_MAX_ITEMS + 1, sizeof *out->items);
    assert_true(out->offsets && out->items);
    uint64_t used = 0;
    for (uint64_t t = 0; t < b->basket_count; t++) {
        uint64_t start = used;
        for (uint32_t r = 0; r < out->count; r++) /* ranks ascending */
            if ((masks[t] >> out->item_of_rank[r]) & 1u)
                out->items[used++] = r;
        if (used > start)
            out->offsets[++out->tx_count] = used;
    }
    free(masks);
}

typedef struct collected {
    oracle_itemset *sets[MAX_THREADS];
    size_t used[MAX_THREADS];
    const ranked *data;
} collected;

static int collect_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    collected *c = context;
    assert_true(thread >= 0 && thread < MAX_THREADS);
    for (const uint32_t *r = records; r < records + words; r = sink_record_next(r)) {
        uint32_t mask = 0;
        for (uint32_t i = 0; i < sink_record_size(r); i++)
            mask |= 1u << c->data->item_of_rank[sink_record_items(r)[i]];
        size_t n = c->used[thread]++;
        c->sets[thread] = realloc(c->sets[thread], (n + 1) * sizeof *c->sets[thread]);
        assert_non_null(c->sets[thread]);
        c->sets[thread][n] = (oracle_itemset){mask, sink_record_count(r)};
    }
    return 0;
}

/* Mines the top-level branches of the ranks of `group` (by group[rank]) on
 * the baskets holding one of them, into `c`. */
static void mine_group(const ranked *d, const uint8_t *group_of_rank, uint8_t group,
                       kernel_fn kernel, fimbit_target target, uint64_t min_count, int threads,
                       collected *c)
{
    uint8_t mask[ORACLE_MAX_ITEMS];
    for (uint32_t r = 0; r < d->count; r++)
        mask[r] = group_of_rank[r] == group;
    uint64_t *offsets = calloc(d->tx_count + 1, sizeof *offsets);
    uint32_t *items = calloc(d->offsets[d->tx_count] + 1, sizeof *items);
    assert_true(offsets && items);
    uint64_t tx = 0, used = 0;
    for (uint64_t t = 0; t < d->tx_count; t++) {
        bool held = false;
        for (uint64_t i = d->offsets[t]; i < d->offsets[t + 1]; i++)
            held |= mask[d->items[i]];
        if (!held)
            continue;
        for (uint64_t i = d->offsets[t]; i < d->offsets[t + 1]; i++)
            items[used++] = d->items[i];
        offsets[++tx] = used;
    }
    kernel_data data = {.item_count = d->count, .item_support = d->support, .tx_count = tx,
                        .tx_offsets = offsets, .tx_items = items};
    shard_vertical *vertical = NULL;
    if (tx > 0)
        assert_int_equal(shard_build_vertical(&data, 1, &vertical), FIMBIT_OK);
    kernel_output *output = kernel_output_create(threads, 1, 0, collect_flush, c);
    assert_non_null(output);
    kernel_params params = {.data = &data, .min_count = min_count, .target = target,
                            .threads = threads, .output = output, .top_level = mask};
    if (tx > 0)
        assert_int_equal(kernel(&params), FIMBIT_OK);
    assert_int_equal(kernel_output_finish(output), 0);
    kernel_output_free(output);
    shard_vertical_free(vertical);
    free(offsets);
    free(items);
}

static void test_groups_split_the_result_exactly(void **state)
{
    (void)state;
    /* The third run is Eclat with every node that has candidates projecting
     * its baskets (eclat__force_projection). */
    static const kernel_fn kernels[] = {fpgrowth_mine, eclat_mine, eclat_mine};
    static const char *const kernel_names[] = {"fpgrowth", "eclat", "eclat projecting"};
    static const fimbit_target targets[] = {FIMBIT_TARGET_ALL, FIMBIT_TARGET_CLOSED,
                                            FIMBIT_TARGET_MAXIMAL};
    oracle_rng rng;
    oracle_rng_seed(&rng, 7);
    for (uint64_t seed = 1; seed <= SEEDS; seed += test_round_stride()) {
        oracle_baskets b;
        oracle_generate(seed, &b);
        uint64_t min_count = 1 + oracle_rng_below(&rng, b.basket_count / 4 + 1);
        ranked d;
        rank_dataset(&b, min_count, &d);
        uint32_t groups = 1 + (uint32_t)oracle_rng_below(&rng, MAX_GROUPS);
        uint8_t group_of_rank[ORACLE_MAX_ITEMS];
        for (uint32_t r = 0; r < d.count; r++)
            group_of_rank[r] = (uint8_t)oracle_rng_below(&rng, groups);
        /* Small repositories are far below the size at which Eclat's walk
         * alone cuts them: cut after every branch of the group, or after
         * some, where skipped top-level items make a cut drop several. */
        eclat__set_cut_min_mask_bytes(seed % 2 ? 0 : 8 * (seed / 2 % 8));
        for (size_t t = 0; t < 3; t++) {
            oracle_itemsets expected;
            assert_int_equal(oracle_mine(&b, min_count, (oracle_target)t, 1, 0, &expected), 0);
            for (size_t k = 0; k < 3; k++)
                for (int threads = 1; threads <= MAX_THREADS; threads++) {
                    eclat__force_projection(k == 2 ? 1 : -1);
                    collected c = {.data = &d};
                    for (uint8_t g = 0; g < groups; g++)
                        mine_group(&d, group_of_rank, g, kernels[k], targets[t], min_count,
                                   threads, &c);
                    oracle_itemset *all = malloc((c.used[0] + c.used[1] + 1) * sizeof *all);
                    assert_non_null(all);
                    size_t n = 0;
                    for (int th = 0; th < MAX_THREADS; th++) {
                        if (c.used[th])
                            memcpy(all + n, c.sets[th], c.used[th] * sizeof *all);
                        n += c.used[th];
                        free(c.sets[th]);
                    }
                    qsort(all, n, sizeof *all, oracle_itemset_compare);
                    bool same = n == expected.count;
                    for (size_t i = 0; same && i < n; i++)
                        same = all[i].mask == expected.sets[i].mask &&
                               all[i].count == expected.sets[i].count;
                    if (!same) {
                        oracle_print_baskets(stderr, &b);
                        fail_msg("seed %llu min_count %llu %u groups %s target %zu threads %d: "
                                 "%zu itemsets, expected %zu",
                                 (unsigned long long)seed, (unsigned long long)min_count, groups,
                                 kernel_names[k], t, threads, n, expected.count);
                    }
                    free(all);
                }
            eclat__force_projection(-1);
            oracle_itemsets_free(&expected);
        }
        free(d.offsets);
        free(d.items);
        oracle_baskets_free(&b);
    }
    eclat__set_cut_min_mask_bytes(ECLAT_CUT_MIN_MASK_BYTES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_split_the_result_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
