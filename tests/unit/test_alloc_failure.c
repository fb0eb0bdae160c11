/*
 * Allocation failure, stepped through every allocation of a small run: read,
 * mine, derive rules, sort, write. Allocation n fails (and every later one),
 * for n = 1, 2, ... until the run gets through. Every failing run must return
 * FIMBIT_ENOMEM from the call that failed, with a message, leave no output
 * file (and no temporary) behind and keep an existing one intact; every run
 * that gets through must write exactly the bytes of an undisturbed run. Leaks
 * on these paths are caught where this test runs under LeakSanitizer (the
 * FIMBIT_SANITIZE build that scripts/test runs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/internal.h"
#include "kernels/kernel.h"
#include "oracle.h"

typedef enum run_kind { RUN_ITEMSETS, RUN_RULES, RUN_STREAM } run_kind;

typedef struct run_config {
    const char *name;
    const char *input_suffix; /* ".dat", ".csv", ".txt.gz" */
    fimbit_input_format format;
    run_kind kind;
    fimbit_target target;
    fimbit_algorithm algorithm;
    fimbit_format output_format;
    int threads;
    bool cut_every_branch; /* Eclat's maximal walk cuts its repository each time */
} run_config;

/* A scratch directory per test run, holding the input and the output. */
static char directory[256];
static char input_path[300];
static char output_path[300];

static void write_file(const char *path, const char *text, size_t length)
{
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(text, 1, length, file), length);
    assert_int_equal(fclose(file), 0);
}

static char *read_file(const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    size_t capacity = 1 << 16, got;
    char *data = malloc(capacity);
    *length = 0;
    while ((got = fread(data + *length, 1, capacity - *length, file)) > 0) {
        *length += got;
        if (*length == capacity)
            data = realloc(data, capacity *= 2);
        assert_non_null(data);
    }
    fclose(file);
    return data;
}

static int directory_entries(void)
{
    DIR *dir = opendir(directory);
    assert_non_null(dir);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        count += entry->d_name[0] != '.' || strncmp(entry->d_name, ".out", 4) == 0;
    closedir(dir);
    return count;
}

/* The dataset: oracle-generated baskets (repeats, empty baskets, patterns)
 * written in the format the configuration reads. */
static void write_input(const run_config *config)
{
    oracle_baskets baskets;
    oracle_generate_sized(7, 10, 120, &baskets);
    size_t capacity = 1 << 16, used = 0;
    char *text = malloc(capacity);
    if (config->format == FIMBIT_INPUT_CSV)
        used += (size_t)snprintf(text + used, capacity - used, "basket,item\n");
    for (uint64_t b = 0; b < baskets.basket_count; b++) {
        for (uint64_t k = baskets.offsets[b]; k < baskets.offsets[b + 1]; k++) {
            uint32_t item = baskets.items[k];
            if (config->format == FIMBIT_INPUT_FIMI)
                used += (size_t)snprintf(text + used, capacity - used, "%u ", item);
            else if (config->format == FIMBIT_INPUT_CSV)
                used += (size_t)snprintf(text + used, capacity - used, "b%llu,\"%s, x\"\n",
                                         (unsigned long long)b, oracle_item_name(item));
            else
                used += (size_t)snprintf(text + used, capacity - used, "%s;",
                                         oracle_item_name(item));
        }
        if (config->format != FIMBIT_INPUT_CSV)
            text[used++] = '\n';
        assert_true(used < capacity - 100);
    }
    oracle_baskets_free(&baskets);
    snprintf(input_path, sizeof input_path, "%s/input%s", directory, config->input_suffix);
    if (strstr(config->input_suffix, ".gz") != NULL) {
        char plain[320], command[1024];
        snprintf(plain, sizeof plain, "%s/input.plain", directory);
        write_file(plain, text, used);
        snprintf(command, sizeof command, "gzip -c '%s' > '%s' && rm '%s'", plain, input_path,
                 plain);
        assert_int_equal(system(command), 0);
    } else {
        write_file(input_path, text, used);
    }
    free(text);
}

static int count_itemset(void *user, const uint32_t *items, uint32_t size, uint64_t count)
{
    (void)items;
    (void)size;
    (void)count;
    (*(uint64_t *)user)++;
    return 0;
}

/* One run of the whole pipeline. @return the first failing status (and its
 * error), FIMBIT_OK when everything got through. */
static fimbit_status run_once(const run_config *config, fimbit_error *error)
{
    fimbit_read_options read;
    fimbit_read_options_init(&read);
    read.format = config->format;
    read.separator = config->format == FIMBIT_INPUT_BASKET ? ';' : 0;
    read.threads = config->threads;
    const char *paths[] = {input_path};
    fimbit_dataset *dataset = NULL;
    fimbit_status status = fimbit_dataset_read(paths, 1, &read, &dataset, error);
    if (status != FIMBIT_OK)
        return status;

    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 3;
    options.mine.target = config->target;
    options.mine.algorithm = config->algorithm;
    options.mine.threads = config->threads;
    options.min_confidence = 0.3;
    options.max_consequent = 0;
    if (config->kind == RUN_RULES) {
        fimbit_rules *rules = NULL;
        status = fimbit_mine_rules(dataset, &options, &rules, error);
        if (status == FIMBIT_OK) {
            fimbit_rules_sort(rules);
            status = fimbit_rules_write(rules, config->output_format, output_path, error);
        }
        fimbit_rules_free(rules);
    } else if (config->kind == RUN_ITEMSETS) {
        fimbit_itemsets *itemsets = NULL;
        status = fimbit_mine_itemsets(dataset, &options.mine, &itemsets, error);
        if (status == FIMBIT_OK) {
            fimbit_itemsets_sort(itemsets);
            status = fimbit_itemsets_write(itemsets, config->output_format, output_path, error);
        }
        fimbit_itemsets_free(itemsets);
    } else {
        uint64_t found = 0;
        status = fimbit_mine_itemsets_stream(dataset, &options.mine, count_itemset, &found, error);
        if (status == FIMBIT_OK) {
            char text[64];
            int length = snprintf(text, sizeof text, "%llu\n", (unsigned long long)found);
            write_file(output_path, text, (size_t)length);
        }
    }
    fimbit_dataset_free(dataset);
    return status;
}

static void step_through(const run_config *config)
{
    snprintf(directory, sizeof directory, "%s/fimbit-alloc-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(directory));
    snprintf(output_path, sizeof output_path, "%s/out.txt", directory);
    write_input(config);

    /* The undisturbed run: its output is what every later success must give. */
    fimbit_error error;
    fimbit__alloc_fail_after(0);
    assert_int_equal(run_once(config, &error), FIMBIT_OK);
    uint64_t allocations = fimbit__alloc_fail_after(0);
    size_t expected_length = 0;
    char *expected = read_file(output_path, &expected_length);
    assert_non_null(expected);
    assert_true(expected_length > 0);
    unlink(output_path);

    /* Two rounds: with no output file, then with an existing one to keep. */
    uint64_t failures = 0;
    for (int keep = 0; keep < 2; keep++) {
        bool succeeded = false;
        for (uint64_t n = 1; !succeeded; n++) {
            assert_true(n < 4 * allocations + 1000);
            if (keep)
                write_file(output_path, "precious\n", 9);
            memset(&error, 0, sizeof error);
            fimbit__alloc_fail_after(n);
            fimbit_status status = run_once(config, &error);
            fimbit__alloc_fail_after(0);
            size_t length = 0;
            char *written = read_file(output_path, &length);
            if (status == FIMBIT_OK) {
                succeeded = true;
                assert_non_null(written);
                if (length != expected_length || memcmp(written, expected, length) != 0)
                    fail_msg("%s: the run that got past allocation %llu wrote other bytes",
                             config->name, (unsigned long long)n);
            } else {
                failures++;
                if (status != FIMBIT_ENOMEM || error.code != FIMBIT_ENOMEM ||
                    error.message[0] == '\0')
                    fail_msg("%s: allocation %llu failed: %s (error %s, '%s')", config->name,
                             (unsigned long long)n, fimbit_status_name(status),
                             fimbit_status_name(error.code), error.message);
                if (keep) {
                    assert_non_null(written);
                    assert_int_equal(length, 9);
                    assert_memory_equal(written, "precious\n", 9);
                } else if (written != NULL) {
                    fail_msg("%s: allocation %llu failed and left an output file", config->name,
                             (unsigned long long)n);
                }
            }
            free(written);
            /* The input, the output when there is one, no temporary. */
            assert_int_equal(directory_entries(), 1 + (keep || status == FIMBIT_OK));
            unlink(output_path);
        }
    }
    printf("%s: %llu allocations, %llu failures injected and survived\n", config->name,
           (unsigned long long)allocations, (unsigned long long)failures);
    free(expected);
    unlink(input_path);
    assert_int_equal(rmdir(directory), 0);
}

static const run_config configs[] = {
    {"fimi itemsets fpgrowth text", ".dat", FIMBIT_INPUT_FIMI, RUN_ITEMSETS, FIMBIT_TARGET_ALL,
     FIMBIT_ALGORITHM_FPGROWTH, FIMBIT_FORMAT_TEXT, 1, false},
    {"csv closed eclat csv", ".csv", FIMBIT_INPUT_CSV, RUN_ITEMSETS, FIMBIT_TARGET_CLOSED,
     FIMBIT_ALGORITHM_ECLAT, FIMBIT_FORMAT_CSV, 1, false},
    {"basket.gz maximal fpgrowth jsonl", ".txt.gz", FIMBIT_INPUT_BASKET, RUN_ITEMSETS,
     FIMBIT_TARGET_MAXIMAL, FIMBIT_ALGORITHM_FPGROWTH, FIMBIT_FORMAT_JSONL, 1, false},
    {"fimi rules fpgrowth text", ".dat", FIMBIT_INPUT_FIMI, RUN_RULES, FIMBIT_TARGET_ALL,
     FIMBIT_ALGORITHM_FPGROWTH, FIMBIT_FORMAT_TEXT, 1, false},
    {"basket rules eclat jsonl", ".txt", FIMBIT_INPUT_BASKET, RUN_RULES, FIMBIT_TARGET_ALL,
     FIMBIT_ALGORITHM_ECLAT, FIMBIT_FORMAT_JSONL, 1, false},
    {"fimi maximal eclat, repository cut", ".dat", FIMBIT_INPUT_FIMI, RUN_ITEMSETS,
     FIMBIT_TARGET_MAXIMAL, FIMBIT_ALGORITHM_ECLAT, FIMBIT_FORMAT_TEXT, 1, true},
    {"fimi stream closed eclat", ".dat", FIMBIT_INPUT_FIMI, RUN_STREAM, FIMBIT_TARGET_CLOSED,
     FIMBIT_ALGORITHM_ECLAT, FIMBIT_FORMAT_TEXT, 1, false},
    /* Two threads: the failing allocation lands in a different thread from
     * run to run; the guarantees are the same. */
    {"fimi itemsets eclat 2 threads", ".dat", FIMBIT_INPUT_FIMI, RUN_ITEMSETS, FIMBIT_TARGET_ALL,
     FIMBIT_ALGORITHM_ECLAT, FIMBIT_FORMAT_TEXT, 2, false},
    {"csv rules fpgrowth 2 threads", ".csv", FIMBIT_INPUT_CSV, RUN_RULES, FIMBIT_TARGET_ALL,
     FIMBIT_ALGORITHM_FPGROWTH, FIMBIT_FORMAT_CSV, 2, false},
};

static void test_config(void **state)
{
    const run_config *config = *state;
    eclat__set_cut_min_mask_bytes(config->cut_every_branch ? 0 : ECLAT_CUT_MIN_MASK_BYTES);
    step_through(config);
    eclat__set_cut_min_mask_bytes(ECLAT_CUT_MIN_MASK_BYTES);
}

int main(void)
{
    struct CMUnitTest tests[sizeof configs / sizeof configs[0]];
    for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++)
        tests[i] = (struct CMUnitTest){configs[i].name, test_config, NULL, NULL,
                                       (void *)&configs[i]};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
