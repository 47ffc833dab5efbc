/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file attempt.c
 * @brief One connection made of lessons 04-07's stages, and what went wrong in it (lesson 09).
 */
#include <string.h>

#include "attempt.h"

/* [attempt] */
/* The handshake, then (when asked) one read that collects an alert the
 * server sends after it, then lesson 07's goodbye. */
static void handshake_and_read(struct tls_endpoint *s, int read_after, struct attempt_outcome *out)
{
    int ret;

    /* Lesson 05's stage, asking it for mbedTLS's own error code too: lesson
     * 09 explains it. */
    out->function = "mbedtls_ssl_handshake";
    stage_handshake_ret(&s->ssl, &ret);
    out->flags = mbedtls_ssl_get_verify_result(&s->ssl);
    if (ret == 0 && read_after) {
        unsigned char byte;

        /* A TLS 1.3 server judges our certificate after our side of the
         * handshake is over: its verdict arrives with our first read. */
        out->function = "mbedtls_ssl_read";
        ret = tls_read_some(&s->ssl, &byte, 1);
        if (ret >= 0)
            ret = 0; /* a byte, or the server's close_notify */
    }
    if (ret == 0)
        stage_close_notify(&s->ssl); /* a goodbye that fails changes nothing shown here */
    out->ret = ret;
    out->exit = ret == 0 ? WS_EXIT_OK : WS_EXIT_HANDSHAKE;
}

/* The last plaintext alert each side sent, as the tap saw them. */
static void alerts_seen(const struct trace_bio *tap, struct attempt_outcome *out)
{
    const struct tls_alert *in = trace_bio_received_alert(tap);
    const struct tls_alert *sent = trace_bio_sent_alert(tap);

    if (in->seen && in->description != 0)
        out->received_alert = in->description;
    if (sent->seen && sent->description != 0)
        out->sent_alert = sent->description;
}

void attempt_connection(struct tls_endpoint *s, const struct options *target, int read_after,
                        struct attempt_outcome *out)
{
    memset(out, 0, sizeof(*out));
    out->received_alert = out->sent_alert = -1;
    /* The previous attempt freed these; make them fresh again. */
    mbedtls_net_init(&s->net);
    mbedtls_ssl_init(&s->ssl);
    memset(&s->trace, 0, sizeof(s->trace));
    /* Lesson 04: connect, attach the TLS context (with target->servername,
     * or no name at all) and put the tap in place. */
    out->exit = stage_connect(s, target);
    if (out->exit == WS_EXIT_OK) {
        handshake_and_read(s, read_after, out);
        alerts_seen(&s->trace, out);
    }
    /* Lesson 07's cleanup, for this connection's contexts only. */
    mbedtls_ssl_free(&s->ssl);
    trace_bio_free(&s->trace);
    mbedtls_net_free(&s->net);
}
/* [attempt] */
