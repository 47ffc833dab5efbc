/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file measured.h
 * @brief One client connection made of lessons 04-07's stages, measured on the wire (lessons 10-12).
 *
 * Lessons 10, 11 and 12 compare handshakes: TLS 1.2 with TLS 1.3, a certificate with a
 * pre-shared key, a full handshake with a resumed one. measured_connection() is that one
 * connection: lesson 04 connects and keeps its tap on the socket (silent without `--trace`), whose
 * record decoder counts what crosses the wire, lesson 05 shakes hands (offering a saved session, if given),
 * the client fetches `/` and collects the session tickets that arrive meanwhile, and lesson 07 says goodbye.
 */
#ifndef WORKSHOP_MEASURED_H
#define WORKSHOP_MEASURED_H

#include <stddef.h>

#include "stages.h"

/** @brief What one handshake looked like, for the comparisons the lessons print. */
struct handshake_facts {
    char version[16];      /**< mbedtls_ssl_get_version() */
    char suite[64];        /**< mbedtls_ssl_get_ciphersuite() */
    unsigned round_trips;  /**< before the client could send data */
    unsigned flights;      /**< runs of messages in one direction, both ways, during the handshake */
    size_t client_bytes;   /**< what the client sent during the handshake */
    size_t server_bytes;   /**< what the server sent during the handshake */
    int cert_in_clear;     /**< the server's certificate was readable on the wire */
    const char *key_share; /**< TLS 1.3 key exchange group from the ServerHello, NULL if none */
    int psk_accepted;      /**< the TLS 1.3 ServerHello accepted our pre-shared key or ticket */
    int received_alert;    /**< the plaintext alert the server sent, or -1 */
    int handshake_ret;     /**< 0, or the error mbedtls_ssl_handshake() returned */
    double ms;             /**< wall-clock time of the handshake */
    double cpu_ms;         /**< CPU time the client spent on it */
    char response[8192];   /**< the start of the server's answer to GET /, NUL-terminated */
};

/**
 * @brief Connect, shake hands, fetch `/`, close, and say what the handshake cost.
 *
 * The configuration in @p s (stages 01-03) is shared by every connection; only the
 * connection's own contexts are created, and they are always freed before returning.
 * @param s       the session, configured. Its @p decode_always is set: lesson 04's tap watches
 *                every connection, printing only with `--trace`.
 * @param o       the options (host, port, server name, --trace).
 * @param resume  a saved session to offer (mbedtls_ssl_set_session()), or NULL.
 * @param keep    where the session to come back with goes: after a TLS 1.2 handshake,
 *                mbedtls_ssl_get_session(); in TLS 1.3, the newest ticket that arrived while
 *                reading. NULL to keep nothing.
 * @param tickets incremented per TLS 1.3 ticket that mbedTLS signalled (may be NULL).
 * @param f       filled with what the handshake looked like, also after a failure.
 * @return WS_EXIT_OK or the failing stage's code (it reported why).
 */
int measured_connection(struct tls_endpoint *s, const struct options *o, const mbedtls_ssl_session *resume,
                        mbedtls_ssl_session *keep, int *tickets, struct handshake_facts *f);

#endif /* WORKSHOP_MEASURED_H */
