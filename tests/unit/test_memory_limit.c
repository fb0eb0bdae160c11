/*
 * Memory accounting and its limit (fimbit_set_memory_limit), and the
 * streaming writer (fimbit_mine_itemsets_write) that keeps no itemset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fimbit.h"
#include "base/internal.h"
#include "test_data.h"
#include "test_rounds.h"

static fimbit_dataset *generated_dataset(uint64_t baskets)
{
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = baskets;
    char path[256];
    test_write_temp_file("", 0, ".dat", path, sizeof path);
    assert_int_equal(fimbit_generate(&options, path, NULL), FIMBIT_OK);
    const char *paths[] = {path};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);
    unlink(path);
    return dataset;
}

static uint64_t bytes_in_use(void)
{
    fimbit_memory_usage usage;
    fimbit_get_memory_usage(&usage);
    return usage.in_use;
}

/* Below need: ELIMIT naming the limit, and every byte given back. */
static void limit_below_need_fails_cleanly(void **state)
{
    (void)state;
    fimbit_dataset *dataset = generated_dataset(20000);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 20;
    uint64_t before = bytes_in_use();

    fimbit_set_memory_limit(before + 64 * 1024);
    fimbit_itemsets *itemsets = NULL;
    fimbit_error error = {0};
    assert_int_equal(fimbit_mine_itemsets(dataset, &options, &itemsets, &error), FIMBIT_ELIMIT);
    assert_null(itemsets);
    assert_int_equal(error.code, FIMBIT_ELIMIT);
    assert_non_null(strstr(error.message, "memory limit of"));
    assert_int_equal(bytes_in_use(), before);

    fimbit_memory_usage usage;
    fimbit_get_memory_usage(&usage);
    assert_int_equal(usage.limit, before + 64 * 1024);

    fimbit_set_memory_limit(0);
    assert_int_equal(fimbit_mine_itemsets(dataset, &options, &itemsets, &error), FIMBIT_OK);
    assert_true(fimbit_itemsets_count(itemsets) > 0);
    fimbit_itemsets_free(itemsets);
    assert_int_equal(bytes_in_use(), before);
    fimbit_dataset_free(dataset);
}

/* A limit with room: the same result as without one. */
static void limit_above_need_changes_nothing(void **state)
{
    (void)state;
    fimbit_dataset *dataset = generated_dataset(20000);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 20;
    fimbit_itemsets *free_run = NULL, *limited_run = NULL;
    assert_int_equal(fimbit_mine_itemsets(dataset, &options, &free_run, NULL), FIMBIT_OK);
    fimbit_set_memory_limit(bytes_in_use() + ((uint64_t)256 << 20));
    assert_int_equal(fimbit_mine_itemsets(dataset, &options, &limited_run, NULL), FIMBIT_OK);
    fimbit_set_memory_limit(0);
    assert_int_equal(fimbit_itemsets_count(limited_run), fimbit_itemsets_count(free_run));
    fimbit_itemsets_free(free_run);
    fimbit_itemsets_free(limited_run);
    fimbit_dataset_free(dataset);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A text-format itemset file in a canonical form: the items of each line
 * sorted (the count stays last), then the lines sorted. *lines gets their
 * number. The caller frees the result. */
static char *canonical_text(const char *path, size_t *lines)
{
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    char **rows = NULL;
    size_t count = 0, capacity = 0, total = 0;
    char line[4096];
    while (fgets(line, sizeof line, file)) {
        char *tokens[256];
        size_t n = 0;
        for (char *t = strtok(line, " \n"); t && n < 256; t = strtok(NULL, " \n"))
            tokens[n++] = t;
        assert_true(n >= 2);
        qsort(tokens, n - 1, sizeof *tokens, compare_strings); /* the items, not "(count)" */
        char row[4096] = "";
        for (size_t i = 0; i < n; i++) {
            strcat(row, tokens[i]);
            strcat(row, i + 1 < n ? " " : "\n");
        }
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 1024;
            rows = realloc(rows, capacity * sizeof *rows);
        }
        rows[count++] = strdup(row);
        total += strlen(row);
    }
    fclose(file);
    qsort(rows, count, sizeof *rows, compare_strings);
    char *text = malloc(total + 1);
    text[0] = '\0';
    for (size_t i = 0, used = 0; i < count; i++) {
        size_t length = strlen(rows[i]);
        memcpy(text + used, rows[i], length + 1);
        used += length;
        free(rows[i]);
    }
    free(rows);
    *lines = count;
    return text;
}

static size_t count_lines(const char *path)
{
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    size_t lines = 0;
    for (int c; (c = fgetc(file)) != EOF;)
        lines += c == '\n';
    fclose(file);
    return lines;
}

/* The streaming writer writes the itemsets the stored result holds (items in
 * the order the kernel found them: compared in canonical form). */
static void streaming_writer_matches_the_stored_result(void **state)
{
    (void)state;
    fimbit_dataset *dataset = generated_dataset(20000);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 20;
    const fimbit_format formats[] = {FIMBIT_FORMAT_TEXT, FIMBIT_FORMAT_CSV, FIMBIT_FORMAT_JSONL};
    for (size_t f = 0; f < 3; f++) {
        char streamed[256], stored[256];
        test_write_temp_file("", 0, ".txt", streamed, sizeof streamed);
        test_write_temp_file("", 0, ".txt", stored, sizeof stored);
        uint64_t count = 0;
        assert_int_equal(fimbit_mine_itemsets_write(dataset, &options, formats[f], streamed,
                                                    &count, NULL),
                         FIMBIT_OK);
        fimbit_itemsets *itemsets = NULL;
        assert_int_equal(fimbit_mine_itemsets(dataset, &options, &itemsets, NULL), FIMBIT_OK);
        assert_int_equal(count, fimbit_itemsets_count(itemsets));
        assert_int_equal(fimbit_itemsets_write(itemsets, formats[f], stored, NULL), FIMBIT_OK);
        size_t header = formats[f] == FIMBIT_FORMAT_CSV;
        assert_int_equal(count_lines(streamed), count + header);
        if (formats[f] == FIMBIT_FORMAT_TEXT) {
            size_t streamed_lines, stored_lines;
            char *a = canonical_text(streamed, &streamed_lines);
            char *b = canonical_text(stored, &stored_lines);
            assert_int_equal(streamed_lines, stored_lines);
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
        fimbit_itemsets_free(itemsets);
        unlink(streamed);
        unlink(stored);
    }
    fimbit_dataset_free(dataset);
}

static void streaming_writer_failures(void **state)
{
    (void)state;
    fimbit_dataset *dataset = generated_dataset(5000);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 10;
    fimbit_error error = {0};
    uint64_t count = 99;
    assert_int_equal(fimbit_mine_itemsets_write(dataset, &options, FIMBIT_FORMAT_TEXT,
                                                "/nonexistent/dir/out.txt", &count, &error),
                     FIMBIT_EIO);
    assert_int_equal(count, 0);
    assert_int_equal(fimbit_mine_itemsets_write(dataset, &options, (fimbit_format)9, NULL, NULL,
                                                &error),
                     FIMBIT_EINVAL);
    assert_int_equal(fimbit_mine_itemsets_write(NULL, &options, FIMBIT_FORMAT_TEXT, NULL, NULL,
                                                &error),
                     FIMBIT_EINVAL);

    /* Allocations failing in turn: ENOMEM, no file, nothing held. Every one
     * of the first 256 fails, then one in n/16: the projection path runs a
     * kernel per item, so trying each of its thousands of allocations would
     * make this loop quadratic (over 10 minutes under ASan). */
    char path[256];
    test_write_temp_file("", 0, ".txt", path, sizeof path);
    unlink(path);
    uint64_t before = bytes_in_use();
    for (uint64_t n = 1;; n += n < 256 ? test_round_stride() : n / 16) {
        fimbit__alloc_fail_after(n);
        fimbit_status status = fimbit_mine_itemsets_write(dataset, &options, FIMBIT_FORMAT_CSV,
                                                          path, NULL, NULL);
        fimbit__alloc_fail_after(0);
        if (status == FIMBIT_OK)
            break;
        assert_int_equal(status, FIMBIT_ENOMEM);
        assert_int_equal(access(path, F_OK), -1);
        assert_int_equal(bytes_in_use(), before);
    }
    unlink(path);
    fimbit_dataset_free(dataset);
}

/* A mapped array grows past FIMBIT_MAPPED_ARRAY_MIN into a mapping of its
 * own, keeps its elements, and counts its bytes; releasing its pages past
 * the elements kept leaves those intact, zeroes the rest, and changes no
 * count until it is freed. */
static void mapped_array_release_after_kept(void **state)
{
    (void)state;
    uint64_t before = bytes_in_use();
    uint32_t *array = NULL;
    size_t capacity = 0, count = 3 * FIMBIT_MAPPED_ARRAY_MIN / sizeof *array;
    for (size_t i = 0; i < count; i++) {
        assert_true(fimbit__grow_mapped_array((void **)&array, &capacity, i + 1, sizeof *array));
        array[i] = (uint32_t)i + 1;
    }
    assert_true(capacity * sizeof *array >= FIMBIT_MAPPED_ARRAY_MIN);
    uint64_t held = bytes_in_use();
    assert_true(held >= before + count * sizeof *array);
    size_t kept = count / 3 + 5; /* not at a page boundary */
    fimbit__release_mapped_array_after(array, kept, capacity, sizeof *array);
    for (size_t i = 0; i < kept; i++)
        assert_int_equal(array[i], i + 1);
    /* The page holding the last kept element stays; the pages past it read
     * as zeros. */
    assert_int_equal(array[count - 1], 0);
    assert_int_equal(bytes_in_use(), held);
    fimbit__free_mapped_array(array, capacity, sizeof *array);
    assert_int_equal(bytes_in_use(), before);
}

/* An empty mapped array asked for many elements at once takes just those,
 * and counts just their bytes: the memory limit sees what the run can use,
 * not a doubled capacity. It doubles from there when it grows again. */
static void mapped_array_taken_at_once_is_exact(void **state)
{
    (void)state;
    uint64_t before = bytes_in_use();
    uint32_t *array = NULL;
    size_t capacity = 0, count = 3 * FIMBIT_MAPPED_ARRAY_MIN / sizeof *array + 7;
    assert_true(fimbit__grow_mapped_array_to((void **)&array, &capacity, count, sizeof *array));
    assert_int_equal(capacity, count);
    assert_int_equal(bytes_in_use(), before + count * sizeof *array);
    array[count - 1] = 7;
    assert_true(fimbit__grow_mapped_array((void **)&array, &capacity, count + 1, sizeof *array));
    assert_int_equal(capacity, 2 * count);
    assert_int_equal(array[count - 1], 7);
    fimbit__free_mapped_array(array, capacity, sizeof *array);
    assert_int_equal(bytes_in_use(), before);
}

/* A block freed with its pages given back first leaves the allocator whole:
 * its bytes are uncounted, and the blocks that come next, in the freed
 * space or beside it, hold what is written to them. */
static void free_discarding_gives_pages_back(void **state)
{
    (void)state;
    uint64_t before = bytes_in_use();
    size_t sizes[] = {1 << 20, 100000, 40, 5000};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        unsigned char *block = fimbit__malloc(sizes[k]);
        assert_non_null(block);
        memset(block, 0xab, sizes[k]);
        fimbit__free_discarding(block);
        assert_int_equal(bytes_in_use(), before);
        unsigned char *again = fimbit__malloc(sizes[k]);
        unsigned char *beside = fimbit__malloc(sizes[k]);
        assert_non_null(again);
        assert_non_null(beside);
        memset(again, 0x5a, sizes[k]);
        memset(beside, 0xa5, sizes[k]);
        for (size_t i = 0; i < sizes[k]; i += 997) {
            assert_int_equal(again[i], 0x5a);
            assert_int_equal(beside[i], 0xa5);
        }
        fimbit__free(again);
        fimbit__free(beside);
    }
    fimbit__free_discarding(NULL);
    assert_int_equal(bytes_in_use(), before);
}

/* An array grown by doubling through fimbit__grow_array_discarding keeps
 * its elements below FIMBIT_DISCARD_MIN (realloc) and past it (moved, the
 * old block's pages given back), counts only the block it has, and is kept
 * whole when a growth fails. */
static void grow_array_discarding_keeps_elements(void **state)
{
    (void)state;
    uint64_t before = bytes_in_use();
    uint32_t *array = NULL;
    size_t capacity = 0, count = 4 * FIMBIT_DISCARD_MIN / sizeof *array;
    for (size_t i = 0; i < count; i++) {
        if (i == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            array = fimbit__grow_array_discarding(array, capacity, sizeof *array);
            assert_non_null(array);
            assert_int_equal(bytes_in_use(), before + malloc_usable_size(array));
        }
        array[i] = (uint32_t)i * 7u;
    }
    fimbit__alloc_fail_after(1);
    assert_null(fimbit__grow_array_discarding(array, capacity * 2, sizeof *array));
    fimbit__alloc_fail_after(0);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(array[i], (uint32_t)i * 7u);
    fimbit__free(array);
    assert_int_equal(bytes_in_use(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limit_below_need_fails_cleanly),
        cmocka_unit_test(limit_above_need_changes_nothing),
        cmocka_unit_test(streaming_writer_matches_the_stored_result),
        cmocka_unit_test(streaming_writer_failures),
        cmocka_unit_test(mapped_array_release_after_kept),
        cmocka_unit_test(mapped_array_taken_at_once_is_exact),
        cmocka_unit_test(free_discarding_gives_pages_back),
        cmocka_unit_test(grow_array_discarding_keeps_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
