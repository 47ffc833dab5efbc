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
 * handshake resumed with that ticket. Each is one measured_connection()
 * (measured.c, shared with lessons 11 and 12): lesson 09's tap between
 * mbedTLS and the socket, kept on (silent without --trace), counts bytes
 * and round trips and reads what crossed in the clear; it only watches.
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

#include "measured.h"

#if COMPAT_HAVE_TLS13

/* [versions] */
/* Allow exactly one protocol version for the next connection. The
 * configuration may change between connections, never during one. */
static void only_version(mbedtls_ssl_config *conf, mbedtls_ssl_protocol_version version)
{
    mbedtls_ssl_conf_min_tls_version(conf, version);
    mbedtls_ssl_conf_max_tls_version(conf, version);
}
/* [versions] */

static int run_lesson(struct tls_endpoint *s, const struct options *o)
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

    mbedtls_ssl_session_init(&ticket);

    printf("\n--- TLS 1.2, for comparison ---\n");
    only_version(&s->conf, MBEDTLS_SSL_VERSION_TLS1_2);
    ret = measured_connection(s, o, NULL, &ticket, &ignored, &tls12);
    /* A TLS 1.2 ticket cannot resume TLS 1.3: start the next one clean. */
    mbedtls_ssl_session_free(&ticket);
    mbedtls_ssl_session_init(&ticket);

    if (ret == WS_EXIT_OK) {
        printf("\n--- TLS 1.3, a full handshake ---\n");
        only_version(&s->conf, MBEDTLS_SSL_VERSION_TLS1_3);
        ret = measured_connection(s, o, NULL, &ticket, &tickets, &full);
    }
    if (ret == WS_EXIT_OK && tickets == 0) {
        report_error("tls13", "the server sent no session ticket: is it built with MBEDTLS_SSL_TICKET_C "
                              "and session tickets enabled?");
        ret = WS_EXIT_HANDSHAKE;
    }
    if (ret == WS_EXIT_OK) {
        printf("\n--- TLS 1.3 again, resumed with the ticket ---\n");
        ret = measured_connection(s, o, &ticket, &ticket, &ignored, &resumed);
    }
    if (ret == WS_EXIT_OK && !resumed.psk_accepted) {
        report_error("tls13", "the server did not accept the ticket: it performed a full handshake");
        ret = WS_EXIT_HANDSHAKE;
    }
    mbedtls_ssl_session_free(&ticket);
    if (ret != WS_EXIT_OK)
        return ret;

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
    return WS_EXIT_OK;
}

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
    static struct tls_endpoint s; /* large: keep it off the stack */

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
