/* Test helpers: compressed copies of a text, as the gzip and zstd tools
 * would write them, for the readers' compressed paths. */
#ifndef FIMBIT_TEST_COMPRESS_H
#define FIMBIT_TEST_COMPRESS_H

#include <stddef.h>

/* One gzip member holding `text`; the caller frees it. */
unsigned char *test_gzip_bytes(const char *text, size_t length, size_t *compressed_length);

/* One zstd frame holding `text`; the caller frees it. */
unsigned char *test_zstd_bytes(const char *text, size_t length, size_t *compressed_length);

#endif /* FIMBIT_TEST_COMPRESS_H */
