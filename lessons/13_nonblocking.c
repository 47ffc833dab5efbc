/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 13_nonblocking.c
 * @brief Lesson 13: non-blocking I/O: many TLS connections driven by one poll() loop, in one thread.
 *
 * What you will learn:
 * - mbedtls_net_set_nonblock() makes a socket return at once instead of waiting; mbedTLS then
 *   returns MBEDTLS_ERR_SSL_WANT_READ or MBEDTLS_ERR_SSL_WANT_WRITE: not errors, but "call me
 *   again once the socket is readable" (or writable), which poll() tells you;
 * - a TLS 1.3 ticket (MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET, 3.x) waits for nothing: call
 *   again at once;
 * - after WANT_WRITE, mbedtls_ssl_write() must be called again with the same bytes, and a write
 *   may take fewer bytes than offered: send the rest;
 * - poll() watches the socket, not mbedTLS: a record already read may hold more than one read
 *   took, and only mbedtls_ssl_check_pending() says so;
 * - lesson 03's read timeout needs a receive call that waits: here each connection keeps its
 *   own deadline.
 *
 * The lesson opens --connections connections (default 8) to the server, then one loop drives all
 * of them at once: handshake, GET, response, close_notify. The lines show the order in which they
 * progress. The server side of the same idea is `08_server --event-loop` (08_server_event_loop.c).
 * What each connection needs besides (the taps, its result or time-out, counting its response,
 * the request, the summary) is in 13_nonblocking_conns.c.
 *
 * Run it: start the server (`lessons/08_server &`), then `lessons/13_nonblocking`.
 *
 * Exit codes: 0 every connection fetched its page; else the code of the first connection that
 * failed: 3 network, 4 handshake (or timed out in it), 5 I/O; 1 usage, 2 setup.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>

#include "13_nonblocking.h"
#include "clock.h"

/* [nb-open] */
/* Connect, attach a TLS context, then switch the socket to non-blocking.
 * mbedtls_net_connect() itself waits (a name lookup and a TCP connect):
 * on loopback that is immediate; a device would connect() non-blocking too. */
static int open_connection(struct tls_endpoint *s, const struct options *o, struct conn *c)
{
    int ret = stage_connect_tcp(&c->net, o->host, o->port);

    if (ret == WS_EXIT_OK)
        ret = stage_attach_bio(&c->ssl, &s->conf, o->servername, &c->net, mbedtls_net_send, mbedtls_net_recv,
                               NULL); /* no receive-with-timeout: nothing may wait */
    if (ret != WS_EXIT_OK)
        return ret;
    ret = mbedtls_net_set_nonblock(&c->net);
    if (ret != 0) {
        report_mbedtls_error("nonblocking", "mbedtls_net_set_nonblock", ret);
        return WS_EXIT_NETWORK;
    }
    return nb_add_taps(s, o, c); /* --keylog and --trace (lesson 09) */
}
/* [nb-open] */

/* [nb-step] */
/* One step of one connection: a single mbedTLS call, then back to the loop,
 * so that every connection gets its turn. c->want says what it waits for. */
static void advance(struct conn *c, const char *request, size_t request_len)
{
    unsigned char buf[512]; /* small on purpose: one record may hold more than one read takes */
    int ret = 0;

    switch (c->step) {
    case STEP_HANDSHAKE:
        ret = mbedtls_ssl_handshake(&c->ssl);
        if (ret == 0 || compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            narrate_begin("Performing the TLS handshake");
            if (stage_handshake_outcome(&c->ssl, ret) != WS_EXIT_OK) { /* lesson 05's report */
                nb_finish(c, WS_EXIT_HANDSHAKE);
                return;
            }
            c->step = STEP_REQUEST;
            c->want = COMPAT_RETRY_NOW; /* progress: go on at once */
            return;
        }
        if (compat_ssl_retry_kind(ret) != COMPAT_RETRY_NOW)
            narrate_info("handshake waits for the network (%s)",
                         ret == MBEDTLS_ERR_SSL_WANT_READ ? "WANT_READ" : "WANT_WRITE");
        break;
    case STEP_REQUEST:
        /* After WANT_WRITE: the same bytes again. After a partial write: the rest. */
        ret = mbedtls_ssl_write(&c->ssl, (const unsigned char *) request + c->sent, request_len - c->sent);
        if (ret > 0) {
            c->sent += (size_t) ret;
            if (c->sent == request_len) {
                narrate_begin("Sending the request");
                narrate_ok("%zu bytes", request_len);
                c->step = STEP_RESPONSE;
            }
            c->want = COMPAT_RETRY_NOW;
            return;
        }
        if (compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            nb_fail(c, "Sending the request", "mbedtls_ssl_write", ret, WS_EXIT_IO);
            return;
        }
        break;
    case STEP_RESPONSE:
        ret = mbedtls_ssl_read(&c->ssl, buf, sizeof(buf) - 1);
        if (ret > 0) {
            nb_count_response(c, buf, (size_t) ret);
            /* [check-pending] */
            /* poll() would not wake us for bytes mbedTLS has already read
             * from the socket: ask mbedTLS whether its buffer holds more. */
            if (mbedtls_ssl_check_pending(&c->ssl)) {
                c->pending++;
                c->want = COMPAT_RETRY_NOW;
            } else {
                c->want = COMPAT_RETRY_READ;
            }
            /* [check-pending] */
            return;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            nb_narrate_response(c); /* status line, bytes, reads from the buffer, tickets */
            c->step = STEP_CLOSE;
            c->want = COMPAT_RETRY_NOW;
            return;
        }
        if (ret == 0) { /* TCP closed without close_notify: maybe cut (lesson 06) */
            nb_fail(c, "Reading the response", NULL, 0, WS_EXIT_IO);
            report_error("nonblocking", "the server closed without close_notify after %zu bytes",
                         c->received);
            return;
        }
        if (compat_ssl_is_new_ticket(ret))
            c->tickets++; /* a TLS 1.3 ticket arrived and was stored: read on at once */
        if (compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            nb_fail(c, "Reading the response", "mbedtls_ssl_read", ret, WS_EXIT_IO);
            return;
        }
        break;
    case STEP_CLOSE:
        ret = mbedtls_ssl_close_notify(&c->ssl);
        if (ret == 0 || ret == MBEDTLS_ERR_NET_CONN_RESET || ret == MBEDTLS_ERR_NET_SEND_FAILED) {
            narrate_begin("Sending close_notify");
            narrate_ok(ret == 0 ? NULL : "the peer had already closed the connection");
            nb_finish(c, WS_EXIT_OK);
            return;
        }
        if (compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            nb_fail(c, "Sending close_notify", "mbedtls_ssl_close_notify", ret, WS_EXIT_IO);
            return;
        }
        break;
    case STEP_DONE:
        return;
    }
    c->want = compat_ssl_retry_kind(ret);
}
/* [nb-step] */

/* [nb-loop] */
/* Drive every connection until each is done; @p order gets the numbers of
 * the connections whose handshake succeeded, in that order, and @p handshakes
 * their count. Returns the number of poll() rounds. */
static unsigned run_loop(struct conn *conns, int count, const char *request, size_t request_len,
                         unsigned timeout_ms, int *order, int *handshakes)
{
    static struct pollfd fds[OPTIONS_MAX_CONNECTIONS];
    unsigned rounds = 0;
    int active = count;

    *handshakes = 0;
    for (int i = 0; i < count; i++) {
        conns[i].deadline_ms = now_ms() + timeout_ms;
        conns[i].want = COMPAT_RETRY_NOW; /* start every handshake at once */
    }
    while (active > 0) {
        double now = now_ms(), wait_ms = 1000;

        /* Each connection's poll() events are what mbedTLS said it waits for. */
        for (int i = 0; i < count; i++) {
            const struct conn *c = &conns[i];

            fds[i] = (struct pollfd){.fd = c->step == STEP_DONE ? -1 : COMPAT_NET_FD(&c->net),
                                     .events = c->want == COMPAT_RETRY_WRITE ? POLLOUT : POLLIN};
            if (c->step != STEP_DONE && c->want == COMPAT_RETRY_NOW)
                wait_ms = 0;
            else if (c->step != STEP_DONE && c->deadline_ms - now < wait_ms)
                wait_ms = c->deadline_ms - now > 0 ? c->deadline_ms - now : 0;
        }
        if (poll(fds, (nfds_t) count, (int) wait_ms + (wait_ms > 0)) < 0 && errno != EINTR) {
            nb_poll_failed(conns, count, errno); /* every connection still open fails */
            break;
        }
        rounds++;
        now = now_ms();
        for (int i = 0; i < count; i++) {
            struct conn *c = &conns[i];
            enum step before = c->step;

            if (c->step == STEP_DONE)
                continue;
            narrate_set_thread_prefix(c->prefix);
            if (now >= c->deadline_ms) {
                nb_time_out(c, i + 1, timeout_ms); /* its own deadline: lesson 03's read timeout */
            } else if (c->want == COMPAT_RETRY_NOW ||
                       (fds[i].revents & (fds[i].events | POLLERR | POLLHUP))) {
                advance(c, request, request_len);
            }
            if (before == STEP_HANDSHAKE && c->step == STEP_REQUEST)
                order[(*handshakes)++] = i + 1; /* the order handshakes ended in */
            if (c->step == STEP_DONE)
                active--;
        }
        narrate_set_thread_prefix(NULL);
    }
    return rounds;
}
/* [nb-loop] */

int main(int argc, char **argv)
{
    static struct conn conns[OPTIONS_MAX_CONNECTIONS];
    static struct tls_endpoint s; /* large: keep it off the stack */
    int order[OPTIONS_MAX_CONNECTIONS];
    char request[1024];
    struct options o;
    int done, len, opened = 0, handshakes = 0, ret;
    unsigned rounds;
    double start;

    ret = options_parse(
        argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT | OPTS_HTTP | OPTS_NONBLOCKING,
        "Lesson 13: several TLS connections at once, driven by one poll() loop in one thread.", &o, &done);
    if (done)
        return ret;
    signal(SIGPIPE, SIG_IGN);
    ret = stage_prepare(&s, &o, MBEDTLS_SSL_IS_CLIENT); /* stages 01-03: one configuration for all */
    /* Have mbedtls_ssl_read() report TLS 1.3 tickets (3.6 drops them silently
     * otherwise, lesson 10), so the loop meets that return code too. */
    if (ret == WS_EXIT_OK)
        compat_conf_tls13_signal_tickets(&s.conf);
    nb_init_all(conns, o.connections); /* lesson 01's rule, per connection: cleanup is always safe */
    for (; ret == WS_EXIT_OK && opened < o.connections; opened++) {
        narrate_set_thread_prefix(conns[opened].prefix);
        ret = open_connection(&s, &o, &conns[opened]);
        narrate_set_thread_prefix(NULL);
    }
    len = nb_request(&o, request, sizeof(request));
    if (ret == WS_EXIT_OK) {
        start = now_ms();
        narrate_info("%d connections open, all non-blocking; one poll() loop drives them from here", opened);
        rounds = run_loop(conns, opened, request, (size_t) len, o.timeout_ms, order, &handshakes);
        ret = nb_print_summary(conns, opened, now_ms() - start, rounds, order, handshakes);
    }
    /* Lesson 07's cleanup, per connection, then for the shared configuration. */
    nb_free_all(conns, o.connections);
    stage_cleanup(&s);
    return ret;
}
