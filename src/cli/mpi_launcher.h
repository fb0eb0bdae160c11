/*
 * Whether an MPI launcher started this process. Launchers announce themselves
 * in the environment of the processes they start: Open MPI with
 * OMPI_COMM_WORLD_SIZE, MPICH's Hydra and other PMI launchers with PMI_SIZE or
 * PMIX_RANK. Shared by fimbit (which then hands itself over to fimbit-mpi) and
 * fimbit-mpi (which then joins the job).
 */
#ifndef FIMBIT_CLI_MPI_LAUNCHER_H
#define FIMBIT_CLI_MPI_LAUNCHER_H

#include <stdbool.h>
#include <stdlib.h>

static inline bool cli_mpi_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMI_SIZE") != NULL ||
           getenv("PMIX_RANK") != NULL;
}

#endif /* FIMBIT_CLI_MPI_LAUNCHER_H */
