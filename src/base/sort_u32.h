/*
 * Sorting short arrays of unsigned integers in place, ascending: uint32_t (a
 * basket's items, an itemset's ranks) and uint64_t (keys that pack a sort
 * order, such as a count and a rank). One routine for every stage, and safe
 * on the kernels' hot paths: it never allocates (glibc's qsort may call
 * malloc) and calls no comparison function.
 */
#ifndef FIMBIT_SORT_U32_H
#define FIMBIT_SORT_U32_H

#include <stddef.h>
#include <stdint.h>

/* Up to this many values, insertion sort wins: arrays are short and usually
 * nearly sorted already. */
#define SORT_U32_INSERTION_MAX 32

/* Defines sort_<suffix>(type *v, size_t n), which sorts v[0 .. n) ascending:
 * insertion sort when short, heapsort beyond, both in place. */
#define SORT_UNSIGNED_DEFINE(suffix, type)                                                         \
    static inline void sort_##suffix##_sift_down(type *v, size_t root, size_t n)                   \
    {                                                                                              \
        type value = v[root];                                                                      \
        for (size_t child; (child = 2 * root + 1) < n; root = child) {                             \
            if (child + 1 < n && v[child + 1] > v[child])                                          \
                child++;                                                                           \
            if (v[child] <= value)                                                                 \
                break;                                                                             \
            v[root] = v[child];                                                                    \
        }                                                                                          \
        v[root] = value;                                                                           \
    }                                                                                              \
                                                                                                   \
    static inline void sort_##suffix(type *v, size_t n)                                            \
    {                                                                                              \
        if (n <= SORT_U32_INSERTION_MAX) {                                                         \
            for (size_t i = 1; i < n; i++) {                                                       \
                type value = v[i];                                                                 \
                size_t j = i;                                                                      \
                for (; j > 0 && v[j - 1] > value; j--)                                             \
                    v[j] = v[j - 1];                                                               \
                v[j] = value;                                                                      \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
        for (size_t root = n / 2; root-- > 0;)                                                     \
            sort_##suffix##_sift_down(v, root, n);                                                 \
        for (size_t end = n - 1; end > 0; end--) {                                                 \
            type top = v[0];                                                                       \
            v[0] = v[end];                                                                         \
            v[end] = top;                                                                          \
            sort_##suffix##_sift_down(v, 0, end);                                                  \
        }                                                                                          \
    }

SORT_UNSIGNED_DEFINE(u32, uint32_t)
SORT_UNSIGNED_DEFINE(u64, uint64_t)

#endif /* FIMBIT_SORT_U32_H */
