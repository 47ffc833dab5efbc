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
#include "tls_names.h"

/* [wire-facts] */
/* What crossed the wire, as the tap of lessons 04 and 09 saw it: its record
 * decoder counts bytes, flights (runs of bytes in one direction) and round
 * trips, and reads whatever travels in the clear. mbedTLS 3.6 has no "was
 * this session resumed?" accessor, but the ServerHello (the server's first
 * message, sent in the clear) lists the extensions the server accepted:
 * key_share (TLS 1.3 only) carries the server's half of the key exchange,
 * pre_shared_key means it accepted our pre-shared key or ticket. A
 * Certificate message in the clear is the server's certificate, readable
 * by anyone on the path. */
static void read_wire_facts(const struct trace_bio *tap, struct handshake_facts *f)
{
    const struct tls_wire_summary *wire = record_decoder_wire(tap->decoder);
    const struct tls_server_choice *choice = record_decoder_server_choice(tap->decoder);

    f->round_trips = wire->round_trips;
    f->flights = wire->flights;
    f->client_bytes = (size_t) wire->direction[TLS_DIR_CLIENT_TO_SERVER].bytes;
    f->server_bytes = (size_t) wire->direction[TLS_DIR_SERVER_TO_CLIENT].bytes;
    f->cert_in_clear = wire->direction[TLS_DIR_SERVER_TO_CLIENT].certificates_in_clear > 0;
    if (choice->present && choice->version == TLS_VERSION_TLS1_3 && choice->group != 0) {
        const char *name = tls_group_name(choice->group);

        f->key_share = name != NULL ? name : "a group the decoder cannot name";
    }
    f->psk_accepted = choice->psk_accepted;
}
/* [wire-facts] */

/* [late-alert] */
/* A server that refuses us sends an alert and hangs up, sometimes while
 * our handshake is still writing: our write then fails with a reset, and
 * the alert waits unread in the socket. Read what is left through the tap,
 * whose decoder notes the alert; it is all there already, so a short wait
 * will do. */
static void read_late_alert(struct trace_bio *tap)
{
    unsigned char buf[512];

    while (trace_bio_recv_timeout(tap, buf, sizeof(buf), 100) > 0)
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
static void describe(struct tls_endpoint *s, struct handshake_facts *f)
{
    snprintf(f->version, sizeof(f->version), "%s", mbedtls_ssl_get_version(&s->ssl));
    snprintf(f->suite, sizeof(f->suite), "%s", mbedtls_ssl_get_ciphersuite(&s->ssl));
    read_wire_facts(&s->trace, f);
    narrate_info("%u flight%s, %u round trip%s, %zu bytes sent, %zu from the server, %.1f ms (%.2f ms CPU); "
                 "certificate %s on the wire%s%s",
                 f->flights, f->flights == 1 ? "" : "s", f->round_trips, f->round_trips == 1 ? "" : "s",
                 f->client_bytes, f->server_bytes, f->ms, f->cpu_ms,
                 f->cert_in_clear ? "readable" : "not readable", f->key_share ? "; key share " : "",
                 f->key_share ? f->key_share : "");
}

int measured_connection(struct tls_endpoint *s, const struct options *o, const mbedtls_ssl_session *resume,
                        mbedtls_ssl_session *keep, int *tickets, struct handshake_facts *f)
{
    double start, cpu_start;
    int ret;

    memset(f, 0, sizeof(*f));
    f->received_alert = -1;
    /* The previous connection freed these; make them fresh again. Lesson 04
     * puts its tap on the socket, silent without --trace: every figure
     * below is its decoder's. */
    mbedtls_net_init(&s->net);
    mbedtls_ssl_init(&s->ssl);
    memset(&s->trace, 0, sizeof(s->trace));
    s->decode_always = 1;
    ret = stage_connect(s, o);

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
        const struct tls_alert *alert;

        start = now_ms();
        cpu_start = thread_cpu_ns();
        ret = stage_handshake_ret(&s->ssl, &f->handshake_ret);
        f->ms = now_ms() - start;
        f->cpu_ms = (thread_cpu_ns() - cpu_start) / 1e6;
        if (f->handshake_ret == MBEDTLS_ERR_NET_CONN_RESET || f->handshake_ret == MBEDTLS_ERR_NET_SEND_FAILED)
            read_late_alert(&s->trace);
        alert = trace_bio_received_alert(&s->trace);
        f->received_alert = alert->seen ? alert->description : -1;
    }
    if (ret == WS_EXIT_OK) {
        s->handshake_done = 1;
        describe(s, f);
        /* A TLS 1.2 session is complete now; a TLS 1.3 one waits for its ticket. */
        if (keep != NULL && strcmp(f->version, "TLSv1.2") == 0) {
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
    trace_bio_free(&s->trace); /* safe twice */
    mbedtls_net_free(&s->net);
    return ret;
}
