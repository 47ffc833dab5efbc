/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ref_pair.c
 * @brief The reference family's handshake driver and heap meter (see
 *        ref_pair.h); the libraries' own calls are in ref_openssl.c and
 *        ref_wolfssl.c.
 *
 * The driver is tls_pair.c's handshake loop: each side in turn until both
 * are done, each call on the side's own stack region with its CPU time
 * read inside, and the side named for the heap meter. The meter puts a
 * header in front of each block (the hooks' free() is not told the size),
 * and counts the size the library asked for, as bench/heap.c does.
 */
#if defined(HAVE_CONFIG_H)
#include <config.h>
#endif

#include "ref_pair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "stack.h"

#if defined(REF_HAVE_OPENSSL)
extern const struct ref_library ref_openssl;
#endif
#if defined(REF_HAVE_WOLFSSL)
extern const struct ref_library ref_wolfssl;
#endif

static const struct ref_library *const libraries[] = {
#if defined(REF_HAVE_OPENSSL)
    &ref_openssl,
#endif
#if defined(REF_HAVE_WOLFSSL)
    &ref_wolfssl,
#endif
    NULL};

static int hooked[2]; /* per library in libraries[] */

const struct ref_library *const *ref_libraries(void)
{
    return libraries;
}

const char *ref_absent_reason(void)
{
#if defined(REF_ABSENT_REASON)
    return REF_ABSENT_REASON; /* configure's words */
#else
    return "tls_bench was built without configure's findings (no config.h)";
#endif
}

void ref_hook_allocators(void)
{
    for (size_t i = 0; libraries[i] != NULL && i < 2; i++)
        hooked[i] = libraries[i]->hook_allocator();
}

int ref_heap_available(const struct ref_library *lib)
{
    for (size_t i = 0; libraries[i] != NULL && i < 2; i++)
        if (libraries[i] == lib)
            return hooked[i];
    return 0;
}

/* ---- Heap ------------------------------------------------------------------ */

/* 16 bytes keep the block as aligned as malloc()'s own. */
struct block_header {
    size_t size;
    size_t side;
};
#define HEADER_BYTES 16

static struct heap_count counts[HEAP_SIDES];
static enum heap_side running = HEAP_OTHER;

static void charge(size_t side, size_t add, size_t remove)
{
    struct heap_count *c = &counts[side];

    c->current = c->current + add - remove;
    if (c->current > c->peak)
        c->peak = c->current;
}

void *ref_heap_malloc(size_t size)
{
    unsigned char *raw = malloc(size + HEADER_BYTES);
    struct block_header h = {size, (size_t) running};

    if (raw == NULL)
        return NULL;
    memcpy(raw, &h, sizeof(h));
    charge(h.side, size, 0);
    return raw + HEADER_BYTES;
}

void *ref_heap_realloc(void *block, size_t size)
{
    unsigned char *raw;
    struct block_header h;

    if (block == NULL)
        return ref_heap_malloc(size);
    raw = (unsigned char *) block - HEADER_BYTES;
    memcpy(&h, raw, sizeof(h));
    raw = realloc(raw, size + HEADER_BYTES);
    if (raw == NULL)
        return NULL;
    charge(h.side, size, h.size); /* the block stays its first owner's */
    h.size = size;
    memcpy(raw, &h, sizeof(h));
    return raw + HEADER_BYTES;
}

void ref_heap_free(void *block)
{
    unsigned char *raw;
    struct block_header h;

    if (block == NULL)
        return;
    raw = (unsigned char *) block - HEADER_BYTES;
    memcpy(&h, raw, sizeof(h));
    charge(h.side, 0, h.size);
    free(raw);
}

/* ---- The pair -------------------------------------------------------------- */

static enum heap_side heap_side_of(enum mem_side side)
{
    return side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER;
}

struct ref_call {
    struct ref_pair *p;
    enum mem_side side;
    int ret;
    double cpu_ns;
};

static void ref_call_run(void *arg)
{
    struct ref_call *c = arg;
    double start = thread_cpu_ns();

    c->ret = c->p->lib->handshake(c->p, c->side);
    c->cpu_ns = thread_cpu_ns() - start;
}

static int connect_side(struct ref_pair *p, enum mem_side side)
{
    int ret;

    running = heap_side_of(side);
    ret = p->lib->connect(p, side);
    running = HEAP_OTHER;
    return ret;
}

int ref_pair_reset(struct ref_pair *p)
{
    mem_transport_reset(&p->transport);
    return connect_side(p, MEM_CLIENT) != 0 || connect_side(p, MEM_SERVER) != 0 ? -1 : 0;
}

int ref_pair_handshake(struct ref_pair *p)
{
    int done[2] = {0, 0};

    memset(&p->cost, 0, sizeof(p->cost));
    mem_transport_reset_counters(&p->transport);
    for (int s = 0; s < HEAP_SIDES; s++)
        counts[s].peak = counts[s].current;
    stack_reset_peak();
    for (int rounds = 0; !(done[MEM_CLIENT] && done[MEM_SERVER]); rounds++) {
        if (rounds == 100) {
            snprintf(p->error, sizeof(p->error), "handshake made no progress");
            return -1;
        }
        for (int side = 0; side < 2; side++) {
            struct ref_call c = {p, (enum mem_side) side, 0, 0};

            if (done[side])
                continue;
            running = heap_side_of((enum mem_side) side);
            stack_run(running, ref_call_run, &c);
            running = HEAP_OTHER;
            p->cost.cpu_ns[side] += c.cpu_ns;
            if (c.ret < 0)
                return -1;
            done[side] = c.ret;
        }
    }
    if (p->params.resume && p->session != NULL && !p->lib->resumed(p)) {
        snprintf(p->error, sizeof(p->error), "%s: the handshake did not resume the kept session",
                 p->lib->name);
        return -1;
    }
    for (int side = 0; side < 2; side++) {
        enum heap_side h = heap_side_of((enum mem_side) side);
        p->cost.peak_bytes[side] = (double) counts[h].peak;
        p->cost.held_bytes[side] = (double) counts[h].current;
        p->cost.wire_bytes[side] = (double) p->transport.bytes[side];
        p->cost.flights[side] = (double) p->transport.flights[side];
        p->cost.peak_stack[side] = (double) stack_peak(h);
    }
    return 0;
}

const char *ref_suite_tls12(const struct ref_params *params)
{
    return params->rsa ? REF_SUITE_TLS12_RSA : REF_SUITE_TLS12;
}

int ref_pair_setup(struct ref_pair *p, const struct ref_library *lib, const struct ref_params *params,
                   const char *certs)
{
    memset(p, 0, sizeof(*p));
    p->lib = lib;
    p->params = *params;
    mem_transport_init(&p->transport);
    if (lib->configure(p, MEM_CLIENT, certs) != 0 || lib->configure(p, MEM_SERVER, certs) != 0)
        return -1;
    /* One handshake to check it all, untimed (and the pipes grow once): a
     * full one (no session kept yet), whose session the resumption rows come
     * back with. */
    if (ref_pair_reset(p) != 0 || ref_pair_handshake(p) != 0)
        return -1;
    if (p->params.resume && lib->keep_session(p) != 0)
        return -1;
    return ref_pair_reset(p);
}

/* ---- Application data -------------------------------------------------------- */

struct ref_transfer {
    struct ref_pair *p;
    const unsigned char *buf;
    unsigned char *out;
    size_t len;
    int ret;
};

/* The client writes everything (the pipe grows: a write never waits). */
static void transfer_write(void *arg)
{
    struct ref_transfer *t = arg;

    t->ret = t->p->lib->write(t->p, MEM_CLIENT, t->buf, t->len);
}

/* Then the server reads it all. */
static void transfer_read(void *arg)
{
    struct ref_transfer *t = arg;
    size_t got = 0;

    while (t->ret == 0 && got < t->len) {
        int n = t->p->lib->read(t->p, MEM_SERVER, t->out + got, t->len - got);

        if (n < 0) {
            t->ret = -1;
        } else if (n == 0) {
            snprintf(t->p->error, sizeof(t->p->error), "%s: read stalled at %zu of %zu bytes",
                     t->p->lib->name, got, t->len);
            t->ret = -1;
        } else {
            got += (size_t) n;
        }
    }
}

int ref_pair_transfer(struct ref_pair *p, const unsigned char *buf, unsigned char *out, size_t len)
{
    struct ref_transfer t = {p, buf, out, len, 0};

    transfer_write(&t);
    transfer_read(&t);
    return t.ret;
}

int ref_pair_transfer_measured(struct ref_pair *p, const unsigned char *buf, unsigned char *out, size_t len)
{
    struct ref_transfer t = {p, buf, out, len, 0};

    stack_reset_peak();
    running = HEAP_CLIENT;
    stack_run(HEAP_CLIENT, transfer_write, &t);
    running = HEAP_SERVER;
    stack_run(HEAP_SERVER, transfer_read, &t);
    running = HEAP_OTHER;
    p->cost.peak_stack[MEM_CLIENT] = (double) stack_peak(HEAP_CLIENT);
    p->cost.peak_stack[MEM_SERVER] = (double) stack_peak(HEAP_SERVER);
    return t.ret;
}

void ref_pair_free(struct ref_pair *p)
{
    if (p->lib != NULL) {
        p->lib->release(p, MEM_SERVER);
        p->lib->release(p, MEM_CLIENT);
    }
    mem_transport_free(&p->transport);
}
