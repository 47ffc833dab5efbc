// SPDX-License-Identifier: Apache-2.0
/**
 * @file shim.cc
 * @brief extern "C" wrappers around Google Benchmark 1.7.1 (see shim.h).
 *
 * Repetitions get Google Benchmark's own aggregates, including "cv"
 * (stddev / mean), which the report uses for the variation target.
 * Nothing here knows about TLS. It exists because Google Benchmark is a C++
 * library and the benchmarks themselves are C.
 */
#include "shim.h"

#include <benchmark/benchmark.h>

namespace
{

benchmark::State &S(shim_state *state)
{
    return *reinterpret_cast<benchmark::State *>(state);
}
const benchmark::State &S(const shim_state *state)
{
    return *reinterpret_cast<const benchmark::State *>(state);
}

} // namespace

extern "C" {

void shim_register(const char *name, shim_fn fn, void *arg, int flags)
{
    benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
        name, [fn, arg](benchmark::State &state) { fn(reinterpret_cast<shim_state *>(&state), arg); });
    b->Unit((flags & SHIM_MICROSECONDS) ? benchmark::kMicrosecond : benchmark::kNanosecond);
    if (flags & SHIM_MANUAL_TIME)
        b->UseManualTime();
    if (flags & SHIM_ONE_ITERATION)
        b->Iterations(1);
    if (flags & SHIM_ONE_REPETITION)
        b->Repetitions(1);
}

int shim_keep_running(shim_state *state)
{
    return S(state).KeepRunning();
}
void shim_pause(shim_state *state)
{
    S(state).PauseTiming();
}
void shim_resume(shim_state *state)
{
    S(state).ResumeTiming();
}
int64_t shim_iterations(const shim_state *state)
{
    return S(state).iterations();
}

void shim_counter(shim_state *state, const char *name, double value, enum shim_counter_kind kind)
{
    benchmark::Counter::Flags f = benchmark::Counter::kDefaults;
    if (kind == SHIM_AVG_PER_ITERATION)
        f = benchmark::Counter::kAvgIterations;
    else if (kind == SHIM_RATE)
        f = benchmark::Counter::kIsRate;
    S(state).counters[name] = benchmark::Counter(value, f);
}

void shim_set_bytes_processed(shim_state *state, int64_t bytes)
{
    S(state).SetBytesProcessed(bytes);
}
void shim_set_iteration_time(shim_state *state, double seconds)
{
    S(state).SetIterationTime(seconds);
}
void shim_set_label(shim_state *state, const char *label)
{
    S(state).SetLabel(label);
}
void shim_skip_with_error(shim_state *state, const char *message)
{
    S(state).SkipWithError(message);
}
void shim_add_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

int shim_run(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // extern "C"
