/*
 * Record-mode sinks under a memory limit: a buffer that may not grow is
 * flushed instead, and every record still arrives, in order; only a record
 * too long for the buffer it holds stops the mining as out of memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fimbit.h"
#include "store/sink.h"

/* More one-item records than the first buffer (4 Ki words) holds. */
#define RECORDS 20000u

typedef struct received {
    uint32_t records;
    uint32_t flushes;
    bool in_order;
} received;

/* Expects the records {0} {1} {2} ... with counts 1, 2, 3 ... */
static int check_flush(void *context, int thread, const uint32_t *records, size_t words)
{
    (void)thread;
    received *r = context;
    r->flushes++;
    for (const uint32_t *p = records; p < records + words; p = sink_record_next(p)) {
        if (sink_record_size(p) != 1 || sink_record_items(p)[0] != r->records ||
            sink_record_count(p) != (uint64_t)r->records + 1)
            r->in_order = false;
        r->records++;
    }
    return 0;
}

/* Lets the library hold only `extra` bytes more than it holds now. */
static void limit_to_current_plus(uint64_t extra)
{
    fimbit_memory_usage usage;
    fimbit_get_memory_usage(&usage);
    fimbit_set_memory_limit(usage.in_use + extra);
}

static void test_flushes_when_it_cannot_grow(void **state)
{
    (void)state;
    received r = {0, 0, true};
    kernel_output *output = kernel_output_create(1, 1, 0, check_flush, &r);
    assert_non_null(output);
    limit_to_current_plus(1024); /* the buffer cannot double */
    kernel_sink *sink = kernel_output_sink(output, 0);
    for (uint32_t i = 0; i < RECORDS; i++)
        assert_int_equal(sink_emit(sink, &i, 1, (uint64_t)i + 1), 0);
    assert_int_equal(kernel_output_finish(output), 0);
    assert_false(kernel_output_out_of_memory(output));
    assert_int_equal(r.records, RECORDS);
    assert_true(r.in_order);
    assert_true(r.flushes > 1);
    kernel_output_free(output);
}

static void test_record_longer_than_the_buffer_is_out_of_memory(void **state)
{
    (void)state;
    enum { LONG_RECORD = 8192 }; /* items: twice the first buffer's words */
    static uint32_t items[LONG_RECORD];
    for (uint32_t i = 0; i < LONG_RECORD; i++)
        items[i] = i;
    received r = {0, 0, true};
    kernel_output *output = kernel_output_create(1, 1, 0, check_flush, &r);
    assert_non_null(output);
    limit_to_current_plus(1024);
    assert_int_not_equal(sink_emit(kernel_output_sink(output, 0), items, LONG_RECORD, 1), 0);
    assert_true(kernel_output_out_of_memory(output));
    kernel_output_free(output);
}

/* Lifts the limit also after a failed assertion. */
static int no_limit(void **state)
{
    (void)state;
    fimbit_set_memory_limit(0);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_flushes_when_it_cannot_grow, no_limit),
        cmocka_unit_test_teardown(test_record_longer_than_the_buffer_is_out_of_memory, no_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
