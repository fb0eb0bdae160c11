/*
 * fimbit_dataset_read: opens each input, picks its format and feeds the
 * parsers, which fill one dataset builder. Plain files are parsed straight from
 * their mapping; standard input and compressed files are parsed in blocks cut
 * at line boundaries as they are decompressed, so the whole text is never held
 * at once (long CSV, whose rows may be anywhere, is read whole).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memrchr */
#endif
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "reader.h"
#include "base/progress.h"

size_t reader_block_size = READER_BLOCK_SIZE;

size_t reader_line_block(int threads)
{
    return threads <= 1 && READER_SOLO_BLOCK < reader_block_size ? READER_SOLO_BLOCK
                                                                 : reader_block_size;
}

void fimbit_read_options_init(fimbit_read_options *options)
{
    if (options == NULL)
        return;
    memset(options, 0, sizeof *options);
    options->format = FIMBIT_INPUT_AUTO;
    options->separator = 0;
    options->basket_column = NULL;
    options->item_column = NULL;
    options->header = -1;
    options->threads = 0;
}

static bool column_is_index(const char *spec)
{
    if (*spec == '\0')
        return false;
    for (const char *p = spec; *p; p++)
        if ((unsigned)(*p - '0') > 9)
            return false;
    return true;
}

fimbit_status read_check_column(const char *spec, const char *what, fimbit_error *error)
{
    if (spec == NULL)
        return FIMBIT_OK;
    if (*spec == '\0')
        return fimbit__fail(error, FIMBIT_EINVAL, "the %s column is an empty name", what);
    if (column_is_index(spec)) {
        uint64_t index = 0;
        if (!decimal_parse_canonical(spec, strlen(spec), &index) || index == 0 ||
            index > UINT32_MAX)
            return fimbit__fail(error, FIMBIT_EINVAL,
                                "the %s column '%s' is not a valid 1-based index", what, spec);
    }
    return FIMBIT_OK;
}

fimbit_status fimbit_read_options_check(const fimbit_read_options *o, fimbit_error *error)
{
    if (o == NULL)
        return FIMBIT_OK; /* the defaults */
    if (o->format < FIMBIT_INPUT_AUTO || o->format > FIMBIT_INPUT_CSV)
        return fimbit__fail(error, FIMBIT_EINVAL, "unknown input format %d", (int)o->format);
    if (o->threads < 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "threads must be 0 (every core) or more, not %d",
                            o->threads);
    if (o->header < -1 || o->header > 1)
        return fimbit__fail(error, FIMBIT_EINVAL, "header must be -1, 0 or 1, not %d", o->header);
    if (o->separator == '\n' || o->separator == '\r' || o->separator == '"')
        return fimbit__fail(error, FIMBIT_EINVAL, "the separator cannot be a %s",
                            o->separator == '"' ? "quote" : "line break");
    fimbit_status status = read_check_column(o->basket_column, "basket", error);
    if (status == FIMBIT_OK)
        status = read_check_column(o->item_column, "item", error);
    if (status != FIMBIT_OK)
        return status;
    const char *basket = o->basket_column ? o->basket_column : "1";
    const char *item = o->item_column ? o->item_column : "2";
    if (strcmp(basket, item) == 0)
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "the basket and item columns are the same column ('%s')", basket);
    bool named = !column_is_index(basket) || !column_is_index(item);
    if (named && o->header == 0)
        return fimbit__fail(error, FIMBIT_EINVAL,
                            "a column is asked for by name but header is 0 (no header row)");
    return FIMBIT_OK;
}

/* The READ stage counts bytes of the input files: of the file for a
 * compressed one, of the text otherwise. */
typedef struct read_progress {
    progress_meter meter;
    uint64_t counted; /* bytes of the current input counted so far */
} read_progress;

/* @return the sum of the inputs' sizes when every one is a regular file, else
 *         0 (not known: a pipe, a terminal). */
static uint64_t inputs_size(const char *const *paths, size_t path_count)
{
    uint64_t total = 0;
    for (size_t i = 0; i < path_count; i++) {
        struct stat info;
        bool standard_input = paths[i] == NULL || strcmp(paths[i], "-") == 0;
        int rc = standard_input ? fstat(STDIN_FILENO, &info) : stat(paths[i], &info);
        if (rc != 0 || !S_ISREG(info.st_mode))
            return 0;
        total += (uint64_t)info.st_size;
    }
    return total;
}

/* Counts `in` as read up to byte `text_done` of its text (or, compressed and
 * mapped, up to where the decompressor stands in the file). */
static fimbit_status read_progress_at(read_progress *p, const input_source *in,
                                      uint64_t text_done, fimbit_error *error)
{
    uint64_t position = in->map != NULL && in->codec != INPUT_PLAIN ? in->raw_position
                                                                    : text_done;
    if (position <= p->counted)
        return FIMBIT_OK;
    uint64_t step = position - p->counted;
    p->counted = position;
    return progress_advance(&p->meter, step) ? progress_cancel_error(&p->meter, error)
                                             : FIMBIT_OK;
}

/* The buffer both streamed readers fill from an input. It starts at 1 MiB (or
 * reader_block_size when smaller) and doubles whenever a parser needs more:
 * up to its block (reader_line_block() for lines, reader_block_size for
 * CSV), and beyond only for a line or record longer than that. */
typedef struct stream_buffer {
    char *data;
    size_t capacity;
    size_t used;
    bool eof;
} stream_buffer;

static fimbit_status stream_buffer_open(stream_buffer *b, const input_source *in,
                                        fimbit_error *error)
{
    b->capacity = (size_t)1 << 20;
    if (b->capacity > reader_block_size)
        b->capacity = reader_block_size;
    b->used = 0;
    b->eof = false;
    b->data = fimbit__malloc(b->capacity);
    if (b->data == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", in->name);
    return FIMBIT_OK;
}

/* Reads until the buffer is full or the input ends. */
static fimbit_status stream_buffer_fill(stream_buffer *b, input_source *in, fimbit_error *error)
{
    while (b->used < b->capacity && !b->eof) {
        size_t got = 0;
        fimbit_status status = input_read(in, b->data + b->used, b->capacity - b->used, &got,
                                          error);
        if (status != FIMBIT_OK)
            return status;
        b->eof = got == 0;
        b->used += got;
    }
    return FIMBIT_OK;
}

static fimbit_status stream_buffer_grow(stream_buffer *b, const input_source *in,
                                        fimbit_error *error)
{
    char *bigger = b->capacity <= SIZE_MAX / 2
                       ? fimbit__realloc_array(b->data, b->capacity * 2, 1)
                       : NULL;
    if (bigger == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", in->name);
    b->data = bigger;
    b->capacity *= 2;
    return FIMBIT_OK;
}

/* Drops the first `count` bytes; the unparsed rest moves to the front. */
static void stream_buffer_consume(stream_buffer *b, size_t count)
{
    memmove(b->data, b->data + count, b->used - count);
    b->used -= count;
}

/* Streams `in` through the line parser in blocks of reader_line_block()
 * that end at a '\n'. */
static fimbit_status read_lines_streamed(input_source *in, line_reader *r, read_progress *progress,
                                         fimbit_error *error)
{
    stream_buffer b;
    uint64_t parsed = 0;
    size_t block = reader_line_block(r->threads);
    fimbit_status status = stream_buffer_open(&b, in, error);
    while (status == FIMBIT_OK) {
        status = stream_buffer_fill(&b, in, error);
        if (status != FIMBIT_OK)
            break;
        if (b.eof) {
            status = line_reader_parse(r, b.data, b.used, true, error);
            if (status == FIMBIT_OK)
                status = read_progress_at(progress, in, parsed + b.used, error);
            break;
        }
        const char *newline = memrchr(b.data, '\n', b.used);
        if (newline == NULL || b.capacity < block ||
            !line_reader_ready(r, b.data, (size_t)(newline - b.data) + 1)) {
            /* Still below the block size, one line fills the buffer, or AUTO
             * needs more lines to decide. */
            status = stream_buffer_grow(&b, in, error);
            continue;
        }
        size_t cut = (size_t)(newline - b.data) + 1;
        status = line_reader_parse(r, b.data, cut, false, error);
        stream_buffer_consume(&b, cut);
        parsed += cut;
        if (status == FIMBIT_OK)
            status = read_progress_at(progress, in, parsed, error);
    }
    fimbit__free_discarding(b.data);
    return status;
}

/* Streams `in` through a CSV consumer: records never span two feeds; the
 * unfinished one is moved to the front and completed by the next read. */
static fimbit_status read_csv_streamed(input_source *in, const csv_consumer *csv,
                                       read_progress *progress, fimbit_error *error)
{
    stream_buffer b;
    uint64_t parsed = 0;
    fimbit_status status = stream_buffer_open(&b, in, error);
    while (status == FIMBIT_OK) {
        status = stream_buffer_fill(&b, in, error);
        if (status != FIMBIT_OK)
            break;
        size_t consumed = 0;
        if (b.eof || b.capacity >= reader_block_size) {
            status = csv->feed(csv->state, b.data, b.used, b.eof, &consumed, error);
            if (status == FIMBIT_OK && b.eof)
                status = read_progress_at(progress, in, parsed + b.used, error);
            if (status != FIMBIT_OK || b.eof)
                break;
        }
        if (consumed == 0) {
            /* Still below the block size, or one record fills the buffer. */
            status = stream_buffer_grow(&b, in, error);
            continue;
        }
        stream_buffer_consume(&b, consumed);
        parsed += consumed;
        status = read_progress_at(progress, in, parsed, error);
    }
    fimbit__free_discarding(b.data);
    return status;
}

/* A one-thread FIMI parse maps this much of a window's text ahead of where
 * it stands, and gives back what it has passed (line_reader's text_passed):
 * a window's text is then resident about this much at a time, not whole. */
#define READ_AHEAD ((size_t)64 << 10)

/* Where a one-thread parse stands in a mapped window's text. */
typedef struct mapped_pass {
    input_source *in;
    size_t released;   /* the pages before this offset are given back */
    size_t prefetched; /* the text before this offset is mapped */
    size_t end;        /* the window's end */
} mapped_pass;

static void mapped_pass_to(mapped_pass *m, size_t offset)
{
    size_t ahead = offset + 2 * READ_AHEAD < m->end ? offset + 2 * READ_AHEAD : m->end;
    if (m->prefetched < offset + READ_AHEAD && m->prefetched < ahead) {
        input_map_prefetch(m->in, m->prefetched, ahead - m->prefetched);
        m->prefetched = ahead;
    }
    /* Whole pages only: the one holding `offset` is still being read. */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t passed = offset / page * page;
    if (passed > m->released) {
        input_map_release(m->in, m->released, passed - m->released);
        m->released = passed;
    }
}

static void mapped_text_passed(void *context, const char *at)
{
    mapped_pass *m = context;
    mapped_pass_to(m, (size_t)(at - (const char *)m->in->map));
}

/* Parses a mapped file in windows of reader_line_block() cut after a '\n',
 * mapping each window's pages just before and dropping them just after: the
 * text is never resident whole, and the parser's per-chunk arrays are sized
 * for a window, not for the file. One thread parsing FIMI maps and drops
 * them as it goes (mapped_pass). */
static fimbit_status read_lines_mapped(input_source *in, line_reader *r, read_progress *progress,
                                       fimbit_error *error)
{
    const char *text = in->map;
    size_t length = in->map_size, done = in->text_start;
    size_t block = reader_line_block(r->threads);
    fimbit_status status = FIMBIT_OK;
    /* The format is decided from the file's first lines (detection reads no
     * further than it needs), not from the first window alone. */
    line_reader_detect(r, text + done, length - done);
    r->input_size = length - done;
    mapped_pass pass = {.in = in};
    bool passing = r->threads == 1 && r->format == FIMBIT_INPUT_FIMI;
    if (passing) {
        r->text_passed = mapped_text_passed;
        r->text_context = &pass;
    }
    while (done < length && status == FIMBIT_OK) {
        size_t window = length - done;
        if (window > block) {
            const char *newline = memrchr(text + done, '\n', block);
            if (newline == NULL) /* a line longer than a window: to its end */
                newline = memchr(text + done + block, '\n', length - done - block);
            if (newline != NULL)
                window = (size_t)(newline - (text + done)) + 1;
        }
        pass = (mapped_pass){.in = in, .released = done, .prefetched = done, .end = done + window};
        if (passing)
            mapped_pass_to(&pass, done);
        else
            input_map_prefetch(in, done, window);
        status = line_reader_parse(r, text + done, window, done + window == length, error);
        input_map_release(in, done, window);
        done += window;
        if (status == FIMBIT_OK)
            status = read_progress_at(progress, in, done, error);
    }
    return status;
}

/* Feeds a mapped file's text to a CSV consumer a block (reader_block_size)
 * at a time, mapping each block's pages just before and dropping those the
 * consumer has passed just after, as the line formats do: the text is never
 * resident whole (a 950 MB file of order lines kept 907 MiB of RSS), and a
 * block's slices have tables of a block's ids, not of half the file's. A
 * record longer than a block widens it. */
static fimbit_status read_csv_mapped(input_source *in, const csv_consumer *csv,
                                     read_progress *progress, fimbit_error *error)
{
    const char *text = in->map;
    size_t length = in->map_size, done = in->text_start;
    size_t block = reader_block_size;
    for (;;) {
        size_t window = length - done < block ? length - done : block;
        bool final = done + window == length;
        size_t consumed = 0;
        input_map_prefetch(in, done, window);
        fimbit_status status = csv->feed(csv->state, text + done, window, final, &consumed, error);
        if (status != FIMBIT_OK || final)
            return status;
        if (consumed == 0) {
            block *= 2; /* one record fills the block */
            continue;
        }
        input_map_release(in, done, consumed);
        done += consumed;
        block = reader_block_size;
        status = read_progress_at(progress, in, done, error);
        if (status != FIMBIT_OK)
            return status;
    }
}

/* Reads one input into the builder, or for long CSV into `csv` (for a
 * dataset, the reader that collects the rows of every input and groups them
 * at the end). */
static fimbit_status read_one(const char *path, const fimbit_read_options *o,
                              fimbit_input_format format, int threads, dataset_builder *builder,
                              const csv_consumer *csv, read_progress *progress,
                              fimbit_error *error)
{
    input_source in;
    progress->counted = 0;
    fimbit_status status = input_open(&in, path, error);
    if (status != FIMBIT_OK) {
        input_close(&in);
        return status;
    }
    if (format == FIMBIT_INPUT_CSV) {
        csv->begin_input(csv->state, in.name);
        if (input_is_mapped_text(&in))
            status = read_csv_mapped(&in, csv, progress, error);
        else
            status = read_csv_streamed(&in, csv, progress, error);
    } else {
        line_reader r;
        line_reader_init(&r, builder, in.name, threads, format,
                         format == FIMBIT_INPUT_FIMI ? 0 : o->separator);
        if (input_is_mapped_text(&in))
            status = read_lines_mapped(&in, &r, progress, error);
        else
            status = read_lines_streamed(&in, &r, progress, error);
        line_reader_release(&r);
    }
    /* The end of a file counts whole, whatever the decompressor buffered. */
    if (status == FIMBIT_OK && in.map != NULL && in.map_size > progress->counted &&
        progress_advance(&progress->meter, in.map_size - progress->counted))
        status = progress_cancel_error(&progress->meter, error);
    input_close(&in);
    return status;
}

static void csv_begin_input(void *reader, const char *name)
{
    csv_reader_begin_input(reader, name);
}

static fimbit_status csv_feed(void *reader, const char *text, size_t length, bool final,
                              size_t *consumed, fimbit_error *error)
{
    return csv_reader_feed(reader, text, length, final, consumed, error);
}

fimbit_status read_csv_inputs(const char *const *paths, size_t path_count,
                              const csv_consumer *consumer, fimbit_error *error)
{
    read_progress progress;
    if (progress_begin(&progress.meter, FIMBIT_STAGE_READ, "bytes",
                       inputs_size(paths, path_count)))
        return progress_cancel_error(&progress.meter, error);
    fimbit_status status = FIMBIT_OK;
    for (size_t i = 0; i < path_count && status == FIMBIT_OK; i++)
        status = read_one(paths[i], NULL, FIMBIT_INPUT_CSV, 1, NULL, consumer, &progress, error);
    if (status == FIMBIT_OK && progress_end(&progress.meter))
        status = progress_cancel_error(&progress.meter, error);
    return status;
}

fimbit_status dataset_read(const char *const *paths, size_t path_count,
                           const fimbit_read_options *options, const csv_settings *grouping,
                           fimbit_dataset **out, csv_extras *extras, fimbit_error *error)
{
    if (out == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_dataset_read: out is NULL");
    *out = NULL;
    if (paths == NULL || path_count == 0)
        return fimbit__fail(error, FIMBIT_EINVAL, "fimbit_dataset_read: no input given");
    fimbit_read_options defaults;
    if (options == NULL) {
        fimbit_read_options_init(&defaults);
        options = &defaults;
    }
    fimbit_status status = fimbit_read_options_check(options, error);
    if (status != FIMBIT_OK)
        return status;

    fimbit_input_format format = options->format;
    if (format == FIMBIT_INPUT_AUTO &&
        (options->basket_column || options->item_column || grouping != NULL))
        format = FIMBIT_INPUT_CSV;
    int threads = fimbit__thread_count(options->threads);

    read_progress progress;
    if (progress_begin(&progress.meter, FIMBIT_STAGE_READ, "bytes",
                       inputs_size(paths, path_count)))
        return progress_cancel_error(&progress.meter, error);
    dataset_builder builder;
    status = dataset_builder_init(&builder);
    if (status != FIMBIT_OK) {
        dataset_builder_release(&builder);
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading the input");
    }
    /* A thread count the caller asked for is kept by every stage. */
    builder.threads = options->threads;
    csv_reader *csv = NULL;
    if (format == FIMBIT_INPUT_CSV) {
        csv_settings settings = {.separator = options->separator ? options->separator : ',',
                                 .basket_column = options->basket_column,
                                 .item_column = options->item_column,
                                 .header = options->header};
        if (grouping != NULL) {
            settings.group_column = grouping->group_column;
            settings.group_lookup = grouping->group_lookup;
            settings.group_name = grouping->group_name;
            settings.group_context = grouping->group_context;
        }
        settings.keep_keys = options->basket_keys != 0;
        settings.threads = threads;
        if (csv_reader_create(&builder, "", &settings, &csv) != FIMBIT_OK)
            status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading the input");
    }
    csv_consumer consumer = {csv, csv_begin_input, csv_feed};
    for (size_t i = 0; i < path_count && status == FIMBIT_OK; i++)
        status = read_one(paths[i], options, format, threads, &builder, &consumer, &progress,
                          error);
    if (status == FIMBIT_OK && csv != NULL)
        status = csv_reader_finish(csv, error);
    if (status == FIMBIT_OK && csv != NULL && extras != NULL)
        csv_reader_take_extras(csv, extras);
    csv_reader_free(csv);
    if (status != FIMBIT_OK) {
        dataset_builder_release(&builder);
        return status;
    }
    /* With groups the dataset is only split (groups.c): it needs no order. */
    status = grouping != NULL ? dataset_builder_finish_plain(&builder, out)
                              : dataset_builder_finish(&builder, out);
    if (status != FIMBIT_OK)
        return fimbit__fail(error, status, "out of memory building the dataset");
    if (extras != NULL) {
        /* The dataset keeps the keys; the caller the groups. */
        (*out)->key_bytes = extras->key_bytes;
        (*out)->key_offsets = extras->key_offsets;
        extras->key_bytes = NULL;
        extras->key_offsets = NULL;
    }
    if (progress_end(&progress.meter)) {
        fimbit_dataset_free(*out);
        *out = NULL;
        return progress_cancel_error(&progress.meter, error);
    }
    return FIMBIT_OK;
}

fimbit_status fimbit_dataset_read(const char *const *paths, size_t path_count,
                                  const fimbit_read_options *options, fimbit_dataset **out,
                                  fimbit_error *error)
{
    csv_extras extras = {0};
    dict_init(&extras.groups);
    fimbit_status status = dataset_read(paths, path_count, options, NULL, out, &extras, error);
    csv_extras_release(&extras);
    return status;
}
