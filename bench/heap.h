/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file heap.h
 * @brief Per-side accounting of mbedTLS's heap use.
 *
 * Debian's mbedTLS 2.28 is built without MBEDTLS_PLATFORM_MEMORY, so
 * mbedtls_platform_set_calloc_free() does not exist. Instead the benchmark
 * links the static mbedTLS libraries with `-Wl,--wrap=calloc,--wrap=free`:
 * every calloc() and free() in the statically linked code lands in
 * bench/heap.c, which records each block's size and the side (client or
 * server) that was running when it was allocated.
 */
#ifndef WORKSHOP_BENCH_HEAP_H
#define WORKSHOP_BENCH_HEAP_H

#include <stddef.h>

/** @brief Who is allocating: set before each side's step. */
enum heap_side {
    HEAP_OTHER = 0,  /**< setup, not attributed to a side */
    HEAP_CLIENT = 1, /**< the client's steps */
    HEAP_SERVER = 2, /**< the server's steps */
    HEAP_SIDES = 3   /**< number of sides */
};

/** @brief Bytes held by one side. */
struct heap_count {
    size_t current; /**< bytes allocated and not yet freed */
    size_t peak;    /**< highest @c current since the last heap_reset_peak() */
};

/** @brief 1 when the wrappers are linked in (the figures mean something). */
int heap_accounting_available(void);

/** @brief Attribute the following allocations to @p side. */
void heap_set_side(enum heap_side side);

/** @brief Start a new peak for every side (and the total) at the current value. */
void heap_reset_peak(void);

/** @brief Figures for one side. */
struct heap_count heap_get(enum heap_side side);

/** @brief Figures for all sides together. */
struct heap_count heap_get_total(void);

#endif /* WORKSHOP_BENCH_HEAP_H */
