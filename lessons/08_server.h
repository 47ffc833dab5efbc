/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server.h
 * @brief What the lesson server's files share: one accepted connection and how it ended, the
 *        connection threads, the HTTP application, session resumption, pre-shared keys.
 *
 * The lesson is `08_server.c` (bind, accept, one connection's TLS). The machinery it uses has a file
 * each, to read next to it: `08_server_pool.c` (threads, queue, stop signal), `08_server_app.c`
 * (the HTTP answers and the /hello page), `08_server_resumption.c` (session cache and tickets),
 * `08_server_psk.c` (pre-shared keys from `--psk-file`).
 * `08_server_event_loop.c` is lesson 13's single-threaded mode (`--event-loop`).
 */
#ifndef WORKSHOP_08_SERVER_H
#define WORKSHOP_08_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "locked_rng.h"
#include "psk_keys.h"
#include "stages.h"
#include "stop_signal.h" /* the flag SIGINT and SIGTERM set: the accept loop and threads stop */

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
    int timeout_ms;                        /**< --timeout: a connection's budget is three of them */
    pool_serve_fn *serve;                  /**< what a thread does with a connection */
    void *serve_ctx;                       /**< its first argument */
    unsigned long outcomes[OUTCOME_COUNT]; /**< finished connections, counted by outcome */
};

/** @brief Catch SIGINT and SIGTERM (they set common/stop_signal.h's flag), ignore SIGPIPE. */
void pool_catch_stop_signals(void);

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
 * @param threads    how many threads (--threads).
 * @param timeout_ms --timeout.
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

/**
 * @brief Print the summary line for these counts: "served N connections: 3 answered with 200 OK, ...",
 *        and " (stopped by a signal)" after SIGINT/SIGTERM.
 * @param outcomes finished connections, counted by enum connection_outcome.
 */
void outcomes_print_summary(const unsigned long outcomes[OUTCOME_COUNT]);

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

/**
 * @brief Build the answer once the bytes received so far hold a whole request head, or cannot be one.
 *
 * app_serve_request() calls it after each read; so does the event loop (08_server_event_loop.c),
 * after each non-blocking read. It narrates the request it found.
 * @param ssl      the connection (its version and suite go into the page).
 * @param tap      as for app_serve_request().
 * @param head     the bytes received so far.
 * @param have     their number (at most HTTP_MAX_HEAD).
 * @param response where the answer goes.
 * @param cap      its size.
 * @param status   set to the HTTP status of the answer.
 * @return 0 while the head is incomplete (read more), else the answer's length in bytes.
 */
int app_answer(const mbedtls_ssl_context *ssl, const struct trace_bio *tap, const char *head, size_t have,
               char *response, size_t cap, int *status);

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
 * @param f_rng the random generator the ticket key is drawn from (the server's locked one;
 *              4.x draws it from the PSA generator and ignores this).
 * @param p_rng its context.
 * @return WS_EXIT_OK or WS_EXIT_SETUP.
 */
int resumption_setup(struct resumption *r, mbedtls_ssl_config *conf,
                     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng);

/** @brief Free what resumption_init() and resumption_setup() made. */
void resumption_free(struct resumption *r);

/* 08_server_psk.c ------------------------------------------------------ */

/** @brief The pre-shared keys the server accepts, from `--psk-file`. */
struct server_psk {
    const char *file;     /**< the key file, or NULL: certificates only */
    struct psk_keys keys; /**< its keys (psk_keys.h) */
};

/**
 * @brief Load @p psk->file and install the callback that picks each client's key by identity
 *        (mbedtls_ssl_conf_psk_cb()); nothing when @p psk->file is NULL.
 * @param psk  the keys; @p psk->file set, the rest zeroed.
 * @param conf the server's configuration (stage 03).
 * @return WS_EXIT_OK or WS_EXIT_SETUP (the file is unreadable or malformed: one line says where).
 */
int psk_setup(struct server_psk *psk, mbedtls_ssl_config *conf);

/** @brief A new connection on this thread: forget which identity the callback accepted before. */
void psk_connection_start(void);

/**
 * @brief After a failed handshake: when the callback had accepted the client's identity and the
 *        failure is the one a different key causes, say so in one line.
 * @param psk the keys.
 * @param ret the error mbedtls_ssl_handshake() returned.
 */
void psk_explain_failure(const struct server_psk *psk, int ret);

/** @brief Wipe the keys. */
void psk_free(struct server_psk *psk);

/* 08_server.c ------------------------------------------------------------ */

/** @brief The server: what every connection shares, whichever thread serves it. */
struct server {
    struct tls_endpoint s;        /**< stages 01-03: RNG, certificates, config */
    struct options o;             /**< command line */
    mbedtls_net_context listener; /**< the listening socket */
    struct locked_rng rng;        /**< the shared CTR_DRBG behind a lock (common/locked_rng.h; 2.28, 3.6) */
    struct resumption resumption; /**< session cache and tickets (08_server_resumption.c) */
    struct server_psk psk;        /**< pre-shared keys, with --psk-file (08_server_psk.c) */
    struct server_pool pool;      /**< connection threads and their queue (08_server_pool.c) */
};

/**
 * @brief One accepted client's TLS context on the shared configuration, with its receive path.
 *
 * Lesson 04's stage_attach(), the per-connection key export (--keylog), then @p recv behind the
 * connection's tap (lesson 09), which decodes the records silently (for /hello) or prints them
 * (--trace).
 * @param srv    the server.
 * @param conn   the accepted client (the tap's context: its socket comes first).
 * @param ssl    an initialised TLS context.
 * @param tap    a zeroed tap.
 * @param recv   the receive callback: pool_recv() (threads) or a non-blocking one (event loop).
 * @param prefix the connection's tag for --trace lines.
 * @return WS_EXIT_OK, or WS_EXIT_SETUP when mbedtls_ssl_setup() failed.
 */
int server_attach(struct server *srv, struct connection *conn, mbedtls_ssl_context *ssl,
                  struct trace_bio *tap, mbedtls_ssl_recv_timeout_t *recv, const char *prefix);

/* 08_server_event_loop.c ------------------------------------------------- */

/**
 * @brief Serve every client from this thread until SIGINT/SIGTERM or --max-connections (lesson 13).
 * @param srv the server, configured and listening.
 * @return WS_EXIT_OK, or WS_EXIT_NETWORK when the listening socket cannot be made non-blocking.
 */
int event_loop_run(struct server *srv);

#endif /* WORKSHOP_08_SERVER_H */
