/* Shared by the benchmarks: finding the datasets and reading each once. */
#ifndef FIMBIT_BENCH_DATA_H
#define FIMBIT_BENCH_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"

/* Writes the path of `name` in $FIMBIT_DATASETS (default ../shared/datasets)
 * to `path`. @return true when the file is readable; otherwise prints a
 * "SKIP: dataset ..." line to standard error and returns false. */
bool bench_dataset_path(const char *name, char *path, size_t path_size);

/* @return the size of the file at `path` in bytes, or -1. */
int64_t bench_file_size(const char *path);

/* @return the dataset `name` read as FIMI with every core, read on first use
 *         and kept for the life of the process; NULL when it cannot be read. */
const fimbit_dataset *bench_dataset(const char *name);

#endif /* FIMBIT_BENCH_DATA_H */
