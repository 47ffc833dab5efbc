/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server_event_loop.h
 * @brief What the event loop's two files share: one client of the loop, and the table of them.
 *
 * The lesson is `08_server_event_loop.c` (non-blocking sockets, one client's step, the poll() loop).
 * `08_server_event_clients.c` keeps the table of clients: accepting them, letting them go when their
 * time is up, freeing them and counting how each ended.
 */
#ifndef WORKSHOP_08_SERVER_EVENT_LOOP_H
#define WORKSHOP_08_SERVER_EVENT_LOOP_H

#include "08_server.h"
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
    size_t response_len;             /**< its length */
    size_t sent;                     /**< how much of it mbedTLS has taken */
    int status;                      /**< its HTTP status */
};

/** @brief The clients being served, and the counts for the summary line. */
struct client_table {
    struct client *clients[EVENT_LOOP_MAX_CLIENTS]; /**< the clients, in the order they came */
    int count;                                      /**< how many */
    unsigned long accepted;                         /**< clients accepted so far (--max-connections) */
    unsigned long outcomes[OUTCOME_COUNT];          /**< finished clients, counted by outcome */
    long long accept_paused_until;                  /**< no accept before then (pool_now_ms() time) */
};

/* 08_server_event_loop.c (the lesson) ------------------------------------ */

/**
 * @brief Make an accepted client's socket non-blocking.
 * @param c the client, its socket accepted.
 * @return 0, or the error of mbedtls_net_set_nonblock() (reported).
 */
int event_socket_nonblock(struct client *c);

/**
 * @brief Attach an accepted client's TLS context, with a receive callback that never waits.
 * @param srv the server.
 * @param c   the client, its socket non-blocking.
 * @return WS_EXIT_OK, or WS_EXIT_SETUP (reported).
 */
int event_client_attach(struct server *srv, struct client *c);

/**
 * @brief Take the client one step further, as far as it can go without waiting.
 * @param c the client.
 * @return 1 when it is finished (c->outcome says how), else 0 with c->want saying what it waits for.
 */
int client_step(struct client *c);

/* 08_server_event_clients.c (the machinery) ------------------------------ */

/** @brief Whether --max-connections clients have been accepted. */
int clients_all_accepted(const struct client_table *t, const struct server *srv);

/** @brief Accept every client that waits, each one starting at once (failures are reported). */
void clients_accept_waiting(struct client_table *t, struct server *srv);

/**
 * @brief End a client that ran out of time, or was let go after SIGINT/SIGTERM.
 * @param c   the client.
 * @param why the reason, for the error line.
 * @return 1 (it is finished).
 */
int client_expired(struct client *c, const char *why);

/** @brief Count how the i-th client ended and free it; clients_compact() closes the gap. */
void clients_finish(struct client_table *t, int i);

/** @brief Close the gaps finished clients left, keeping the order. */
void clients_compact(struct client_table *t);

/** @brief Count and free every client left (after a failed poll()). */
void clients_finish_all(struct client_table *t);

#endif /* WORKSHOP_08_SERVER_EVENT_LOOP_H */
