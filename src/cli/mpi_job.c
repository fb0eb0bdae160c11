/* fimbit-mpi, the CLI under mpirun: see mpi_job.h. */
#include "mpi_job.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fimbit_mpi.h"
#include "mpi_launcher.h"
#include "report.h"

static bool active;
static int world_rank;
static int world_size;

/* Points `fd` at /dev/null, opened with `flags`. */
static void to_null(int fd, int flags)
{
    int null = open("/dev/null", flags);
    if (null >= 0) {
        dup2(null, fd);
        close(null);
    }
}

bool cli_mpi_start(int *argc, char ***argv)
{
    if (!cli_mpi_launched())
        return false;
    /* Only the main thread calls MPI; OpenMP workers never do. */
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    /* Standard input is rank 0's too: Open MPI gives the others /dev/null,
     * MPICH a pipe that never ends, where reading an "@-" item list while
     * parsing the options waited forever. */
    if (world_rank != 0) {
        to_null(STDIN_FILENO, O_RDONLY);
        to_null(STDOUT_FILENO, O_WRONLY);
        to_null(STDERR_FILENO, O_WRONLY);
    }
    active = true;
    return true;
}

bool cli_mpi_active(void) { return active; }

bool cli_mpi_helper(void) { return active && world_rank != 0; }

bool cli_mpi_everywhere(bool ok)
{
    if (!active)
        return ok;
    int mine = ok, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    return all != 0;
}

/* Whether `path` names one of this process's descriptors (/dev/fd/N,
 * /proc/self/fd/N): its directory resolves to /proc/<pid>/fd. */
static bool names_own_descriptor(const char *path)
{
    const char *slash = strrchr(path, '/');
    char directory[PATH_MAX], resolved[PATH_MAX], own[64];
    if (slash == NULL || slash == path || (size_t)(slash - path) >= sizeof directory)
        return false;
    memcpy(directory, path, (size_t)(slash - path));
    directory[slash - path] = '\0';
    snprintf(own, sizeof own, "/proc/%ld/fd", (long)getpid());
    return realpath(directory, resolved) != NULL && strcmp(resolved, own) == 0;
}

bool cli_mpi_inputs_reachable(const cli_options *options, char *message, size_t size)
{
    if (!active)
        return true;
    /* Rank 0 reads every stream alone, so its view decides for all. Open
     * MPI closes the caller's descriptors but 0 to 2 on every rank; MPICH
     * passes them on, and rank 0 then reads the pipe as it reads a FIFO. */
    int unreachable = -1;
    for (size_t i = 0; world_rank == 0 && unreachable < 0 && i < options->input_count; i++) {
        struct stat info;
        if (names_own_descriptor(options->inputs[i]) && stat(options->inputs[i], &info) != 0)
            unreachable = (int)i;
    }
    MPI_Bcast(&unreachable, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (unreachable < 0)
        return true;
    snprintf(message, size,
             "%s: a descriptor of the process that started the MPI job (such as the pipe of "
             "<(zcat FILE)), which the launcher did not pass on: it gives rank 0 standard input "
             "alone, so pipe the data in and name the input '-'",
             world_rank == 0 ? options->inputs[unreachable] : "an input");
    return false;
}

int cli_mpi_finish(int code)
{
    if (!active)
        return code;
    fflush(stdout);
    int highest = code;
    MPI_Allreduce(&code, &highest, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    active = false;
    return highest;
}

/* --verbose: each rank's numbers, printed by rank 0. */
static void report_ranks(const cli_options *options, const fimbit_mpi_stats *mine)
{
    fimbit_mpi_stats *all = NULL;
    if (world_rank == 0 && options->verbose)
        all = calloc((size_t)world_size, sizeof *all);
    int wanted = all != NULL;
    MPI_Bcast(&wanted, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!wanted)
        return;
    MPI_Gather(mine, (int)sizeof *mine, MPI_BYTE, all, (int)sizeof *mine, MPI_BYTE, 0,
               MPI_COMM_WORLD);
    for (int r = 0; world_rank == 0 && r < world_size; r++) {
        const fimbit_mpi_stats *s = &all[r];
        cli_verbose(options,
                    "rank %d: read %.3f s, exchange %.3f s (%llu rounds), mine %.3f s, "
                    "gather %.3f s; sent %llu bytes, received %llu bytes "
                    "(exchange: sent %llu, received %llu); "
                    "projected %llu baskets, %llu items; itemsets mined %llu, kept %llu",
                    r, s->read_seconds, s->exchange_seconds,
                    (unsigned long long)s->exchange_rounds, s->mine_seconds, s->gather_seconds,
                    (unsigned long long)s->bytes_sent, (unsigned long long)s->bytes_received,
                    (unsigned long long)s->exchange_bytes_sent,
                    (unsigned long long)s->exchange_bytes_received,
                    (unsigned long long)s->projected_baskets,
                    (unsigned long long)s->projected_items,
                    (unsigned long long)s->itemsets_mined, (unsigned long long)s->itemsets_kept);
    }
    free(all);
}

/* What both commands hand the library: the inputs (none means standard
 * input) and the read options. */
typedef struct mpi_inputs {
    const char *const *paths;
    size_t count;
    fimbit_read_options read;
} mpi_inputs;

static void inputs_from_options(const cli_options *options, mpi_inputs *inputs)
{
    static const char *const standard_input[] = {"-"};
    inputs->count = options->input_count ? options->input_count : 1;
    inputs->paths = options->input_count ? options->inputs : standard_input;
    cli_options_read(options, &inputs->read);
}

fimbit_status cli_mpi_mine_itemsets(const cli_options *options, fimbit_dataset **dataset,
                                    fimbit_itemsets **itemsets, fimbit_error *error)
{
    mpi_inputs in;
    inputs_from_options(options, &in);
    fimbit_mpi_stats stats = {0};
    double start = cli_now();
    fimbit_status status = fimbit_mpi_mine_itemsets(MPI_COMM_WORLD, in.paths, in.count, &in.read,
                                                    &options->rule.mine, dataset, itemsets,
                                                    &stats, error);
    if (status == FIMBIT_OK && *itemsets != NULL)
        cli_verbose(options, "read+mine %8.3f s  on %d ranks, %zu itemsets", cli_now() - start,
                    world_size, fimbit_itemsets_count(*itemsets));
    report_ranks(options, &stats);
    return status;
}

fimbit_status cli_mpi_mine_rules(const cli_options *options, fimbit_dataset **dataset,
                                 fimbit_rules **rules, fimbit_error *error)
{
    mpi_inputs in;
    inputs_from_options(options, &in);
    fimbit_mpi_stats stats = {0};
    double start = cli_now();
    fimbit_status status = fimbit_mpi_mine_rules(MPI_COMM_WORLD, in.paths, in.count, &in.read,
                                                 &options->rule, dataset, rules, &stats, error);
    if (status == FIMBIT_OK && *rules != NULL)
        cli_verbose(options, "read+mine+rules %8.3f s  on %d ranks, %zu rules",
                    cli_now() - start, world_size, fimbit_rules_count(*rules));
    report_ranks(options, &stats);
    return status;
}
