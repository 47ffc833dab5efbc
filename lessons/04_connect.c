/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 04_connect.c
 * @brief Lesson 04: open the TCP connection and attach a TLS context to it.
 *
 * What you will learn:
 * - mbedtls_net_connect() resolves the host name and connects a TCP socket;
 * - mbedtls_ssl_setup() creates one TLS connection (mbedtls_ssl_context)
 *   from the shared configuration;
 * - mbedtls_ssl_set_hostname() names the server we expect: it is checked
 *   against the certificate and sent as SNI. Never skip it (mbedTLS 3.6.3
 *   and later refuse to handshake without it);
 * - mbedtls_ssl_set_bio() tells the TLS layer how to send and receive bytes:
 *   any transport will do (the benchmarks pass an in-memory one).
 *
 * Run it: start the server (`lessons/08_server &`), then `lessons/04_connect`
 */
#include "stages.h"

/* [attach] */
int stage_attach_bio(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf, const char *servername,
                     void *bio, mbedtls_ssl_send_t *f_send, mbedtls_ssl_recv_t *f_recv,
                     mbedtls_ssl_recv_timeout_t *f_recv_timeout)
{
    int ret;

    narrate_begin("Setting up the TLS context%s%s", servername ? " for server name " : "",
                  servername ? servername : "");
    ret = mbedtls_ssl_setup(ssl, conf);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("connect", "mbedtls_ssl_setup", ret);
        return WS_EXIT_SETUP;
    }
    /* (A library for pre-shared keys only has no certificates to check the
     * name against, and no such call.) */
#if defined(MBEDTLS_X509_CRT_PARSE_C)
    if (servername != NULL) {
        ret = mbedtls_ssl_set_hostname(ssl, servername);
        if (ret != 0) {
            narrate_failed();
            report_mbedtls_error("connect", "mbedtls_ssl_set_hostname", ret);
            return WS_EXIT_SETUP;
        }
    }
#endif
    /* The TLS layer moves its bytes only through these callbacks: it knows
     * nothing about sockets. */
    mbedtls_ssl_set_bio(ssl, bio, f_send, f_recv, f_recv_timeout);
    narrate_ok(NULL);
    return WS_EXIT_OK;
}

/* Sockets, from here on: a library built without them (MBEDTLS_NET_C off,
 * as on a microcontroller, mcu/) has only stage_attach_bio(). */
#if defined(MBEDTLS_NET_C)
int stage_attach(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf, mbedtls_net_context *net,
                 const char *servername)
{
    /* Plain send, and a receive that honours the read timeout from lesson 03. */
    return stage_attach_bio(ssl, conf, servername, net, mbedtls_net_send, NULL, mbedtls_net_recv_timeout);
}
#endif
/* [attach] */

#if defined(MBEDTLS_NET_C)
/* [connect] */
int stage_connect_tcp(mbedtls_net_context *net, const char *host, const char *port)
{
    int ret;

    narrate_begin("Connecting to tcp/%s/%s", host, port);
    ret = mbedtls_net_connect(net, host, port, MBEDTLS_NET_PROTO_TCP);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("connect", "mbedtls_net_connect", ret);
        return WS_EXIT_NETWORK;
    }
    narrate_ok(NULL);
    return WS_EXIT_OK;
}

int stage_connect(struct tls_endpoint *s, const struct options *o)
{
    int ret = stage_connect_tcp(&s->net, o->host, o->port);

    if (ret != WS_EXIT_OK)
        return ret;
    ret = stage_attach(&s->ssl, &s->conf, &s->net, o->servername);
    if (ret != WS_EXIT_OK)
        return ret;
    /* Optional: --keylog and --trace (lesson 09 explains them). Without
     * either option this does nothing. */
    return stage_attach_debug_taps(s, o);
}
/* [connect] */

/* [debug-taps] */
int stage_attach_debug_taps(struct tls_endpoint *s, const struct options *o)
{
    return stage_attach_debug_taps_over(s, o, &s->net, mbedtls_net_send, mbedtls_net_recv_timeout);
}

int stage_attach_debug_taps_over(struct tls_endpoint *s, const struct options *o, void *inner,
                                 mbedtls_ssl_send_t *inner_send, mbedtls_ssl_recv_timeout_t *inner_recv)
{
    /* --keylog with mbedTLS 3.x: the key export callback is per connection. */
    if (s->keylog.file != NULL)
        compat_ssl_key_export(&s->ssl, &s->keylog.export);
    if (!o->trace && !s->decode_always)
        return WS_EXIT_OK;
    /* --trace: put the tap between mbedTLS and the socket. It forwards every
     * call to mbedtls_net_send/mbedtls_net_recv_timeout and prints the TLS
     * records it sees; without --trace it only watches (lessons 09 and 10 ask
     * its decoder what crossed the wire). Trace lines then come between
     * narration lines, so narration switches to whole lines. */
    if (o->trace)
        narrate_set_thread_prefix("");
    if (trace_bio_init(&s->trace, inner, inner_send, inner_recv, 0, o->trace ? stdout : NULL, NULL) != 0) {
        report_error("connect", "cannot set up the trace tap: out of memory");
        return WS_EXIT_SETUP;
    }
    /* DTLS: every call carries one datagram, for a DTLS decoder. */
    if (o->datagram && trace_bio_set_datagram(&s->trace, o->cid ? DTLS_CID_LEN : 0) != 0) {
        report_error("connect", "cannot set up the trace tap: out of memory");
        return WS_EXIT_SETUP;
    }
    mbedtls_ssl_set_bio(&s->ssl, &s->trace, trace_bio_send, NULL, trace_bio_recv_timeout);
    return WS_EXIT_OK;
}
/* [debug-taps] */
#endif /* MBEDTLS_NET_C */

#if !defined(LESSON_LIBRARY)
int main(int argc, char **argv)
{
    return lesson_main(argc, argv, STAGE_CONNECT,
                       "Lesson 04: connect over TCP and attach a TLS context (no handshake yet).");
}
#endif
