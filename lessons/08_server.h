/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server.h
 * @brief What the lesson server's four files share: one accepted connection and how it ended, the
 *        connection threads, the HTTP application, session resumption.
 *
 * The lesson is `08_server.c` (bind, accept, one connection's TLS). The machinery it uses has a file
 * each, to read next to it: `08_server_pool.c` (threads, queue, stop signal), `08_server_app.c`
 * (the HTTP answers and the /hello page), `08_server_resumption.c` (session cache and tickets).
 */
#ifndef WORKSHOP_08_SERVER_H
#define WORKSHOP_08_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "stages.h"

#if defined(MBEDTLS_SSL_CACHE_C)
#include <mbedtls/ssl_cache.h>
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
#include <mbedtls/ssl_ticket.h>
#endif

/** @brief One accepted client. The socket must stay the first member: the send callback,
 *  mbedtls_net_send(), gets this struct where it expects an mbedtls_net_context. */
struct connection {
    mbedtls_net_context net; /**< the client's socket */
    unsigned long id;        /**< connection number, from 1 */
    char peer[64];           /**< "address:port" of the client */
    long long deadline_ms;   /**< the whole connection must finish by then (pool_now_ms() time) */
};

/** @brief How one connection ended, for the server's summary line (in this order). */
enum connection_outcome {
    OUTCOME_ANSWERED,       /**< a request answered 200 OK, then close_notify */
    OUTCOME_ANSWERED_ERROR, /**< a request (or non-request) answered with an HTTP error status */
    OUTCOME_NO_REQUEST,     /**< the handshake completed, then no request came (like lesson 05) */
    OUTCOME_NO_HANDSHAKE,   /**< the handshake never completed (like lesson 04, or a bad certificate) */
    OUTCOME_BROKEN, /**< a TLS or network error after the handshake, while reading, answering or closing */
    OUTCOME_COUNT   /**< the number of outcomes */
};

/* 08_server_pool.c ------------------------------------------------------ */

/** @brief Serves one connection on a pool thread and says how it ended. */
typedef enum connection_outcome pool_serve_fn(void *ctx, struct connection *conn);

/** @brief The connection threads and the queue of accepted clients waiting for one. */
struct server_pool {
    pthread_mutex_t lock;                  /**< protects everything below */
    pthread_cond_t changed;                /**< the queue or the state changed */
    struct connection *queue;              /**< accepted, waiting for a thread (a ring buffer) */
    size_t queue_cap;                      /**< its number of slots */
    size_t queue_head;                     /**< the slot of the oldest waiting connection */
    size_t queue_len;                      /**< how many connections wait */
    int no_more;                           /**< no further connections will be queued */
    pthread_t *threads;                    /**< the connection threads */
    int started;                           /**< how many of them were started */
    int timeout_ms;                        /**< `--timeout`: a connection's budget is three of them */
    pool_serve_fn *serve;                  /**< what a thread does with a connection */
    void *serve_ctx;                       /**< its first argument */
    unsigned long outcomes[OUTCOME_COUNT]; /**< finished connections, counted by outcome */
};

/** @brief Catch SIGINT and SIGTERM (they set the stop flag), ignore SIGPIPE. */
void pool_catch_stop_signals(void);

/** @brief Whether SIGINT or SIGTERM arrived; safe to call from any thread. */
bool pool_stop_requested(void);

/** @brief Milliseconds on the monotonic clock that connection deadlines are measured on. */
long long pool_now_ms(void);

/**
 * @brief The receive callback of a pooled connection (an mbedtls_ssl_recv_timeout_t).
 *
 * Waits at most @p timeout ms for bytes (0: no per-read limit), never past the connection's
 * deadline, and returns early after SIGINT/SIGTERM.
 * @param ctx     the struct connection.
 * @param buf     where received bytes go.
 * @param len     its size.
 * @param timeout the per-read limit mbedTLS passes (the configuration's read timeout).
 * @return bytes received, 0 at end of stream, or a negative mbedTLS error (MBEDTLS_ERR_SSL_TIMEOUT).
 */
int pool_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout);

/** @brief Prepare an empty pool; pool_free() is safe after it, whatever happens next. */
void pool_init(struct server_pool *pool);

/**
 * @brief Allocate the queue and start the connection threads.
 * @param pool       the pool, after pool_init().
 * @param threads    how many threads (`--threads`).
 * @param timeout_ms `--timeout`.
 * @param serve      what a thread does with each connection.
 * @param ctx        its first argument.
 * @return WS_EXIT_OK, or WS_EXIT_SETUP (out of memory, or a thread could not be started).
 */
int pool_start(struct server_pool *pool, int threads, int timeout_ms, pool_serve_fn *serve, void *ctx);

/** @brief Wait until the queue has a free slot. @return 0, or -1 when a stop was requested meanwhile. */
int pool_wait_for_room(struct server_pool *pool);

/** @brief Queue an accepted client for a thread; pool_wait_for_room() made sure there is room. */
void pool_enqueue(struct server_pool *pool, const struct connection *conn);

/** @brief Let the threads drain the queue (after a signal: close waiting clients unserved) and join them. */
void pool_stop(struct server_pool *pool);

/** @brief Print the summary line, "served N connections: ...", if any thread was started. */
void pool_print_summary(const struct server_pool *pool);

/** @brief Free the queue and the thread list, destroy the lock. */
void pool_free(struct server_pool *pool);

/* 08_server_app.c ------------------------------------------------------- */

/**
 * @brief Read one HTTP request over a connection whose handshake is done, and answer it.
 * @param ssl the connection.
 * @param tap the connection's tap, whose decoder saw the ClientHello that /hello shows; NULL when
 *            there is none (then /hello is an ordinary 404).
 * @return OUTCOME_ANSWERED, OUTCOME_ANSWERED_ERROR, OUTCOME_NO_REQUEST or OUTCOME_BROKEN.
 */
enum connection_outcome app_serve_request(mbedtls_ssl_context *ssl, const struct trace_bio *tap);

/* 08_server_resumption.c ------------------------------------------------ */

/** @brief What the server keeps so that returning clients can resume their session. */
struct resumption {
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_context cache; /**< sessions kept by ID (TLS 1.2) */
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_context tickets; /**< the key that seals session tickets (TLS 1.2 and 1.3) */
#endif
#if !defined(MBEDTLS_SSL_CACHE_C) && !defined(MBEDTLS_SSL_TICKET_C)
    char none; /**< this mbedTLS can resume nothing (C has no empty structs) */
#endif
};

/** @brief Initialise the cache and ticket contexts; resumption_free() is safe after it. */
void resumption_init(struct resumption *r);

/**
 * @brief Turn resumption on in a server configuration.
 * @param r     the contexts, after resumption_init().
 * @param conf  the server's configuration (stage 03).
 * @param f_rng the random generator the ticket key is drawn from (the server's locked one).
 * @param p_rng its context.
 * @return WS_EXIT_OK or WS_EXIT_SETUP.
 */
int resumption_setup(struct resumption *r, mbedtls_ssl_config *conf,
                     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng);

/** @brief Free what resumption_init() and resumption_setup() made. */
void resumption_free(struct resumption *r);

#endif /* WORKSHOP_08_SERVER_H */
