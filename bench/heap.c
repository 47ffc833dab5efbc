/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file heap.c
 * @brief The calloc()/free() wrappers behind heap.h.
 *
 * Block sizes are kept in a side table keyed by address rather than in a
 * header in front of each block, so the sizes mbedTLS asks for are exactly
 * what a heap profiler (valgrind's massif) sees too. free() of a block the
 * table does not know (memory from malloc() or realloc() in our own code)
 * passes straight through. The benchmark is single-threaded.
 */
#include "heap.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(BENCH_HEAP_WRAP)

void *__real_calloc(size_t n, size_t size);
void __real_free(void *p);
void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *p);

/* Open addressing with linear probing; deletion shifts entries back, so no
 * tombstones accumulate. 2^17 slots comfortably hold the few thousand blocks
 * a session cache and parsed certificates keep alive. */
#define SLOTS (1u << 17)

struct block {
    void *addr;
    size_t size;
    enum heap_side side;
};

static struct block table[SLOTS];
static struct heap_count counts[HEAP_SIDES];
static struct heap_count total;
static enum heap_side current_side = HEAP_OTHER;

static size_t slot_of(const void *p)
{
    uintptr_t x = (uintptr_t) p;
    x ^= x >> 17;
    x *= (uintptr_t) 0x9E3779B97F4A7C15ull;
    return (size_t) (x >> 7) & (SLOTS - 1);
}

static void add(struct heap_count *c, size_t size)
{
    c->current += size;
    if (c->current > c->peak)
        c->peak = c->current;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = __real_calloc(n, size);
    size_t i;

    if (p == NULL)
        return NULL;
    for (i = slot_of(p); table[i].addr != NULL; i = (i + 1) & (SLOTS - 1))
        ;
    table[i].addr = p;
    table[i].size = n * size;
    table[i].side = current_side;
    add(&counts[current_side], n * size);
    add(&total, n * size);
    return p;
}

void __wrap_free(void *p)
{
    size_t i, j;

    if (p == NULL)
        return;
    for (i = slot_of(p); table[i].addr != NULL && table[i].addr != p; i = (i + 1) & (SLOTS - 1))
        ;
    if (table[i].addr == p) {
        counts[table[i].side].current -= table[i].size;
        total.current -= table[i].size;
        table[i].addr = NULL;
        /* Backward-shift deletion: move later entries of the same probe run
         * into the hole when their home slot allows it. */
        for (j = (i + 1) & (SLOTS - 1); table[j].addr != NULL; j = (j + 1) & (SLOTS - 1)) {
            size_t home = slot_of(table[j].addr);
            if (((j - home) & (SLOTS - 1)) >= ((j - i) & (SLOTS - 1))) {
                table[i] = table[j];
                table[j].addr = NULL;
                i = j;
            }
        }
    }
    __real_free(p);
}

int heap_accounting_available(void)
{
    return 1;
}

void heap_set_side(enum heap_side side)
{
    current_side = side;
}

void heap_reset_peak(void)
{
    for (int s = 0; s < HEAP_SIDES; s++)
        counts[s].peak = counts[s].current;
    total.peak = total.current;
}

struct heap_count heap_get(enum heap_side side)
{
    return counts[side];
}

struct heap_count heap_get_total(void)
{
    return total;
}

#else /* no static mbedTLS libraries: no accounting, all figures zero */

int heap_accounting_available(void)
{
    return 0;
}

void heap_set_side(enum heap_side side)
{
    (void) side;
}

void heap_reset_peak(void)
{
}

struct heap_count heap_get(enum heap_side side)
{
    struct heap_count none = {0, 0};
    (void) side;
    return none;
}

struct heap_count heap_get_total(void)
{
    struct heap_count none = {0, 0};
    return none;
}

#endif
