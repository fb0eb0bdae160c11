/* The kernels' bump allocator: chunks that grow from small (doubling, or at
 * once to the chunk size), marks that rewind across them, and chunks kept
 * for reuse after a restore. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "kernels/arena.h"

/* Fills `count` blocks of `size` bytes, each with its index, and checks that
 * every one still holds it: blocks never overlap, across chunks too. */
static void fill_and_check(arena *a, size_t count, size_t size)
{
    unsigned char *blocks[64];
    assert_true(count <= 64);
    for (size_t i = 0; i < count; i++) {
        blocks[i] = arena_alloc(a, size);
        assert_non_null(blocks[i]);
        assert_int_equal((uintptr_t)blocks[i] % 64, 0);
        memset(blocks[i], (int)i + 1, size);
    }
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < size; j++)
            assert_int_equal(blocks[i][j], (unsigned char)(i + 1));
}

/* Blocks past the first chunk's ARENA_FIRST_CHUNK bytes open growing chunks,
 * and one larger than the largest chunk gets a chunk of its own. */
static void test_growing_chunks(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, (size_t)1 << 20);
    fill_and_check(&a, 40, ARENA_FIRST_CHUNK / 3);
    fill_and_check(&a, 2, ((size_t)3 << 20) / 2);
    arena_release(&a);
}

/* A chunk size below ARENA_FIRST_CHUNK is kept as it is. */
static void test_small_chunk_size(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    fill_and_check(&a, 20, 1000);
    arena_release(&a);
}

/* After a restore the same allocations land where they did: the chunks
 * opened after the mark are kept and reused, not allocated again. */
static void test_restore_reuses_chunks(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 0);
    void *first = arena_alloc(&a, 100);
    assert_non_null(first);
    arena_mark mark = arena_save(&a);
    void *before[32];
    for (size_t i = 0; i < 32; i++)
        before[i] = arena_alloc(&a, ARENA_FIRST_CHUNK / 2 + i);
    arena_restore(&a, mark);
    for (size_t i = 0; i < 32; i++)
        assert_ptr_equal(arena_alloc(&a, ARENA_FIRST_CHUNK / 2 + i), before[i]);
    arena_mark start = {NULL, 0};
    arena_restore(&a, start);
    assert_ptr_equal(arena_alloc(&a, 100), first);
    arena_release(&a);
}

/* A flat arena's second chunk is the whole chunk size: blocks that outgrow
 * the first chunk lie back to back in it, with no chunk between them. */
static void test_flat_second_chunk(void **state)
{
    (void)state;
    arena a;
    arena_init_flat(&a, (size_t)1 << 20);
    fill_and_check(&a, 2, ARENA_FIRST_CHUNK / 2);
    unsigned char *previous = arena_alloc(&a, ARENA_FIRST_CHUNK);
    assert_non_null(previous);
    for (size_t i = 0; i < 30; i++) {
        unsigned char *next = arena_alloc(&a, ARENA_FIRST_CHUNK);
        assert_ptr_equal(next, previous + ARENA_FIRST_CHUNK);
        previous = next;
    }
    fill_and_check(&a, 3, (size_t)1 << 20);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growing_chunks),
        cmocka_unit_test(test_small_chunk_size),
        cmocka_unit_test(test_restore_reuses_chunks),
        cmocka_unit_test(test_flat_second_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
