/*
 * The subsets of an itemset's perfect extensions, one at a time.
 *
 * A node reported with k perfect extensions stands for 2^k itemsets: the node
 * plus every subset S of the extensions. They are enumerated depth first, each
 * subset right after its parent (S, then S plus a later extension), so that
 * consecutive subsets share all but their last few extensions: the writer
 * keeps the text of the shared part (itemset_text.h). Subsets whose size is
 * out of bounds are skipped without visiting the branches that cannot get back
 * in bounds, so the work is the output's.
 */
#ifndef FIMBIT_SUBSET_WALK_H
#define FIMBIT_SUBSET_WALK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct subset_walk {
    uint32_t count;     /* extensions */
    uint32_t min_size;  /* |S| bounds */
    uint32_t max_size;
    bool started;
    /* The current subset: extensions chosen[0 .. size), ascending indices. */
    uint32_t size;
    uint32_t *chosen; /* room for `count` entries */
    /* chosen[0 .. unchanged) are as they were at the previous subset (0 for
     * the first). */
    uint32_t unchanged;
} subset_walk;

/* Starts a walk over the subsets S of `count` extensions with min_size <= |S|
 * <= max_size, using chosen[0 .. count) as its stack. */
static inline void subset_walk_start(subset_walk *walk, uint32_t count, uint32_t min_size,
                                     uint32_t max_size, uint32_t *chosen)
{
    *walk = (subset_walk){.count = count, .min_size = min_size,
                          .max_size = max_size < count ? max_size : count, .chosen = chosen};
}

/* Can `index` be chosen at position `at`: is there room for min_size with
 * the extensions after it? */
static inline bool subset_walk_reaches_min(const subset_walk *walk, uint32_t at, uint32_t index)
{
    return index < walk->count && at + 1 + (walk->count - index - 1) >= walk->min_size;
}

/* subset_walk_next() once started, when every non-empty subset is in bounds
 * (the common case: no size limits): each step adds the next extension or,
 * after the last one, drops it and moves the one before on, so it changes
 * one position and needs no search. */
static inline bool subset_walk_next_unbounded(subset_walk *walk)
{
    uint32_t size = walk->size;
    uint32_t next = size ? walk->chosen[size - 1] + 1 : 0;
    if (next < walk->count) {
        walk->chosen[size] = next;
        walk->size = size + 1;
        walk->unchanged = size;
        return true;
    }
    if (size <= 1)
        return false;
    walk->chosen[size - 2]++;
    walk->size = size - 1;
    walk->unchanged = size - 2;
    return true;
}

/* Moves to the next subset in depth-first order. @return false when there is
 * none left. */
static inline bool subset_walk_next(subset_walk *walk)
{
    if (!walk->started) {
        walk->started = true;
        if (walk->min_size > walk->max_size)
            return false;
        if (walk->min_size == 0)
            return true; /* the empty subset */
    } else if (walk->min_size <= 1 && walk->max_size == walk->count) {
        return subset_walk_next_unbounded(walk);
    } else {
        walk->unchanged = walk->size;
    }
    for (;;) {
        uint32_t size = walk->size;
        uint32_t first = size ? walk->chosen[size - 1] + 1 : 0;
        if (size < walk->max_size && subset_walk_reaches_min(walk, size, first)) {
            walk->chosen[size] = first; /* down: the first child */
            walk->size = ++size;
        } else {
            /* Up to the nearest ancestor with a next sibling. */
            while (size > 0 && !subset_walk_reaches_min(walk, size - 1, walk->chosen[size - 1] + 1))
                size--;
            if (size == 0)
                return false;
            walk->chosen[size - 1]++;
            walk->size = size;
        }
        if (size - 1 < walk->unchanged)
            walk->unchanged = size - 1;
        if (size >= walk->min_size)
            return true;
    }
}

#endif /* FIMBIT_SUBSET_WALK_H */
