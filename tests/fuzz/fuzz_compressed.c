/*
 * Fuzz target: the gzip and zstd wrappers and the streamed (block by block)
 * parsing behind them. The first byte picks a mode and the stream's block
 * size:
 *  - mode 0: the rest is read as is, format by content (corrupt or valid
 *    compressed streams come from the seed corpus);
 *  - modes 1 and 2: the rest is compressed with gzip or zstd here, and the
 *    compressed file must read to exactly the dataset the plain file gives
 *    (unless the text already starts like a compressed stream: then it is
 *    read as is, as in mode 0).
 * Whatever is read is mined and checked against the oracle.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "read/dataset.h"
#include "fuzz_check.h"
#include "read/reader.h"

static uint8_t *gzip_compress(const uint8_t *data, size_t size, size_t *out_size)
{
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* 16 + 15 window bits: a gzip header and trailer, not zlib's. */
    FUZZ_REQUIRE(deflateInit2(&stream, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) == Z_OK,
                 "deflateInit2 failed");
    size_t capacity = deflateBound(&stream, size) + 64;
    uint8_t *out = malloc(capacity);
    FUZZ_REQUIRE(out != NULL, "out of memory in the checker");
    stream.next_in = (Bytef *)(uintptr_t)data;
    stream.avail_in = (uInt)size;
    stream.next_out = out;
    stream.avail_out = (uInt)capacity;
    FUZZ_REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END, "deflate did not finish");
    *out_size = capacity - stream.avail_out;
    deflateEnd(&stream);
    return out;
}

static uint8_t *zstd_compress(const uint8_t *data, size_t size, size_t *out_size)
{
    size_t capacity = ZSTD_compressBound(size);
    uint8_t *out = malloc(capacity);
    FUZZ_REQUIRE(out != NULL, "out of memory in the checker");
    *out_size = ZSTD_compress(out, capacity, data, size, 3);
    FUZZ_REQUIRE(!ZSTD_isError(*out_size), "ZSTD_compress failed");
    return out;
}

/* @return whether the bytes start like a gzip or zstd stream: the plain
 * "file" is then itself compressed, and compressing it again adds a layer
 * that the reader (rightly) unwraps only once. */
static int looks_compressed(const uint8_t *data, size_t size)
{
    return (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) ||
           (size >= 4 && data[0] == 0x28 && data[1] == 0xb5 && data[2] == 0x2f &&
            data[3] == 0xfd);
}

/* The two datasets hold the same baskets of the same item names. */
static void check_same_dataset(const fimbit_dataset *plain, const fimbit_dataset *packed)
{
    FUZZ_REQUIRE(plain->basket_count == packed->basket_count &&
                     plain->item_count == packed->item_count,
                 "plain: %llu baskets, %u items; compressed: %llu baskets, %u items",
                 (unsigned long long)plain->basket_count, plain->item_count,
                 (unsigned long long)packed->basket_count, packed->item_count);
    for (uint64_t b = 0; b < plain->basket_count; b++) {
        uint64_t begin = plain->basket_offsets[b], end = plain->basket_offsets[b + 1];
        FUZZ_REQUIRE(end - begin == packed->basket_offsets[b + 1] - packed->basket_offsets[b],
                     "basket %llu differs in length", (unsigned long long)b);
        for (uint64_t k = begin; k < end; k++) {
            const char *name = dataset_item_name(plain, dataset_item(plain, k));
            int found = 0;
            for (uint64_t j = packed->basket_offsets[b]; j < packed->basket_offsets[b + 1] && !found;
                 j++)
                found = strcmp(name, dataset_item_name(packed, dataset_item(packed, j))) == 0;
            FUZZ_REQUIRE(found, "basket %llu: '%s' lost in the compressed reading",
                         (unsigned long long)b, name);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    static const fimbit_input_format formats[] = {FIMBIT_INPUT_AUTO, FIMBIT_INPUT_FIMI,
                                                  FIMBIT_INPUT_BASKET, FIMBIT_INPUT_CSV};
    fimbit_read_options options;
    fimbit_read_options_init(&options);
    options.format = formats[(flags >> 2) & 3];
    options.threads = 1;
    size_t saved_block_size = reader_block_size;
    /* Small blocks put block boundaries everywhere, lines longer than a block
     * included. */
    reader_block_size = 1 + (flags >> 4) * 7;

    fimbit_dataset *dataset = NULL;
    int mode = flags & 3;
    if (mode == 0 || mode == 3 || looks_compressed(data + 1, size - 1)) {
        if (fuzz_read(data + 1, size - 1, &options, &dataset) == FIMBIT_OK)
            fuzz_check_mining(dataset, flags);
    } else {
        size_t packed_size = 0;
        uint8_t *packed = mode == 1 ? gzip_compress(data + 1, size - 1, &packed_size)
                                    : zstd_compress(data + 1, size - 1, &packed_size);
        fimbit_dataset *plain = NULL;
        fimbit_status plain_status = fuzz_read(data + 1, size - 1, &options, &plain);
        fimbit_status packed_status = fuzz_read(packed, packed_size, &options, &dataset);
        FUZZ_REQUIRE(plain_status == packed_status, "plain file: %s, compressed: %s",
                     fimbit_status_name(plain_status), fimbit_status_name(packed_status));
        if (plain_status == FIMBIT_OK) {
            check_same_dataset(plain, dataset);
            fuzz_check_mining(dataset, flags);
        }
        fimbit_dataset_free(plain);
        free(packed);
    }
    reader_block_size = saved_block_size;
    fimbit_dataset_free(dataset);
    return 0;
}
