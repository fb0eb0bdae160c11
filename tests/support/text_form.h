/*
 * A reader for fimbit's text output (-f text), written apart from the writer
 * so that the tests can round-trip it: itemsets "{a, b} (count)" and rules
 * "{a, b} => {c} (count, support, confidence, lift)" for named items, where a
 * name between double quotes may hold anything (its quotes doubled, line
 * breaks included); and the plain form of integer items, "1 5 (count)" and
 * "1 5 => 7 (count, support, confidence, lift)".
 */
#ifndef FIMBIT_TEST_TEXT_FORM_H
#define FIMBIT_TEST_TEXT_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct text_item_list {
    char **names; /* NUL-terminated, as written before quoting */
    size_t count;
} text_item_list;

/* One itemset or rule. */
typedef struct text_record {
    bool is_rule;
    text_item_list items;      /* the itemset, or the rule's antecedent */
    text_item_list consequent; /* rules only */
    uint64_t count;
    double support, confidence, lift; /* rules only */
} text_record;

/* Parses the record that starts at *cursor (before `end`), which must end
 * with a line feed, and moves *cursor past it. `braced` picks the named form.
 * @return true, or false with a message naming the byte offset from `start`
 * in `error` (the record is then empty). */
bool text_form_parse(const char *start, const char **cursor, const char *end, bool braced,
                     text_record *record, char *error, size_t error_size);

void text_record_free(text_record *record);

#endif /* FIMBIT_TEST_TEXT_FORM_H */
