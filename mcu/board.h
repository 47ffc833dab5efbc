/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file board.h
 * @brief What the microcontroller lab's program needs from the machine it
 *        runs on: the emulated Cortex-M4 (board_mps2.c) or the host
 *        (board_host.c).
 *
 * mcu/lab_main.c is one program for both targets: it builds the in-memory
 * client and server of bench/tls_pair.c from the lessons' stages and runs
 * their handshake. What differs is only how the figures are taken: on the
 * board, instructions (qemu's instruction counter), the heap arena and a
 * painted stack; on the host, CPU time and the benchmark's heap counters
 * (bench/heap.c).
 */
#ifndef WORKSHOP_MCU_BOARD_H
#define WORKSHOP_MCU_BOARD_H

#include <stdio.h>

/** @brief Prepare the target: console, clock, heap. Called first in main(). */
void board_init(void);

/** @brief The target, in words, for the banner ("Cortex-M4 ..."). */
const char *board_name(void);

/** @brief How many handshakes to measure: 1 where the figures repeat exactly, more for a median. */
int board_handshakes(void);

/**
 * @brief Print the target's own figures as `figure NAME VALUE` lines.
 * @param cpu_ns  the per-side readings of clock.h's thread_cpu_ns() over
 *                each measured handshake, @p count of them per side
 *                ([side][i], side 0 = client).
 * @param wall_ms clock.h's now_ms() over each whole handshake.
 * @param count   how many handshakes were measured.
 */
void board_print_figures(double *const cpu_ns[2], double *wall_ms, int count);

/**
 * @brief Print one figure, `figure NAME VALUE`, VALUE rounded to a whole
 *        number (mcu/lab_main.c; the boards' figures go through it too).
 */
void lab_figure(const char *name, double value);

#endif /* WORKSHOP_MCU_BOARD_H */
