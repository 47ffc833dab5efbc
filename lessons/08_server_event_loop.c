/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server_event_loop.c
 * @brief The lesson server's single-threaded mode (`--event-loop`, lesson 13): one poll() loop
 *        serves every client over non-blocking sockets.
 *
 * Read it with lesson 13 (13_nonblocking.c is the client side of the same idea). The threaded
 * server (08_server_pool.c) parks one thread per client inside mbedtls_ssl_handshake() or
 * mbedtls_ssl_read() until bytes arrive. Here no call ever waits: every socket is non-blocking,
 * so mbedTLS returns MBEDTLS_ERR_SSL_WANT_READ or WANT_WRITE instead of waiting, and the client
 * is called again when poll() says its socket is ready. Each client is a small state machine:
 * handshake, request, response, close_notify. What is the same as in the threaded server is
 * reused: the per-client TLS setup (server_attach()), the HTTP answers (app_answer()), lesson 05's
 * account of a finished handshake, the outcome counts and the summary line. The table of clients
 * (accepting, expiring, freeing, counting) is 08_server_event_clients.c.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "08_server_event_loop.h"

/* [event-recv] */
/* The receive callback behind the tap. On a non-blocking socket
 * mbedtls_net_recv() returns MBEDTLS_ERR_SSL_WANT_READ at once when no byte
 * has arrived. The read timeout mbedTLS passes (lesson 03) cannot apply to
 * a call that never waits: the loop keeps a deadline per client instead. */
static int recv_without_waiting(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct connection *conn = ctx;

    (void) timeout;
    return mbedtls_net_recv(&conn->net, buf, len);
}
/* [event-recv] */

/* A failed step: one narrated line, one error line. */
static void step_failed(const char *step, const char *function, int ret)
{
    narrate_begin("%s", step);
    narrate_failed();
    report_mbedtls_error("server", function, ret);
}

/* [event-step] */
/* Take the client one step further, as far as it can go without waiting.
 * Returns 1 when it is finished (c->outcome says how), else 0 with c->want
 * saying what it waits for. */
int client_step(struct client *c)
{
    int ret = 0;

    switch (c->phase) {
    case PHASE_HANDSHAKE:
        ret = mbedtls_ssl_handshake(&c->ssl);
        if (ret != 0 && compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            narrate_begin("Performing the TLS handshake");
            stage_handshake_outcome(&c->ssl, ret); /* lesson 05 says what went wrong */
            c->outcome = OUTCOME_NO_HANDSHAKE;
            return 1;
        }
        if (ret == 0) {
            narrate_begin("Performing the TLS handshake");
            stage_handshake_outcome(&c->ssl, 0);
            c->phase = PHASE_REQUEST;
            c->outcome = OUTCOME_NO_REQUEST; /* until a request comes */
            /* Progress: try the next step at once; only WANT_READ or
             * WANT_WRITE from mbedTLS means "wait". */
            c->want = COMPAT_RETRY_NOW;
            return 0;
        }
        break;
    case PHASE_REQUEST:
        ret = mbedtls_ssl_read(&c->ssl, (unsigned char *) c->head + c->have, HTTP_MAX_HEAD - c->have);
        if (ret > 0) {
            c->have += (size_t) ret;
            ret =
                app_answer(&c->ssl, &c->tap, c->head, c->have, c->response, sizeof(c->response), &c->status);
            if (ret > 0) {
                c->response_len = (size_t) ret;
                c->phase = PHASE_RESPONSE;
            }
            /* Part of a head: read on at once, the rest may be in mbedTLS's buffer. */
            c->want = COMPAT_RETRY_NOW;
            return 0;
        }
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            narrate_begin("Reading the request");
            narrate_failed();
            report_error("server", "the client closed the connection before sending a request");
            c->outcome = c->have == 0 ? OUTCOME_NO_REQUEST : OUTCOME_BROKEN;
            c->phase = PHASE_CLOSE; /* still say goodbye, as the threaded server does */
            c->want = COMPAT_RETRY_NOW;
            return 0;
        }
        if (compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            step_failed("Reading the request", "mbedtls_ssl_read", ret);
            c->outcome = c->have == 0 ? OUTCOME_NO_REQUEST : OUTCOME_BROKEN;
            return 1;
        }
        break;
    case PHASE_RESPONSE:
        /* A write may take less than asked (one record at a time): call it
         * again with the rest. After WANT_WRITE, call it again with the same
         * bytes: mbedTLS has kept the record it could not send yet. */
        ret = mbedtls_ssl_write(&c->ssl, (const unsigned char *) c->response + c->sent,
                                c->response_len - c->sent);
        if (ret > 0) {
            c->sent += (size_t) ret;
            if (c->sent == c->response_len) {
                narrate_begin("Sending the response");
                narrate_ok("%d, %zu bytes", c->status, c->response_len);
                c->outcome = c->status == 200 ? OUTCOME_ANSWERED : OUTCOME_ANSWERED_ERROR;
                c->phase = PHASE_CLOSE;
            }
            c->want = COMPAT_RETRY_NOW;
            return 0;
        }
        if (compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            step_failed("Sending the response", "mbedtls_ssl_write", ret);
            c->outcome = OUTCOME_BROKEN;
            return 1;
        }
        break;
    case PHASE_CLOSE:
        ret = mbedtls_ssl_close_notify(&c->ssl);
        if (ret == 0 || ret == MBEDTLS_ERR_NET_CONN_RESET || ret == MBEDTLS_ERR_NET_SEND_FAILED) {
            /* As in lesson 07: a peer that already left is no failure. */
            narrate_begin("Sending close_notify");
            narrate_ok(ret == 0 ? NULL : "the peer had already closed the connection");
            return 1;
        }
        if (compat_ssl_retry_kind(ret) == COMPAT_RETRY_NO) {
            step_failed("Sending close_notify", "mbedtls_ssl_close_notify", ret);
            if (c->outcome == OUTCOME_ANSWERED)
                c->outcome = OUTCOME_BROKEN;
            return 1;
        }
        break;
    }
    /* WANT_READ: wait until poll() says the socket is readable; WANT_WRITE:
     * writable; a TLS 1.3 ticket (3.x): nothing to wait for, go on at once. */
    c->want = compat_ssl_retry_kind(ret);
    return 0;
}
/* [event-step] */

int event_socket_nonblock(struct client *c)
{
    /* [event-nonblock] */
    /* An accepted socket does not inherit O_NONBLOCK from the listener. */
    int ret = mbedtls_net_set_nonblock(&c->conn.net);

    if (ret != 0)
        report_mbedtls_error("server", "mbedtls_net_set_nonblock", ret);
    /* [event-nonblock] */
    return ret;
}

int event_client_attach(struct server *srv, struct client *c)
{
    return server_attach(srv, &c->conn, &c->ssl, &c->tap, recv_without_waiting, c->prefix);
}

/* [event-loop] */
int event_loop_run(struct server *srv)
{
    static struct client_table t;
    struct pollfd fds[EVENT_LOOP_MAX_CLIENTS + 1];
    int ret;

    /* The listener too: an accept with nobody waiting returns WANT_READ. */
    ret = mbedtls_net_set_nonblock(&srv->listener);
    if (ret != 0) {
        report_mbedtls_error("server", "mbedtls_net_set_nonblock", ret);
        return WS_EXIT_NETWORK;
    }
    if (listen(COMPAT_NET_FD(&srv->listener), SOMAXCONN) != 0) {
        report_error("server", "listen failed: %s", strerror(errno));
        return WS_EXIT_NETWORK;
    }
    narrate_info("serving every client from this one thread (--event-loop)");
    for (;;) {
        int more = !stop_signal_arrived() && !clients_all_accepted(&t, srv);
        long long now = pool_now_ms(), wait_ms = 200; /* wake up regularly to notice SIGINT/SIGTERM */
        int accepting = more && t.count < EVENT_LOOP_MAX_CLIENTS && now >= t.accept_paused_until;
        nfds_t n = 0;

        if (!more && t.count == 0)
            break;
        /* What each client waits for becomes its poll() events. */
        if (accepting)
            fds[n++] = (struct pollfd){.fd = COMPAT_NET_FD(&srv->listener), .events = POLLIN};
        for (int i = 0; i < t.count; i++) {
            struct client *c = t.clients[i];

            if (c->want == COMPAT_RETRY_NOW)
                wait_ms = 0;
            else if (c->conn.deadline_ms - now < wait_ms)
                wait_ms = c->conn.deadline_ms - now < 0 ? 0 : c->conn.deadline_ms - now;
            fds[n++] = (struct pollfd){.fd = COMPAT_NET_FD(&c->conn.net),
                                       .events = c->want == COMPAT_RETRY_WRITE ? POLLOUT : POLLIN};
        }
        if (poll(fds, n, (int) wait_ms) < 0 && errno != EINTR) {
            report_error("server", "poll failed: %s", strerror(errno));
            break;
        }
        now = pool_now_ms();
        /* Run every client that can move, as far as it can without waiting. */
        for (int i = 0; i < t.count; i++) {
            struct client *c = t.clients[i];
            const struct pollfd *p = &fds[i + (accepting ? 1 : 0)];
            int ready = c->want == COMPAT_RETRY_NOW || (p->revents & (p->events | POLLERR | POLLHUP)) != 0;
            int finished;

            narrate_set_thread_prefix(c->prefix);
            if (now >= c->conn.deadline_ms && c->phase != PHASE_CLOSE)
                finished = client_expired(c, "the client took longer than three --timeouts");
            else if (now >= c->conn.deadline_ms)
                finished = 1; /* not even close_notify went out in time */
            else if (ready)
                finished = client_step(c);
            else if (stop_signal_arrived() && c->want == COMPAT_RETRY_READ && c->phase != PHASE_CLOSE)
                /* As a pool thread after SIGINT/SIGTERM: a silent client is let go. */
                finished = client_expired(c, "stopping: the client had nothing more to say");
            else
                finished = 0;
            if (finished)
                clients_finish(&t, i);
        }
        clients_compact(&t);
        /* New clients: accept all that wait, each one starts at once. */
        if (accepting && (fds[0].revents & POLLIN))
            clients_accept_waiting(&t, srv);
        narrate_set_thread_prefix(NULL);
    }
    /* Only after a failed poll() can clients be left: let them go. */
    clients_finish_all(&t);
    outcomes_print_summary(t.outcomes);
    return WS_EXIT_OK;
}
/* [event-loop] */
