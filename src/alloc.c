/* The library's allocation wrappers, with a fault-injection switch for tests. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "internal.h"

/* Allocations made so far and the one that starts failing (0 = never). Atomic
 * because worker threads allocate their arenas concurrently. */
static _Atomic uint64_t allocations_made;
static _Atomic uint64_t fail_from;

static int allocation_may_proceed(void)
{
    uint64_t n = atomic_fetch_add_explicit(&allocations_made, 1, memory_order_relaxed) + 1;
    uint64_t limit = atomic_load_explicit(&fail_from, memory_order_relaxed);
    return limit == 0 || n < limit;
}

uint64_t fimbit__alloc_fail_after(uint64_t n)
{
    uint64_t made = atomic_exchange(&allocations_made, 0);
    atomic_store(&fail_from, n);
    return made;
}

void *fimbit__malloc(size_t size)
{
    if (!allocation_may_proceed())
        return NULL;
    return malloc(size ? size : 1);
}

void *fimbit__calloc(size_t count, size_t size)
{
    if (!allocation_may_proceed())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *fimbit__malloc_array(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return fimbit__malloc(count * size);
}

void *fimbit__realloc_array(void *pointer, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    if (!allocation_may_proceed())
        return NULL;
    size_t bytes = count * size;
    return realloc(pointer, bytes ? bytes : 1);
}

void fimbit__free(void *pointer) { free(pointer); }

char *fimbit__strdup(const char *text)
{
    size_t length = strlen(text) + 1;
    char *copy = fimbit__malloc(length);
    if (copy)
        memcpy(copy, text, length);
    return copy;
}

int fimbit__thread_count(int requested)
{
    if (requested > 0)
        return requested;
    int available = omp_get_max_threads();
    return available > 0 ? available : 1;
}
