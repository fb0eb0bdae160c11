/*
 * The CLI under mpirun. Two programs share every other file of the CLI:
 * fimbit, which links no MPI library (mpi_handoff.c), and fimbit-mpi
 * (FIMBIT_WITH_MPI, mpi_job.c). Either joins an MPI job only when a launcher
 * started it (mpi_launcher.h); fimbit then replaces itself with fimbit-mpi,
 * so `mpirun -np N fimbit ...` works while a plain run loads no MPI and works
 * where no MPI runtime is configured. Under MPI, rank 0 prints and writes; the
 * other ranks' standard output and error go to /dev/null, and every rank exits
 * with the highest exit code of them all. In fimbit, every call but
 * cli_mpi_start is an inline no-op.
 */
#ifndef FIMBIT_CLI_MPI_JOB_H
#define FIMBIT_CLI_MPI_JOB_H

#include <stdbool.h>

#include "fimbit.h"
#include "options.h"

/* In fimbit-mpi, joins the MPI job when a launcher started this process and
 * @return true then. In fimbit, replaces the process with fimbit-mpi from the
 * same directory when a launcher started it (exits 1 with a message when that
 * fails), and @return false otherwise. */
bool cli_mpi_start(int *argc, char ***argv);

#ifdef FIMBIT_WITH_MPI

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

/* Whether `ok` holds on every rank (a collective call: every rank makes it). */
bool cli_mpi_everywhere(bool ok);

/* Whether rank 0 has every descriptor of its own that an input names
 * (/dev/fd/N: a shell's process substitution). Open MPI passes a rank none
 * of its caller's but 0 to 2, so the name was on no rank and reading it
 * failed with "cannot open"; MPICH passes them on. When one is missing, puts
 * a usage error into message[0 .. size) and @return false on every rank. A
 * collective call: every rank makes it. */
bool cli_mpi_inputs_reachable(const cli_options *options, char *message, size_t size);

#else

static inline bool cli_mpi_active(void) { return false; }
static inline int cli_mpi_finish(int code) { return code; }
static inline bool cli_mpi_helper(void) { return false; }
static inline bool cli_mpi_everywhere(bool ok) { return ok; }
static inline bool cli_mpi_inputs_reachable(const cli_options *options, char *message, size_t size)
{
    (void)options, (void)message, (void)size;
    return true;
}
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
