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
 * to the side that is running (bench/tls_pair.c says which, through
 * bench/heap.h, as on the host), and the end of the highest block ever
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

#define ARENA_SIZE (512u * 1024u)
#define SLOTS 4096u /* live blocks the meter can follow; a handshake needs a few hundred */
#define PAINT 0xC0FFEE55u

void *__real_mbedtls_calloc(size_t n, size_t size);
void __real_mbedtls_free(void *p);
void *__wrap_mbedtls_calloc(size_t n, size_t size);
void __wrap_mbedtls_free(void *p);

extern uint32_t __stack_limit[], __stack_top[];

struct block {
    void *addr;
    size_t size;
    enum heap_side side;
};

__attribute__((section(".lab"), aligned(8))) static unsigned char arena[ARENA_SIZE];
__attribute__((section(".lab"))) static struct block table[SLOTS];
static struct heap_count counts[HEAP_SIDES];
static struct heap_count total;
static enum heap_side current_side = HEAP_OTHER;
static size_t arena_high;
static unsigned long allocations;
static size_t live_blocks;
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

    if (depth > program_stack)
        program_stack = depth;
    if (current_side != HEAP_OTHER && depth > side_stack[current_side])
        side_stack[current_side] = depth;
}

/* ---- Heap ----------------------------------------------------------------- */

static size_t slot_of(const void *p)
{
    uintptr_t x = (uintptr_t) p;

    x ^= x >> 13;
    x *= 0x9E3779B1u;
    return (size_t) (x >> 16) & (SLOTS - 1);
}

static void add(struct heap_count *c, size_t size)
{
    c->current += size;
    if (c->current > c->peak)
        c->peak = c->current;
}

void *__wrap_mbedtls_calloc(size_t n, size_t size)
{
    unsigned char *p = __real_mbedtls_calloc(n, size);
    size_t i, top;

    if (p == NULL)
        return NULL;
    if (live_blocks == SLOTS - 1) {
        /* One slot always stays free, to end every probe. */
        printf("error: the heap meter can follow at most %u live blocks (board_meter.c, SLOTS)\n", SLOTS - 1);
        exit(70);
    }
    for (i = slot_of(p); table[i].addr != NULL; i = (i + 1) & (SLOTS - 1))
        ;
    live_blocks++;
    table[i].addr = p;
    table[i].size = n * size;
    table[i].side = current_side;
    add(&counts[current_side], n * size);
    add(&total, n * size);
    top = (size_t) (p - arena) + n * size;
    if (top > arena_high)
        arena_high = top;
    allocations++;
    return p;
}

void __wrap_mbedtls_free(void *p)
{
    size_t i, j;

    if (p == NULL)
        return;
    for (i = slot_of(p); table[i].addr != NULL && table[i].addr != p; i = (i + 1) & (SLOTS - 1))
        ;
    if (table[i].addr == p) {
        live_blocks--;
        counts[table[i].side].current -= table[i].size;
        total.current -= table[i].size;
        table[i].addr = NULL;
        /* Backward-shift deletion: keep every probe run unbroken. */
        for (j = (i + 1) & (SLOTS - 1); table[j].addr != NULL; j = (j + 1) & (SLOTS - 1)) {
            size_t home = slot_of(table[j].addr);
            if (((j - home) & (SLOTS - 1)) >= ((j - i) & (SLOTS - 1))) {
                table[i] = table[j];
                table[j].addr = NULL;
                i = j;
            }
        }
    }
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
    current_side = side;
}

void heap_reset_peak(void)
{
    allocations = 0; /* tls_pair starts every handshake's figures here */
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

/* ---- board_meter.h ---------------------------------------------------------- */

void meter_init(void)
{
    mbedtls_memory_buffer_alloc_init(arena, sizeof(arena));
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
    return allocations;
}
