/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file stack.c
 * @brief The painted stack regions behind stack.h.
 *
 * Each side has a region from mmap(), with an inaccessible guard page below
 * it, so that an overflow stops the program instead of writing over
 * something else. stack_run() starts the function there with makecontext()
 * and swapcontext(), and comes back when it returns. Before a handshake
 * every word of each region holds the pattern; afterwards the lowest word
 * that no longer holds it is as deep as that side went. Painting again only
 * needs to cover what the last measurement found written, so a handshake
 * costs a scan of each region (a few microseconds), outside the CPU time
 * that tls_pair.c charges to each side.
 *
 * The switch itself (swapcontext() saves and restores the signal mask: a
 * system call each way) happens outside that CPU time too: tls_pair.c reads
 * the clock inside the function that runs on the region.
 */
#if defined(HAVE_CONFIG_H)
#include <config.h>
#endif

#include "stack.h"

#include <stdint.h>

#if defined(HAVE_MAKECONTEXT) && defined(HAVE_SWAPCONTEXT)

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(HAVE_VALGRIND_VALGRIND_H)
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#endif

#define PAINT 0xC0FFEE55u /* the microcontroller lab's pattern */
#define WORDS (STACK_REGION_SIZE / sizeof(uint32_t))

/* ASan checks our own reads of the region against the frames it knows of;
 * the scan looks at memory no frame owns any more, on purpose. */
#if defined(__GNUC__)
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NO_ASAN
#endif

struct region {
    uint32_t *base; /* lowest word; the guard page is just below */
    int dirty;      /* a function ran on it since the last paint */
    int measured;   /* stack_peak() ran since the last function did */
    size_t peak;    /* that measurement: below it the pattern is intact */
    size_t limit;   /* stack_limit(): bytes the functions get (0: all) */
};

static struct region regions[HEAP_SIDES];
static int state;   /* 0: not tried yet, 1: regions ready, -1: none (mmap failed) */
static int running; /* a side's function is on its region */
static ucontext_t caller, callee;
static void (*pending_fn)(void *);
static void *pending_arg;

NO_ASAN static void paint(struct region *r, size_t bytes)
{
    volatile uint32_t *w = r->base + (STACK_REGION_SIZE - bytes) / sizeof(uint32_t);

    for (; w < r->base + WORDS; w++)
        *w = PAINT;
    r->dirty = 0;
    r->measured = 0;
}

static int setup(void)
{
    size_t page = (size_t) sysconf(_SC_PAGESIZE);

    for (int s = HEAP_CLIENT; s <= HEAP_SERVER; s++) {
        unsigned char *map = mmap(NULL, page + STACK_REGION_SIZE, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

        if (map == MAP_FAILED)
            return -1;
        if (mprotect(map, page, PROT_NONE) != 0)
            return -1;
        /* Page-aligned (mmap), so aligned for words; through void * because
         * -Wcast-align cannot know that on 32-bit ARM. */
        regions[s].base = (void *) (map + page);
#if defined(HAVE_VALGRIND_VALGRIND_H)
        VALGRIND_STACK_REGISTER(regions[s].base, regions[s].base + WORDS);
#endif
        paint(&regions[s], STACK_REGION_SIZE);
    }
    return 0;
}

static int ready(void)
{
    if (state == 0)
        state = setup() == 0 ? 1 : -1;
    return state == 1;
}

static void trampoline(void)
{
    pending_fn(pending_arg);
}

int stack_meter_available(void)
{
    return ready();
}

void stack_run(enum heap_side side, void (*fn)(void *arg), void *arg)
{
    struct region *r;

    if ((side != HEAP_CLIENT && side != HEAP_SERVER) || running || !ready()) {
        fn(arg);
        return;
    }
    r = &regions[side];
    if (getcontext(&callee) != 0) {
        fn(arg);
        return;
    }
    callee.uc_stack.ss_sp = r->base;
    callee.uc_stack.ss_size = r->limit > 0 ? r->limit : STACK_REGION_SIZE;
    callee.uc_link = &caller;
    pending_fn = fn;
    pending_arg = arg;
    makecontext(&callee, trampoline, 0);
    running = 1;
    if (swapcontext(&caller, &callee) != 0) {
        /* Nothing ran: swapcontext() fails before switching. */
        running = 0;
        fn(arg);
        return;
    }
    running = 0;
    r->dirty = 1;
    r->measured = 0;
}

void stack_reset_peak(void)
{
    if (!ready())
        return;
    for (int s = HEAP_CLIENT; s <= HEAP_SERVER; s++) {
        struct region *r = &regions[s];
        if (r->dirty)
            paint(r, r->measured && r->limit == 0 ? r->peak : STACK_REGION_SIZE);
    }
}

NO_ASAN size_t stack_peak(enum heap_side side)
{
    struct region *r;
    const volatile uint32_t *w, *top;

    if ((side != HEAP_CLIENT && side != HEAP_SERVER) || !ready())
        return 0;
    r = &regions[side];
#if defined(HAVE_VALGRIND_VALGRIND_H)
    /* Memcheck marks a stack's memory inaccessible as frames return. */
    VALGRIND_MAKE_MEM_DEFINED(r->base, STACK_REGION_SIZE);
#endif
    top = r->base + (r->limit > 0 ? r->limit : STACK_REGION_SIZE) / sizeof(uint32_t);
    for (w = r->base; w < top && *w == PAINT; w++)
        ;
    /* From the top the functions were given (stack_limit()); above it the
     * pattern is intact. */
    r->peak = (size_t) (top - w) * sizeof(uint32_t);
    r->measured = 1;
    return r->peak;
}

void stack_limit(enum heap_side side, size_t bytes)
{
    if ((side == HEAP_CLIENT || side == HEAP_SERVER) && ready())
        regions[side].limit = bytes < STACK_REGION_SIZE ? bytes & ~(size_t) 15 : 0;
}

#else /* no ucontext: every step on the caller's stack, every figure 0 */

int stack_meter_available(void)
{
    return 0;
}

void stack_run(enum heap_side side, void (*fn)(void *arg), void *arg)
{
    (void) side;
    fn(arg);
}

void stack_reset_peak(void)
{
}

size_t stack_peak(enum heap_side side)
{
    (void) side;
    return 0;
}

void stack_limit(enum heap_side side, size_t bytes)
{
    (void) side;
    (void) bytes;
}

#endif
