/*
 * The Eclat kernel against a brute-force enumeration written here: random
 * datasets over a few items (every one of the 2^k itemsets counted by a
 * superset sum), every target at 1, 2 and 4 threads, with and without a size
 * limit; datasets of more than 65536 baskets so that several shards (and a
 * short last one) are used; dense and sparse. The kernel is driven directly on
 * a hand-built kernel_data, through shard_build_vertical() and the real sinks.
 * Also: the shard builder against the baskets, and stopping through the sink.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <omp.h>

#include "base/internal.h"
#include "kernels/kernel.h"
#include "encode/shard.h"
#include "kernels/subset_data.h"
#include "store/sink.h"
#include "test_rounds.h"

#define MAX_RANKS 20u

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double rng_unit(void) { return (double)(rng_next() >> 11) / 9007199254740992.0; }

/* ------------------------------------------------------------ datasets */

/* A dataset in the kernel's rank space, and the same baskets as rank masks. */
typedef struct eclat_dataset {
    kernel_data data;
    uint64_t *support;
    uint64_t *offsets;
    uint32_t *items;
    uint32_t *masks; /* per kernel basket */
    shard_vertical *vertical;
} eclat_dataset;

/* Draws `baskets` baskets over `raw_items` items (each item with its own
 * probability in [low, high], plus a repeated pattern basket now and then),
 * drops the items below min_count, ranks the rest by non-increasing support
 * and builds the CSR (baskets without a frequent item left out) and shards. */
static void dataset_make(eclat_dataset *d, uint32_t raw_items, uint32_t baskets, double low,
                         double high, uint64_t min_count, int threads)
{
    assert_true(raw_items <= 20);
    double p[20];
    for (uint32_t i = 0; i < raw_items; i++)
        p[i] = low + (high - low) * rng_unit();
    uint32_t pattern = (uint32_t)rng_next() & ((1u << raw_items) - 1);
    uint32_t *raw = calloc(baskets + 1, sizeof *raw);
    uint64_t count[20] = {0};
    for (uint32_t b = 0; b < baskets; b++) {
        if (rng_unit() < 0.1) {
            raw[b] = pattern;
        } else {
            for (uint32_t i = 0; i < raw_items; i++)
                if (rng_unit() < p[i])
                    raw[b] |= 1u << i;
        }
        for (uint32_t i = 0; i < raw_items; i++)
            count[i] += (raw[b] >> i) & 1u;
    }
    /* Rank: frequent items by non-increasing support (ties by id). */
    uint32_t order[20], ranks = 0;
    for (uint32_t i = 0; i < raw_items; i++)
        if (count[i] >= min_count)
            order[ranks++] = i;
    for (uint32_t a = 1; a < ranks; a++)
        for (uint32_t b = a; b > 0 && count[order[b - 1]] < count[order[b]]; b--) {
            uint32_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    assert_true(ranks <= MAX_RANKS);
    int32_t rank_of[20];
    for (uint32_t i = 0; i < raw_items; i++)
        rank_of[i] = -1;
    for (uint32_t r = 0; r < ranks; r++)
        rank_of[order[r]] = (int32_t)r;

    memset(d, 0, sizeof *d);
    d->support = calloc(ranks + 1, sizeof *d->support);
    d->offsets = calloc((size_t)baskets + 1, sizeof *d->offsets);
    d->items = calloc((size_t)baskets * ranks + 1, sizeof *d->items);
    d->masks = calloc((size_t)baskets + 1, sizeof *d->masks);
    uint64_t tx = 0, used = 0;
    for (uint32_t b = 0; b < baskets; b++) {
        uint32_t mask = 0;
        for (uint32_t i = 0; i < raw_items; i++)
            if (((raw[b] >> i) & 1u) && rank_of[i] >= 0)
                mask |= 1u << rank_of[i];
        if (!mask)
            continue;
        d->masks[tx] = mask;
        for (uint32_t r = 0; r < ranks; r++)
            if ((mask >> r) & 1u) {
                d->items[used++] = r;
                d->support[r]++;
            }
        d->offsets[++tx] = used;
    }
    free(raw);
    d->data.item_count = ranks;
    d->data.item_support = d->support;
    d->data.tx_count = tx;
    d->data.tx_offsets = d->offsets;
    d->data.tx_items = d->items;
    assert_int_equal(shard_build_vertical(&d->data, threads, &d->vertical), FIMBIT_OK);
    assert_int_equal(d->data.shard_count, (tx + SHARD_BASKETS - 1) / SHARD_BASKETS);
}

static void dataset_free(eclat_dataset *d)
{
    shard_vertical_free(d->vertical);
    free(d->support);
    free(d->offsets);
    free(d->items);
    free(d->masks);
}

/* ---------------------------------------------------------- brute force */

/* counts[mask] = baskets holding every rank of mask, for all 2^ranks masks. */
static uint64_t *brute_counts(const eclat_dataset *d)
{
    uint32_t ranks = d->data.item_count;
    size_t n = (size_t)1 << ranks;
    uint64_t *counts = calloc(n, sizeof *counts);
    for (uint64_t t = 0; t < d->data.tx_count; t++)
        counts[d->masks[t]]++;
    for (uint32_t bit = 0; bit < ranks; bit++)
        for (size_t mask = 0; mask < n; mask++)
            if (!(mask & ((size_t)1 << bit)))
                counts[mask] += counts[mask | ((size_t)1 << bit)];
    return counts;
}

/* expected[mask] = the count when mask is reported for the target, else 0. */
static uint64_t *brute_expected(const eclat_dataset *d, const uint64_t *counts, uint64_t min_count,
                                fimbit_target target, uint32_t max_size)
{
    uint32_t ranks = d->data.item_count;
    size_t n = (size_t)1 << ranks;
    uint64_t *expected = calloc(n, sizeof *expected);
    for (size_t mask = 1; mask < n; mask++) {
        if (counts[mask] < min_count)
            continue;
        if (max_size && (uint32_t)__builtin_popcountll(mask) > max_size)
            continue;
        bool keep = true;
        for (uint32_t bit = 0; bit < ranks && keep; bit++) {
            size_t super = mask | ((size_t)1 << bit);
            if (super == mask)
                continue;
            if (target == FIMBIT_TARGET_CLOSED && counts[super] == counts[mask])
                keep = false;
            if (target == FIMBIT_TARGET_MAXIMAL && counts[super] >= min_count)
                keep = false;
        }
        if (keep)
            expected[mask] = counts[mask];
    }
    return expected;
}

/* --------------------------------------------------------- the collector */

typedef struct collected {
    omp_lock_t lock;
    uint64_t *found; /* by mask: the count reported (0 = not) */
    size_t mask_count;
    size_t records;
    size_t duplicates;
    size_t malformed;
    size_t stop_after; /* 0 = never stop */
} collected;

static int collect_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    (void)thread;
    collected *c = context;
    omp_set_lock(&c->lock);
    const uint32_t *record = records, *end = records + words;
    while (record < end) {
        uint32_t size = sink_record_size(record);
        const uint32_t *items = sink_record_items(record);
        size_t mask = 0;
        for (uint32_t i = 0; i < size; i++) {
            if (items[i] >= 32 || (i > 0 && items[i - 1] >= items[i]))
                c->malformed++;
            else
                mask |= (size_t)1 << items[i];
        }
        if (mask >= c->mask_count) {
            c->malformed++;
        } else {
            if (c->found[mask])
                c->duplicates++;
            c->found[mask] = sink_record_count(record);
        }
        c->records++;
        record = sink_record_next(record);
    }
    int stop = c->stop_after && c->records >= c->stop_after;
    omp_unset_lock(&c->lock);
    return stop;
}

/* Mines d with eclat and compares with the brute force. */
static void check_eclat(const eclat_dataset *d, const uint64_t *counts, uint64_t min_count,
                        fimbit_target target, uint32_t max_size, int threads)
{
    uint32_t ranks = d->data.item_count;
    size_t n = (size_t)1 << ranks;
    uint64_t *expected = brute_expected(d, counts, min_count, target, max_size);
    collected c;
    memset(&c, 0, sizeof c);
    omp_init_lock(&c.lock);
    c.found = calloc(n, sizeof *c.found);
    c.mask_count = n;
    kernel_output *output = kernel_output_create(threads, 1, max_size, collect_flush, &c);
    assert_non_null(output);
    kernel_params params = {.data = &d->data, .min_count = min_count, .target = target,
                            .max_size = max_size, .threads = threads, .output = output};
    fimbit_status status = eclat_mine(&params);
    assert_int_equal(status, FIMBIT_OK);
    assert_int_equal(kernel_output_finish(output), 0);
    kernel_output_free(output);

    size_t mismatches = 0, reported = 0;
    for (size_t mask = 1; mask < n; mask++) {
        reported += expected[mask] != 0;
        if (c.found[mask] != expected[mask]) {
            if (mismatches < 10)
                fprintf(stderr,
                        "target %d min_count %llu max_size %u threads %d: mask %#zx count "
                        "expected %llu, got %llu\n",
                        (int)target, (unsigned long long)min_count, max_size, threads, mask,
                        (unsigned long long)expected[mask], (unsigned long long)c.found[mask]);
            mismatches++;
        }
    }
    assert_int_equal(c.malformed, 0);
    assert_int_equal(c.duplicates, 0);
    assert_int_equal(mismatches, 0);
    assert_int_equal(c.records, reported);
    omp_destroy_lock(&c.lock);
    free(c.found);
    free(expected);
}

static void check_all_targets(const eclat_dataset *d, uint64_t min_count)
{
    uint64_t *counts = brute_counts(d);
    static const int thread_counts[] = {1, 2, 4};
    static const uint32_t max_sizes[] = {0, 1, 2, 3};
    for (int target = 0; target < 3; target++)
        for (size_t t = 0; t < 3; t++)
            for (size_t m = 0; m < 4; m++)
                check_eclat(d, counts, min_count, (fimbit_target)target, max_sizes[m],
                            thread_counts[t]);
    free(counts);
}

/* ---------------------------------------------------------------- tests */

/* The vertical form holds exactly the baskets of the CSR. */
static void check_vertical(const eclat_dataset *d)
{
    const kernel_data *data = &d->data;
    for (uint32_t r = 0; r < data->item_count; r++) {
        uint64_t total = 0;
        for (uint32_t s = 0; s < data->shard_count; s++) {
            const container *c = &data->vertical[(size_t)r * data->shard_count + s];
            uint64_t first = (uint64_t)s * SHARD_BASKETS;
            uint64_t end = first + SHARD_BASKETS < data->tx_count ? first + SHARD_BASKETS
                                                                  : data->tx_count;
            assert_int_equal(c->words, (end - first + 63) / 64);
            uint32_t members = 0;
            for (uint64_t t = first; t < end; t++) {
                bool in = (d->masks[t] >> r) & 1u;
                assert_int_equal(container_contains(c, (uint32_t)(t - first)), in);
                members += in;
            }
            assert_int_equal(c->cardinality, members);
            if (c->cardinality)
                assert_int_equal(c->kind, container_prefers_array(members, c->words)
                                              ? CONTAINER_ARRAY
                                              : CONTAINER_BITMAP);
            total += members;
        }
        assert_int_equal(total, data->item_support[r]);
    }
}

static void test_small_random(void **state)
{
    (void)state;
    rng_state = 11;
    for (int round = 0; round < 120; round += (int)test_round_stride()) {
        uint32_t raw_items = 1 + (uint32_t)(rng_next() % 12);
        uint32_t baskets = 1 + (uint32_t)(rng_next() % 200);
        double low = rng_unit() * 0.6, high = low + rng_unit() * (1.0 - low);
        uint64_t min_count = 1 + rng_next() % (baskets / 4 + 2);
        eclat_dataset d;
        dataset_make(&d, raw_items, baskets, low, high, min_count, 1 + round % 2);
        check_vertical(&d);
        check_all_targets(&d, min_count);
        dataset_free(&d);
    }
}

static void test_dense_and_sparse_shards(void **state)
{
    (void)state;
    rng_state = 12;
    /* Several shards, the last one short; dense and sparse; thresholds low
     * enough that bitmaps and arrays both appear in results. */
    struct {
        uint32_t items, baskets;
        double low, high;
        uint64_t min_count;
    } cases[] = {
        {10, 70000, 0.5, 0.95, 20000},  /* dense, two shards */
        {12, 140000, 0.005, 0.08, 30},  /* sparse, three shards */
        {12, 131073, 0.02, 0.6, 200},   /* mixed, a last shard of one basket */
        {8, 65536, 0.3, 0.9, 5000},     /* exactly one full shard */
        {12, 66000, 0.001, 0.03, 5},    /* very sparse, tiny threshold */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        eclat_dataset d;
        dataset_make(&d, cases[i].items, cases[i].baskets, cases[i].low, cases[i].high,
                     cases[i].min_count, 2);
        check_vertical(&d);
        check_all_targets(&d, cases[i].min_count);
        dataset_free(&d);
    }
}

static void test_threshold_edges(void **state)
{
    (void)state;
    rng_state = 13;
    for (int round = 0; round < 20; round += (int)test_round_stride()) {
        eclat_dataset d;
        dataset_make(&d, 6, 12, 0.4, 1.0, 1, 1);
        uint64_t *counts = brute_counts(&d);
        /* From 1 up past the number of baskets. */
        for (uint64_t min_count = 1; min_count <= d.data.tx_count + 1; min_count++)
            for (int target = 0; target < 3; target++)
                check_eclat(&d, counts, min_count, (fimbit_target)target, 0, 1 + round % 3);
        free(counts);
        dataset_free(&d);
    }
}

/* A sink that asks to stop makes the kernel return FIMBIT_ECANCELED. */
static void test_stop(void **state)
{
    (void)state;
    rng_state = 14;
    eclat_dataset d;
    /* 20 items in nearly every basket: about a million itemsets, many flushes. */
    dataset_make(&d, 20, 300, 0.85, 1.0, 2, 1);
    for (int threads = 1; threads <= 4; threads *= 2) {
        collected c;
        memset(&c, 0, sizeof c);
        omp_init_lock(&c.lock);
        c.mask_count = (size_t)1 << d.data.item_count;
        c.found = calloc(c.mask_count, sizeof *c.found);
        c.stop_after = 1;
        kernel_output *output = kernel_output_create(threads, 1, 0, collect_flush, &c);
        kernel_params params = {.data = &d.data, .min_count = 2, .target = FIMBIT_TARGET_ALL,
                                .max_size = 0, .threads = threads, .output = output};
        fimbit_status status = eclat_mine(&params);
        assert_int_equal(status, FIMBIT_ECANCELED);
        kernel_output_free(output);
        omp_destroy_lock(&c.lock);
        free(c.found);
    }
    dataset_free(&d);
}

/* ------------------------------------------- many items (> 256 ranks) */

/* The closure checks keep candidates in a bit mask up to 256 ranks and in
 * arrays beyond; this dataset has more ranks, too many for 2^k enumeration.
 * The ALL result (no closure check involved, verified count by count here) is
 * the reference: the closed and maximal sets are picked out of it by
 * definition, with per-basket item bitsets. */
#define WIDE_ITEMS 320u
#define WIDE_WORDS (WIDE_ITEMS / 64u)

typedef struct wide_set {
    uint64_t bits[WIDE_WORDS];
    uint64_t count;
} wide_set;

typedef struct wide_list {
    omp_lock_t lock;
    wide_set *sets;
    size_t size, capacity;
} wide_list;

static int wide_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    (void)thread;
    wide_list *list = context;
    omp_set_lock(&list->lock);
    for (const uint32_t *record = records; record < records + words;
         record = sink_record_next(record)) {
        if (list->size == list->capacity) {
            list->capacity = list->capacity ? 2 * list->capacity : 1024;
            list->sets = realloc(list->sets, list->capacity * sizeof *list->sets);
        }
        wide_set *set = &list->sets[list->size++];
        memset(set, 0, sizeof *set);
        for (uint32_t i = 0; i < sink_record_size(record); i++) {
            uint32_t r = sink_record_items(record)[i];
            set->bits[r / 64] |= (uint64_t)1 << (r % 64);
        }
        set->count = sink_record_count(record);
    }
    omp_unset_lock(&list->lock);
    return 0;
}

static int wide_compare(const void *left, const void *right)
{
    const wide_set *a = left, *b = right;
    int c = memcmp(a->bits, b->bits, sizeof a->bits);
    if (c)
        return c;
    return a->count < b->count ? -1 : a->count > b->count;
}

static void wide_mine(const kernel_data *data, uint64_t min_count, fimbit_target target,
                      int threads, wide_list *out)
{
    memset(out, 0, sizeof *out);
    omp_init_lock(&out->lock);
    kernel_output *output = kernel_output_create(threads, 1, 0, wide_flush, out);
    kernel_params params = {.data = data, .min_count = min_count, .target = target,
                            .max_size = 0, .threads = threads, .output = output};
    assert_int_equal(eclat_mine(&params), FIMBIT_OK);
    assert_int_equal(kernel_output_finish(output), 0);
    kernel_output_free(output);
    omp_destroy_lock(&out->lock);
    qsort(out->sets, out->size, sizeof *out->sets, wide_compare);
}

static bool wide_inside(const uint64_t *set, const uint64_t *basket)
{
    for (uint32_t w = 0; w < WIDE_WORDS; w++)
        if (set[w] & ~basket[w])
            return false;
    return true;
}

static void test_many_items(void **state)
{
    (void)state;
    rng_state = 16;
    enum { BASKETS = 500 };
    const uint64_t min_count = 3;
    /* Baskets: random items (skewed towards low ids), plus a few patterns of
     * up to 10 items repeated, so that long closed sets exist. One in twenty
     * is long (click-stream like): the closure check then meets baskets with
     * many items above the node's item, where it looks for a shorter one. */
    uint64_t raw[BASKETS][WIDE_WORDS];
    memset(raw, 0, sizeof raw);
    uint32_t patterns[4][10];
    for (int p = 0; p < 4; p++)
        for (int i = 0; i < 10; i++)
            patterns[p][i] = (uint32_t)(rng_next() % WIDE_ITEMS);
    for (int b = 0; b < BASKETS; b++) {
        uint32_t length = 2 + (uint32_t)(rng_next() % 12);
        if (rng_unit() < 0.05)
            length = 30 + (uint32_t)(rng_next() % 40);
        for (uint32_t i = 0; i < length; i++) {
            uint32_t item = (uint32_t)(rng_next() % WIDE_ITEMS);
            if (rng_unit() < 0.3)
                item %= 40;
            raw[b][item / 64] |= (uint64_t)1 << (item % 64);
        }
        if (rng_unit() < 0.2) {
            int p = (int)(rng_next() % 4);
            uint32_t keep = 6 + (uint32_t)(rng_next() % 5);
            for (uint32_t i = 0; i < keep; i++)
                raw[b][patterns[p][i] / 64] |= (uint64_t)1 << (patterns[p][i] % 64);
        }
    }
    /* Rank the frequent items by non-increasing support. */
    uint64_t support[WIDE_ITEMS] = {0};
    for (int b = 0; b < BASKETS; b++)
        for (uint32_t i = 0; i < WIDE_ITEMS; i++)
            support[i] += (raw[b][i / 64] >> (i % 64)) & 1u;
    uint32_t order[WIDE_ITEMS], ranks = 0;
    for (uint32_t i = 0; i < WIDE_ITEMS; i++)
        if (support[i] >= min_count)
            order[ranks++] = i;
    for (uint32_t a = 1; a < ranks; a++)
        for (uint32_t b = a; b > 0 && support[order[b - 1]] < support[order[b]]; b--) {
            uint32_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    assert_true(ranks > 256);
    /* Baskets in rank space: CSR and bitsets. */
    static uint64_t ranked[BASKETS][WIDE_WORDS];
    memset(ranked, 0, sizeof ranked);
    uint64_t *offsets = calloc(BASKETS + 1, sizeof *offsets);
    uint32_t *items = calloc((size_t)BASKETS * WIDE_ITEMS, sizeof *items);
    uint64_t *rank_support = calloc(ranks, sizeof *rank_support);
    uint64_t tx = 0, used = 0;
    for (int b = 0; b < BASKETS; b++) {
        bool any = false;
        for (uint32_t r = 0; r < ranks; r++)
            if ((raw[b][order[r] / 64] >> (order[r] % 64)) & 1u) {
                ranked[tx][r / 64] |= (uint64_t)1 << (r % 64);
                items[used++] = r;
                rank_support[r]++;
                any = true;
            }
        if (any)
            offsets[++tx] = used;
    }
    kernel_data data;
    memset(&data, 0, sizeof data);
    data.item_count = ranks;
    data.item_support = rank_support;
    data.tx_count = tx;
    data.tx_offsets = offsets;
    data.tx_items = items;
    shard_vertical *vertical;
    assert_int_equal(shard_build_vertical(&data, 1, &vertical), FIMBIT_OK);

    /* ALL: every count right (the brute force on the baskets' bitsets). */
    wide_list all;
    wide_mine(&data, min_count, FIMBIT_TARGET_ALL, 2, &all);
    assert_true(all.size > 1000);
    for (size_t i = 0; i < all.size; i++) {
        uint64_t count = 0;
        for (uint64_t t = 0; t < tx; t++)
            count += wide_inside(all.sets[i].bits, ranked[t]);
        assert_int_equal(count, all.sets[i].count);
        if (i > 0)
            assert_true(memcmp(all.sets[i - 1].bits, all.sets[i].bits, sizeof all.sets[i].bits));
    }
    /* Closed: the intersection of the baskets holding X is X itself.
     * Maximal: no item occurs in min_count of the baskets holding X. */
    wide_list closed = {0}, maximal = {0};
    closed.sets = calloc(all.size, sizeof *closed.sets);
    maximal.sets = calloc(all.size, sizeof *maximal.sets);
    uint32_t *co = calloc(ranks, sizeof *co);
    for (size_t i = 0; i < all.size; i++) {
        const wide_set *x = &all.sets[i];
        uint64_t closure[WIDE_WORDS];
        memset(closure, 0xff, sizeof closure);
        memset(co, 0, ranks * sizeof *co);
        bool extendable = false;
        for (uint64_t t = 0; t < tx; t++) {
            if (!wide_inside(x->bits, ranked[t]))
                continue;
            for (uint32_t w = 0; w < WIDE_WORDS; w++)
                closure[w] &= ranked[t][w];
            for (uint32_t r = 0; r < ranks; r++)
                if (((ranked[t][r / 64] >> (r % 64)) & 1u) && !((x->bits[r / 64] >> (r % 64)) & 1u))
                    extendable |= ++co[r] >= min_count;
        }
        if (memcmp(closure, x->bits, sizeof closure) == 0)
            closed.sets[closed.size++] = *x;
        if (!extendable)
            maximal.sets[maximal.size++] = *x;
    }
    free(co);
    for (int threads = 1; threads <= 4; threads *= 2) {
        wide_list got;
        wide_mine(&data, min_count, FIMBIT_TARGET_CLOSED, threads, &got);
        assert_int_equal(got.size, closed.size);
        for (size_t i = 0; i < got.size; i++)
            assert_int_equal(wide_compare(&got.sets[i], &closed.sets[i]), 0);
        free(got.sets);
        wide_mine(&data, min_count, FIMBIT_TARGET_MAXIMAL, threads, &got);
        assert_int_equal(got.size, maximal.size);
        for (size_t i = 0; i < got.size; i++)
            assert_int_equal(wide_compare(&got.sets[i], &maximal.sets[i]), 0);
        free(got.sets);
    }
    free(all.sets);
    free(closed.sets);
    free(maximal.sets);
    shard_vertical_free(vertical);
    free(offsets);
    free(items);
    free(rank_support);
}

/* Memory exhaustion at every allocation: the shard builder and the kernel
 * fail cleanly with FIMBIT_ENOMEM (no leak, no crash: run under ASan), and a
 * run that does finish is still right. */
/* Basket t of a projection: its ranks, in bytes or in tx_items. */
static uint64_t projected_basket(const kernel_data *p, uint64_t t, uint32_t *ranks)
{
    uint64_t n = 0;
    for (uint64_t k = p->tx_offsets[t]; k < p->tx_offsets[t + 1]; k++)
        ranks[n++] = p->tx_ranks8 ? p->tx_ranks8[k] : p->tx_items[k];
    return n;
}

static void assert_same_projection(const kernel_data *narrow, const kernel_data *wide)
{
    assert_null(narrow->tx_items);
    assert_non_null(narrow->tx_ranks8);
    assert_null(wide->tx_ranks8);
    assert_int_equal(narrow->tx_count, wide->tx_count);
    for (uint32_t r = 0; r < narrow->item_count; r++) {
        const container *a = &narrow->vertical[r], *b = &wide->vertical[r];
        assert_int_equal(narrow->item_support[r], wide->item_support[r]);
        assert_int_equal(a->cardinality, b->cardinality);
        if (a->cardinality)
            assert_memory_equal(a->u.bits, b->u.bits, a->words * sizeof *a->u.bits);
    }
    for (uint64_t t = 0; t < narrow->tx_count; t++) {
        uint32_t x[MAX_RANKS], y[MAX_RANKS];
        uint64_t n = projected_basket(narrow, t, x);
        assert_int_equal(n, projected_basket(wide, t, y));
        assert_memory_equal(x, y, n * sizeof *x);
    }
}

/* A projection over few items keeps its ranks in bytes, the same as the
 * ranks in tx_items it keeps over many; and a projection of it (from
 * bytes) is the same as one of those (from tx_items). */
static void test_projection_ranks_in_bytes(void **state)
{
    (void)state;
    rng_state = 77;
    eclat_dataset d;
    dataset_make(&d, 12, 3000, 0.2, 0.7, 30, 1);
    arena scratch;
    arena_init(&scratch, 0);
    uint8_t keep[MAX_RANKS];
    uint32_t last = d.data.item_count - 1;
    memset(keep, 1, sizeof keep);
    keep[last] = 0; /* the node's item: in every basket */
    tidset occ, every[2], inner[2];
    assert_true(tidset_of_item(&d.data, last, &scratch, &occ));
    kernel_data projected[2], nested[2];
    for (int wide = 0; wide < 2; wide++) {
        subset_data__force_wide(wide);
        assert_true(
            subset_data_build(&d.data, &occ, keep, &scratch, &projected[wide], &every[wide]));
    }
    assert_same_projection(&projected[0], &projected[1]);
    /* The baskets of its first item, without that item and the next. */
    keep[0] = keep[1] = 0;
    for (int wide = 0; wide < 2; wide++) {
        subset_data__force_wide(wide);
        tidset first = {projected[wide].item_support[0], (container *)&projected[wide].vertical[0]};
        assert_true(first.count > 0);
        assert_true(subset_data_build(&projected[wide], &first, keep, &scratch, &nested[wide],
                                      &inner[wide]));
    }
    subset_data__force_wide(false);
    assert_same_projection(&nested[0], &nested[1]);
    assert_int_equal(nested[0].item_support[0], 0);
    arena_release(&scratch);
    dataset_free(&d);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    rng_state = 15;
    eclat_dataset d;
    dataset_make(&d, 12, 140000, 0.01, 0.5, 100, 2);
    uint64_t *counts = brute_counts(&d);

    for (uint64_t n = 1; n < 40; n++) {
        kernel_data copy = d.data;
        copy.vertical = NULL;
        shard_vertical *owner = NULL;
        fimbit__alloc_fail_after(n);
        fimbit_status status = shard_build_vertical(&copy, 2, &owner);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK) {
            shard_vertical_free(owner);
            break;
        }
        assert_int_equal(status, FIMBIT_ENOMEM);
        assert_null(owner);
    }

    for (int target = 0; target < 3; target++) {
        for (int threads = 1; threads <= 2; threads++) {
            bool finished = false;
            for (uint64_t n = 1; n < 400 && !finished; n++) {
                collected c;
                memset(&c, 0, sizeof c);
                omp_init_lock(&c.lock);
                c.mask_count = (size_t)1 << d.data.item_count;
                c.found = calloc(c.mask_count, sizeof *c.found);
                kernel_output *output = kernel_output_create(threads, 1, 0, collect_flush, &c);
                assert_non_null(output);
                kernel_params params = {.data = &d.data, .min_count = 100,
                                        .target = (fimbit_target)target, .max_size = 0,
                                        .threads = threads, .output = output};
                fimbit__alloc_fail_after(n);
                fimbit_status status = eclat_mine(&params);
                fimbit__alloc_fail_after(0);
                if (status == FIMBIT_OK) {
                    finished = true;
                    assert_int_equal(kernel_output_finish(output), 0);
                    uint64_t *expected =
                        brute_expected(&d, counts, 100, (fimbit_target)target, 0);
                    for (size_t mask = 1; mask < c.mask_count; mask++)
                        assert_int_equal(c.found[mask], expected[mask]);
                    free(expected);
                } else {
                    /* ECANCELED: the sink's own memory ran out and it stopped. */
                    assert_true(status == FIMBIT_ENOMEM || status == FIMBIT_ECANCELED);
                }
                kernel_output_free(output);
                omp_destroy_lock(&c.lock);
                free(c.found);
            }
            assert_true(finished);
        }
    }
    free(counts);
    dataset_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_random),
        cmocka_unit_test(test_dense_and_sparse_shards),
        cmocka_unit_test(test_threshold_edges),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_many_items),
        cmocka_unit_test(test_projection_ranks_in_bytes),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
