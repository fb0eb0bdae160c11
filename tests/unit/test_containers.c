/*
 * Container operations against an obviously correct reference: every basket
 * set is also kept as a plain array of booleans, and every operation's answer
 * is recomputed from those, for every kind pair (array/bitmap), on random sets
 * of many densities and on the shard sizes at the edges (1, 63, 64, 65, a full
 * shard of 65536). Also the tidset layer over several shards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernels/arena.h"
#include "kernels/containers.h"
#include "kernels/tidset.h"

/* ------------------------------------------------------------- helpers */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A set of baskets of one shard, in reference form and as a container. */
typedef struct test_set {
    uint32_t baskets;
    bool *in;          /* baskets entries */
    uint32_t cardinality;
    uint16_t *array;   /* sorted members */
    uint64_t *bits;    /* words words */
    container as;      /* the container under test */
} test_set;

/* Draws a set with membership probability `density`; stored as `kind`. */
static void set_make(test_set *s, uint32_t baskets, double density, container_kind kind)
{
    uint16_t words = container_words_for(baskets);
    s->baskets = baskets;
    s->in = calloc(baskets, sizeof *s->in);
    s->array = calloc(baskets + 1, sizeof *s->array);
    s->bits = calloc(words, sizeof *s->bits);
    s->cardinality = 0;
    uint64_t threshold = (uint64_t)(density * 18446744073709551615.0);
    for (uint32_t b = 0; b < baskets; b++) {
        bool member = density >= 1.0 || (density > 0.0 && rng_next() <= threshold);
        s->in[b] = member;
        if (member) {
            s->array[s->cardinality++] = (uint16_t)b;
            s->bits[b / 64] |= (uint64_t)1 << (b % 64);
        }
    }
    s->as.cardinality = s->cardinality;
    s->as.words = words;
    if (kind == CONTAINER_BITMAP && s->cardinality > 0) {
        s->as.kind = CONTAINER_BITMAP;
        s->as.u.bits = s->bits;
    } else {
        s->as.kind = CONTAINER_ARRAY;
        s->as.u.array = s->array;
    }
}

/* A random subset of `of`, so that subset tests also see true answers. */
static void set_make_subset(test_set *s, const test_set *of, double keep, container_kind kind)
{
    set_make(s, of->baskets, 0.0, kind);
    uint64_t threshold = (uint64_t)(keep * 18446744073709551615.0);
    s->cardinality = 0;
    for (uint32_t b = 0; b < of->baskets; b++) {
        bool member = of->in[b] && (keep >= 1.0 || rng_next() <= threshold);
        s->in[b] = member;
        if (member) {
            s->array[s->cardinality++] = (uint16_t)b;
            s->bits[b / 64] |= (uint64_t)1 << (b % 64);
        }
    }
    s->as.cardinality = s->cardinality;
    if (kind == CONTAINER_BITMAP && s->cardinality > 0) {
        s->as.kind = CONTAINER_BITMAP;
        s->as.u.bits = s->bits;
    } else {
        s->as.kind = CONTAINER_ARRAY;
        s->as.u.array = s->array;
    }
}

static void set_free(test_set *s)
{
    free(s->in);
    free(s->array);
    free(s->bits);
}

static uint32_t reference_count(const test_set *a, const test_set *b)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < a->baskets; i++)
        count += a->in[i] && b->in[i];
    return count;
}

static bool reference_subset(const test_set *a, const test_set *b)
{
    for (uint32_t i = 0; i < a->baskets; i++)
        if (a->in[i] && !b->in[i])
            return false;
    return true;
}

/* Checks that container c holds exactly a ∩ b and is well formed. */
static void check_result(const container *c, const test_set *a, const test_set *b)
{
    uint32_t expected = reference_count(a, b);
    assert_int_equal(c->cardinality, expected);
    assert_int_equal(c->words, a->as.words);
    uint16_t *members = malloc((expected + 1) * sizeof *members);
    container_to_array(c, members);
    uint32_t n = 0;
    for (uint32_t i = 0; i < a->baskets; i++) {
        if (a->in[i] && b->in[i]) {
            assert_int_equal(members[n], i);
            n++;
        }
    }
    /* Membership at a sample of places (every place in small shards). */
    uint32_t probes = a->baskets < 512 ? a->baskets : 512;
    for (uint32_t p = 0; p < probes; p++) {
        uint32_t i = a->baskets < 512 ? p : (uint32_t)(rng_next() % a->baskets);
        assert_int_equal(container_contains(c, i), a->in[i] && b->in[i]);
    }
    if (c->kind == CONTAINER_ARRAY)
        for (uint32_t i = 1; i < expected; i++)
            assert_true(c->u.array[i - 1] < c->u.array[i]);
    free(members);
}

/* Every operation on one pair, against the reference. */
static void check_pair(test_set *a, test_set *b, arena *scratch)
{
    uint32_t expected = reference_count(a, b);
    assert_int_equal(container_intersect_count(&a->as, &b->as), expected);
    assert_int_equal(container_is_subset(&a->as, &b->as), reference_subset(a, b));

    arena_mark start = arena_save(scratch);
    container out;
    assert_true(container_intersect(&a->as, &b->as, scratch, &out));
    check_result(&out, a, b);
    if (a->as.kind == CONTAINER_BITMAP && b->as.kind == CONTAINER_BITMAP && out.cardinality)
        assert_int_equal(out.kind, container_result_prefers_array(out.cardinality, out.words)
                                       ? CONTAINER_ARRAY
                                       : CONTAINER_BITMAP);
    arena_restore(scratch, start);

    /* Thresholds around the true count, and far from it. */
    uint32_t thresholds[] = {0, 1, expected ? expected - 1 : 0, expected, expected + 1,
                             expected / 2, expected * 2 + 3, a->baskets};
    for (size_t t = 0; t < sizeof thresholds / sizeof *thresholds; t++) {
        uint32_t min = thresholds[t];
        uint32_t counted = container_intersect_count_min(&a->as, &b->as, min);
        if (expected >= min)
            assert_int_equal(counted, expected);
        else
            assert_true(counted < min);

        arena_mark before = arena_save(scratch);
        int rc = container_intersect_min(&a->as, &b->as, min, scratch, &out);
        if (expected >= min) {
            assert_int_equal(rc, 1);
            check_result(&out, a, b);
        } else {
            assert_int_equal(rc, 0);
            arena_mark after = arena_save(scratch);
            /* Nothing left allocated after a refusal. */
            assert_ptr_equal(after.chunk, before.chunk);
            assert_int_equal(after.used, before.used);
        }
        arena_restore(scratch, start);
    }
}

static const double densities[] = {0.0, 0.0005, 0.01, 0.05, 0.0624, 0.07, 0.3, 0.9, 1.0};
#define DENSITY_COUNT (sizeof densities / sizeof *densities)

static void run_sizes(const uint32_t *sizes, size_t size_count, int rounds, const double *dens,
                      size_t dens_count)
{
    arena scratch;
    arena_init(&scratch, 1 << 16);
    for (size_t z = 0; z < size_count; z++) {
        uint32_t baskets = sizes[z];
        for (int round = 0; round < rounds; round++) {
            for (size_t da = 0; da < dens_count; da++) {
                for (size_t db = 0; db < dens_count; db++) {
                    for (int ka = 0; ka < 2; ka++) {
                        for (int kb = 0; kb < 2; kb++) {
                            test_set a, b;
                            set_make(&a, baskets, dens[da], (container_kind)ka);
                            set_make(&b, baskets, dens[db], (container_kind)kb);
                            check_pair(&a, &b, &scratch);
                            check_pair(&b, &a, &scratch);
                            /* Subsets in both directions. */
                            test_set c;
                            set_make_subset(&c, &a, dens[db], (container_kind)kb);
                            check_pair(&c, &a, &scratch);
                            check_pair(&a, &c, &scratch);
                            set_free(&c);
                            set_free(&a);
                            set_free(&b);
                        }
                    }
                }
            }
        }
    }
    arena_release(&scratch);
}

static void test_small_shards(void **state)
{
    (void)state;
    rng_state = 1;
    static const uint32_t sizes[] = {1, 2, 63, 64, 65, 127, 128, 129, 1000};
    run_sizes(sizes, sizeof sizes / sizeof *sizes, 2, densities, DENSITY_COUNT);
}

static void test_full_shard(void **state)
{
    (void)state;
    rng_state = 2;
    /* Around the array/bitmap break-even (4096 of 65536) and the extremes. */
    static const uint32_t sizes[] = {65535, 65536};
    static const double dens[] = {0.0, 0.001, 0.0624, 0.0626, 0.9, 1.0};
    run_sizes(sizes, sizeof sizes / sizeof *sizes, 1, dens, sizeof dens / sizeof *dens);
}

/* Long arrays against short ones: the galloping path. */
static void test_gallop(void **state)
{
    (void)state;
    rng_state = 3;
    arena scratch;
    arena_init(&scratch, 1 << 16);
    for (int round = 0; round < 50; round++) {
        test_set a, b;
        set_make(&a, 65536, 0.0003 * (round % 5 + 1), CONTAINER_ARRAY);
        set_make(&b, 65536, 0.05, CONTAINER_ARRAY);
        check_pair(&a, &b, &scratch);
        check_pair(&b, &a, &scratch);
        test_set c;
        set_make_subset(&c, &b, 0.002, CONTAINER_ARRAY);
        check_pair(&c, &b, &scratch);
        set_free(&c);
        set_free(&a);
        set_free(&b);
    }
    arena_release(&scratch);
}

/* The bits of a bitmap counted, against a count bit by bit. */
static void test_bitmap_count(void **state)
{
    (void)state;
    rng_state = 4;
    uint64_t bits[67];
    for (uint32_t words = 0; words <= 67; words++) {
        uint32_t expected = 0;
        for (uint32_t w = 0; w < words; w++) {
            bits[w] = rng_next() & rng_next(); /* about a quarter of the bits */
            for (uint32_t b = 0; b < 64; b++)
                expected += (uint32_t)(bits[w] >> b) & 1u;
        }
        assert_int_equal(container_bitmap_count(bits, words), expected);
    }
}

/* Tidsets over three shards (the last one short). */
static void test_tidsets(void **state)
{
    (void)state;
    rng_state = 4;
    enum { SHARDS = 3 };
    static const uint32_t sizes[SHARDS] = {65536, 65536, 65};
    kernel_data data;
    memset(&data, 0, sizeof data);
    data.shard_count = SHARDS;
    arena scratch;
    arena_init(&scratch, 1 << 16);
    for (int round = 0; round < 60; round++) {
        test_set a[SHARDS], b[SHARDS];
        container pa[SHARDS], pb[SHARDS];
        tidset ta = {0, pa}, tb = {0, pb};
        uint64_t expected = 0;
        bool subset = true;
        for (int s = 0; s < SHARDS; s++) {
            double da = densities[rng_next() % DENSITY_COUNT];
            double db = densities[rng_next() % DENSITY_COUNT];
            set_make(&a[s], sizes[s], da, (container_kind)(rng_next() % 2));
            if (round % 3 == 0)
                set_make_subset(&b[s], &a[s], 0.9, (container_kind)(rng_next() % 2));
            else
                set_make(&b[s], sizes[s], db, (container_kind)(rng_next() % 2));
            pa[s] = a[s].as;
            pb[s] = b[s].as;
            ta.count += a[s].cardinality;
            tb.count += b[s].cardinality;
            expected += reference_count(&a[s], &b[s]);
            subset = subset && reference_subset(&b[s], &a[s]);
        }
        assert_int_equal(tidset_intersect_count(&data, &ta, &tb), expected);
        assert_int_equal(tidset_is_subset(&data, &tb, &ta), subset);
        arena_mark start = arena_save(&scratch);
        tidset out;
        assert_true(tidset_intersect(&data, &ta, &tb, &scratch, &out));
        assert_int_equal(out.count, expected);
        for (int s = 0; s < SHARDS; s++)
            check_result(&out.parts[s], &a[s], &b[s]);
        arena_restore(&scratch, start);
        uint64_t thresholds[] = {1, expected, expected + 1, expected / 2, ta.count};
        for (size_t t = 0; t < sizeof thresholds / sizeof *thresholds; t++) {
            uint64_t min = thresholds[t];
            int rc = tidset_intersect_min(&data, &ta, &tb, min, &scratch, &out);
            assert_int_equal(rc, expected >= min ? 1 : 0);
            if (rc == 1)
                assert_int_equal(out.count, expected);
            uint64_t counted = tidset_intersect_count_min(&data, &ta, &tb, min);
            if (expected >= min)
                assert_int_equal(counted, expected);
            else
                assert_true(counted < min);
            arena_restore(&scratch, start);
        }
        /* The cursor walks the baskets in order. */
        tidset_cursor cursor;
        tidset_cursor_start(&cursor, &data, &ta);
        uint64_t tx, seen = 0;
        for (int s = 0; s < SHARDS; s++)
            for (uint32_t i = 0; i < a[s].cardinality; i++) {
                assert_true(tidset_cursor_next(&cursor, &tx));
                assert_int_equal(tx, (uint64_t)s * SHARD_BASKETS + a[s].array[i]);
                seen++;
            }
        assert_false(tidset_cursor_next(&cursor, &tx));
        assert_int_equal(seen, ta.count);
        /* The list holds the same baskets. */
        uint64_t *listed = test_malloc((size_t)ta.count * sizeof *listed + 1);
        tidset_list(&data, &ta, listed);
        for (int s = 0, k = 0; s < SHARDS; s++)
            for (uint32_t i = 0; i < a[s].cardinality; i++, k++)
                assert_int_equal(listed[k], (uint64_t)s * SHARD_BASKETS + a[s].array[i]);
        test_free(listed);
        for (int s = 0; s < SHARDS; s++) {
            set_free(&a[s]);
            set_free(&b[s]);
        }
    }
    arena_release(&scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_shards),
        cmocka_unit_test(test_full_shard),
        cmocka_unit_test(test_gallop),
        cmocka_unit_test(test_bitmap_count),
        cmocka_unit_test(test_tidsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
