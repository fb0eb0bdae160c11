/*
 * Input sources: a file (mapped when it is a plain regular file), standard
 * input, and gzip or zstd data recognised by their magic bytes and
 * decompressed while reading. The text a source gives starts after a UTF-8
 * byte-order mark (byte_order_mark.h), which is no data.
 */
#ifndef FIMBIT_IO_INPUT_H
#define FIMBIT_IO_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/internal.h"
#include "byte_order_mark.h"

typedef enum input_codec { INPUT_PLAIN = 0, INPUT_GZIP, INPUT_ZSTD } input_codec;

typedef struct input_source {
    const char *name;            /* for messages: the path, or "<stdin>" */
    int fd;                      /* -1 once closed or when never opened */
    bool close_fd;
    void *map;                   /* the whole file when mapped, else NULL */
    size_t map_size;
    /* The compressed (or not yet consumed plain) bytes: the mapping, or a
     * buffer refilled from fd. */
    const unsigned char *raw;
    size_t raw_position;
    size_t raw_length;
    bool raw_eof;
    unsigned char *raw_buffer;   /* owned when reading from fd */
    size_t raw_capacity;
    input_codec codec;
    void *gzip;                  /* z_stream */
    bool gzip_member_done;
    void *zstd;                  /* ZSTD_DStream */
    size_t zstd_pending;         /* last ZSTD_decompressStream result, 0 = frame done */
    /* Plain input: the bytes before the text (a byte-order mark), so a
     * mapped file's text is [text_start, map_size) of the mapping. */
    size_t text_start;
    /* Compressed input: the text's first bytes, decoded at open to look for
     * a byte-order mark; input_read gives [head_position, head_length)
     * before decoding more. */
    unsigned char head[BYTE_ORDER_MARK_BYTES];
    size_t head_position;
    size_t head_length;
} input_source;

/* Opens `path` (NULL or "-" = standard input), detects its codec and passes
 * over a UTF-8 byte-order mark at the start of its text. EIO names the file
 * and the system's reason; UTF-16 or UTF-32 text (by its mark) is
 * FIMBIT_EPARSE naming the file, as is compressed data corrupt from its
 * start. */
fimbit_status input_open(input_source *in, const char *path, fimbit_error *error);

/* @return true when the whole text is in memory at in->map (plain file),
 * from in->text_start on. */
static inline bool input_is_mapped_text(const input_source *in)
{
    return in->codec == INPUT_PLAIN && in->map != NULL;
}

/* Maps the pages of [offset, offset + length) of a mapped file ahead of
 * reading them. */
void input_map_prefetch(input_source *in, size_t offset, size_t length);

/* Drops the pages wholly inside [offset, offset + length) of a mapped file
 * from the process (they stay in the page cache): parsed text stops counting
 * in the resident set. */
void input_map_release(input_source *in, size_t offset, size_t length);

/* Reads up to `capacity` bytes of text (decompressed) into `out`; *produced is
 * 0 only at the end of the input. A truncated or corrupt compressed stream is
 * FIMBIT_EPARSE naming the file; a failing read FIMBIT_EIO. */
fimbit_status input_read(input_source *in, char *out, size_t capacity, size_t *produced,
                         fimbit_error *error);

/* Whether `path` names the file that standard input is, under another name
 * (/dev/stdin, /dev/fd/0, a FIFO's or the redirected file's own path): the
 * same device and inode. */
bool input_names_standard_input(const char *path);

/* Releases everything; safe after a failed input_open. */
void input_close(input_source *in);

#endif /* FIMBIT_IO_INPUT_H */
