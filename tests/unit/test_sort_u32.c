/* The shared short-array sorts, of uint32_t and uint64_t: both branches
 * (insertion, heapsort) against qsort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/sort_u32.h"

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Random, sorted, reversed and few-distinct inputs of every length up to 300,
 * so both sides of SORT_U32_INSERTION_MAX and the heap's edge cases run. The
 * 64-bit values differ in their high half too, where the projection's
 * partner keys keep the counts. */
static void test_matches_qsort(void **state)
{
    (void)state;
    uint32_t values[300], expected[300];
    uint64_t wide[300], wide_expected[300];
    srand(7);
    for (size_t n = 0; n <= 300; n++) {
        for (int shape = 0; shape < 4; shape++) {
            for (size_t i = 0; i < n; i++) {
                switch (shape) {
                case 0: values[i] = (uint32_t)rand() * 2654435761u; break;
                case 1: values[i] = (uint32_t)i; break;
                case 2: values[i] = (uint32_t)(n - i); break;
                default: values[i] = (uint32_t)rand() % 3; break;
                }
                wide[i] = (uint64_t)values[i] << 32 | (uint32_t)rand();
            }
            memcpy(expected, values, n * sizeof *values);
            qsort(expected, n, sizeof *expected, compare_u32);
            sort_u32(values, n);
            assert_memory_equal(values, expected, n * sizeof *values);
            memcpy(wide_expected, wide, n * sizeof *wide);
            qsort(wide_expected, n, sizeof *wide_expected, compare_u64);
            sort_u64(wide, n);
            assert_memory_equal(wide, wide_expected, n * sizeof *wide);
        }
    }
}

static void test_extreme_values(void **state)
{
    (void)state;
    uint32_t values[40];
    for (size_t i = 0; i < 40; i++)
        values[i] = i % 2 ? UINT32_MAX : 0;
    sort_u32(values, 40);
    for (size_t i = 0; i < 40; i++)
        assert_int_equal(values[i], i < 20 ? 0 : UINT32_MAX);
    uint64_t wide[40];
    for (size_t i = 0; i < 40; i++)
        wide[i] = i % 2 ? UINT64_MAX : 0;
    sort_u64(wide, 40);
    for (size_t i = 0; i < 40; i++)
        assert_true(wide[i] == (i < 20 ? 0 : UINT64_MAX));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_qsort),
        cmocka_unit_test(test_extreme_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
