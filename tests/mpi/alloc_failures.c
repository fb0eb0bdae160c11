/*
 * Memory exhaustion on one rank ends every rank's run with the same status.
 * Run under mpiexec (tests/mpi/test_mpi_alloc_failures.sh): for each rank in
 * turn and n = 1, 2, ..., that rank's n-th allocation and every later one
 * fail while the others go on; every rank must return from the collective
 * call (no hang: the script's timeout would fire), all with the same status,
 * FIMBIT_ENOMEM until n passes the rank's allocation count, then FIMBIT_OK
 * with the full result. Before that: a NULL output leaves every other output
 * NULL, and NULL options are the defaults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fimbit_mpi.h"
#include "base/internal.h"
#include "oracle.h"

static int rank, size;

/* Writes a random FIMI dataset (rank 0) and returns its path on every rank. */
static void write_dataset(char *path, size_t path_size)
{
    if (rank == 0) {
        snprintf(path, path_size, "%s/fimbit-alloc-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        int fd = mkstemp(path);
        FILE *file = fd >= 0 ? fdopen(fd, "w") : NULL;
        oracle_baskets d;
        oracle_generate_sized(7, 10, 3000, &d);
        for (uint64_t b = 0; file && b < d.basket_count; b++) {
            for (uint64_t i = d.offsets[b]; i < d.offsets[b + 1]; i++)
                fprintf(file, i > d.offsets[b] ? " %u" : "%u", d.items[i]);
            fputc('\n', file);
        }
        oracle_baskets_free(&d);
        if (file == NULL || fclose(file) != 0)
            MPI_Abort(MPI_COMM_WORLD, 2);
    }
    MPI_Bcast(path, (int)path_size, MPI_CHAR, 0, MPI_COMM_WORLD);
}

/* One run with rank `victim` failing from its n-th allocation on. @return the
 * status, after checking that every rank got the same one. */
static int run_once(const char *path, int victim, uint64_t n, int command, int *failures)
{
    fimbit_rule_options rule;
    fimbit_rule_options_init(&rule);
    rule.mine.min_count = 30;
    rule.mine.threads = 1;
    rule.mine.target = command == 1 ? FIMBIT_TARGET_CLOSED : FIMBIT_TARGET_ALL;
    rule.min_confidence = 0.5;
    const char *paths[] = {path};
    fimbit_dataset *dataset = NULL;
    fimbit_itemsets *itemsets = NULL;
    fimbit_rules *rules = NULL;
    fimbit_error error = {0};
    fimbit__alloc_fail_after(rank == victim ? n : 0);
    fimbit_status status =
        command == 2 ? fimbit_mpi_mine_rules(MPI_COMM_WORLD, paths, 1, NULL, &rule, &dataset,
                                             &rules, NULL, &error)
                     : fimbit_mpi_mine_itemsets(MPI_COMM_WORLD, paths, 1, NULL, &rule.mine,
                                                &dataset, &itemsets, NULL, &error);
    fimbit__alloc_fail_after(0);
    int mine[2] = {(int)status, -(int)status}, all[2];
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (all[0] != -all[1]) {
        fprintf(stderr, "rank %d: command %d, victim %d, n %llu: statuses differ\n", rank,
                command, victim, (unsigned long long)n);
        (*failures)++;
    }
    if (status != FIMBIT_OK && status != FIMBIT_ENOMEM) {
        fprintf(stderr, "rank %d: command %d, victim %d, n %llu: status %s (%s)\n", rank,
                command, victim, (unsigned long long)n, fimbit_status_name(status),
                error.message);
        (*failures)++;
    }
    bool holds = rank == 0 && status == FIMBIT_OK;
    if ((dataset != NULL) != holds || ((itemsets != NULL || rules != NULL) != holds)) {
        fprintf(stderr, "rank %d: command %d, victim %d, n %llu: result on the wrong ranks\n",
                rank, command, victim, (unsigned long long)n);
        (*failures)++;
    }
    fimbit_itemsets_free(itemsets);
    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
    return status;
}

/* A NULL output is EINVAL before any collective, and the outputs that were
 * given are NULL after it, as after every failure; NULL options are the
 * defaults. @return the failures. */
static int check_null_arguments(const char *path)
{
    fimbit_rule_options rule;
    fimbit_rule_options_init(&rule);
    const char *paths[] = {path};
    fimbit_error error = {0};
    /* Stale pointers, which the failed calls must clear. */
    fimbit_dataset *dataset = (fimbit_dataset *)&rule;
    fimbit_itemsets *itemsets = NULL;
    fimbit_rules *rules = NULL;
    int failures = 0;
    if (fimbit_mpi_mine_itemsets(MPI_COMM_WORLD, paths, 1, NULL, &rule.mine, &dataset, NULL, NULL,
                                 &error) != FIMBIT_EINVAL ||
        dataset != NULL)
        failures++;
    dataset = (fimbit_dataset *)&rule;
    if (fimbit_mpi_mine_rules(MPI_COMM_WORLD, paths, 1, NULL, &rule, &dataset, NULL, NULL,
                              &error) != FIMBIT_EINVAL ||
        dataset != NULL)
        failures++;
    if (failures > 0)
        fprintf(stderr, "rank %d: a NULL argument left an output set\n", rank);

    /* NULL options mine as the defaults do. */
    size_t counts[2][2] = {{0}};
    for (int defaults = 0; defaults < 2; defaults++) {
        if (fimbit_mpi_mine_itemsets(MPI_COMM_WORLD, paths, 1, NULL, defaults ? &rule.mine : NULL,
                                     &dataset, &itemsets, NULL, &error) != FIMBIT_OK)
            failures++;
        counts[defaults][0] = fimbit_itemsets_count(itemsets);
        fimbit_itemsets_free(itemsets);
        fimbit_dataset_free(dataset);
        if (fimbit_mpi_mine_rules(MPI_COMM_WORLD, paths, 1, NULL, defaults ? &rule : NULL, &dataset,
                                  &rules, NULL, &error) != FIMBIT_OK)
            failures++;
        counts[defaults][1] = fimbit_rules_count(rules);
        fimbit_rules_free(rules);
        fimbit_dataset_free(dataset);
    }
    if (counts[0][0] != counts[1][0] || counts[0][1] != counts[1][1] ||
        (rank == 0 && (counts[0][0] == 0 || counts[0][1] == 0))) {
        fprintf(stderr,
                "rank %d: NULL options gave %zu itemsets and %zu rules, the defaults "
                "%zu and %zu\n",
                rank, counts[0][0], counts[0][1], counts[1][0], counts[1][1]);
        failures++;
    }
    return failures;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    char path[512] = {0};
    write_dataset(path, sizeof path);
    int failures = check_null_arguments(path);
    long runs = 0;
    for (int command = 0; command < 3; command++)
        for (int victim = 0; victim < size; victim++)
            for (uint64_t n = 1;; n++, runs++)
                if (run_once(path, victim, n, command, &failures) == FIMBIT_OK || failures > 0)
                    break;
    int total = 0;
    MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0) {
        unlink(path);
        printf("%ld runs with a failing allocation, %d failures\n", runs, total);
    }
    MPI_Finalize();
    return total == 0 ? 0 : 1;
}
