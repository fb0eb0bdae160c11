/*
 * How fast are the container intersections, the inner loop of Eclat and of
 * FP-growth's vertical paths? One full shard (SHARD_BASKETS baskets), random
 * sets of chosen densities, for each kind pair: bitmap AND bitmap, bitmap
 * AND array, array AND array (equal sizes, and skewed sizes where galloping
 * pays). The two arguments are the densities of a and b in basis points
 * (100 = 1%): containers/count/bitmap_array/5000/10 intersects a 50% bitmap
 * with a 0.1% array. A set is an array below 6.25% (container_prefers_array)
 * and a bitmap above, so each pair is named by the kinds its densities give.
 *   containers/count/...      container_intersect_count (fused AND+popcount)
 *   containers/intersect/...  container_intersect (the result materialised in
 *                             an arena, restored after each call)
 * items/s: intersections per second.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernels/arena.h"
#include "kernels/containers.h"
#include "kernels/kernel.h"
#include "shim.h"

/* A set of one shard's baskets and the memory behind its container. */
typedef struct shard_set {
    container c;
    void *data;
} shard_set;

/* Each basket independently with probability basis_points / 10000, from a
 * fixed seed so that every run measures the same sets. */
static shard_set shard_set_random(uint32_t basis_points, uint64_t seed)
{
    uint16_t words = container_words_for(SHARD_BASKETS);
    uint64_t *bits = calloc(words, sizeof *bits);
    uint32_t cardinality = 0;
    uint64_t state = seed;
    for (uint32_t b = 0; b < SHARD_BASKETS; b++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        if ((uint32_t)(state >> 33) % 10000u < basis_points) {
            bits[b >> 6] |= 1ull << (b & 63u);
            cardinality++;
        }
    }
    shard_set set = {.c = {.cardinality = cardinality, .words = words}};
    if (!container_prefers_array(cardinality, words)) {
        set.c.kind = CONTAINER_BITMAP;
        set.c.u.bits = bits;
        set.data = bits;
        return set;
    }
    uint16_t *array = malloc((cardinality ? cardinality : 1) * sizeof *array);
    uint32_t n = 0;
    for (uint32_t b = 0; b < SHARD_BASKETS; b++)
        if ((bits[b >> 6] >> (b & 63u)) & 1u)
            array[n++] = (uint16_t)b;
    free(bits);
    set.c.kind = CONTAINER_ARRAY;
    set.c.u.array = array;
    set.data = array;
    return set;
}

static void bench_intersect_count(bench_state *state, void *user)
{
    (void)user;
    shard_set a = shard_set_random((uint32_t)bench_range(state, 0), 1);
    shard_set b = shard_set_random((uint32_t)bench_range(state, 1), 2);
    uint32_t common = 0;
    while (bench_keep_running(state)) {
        common = container_intersect_count(&a.c, &b.c);
        bench_do_not_optimize_u64(common);
    }
    bench_set_counter(state, "common", common);
    bench_set_items_processed(state, bench_iterations(state));
    free(a.data);
    free(b.data);
}

static void bench_intersect(bench_state *state, void *user)
{
    (void)user;
    shard_set a = shard_set_random((uint32_t)bench_range(state, 0), 1);
    shard_set b = shard_set_random((uint32_t)bench_range(state, 1), 2);
    arena scratch;
    arena_init(&scratch, 1u << 20);
    arena_mark empty = arena_save(&scratch);
    while (bench_keep_running(state)) {
        container out;
        if (!container_intersect(&a.c, &b.c, &scratch, &out)) {
            bench_skip_with_error(state, "arena exhausted");
            break;
        }
        bench_do_not_optimize(&out);
        arena_restore(&scratch, empty);
    }
    bench_set_items_processed(state, bench_iterations(state));
    arena_release(&scratch);
    free(a.data);
    free(b.data);
}

BENCH_REGISTER(register_container_benchmarks)
{
    /* Densities in basis points: bitmaps at 10%, 50%, 90%; arrays at 0.1%,
     * 1%, 5%. */
    static const struct {
        const char *pair;
        int64_t densities[4][2];
        int count;
    } pairs[] = {
        {"bitmap_bitmap", {{1000, 1000}, {5000, 5000}, {9000, 9000}, {1000, 9000}}, 4},
        {"bitmap_array", {{5000, 10}, {5000, 100}, {5000, 500}, {1000, 500}}, 4},
        {"array_array", {{10, 10}, {100, 100}, {500, 500}, {10, 500}}, 4},
    };
    static const struct {
        const char *name;
        bench_fn fn;
    } operations[] = {{"count", bench_intersect_count}, {"intersect", bench_intersect}};
    for (size_t o = 0; o < sizeof operations / sizeof *operations; o++)
        for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
            char name[128];
            snprintf(name, sizeof name, "containers/%s/%s", operations[o].name, pairs[p].pair);
            bench_handle *handle = bench_register(name, operations[o].fn, NULL);
            for (int d = 0; d < pairs[p].count; d++)
                bench_args2(handle, pairs[p].densities[d][0], pairs[p].densities[d][1]);
        }
}
