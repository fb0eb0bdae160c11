/*
 * Fuzz target: the FIMI reader. The first byte picks the thread count and the
 * mining settings; the rest is the file. Whatever the reader accepts is mined
 * and checked against the oracle; a file that the oracle's own independent
 * FIMI parser (tests/support/oracle.c) reads must be read to the same baskets.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/dataset.h"
#include "fuzz_check.h"
#include "oracle.h"

/* Every basket holds the same set of item values in both readings. */
static void check_same_baskets(const fimbit_dataset *dataset, const oracle_baskets *expected)
{
    FUZZ_REQUIRE(dataset->basket_count == expected->basket_count, "%llu baskets, oracle %llu",
                 (unsigned long long)dataset->basket_count,
                 (unsigned long long)expected->basket_count);
    for (uint64_t b = 0; b < expected->basket_count; b++) {
        uint64_t begin = expected->offsets[b], end = expected->offsets[b + 1];
        uint64_t got_begin = dataset->basket_offsets[b], got_end = dataset->basket_offsets[b + 1];
        /* The oracle keeps repeats; every value it saw must be in the basket
         * and every item of the basket among the values. */
        for (uint64_t k = got_begin; k < got_end; k++) {
            unsigned long long value =
                strtoull(dataset_item_name(dataset, dataset_item(dataset, k)), NULL, 10);
            int found = 0;
            for (uint64_t j = begin; j < end && !found; j++)
                found = expected->items[j] == value;
            FUZZ_REQUIRE(found, "basket %llu: item %llu not in the oracle's reading",
                         (unsigned long long)b, value);
        }
        for (uint64_t j = begin; j < end; j++) {
            int found = 0;
            for (uint64_t k = got_begin; k < got_end && !found; k++)
                found = strtoull(dataset_item_name(dataset, dataset_item(dataset, k)), NULL,
                                 10) == expected->items[j];
            FUZZ_REQUIRE(found, "basket %llu: item %u missing", (unsigned long long)b,
                         expected->items[j]);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_FIMI;
    options.threads = 1 + (flags & 1);

    fimbit_dataset *dataset = NULL;
    fimbit_status status = fuzz_read(data + 1, size - 1, &options, &dataset);

    char path[64];
    int fd = fuzz_memory_file(data + 1, size - 1, path, sizeof path);
    oracle_baskets expected;
    int oracle_status = oracle_read_fimi(path, &expected);
    close(fd);
    if (oracle_status == 0) {
        FUZZ_REQUIRE(status == FIMBIT_OK, "the oracle reads this FIMI file, fimbit answers %s",
                     fimbit_status_name(status));
        check_same_baskets(dataset, &expected);
        oracle_baskets_free(&expected);
    }
    if (status == FIMBIT_OK)
        fuzz_check_mining(dataset, flags >> 1);
    fimbit_dataset_free(dataset);
    return 0;
}
