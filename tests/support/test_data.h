/* Test helpers: finding the shared datasets, temporary files. */
#ifndef FIMBIT_TEST_DATA_H
#define FIMBIT_TEST_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"

/* The path of `name` in $FIMBIT_DATASETS (default ../shared/datasets) written
 * to `path`. @return true when the file exists; when it does not, prints
 * "SKIP: dataset <name> not found at <path>" so the skip is visible by name. */
bool test_dataset_path(const char *name, char *path, size_t path_size);

/* Writes `size` bytes of `content` to a new temporary file and puts its path
 * into `path` (at least 64 bytes). The caller unlinks it. */
void test_write_temp_file(const char *content, size_t size, const char *suffix, char *path,
                          size_t path_size);

/* The whole file at `path` (asserted readable), NUL-terminated; *size gets
 * its length. The caller frees it. */
char *test_read_file(const char *path, size_t *size);

/* Writes `text` to a temporary file named with `suffix`, reads it with
 * `options` and removes it; the path stays in `path` (256 bytes) for comparing
 * error messages. */
fimbit_status test_read_text(const char *suffix, const char *text,
                             const fimbit_read_options *options, fimbit_dataset **out,
                             fimbit_error *error, char *path);

/* The dataset as text: item names of a basket joined by ' ', baskets by '|'. */
void test_dump_dataset(const fimbit_dataset *d, char *out, size_t size);

/* Sorts the names inside each basket of a dump (as made by test_dump_dataset)
 * bytewise, in place: for comparing with a dump made in another item order. */
void test_sort_dump_baskets(char *dump);

/* Asserts that a and b hold the same baskets, item for item, in the same width. */
void test_assert_same_baskets(const fimbit_dataset *a, const fimbit_dataset *b);

/* Reads `text` (a temporary file ending in `suffix`) with `options` and checks
 * its dump against `expected` and its basket and item counts. */
void test_expect_read(const char *suffix, const char *text, const fimbit_read_options *options,
                      const char *expected, uint64_t baskets, uint32_t items);
/* test_expect_read() with default options but for `format`. */
void test_expect_dataset(const char *suffix, const char *text, fimbit_input_format format,
                         const char *expected, uint64_t baskets, uint32_t items);

#endif /* FIMBIT_TEST_DATA_H */
