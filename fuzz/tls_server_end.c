/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_server_end.c
 * @brief The lesson server's per-connection code as the TLS fuzz targets run it (see tls_ends.h).
 *
 * The lesson itself is compiled in here, so that the very serve_connection() that 08_server runs
 * on each pool thread serves the fuzzer's bytes: stage 04's stage_attach(), the deadline-aware
 * pool_recv() behind the tap whose decoder remembers the ClientHello, stage 05's handshake,
 * app_serve_request() (08_server_app.c) and stage 07's close_notify. The setup is main()'s: stages
 * 01-03 for a server, the locked random generator and resumption (08_server_resumption.c).
 * serve_connection() reads and writes a socket, so the caller gives it one end of a socket pair.
 *
 * What differs from the server, and why (a fuzz target may; a lesson must not): the random
 * generators and the clock are fixed (tls_fixed.h), so that the same input makes the same
 * conversation, and the dates of client certificates are not checked (the fixed clock would fail
 * them). Each input gets a fresh server, so no session cached by one input changes another.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>

/* The lesson, without its main(): its static serve_connection() and struct server become this
 * file's. Those it has for listening and accepting are not used here. */
#define LESSON_LIBRARY 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../lessons/08_server.c"
#pragma GCC diagnostic pop

#include "tls_ends.h"
#include "tls_fixed.h"

/** @brief 08_server's command line for a flag byte, into @p o. */
static int server_options(unsigned flags, struct options *o)
{
    static char program[] = "fuzz_tls_server", opt_require[] = "--require-client-cert", opt_cert[] = "--cert",
                opt_key[] = "--key";
    static char cert[4200], key[4200];
    char *argv[8];
    int argc = 0, done;

    argv[argc++] = program;
    if (flags & FUZZ_SERVER_CLIENT_CERT)
        argv[argc++] = opt_require;
    if (flags & FUZZ_SERVER_RSA) {
        snprintf(cert, sizeof(cert), "%s/server-rsa-chain.pem", options_certs_dir());
        snprintf(key, sizeof(key), "%s/server-rsa.key", options_certs_dir());
        argv[argc++] = opt_cert, argv[argc++] = cert, argv[argc++] = opt_key, argv[argc++] = key;
    }
    argv[argc] = NULL;
    return options_parse(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_SERVER, "the lesson server, fuzzed", o,
                         &done);
}

/** @brief main()'s setup: stages 01-03, the locked generator, resumption; fixed where tls_fixed.h says. */
static int setup(struct server *srv)
{
    int ret;

    tls_fixed_psa_entropy(); /* without it (not 3.x) TLS 1.3 key shares stay random */
    ret = stage_prepare(&srv->s, &srv->o, MBEDTLS_SSL_IS_SERVER);
    if (ret != WS_EXIT_OK)
        return ret;
    /* Before resumption_setup(), which draws the ticket key from this generator. */
    ret = tls_fixed_reseed(&srv->s.rng, "fuzz server");
    if (ret != 0) {
        report_mbedtls_error("fuzz", "mbedtls_ctr_drbg_seed", ret);
        return WS_EXIT_SETUP;
    }
    mbedtls_ssl_conf_verify(&srv->s.conf, tls_fixed_ignore_clock, NULL);
    compat_conf_rng(&srv->s.conf, locked_rng_random, &srv->rng);
    return resumption_setup(&srv->resumption, &srv->s.conf, locked_rng_random, &srv->rng);
}

/** @brief accept_loop()'s part for one socket, then serve_connection(), as a pool thread runs it. */
static void serve_one(struct server *srv, int fd, unsigned long id, struct fuzz_tls_result *r)
{
    struct timeval tv = {.tv_sec = srv->o.timeout_ms / 1000, .tv_usec = (srv->o.timeout_ms % 1000) * 1000};
    struct connection conn;
    enum connection_outcome outcome;

    memset(&conn, 0, sizeof(conn));
    mbedtls_net_init(&conn.net);
    COMPAT_NET_FD(&conn.net) = fd;
    conn.id = id;
    snprintf(conn.peer, sizeof(conn.peer), "fuzzer");
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    conn.deadline_ms = pool_now_ms() + 3LL * srv->o.timeout_ms;
    report_clear_first_error();
    outcome = serve_connection(srv, &conn);
    r->connections++;
    if ((int) outcome < 0 || outcome >= OUTCOME_COUNT)
        r->bad_outcomes++;
    if (outcome != OUTCOME_NO_HANDSHAKE)
        r->handshakes++;
    if (outcome == OUTCOME_ANSWERED || outcome == OUTCOME_ANSWERED_ERROR)
        r->answers++;
    /* Every connection that did not end well says why, in one line. */
    if ((outcome == OUTCOME_NO_HANDSHAKE || outcome == OUTCOME_NO_REQUEST || outcome == OUTCOME_BROKEN) &&
        report_first_error()[0] == '\0')
        r->unreported++;
    /* serve_connection() closes the socket whatever happened. */
    if (fcntl(fd, F_GETFD) != -1)
        r->leaked_sockets++;
}

int fuzz_server_serve(unsigned flags, const int *fds, int count, struct fuzz_tls_result *r)
{
    static struct server srv; /* stages 01-03 hold several KB: off the stack */
    int rng_ready, ret;

    memset(r, 0, sizeof(*r));
    memset(&srv, 0, sizeof(srv));
    report_clear_first_error();
    ret = server_options(flags, &srv.o);
    if (ret != WS_EXIT_OK)
        return ret;
    /* main()'s order: what cleanup needs initialised first. */
    mbedtls_net_init(&srv.listener);
    rng_ready = locked_rng_init(&srv.rng, &srv.s.rng) == 0;
    if (!rng_ready)
        report_error("fuzz", "cannot create the random generator's lock");
    resumption_init(&srv.resumption);
    ret = rng_ready ? setup(&srv) : WS_EXIT_SETUP;
    r->ready = ret == WS_EXIT_OK;
    for (int i = 0; i < count; i++) {
        if (ret == WS_EXIT_OK)
            serve_one(&srv, fds[i], (unsigned long) i + 1, r);
        else
            close(fds[i]); /* never served */
    }
    resumption_free(&srv.resumption);
    stage_cleanup(&srv.s);
    if (rng_ready)
        locked_rng_free(&srv.rng);
    return ret;
}
