/*
 * The FP-growth kernel against a brute-force enumeration: random small
 * datasets of various densities, basket lengths and item counts, every target
 * at 1, 2 and 4 threads, with and without size bounds. The kernel is driven
 * directly (kernel_data in rank space, the real sinks), so these tests pin the
 * kernel down independently of the readers and the driver.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/internal.h"
#include "kernels/kernel.h"
#include "encode/shard.h"
#include "store/sink.h"
#include "test_rounds.h"

#define MAX_RANKS 14u
#define MAX_THREADS 4

/* ------------------------------------------------------------- datasets */

static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_unit(uint64_t *state) { return (double)(rng_next(state) >> 11) / 9007199254740992.0; }

/* A dataset in the kernel's form: frequent items recoded by non-increasing
 * support, baskets as ascending ranks, and the same baskets as rank masks for
 * the brute force. */
typedef struct test_dataset {
    kernel_data data;
    uint64_t min_count;
    uint64_t *support;
    uint64_t *offsets;
    uint32_t *items;
    uint32_t *masks; /* by kernel basket */
    uint64_t *subset_support; /* by rank mask, counted once on first use */
    shard_vertical *vertical;
} test_dataset;

/* Baskets over `raw_items` items, each item in a basket with its own
 * probability drawn in [low, high]; a few "pattern" baskets repeat so that
 * closed and maximal sets are not all trivial. Items below min_count are
 * dropped and the rest ranked as the driver does. */
static void make_dataset_capped(uint64_t seed, uint32_t raw_items, uint32_t baskets, double low,
                                double high, uint64_t min_count, uint32_t max_ranks,
                                test_dataset *out)
{
    uint64_t state = seed;
    assert_true(raw_items <= 20);
    double p[20];
    for (uint32_t i = 0; i < raw_items; i++)
        p[i] = low + (high - low) * rng_unit(&state);
    uint32_t *raw = calloc(baskets ? baskets : 1, sizeof *raw);
    assert_non_null(raw);
    uint32_t pattern = 0;
    for (uint32_t i = 0; i < raw_items; i++)
        if (rng_unit(&state) < 0.5)
            pattern |= 1u << i;
    for (uint32_t b = 0; b < baskets; b++) {
        if (rng_unit(&state) < 0.15) {
            raw[b] = pattern;
            continue;
        }
        for (uint32_t i = 0; i < raw_items; i++)
            if (rng_unit(&state) < p[i])
                raw[b] |= 1u << i;
    }
    uint64_t count[20] = {0};
    for (uint32_t b = 0; b < baskets; b++)
        for (uint32_t i = 0; i < raw_items; i++)
            count[i] += (raw[b] >> i) & 1u;
    /* Rank by non-increasing support, ties by id; keep the frequent ones. */
    uint32_t order[20];
    for (uint32_t i = 0; i < raw_items; i++)
        order[i] = i;
    for (uint32_t i = 1; i < raw_items; i++)
        for (uint32_t j = i; j > 0 && count[order[j - 1]] < count[order[j]]; j--) {
            uint32_t swap = order[j];
            order[j] = order[j - 1];
            order[j - 1] = swap;
        }
    uint32_t frequent = 0;
    while (frequent < raw_items && count[order[frequent]] >= min_count)
        frequent++;
    if (frequent > max_ranks)
        frequent = max_ranks; /* the rest are treated as absent */

    memset(out, 0, sizeof *out);
    out->min_count = min_count;
    out->support = calloc(frequent + 1, sizeof *out->support);
    out->offsets = calloc((size_t)baskets + 1, sizeof *out->offsets);
    out->items = calloc((size_t)baskets * max_ranks + 1, sizeof *out->items);
    out->masks = calloc((size_t)baskets + 1, sizeof *out->masks);
    assert_true(out->support && out->offsets && out->items && out->masks);
    uint64_t tx = 0, used = 0;
    for (uint32_t b = 0; b < baskets; b++) {
        uint32_t mask = 0;
        for (uint32_t r = 0; r < frequent; r++)
            if ((raw[b] >> order[r]) & 1u) {
                out->items[used++] = r;
                mask |= 1u << r;
            }
        if (mask == 0)
            continue;
        out->masks[tx] = mask;
        out->offsets[++tx] = used;
    }
    for (uint32_t r = 0; r < frequent; r++)
        out->support[r] = count[order[r]];
    out->data.item_count = frequent;
    out->data.item_support = out->support;
    out->data.tx_count = tx;
    out->data.tx_offsets = out->offsets;
    out->data.tx_items = out->items;
    free(raw);
}

/* A dataset small enough for the brute force: at most MAX_RANKS ranks. */
static void make_dataset(uint64_t seed, uint32_t raw_items, uint32_t baskets, double low,
                         double high, uint64_t min_count, test_dataset *out)
{
    make_dataset_capped(seed, raw_items, baskets, low, high, min_count, MAX_RANKS, out);
}

static void build_vertical(test_dataset *d)
{
    if (d->vertical || d->data.item_count == 0)
        return;
    assert_int_equal(shard_build_vertical(&d->data, 2, &d->vertical), FIMBIT_OK);
}

static void free_dataset(test_dataset *d)
{
    shard_vertical_free(d->vertical);
    free(d->support);
    free(d->offsets);
    free(d->items);
    free(d->masks);
    free(d->subset_support);
}

/* ---------------------------------------------------------- brute force */

/* expected[mask] = the count to be reported for the itemset `mask`, or 0 when
 * it must not be reported. */
static uint64_t *brute_force(test_dataset *d, fimbit_target target, uint32_t min_size,
                             uint32_t max_size)
{
    uint32_t f = d->data.item_count;
    size_t subsets = (size_t)1 << f;
    if (!d->subset_support) {
        d->subset_support = calloc(subsets, sizeof *d->subset_support);
        assert_non_null(d->subset_support);
        for (size_t m = 0; m < subsets; m++)
            for (uint64_t b = 0; b < d->data.tx_count; b++)
                if ((d->masks[b] & m) == m)
                    d->subset_support[m]++;
    }
    const uint64_t *support = d->subset_support;
    uint64_t *expected = calloc(subsets, sizeof *expected);
    assert_non_null(expected);
    for (size_t m = 1; m < subsets; m++) {
        if (support[m] < d->min_count)
            continue;
        uint32_t size = (uint32_t)__builtin_popcount((unsigned)m);
        if (size < min_size || (max_size && size > max_size))
            continue;
        bool keep = true;
        for (uint32_t x = 0; x < f && keep; x++) {
            if ((m >> x) & 1u)
                continue;
            uint64_t s = support[m | ((size_t)1 << x)];
            if (target == FIMBIT_TARGET_CLOSED && s == support[m])
                keep = false;
            if (target == FIMBIT_TARGET_MAXIMAL && s >= d->min_count)
                keep = false;
        }
        if (keep)
            expected[m] = support[m];
    }
    return expected;
}

/* ---------------------------------------------------------- collecting */

typedef struct collected {
    uint32_t *words[MAX_THREADS];
    size_t used[MAX_THREADS];
    size_t capacity[MAX_THREADS];
    int stop_after; /* flushes before asking to stop; 0 = never */
    int flushes;
} collected;

static int collect_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    collected *c = context;
    assert_true(thread >= 0 && thread < MAX_THREADS);
    if (c->used[thread] + words > c->capacity[thread]) {
        size_t capacity = (c->used[thread] + words) * 2;
        c->words[thread] = realloc(c->words[thread], capacity * sizeof(uint32_t));
        assert_non_null(c->words[thread]);
        c->capacity[thread] = capacity;
    }
    memcpy(c->words[thread] + c->used[thread], records, words * sizeof(uint32_t));
    c->used[thread] += words;
    int flushes = __atomic_add_fetch(&c->flushes, 1, __ATOMIC_RELAXED);
    return c->stop_after && flushes >= c->stop_after;
}

static void collected_free(collected *c)
{
    for (int t = 0; t < MAX_THREADS; t++)
        free(c->words[t]);
}

static fimbit_status run_fpgrowth(test_dataset *d, fimbit_target target, uint32_t min_size,
                                  uint32_t max_size, int threads, collected *c)
{
    memset(c, 0, sizeof *c);
    if (target != FIMBIT_TARGET_ALL)
        build_vertical(d);
    kernel_output *output = kernel_output_create(threads, min_size, max_size, collect_flush, c);
    assert_non_null(output);
    kernel_params params = {.data = &d->data, .min_count = d->min_count, .target = target,
                            .max_size = max_size, .threads = threads, .output = output};
    fimbit_status status = fpgrowth_mine(&params);
    if (status == FIMBIT_OK && kernel_output_finish(output))
        status = FIMBIT_ECANCELED;
    kernel_output_free(output);
    return status;
}

static const char *target_name(fimbit_target target)
{
    return target == FIMBIT_TARGET_ALL ? "all" : target == FIMBIT_TARGET_CLOSED ? "closed" : "maximal";
}

/* Mines `d` and checks every reported itemset against the brute force: each
 * reported once, with the right count, and none missing. */
static void check_target(test_dataset *d, fimbit_target target, uint32_t min_size,
                         uint32_t max_size, int threads, uint64_t seed)
{
    uint32_t f = d->data.item_count;
    uint64_t *expected = brute_force(d, target, min_size, max_size);
    size_t subsets = (size_t)1 << f;
    uint8_t *seen = calloc(subsets, 1);
    assert_non_null(seen);
    collected c;
    fimbit_status status = run_fpgrowth(d, target, min_size, max_size, threads, &c);
    if (status != FIMBIT_OK)
        fail_msg("seed %llu %s: status %d", (unsigned long long)seed, target_name(target),
                 (int)status);
    for (int t = 0; t < MAX_THREADS; t++) {
        const uint32_t *r = c.words[t], *end = c.words[t] + c.used[t];
        for (; r && r < end; r = sink_record_next(r)) {
            uint32_t size = sink_record_size(r);
            const uint32_t *items = sink_record_items(r);
            uint32_t mask = 0;
            for (uint32_t i = 0; i < size; i++) {
                assert_true(items[i] < f);
                if (i > 0)
                    assert_true(items[i - 1] < items[i]);
                mask |= 1u << items[i];
            }
            if (expected[mask] == 0 || seen[mask] || expected[mask] != sink_record_count(r))
                fail_msg("seed %llu %s threads %d sizes %u..%u: itemset 0x%x count %llu "
                         "(expected %llu, seen %d)",
                         (unsigned long long)seed, target_name(target), threads, min_size,
                         max_size, mask, (unsigned long long)sink_record_count(r),
                         (unsigned long long)expected[mask], seen[mask]);
            seen[mask] = 1;
        }
    }
    for (size_t m = 0; m < subsets; m++)
        if (expected[m] && !seen[m])
            fail_msg("seed %llu %s threads %d sizes %u..%u: itemset 0x%zx (count %llu) missing",
                     (unsigned long long)seed, target_name(target), threads, min_size,
                     max_size, m, (unsigned long long)expected[m]);
    collected_free(&c);
    free(seen);
    free(expected);
}

static void check_all_targets(test_dataset *d, uint64_t seed)
{
    static const fimbit_target targets[] = {FIMBIT_TARGET_ALL, FIMBIT_TARGET_CLOSED,
                                            FIMBIT_TARGET_MAXIMAL};
    static const int thread_counts[] = {1, 2, 4};
    for (size_t t = 0; t < 3; t++)
        for (size_t n = 0; n < 3; n++) {
            check_target(d, targets[t], 1, 0, thread_counts[n], seed);
            check_target(d, targets[t], 1, 2, thread_counts[n], seed);
            check_target(d, targets[t], 2, 4, thread_counts[n], seed);
        }
}


/* ------------------------------------------------- many items, sparse */

/* A sparse dataset over hundreds of items, too many for the brute force: ALL
 * is checked against counts from per-rank basket bitsets (every reported
 * count, and every one-item extension of a reported itemset that is frequent
 * must be reported too), then CLOSED and MAXIMAL against what ALL implies. */
typedef struct itemset_list {
    uint32_t *words; /* records as the sink writes them, sorted */
    const uint32_t **records;
    size_t count;
} itemset_list;

static int record_compare(const void *x, const void *y)
{
    const uint32_t *a = *(const uint32_t *const *)x, *b = *(const uint32_t *const *)y;
    uint32_t na = sink_record_size(a), nb = sink_record_size(b);
    if (na != nb)
        return na < nb ? -1 : 1;
    const uint32_t *ia = sink_record_items(a), *ib = sink_record_items(b);
    for (uint32_t i = 0; i < na; i++)
        if (ia[i] != ib[i])
            return ia[i] < ib[i] ? -1 : 1;
    return 0;
}

static void list_from(collected *c, itemset_list *list)
{
    size_t words = 0;
    for (int t = 0; t < MAX_THREADS; t++)
        words += c->used[t];
    list->words = malloc((words + 1) * sizeof *list->words);
    list->records = malloc((words / SINK_RECORD_HEADER_WORDS + 1) * sizeof *list->records);
    assert_true(list->words && list->records);
    size_t used = 0;
    list->count = 0;
    for (int t = 0; t < MAX_THREADS; t++) {
        if (c->used[t] == 0)
            continue; /* a thread that reported nothing has no buffer */
        memcpy(list->words + used, c->words[t], c->used[t] * sizeof(uint32_t));
        const uint32_t *r = list->words + used, *end = list->words + used + c->used[t];
        for (; r < end; r = sink_record_next(r))
            list->records[list->count++] = r;
        used += c->used[t];
    }
    if (list->count > 1)
        qsort(list->records, list->count, sizeof *list->records, record_compare);
}

static void list_free(itemset_list *list)
{
    free(list->words);
    free(list->records);
}

/* @return the count of the itemset items[0 .. size) (sorted) in the list, or
 *         0 when it is not there. */
static uint64_t list_find(const itemset_list *list, const uint32_t *items, uint32_t size)
{
    uint32_t key[3 + 64];
    assert_true(size <= 64);
    key[0] = size;
    memcpy(key + 3, items, size * sizeof *items);
    const uint32_t *probe = key;
    const uint32_t **hit = bsearch(&probe, list->records, list->count, sizeof *list->records,
                                   record_compare);
    return hit ? sink_record_count(*hit) : 0;
}

static void make_sparse_dataset(uint64_t seed, uint32_t raw_items, uint32_t baskets,
                                uint64_t min_count, test_dataset *out, uint64_t **bits,
                                size_t *words)
{
    uint64_t state = seed;
    uint64_t *count = calloc(raw_items, sizeof *count);
    uint32_t *raw = calloc((size_t)baskets * 12, sizeof *raw);
    uint32_t *length = calloc(baskets, sizeof *length);
    assert_true(count && raw && length);
    for (uint32_t b = 0; b < baskets; b++) {
        uint32_t want = 1 + (uint32_t)(rng_next(&state) % 12);
        for (uint32_t k = 0; k < want; k++) {
            double u = rng_unit(&state);
            uint32_t item = (uint32_t)(u * u * raw_items); /* skewed: low ids frequent */
            bool seen = false;
            for (uint32_t i = 0; i < length[b] && !seen; i++)
                seen = raw[(size_t)b * 12 + i] == item;
            if (!seen) {
                raw[(size_t)b * 12 + length[b]++] = item;
                count[item]++;
            }
        }
    }
    uint32_t *order = calloc(raw_items, sizeof *order), *rank = calloc(raw_items, sizeof *rank);
    assert_true(order && rank);
    for (uint32_t i = 0; i < raw_items; i++)
        order[i] = i;
    for (uint32_t i = 1; i < raw_items; i++)
        for (uint32_t j = i; j > 0 && count[order[j - 1]] < count[order[j]]; j--) {
            uint32_t swap = order[j];
            order[j] = order[j - 1];
            order[j - 1] = swap;
        }
    uint32_t frequent = 0;
    while (frequent < raw_items && count[order[frequent]] >= min_count)
        frequent++;
    for (uint32_t i = 0; i < raw_items; i++)
        rank[i] = UINT32_MAX;
    for (uint32_t r = 0; r < frequent; r++)
        rank[order[r]] = r;

    memset(out, 0, sizeof *out);
    out->min_count = min_count;
    out->support = calloc(frequent + 1, sizeof *out->support);
    out->offsets = calloc((size_t)baskets + 1, sizeof *out->offsets);
    out->items = calloc((size_t)baskets * 12 + 1, sizeof *out->items);
    out->masks = calloc(1, sizeof *out->masks);
    *words = (baskets + 63) / 64;
    *bits = calloc((size_t)(frequent + 1) * *words, sizeof **bits);
    assert_true(out->support && out->offsets && out->items && *bits);
    uint64_t tx = 0, used = 0;
    for (uint32_t b = 0; b < baskets; b++) {
        uint64_t start = used;
        for (uint32_t i = 0; i < length[b]; i++) {
            uint32_t r = rank[raw[(size_t)b * 12 + i]];
            if (r == UINT32_MAX)
                continue;
            uint64_t k = used++;
            while (k > start && out->items[k - 1] > r) { /* insertion: ascending */
                out->items[k] = out->items[k - 1];
                k--;
            }
            out->items[k] = r;
        }
        if (used == start)
            continue;
        for (uint64_t k = start; k < used; k++)
            (*bits)[(size_t)out->items[k] * *words + tx / 64] |= (uint64_t)1 << (tx % 64);
        out->offsets[++tx] = used;
    }
    for (uint32_t r = 0; r < frequent; r++)
        out->support[r] = count[order[r]];
    out->data.item_count = frequent;
    out->data.item_support = out->support;
    out->data.tx_count = tx;
    out->data.tx_offsets = out->offsets;
    out->data.tx_items = out->items;
    free(count);
    free(raw);
    free(length);
    free(order);
    free(rank);
}

static void check_sparse(uint64_t seed, uint32_t raw_items, uint32_t baskets, uint64_t min_count)
{
    test_dataset d;
    uint64_t *bits;
    size_t words;
    make_sparse_dataset(seed, raw_items, baskets, min_count, &d, &bits, &words);
    uint32_t f = d.data.item_count;
    collected c;
    assert_int_equal(run_fpgrowth(&d, FIMBIT_TARGET_ALL, 1, 0, 2, &c), FIMBIT_OK);
    itemset_list all;
    list_from(&c, &all);
    collected_free(&c);

    /* ALL: counts, no duplicates, and closed under frequent one-item growth. */
    uint64_t *x = malloc(words * sizeof *x);
    uint32_t grown[66];
    assert_non_null(x);
    for (size_t i = 0; i + 1 < all.count; i++)
        assert_int_not_equal(record_compare(&all.records[i], &all.records[i + 1]), 0);
    for (size_t i = 0; i <= all.count; i++) {
        uint32_t size = i < all.count ? sink_record_size(all.records[i]) : 0;
        const uint32_t *items = i < all.count ? sink_record_items(all.records[i]) : NULL;
        assert_true(size < 64);
        for (size_t w = 0; w < words; w++)
            x[w] = ~(uint64_t)0;
        for (uint32_t k = 0; k < size; k++)
            for (size_t w = 0; w < words; w++)
                x[w] &= bits[(size_t)items[k] * words + w];
        uint64_t support = 0;
        for (size_t w = 0; w < words; w++)
            support += (uint64_t)__builtin_popcountll(x[w]);
        if (i < all.count && size > 0)
            assert_int_equal(support, sink_record_count(all.records[i]));
        for (uint32_t y = 0; y < f; y++) {
            uint32_t n = 0;
            bool member = false;
            for (uint32_t k = 0; k < size; k++) {
                member |= items[k] == y;
                if (items[k] < y)
                    grown[n++] = items[k];
            }
            if (member)
                continue;
            grown[n++] = y;
            for (uint32_t k = 0; k < size; k++)
                if (items[k] > y)
                    grown[n++] = items[k];
            uint64_t s = 0;
            for (size_t w = 0; w < words; w++)
                s += (uint64_t)__builtin_popcountll(x[w] & bits[(size_t)y * words + w]);
            if (s >= min_count && (size > 0 || i == all.count))
                assert_int_equal(list_find(&all, grown, n), s);
        }
    }

    /* CLOSED and MAXIMAL: what ALL implies, at 1 and 2 threads. */
    build_vertical(&d);
    for (int target = FIMBIT_TARGET_CLOSED; target <= FIMBIT_TARGET_MAXIMAL; target++) {
        size_t expected = 0;
        for (size_t i = 0; i < all.count; i++) {
            uint32_t size = sink_record_size(all.records[i]);
            const uint32_t *items = sink_record_items(all.records[i]);
            uint64_t count = sink_record_count(all.records[i]);
            bool keep = true;
            for (uint32_t y = 0; y < f && keep; y++) {
                uint32_t n = 0;
                bool member = false;
                for (uint32_t k = 0; k < size; k++) {
                    member |= items[k] == y;
                    if (items[k] < y)
                        grown[n++] = items[k];
                }
                if (member)
                    continue;
                grown[n++] = y;
                for (uint32_t k = 0; k < size; k++)
                    if (items[k] > y)
                        grown[n++] = items[k];
                uint64_t s = list_find(&all, grown, n);
                keep = target == FIMBIT_TARGET_CLOSED ? s != count : s == 0;
            }
            if (!keep)
                continue;
            expected++;
        }
        for (int threads = 1; threads <= 2; threads++) {
            assert_int_equal(run_fpgrowth(&d, (fimbit_target)target, 1, 0, threads, &c),
                             FIMBIT_OK);
            itemset_list got;
            list_from(&c, &got);
            collected_free(&c);
            if (got.count != expected)
                fail_msg("seed %llu %s threads %d: %zu itemsets, expected %zu",
                         (unsigned long long)seed, target_name((fimbit_target)target), threads,
                         got.count, expected);
            for (size_t i = 0; i + 1 < got.count; i++)
                assert_int_not_equal(record_compare(&got.records[i], &got.records[i + 1]), 0);
            for (size_t i = 0; i < got.count; i++) {
                uint32_t size = sink_record_size(got.records[i]);
                const uint32_t *items = sink_record_items(got.records[i]);
                assert_int_equal(list_find(&all, items, size), sink_record_count(got.records[i]));
                for (uint32_t y = 0; y < f; y++) {
                    uint32_t n = 0;
                    bool member = false;
                    for (uint32_t k = 0; k < size; k++) {
                        member |= items[k] == y;
                        if (items[k] < y)
                            grown[n++] = items[k];
                    }
                    if (member)
                        continue;
                    grown[n++] = y;
                    for (uint32_t k = 0; k < size; k++)
                        if (items[k] > y)
                            grown[n++] = items[k];
                    uint64_t s = list_find(&all, grown, n);
                    if (target == FIMBIT_TARGET_CLOSED)
                        assert_int_not_equal(s, sink_record_count(got.records[i]));
                    else
                        assert_int_equal(s, 0);
                }
            }
            list_free(&got);
        }
    }
    list_free(&all);
    free(x);
    free(bits);
    free_dataset(&d);
}

static void test_sparse_many_items(void **state)
{
    (void)state;
    check_sparse(501, 300, 3000, 3);
    check_sparse(502, 120, 2000, 2);
    check_sparse(503, 600, 3000, 3);
    check_sparse(504, 60, 1500, 2);
}

/* ---------------------------------------------------------------- tests */

static void test_random_small(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 150; seed += test_round_stride()) {
        uint64_t s = seed * 7919u;
        uint32_t raw_items = 1 + (uint32_t)(rng_next(&s) % 12);
        uint32_t baskets = 1 + (uint32_t)(rng_next(&s) % 60);
        double low = rng_unit(&s) * 0.6;
        double high = low + rng_unit(&s) * (1.0 - low);
        uint64_t min_count = 1 + rng_next(&s) % (baskets / 4 + 2);
        test_dataset d;
        make_dataset(seed, raw_items, baskets, low, high, min_count, &d);
        check_all_targets(&d, seed);
        free_dataset(&d);
    }
}

/* Thousands of baskets: the global tree is big enough that depth-1
 * conditional trees are split into tasks. */
static void test_random_large(void **state)
{
    (void)state;
    static const struct {
        uint32_t items, baskets;
        double low, high;
        uint64_t min_count;
    } cases[] = {
        {14, 6000, 0.3, 0.7, 20},  {14, 4000, 0.05, 0.5, 5},  {13, 3000, 0.6, 0.95, 900},
        {14, 5000, 0.1, 0.3, 1},   {12, 2000, 0.4, 0.9, 300},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_dataset d;
        make_dataset(1000 + i, cases[i].items, cases[i].baskets, cases[i].low, cases[i].high,
                     cases[i].min_count, &d);
        check_all_targets(&d, 1000 + i);
        free_dataset(&d);
    }
}

/* ALL mines the conditional bases of few items on bit tables: at limits from
 * 0 (conditional trees only) to the default, every base size meets both
 * paths, with size bounds (a bound inside a bit table's recursion) and on 1
 * and 2 threads. */
static void test_bit_tables(void **state)
{
    (void)state;
    static const uint32_t limits[] = {0, 1, 2, 3, 5, 16};
    for (uint64_t seed = 1; seed <= 40; seed += test_round_stride()) {
        uint64_t s = seed * 104729u;
        uint32_t raw_items = 2 + (uint32_t)(rng_next(&s) % 13);
        uint32_t baskets = 1 + (uint32_t)(rng_next(&s) % (seed <= 30 ? 80 : 3000));
        double low = rng_unit(&s) * 0.6;
        double high = low + rng_unit(&s) * (1.0 - low);
        uint64_t min_count = 1 + rng_next(&s) % (baskets / 8 + 2);
        test_dataset d;
        make_dataset(seed, raw_items, baskets, low, high, min_count, &d);
        for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
            fpgrowth_set_bit_table_items(limits[l]);
            for (int threads = 1; threads <= 2; threads++) {
                check_target(&d, FIMBIT_TARGET_ALL, 1, 0, threads, seed);
                check_target(&d, FIMBIT_TARGET_ALL, 1, 3, threads, seed);
                check_target(&d, FIMBIT_TARGET_ALL, 2, 5, threads, seed);
            }
        }
        fpgrowth_set_bit_table_items(16);
        free_dataset(&d);
    }
}

/* More baskets than a shard holds: tidsets span several shards, and the
 * global tree's baskets are sorted on every thread (1, 2 and 4 of them). */
static void test_several_shards(void **state)
{
    (void)state;
    test_dataset d;
    make_dataset(4242, 10, SHARD_BASKETS + 9000, 0.2, 0.8, 500, &d);
    check_target(&d, FIMBIT_TARGET_ALL, 1, 0, 1, 4242);
    check_target(&d, FIMBIT_TARGET_ALL, 1, 0, 2, 4242);
    check_target(&d, FIMBIT_TARGET_ALL, 1, 0, 4, 4242);
    check_target(&d, FIMBIT_TARGET_CLOSED, 1, 0, 2, 4242);
    check_target(&d, FIMBIT_TARGET_MAXIMAL, 1, 0, 2, 4242);
    check_target(&d, FIMBIT_TARGET_CLOSED, 1, 3, 1, 4242);
    free_dataset(&d);
}

/* Every basket holds the most frequent items: perfect extensions everywhere,
 * and single-path conditional trees. */
static void test_perfect_extensions(void **state)
{
    (void)state;
    test_dataset d;
    make_dataset(77, 10, 40, 0.95, 1.0, 2, &d);
    check_all_targets(&d, 77);
    free_dataset(&d);
    make_dataset(78, 6, 30, 1.0, 1.0, 1, &d);
    check_all_targets(&d, 78);
    free_dataset(&d);
}

static void test_empty(void **state)
{
    (void)state;
    test_dataset d;
    make_dataset(5, 5, 10, 0.1, 0.2, 100, &d); /* nothing frequent */
    assert_int_equal(d.data.item_count, 0);
    collected c;
    assert_int_equal(run_fpgrowth(&d, FIMBIT_TARGET_ALL, 1, 0, 2, &c), FIMBIT_OK);
    for (int t = 0; t < MAX_THREADS; t++)
        assert_int_equal(c.used[t], 0);
    collected_free(&c);
    free_dataset(&d);
}

/* A consumer that stops: the kernel unwinds with FIMBIT_ECANCELED. */
static void test_stop(void **state)
{
    (void)state;
    test_dataset d;
    /* 20 items, about a million itemsets: every sink fills up and flushes. */
    make_dataset_capped(9, 20, 3000, 0.3, 0.8, 1, 20, &d);
    for (int threads = 1; threads <= 4; threads *= 2) {
        for (int target = FIMBIT_TARGET_ALL; target <= FIMBIT_TARGET_CLOSED; target++) {
            if (target != FIMBIT_TARGET_ALL)
                build_vertical(&d);
            collected c;
            memset(&c, 0, sizeof c);
            c.stop_after = 1;
            kernel_output *output = kernel_output_create(threads, 1, 0, collect_flush, &c);
            assert_non_null(output);
            kernel_params params = {.data = &d.data, .min_count = d.min_count,
                                    .target = (fimbit_target)target, .max_size = 0,
                                    .threads = threads, .output = output};
            assert_int_equal(fpgrowth_mine(&params), FIMBIT_ECANCELED);
            kernel_output_free(output);
            collected_free(&c);
        }
    }
    free_dataset(&d);
}

/* Memory running out anywhere in the kernel: it returns FIMBIT_ENOMEM (or
 * FIMBIT_ECANCELED when a sink could not grow) and frees what it took. */
static void test_out_of_memory(void **state)
{
    (void)state;
    test_dataset d;
    make_dataset(31, 12, 3000, 0.2, 0.7, 3, &d);
    build_vertical(&d);
    for (int target = FIMBIT_TARGET_ALL; target <= FIMBIT_TARGET_MAXIMAL; target++) {
        for (int threads = 1; threads <= 2; threads++) {
            bool succeeded = false;
            for (uint64_t n = 1; n <= 400 && !succeeded; n += n < 40 ? 1 : 17) {
                collected c;
                memset(&c, 0, sizeof c);
                kernel_output *output = kernel_output_create(threads, 1, 0, collect_flush, &c);
                assert_non_null(output);
                kernel_params params = {.data = &d.data, .min_count = d.min_count,
                                        .target = (fimbit_target)target, .max_size = 0,
                                        .threads = threads, .output = output};
                fimbit__alloc_fail_after(n);
                fimbit_status status = fpgrowth_mine(&params);
                fimbit__alloc_fail_after(0);
                assert_true(status == FIMBIT_OK || status == FIMBIT_ENOMEM ||
                            status == FIMBIT_ECANCELED);
                succeeded = status == FIMBIT_OK;
                kernel_output_free(output);
                collected_free(&c);
            }
            assert_true(succeeded);
        }
    }
    free_dataset(&d);
}

/* What a release_horizontal hook saw: its calls, and the baskets it
 * poisoned (so that a kernel reading them after would go wrong) and keeps
 * to restore. */
typedef struct release_probe {
    test_dataset *d;
    int calls;
    uint32_t *saved;
} release_probe;

static void poison_baskets(void *owner)
{
    release_probe *probe = owner;
    test_dataset *d = probe->d;
    size_t n = d->offsets[d->data.tx_count];
    probe->calls++;
    probe->saved = malloc((n ? n : 1) * sizeof *probe->saved);
    assert_non_null(probe->saved);
    memcpy(probe->saved, d->items, n * sizeof *d->items);
    memset(d->items, 0xFF, n * sizeof *d->items);
}

/* FPmax's one walk over every branch (at any thread count) gives the baskets
 * back once the global tree is built, and reads them no more; the other
 * walks (other targets) read them to the end and never call the hook. */
static void test_release_horizontal(void **state)
{
    (void)state;
    static const fimbit_target targets[] = {FIMBIT_TARGET_ALL, FIMBIT_TARGET_CLOSED,
                                            FIMBIT_TARGET_MAXIMAL};
    for (uint64_t seed = 1; seed <= 40; seed += test_round_stride()) {
        uint64_t s = seed * 104729u;
        uint32_t baskets = 20 + (uint32_t)(rng_next(&s) % 400);
        test_dataset d;
        make_dataset(seed, 12, baskets, 0.1, 0.7, 1 + rng_next(&s) % 8, &d);
        release_probe probe = {.d = &d};
        d.data.release_horizontal = poison_baskets;
        d.data.horizontal_owner = &probe;
        for (int threads = 1; threads <= 2; threads++)
            for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
                probe.calls = 0;
                check_target(&d, targets[t], 1, 0, threads, seed);
                bool released = targets[t] == FIMBIT_TARGET_MAXIMAL && d.data.tx_count > 0;
                assert_int_equal(probe.calls, released ? 1 : 0);
                if (probe.saved) {
                    memcpy(d.items, probe.saved, d.offsets[d.data.tx_count] * sizeof *d.items);
                    free(probe.saved);
                    probe.saved = NULL;
                }
            }
        free_dataset(&d);
    }
}

static void test_needs_vertical(void **state)
{
    (void)state;
    kernel_params params = {.target = FIMBIT_TARGET_ALL};
    assert_false(fpgrowth_needs_vertical(&params));
    params.target = FIMBIT_TARGET_CLOSED;
    assert_true(fpgrowth_needs_vertical(&params));
    params.target = FIMBIT_TARGET_MAXIMAL;
    assert_false(fpgrowth_needs_vertical(&params));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_needs_vertical),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_perfect_extensions),
        cmocka_unit_test(test_random_small),
        cmocka_unit_test(test_random_large),
        cmocka_unit_test(test_several_shards),
        cmocka_unit_test(test_bit_tables),
        cmocka_unit_test(test_sparse_many_items),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_release_horizontal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
