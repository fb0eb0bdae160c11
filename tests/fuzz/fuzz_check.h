/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): read bytes as a dataset
 * the way the CLI would, then mine what was read and compare the answer with
 * the brute-force oracle (tests/support/oracle.c), so that a fuzzer finds
 * wrong answers as well as crashes. Any disagreement aborts, which libFuzzer
 * and the corpus replay both report as a failure.
 */
#ifndef FIMBIT_FUZZ_CHECK_H
#define FIMBIT_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "fimbit.h"

/* Mining is checked only on datasets this small, so that the oracle's 2^items
 * lattice and the library's run both stay well under a millisecond. */
#define FUZZ_MAX_ITEMS 10
#define FUZZ_MAX_BASKETS 256

/* Reads `size` bytes of `data` as one input file with `options` (the bytes
 * live in an anonymous memory file, so the mmap path of a real file runs).
 * @return the status of fimbit_dataset_read; on FIMBIT_OK *out owns the
 *         dataset. A status outside the documented set aborts. */
fimbit_status fuzz_read(const uint8_t *data, size_t size, const fimbit_read_options *options,
                        fimbit_dataset **out);

/* The path of a memory file holding `size` bytes of `data` ("/proc/self/fd/N").
 * @return the descriptor, to be closed by the caller. */
int fuzz_memory_file(const uint8_t *data, size_t size, char *path, size_t path_size);

/* Mines `dataset` (when it is small enough) with settings drawn from `seed`:
 * a support of 1..3 baskets, every target, both algorithms, 1 or 2 threads,
 * and the rules; aborts when the itemsets, their counts or the rules differ
 * from the oracle's. */
void fuzz_check_mining(const fimbit_dataset *dataset, uint8_t seed);

/* Aborts with a message unless `condition` holds: the fuzz targets' assert,
 * active in every build type. */
#define FUZZ_REQUIRE(condition, ...) \
    ((condition) ? (void)0 : fuzz_fail(__FILE__, __LINE__, __VA_ARGS__))

void fuzz_fail(const char *file, int line, const char *format, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

#endif /* FIMBIT_FUZZ_CHECK_H */
