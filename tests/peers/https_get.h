/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file https_get.h
 * @brief One HTTPS GET to the lesson server on the lessons' stages, checked the way lesson 06
 *        checks it: the test clients' (load_client, soak_client) one connection.
 *
 * Stage 04's TCP connect and attach, stage 05's handshake, stage 06's write and read loops,
 * stage 07's close_notify; the answer must start "HTTP/1.1 200 " and end with the server's
 * close_notify (a connection that just stops could have been cut: lesson 06). On the way it can
 * offer a saved session and keep the new one (resumption), read slowly, or reset the connection
 * right after the request, and it counts the bytes the server sent during the handshake (a
 * resumed handshake sends no certificate, so far fewer). The caller owns the configuration
 * (stages 01-03, once for many connections).
 */
#ifndef WORKSHOP_PEERS_HTTPS_GET_H
#define WORKSHOP_PEERS_HTTPS_GET_H

#include <stddef.h>

#include <mbedtls/ssl.h>

/** @brief One GET: what to do, and what happened. */
struct https_get {
    /* What to do */
    const mbedtls_ssl_config *conf;   /**< stage 03's configuration */
    const char *host;                 /**< where to connect */
    const char *port;                 /**< its port */
    const char *servername;           /**< the name to verify (stage 04) */
    const char *path;                 /**< what to GET, e.g. "/" */
    const mbedtls_ssl_session *offer; /**< a session to resume, or NULL */
    mbedtls_ssl_session *keep;        /**< where to keep this connection's session, or NULL */
    int reset_after_request;          /**< send the request, then reset the connection (no answer read) */
    int slow;                         /**< read at most 256 bytes at a time, 10 ms apart */
    /* What happened */
    char head[4096];        /**< the start of the answer, NUL-terminated */
    size_t handshake_bytes; /**< bytes the server sent before the handshake completed */
    double handshake_ms;    /**< from before the TCP connect to the handshake's end, as a client sees it */
    int kept;               /**< 1 when @c keep now holds the session */
};

/**
 * @brief Make the connection and the request; the connection is closed on return.
 * @param g what to do; its results are filled in.
 * @return NULL on success, or one line saying what failed (the stage's first error line, or the
 *         check that failed), valid until the thread's next call.
 */
const char *https_get(struct https_get *g);

#endif /* WORKSHOP_PEERS_HTTPS_GET_H */
