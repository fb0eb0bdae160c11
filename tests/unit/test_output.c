/*
 * The writers: golden files for every format (itemsets and rules, sorted),
 * quoting and escaping of awkward names, standard output (and a broken pipe),
 * atomic file replacement, file modes, and failures that must leave an
 * existing file untouched.
 *
 * Golden files live in tests/golden/ (found through $FIMBIT_SOURCE_DIR); run
 * with FIMBIT_UPDATE_GOLDEN=1 to rewrite them after a deliberate change, then
 * review the diff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/progress.h"
#include "read/dataset.h"
#include "write/ordered_write.h"
#include "write/output.h"
#include "rules/rules.h"
#include "store/sink.h"
#include "store/store.h"
#include "hand_dataset.h"

#ifndef FIMBIT_DEFAULT_SOURCE_DIR
#define FIMBIT_DEFAULT_SOURCE_DIR "."
#endif


static const char *const grocery_names[] = {"bread", "milk", "diapers", "beer", "eggs", "cola"};
/* a bread, b milk, c diapers, d beer, e eggs, f cola */
static const char *const grocery_baskets[] = {"ab", "acde", "bcdf", "abcd", "abcf"};
static const uint32_t reversed6[] = {5, 4, 3, 2, 1, 0};

/* The grocery baskets' itemsets of at least `min_count` baskets, stored (in
 * store order: sort them for a fixed output); *dataset is theirs. */
static fimbit_itemsets *grocery_store(uint64_t min_count, fimbit_dataset **dataset)
{
    *dataset = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_itemsets *store = hand_store_fill(*dataset, min_count, 1, reversed6, NULL);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    return store;
}

/* ---- files ------------------------------------------------------------------ */

static char *read_whole(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    size_t capacity = 1 << 16, length = 0;
    char *data = malloc(capacity);
    size_t got;
    while ((got = fread(data + length, 1, capacity - length, file)) > 0) {
        length += got;
        if (length == capacity)
            data = realloc(data, capacity *= 2);
    }
    fclose(file);
    *size = length;
    return data;
}

static void write_whole(const char *path, const char *data, size_t size)
{
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(data, 1, size, file), size);
    assert_int_equal(fclose(file), 0);
}

static char temp_dir[256];

static int make_temp_dir(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(temp_dir, sizeof temp_dir, "%s/fimbit-output-XXXXXX", base ? base : "/tmp");
    return mkdtemp(temp_dir) ? 0 : -1;
}

static int remove_temp_dir(void **state)
{
    (void)state;
    DIR *dir = opendir(temp_dir);
    if (dir) {
        struct dirent *entry;
        char path[512];
        while ((entry = readdir(dir)) != NULL) {
            if (entry->d_name[0] == '.' &&
                (entry->d_name[1] == '\0' || strcmp(entry->d_name, "..") == 0))
                continue;
            snprintf(path, sizeof path, "%s/%s", temp_dir, entry->d_name);
            unlink(path);
        }
        closedir(dir);
    }
    rmdir(temp_dir);
    return 0;
}

static void temp_path(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", temp_dir, name);
}

/* The number of entries in the temporary directory (temporary files left
 * behind would show here). */
static int temp_dir_entries(void)
{
    DIR *dir = opendir(temp_dir);
    assert_non_null(dir);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            count++;
    closedir(dir);
    return count;
}

/* Compares the file at `path` with tests/golden/<golden> byte for byte. */
static void check_golden(const char *path, const char *golden)
{
    const char *source = getenv("FIMBIT_SOURCE_DIR");
    if (source == NULL)
        source = FIMBIT_DEFAULT_SOURCE_DIR;
    char golden_path[1024];
    snprintf(golden_path, sizeof golden_path, "%s/tests/golden/%s", source, golden);
    size_t size = 0, golden_size = 0;
    char *data = read_whole(path, &size);
    assert_non_null(data);
    const char *update = getenv("FIMBIT_UPDATE_GOLDEN");
    if (update && *update && strcmp(update, "0") != 0) {
        write_whole(golden_path, data, size);
        free(data);
        return;
    }
    char *expected = read_whole(golden_path, &golden_size);
    if (expected == NULL)
        fail_msg("golden file %s is missing", golden_path);
    if (size != golden_size || memcmp(data, expected, size) != 0) {
        fprintf(stderr, "--- %s (expected)\n%.*s--- %s (got)\n%.*s", golden_path,
                (int)golden_size, expected, path, (int)size, data);
        fail_msg("%s differs from %s", path, golden_path);
    }
    free(data);
    free(expected);
}

static void check_file(const char *path, const char *expected)
{
    size_t size = 0;
    char *data = read_whole(path, &size);
    assert_non_null(data);
    if (size != strlen(expected) || memcmp(data, expected, size) != 0) {
        fprintf(stderr, "--- expected\n%s--- got\n%.*s", expected, (int)size, data);
        fail_msg("%s differs", path);
    }
    free(data);
}

static fimbit_rules *grocery_rules(const fimbit_dataset *d, double min_confidence,
                                   uint32_t max_consequent)
{
    fimbit_itemsets *store = hand_store_fill(d, 2, 2, reversed6, NULL);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.min_confidence = min_confidence;
    options.max_consequent = max_consequent;
    options.mine.threads = 2;
    fimbit_rules *rules = NULL;
    assert_int_equal(rules_generate(store, &options, &rules, NULL), FIMBIT_OK);
    fimbit_itemsets_free(store);
    return rules;
}

static const char *const format_suffix[] = {"txt", "csv", "jsonl"};

/* ---- golden files ------------------------------------------------------------ */

static void test_output_golden_itemsets(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_itemsets *store = hand_store_fill(d, 2, 3, reversed6, NULL);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    fimbit_itemsets_sort(store);
    for (int format = FIMBIT_FORMAT_TEXT; format <= FIMBIT_FORMAT_JSONL; format++) {
        char path[512], golden[64];
        snprintf(golden, sizeof golden, "itemsets.%s", format_suffix[format]);
        temp_path(path, sizeof path, golden);
        fimbit_error error;
        assert_int_equal(fimbit_itemsets_write(store, (fimbit_format)format, path, &error),
                         FIMBIT_OK);
        check_golden(path, golden);
        unlink(path);
    }
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_output_golden_rules(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    fimbit_rules *rules = grocery_rules(d, 0.6, 2);
    fimbit_rules_sort(rules);
    for (int format = FIMBIT_FORMAT_TEXT; format <= FIMBIT_FORMAT_JSONL; format++) {
        char path[512], golden[64];
        snprintf(golden, sizeof golden, "rules.%s", format_suffix[format]);
        temp_path(path, sizeof path, golden);
        assert_int_equal(fimbit_rules_write(rules, (fimbit_format)format, path, NULL),
                         FIMBIT_OK);
        check_golden(path, golden);
        unlink(path);
    }
    fimbit_rules_sort_by_strength(rules);
    char path[512];
    temp_path(path, sizeof path, "rules_by_strength.txt");
    assert_int_equal(fimbit_rules_write(rules, FIMBIT_FORMAT_TEXT, path, NULL), FIMBIT_OK);
    check_golden(path, "rules_by_strength.txt");
    unlink(path);
    fimbit_rules_free(rules);
    hand_dataset_free(d);
}

/* ---- awkward names ----------------------------------------------------------- */

static const char *const awkward_names[] = {
    "a,b", "say \"hi\"", "line\nbreak", "tab\there", "caf\xc3\xa9", "bad\xff", "back\\slash",
    "plain",
};
enum { COMMA, QUOTE, NEWLINE, TAB, CAFE, BAD, BACKSLASH, PLAIN };

static fimbit_itemsets *awkward_store(const fimbit_dataset *d)
{
    const uint32_t identity[] = {0, 1, 2, 3, 4, 5, 6, 7};
    fimbit_itemsets *store = store_create(d, identity, 1);
    uint32_t records[64];
    size_t used = 0;
    for (uint32_t item = 0; item < 8; item++) {
        uint32_t record[] = {1, 1, 0, item};
        memcpy(records + used, record, sizeof record);
        used += 4;
    }
    uint32_t pairs[] = {2, 1, 0, PLAIN, TAB, 2, 1, 0, COMMA, PLAIN, 2, 1, 0, QUOTE, NEWLINE};
    memcpy(records + used, pairs, sizeof pairs);
    used += sizeof pairs / sizeof *pairs;
    assert_int_equal(store_flush(store, 0, records, used), 0);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    fimbit_itemsets_sort(store);
    return store;
}

static void test_output_awkward_names(void **state)
{
    (void)state;
    const char *baskets[] = {"abcdefgh", ""};
    fimbit_dataset *d = hand_dataset_make(awkward_names, 8, baskets, 2);
    fimbit_itemsets *store = awkward_store(d);
    char path[512];
    temp_path(path, sizeof path, "awkward.out");

    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_CSV, path, NULL), FIMBIT_OK);
    check_file(path, "items,size,count,support\n"
                     "\"a,b\",1,1,0.5\n"
                     "back\\slash,1,1,0.5\n"
                     "bad\xff,1,1,0.5\n"
                     "caf\xc3\xa9,1,1,0.5\n"
                     "\"line\nbreak\",1,1,0.5\n"
                     "plain,1,1,0.5\n"
                     "\"say \"\"hi\"\"\",1,1,0.5\n"
                     "tab\there,1,1,0.5\n"
                     "\"a,b plain\",2,1,0.5\n"
                     "\"line\nbreak say \"\"hi\"\"\",2,1,0.5\n"
                     "plain tab\there,2,1,0.5\n");

    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_JSONL, path, NULL), FIMBIT_OK);
    check_file(path,
               "{\"items\":[\"a,b\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"back\\\\slash\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"bad\xef\xbf\xbd\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"caf\xc3\xa9\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"line\\u000abreak\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"plain\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"say \\\"hi\\\"\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"tab\\u0009here\"],\"size\":1,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"a,b\",\"plain\"],\"size\":2,\"count\":1,\"support\":0.5}\n"
               "{\"items\":[\"line\\u000abreak\",\"say \\\"hi\\\"\"],\"size\":2,\"count\":1,"
               "\"support\":0.5}\n"
               "{\"items\":[\"plain\",\"tab\\u0009here\"],\"size\":2,\"count\":1,"
               "\"support\":0.5}\n");

    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, path, NULL), FIMBIT_OK);
    check_file(path, "{\"a,b\"} (1)\n{back\\slash} (1)\n{bad\xff} (1)\n{caf\xc3\xa9} (1)\n"
                     "{\"line\nbreak\"} (1)\n{plain} (1)\n{\"say \"\"hi\"\"\"} (1)\n"
                     "{tab\there} (1)\n{\"a,b\", plain} (1)\n"
                     "{\"line\nbreak\", \"say \"\"hi\"\"\"} (1)\n{plain, tab\there} (1)\n");
    unlink(path);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

/* Rules quote and escape each side on its own. */
static void test_output_awkward_rules(void **state)
{
    (void)state;
    const char *baskets[] = {"abcdefgh", "adh", "h", ""};
    fimbit_dataset *d = hand_dataset_make(awkward_names, 8, baskets, 4);
    uint32_t items[] = {COMMA, PLAIN, QUOTE, TAB, NEWLINE};
    rule_entry entries[] = {
        {.items = items, .antecedent_size = 2, .consequent_size = 1, .count = 1,
         .antecedent_count = 1, .consequent_count = 1},
        {.items = items + 3, .antecedent_size = 1, .consequent_size = 1, .count = 1,
         .antecedent_count = 2, .consequent_count = 1},
    };
    output_buffer buffer = {0};
    for (int format = FIMBIT_FORMAT_TEXT; format <= FIMBIT_FORMAT_JSONL; format++) {
        output_names names;
        assert_int_equal(output_names_build(&names, d, (fimbit_format)format, NULL), FIMBIT_OK);
        for (int r = 0; r < 2; r++) {
            fimbit_rule rule;
            rules_entry_metrics(&entries[r], d->basket_count, &rule);
            assert_true(output_format_rule(&buffer, &names, &rule));
        }
        output_names_free(&names);
    }
    const char *expected =
        "{\"a,b\", plain} => {\"say \"\"hi\"\"\"} (1, 0.25, 1, 4)\n"
        "{tab\there} => {\"line\nbreak\"} (1, 0.25, 0.5, 2)\n"
        "\"a,b plain\",\"say \"\"hi\"\"\",1,0.25,1,4,0.1875,inf\n"
        "tab\there,\"line\nbreak\",1,0.25,0.5,2,0.125,1.5\n"
        "{\"antecedent\":[\"a,b\",\"plain\"],\"consequent\":[\"say \\\"hi\\\"\"],\"count\":1,"
        "\"support\":0.25,\"confidence\":1,\"lift\":4,\"leverage\":0.1875,\"conviction\":null}\n"
        "{\"antecedent\":[\"tab\\u0009here\"],\"consequent\":[\"line\\u000abreak\"],\"count\":1,"
        "\"support\":0.25,\"confidence\":0.5,\"lift\":2,\"leverage\":0.125,\"conviction\":1.5}\n";
    if (buffer.length != strlen(expected) || memcmp(buffer.data, expected, buffer.length) != 0)
        fail_msg("got:\n%.*s", (int)buffer.length, buffer.data);
    output_buffer_free(&buffer);
    hand_dataset_free(d);
}

/* Invalid UTF-8 of every kind becomes U+FFFD, one per byte; valid sequences of
 * every length pass through. */
static void test_output_json_utf8(void **state)
{
    (void)state;
    const char *names[] = {
        "\xe2\x82\xac\xf0\x9f\x98\x80",  /* euro sign, an emoji: valid */
        "\xc0\xaf",                      /* overlong '/' */
        "\xed\xa0\x80",                  /* a surrogate */
        "\xf4\x90\x80\x80",              /* past U+10FFFF */
        "x\xe2\x82",                     /* truncated */
        "\x7f\x01",                      /* DEL passes, SOH is escaped */
    };
    const char *baskets[] = {"abcdef"};
    fimbit_dataset *d = hand_dataset_make(names, 6, baskets, 1);
    output_names encoded;
    assert_int_equal(output_names_build(&encoded, d, FIMBIT_FORMAT_JSONL, NULL), FIMBIT_OK);
    const char *expected[] = {
        "\"\xe2\x82\xac\xf0\x9f\x98\x80\"",
        "\"\xef\xbf\xbd\xef\xbf\xbd\"",
        "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
        "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
        "\"x\xef\xbf\xbd\xef\xbf\xbd\"",
        "\"\x7f\\u0001\"",
    };
    for (uint32_t i = 0; i < 6; i++) {
        size_t length = (size_t)(encoded.offsets[i + 1] - encoded.offsets[i]);
        assert_int_equal(length, strlen(expected[i]));
        assert_memory_equal(encoded.bytes + encoded.offsets[i], expected[i], length);
    }
    output_names_free(&encoded);
    hand_dataset_free(d);
}

/* Numbers: %.6g, infinite conviction as inf (CSV) and null (JSON). */
static void test_output_rule_numbers(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    output_names csv, json, text;
    assert_int_equal(output_names_build(&csv, d, FIMBIT_FORMAT_CSV, NULL), FIMBIT_OK);
    assert_int_equal(output_names_build(&json, d, FIMBIT_FORMAT_JSONL, NULL), FIMBIT_OK);
    assert_int_equal(output_names_build(&text, d, FIMBIT_FORMAT_TEXT, NULL), FIMBIT_OK);
    uint32_t items[] = {3, 1, 2};
    rule_entry entry = {.items = items, .antecedent_size = 1, .consequent_size = 2,
                        .count = 2, .antecedent_count = 2, .consequent_count = 3};
    fimbit_rule rule;
    rules_entry_metrics(&entry, 3000000, &rule);
    output_buffer buffer = {0};
    assert_true(output_format_rule(&buffer, &csv, &rule));
    assert_true(output_format_rule(&buffer, &json, &rule));
    assert_true(output_format_rule(&buffer, &text, &rule));
    entry.antecedent_count = 3;
    rules_entry_metrics(&entry, 5, &rule);
    assert_true(output_format_rule(&buffer, &csv, &rule));
    assert_true(output_format_itemset(&buffer, &text, items, 3, 18446744073709551615ULL, 1));
    assert_true(output_format_itemset(&buffer, &csv, items, 1, 0, 3));
    const char *expected =
        "beer,milk diapers,2,6.66667e-07,1,1e+06,6.66666e-07,inf\n"
        "{\"antecedent\":[\"beer\"],\"consequent\":[\"milk\",\"diapers\"],\"count\":2,"
        "\"support\":6.66667e-07,\"confidence\":1,\"lift\":1e+06,\"leverage\":6.66666e-07,"
        "\"conviction\":null}\n"
        "{beer} => {milk, diapers} (2, 6.66667e-07, 1, 1e+06)\n"
        "beer,milk diapers,2,0.4,0.666667,1.11111,0.04,1.2\n"
        "{beer, milk, diapers} (18446744073709551615)\n"
        "beer,1,0,0\n";
    assert_int_equal(buffer.length, strlen(expected));
    assert_memory_equal(buffer.data, expected, buffer.length);
    output_buffer_free(&buffer);
    output_names_free(&csv);
    output_names_free(&json);
    output_names_free(&text);
    hand_dataset_free(d);
}

/* Names up to 16 bytes are copied as one fixed block, longer ones by length:
 * both sides of that bound, next to each other and last in the line. */
static void test_output_name_lengths(void **state)
{
    (void)state;
    const char *names[] = {"fifteen bytes..", "sixteen bytes...", "seventeen bytes..",
                           "a name of forty bytes, and then some more"};
    fimbit_dataset *d = hand_dataset_make(names, 4, NULL, 0);
    output_names csv;
    assert_int_equal(output_names_build(&csv, d, FIMBIT_FORMAT_CSV, NULL), FIMBIT_OK);
    uint32_t items[] = {3, 0, 1, 2};
    output_buffer buffer = {0};
    assert_true(output_format_itemset(&buffer, &csv, items, 4, 1, 2));
    assert_true(output_format_itemset(&buffer, &csv, items + 1, 3, 1, 2));
    const char *expected = "\"a name of forty bytes, and then some more fifteen bytes.. "
                           "sixteen bytes... seventeen bytes..\",4,1,0.5\n"
                           "fifteen bytes.. sixteen bytes... seventeen bytes..,3,1,0.5\n";
    assert_int_equal(buffer.length, strlen(expected));
    assert_memory_equal(buffer.data, expected, buffer.length);
    output_buffer_free(&buffer);
    output_names_free(&csv);
    hand_dataset_free(d);
}

/* Appends `rule` to `fresh` as formatted into a buffer of its own. */
static void append_fresh_rule(output_buffer *fresh, const output_names *names,
                              const fimbit_rule *rule)
{
    output_buffer one = {0};
    assert_true(output_format_rule(&one, names, rule));
    char *end = output_buffer_reserve(fresh, one.length);
    assert_non_null(end);
    memcpy(end, one.data, one.length);
    fresh->length += one.length;
    output_buffer_free(&one);
}

/* The two buffers hold the same bytes; both are freed. */
static void expect_same_text_and_free(output_buffer *shared, output_buffer *fresh)
{
    assert_int_equal(shared->length, fresh->length);
    assert_memory_equal(shared->data, fresh->data, shared->length);
    output_buffer_free(shared);
    output_buffer_free(fresh);
}

/* Rule lines copy repeated supports and p-values from a table of recent
 * texts: lines written into one buffer (hits, and slots taken over by other
 * numbers) equal lines written each into a fresh buffer (every number
 * formatted anew). More distinct numbers than the table has slots. */
static void test_output_rule_repeated_numbers(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    output_names csv;
    assert_int_equal(output_names_build(&csv, d, FIMBIT_FORMAT_CSV, NULL), FIMBIT_OK);
    csv.rule_measures = FIMBIT_MEASURES_ALL;
    uint32_t items[] = {3, 1, 2};
    output_buffer shared = {0};
    output_buffer fresh = {0};
    for (uint64_t i = 0; i < 30000; i++) {
        uint64_t cz = 1 + (i * 7919) % 6000, cx = cz + (i % 97), cy = cz + (i * 31) % 89;
        rule_entry entry = {.items = items, .antecedent_size = 1, .consequent_size = 2,
                            .count = cz, .antecedent_count = cx, .consequent_count = cy,
                            .improvement = 0.5, .p_value = 1.0 / (double)(1 + i % 5000)};
        fimbit_rule rule;
        rules_entry_fill(&entry, 1000003, csv.rule_measures, &rule);
        assert_true(output_format_rule(&shared, &csv, &rule));
        append_fresh_rule(&fresh, &csv, &rule);
    }
    expect_same_text_and_free(&shared, &fresh);
    output_names_free(&csv);
    hand_dataset_free(d);
}

/* Lines written from rule entries reuse the text of the count measures of
 * earlier lines with the same three counts: in every format and with none,
 * some or all extra measures, they equal lines written from filled rules
 * into fresh buffers. Triples repeat (hits, with other items, improvements
 * and p-values) and outnumber the table's slots (slots taken over); some
 * have an infinite conviction, some no improvement or p-value (NaN). */
static void test_output_rule_entries(void **state)
{
    (void)state;
    fimbit_dataset *d = hand_dataset_make(grocery_names, 6, grocery_baskets, 5);
    const fimbit_format formats[] = {FIMBIT_FORMAT_CSV, FIMBIT_FORMAT_JSONL, FIMBIT_FORMAT_TEXT};
    const uint32_t measure_sets[] = {0, FIMBIT_MEASURES_ALL,
                                     FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_JACCARD) |
                                         FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_P_VALUE),
                                     FIMBIT_MEASURE_BIT(FIMBIT_MEASURE_IMPROVEMENT)};
    /* Rules of up to 6 items start at items or items + 1. */
    uint32_t items[] = {3, 1, 2, 0, 5, 4, 3};
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++)
        for (size_t m = 0; m < sizeof measure_sets / sizeof *measure_sets; m++) {
            output_names names;
            assert_int_equal(output_names_build(&names, d, formats[f], NULL), FIMBIT_OK);
            names.rule_measures = formats[f] == FIMBIT_FORMAT_TEXT ? 0 : measure_sets[m];
            output_buffer shared = {0};
            output_buffer fresh = {0};
            for (uint64_t i = 0; i < 20000; i++) {
                /* Runs of three lines share a triple; 6000 triples in all. */
                uint64_t j = i / 3 * 7919 % 6000;
                uint64_t cz = 1 + j % 1500, cx = cz + j % 7, cy = cz + j % 5;
                uint32_t x_size = 1 + (uint32_t)(i % 3), y_size = 1 + (uint32_t)(i / 3 % 3);
                rule_entry entry = {.items = items + i % 2,
                                    .antecedent_size = x_size,
                                    .consequent_size = y_size,
                                    .count = cz,
                                    .antecedent_count = cx,
                                    .consequent_count = cy,
                                    .improvement = i % 11 ? 0.5 / (double)(1 + i % 13) : NAN,
                                    .p_value = i % 17 ? 1.0 / (double)(1 + i % 5000) : NAN};
                assert_true(output_format_rule_entry(&shared, &names, &entry, 1000003));
                fimbit_rule rule;
                rules_entry_fill(&entry, 1000003, names.rule_measures, &rule);
                append_fresh_rule(&fresh, &names, &rule);
            }
            expect_same_text_and_free(&shared, &fresh);
            output_names_free(&names);
        }
    hand_dataset_free(d);
}

/* The hand-made "%.6g" agrees with printf's on ratios of small counts (where
 * ties live), on values spread over many magnitudes, and at the edges. */
static void check_g6(double value)
{
    char expected[64], got[64];
    snprintf(expected, sizeof expected, "%.6g", value);
    size_t length = output_format_g6(value, got);
    got[length] = '\0';
    if (strcmp(expected, got) != 0)
        fail_msg("%.17g: printf says %s, output_format_g6 says %s", value, expected, got);
}

static void test_output_g6_matches_printf(void **state)
{
    (void)state;
    for (uint32_t p = 0; p <= 600; p++)
        for (uint32_t q = 1; q <= 600; q++) {
            check_g6((double)p / (double)q);
            check_g6(-(double)p / (double)q);
            check_g6((double)p * 1000.0 / (double)q);
        }
    uint64_t seed = 42;
    for (int i = 0; i < 1000000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double unit = (double)(seed >> 11) / 9007199254740992.0;
        double magnitude = pow(10.0, (double)((int)(seed % 40) - 20));
        check_g6(unit * magnitude);
    }
    /* Every kind of double, subnormals included: random bit patterns. */
    for (int i = 0; i < 300000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t bits = seed ^ (seed >> 29);
        double value;
        memcpy(&value, &bits, sizeof value);
        check_g6(value);
    }
    /* Near-ties and carries at every exponent the fast path serves and past
     * it: d.ddddd5 (and its neighbours) rounds on the seventh digit, and
     * 9.999995 carries into a new leading digit (and maybe a new form). */
    for (int exponent = -20; exponent <= 20; exponent++) {
        double scale = pow(10.0, exponent - 5);
        for (int i = 0; i < 2000; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            double mantissa = (double)(100000 + (seed >> 33) % 900000);
            double tie = (mantissa + 0.5) * scale;
            check_g6(tie);
            check_g6(nextafter(tie, 0.0));
            check_g6(nextafter(tie, INFINITY));
            check_g6(-tie);
        }
        double carry = 999999.5 * scale;
        check_g6(carry);
        check_g6(nextafter(carry, 0.0));
        check_g6(nextafter(carry, INFINITY));
        check_g6(pow(10.0, exponent));
        check_g6(nextafter(pow(10.0, exponent), 0.0));
    }
    /* Every six-digit mantissa (each pattern of trailing zeros) in each form:
     * integer digits only, a point inside, a leading "0.000" and an
     * exponent. */
    for (uint32_t mantissa = 100000; mantissa <= 999999; mantissa++) {
        check_g6((double)mantissa);
        check_g6((double)mantissa / 1000.0);
        check_g6((double)mantissa / 1e9);
        check_g6((double)mantissa * 1e12);
    }
    const double edges[] = {0.0, -0.0, 1.0, 9.999995, 9.9999949999, 999999.5, 999999.4999,
                            1e-5, 1e-4, 0.000123456789, 1e15, 1e-15, 9.99999e14, 1e300,
                            1e-300, 5e-324, 123456.5, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0,
                            1234567.0, 100000.0, 999999.0, 0.00001, 4.35, 2.675,
                            0.0001, 0.000099999949, 0.000099999951, 999999.49999999,
                            2.2250738585072014e-308, 1e-310, 1.7976931348623157e308,
                            INFINITY, NAN};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
        check_g6(edges[i]);
        check_g6(-edges[i]);
    }
}

/* ---- where the bytes go ------------------------------------------------------ */

static void test_output_missing_directory(void **state)
{
    (void)state;
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(2, &d);
    char path[512];
    temp_path(path, sizeof path, "missing/out.txt");
    fimbit_error error = {0};
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, path, &error), FIMBIT_EIO);
    assert_int_equal(error.code, FIMBIT_EIO);
    assert_non_null(strstr(error.message, path));
    assert_non_null(strstr(error.message, "No such file or directory"));
    temp_path(path, sizeof path, "missing");
    struct stat info;
    assert_int_equal(stat(path, &info), -1);
    assert_int_equal(temp_dir_entries(), 0);

    /* A directory is no file either. */
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, temp_dir, &error),
                     FIMBIT_EIO);
    assert_int_equal(temp_dir_entries(), 0);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_output_dev_full(void **state)
{
    (void)state;
    struct stat info;
    if (stat("/dev/full", &info) != 0 || !S_ISCHR(info.st_mode)) {
        fprintf(stderr, "SKIP: /dev/full is not available\n");
        return;
    }
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(1, &d);
    fimbit_error error = {0};
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_CSV, "/dev/full", &error),
                     FIMBIT_EIO);
    assert_non_null(strstr(error.message, "/dev/full"));
    assert_non_null(strstr(error.message, "No space left on device"));
    /* Still the device: never renamed over. */
    assert_int_equal(stat("/dev/full", &info), 0);
    assert_true(S_ISCHR(info.st_mode));
    /* And /dev/null takes anything. */
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_CSV, "/dev/null", &error),
                     FIMBIT_OK);
    assert_int_equal(stat("/dev/null", &info), 0);
    assert_true(S_ISCHR(info.st_mode));
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

/* A write that fails half-way (the file size limit stands in for a full disk)
 * leaves the old file as it was and no temporary file behind. */
static void test_output_failure_keeps_existing_file(void **state)
{
    (void)state;
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(1, &d);
    fimbit_itemsets_sort(store);
    char path[512];
    temp_path(path, sizeof path, "keep.txt");
    write_whole(path, "precious\n", 9);

    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 100;
    void (*saved_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    fimbit_error error = {0};
    fimbit_status status = fimbit_itemsets_write(store, FIMBIT_FORMAT_JSONL, path, &error);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, saved_handler);
    assert_int_equal(status, FIMBIT_EIO);
    assert_non_null(strstr(error.message, path));
    assert_non_null(strstr(error.message, "File too large"));
    check_file(path, "precious\n");
    assert_int_equal(temp_dir_entries(), 1);

    /* Memory running out at every step in turn: the same. */
    bool succeeded = false;
    for (uint64_t n = 1; n < 100 && !succeeded; n++) {
        fimbit__alloc_fail_after(n);
        status = fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, path, &error);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK) {
            succeeded = true;
        } else {
            assert_int_equal(status, FIMBIT_ENOMEM);
            check_file(path, "precious\n");
        }
        assert_int_equal(temp_dir_entries(), 1);
    }
    assert_true(succeeded);
    size_t size = 0;
    char *data = read_whole(path, &size);
    assert_true(size > 100);
    assert_memory_equal(data, "{beer} (3)\n", 11);
    free(data);
    unlink(path);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_output_file_modes(void **state)
{
    (void)state;
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(2, &d);
    char path[512];
    struct stat info;
    temp_path(path, sizeof path, "mode.txt");

    mode_t saved = umask(022);
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, path, NULL), FIMBIT_OK);
    assert_int_equal(stat(path, &info), 0);
    assert_int_equal(info.st_mode & 0777, 0644);
    unlink(path);

    umask(077);
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, path, NULL), FIMBIT_OK);
    assert_int_equal(stat(path, &info), 0);
    assert_int_equal(info.st_mode & 0777, 0600);

    /* Replacing an existing file keeps its permissions. */
    umask(022);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_CSV, path, NULL), FIMBIT_OK);
    assert_int_equal(stat(path, &info), 0);
    assert_int_equal(info.st_mode & 0777, 0640);
    size_t size = 0;
    char *data = read_whole(path, &size);
    assert_memory_equal(data, "items,size", 10);
    free(data);
    umask(saved);
    unlink(path);
    assert_int_equal(temp_dir_entries(), 0);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

/* Writing through a symbolic link replaces the file it points to and keeps
 * the link. */
static void test_output_symlink(void **state)
{
    (void)state;
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(4, &d);
    fimbit_itemsets_sort(store);
    char target[512], link_path[512];
    temp_path(target, sizeof target, "target.txt");
    temp_path(link_path, sizeof link_path, "link.txt");
    write_whole(target, "old\n", 4);
    assert_int_equal(symlink("target.txt", link_path), 0);
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, link_path, NULL),
                     FIMBIT_OK);
    struct stat info;
    assert_int_equal(lstat(link_path, &info), 0);
    assert_true(S_ISLNK(info.st_mode));
    check_file(target, "{bread} (4)\n{diapers} (4)\n{milk} (4)\n");
    assert_int_equal(temp_dir_entries(), 2);
    unlink(link_path);
    unlink(target);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

/* A link whose size lstat does not give: /proc's links report 64 bytes, what
 * they hold notwithstanding (-o /dev/stdout with standard output redirected
 * to a file whose path is longer). */
static void test_output_proc_symlink(void **state)
{
    (void)state;
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(4, &d);
    fimbit_itemsets_sort(store);
    char target[512], link_path[64];
    temp_path(target, sizeof target,
              "a_name_long_enough_that_the_whole_path_is_longer_than_64_bytes.txt");
    assert_true(strlen(target) > 64);
    write_whole(target, "old\n", 4);
    int fd = open(target, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    snprintf(link_path, sizeof link_path, "/proc/self/fd/%d", fd);
    fimbit_error error = {0};
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, link_path, &error),
                     FIMBIT_OK);
    close(fd);
    check_file(target, "{bread} (4)\n{diapers} (4)\n{milk} (4)\n");
    assert_int_equal(temp_dir_entries(), 1);
    unlink(target);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

/* A symbolic link whose file does not exist yet: the file is created where
 * the link leads and the link kept, as open() would; a link into a missing
 * directory is an error that leaves the link as it was. */
static void test_output_dangling_symlink(void **state)
{
    (void)state;
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(4, &d);
    fimbit_itemsets_sort(store);
    char target[512], link_path[512], nowhere[512];
    temp_path(target, sizeof target, "later.txt");
    temp_path(link_path, sizeof link_path, "link.txt");
    temp_path(nowhere, sizeof nowhere, "nowhere.txt");
    assert_int_equal(symlink("later.txt", link_path), 0);
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, link_path, NULL), FIMBIT_OK);
    struct stat info;
    assert_int_equal(lstat(link_path, &info), 0);
    assert_true(S_ISLNK(info.st_mode));
    check_file(target, "{bread} (4)\n{diapers} (4)\n{milk} (4)\n");
    assert_int_equal(temp_dir_entries(), 2);

    assert_int_equal(symlink("missing/file.txt", nowhere), 0);
    fimbit_error error;
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, nowhere, &error), FIMBIT_EIO);
    assert_non_null(strstr(error.message, "No such file or directory"));
    assert_int_equal(lstat(nowhere, &info), 0);
    assert_true(S_ISLNK(info.st_mode));
    assert_int_equal(temp_dir_entries(), 3);
    unlink(nowhere);
    unlink(link_path);
    unlink(target);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

static void test_output_stdout(void **state)
{
    (void)state;
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(3, &d);
    fimbit_itemsets_sort(store);
    char path[512];
    temp_path(path, sizeof path, "stdout.txt");

    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    fimbit_status first = fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, NULL, NULL);
    fimbit_status second = fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, "-", NULL);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    assert_int_equal(first, FIMBIT_OK);
    assert_int_equal(second, FIMBIT_OK);
    const char *once = "{beer} (3)\n{bread} (4)\n{diapers} (4)\n{milk} (4)\n"
                       "{beer, diapers} (3)\n{bread, diapers} (3)\n{bread, milk} (3)\n"
                       "{diapers, milk} (3)\n";
    char twice[512];
    snprintf(twice, sizeof twice, "%s%s", once, once);
    check_file(path, twice);
    unlink(path);

    /* A reader that went away: EPIPE, reported as such (SIGPIPE ignored, as
     * the command line does). */
    void (*saved_handler)(int) = signal(SIGPIPE, SIG_IGN);
    int pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    close(pipe_fds[0]);
    fflush(stdout);
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[1]);
    fimbit_error error = {0};
    fimbit_status status = fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, "-", &error);
    __fpurge(stdout);
    clearerr(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    signal(SIGPIPE, saved_handler);
    assert_int_equal(status, FIMBIT_EIO);
    assert_string_equal(error.message, "standard output: Broken pipe");
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

/* Enough records for the parallel formatter on four threads, in chunks of its
 * own sizes (the first of 2048 records, then about 256 KiB of text): the
 * file must equal a plain, one-thread formatting of the same records, for
 * every format. */
static void test_output_parallel_matches_serial(void **state)
{
    (void)state;
    enum { ITEMS = 260 };
    char (*text)[16] = calloc(ITEMS, sizeof *text);
    const char **names = calloc(ITEMS, sizeof *names);
    for (uint32_t i = 0; i < ITEMS; i++) {
        snprintf(text[i], sizeof text[i], i % 3 ? "item%u" : "it,em \"%u\"", i);
        names[i] = text[i];
    }
    fimbit_dataset *d = hand_dataset_make(names, ITEMS, NULL, 0);
    d->basket_count = 1000003;
    uint32_t *identity = calloc(ITEMS, sizeof *identity);
    for (uint32_t i = 0; i < ITEMS; i++)
        identity[i] = i;
    fimbit_itemsets *store = store_create(d, identity, 4);
    uint32_t record[5];
    for (uint32_t a = 0; a < ITEMS; a++) {
        for (uint32_t b = a + 1; b < ITEMS; b++) {
            uint64_t count = (uint64_t)a * b + 1;
            record[0] = 2;
            record[1] = (uint32_t)count;
            record[2] = 0;
            record[3] = a;
            record[4] = b;
            assert_int_equal(store_flush(store, 0, record, 5), 0);
        }
    }
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    assert_true(fimbit_itemsets_count(store) > 4 * 8192);
    char path[512];
    temp_path(path, sizeof path, "parallel.out");
    for (int format = FIMBIT_FORMAT_TEXT; format <= FIMBIT_FORMAT_JSONL; format++) {
        assert_int_equal(fimbit_itemsets_write(store, (fimbit_format)format, path, NULL),
                         FIMBIT_OK);
        output_names encoded;
        assert_int_equal(output_names_build(&encoded, d, (fimbit_format)format, NULL),
                         FIMBIT_OK);
        output_buffer expected = {0};
        const char *header = output_itemset_header((fimbit_format)format);
        for (size_t i = 0; i < fimbit_itemsets_count(store); i++) {
            const uint32_t *items;
            uint32_t size;
            uint64_t count;
            fimbit_itemsets_get(store, i, &items, &size, &count);
            assert_true(output_format_itemset(&expected, &encoded, items, size, count,
                                              d->basket_count));
        }
        size_t size = 0;
        char *data = read_whole(path, &size);
        assert_int_equal(size, strlen(header) + expected.length);
        assert_memory_equal(data, header, strlen(header));
        assert_memory_equal(data + strlen(header), expected.data, expected.length);
        free(data);
        output_buffer_free(&expected);
        output_names_free(&encoded);
    }

    /* Failures in the parallel writer: a file size limit (EIO) and memory
     * running out in the formatting threads (ENOMEM) keep the old file. */
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 500000;
    void (*saved_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    fimbit_error error = {0};
    fimbit_status status = fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, path, &error);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, saved_handler);
    assert_int_equal(status, FIMBIT_EIO);
    assert_non_null(strstr(error.message, "File too large"));
    assert_int_equal(temp_dir_entries(), 1);
    size_t kept_size = 0;
    char *kept = read_whole(path, &kept_size);
    for (uint64_t n = 1; n < 40; n += 3) {
        fimbit__alloc_fail_after(n);
        status = fimbit_itemsets_write(store, FIMBIT_FORMAT_CSV, path, &error);
        fimbit__alloc_fail_after(0);
        assert_true(status == FIMBIT_ENOMEM || status == FIMBIT_OK);
        if (status == FIMBIT_OK)
            break;
        size_t size = 0;
        char *data = read_whole(path, &size);
        assert_int_equal(size, kept_size);
        assert_memory_equal(data, kept, size);
        free(data);
        assert_int_equal(temp_dir_entries(), 1);
    }
    free(kept);
    unlink(path);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
    free(identity);
    free(names);
    free(text);
}

/* ---- the parallel writer's chunks ------------------------------------------- */

/* A stored result for the chunks' tests: itemsets or rules (the other NULL). */
typedef struct stored_result {
    fimbit_itemsets *itemsets;
    fimbit_rules *rules;
} stored_result;

/* Writes `result` with `threads` threads, `chunk_records` records in every
 * chunk of the parallel writer (0: the writer's own sizes). */
static fimbit_status write_in_chunks(const stored_result *result, fimbit_format format, int threads,
                                     size_t chunk_records, const char *path, fimbit_error *error)
{
    output__force_chunk_records(chunk_records);
    fimbit_status status;
    if (result->itemsets) {
        /* The store's per-thread chunks are freed by this count: put back. */
        int own = result->itemsets->threads;
        result->itemsets->threads = threads;
        status = fimbit_itemsets_write(result->itemsets, format, path, error);
        result->itemsets->threads = own;
    } else {
        result->rules->threads = threads;
        status = fimbit_rules_write(result->rules, format, path, error);
    }
    output__force_chunk_records(0);
    return status;
}

enum { CHUNK_ITEMS = 24 };

/* Every pair and triple of CHUNK_ITEMS items, lines of many lengths. */
static fimbit_itemsets *chunk_itemsets(fimbit_dataset *d, const uint32_t *identity)
{
    fimbit_itemsets *store = store_create(d, identity, 1);
    uint32_t record[6];
    for (uint32_t a = 0; a < CHUNK_ITEMS; a++)
        for (uint32_t b = a + 1; b < CHUNK_ITEMS; b++)
            for (uint32_t c = b; c < CHUNK_ITEMS; c++) {
                uint32_t size = c == b ? 2 : 3;
                uint64_t count = (uint64_t)a * b + c + 1;
                record[0] = size;
                record[1] = (uint32_t)count;
                record[2] = 0;
                record[3] = a;
                record[4] = b;
                record[5] = c;
                assert_int_equal(store_flush(store, 0, record, 3 + size), 0);
            }
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    return store;
}

/* Rules over the pairs and triples of CHUNK_ITEMS items, every measure, the
 * count triples repeating (the formatter's caches hit) and some measures
 * missing (NaN). The caller frees rules->entries and items. */
static fimbit_rules *chunk_rules(const fimbit_dataset *d, uint32_t **items)
{
    size_t capacity = (size_t)CHUNK_ITEMS * CHUNK_ITEMS * CHUNK_ITEMS;
    fimbit_rules *rules = calloc(1, sizeof *rules);
    rules->entries = calloc(capacity, sizeof *rules->entries);
    *items = calloc(3 * capacity, sizeof **items);
    rules->dataset = d;
    rules->measures = FIMBIT_MEASURES_ALL;
    for (uint32_t a = 0; a < CHUNK_ITEMS; a++)
        for (uint32_t b = a + 1; b < CHUNK_ITEMS; b++)
            for (uint32_t c = b; c < CHUNK_ITEMS; c++) {
                size_t i = rules->count++;
                uint32_t *own = *items + 3 * i;
                own[0] = a, own[1] = b, own[2] = c;
                uint64_t j = i * 7919 % 500;
                uint64_t cz = 1 + j % 90;
                rules->entries[i] = (rule_entry){.items = own,
                                                 .antecedent_size = c == b ? 1 : 2,
                                                 .consequent_size = 1,
                                                 .count = cz,
                                                 .antecedent_count = cz + j % 7,
                                                 .consequent_count = cz + j % 5,
                                                 .improvement = i % 11 ? 0.25 : NAN,
                                                 .p_value = i % 13 ? 1.0 / (double)(1 + j) : NAN};
            }
    return rules;
}

/* The chunks' tests' data: CHUNK_ITEMS named items, and their itemsets and
 * rules (chunk_itemsets, chunk_rules) as results[0] and results[1]. */
typedef struct chunk_fixture {
    char text[CHUNK_ITEMS][16];
    fimbit_dataset *dataset;
    uint32_t *rule_items;
    stored_result results[2];
} chunk_fixture;

/* Names the items "itemN", or with `awkward_names` some of them with a
 * comma, a space and quotes (CSV and JSON must escape them). */
static void chunk_fixture_make(chunk_fixture *f, bool awkward_names)
{
    const char *names[CHUNK_ITEMS];
    uint32_t identity[CHUNK_ITEMS];
    for (uint32_t i = 0; i < CHUNK_ITEMS; i++) {
        if (awkward_names)
            snprintf(f->text[i], sizeof f->text[i], i % 4 ? "item%u" : "it,em \"%u\"", i * i * i);
        else
            snprintf(f->text[i], sizeof f->text[i], "item%u", i);
        names[i] = f->text[i];
        identity[i] = i;
    }
    f->dataset = hand_dataset_make(names, CHUNK_ITEMS, NULL, 0);
    f->dataset->basket_count = 100003;
    f->results[0] = (stored_result){.itemsets = chunk_itemsets(f->dataset, identity)};
    f->results[1] = (stored_result){.rules = chunk_rules(f->dataset, &f->rule_items)};
}

static void chunk_fixture_free(chunk_fixture *f)
{
    fimbit_itemsets_free(f->results[0].itemsets);
    free(f->results[1].rules->entries);
    free(f->results[1].rules);
    free(f->rule_items);
    hand_dataset_free(f->dataset);
}

/* The parallel writer in many chunks of few records, on 2, 3 and 5 threads,
 * into a file and to standard output: the bytes of the one-thread writer, for
 * itemsets and rules in every format. */
static void test_output_chunks_match_serial(void **state)
{
    (void)state;
    chunk_fixture fixture;
    chunk_fixture_make(&fixture, true);
    stored_result *results = fixture.results;
    const int threads[] = {2, 3, 5};
    const size_t chunk_records[] = {1, 9, 100};
    char path[512];
    temp_path(path, sizeof path, "chunks.out");
    for (size_t r = 0; r < 2; r++)
        for (int format = FIMBIT_FORMAT_TEXT; format <= FIMBIT_FORMAT_JSONL; format++) {
            assert_int_equal(write_in_chunks(&results[r], (fimbit_format)format, 1, 0, path, NULL),
                             FIMBIT_OK);
            size_t size = 0;
            char *expected = read_whole(path, &size);
            assert_true(size > 30000);
            for (size_t t = 0; t < sizeof threads / sizeof *threads; t++)
                for (size_t n = 0; n < sizeof chunk_records / sizeof *chunk_records; n++) {
                    assert_int_equal(write_in_chunks(&results[r], (fimbit_format)format, threads[t],
                                                     chunk_records[n], path, NULL),
                                     FIMBIT_OK);
                    size_t got_size = 0;
                    char *got = read_whole(path, &got_size);
                    assert_int_equal(got_size, size);
                    assert_memory_equal(got, expected, size);
                    free(got);
                }

            /* Standard output has no positions: the same bytes, in order. */
            fflush(stdout);
            int saved = dup(STDOUT_FILENO);
            int fd = open(path, O_WRONLY | O_TRUNC);
            assert_true(saved >= 0 && fd >= 0);
            dup2(fd, STDOUT_FILENO);
            close(fd);
            fimbit_status status =
                write_in_chunks(&results[r], (fimbit_format)format, 3, 7, "-", NULL);
            fflush(stdout);
            dup2(saved, STDOUT_FILENO);
            close(saved);
            assert_int_equal(status, FIMBIT_OK);
            size_t got_size = 0;
            char *got = read_whole(path, &got_size);
            assert_int_equal(got_size, size);
            assert_memory_equal(got, expected, size);
            free(got);
            free(expected);
        }
    unlink(path);
    chunk_fixture_free(&fixture);
}

/* Stops the WRITE stage at its third update. */
static int stop_at_third_write_update(void *user, const fimbit_progress *progress)
{
    int *updates = user;
    return progress->stage == FIMBIT_STAGE_WRITE && progress->event == FIMBIT_PROGRESS_UPDATE &&
           ++*updates == 3;
}

/* The parallel writer failing half-way, in the middle of its chunks: the
 * file growing past its size limit (standing in for a full disk), memory
 * running out at every allocation in turn, a stop from the progress callback.
 * Each reports its error and keeps the existing file as it was, with no
 * temporary file left. */
static void test_output_chunks_failures(void **state)
{
    (void)state;
    chunk_fixture fixture;
    chunk_fixture_make(&fixture, false);
    stored_result *results = fixture.results;
    char path[512];
    temp_path(path, sizeof path, "kept.out");
    for (size_t r = 0; r < 2; r++) {
        write_whole(path, "precious\n", 9);
        struct rlimit saved, small;
        assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
        small = saved;
        small.rlim_cur = 50000;
        void (*saved_handler)(int) = signal(SIGXFSZ, SIG_IGN);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
        fimbit_error error = {0};
        fimbit_status status = write_in_chunks(&results[r], FIMBIT_FORMAT_CSV, 3, 20, path, &error);
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
        signal(SIGXFSZ, saved_handler);
        assert_int_equal(status, FIMBIT_EIO);
        assert_non_null(strstr(error.message, "File too large"));
        check_file(path, "precious\n");
        assert_int_equal(temp_dir_entries(), 1);

        bool succeeded = false;
        int in_chunks = 0; /* failures of the formatting threads */
        for (uint64_t n = 1; n < 200 && !succeeded; n++) {
            fimbit__alloc_fail_after(n);
            status = write_in_chunks(&results[r], FIMBIT_FORMAT_JSONL, 3, 20, path, &error);
            fimbit__alloc_fail_after(0);
            if (status == FIMBIT_OK) {
                succeeded = true;
            } else {
                assert_int_equal(status, FIMBIT_ENOMEM);
                check_file(path, "precious\n");
                in_chunks += strcmp(error.message, "out of memory while formatting output") == 0;
            }
            assert_int_equal(temp_dir_entries(), 1);
        }
        assert_true(succeeded);
        assert_true(in_chunks > 0);

        write_whole(path, "precious\n", 9);
        int updates = 0;
        progress_interval_ns = 0; /* every update reaches the callback */
        fimbit_set_progress(stop_at_third_write_update, &updates);
        status = write_in_chunks(&results[r], FIMBIT_FORMAT_TEXT, 2, 20, path, &error);
        fimbit_set_progress(NULL, NULL);
        progress_interval_ns = 100000000;
        assert_int_equal(status, FIMBIT_ECANCELED);
        assert_string_equal(error.message, "write stopped by the progress callback");
        assert_int_equal(updates, 3);
        check_file(path, "precious\n");
        assert_int_equal(temp_dir_entries(), 1);
    }
    unlink(path);
    chunk_fixture_free(&fixture);
}

/* The parallel writer under a memory limit that its formatting threads
 * reach: the status returned is ELIMIT, the code its error holds, as the
 * one-thread writer says (the threads' failure once came back as ENOMEM with
 * an ELIMIT error). */
static void test_output_chunks_memory_limit(void **state)
{
    (void)state;
    chunk_fixture fixture;
    chunk_fixture_make(&fixture, false);
    stored_result *results = fixture.results;
    char path[512];
    temp_path(path, sizeof path, "limited.out");
    for (size_t r = 0; r < 2; r++) {
        unlink(path); /* the file the last result wrote */
        bool succeeded = false;
        int in_chunks = 0; /* refusals met by the formatting threads */
        for (uint64_t extra = 0; extra < ((uint64_t)16 << 20) && !succeeded; extra += 512) {
            fimbit_memory_usage usage;
            fimbit_get_memory_usage(&usage);
            fimbit_set_memory_limit(usage.in_use + extra);
            fimbit_error error = {0};
            fimbit_status status =
                write_in_chunks(&results[r], FIMBIT_FORMAT_JSONL, 3, 20, path, &error);
            fimbit_set_memory_limit(0);
            if (status == FIMBIT_OK) {
                succeeded = true;
                continue;
            }
            assert_int_equal(status, FIMBIT_ELIMIT);
            assert_int_equal(error.code, FIMBIT_ELIMIT);
            in_chunks += strstr(error.message, "out of memory while formatting output") != NULL;
            assert_int_equal(temp_dir_entries(), 0);
        }
        assert_true(succeeded);
        assert_true(in_chunks > 0);
    }
    unlink(path);
    chunk_fixture_free(&fixture);
}

/* Standard output a pipe whose reader pauses half a second: the writing
 * thread blocks in write(2) and the three others, the ring full, wait for it
 * without keeping cores busy. Their sleeps grow to over a millisecond (some
 * 870 in all in the pause, measured); sleeps of 50 us came 20,000 times a
 * second, a fifth of a core a thread. */
static void test_output_chunks_blocked_writer(void **state)
{
    (void)state;
    chunk_fixture fixture;
    chunk_fixture_make(&fixture, false);
    int ends[2];
    assert_int_equal(pipe(ends), 0);
    pid_t reader = fork();
    assert_true(reader >= 0);
    if (reader == 0) {
        close(ends[1]);
        usleep(500000);
        char sink[65536];
        while (read(ends[0], sink, sizeof sink) > 0) {
        }
        _exit(0);
    }
    close(ends[0]);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    dup2(ends[1], STDOUT_FILENO);
    close(ends[1]);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t sleeps = output__writer_wait_sleeps();
    fimbit_status status =
        write_in_chunks(&fixture.results[1], FIMBIT_FORMAT_JSONL, 4, 20, "-", NULL);
    sleeps = output__writer_wait_sleeps() - sleeps;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds =
        (double)(end.tv_sec - start.tv_sec) + 1e-9 * (double)(end.tv_nsec - start.tv_nsec);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    int reader_status;
    assert_int_equal(waitpid(reader, &reader_status, 0), reader);
    assert_int_equal(status, FIMBIT_OK);
    assert_true(sleeps > 0); /* the pause was seen */
    /* Three waiters at most 625 sleeps a second each once the sleeps are
     * long (a loaded machine makes the pause longer, never the sleeps
     * shorter), and some short ones as they grow. */
    if ((double)sleeps > 2500 * seconds + 200)
        fail_msg("%llu sleeps in %.2f s", (unsigned long long)sleeps, seconds);
    chunk_fixture_free(&fixture);
}

/* Streaming: records go from the sinks' flush straight to the file. */
static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits text into lines (in place) and sorts them. @return the count. */
static size_t sorted_lines(char *text, size_t size, char **lines, size_t capacity)
{
    size_t n = 0;
    char *start = text;
    for (size_t i = 0; i < size; i++) {
        if (text[i] == '\n') {
            text[i] = '\0';
            assert_true(n < capacity);
            lines[n++] = start;
            start = text + i + 1;
        }
    }
    qsort(lines, n, sizeof *lines, compare_lines);
    return n;
}

/* Emits itemsets[0 .. count) (pairs of ranks) through a started stream, the
 * "threads" taking turns by pieces. @return the first non-zero emit result. */
static int emit_pairs(const sink_direct *direct, const uint32_t *pairs, size_t count,
                      int threads)
{
    enum { PIECE = 1000 };
    for (size_t i = 0; i < count; i++) {
        int thread = (int)(i / PIECE % (size_t)threads);
        const uint32_t *pair = pairs + 3 * i;
        int stop = direct->emit(direct->thread_contexts[thread], pair, 2, 0, pair[2]);
        if (stop)
            return stop;
    }
    return 0;
}

static void test_output_stream(void **state)
{
    (void)state;
    enum { ITEMS = 500, THREADS = 3 };
    char (*text)[16] = calloc(ITEMS, sizeof *text);
    const char **names = calloc(ITEMS, sizeof *names);
    for (uint32_t i = 0; i < ITEMS; i++) {
        snprintf(text[i], sizeof text[i], "n%u", i);
        names[i] = text[i];
    }
    fimbit_dataset *d = hand_dataset_make(names, ITEMS, NULL, 0);
    d->basket_count = 1000;
    uint32_t *rank_to_item = calloc(ITEMS, sizeof *rank_to_item);
    for (uint32_t r = 0; r < ITEMS; r++)
        rank_to_item[r] = ITEMS - 1 - r;
    /* Every pair of ranks, as the stream gets it ([a][b][count]: the items in
     * natural order, as the store spells them) and as records: about 2.5 MB
     * of text. */
    size_t pairs = (size_t)ITEMS * (ITEMS - 1) / 2;
    uint32_t *emitted = calloc(pairs * 3, sizeof *emitted);
    uint32_t *records = calloc(pairs * 5, sizeof *records);
    size_t words = 0, n_emitted = 0;
    for (uint32_t a = 0; a < ITEMS; a++)
        for (uint32_t b = a + 1; b < ITEMS; b++) {
            uint32_t *record = records + words;
            record[0] = 2;
            record[1] = a + b;
            record[2] = 0;
            record[3] = a;
            record[4] = b;
            words += 5;
            bool natural = strcmp(names[rank_to_item[a]], names[rank_to_item[b]]) < 0;
            uint32_t *pair = emitted + 3 * n_emitted++;
            pair[0] = natural ? a : b;
            pair[1] = natural ? b : a;
            pair[2] = a + b;
        }
    char path[512];
    temp_path(path, sizeof path, "stream.csv");

    /* Each "thread" emits a third of the itemsets, in pieces. */
    output_stream *stream = NULL;
    sink_direct direct;
    uint64_t written = 0;
    assert_int_equal(output_stream_open(d, FIMBIT_FORMAT_CSV, path, &stream, NULL), FIMBIT_OK);
    assert_int_equal(output_stream_start(stream, rank_to_item, ITEMS, THREADS, &direct, NULL),
                     FIMBIT_OK);
    assert_int_equal(emit_pairs(&direct, emitted, pairs, THREADS), 0);
    assert_int_equal(output_stream_close(stream, true, &written, NULL), FIMBIT_OK);
    assert_int_equal(written, pairs);
    assert_int_equal(temp_dir_entries(), 1);

    /* The same lines as the store-based writer gives, in some order. */
    fimbit_itemsets *store = store_create(d, rank_to_item, 1);
    assert_int_equal(store_flush(store, 0, records, words), 0);
    assert_int_equal(store_finish(store, NULL), FIMBIT_OK);
    char expected_path[512];
    temp_path(expected_path, sizeof expected_path, "expected.csv");
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_CSV, expected_path, NULL),
                     FIMBIT_OK);
    size_t size = 0, expected_size = 0;
    char *got = read_whole(path, &size);
    char *expected = read_whole(expected_path, &expected_size);
    assert_true(size > (2u << 20));
    assert_int_equal(size, expected_size);
    assert_memory_equal(got, "items,size,count,support\n", 25);
    char **got_lines = calloc(pairs + 2, sizeof *got_lines);
    char **expected_lines = calloc(pairs + 2, sizeof *expected_lines);
    size_t n = sorted_lines(got, size, got_lines, pairs + 2);
    assert_int_equal(sorted_lines(expected, expected_size, expected_lines, pairs + 2), n);
    assert_int_equal(n, pairs + 1);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(got_lines[i], expected_lines[i]);
    free(got_lines);
    free(expected_lines);
    free(got);
    free(expected);
    unlink(expected_path);
    fimbit_itemsets_free(store);

    /* Mining failed: the temporary file goes, the old file stays. */
    assert_int_equal(output_stream_open(d, FIMBIT_FORMAT_TEXT, path, &stream, NULL), FIMBIT_OK);
    assert_int_equal(output_stream_start(stream, rank_to_item, ITEMS, THREADS, &direct, NULL),
                     FIMBIT_OK);
    assert_int_equal(emit_pairs(&direct, emitted, pairs, 1), 0);
    assert_int_equal(output_stream_close(stream, false, &written, NULL), FIMBIT_ECANCELED);
    assert_int_equal(written, 0);
    assert_int_equal(temp_dir_entries(), 1);
    got = read_whole(path, &size);
    assert_memory_equal(got, "items,size,count,support\n", 25);
    free(got);

    /* A full device: an emit says stop, the close says why. */
    struct stat info;
    if (stat("/dev/full", &info) == 0 && S_ISCHR(info.st_mode)) {
        fimbit_error error = {0};
        assert_int_equal(output_stream_open(d, FIMBIT_FORMAT_JSONL, "/dev/full", &stream, &error),
                         FIMBIT_OK);
        assert_int_equal(output_stream_start(stream, rank_to_item, ITEMS, THREADS, &direct,
                                             &error),
                         FIMBIT_OK);
        assert_int_equal(emit_pairs(&direct, emitted, pairs, THREADS), 1);
        assert_int_equal(output_stream_close(stream, true, &written, &error), FIMBIT_EIO);
        assert_string_equal(error.message, "/dev/full: No space left on device");
    }

    /* Memory running out anywhere: FIMBIT_ENOMEM, the old file kept. */
    bool succeeded = false;
    for (uint64_t fail = 1; fail < 40 && !succeeded; fail++) {
        fimbit_error error = {0};
        fimbit__alloc_fail_after(fail);
        fimbit_status status = output_stream_open(d, FIMBIT_FORMAT_TEXT, path, &stream, &error);
        if (status == FIMBIT_OK) {
            status = output_stream_start(stream, rank_to_item, ITEMS, THREADS, &direct, &error);
            bool started = status == FIMBIT_OK;
            if (started)
                emit_pairs(&direct, emitted, pairs, THREADS);
            fimbit_status closed = output_stream_close(stream, started, &written, &error);
            if (started)
                status = closed;
        }
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK) {
            succeeded = true;
        } else {
            assert_int_equal(status, FIMBIT_ENOMEM);
            assert_int_equal(error.code, FIMBIT_ENOMEM);
            got = read_whole(path, &size);
            assert_memory_equal(got, "items,size,count,support\n", 25);
            free(got);
        }
        assert_int_equal(temp_dir_entries(), 1);
    }
    assert_true(succeeded);
    got = read_whole(path, &size);
    assert_memory_equal(got, "{n", 2);
    free(got);
    unlink(path);
    free(records);
    free(emitted);
    free(rank_to_item);
    hand_dataset_free(d);
    free(names);
    free(text);
}

/* The steps a write completes: those whose last byte it writes. */
static void test_output_writeback_steps(void **state)
{
    (void)state;
    const uint64_t step = OUTPUT_WRITEBACK_STEP;
    uint64_t first;
    assert_int_equal(output_steps_reached(0, step - 1, &first), 0);
    assert_int_equal(output_steps_reached(0, step, &first), 1);
    assert_int_equal(first, 0);
    assert_int_equal(output_steps_reached(step - 1, 1, &first), 1);
    assert_int_equal(first, 0);
    assert_int_equal(output_steps_reached(step, step - 1, &first), 0);
    assert_int_equal(output_steps_reached(step - 1, 2 * step + 1, &first), 3);
    assert_int_equal(first, 0);
    assert_int_equal(output_steps_reached(5 * step + 7, step, &first), 1);
    assert_int_equal(first, 5);
    assert_int_equal(output_steps_reached(3 * step, 0, &first), 0);
}

/* A file of several writeback steps, written in pieces that straddle them,
 * reads back as written. */
static void test_output_large_file(void **state)
{
    (void)state;
    size_t size = 2 * OUTPUT_WRITEBACK_STEP + 12345, piece = 1000003;
    unsigned char *data = malloc(size);
    assert_non_null(data);
    for (size_t i = 0; i < size; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 24);
    char path[512];
    temp_path(path, sizeof path, "large.bin");
    output_target target;
    fimbit_error error = {0};
    assert_int_equal(output_open(&target, path, &error), FIMBIT_OK);
    for (size_t done = 0; done < size; done += piece)
        assert_int_equal(
            output_write(&target, data + done, size - done < piece ? size - done : piece, &error),
            FIMBIT_OK);
    assert_int_equal(output_commit(&target, &error), FIMBIT_OK);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    unsigned char *back = malloc(size + 1);
    assert_non_null(back);
    assert_int_equal(fread(back, 1, size + 1, in), size);
    fclose(in);
    assert_memory_equal(back, data, size);
    unlink(path);
    free(back);
    free(data);
}

static void test_output_bad_arguments(void **state)
{
    (void)state;
    fimbit_error error = {0};
    assert_int_equal(fimbit_itemsets_write(NULL, FIMBIT_FORMAT_TEXT, "-", &error), FIMBIT_EINVAL);
    assert_int_equal(fimbit_rules_write(NULL, FIMBIT_FORMAT_TEXT, "-", &error), FIMBIT_EINVAL);
    fimbit_dataset *d;
    fimbit_itemsets *store = grocery_store(2, &d);
    char path[512];
    temp_path(path, sizeof path, "never.txt");
    assert_int_equal(fimbit_itemsets_write(store, (fimbit_format)42, path, &error),
                     FIMBIT_EINVAL);
    assert_int_equal(fimbit_itemsets_write(store, FIMBIT_FORMAT_TEXT, "", &error),
                     FIMBIT_EINVAL);
    assert_int_equal(temp_dir_entries(), 0);
    fimbit_itemsets_free(store);
    hand_dataset_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_golden_itemsets),
        cmocka_unit_test(test_output_golden_rules),
        cmocka_unit_test(test_output_awkward_names),
        cmocka_unit_test(test_output_awkward_rules),
        cmocka_unit_test(test_output_json_utf8),
        cmocka_unit_test(test_output_rule_numbers),
        cmocka_unit_test(test_output_rule_repeated_numbers),
        cmocka_unit_test(test_output_rule_entries),
        cmocka_unit_test(test_output_name_lengths),
        cmocka_unit_test(test_output_g6_matches_printf),
        cmocka_unit_test(test_output_missing_directory),
        cmocka_unit_test(test_output_dev_full),
        cmocka_unit_test(test_output_failure_keeps_existing_file),
        cmocka_unit_test(test_output_file_modes),
        cmocka_unit_test(test_output_symlink),
        cmocka_unit_test(test_output_dangling_symlink),
        cmocka_unit_test(test_output_proc_symlink),
        cmocka_unit_test(test_output_stdout),
        cmocka_unit_test(test_output_parallel_matches_serial),
        cmocka_unit_test(test_output_chunks_match_serial),
        cmocka_unit_test(test_output_chunks_failures),
        cmocka_unit_test(test_output_chunks_memory_limit),
        cmocka_unit_test(test_output_chunks_blocked_writer),
        cmocka_unit_test(test_output_stream),
        cmocka_unit_test(test_output_writeback_steps),
        cmocka_unit_test(test_output_large_file),
        cmocka_unit_test(test_output_bad_arguments),
    };
    return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
