/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_pair.c
 * @brief Client and server in one thread (see tls_pair.h).
 *
 * Both ends come from the lessons' stages, so the benchmarks measure the
 * very setup the lessons teach. What this file adds is only what the
 * benchmarks measure beyond the lessons: pre-shared keys, session
 * resumption, and a handshake driven one step per side, so that each side's
 * CPU time and heap are counted apart.
 */
#include "tls_pair.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "heap.h"
#include "record_decoder.h"
#include "stack.h"

const char *const tls_pair_group_name = "secp256r1";

#if COMPAT_HAVE_PSK
/* The pre-shared key of the PSK suites: a benchmark value, not a secret. */
static const unsigned char psk_key[16] = "workshop-psk-key";
static const char psk_identity[] = "workshop";
#endif

static const char *const side_name[2] = {"client", "server"};

/* DTLS rows need the library's DTLS with its cookies (lessons 15 and 16); a
 * build without them (a TLS-only profile of the microcontroller lab, mcu/)
 * compiles without that code and refuses a DTLS pair. */
#if !defined(TLS_PAIR_DTLS) /* the microcontroller lab sets it to 0: it measures TLS only */
#if defined(MBEDTLS_SSL_PROTO_DTLS) && defined(MBEDTLS_SSL_DTLS_HELLO_VERIFY) &&                             \
    defined(MBEDTLS_SSL_COOKIE_C) && defined(MBEDTLS_SSL_SRV_C) && defined(MBEDTLS_SSL_CLI_C)
#define TLS_PAIR_DTLS 1
#else
#define TLS_PAIR_DTLS 0
#endif
#endif

static enum heap_side heap_side_of(enum mem_side side)
{
    return side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER;
}

/* A failed mbedTLS call of the benchmark's own. */
static int fail(struct tls_pair *p, const char *function, int ret)
{
    char text[120];

    snprintf(p->error, sizeof(p->error), "%.120s failed: -0x%04X %.70s", function, (unsigned) -ret,
             error_text(ret, text, sizeof(text)));
    return -1;
}

/* A failed stage has reported its error (silently: tls_bench.c turns the
 * narration and error lines off); keep the first line. */
static int stage_failed(struct tls_pair *p, enum mem_side side)
{
    snprintf(p->error, sizeof(p->error), "%s: %.240s", side_name[side], report_first_error());
    return -1;
}

/* Stage 02's error names the function; its narration, silent here, would
 * have named the file. */
static int load_failed(struct tls_pair *p, enum mem_side side, const char *certs)
{
    snprintf(p->error, sizeof(p->error), "%s: %.160s (certificates from %.60s)", side_name[side],
             report_first_error(), certs);
    return -1;
}

/* What stages 02 and 03 are told for one end: the options a lesson takes
 * from its command line. */
static void set_options(struct tls_pair *p, enum mem_side side, int suite, const char *certs)
{
    const struct tls_pair_params *q = &p->params;
    const struct tls_key *key = q->key;
    struct tls_pair_files *f = &p->files[side];
    struct options *o = &p->opts[side];

    memset(o, 0, sizeof(*o));
    o->program = "tls_bench";
    o->is_server = side == MEM_SERVER;
    o->ciphersuites[0] = suite; /* one suite, so also one TLS version (lesson 03); 0: the library's */
    memcpy(o->tls_groups, p->groups, sizeof(p->groups));
    o->debug_level = q->debug_level;
    o->require_client_cert = q->client_auth;
    o->servername = side == MEM_CLIENT ? "localhost" : NULL; /* the name in the certificates */
    o->datagram = q->dtls; /* lesson 03 then picks MBEDTLS_SSL_TRANSPORT_DATAGRAM */
    o->hs_timeout_min = TLS_PAIR_DTLS_HS_MIN_MS;
    o->hs_timeout_max = TLS_PAIR_DTLS_HS_MAX_MS;
    o->mtu = TLS_PAIR_DTLS_MTU;
    if (key == NULL)
        return; /* pre-shared key: no certificates at all */
    snprintf(f->ca, sizeof(f->ca), "%s/ca.pem", certs);
    o->ca_file = f->ca;
    if (side == MEM_SERVER || q->client_auth) {
        snprintf(f->cert, sizeof(f->cert), "%s/%s", certs,
                 side == MEM_SERVER ? key->server_chain : key->client_chain);
        snprintf(f->key, sizeof(f->key), "%s/%s", certs,
                 side == MEM_SERVER ? key->server_key : key->client_key);
        o->cert_file = f->cert;
        o->key_file = f->key;
    }
}

/* What the benchmarks add to lesson 03's configuration. */
static int configure_extras(struct tls_pair *p, enum mem_side side)
{
    mbedtls_ssl_config *conf = &p->end[side].conf;
    const struct tls_pair_params *q = &p->params;
    int ret;

    /* The debug family counts the messages with a callback of its own. */
    if (q->dbg != NULL)
        mbedtls_ssl_conf_dbg(conf, q->dbg, q->dbg_ctx);
    if (q->tune != NULL) {
        ret = q->tune(conf, side == MEM_CLIENT ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER, q->tune_ctx);
        if (ret != 0)
            return fail(p, "the configuration's tuning", ret);
    }
    if (q->key == NULL) {
#if COMPAT_HAVE_PSK
        ret = mbedtls_ssl_conf_psk(conf, psk_key, sizeof(psk_key), (const unsigned char *) psk_identity,
                                   sizeof(psk_identity) - 1);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_conf_psk", ret);
        /* TLS 1.3 picks the key exchange apart from the suite (lesson 11). */
        if (q->tls13_kex != 0 && !compat_conf_tls13_kex_modes(conf, q->tls13_kex)) {
            snprintf(p->error, sizeof(p->error),
                     "this library lacks the TLS 1.3 key exchange mode asked for");
            return -1;
        }
#else
        snprintf(p->error, sizeof(p->error), "no pre-shared-key exchange is in this library");
        return -1;
#endif
    }
    /* The client's ticket switch, the server's cache and ticket keys: each
     * exists only in a library with that side (the microcontroller lab,
     * mcu/, builds one side alone too). */
#if defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_CLI_C)
    mbedtls_ssl_conf_session_tickets(conf, q->resume == RESUME_TICKET ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                                      : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
    if (side == MEM_CLIENT) {
        /* A TLS 1.3 ticket arrives after the handshake; without signalling,
         * 3.6.1 and later clients throw it away. */
        if (q->tls13 && q->resume == RESUME_TICKET)
            compat_conf_tls13_signal_tickets(conf);
        return 0;
    }
    if (q->resume == RESUME_CACHE) {
#if defined(MBEDTLS_SSL_CACHE_C) && defined(MBEDTLS_SSL_SRV_C)
        mbedtls_ssl_conf_session_cache(conf, &p->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
#else
        snprintf(p->error, sizeof(p->error),
                 "MBEDTLS_SSL_CACHE_C (or MBEDTLS_SSL_SRV_C) is not in this library");
        return -1;
#endif
    }
    if (q->resume == RESUME_TICKET) {
#if defined(MBEDTLS_SSL_TICKET_C) && defined(MBEDTLS_SSL_SRV_C)
        ret = compat_ssl_ticket_setup(&p->ticket, compat_rng_random, &p->end[side].rng, 86400);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_ticket_setup", ret);
        mbedtls_ssl_conf_session_tickets_cb(conf, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                            &p->ticket);
#else
        snprintf(p->error, sizeof(p->error),
                 "MBEDTLS_SSL_TICKET_C (or MBEDTLS_SSL_SRV_C) is not in this library");
        return -1;
#endif
    }
    return 0;
}

/* Stages 02 and 03 for one end, then the benchmark's additions. */
static int prepare_end(struct tls_pair *p, enum mem_side side, int suite, const char *certs)
{
    struct tls_endpoint *s = &p->end[side];

    set_options(p, side, suite, certs);
    if (p->opts[side].ca_file != NULL && stage_load_certs(s, &p->opts[side]) != WS_EXIT_OK)
        return load_failed(p, side, certs);
    if (stage_config(s, &p->opts[side], side == MEM_CLIENT ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER) !=
        WS_EXIT_OK)
        return stage_failed(p, side);
#if TLS_PAIR_DTLS
    /* DTLS: lesson 15's timeouts and replay protection, lesson 16's cookies. */
    if (p->params.dtls && (stage_dtls_config(s, &p->opts[side]) != WS_EXIT_OK ||
                           (side == MEM_SERVER && stage_dtls_cookies(s, &p->cookies) != WS_EXIT_OK)))
        return stage_failed(p, side);
#endif
    return configure_extras(p, side);
}

#if TLS_PAIR_DTLS
/* DTLS: lesson 15's watch in front of the transport, on its virtual clock;
 * the server also needs the client's "address", which its cookies are
 * made for (lesson 16 gives the IP address and port). */
static void dtls_prepare_side(struct tls_pair *p, enum mem_side side)
{
    dtls_watch_init(&p->watch[side], &p->transport.end[side], mem_transport_send, mem_transport_recv_timeout);
    dtls_watch_use_clock(&p->watch[side], mem_transport_now, &p->transport);
    p->watch[side].handshaking = 1; /* count the timers that fire (narration is off) */
}

static int dtls_set_client_address(struct tls_pair *p)
{
    static const unsigned char address[] = "in-memory client";
    int ret = mbedtls_ssl_set_client_transport_id(&p->end[MEM_SERVER].ssl, address, sizeof(address) - 1);

    return ret == 0 ? 0 : fail(p, "mbedtls_ssl_set_client_transport_id", ret);
}
#endif

/* Lesson 04's attach, with the in-memory transport instead of a socket.
 * mbedtls_ssl_setup() allocates the record buffers: the side running it
 * owns them. */
static int attach(struct tls_pair *p, enum mem_side side)
{
    struct tls_endpoint *s = &p->end[side];
    int ret;

    heap_set_side(heap_side_of(side));
#if TLS_PAIR_DTLS
    if (p->params.dtls) {
        static const unsigned char cid[DTLS_CID_LEN] = {'b', 'n', 'c', 'h'}; /* unused: no --cid */

        dtls_prepare_side(p, side);
        ret = stage_dtls_attach(&s->ssl, &s->conf, &p->opts[side], &p->watch[side], p->opts[side].servername,
                                cid); /* lesson 15, through the watch */
        heap_set_side(HEAP_OTHER);
        if (ret != WS_EXIT_OK)
            return stage_failed(p, side);
        return side == MEM_SERVER ? dtls_set_client_address(p) : 0;
    }
#endif
    ret = stage_attach_bio(&s->ssl, &s->conf, p->opts[side].servername, &p->transport.end[side],
                           mem_transport_send, mem_transport_recv, NULL);
    heap_set_side(HEAP_OTHER);
    return ret == WS_EXIT_OK ? 0 : stage_failed(p, side);
}

#if TLS_PAIR_DTLS
/* DTLS: lesson 16's answer to MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED. A
 * HelloVerifyRequest with a cookie went out, and the server forgets the
 * client until it comes back with the cookie: reset the context, and name
 * the client's address again. */
static int dtls_forget_client(struct tls_pair *p)
{
    int ret;

    heap_set_side(HEAP_SERVER);
    ret = mbedtls_ssl_session_reset(&p->end[MEM_SERVER].ssl);
    heap_set_side(HEAP_OTHER);
    if (ret != 0)
        return fail(p, "mbedtls_ssl_session_reset (after the HelloVerifyRequest)", ret);
    return dtls_set_client_address(p);
}
#endif

/* [handshake-step] */
/* One call of one side, as it runs on that side's own stack region
 * (bench/stack.h): the clock is read there, so neither the switch to the
 * region nor the painting is charged to the side. */
struct side_call {
    mbedtls_ssl_context *ssl;
    int read; /* 0: mbedtls_ssl_handshake(), 1: mbedtls_ssl_read() of one byte */
    int ret;
    double cpu_ns;
};

static void side_call_run(void *arg)
{
    struct side_call *c = arg;
    unsigned char byte;
    double start = thread_cpu_ns();

    c->ret = c->read ? mbedtls_ssl_read(c->ssl, &byte, 1) : mbedtls_ssl_handshake(c->ssl);
    c->cpu_ns = thread_cpu_ns() - start;
}

/* Run one call of @p side with its heap and stack charged to it. */
static int on_side(struct tls_pair *p, enum mem_side side, int read)
{
    struct side_call c = {&p->end[side].ssl, read, 0, 0};

    heap_set_side(heap_side_of(side));
    stack_run(heap_side_of(side), side_call_run, &c);
    heap_set_side(HEAP_OTHER);
    p->cost.cpu_ns[side] += c.cpu_ns;
    return c.ret;
}

/* Run one side until it finishes or waits for the other: its CPU time,
 * allocations and stack are charged to it. This is lesson 05's loop, turned
 * inside out: there a "want read" is retried at once (the socket waits for
 * the peer); here the peer runs in this same thread, so it must get its
 * turn. */
static int step(struct tls_pair *p, enum mem_side side, int *done)
{
    int ret;

    if (done[side])
        return 0;
    ret = on_side(p, side, 0);
    if (ret == 0)
        done[side] = 1;
#if TLS_PAIR_DTLS
    else if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED && side == MEM_SERVER && p->params.dtls)
        return dtls_forget_client(p);
#endif
    else if (!compat_ssl_should_retry(ret))
        return fail(
            p, side == MEM_CLIENT ? "mbedtls_ssl_handshake (client)" : "mbedtls_ssl_handshake (server)", ret);
    return 0;
}

#if TLS_PAIR_DTLS
/* [dtls-step] */
/* DTLS: a side that has finished its handshake still reads, because the
 * peer may resend its last flight (its copy of ours was lost), and mbedTLS
 * answers that by resending its own last flight from mbedtls_ssl_read(). */
static int dtls_step(struct tls_pair *p, enum mem_side side, int *done)
{
    int ret;

    if (!done[side])
        return step(p, side, done);
    ret = on_side(p, side, 1);
    if (ret >= 0) {
        snprintf(p->error, sizeof(p->error), "unexpected data after the handshake");
        return -1;
    }
    return compat_ssl_should_retry(ret) ? 0 : fail(p, "mbedtls_ssl_read (after the handshake)", ret);
}

/* Something happened on the link: a datagram sent or taken. */
static unsigned long link_activity(const struct tls_pair *p)
{
    const struct mem_datagrams *g = &p->transport.dgram;

    return g->sent[0] + g->sent[1] + g->delivered[0] + g->delivered[1];
}

/* Both sides step until neither can do anything; then the virtual clock
 * jumps to the next event (a datagram arriving, a retransmission timer
 * firing), and they step again. No real time passes. */
static int run_dtls_handshake(struct tls_pair *p)
{
    int done[2] = {0, 0};

    for (long rounds = 0; !(done[MEM_CLIENT] && done[MEM_SERVER]); rounds++) {
        unsigned long before = link_activity(p);
        double next;

        if (rounds == 100000) {
            snprintf(p->error, sizeof(p->error), "handshake made no progress");
            return -1;
        }
        if (dtls_step(p, MEM_CLIENT, done) != 0 || dtls_step(p, MEM_SERVER, done) != 0)
            return -1;
        if (link_activity(p) != before || (done[MEM_CLIENT] && done[MEM_SERVER]))
            continue;
        next = mem_transport_next_arrival(&p->transport);
        for (int side = 0; side < 2; side++) {
            double deadline = dtls_watch_deadline(&p->watch[side]);

            if (deadline >= 0 && (next < 0 || deadline < next))
                next = deadline;
        }
        if (next < 0) {
            snprintf(p->error, sizeof(p->error), "handshake stuck: no datagram on its way, no timer running");
            return -1;
        }
        mem_transport_advance(&p->transport, next);
    }
    p->cost.completion_ms = mem_transport_now(&p->transport);
    return 0;
}
/* [dtls-step] */
#endif

static void begin_cost(struct tls_pair *p)
{
    memset(&p->cost, 0, sizeof(p->cost));
    mem_transport_reset_counters(&p->transport);
    heap_reset_peak();
    stack_reset_peak();
}

static int run_handshake(struct tls_pair *p)
{
    int done[2] = {0, 0};

#if TLS_PAIR_DTLS
    if (p->params.dtls)
        return run_dtls_handshake(p);
#endif
    /* In memory every round makes progress; over TCP a side may find
     * nothing to read yet and simply spin, so allow many rounds. */
    long rounds = p->params.tcp ? 10000000L : 100L;

    while (!(done[MEM_CLIENT] && done[MEM_SERVER])) {
        if (rounds-- == 0) {
            snprintf(p->error, sizeof(p->error), "handshake made no progress");
            return -1;
        }
        if (step(p, MEM_CLIENT, done) != 0 || step(p, MEM_SERVER, done) != 0)
            return -1;
    }
    return 0;
}
/* [handshake-step] */

static void end_cost(struct tls_pair *p)
{
    for (int side = 0; side < 2; side++) {
        struct heap_count h = heap_get(heap_side_of((enum mem_side) side));
        p->cost.peak_bytes[side] = (double) h.peak;
        p->cost.held_bytes[side] = (double) h.current;
        p->cost.wire_bytes[side] = (double) p->transport.bytes[side];
        p->cost.flights[side] = (double) p->transport.flights[side];
        p->cost.datagrams[side] = (double) p->transport.dgram.sent[side];
        p->cost.resent_bytes[side] = (double) p->transport.dgram.resent_bytes[side];
        p->cost.timer_expiries += (double) p->watch[side].expiries;
        p->cost.peak_stack[side] = (double) stack_peak(heap_side_of((enum mem_side) side));
    }
    for (int f = 0; f < MEM_MAX_FLIGHTS; f++) {
        p->cost.flight_bytes[f] = (double) p->transport.flight_bytes[f];
        p->cost.flight_datagrams[f] = (double) p->transport.dgram.flight_datagrams[f];
    }
    p->cost.total_peak_bytes = (double) heap_get_total().peak;
}

/* A side whose pattern is gone down to the bottom of its region may have
 * gone further (into the guard page, which stops the program, or past it):
 * its figure cannot be trusted. */
static int check_stack(struct tls_pair *p)
{
    for (int side = 0; side < 2; side++) {
        if (p->cost.peak_stack[side] >= STACK_REGION_SIZE) {
            snprintf(p->error, sizeof(p->error), "the %s's steps overflowed their %u-byte stack region",
                     side_name[side], STACK_REGION_SIZE);
            return -1;
        }
    }
    return 0;
}

int tls_pair_reset(struct tls_pair *p)
{
    int ret;

    if (!p->params.tcp)
        mem_transport_reset(&p->transport);
    for (int side = 0; side < 2; side++) {
        heap_set_side(heap_side_of((enum mem_side) side));
        ret = mbedtls_ssl_session_reset(&p->end[side].ssl);
        heap_set_side(HEAP_OTHER);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_session_reset", ret);
#if TLS_PAIR_DTLS
        if (p->params.dtls)
            dtls_prepare_side(p, (enum mem_side) side); /* a fresh watch: counters, timer */
#endif
    }
#if TLS_PAIR_DTLS
    if (p->params.dtls && dtls_set_client_address(p) != 0)
        return -1;
#endif
    if (p->params.resume != RESUME_NONE) {
#if defined(MBEDTLS_SSL_CLI_C)
        heap_set_side(HEAP_CLIENT);
        ret = mbedtls_ssl_set_session(&p->end[MEM_CLIENT].ssl, &p->saved);
        heap_set_side(HEAP_OTHER);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_set_session", ret);
#else
        snprintf(p->error, sizeof(p->error), "resumption needs a client (MBEDTLS_SSL_CLI_C)");
        return -1;
#endif
    }
    return 0;
}

int tls_pair_handshake(struct tls_pair *p)
{
    int ret;

    begin_cost(p);
    ret = run_handshake(p);
    end_cost(p);
    return ret != 0 ? ret : check_stack(p);
}

void tls_pair_cold_reset(struct tls_pair *p)
{
    /* Return to "never connected": free the contexts (and their buffers)
     * as lesson 07 does, and initialise them again as lesson 01 does. */
    for (int side = 0; side < 2; side++) {
        mbedtls_ssl_free(&p->end[side].ssl);
        mbedtls_ssl_init(&p->end[side].ssl);
    }
    if (!p->params.tcp)
        mem_transport_reset(&p->transport);
}

int tls_pair_cold_handshake(struct tls_pair *p)
{
    int ret;

    begin_cost(p);
    report_clear_first_error();
    for (int side = 0; side < 2; side++) {
        double start = thread_cpu_ns();

        ret = attach(p, (enum mem_side) side);
        p->cost.cpu_ns[side] += thread_cpu_ns() - start;
        if (ret != 0)
            return -1;
    }
    ret = run_handshake(p);
    end_cost(p);
    return ret != 0 ? ret : check_stack(p);
}

/* TLS 1.3 sends its tickets after the handshake, in NewSessionTicket
 * messages that the client only processes when it reads. Read on the client
 * until it signals a stored ticket (MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET,
 * 3.6.1 and later) or until the server has had nothing more to say for a few
 * rounds (3.6.0 stores the ticket silently); the caller then exports the
 * session. Reading is not enough once: 3.6 first notes the ticket (and
 * returns WANT_READ), and processes it on the next call. */
static int receive_tls13_ticket(struct tls_pair *p)
{
    unsigned char byte;
    int idle = 0;

    for (int round = 0; round < 100 && idle < 3; round++) {
        int ret = mbedtls_ssl_read(&p->end[MEM_CLIENT].ssl, &byte, 1);
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
            return 0;
#endif
        if (ret >= 0) {
            snprintf(p->error, sizeof(p->error), "unexpected application data while waiting for a ticket");
            return -1;
        }
        if (!compat_ssl_should_retry(ret))
            return fail(p, "mbedtls_ssl_read (client, waiting for a ticket)", ret);
        /* Nothing left in the pipe: the server has sent all it had so far. */
        if (!p->params.tcp && p->transport.pipe[MEM_SERVER].pos == p->transport.pipe[MEM_SERVER].len)
            idle++;
        else
            idle = 0;
        /* Over TCP, or if the server still owes the ticket, let it run. */
        ret = mbedtls_ssl_read(&p->end[MEM_SERVER].ssl, &byte, 1);
        if (ret >= 0) {
            snprintf(p->error, sizeof(p->error), "unexpected application data at the server");
            return -1;
        }
        if (!compat_ssl_should_retry(ret))
            return fail(p, "mbedtls_ssl_read (server, sending a ticket)", ret);
    }
    return 0;
}

/* Lesson 06's write and read loops, each as one call on one side. */
struct transfer_call {
    struct tls_pair *p;
    const unsigned char *buf;
    unsigned char *out;
    size_t len;
    int ret;
};

static void transfer_write(void *arg)
{
    struct transfer_call *t = arg;

    t->ret = tls_write_all(&t->p->end[MEM_CLIENT].ssl, t->buf, t->len);
    if (t->ret != 0)
        t->ret = fail(t->p, "mbedtls_ssl_write", t->ret);
}

static void transfer_read(void *arg)
{
    struct transfer_call *t = arg;
    size_t received = 0;

    t->ret = 0;
    while (received < t->len) {
        int ret = tls_read_some(&t->p->end[MEM_SERVER].ssl, t->out + received, t->len - received);
        if (ret <= 0) {
            t->ret = fail(t->p, "mbedtls_ssl_read", ret == 0 ? MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY : ret);
            return;
        }
        received += (size_t) ret;
    }
}

int tls_pair_transfer(struct tls_pair *p, const unsigned char *buf, unsigned char *out, size_t len)
{
    /* A write never has to wait for the reader here (the pipe grows; a
     * loopback socket holds a record), so the client sends everything,
     * then the server reads it. */
    struct transfer_call t = {p, buf, out, len, 0};

    transfer_write(&t);
    if (t.ret == 0)
        transfer_read(&t);
    return t.ret;
}

int tls_pair_transfer_measured(struct tls_pair *p, const unsigned char *buf, unsigned char *out, size_t len)
{
    struct transfer_call t = {p, buf, out, len, 0};

    stack_reset_peak();
    stack_run(HEAP_CLIENT, transfer_write, &t);
    if (t.ret == 0)
        stack_run(HEAP_SERVER, transfer_read, &t);
    p->cost.peak_stack[MEM_CLIENT] = (double) stack_peak(HEAP_CLIENT);
    p->cost.peak_stack[MEM_SERVER] = (double) stack_peak(HEAP_SERVER);
    return t.ret;
}

/* The benchmark's own contexts; stage 01 initialises each end's. */
static void init_extras(struct tls_pair *p)
{
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_init(&p->cache);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_init(&p->ticket);
#endif
    mbedtls_ssl_session_init(&p->saved);
#if TLS_PAIR_DTLS
    mbedtls_ssl_cookie_init(&p->cookies);
#endif
    mem_transport_init(&p->transport);
}

/* One full handshake after setup: checks the setup, warms caches, and is the
 * session that resumption benchmarks come back with (checked to resume). */
static int first_handshakes(struct tls_pair *p)
{
    const struct tls_pair_params *params = &p->params;
    double full_s2c;
    int ret;

    if (tls_pair_handshake(p) != 0)
        return -1;
    if (params->resume == RESUME_NONE)
        return 0;
    full_s2c = p->cost.wire_bytes[MEM_SERVER];
    if (params->tls13 && receive_tls13_ticket(p) != 0)
        return -1;
#if defined(MBEDTLS_SSL_CLI_C)
    ret = mbedtls_ssl_get_session(&p->end[MEM_CLIENT].ssl, &p->saved);
    if (ret != 0)
        return fail(p, "mbedtls_ssl_get_session", ret);
#else
    (void) ret;
#endif
    if (tls_pair_reset(p) != 0 || tls_pair_handshake(p) != 0)
        return -1;
    if (params->tls13) {
        /* A full TLS 1.3 handshake is three flights (four with the
         * ticket) like a resumed one; what resumption removes is the
         * server's certificate and signature, most of its bytes. */
        if (p->cost.wire_bytes[MEM_SERVER] * 2 >= full_s2c) {
            snprintf(p->error, sizeof(p->error),
                     "the session was not resumed (server sent %g bytes, %g in the full handshake)",
                     p->cost.wire_bytes[MEM_SERVER], full_s2c);
            return -1;
        }
    } else if (p->cost.flights[MEM_CLIENT] + p->cost.flights[MEM_SERVER] != 3) {
        /* An abbreviated TLS 1.2 handshake takes three flights, a full one four. */
        snprintf(p->error, sizeof(p->error), "the session was not resumed (%g flights)",
                 p->cost.flights[MEM_CLIENT] + p->cost.flights[MEM_SERVER]);
        return -1;
    }
    return 0;
}

int tls_pair_setup(struct tls_pair *p, const struct tls_pair_params *params, const char *certs)
{
    int suite, client_init, server_init;

    memset(p, 0, sizeof(*p));
    p->params = *params;
    report_clear_first_error();
    init_extras(p);
    /* Stage 01 for both ends before anything can fail, so that
     * tls_pair_free() can always run lesson 07's cleanup on both. */
    client_init = stage_init(&p->end[MEM_CLIENT]);
    server_init = stage_init(&p->end[MEM_SERVER]);
    if (client_init != WS_EXIT_OK)
        return stage_failed(p, MEM_CLIENT);
    if (server_init != WS_EXIT_OK)
        return stage_failed(p, MEM_SERVER);
    if (params->dtls && !TLS_PAIR_DTLS) {
        snprintf(p->error, sizeof(p->error),
                 "DTLS (MBEDTLS_SSL_PROTO_DTLS with MBEDTLS_SSL_DTLS_HELLO_VERIFY and MBEDTLS_SSL_COOKIE_C) "
                 "is not in this library");
        return -1;
    }
    suite = params->suite != NULL ? mbedtls_ssl_get_ciphersuite_id(params->suite) : 0;
    if (params->suite != NULL && suite == 0) {
        snprintf(p->error, sizeof(p->error), "%s is not in this library", params->suite);
        return -1;
    }
    /* ECDHE always on secp256r1 (both lists start with it, and the server
     * takes the first of its own list that the client offers). A P-384
     * certificate also needs secp384r1 offered, or 2.28 refuses the key. */
    p->groups[0] = tls_group_from_name("secp256r1");
    p->groups[1] = params->offer_p384 ? tls_group_from_name("secp384r1") : 0;
    p->groups[2] = 0;
    if (prepare_end(p, MEM_CLIENT, suite, certs) != 0 || prepare_end(p, MEM_SERVER, suite, certs) != 0)
        return -1;
    if (params->dtls)
        mem_transport_use_datagrams(&p->transport, &params->link);
    if (params->tcp && mem_transport_open_tcp(&p->transport) != 0) {
        snprintf(p->error, sizeof(p->error), "cannot open a loopback TCP connection");
        return -1;
    }
    if (attach(p, MEM_CLIENT) != 0 || attach(p, MEM_SERVER) != 0 || first_handshakes(p) != 0)
        return -1;
    return tls_pair_reset(p);
}

void tls_pair_reseed(struct tls_pair *p, uint64_t seed)
{
    struct lossy_params link = p->params.link;

    link.seed = seed;
    mem_transport_use_datagrams(&p->transport, &link);
}

void tls_pair_free(struct tls_pair *p)
{
    mbedtls_ssl_session_free(&p->saved);
#if TLS_PAIR_DTLS
    mbedtls_ssl_cookie_free(&p->cookies);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_free(&p->ticket);
#endif
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_free(&p->cache);
#endif
    /* Each end as lesson 07 frees it, in reverse order of creation. */
    stage_cleanup(&p->end[MEM_SERVER]);
    stage_cleanup(&p->end[MEM_CLIENT]);
    mem_transport_free(&p->transport);
    /* Lesson 07 also ends PSA, the library-wide crypto state (a no-op
     * without PSA): the benchmark program goes on, so start it again. */
    compat_psa_init();
}
