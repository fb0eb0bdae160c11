/*
 * The CLI under mpirun. fimbit joins an MPI job only when a launcher started
 * it (Open MPI's OMPI_COMM_WORLD_SIZE, or PMI_SIZE / PMIX_RANK of MPICH's
 * Hydra and other PMI launchers): a plain `fimbit ...` never initialises MPI,
 * so it starts as fast as a build without MPI and works where no MPI runtime
 * is configured. Under MPI, rank 0 prints and writes; the other ranks' standard
 * output and error go to /dev/null, and every rank exits with the highest exit
 * code of them all. Without FIMBIT_WITH_MPI these calls are inline no-ops.
 */
#ifndef FIMBIT_CLI_MPI_JOB_H
#define FIMBIT_CLI_MPI_JOB_H

#include <stdbool.h>

#include "fimbit.h"
#include "options.h"

#ifdef FIMBIT_WITH_MPI

/* Joins the MPI job when a launcher started this process. @return true then. */
bool cli_mpi_start(int *argc, char ***argv);

/* @return true between cli_mpi_start() (when it joined) and cli_mpi_finish(). */
bool cli_mpi_active(void);

/* Leaves the job: every rank gets the highest exit code of all. */
int cli_mpi_finish(int code);

/* The distributed read and mining (fimbit_mpi.h). On rank 0, *dataset and the
 * result; on the others both NULL and FIMBIT_OK when all went well. With
 * --verbose, rank 0 prints each rank's stage times, bytes and work. */
fimbit_status cli_mpi_mine_itemsets(const cli_options *options, fimbit_dataset **dataset,
                                    fimbit_itemsets **itemsets, fimbit_error *error);
fimbit_status cli_mpi_mine_rules(const cli_options *options, fimbit_dataset **dataset,
                                 fimbit_rules **rules, fimbit_error *error);

/* True on the ranks that only helped: they neither print nor write. */
bool cli_mpi_helper(void);

#else

static inline bool cli_mpi_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return false;
}
static inline bool cli_mpi_active(void) { return false; }
static inline int cli_mpi_finish(int code) { return code; }
static inline bool cli_mpi_helper(void) { return false; }
static inline fimbit_status cli_mpi_mine_itemsets(const cli_options *options,
                                                  fimbit_dataset **dataset,
                                                  fimbit_itemsets **itemsets, fimbit_error *error)
{
    (void)options, (void)dataset, (void)itemsets, (void)error;
    return FIMBIT_EINTERNAL;
}
static inline fimbit_status cli_mpi_mine_rules(const cli_options *options,
                                               fimbit_dataset **dataset, fimbit_rules **rules,
                                               fimbit_error *error)
{
    (void)options, (void)dataset, (void)rules, (void)error;
    return FIMBIT_EINTERNAL;
}

#endif

#endif /* FIMBIT_CLI_MPI_JOB_H */
