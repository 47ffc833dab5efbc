/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server.c
 * @brief Lesson 08: the server side: listen, accept, handshake, answer HTTP.
 *
 * What you will learn:
 * - a server reuses stages 01-03 (RNG, certificates, configuration) with
 *   MBEDTLS_SSL_IS_SERVER and its own certificate and key;
 * - mbedtls_net_bind() and mbedtls_net_accept() give one socket per client;
 *   each client gets its own mbedtls_ssl_context, all sharing one config;
 * - the same handshake and read/write code as the client (lessons 05, 06);
 * - asking for client certificates (`--require-client-cert`);
 * - what serving several clients at once asks of the TLS side: a lock
 *   around the shared random generator, a time limit per connection, and
 *   one bad client never stopping the others.
 *
 * The machinery around the server has files of its own, to read next:
 * 08_server_pool.c (connection threads, their queue, SIGINT/SIGTERM),
 * 08_server_app.c (the HTTP answers and the /hello page),
 * 08_server_resumption.c (session cache and tickets, used by lessons 10
 * and 12) and 08_server_psk.c (pre-shared keys, `--psk-file`, lesson 11).
 *
 * Run it: `lessons/08_server` (listens on 127.0.0.1:4433), then any client:
 * `lessons/06_read_write`, `curl --cacert certs/ca.pem https://localhost:4433/`
 * or `openssl s_client -connect localhost:4433 -CAfile certs/ca.pem`.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "08_server.h"
#include "address.h"

/* [server-attach] */
int server_attach(struct server *srv, struct connection *conn, mbedtls_ssl_context *ssl,
                  struct trace_bio *tap, mbedtls_ssl_recv_timeout_t *recv, const char *prefix)
{
    if (stage_attach(ssl, &srv->s.conf, &conn->net, NULL) != WS_EXIT_OK)
        return WS_EXIT_SETUP;
    /* --keylog with mbedTLS 3.x: the key export callback is per connection. */
    if (srv->s.keylog.file != NULL)
        compat_ssl_key_export(ssl, &srv->s.keylog.export);
    /* Replace lesson 04's receive callback with the server's own (the
     * deadline-aware pool_recv() of 08_server_pool.c, or the event loop's,
     * which never waits), behind a tap that decodes the records (lesson 09):
     * silently, to remember the ClientHello for /hello, or printed with --trace. */
    if (trace_bio_init(tap, conn, mbedtls_net_send, recv, 1, srv->o.trace ? stdout : NULL, prefix) != 0) {
        /* Out of memory: serve the client anyway, just without a decoder
         * (no trace lines, and /hello says it has nothing to show). */
        report_error("server", "cannot decode this connection (out of memory); serving it undecoded");
    }
    mbedtls_ssl_set_bio(ssl, tap, trace_bio_send, NULL, trace_bio_recv_timeout);
    return WS_EXIT_OK;
}
/* [server-attach] */

/* [server-connection] */
/* Everything one client gets: its own TLS context on the shared config.
 * Runs on a pool thread; returns how the connection ended. */
static enum connection_outcome serve_connection(void *ctx, struct connection *conn)
{
    struct server *srv = ctx;
    mbedtls_ssl_context ssl;
    struct trace_bio tap;
    char prefix[96];
    enum connection_outcome outcome = OUTCOME_NO_HANDSHAKE;
    int ret;

    snprintf(prefix, sizeof(prefix), "[#%lu %s] ", conn->id, conn->peer);
    narrate_set_thread_prefix(prefix);
    mbedtls_ssl_init(&ssl);
    memset(&tap, 0, sizeof(tap));
    if (server_attach(srv, conn, &ssl, &tap, pool_recv, prefix) == WS_EXIT_OK) {
        psk_connection_start();
        if (stage_handshake_ret(&ssl, &ret) == WS_EXIT_OK) {
            outcome = app_serve_request(&ssl, &tap);
            /* Say goodbye even after an error response. */
            if (stage_close_notify(&ssl) != WS_EXIT_OK && outcome == OUTCOME_ANSWERED)
                outcome = OUTCOME_BROKEN;
        } else {
            psk_explain_failure(&srv->psk, ret); /* a client with the wrong pre-shared key */
        }
    }
    mbedtls_ssl_free(&ssl);
    trace_bio_free(&tap);
    mbedtls_net_free(&conn->net);
    narrate_set_thread_prefix(NULL);
    return outcome;
}
/* [server-connection] */

/* [server-listen] */
static int server_listen(struct server *srv)
{
    char where[96];
    int ret;

    narrate_begin("Binding to tcp/%s/%s", srv->o.bind_address, srv->o.port);
    ret = mbedtls_net_bind(&srv->listener, srv->o.bind_address, srv->o.port, MBEDTLS_NET_PROTO_TCP);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("server", "mbedtls_net_bind", ret);
        return WS_EXIT_NETWORK;
    }
    /* With --port 0 the system picked the port: ask which. */
    if (address_of_socket(COMPAT_NET_FD(&srv->listener), ADDRESS_LOCAL, where, sizeof(where)) != 0) {
        narrate_failed();
        report_error("server", "getsockname failed: %s", strerror(errno));
        return WS_EXIT_NETWORK;
    }
    narrate_ok(NULL);
    /* Scripts wait for this exact line. */
    printf("listening on %s\n", where);
    fflush(stdout);
    return WS_EXIT_OK;
}
/* [server-listen] */

/* [server-accept] */
static int accept_loop(struct server *srv)
{
    unsigned long accepted = 0;

    /* Clients that arrive while every thread is busy and the queue is full
     * wait in the kernel's listen queue: make it longer than the 10 that
     * mbedtls_net_bind() asks for, so a burst of clients is not dropped. */
    if (listen(COMPAT_NET_FD(&srv->listener), SOMAXCONN) != 0) {
        report_error("server", "listen failed: %s", strerror(errno));
        return WS_EXIT_NETWORK;
    }
    while (!stop_signal_arrived() &&
           (srv->o.max_connections == 0 || accepted < (unsigned long) srv->o.max_connections)) {
        struct pollfd pfd = {.fd = COMPAT_NET_FD(&srv->listener), .events = POLLIN};
        struct connection conn;
        int ret;

        if (pool_wait_for_room(&srv->pool) != 0)
            break;
        /* Wake up regularly to notice SIGINT/SIGTERM. */
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        mbedtls_net_init(&conn.net);
        ret = mbedtls_net_accept(&srv->listener, &conn.net, NULL, 0, NULL);
        if (ret != 0) {
            report_mbedtls_error("server", "mbedtls_net_accept", ret);
            /* One failed accept does not stop the server. But the client is
             * still waiting in the listen queue (out of descriptors: EMFILE),
             * so poll() reports it again at once: back off for a fifth of a
             * second instead of spinning and flooding the log. */
            poll(NULL, 0, 200);
            continue;
        }
        conn.id = ++accepted;
        if (address_of_socket(COMPAT_NET_FD(&conn.net), ADDRESS_PEER, conn.peer, sizeof(conn.peer)) != 0)
            snprintf(conn.peer, sizeof(conn.peer), "unknown");
        /* Writes to a client that stopped reading give up after --timeout too. */
        {
            struct timeval tv = {.tv_sec = srv->o.timeout_ms / 1000,
                                 .tv_usec = (srv->o.timeout_ms % 1000) * 1000};

            if (setsockopt(COMPAT_NET_FD(&conn.net), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
                /* Without it a client that stops reading could hold a
                 * thread forever: turn this one away, keep serving. */
                report_error("server", "setsockopt(SO_SNDTIMEO) failed for %s: %s", conn.peer,
                             strerror(errno));
                mbedtls_net_free(&conn.net);
                continue;
            }
        }
        /* Only a hard cap here: the thread that takes the connection off the
         * queue starts its three-timeout budget (08_server_pool.c), never
         * past this cap. */
        conn.deadline_ms = pool_now_ms() + 6LL * srv->o.timeout_ms;
        pool_enqueue(&srv->pool, &conn);
    }
    return WS_EXIT_OK;
}
/* [server-accept] */

/* main() is left out where another program compiles this file to call serve_connection()
 * (fuzz/tls_server_end.c). */
#if !defined(LESSON_LIBRARY)
/* [server-main] */
int main(int argc, char **argv)
{
    static struct server srv;
    const struct extra_option extra[] = {
        {"psk-file", EXTRA_TEXT, "FILE",
         "also accept clients with a pre-shared key: lines of\n"
         "identity:hexkey (lesson 11; default: certificates only)",
         &srv.psk.file},
        {NULL, EXTRA_SWITCH, NULL, NULL, NULL},
    };
    int done;
    int ret =
        options_parse_extra(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_SERVER,
                            "Lesson 08: a TLS server that answers HTTP requests.", extra, &srv.o, &done);

    if (done)
        return ret;
    pool_catch_stop_signals();
    mbedtls_net_init(&srv.listener);
    if (locked_rng_init(&srv.rng, &srv.s.rng) != 0) {
        report_error("setup", "cannot create the random generator's lock");
        return WS_EXIT_SETUP;
    }
    resumption_init(&srv.resumption);
    pool_init(&srv.pool);
#if !defined(MBEDTLS_THREADING_C)
    if (srv.o.threads > 1) {
        narrate_info("this mbedTLS was built without MBEDTLS_THREADING_C: serving one client at a time");
        srv.o.threads = 1;
    }
#endif

    /* Stages 01-03, exactly as the client runs them. */
    ret = stage_init(&srv.s);
    if (ret == WS_EXIT_OK)
        ret = stage_load_certs(&srv.s, &srv.o);
    if (ret == WS_EXIT_OK)
        ret = stage_config(&srv.s, &srv.o, MBEDTLS_SSL_IS_SERVER);
    if (ret == WS_EXIT_OK) {
        /* [server-rng] */
        /* Connection threads draw random numbers at the same time. mbedTLS's
         * CTR_DRBG is only safe for that when the library was built with
         * MBEDTLS_THREADING_C, so the server always puts it behind a lock.
         * (4.x has no generator of ours to lock: TLS uses PSA's, which locks
         * itself, and compat_conf_rng() does nothing.) */
        compat_conf_rng(&srv.s.conf, locked_rng_random, &srv.rng); /* mbedtls_ssl_conf_rng(), up to 3.6 */
        ret = resumption_setup(&srv.resumption, &srv.s.conf, locked_rng_random, &srv.rng);
        /* [server-rng] */
    }
    if (ret == WS_EXIT_OK)
        ret = psk_setup(&srv.psk, &srv.s.conf);
    /* Then the server's own steps. */
    if (ret == WS_EXIT_OK)
        ret = server_listen(&srv);
    if (ret == WS_EXIT_OK && srv.o.event_loop) {
        /* Lesson 13: every client from this one thread (08_server_event_loop.c). */
        ret = event_loop_run(&srv);
    } else {
        if (ret == WS_EXIT_OK)
            ret = pool_start(&srv.pool, srv.o.threads, srv.o.timeout_ms, serve_connection, &srv);
        if (ret == WS_EXIT_OK)
            ret = accept_loop(&srv);
        pool_stop(&srv.pool);
        pool_print_summary(&srv.pool);
    }

    mbedtls_net_free(&srv.listener);
    psk_free(&srv.psk);
    resumption_free(&srv.resumption);
    stage_cleanup(&srv.s);
    pool_free(&srv.pool);
    locked_rng_free(&srv.rng);
    return ret;
}
/* [server-main] */
#endif
