/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file attempt.h
 * @brief One connection made of lessons 04-07's stages, and what went wrong in it (lesson 09).
 *
 * Both halves of lesson 09 connect many times with one configuration:
 * 09_debugging.c once per debug level, 09_mistakes.c once per mistake.
 * attempt_connection() is that one connection; it keeps what a lesson needs
 * to explain a failure: mbedTLS's code, the verification flags and the
 * alerts the trace tap saw on the wire.
 */
#ifndef WORKSHOP_ATTEMPT_H
#define WORKSHOP_ATTEMPT_H

#include <stdint.h>

#include "stages.h"

/** @brief What one connection attempt produced. */
struct attempt_outcome {
    int exit;             /**< WS_EXIT_OK, or the code of the stage that failed (it reported why) */
    int ret;              /**< 0, or the mbedTLS error of the handshake or the read after it */
    const char *function; /**< the mbedTLS function that returned @p ret */
    uint32_t flags;       /**< certificate verification result */
    int received_alert;   /**< alert description the peer sent, or -1 */
    int sent_alert;       /**< alert description we sent, or -1 */
};

/**
 * @brief Connect to @p target's server (lesson 04), shake hands (lesson 05),
 *        optionally read once, say goodbye (lesson 07), and free the connection.
 *
 * The configuration in @p s (stages 01-03) is shared by every attempt; only
 * the connection's own contexts (net, ssl, the tap) are created and freed.
 * @param s          the session, configured.
 * @param target     the options, aimed at this attempt's server; a NULL
 *                   servername attaches without a host name (one of the mistakes).
 * @param read_after 1: read once after the handshake, to collect a verdict
 *                   the server sends only then (TLS 1.3 client certificates).
 * @param out        what happened.
 */
void attempt_connection(struct tls_endpoint *s, const struct options *target, int read_after,
                        struct attempt_outcome *out);

#endif /* WORKSHOP_ATTEMPT_H */
