/*
 * Fuzz target: the named-basket reader and the format detection. The first
 * byte picks the format (automatic or basket), the separator, the thread
 * count and the mining settings; the rest is the file. Whatever is read is
 * mined and checked against the oracle.
 */
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char separators[] = {0, ',', ';', '\t', ' ', '|', 0, ','};
    uint8_t flags = data[0];
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = (flags & 0x40) ? FIMBIT_INPUT_AUTO : FIMBIT_INPUT_BASKET;
    options.separator = separators[flags & 7];
    options.threads = 1 + ((flags >> 3) & 1);

    fimbit_dataset *dataset = NULL;
    if (fuzz_read(data + 1, size - 1, &options, &dataset) == FIMBIT_OK)
        fuzz_check_mining(dataset, (uint8_t)(flags >> 4));
    fimbit_dataset_free(dataset);
    return 0;
}
