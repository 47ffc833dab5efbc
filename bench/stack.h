/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file stack.h
 * @brief Per-side peak stack: each side's steps run on a stack region of
 *        their own, painted with a pattern (bench/stack.c).
 *
 * The same idea as the microcontroller lab's painted stack
 * (mcu/board_meter.c), made for a host: there the board has one stack and
 * it is painted below the stack pointer before each side runs; here each
 * side gets a region of its own (a ucontext stack), so that its depth is
 * counted from the first frame of the side's step and nothing of the
 * benchmark harness is included. bench/tls_pair.c runs every handshake step
 * through stack_run(), as it charges every allocation through heap.h.
 *
 * Without ucontext (the microcontroller lab compiles tls_pair.c too, with
 * no config.h) stack_run() calls the function on the caller's stack and
 * every figure is 0; the board measures its stack its own way.
 */
#ifndef WORKSHOP_BENCH_STACK_H
#define WORKSHOP_BENCH_STACK_H

#include <stddef.h>

#include "heap.h"

/** @brief Size of each side's region, in bytes (a guard page below it). */
#define STACK_REGION_SIZE (256u * 1024u)

/** @brief 1 when the steps run on painted regions (the figures mean something). */
int stack_meter_available(void);

/**
 * @brief Run @p fn (@p arg) on the region of @p side (HEAP_CLIENT or
 *        HEAP_SERVER); on the caller's stack for any other side, or without
 *        regions.
 */
void stack_run(enum heap_side side, void (*fn)(void *arg), void *arg);

/** @brief Paint both regions again: the next stack_peak() counts from here. */
void stack_reset_peak(void);

/**
 * @brief The deepest @p side's region was written since stack_reset_peak(),
 *        in bytes from its top (STACK_REGION_SIZE: the pattern is gone to
 *        the bottom, the region overflowed).
 */
size_t stack_peak(enum heap_side side);

/**
 * @brief For the second method (tls_bench --ws_stack_probe): from now on
 *        @p side's functions get only the lowest @p bytes of the region
 *        (a multiple of 16), right above the guard page, so that one that
 *        needs more stops with SIGSEGV. 0: the whole region again.
 */
void stack_limit(enum heap_side side, size_t bytes);

#endif /* WORKSHOP_BENCH_STACK_H */
