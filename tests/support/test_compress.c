#include "test_compress.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

unsigned char *test_gzip_bytes(const char *text, size_t length, size_t *compressed_length)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t capacity = deflateBound(&z, length) + 64;
    unsigned char *out = malloc(capacity);
    z.next_in = (Bytef *)text;
    z.avail_in = (uInt)length;
    z.next_out = out;
    z.avail_out = (uInt)capacity;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *compressed_length = capacity - z.avail_out;
    deflateEnd(&z);
    return out;
}

unsigned char *test_zstd_bytes(const char *text, size_t length, size_t *compressed_length)
{
    size_t capacity = ZSTD_compressBound(length);
    unsigned char *out = malloc(capacity);
    size_t written = ZSTD_compress(out, capacity, text, length, 3);
    assert_false(ZSTD_isError(written));
    *compressed_length = written;
    return out;
}
