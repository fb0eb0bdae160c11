/*
 * Container operations over one shard; see containers.h.
 *
 * Every operation comes in the three kind pairs (array ∧ array, array ∧
 * bitmap, bitmap ∧ bitmap). The early-abort variants count misses on the
 * smaller side: |a ∩ b| = |a| - misses, so once |a| - misses drops below what
 * is needed, the rest of the scan cannot help and it stops. Counting misses
 * instead of hits costs the same (one popcount of a & ~b per word) and gives
 * the bound for free.
 */
#include <string.h>

#include "containers.h"

/* Words of a bitmap scanned between two early-abort checks: long enough that
 * the check does not stop the compiler from unrolling and vectorising the
 * inner loop, short enough (1 KiB of each operand) to stop early. */
#define CONTAINER_CHECK_WORDS 16u

/* An array this many times longer than the other is searched by galloping
 * instead of merged. */
#define CONTAINER_GALLOP_RATIO 32u

/* The entry points are compiled for a few x86-64 levels and picked at load
 * time (GNU ifunc): the generic x86-64 target has no popcnt instruction, and
 * a library call per word would halve the speed of every bitmap operation.
 * A -march=native build (FIMBIT_NATIVE) or another architecture gets one
 * version. The static helpers below are inlined into each. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__POPCNT__) && \
    !defined(__SANITIZE_ADDRESS__)
#define CONTAINER_DISPATCH \
    __attribute__((target_clones("default", "arch=x86-64-v2", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CONTAINER_DISPATCH
#endif

/* ------------------------------------------------------------ helpers */

/* @return the first position p >= from with array[p] >= value, or size. The
 * search doubles its step from `from` and then bisects: O(log distance). */
static inline uint32_t gallop(const uint16_t *array, uint32_t from, uint32_t size, uint16_t value)
{
    if (from >= size || array[from] >= value)
        return from;
    uint32_t low = from, step = 1; /* invariant: array[low] < value */
    uint32_t high = from + 1;
    while (high < size && array[high] < value) {
        low = high;
        step <<= 1;
        high = low + step;
    }
    if (high > size)
        high = size;
    /* array[low] < value, and array[high] >= value or high == size. */
    while (low + 1 < high) {
        uint32_t middle = low + (high - low) / 2;
        if (array[middle] < value)
            low = middle;
        else
            high = middle;
    }
    return high;
}

/* Writes the set bits of bits[0 .. words) as ascending indexes. @return how
 * many were written. */
static inline uint32_t bitmap_extract(const uint64_t *bits, uint32_t words, uint16_t *out)
{
    uint32_t n = 0;
    for (uint32_t w = 0; w < words; w++) {
        uint64_t word = bits[w];
        while (word) {
            out[n++] = (uint16_t)(w * 64u + (uint32_t)__builtin_ctzll(word));
            word &= word - 1;
        }
    }
    return n;
}

CONTAINER_DISPATCH
uint32_t container_bitmap_count(const uint64_t *bits, uint32_t words)
{
    uint32_t n = 0;
    for (uint32_t w = 0; w < words; w++)
        n += (uint32_t)__builtin_popcountll(bits[w]);
    return n;
}

void container_to_array(const container *c, uint16_t *out)
{
    if (c->kind == CONTAINER_BITMAP)
        bitmap_extract(c->u.bits, c->words, out);
    else if (c->cardinality)
        memcpy(out, c->u.array, (size_t)c->cardinality * sizeof *out);
}

/* Gives the last arena block back down to `size` bytes: the arena is rewound
 * to the mark taken just before the block was allocated and the block
 * allocated again. That lands on the same address unless the block had opened
 * a new chunk while the smaller one fits the previous chunk's tail; the bytes
 * are then moved (the rewound chunk is kept, so they are still there). */
static void *arena_shrink_last(arena *scratch, arena_mark mark, void *block, size_t size)
{
    arena_restore(scratch, mark);
    void *again = arena_alloc(scratch, size);
    if (again != block && again != NULL)
        memmove(again, block, size);
    return again;
}

static void set_empty(container *out, uint16_t words)
{
    out->cardinality = 0;
    out->kind = CONTAINER_ARRAY;
    out->words = words;
    out->u.array = NULL;
}

/* Orders a pair so that `a` is the one to scan: an array before a bitmap, and
 * between two of a kind the smaller. */
static inline void order_pair(const container **a, const container **b)
{
    const container *x = *a, *y = *b;
    bool swap;
    if (x->kind != y->kind)
        swap = x->kind == CONTAINER_BITMAP;
    else
        swap = x->cardinality > y->cardinality;
    if (swap) {
        *a = y;
        *b = x;
    }
}

/* ------------------------------------------------ intersecting a pair */

/* Each pair intersection below both counts and, given `out`, writes a ∩ b
 * there. It is always inlined, so a call with out = NULL compiles to a
 * counting loop without the stores. @return |a ∩ b|, or UINT32_MAX once
 * more than `budget` of a's baskets were missed (the count cannot reach the
 * needed one). */
#define CONTAINER_PAIR static inline __attribute__((always_inline)) uint32_t

/* Two arrays, a the shorter. */
CONTAINER_PAIR array_array_intersect(const uint16_t *a, uint32_t na, const uint16_t *b, uint32_t nb,
                                     uint32_t budget, uint16_t *out)
{
    uint32_t count = 0, misses = 0, j = 0;
    if (nb / CONTAINER_GALLOP_RATIO > na) {
        for (uint32_t i = 0; i < na; i++) {
            j = gallop(b, j, nb, a[i]);
            if (j < nb && b[j] == a[i]) {
                if (out)
                    out[count] = a[i];
                count++;
                j++;
            } else if (++misses > budget) {
                return UINT32_MAX;
            }
        }
        return count;
    }
    uint32_t i = 0;
    while (i < na && j < nb) {
        uint16_t x = a[i], y = b[j];
        if (x == y) {
            if (out)
                out[count] = x;
            count++;
            i++;
            j++;
        } else if (x < y) {
            i++;
            if (++misses > budget)
                return UINT32_MAX;
        } else {
            j++;
        }
    }
    if (misses + (na - i) > budget)
        return UINT32_MAX;
    return count;
}

CONTAINER_PAIR array_bitmap_intersect(const uint16_t *a, uint32_t na, const uint64_t *bits,
                                      uint32_t budget, uint16_t *out)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < na; i++) {
        uint32_t index = a[i];
        /* Branch-free append: the slot is written either way, kept on a hit. */
        if (out)
            out[count] = (uint16_t)index;
        count += (uint32_t)((bits[index >> 6] >> (index & 63u)) & 1u);
        if (i + 1 - count > budget)
            return UINT32_MAX;
    }
    return count;
}

/* Word w of a & b into out (when given). @return the misses a & ~b there. */
static inline uint32_t intersect_word(const uint64_t *a, const uint64_t *b, uint64_t *out,
                                      uint32_t w)
{
    if (out)
        out[w] = a[w] & b[w];
    return (uint32_t)__builtin_popcountll(a[w] & ~b[w]);
}

/* Two bitmaps, a_card = |a|: counts the misses a & ~b, checking the budget
 * every CONTAINER_CHECK_WORDS words. */
CONTAINER_PAIR bitmap_bitmap_intersect(const uint64_t *a, uint32_t a_card, const uint64_t *b,
                                       uint32_t words, uint32_t budget, uint64_t *out)
{
    uint32_t misses = 0;
    uint32_t w = 0;
    /* Whole blocks first: a constant trip count lets the compiler unroll the
     * block, which takes the loop's own overhead off every word. */
    for (; w + CONTAINER_CHECK_WORDS <= words; w += CONTAINER_CHECK_WORDS) {
        for (uint32_t v = w; v < w + CONTAINER_CHECK_WORDS; v++)
            misses += intersect_word(a, b, out, v);
        if (misses > budget)
            return UINT32_MAX;
    }
    for (; w < words; w++)
        misses += intersect_word(a, b, out, w);
    if (misses > budget)
        return UINT32_MAX;
    return a_card - misses;
}

/* ------------------------------------------------------------ counting */

/* @return |a ∩ b| when at least min_needed, otherwise 0 or another value
 * below it. */
static inline uint32_t count_with_budget(const container *a, const container *b, uint32_t min_needed)
{
    order_pair(&a, &b);
    if (a->cardinality < min_needed || a->cardinality == 0)
        return 0;
    uint32_t budget = a->cardinality - min_needed;
    uint32_t count;
    if (a->kind == CONTAINER_ARRAY) {
        if (b->kind == CONTAINER_ARRAY)
            count = array_array_intersect(a->u.array, a->cardinality, b->u.array, b->cardinality,
                                          budget, NULL);
        else
            count = array_bitmap_intersect(a->u.array, a->cardinality, b->u.bits, budget, NULL);
    } else {
        count =
            bitmap_bitmap_intersect(a->u.bits, a->cardinality, b->u.bits, a->words, budget, NULL);
    }
    /* Given up: below min_needed, which is then at least 1. */
    return count == UINT32_MAX ? 0 : count;
}

CONTAINER_DISPATCH
uint32_t container_intersect_count(const container *a, const container *b)
{
    return count_with_budget(a, b, 0);
}

CONTAINER_DISPATCH
uint32_t container_intersect_count_min(const container *a, const container *b,
                                       uint32_t min_needed)
{
    return count_with_budget(a, b, min_needed);
}

/* ------------------------------------------------------ materialising */

CONTAINER_DISPATCH
int container_intersect_min(const container *a, const container *b, uint32_t min_needed,
                            arena *scratch, container *out)
{
    order_pair(&a, &b);
    uint16_t words = a->words;
    if (a->cardinality < min_needed)
        return 0;
    if (a->cardinality == 0 || b->cardinality == 0) {
        set_empty(out, words);
        return min_needed == 0 ? 1 : 0;
    }
    uint32_t budget = a->cardinality - min_needed;
    arena_mark mark = arena_save(scratch);

    if (a->kind == CONTAINER_ARRAY) {
        uint16_t *array = arena_alloc_array(scratch, a->cardinality, sizeof *array);
        if (!array)
            return -1;
        uint32_t count =
            b->kind == CONTAINER_ARRAY
                ? array_array_intersect(a->u.array, a->cardinality, b->u.array, b->cardinality,
                                        budget, array)
                : array_bitmap_intersect(a->u.array, a->cardinality, b->u.bits, budget, array);
        if (count == UINT32_MAX || count < min_needed) {
            arena_restore(scratch, mark);
            return 0;
        }
        if (count == 0) {
            arena_restore(scratch, mark);
            set_empty(out, words);
            return 1;
        }
        if (count < a->cardinality)
            array = arena_shrink_last(scratch, mark, array, (size_t)count * sizeof *array);
        out->cardinality = count;
        out->kind = CONTAINER_ARRAY;
        out->words = words;
        out->u.array = array;
        return 1;
    }

    uint64_t *bits = arena_alloc_array(scratch, words, sizeof *bits);
    if (!bits)
        return -1;
    uint32_t count =
        bitmap_bitmap_intersect(a->u.bits, a->cardinality, b->u.bits, words, budget, bits);
    if (count == UINT32_MAX || count < min_needed) {
        arena_restore(scratch, mark);
        return 0;
    }
    if (count == 0) {
        arena_restore(scratch, mark);
        set_empty(out, words);
        return 1;
    }
    out->cardinality = count;
    out->words = words;
    if (container_result_prefers_array(count, words)) {
        /* Sparse result: the array (count < words / 2 entries, fewer than
         * 512 in a shard of at most 1024 words) goes through the stack, then
         * replaces the bitmap in the arena. */
        uint16_t staged[512];
        bitmap_extract(bits, words, staged);
        uint16_t *array = arena_shrink_last(scratch, mark, bits, (size_t)count * sizeof *array);
        memcpy(array, staged, (size_t)count * sizeof *array);
        out->kind = CONTAINER_ARRAY;
        out->u.array = array;
    } else {
        out->kind = CONTAINER_BITMAP;
        out->u.bits = bits;
    }
    return 1;
}

bool container_intersect(const container *a, const container *b, arena *scratch, container *out)
{
    return container_intersect_min(a, b, 0, scratch, out) >= 0;
}

/* ------------------------------------------------------------- subsets */

CONTAINER_DISPATCH
bool container_is_subset(const container *a, const container *b)
{
    uint32_t na = a->cardinality;
    if (na == 0)
        return true;
    if (na > b->cardinality)
        return false;
    if (a->kind == CONTAINER_ARRAY) {
        const uint16_t *x = a->u.array;
        if (b->kind == CONTAINER_BITMAP) {
            const uint64_t *bits = b->u.bits;
            for (uint32_t i = 0; i < na; i++)
                if (!((bits[x[i] >> 6] >> (x[i] & 63u)) & 1u))
                    return false;
            return true;
        }
        const uint16_t *y = b->u.array;
        uint32_t nb = b->cardinality, j = 0;
        for (uint32_t i = 0; i < na; i++) {
            j = gallop(y, j, nb, x[i]);
            if (j == nb || y[j] != x[i])
                return false;
            j++;
        }
        return true;
    }
    if (b->kind == CONTAINER_BITMAP) {
        const uint64_t *x = a->u.bits, *y = b->u.bits;
        uint32_t words = a->words;
        /* Most tests fail, and early: check every SUBSET_CHECK_WORDS words. */
        enum { SUBSET_CHECK_WORDS = 4 };
        uint32_t w = 0;
        /* Whole blocks of constant length, which the compiler unrolls. */
        for (; w + SUBSET_CHECK_WORDS <= words; w += SUBSET_CHECK_WORDS) {
            uint64_t outside = 0;
            for (uint32_t v = w; v < w + SUBSET_CHECK_WORDS; v++)
                outside |= x[v] & ~y[v];
            if (outside)
                return false;
        }
        uint64_t outside = 0;
        for (; w < words; w++)
            outside |= x[w] & ~y[w];
        return outside == 0;
    }
    /* A bitmap inside an array (rare: the array is at least as long). */
    return count_with_budget(a, b, na) == na;
}
