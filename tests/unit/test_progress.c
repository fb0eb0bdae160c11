/*
 * Progress reports (fimbit_set_progress): every stage that runs is seen in
 * pipeline order, BEGIN .. UPDATE* .. END, with done never decreasing and
 * done == total at END; a callback that returns non-zero stops the call with
 * FIMBIT_ECANCELED, leaving nothing allocated and no output file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fimbit.h"
#include "read/reader.h"
#include "base/progress.h"
#include "test_data.h"

#define MAX_EVENTS 100000

typedef struct recorder {
    fimbit_progress events[MAX_EVENTS];
    size_t count;
    /* Stop at the first report of this stage and event (stop_event < 0: never). */
    fimbit_stage stop_stage;
    int stop_event;
} recorder;

static recorder record;

static int record_progress(void *user, const fimbit_progress *progress)
{
    recorder *r = user;
    if (r->count < MAX_EVENTS)
        r->events[r->count++] = *progress;
    return r->stop_event >= 0 && progress->stage == r->stop_stage &&
           (int)progress->event == r->stop_event;
}

static void record_start(int stop_event, fimbit_stage stop_stage)
{
    record.count = 0;
    record.stop_event = stop_event;
    record.stop_stage = stop_stage;
    fimbit_set_progress(record_progress, &record);
}

static int setup(void **state)
{
    (void)state;
    progress_interval_ns = 0; /* every update reaches the callback */
    record_start(-1, FIMBIT_STAGE_READ);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fimbit_set_progress(NULL, NULL);
    progress_interval_ns = 100000000;
    reader_block_size = READER_BLOCK_SIZE;
    return 0;
}

/* Asserts that the recorded events are exactly the stages `stages[0 .. n)`,
 * each BEGIN, UPDATE*, END with a constant unit and total, done starting at 0,
 * never decreasing, within total while known, and equal to it at END.
 * `totals[i]` is the expected total (UINT64_MAX: not checked). */
static void expect_stages(const fimbit_stage *stages, const uint64_t *totals, size_t n)
{
    size_t e = 0;
    for (size_t s = 0; s < n; s++) {
        assert_true(e < record.count);
        const fimbit_progress *begin = &record.events[e++];
        assert_int_equal(begin->stage, stages[s]);
        assert_int_equal(begin->event, FIMBIT_PROGRESS_BEGIN);
        assert_int_equal(begin->done, 0);
        assert_non_null(begin->unit);
        uint64_t done = 0;
        for (;;) {
            assert_true(e < record.count);
            const fimbit_progress *p = &record.events[e++];
            assert_int_equal(p->stage, stages[s]);
            assert_string_equal(p->unit, begin->unit);
            assert_true(p->done >= done);
            assert_true(p->elapsed >= 0.0);
            done = p->done;
            if (p->event == FIMBIT_PROGRESS_END) {
                assert_int_equal(p->done, p->total);
                if (begin->total != 0)
                    assert_int_equal(p->total, begin->total);
                if (totals[s] != UINT64_MAX)
                    assert_int_equal(p->total, totals[s]);
                break;
            }
            assert_int_equal(p->event, FIMBIT_PROGRESS_UPDATE);
            assert_int_equal(p->total, begin->total);
            if (p->total != 0)
                assert_true(p->done <= p->total);
        }
    }
    assert_int_equal(e, record.count);
}

static size_t updates_of(fimbit_stage stage)
{
    size_t n = 0;
    for (size_t e = 0; e < record.count; e++)
        n += record.events[e].stage == stage && record.events[e].event == FIMBIT_PROGRESS_UPDATE;
    return n;
}

static uint64_t file_size(const char *path)
{
    struct stat info;
    assert_int_equal(stat(path, &info), 0);
    return (uint64_t)info.st_size;
}

static void write_generated(uint64_t baskets, char *path, size_t size)
{
    fimbit_generate_options options;
    fimbit_generate_options_init(&options);
    options.baskets = baskets;
    options.items = 200;
    test_write_temp_file("", 0, ".dat", path, size);
    assert_int_equal(fimbit_generate(&options, path, NULL), FIMBIT_OK);
}

static uint64_t bytes_in_use(void)
{
    fimbit_memory_usage usage;
    fimbit_get_memory_usage(&usage);
    return usage.in_use;
}

static const char small_text[] = "a b c\n"
                                 "a b\n"
                                 "a c d\n"
                                 "b c\n"
                                 "a b c d\n"
                                 "d\n";

/* Read, then rules with Eclat (count, shard, mine, rules), then write. */
static void small_dataset_sees_every_stage_in_order(void **state)
{
    (void)state;
    char input[256], output[256];
    test_write_temp_file(small_text, sizeof small_text - 1, ".txt", input, sizeof input);
    test_write_temp_file("", 0, ".txt", output, sizeof output);
    const char *paths[] = {input};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);

    fimbit_rule_options options;
    fimbit_rule_options_init(&options);
    options.mine.min_count = 2;
    options.mine.algorithm = FIMBIT_ALGORITHM_ECLAT;
    options.min_confidence = 0.5;
    fimbit_rules *rules = NULL;
    assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_OK);
    assert_int_equal(fimbit_rules_write(rules, FIMBIT_FORMAT_TEXT, output, NULL), FIMBIT_OK);

    fimbit_stage stages[] = {FIMBIT_STAGE_READ, FIMBIT_STAGE_COUNT, FIMBIT_STAGE_SHARD,
                             FIMBIT_STAGE_MINE, FIMBIT_STAGE_RULES, FIMBIT_STAGE_WRITE};
    uint64_t totals[] = {sizeof small_text - 1, 6, 6, 4, UINT64_MAX, fimbit_rules_count(rules)};
    expect_stages(stages, totals, 6);
    assert_string_equal(record.events[0].unit, "bytes");
    assert_string_equal(record.events[record.count - 1].unit, "rules");

    fimbit_rules_free(rules);
    fimbit_dataset_free(dataset);
    unlink(input);
    unlink(output);
}

/* A file read in many windows by two threads, mined by FP-growth straight
 * into a file: updates arrive from worker threads, still in order. */
static void multi_window_run_counts_every_byte_and_branch(void **state)
{
    (void)state;
    char input[256], output[256];
    write_generated(20000, input, sizeof input);
    test_write_temp_file("", 0, ".txt", output, sizeof output);
    reader_block_size = 16 * 1024;
    const char *paths[] = {input};
    fimbit_read_options read;
    fimbit_read_options_init(&read);
    read.threads = 2;
    record_start(-1, FIMBIT_STAGE_READ);
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, &read, &dataset, NULL), FIMBIT_OK);

    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 40;
    options.algorithm = FIMBIT_ALGORITHM_FPGROWTH;
    options.threads = 2;
    uint64_t written = 0;
    assert_int_equal(
        fimbit_mine_itemsets_write(dataset, &options, FIMBIT_FORMAT_TEXT, output, &written, NULL),
        FIMBIT_OK);
    assert_true(written > 0);

    fimbit_stage stages[] = {FIMBIT_STAGE_READ, FIMBIT_STAGE_COUNT, FIMBIT_STAGE_MINE,
                             FIMBIT_STAGE_WRITE};
    uint64_t totals[] = {file_size(input), 20000, UINT64_MAX, written};
    expect_stages(stages, totals, 4);
    /* Ten windows at least, and more than one branch, were counted apart. */
    assert_true(updates_of(FIMBIT_STAGE_READ) >= 10);
    assert_true(updates_of(FIMBIT_STAGE_MINE) >= 2);

    fimbit_dataset_free(dataset);
    unlink(input);
    unlink(output);
}

/* The automatic choice on sparse data (T10I4D100K: by item projection when
 * it suits) counts its branches too. */
static void automatic_choice_counts_branches(void **state)
{
    (void)state;
    char path[1024];
    if (!test_dataset_path("T10I4D100K.dat", path, sizeof path))
        return;
    fimbit_dataset *dataset = NULL;
    const char *paths[] = {path};
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 100;
    options.threads = 2;
    record_start(-1, FIMBIT_STAGE_READ);
    fimbit_itemsets *itemsets = NULL;
    assert_int_equal(fimbit_mine_itemsets(dataset, &options, &itemsets, NULL), FIMBIT_OK);
    fimbit_stage stages[] = {FIMBIT_STAGE_COUNT, FIMBIT_STAGE_MINE};
    uint64_t totals[] = {100000, UINT64_MAX};
    expect_stages(stages, totals, 2);
    assert_true(updates_of(FIMBIT_STAGE_MINE) >= 2);
    fimbit_itemsets_free(itemsets);
    fimbit_dataset_free(dataset);
}

/* Standard input has no size: total is 0 until END, where it is what was read. */
static void unknown_total_is_settled_at_end(void **state)
{
    (void)state;
    char input[256];
    test_write_temp_file(small_text, sizeof small_text - 1, ".txt", input, sizeof input);
    int saved = dup(STDIN_FILENO);
    char command[300];
    snprintf(command, sizeof command, "cat %s", input);
    FILE *source = popen(command, "r");
    assert_non_null(source);
    assert_true(dup2(fileno(source), STDIN_FILENO) >= 0);
    const char *paths[] = {"-"};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);
    dup2(saved, STDIN_FILENO);
    close(saved);
    pclose(source);

    assert_int_equal(record.events[0].total, 0);
    fimbit_stage stages[] = {FIMBIT_STAGE_READ};
    uint64_t totals[] = {sizeof small_text - 1};
    expect_stages(stages, totals, 1);
    fimbit_dataset_free(dataset);
    unlink(input);
}

static fimbit_dataset *read_quietly(const char *path)
{
    fimbit_set_progress(NULL, NULL);
    const char *paths[] = {path};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);
    return dataset;
}

static void expect_canceled(fimbit_status status, const fimbit_error *error, const char *stage)
{
    assert_int_equal(status, FIMBIT_ECANCELED);
    char expected[64];
    snprintf(expected, sizeof expected, "%s stopped by the progress callback", stage);
    assert_string_equal(error->message, expected);
}

/* Stopping at each event of each stage: ECANCELED, nothing allocated left,
 * no result, and no later stage begun. */
static void cancel_in_every_stage_frees_everything(void **state)
{
    (void)state;
    char input[256];
    write_generated(5000, input, sizeof input);
    const char *paths[] = {input};
    static const fimbit_stage mining[] = {FIMBIT_STAGE_COUNT, FIMBIT_STAGE_SHARD,
                                          FIMBIT_STAGE_MINE, FIMBIT_STAGE_RULES};
    for (int event = FIMBIT_PROGRESS_BEGIN; event <= FIMBIT_PROGRESS_END; event++) {
        reader_block_size = 4096; /* updates while reading */
        uint64_t before = bytes_in_use();
        record_start(event, FIMBIT_STAGE_READ);
        fimbit_dataset *dataset = NULL;
        fimbit_error error = {0};
        expect_canceled(fimbit_dataset_read(paths, 1, NULL, &dataset, &error), &error, "read");
        assert_null(dataset);
        assert_int_equal(bytes_in_use(), before);
        reader_block_size = READER_BLOCK_SIZE;

        dataset = read_quietly(input);
        fimbit_rule_options options;
        fimbit_rule_options_init(&options);
        options.mine.min_count = 25;
        options.mine.algorithm = FIMBIT_ALGORITHM_ECLAT;
        options.mine.threads = 2;
        options.min_confidence = 0.1;
        for (size_t s = 0; s < sizeof mining / sizeof mining[0]; s++) {
            before = bytes_in_use();
            record_start(event, mining[s]);
            fimbit_rules *rules = NULL;
            fimbit_status status = fimbit_mine_rules(dataset, &options, &rules, &error);
            if (event == FIMBIT_PROGRESS_UPDATE && updates_of(mining[s]) == 0) {
                /* The F-list and the shards report no updates: they ran to
                 * their end. */
                assert_true(mining[s] == FIMBIT_STAGE_COUNT || mining[s] == FIMBIT_STAGE_SHARD);
                assert_int_equal(status, FIMBIT_OK);
                fimbit_rules_free(rules);
                continue;
            }
            expect_canceled(status, &error, fimbit_stage_name(mining[s]));
            assert_null(rules);
            assert_int_equal(bytes_in_use(), before);
            assert_int_equal(record.events[record.count - 1].stage, mining[s]);
        }

        /* The writer: no file left behind. */
        fimbit_rules *rules = NULL;
        fimbit_set_progress(NULL, NULL);
        assert_int_equal(fimbit_mine_rules(dataset, &options, &rules, NULL), FIMBIT_OK);
        char output[256];
        test_write_temp_file("", 0, ".txt", output, sizeof output);
        unlink(output);
        before = bytes_in_use();
        record_start(event, FIMBIT_STAGE_WRITE);
        expect_canceled(fimbit_rules_write(rules, FIMBIT_FORMAT_TEXT, output, &error), &error,
                        "write");
        assert_int_equal(access(output, F_OK), -1);
        assert_int_equal(bytes_in_use(), before);
        fimbit_rules_free(rules);
        fimbit_dataset_free(dataset);
    }
    unlink(input);
}

/* The streamed writer stopped in MINE: no file, and the progress message,
 * not the itemset callback's. */
static void cancel_while_streaming_leaves_no_file(void **state)
{
    (void)state;
    char input[256], output[256];
    write_generated(5000, input, sizeof input);
    fimbit_dataset *dataset = read_quietly(input);
    test_write_temp_file("", 0, ".txt", output, sizeof output);
    unlink(output);
    fimbit_mine_options options;
    fimbit_mine_options_init(&options);
    options.min_count = 25;
    uint64_t before = bytes_in_use();
    record_start(FIMBIT_PROGRESS_BEGIN, FIMBIT_STAGE_MINE);
    fimbit_error error = {0};
    uint64_t written = 0;
    expect_canceled(fimbit_mine_itemsets_write(dataset, &options, FIMBIT_FORMAT_TEXT, output,
                                               &written, &error),
                    &error, "mine");
    assert_int_equal(access(output, F_OK), -1);
    assert_int_equal(bytes_in_use(), before);
    fimbit_dataset_free(dataset);
    unlink(input);
}

static void *read_in_thread(void *path)
{
    const char *paths[] = {path};
    fimbit_dataset *dataset = NULL;
    assert_int_equal(fimbit_dataset_read(paths, 1, NULL, &dataset, NULL), FIMBIT_OK);
    fimbit_dataset_free(dataset);
    return NULL;
}

/* The registration belongs to the thread that made it. */
static void registration_is_per_thread(void **state)
{
    (void)state;
    char input[256];
    test_write_temp_file(small_text, sizeof small_text - 1, ".txt", input, sizeof input);
    record_start(-1, FIMBIT_STAGE_READ);
    pthread_t other;
    assert_int_equal(pthread_create(&other, NULL, read_in_thread, input), 0);
    assert_int_equal(pthread_join(other, NULL), 0);
    assert_int_equal(record.count, 0);
    fimbit_set_progress(NULL, NULL);
    read_in_thread(input);
    assert_int_equal(record.count, 0);
    unlink(input);
}

static void stage_names(void **state)
{
    (void)state;
    assert_string_equal(fimbit_stage_name(FIMBIT_STAGE_READ), "read");
    assert_string_equal(fimbit_stage_name(FIMBIT_STAGE_COUNT), "count");
    assert_string_equal(fimbit_stage_name(FIMBIT_STAGE_SHARD), "shard");
    assert_string_equal(fimbit_stage_name(FIMBIT_STAGE_MINE), "mine");
    assert_string_equal(fimbit_stage_name(FIMBIT_STAGE_RULES), "rules");
    assert_string_equal(fimbit_stage_name(FIMBIT_STAGE_WRITE), "write");
    assert_string_equal(fimbit_stage_name((fimbit_stage)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(small_dataset_sees_every_stage_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(multi_window_run_counts_every_byte_and_branch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(automatic_choice_counts_branches, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_total_is_settled_at_end, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_in_every_stage_frees_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_while_streaming_leaves_no_file, setup, teardown),
        cmocka_unit_test_setup_teardown(registration_is_per_thread, setup, teardown),
        cmocka_unit_test(stage_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
