/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 15_dtls_client.c
 * @brief Lesson 15: the same client over UDP: DTLS 1.2, its timers, retransmissions and the MTU.
 *
 * What you will learn:
 * - DTLS is TLS made to survive a network that loses, duplicates and reorders datagrams: stages
 *   01-03 are the same, with MBEDTLS_SSL_TRANSPORT_DATAGRAM (lesson 03 picks it);
 * - mbedtls_net_connect() with MBEDTLS_NET_PROTO_UDP "connects" a UDP socket: no packet is sent,
 *   the kernel only remembers the peer (and can then report ICMP errors);
 * - a lost flight of handshake messages is sent again when a timer fires: mbedtls_ssl_set_timer_cb()
 *   with mbedtls_timing_set_delay()/get_delay(), and mbedtls_ssl_conf_handshake_timeout() for the
 *   first wait and the longest (each retransmission doubles the wait);
 * - mbedtls_ssl_set_mtu(): handshake messages are cut into fragments that fit one datagram, but
 *   application data is never split: a message larger than a datagram is refused;
 * - DTLS resends handshake messages only: a lost request or reply is the application's problem.
 *
 * Run it: `lessons/16_dtls_server &`, then `lessons/15_dtls_client`; through a lossy link:
 * `tools/lossy_link --to 127.0.0.1:4433 --listen 127.0.0.1:4434 --drop 0.2 --seed 7 &` and
 * `lessons/15_dtls_client --port 4434`.
 *
 * The lesson's two stages, the DTLS configuration and the attach with its timer, are in
 * 15_dtls_stage.c (in liblessons.a: lesson 16 and the benchmarks use them too).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "stages.h"

/* [dtls-connect] */
static int connect_udp(mbedtls_net_context *net, const struct options *o)
{
    char local[64] = "?";
    int ret;

    narrate_begin("Opening a UDP socket for udp/%s/%s", o->host, o->port);
    /* Nothing goes on the wire: a connected UDP socket only remembers its
     * peer, sends there by default, and hears ICMP errors about it. */
    ret = mbedtls_net_connect(net, o->host, o->port, MBEDTLS_NET_PROTO_UDP);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("connect", "mbedtls_net_connect", ret);
        return WS_EXIT_NETWORK;
    }
    address_of_socket(COMPAT_NET_FD(net), ADDRESS_LOCAL, local, sizeof(local));
    narrate_ok("sending from %s", local);
    return WS_EXIT_OK;
}
/* [dtls-connect] */

/* [dtls-request] */
/* One request, one reply. DTLS resends handshake flights, never application
 * data: when the reply does not come, we send the request again, waiting
 * twice as long each time as the handshake does, until --timeout has passed. */
static int request_reply(struct tls_endpoint *s, const struct options *o, const char *message)
{
    unsigned char reply[2048];
    size_t len = strlen(message);
    uint32_t waited = 0;
    int ret;

    for (uint32_t wait = o->hs_timeout_min;;
         wait = wait < o->hs_timeout_max / 2 ? wait * 2 : o->hs_timeout_max) {
        if (wait > o->timeout_ms - waited)
            wait = o->timeout_ms - waited; /* the last wait ends at --timeout */
        narrate_begin("Sending a %zu-byte request", len);
        ret = tls_write_all(&s->ssl, (const unsigned char *) message, len);
        if (ret != 0) {
            narrate_failed();
            report_mbedtls_error("read-write", "mbedtls_ssl_write", ret);
            if (ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA)
                report_error("read-write",
                             "a DTLS record must fit in one datagram: with this MTU it carries at "
                             "most %d bytes, and DTLS never splits application data",
                             mbedtls_ssl_get_max_out_record_payload(&s->ssl));
            return WS_EXIT_IO;
        }
        narrate_ok(NULL);
        narrate_begin("Waiting up to %u ms for the reply", (unsigned) wait);
        mbedtls_ssl_conf_read_timeout(&s->conf, wait); /* what the next mbedtls_ssl_read() waits */
        ret = tls_read_some(&s->ssl, reply, sizeof(reply) - 1);
        if (ret > 0) {
            reply[ret] = '\0';
            narrate_ok("%d bytes", ret);
            printf("%s%s", (const char *) reply, reply[ret - 1] == '\n' ? "" : "\n");
            return WS_EXIT_OK;
        }
        narrate_failed();
        waited += wait;
        if (ret != MBEDTLS_ERR_SSL_TIMEOUT || waited >= o->timeout_ms) {
            report_mbedtls_error("read-write", "mbedtls_ssl_read",
                                 ret == 0 ? MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY : ret);
            return WS_EXIT_IO;
        }
        narrate_info("no reply: the request or the reply was lost, and DTLS does not resend data");
    }
}
/* [dtls-request] */

/* [dtls-rebind] */
/* A new socket, so a new source port: the network sees another client. */
static int rebind(struct tls_endpoint *s, const struct options *o)
{
    narrate_info("moving to a new UDP socket: same DTLS session, new source port%s",
                 o->cid ? " (the connection ID tells the server who we are)" : "");
    mbedtls_net_free(&s->net);
    return connect_udp(&s->net, o);
}
/* [dtls-rebind] */

/* [dtls-client-main] */
int main(int argc, char **argv)
{
    static struct tls_endpoint s;
    static struct dtls_watch w;
    static char message[4096] = "hello over DTLS";
    static struct psk_credentials psk; /* --psk: lesson 11's stage, over UDP */
    const char *text = NULL, *size = NULL, *again = NULL;
    const struct extra_option extra[] = {
        {"message", EXTRA_TEXT, "TEXT", "the request to send (default: \"hello over DTLS\")", &text},
        {"size", EXTRA_TEXT, "N", "send an N-byte request instead (1-4000), to see the MTU at work", &size},
        {"rebind", EXTRA_SWITCH, NULL, "after the reply, send the request again from a new port", &again},
        PSK_EXTRA_OPTIONS(psk),
        {NULL, 0, NULL, NULL, NULL}};
    struct options o;
    int done, mbedtls_ret;
    int ret = options_parse_extra(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT | OPTS_DTLS,
                                  "Lesson 15: a DTLS 1.2 client over UDP: one request, one reply.", extra, &o,
                                  &done);

    if (done || (ret = stage_psk_check(&o, &psk, 0)) != WS_EXIT_OK)
        return ret;
    if (size != NULL) {
        long n = strtol(size, NULL, 10);

        if (n < 1 || n > 4000)
            return options_usage_error(&o, "--size '%s' must be from 1 to 4000", size);
        memset(message, 'x', (size_t) n);
        message[n] = '\0';
    } else if (text != NULL) {
        snprintf(message, sizeof(message), "%s", text);
    }
    /* The watch narrates between the steps: whole lines keep them apart. */
    narrate_set_thread_prefix("");
    ret = stage_prepare(&s, &o, MBEDTLS_SSL_IS_CLIENT); /* lessons 01-03, with DATAGRAM */
    if (ret == WS_EXIT_OK)
        ret = stage_dtls_config(&s, &o);
    if (ret == WS_EXIT_OK) /* with --psk, the TLS 1.2 PSK suites only (lesson 11) */
        ret = stage_psk_conf(&s.conf, &psk, 1);
    if (ret == WS_EXIT_OK)
        ret = connect_udp(&s.net, &o);
    if (ret == WS_EXIT_OK) {
        /* A connection ID the lesson can show: readable on the wire. */
        static const unsigned char cid[DTLS_CID_LEN] = {'c', 'l', 'n', 't'};

        dtls_watch_init(&w, &s.net, mbedtls_net_send, mbedtls_net_recv_timeout);
        ret = stage_dtls_attach(&s.ssl, &s.conf, &o, &w, o.servername, cid);
        /* --keylog and --trace, as in lesson 04, between mbedTLS and the watch. */
        if (ret == WS_EXIT_OK)
            ret = stage_attach_debug_taps_over(&s, &o, &w, dtls_watch_send, dtls_watch_recv_timeout);
    }
    if (ret == WS_EXIT_OK) {
        w.handshaking = 1;
        ret = stage_handshake_ret(&s.ssl, &mbedtls_ret); /* lesson 05, unchanged */
        w.handshaking = 0;
        s.handshake_done = ret == WS_EXIT_OK;
        if (ret != WS_EXIT_OK)
            ret = dtls_watch_explain_failure(&w, mbedtls_ret, &o); /* 15_dtls_watch.c */
        else
            narrate_info("handshake over UDP: %lu datagrams sent (%lu of them again after the timer fired), "
                         "%lu received",
                         w.sent, w.resent, w.received);
    }
    if (ret == WS_EXIT_OK)
        ret = request_reply(&s, &o, message);
    if (ret == WS_EXIT_OK && again != NULL) {
        ret = rebind(&s, &o);
        if (ret == WS_EXIT_OK)
            ret = request_reply(&s, &o, message);
        if (ret != WS_EXIT_OK && !o.cid)
            report_error("read-write", "without a connection ID (--cid) the server knows us by address and "
                                       "port only, and ignores datagrams from the new port");
    }
    if (s.handshake_done) {
        int closed = stage_close_notify(&s.ssl); /* lesson 07: one alert, never resent */

        if (ret == WS_EXIT_OK)
            ret = closed;
    }
    stage_cleanup(&s);
    stage_psk_wipe(&psk);
    return ret;
}
/* [dtls-client-main] */
