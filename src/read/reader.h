/*
 * The parsers behind fimbit_dataset_read (read.c): line formats (FIMI
 * and named baskets, parsed in parallel chunks cut at line boundaries) and
 * long CSV (RFC 4180, parsed in parallel slices cut at record boundaries).
 */
#ifndef FIMBIT_IO_READER_H
#define FIMBIT_IO_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "builder.h"

/* Blocks of streamed input (stdin, compressed files) are parsed this big. */
#define READER_BLOCK_SIZE ((size_t)32 << 20)
/* The block size in use; tests lower it to exercise block boundaries. */
extern size_t reader_block_size;
/* One thread parses line formats in blocks of this much text (at most
 * reader_block_size): the text in memory at once and the chunk's array of
 * local ids, together about twice the block, then stay small whatever the
 * input's size (retail-long's 2 MB: 0.8 MB of peak RSS). A team keeps
 * reader_block_size: between blocks the ids are merged by one thread while
 * the others wait, and libgomp's waiting spins (retail at two threads: 47 ->
 * 66 ms CPU with 2 MiB blocks). */
#define READER_SOLO_BLOCK ((size_t)1 << 20)
/* The line block for a team of `threads`. */
size_t reader_line_block(int threads);
/* A block parsed by one thread (a lone chunk) goes to the builder in pieces:
 * its ids are handed over whenever this many (64 KiB; a quarter as many
 * basket ends, 32 KiB) fill its arrays, instead of all of the block's at
 * once, 4 bytes each beside the builder's 2. */
#define LINE_FLUSH_ITEMS ((size_t)16 << 10)
/* The piece in use; tests lower it to put piece boundaries inside small
 * inputs. */
extern size_t line_flush_items;

/* One thread's share of a block, kept from block to block (lines.c). */
typedef struct line_chunk line_chunk;

/* The state of one input read as FIMI or named baskets, carried from block to
 * block. */
typedef struct line_reader {
    dataset_builder *builder;
    const char *name;           /* the input's name for messages */
    int threads;                /* resolved, >= 1 */
    fimbit_input_format format; /* AUTO until the first token decides */
    char separator;             /* BASKET: 0 = whitespace, else the character */
    bool separator_known;
    uint64_t lines_done;        /* lines of earlier blocks */
    uint64_t input_size;        /* bytes of the whole input when known, else 0 */
    uint64_t bytes_done;        /* bytes of earlier blocks */
    uint64_t baskets_before;    /* the builder's counts when this input began: */
    uint64_t items_before;      /* earlier inputs', which no projection scales */
    line_chunk *chunks;         /* the parse buffers, reused by every block */
    size_t chunk_slots;
    /* When set, a lone chunk parsing FIMI calls it whenever it hands baskets
     * to the builder, with where it stands in the text: the text before
     * `at` is parsed (a rescan for an error may read it again), the text
     * after comes next. read.c gives a mapped file's pages back and maps
     * the next ones as the parse goes, so a block's text is not resident
     * whole. */
    void (*text_passed)(void *context, const char *at);
    void *text_context;
} line_reader;

void line_reader_init(line_reader *r, dataset_builder *builder, const char *name, int threads,
                      fimbit_input_format format, char separator);

/* Frees the parse buffers (the builder stays). Safe after any call. */
void line_reader_release(line_reader *r);

/* Decides the format (AUTO) and the separator (BASKET, automatic) from `text`
 * when they are still open, as line_reader_parse does with its first block.
 * The MPI reader calls it with the start of a file before parsing a range in
 * its middle, so that every rank reads the file as one process would. */
void line_reader_detect(line_reader *r, const char *text, size_t length);

/* @return whether `text` (complete lines) is enough for AUTO to decide the
 * format the way it would on the whole input: it holds the first 100
 * non-blank lines, or a name, or no token at all. A streaming caller reads
 * more before parsing a block that is not ready. */
bool line_reader_ready(const line_reader *r, const char *text, size_t length);

/* Parses `length` bytes of text. Unless `final`, the text ends with '\n'.
 * A final line without '\n' is still a basket. Errors name file:line:column. */
fimbit_status line_reader_parse(line_reader *r, const char *text, size_t length, bool final,
                                fimbit_error *error);

/* Finds the group of a row whose group column holds `value`. @return its
 * number among the lookup's groups (small and dense: a slice keeps an array
 * by number), or DICT_EMPTY to skip the row. */
typedef uint32_t (*csv_group_lookup)(const void *context, const char *value, size_t length);
/* The name of a group number the lookup gave. */
typedef const char *(*csv_group_name)(const void *context, uint32_t group);

/* Long CSV settings, validated by read.c. */
typedef struct csv_settings {
    char separator;             /* ',' unless asked otherwise */
    const char *basket_column;  /* NULL = first */
    const char *item_column;    /* NULL = second */
    int header;                 /* 1, 0 or -1 = automatic */
    /* Rows split by group: a basket is then one basket id within one group,
     * and csv_reader_take_extras() says which group each basket is in. */
    const char *group_column;   /* NULL = no groups */
    csv_group_lookup group_lookup; /* NULL = the value is the group */
    csv_group_name group_name;     /* with a lookup: the names of its numbers */
    const void *group_context;
    bool keep_keys;             /* keep each basket's id for csv_reader_take_extras() */
    int threads;                /* slices parsed side by side; 0 or 1 = one */
} csv_settings;

/* A block of long CSV is cut into one slice per thread, none shorter than
 * this. */
#define CSV_SLICE_MIN ((size_t)1 << 20)
/* The slice floor in use; tests lower it to put cuts inside small inputs. */
extern size_t csv_slice_min;

/* What a long-CSV read knows beside the baskets, handed over by
 * csv_reader_take_extras() (free with csv_extras_release). */
typedef struct csv_extras {
    /* keep_keys: basket b's id is key_bytes + key_offsets[b], NUL-terminated. */
    char *key_bytes;
    uint64_t *key_offsets;
    /* Groups: names by id in order of first appearance, the group of every
     * basket, and the rows skipped by the lookup. */
    dict groups;
    uint32_t *basket_group;
    uint64_t skipped_rows;
    /* Every (group << 32 | item) pair in order of first appearance: the item
     * order a read of the group's rows alone would give. */
    uint64_t *group_items;
    size_t group_item_count;
} csv_extras;

void csv_extras_release(csv_extras *extras);

/* Long CSV read block by block: the rows are collected as they come, and
 * grouped by basket id (baskets in order of first appearance) at the end. */
typedef struct csv_reader csv_reader;

fimbit_status csv_reader_create(dataset_builder *builder, const char *name,
                                const csv_settings *settings, csv_reader **out);
void csv_reader_free(csv_reader *r);

/* Starts the next input (`name` for messages): its own header and line
 * numbers, the same baskets, so a basket id seen in several inputs is one
 * basket, as if the inputs were one table. */
void csv_reader_begin_input(csv_reader *r, const char *name);

/* Parses the complete records of `text`; *consumed is where the first record
 * that runs past the end starts (only when not `final`), so the caller keeps
 * the bytes from there and feeds them again, followed by more. */
fimbit_status csv_reader_feed(csv_reader *r, const char *text, size_t length, bool final,
                              size_t *consumed, fimbit_error *error);

/* Adds the grouped baskets of every input to the builder. */
fimbit_status csv_reader_finish(csv_reader *r, fimbit_error *error);

/* Moves the keys and groups gathered so far into *extras (empty ones when
 * the settings asked for none). */
void csv_reader_take_extras(csv_reader *r, csv_extras *extras);

/* Checks a column spec: NULL (not given), a name, or a 1-based index.
 * @return FIMBIT_OK, or FIMBIT_EINVAL naming the `what` column. */
fimbit_status read_check_column(const char *spec, const char *what, fimbit_error *error);

/* Whatever reads CSV text block by block: the long-CSV reader, or the order
 * lines of `fimbit rfm`. begin_input starts each input (its own header and
 * line numbers); feed has csv_reader_feed's contract. */
typedef struct csv_consumer {
    void *state;
    void (*begin_input)(void *state, const char *name);
    fimbit_status (*feed)(void *state, const char *text, size_t length, bool final,
                          size_t *consumed, fimbit_error *error);
} csv_consumer;

/* Reads the inputs (as fimbit_dataset_read does: files mapped, standard
 * input, gzip and zstd streamed) as CSV text into `consumer`, reporting the
 * READ stage. */
fimbit_status read_csv_inputs(const char *const *paths, size_t path_count,
                              const csv_consumer *consumer, fimbit_error *error);

/* fimbit_dataset_read, and for long CSV the settings beyond the public
 * options: `grouping` (may be NULL) gives the group column and its lookup;
 * *extras receives the groups (the keys, when asked for, go to the
 * dataset). With `grouping` the dataset is finished plain
 * (dataset_builder_finish_plain), to be split. */
fimbit_status dataset_read(const char *const *paths, size_t path_count,
                           const fimbit_read_options *options, const csv_settings *grouping,
                           fimbit_dataset **out, csv_extras *extras, fimbit_error *error);

/* Copies a token for an error message: up to the next whitespace, at most 40
 * bytes, unprintable bytes as '?'. */
void reader_quote_token(const char *token, const char *end, char *out, size_t out_size);

#endif /* FIMBIT_IO_READER_H */
