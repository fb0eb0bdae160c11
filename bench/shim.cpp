// The C API of shim.h over Google Benchmark. Each C benchmark becomes a
// lambda that hands the benchmark::State to the C function.
#include "shim.h"

#include <benchmark/benchmark.h>

#include <string>

namespace {

benchmark::State &unwrap(bench_state *state)
{
    return *reinterpret_cast<benchmark::State *>(state);
}

const benchmark::State &unwrap(const bench_state *state)
{
    return *reinterpret_cast<const benchmark::State *>(state);
}

benchmark::internal::Benchmark *unwrap(bench_handle *handle)
{
    return reinterpret_cast<benchmark::internal::Benchmark *>(handle);
}

bench_handle *wrap(benchmark::internal::Benchmark *benchmark)
{
    return reinterpret_cast<bench_handle *>(benchmark);
}

} // namespace

extern "C" {

bench_handle *bench_register(const char *name, bench_fn fn, void *user)
{
    return wrap(benchmark::RegisterBenchmark(std::string(name).c_str(),
                                             [fn, user](benchmark::State &state) {
                                                 fn(reinterpret_cast<bench_state *>(&state), user);
                                             }));
}

bench_handle *bench_arg(bench_handle *handle, int64_t value)
{
    return wrap(unwrap(handle)->Arg(value));
}

bench_handle *bench_arg_range(bench_handle *handle, int64_t low, int64_t high)
{
    return wrap(unwrap(handle)->Range(low, high));
}

bench_handle *bench_args2(bench_handle *handle, int64_t first, int64_t second)
{
    return wrap(unwrap(handle)->Args({first, second}));
}

bench_handle *bench_arg_name(bench_handle *handle, const char *name)
{
    return wrap(unwrap(handle)->ArgName(name));
}

bench_handle *bench_unit_ms(bench_handle *handle)
{
    return wrap(unwrap(handle)->Unit(benchmark::kMillisecond));
}

bench_handle *bench_use_real_time(bench_handle *handle)
{
    return wrap(unwrap(handle)->UseRealTime());
}

bench_handle *bench_min_time(bench_handle *handle, double seconds)
{
    return wrap(unwrap(handle)->MinTime(seconds));
}

bench_handle *bench_iterations_fixed(bench_handle *handle, int64_t iterations)
{
    return wrap(unwrap(handle)->Iterations(iterations));
}

bool bench_keep_running(bench_state *state)
{
    return unwrap(state).KeepRunning();
}

int64_t bench_range(const bench_state *state, int index)
{
    return unwrap(state).range(static_cast<std::size_t>(index));
}

int64_t bench_iterations(const bench_state *state)
{
    return static_cast<int64_t>(unwrap(state).iterations());
}

void bench_set_items_processed(bench_state *state, int64_t items)
{
    unwrap(state).SetItemsProcessed(items);
}

void bench_set_bytes_processed(bench_state *state, int64_t bytes)
{
    unwrap(state).SetBytesProcessed(bytes);
}

void bench_set_counter(bench_state *state, const char *name, double value)
{
    unwrap(state).counters[name] = benchmark::Counter(value);
}

void bench_set_label(bench_state *state, const char *label)
{
    unwrap(state).SetLabel(label);
}

void bench_pause_timing(bench_state *state)
{
    unwrap(state).PauseTiming();
}

void bench_resume_timing(bench_state *state)
{
    unwrap(state).ResumeTiming();
}

void bench_skip_with_error(bench_state *state, const char *message)
{
    unwrap(state).SkipWithError(message);
}

void bench_do_not_optimize(const void *value)
{
    benchmark::DoNotOptimize(value);
}

void bench_do_not_optimize_u64(uint64_t value)
{
    benchmark::DoNotOptimize(value);
}

void bench_clobber_memory(void)
{
    benchmark::ClobberMemory();
}

} // extern "C"

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
