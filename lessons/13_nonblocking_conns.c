/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 13_nonblocking_conns.c
 * @brief Lesson 13's bookkeeping: the taps, a connection's result, the request, the summary.
 *
 * What every connection of lesson 13 needs but the lesson is not about: initialising and freeing
 * the contexts (lessons 01 and 07), the `--keylog` and `--trace` taps (lesson 09, here with a
 * receive callback that never waits), marking a connection done or failed, writing the request
 * (lesson 06's), and the summary lines. The lesson file (13_nonblocking.c) keeps what is new:
 * the non-blocking socket, one step of one connection, and the poll() loop. This file is in
 * liblessons.a, so that the lesson and its docs variant are built from one line each.
 */
#include <stdio.h>
#include <string.h>

#include "13_nonblocking.h"

void nb_init_all(struct conn *conns, int count)
{
    for (int i = 0; i < count; i++) {
        mbedtls_net_init(&conns[i].net);
        mbedtls_ssl_init(&conns[i].ssl);
        snprintf(conns[i].prefix, sizeof(conns[i].prefix), "[#%d] ", i + 1);
    }
}

/* The receive callback: never waits (see 08_server_event_loop.c for the server's twin). */
static int recv_without_waiting(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    (void) timeout;
    return mbedtls_net_recv(ctx, buf, len);
}

int nb_add_taps(struct tls_endpoint *s, const struct options *o, struct conn *c)
{
    if (s->keylog.file != NULL)
        compat_ssl_key_export(&c->ssl, &s->keylog.export); /* --keylog, 3.x (lesson 09) */
    if (o->trace) {
        narrate_set_thread_prefix(c->prefix);
        if (trace_bio_init(&c->tap, &c->net, mbedtls_net_send, recv_without_waiting, 0, stdout, c->prefix) !=
            0) {
            report_error("nonblocking", "cannot set up the trace tap: out of memory");
            return WS_EXIT_SETUP;
        }
        mbedtls_ssl_set_bio(&c->ssl, &c->tap, trace_bio_send, NULL, trace_bio_recv_timeout);
    }
    return WS_EXIT_OK;
}

void nb_finish(struct conn *c, int result)
{
    c->step = STEP_DONE;
    c->result = result;
}

void nb_fail(struct conn *c, const char *what, const char *function, int ret, int result)
{
    narrate_begin("%s", what);
    narrate_failed();
    if (function != NULL)
        report_mbedtls_error("nonblocking", function, ret);
    nb_finish(c, result);
}

void nb_poll_failed(struct conn *conns, int count, int error)
{
    report_error("nonblocking", "poll failed: %s", strerror(error));
    for (int i = 0; i < count; i++)
        if (conns[i].step != STEP_DONE)
            nb_finish(&conns[i], WS_EXIT_NETWORK);
}

void nb_time_out(struct conn *c, int number, unsigned timeout_ms)
{
    narrate_begin("Still in the %s after %u ms", c->step == STEP_HANDSHAKE ? "handshake" : "exchange",
                  timeout_ms);
    narrate_failed();
    report_error("nonblocking", "#%d timed out (--timeout %u)", number, timeout_ms);
    nb_finish(c, c->step == STEP_HANDSHAKE ? WS_EXIT_HANDSHAKE : WS_EXIT_IO);
}

void nb_count_response(struct conn *c, unsigned char *buf, size_t len)
{
    if (c->received == 0) { /* the first bytes start with the status line */
        buf[len] = '\0';
        sscanf((const char *) buf, "%63[^\r\n]", c->status);
    }
    c->received += len;
}

void nb_narrate_response(const struct conn *c)
{
    narrate_begin("Reading the response");
    narrate_ok("%s, %zu bytes, %u read%s from mbedTLS's buffer, %d TLS 1.3 ticket%s, then close_notify",
               c->status, c->received, c->pending, c->pending == 1 ? "" : "s", c->tickets,
               c->tickets == 1 ? "" : "s");
}

int nb_request(const struct options *o, char *request, size_t cap)
{
    return snprintf(request, cap, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", o->path,
                    o->servername); /* options.c limits both: it fits */
}

int nb_print_summary(const struct conn *conns, int opened, double elapsed_ms, unsigned rounds,
                     const int *order, int handshakes)
{
    int ret = WS_EXIT_OK;

    for (int i = 0; i < opened && ret == WS_EXIT_OK; i++)
        ret = conns[i].result;
    printf("\n%d connections in %.0f ms, %u poll() rounds, one thread.\n", opened, elapsed_ms, rounds);
    printf("Handshakes finished in this order:%s", handshakes == 0 ? " none did" : "");
    for (int i = 0; i < handshakes; i++)
        printf(" #%d", order[i]);
    printf("\n");
    return ret;
}

void nb_free_all(struct conn *conns, int count)
{
    for (int i = 0; i < count; i++) {
        mbedtls_ssl_free(&conns[i].ssl);
        trace_bio_free(&conns[i].tap);
        mbedtls_net_free(&conns[i].net);
    }
}
