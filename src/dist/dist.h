/*
 * The stages of an MPI run (fimbit_mpi.h), one file each:
 *
 *   read.c        each rank reads its line-aligned byte range (or rank 0 all)
 *   dictionary.c  local item ids -> global ids; rank 0 keeps the names
 *   plan.c        global supports, the F-list, items -> ranks by work
 *   exchange.c    each basket's projection to the ranks that own its items
 *   group.c       a rank mines its projection, keeps its own itemsets
 *   gather.c      itemsets to rank 0, into the store
 *   status.c      agreement on a stage's outcome
 *   driver.c      the public calls, the stages in order
 *
 * Between two stages every rank calls dist_agree(), so that a failure on one
 * rank ends every rank's run at the same point instead of leaving the others
 * waiting in a collective.
 */
#ifndef FIMBIT_DIST_H
#define FIMBIT_DIST_H

#include <stdbool.h>
#include <stdint.h>

#include <mpi.h>

#include "fimbit_mpi.h"
#include "encode/flist.h"
#include "base/internal.h"
#include "read/builder.h"

typedef struct dist_job {
    MPI_Comm comm;
    int rank;
    int size;
    int threads;             /* OpenMP threads of this rank, resolved */
    fimbit_mpi_stats *stats; /* this rank's, never NULL */
} dist_job;

/* The payload of one MPI call is cut into pieces of at most this many
 * elements, below the int counts of MPI-3. */
#define DIST_MAX_PIECE ((size_t)1 << 28)

/* status.c: every rank passes its status; all get FIMBIT_OK, or the status
 * and message (into *error) of the lowest failing rank. */
fimbit_status dist_agree(const dist_job *job, fimbit_status status, fimbit_error *error);

/* Sums `count` uint64 across the ranks, in place, in pieces. */
void dist_sum_u64(const dist_job *job, uint64_t *values, size_t count);

/* read.c: this rank's part of the inputs as a dataset with its own (local)
 * item ids. */
fimbit_status dist_read(const dist_job *job, const char *const *paths, size_t path_count,
                        const fimbit_read_options *options, fimbit_dataset **local,
                        fimbit_error *error);

/* dictionary.c: gives every local item its global id (*local_to_global, one
 * entry per local item) and *global_count. Global ids follow the order of
 * first appearance, rank by rank. On rank 0, *names becomes a builder
 * holding every name under its global id, for dist_plan_build (released
 * here on failure); other ranks leave it untouched. */
fimbit_status dist_merge_dictionaries(const dist_job *job, const fimbit_dataset *local,
                                      uint32_t **local_to_global, uint32_t *global_count,
                                      dataset_builder *names, fimbit_error *error);

/* The plan every rank derives alike from the global counts. */
typedef struct dist_plan {
    uint64_t min_count;
    flist frequent;      /* global ranks; its baskets are this rank's own */
    int *owner;          /* by global rank: the rank that mines the item */
    uint64_t *work;      /* by global rank: the estimated work of the item */
} dist_plan;

/* plan.c: rewrites `local`'s baskets to global ids, sums supports and counts
 * across the ranks, resolves the threshold, builds the F-list and assigns the
 * items to ranks by estimated work. On rank 0, *header becomes the dataset of
 * names and supports without baskets (the builder is consumed). */
fimbit_status dist_plan_build(const dist_job *job, fimbit_dataset *local,
                              const uint32_t *local_to_global, uint32_t global_count,
                              const fimbit_mine_options *options, dataset_builder *names,
                              fimbit_dataset **header, dist_plan *plan, fimbit_error *error);

void dist_plan_free(dist_plan *plan);

/* Baskets in global ranks (ascending inside a basket), CSR. */
typedef struct dist_baskets {
    uint64_t count;
    uint64_t *offsets; /* count + 1 */
    uint32_t *items;
} dist_baskets;

void dist_baskets_free(dist_baskets *baskets);

/* exchange.c: sends each basket of `plan.frequent` to every rank owning one
 * of its items: the prefix up to that rank's last item when `whole` is false
 * (enough for every itemset whose least frequent item the rank owns), the
 * whole basket when true (closed and maximal itemsets need the items after).
 * Runs in rounds of at most `round_words` words sent per rank. */
fimbit_status dist_exchange(const dist_job *job, const dist_plan *plan, bool whole,
                            size_t round_words, dist_baskets *received, fimbit_error *error);

/* Itemsets as sink records ([size][count lo][count hi][global ranks...]),
 * in one growing buffer: what a rank mines and sends to rank 0. */
typedef struct dist_records {
    uint32_t *words;
    size_t used, capacity;
} dist_records;

/* gather.c: appends items[0 .. size), plus `extra` unless it is UINT32_MAX,
 * with `count`. @return false when memory is exhausted. */
bool dist_records_append(dist_records *records, const uint32_t *items, uint32_t size,
                         uint32_t extra, uint64_t count);

/* gather.c: appends words[0 .. count), whole sink records. @return false
 * when memory is exhausted. */
bool dist_records_append_words(dist_records *records, const uint32_t *words, size_t count);

/* conditional.c: the frequent itemsets (target ALL) whose least frequent item
 * this rank owns, each mined once: for every owned item g, the kernels run on
 * g's conditional database (its baskets, cut before g), which the prefix
 * projection brought whole. */
fimbit_status dist_mine_conditional(const dist_job *job, const dist_plan *plan,
                                    const dist_baskets *baskets,
                                    const fimbit_mine_options *options, dist_records *out,
                                    fimbit_error *error);

/* group.c: the itemsets whose least frequent item this rank owns, from the
 * baskets the exchange brought: target ALL through dist_mine_conditional;
 * CLOSED and MAXIMAL by the single-process kernels on the whole baskets,
 * restricted to the top-level branches of the items this rank owns. */
fimbit_status dist_mine_group(const dist_job *job, const dist_plan *plan,
                              const dist_baskets *baskets, const fimbit_mine_options *options,
                              dist_records *out, fimbit_error *error);

/* gather.c: sends every rank's records to rank 0, which files them in a new
 * store over `header` (*out; rank 0 only). The records are freed. */
fimbit_status dist_gather(const dist_job *job, const dist_plan *plan,
                          const fimbit_dataset *header, dist_records *records,
                          fimbit_itemsets **out, fimbit_error *error);

#endif /* FIMBIT_DIST_H */
