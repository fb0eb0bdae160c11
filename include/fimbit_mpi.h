/*
 * fimbit under MPI: the same mining spread over the ranks of a communicator.
 *
 * Installed only by the MPI build (CMake option FIMBIT_MPI, MPI found). These
 * calls live in a library of their own, so that libfimbit itself needs no MPI:
 * a program that includes this header links libfimbit_mpi.so (which also holds
 * every call of fimbit.h: link it instead of libfimbit.so; CMake target
 * fimbit::fimbit_mpi), or libfimbit_mpi.a with libfimbit.a, and an MPI
 * implementation (Open MPI and MPICH both work). docs/distributed.md tells the
 * design and its costs.
 *
 * Every call here is collective: each rank of `comm` makes it with the same
 * arguments, and each returns the same status. When a rank fails (malformed
 * input in its part of a file, memory exhausted), every rank returns that
 * status, and `error` holds the message of the lowest failing rank; no rank
 * waits forever. The results are identical to those of one process calling
 * fimbit_dataset_read() and fimbit_mine_itemsets() / fimbit_mine_rules() with
 * the same options: the same itemsets and counts, the same rules.
 *
 * `paths` must hold at least one path; `read` and the mining or rule options
 * may be NULL for the defaults. Options out of range, a NULL dataset or
 * result pointer are FIMBIT_EINVAL on every rank, before any collective.
 */
#ifndef FIMBIT_MPI_H
#define FIMBIT_MPI_H

#include <mpi.h>

#include "fimbit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What one rank did, for benchmarks and --verbose. Bytes are payload bytes
 * this rank handed to (or got from) MPI: the basket exchange, the dictionary,
 * and the itemsets sent to rank 0. */
typedef struct fimbit_mpi_stats {
    uint64_t bytes_sent;
    uint64_t bytes_received;
    uint64_t exchange_bytes_sent;     /* of which the basket exchange, to other ranks */
    uint64_t exchange_bytes_received; /* of which the basket exchange, from other ranks */
    uint64_t exchange_rounds;    /* MPI_Alltoallv rounds of the basket exchange */
    uint64_t projected_baskets;  /* baskets (prefixes) this rank mined */
    uint64_t projected_items;    /* items in them: the estimated work */
    uint64_t itemsets_mined;     /* itemsets its kernel found in the projection */
    uint64_t itemsets_kept;      /* those of its own item group: its share of the result */
    double read_seconds;         /* reading and counting its part of the input */
    double exchange_seconds;
    double mine_seconds;
    double gather_seconds;       /* itemsets to rank 0 (and, on rank 0, the store) */
} fimbit_mpi_stats;

/* Reads the inputs across the ranks of `comm` and mines the itemsets of the
 * whole, as fimbit_mine_itemsets(). Plain files are split: each rank reads its
 * line-aligned byte range. Standard input, compressed files and long CSV are
 * read by rank 0 alone, which then sends every basket to the rank that mines
 * it. `threads` of the options are each rank's OpenMP threads.
 * On rank 0, *dataset receives a dataset with the names, supports and stats
 * of the whole input but without baskets (it cannot be mined; write and free
 * it), and *itemsets the result, which refers to *dataset: free the result
 * first. On the other ranks both stay NULL. `stats` (may be NULL) receives
 * this rank's numbers. */
FIMBIT_API fimbit_status fimbit_mpi_mine_itemsets(MPI_Comm comm, const char *const *paths,
                                                  size_t path_count,
                                                  const fimbit_read_options *read,
                                                  const fimbit_mine_options *mine,
                                                  fimbit_dataset **dataset,
                                                  fimbit_itemsets **itemsets,
                                                  fimbit_mpi_stats *stats, fimbit_error *error);

/* As fimbit_mpi_mine_itemsets(), for the strong rules of fimbit_mine_rules():
 * every rank mines its share of the frequent itemsets, rank 0 gathers them and
 * derives the rules. *rules (rank 0 only) refers to *dataset. */
FIMBIT_API fimbit_status fimbit_mpi_mine_rules(MPI_Comm comm, const char *const *paths,
                                               size_t path_count, const fimbit_read_options *read,
                                               const fimbit_rule_options *rule,
                                               fimbit_dataset **dataset, fimbit_rules **rules,
                                               fimbit_mpi_stats *stats, fimbit_error *error);

/* Agrees on the outcome of a step that some ranks did alone (rank 0 writing
 * the output): every rank passes its own status and gets back FIMBIT_OK when
 * all succeeded, else the status of the lowest failing rank, whose message
 * (read from its `error`, or the status's description when it passes NULL)
 * is copied into every rank's `error`. */
FIMBIT_API fimbit_status fimbit_mpi_agree(MPI_Comm comm, fimbit_status status,
                                          fimbit_error *error);

#ifdef __cplusplus
}
#endif

#endif /* FIMBIT_MPI_H */
