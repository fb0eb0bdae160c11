/*
 * Closed (or maximal) mining of one top-level branch of Eclat's walk horizontally, over
 * the branch's reduced conditional database (LCM ver. 2's idea, mirrored to
 * Eclat's decreasing rank order): the baskets holding the branch's item e,
 * cut down to the items frequent among them and with identical baskets
 * merged, counted by occurrence delivery. On sparse data this replaces
 * Eclat's tidset intersections and data-wide closure checks (closure.h) by
 * passes over a few short baskets.
 *
 * The maximal target walks the same closed itemsets and reports the leaves
 * that no item extends frequently (every maximal itemset is such a leaf),
 * checked exactly in the reduced database (see the .c file).
 */
#ifndef FIMBIT_CLOSED_REDUCED_H
#define FIMBIT_CLOSED_REDUCED_H

#include <stdint.h>

#include "arena.h"
#include "kernel.h"
#include "maximal_repository.h"
#include "pairs.h"
#include "tidset.h"

/* What one branch needs: the data, the run's bounds and the worker's buffers.
 * tally[] (zeros) and slot[] (all -1) have data->item_count entries and are
 * left as they were found; items[] and touched[] have item_count entries. */
typedef struct closed_reduced_branch {
    const kernel_data *data;
    kernel_output *output; /* to notice a stop asked by another sink */
    kernel_sink *sink;
    uint64_t min_count;
    uint32_t max_size; /* UINT32_MAX when unlimited */
    arena *scratch;
    uint64_t *tally;
    int32_t *slot;
    uint32_t *items;
    uint32_t *touched;
    bool maximal; /* report the maximal itemsets instead of the closed ones */
    /* MAXIMAL: the worker's repository, sized for data->item_count items and
     * emptied at the start of each branch. */
    maximal_repository *repository;
    /* Every pair's count over the data, or NULL: the root then counts its
     * items in a pass over its baskets. */
    const pair_table *pairs;
} closed_reduced_branch;

/* Reports every closed (or maximal) itemset whose greatest rank is `item`
 * (occ = the item's tidset), with at most max_size items. @return FIMBIT_OK,
 * FIMBIT_ENOMEM when the arena could not grow, or FIMBIT_ECANCELED when a
 * sink asked to stop. */
fimbit_status closed_reduced_mine_branch(const closed_reduced_branch *branch, uint32_t item,
                                         const tidset *occ);

/* @return true when closed_reduced_mine_branch() should mine the top-level
 * branches of a closed or maximal run: the data is sparse enough (see the .c file) or a test
 * forced it. */
bool closed_reduced_suits(const kernel_data *data);

/* @return true when the branches should take their roots' counts from a
 * pair table (pair_table_count_recoded() with `threads` threads): the table
 * is small enough, or a test forced it. */
bool closed_reduced_wants_pairs(const kernel_data *data, int threads);

/* Tests only: CLOSED_REDUCED_FORCE_ON forces closed_reduced_suits() true,
 * CLOSED_REDUCED_FORCE_REBUILD too and makes every node with children rebuild
 * its database (a path the cost rule takes only on long baskets); the first
 * orders every branch root's items by a scan of the tallies, the second by a
 * sort (the density of the items decides otherwise), and the second keeps
 * the closure check's bit rows word by word to the end (see closed_reduced_closure.c),
 * CLOSED_REDUCED_FORCE_OFF false, -1 (the default) lets the data decide. Not
 * thread-safe: set it between runs. */
enum { CLOSED_REDUCED_FORCE_OFF = 0, CLOSED_REDUCED_FORCE_ON = 1, CLOSED_REDUCED_FORCE_REBUILD = 2 };
void closed_reduced__force(int mode);

/* Tests only: 1 makes every maximal node with candidates of its parent below
 * it deliver its baskets by intersecting their lists, 0 by reading its
 * baskets, -1 (the default) lets their number decide. Not thread-safe: set
 * it between runs. */
void closed_reduced__force_intersection(int mode);

/* Tests only: 1 forces closed_reduced_wants_pairs() true, 0 false, -1 (the
 * default) lets the data decide. Not thread-safe: set it between runs. */
void closed_reduced__force_pairs(int mode);

#endif /* FIMBIT_CLOSED_REDUCED_H */
