/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file clock.h
 * @brief The two clocks the workshop reads: elapsed time and CPU time.
 *
 * Deadlines, timeouts and durations use the monotonic clock, which never
 * jumps when the system time is set. The benchmarks charge CPU time to the
 * side that spent it with the calling thread's own CPU clock.
 */
#ifndef WORKSHOP_CLOCK_H
#define WORKSHOP_CLOCK_H

/**
 * @brief Milliseconds on the monotonic clock (CLOCK_MONOTONIC), with
 *        sub-millisecond precision. Only differences mean something.
 * @return the current time in milliseconds.
 */
double now_ms(void);

/**
 * @brief CPU time used so far by the calling thread (CLOCK_THREAD_CPUTIME_ID).
 * @return nanoseconds.
 */
double thread_cpu_ns(void);

#endif /* WORKSHOP_CLOCK_H */
