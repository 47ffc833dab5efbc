/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 10_tls13.c
 * @brief Lesson 10: TLS 1.3 next to TLS 1.2, and resuming a session with a ticket.
 *
 * What you will learn:
 * - mbedtls_ssl_conf_min_tls_version() / mbedtls_ssl_conf_max_tls_version()
 *   pin the protocol version; mbedTLS 3.6 negotiates TLS 1.3 by default;
 * - TLS 1.3 needs one round trip before the client may send data, TLS 1.2
 *   needs two; the server's certificate travels encrypted in TLS 1.3;
 * - TLS 1.3 cipher suites (TLS1-3-AES-128-GCM-SHA256) name only the record
 *   cipher and hash: the key exchange comes from the key_share extension;
 * - a TLS 1.3 server sends its session tickets *after* the handshake, so the
 *   client meets them inside mbedtls_ssl_read() as
 *   MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET, once it has asked for them
 *   with mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets() (through
 *   compat_conf_tls13_signal_tickets(): 3.6.0 has no such call);
 * - mbedtls_ssl_get_session() keeps the ticket and mbedtls_ssl_set_session()
 *   offers it on the next connection: the server then skips its certificate
 *   and signature (the ServerHello carries pre_shared_key).
 *
 * The lesson makes three connections to the lesson server: TLS 1.2 for
 * comparison, a full TLS 1.3 handshake that earns a ticket, and a TLS 1.3
 * handshake resumed with that ticket. Lesson 09's tap between mbedTLS and
 * the socket, kept on (silent without --trace), counts bytes and round trips
 * and reads what crossed in the clear; it only watches.
 *
 * With mbedTLS 2.28 (no TLS 1.3) the lesson says so and exits with 77.
 *
 * Run it: start the server (`lessons/08_server &`), then `lessons/10_tls13`;
 * add `--trace` to see every record of the three handshakes (lesson 09), or
 * `--debug 3` for mbedTLS's own account.
 *
 * Exit codes: 0 done, 1 usage, 2 setup, 3 network, 4 handshake (or no
 * resumption), 5 I/O, 77 this mbedTLS has no TLS 1.3.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "stages.h"

#if COMPAT_HAVE_TLS13

/** @brief What one handshake looked like, for the comparison at the end. */
struct handshake_facts {
    char version[16];      /**< mbedtls_ssl_get_version() */
    char suite[64];        /**< mbedtls_ssl_get_ciphersuite() */
    unsigned round_trips;  /**< before the client could send data */
    size_t server_bytes;   /**< what the server sent during the handshake */
    int cert_in_clear;     /**< the server's certificate was readable on the wire */
    const char *key_share; /**< TLS 1.3 key exchange group from the ServerHello, NULL if none */
    int psk_accepted;      /**< the ServerHello accepted our ticket */
    double ms;             /**< wall-clock time of the handshake */
};

/* [wire-facts] */
/* What crossed the wire, as the tap of lessons 04 and 09 saw it: its record
 * decoder counts bytes and round trips and reads whatever travels in the
 * clear. mbedTLS 3.6 has no "was this session resumed?" accessor, but the
 * ServerHello (the server's first message, sent in the clear) lists the
 * extensions the server accepted: key_share (TLS 1.3 only) carries the
 * server's half of the key exchange, pre_shared_key means it accepted our
 * ticket. A Certificate message in the clear is the server's certificate,
 * readable by anyone on the path. */
static void read_wire_facts(const struct trace_bio *tap, struct handshake_facts *f)
{
    const struct tls_wire_summary *wire = record_decoder_wire(tap->decoder);
    const struct tls_server_choice *choice = record_decoder_server_choice(tap->decoder);

    f->round_trips = wire->round_trips;
    f->server_bytes = wire->direction[TLS_DIR_SERVER_TO_CLIENT].bytes;
    f->cert_in_clear = wire->direction[TLS_DIR_SERVER_TO_CLIENT].certificates_in_clear > 0;
    if (choice->present && choice->version == TLS_VERSION_TLS1_3 && choice->group != 0) {
        const char *name = tls_group_name(choice->group);

        f->key_share = name != NULL ? name : "a group the decoder cannot name";
    }
    f->psk_accepted = choice->psk_accepted;
}
/* [wire-facts] */

/* [get-and-tickets] */
/* Send a GET and read the whole answer. TLS 1.3 tickets arrive in here:
 * with signalling on, mbedtls_ssl_read() stops with
 * MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET and the ticket can be taken
 * with mbedtls_ssl_get_session() before reading on. */
static int get_and_collect_tickets(mbedtls_ssl_context *ssl, const struct options *o,
                                   mbedtls_ssl_session *ticket, int *tickets)
{
    unsigned char buf[1024];
    char request[512], status_line[64] = "";
    size_t total = 0;
    int len, ret;

    len = snprintf(request, sizeof(request), "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
                   o->servername);
    narrate_begin("Sending GET /");
    ret = tls_write_all(ssl, (const unsigned char *) request, (size_t) len);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("tls13", "mbedtls_ssl_write", ret);
        return WS_EXIT_IO;
    }
    narrate_ok("%d bytes", len);

    narrate_begin("Reading the response");
    for (;;) {
        ret = mbedtls_ssl_read(ssl, buf, sizeof(buf) - 1);
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            /* Keep the newest ticket: free the old one, take this one. */
            mbedtls_ssl_session_free(ticket);
            mbedtls_ssl_session_init(ticket);
            ret = mbedtls_ssl_get_session(ssl, ticket);
            if (ret != 0) {
                narrate_failed();
                report_mbedtls_error("tls13", "mbedtls_ssl_get_session", ret);
                return WS_EXIT_IO;
            }
            ++*tickets;
            continue;
        }
        if (ret > 0) {
            if (total == 0) {
                buf[ret] = '\0';
                sscanf((const char *) buf, "%63[^\r\n]", status_line);
            }
            total += (size_t) ret;
            continue;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            break; /* the server said goodbye properly */
        if (ret == 0) {
            /* As in lesson 06: a TCP close without close_notify could be a
             * truncation, so it is not a clean end. */
            narrate_failed();
            report_error("tls13",
                         "the server closed the connection without close_notify (%zu bytes received)", total);
            return WS_EXIT_IO;
        }
        if (!compat_ssl_should_retry(ret)) {
            narrate_failed();
            report_mbedtls_error("tls13", "mbedtls_ssl_read", ret);
            return WS_EXIT_IO;
        }
    }
    narrate_ok("%s, %zu bytes; %d NewSessionTicket message%s after the handshake", status_line, total,
               *tickets, *tickets == 1 ? "" : "s");
    return WS_EXIT_OK;
}
/* [get-and-tickets] */

/* [one-connection] */
/* Connect, handshake (resuming @p resume if given), fetch /, close. */
static int one_connection(struct tls_session *s, const struct options *o, const mbedtls_ssl_session *resume,
                          mbedtls_ssl_session *ticket, int *tickets, struct handshake_facts *f)
{
    double start;
    int ret;

    /* The previous connection freed these; make them fresh again. Lesson 04
     * also puts the tap on the socket (run_lesson() asked for it). */
    mbedtls_net_init(&s->net);
    mbedtls_ssl_init(&s->ssl);
    ret = stage_connect(s, o);
    if (ret != WS_EXIT_OK)
        return ret;

    /* [set-session] */
    if (resume != NULL) {
        narrate_begin("Offering the saved session ticket");
        ret = mbedtls_ssl_set_session(&s->ssl, resume);
        if (ret != 0) {
            narrate_failed();
            report_mbedtls_error("tls13", "mbedtls_ssl_set_session", ret);
            return WS_EXIT_SETUP;
        }
        narrate_ok(NULL);
    }
    /* [set-session] */

    start = now_ms();
    ret = stage_handshake(&s->ssl);
    f->ms = now_ms() - start;
    if (ret != WS_EXIT_OK)
        return ret;
    s->handshake_done = 1;

    snprintf(f->version, sizeof(f->version), "%s", mbedtls_ssl_get_version(&s->ssl));
    snprintf(f->suite, sizeof(f->suite), "%s", mbedtls_ssl_get_ciphersuite(&s->ssl));
    read_wire_facts(&s->trace, f);
    narrate_info("%u round trip%s, %zu bytes from the server, %.1f ms; certificate %s on the wire%s%s",
                 f->round_trips, f->round_trips == 1 ? "" : "s", f->server_bytes, f->ms,
                 f->cert_in_clear ? "readable" : "not readable", f->key_share ? "; key share " : "",
                 f->key_share ? f->key_share : "");

    ret = get_and_collect_tickets(&s->ssl, o, ticket, tickets);
    if (stage_close_notify(&s->ssl) != WS_EXIT_OK && ret == WS_EXIT_OK)
        ret = WS_EXIT_IO;
    s->handshake_done = 0;
    mbedtls_ssl_free(&s->ssl);
    mbedtls_net_free(&s->net);
    trace_bio_free(&s->trace); /* safe without --trace, and twice */
    return ret;
}
/* [one-connection] */

/* [versions] */
/* Allow exactly one protocol version for the next connection. The
 * configuration may change between connections, never during one. */
static void only_version(mbedtls_ssl_config *conf, mbedtls_ssl_protocol_version version)
{
    mbedtls_ssl_conf_min_tls_version(conf, version);
    mbedtls_ssl_conf_max_tls_version(conf, version);
}
/* [versions] */

/* [tls13-main] */
static int run_lesson(struct tls_session *s, const struct options *o)
{
    struct handshake_facts tls12, full, resumed;
    mbedtls_ssl_session ticket;
    int tickets = 0, ignored = 0;
    int ret;

    /* [tls13-signal-tickets] */
    /* Without this, a 3.6 client silently drops TLS 1.3 tickets. The
     * wrapper calls mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets()
     * (3.6.1 on; 3.6.0 lacks it and always signals). */
    if (!compat_conf_tls13_signal_tickets(&s->conf)) {
        report_error("tls13", "this mbedTLS cannot hand session tickets to the client "
                              "(needs MBEDTLS_SSL_SESSION_TICKETS and MBEDTLS_SSL_CLI_C)");
        return WS_EXIT_UNSUPPORTED;
    }
    /* [tls13-signal-tickets] */

    /* Keep lesson 04's tap on every connection, silent without --trace:
     * read_wire_facts() asks its decoder what crossed the wire. */
    s->decode_always = 1;
    memset(&tls12, 0, sizeof(tls12));
    memset(&full, 0, sizeof(full));
    memset(&resumed, 0, sizeof(resumed));
    mbedtls_ssl_session_init(&ticket);

    printf("\n--- TLS 1.2, for comparison ---\n");
    only_version(&s->conf, MBEDTLS_SSL_VERSION_TLS1_2);
    ret = one_connection(s, o, NULL, &ticket, &ignored, &tls12);
    /* A TLS 1.2 ticket cannot resume TLS 1.3: start the next one clean. */
    mbedtls_ssl_session_free(&ticket);
    mbedtls_ssl_session_init(&ticket);

    if (ret == WS_EXIT_OK) {
        printf("\n--- TLS 1.3, a full handshake ---\n");
        only_version(&s->conf, MBEDTLS_SSL_VERSION_TLS1_3);
        ret = one_connection(s, o, NULL, &ticket, &tickets, &full);
    }
    if (ret == WS_EXIT_OK && tickets == 0) {
        report_error("tls13", "the server sent no session ticket: is it built with MBEDTLS_SSL_TICKET_C "
                              "and session tickets enabled?");
        ret = WS_EXIT_HANDSHAKE;
    }
    if (ret == WS_EXIT_OK) {
        printf("\n--- TLS 1.3 again, resumed with the ticket ---\n");
        ret = one_connection(s, o, &ticket, &ticket, &ignored, &resumed);
    }
    if (ret == WS_EXIT_OK && !resumed.psk_accepted) {
        report_error("tls13", "the server did not accept the ticket: it performed a full handshake");
        ret = WS_EXIT_HANDSHAKE;
    }
    mbedtls_ssl_session_free(&ticket);
    if (ret != WS_EXIT_OK)
        return ret;

    /* [tls13-compare] */
    printf("\nWhat changed from TLS 1.2 to TLS 1.3:\n"
           "  round trips before the client may send data: %u (TLS 1.2) -> %u (TLS 1.3)\n"
           "  server certificate on the wire: %s (TLS 1.2) -> %s (TLS 1.3)\n"
           "    because TLS 1.3 encrypts everything after the ServerHello\n"
           "  cipher suite: %s -> %s\n"
           "    a TLS 1.3 suite names only the record cipher and hash; the key exchange\n"
           "    is the key_share extension (here %s), the signature is negotiated apart\n"
           "  session tickets: TLS 1.2 sends one inside the handshake, TLS 1.3 after it\n"
           "    (%d received while reading the response)\n"
           "Resumption with the ticket: %s\n"
           "  %zu bytes from the server instead of %zu (no certificate, no signature),\n"
           "  %.1f ms instead of %.1f ms\n",
           tls12.round_trips, full.round_trips, tls12.cert_in_clear ? "readable" : "not readable",
           full.cert_in_clear ? "readable" : "not readable", tls12.suite, full.suite,
           full.key_share ? full.key_share : "none seen", tickets,
           resumed.psk_accepted ? "resumed (the ServerHello carries pre_shared_key)" : "not resumed",
           resumed.server_bytes, full.server_bytes, resumed.ms, full.ms);
    /* [tls13-compare] */
    return WS_EXIT_OK;
}
/* [tls13-main] */

#endif /* COMPAT_HAVE_TLS13 */

int main(int argc, char **argv)
{
    struct options o;
    int done;
    int ret =
        options_parse(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT,
                      "Lesson 10: TLS 1.3 next to TLS 1.2, and resumption with a session ticket.", &o, &done);

    if (done)
        return ret;
#if !COMPAT_HAVE_TLS13
    printf("This mbedTLS (%s) was built without TLS 1.3 (MBEDTLS_SSL_PROTO_TLS1_3): mbedTLS 2.28 has\n"
           "none, 3.6 enables it by default. Build the workshop against 3.6 to run this lesson:\n"
           "  ./quickstart.sh (its default), or configure --with-mbedtls=PREFIX\n"
           "  (see the page \"mbedTLS 2.28 -> 3.6 -> 4.x\")\n",
           MBEDTLS_VERSION_STRING);
    return WS_EXIT_UNSUPPORTED;
#else
    static struct tls_session s; /* large: keep it off the stack */

    signal(SIGPIPE, SIG_IGN);
    ret = stage_init(&s);
    if (ret == WS_EXIT_OK)
        ret = stage_load_certs(&s, &o);
    if (ret == WS_EXIT_OK)
        ret = stage_config(&s, &o, MBEDTLS_SSL_IS_CLIENT);
    if (ret == WS_EXIT_OK)
        ret = run_lesson(&s, &o);
    stage_cleanup(&s);
    return ret;
#endif
}
