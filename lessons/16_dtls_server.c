/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 16_dtls_server.c
 * @brief Lesson 16: a DTLS 1.2 server over UDP: cookies, one socket for every client, and
 *        connection IDs.
 *
 * What you will learn:
 * - stages 01-03 and lesson 15's DTLS settings serve the server unchanged;
 * - mbedtls_net_bind() with MBEDTLS_NET_PROTO_UDP: one socket receives every client's datagrams,
 *   and the server tells clients apart by source address (16_dtls_server_demux.c);
 * - cookies (mbedtls_ssl_cookie_setup(), mbedtls_ssl_conf_dtls_cookies()): a UDP source address
 *   can be forged, so a new client first gets a HelloVerifyRequest with a cookie made from its
 *   address, and the server keeps nothing until the client sends the cookie back;
 *   mbedtls_ssl_set_client_transport_id() says which address the cookie is for;
 * - MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED is that step, not an error: reset and wait;
 * - a connection ID (RFC 9146, `--cid`) lets a client that changes address or port keep its
 *   session; the server moves it only after a record from the new address passed its checks.
 *
 * Run it: `lessons/16_dtls_server`, then `lessons/15_dtls_client`, or
 * `openssl s_client -dtls1_2 -connect 127.0.0.1:4433 -CAfile certs/ca.pem`.
 *
 * The lesson's stage, the cookies, is 16_dtls_server_stage.c (in liblessons.a: the benchmarks use
 * it too).
 */
#include <stdio.h>
#include <string.h>

#include "16_dtls_server.h"
#include "address.h"
#include "dtls_record.h"

/** @brief The server: what every peer shares. */
struct dtls_server {
    struct tls_endpoint s;          /**< stages 01-03 */
    struct options o;               /**< command line */
    mbedtls_net_context listener;   /**< the UDP socket */
    mbedtls_ssl_cookie_ctx cookies; /**< the key cookies are made with */
    struct demux demux;             /**< the peers (16_dtls_server_demux.c) */
    struct psk_credentials psk;     /**< --psk: lesson 11's stage, over UDP */
};

/* [server-peer-start] */

/* A ClientHello from a new address: a TLS context for it, on the shared
 * config; a slot that served an earlier client reuses its context. */
static int start_peer(void *ctx, struct peer *p)
{
    struct dtls_server *srv = ctx;
    unsigned char cid[DTLS_CID_LEN] = {'s', (unsigned char) (p - srv->demux.peers), 0, 0};
    unsigned char id[ADDRESS_MAX_BYTES];
    size_t id_len;
    int ret;

    /* Our connection ID for this client: its slot and a counter. */
    cid[2] = (unsigned char) (srv->demux.sessions >> 8);
    cid[3] = (unsigned char) srv->demux.sessions;
    memcpy(p->cid, cid, sizeof(cid));
    narrate_set_thread_prefix(NULL);
    if (!p->ssl_ready) {
        mbedtls_ssl_init(&p->ssl);
        dtls_watch_init(&p->watch, p, demux_send, demux_recv_timeout);
        report_set_mode(REPORT_ERRORS_ONLY); /* lesson 04's narration, once per slot: quiet */
        ret = stage_dtls_attach(&p->ssl, &srv->s.conf, &srv->o, &p->watch, NULL, cid);
        report_set_mode(REPORT_NARRATE);
        if (ret != WS_EXIT_OK)
            return ret;
        p->ssl_ready = 1;
    } else {
        ret = mbedtls_ssl_session_reset(&p->ssl); /* everything of the last client forgotten */
        if (ret != 0) {
            report_mbedtls_error("server", "mbedtls_ssl_session_reset", ret);
            return WS_EXIT_SETUP;
        }
        ret = stage_dtls_set_cid(&p->ssl, &srv->o, cid); /* says what failed itself */
        if (ret != WS_EXIT_OK)
            return ret;
        dtls_watch_init(&p->watch, p, demux_send, demux_recv_timeout);
    }
    p->handshake_done = 0;
    p->requests = 0;
    /* The cookie is bound to this: the client's IP address and port. */
    id_len = address_bytes(&p->addr, id);
    ret = mbedtls_ssl_set_client_transport_id(&p->ssl, id, id_len);
    if (ret != 0) {
        report_mbedtls_error("server", "mbedtls_ssl_set_client_transport_id", ret);
        return WS_EXIT_SETUP;
    }
    /* --keylog (3.x: per connection) and --trace, as lesson 08 does
     * (16_dtls_server_peer.c). */
    peer_add_debug_taps(p, &srv->s, &srv->o);
    return WS_EXIT_OK;
}
/* [server-peer-start] */

/* [server-handshake] */
/* One step of a peer's handshake. It never waits: "want read" hands the turn
 * back to the loop until the next datagram (or the retransmission timer). */
static enum peer_state handshake_step(struct peer *p)
{
    int ret, cookie = -1;

    if (p->inbox_len > 0 && p->id == 0)
        cookie = dtls_client_hello_cookie_len(p->inbox, p->inbox_len);
    p->watch.handshaking = 1;
    ret = mbedtls_ssl_handshake(&p->ssl);
    if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
        /* Not an error: a HelloVerifyRequest went out, and the server keeps
         * nothing. The client comes back with the cookie, to a fresh context. */
        if (cookie > 0)
            narrate_info(
                "its %d-byte cookie did not check out (forged, expired, or made for another address): "
                "sent a new HelloVerifyRequest, kept nothing",
                cookie);
        else
            narrate_info("ClientHello without a cookie: sent a HelloVerifyRequest, kept nothing");
        return PEER_FORGET;
    }
    if (p->id == 0 && p->watch.sent > 0) {
        demux_count_session(p); /* the cookie checked out, and the server answered */
        narrate_info("cookie checked out: handshake under way");
    }
    if (ret != 0 && compat_ssl_should_retry(ret))
        return PEER_WAITING;
    p->watch.handshaking = 0;
    if (ret != 0) {
        report_mbedtls_error("server", "mbedtls_ssl_handshake", ret);
        return PEER_FAILED;
    }
    p->handshake_done = 1;
    narrate_info("handshake done: %s, %s%s; %lu datagrams sent (%lu again), %lu received",
                 mbedtls_ssl_get_version(&p->ssl), mbedtls_ssl_get_ciphersuite(&p->ssl),
                 peer_uses_cid(p) ? ", with a connection ID" : "", p->watch.sent, p->watch.resent,
                 p->watch.received);
    return PEER_WAITING;
}
/* [server-handshake] */

/* [server-request] */
/* After the handshake: every record that mbedTLS accepts is a request, and
 * gets one reply. */
static enum peer_state serve_peer(void *ctx, struct peer *p)
{
    struct dtls_server *srv = ctx;
    unsigned char request[1024];
    char reply[1400];
    int ret;

    (void) srv;
    if (!p->handshake_done) {
        enum peer_state state = handshake_step(p);

        if (state != PEER_WAITING || !p->handshake_done)
            return state;
    }
    for (;;) {
        ret = mbedtls_ssl_read(&p->ssl, request, sizeof(request));
        if (ret > 0) {
            /* [server-moved] */
            /* mbedTLS accepted the record: only now may a new source address
             * replace the old one (anyone can send a datagram from anywhere). */
            if (demux_source_moved(p)) {
                char from[64];

                address_format(&p->from, from, sizeof(from));
                narrate_info("the client moved to %s: same session, found by its connection ID", from);
                demux_adopt_source(p);
            }
            /* [server-moved] */
            snprintf(reply, sizeof(reply),
                     "DTLS reply to %s, session #%lu, request %lu: %d bytes received (%s, %s)\n", p->name,
                     p->id, p->requests + 1, ret, mbedtls_ssl_get_version(&p->ssl),
                     mbedtls_ssl_get_ciphersuite(&p->ssl));
            ret = tls_write_all(&p->ssl, (const unsigned char *) reply, strlen(reply)); /* lesson 06 */
            if (ret != 0)
                break;
            p->requests++;
            narrate_info("answered request %lu", p->requests);
            continue;
        }
        if (ret == MBEDTLS_ERR_SSL_WANT_READ)
            return PEER_WAITING;
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            narrate_info("the client sent close_notify: session over");
            mbedtls_ssl_close_notify(&p->ssl); /* one datagram; if it is lost, nobody waits for it */
            return PEER_CLOSED;
        }
        if (ret == MBEDTLS_ERR_SSL_CLIENT_RECONNECT) {
            /* The same address and port start a new handshake: the client
             * restarted. mbedTLS has reset the context; go on with it. */
            narrate_info("a new ClientHello from the same port: the client restarted");
            p->handshake_done = 0;
            return handshake_step(p);
        }
        break;
    }
    report_mbedtls_error("server", "mbedtls_ssl_read", ret);
    return PEER_FAILED;
}
/* [server-request] */

/* [dtls-server-main] */
int main(int argc, char **argv)
{
    static struct dtls_server srv;
    const struct extra_option extra[] = {PSK_EXTRA_OPTIONS(srv.psk), {NULL, 0, NULL, NULL, NULL}};
    int done;
    int ret = options_parse_extra(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_SERVER | OPTS_DTLS,
                                  "Lesson 16: a DTLS 1.2 server over UDP that answers every request.", extra,
                                  &srv.o, &done);

    if (done || (ret = stage_psk_check(&srv.o, &srv.psk, 0)) != WS_EXIT_OK)
        return ret;
    /* Connection IDs cost nothing to a client that does not ask for one:
     * the server offers them wherever this mbedTLS has them. */
    srv.o.cid = srv.o.cid || COMPAT_HAVE_DTLS_CID;
    stop_signal_catch();
    mbedtls_net_init(&srv.listener);
    mbedtls_ssl_cookie_init(&srv.cookies);
    ret = stage_prepare(&srv.s, &srv.o, MBEDTLS_SSL_IS_SERVER); /* lessons 01-03, with DATAGRAM */
    if (ret == WS_EXIT_OK)
        ret = stage_dtls_config(&srv.s, &srv.o); /* lesson 15 */
    if (ret == WS_EXIT_OK) /* with --psk, that one key and the TLS 1.2 PSK suites only (lesson 11) */
        ret = stage_psk_conf(&srv.s.conf, &srv.psk, 1);
    if (ret == WS_EXIT_OK)
        ret = stage_dtls_cookies(&srv.s, &srv.cookies);
    if (ret == WS_EXIT_OK)
        ret = demux_listen(&srv.demux, &srv.listener, &srv.o); /* 16_dtls_server_socket.c */
    if (ret == WS_EXIT_OK) {
        srv.demux.cid = srv.o.cid;
        srv.demux.max_sessions = srv.o.max_connections;
        srv.demux.idle_ms = srv.o.timeout_ms;
        ret = demux_run(&srv.demux, start_peer, serve_peer, peer_end, &srv);
        demux_print_summary(&srv.demux);
    }
    demux_free_peers(&srv.demux);
    mbedtls_ssl_cookie_free(&srv.cookies);
    mbedtls_net_free(&srv.listener);
    stage_cleanup(&srv.s); /* lesson 07 */
    stage_psk_wipe(&srv.psk);
    return ret;
}
/* [dtls-server-main] */
