/* Test helpers: finding the shared datasets, temporary files. */
#ifndef FIMBIT_TEST_DATA_H
#define FIMBIT_TEST_DATA_H

#include <stdbool.h>
#include <stddef.h>

/* The path of `name` in $FIMBIT_DATASETS (default ../shared/datasets) written
 * to `path`. @return true when the file exists; when it does not, prints
 * "SKIP: dataset <name> not found at <path>" so the skip is visible by name. */
bool test_dataset_path(const char *name, char *path, size_t path_size);

/* Writes `size` bytes of `content` to a new temporary file and puts its path
 * into `path` (at least 64 bytes). The caller unlinks it. */
void test_write_temp_file(const char *content, size_t size, const char *suffix, char *path,
                          size_t path_size);

#endif /* FIMBIT_TEST_DATA_H */
