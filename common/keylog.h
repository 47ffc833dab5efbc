/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file keylog.h
 * @brief `--keylog FILE`: write session secrets in the NSS key log format Wireshark reads.
 *
 * With the secrets, Wireshark or tshark can decrypt a captured TLS session, which turns "the bytes
 * are encrypted" into "here is the HTTP request inside them". One line per secret:
 *
 * @code{.unparsed}
 *   CLIENT_RANDOM <64 hex digits: the ClientHello's random> <96 hex digits: the TLS 1.2 master secret>
 *   CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>     (TLS 1.3, mbedTLS 3.x)
 * @endcode
 *
 * mbedTLS hands the secrets to a key export callback; how it is installed differs between 2.28 and
 * 3.x (compat_conf_key_export() and compat_ssl_key_export() in compat.h). Anyone holding the file
 * can read the sessions it lists: never enable it in production.
 */
#ifndef WORKSHOP_KEYLOG_H
#define WORKSHOP_KEYLOG_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "compat.h"

/** @brief An open key log file, shared by every connection of a program. */
struct keylog {
    FILE *file;                      /**< the file, appended to; NULL when closed */
    pthread_mutex_t lock;            /**< connection threads write whole lines */
    unsigned long lines;             /**< lines written */
    struct compat_key_export export; /**< what the compat key export adapters call */
};

/**
 * @brief Open (append to) a key log file.
 * @param k    the key log.
 * @param path the file name.
 * @return 0, or -1 with errno set.
 */
int keylog_open(struct keylog *k, const char *path);

/**
 * @brief Write one NSS key log line; the compat_secret_cb for compat_key_export.
 * @param ctx           the struct keylog.
 * @param label         e.g. "CLIENT_RANDOM".
 * @param client_random the 32-byte random of the ClientHello.
 * @param secret        the secret.
 * @param secret_len    its length (48 for a TLS 1.2 master secret).
 */
void keylog_write(void *ctx, const char *label, const unsigned char client_random[32],
                  const unsigned char *secret, size_t secret_len);

/** @brief Close the file if it is open; safe to call on a zeroed struct or twice. */
void keylog_close(struct keylog *k);

#endif /* WORKSHOP_KEYLOG_H */
