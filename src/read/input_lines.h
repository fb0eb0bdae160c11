/*
 * The lines of an input (input.h) one at a time, for a reader whose unit is
 * a line (recommend's JSON Lines rules): it takes what basket inputs take (a
 * file, standard input, gzip or zstd) and sees no byte-order mark. A mapped
 * file's lines point into the mapping, which is mapped in a window ahead and
 * given back behind, so the file is never resident whole; streamed text is
 * read into a buffer that grows to the longest line.
 */
#ifndef FIMBIT_READ_INPUT_LINES_H
#define FIMBIT_READ_INPUT_LINES_H

#include <stdint.h>

#include "input.h"

typedef struct input_lines {
    input_source in;
    /* The text not given out yet is [position, length) of `text`: the
     * mapping, or `buffer` refilled from the input. */
    const char *text;
    size_t position;
    size_t length;
    char *buffer;
    size_t capacity;
    bool eof;      /* the input has no more text than `text` holds */
    uint64_t line; /* the number of the line given last, 1-based */
    /* A mapped file: its pages before `released` are given back, and those
     * up to `window_end` were mapped in ahead of reading. */
    size_t released;
    size_t window_end;
} input_lines;

/* Opens `path` (NULL or "-" = standard input) as input_open() does, with its
 * errors. Close it with input_lines_close() whatever this returns. */
fimbit_status input_lines_open(input_lines *lines, const char *path, fimbit_error *error);

/* Gives the next line with its '\n' (the last line may have none), its bytes
 * as they are, CR and NUL included. *text stays valid until the next call;
 * lines->line is its number. @return FIMBIT_OK with *length 0 at the end of
 * the input, or input_read()'s errors (EPARSE for corrupt compressed data,
 * EIO) and FIMBIT_ENOMEM for a line that does not fit in memory. */
fimbit_status input_lines_next(input_lines *lines, const char **text, size_t *length,
                               fimbit_error *error);

/* Releases everything; safe after a failed input_lines_open(). */
void input_lines_close(input_lines *lines);

#endif /* FIMBIT_READ_INPUT_LINES_H */
