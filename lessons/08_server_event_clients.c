/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server_event_clients.c
 * @brief The event loop's table of clients: accepting them, letting them go, freeing and counting them.
 *
 * This is the bookkeeping around lesson 13's server loop (08_server_event_loop.c), not its subject:
 * allocating a client when one is accepted (its number, its address, its deadline of three
 * `--timeout`s, the prefix of its lines), backing off when the process runs out of descriptors or
 * memory, ending a client whose time is up the way a pool thread would, and keeping the table
 * without gaps. The lesson file keeps what is new in a single-threaded server: the non-blocking
 * socket and receive callback, one client's step, and the poll() loop.
 */
#include <stdio.h>
#include <stdlib.h>

#include "08_server_event_loop.h"
#include "address.h"

/** @brief What accept_client() did. */
enum accepted { ACCEPTED, NOBODY_WAITING, ACCEPT_FAILED, ATTACH_FAILED };

static void client_free(struct client *c)
{
    mbedtls_ssl_free(&c->ssl);
    trace_bio_free(&c->tap);
    mbedtls_net_free(&c->conn.net);
    free(c);
}

/* Accept one waiting client, make its socket non-blocking and attach its TLS
 * context (failures are reported). */
static enum accepted accept_client(struct server *srv, unsigned long id, struct client **out)
{
    struct client *c = calloc(1, sizeof(*c));
    int ret;

    if (c == NULL) {
        report_error("server", "out of memory for a new client; it waits in the listen queue");
        return ACCEPT_FAILED;
    }
    mbedtls_net_init(&c->conn.net);
    mbedtls_ssl_init(&c->ssl);
    ret = mbedtls_net_accept(&srv->listener, &c->conn.net, NULL, 0, NULL);
    if (ret != 0) {
        if (ret != MBEDTLS_ERR_SSL_WANT_READ)
            report_mbedtls_error("server", "mbedtls_net_accept", ret);
        client_free(c);
        return ret == MBEDTLS_ERR_SSL_WANT_READ ? NOBODY_WAITING : ACCEPT_FAILED;
    }
    if (event_socket_nonblock(c) != 0) {
        client_free(c);
        return ACCEPT_FAILED;
    }
    c->conn.id = id;
    if (address_of_socket(COMPAT_NET_FD(&c->conn.net), ADDRESS_PEER, c->conn.peer, sizeof(c->conn.peer)) != 0)
        snprintf(c->conn.peer, sizeof(c->conn.peer), "unknown");
    /* The same budget a pool thread gives a client: three timeouts. */
    c->conn.deadline_ms = pool_now_ms() + 3LL * srv->o.timeout_ms;
    snprintf(c->prefix, sizeof(c->prefix), "[#%lu %s] ", id, c->conn.peer);
    narrate_set_thread_prefix(c->prefix);
    if (event_client_attach(srv, c) != 0) {
        client_free(c);
        return ATTACH_FAILED;
    }
    c->phase = PHASE_HANDSHAKE;
    c->want = COMPAT_RETRY_NOW; /* start the handshake (read the ClientHello) at once */
    c->outcome = OUTCOME_NO_HANDSHAKE;
    *out = c;
    return ACCEPTED;
}

int clients_all_accepted(const struct client_table *t, const struct server *srv)
{
    return srv->o.max_connections != 0 && t->accepted >= (unsigned long) srv->o.max_connections;
}

void clients_accept_waiting(struct client_table *t, struct server *srv)
{
    while (t->count < EVENT_LOOP_MAX_CLIENTS && !clients_all_accepted(t, srv)) {
        struct client *c = NULL;
        enum accepted result = accept_client(srv, t->accepted + 1, &c);

        if (result == NOBODY_WAITING)
            break;
        if (result == ACCEPT_FAILED) {
            /* Out of descriptors or memory: the client still waits in
             * the listen queue, and poll() would report it again at once.
             * Back off for a fifth of a second instead of spinning. */
            t->accept_paused_until = pool_now_ms() + 200;
            break;
        }
        t->accepted++;
        if (result == ATTACH_FAILED)
            t->outcomes[OUTCOME_NO_HANDSHAKE]++;
        else
            t->clients[t->count++] = c;
    }
}

int client_expired(struct client *c, const char *why)
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

void clients_finish(struct client_table *t, int i)
{
    t->outcomes[t->clients[i]->outcome]++;
    client_free(t->clients[i]);
    t->clients[i] = NULL;
}

void clients_compact(struct client_table *t)
{
    int kept = 0;

    for (int i = 0; i < t->count; i++)
        if (t->clients[i] != NULL)
            t->clients[kept++] = t->clients[i];
    t->count = kept;
}

void clients_finish_all(struct client_table *t)
{
    for (int i = 0; i < t->count; i++)
        clients_finish(t, i);
    t->count = 0;
}
