/* Helpers for the benchmarks (bench_data.h); registers no benchmark. */
#include "bench_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool bench_dataset_path(const char *name, char *path, size_t path_size)
{
    const char *folder = getenv("FIMBIT_DATASETS");
    if (folder == NULL || *folder == '\0')
        folder = "../shared/datasets";
    snprintf(path, path_size, "%s/%s", folder, name);
    if (access(path, R_OK) == 0)
        return true;
    /* Said once per asking benchmark file: a missing dataset is never silent. */
    fprintf(stderr, "SKIP: dataset %s not found at %s; its benchmarks are not registered\n",
            name, path);
    return false;
}

int64_t bench_file_size(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 ? (int64_t)info.st_size : -1;
}

/* A handful of datasets at most; benchmarks run one at a time. */
enum { BENCH_MAX_DATASETS = 16 };
static struct {
    char name[64];
    fimbit_dataset *dataset;
} bench_cache[BENCH_MAX_DATASETS];

const fimbit_dataset *bench_dataset(const char *name)
{
    size_t slot = 0;
    for (; slot < BENCH_MAX_DATASETS && bench_cache[slot].name[0] != '\0'; slot++)
        if (strcmp(bench_cache[slot].name, name) == 0)
            return bench_cache[slot].dataset;
    if (slot == BENCH_MAX_DATASETS)
        return NULL;
    char path[4096];
    if (!bench_dataset_path(name, path, sizeof path))
        return NULL;
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_FIMI;
    const char *paths[] = {path};
    fimbit_dataset *dataset = NULL;
    fimbit_error error;
    if (fimbit_dataset_read(paths, 1, &options, &dataset, &error) != FIMBIT_OK) {
        fprintf(stderr, "bench: reading %s failed: %s\n", path, error.message);
        return NULL;
    }
    snprintf(bench_cache[slot].name, sizeof bench_cache[slot].name, "%s", name);
    bench_cache[slot].dataset = dataset;
    return dataset;
}
