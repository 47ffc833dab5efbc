/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_pair.c
 * @brief Client and server in one thread (see tls_pair.h).
 */
#include "tls_pair.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mbedtls/error.h>

#include "heap.h"

const char *const tls_pair_group_name = "secp256r1";

/* The pre-shared key of the PSK suites: a benchmark value, not a secret. */
static const unsigned char psk_key[16] = "workshop-psk-key";
static const char psk_identity[] = "workshop";

static int fail(struct tls_pair *p, const char *function, int ret)
{
    char text[120];

    mbedtls_strerror(ret, text, sizeof(text));
    snprintf(p->error, sizeof(p->error), "%.120s failed: -0x%04X %.70s", function, (unsigned) -ret, text);
    return -1;
}

static int load_chain(struct tls_pair *p, mbedtls_x509_crt *crt, const char *certs, const char *file)
{
    char path[512];
    int ret;

    snprintf(path, sizeof(path), "%s/%s", certs, file);
    ret = mbedtls_x509_crt_parse_file(crt, path);
    if (ret != 0)
        return fail(p, path, ret);
    return 0;
}

static int load_key(struct tls_pair *p, mbedtls_pk_context *pk, const char *certs, const char *file)
{
    char path[512];
    int ret;

    snprintf(path, sizeof(path), "%s/%s", certs, file);
    ret = compat_pk_parse_keyfile(pk, path, &p->drbg);
    if (ret != 0)
        return fail(p, path, ret);
    return 0;
}

/* One side's configuration: the parts both ends share. */
static int configure(struct tls_pair *p, enum mem_side side)
{
    mbedtls_ssl_config *conf = &p->conf[side];
    const struct tls_pair_params *q = &p->params;
    int ret;

    ret =
        mbedtls_ssl_config_defaults(conf, side == MEM_CLIENT ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER,
                                    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0)
        return fail(p, "mbedtls_ssl_config_defaults", ret);
    mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &p->drbg);
    if (q->tls13) {
#if COMPAT_HAVE_TLS13
        mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_3);
        mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_3);
#endif
    } else {
        compat_conf_min_tls12(conf);
        compat_conf_max_tls12(conf);
    }
    mbedtls_ssl_conf_ciphersuites(conf, p->suites);
    /* Pinned on both sides: 2.28's server would otherwise pick secp521r1. */
    compat_conf_groups(conf, p->groups);
    if (q->dbg != NULL)
        mbedtls_ssl_conf_dbg(conf, q->dbg, q->dbg_ctx);
    if (q->key == NULL) {
        ret = mbedtls_ssl_conf_psk(conf, psk_key, sizeof(psk_key), (const unsigned char *) psk_identity,
                                   sizeof(psk_identity) - 1);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_conf_psk", ret);
    }
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    mbedtls_ssl_conf_session_tickets(conf, q->resume == RESUME_TICKET ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                                      : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
    return 0;
}

static int configure_client(struct tls_pair *p)
{
    mbedtls_ssl_config *conf = &p->conf[MEM_CLIENT];
    int ret;

    if (configure(p, MEM_CLIENT) != 0)
        return -1;
    if (p->params.key != NULL) {
        mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
        mbedtls_ssl_conf_ca_chain(conf, &p->ca, NULL);
    } else {
        mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);
    }
    if (p->params.client_auth) {
        ret = mbedtls_ssl_conf_own_cert(conf, &p->client_chain, &p->client_key);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_conf_own_cert (client)", ret);
    }
    /* A TLS 1.3 ticket arrives after the handshake; without signalling,
     * 3.6.1 and later clients throw it away. */
    if (p->params.tls13 && p->params.resume == RESUME_TICKET)
        compat_conf_tls13_signal_tickets(conf);
    return 0;
}

static int configure_server(struct tls_pair *p)
{
    mbedtls_ssl_config *conf = &p->conf[MEM_SERVER];
    int ret;

    if (configure(p, MEM_SERVER) != 0)
        return -1;
    if (p->params.key != NULL) {
        ret = mbedtls_ssl_conf_own_cert(conf, &p->server_chain, &p->server_key);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_conf_own_cert (server)", ret);
    }
    if (p->params.client_auth) {
        mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
        mbedtls_ssl_conf_ca_chain(conf, &p->ca, NULL);
    } else {
        mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);
    }
    if (p->params.resume == RESUME_CACHE) {
#if defined(MBEDTLS_SSL_CACHE_C)
        mbedtls_ssl_conf_session_cache(conf, &p->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
#else
        snprintf(p->error, sizeof(p->error), "MBEDTLS_SSL_CACHE_C is not in this library");
        return -1;
#endif
    }
    if (p->params.resume == RESUME_TICKET) {
#if defined(MBEDTLS_SSL_TICKET_C)
        ret = mbedtls_ssl_ticket_setup(&p->ticket, mbedtls_ctr_drbg_random, &p->drbg,
                                       MBEDTLS_CIPHER_AES_256_GCM, 86400);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_ticket_setup", ret);
        mbedtls_ssl_conf_session_tickets_cb(conf, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                            &p->ticket);
#else
        snprintf(p->error, sizeof(p->error), "MBEDTLS_SSL_TICKET_C is not in this library");
        return -1;
#endif
    }
    return 0;
}

/* mbedtls_ssl_setup() allocates the record buffers: the side running it owns them. */
static int setup_contexts(struct tls_pair *p)
{
    int ret;

    for (int side = 0; side < 2; side++) {
        heap_set_side(side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER);
        ret = mbedtls_ssl_setup(&p->ssl[side], &p->conf[side]);
        heap_set_side(HEAP_OTHER);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_setup", ret);
        mbedtls_ssl_set_bio(&p->ssl[side], &p->transport.end[side], mem_transport_send, mem_transport_recv,
                            NULL);
    }
    /* The certificates name "localhost"; 3.6.3 and later insist on a hostname. */
    heap_set_side(HEAP_CLIENT);
    ret = mbedtls_ssl_set_hostname(&p->ssl[MEM_CLIENT], "localhost");
    heap_set_side(HEAP_OTHER);
    if (ret != 0)
        return fail(p, "mbedtls_ssl_set_hostname", ret);
    return 0;
}

static double cpu_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}

/* [handshake-step] */
/* Run one side until it finishes or waits for the other: its CPU time and
 * allocations are charged to it. */
static int step(struct tls_pair *p, enum mem_side side, int *done)
{
    double start;
    int ret;

    if (done[side])
        return 0;
    heap_set_side(side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER);
    start = cpu_now_ns();
    ret = mbedtls_ssl_handshake(&p->ssl[side]);
    p->cost.cpu_ns[side] += cpu_now_ns() - start;
    heap_set_side(HEAP_OTHER);
    if (ret == 0)
        done[side] = 1;
    else if (!compat_ssl_should_retry(ret))
        return fail(
            p, side == MEM_CLIENT ? "mbedtls_ssl_handshake (client)" : "mbedtls_ssl_handshake (server)", ret);
    return 0;
}

static void begin_cost(struct tls_pair *p)
{
    memset(&p->cost, 0, sizeof(p->cost));
    mem_transport_reset_counters(&p->transport);
    heap_reset_peak();
}

static int run_handshake(struct tls_pair *p)
{
    int done[2] = {0, 0};
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
        struct heap_count h = heap_get(side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER);
        p->cost.peak_bytes[side] = (double) h.peak;
        p->cost.held_bytes[side] = (double) h.current;
        p->cost.wire_bytes[side] = (double) p->transport.bytes[side];
        p->cost.flights[side] = (double) p->transport.flights[side];
    }
    p->cost.total_peak_bytes = (double) heap_get_total().peak;
}

int tls_pair_reset(struct tls_pair *p)
{
    int ret;

    if (!p->params.tcp)
        mem_transport_reset(&p->transport);
    for (int side = 0; side < 2; side++) {
        heap_set_side(side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER);
        ret = mbedtls_ssl_session_reset(&p->ssl[side]);
        heap_set_side(HEAP_OTHER);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_session_reset", ret);
    }
    if (p->params.resume != RESUME_NONE) {
        heap_set_side(HEAP_CLIENT);
        ret = mbedtls_ssl_set_session(&p->ssl[MEM_CLIENT], &p->saved);
        heap_set_side(HEAP_OTHER);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_set_session", ret);
    }
    return 0;
}

int tls_pair_handshake(struct tls_pair *p)
{
    int ret;

    begin_cost(p);
    ret = run_handshake(p);
    end_cost(p);
    return ret;
}

void tls_pair_cold_reset(struct tls_pair *p)
{
    /* Return to "never connected": free the contexts (and their buffers). */
    for (int side = 0; side < 2; side++) {
        heap_set_side(side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER);
        mbedtls_ssl_free(&p->ssl[side]);
        mbedtls_ssl_init(&p->ssl[side]);
        heap_set_side(HEAP_OTHER);
    }
    if (!p->params.tcp)
        mem_transport_reset(&p->transport);
}

int tls_pair_cold_handshake(struct tls_pair *p)
{
    int ret;

    begin_cost(p);
    for (int side = 0; side < 2; side++) {
        double start = cpu_now_ns();
        heap_set_side(side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER);
        ret = mbedtls_ssl_setup(&p->ssl[side], &p->conf[side]);
        if (ret == 0 && side == MEM_CLIENT)
            ret = mbedtls_ssl_set_hostname(&p->ssl[side], "localhost");
        heap_set_side(HEAP_OTHER);
        p->cost.cpu_ns[side] += cpu_now_ns() - start;
        if (ret != 0)
            return fail(p, "mbedtls_ssl_setup", ret);
        mbedtls_ssl_set_bio(&p->ssl[side], &p->transport.end[side], mem_transport_send, mem_transport_recv,
                            NULL);
    }
    ret = run_handshake(p);
    end_cost(p);
    return ret;
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
        int ret = mbedtls_ssl_read(&p->ssl[MEM_CLIENT], &byte, 1);
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
        ret = mbedtls_ssl_read(&p->ssl[MEM_SERVER], &byte, 1);
        if (ret >= 0) {
            snprintf(p->error, sizeof(p->error), "unexpected application data at the server");
            return -1;
        }
        if (!compat_ssl_should_retry(ret))
            return fail(p, "mbedtls_ssl_read (server, sending a ticket)", ret);
    }
    return 0;
}

int tls_pair_transfer(struct tls_pair *p, const unsigned char *buf, unsigned char *out, size_t len)
{
    size_t sent = 0, received = 0;
    int ret;

    while (received < len) {
        if (sent < len) {
            ret = mbedtls_ssl_write(&p->ssl[MEM_CLIENT], buf + sent, len - sent);
            if (ret > 0)
                sent += (size_t) ret;
            else if (!compat_ssl_should_retry(ret))
                return fail(p, "mbedtls_ssl_write", ret);
        }
        ret = mbedtls_ssl_read(&p->ssl[MEM_SERVER], out + received, len - received);
        if (ret > 0)
            received += (size_t) ret;
        else if (!compat_ssl_should_retry(ret))
            return fail(p, "mbedtls_ssl_read", ret);
    }
    return 0;
}

static void init_all(struct tls_pair *p)
{
    memset(p, 0, sizeof(*p));
    mbedtls_entropy_init(&p->entropy);
    mbedtls_ctr_drbg_init(&p->drbg);
    mbedtls_x509_crt_init(&p->ca);
    mbedtls_x509_crt_init(&p->server_chain);
    mbedtls_pk_init(&p->server_key);
    mbedtls_x509_crt_init(&p->client_chain);
    mbedtls_pk_init(&p->client_key);
    for (int side = 0; side < 2; side++) {
        mbedtls_ssl_config_init(&p->conf[side]);
        mbedtls_ssl_init(&p->ssl[side]);
    }
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_init(&p->cache);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_init(&p->ticket);
#endif
    mbedtls_ssl_session_init(&p->saved);
    mem_transport_init(&p->transport);
}

int tls_pair_setup(struct tls_pair *p, const struct tls_pair_params *params, const char *certs)
{
    static const char personalisation[] = "workshop tls_bench";
    const struct tls_key *key = params->key;
    int ret;

    init_all(p);
    p->params = *params;
    p->suites[0] = mbedtls_ssl_get_ciphersuite_id(params->suite);
    /* ECDHE always on secp256r1 (both lists start with it, and the server
     * takes the first of its own list that the client offers). A P-384
     * certificate also needs secp384r1 offered, or 2.28 refuses the key. */
    p->groups[0] = COMPAT_GROUP_SECP256R1;
    p->groups[1] = params->offer_p384 ? COMPAT_GROUP_SECP384R1 : COMPAT_GROUP_NONE;
    p->groups[2] = COMPAT_GROUP_NONE;
    if (p->suites[0] == 0) {
        snprintf(p->error, sizeof(p->error), "%s is not in this library", params->suite);
        return -1;
    }
    ret = mbedtls_ctr_drbg_seed(&p->drbg, mbedtls_entropy_func, &p->entropy,
                                (const unsigned char *) personalisation, sizeof(personalisation) - 1);
    if (ret != 0)
        return fail(p, "mbedtls_ctr_drbg_seed", ret);
    if (key != NULL) {
        if (load_chain(p, &p->ca, certs, "ca.pem") != 0 ||
            load_chain(p, &p->server_chain, certs, key->server_chain) != 0 ||
            load_key(p, &p->server_key, certs, key->server_key) != 0)
            return -1;
        if (params->client_auth && (load_chain(p, &p->client_chain, certs, key->client_chain) != 0 ||
                                    load_key(p, &p->client_key, certs, key->client_key) != 0))
            return -1;
    }
    if (params->tcp && mem_transport_open_tcp(&p->transport) != 0) {
        snprintf(p->error, sizeof(p->error), "cannot open a loopback TCP connection");
        return -1;
    }
    if (configure_client(p) != 0 || configure_server(p) != 0 || setup_contexts(p) != 0)
        return -1;
    /* One full handshake: checks the setup, warms caches, and is the session
     * that resumption benchmarks come back with. */
    if (tls_pair_handshake(p) != 0)
        return -1;
    if (params->resume != RESUME_NONE) {
        double full_s2c = p->cost.wire_bytes[MEM_SERVER];
        if (params->tls13 && receive_tls13_ticket(p) != 0)
            return -1;
        ret = mbedtls_ssl_get_session(&p->ssl[MEM_CLIENT], &p->saved);
        if (ret != 0)
            return fail(p, "mbedtls_ssl_get_session", ret);
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
    }
    return tls_pair_reset(p);
}

void tls_pair_free(struct tls_pair *p)
{
    for (int side = 0; side < 2; side++) {
        heap_set_side(side == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER);
        mbedtls_ssl_free(&p->ssl[side]);
        heap_set_side(HEAP_OTHER);
        mbedtls_ssl_config_free(&p->conf[side]);
    }
    mbedtls_ssl_session_free(&p->saved);
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_free(&p->ticket);
#endif
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_free(&p->cache);
#endif
    mbedtls_pk_free(&p->client_key);
    mbedtls_x509_crt_free(&p->client_chain);
    mbedtls_pk_free(&p->server_key);
    mbedtls_x509_crt_free(&p->server_chain);
    mbedtls_x509_crt_free(&p->ca);
    mbedtls_ctr_drbg_free(&p->drbg);
    mbedtls_entropy_free(&p->entropy);
    mem_transport_free(&p->transport);
}
