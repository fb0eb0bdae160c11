/* A reader for fimbit's text output (see text_form.h). Strict: any byte the
 * writer would not have written there is an error, so a round trip through it
 * checks the writer's punctuation as well as its names. */
#include "text_form.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct text_parser {
    const char *start, *at, *end;
    char *error;
    size_t error_size;
} text_parser;

static bool parse_fail(text_parser *parser, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static bool parse_fail(text_parser *parser, const char *format, ...)
{
    int n = snprintf(parser->error, parser->error_size, "byte %td: ",
                     parser->at - parser->start);
    if (n >= 0 && (size_t)n < parser->error_size) {
        va_list args;
        va_start(args, format);
        vsnprintf(parser->error + n, parser->error_size - (size_t)n, format, args);
        va_end(args);
    }
    return false;
}

/* Takes `literal` if the text goes on with it. */
static bool take(text_parser *parser, const char *literal)
{
    size_t n = strlen(literal);
    if ((size_t)(parser->end - parser->at) < n || memcmp(parser->at, literal, n) != 0)
        return false;
    parser->at += n;
    return true;
}

static bool expect(text_parser *parser, const char *literal)
{
    return take(parser, literal) || parse_fail(parser, "expected \"%s\"", literal);
}

static bool list_add(text_item_list *list, const char *bytes, size_t length)
{
    char **grown = realloc(list->names, (list->count + 1) * sizeof *grown);
    char *name = malloc(length + 1);
    if (grown == NULL || name == NULL) {
        free(name);
        if (grown != NULL)
            list->names = grown;
        return false;
    }
    list->names = grown;
    memcpy(name, bytes, length);
    name[length] = '\0';
    list->names[list->count++] = name;
    return true;
}

/* A name between quotes, its quotes doubled. */
static bool parse_quoted_name(text_parser *parser, text_item_list *list)
{
    size_t capacity = (size_t)(parser->end - parser->at), length = 0;
    char *name = malloc(capacity + 1);
    if (name == NULL)
        return parse_fail(parser, "out of memory");
    parser->at++; /* the opening quote */
    for (;;) {
        if (parser->at == parser->end) {
            free(name);
            return parse_fail(parser, "unterminated quoted name");
        }
        if (*parser->at == '"') {
            if (parser->at + 1 < parser->end && parser->at[1] == '"') {
                name[length++] = '"';
                parser->at += 2;
                continue;
            }
            parser->at++;
            break;
        }
        name[length++] = *parser->at++;
    }
    bool added = list_add(list, name, length);
    free(name);
    return added || parse_fail(parser, "out of memory");
}

/* A name without quotes: up to the next , or }. It must be one the writer
 * would not have quoted. */
static bool parse_bare_name(text_parser *parser, text_item_list *list)
{
    const char *first = parser->at;
    while (parser->at < parser->end && *parser->at != ',' && *parser->at != '}') {
        char c = *parser->at;
        if (c == '{' || c == '"' || c == '\r' || c == '\n')
            return parse_fail(parser, "byte 0x%02x in a name without quotes", (unsigned char)c);
        parser->at++;
    }
    size_t length = (size_t)(parser->at - first);
    if (length == 0)
        return parse_fail(parser, "an empty name without quotes");
    if (first[0] == ' ' || first[0] == '\t' || first[length - 1] == ' ' ||
        first[length - 1] == '\t')
        return parse_fail(parser, "a name with outer blanks without quotes");
    return list_add(list, first, length) || parse_fail(parser, "out of memory");
}

/* "{name, name, ...}" */
static bool parse_braced_list(text_parser *parser, text_item_list *list)
{
    if (!expect(parser, "{"))
        return false;
    do {
        bool ok = parser->at < parser->end && *parser->at == '"'
                      ? parse_quoted_name(parser, list)
                      : parse_bare_name(parser, list);
        if (!ok)
            return false;
    } while (take(parser, ", "));
    return expect(parser, "}");
}

/* Space-separated decimal integers, ending before " (" or " => ". */
static bool parse_plain_list(text_parser *parser, text_item_list *list)
{
    for (;;) {
        const char *first = parser->at;
        while (parser->at < parser->end && isdigit((unsigned char)*parser->at))
            parser->at++;
        if (parser->at == first)
            return parse_fail(parser, "expected an integer item");
        if (!list_add(list, first, (size_t)(parser->at - first)))
            return parse_fail(parser, "out of memory");
        size_t left = (size_t)(parser->end - parser->at);
        if ((left >= 2 && memcmp(parser->at, " (", 2) == 0) ||
            (left >= 4 && memcmp(parser->at, " => ", 4) == 0))
            return true;
        if (!expect(parser, " "))
            return false;
    }
}

static bool parse_list(text_parser *parser, bool braced, text_item_list *list)
{
    return braced ? parse_braced_list(parser, list) : parse_plain_list(parser, list);
}

static bool parse_count(text_parser *parser, uint64_t *count)
{
    const char *first = parser->at;
    uint64_t value = 0;
    while (parser->at < parser->end && isdigit((unsigned char)*parser->at))
        value = value * 10 + (uint64_t)(*parser->at++ - '0');
    if (parser->at == first)
        return parse_fail(parser, "expected a count");
    *count = value;
    return true;
}

/* A number as %.6g writes it: digits, a point, an exponent, or inf. */
static bool parse_number(text_parser *parser, double *value)
{
    const char *first = parser->at;
    while (parser->at < parser->end && strchr("0123456789.e+-inf", *parser->at) != NULL)
        parser->at++;
    size_t length = (size_t)(parser->at - first);
    char text[64];
    if (length == 0 || length >= sizeof text)
        return parse_fail(parser, "expected a number");
    memcpy(text, first, length);
    text[length] = '\0';
    char *stop;
    *value = strtod(text, &stop);
    if (*stop != '\0') {
        parser->at = first + (stop - text);
        return parse_fail(parser, "malformed number");
    }
    return true;
}

bool text_form_parse(const char *start, const char **cursor, const char *end, bool braced,
                     text_record *record, char *error, size_t error_size)
{
    *record = (text_record){0};
    text_parser parser = {start, *cursor, end, error, error_size};
    bool ok = parse_list(&parser, braced, &record->items);
    if (ok && take(&parser, " => ")) {
        record->is_rule = true;
        ok = parse_list(&parser, braced, &record->consequent);
    }
    ok = ok && expect(&parser, " (") && parse_count(&parser, &record->count);
    if (ok && record->is_rule)
        ok = expect(&parser, ", ") && parse_number(&parser, &record->support) &&
             expect(&parser, ", ") && parse_number(&parser, &record->confidence) &&
             expect(&parser, ", ") && parse_number(&parser, &record->lift);
    ok = ok && expect(&parser, ")\n");
    if (!ok) {
        text_record_free(record);
        return false;
    }
    *cursor = parser.at;
    return true;
}

static void list_free(text_item_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->names[i]);
    free(list->names);
    *list = (text_item_list){0};
}

void text_record_free(text_record *record)
{
    list_free(&record->items);
    list_free(&record->consequent);
}
