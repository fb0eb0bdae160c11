#include "input_lines.h"

#include <string.h>
#include <unistd.h>

/* Streamed text is read into a buffer this large, doubled whenever a line
 * fills it. */
#define LINES_BUFFER_SIZE ((size_t)64 << 10)
/* A mapped file is mapped in this much at a time: one call instead of a
 * fault a page, and the pages passed are given back, so a rules file of
 * gigabytes is not resident whole (stdio's reads never made it so). */
#define LINES_WINDOW ((size_t)1 << 20)

fimbit_status input_lines_open(input_lines *lines, const char *path, fimbit_error *error)
{
    memset(lines, 0, sizeof *lines);
    fimbit_status status = input_open(&lines->in, path, error);
    if (status != FIMBIT_OK)
        return status;
    if (input_is_mapped_text(&lines->in)) {
        lines->text = lines->in.map;
        lines->position = lines->in.text_start;
        lines->length = lines->in.map_size;
        lines->eof = true;
        lines->window_end = lines->position;
        return FIMBIT_OK;
    }
    lines->buffer = fimbit__malloc(LINES_BUFFER_SIZE);
    if (lines->buffer == NULL)
        return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", lines->in.name);
    lines->capacity = LINES_BUFFER_SIZE;
    lines->text = lines->buffer;
    return FIMBIT_OK;
}

/* Moves the text not given out yet to the buffer's front (doubling the
 * buffer when that text, one unfinished line, fills it) and reads more
 * behind it. */
static fimbit_status lines_refill(input_lines *lines, fimbit_error *error)
{
    size_t kept = lines->length - lines->position;
    if (kept == lines->capacity) {
        char *bigger = lines->capacity <= SIZE_MAX / 2
                           ? fimbit__realloc_array(lines->buffer, lines->capacity * 2, 1)
                           : NULL;
        if (bigger == NULL)
            return fimbit__fail(error, FIMBIT_ENOMEM, "out of memory reading %s", lines->in.name);
        lines->buffer = bigger;
        lines->capacity *= 2;
    } else {
        memmove(lines->buffer, lines->buffer + lines->position, kept);
    }
    lines->text = lines->buffer;
    lines->position = 0;
    lines->length = kept;
    size_t got = 0;
    fimbit_status status =
        input_read(&lines->in, lines->buffer + kept, lines->capacity - kept, &got, error);
    lines->length += got;
    lines->eof = got == 0;
    return status;
}

/* Gives back the mapped pages before the line about to be given (the
 * caller is done with the earlier ones) and maps the next window in. */
static void lines_slide_window(input_lines *lines)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t passed = lines->position / page * page;
    if (passed > lines->released) {
        input_map_release(&lines->in, lines->released, passed - lines->released);
        lines->released = passed;
    }
    size_t window = lines->length - lines->position;
    if (window > LINES_WINDOW)
        window = LINES_WINDOW;
    input_map_prefetch(&lines->in, lines->position, window);
    lines->window_end = lines->position + window;
}

fimbit_status input_lines_next(input_lines *lines, const char **text, size_t *length,
                               fimbit_error *error)
{
    *text = NULL;
    *length = 0;
    if (input_is_mapped_text(&lines->in) && lines->position >= lines->window_end &&
        lines->position < lines->length)
        lines_slide_window(lines);
    for (;;) {
        const char *start = lines->text + lines->position;
        size_t left = lines->length - lines->position;
        const char *newline = memchr(start, '\n', left);
        if (newline != NULL || (lines->eof && left > 0)) {
            size_t taken = newline != NULL ? (size_t)(newline - start) + 1 : left;
            lines->position += taken;
            lines->line++;
            *text = start;
            *length = taken;
            return FIMBIT_OK;
        }
        if (lines->eof)
            return FIMBIT_OK;
        fimbit_status status = lines_refill(lines, error);
        if (status != FIMBIT_OK)
            return status;
    }
}

void input_lines_close(input_lines *lines)
{
    input_close(&lines->in);
    fimbit__free(lines->buffer);
    memset(lines, 0, sizeof *lines);
}
