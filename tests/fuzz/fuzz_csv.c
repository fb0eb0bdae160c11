/*
 * Fuzz target: the long-CSV reader (RFC 4180 rows of basket,item). The first
 * byte picks the header mode, the columns, the field separator and the mining
 * settings; the rest is the file. Whatever is read is mined and checked
 * against the oracle.
 */
#include <stddef.h>

#include "fuzz_check.h"

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
    if (fuzz_read(data + 1, size - 1, &options, &dataset) == FIMBIT_OK)
        fuzz_check_mining(dataset, (uint8_t)(flags >> 6));
    fimbit_dataset_free(dataset);
    return 0;
}
