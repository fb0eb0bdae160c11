/*
 * Kernels take their memory from the library's allocator (counted, limited)
 * and their arenas, never from inside the C library behind its back: glibc's
 * qsort mallocs a buffer for arrays over 1 KiB, which the projection path's
 * partner sort called once per item. This test replaces malloc with a
 * wrapper around glibc's own that counts the calls made from within libc
 * while one mining call runs: a handful per call at most (the F-list sorts
 * the items once with qsort, before any kernel runs), never one per item.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "fimbit.h"
#include "test_data.h"

/* The sanitizers own malloc: there the count is not taken. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define COUNT_LIBC_MALLOCS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define COUNT_LIBC_MALLOCS 0
#endif
#endif
#ifndef COUNT_LIBC_MALLOCS
#define COUNT_LIBC_MALLOCS 1
#endif

/* Calls to malloc from within libc allowed in one mining call. */
#define LIBC_MALLOCS_PER_CALL 4

extern void *__libc_malloc(size_t size);

static atomic_bool counting;
static atomic_ulong libc_mallocs;
#if COUNT_LIBC_MALLOCS
static _Thread_local bool inside_count; /* dladdr may allocate: no recursion */

/* Whether `address` lies in the C library itself. */
static bool in_libc(const void *address)
{
    Dl_info info;
    return dladdr(address, &info) != 0 && info.dli_fname != NULL &&
           strstr(info.dli_fname, "/libc.so") != NULL;
}

void *malloc(size_t size)
{
    if (atomic_load(&counting) && !inside_count) {
        inside_count = true;
        if (in_libc(__builtin_return_address(0)))
            atomic_fetch_add(&libc_mallocs, 1);
        inside_count = false;
    }
    return __libc_malloc(size);
}
#endif

/* T10I4D100K at 20 baskets takes the projection path (sparse, all itemsets),
 * where hundreds of items have over 64 partners each. */
static void test_projection_calls_no_libc_allocation(void **state)
{
    (void)state;
    char path[4096];
    if (!COUNT_LIBC_MALLOCS || !test_dataset_path("T10I4D100K.dat", path, sizeof path))
        skip();
    const char *paths[] = {path};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 20;
    options.threads = 1;
    fimbit_itemsets *itemsets = NULL;
    atomic_store(&libc_mallocs, 0);
    atomic_store(&counting, true);
    fimbit_status status = fimbit_mine_itemsets(dataset, &options, &itemsets, NULL);
    atomic_store(&counting, false);
    assert_int_equal(status, FIMBIT_OK);
    assert_true(fimbit_itemsets_count(itemsets) > 100000);
    assert_in_range(atomic_load(&libc_mallocs), 0, LIBC_MALLOCS_PER_CALL);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(dataset);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projection_calls_no_libc_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
