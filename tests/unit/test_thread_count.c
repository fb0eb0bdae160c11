/*
 * How many threads a stage starts: a count the caller asked for is kept
 * whatever the work (the oracle tests force parallel paths on tiny data), and
 * the default (0, every core) starts no more threads than the work keeps busy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>
#include <omp.h>

#include "base/internal.h"

static void test_requested_count_is_kept(void **state)
{
    (void)state;
    assert_int_equal(fimbit__thread_count_for_work(3, 0), 3);
    assert_int_equal(fimbit__thread_count_for_work(1, UINT64_MAX), 1);
    assert_int_equal(fimbit__thread_count_for_work(64, 10), 64);
}

static void test_default_follows_the_work(void **state)
{
    (void)state;
    omp_set_num_threads(4);
    assert_int_equal(fimbit__thread_count_for_work(0, 0), 1);
    assert_int_equal(fimbit__thread_count_for_work(0, FIMBIT_WORK_PER_THREAD - 1), 1);
    assert_int_equal(fimbit__thread_count_for_work(0, FIMBIT_WORK_PER_THREAD), 2);
    assert_int_equal(fimbit__thread_count_for_work(0, 3 * FIMBIT_WORK_PER_THREAD), 4);
    assert_int_equal(fimbit__thread_count_for_work(0, UINT64_MAX), 4);
    assert_int_equal(fimbit__thread_count(0), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requested_count_is_kept),
        cmocka_unit_test(test_default_follows_the_work),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
