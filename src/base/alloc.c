/*
 * The library's allocation wrappers: byte accounting with an optional limit
 * (fimbit_set_memory_limit) and a fault-injection switch for tests.
 *
 * The accounting counts what the allocator really hands out
 * (malloc_usable_size, which glibc and jemalloc both provide), so freeing
 * needs no size from the caller. Counters are atomic: worker threads allocate
 * their arenas concurrently.
 */
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <omp.h>

#include "internal.h"

/* Allocations made so far and the one that starts failing (0 = never). */
static _Atomic uint64_t allocations_made;
static _Atomic uint64_t fail_from;

/* Bytes held now, the most ever held, the limit (0 = none), and whether the
 * limit has refused an allocation since it was set. */
static _Atomic uint64_t bytes_in_use;
static _Atomic uint64_t bytes_peak;
static _Atomic uint64_t bytes_limit;
static _Atomic bool limit_refused;

static int allocation_may_proceed(void)
{
    uint64_t n = atomic_fetch_add_explicit(&allocations_made, 1, memory_order_relaxed) + 1;
    uint64_t limit = atomic_load_explicit(&fail_from, memory_order_relaxed);
    return limit == 0 || n < limit;
}

/* Checks `size` more bytes against the limit before allocating. The check and
 * the later accounting are not one atomic step: threads allocating at once
 * may pass the limit by what they ask for together, which is bounded by the
 * thread count times the largest single request. */
static bool within_limit(size_t size)
{
    uint64_t limit = atomic_load_explicit(&bytes_limit, memory_order_relaxed);
    if (limit == 0)
        return true;
    uint64_t used = atomic_load_explicit(&bytes_in_use, memory_order_relaxed);
    if (size <= limit && used <= limit - size)
        return true;
    atomic_store_explicit(&limit_refused, true, memory_order_relaxed);
    return false;
}

static void account_bytes(uint64_t size)
{
    uint64_t now = atomic_fetch_add_explicit(&bytes_in_use, size, memory_order_relaxed) + size;
    uint64_t peak = atomic_load_explicit(&bytes_peak, memory_order_relaxed);
    while (now > peak &&
           !atomic_compare_exchange_weak_explicit(&bytes_peak, &peak, now, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
}

static void account_allocated(void *pointer)
{
    if (pointer != NULL)
        account_bytes(malloc_usable_size(pointer));
}

static void account_freed(void *pointer)
{
    if (pointer != NULL)
        atomic_fetch_sub_explicit(&bytes_in_use, malloc_usable_size(pointer),
                                  memory_order_relaxed);
}

uint64_t fimbit__alloc_fail_after(uint64_t n)
{
    uint64_t made = atomic_exchange(&allocations_made, 0);
    atomic_store(&fail_from, n);
    return made;
}

bool fimbit__memory_limit_refused(void)
{
    return atomic_load_explicit(&limit_refused, memory_order_relaxed);
}

void *fimbit__malloc(size_t size)
{
    if (!allocation_may_proceed() || !within_limit(size))
        return NULL;
    void *pointer = malloc(size ? size : 1);
    account_allocated(pointer);
    return pointer;
}

void *fimbit__aligned_malloc(size_t alignment, size_t size)
{
    if (!allocation_may_proceed() || !within_limit(size))
        return NULL;
    /* aligned_alloc wants a multiple of the alignment. */
    size_t rounded = ((size ? size : 1) + alignment - 1) & ~(alignment - 1);
    if (rounded < size)
        return NULL;
    void *pointer = aligned_alloc(alignment, rounded);
    account_allocated(pointer);
    return pointer;
}

void *fimbit__calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    if (!allocation_may_proceed() || !within_limit(count * size))
        return NULL;
    void *pointer = calloc(count ? count : 1, size ? size : 1);
    account_allocated(pointer);
    return pointer;
}

void *fimbit__malloc_array(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return fimbit__malloc(count * size);
}

void *fimbit__zeroed_array(size_t count, size_t size)
{
    void *pointer = fimbit__malloc_array(count, size);
    if (pointer != NULL)
        memset(pointer, 0, count * size);
    return pointer;
}

void fimbit__advise_huge_pages(void *pointer, size_t size)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)1 << 21;
    uintptr_t start = ((uintptr_t)pointer + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)pointer + size) & ~(huge - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)pointer;
    (void)size;
#endif
}

void *fimbit__realloc_array(void *pointer, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    if (!allocation_may_proceed())
        return NULL;
    size_t bytes = count * size;
    size_t old = pointer ? malloc_usable_size(pointer) : 0;
    if (bytes > old && !within_limit(bytes - old))
        return NULL;
    void *grown = realloc(pointer, bytes ? bytes : 1);
    if (grown == NULL)
        return NULL;
    atomic_fetch_sub_explicit(&bytes_in_use, old, memory_order_relaxed);
    account_allocated(grown);
    return grown;
}

void *fimbit__grow_array_discarding(void *pointer, size_t count, size_t size)
{
    size_t old = pointer ? malloc_usable_size(pointer) : 0;
    if (old < FIMBIT_DISCARD_MIN || (size != 0 && count > SIZE_MAX / size) || count * size <= old)
        return fimbit__realloc_array(pointer, count, size);
    void *moved = fimbit__malloc_array(count, size);
    if (moved == NULL)
        return NULL;
    memcpy(moved, pointer, old);
    fimbit__free_discarding(pointer);
    return moved;
}

/* The capacity that holds `needed`, doubling from the current one (64 at first). */
static size_t doubled_capacity(size_t capacity, size_t needed)
{
    size_t grown = capacity ? capacity : 64;
    while (grown < needed)
        grown = grown > SIZE_MAX / 2 ? needed : grown * 2;
    return grown;
}

bool fimbit__grow_array_to(void **array, size_t *capacity, size_t needed, size_t size)
{
    size_t grown = doubled_capacity(*capacity, needed);
    void *bigger = fimbit__realloc_array(*array, grown, size);
    if (bigger == NULL)
        return false;
    *array = bigger;
    *capacity = grown;
    return true;
}

bool fimbit__grow_mapped_array_to(void **array, size_t *capacity, size_t needed, size_t size)
{
    /* An empty array asked for many elements at once (the recoded baskets)
     * gets just those: a doubled capacity would count up to twice its bytes
     * against the memory limit, though the pages past them stay untouched. */
    size_t grown = *capacity == 0 && needed > 64 ? needed : doubled_capacity(*capacity, needed);
    if (size != 0 && grown > SIZE_MAX / size)
        return false;
    size_t bytes = grown * size, old = *capacity * size;
    if (bytes < FIMBIT_MAPPED_ARRAY_MIN) {
        void *bigger = fimbit__realloc_array(*array, grown, size);
        if (bigger == NULL)
            return false;
        *array = bigger;
        *capacity = grown;
        return true;
    }
    if (!allocation_may_proceed() || !within_limit(bytes - old))
        return false;
    void *bigger;
    if (old >= FIMBIT_MAPPED_ARRAY_MIN) {
        /* The kernel moves the pages, if it must move them at all: no copy. */
        bigger = mremap(*array, old, bytes, MREMAP_MAYMOVE);
        if (bigger == MAP_FAILED)
            return false;
    } else {
        bigger = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (bigger == MAP_FAILED)
            return false;
        if (old > 0)
            memcpy(bigger, *array, old);
        fimbit__free(*array);
        old = 0;
    }
    account_bytes(bytes - old);
    *array = bigger;
    *capacity = grown;
    return true;
}

void fimbit__free_mapped_array(void *array, size_t capacity, size_t size)
{
    size_t bytes = capacity * size;
    if (bytes < FIMBIT_MAPPED_ARRAY_MIN) {
        fimbit__free(array);
        return;
    }
    munmap(array, bytes);
    atomic_fetch_sub_explicit(&bytes_in_use, bytes, memory_order_relaxed);
}

/* Gives the whole pages inside [from, end) back to the system. */
static void discard_whole_pages(uintptr_t from, uintptr_t end)
{
    long page_size = sysconf(_SC_PAGESIZE);
    uintptr_t page = page_size > 0 ? (uintptr_t)page_size : 4096u;
    from = (from + page - 1u) & ~(page - 1u);
    end &= ~(page - 1u);
    if (end > from)
        madvise((void *)from, end - from, MADV_DONTNEED);
}

void fimbit__release_mapped_array_after(void *array, size_t kept, size_t capacity, size_t size)
{
    if (capacity * size < FIMBIT_MAPPED_ARRAY_MIN)
        return;
    discard_whole_pages((uintptr_t)array + kept * size, (uintptr_t)array + capacity * size);
}

void fimbit__free(void *pointer)
{
    account_freed(pointer);
    free(pointer);
}

void fimbit__free_discarding(void *pointer)
{
    if (pointer != NULL)
        discard_whole_pages((uintptr_t)pointer, (uintptr_t)pointer + malloc_usable_size(pointer));
    fimbit__free(pointer);
}

void fimbit__discard_block_prefix(void *pointer, size_t bytes)
{
    if (pointer != NULL)
        discard_whole_pages((uintptr_t)pointer, (uintptr_t)pointer + bytes);
}

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

int fimbit__thread_count_for_work(int requested, uint64_t work)
{
    int threads = fimbit__thread_count(requested);
    if (requested > 0)
        return threads;
    uint64_t busy = work / FIMBIT_WORK_PER_THREAD + 1;
    return busy < (uint64_t)threads ? (int)busy : threads;
}

void fimbit_set_memory_limit(uint64_t bytes)
{
    atomic_store(&bytes_limit, bytes);
    atomic_store(&limit_refused, false);
}

void fimbit_get_memory_usage(fimbit_memory_usage *usage)
{
    if (usage == NULL)
        return;
    usage->in_use = atomic_load(&bytes_in_use);
    usage->peak = atomic_load(&bytes_peak);
    usage->limit = atomic_load(&bytes_limit);
}
