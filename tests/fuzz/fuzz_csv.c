/*
 * Fuzz target: the long-CSV reader (RFC 4180 rows of basket,item). The first
 * byte picks the header mode, the columns, the field separator and the mining
 * settings; the rest is the file. Whatever is read is mined and checked
 * against the oracle, and read again in slices of a few bytes on three
 * threads, which must give the same outcome and the same dataset.
 */
#include <stddef.h>
#include <string.h>

#include "fuzz_check.h"
#include "read/dataset.h"
#include "read/reader.h"

/* The sliced read agrees with the one-piece read `whole` (status `status`). */
static void check_sliced(const uint8_t *data, size_t size, fimbit_read_options options,
                         fimbit_status status, const fimbit_dataset *whole)
{
    options.threads = 3;
    csv_slice_min = 8;
    fimbit_dataset *sliced = NULL;
    fimbit_status again = fuzz_read(data, size, &options, &sliced);
    csv_slice_min = CSV_SLICE_MIN;
    FUZZ_REQUIRE(again == status, "sliced read: %s, whole: %s", fimbit_status_name(again),
                 fimbit_status_name(status));
    if (status == FIMBIT_OK) {
        FUZZ_REQUIRE(sliced->basket_count == whole->basket_count &&
                         sliced->item_count == whole->item_count,
                     "sliced read: another shape");
        for (uint32_t id = 0; id < whole->item_count; id++)
            FUZZ_REQUIRE(strcmp(dataset_item_name(sliced, id), dataset_item_name(whole, id)) == 0,
                         "sliced read: item %u named otherwise", id);
        for (uint64_t k = 0; k <= whole->basket_count; k++)
            FUZZ_REQUIRE(sliced->basket_offsets[k] == whole->basket_offsets[k],
                         "sliced read: basket %llu differs", (unsigned long long)k);
        for (uint64_t k = 0; k < whole->basket_offsets[whole->basket_count]; k++)
            FUZZ_REQUIRE(dataset_item(sliced, k) == dataset_item(whole, k),
                         "sliced read: item %llu of the baskets differs", (unsigned long long)k);
    }
    fimbit_dataset_free(sliced);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const columns[][2] = {
        {NULL, NULL}, {"2", "1"}, {"basket", "item"}, {"1", "3"}};
    static const char separators[] = {0, ',', ';', '\t'};
    uint8_t flags = data[0];
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = FIMBIT_INPUT_CSV;
    options.header = (int)(flags % 3) - 1;
    options.basket_column = columns[(flags >> 2) & 3][0];
    options.item_column = columns[(flags >> 2) & 3][1];
    options.separator = separators[(flags >> 4) & 3];
    options.threads = 1;

    fimbit_dataset *dataset = NULL;
    fimbit_status status = fuzz_read(data + 1, size - 1, &options, &dataset);
    if (status == FIMBIT_OK)
        fuzz_check_mining(dataset, (uint8_t)(flags >> 6));
    check_sliced(data + 1, size - 1, options, status, dataset);
    fimbit_dataset_free(dataset);
    return 0;
}
