/*
 * FPmax's found sets (kernels/found_sets.h) against a plain list of the sets
 * added, walked as FP-growth's walk over every branch walks them: the
 * branches in descending rank, each reading the chain of its item, then
 * forgetting the items from it on (found_sets_keep_below) and adding sets
 * of smaller items. Every chain read must list, in the order the sets first
 * brought them, the distinct runs of items below its item among the sets
 * holding it: with the child table at its usual first size and at the
 * smallest, where it grows and cuts the forgotten nodes many times.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/mix64.h"

#include "kernels/found_sets.h"

#define MAX_SETS 4000u
#define MAX_ITEMS 48u

static uint64_t rng_state;

static uint32_t rng_below(uint32_t n)
{
    return (uint32_t)(fimbit__mix64(rng_state += 0x9e3779b97f4a7c15ull) % n);
}

/* The sets added, in order, each as a bit per item. */
static uint64_t added[MAX_SETS];
static uint32_t added_count;

/* Checks the chain of `item` against the sets added: each distinct run
 * below the item of a set holding it once, in the order of the first set
 * that holds it. */
static void check_chain(const found_sets *sets, uint32_t item, const uint32_t *identity)
{
    uint64_t below = ((uint64_t)1 << item) - 1u, expected[MAX_SETS];
    uint32_t expected_count = 0;
    for (uint32_t s = 0; s < added_count; s++) {
        if (!(added[s] >> item & 1u))
            continue;
        uint64_t run = added[s] & below;
        bool seen = false;
        for (uint32_t e = 0; e < expected_count && !seen; e++)
            seen = expected[e] == run;
        if (!seen)
            expected[expected_count++] = run;
    }
    uint32_t listed = 0, keys[MAX_ITEMS];
    for (uint32_t n = found_sets_first(sets, item); n; n = found_sets_next(sets, n)) {
        uint32_t size = found_sets_project(sets, n, identity, keys);
        uint64_t run = 0;
        for (uint32_t k = 0; k < size; k++) {
            assert_true(keys[k] < item);
            if (k > 0)
                assert_true(keys[k] < keys[k - 1]); /* nearest first */
            run |= (uint64_t)1 << keys[k];
        }
        assert_true(listed < expected_count);
        assert_true(run == expected[listed]);
        listed++;
    }
    assert_int_equal(listed, expected_count);
}

/* Adds a random set of items below `bound` (none when it is 0), skewed
 * towards small items so that the sets share runs, and every other one
 * starting with some of the items of the set before, as sets found next to
 * each other in a walk do. */
static void add_random_set(found_sets *sets, uint32_t bound)
{
    if (bound == 0 || added_count == MAX_SETS)
        return;
    uint64_t mask = 0;
    if (added_count > 0 && rng_below(2)) {
        uint32_t keep = rng_below(bound + 1);
        mask = added[added_count - 1] & (((uint64_t)1 << keep) - 1u);
    }
    uint32_t want = 1 + rng_below(bound < 8 ? bound : 8);
    for (uint32_t k = 0; k < want; k++) {
        uint32_t a = rng_below(bound), b = rng_below(bound);
        mask |= (uint64_t)1 << (a < b ? a : b);
    }
    uint32_t items[MAX_ITEMS], size = 0;
    for (uint32_t x = 0; x < bound; x++)
        if (mask >> x & 1u)
            items[size++] = x;
    assert_true(found_sets_add(sets, items, size));
    added[added_count++] = mask;
}

/* @return true when nodes were cut. */
static bool run_walk(uint64_t seed, uint32_t items, uint32_t first_slots)
{
    rng_state = seed;
    added_count = 0;
    found_sets__set_first_slots(first_slots);
    found_sets sets;
    assert_true(found_sets_init(&sets, items));
    uint32_t identity[MAX_ITEMS];
    for (uint32_t x = 0; x < items; x++)
        identity[x] = x;
    /* Sets found before the first branch of interest, over every item. */
    for (uint32_t k = 0; k < 20; k++)
        add_random_set(&sets, items);
    for (uint32_t branch = items; branch-- > 0;) {
        check_chain(&sets, branch, identity);
        found_sets_keep_below(&sets, branch);
        uint32_t found = rng_below(4) ? rng_below(60) : 0;
        for (uint32_t k = 0; k < found; k++) {
            add_random_set(&sets, branch);
            /* The chains still to be read stay whole as the nodes are cut. */
            if (branch > 0 && rng_below(16) == 0)
                check_chain(&sets, rng_below(branch), identity);
        }
    }
    bool cut = sets.compacted_below < items;
    found_sets_release(&sets);
    found_sets__set_first_slots(0);
    return cut;
}

static void test_walk_default_table(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 30; seed++)
        run_walk(seed, 8 + (uint32_t)(seed % 40), 0);
}

static void test_walk_small_table(void **state)
{
    (void)state;
    uint32_t cut = 0;
    for (uint64_t seed = 1; seed <= 400; seed++)
        cut += run_walk(seed * 31u, 8 + (uint32_t)(seed % 40), 4);
    assert_true(cut >= 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_default_table),
        cmocka_unit_test(test_walk_small_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
