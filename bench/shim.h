/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file shim.h
 * @brief The C face of Google Benchmark: the only C++ in the benchmarks is
 *        behind these functions (bench/shim.cc).
 *
 * A benchmark is a C function that receives an opaque state, loops while
 * shim_keep_running() says so, and reports counters. Registration names it
 * and passes one pointer of its own.
 */
#ifndef WORKSHOP_BENCH_SHIM_H
#define WORKSHOP_BENCH_SHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Opaque: a benchmark::State. */
typedef struct shim_state shim_state;

/** @brief A benchmark body; @p arg is what was given to shim_register(). */
typedef void (*shim_fn)(shim_state *state, void *arg);

/** @brief How a counter is reported. */
enum shim_counter_kind {
    SHIM_AVG_PER_ITERATION = 0, /**< value summed over iterations, shown per iteration */
    SHIM_PLAIN = 1,             /**< value shown as given */
    SHIM_RATE = 2               /**< value summed, shown per second */
};

/** @brief Registration options. */
enum shim_flags {
    SHIM_MANUAL_TIME = 1,   /**< the body reports its own time (shim_set_iteration_time) */
    SHIM_ONE_ITERATION = 2, /**< run the body for exactly one iteration */
    SHIM_MICROSECONDS = 4,  /**< show times in microseconds (default nanoseconds) */
    SHIM_ONE_REPETITION = 8 /**< run once whatever --benchmark_repetitions says (repeatable figures) */
};

/**
 * @brief Register a benchmark.
 * @param name  its name (copied).
 * @param fn    its body.
 * @param arg   passed to @p fn.
 * @param flags a set of enum shim_flags.
 */
void shim_register(const char *name, shim_fn fn, void *arg, int flags);

/** @brief Loop condition: true while more iterations are wanted. */
int shim_keep_running(shim_state *state);
/** @brief Stop the clock (setup that should not count). */
void shim_pause(shim_state *state);
/** @brief Restart the clock. */
void shim_resume(shim_state *state);
/** @brief Iterations run so far (after the loop: the total). */
int64_t shim_iterations(const shim_state *state);
/** @brief Set a counter; see enum shim_counter_kind. */
void shim_counter(shim_state *state, const char *name, double value, enum shim_counter_kind kind);
/** @brief Report bytes processed (Google Benchmark turns it into bytes_per_second). */
void shim_set_bytes_processed(shim_state *state, int64_t bytes);
/** @brief With SHIM_MANUAL_TIME: the time this iteration took, in seconds. */
void shim_set_iteration_time(shim_state *state, double seconds);
/** @brief Attach a label (shown and written to JSON). */
void shim_set_label(shim_state *state, const char *label);
/** @brief Mark the benchmark as failed with a message; leave the loop afterwards. */
void shim_skip_with_error(shim_state *state, const char *message);
/** @brief Add a key/value pair to the JSON "context". */
void shim_add_context(const char *key, const char *value);

/**
 * @brief Parse --benchmark_* flags, run the registered benchmarks, shut down.
 * @return 0, or 1 on an unknown flag.
 */
int shim_run(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* WORKSHOP_BENCH_SHIM_H */
