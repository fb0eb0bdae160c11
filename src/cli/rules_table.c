#include "rules_table.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_file.h"
#include "write/text_name.h"

enum {
    COLUMN_IF,
    COLUMN_ARROW,
    COLUMN_THEN,
    COLUMN_CONFIDENCE,
    COLUMN_LIFT,
    COLUMN_SUPPORT,
    COLUMN_COUNT,
    BASE_COLUMNS
};
/* The base columns, then one per measure asked for (--measures). */
#define MAX_COLUMNS (BASE_COLUMNS + FIMBIT_MEASURE_P_VALUE + 1)

static const char *const base_headers[BASE_COLUMNS] = {
    "if a basket holds", "", "it also holds", "confidence", "lift", "support", "count"};

/* Item lists are read left to right, numbers compared by their last digits. */
static bool align_left(int column) { return column <= COLUMN_THEN; }

/* The table's shape: its headers and which measure each extra column shows. */
typedef struct table_layout {
    int columns;
    const char *headers[MAX_COLUMNS];
    fimbit_measure measure[MAX_COLUMNS]; /* from BASE_COLUMNS on */
} table_layout;

/* One row's cells; the item lists in a growing buffer. */
typedef struct table_row {
    char *lists;       /* "{a, b}\0{c}\0" */
    size_t capacity;
    const char *cells[MAX_COLUMNS];
    char numbers[MAX_COLUMNS][32];
} table_row;

/* @return the characters `text` shows: its bytes but UTF-8 continuations. */
static size_t display_width(const char *text)
{
    size_t width = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        width += (*p & 0xC0) != 0x80;
    return width;
}

/* @return the bytes of items[0 .. size) as "{a, b}" with its NUL. */
static size_t list_length(const fimbit_dataset *dataset, const uint32_t *items, uint32_t size)
{
    size_t length = 3;
    for (uint32_t i = 0; i < size; i++)
        length += output_text_name(fimbit_dataset_item_name(dataset, items[i]), NULL) + 2;
    return length;
}

static char *put_list(char *p, const fimbit_dataset *dataset, const uint32_t *items,
                      uint32_t size)
{
    *p++ = '{';
    for (uint32_t i = 0; i < size; i++) {
        if (i > 0) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        p += output_text_name(fimbit_dataset_item_name(dataset, items[i]), p);
    }
    *p++ = '}';
    *p++ = '\0';
    return p;
}

/* The measure's value in a cell: the supports to 4 decimals as the support
 * column, a p-value in scientific notation (it spans hundreds of orders of
 * magnitude), the others to 3 decimals. */
static void format_measure(char *cell, size_t size, fimbit_measure measure, const fimbit_rule *rule)
{
    double value = fimbit_rule_measure(rule, measure);
    if (measure == FIMBIT_MEASURE_P_VALUE)
        snprintf(cell, size, "%.2e", value);
    else if (measure == FIMBIT_MEASURE_ANTECEDENT_SUPPORT ||
             measure == FIMBIT_MEASURE_CONSEQUENT_SUPPORT)
        snprintf(cell, size, "%.4f", value);
    else
        snprintf(cell, size, "%.3f", value);
}

static void layout_init(table_layout *layout, uint32_t measures)
{
    layout->columns = BASE_COLUMNS;
    memcpy(layout->headers, base_headers, sizeof base_headers);
    for (int m = 0; m <= FIMBIT_MEASURE_P_VALUE; m++)
        if (measures & FIMBIT_MEASURE_BIT(m)) {
            layout->headers[layout->columns] = fimbit_measure_name((fimbit_measure)m);
            layout->measure[layout->columns++] = (fimbit_measure)m;
        }
}

/* Fills `row` with rule `index`. @return false when memory is exhausted. */
static bool row_fill(table_row *row, const table_layout *layout, const fimbit_dataset *dataset,
                     const fimbit_rules *rules, size_t index)
{
    fimbit_rule rule;
    fimbit_rules_get(rules, index, &rule);
    size_t needed = list_length(dataset, rule.antecedent, rule.antecedent_size) +
                    list_length(dataset, rule.consequent, rule.consequent_size);
    if (needed > row->capacity) {
        char *grown = realloc(row->lists, needed);
        if (grown == NULL)
            return false;
        row->lists = grown;
        row->capacity = needed;
    }
    char *consequent = put_list(row->lists, dataset, rule.antecedent, rule.antecedent_size);
    put_list(consequent, dataset, rule.consequent, rule.consequent_size);
    snprintf(row->numbers[COLUMN_CONFIDENCE], sizeof row->numbers[0], "%.3f", rule.confidence);
    snprintf(row->numbers[COLUMN_LIFT], sizeof row->numbers[0], "%.2f", rule.lift);
    snprintf(row->numbers[COLUMN_SUPPORT], sizeof row->numbers[0], "%.4f", rule.support);
    snprintf(row->numbers[COLUMN_COUNT], sizeof row->numbers[0], "%" PRIu64, rule.count);
    for (int c = BASE_COLUMNS; c < layout->columns; c++)
        format_measure(row->numbers[c], sizeof row->numbers[c], layout->measure[c], &rule);
    row->cells[COLUMN_IF] = row->lists;
    row->cells[COLUMN_ARROW] = "=>";
    row->cells[COLUMN_THEN] = consequent;
    for (int c = COLUMN_CONFIDENCE; c < layout->columns; c++)
        row->cells[c] = row->numbers[c];
    return true;
}

static void put_row(FILE *out, int columns, const char *const *cells, const size_t *widths)
{
    for (int c = 0; c < columns; c++) {
        size_t pad = widths[c] - display_width(cells[c]);
        if (!align_left(c))
            fprintf(out, "%*s", (int)pad, "");
        fputs(cells[c], out);
        /* No trailing blanks: the last column is right-aligned. */
        if (align_left(c))
            fprintf(out, "%*s", (int)pad, "");
        fputs(c + 1 < columns ? "  " : "\n", out);
    }
}

fimbit_status cli_write_rules_table(const fimbit_dataset *dataset, const fimbit_rules *rules,
                                    uint32_t measures, const char *path, uint64_t keep,
                                    fimbit_error *error)
{
    size_t count = fimbit_rules_count(rules);
    if (keep != 0 && keep < count)
        count = (size_t)keep;
    table_layout layout;
    layout_init(&layout, measures);
    table_row row = {0};
    size_t widths[MAX_COLUMNS];
    for (int c = 0; c < layout.columns; c++)
        widths[c] = display_width(layout.headers[c]);
    /* Two passes: the widths, then the rows; a rule's cells are cheap to
     * make again, and nothing is held per rule. */
    for (size_t i = 0; i < count; i++) {
        if (!row_fill(&row, &layout, dataset, rules, i)) {
            free(row.lists);
            return cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
        }
        for (int c = 0; c < layout.columns; c++) {
            size_t width = display_width(row.cells[c]);
            if (width > widths[c])
                widths[c] = width;
        }
    }
    cli_output output;
    fimbit_status status = cli_output_open(&output, path, error);
    if (status == FIMBIT_OK) {
        put_row(output.file, layout.columns, layout.headers, widths);
        for (size_t i = 0; i < count && status == FIMBIT_OK; i++) {
            if (row_fill(&row, &layout, dataset, rules, i))
                put_row(output.file, layout.columns, row.cells, widths);
            else
                status = cli_error_set(error, FIMBIT_ENOMEM, "out of memory");
        }
        status = cli_output_finish(&output, status, error);
    }
    free(row.lists);
    return status;
}
