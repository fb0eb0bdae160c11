/*
 * Reading under MPI. When every input is a plain file read as FIMI or named
 * baskets, each rank maps it and parses its own byte range, cut at line
 * starts: rank r's range begins after the first '\n' at or past size * r / P.
 * The format and separator are decided from the start of the file on every
 * rank (what one process would decide), and the lines before a rank's range
 * are counted across the ranks, so error messages carry the true line.
 * Anything else (standard input, by any name, gzip/zstd, long CSV whose rows
 * for one basket may be far apart) is read by rank 0 alone; the basket
 * exchange then carries its baskets to the other ranks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <sys/stat.h>

#include "dist.h"
#include "read/input.h"
#include "read/reader.h"

static fimbit_input_format effective_format(const fimbit_read_options *o)
{
    if (o->format == FIMBIT_INPUT_AUTO && (o->basket_column || o->item_column))
        return FIMBIT_INPUT_CSV;
    return o->format;
}

/* Rank 0's verdict: can every input be split by byte ranges? */
static bool inputs_splittable(const char *const *paths, size_t path_count,
                              const fimbit_read_options *o)
{
    if (effective_format(o) == FIMBIT_INPUT_CSV)
        return false;
    for (size_t i = 0; i < path_count; i++) {
        /* Not a pipe or FIFO either: opening one to look reads its first
         * bytes, which the read after would miss. Nor rank 0's standard
         * input under another name (/dev/stdin): the other ranks opening
         * that name find their own, /dev/null. */
        struct stat info;
        if (paths[i] == NULL || strcmp(paths[i], "-") == 0 || stat(paths[i], &info) != 0 ||
            !S_ISREG(info.st_mode) || input_names_standard_input(paths[i]))
            return false;
        input_source in;
        bool mapped = input_open(&in, paths[i], NULL) == FIMBIT_OK && input_is_mapped_text(&in);
        input_close(&in);
        if (!mapped)
            return false;
    }
    return true;
}

/* The start of part `part` of `parts` in text[0 .. size): a line start. */
static size_t part_start(const char *text, size_t size, int part, int parts)
{
    if (part == 0)
        return 0;
    if (part == parts)
        return size;
    size_t nominal = (size_t)((unsigned __int128)size * (unsigned)part / (unsigned)parts);
    if (nominal == 0)
        return 0;
    const char *newline = memchr(text + nominal - 1, '\n', size - (nominal - 1));
    return newline ? (size_t)(newline - text) + 1 : size;
}

static uint64_t count_lines(const char *text, size_t length)
{
    uint64_t lines = 0;
    for (const char *p = text, *end = text + length;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        lines++;
    return lines;
}

/* This rank's range of one mapped file's text. */
typedef struct file_part {
    input_source in;
    size_t begin, end;
} file_part;

/* Parses this rank's range of every file into `builder` (NULL when it could
 * not be made: the rank then only joins the line counts, which every rank
 * must call the same number of times). */
static fimbit_status read_split(const dist_job *job, const char *const *paths, size_t path_count,
                                const fimbit_read_options *o, dataset_builder *builder,
                                fimbit_error *error)
{
    fimbit_status status =
        builder ? FIMBIT_OK : fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading the input");
    for (size_t i = 0; i < path_count; i++) {
        file_part part = {.in = {.fd = -1}};
        if (status == FIMBIT_OK)
            status = input_open(&part.in, paths[i], error);
        if (status == FIMBIT_OK && !input_is_mapped_text(&part.in))
            status = fimbit__fail(error, FIMBIT_EIO, "%s: not a plain file on rank %d",
                                  part.in.name, job->rank);
        uint64_t lines = 0, lines_before = 0;
        /* The text, after a byte-order mark. */
        const char *text = NULL;
        size_t size = 0;
        if (status == FIMBIT_OK) {
            text = (const char *)part.in.map + part.in.text_start;
            size = part.in.map_size - part.in.text_start;
            part.begin = part_start(text, size, job->rank, job->size);
            part.end = part_start(text, size, job->rank + 1, job->size);
            lines = count_lines(text + part.begin, part.end - part.begin);
        }
        MPI_Exscan(&lines, &lines_before, 1, MPI_UINT64_T, MPI_SUM, job->comm);
        if (status == FIMBIT_OK) {
            line_reader r;
            line_reader_init(&r, builder, part.in.name, job->threads, o->format, o->separator);
            line_reader_detect(&r, text, size);
            r.lines_done = job->rank == 0 ? 0 : lines_before; /* Exscan leaves rank 0's alone */
            if (part.end > part.begin)
                status = line_reader_parse(&r, text + part.begin, part.end - part.begin,
                                           part.end == size, error);
            line_reader_release(&r);
        }
        input_close(&part.in);
    }
    return status;
}

fimbit_status dist_read(const dist_job *job, const char *const *paths, size_t path_count,
                        const fimbit_read_options *options, fimbit_dataset **local,
                        fimbit_error *error)
{
    *local = NULL;
    int split = job->rank == 0 && inputs_splittable(paths, path_count, options);
    MPI_Bcast(&split, 1, MPI_INT, 0, job->comm);
    if (!split && job->rank == 0)
        return fimbit_dataset_read(paths, path_count, options, local, error);

    /* The other ranks of an unsplit read start empty: their baskets come in
     * the exchange. */
    fimbit_read_options o = *options;
    if (o.format == FIMBIT_INPUT_FIMI)
        o.separator = 0;
    dataset_builder builder;
    bool built = dataset_builder_init(&builder) == FIMBIT_OK;
    fimbit_status status = FIMBIT_OK;
    if (split)
        status = read_split(job, paths, path_count, &o, built ? &builder : NULL, error);
    else if (!built)
        status = fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading the input");
    if (status != FIMBIT_OK) {
        dataset_builder_release(&builder);
        return status;
    }
    status = dataset_builder_finish(&builder, local);
    return status == FIMBIT_OK ? FIMBIT_OK
                               : fimbit__fail(error, status, "out of memory building the dataset");
}
