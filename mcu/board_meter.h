/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file board_meter.h
 * @brief The board's heap arena and its meter, and the painted stack
 *        (board_meter.c).
 *
 * It also implements bench/heap.h for the board, so that bench/tls_pair.c
 * charges every allocation to the side that made it, exactly as on the
 * host.
 */
#ifndef WORKSHOP_MCU_BOARD_METER_H
#define WORKSHOP_MCU_BOARD_METER_H

#include <stddef.h>

/** @brief Hand mbedTLS its arena and paint the whole stack (board_init() calls it). */
void meter_init(void);

/** @brief Deepest stack a side reached while it ran (bytes from the top), @p side 0 = client. */
size_t meter_stack_peak(int side);

/** @brief Deepest stack the whole program reached so far. */
size_t meter_program_stack_peak(void);

/** @brief Size of the stack region (mcu/mps2-an386.ld). */
size_t meter_stack_size(void);

/** @brief Highest byte of the arena ever handed out, plus one: the smallest arena this run fits in. */
size_t meter_arena_high_water(void);

/** @brief Size of the arena. */
size_t meter_arena_size(void);

/**
 * @brief mbedTLS allocations since the last heap_reset_peak(), that is,
 *        in the last handshake (0 in the image linked without the meter's
 *        wrappers, which mcu/lab.mk counts the instructions with).
 */
unsigned long meter_allocations(void);

#endif /* WORKSHOP_MCU_BOARD_METER_H */
