/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_client_end.c
 * @brief The lessons' client as the TLS fuzz targets run it (see tls_ends.h).
 *
 * The path is lesson 06's, as lesson_main() runs it, except that stage 04 attaches the TLS
 * context to the caller's transport with stage_attach_bio() instead of connecting a socket, and
 * the --trace tap sits in front of that transport (silently, as lesson 09's alert watch has it).
 * The tap's record decoder then sees every byte the peer sent: with Debian's mbedTLS, which is
 * not built for coverage, the decoder is what tells libFuzzer that an input reached a new kind of
 * message.
 *
 * What differs from a lesson, and why (a fuzz target may; a lesson must not):
 * - the random generators and the clock are fixed (tls_fixed.h), so that the same input makes
 *   the same conversation;
 * - certificate dates are not checked (the fixed clock would fail them), everything else is;
 * - with #FUZZ_CLIENT_NO_VERIFY the server's certificate is not verified at all, so that a seed
 *   captured with another build's PKI still gets through the handshake to the read loop.
 */
#include <stdio.h>
#include <string.h>

#include "stages.h"
#include "tls_ends.h"
#include "tls_fixed.h"

/** @brief The lesson's command line for a flag byte, into @p o. */
static int client_options(unsigned flags, struct options *o)
{
    static char program[] = "fuzz_tls_client", opt_cert[] = "--cert", opt_key[] = "--key",
                opt_suites[] = "--ciphersuite", opt_path[] = "--path", opt_groups[] = "--groups",
                hello[] = "/hello", p256[] = "secp256r1";
    static char gcm12[] = "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256,TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256",
                cbc12[] = "TLS-ECDHE-ECDSA-WITH-AES-128-CBC-SHA256,TLS-ECDHE-RSA-WITH-AES-128-CBC-SHA256",
                only13[] = "TLS1-3-AES-128-GCM-SHA256,TLS1-3-AES-256-GCM-SHA384";
    static char cert[4200], key[4200];
    char *argv[12];
    int argc = 0, done;

    argv[argc++] = program;
    if (flags & FUZZ_CLIENT_CERT) {
        snprintf(cert, sizeof(cert), "%s/client-chain.pem", options_certs_dir());
        snprintf(key, sizeof(key), "%s/client.key", options_certs_dir());
        argv[argc++] = opt_cert, argv[argc++] = cert, argv[argc++] = opt_key, argv[argc++] = key;
    }
    if ((flags & (FUZZ_CLIENT_TLS12 | FUZZ_CLIENT_TLS13)) == (FUZZ_CLIENT_TLS12 | FUZZ_CLIENT_TLS13))
        argv[argc++] = opt_suites, argv[argc++] = cbc12;
    else if (flags & FUZZ_CLIENT_TLS12)
        argv[argc++] = opt_suites, argv[argc++] = gcm12;
    else if ((flags & FUZZ_CLIENT_TLS13) && COMPAT_HAVE_TLS13)
        argv[argc++] = opt_suites, argv[argc++] = only13; /* without TLS 1.3: the default list */
    if (flags & FUZZ_CLIENT_HELLO_PAGE)
        argv[argc++] = opt_path, argv[argc++] = hello;
    if (flags & FUZZ_CLIENT_P256)
        argv[argc++] = opt_groups, argv[argc++] = p256;
    argv[argc] = NULL;
    return options_parse(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT | OPTS_HTTP,
                         "the lessons' client, fuzzed", o, &done);
}

/** @brief Stages 01-03, then what the fuzz target changes (see the top of this file). */
static int prepare(struct tls_endpoint *s, const struct options *o, unsigned flags)
{
    int ret;

    tls_fixed_psa_entropy(); /* without it (not 3.x) TLS 1.3 key shares stay random */
    ret = stage_prepare(s, o, MBEDTLS_SSL_IS_CLIENT);
    if (ret != WS_EXIT_OK)
        return ret;
    ret = tls_fixed_reseed(&s->rng, "fuzz client");
    if (ret != 0) {
        report_mbedtls_error("fuzz", "mbedtls_ctr_drbg_seed", ret);
        return WS_EXIT_SETUP;
    }
    if (flags & FUZZ_CLIENT_NO_VERIFY)
        mbedtls_ssl_conf_authmode(&s->conf, MBEDTLS_SSL_VERIFY_NONE);
    else
        mbedtls_ssl_conf_verify(&s->conf, tls_fixed_ignore_clock, NULL);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    if (flags & FUZZ_CLIENT_NO_TICKETS)
        mbedtls_ssl_conf_session_tickets(&s->conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
    /* Keep TLS 1.3 tickets, which arrive after the handshake (lesson 10). */
    if (flags & FUZZ_CLIENT_RESUME)
        compat_conf_tls13_signal_tickets(&s->conf);
    return WS_EXIT_OK;
}

/** @brief Send @p request instead of stage 06's GET, then read the answer until the server ends. */
static int send_own_request(mbedtls_ssl_context *ssl, const char *request)
{
    unsigned char head[8], rest[4096];
    size_t got = 0;
    int ret = tls_write_all(ssl, (const unsigned char *) request, strlen(request));

    if (ret != 0) {
        report_mbedtls_error("fuzz", "mbedtls_ssl_write", ret);
        return WS_EXIT_IO;
    }
    /* Keep the first bytes, read the rest to the end (close_notify). */
    do {
        ret = got < sizeof(head) ? tls_read_some(ssl, head + got, sizeof(head) - got)
                                 : tls_read_some(ssl, rest, sizeof(rest));
        if (ret > 0 && got < sizeof(head))
            got += (size_t) ret;
    } while (ret > 0);
    if (ret < 0 && ret != MBEDTLS_ERR_SSL_CONN_EOF) {
        report_mbedtls_error("fuzz", "mbedtls_ssl_read", ret);
        return WS_EXIT_IO;
    }
    if (got < 7 || memcmp(head, "HTTP/1.", 7) != 0) {
        report_error("fuzz", "the answer is not HTTP/1.x (%zu bytes)", got);
        return WS_EXIT_IO;
    }
    return WS_EXIT_OK;
}

/** @brief One connection: stages 04-07 over @p bio, resuming @p saved if given. */
static int one_connection(struct tls_endpoint *s, const struct options *o, void *bio,
                          mbedtls_ssl_send_t *f_send, mbedtls_ssl_recv_timeout_t *f_recv,
                          const mbedtls_ssl_session *saved, int verify, const char *request,
                          struct fuzz_tls_result *r)
{
    int ret = stage_attach_bio(&s->ssl, &s->conf, o->servername, bio, f_send, NULL, f_recv);

    if (ret == WS_EXIT_OK && saved != NULL) {
        int mret = mbedtls_ssl_set_session(&s->ssl, saved);

        if (mret != 0) {
            report_mbedtls_error("fuzz", "mbedtls_ssl_set_session", mret);
            ret = WS_EXIT_SETUP;
        }
    }
    if (ret == WS_EXIT_OK) {
        if (trace_bio_init(&s->trace, bio, f_send, f_recv, 0, NULL, NULL) != 0) {
            report_error("fuzz", "cannot set up the tap: out of memory");
            ret = WS_EXIT_SETUP;
        } else {
            mbedtls_ssl_set_bio(&s->ssl, &s->trace, trace_bio_send, NULL, trace_bio_recv_timeout);
        }
    }
    if (ret == WS_EXIT_OK) {
        ret = stage_handshake(&s->ssl);
        s->handshake_done = ret == WS_EXIT_OK;
    }
    if (s->handshake_done) {
        r->handshakes++;
        /* The lessons' promise: a completed handshake has a verified server. */
        if (verify && mbedtls_ssl_get_verify_result(&s->ssl) != 0)
            r->unverified++;
        if (request == NULL || request[0] != '\0') {
            ret = request != NULL ? send_own_request(&s->ssl, request) : stage_read_write(s, o);
            if (ret == WS_EXIT_OK)
                r->answers++;
        }
        {
            int closed = stage_close_notify(&s->ssl);

            if (ret == WS_EXIT_OK)
                ret = closed;
        }
    }
    return ret;
}

int fuzz_client_converse(unsigned flags, void *const bio[2], mbedtls_ssl_send_t *f_send,
                         mbedtls_ssl_recv_timeout_t *f_recv, const char *request, struct fuzz_tls_result *r)
{
    struct tls_endpoint s;
    struct options o;
    mbedtls_ssl_session saved;
    int have_saved = 0, ret;
    int count = (flags & FUZZ_CLIENT_RESUME) ? 2 : 1;

    memset(r, 0, sizeof(*r));
    report_clear_first_error();
    ret = client_options(flags, &o);
    if (ret != WS_EXIT_OK)
        return ret;
    mbedtls_ssl_session_init(&saved);
    ret = prepare(&s, &o, flags);
    r->ready = ret == WS_EXIT_OK;
    for (int n = 0; n < count && ret == WS_EXIT_OK; n++) {
        r->connections++;
        report_clear_first_error();
        ret = one_connection(&s, &o, bio[n], f_send, f_recv, have_saved ? &saved : NULL,
                             !(flags & FUZZ_CLIENT_NO_VERIFY), request, r);
        /* Keep the session for the second connection; without one (no ticket came, say) it
         * simply makes a full handshake. */
        if (ret == WS_EXIT_OK && n + 1 < count)
            have_saved = mbedtls_ssl_get_session(&s.ssl, &saved) == 0;
        if (ret != WS_EXIT_OK && report_first_error()[0] == '\0')
            r->unreported++;
        /* Lesson 07's order for this connection's own contexts; the next one starts afresh. */
        mbedtls_ssl_free(&s.ssl);
        trace_bio_free(&s.trace);
        mbedtls_ssl_init(&s.ssl);
        memset(&s.trace, 0, sizeof(s.trace));
        s.handshake_done = 0;
    }
    mbedtls_ssl_session_free(&saved);
    stage_cleanup(&s); /* safe whatever stage_prepare() reached (lesson 01) */
    return ret;
}
