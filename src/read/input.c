/* Opening inputs and decompressing gzip / zstd while reading. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_createDStream_advanced: our allocator */
#include <zstd.h>
#include <zstd_errors.h>

#include "input.h"

#define RAW_BUFFER_SIZE (256u * 1024u)

static const char *system_reason(int code, char *buffer, size_t size)
{
    /* The GNU strerror_r: thread-safe, may return a static string. */
    return strerror_r(code, buffer, size);
}

static fimbit_status io_error(fimbit_error *error, const input_source *in, const char *what,
                              int code)
{
    char reason[128];
    return fimbit__error_set(error, FIMBIT_EIO, in->name, 0, 0, "%s: %s", what,
                             system_reason(code, reason, sizeof reason));
}

/* Reads more raw bytes from fd after the unconsumed ones. */
static fimbit_status raw_refill(input_source *in, fimbit_error *error)
{
    if (in->raw_eof)
        return FIMBIT_OK;
    size_t left = in->raw_length - in->raw_position;
    if (in->raw_position > 0) {
        memmove(in->raw_buffer, in->raw_buffer + in->raw_position, left);
        in->raw_position = 0;
        in->raw_length = left;
    }
    while (in->raw_length < in->raw_capacity) {
        ssize_t got = read(in->fd, in->raw_buffer + in->raw_length,
                           in->raw_capacity - in->raw_length);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return io_error(error, in, "cannot read", errno);
        }
        if (got == 0) {
            in->raw_eof = true;
            break;
        }
        in->raw_length += (size_t)got;
        break; /* one read a refill: pipes deliver what they have */
    }
    return FIMBIT_OK;
}

static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
    FIMBIT_UNUSED(opaque);
    return fimbit__malloc_array(items, size);
}

static void zlib_free(voidpf opaque, voidpf address)
{
    FIMBIT_UNUSED(opaque);
    fimbit__free(address);
}

static void *zstd_alloc(void *opaque, size_t size)
{
    FIMBIT_UNUSED(opaque);
    return fimbit__malloc(size);
}

static void zstd_free(void *opaque, void *address)
{
    FIMBIT_UNUSED(opaque);
    fimbit__free(address);
}

static fimbit_status input_start_codec(input_source *in, fimbit_error *error)
{
    const unsigned char *head = in->raw + in->raw_position;
    size_t have = in->raw_length - in->raw_position;
    if (have >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
        z_stream *z = fimbit__calloc(1, sizeof *z);
        if (z == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory opening %s", in->name);
        z->zalloc = zlib_alloc;
        z->zfree = zlib_free;
        /* 15 + 16: a gzip wrapper, the largest window. */
        int rc = inflateInit2(z, 15 + 16);
        if (rc != Z_OK) {
            fimbit__free(z);
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory opening %s", in->name);
        }
        in->gzip = z;
        in->codec = INPUT_GZIP;
    } else if (have >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f &&
               head[3] == 0xfd) {
        ZSTD_customMem memory = {zstd_alloc, zstd_free, NULL};
        ZSTD_DStream *z = ZSTD_createDStream_advanced(memory);
        if (z == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory opening %s", in->name);
        in->zstd = z;
        in->codec = INPUT_ZSTD;
        in->zstd_pending = 1;
    }
    return FIMBIT_OK;
}

static fimbit_status input_decode(input_source *in, char *out, size_t capacity, size_t *produced,
                                  fimbit_error *error);

/* Looks at the text's first bytes: a UTF-8 byte-order mark is passed over,
 * UTF-16 or UTF-32 text refused. Plain input holds them in raw already (the
 * mapping, or the first read); compressed input has them decoded now, into
 * in->head. */
static fimbit_status input_start_text(input_source *in, fimbit_error *error)
{
    const unsigned char *head = in->raw + in->raw_position;
    size_t have = in->raw_length - in->raw_position;
    if (in->codec != INPUT_PLAIN) {
        fimbit_status status =
            input_decode(in, (char *)in->head, sizeof in->head, &in->head_length, error);
        if (status != FIMBIT_OK)
            return status;
        head = in->head;
        have = in->head_length;
    }
    byte_order_mark mark = byte_order_mark_find(head, have);
    const char *refusal = byte_order_mark_refusal(mark);
    if (refusal != NULL)
        return fimbit__error_set(error, FIMBIT_EPARSE, in->name, 0, 0, "%s", refusal);
    size_t skip = byte_order_mark_length(mark);
    if (in->codec != INPUT_PLAIN) {
        in->head_position = skip;
    } else {
        in->raw_position += skip;
        in->text_start = skip;
    }
    return FIMBIT_OK;
}

fimbit_status input_open(input_source *in, const char *path, fimbit_error *error)
{
    memset(in, 0, sizeof *in);
    in->fd = -1;
    if (path == NULL || strcmp(path, "-") == 0) {
        in->name = "<stdin>";
        in->fd = STDIN_FILENO;
    } else {
        in->name = path;
        in->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (in->fd < 0)
            return io_error(error, in, "cannot open", errno);
        in->close_fd = true;
    }

    struct stat info;
    if (fstat(in->fd, &info) != 0)
        return io_error(error, in, "cannot read", errno);
    if (S_ISDIR(info.st_mode))
        return io_error(error, in, "cannot read", EISDIR);

    /* Standard input redirected from a file may have been read from already:
     * map it only when positioned at the start. */
    bool at_start = in->close_fd || lseek(in->fd, 0, SEEK_CUR) == 0;
    if (S_ISREG(info.st_mode) && info.st_size > 0 && (uint64_t)info.st_size <= SIZE_MAX &&
        at_start) {
        /* Pages are mapped window by window as the parser reaches them
         * (input_map_prefetch), not all at once: a file larger than memory
         * would otherwise be resident whole. */
        void *map = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_PRIVATE, in->fd, 0);
        if (map != MAP_FAILED) {
            in->map = map;
            in->map_size = (size_t)info.st_size;
            madvise(map, in->map_size, MADV_SEQUENTIAL);
            in->raw = map;
            in->raw_length = in->map_size;
            in->raw_eof = true;
        }
    }
    if (in->map == NULL) {
        in->raw_buffer = fimbit__malloc(RAW_BUFFER_SIZE);
        if (in->raw_buffer == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory opening %s", in->name);
        in->raw_capacity = RAW_BUFFER_SIZE;
        in->raw = in->raw_buffer;
        /* Enough bytes for the magic numbers and a byte-order mark, short
         * reads notwithstanding. */
        while (!in->raw_eof && in->raw_length < BYTE_ORDER_MARK_BYTES) {
            fimbit_status status = raw_refill(in, error);
            if (status != FIMBIT_OK)
                return status;
        }
    }
    fimbit_status status = input_start_codec(in, error);
    return status == FIMBIT_OK ? input_start_text(in, error) : status;
}

/* The whole pages inside [offset, offset + length) of the mapping. */
static bool map_pages(const input_source *in, size_t offset, size_t length, char **start,
                      size_t *size, bool outward)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t base = (uintptr_t)in->map;
    uintptr_t first = base + offset, last = base + offset + length;
    first = outward ? first & ~(page - 1) : (first + page - 1) & ~(page - 1);
    last = outward ? (last + page - 1) & ~(page - 1) : last & ~(page - 1);
    if (last <= first)
        return false;
    *start = (char *)first;
    *size = (size_t)(last - first);
    return true;
}

void input_map_prefetch(input_source *in, size_t offset, size_t length)
{
    char *start;
    size_t size;
    if (in->map == NULL || !map_pages(in, offset, length, &start, &size, true))
        return;
    /* One call maps the window's pages: far cheaper than a fault a page.
     * Older kernels refuse it and the pages fault in as read. */
#ifdef MADV_POPULATE_READ
    if (madvise(start, size, MADV_POPULATE_READ) == 0)
        return;
#endif
    madvise(start, size, MADV_WILLNEED);
}

void input_map_release(input_source *in, size_t offset, size_t length)
{
    char *start;
    size_t size;
    /* Only pages wholly inside the range: the next window may share one. */
    if (in->map != NULL && map_pages(in, offset, length, &start, &size, false))
        madvise(start, size, MADV_DONTNEED);
}

static fimbit_status read_plain(input_source *in, char *out, size_t capacity, size_t *produced,
                                fimbit_error *error)
{
    size_t done = 0;
    while (done < capacity) {
        size_t left = in->raw_length - in->raw_position;
        if (left > 0) {
            size_t take = left < capacity - done ? left : capacity - done;
            memcpy(out + done, in->raw + in->raw_position, take);
            in->raw_position += take;
            done += take;
            continue;
        }
        if (in->raw_eof)
            break;
        /* Large reads go straight to the caller's buffer. */
        ssize_t got = read(in->fd, out + done, capacity - done);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return io_error(error, in, "cannot read", errno);
        }
        if (got == 0) {
            in->raw_eof = true;
            break;
        }
        done += (size_t)got;
    }
    *produced = done;
    return FIMBIT_OK;
}

static fimbit_status read_gzip(input_source *in, char *out, size_t capacity, size_t *produced,
                               fimbit_error *error)
{
    z_stream *z = in->gzip;
    size_t done = 0;
    while (done < capacity) {
        if (in->raw_position == in->raw_length && !in->raw_eof) {
            fimbit_status status = raw_refill(in, error);
            if (status != FIMBIT_OK)
                return status;
        }
        size_t left = in->raw_length - in->raw_position;
        if (in->gzip_member_done) {
            if (left == 0)
                break; /* the end, after a complete member */
            /* Another member follows (concatenated gzip files). */
            if (inflateReset(z) != Z_OK)
                return fimbit__error_set(error, FIMBIT_EPARSE, in->name, 0, 0,
                                         "corrupt gzip data");
            in->gzip_member_done = false;
        }
        if (left == 0 && in->raw_eof)
            return fimbit__error_set(error, FIMBIT_EPARSE, in->name, 0, 0,
                                     "truncated gzip data (unexpected end of file)");
        uInt in_size = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
        uInt out_size = capacity - done > UINT32_MAX ? UINT32_MAX : (uInt)(capacity - done);
        z->next_in = (Bytef *)(in->raw + in->raw_position);
        z->avail_in = in_size;
        z->next_out = (Bytef *)(out + done);
        z->avail_out = out_size;
        int rc = inflate(z, Z_NO_FLUSH);
        in->raw_position += in_size - z->avail_in;
        done += out_size - z->avail_out;
        if (rc == Z_STREAM_END) {
            in->gzip_member_done = true;
        } else if (rc == Z_MEM_ERROR) {
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory decompressing %s",
                                in->name);
        } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR) {
            return fimbit__error_set(error, FIMBIT_EPARSE, in->name, 0, 0,
                                     "corrupt gzip data (%s)", z->msg ? z->msg : "bad data");
        }
        /* Z_OK and Z_BUF_ERROR: progress, or more input needed. */
    }
    *produced = done;
    return FIMBIT_OK;
}

static fimbit_status zstd_failure(input_source *in, size_t rc, fimbit_error *error)
{
    if (ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory decompressing %s", in->name);
    return fimbit__error_set(error, FIMBIT_EPARSE, in->name, 0, 0, "corrupt zstd data (%s)",
                             ZSTD_getErrorName(rc));
}

static fimbit_status read_zstd(input_source *in, char *out, size_t capacity, size_t *produced,
                               fimbit_error *error)
{
    ZSTD_outBuffer output = {out, capacity, 0};
    while (output.pos < output.size) {
        if (in->raw_position == in->raw_length && !in->raw_eof) {
            fimbit_status status = raw_refill(in, error);
            if (status != FIMBIT_OK)
                return status;
        }
        ZSTD_inBuffer input = {in->raw + in->raw_position, in->raw_length - in->raw_position,
                               0};
        if (input.size == 0 && in->raw_eof) {
            /* No input left: the end if the last frame was complete; else
             * only output the decoder still holds can come, and if none
             * does, the file was cut short. */
            if (in->zstd_pending == 0)
                break;
            size_t before = output.pos;
            size_t rc = ZSTD_decompressStream(in->zstd, &output, &input);
            if (ZSTD_isError(rc))
                return zstd_failure(in, rc, error);
            in->zstd_pending = rc;
            if (output.pos == before)
                return fimbit__error_set(error, FIMBIT_EPARSE, in->name, 0, 0,
                                         "truncated zstd data (unexpected end of file)");
            continue;
        }
        size_t rc = ZSTD_decompressStream(in->zstd, &output, &input);
        in->raw_position += input.pos;
        if (ZSTD_isError(rc))
            return zstd_failure(in, rc, error);
        in->zstd_pending = rc;
    }
    *produced = output.pos;
    return FIMBIT_OK;
}

static fimbit_status input_decode(input_source *in, char *out, size_t capacity, size_t *produced,
                                  fimbit_error *error)
{
    *produced = 0;
    switch (in->codec) {
    case INPUT_GZIP:
        return read_gzip(in, out, capacity, produced, error);
    case INPUT_ZSTD:
        return read_zstd(in, out, capacity, produced, error);
    case INPUT_PLAIN:
        break;
    }
    return read_plain(in, out, capacity, produced, error);
}

fimbit_status input_read(input_source *in, char *out, size_t capacity, size_t *produced,
                         fimbit_error *error)
{
    /* The text's first bytes, decoded at open, come first. */
    size_t from_head = in->head_length - in->head_position;
    if (from_head > capacity)
        from_head = capacity;
    memcpy(out, in->head + in->head_position, from_head);
    in->head_position += from_head;
    fimbit_status status = input_decode(in, out + from_head, capacity - from_head, produced, error);
    *produced += from_head;
    return status;
}

void input_close(input_source *in)
{
    if (in->gzip) {
        inflateEnd(in->gzip);
        fimbit__free(in->gzip);
    }
    if (in->zstd)
        ZSTD_freeDStream(in->zstd);
    if (in->map)
        munmap(in->map, in->map_size);
    fimbit__free_discarding(in->raw_buffer);
    if (in->close_fd && in->fd >= 0)
        close(in->fd);
    memset(in, 0, sizeof *in);
    in->fd = -1;
}

bool input_names_standard_input(const char *path)
{
    struct stat input, named;
    return fstat(STDIN_FILENO, &input) == 0 && stat(path, &named) == 0 &&
           named.st_dev == input.st_dev && named.st_ino == input.st_ino;
}
