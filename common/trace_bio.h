/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file trace_bio.h
 * @brief A tap on the transport: every byte mbedTLS sends or receives is shown to the record decoder.
 *
 * mbedTLS never touches the network itself: it calls the send and receive functions given to
 * mbedtls_ssl_set_bio(). The tap is such a pair of functions. It passes each call on to the real
 * transport (a socket, usually) and hands a copy of the bytes to the record decoder, which prints
 * one line per TLS record and handshake message (`--trace`), or decodes silently so that the lesson
 * server can answer `/hello` with what the client offered.
 *
 * The tap is the only thing on a connection that watches its bytes: whatever a lesson wants to know
 * about them it asks the tap's decoder (record_decoder.h), silent or printing. Lesson 09 asks for
 * the last plaintext alert each side sent (mbedTLS 2.28 has no public function that returns a
 * received alert), lesson 10 for round trips, bytes and the server's choice, the lesson server's
 * `/hello` page for the ClientHello.
 */
#ifndef WORKSHOP_TRACE_BIO_H
#define WORKSHOP_TRACE_BIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mbedtls/ssl.h>

#include "record_decoder.h"

/** @brief The tap for one connection. Fill it with trace_bio_init(); free with trace_bio_free(). */
struct trace_bio {
    void *inner;                            /**< the real transport's context (e.g. the socket) */
    mbedtls_ssl_send_t *inner_send;         /**< the real send function */
    mbedtls_ssl_recv_timeout_t *inner_recv; /**< the real receive function (with a timeout) */
    enum tls_direction outgoing;            /**< which way our own bytes travel */
    struct record_decoder *decoder;         /**< the decoder, or NULL (out of memory) */
    FILE *out;                              /**< where trace lines go, or NULL (silent) */
    char prefix[96];                        /**< put before every trace line */
    FILE *lines;                            /**< the decoder writes here (a memory stream) */
    char *lines_buf;                        /**< that stream's buffer */
    size_t lines_size;                      /**< its current size */
    size_t lines_done;                      /**< bytes of it already printed */
    int datagram;                           /**< DTLS: every send and receive is one datagram */
};

/**
 * @brief Prepare a tap in front of a transport.
 * @param tap          the tap.
 * @param inner        the transport's context, handed to @p inner_send and @p inner_recv.
 * @param inner_send   the transport's send function (e.g. mbedtls_net_send).
 * @param inner_recv   the transport's receive function (e.g. mbedtls_net_recv_timeout).
 * @param is_server    1 when our side is the server (its bytes travel server to client).
 * @param out          where to print the trace (e.g. stdout), or NULL to decode silently.
 * @param prefix       text before every printed line (e.g. the server's connection tag), or NULL.
 * @return 0, or -1 when memory is exhausted (the tap then passes bytes through undecoded).
 */
int trace_bio_init(struct trace_bio *tap, void *inner, mbedtls_ssl_send_t *inner_send,
                   mbedtls_ssl_recv_timeout_t *inner_recv, int is_server, FILE *out, const char *prefix);

/**
 * @brief Read the bytes as DTLS datagrams: each send and each receive is one whole datagram
 *        of DTLS records, for a DTLS decoder (record_decoder_new_dtls()). Call right after
 *        trace_bio_init(), before any byte crosses the tap.
 * @param tap     the tap.
 * @param cid_len the length of the connection IDs in the records (0 without a connection ID).
 * @return 0, or -1 when memory is exhausted (the tap then passes datagrams through undecoded).
 */
int trace_bio_set_datagram(struct trace_bio *tap, size_t cid_len);

/**
 * @brief The send callback for mbedtls_ssl_set_bio(); @p ctx is the struct trace_bio.
 * @param ctx the tap.
 * @param buf bytes to send.
 * @param len their number.
 * @return what the real send function returned.
 */
int trace_bio_send(void *ctx, const unsigned char *buf, size_t len);

/**
 * @brief The receive-with-timeout callback for mbedtls_ssl_set_bio(); @p ctx is the struct trace_bio.
 * @param ctx     the tap.
 * @param buf     where to put received bytes.
 * @param len     its size.
 * @param timeout milliseconds to wait, 0 = forever.
 * @return what the real receive function returned.
 */
int trace_bio_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout);

/**
 * @brief The last plaintext alert our peer sent us, as the decoder saw it.
 * @param tap the tap.
 * @return the alert (check its seen field; never seen without a decoder).
 */
const struct tls_alert *trace_bio_received_alert(const struct trace_bio *tap);

/**
 * @brief The last plaintext alert we sent our peer, as the decoder saw it.
 * @param tap the tap.
 * @return the alert (check its seen field; never seen without a decoder).
 */
const struct tls_alert *trace_bio_sent_alert(const struct trace_bio *tap);

/**
 * @brief Print what the decoder left unfinished and free it. Safe on a tap that was never
 *        initialised if it was zeroed, and safe to call twice.
 * @param tap the tap.
 */
void trace_bio_free(struct trace_bio *tap);

#endif /* WORKSHOP_TRACE_BIO_H */
