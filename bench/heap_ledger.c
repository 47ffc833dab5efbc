/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file heap_ledger.c
 * @brief The book of live heap blocks (see heap_ledger.h).
 *
 * Block sizes are kept in a side table keyed by address rather than in a
 * header in front of each block, so the sizes mbedTLS asks for are exactly
 * what a heap profiler (valgrind's massif) sees too. The table uses open
 * addressing with linear probing; deletion shifts entries back, so no
 * tombstones accumulate. The benchmark and the board are single-threaded.
 */
#include "heap_ledger.h"

#include <stdint.h>
#include <string.h>

static struct heap_ledger_slot *table;
static size_t mask; /* slots - 1 */
static size_t live_blocks;
static struct heap_count counts[HEAP_SIDES];
static struct heap_count total;
static enum heap_side current_side = HEAP_OTHER;
static unsigned long allocations;

void heap_ledger_init(struct heap_ledger_slot *slots, size_t count)
{
    memset(slots, 0, count * sizeof(*slots));
    table = slots;
    mask = count - 1;
    live_blocks = 0;
}

static size_t slot_of(const void *p)
{
    uintptr_t x = (uintptr_t) p;

    x ^= x >> 13;
    x *= (uintptr_t) 0x9E3779B1u;
    return (size_t) (x >> 16) & mask;
}

static void add(struct heap_count *c, size_t size)
{
    c->current += size;
    if (c->current > c->peak)
        c->peak = c->current;
}

int heap_ledger_add(void *p, size_t size)
{
    size_t i;

    if (table == NULL || live_blocks == mask) /* one slot always stays free, to end every probe */
        return -1;
    for (i = slot_of(p); table[i].addr != NULL; i = (i + 1) & mask)
        ;
    live_blocks++;
    table[i].addr = p;
    table[i].size = size;
    table[i].side = current_side;
    add(&counts[current_side], size);
    add(&total, size);
    allocations++;
    return 0;
}

void heap_ledger_remove(const void *p)
{
    size_t i, j;

    if (p == NULL || table == NULL)
        return;
    for (i = slot_of(p); table[i].addr != NULL && table[i].addr != p; i = (i + 1) & mask)
        ;
    if (table[i].addr != p)
        return;
    live_blocks--;
    counts[table[i].side].current -= table[i].size;
    total.current -= table[i].size;
    table[i].addr = NULL;
    /* Backward-shift deletion: move later entries of the same probe run into
     * the hole when their home slot allows it. */
    for (j = (i + 1) & mask; table[j].addr != NULL; j = (j + 1) & mask) {
        size_t home = slot_of(table[j].addr);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            table[i] = table[j];
            table[j].addr = NULL;
            i = j;
        }
    }
}

void heap_ledger_set_side(enum heap_side side)
{
    current_side = side;
}

enum heap_side heap_ledger_side(void)
{
    return current_side;
}

unsigned long heap_ledger_allocations(void)
{
    return allocations;
}

/* ---- heap.h ------------------------------------------------------------- */

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
