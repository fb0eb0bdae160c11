/*
 * Internal helpers shared by every stage: error reporting and the allocation
 * wrappers. Internal non-static names carry the `fimbit__` prefix and are hidden
 * from the shared library.
 */
#ifndef FIMBIT_INTERNAL_H
#define FIMBIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"

#define FIMBIT_UNUSED(x) ((void)(x))

/* Fills `error` (when not NULL) and returns `code`. The message is prefixed
 * with "file:line:column: " when file and line are given, "file: " when only
 * the file is, and printed as is otherwise. */
fimbit_status fimbit__error_set(fimbit_error *error, fimbit_status code, const char *file,
                                uint64_t line, uint64_t column, const char *format, ...)
    __attribute__((format(printf, 6, 7)));

/* The shorthand for errors without a place: fimbit__fail(err, FIMBIT_ENOMEM, "..."). */
#define fimbit__fail(error, code, ...) fimbit__error_set((error), (code), NULL, 0, 0, __VA_ARGS__)

/* Every heap allocation of the library goes through these, so that tests can
 * make the n-th allocation fail. They return NULL on failure (and on overflow
 * of n * size); callers turn that into FIMBIT_ENOMEM. */
void *fimbit__malloc(size_t size);
void *fimbit__calloc(size_t count, size_t size);
void *fimbit__malloc_array(size_t count, size_t size);
/* `size` bytes at a multiple of `alignment` (a power of two): malloc aligns
 * only to 16 bytes below a page. Freed with fimbit__free. */
void *fimbit__aligned_malloc(size_t alignment, size_t size);
/* A zeroed array for a table that is read before it is written (a hash
 * table's probes): zeroed by writing, because calloc's fresh pages, read
 * first, would fault twice each (once mapping the shared zero page, once
 * copying it at the first write). */
void *fimbit__zeroed_array(size_t count, size_t size);
void *fimbit__realloc_array(void *pointer, size_t count, size_t size);
void fimbit__free(void *pointer);
/* As fimbit__free, giving the block's whole pages back to the system first.
 * An allocator keeps a freed block's pages resident for its next
 * allocations; when those do not fit in it (a dataset's baskets, released
 * before a kernel's arenas and trees), the pages stay resident for nothing. */
void fimbit__free_discarding(void *pointer);
/* Gives the whole pages among the first `bytes` of a block still in use
 * back to the system: its owner reads those bytes for the last time before
 * it frees the block (a dataset's baskets, recoded a block at a time). They
 * read as zeros if touched again; the block is freed as usual. */
void fimbit__discard_block_prefix(void *pointer, size_t bytes);
/* As fimbit__realloc_array for growing an array of FIMBIT_DISCARD_MIN bytes
 * or more: the array moves to a new block, and the old one is freed with
 * fimbit__free_discarding, where realloc would leave the allocator holding
 * its pages (a doubling chain leaves about as much again behind). */
#define FIMBIT_DISCARD_MIN ((size_t)16 << 10)
void *fimbit__grow_array_discarding(void *pointer, size_t count, size_t size);

/* Asks the kernel to back the 2 MiB-aligned part of bytes [pointer, pointer
 * + size) with huge pages (a hint, ignored where unsupported): for a large
 * array about to be written in full, one page fault per 2 MiB instead of
 * 512. */
void fimbit__advise_huge_pages(void *pointer, size_t size);

/* Makes *array (of `size`-byte elements, room for *capacity) hold at least
 * `needed`, doubling so that appending one at a time costs amortised O(1).
 * @return false when out of memory (then the array and capacity are kept). */
bool fimbit__grow_array_to(void **array, size_t *capacity, size_t needed, size_t size);
static inline bool fimbit__grow_array(void **array, size_t *capacity, size_t needed, size_t size)
{
    return needed <= *capacity || fimbit__grow_array_to(array, capacity, needed, size);
}

/* As fimbit__grow_array, for an array that may grow large while few others are
 * allocated: from FIMBIT_MAPPED_ARRAY_MIN bytes on it has a mapping of its
 * own, grown by mremap. Growing by realloc copies the array, so that for a
 * moment both copies are resident (chess 959 maximal's repository: 1 MB), and
 * the room not yet used is never touched either way. Free it with
 * fimbit__free_mapped_array, giving its capacity. */
#define FIMBIT_MAPPED_ARRAY_MIN ((size_t)64 << 10)
bool fimbit__grow_mapped_array_to(void **array, size_t *capacity, size_t needed, size_t size);
static inline bool fimbit__grow_mapped_array(void **array, size_t *capacity, size_t needed,
                                             size_t size)
{
    return needed <= *capacity || fimbit__grow_mapped_array_to(array, capacity, needed, size);
}
void fimbit__free_mapped_array(void *array, size_t capacity, size_t size);
/* Gives the pages of a mapped array past its first `kept` elements back to
 * the system (they read as zeros if touched again). The array keeps its
 * mapping and its capacity, still freed whole by fimbit__free_mapped_array;
 * below FIMBIT_MAPPED_ARRAY_MIN bytes it is an ordinary allocation, small,
 * and left as it is. */
void fimbit__release_mapped_array_after(void *array, size_t kept, size_t capacity, size_t size);

char *fimbit__strdup(const char *text);

/* Fault injection for tests: the `n`-th allocation from now (1-based) and every
 * later one fail; 0 switches it off. @return how many allocations were made
 * since the last call. */
uint64_t fimbit__alloc_fail_after(uint64_t n);

/* True when the memory limit (fimbit_set_memory_limit) has refused an
 * allocation since it was set: an out-of-memory failure is then the limit's. */
bool fimbit__memory_limit_refused(void);

/* Resolves a thread count: 0 means every core the process may use. */
int fimbit__thread_count(int requested);

/* Work units (basket items read, itemsets turned into rules) that keep one
 * more thread busy: below this, starting a thread costs more than it saves. */
#define FIMBIT_WORK_PER_THREAD ((uint64_t)1 << 16)

/* As fimbit__thread_count, but 0 (every core) also means no more threads
 * than `work` keeps busy, at least one; a count the caller asked for is kept,
 * so tests can force any thread count on small data. */
int fimbit__thread_count_for_work(int requested, uint64_t work);

#endif /* FIMBIT_INTERNAL_H */
