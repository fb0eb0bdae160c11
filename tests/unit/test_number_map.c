/*
 * number_map (src/read/number_map.h): every number put is found with its id
 * and no other is, whichever path it takes — the window over rising
 * numbers, numbers below its start or beyond its budget (the hash table),
 * numbers the window reaches later (copied in from the table), a window
 * placed over a known range first — and a cleared map starts anew; a visit
 * meets every number put once, with its id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>

#include "base/internal.h"
#include "read/number_map.h"

#define NUMBERS 20000

/* number_map_visit()'s visitor: marks id `id` seen, once, with its number. */
typedef struct visit_check {
    const uint64_t *numbers;
    uint8_t *seen;
    uint32_t count;
} visit_check;

static fimbit_status check_visit(void *context, uint64_t number, uint32_t id)
{
    visit_check *check = context;
    if (id >= check->count || check->numbers[id] != number || check->seen[id])
        fail_msg("visited number %llu with id %u", (unsigned long long)number, id);
    check->seen[id] = 1;
    return FIMBIT_OK;
}

/* Every number of `m`, ids 0..count-1 as in `numbers`, is visited once. */
static void check_visits(const number_map *m, const uint64_t *numbers, uint32_t count)
{
    visit_check check = {numbers, calloc(count ? count : 1, 1), count};
    assert_non_null(check.seen);
    assert_int_equal(number_map_visit(m, check_visit, &check), FIMBIT_OK);
    for (uint32_t i = 0; i < count; i++)
        if (!check.seen[i])
            fail_msg("number %llu (id %u) not visited", (unsigned long long)numbers[i], i);
    free(check.seen);
}

/* Puts numbers[0..count) with ids 0..count-1, then checks them and a
 * number beside each that was not put. */
static void put_and_check(number_map *m, const uint64_t *numbers, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        assert_int_equal(number_map_get(m, numbers[i]), DICT_EMPTY);
        assert_int_equal(number_map_put(m, numbers[i], i), FIMBIT_OK);
    }
    for (uint32_t i = 0; i < count; i++) {
        if (number_map_get(m, numbers[i]) != i)
            fail_msg("number %llu: id %u, expected %u", (unsigned long long)numbers[i],
                     number_map_get(m, numbers[i]), i);
        /* The numbers are even: an odd one was never put. */
        assert_int_equal(number_map_get(m, numbers[i] + 1), DICT_EMPTY);
    }
    check_visits(m, numbers, count);
}

/* Invoice-like numbers: rising by small even steps from `start`, some a
 * little out of order, a few far below the start or far beyond. */
static void make_numbers(uint64_t *numbers, uint32_t count, uint64_t start, uint64_t seed)
{
    uint64_t next = start;
    for (uint32_t i = 0; i < count; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(seed >> 40) % 100;
        if (r == 0 && start >= 2 * (uint64_t)count)
            numbers[i] = start - 2 - 2 * (uint64_t)i; /* below the start */
        else if (r == 1)
            numbers[i] = next + ((uint64_t)1 << 36) + 2 * (uint64_t)i; /* far beyond */
        else {
            next += 2 + 2 * (seed >> 62);
            numbers[i] = next;
        }
    }
    /* Swap neighbours now and then: out of order, still distinct. */
    for (uint32_t i = 1; i < count; i += 7) {
        uint64_t t = numbers[i];
        numbers[i] = numbers[i - 1];
        numbers[i - 1] = t;
    }
}

static void test_rising_numbers(void **state)
{
    (void)state;
    uint64_t *numbers = malloc(NUMBERS * sizeof *numbers);
    assert_non_null(numbers);
    number_map m;
    number_map_init(&m);
    make_numbers(numbers, NUMBERS, 536366, 7);
    put_and_check(&m, numbers, NUMBERS);
    assert_true(m.window_size > 0);
    assert_true(m.others.count > 0);
    /* Cleared, the map takes other numbers, here small ones (from 0 on). */
    number_map_clear(&m);
    assert_int_equal(number_map_get(&m, numbers[0]), DICT_EMPTY);
    make_numbers(numbers, NUMBERS, 10, 9);
    put_and_check(&m, numbers, NUMBERS);
    number_map_release(&m);
    free(numbers);
}

/* Rising numbers that start beyond the first window's reach: the hash table
 * takes them until enough are held for the window to grow over them, which
 * copies them in (the table keeps its copies: still found, visited once). */
static void test_window_reaches_later(void **state)
{
    (void)state;
    uint64_t *numbers = malloc(NUMBERS * sizeof *numbers);
    assert_non_null(numbers);
    numbers[0] = 536366;
    for (uint32_t i = 1; i < NUMBERS; i++)
        numbers[i] = numbers[0] + 70000 + 2 * (uint64_t)i;
    number_map m;
    number_map_init(&m);
    put_and_check(&m, numbers, NUMBERS);
    assert_true(m.window_size > 70000 + 2 * NUMBERS);
    assert_true(m.others.count > 0);
    number_map_release(&m);
    free(numbers);
}

/* Numbers in any order over a range the window was placed on first. */
static void test_expected_range(void **state)
{
    (void)state;
    uint64_t *numbers = malloc(NUMBERS * sizeof *numbers);
    assert_non_null(numbers);
    for (uint32_t i = 0; i < NUMBERS; i++)
        numbers[i] = 1000000 + 2 * (uint64_t)((i * 7919u) % NUMBERS);
    number_map m;
    number_map_init(&m);
    assert_int_equal(number_map_expect(&m, 1000000, 1000000 + 2 * (NUMBERS - 1), NUMBERS),
                     FIMBIT_OK);
    put_and_check(&m, numbers, NUMBERS);
    assert_int_equal(m.others.count, 0);
    number_map_release(&m);
    /* A range too wide for the budget: the numbers go as put places them. */
    numbers[1] = UINT64_MAX - 1;
    number_map_init(&m);
    assert_int_equal(number_map_expect(&m, 0, UINT64_MAX - 1, NUMBERS), FIMBIT_OK);
    put_and_check(&m, numbers, NUMBERS);
    number_map_release(&m);
    free(numbers);
}

/* A window that starts near 2^64 (an id of 20 digits) does not wrap round:
 * the small numbers put after it are found in the hash table. */
static void test_window_near_the_top(void **state)
{
    (void)state;
    const uint64_t numbers[] = {UINT64_MAX - 11, 4, UINT64_MAX - 9, 16, 2};
    number_map m;
    number_map_init(&m);
    put_and_check(&m, numbers, sizeof numbers / sizeof *numbers);
    number_map_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rising_numbers),
        cmocka_unit_test(test_window_reaches_later),
        cmocka_unit_test(test_expected_range),
        cmocka_unit_test(test_window_near_the_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
