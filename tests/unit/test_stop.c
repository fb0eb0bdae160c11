/*
 * fimbit_request_stop(): with no progress callback registered, every stage
 * stops with FIMBIT_ECANCELED ("<stage> stopped by a request to stop"), frees
 * what it holds and leaves no file in the output's directory, an existing
 * output untouched; fimbit_clear_stop() lets calls run again, with the same
 * bytes as a run never stopped. A stop requested from another thread while a
 * call is under way, at many moments, ends it the same way or lets it finish
 * with the complete output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fimbit.h"
#include "test_data.h"

static const char existing_text[] = "an existing output\n";

static uint64_t bytes_in_use(void)
{
    fimbit_memory_usage usage;
    fimbit_get_memory_usage(&usage);
    return usage.in_use;
}

/* A fresh directory holding only "out.txt" with existing_text. */
static void make_output_directory(char *directory, size_t size, char *output, size_t output_size)
{
    snprintf(directory, size, "%s/fimbit-stop-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(directory));
    snprintf(output, output_size, "%s/out.txt", directory);
    FILE *file = fopen(output, "w");
    assert_non_null(file);
    fputs(existing_text, file);
    assert_int_equal(fclose(file), 0);
}

/* The directory holds out.txt and nothing else. */
static void expect_only_output(const char *directory)
{
    DIR *dir = opendir(directory);
    assert_non_null(dir);
    struct dirent *entry;
    int files = 0;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        assert_string_equal(entry->d_name, "out.txt");
        files++;
    }
    closedir(dir);
    assert_int_equal(files, 1);
}

static void expect_file(const char *path, const char *text, size_t size)
{
    size_t got = 0;
    char *content = test_read_file(path, &got);
    assert_non_null(content);
    assert_int_equal(got, size);
    assert_memory_equal(content, text, size);
    free(content);
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file at `path` holds the lines of text[0 .. size) in some order (the
 * streamed writer's order depends on the threads). */
static void expect_same_lines(const char *path, const char *text, size_t size)
{
    size_t got = 0;
    char *content = test_read_file(path, &got);
    assert_non_null(content);
    assert_int_equal(got, size);
    char *copy = malloc(size + 1);
    assert_non_null(copy);
    memcpy(copy, text, size);
    copy[size] = '\0';
    content = realloc(content, size + 1);
    content[size] = '\0';
    char *texts[2] = {content, copy};
    char **lines[2];
    size_t counts[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        lines[k] = malloc((size + 1) * sizeof *lines[k]);
        assert_non_null(lines[k]);
        for (char *line = strtok(texts[k], "\n"); line; line = strtok(NULL, "\n"))
            lines[k][counts[k]++] = line;
        qsort(lines[k], counts[k], sizeof *lines[k], compare_lines);
    }
    assert_int_equal(counts[0], counts[1]);
    for (size_t i = 0; i < counts[0]; i++)
        assert_string_equal(lines[0][i], lines[1][i]);
    free(lines[0]);
    free(lines[1]);
    free(copy);
    free(content);
}

static void remove_output_directory(const char *directory, const char *output)
{
    unlink(output);
    assert_int_equal(rmdir(directory), 0);
}

static void expect_stopped(fimbit_status status, const fimbit_error *error, const char *stage)
{
    assert_int_equal(status, FIMBIT_ECANCELED);
    char expected[64];
    snprintf(expected, sizeof expected, "%s stopped by a request to stop", stage);
    assert_string_equal(error->message, expected);
}

static fimbit_dataset *generated_dataset(uint64_t baskets, char *input, size_t size)
{
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = baskets;
    options.items = 200;
    test_write_temp_file("", 0, ".dat", input, size);
    assert_int_equal(fimbit_generate(&options, input, NULL), FIMBIT_OK);
    const char *paths[] = {input};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);
    return dataset;
}

/* Every entry point stops at once while a stop is requested, and runs again
 * after fimbit_clear_stop(). */
static void every_call_stops_until_cleared(void **state)
{
    (void)state;
    char input[256], directory[256], output[512];
    fimbit_dataset *dataset = generated_dataset(2000, input, sizeof input);
    make_output_directory(directory, sizeof directory, output, sizeof output);
    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 20;
    options.mine.threads = 2;
    options.min_confidence = 0.1;
    fimbit_itemsets *itemsets = NULL;
    fimbit_rules *rules = NULL;
    assert_int_equal(fimbit_mine_itemsets(dataset, &options.mine, &itemsets, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_OK);

    fimbit_request_stop();
    assert_true(fimbit_stop_requested());
    uint64_t before = bytes_in_use();
    fimbit_error error = {0};
    const char *paths[] = {input};
    fimbit_dataset *read = NULL;
    expect_stopped(fimbit_dataset_read(paths, 1, NULL, &read, &error), &error, "read");
    assert_null(read);
    fimbit_itemsets *mined = NULL;
    expect_stopped(fimbit_mine_itemsets(dataset, &options.mine, &mined, &error), &error, "count");
    assert_null(mined);
    fimbit_rules *strong = NULL;
    expect_stopped(fimbit_mine_rules(dataset, &options, &strong, &error), &error, "count");
    assert_null(strong);
    expect_stopped(fimbit_itemsets_write(itemsets, FIMBIT_FORMAT_CSV, output, &error), &error,
                   "write");
    expect_stopped(fimbit_rules_write(rules, FIMBIT_FORMAT_JSONL, output, &error), &error,
                   "write");
    expect_stopped(fimbit_mine_itemsets_write(dataset, &options.mine, FIMBIT_FORMAT_TEXT, output,
                                              NULL, &error),
                   &error, "count");
    assert_int_equal(bytes_in_use(), before);
    expect_only_output(directory);
    expect_file(output, existing_text, sizeof existing_text - 1);

    fimbit_clear_stop();
    assert_false(fimbit_stop_requested());
    assert_int_equal(fimbit_itemsets_write(itemsets, FIMBIT_FORMAT_TEXT, output, NULL), FIMBIT_OK);
    expect_only_output(directory);
    size_t size = 0;
    char *written = test_read_file(output, &size);
    assert_non_null(written);
    assert_true(size > 0);
    free(written);

    fimbit_rules_free(rules);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(dataset);
    remove_output_directory(directory, output);
    unlink(input);
}

typedef struct delayed_stop {
    long nanoseconds;
} delayed_stop;

static void *stop_after(void *argument)
{
    const delayed_stop *delay = argument;
    struct timespec wait = {delay->nanoseconds / 1000000000L, delay->nanoseconds % 1000000000L};
    nanosleep(&wait, NULL);
    fimbit_request_stop();
    return NULL;
}

/* The streamed writer (mining into the file) and the sorted writer, stopped
 * from another thread at moments spread over the run: either stopped, with
 * the directory as before, or finished with the undisturbed bytes. */
static void stop_from_another_thread_at_any_moment(void **state)
{
    (void)state;
    char input[256], directory[256], output[512], reference[512];
    fimbit_dataset *dataset = generated_dataset(20000, input, sizeof input);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 10;
    options.threads = 2;
    test_write_temp_file("", 0, ".txt", reference, sizeof reference);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(fimbit_mine_itemsets_write(dataset, &options, FIMBIT_FORMAT_TEXT, reference,
                                                NULL, NULL),
                     FIMBIT_OK);
    clock_gettime(CLOCK_MONOTONIC, &end);
    long run_ns = (end.tv_sec - start.tv_sec) * 1000000000L + (end.tv_nsec - start.tv_nsec);
    size_t reference_size = 0;
    char *expected = test_read_file(reference, &reference_size);
    assert_non_null(expected);

    int stopped = 0, finished = 0;
    for (int round = 0; round < 12; round++) {
        make_output_directory(directory, sizeof directory, output, sizeof output);
        /* From the start to a little past the end of an undisturbed run. */
        delayed_stop delay = {run_ns * round / 10};
        pthread_t stopper;
        uint64_t before = bytes_in_use();
        assert_int_equal(pthread_create(&stopper, NULL, stop_after, &delay), 0);
        fimbit_error error = {0};
        fimbit_status status = fimbit_mine_itemsets_write(dataset, &options, FIMBIT_FORMAT_TEXT,
                                                          output, NULL, &error);
        assert_int_equal(pthread_join(stopper, NULL), 0);
        fimbit_clear_stop();
        expect_only_output(directory);
        if (status == FIMBIT_OK) {
            finished++;
            expect_same_lines(output, expected, reference_size);
        } else {
            stopped++;
            assert_int_equal(status, FIMBIT_ECANCELED);
            assert_non_null(strstr(error.message, "stopped by a request to stop"));
            expect_file(output, existing_text, sizeof existing_text - 1);
            assert_int_equal(bytes_in_use(), before);
        }
        remove_output_directory(directory, output);
    }
    print_message("stopped %d of 12 runs, %d finished\n", stopped, finished);
    assert_true(stopped > 0); /* the first is stopped before it begins */
    free(expected);
    unlink(reference);
    fimbit_dataset_free(dataset);
    unlink(input);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_call_stops_until_cleared),
        cmocka_unit_test(stop_from_another_thread_at_any_moment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
