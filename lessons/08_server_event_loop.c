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
 * account of a finished handshake, the outcome counts and the summary line.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "08_server.h"
#include "address.h"
#include "http.h"

/** @brief Most clients served at once; more wait in the kernel's listen queue. */
#define EVENT_LOOP_MAX_CLIENTS 256

/** @brief Where one client is in its conversation. */
enum phase { PHASE_HANDSHAKE, PHASE_REQUEST, PHASE_RESPONSE, PHASE_CLOSE };

/** @brief One client of the event loop. */
struct client {
    struct connection conn;          /**< socket first: the tap hands it to mbedtls_net_send() */
    mbedtls_ssl_context ssl;         /**< its TLS context on the shared configuration */
    struct trace_bio tap;            /**< the tap server_attach() puts in front of the socket */
    char prefix[96];                 /**< "[#id address:port] " before its narration */
    enum phase phase;                /**< what it does next */
    enum compat_retry want;          /**< what it waits for: readable, writable, or nothing */
    enum connection_outcome outcome; /**< how it ends, if it ended now */
    char head[HTTP_MAX_HEAD + 1];    /**< the request head received so far */
    size_t have;                     /**< its length */
    char response[4096];             /**< the answer */
    size_t response_len, sent;       /**< its length, and how much mbedTLS has taken */
    int status;                      /**< its HTTP status */
};

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
static int client_step(struct client *c)
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

/** @brief What accept_client() did. */
enum accepted { ACCEPTED, NOBODY_WAITING, ACCEPT_FAILED, ATTACH_FAILED };

/* Accept one waiting client, make its socket non-blocking and attach its TLS
 * context (failures are reported). */
static enum accepted accept_client(struct server *srv, unsigned long id, struct client **out)
{
    struct client *c = calloc(1, sizeof(*c));
    enum accepted result = ACCEPT_FAILED;
    int ret;

    if (c == NULL) {
        report_error("server", "out of memory for a new client; it waits in the listen queue");
        return ACCEPT_FAILED;
    }
    mbedtls_net_init(&c->conn.net);
    mbedtls_ssl_init(&c->ssl);
    ret = mbedtls_net_accept(&srv->listener, &c->conn.net, NULL, 0, NULL);
    if (ret == 0) {
        /* [event-nonblock] */
        /* An accepted socket does not inherit O_NONBLOCK from the listener. */
        ret = mbedtls_net_set_nonblock(&c->conn.net);
        if (ret != 0)
            report_mbedtls_error("server", "mbedtls_net_set_nonblock", ret);
        /* [event-nonblock] */
    } else if (ret == MBEDTLS_ERR_SSL_WANT_READ) {
        result = NOBODY_WAITING;
    } else {
        report_mbedtls_error("server", "mbedtls_net_accept", ret);
    }
    if (ret == 0) {
        result = ATTACH_FAILED;
        c->conn.id = id;
        if (address_of_socket(COMPAT_NET_FD(&c->conn.net), ADDRESS_PEER, c->conn.peer,
                              sizeof(c->conn.peer)) != 0)
            snprintf(c->conn.peer, sizeof(c->conn.peer), "unknown");
        /* The same budget a pool thread gives a client: three timeouts. */
        c->conn.deadline_ms = pool_now_ms() + 3LL * srv->o.timeout_ms;
        snprintf(c->prefix, sizeof(c->prefix), "[#%lu %s] ", id, c->conn.peer);
        narrate_set_thread_prefix(c->prefix);
        ret = server_attach(srv, &c->conn, &c->ssl, &c->tap, recv_without_waiting, c->prefix);
    }
    if (ret != 0) {
        mbedtls_ssl_free(&c->ssl);
        trace_bio_free(&c->tap);
        mbedtls_net_free(&c->conn.net);
        free(c);
        return result;
    }
    c->phase = PHASE_HANDSHAKE;
    c->want = COMPAT_RETRY_NOW; /* start the handshake (read the ClientHello) at once */
    c->outcome = OUTCOME_NO_HANDSHAKE;
    *out = c;
    return ACCEPTED;
}

/* A client that ran out of time, or was let go after SIGINT/SIGTERM. */
static int client_expired(struct client *c, const char *why)
{
    static const char *const doing[] = {"Performing the TLS handshake", "Reading the request",
                                        "Sending the response", "Sending close_notify"};

    narrate_begin("%s", doing[c->phase]);
    narrate_failed();
    report_error("server", "%s", why);
    if (c->phase == PHASE_REQUEST) {
        /* The handshake is done: say goodbye, as a pool thread would; one
         * try, since the client's time is up. */
        c->outcome = c->have == 0 ? OUTCOME_NO_REQUEST : OUTCOME_BROKEN;
        c->phase = PHASE_CLOSE;
        client_step(c);
        return 1;
    }
    if (c->phase != PHASE_HANDSHAKE)
        c->outcome = OUTCOME_BROKEN;
    return 1;
}

static void client_free(struct client *c)
{
    mbedtls_ssl_free(&c->ssl);
    trace_bio_free(&c->tap);
    mbedtls_net_free(&c->conn.net);
    free(c);
}

/* [event-loop] */
int event_loop_run(struct server *srv)
{
    static struct client *clients[EVENT_LOOP_MAX_CLIENTS];
    struct pollfd fds[EVENT_LOOP_MAX_CLIENTS + 1];
    unsigned long outcomes[OUTCOME_COUNT] = {0};
    unsigned long accepted = 0;
    long long accept_paused_until = 0;
    int count = 0, ret;

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
        int more = !pool_stop_requested() &&
                   (srv->o.max_connections == 0 || accepted < (unsigned long) srv->o.max_connections);
        long long now = pool_now_ms(), wait_ms = 200; /* wake up regularly to notice SIGINT/SIGTERM */
        int accepting = more && count < EVENT_LOOP_MAX_CLIENTS && now >= accept_paused_until;
        nfds_t n = 0;

        if (!more && count == 0)
            break;
        /* What each client waits for becomes its poll() events. */
        if (accepting)
            fds[n++] = (struct pollfd){.fd = COMPAT_NET_FD(&srv->listener), .events = POLLIN};
        for (int i = 0; i < count; i++) {
            struct client *c = clients[i];

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
        for (int i = 0; i < count; i++) {
            struct client *c = clients[i];
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
            else if (pool_stop_requested() && c->want == COMPAT_RETRY_READ && c->phase != PHASE_CLOSE)
                /* As a pool thread after SIGINT/SIGTERM: a silent client is let go. */
                finished = client_expired(c, "stopping: the client had nothing more to say");
            else
                finished = 0;
            if (finished) {
                outcomes[c->outcome]++;
                client_free(c);
                clients[i] = NULL;
            }
        }
        /* Close the gaps the finished clients left, keeping the order. */
        {
            int kept = 0;

            for (int i = 0; i < count; i++)
                if (clients[i] != NULL)
                    clients[kept++] = clients[i];
            count = kept;
        }
        /* New clients: accept all that wait, each one starts at once. */
        while (accepting && (fds[0].revents & POLLIN) && count < EVENT_LOOP_MAX_CLIENTS &&
               (srv->o.max_connections == 0 || accepted < (unsigned long) srv->o.max_connections)) {
            struct client *c = NULL;
            enum accepted result = accept_client(srv, accepted + 1, &c);

            if (result == NOBODY_WAITING)
                break;
            if (result == ACCEPT_FAILED) {
                /* Out of descriptors or memory: the client still waits in
                 * the listen queue, and poll() would report it again at once.
                 * Back off for a fifth of a second instead of spinning. */
                accept_paused_until = pool_now_ms() + 200;
                break;
            }
            accepted++;
            if (result == ATTACH_FAILED)
                outcomes[OUTCOME_NO_HANDSHAKE]++;
            else
                clients[count++] = c;
        }
        narrate_set_thread_prefix(NULL);
    }
    /* Only after a failed poll() can clients be left: let them go. */
    for (int i = 0; i < count; i++) {
        outcomes[clients[i]->outcome]++;
        client_free(clients[i]);
    }
    outcomes_print_summary(outcomes);
    return WS_EXIT_OK;
}
/* [event-loop] */
