/*
 * A parallel, in-place quicksort of (key, value) pairs; see order.h.
 */
#include <stdlib.h>

#include "order.h"

/* Ranges below this are finished by insertion sort; above PARALLEL_CUTOFF,
 * one side of each partition becomes an OpenMP task. */
#define INSERTION_CUTOFF 24
#define PARALLEL_CUTOFF 65536

typedef struct sort_context {
    order_tie_fn tie;
    const void *context;
} sort_context;

static inline int compare_entries(const order_entry *a, const order_entry *b,
                                  const sort_context *sort)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return sort->tie(a->value, b->value, sort->context);
}

static void insertion_sort(order_entry *entries, size_t count, const sort_context *sort)
{
    for (size_t i = 1; i < count; i++) {
        order_entry entry = entries[i];
        size_t j = i;
        while (j > 0 && compare_entries(&entries[j - 1], &entry, sort) > 0) {
            entries[j] = entries[j - 1];
            j--;
        }
        entries[j] = entry;
    }
}

/* Heapsort: the O(n log n) fallback when partitions keep coming out lopsided. */
static void sift_down(order_entry *entries, size_t root, size_t count, const sort_context *sort)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count)
            return;
        if (child + 1 < count && compare_entries(&entries[child], &entries[child + 1], sort) < 0)
            child++;
        if (compare_entries(&entries[root], &entries[child], sort) >= 0)
            return;
        order_entry swap = entries[root];
        entries[root] = entries[child];
        entries[child] = swap;
        root = child;
    }
}

static void heap_sort(order_entry *entries, size_t count, const sort_context *sort)
{
    for (size_t i = count / 2; i-- > 0;)
        sift_down(entries, i, count, sort);
    for (size_t end = count; end-- > 1;) {
        order_entry swap = entries[0];
        entries[0] = entries[end];
        entries[end] = swap;
        sift_down(entries, 0, end, sort);
    }
}

static void quick_sort(order_entry *entries, size_t count, const sort_context *sort,
                       int depth_left)
{
    while (count > INSERTION_CUTOFF) {
        if (depth_left-- == 0) {
            heap_sort(entries, count, sort);
            return;
        }
        /* Median of three as the pivot value. */
        order_entry *a = &entries[0], *b = &entries[count / 2], *c = &entries[count - 1];
        const order_entry *median;
        if (compare_entries(a, b, sort) < 0)
            median = compare_entries(b, c, sort) < 0 ? b : (compare_entries(a, c, sort) < 0 ? c : a);
        else
            median = compare_entries(a, c, sort) < 0 ? a : (compare_entries(b, c, sort) < 0 ? c : b);
        order_entry pivot = *median;

        /* Hoare partition: [0, j] <= pivot <= [j + 1, count). */
        size_t i = 0, j = count - 1;
        for (;;) {
            while (compare_entries(&entries[i], &pivot, sort) < 0)
                i++;
            while (compare_entries(&entries[j], &pivot, sort) > 0)
                j--;
            if (i >= j)
                break;
            order_entry swap = entries[i];
            entries[i] = entries[j];
            entries[j] = swap;
            i++;
            j--;
        }
        size_t left = j + 1, right = count - left;
        order_entry *left_part = entries, *right_part = entries + left;
        /* Recurse into the smaller side, loop on the larger. */
        if (left < right) {
            if (left >= PARALLEL_CUTOFF) {
#pragma omp task firstprivate(left_part, left, depth_left)
                quick_sort(left_part, left, sort, depth_left);
            } else {
                quick_sort(left_part, left, sort, depth_left);
            }
            entries = right_part;
            count = right;
        } else {
            if (right >= PARALLEL_CUTOFF) {
#pragma omp task firstprivate(right_part, right, depth_left)
                quick_sort(right_part, right, sort, depth_left);
            } else {
                quick_sort(right_part, right, sort, depth_left);
            }
            count = left;
        }
    }
    insertion_sort(entries, count, sort);
}

void order_sort(order_entry *entries, size_t count, order_tie_fn tie, const void *context,
                int threads)
{
    if (count < 2)
        return;
    sort_context sort = {tie, context};
    int depth = 2;
    for (size_t n = count; n > 1; n >>= 1)
        depth += 2;
    if (threads <= 1 || count < 2 * (size_t)PARALLEL_CUTOFF) {
        quick_sort(entries, count, &sort, depth);
        return;
    }
#pragma omp parallel num_threads(threads)
#pragma omp single nowait
    quick_sort(entries, count, &sort, depth);
}
