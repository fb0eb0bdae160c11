/*
 * fimbit_recommender_read_rules: rules from JSON Lines, as `fimbit rules -f
 * jsonl` writes them. Each line is parsed by a small recursive-descent JSON
 * reader that keeps the four keys a recommender needs (antecedent,
 * consequent, confidence, lift) and skips any other value whole. The file is
 * read as basket inputs are (read/input_lines.h): standard input, gzip and
 * zstd included.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/internal.h"
#include "read/input_lines.h"

/* Decoded item names of one side of a rule, NUL-terminated, back to back. */
typedef struct name_list {
    char *bytes;
    size_t used;
    size_t capacity;
    uint32_t count;
} name_list;

typedef struct line_parser {
    const char *text;
    size_t length;
    size_t at;
    const char *file;
    uint64_t line;
    fimbit_error *error;
} line_parser;

static fimbit_status parse_error(line_parser *p, const char *what)
{
    return fimbit__error_set(p->error, FIMBIT_EPARSE, p->file, p->line, p->at + 1, "%s", what);
}

static void skip_space(line_parser *p)
{
    while (p->at < p->length && (p->text[p->at] == ' ' || p->text[p->at] == '\t' ||
                                 p->text[p->at] == '\r' || p->text[p->at] == '\n'))
        p->at++;
}

static bool accept(line_parser *p, char c)
{
    skip_space(p);
    if (p->at < p->length && p->text[p->at] == c) {
        p->at++;
        return true;
    }
    return false;
}

static bool append_bytes(name_list *out, const char *bytes, size_t length)
{
    if (out->used + length + 1 > out->capacity) {
        size_t size = out->capacity < 64 ? 64 : out->capacity;
        while (size < out->used + length + 1)
            size *= 2;
        char *bigger = fimbit__realloc_array(out->bytes, size, 1);
        if (bigger == NULL)
            return false;
        out->bytes = bigger;
        out->capacity = size;
    }
    memcpy(out->bytes + out->used, bytes, length);
    out->used += length;
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits of a \u escape at p->at. */
static bool read_hex4(line_parser *p, uint32_t *value)
{
    if (p->at + 4 > p->length)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_value(p->text[p->at + i]);
        if (digit < 0)
            return false;
        v = v * 16 + (uint32_t)digit;
    }
    p->at += 4;
    *value = v;
    return true;
}

static size_t utf8_encode(uint32_t code, char *out)
{
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xc0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3f));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xe0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3f));
        out[2] = (char)(0x80 | (code & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3f));
    out[3] = (char)(0x80 | (code & 0x3f));
    return 4;
}

/* Parses a JSON string at p->at, appending its decoded bytes and a NUL to
 * `out` (or dropping them when out is NULL). */
static fimbit_status parse_string(line_parser *p, name_list *out)
{
    if (!accept(p, '"'))
        return parse_error(p, "expected a string");
    for (;;) {
        size_t start = p->at;
        while (p->at < p->length && p->text[p->at] != '"' && p->text[p->at] != '\\' &&
               (unsigned char)p->text[p->at] >= 0x20)
            p->at++;
        if (out != NULL && !append_bytes(out, p->text + start, p->at - start))
            return fimbit__fail(p->error, FIMBIT_ENOMEM, "out of memory reading rules");
        if (p->at >= p->length || (unsigned char)p->text[p->at] < 0x20)
            return parse_error(p, "unterminated string");
        if (p->text[p->at++] == '"')
            break;
        /* An escape. */
        if (p->at >= p->length)
            return parse_error(p, "unterminated string");
        char escape = p->text[p->at++];
        char bytes[4];
        size_t length = 1;
        switch (escape) {
        case '"': case '\\': case '/':
            bytes[0] = escape;
            break;
        case 'b': bytes[0] = '\b'; break;
        case 'f': bytes[0] = '\f'; break;
        case 'n': bytes[0] = '\n'; break;
        case 'r': bytes[0] = '\r'; break;
        case 't': bytes[0] = '\t'; break;
        case 'u': {
            uint32_t code;
            if (!read_hex4(p, &code))
                return parse_error(p, "invalid \\u escape");
            if (code >= 0xd800 && code < 0xdc00) {
                uint32_t low;
                if (p->at + 2 > p->length || p->text[p->at] != '\\' ||
                    p->text[p->at + 1] != 'u')
                    return parse_error(p, "unpaired surrogate in \\u escape");
                p->at += 2;
                if (!read_hex4(p, &low) || low < 0xdc00 || low > 0xdfff)
                    return parse_error(p, "unpaired surrogate in \\u escape");
                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            } else if (code >= 0xdc00 && code < 0xe000) {
                return parse_error(p, "unpaired surrogate in \\u escape");
            }
            if (code == 0)
                return parse_error(p, "an item name holds a NUL character");
            length = utf8_encode(code, bytes);
            break;
        }
        default:
            p->at--;
            return parse_error(p, "invalid escape in string");
        }
        if (out != NULL && !append_bytes(out, bytes, length))
            return fimbit__fail(p->error, FIMBIT_ENOMEM, "out of memory reading rules");
    }
    if (out != NULL) {
        if (!append_bytes(out, "", 1))
            return fimbit__fail(p->error, FIMBIT_ENOMEM, "out of memory reading rules");
        out->count++;
    }
    return FIMBIT_OK;
}

/* The bytes a JSON number is made of (strtod judges their order). */
static bool is_number_byte(char c)
{
    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

static fimbit_status parse_number(line_parser *p, double *value)
{
    skip_space(p);
    /* A line is no C string (it may lie in a mapped file): the scan stops at
     * its end. */
    const char *start = p->text + p->at;
    size_t span = 0;
    while (p->at + span < p->length && is_number_byte(start[span]))
        span++;
    if (span == 0)
        return parse_error(p, "expected a number");
    char buffer[64];
    if (span >= sizeof buffer)
        return parse_error(p, "number too long");
    memcpy(buffer, start, span);
    buffer[span] = '\0';
    char *end = NULL;
    double parsed = strtod(buffer, &end);
    if (end != buffer + span)
        return parse_error(p, "invalid number");
    p->at += span;
    *value = parsed;
    return FIMBIT_OK;
}

static fimbit_status parse_string_array(line_parser *p, name_list *out)
{
    if (!accept(p, '['))
        return parse_error(p, "expected an array of item names");
    if (accept(p, ']'))
        return FIMBIT_OK;
    do {
        fimbit_status status = parse_string(p, out);
        if (status != FIMBIT_OK)
            return status;
    } while (accept(p, ','));
    if (!accept(p, ']'))
        return parse_error(p, "expected ',' or ']'");
    return FIMBIT_OK;
}

/* Skips any JSON value. `depth` bounds nesting so that hostile input cannot
 * exhaust the stack. */
static fimbit_status skip_value(line_parser *p, int depth)
{
    if (depth > 64)
        return parse_error(p, "values nested too deeply");
    skip_space(p);
    if (p->at >= p->length)
        return parse_error(p, "expected a value");
    char c = p->text[p->at];
    if (c == '"')
        return parse_string(p, NULL);
    if (c == '[' || c == '{') {
        char close = c == '[' ? ']' : '}';
        p->at++;
        if (accept(p, close))
            return FIMBIT_OK;
        do {
            fimbit_status status;
            if (close == '}') {
                if ((status = parse_string(p, NULL)) != FIMBIT_OK)
                    return status;
                if (!accept(p, ':'))
                    return parse_error(p, "expected ':'");
            }
            if ((status = skip_value(p, depth + 1)) != FIMBIT_OK)
                return status;
        } while (accept(p, ','));
        if (!accept(p, close))
            return parse_error(p, close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
        return FIMBIT_OK;
    }
    static const char *const words[] = {"null", "true", "false"};
    for (size_t i = 0; i < 3; i++) {
        size_t length = strlen(words[i]);
        if (p->at + length <= p->length && memcmp(p->text + p->at, words[i], length) == 0) {
            p->at += length;
            return FIMBIT_OK;
        }
    }
    double ignored;
    return parse_number(p, &ignored);
}

/* One rule line: fills the two name lists and the two measures, and when
 * asked for, the group. */
typedef struct parsed_rule {
    name_list antecedent;
    name_list consequent;
    double confidence;
    double lift;
    bool want_group; /* read "group" (a string) instead of skipping it */
    name_list group; /* group.count is 0 when the line has none */
} parsed_rule;

static fimbit_status parse_rule(line_parser *p, parsed_rule *rule)
{
    bool seen[5] = {false, false, false, false, false};
    static const char *const keys[5] = {"antecedent", "consequent", "confidence", "lift",
                                        "group"};
    name_list key = {0};
    fimbit_status status = FIMBIT_OK;

    rule->antecedent.used = rule->antecedent.count = 0;
    rule->consequent.used = rule->consequent.count = 0;
    rule->group.used = rule->group.count = 0;
    if (!accept(p, '{'))
        return parse_error(p, "expected a JSON object");
    if (!accept(p, '}')) {
        do {
            key.used = key.count = 0;
            if ((status = parse_string(p, &key)) != FIMBIT_OK)
                break;
            if (!accept(p, ':')) {
                status = parse_error(p, "expected ':'");
                break;
            }
            int which = -1;
            for (int i = 0; i < (rule->want_group ? 5 : 4); i++)
                if (strcmp(key.bytes, keys[i]) == 0)
                    which = i;
            if (which >= 0 && seen[which]) {
                status = parse_error(p, "a key appears twice");
                break;
            }
            if (which >= 0)
                seen[which] = true;
            if (which == 0)
                status = parse_string_array(p, &rule->antecedent);
            else if (which == 1)
                status = parse_string_array(p, &rule->consequent);
            else if (which == 2)
                status = parse_number(p, &rule->confidence);
            else if (which == 3)
                status = parse_number(p, &rule->lift);
            else if (which == 4)
                status = parse_string(p, &rule->group);
            else
                status = skip_value(p, 0);
        } while (status == FIMBIT_OK && accept(p, ','));
        if (status == FIMBIT_OK && !accept(p, '}'))
            status = parse_error(p, "expected ',' or '}'");
    }
    fimbit__free(key.bytes);
    if (status != FIMBIT_OK)
        return status;
    skip_space(p);
    if (p->at < p->length)
        return parse_error(p, "text after the rule's object");
    for (int i = 0; i < 4; i++)
        if (!seen[i])
            return fimbit__error_set(p->error, FIMBIT_EPARSE, p->file, p->line, 1,
                                     "a rule without \"%s\"", keys[i]);
    return FIMBIT_OK;
}

/* Points names[0 .. list->count) at the names of `list`. */
static bool list_names(const name_list *list, const char ***names, uint32_t *capacity)
{
    if (list->count > *capacity) {
        fimbit__free(*names);
        *capacity = list->count * 2;
        *names = fimbit__malloc_array(*capacity, sizeof **names);
        if (*names == NULL) {
            *capacity = 0;
            return false;
        }
    }
    const char *at = list->bytes;
    for (uint32_t i = 0; i < list->count; i++) {
        (*names)[i] = at;
        at += strlen(at) + 1;
    }
    return true;
}

static fimbit_status add_parsed_rule(fimbit_recommender *recommender, line_parser *p,
                                     parsed_rule *rule, const char ***antecedent,
                                     uint32_t *antecedent_capacity, const char ***consequent,
                                     uint32_t *consequent_capacity)
{
    if (!list_names(&rule->antecedent, antecedent, antecedent_capacity) ||
        !list_names(&rule->consequent, consequent, consequent_capacity))
        return fimbit__fail(p->error, FIMBIT_ENOMEM, "out of memory reading rules");
    fimbit_status status = fimbit_recommender_add_rule(
        recommender, *antecedent, rule->antecedent.count, *consequent, rule->consequent.count,
        rule->confidence, rule->lift, p->error);
    if (status == FIMBIT_EINVAL) {
        /* Say where the bad rule is: "rules.jsonl:3: recommender: ...". */
        fimbit_error copy = *p->error;
        status = fimbit__error_set(p->error, FIMBIT_EPARSE, p->file, p->line, 1, "%s",
                                   copy.message);
    }
    return status;
}

/* Adds the rules of `path`: every one, or with a `group` those of that group. */
static fimbit_status read_rules(fimbit_recommender *recommender, const char *path,
                                const char *group, fimbit_error *error)
{
    fimbit_error local_error;
    if (error == NULL)
        error = &local_error;
    if (recommender == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommender: a NULL argument");
    input_lines lines;
    fimbit_status status = input_lines_open(&lines, path, error);
    parsed_rule rule = {.want_group = group != NULL};
    const char **antecedent = NULL, **consequent = NULL;
    uint32_t antecedent_capacity = 0, consequent_capacity = 0;
    line_parser parser = {.file = lines.in.name, .error = error};

    while (status == FIMBIT_OK) {
        status = input_lines_next(&lines, &parser.text, &parser.length, error);
        if (status != FIMBIT_OK || parser.length == 0)
            break;
        parser.at = 0;
        parser.line = lines.line;
        skip_space(&parser);
        if (parser.at == parser.length)
            continue; /* a blank line */
        parser.at = 0;
        if (memchr(parser.text, '\0', parser.length) != NULL) {
            status = parse_error(&parser, "a NUL byte in the line");
            break;
        }
        status = parse_rule(&parser, &rule);
        if (status == FIMBIT_OK && group != NULL &&
            (rule.group.count == 0 || strcmp(rule.group.bytes, group) != 0))
            continue; /* another group's rule */
        if (status == FIMBIT_OK)
            status = add_parsed_rule(recommender, &parser, &rule, &antecedent, &antecedent_capacity,
                                     &consequent, &consequent_capacity);
    }
    input_lines_close(&lines);
    fimbit__free(rule.antecedent.bytes);
    fimbit__free(rule.consequent.bytes);
    fimbit__free(rule.group.bytes);
    fimbit__free(antecedent);
    fimbit__free(consequent);
    return status;
}

fimbit_status fimbit_recommender_read_rules(fimbit_recommender *recommender, const char *path,
                                            fimbit_error *error)
{
    return read_rules(recommender, path, NULL, error);
}

fimbit_status fimbit_recommender_read_group_rules(fimbit_recommender *recommender,
                                                  const char *path, const char *group,
                                                  fimbit_error *error)
{
    if (group == NULL)
        return fimbit__fail(error, FIMBIT_EINVAL, "recommender: a NULL group");
    return read_rules(recommender, path, group, error);
}
