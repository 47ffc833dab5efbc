/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file board_meter.c
 * @brief The board's measuring instruments: mbedTLS's heap arena with a
 *        meter on it, and a painted stack (see board_meter.h).
 *
 * Heap. A microcontroller has no malloc() worth the name for mbedTLS:
 * MBEDTLS_MEMORY_BUFFER_ALLOC_C (mcu/lab_config.h turns it on) hands out
 * blocks from one static arena, first fit from the bottom. The image is
 * linked with -Wl,--wrap=mbedtls_calloc,--wrap=mbedtls_free, so every
 * allocation of the library passes through here first: its size is charged
 * to the side that is running in the book that bench/heap_ledger.c keeps
 * (bench/tls_pair.c says which side, through bench/heap.h, as on the host),
 * and the end of the highest block ever
 * handed out is the arena's high-water mark.
 *
 * Stack. Before a side runs, everything below the stack pointer is filled
 * with a pattern; afterwards the lowest word that no longer holds it is as
 * deep as that side went. The depth is counted from the top of the stack,
 * so it includes main()'s own frames, as a device's task stack would.
 *
 * The arena, the meter's table and the stack are in the linker script's .lab
 * section and stack region, apart from the program's own static RAM. The
 * meter's bookkeeping costs about a hundred instructions per block: the lab
 * counts the handshake's instructions in a second image linked without the
 * wrappers (mcu/lab.mk, ARM_NO_METER), where the calls go straight to
 * mbedTLS's allocator.
 */
#include "board_meter.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <mbedtls/memory_buffer_alloc.h>

#include "heap.h"
#include "heap_ledger.h"

#define ARENA_SIZE (512u * 1024u)
#define SLOTS 4096u /* live blocks the meter can follow; a handshake needs a few hundred */
#define PAINT 0xC0FFEE55u

void *__real_mbedtls_calloc(size_t n, size_t size);
void __real_mbedtls_free(void *p);
void *__wrap_mbedtls_calloc(size_t n, size_t size);
void __wrap_mbedtls_free(void *p);

extern uint32_t __stack_limit[], __stack_top[];

__attribute__((section(".lab"), aligned(8))) static unsigned char arena[ARENA_SIZE];
__attribute__((section(".lab"))) static struct heap_ledger_slot table[SLOTS];
static size_t arena_high;
static size_t side_stack[HEAP_SIDES];
static size_t program_stack;

/* ---- Stack -------------------------------------------------------------- */

static uintptr_t stack_pointer(void)
{
    uintptr_t sp;

    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

/* Fill the free stack with the pattern, up to a little below this frame.
 * A volatile loop: the compiler must neither call memset() (whose own
 * frame would be painted over) nor drop the stores. */
static void paint_stack(void)
{
    volatile uint32_t *end = (volatile uint32_t *) ((stack_pointer() - 64u) & ~(uintptr_t) 3u);

    for (volatile uint32_t *w = __stack_limit; w < end; w++)
        *w = PAINT;
}

/* Bytes from the top of the stack down to the deepest word used since the
 * last paint. */
static size_t stack_depth(void)
{
    const volatile uint32_t *w = __stack_limit;

    while (w < (const volatile uint32_t *) __stack_top && *w == PAINT)
        w++;
    if (w == (const volatile uint32_t *) __stack_limit) {
        /* The pattern is gone down to the bottom: the stack may have run
         * into whatever lies below it. A measurement can no longer be
         * trusted: stop. */
        printf("error: the stack overflowed its %lu-byte region (mcu/mps2-an386.ld, STACK_SIZE)\n",
               (unsigned long) ((uintptr_t) __stack_top - (uintptr_t) __stack_limit));
        exit(70);
    }
    return (size_t) ((uintptr_t) __stack_top - (uintptr_t) w);
}

static void note_depth(void)
{
    size_t depth = stack_depth();
    enum heap_side side = heap_ledger_side();

    if (depth > program_stack)
        program_stack = depth;
    if (side != HEAP_OTHER && depth > side_stack[side])
        side_stack[side] = depth;
}

/* ---- Heap ----------------------------------------------------------------- */

void *__wrap_mbedtls_calloc(size_t n, size_t size)
{
    unsigned char *p = __real_mbedtls_calloc(n, size);
    size_t top;

    if (p == NULL)
        return NULL;
    if (heap_ledger_add(p, n * size) != 0) {
        printf("error: the heap meter can follow at most %u live blocks (board_meter.c, SLOTS)\n", SLOTS - 1);
        exit(70);
    }
    top = (size_t) (p - arena) + n * size;
    if (top > arena_high)
        arena_high = top;
    return p;
}

void __wrap_mbedtls_free(void *p)
{
    heap_ledger_remove(p);
    __real_mbedtls_free(p);
}

/* ---- bench/heap.h, for bench/tls_pair.c ---------------------------------- */

int heap_accounting_available(void)
{
    return 1;
}

void heap_set_side(enum heap_side side)
{
    /* What the side that ran last reached, then a fresh coat for the next. */
    note_depth();
    if (side != HEAP_OTHER)
        paint_stack();
    heap_ledger_set_side(side);
}

/* ---- board_meter.h ---------------------------------------------------------- */

void meter_init(void)
{
    mbedtls_memory_buffer_alloc_init(arena, sizeof(arena));
    heap_ledger_init(table, SLOTS);
    paint_stack();
}

size_t meter_stack_peak(int side)
{
    return side_stack[side == 0 ? HEAP_CLIENT : HEAP_SERVER];
}

size_t meter_program_stack_peak(void)
{
    note_depth();
    return program_stack;
}

size_t meter_stack_size(void)
{
    return (size_t) ((uintptr_t) __stack_top - (uintptr_t) __stack_limit);
}

size_t meter_arena_high_water(void)
{
    return arena_high;
}

size_t meter_arena_size(void)
{
    return sizeof(arena);
}

unsigned long meter_allocations(void)
{
    return heap_ledger_allocations();
}
