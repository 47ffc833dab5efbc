/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file measured.c
 * @brief One client connection made of lessons 04-07's stages, measured on the wire (lessons 10-12).
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "measured.h"
#include "record_decoder.h"

/** @brief Server bytes kept per handshake: a certificate chain fits easily. */
#define TAP_KEEP 16384

/** @brief Watches one connection's bytes between mbedTLS and the socket. */
struct wire_tap {
    void *inner;                            /**< the next layer: the socket, or lesson 04's tap */
    mbedtls_ssl_send_t *inner_send;         /**< its send function */
    mbedtls_ssl_recv_timeout_t *inner_recv; /**< its receive function */
    unsigned char from_server[TAP_KEEP];    /**< the first bytes the server sent */
    size_t from_server_len;                 /**< bytes kept in @p from_server */
    size_t received, sent;                  /**< totals, in both directions */
    unsigned round_trips;                   /**< times we waited for an answer to what we sent */
    unsigned flights;                       /**< runs of bytes in one direction */
    int last; /**< the direction of the last bytes: 0 none, 1 sent, 2 received */
};

/* [tap] */
/* The send and receive callbacks mbedTLS calls (lesson 04 installs the plain
 * mbedtls_net_* ones, or lesson 09's --trace tap). These count, then pass
 * everything on unchanged. A flight is a run of bytes in one direction: it
 * ends when the other side speaks. */
static int tap_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct wire_tap *tap = ctx;
    int ret = tap->inner_send(tap->inner, buf, len);

    if (ret > 0) {
        tap->sent += (size_t) ret;
        if (tap->last != 1)
            tap->flights++;
        tap->last = 1;
    }
    return ret;
}

static int tap_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct wire_tap *tap = ctx;
    int ret = tap->inner_recv(tap->inner, buf, len, timeout);

    if (ret > 0) {
        size_t keep = TAP_KEEP - tap->from_server_len;

        if (keep > (size_t) ret)
            keep = (size_t) ret;
        memcpy(tap->from_server + tap->from_server_len, buf, keep);
        tap->from_server_len += keep;
        tap->received += (size_t) ret;
        /* Data after we spoke: one more round trip, and a new flight. */
        if (tap->last == 1)
            tap->round_trips++;
        if (tap->last != 2)
            tap->flights++;
        tap->last = 2;
    }
    return ret;
}
/* [tap] */

/* Does @p needle occur in @p hay? (memmem is not in C11.) */
static int contains_bytes(const unsigned char *hay, size_t hay_len, const unsigned char *needle, size_t len)
{
    for (size_t i = 0; len > 0 && i + len <= hay_len; i++)
        if (memcmp(hay + i, needle, len) == 0)
            return 1;
    return 0;
}

/* [server-hello] */
/* mbedTLS 3.6 has no "was this session resumed?" accessor, so look at the
 * wire: the ServerHello (the server's first message, sent in the clear)
 * lists the extensions the server accepted. Lesson 09's record decoder,
 * made silent with a NULL stream, reads it from the bytes the tap kept:
 * key_share (TLS 1.3 only) carries the server's half of the key exchange,
 * pre_shared_key means it accepted our ticket. */
static int read_server_choice(const struct wire_tap *tap, struct handshake_facts *f)
{
    struct record_decoder *decoder = record_decoder_new(NULL);
    const struct tls_server_choice *choice;

    if (decoder == NULL) {
        report_error("measure", "out of memory for the record decoder");
        return WS_EXIT_SETUP;
    }
    record_decoder_feed(decoder, TLS_DIR_SERVER_TO_CLIENT, tap->from_server, tap->from_server_len);
    choice = record_decoder_server_choice(decoder);
    if (choice->present && choice->version == 0x0304 /* TLS 1.3 */ && choice->group != 0) {
        const char *name = tls_group_name(choice->group);

        f->key_share = name != NULL ? name : "a group the decoder cannot name";
    }
    f->psk_accepted = choice->psk_accepted;
    record_decoder_free(decoder);
    return WS_EXIT_OK;
}
/* [server-hello] */

/* [late-alert] */
/* A server that refuses us sends an alert and hangs up, sometimes while
 * our handshake is still writing: our write then fails with a reset, and
 * the alert waits unread in the socket. Read what is left (through the taps,
 * which note the alert); it is all there already, so a short wait will do. */
static void read_late_alert(struct wire_tap *tap)
{
    unsigned char buf[512];

    while (tap_recv(tap, buf, sizeof(buf), 100) > 0)
        ;
}
/* [late-alert] */

#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) /* 3.x with TLS 1.3 */
/* A TLS 1.3 ticket arrived (mbedtls_ssl_read() said so): keep the newest. */
static int take_ticket(mbedtls_ssl_context *ssl, mbedtls_ssl_session *keep, int *tickets)
{
    int ret;

    if (tickets != NULL)
        ++*tickets;
    if (keep == NULL)
        return 0;
    /* Free the old one, take this one. */
    mbedtls_ssl_session_free(keep);
    mbedtls_ssl_session_init(keep);
    ret = mbedtls_ssl_get_session(ssl, keep);
    if (ret != 0)
        report_mbedtls_error("measure", "mbedtls_ssl_get_session", ret);
    return ret;
}
#endif

/* [get-and-tickets] */
/* Send a GET and read the whole answer. TLS 1.3 tickets arrive in here:
 * with signalling on, mbedtls_ssl_read() stops with
 * MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET and the ticket can be taken
 * with mbedtls_ssl_get_session() before reading on. */
static int get_and_collect_tickets(mbedtls_ssl_context *ssl, const struct options *o,
                                   mbedtls_ssl_session *keep, int *tickets, struct handshake_facts *f)
{
    unsigned char buf[1024];
    char request[512], status_line[64] = "";
    size_t total = 0, kept = 0;
    int len, ret, seen = 0;

    len = snprintf(request, sizeof(request), "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
                   o->servername);
    narrate_begin("Sending GET /");
    ret = tls_write_all(ssl, (const unsigned char *) request, (size_t) len);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("measure", "mbedtls_ssl_write", ret);
        return WS_EXIT_IO;
    }
    narrate_ok("%d bytes", len);

#if !defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
    (void) keep, (void) tickets; /* 2.28: a TLS 1.2 ticket comes inside the handshake */
#endif
    narrate_begin("Reading the response");
    for (;;) {
        ret = mbedtls_ssl_read(ssl, buf, sizeof(buf) - 1);
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) /* 3.x with TLS 1.3 */
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            seen++;
            if (take_ticket(ssl, keep, tickets) != 0) {
                narrate_failed();
                return WS_EXIT_IO;
            }
            continue;
        }
#endif
        if (ret > 0) {
            size_t room = sizeof(f->response) - 1 - kept;

            memcpy(f->response + kept, buf, (size_t) ret < room ? (size_t) ret : room);
            kept += (size_t) ret < room ? (size_t) ret : room;
            f->response[kept] = '\0';
            if (total == 0)
                sscanf(f->response, "%63[^\r\n]", status_line);
            total += (size_t) ret;
            continue;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            break; /* the server said goodbye properly */
        if (ret == 0) {
            /* As in lesson 06: a TCP close without close_notify could be a
             * truncation, so it is not a clean end. */
            narrate_failed();
            report_error("measure",
                         "the server closed the connection without close_notify (%zu bytes received)", total);
            return WS_EXIT_IO;
        }
        if (!compat_ssl_should_retry(ret)) {
            narrate_failed();
            report_mbedtls_error("measure", "mbedtls_ssl_read", ret);
            return WS_EXIT_IO;
        }
    }
    if (seen > 0)
        narrate_ok("%s, %zu bytes; %d NewSessionTicket message%s after the handshake", status_line, total,
                   seen, seen == 1 ? "" : "s");
    else
        narrate_ok("%s, %zu bytes", status_line, total);
    return WS_EXIT_OK;
}
/* [get-and-tickets] */

/* What the handshake looked like, from the tap and the context. */
static int describe(struct tls_session *s, const struct wire_tap *tap, struct handshake_facts *f)
{
    const mbedtls_x509_crt *peer = NULL;
    int ret;

    snprintf(f->version, sizeof(f->version), "%s", mbedtls_ssl_get_version(&s->ssl));
    snprintf(f->suite, sizeof(f->suite), "%s", mbedtls_ssl_get_ciphersuite(&s->ssl));
    f->round_trips = tap->round_trips;
    f->flights = tap->flights;
    f->client_bytes = tap->sent;
    f->server_bytes = tap->received;
    ret = read_server_choice(tap, f);
    /* Is the DER of the server's certificate readable in what it sent? */
#if defined(MBEDTLS_SSL_KEEP_PEER_CERTIFICATE)
    peer = mbedtls_ssl_get_peer_cert(&s->ssl);
#endif
    f->cert_in_clear =
        peer != NULL && contains_bytes(tap->from_server, tap->from_server_len, peer->raw.p, peer->raw.len);
    narrate_info("%u flight%s, %u round trip%s, %zu bytes sent, %zu from the server, %.1f ms (%.2f ms CPU); "
                 "certificate %s on the wire%s%s",
                 f->flights, f->flights == 1 ? "" : "s", f->round_trips, f->round_trips == 1 ? "" : "s",
                 f->client_bytes, f->server_bytes, f->ms, f->cpu_ms,
                 f->cert_in_clear ? "readable" : "not readable", f->key_share ? "; key share " : "",
                 f->key_share ? f->key_share : "");
    return ret;
}

int measured_connection(struct tls_session *s, const struct options *o, const mbedtls_ssl_session *resume,
                        mbedtls_ssl_session *keep, int *tickets, struct handshake_facts *f)
{
    static struct wire_tap tap;
    double start, cpu_start;
    int ret;

    memset(f, 0, sizeof(*f));
    f->received_alert = -1;
    /* The previous connection freed these; make them fresh again. */
    mbedtls_net_init(&s->net);
    mbedtls_ssl_init(&s->ssl);
    memset(&s->trace, 0, sizeof(s->trace));
    ret = stage_connect(s, o);
    memset(&tap, 0, sizeof(tap));
    if (o->trace || s->watch_alerts) {
        /* Lesson 04 put its tap on the socket: count on top of it. */
        tap.inner = &s->trace, tap.inner_send = trace_bio_send, tap.inner_recv = trace_bio_recv_timeout;
    } else {
        tap.inner = &s->net, tap.inner_send = mbedtls_net_send, tap.inner_recv = mbedtls_net_recv_timeout;
    }
    if (ret == WS_EXIT_OK)
        mbedtls_ssl_set_bio(&s->ssl, &tap, tap_send, NULL, tap_recv);

    /* [set-session] */
    if (ret == WS_EXIT_OK && resume != NULL) {
        narrate_begin("Offering the saved session");
        ret = mbedtls_ssl_set_session(&s->ssl, resume);
        if (ret != 0) {
            narrate_failed();
            report_mbedtls_error("measure", "mbedtls_ssl_set_session", ret);
            ret = WS_EXIT_SETUP;
        } else {
            narrate_ok(NULL);
        }
    }
    /* [set-session] */

    if (ret == WS_EXIT_OK) {
        start = now_ms();
        cpu_start = thread_cpu_ns();
        ret = stage_handshake_ret(&s->ssl, &f->handshake_ret);
        f->ms = now_ms() - start;
        f->cpu_ms = (thread_cpu_ns() - cpu_start) / 1e6;
        if (o->trace || s->watch_alerts) {
            const struct trace_alert *alert;

            if (f->handshake_ret == MBEDTLS_ERR_NET_CONN_RESET ||
                f->handshake_ret == MBEDTLS_ERR_NET_SEND_FAILED)
                read_late_alert(&tap);
            alert = trace_bio_received_alert(&s->trace);
            f->received_alert = alert->seen ? alert->description : -1;
        }
    }
    if (ret == WS_EXIT_OK) {
        s->handshake_done = 1;
        ret = describe(s, &tap, f);
        /* A TLS 1.2 session is complete now; a TLS 1.3 one waits for its ticket. */
        if (ret == WS_EXIT_OK && keep != NULL && strcmp(f->version, "TLSv1.2") == 0) {
            mbedtls_ssl_session_free(keep);
            mbedtls_ssl_session_init(keep);
            ret = mbedtls_ssl_get_session(&s->ssl, keep);
            if (ret != 0) {
                report_mbedtls_error("measure", "mbedtls_ssl_get_session", ret);
                ret = WS_EXIT_HANDSHAKE;
            }
        }
        if (ret == WS_EXIT_OK)
            ret = get_and_collect_tickets(&s->ssl, o, keep, tickets, f);
        if (stage_close_notify(&s->ssl) != WS_EXIT_OK && ret == WS_EXIT_OK)
            ret = WS_EXIT_IO;
        s->handshake_done = 0;
    }
    /* Lesson 07's cleanup, for this connection's contexts only. */
    mbedtls_ssl_free(&s->ssl);
    trace_bio_free(&s->trace); /* safe without a tap, and twice */
    mbedtls_net_free(&s->net);
    return ret;
}
