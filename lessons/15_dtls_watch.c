/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 15_dtls_watch.c
 * @brief What the DTLS lessons put between mbedTLS and the UDP socket: the retransmission timer,
 *        and a watch on the datagrams that says when the timer fired and what was sent again.
 *
 * mbedTLS retransmits silently. To show it happening, lessons 15 and 16 hand mbedTLS these
 * callbacks instead of the socket's and the timing module's own: each one passes the call on and
 * counts or narrates what it saw. Read it after lesson 15 (`15_dtls_client.c`), which installs it.
 * Its counts also tell the client's failed handshakes apart (dtls_watch_explain_failure()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dtls_record.h"
#include "stages.h"
#if defined(MBEDTLS_NET_C)
#include "address.h" /* sockets: not on the microcontroller lab's board */
#endif

void dtls_watch_init(struct dtls_watch *w, void *inner, mbedtls_ssl_send_t *inner_send,
                     mbedtls_ssl_recv_timeout_t *inner_recv)
{
    memset(w, 0, sizeof(*w));
    w->inner = inner;
    w->inner_send = inner_send;
    w->inner_recv = inner_recv;
    w->flight_first = 1;
    w->flight_sends = 1;
    /* Without mbedTLS's timing module, the workshop's timer on the monotonic clock. */
    dtls_timer_init(&w->own_timer, NULL, NULL);
#if !defined(MBEDTLS_TIMING_C)
    w->use_own_timer = 1;
#endif
}

void dtls_watch_use_clock(struct dtls_watch *w, dtls_clock_fn *clock, void *clock_ctx)
{
    dtls_timer_init(&w->own_timer, clock, clock_ctx);
    w->use_own_timer = 1;
}

double dtls_watch_deadline(const struct dtls_watch *w)
{
    return w->use_own_timer ? dtls_timer_deadline(&w->own_timer) : -1;
}

/* "2nd", "3rd", "4th"... */
static const char *ordinal(unsigned long n)
{
    static char text[24];

    snprintf(text, sizeof(text), "%lu%s", n,
             n % 100 >= 11 && n % 100 <= 13 ? "th"
             : n % 10 == 1                  ? "st"
             : n % 10 == 2                  ? "nd"
             : n % 10 == 3                  ? "rd"
                                            : "th");
    return text;
}

/* [watch-fired] */
/* The timer fired with our last flight unanswered: mbedTLS is about to send
 * that flight again, and will wait twice as long for the answer; or, after
 * the longest wait, it gives up. */
static void timer_fired(struct dtls_watch *w, int answered)
{
    char which[64];
    int one = w->flight_first == w->flight_last;

    w->expiries++;
    w->expiry_told = 1;
    w->resending = 1;
    w->received_last = 0; /* what is sent next repeats the last flight */
    w->flight_sends++;
    if (one)
        snprintf(which, sizeof(which), "datagram %lu", w->flight_first);
    else
        snprintf(which, sizeof(which), "datagrams %lu-%lu", w->flight_first, w->flight_last);
    if (w->give_up_ms != 0 && w->armed_ms >= w->give_up_ms)
        narrate_info(
            "! %s got %s within %u ms, the longest wait: the retransmission timer fired, and mbedTLS "
            "gives up",
            which, answered ? "only part of the answer" : "no answer", (unsigned) w->armed_ms);
    else
        narrate_info(
            "! %s got %s within %u ms: the retransmission timer fired, and mbedTLS sends %s a %s time", which,
            answered ? "only part of the answer" : "no answer", (unsigned) w->armed_ms, one ? "it" : "them",
            ordinal(w->flight_sends));
}
/* [watch-fired] */

int dtls_watch_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct dtls_watch *w = ctx;
    int ret = w->inner_send(w->inner, buf, len);

    if (ret < 0) {
        if (ret != MBEDTLS_ERR_SSL_WANT_WRITE)
            w->last_errno = errno;
        return ret;
    }
    w->sent++;
    /* The first send after something came in starts a new flight; until the
     * timer fires, every send adds to it. */
    if (w->received_last) {
        w->flight_first = w->sent;
        w->flight_sends = 1;
    }
    if (!w->resending)
        w->flight_last = w->sent;
    else
        w->resent++;
    w->received_last = 0;
    return ret;
}

int dtls_watch_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct dtls_watch *w = ctx;
    int ret = w->inner_recv(w->inner, buf, len, timeout);
    if (ret > 0) {
        w->received++;
        w->received_last = 1;
        w->resending = 0;
        /* [watch-hello-verify] */
        /* Each HelloVerifyRequest makes mbedTLS start over with the new
         * cookie, and it never gives up: a server that rejects every cookie
         * (its key changes, or our port changes on the way) would keep the
         * client busy forever. */
        if (dtls_client_hello_verify(buf, (size_t) ret) && ++w->hello_verify > DTLS_MAX_HELLO_VERIFY)
            return MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED;
        /* [watch-hello-verify] */
    } else if (ret == MBEDTLS_ERR_SSL_TIMEOUT) {
        /* A blocking socket: the wait mbedTLS asked for (the timer's) passed. */
        if (w->handshaking && !w->expiry_told)
            timer_fired(w, w->received_last);
    } else if (ret != MBEDTLS_ERR_SSL_WANT_READ) {
        /* ECONNREFUSED here is an ICMP "port unreachable" that came back. */
        w->last_errno = errno;
    }
    return ret;
}

/* [watch-timer] */
/* mbedTLS arms the timer when it has sent a flight (final delay: the
 * current retransmission timeout; intermediate: a quarter of it), cancels it
 * (fin_ms 0) when the answer is complete, and asks it how far it has run. */
void dtls_watch_set_delay(void *ctx, uint32_t int_ms, uint32_t fin_ms)
{
    struct dtls_watch *w = ctx;

    w->armed_ms = fin_ms;
    w->expiry_told = 0;
#if defined(MBEDTLS_TIMING_C)
    if (!w->use_own_timer) {
        mbedtls_timing_set_delay(&w->timer, int_ms, fin_ms); /* mbedTLS's timing module */
        return;
    }
#endif
    dtls_timer_set_delay(&w->own_timer, int_ms, fin_ms); /* the workshop's, common/dtls_timer.c */
}

int dtls_watch_get_delay(void *ctx)
{
    struct dtls_watch *w = ctx;
    int state = dtls_timer_get_delay(&w->own_timer);

#if defined(MBEDTLS_TIMING_C)
    if (!w->use_own_timer)
        state = mbedtls_timing_get_delay(&w->timer);
#endif
    /* 2: the final delay passed. A non-blocking server sees it here. */
    if (state == 2 && w->handshaking && !w->expiry_told)
        timer_fired(w, w->received_last);
    return state;
}
/* [watch-timer] */

#if defined(MBEDTLS_NET_C)
/* [dtls-handshake-failed] */
/* The handshake failed: say which of the network's ways of failing it was,
 * from what the watch counted (lesson 15 calls it). */
int dtls_watch_explain_failure(const struct dtls_watch *w, int ret, const struct options *o)
{
    if ((ret == MBEDTLS_ERR_NET_RECV_FAILED || ret == MBEDTLS_ERR_NET_SEND_FAILED) &&
        w->last_errno == ECONNREFUSED) {
        char peer[64] = "?";

        address_of_socket(COMPAT_NET_FD((mbedtls_net_context *) w->inner), ADDRESS_PEER, peer, sizeof(peer));
        report_error("handshake",
                     "ICMP port unreachable: nothing listens on udp/%s (the first address of %s)", peer,
                     o->host);
        return WS_EXIT_NETWORK;
    }
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT && w->received == 0) {
        report_error("handshake",
                     "no datagram came back from udp/%s/%s: %lu sent, the last wait %u ms; no "
                     "server answers there, and no ICMP error came back either (a host or firewall that "
                     "drops datagrams silently)",
                     o->host, o->port, w->sent, o->hs_timeout_max);
        return WS_EXIT_NETWORK;
    }
    if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
        report_error(
            "handshake",
            "the server sent %lu HelloVerifyRequests: it rejects every cookie we return "
            "(its cookie key changes, or our address or port changes on the way, as behind some NATs)",
            w->hello_verify);
        return WS_EXIT_HANDSHAKE;
    }
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT)
        report_error("handshake",
                     "timed out after the last retransmission: the server sent %lu datagram%s, "
                     "then nothing for the last wait of %u ms",
                     w->received, w->received == 1 ? "" : "s", o->hs_timeout_max);
    return WS_EXIT_HANDSHAKE;
}
/* [dtls-handshake-failed] */
#endif
