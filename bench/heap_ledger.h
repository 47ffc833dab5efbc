/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file heap_ledger.h
 * @brief The book of live heap blocks behind heap.h's figures: which block
 *        is how large and which side it is charged to.
 *
 * Two allocator wrappers keep it: bench/heap.c on the host (around calloc()
 * and free()) and mcu/board_meter.c on the microcontroller (around
 * mbedtls_calloc() and mbedtls_free()). Each passes in its own table, so how
 * many blocks it can follow and where in RAM the table lives stay its
 * choice. This file also provides heap.h's heap_reset_peak(), heap_get() and
 * heap_get_total(); heap_set_side() belongs to the wrapper (the board paints
 * its stack there) and calls heap_ledger_set_side().
 */
#ifndef WORKSHOP_BENCH_HEAP_LEDGER_H
#define WORKSHOP_BENCH_HEAP_LEDGER_H

#include <stddef.h>

#include "heap.h"

/** @brief One slot of the table: a live block, or free when @c addr is NULL. */
struct heap_ledger_slot {
    void *addr;          /**< the block, NULL for a free slot */
    size_t size;         /**< bytes asked for */
    enum heap_side side; /**< who was running when it was allocated */
};

/**
 * @brief Start a new book in @p slots (zeroed here).
 * @param slots the table
 * @param count its number of slots, a power of two; one always stays free,
 *        so it follows at most @p count - 1 live blocks
 */
void heap_ledger_init(struct heap_ledger_slot *slots, size_t count);

/**
 * @brief Charge the new block @p p of @p size bytes to the current side.
 * @return 0, or -1 when the table is full (nothing was charged)
 */
int heap_ledger_add(void *p, size_t size);

/** @brief Take @p p out of the book; a block it does not know is ignored. */
void heap_ledger_remove(const void *p);

/** @brief Charge the following blocks to @p side. */
void heap_ledger_set_side(enum heap_side side);

/** @brief The side blocks are charged to now. */
enum heap_side heap_ledger_side(void);

/** @brief Blocks added since the last heap_reset_peak(). */
unsigned long heap_ledger_allocations(void);

#endif /* WORKSHOP_BENCH_HEAP_LEDGER_H */
