/*
 * The plain fimbit under an MPI launcher: it links no MPI library (so that
 * every ordinary run starts without loading one), and a process that
 * `mpirun -np N fimbit ...` started replaces itself with fimbit-mpi from its
 * own directory, with the same arguments and environment. See mpi_job.h.
 */
#include "mpi_job.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mpi_launcher.h"
#include "report.h"

#define MPI_PROGRAM_NAME "fimbit-mpi"

/* Writes the path of fimbit-mpi beside this executable into out.
 * @return false when /proc/self/exe cannot be read or the path is too long. */
static bool mpi_program_path(char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0)
        return false;
    self[length] = '\0';
    char *slash = strrchr(self, '/');
    if (slash == NULL)
        return false;
    slash[1] = '\0';
    int written = snprintf(out, size, "%s%s", self, MPI_PROGRAM_NAME);
    return written > 0 && (size_t)written < size;
}

bool cli_mpi_start(int *argc, char ***argv)
{
    (void)argc;
    if (!cli_mpi_launched())
        return false;
    char path[PATH_MAX];
    if (mpi_program_path(path, sizeof path)) {
        execv(path, *argv);
        fprintf(stderr, "fimbit: started by an MPI launcher, but %s cannot be run: %s "
                        "(this fimbit was built without MPI, or %s was not installed beside it)\n",
                path, strerror(errno), MPI_PROGRAM_NAME);
    } else {
        fprintf(stderr, "fimbit: started by an MPI launcher, but the path of %s beside this "
                        "program cannot be found\n", MPI_PROGRAM_NAME);
    }
    _exit(CLI_EXIT_DATA);
}
