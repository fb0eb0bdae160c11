/*
 * The values of the rule-analysis options: item lists (--antecedent-items,
 * --consequent-items, --exclude-items) and measure lists (--measures).
 * Pure parsers, like options.c: they print nothing and never exit.
 */
#ifndef FIMBIT_CLI_ITEM_LISTS_H
#define FIMBIT_CLI_ITEM_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Item names split out of one buffer that the list owns. */
typedef struct cli_item_list {
    char *text;          /* the names, NUL-terminated, back to back */
    const char **names;  /* count entries into text */
    size_t count;
    /* FILE of "@FILE" when reading it read standard input ("-", /dev/stdin,
     * ...): points into the option's value; NULL otherwise */
    const char *standard_input_file;
} cli_item_list;

/* Splits text[0 .. length) at `separator` into names, each without the
 * spaces, tabs and carriage returns around it; empty names are skipped.
 * `origin` names the text in messages ("--consequent-items" or a file name),
 * and with a newline separator a message gives the line. @return true with
 * *list filled (free it with cli_item_list_free), or false with `error`
 * saying why (no names at all, a NUL byte, out of memory). */
bool cli_item_list_split(const char *text, size_t length, char separator, const char *origin,
                         cli_item_list *list, char *error, size_t error_size);

/* An option's value: "a,b,c" (comma-separated names) or "@FILE" (one name a
 * line; a file as basket inputs take it: "@-" is standard input, gzip and
 * zstd are decompressed). @return as cli_item_list_split(); an unreadable
 * file is an error. */
bool cli_item_list_parse(const char *value, const char *option, cli_item_list *list,
                         char *error, size_t error_size);

void cli_item_list_free(cli_item_list *list);

/* "all", or comma-separated names of the extra measures (antecedent_support
 * .. p_value, fimbit_measure_name()) into FIMBIT_MEASURE_BIT()s. @return
 * false, leaving *mask alone, for an empty list or an unknown name. */
bool cli_parse_measures(const char *text, uint32_t *mask);

#endif /* FIMBIT_CLI_ITEM_LISTS_H */
