/*
 * A C API over Google Benchmark, so that the benchmarks can be written in C.
 *
 * A benchmark is a C function that loops while bench_keep_running() says so,
 * doing the timed work inside the loop and its set-up before it:
 *
 *     static void bench_parse(bench_state *state, void *user)
 *     {
 *         ... set-up, not timed ...
 *         while (bench_keep_running(state))
 *             ... the work ...;
 *         bench_set_bytes_processed(state, bench_iterations(state) * file_size);
 *     }
 *
 * Register it from a constructor in its own file (BENCH_REGISTER below), so
 * that adding a bench_*.c file adds its benchmarks and nothing else changes.
 * The shim supplies main(), which takes Google Benchmark's usual flags
 * (--benchmark_filter=..., --benchmark_format=json, ...).
 */
#ifndef FIMBIT_BENCH_SHIM_H
#define FIMBIT_BENCH_SHIM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The running benchmark's state (a benchmark::State underneath). */
typedef struct bench_state bench_state;
/* A registered benchmark (a benchmark::internal::Benchmark underneath), for
 * adding arguments and settings right after registration. */
typedef struct bench_handle bench_handle;

typedef void (*bench_fn)(bench_state *state, void *user);

/* Registers `fn` under `name` (copied); `user` is passed to every call.
 * @return the handle for the settings below. */
bench_handle *bench_register(const char *name, bench_fn fn, void *user);

/* Adds one run with argument `value` (read back with bench_range(state, 0)). */
bench_handle *bench_arg(bench_handle *handle, int64_t value);
/* Adds runs for the arguments from `low` to `high`, multiplying by 2
 * (Google Benchmark's Range()). */
bench_handle *bench_arg_range(bench_handle *handle, int64_t low, int64_t high);
/* Adds one run with two arguments. */
bench_handle *bench_args2(bench_handle *handle, int64_t first, int64_t second);
/* Names the arguments in reports ("threads", ...). */
bench_handle *bench_arg_name(bench_handle *handle, const char *name);
/* Reports in milliseconds instead of nanoseconds. */
bench_handle *bench_unit_ms(bench_handle *handle);
/* Times by the wall clock: needed when the work runs on other threads. */
bench_handle *bench_use_real_time(bench_handle *handle);
/* Minimum time to run for, in seconds (the default is 0.5 s). */
bench_handle *bench_min_time(bench_handle *handle, double seconds);
/* A fixed number of iterations (for slow benchmarks). */
bench_handle *bench_iterations_fixed(bench_handle *handle, int64_t iterations);

/* @return true while the benchmark should run another iteration. */
bool bench_keep_running(bench_state *state);
/* @return argument `index` of this run. */
int64_t bench_range(const bench_state *state, int index);
/* @return the number of iterations run so far (all of them after the loop). */
int64_t bench_iterations(const bench_state *state);

void bench_set_items_processed(bench_state *state, int64_t items);
void bench_set_bytes_processed(bench_state *state, int64_t bytes);
/* Sets a counter shown beside the timings (e.g. "itemsets"). */
void bench_set_counter(bench_state *state, const char *name, double value);
/* A label shown beside the timings. */
void bench_set_label(bench_state *state, const char *label);

/* Stops the clock for set-up inside the loop, and starts it again. */
void bench_pause_timing(bench_state *state);
void bench_resume_timing(bench_state *state);

/* Marks the run failed with `message`; the loop then ends at once. */
void bench_skip_with_error(bench_state *state, const char *message);

/* Keeps the compiler from optimising away the computation of `value`. */
void bench_do_not_optimize(const void *value);
void bench_do_not_optimize_u64(uint64_t value);
/* A compiler barrier: every pending write is done. */
void bench_clobber_memory(void);

/* Runs `function` before main(): the registration hook of a bench_*.c file. */
#define BENCH_REGISTER(function) \
    static void function(void) __attribute__((constructor)); \
    static void function(void)

#ifdef __cplusplus
}
#endif

#endif /* FIMBIT_BENCH_SHIM_H */
