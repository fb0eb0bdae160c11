/*
 * The streamed writer: the prefix-reusing formatter (itemset_text.h) writes
 * exactly what the plain formatter writes, in every format and for awkward
 * names; direct sinks enumerate perfect extensions completely, within the size
 * bounds and parent before child; subset walks (subset_walk.h) yield the
 * reference order and their formatter writes what the plain one does; fimbit_mine_itemsets_write agrees with the
 * brute-force oracle and with the stored result on random datasets, for every
 * target, algorithm and size bound, and 1 and 2 threads write the same lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "read/dataset.h"
#include "hand_dataset.h"
#include "write/itemset_text.h"
#include "oracle.h"
#include "write/output.h"
#include "store/sink.h"
#include "test_data.h"
#include "text_form.h"

/* Names with every separator and escape the formats know about. */
static const char *const awkward_names[] = {
    "a", "b c", "d,e", "q\"uote", "back\\slash", "\xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "de",
    "\x01" "ctl", "", "tab\there", "a-rather-long-item-name-of-forty-bytes-x", "new\nline",
    "\xff" "bad-utf8", "7", "42",
};
#define AWKWARD_COUNT (sizeof awkward_names / sizeof *awkward_names)

static const fimbit_format all_formats[] = {FIMBIT_FORMAT_TEXT, FIMBIT_FORMAT_CSV,
                                            FIMBIT_FORMAT_JSONL};

/* The fast formatter wrote what the plain one did; frees both sides. */
static void expect_same_then_free(output_buffer *fast, output_buffer *plain, itemset_line *line,
                                  itemset_text *text, output_names *names)
{
    assert_int_equal(fast->length, plain->length);
    assert_memory_equal(fast->data, plain->data, plain->length);
    output_buffer_free(fast);
    output_buffer_free(plain);
    itemset_line_free(line);
    itemset_text_free(text);
    output_names_free(names);
}

/* A random walk over itemsets as a kernel reports them: mostly a child (one
 * item more) or a sibling (back up some levels, then one item), now and then
 * an unrelated itemset; counts repeat as perfect extensions make them. */
static void formatter_matches_plain(fimbit_format format, uint64_t seed)
{
    enum { STEPS = 20000 };
    uint32_t n = (uint32_t)AWKWARD_COUNT;
    fimbit_dataset *d = hand_dataset_make(awkward_names, n, NULL, 0);
    d->basket_count = 977;
    uint32_t rank_to_item[AWKWARD_COUNT];
    for (uint32_t r = 0; r < n; r++)
        rank_to_item[r] = (r * 5 + 3) % n; /* 5 and 14 are coprime */
    output_names names;
    assert_int_equal(output_names_build(&names, d, format, NULL), FIMBIT_OK);
    itemset_text text;
    assert_int_equal(itemset_text_build(&text, &names, rank_to_item, n, d->basket_count, NULL),
                     FIMBIT_OK);
    itemset_line line;
    assert_int_equal(itemset_line_init(&line, &text, NULL), FIMBIT_OK);

    output_buffer fast = {0}, plain = {0};
    oracle_rng rng;
    oracle_rng_seed(&rng, seed);
    uint32_t ranks[AWKWARD_COUNT], ids[AWKWARD_COUNT], size = 0;
    uint64_t count = 1;
    for (int step = 0; step < STEPS; step++) {
        uint64_t move = oracle_rng_below(&rng, 10);
        if (move == 0 || size == n) {
            size = (uint32_t)oracle_rng_below(&rng, size); /* back up */
        } else if (move == 1) {
            size = 0; /* an unrelated itemset */
        }
        /* What a sink would pass as unchanged: the items kept, or nothing. */
        uint32_t kept = oracle_rng_below(&rng, 2) ? size : 0;
        /* Add one to three items not yet in the itemset. */
        uint32_t add = 1 + (uint32_t)oracle_rng_below(&rng, 3);
        for (uint32_t k = 0; k < add && size < n; k++) {
            uint32_t rank;
            bool taken;
            do {
                rank = (uint32_t)oracle_rng_below(&rng, n);
                taken = false;
                for (uint32_t i = 0; i < size; i++)
                    taken = taken || ranks[i] == rank;
            } while (taken);
            ranks[size++] = rank;
        }
        if (oracle_rng_below(&rng, 3) == 0)
            count = 1 + oracle_rng_below(&rng, 1000);
        for (uint32_t i = 0; i < size; i++)
            ids[i] = rank_to_item[ranks[i]];
        assert_true(itemset_line_format(&line, &fast, ranks, size, kept, count));
        assert_true(output_format_itemset(&plain, &names, ids, size, count, d->basket_count));
    }
    expect_same_then_free(&fast, &plain, &line, &text, &names);
    hand_dataset_free(d);
}

static void test_formatter_matches_plain_formatter(void **state)
{
    (void)state;
    for (size_t f = 0; f < 3; f++)
        for (uint64_t seed = 1; seed <= 4; seed++)
            formatter_matches_plain(all_formats[f], seed);
}

/* A few exact lines, so the reference itself is pinned. */
static void test_formatter_lines(void **state)
{
    (void)state;
    static const char *const names_in[] = {"milk", "beer, cold", "say \"hi\""};
    fimbit_dataset *d = hand_dataset_make(names_in, 3, NULL, 0);
    d->basket_count = 8;
    const uint32_t identity[] = {0, 1, 2};
    static const char *const expected[] = {
        "{milk} (2)\n{milk, \"beer, cold\"} (2)\n{\"beer, cold\", \"say \"\"hi\"\"\"} (1)\n",
        "milk,1,2,0.25\n\"milk beer, cold\",2,2,0.25\n\"beer, cold say \"\"hi\"\"\",2,1,0.125\n",
        "{\"items\":[\"milk\"],\"size\":1,\"count\":2,\"support\":0.25}\n"
        "{\"items\":[\"milk\",\"beer, cold\"],\"size\":2,\"count\":2,\"support\":0.25}\n"
        "{\"items\":[\"beer, cold\",\"say \\\"hi\\\"\"],\"size\":2,\"count\":1,\"support\":0.125}\n",
    };
    for (size_t f = 0; f < 3; f++) {
        output_names names;
        assert_int_equal(output_names_build(&names, d, all_formats[f], NULL), FIMBIT_OK);
        itemset_text text;
        assert_int_equal(itemset_text_build(&text, &names, identity, 3, 8, NULL), FIMBIT_OK);
        itemset_line line;
        assert_int_equal(itemset_line_init(&line, &text, NULL), FIMBIT_OK);
        output_buffer out = {0};
        const uint32_t first[] = {0}, second[] = {0, 1}, third[] = {1, 2};
        assert_true(itemset_line_format(&line, &out, first, 1, 0, 2));
        assert_true(itemset_line_format(&line, &out, second, 2, 1, 2));
        assert_true(itemset_line_format(&line, &out, third, 2, 0, 1));
        assert_int_equal(out.length, strlen(expected[f]));
        assert_memory_equal(out.data, expected[f], out.length);
        output_buffer_free(&out);
        itemset_line_free(&line);
        itemset_text_free(&text);
        output_names_free(&names);
    }
    hand_dataset_free(d);
}

/* ---- extensions through direct sinks ------------------------------------------ */

typedef struct collected {
    uint32_t masks[1024];
    uint32_t sizes[1024];
    size_t count;
    uint32_t previous[32];
    uint32_t previous_size;
    bool prefix_order; /* every itemset shares all but its last item with the one before */
} collected;

static int collect_direct(void *context, const uint32_t *items, uint32_t size,
                          uint32_t unchanged, uint64_t count)
{
    collected *c = context;
    assert_int_equal(count, 7);
    assert_true(c->count < 1024);
    /* What the sink says is unchanged must be. */
    assert_true(unchanged <= size && (c->count > 0 || unchanged == 0));
    if (c->count > 0)
        assert_memory_equal(items, c->previous, (size_t)unchanged * sizeof *items);
    uint32_t mask = 0;
    for (uint32_t i = 0; i < size; i++) {
        assert_false(mask & (1u << items[i]));
        mask |= 1u << items[i];
    }
    if (c->count > 0) {
        uint32_t common = 0;
        while (common < size && common < c->previous_size && items[common] == c->previous[common])
            common++;
        if (common + 1 < size)
            c->prefix_order = false;
    }
    memcpy(c->previous, items, size * sizeof *items);
    c->previous_size = size;
    c->masks[c->count] = mask;
    c->sizes[c->count++] = size;
    return 0;
}

static int collect_records(void *context, int thread, const uint32_t *records, size_t words)
{
    (void)thread;
    collected *c = context;
    for (const uint32_t *r = records; r < records + words; r = sink_record_next(r)) {
        uint32_t mask = 0;
        for (uint32_t i = 0; i < sink_record_size(r); i++) {
            if (i > 0)
                assert_true(sink_record_items(r)[i - 1] < sink_record_items(r)[i]);
            mask |= 1u << sink_record_items(r)[i];
        }
        c->masks[c->count] = mask;
        c->sizes[c->count++] = sink_record_size(r);
    }
    return 0;
}

static int compare_masks(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* prefix {9, 3} and extensions {5, 0, 7, 2, 11}, ranks in the kernel's order:
 * every subset of the extensions within the bounds, each once, in both
 * modes; direct mode keeps the kernel's order, parent before child. */
static void test_extensions_within_bounds(void **state)
{
    (void)state;
    const uint32_t prefix[] = {9, 3}, extensions[] = {5, 0, 7, 2, 11};
    const uint32_t prefix_mask = (1u << 9) | (1u << 3);
    for (uint32_t min_size = 0; min_size <= 8; min_size++) {
        for (uint32_t max_size = 0; max_size <= 8; max_size++) {
            if (max_size && min_size > max_size)
                continue;
            uint32_t expected[64];
            size_t n_expected = 0;
            for (uint32_t subset = 0; subset < 32; subset++) {
                uint32_t mask = prefix_mask, size = 2;
                for (uint32_t e = 0; e < 5; e++)
                    if (subset & (1u << e)) {
                        mask |= 1u << extensions[e];
                        size++;
                    }
                if (size >= (min_size ? min_size : 1) && (!max_size || size <= max_size))
                    expected[n_expected++] = mask;
            }
            qsort(expected, n_expected, sizeof *expected, compare_masks);

            for (int mode = 0; mode < 2; mode++) {
                collected *c = calloc(1, sizeof *c);
                c->prefix_order = true;
                void *contexts[1] = {c};
                sink_direct direct = {.emit = collect_direct, .thread_contexts = contexts};
                kernel_output *output =
                    mode == 0 ? kernel_output_create_direct(1, min_size ? min_size : 1, max_size,
                                                            &direct)
                              : kernel_output_create(1, min_size ? min_size : 1, max_size,
                                                     collect_records, c);
                assert_non_null(output);
                kernel_sink *sink = kernel_output_sink(output, 0);
                assert_int_equal(sink_emit_with_extensions(sink, prefix, 2, extensions, 5, 7), 0);
                assert_int_equal(kernel_output_finish(output), 0);
                kernel_output_free(output);
                assert_int_equal(c->count, n_expected);
                qsort(c->masks, c->count, sizeof *c->masks, compare_masks);
                for (size_t i = 0; i < n_expected; i++)
                    assert_int_equal(c->masks[i], expected[i]);
                if (mode == 0 && min_size <= 2)
                    assert_true(c->prefix_order);
                free(c);
            }
        }
    }
}

/* ---- subset walks --------------------------------------------------------------- */

/* The reference order of subset_walk.h: every subset of extensions[next ..]
 * added to chosen[0 .. size), depth first, parent before child, with the
 * bounds applied when listing (not when walking). */
typedef struct subset_list {
    uint32_t sets[256][8];
    uint32_t sizes[256];
    size_t count;
} subset_list;

static void list_subsets(subset_list *list, uint32_t *chosen, uint32_t size, uint32_t next,
                         uint32_t n, uint32_t min_size, uint32_t max_size)
{
    if (size >= min_size && size <= max_size) {
        memcpy(list->sets[list->count], chosen, size * sizeof *chosen);
        list->sizes[list->count++] = size;
    }
    for (uint32_t e = next; e < n; e++) {
        chosen[size] = e;
        list_subsets(list, chosen, size + 1, e + 1, n, min_size, max_size);
    }
}

/* The walk yields exactly the reference subsets, in order, for every n and
 * bounds, and what it calls unchanged is. */
static void test_subset_walk_order(void **state)
{
    (void)state;
    for (uint32_t n = 0; n <= 6; n++)
        for (uint32_t min_size = 0; min_size <= n + 1; min_size++)
            for (uint32_t max_size = 0; max_size <= n + 1; max_size++) {
                subset_list *expected = calloc(1, sizeof *expected);
                uint32_t scratch[8], chosen[8], previous[8] = {0};
                list_subsets(expected, scratch, 0, 0, n, min_size, max_size);
                subset_walk walk;
                subset_walk_start(&walk, n, min_size, max_size, chosen);
                size_t seen = 0;
                while (subset_walk_next(&walk)) {
                    assert_true(seen < expected->count);
                    assert_int_equal(walk.size, expected->sizes[seen]);
                    assert_memory_equal(walk.chosen, expected->sets[seen],
                                        walk.size * sizeof *chosen);
                    assert_true(walk.unchanged <= walk.size);
                    assert_memory_equal(walk.chosen, previous, walk.unchanged * sizeof *chosen);
                    memcpy(previous, walk.chosen, walk.size * sizeof *chosen);
                    seen++;
                }
                assert_int_equal(seen, expected->count);
                free(expected);
            }
}

/* Integer names (FIMI items): the text form lists them without braces. */
static const char *const integer_names[] = {
    "10", "1", "200", "3", "4000", "5", "60", "7", "8", "9", "1234567890123", "11", "0", "13",
};

/* itemset_line_format_subsets writes what the plain formatter writes for
 * each subset in the walk's order, in every format (text braced and not),
 * with and without size bounds (the unbounded walk of the text format has a
 * loop of its own), after a prefix or none, stopping at a byte limit and
 * going on; the line stays right for the itemsets that follow. */
static void subsets_match_plain(const char *const *item_names, uint32_t n)
{
    fimbit_dataset *d = hand_dataset_make(item_names, n, NULL, 0);
    d->basket_count = 40;
    const uint32_t prefixes[][2] = {{9, 3}, {9, 4}, {1, 3}, {0, 0}};
    const uint32_t prefix_sizes[] = {2, 2, 2, 0};
    const uint32_t extensions[] = {5, 0, 7, 2, 11};
    for (size_t f = 0; f < 3; f++)
        for (size_t byte_limit = 1; byte_limit <= 1u << 20; byte_limit <<= 10) {
            output_names names;
            assert_int_equal(output_names_build(&names, d, all_formats[f], NULL), FIMBIT_OK);
            itemset_text text;
            assert_int_equal(itemset_text_build(&text, &names, NULL, n, d->basket_count, NULL),
                             FIMBIT_OK);
            itemset_line line;
            assert_int_equal(itemset_line_init(&line, &text, NULL), FIMBIT_OK);
            output_buffer fast = {0}, plain = {0};
            for (uint32_t max_size = 4; max_size <= 5; max_size++)
                for (uint32_t min_size = 0; min_size <= 6; min_size++)
                    for (size_t p = 0; p < 4; p++) {
                        uint32_t prefix_size = prefix_sizes[p];
                        if (prefix_size + min_size == 0)
                            continue; /* the empty itemset is never reported */
                        uint64_t count = 3 + p + min_size + 1000 * max_size;
                        subset_list *expected = calloc(1, sizeof *expected);
                        uint32_t scratch[8], chosen[8], ids[8];
                        list_subsets(expected, scratch, 0, 0, 5, min_size, max_size);
                        for (size_t s = 0; s < expected->count; s++) {
                            uint32_t size = prefix_size;
                            memcpy(ids, prefixes[p], sizeof prefixes[p]);
                            for (uint32_t i = 0; i < expected->sizes[s]; i++)
                                ids[size++] = extensions[expected->sets[s][i]];
                            assert_true(output_format_itemset(&plain, &names, ids, size, count,
                                                              d->basket_count));
                        }
                        subset_walk walk;
                        subset_walk_start(&walk, 5, min_size, max_size, chosen);
                        uint64_t lines = 0, total = 0;
                        int more;
                        do {
                            size_t before = fast.length;
                            more = itemset_line_format_subsets(
                                &line, &fast, prefixes[p], prefix_size, extensions, &walk, count,
                                fast.length + byte_limit, &lines);
                            assert_true(more >= 0);
                            assert_true(more == 0 || fast.length >= before + byte_limit);
                            total += lines;
                        } while (more);
                        assert_int_equal(total, expected->count);
                        free(expected);
                    }
            /* An unrelated itemset after the walks. */
            const uint32_t after[] = {9, 12};
            assert_true(itemset_line_format(&line, &fast, after, 2, 0, 1));
            assert_true(output_format_itemset(&plain, &names, after, 2, 1, d->basket_count));
            expect_same_then_free(&fast, &plain, &line, &text, &names);
        }
    hand_dataset_free(d);
}

static void test_subsets_match_plain(void **state)
{
    (void)state;
    subsets_match_plain(awkward_names, (uint32_t)AWKWARD_COUNT);
    subsets_match_plain(integer_names, (uint32_t)(sizeof integer_names / sizeof *integer_names));
}

/* Decimal counts at every length, against printf. */
static void test_u64_digits(void **state)
{
    (void)state;
    uint64_t power = 1;
    for (int digits = 1; digits <= 20; digits++) {
        const uint64_t values[] = {power - 1, power, power + 1, power + power / 3};
        for (size_t i = 0; i < 4; i++) {
            char fast[32], slow[32];
            *output_format_u64(fast, values[i]) = '\0';
            snprintf(slow, sizeof slow, "%llu", (unsigned long long)values[i]);
            assert_string_equal(fast, slow);
        }
        power = digits < 20 ? power * 10 : power;
    }
    char fast[32];
    *output_format_u64(fast, UINT64_MAX) = '\0';
    assert_string_equal(fast, "18446744073709551615");
}

/* ---- the streamed writer on random datasets --------------------------------- */

/* Parses text output ("{i0, i3} (5)" lines, through the text form's own
 * reader) into oracle itemsets, sorted. */
static void parse_text_output(const char *path, oracle_itemsets *out)
{
    size_t size;
    char *text = test_read_file(path, &size);
    size_t capacity = 1024;
    out->sets = malloc(capacity * sizeof *out->sets);
    out->count = 0;
    const char *at = text;
    while (at < text + size) {
        text_record record;
        char error[200];
        if (!text_form_parse(text, &at, text + size, true, &record, error, sizeof error))
            fail_msg("%s: %s", path, error);
        uint32_t mask = 0;
        for (size_t i = 0; i < record.items.count; i++) {
            int item = oracle_item_from_name(record.items.names[i]);
            assert_true(item >= 0);
            assert_false(mask & (1u << item));
            mask |= 1u << item;
        }
        if (out->count == capacity) {
            capacity *= 2;
            out->sets = realloc(out->sets, capacity * sizeof *out->sets);
        }
        out->sets[out->count++] = (oracle_itemset){mask, record.count};
        text_record_free(&record);
    }
    free(text);
    qsort(out->sets, out->count, sizeof *out->sets, oracle_itemset_compare);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of a file, sorted, joined again. */
static char *sorted_text(const char *path)
{
    size_t size;
    char *text = test_read_file(path, &size);
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += text[i] == '\n';
    char **lines = malloc((n + 1) * sizeof *lines);
    size_t k = 0;
    for (char *p = text; *p;) {
        char *end = strchr(p, '\n');
        *end = '\0';
        lines[k++] = p;
        p = end + 1;
    }
    qsort(lines, k, sizeof *lines, compare_strings);
    char *joined = malloc(size + 1), *q = joined;
    for (size_t i = 0; i < k; i++) {
        size_t length = strlen(lines[i]);
        memcpy(q, lines[i], length);
        q += length;
        *q++ = '\n';
    }
    *q = '\0';
    free(lines);
    free(text);
    return joined;
}

/* The library's dataset of the oracle's baskets. */
static fimbit_dataset *dataset_of(const oracle_baskets *baskets)
{
    const char **names = NULL;
    uint64_t *offsets = NULL;
    oracle_to_named(baskets, &names, &offsets);
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_from_baskets(names, offsets, baskets->basket_count, &dataset,
                                                 NULL),
                     FIMBIT_OK);
    free(names);
    free(offsets);
    return dataset;
}

static void test_stream_matches_oracle(void **state)
{
    (void)state;
    static const fimbit_target targets[] = {FIMBIT_TARGET_ALL, FIMBIT_TARGET_CLOSED,
                                            FIMBIT_TARGET_MAXIMAL};
    char path[256], other[256];
    test_write_temp_file("", 0, ".txt", path, sizeof path);
    test_write_temp_file("", 0, ".txt", other, sizeof other);
    for (uint64_t seed = 1; seed <= 60; seed++) {
        oracle_baskets baskets;
        oracle_generate(seed, &baskets);
        fimbit_dataset *dataset = dataset_of(&baskets);
        uint64_t min_count = 1 + seed % 4;
        uint32_t min_size = (uint32_t)(seed % 3), max_size = (uint32_t)(seed % 5 == 0 ? 3 : 0);
        for (size_t t = 0; t < 3; t++) {
            oracle_itemsets expected;
            assert_int_equal(oracle_mine(&baskets, min_count, (oracle_target)t, min_size,
                                         max_size, &expected),
                             0);
            for (int algorithm = FIMBIT_ALGORITHM_FPGROWTH; algorithm <= FIMBIT_ALGORITHM_ECLAT;
                 algorithm++) {
                fimbit_mine_options options;
                fimbit_mine_options_init(&options);
                options.min_count = min_count;
                options.target = targets[t];
                options.algorithm = (fimbit_algorithm)algorithm;
                options.min_size = min_size;
                options.max_size = max_size;
                char *one_thread = NULL;
                for (int threads = 1; threads <= 2; threads++) {
                    options.threads = threads;
                    uint64_t written = 0;
                    assert_int_equal(fimbit_mine_itemsets_write(dataset, &options,
                                                                FIMBIT_FORMAT_TEXT, path,
                                                                &written, NULL),
                                     FIMBIT_OK);
                    oracle_itemsets got;
                    parse_text_output(path, &got);
                    if (got.count != expected.count || written != expected.count)
                        fprintf(stderr, "seed %llu target %zu algorithm %d threads %d: %zu "
                                        "itemsets (%llu said), oracle %zu\n",
                                (unsigned long long)seed, t, algorithm, threads, got.count,
                                (unsigned long long)written, expected.count);
                    assert_int_equal(got.count, expected.count);
                    assert_int_equal(written, expected.count);
                    for (size_t i = 0; i < got.count; i++) {
                        assert_int_equal(got.sets[i].mask, expected.sets[i].mask);
                        assert_int_equal(got.sets[i].count, expected.sets[i].count);
                    }
                    oracle_itemsets_free(&got);
                    /* The same lines, items in the same order, whatever the
                     * thread count. */
                    char *lines = sorted_text(path);
                    if (one_thread == NULL) {
                        one_thread = lines;
                    } else {
                        assert_string_equal(lines, one_thread);
                        free(lines);
                    }
                }
                free(one_thread);
            }
            oracle_itemsets_free(&expected);
        }
        fimbit_dataset_free(dataset);
        oracle_baskets_free(&baskets);
    }
    unlink(path);
    unlink(other);
}

/* On bigger random data (several shards' worth of work, long extension
 * lists): the streamed writer writes as many itemsets as the store holds, in
 * every format, and the text lines equal the stored ones up to item order. */
static void test_stream_counts_match_store(void **state)
{
    (void)state;
    char path[256];
    test_write_temp_file("", 0, ".txt", path, sizeof path);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        oracle_baskets baskets;
        oracle_generate_sized(seed * 101, 16, 3000, &baskets);
        fimbit_dataset *dataset = dataset_of(&baskets);
        fimbit_mine_options options;
        fimbit_mine_options_init(&options);
        options.min_count = 30;
        options.threads = 2;
        fimbit_itemsets *stored = NULL;
        assert_int_equal(fimbit_mine_itemsets(dataset, &options, &stored, NULL), FIMBIT_OK);
        for (size_t f = 0; f < 3; f++) {
            uint64_t written = 0;
            assert_int_equal(fimbit_mine_itemsets_write(dataset, &options, all_formats[f], path,
                                                        &written, NULL),
                             FIMBIT_OK);
            assert_int_equal(written, fimbit_itemsets_count(stored));
            size_t size;
            char *text = test_read_file(path, &size);
            size_t lines = 0;
            for (size_t i = 0; i < size; i++)
                lines += text[i] == '\n';
            assert_int_equal(lines, written + (all_formats[f] == FIMBIT_FORMAT_CSV));
            free(text);
        }
        oracle_itemsets from_stream;
        assert_int_equal(fimbit_mine_itemsets_write(dataset, &options, FIMBIT_FORMAT_TEXT, path,
                                                    NULL, NULL),
                         FIMBIT_OK);
        parse_text_output(path, &from_stream);
        fimbit_itemsets_sort(stored);
        assert_int_equal(fimbit_itemsets_write(stored, FIMBIT_FORMAT_TEXT, path, NULL),
                         FIMBIT_OK);
        oracle_itemsets from_store;
        parse_text_output(path, &from_store);
        assert_int_equal(from_stream.count, from_store.count);
        for (size_t i = 0; i < from_store.count; i++) {
            assert_int_equal(from_stream.sets[i].mask, from_store.sets[i].mask);
            assert_int_equal(from_stream.sets[i].count, from_store.sets[i].count);
        }
        oracle_itemsets_free(&from_stream);
        oracle_itemsets_free(&from_store);
        fimbit_itemsets_free(stored);
        fimbit_dataset_free(dataset);
        oracle_baskets_free(&baskets);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formatter_matches_plain_formatter),
        cmocka_unit_test(test_formatter_lines),
        cmocka_unit_test(test_extensions_within_bounds),
        cmocka_unit_test(test_subset_walk_order),
        cmocka_unit_test(test_subsets_match_plain),
        cmocka_unit_test(test_u64_digits),
        cmocka_unit_test(test_stream_matches_oracle),
        cmocka_unit_test(test_stream_counts_match_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
