/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server_pool.c
 * @brief The lesson server's connection threads: a bounded queue of accepted clients, the threads
 *        that serve them, and the signals that stop them (common/stop_signal.c has the flag).
 *
 * Read it after 08_server.c, whose accept loop fills the queue. Nothing here is TLS: a thread takes
 * the oldest accepted connection, hands it to the server's serve function and counts how it ended.
 * The TLS-specific part of concurrency (a lock around the shared random generator) is in the lesson.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "08_server.h"
#include "clock.h"

/** @brief How many accepted connections may wait for a free thread. */
#define QUEUE_PER_THREAD 4

void pool_catch_stop_signals(void)
{
    stop_signal_catch();
    /* A client that vanishes mid-write must cost an error, not the process. */
    signal(SIGPIPE, SIG_IGN);
}

long long pool_now_ms(void)
{
    return (long long) now_ms();
}

/* [server-recv] */
/* Receive with the per-read timeout from --timeout, but never past the
 * connection's overall deadline: a client that trickles one byte at a time
 * (slowloris) cannot hold a thread forever. */
int pool_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct connection *conn = ctx;
    long long limit = conn->deadline_ms;

    if (timeout != 0 && pool_now_ms() + timeout < limit)
        limit = pool_now_ms() + timeout;
    /* Wait in short slices: after SIGINT/SIGTERM a silent client is let go
     * within a fifth of a second (with close_notify once the handshake is
     * done), while a client whose bytes are already here is still served. */
    for (;;) {
        long long left = limit - pool_now_ms();
        int ret;

        if (left <= 0)
            return MBEDTLS_ERR_SSL_TIMEOUT;
        ret = mbedtls_net_recv_timeout(&conn->net, buf, len, (uint32_t) (left < 200 ? left : 200));
        if (ret != MBEDTLS_ERR_SSL_TIMEOUT || stop_signal_arrived())
            return ret;
    }
}
/* [server-recv] */

void pool_init(struct server_pool *pool)
{
    memset(pool, 0, sizeof(*pool));
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->changed, NULL);
}

/* [server-worker] */
/* Connection threads: take the next accepted client, serve it, repeat. */
static void *worker(void *arg)
{
    struct server_pool *pool = arg;

    for (;;) {
        struct connection conn;
        enum connection_outcome outcome;

        pthread_mutex_lock(&pool->lock);
        while (pool->queue_len == 0 && !pool->no_more)
            pthread_cond_wait(&pool->changed, &pool->lock);
        if (pool->queue_len == 0) {
            pthread_mutex_unlock(&pool->lock);
            return NULL;
        }
        conn = pool->queue[pool->queue_head];
        pool->queue_head = (pool->queue_head + 1) % pool->queue_cap;
        pool->queue_len--;
        /* A slot is free again: wake the accept loop if it waits for one. */
        pthread_cond_broadcast(&pool->changed);
        pthread_mutex_unlock(&pool->lock);

        /* The budget starts now, not at accept: a client that waited in the
         * queue during a burst still gets its full three timeouts. The accept
         * loop stored a hard cap (six timeouts after accept), so the time a
         * client can hold the server, queue included, stays bounded. */
        {
            long long budget_end = pool_now_ms() + 3LL * pool->timeout_ms;

            if (budget_end < conn.deadline_ms)
                conn.deadline_ms = budget_end;
        }
        outcome = pool->serve(pool->serve_ctx, &conn);

        pthread_mutex_lock(&pool->lock);
        pool->outcomes[outcome]++;
        pthread_mutex_unlock(&pool->lock);
    }
}
/* [server-worker] */

int pool_start(struct server_pool *pool, int threads, int timeout_ms, pool_serve_fn *serve, void *ctx)
{
    pool->timeout_ms = timeout_ms;
    pool->serve = serve;
    pool->serve_ctx = ctx;
    pool->queue_cap = (size_t) threads * QUEUE_PER_THREAD;
    pool->queue = calloc(pool->queue_cap, sizeof(*pool->queue));
    pool->threads = calloc((size_t) threads, sizeof(*pool->threads));
    if (pool->queue == NULL || pool->threads == NULL) {
        report_error("server", "out of memory");
        return WS_EXIT_SETUP;
    }
    for (; pool->started < threads; pool->started++) {
        if (pthread_create(&pool->threads[pool->started], NULL, worker, pool) != 0) {
            report_error("server", "pthread_create failed");
            return WS_EXIT_SETUP;
        }
    }
    return WS_EXIT_OK;
}

/* While the server waits here it accepts nobody, so new clients wait in the
 * kernel's listen queue instead of being turned away. */
int pool_wait_for_room(struct server_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    while (pool->queue_len == pool->queue_cap && !stop_signal_arrived()) {
        struct timespec until;

        /* Wake up regularly to notice SIGINT/SIGTERM. */
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&pool->changed, &pool->lock, &until);
    }
    pthread_mutex_unlock(&pool->lock);
    return stop_signal_arrived() ? -1 : 0;
}

void pool_enqueue(struct server_pool *pool, const struct connection *conn)
{
    pthread_mutex_lock(&pool->lock);
    pool->queue[(pool->queue_head + pool->queue_len) % pool->queue_cap] = *conn;
    pool->queue_len++;
    pthread_cond_signal(&pool->changed);
    pthread_mutex_unlock(&pool->lock);
}

void pool_stop(struct server_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    pool->no_more = 1;
    if (stop_signal_arrived()) {
        /* Interrupted: connections still waiting are closed unserved. */
        while (pool->queue_len > 0) {
            mbedtls_net_free(&pool->queue[pool->queue_head].net);
            pool->queue_head = (pool->queue_head + 1) % pool->queue_cap;
            pool->queue_len--;
        }
    }
    pthread_cond_broadcast(&pool->changed);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->started; i++)
        pthread_join(pool->threads[i], NULL);
}

/* [server-summary] */
/* One line an operator (or a workshop participant) can read: how many
 * connections, and how each group ended, in the words of enum
 * connection_outcome. Groups with no connection are left out. */
void pool_print_summary(const struct server_pool *pool)
{
    if (pool->started > 0)
        outcomes_print_summary(pool->outcomes);
}

void outcomes_print_summary(const unsigned long outcomes[OUTCOME_COUNT])
{
    static const char *const how[OUTCOME_COUNT] = {
        [OUTCOME_ANSWERED] = "answered with 200 OK",
        [OUTCOME_ANSWERED_ERROR] = "answered with an HTTP error status",
        [OUTCOME_NO_REQUEST] = "ended after the handshake without a request",
        [OUTCOME_NO_HANDSHAKE] = "ended before the handshake completed",
        [OUTCOME_BROKEN] = "failed after the handshake (a TLS or network error)",
    };
    char line[512];
    unsigned long total = 0;
    size_t used;
    const char *separator = ":";

    for (int i = 0; i < OUTCOME_COUNT; i++)
        total += outcomes[i];
    used = (size_t) snprintf(line, sizeof(line), "served %lu connection%s", total, total == 1 ? "" : "s");
    for (int i = 0; i < OUTCOME_COUNT && used < sizeof(line); i++) {
        if (outcomes[i] == 0)
            continue;
        used +=
            (size_t) snprintf(line + used, sizeof(line) - used, "%s %lu %s", separator, outcomes[i], how[i]);
        separator = ",";
    }
    printf("%s%s\n", line, stop_signal_arrived() ? " (stopped by a signal)" : "");
}
/* [server-summary] */

void pool_free(struct server_pool *pool)
{
    free(pool->threads);
    free(pool->queue);
    pthread_cond_destroy(&pool->changed);
    pthread_mutex_destroy(&pool->lock);
}
