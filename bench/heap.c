/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file heap.c
 * @brief The calloc()/free() wrappers behind heap.h, on the host.
 *
 * Every block goes into the book of bench/heap_ledger.c, which knows its size
 * and side. free() of a block the book does not know (memory from malloc()
 * or realloc() in our own code) passes straight through.
 */
#include "heap.h"

#include <stdio.h>
#include <stdlib.h>

#include "heap_ledger.h"

#if defined(BENCH_HEAP_WRAP)

void *__real_calloc(size_t n, size_t size);
void __real_free(void *p);
void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *p);

/* 2^17 slots comfortably hold the few thousand blocks a session cache and
 * parsed certificates keep alive. */
#define SLOTS (1u << 17)

static struct heap_ledger_slot table[SLOTS];

void *__wrap_calloc(size_t n, size_t size)
{
    static int ready;
    void *p = __real_calloc(n, size);

    if (!ready) {
        heap_ledger_init(table, SLOTS);
        ready = 1;
    }
    if (p != NULL && heap_ledger_add(p, n * size) != 0) {
        fprintf(stderr, "error: the heap meter can follow at most %u live blocks (bench/heap.c, SLOTS)\n",
                SLOTS - 1);
        exit(70);
    }
    return p;
}

void __wrap_free(void *p)
{
    heap_ledger_remove(p);
    __real_free(p);
}

int heap_accounting_available(void)
{
    return 1;
}

#else /* no static mbedTLS libraries: nothing enters the book, all figures zero */

int heap_accounting_available(void)
{
    return 0;
}

#endif

void heap_set_side(enum heap_side side)
{
    heap_ledger_set_side(side);
}
