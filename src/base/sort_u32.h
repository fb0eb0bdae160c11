/*
 * Sorting short uint32_t arrays (a basket's items, an itemset's ranks) in
 * place, ascending. One routine for every stage, and safe on the kernels' hot
 * paths: it never allocates (glibc's qsort may call malloc).
 */
#ifndef FIMBIT_SORT_U32_H
#define FIMBIT_SORT_U32_H

#include <stddef.h>
#include <stdint.h>

/* Up to this many values, insertion sort wins: arrays are short and usually
 * nearly sorted already. */
#define SORT_U32_INSERTION_MAX 32

static inline void sort_u32_sift_down(uint32_t *v, size_t root, size_t n)
{
    uint32_t value = v[root];
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[child] <= value)
            break;
        v[root] = v[child];
    }
    v[root] = value;
}

/* Sorts v[0 .. n) ascending: insertion sort when short, heapsort beyond, both
 * in place. */
static inline void sort_u32(uint32_t *v, size_t n)
{
    if (n <= SORT_U32_INSERTION_MAX) {
        for (size_t i = 1; i < n; i++) {
            uint32_t value = v[i];
            size_t j = i;
            for (; j > 0 && v[j - 1] > value; j--)
                v[j] = v[j - 1];
            v[j] = value;
        }
        return;
    }
    for (size_t root = n / 2; root-- > 0;)
        sort_u32_sift_down(v, root, n);
    for (size_t end = n - 1; end > 0; end--) {
        uint32_t top = v[0];
        v[0] = v[end];
        v[end] = top;
        sort_u32_sift_down(v, 0, end);
    }
}

#endif /* FIMBIT_SORT_U32_H */
