/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file record_decoder.h
 * @brief Decode the TLS records crossing a connection and print them in a teachable form.
 *
 * The lessons' `--trace` option taps the transport and hands every byte sent or received, per
 * direction, to record_decoder_feed(). The decoder reassembles records and handshake messages and
 * prints one line per item:
 *
 * @code{.unparsed}
 *   > record handshake, TLS 1.0 (0x0301), 512 bytes
 *   >   ClientHello, 508 bytes: offers TLS 1.3, TLS 1.2; 31 cipher suites; SNI localhost
 *   <   ServerHello, 118 bytes: TLS 1.3, TLS_AES_256_GCM_SHA384, key share x25519
 * @endcode
 *
 * `>` marks bytes the client sent to the server, `<` bytes the server sent to the client. Each
 * further level of detail is indented by two spaces. Records are printed when they are complete, so
 * the output does not depend on how the bytes were split across calls.
 *
 * The decoder sees only the bytes on the wire and holds no keys (it asks mbedTLS's X.509 parser
 * to read the certificates it shows). Once a direction is encrypted (after ChangeCipherSpec in
 * TLS 1.2, after the ServerHello in TLS 1.3) only record types and sizes are shown, as `record
 * application_data (encrypted), ...`; in TLS 1.3 such lines end with "; TLS 1.3 hides the real type", since
 * every protected record claims to be application data.
 *
 * Input may be truncated, split or hostile: the decoder never reads out of bounds, uses bounded
 * memory (two record buffers and at most one 64 KiB handshake message per direction, plus, while a
 * certificate is printed, what mbedTLS's parser allocates for that one certificate), and reports
 * what it cannot parse as "malformed ...". A direction whose bytes are not TLS records (say, an
 * HTTP request) or that announces a record longer than 2^14 + 2048 bytes is reported once, then
 * ignored.
 *
 * Besides the trace, the decoder keeps what the lessons ask about a connection: the client's offer
 * (record_decoder_client_hello()), the server's choice (record_decoder_server_choice()), and per
 * direction the bytes, records, last plaintext alert and certificates sent in the clear, plus the
 * round trips (record_decoder_wire()). The transport tap (trace_bio.h) feeds it.
 *
 * Its files are common/decoder/ (one per layer: records, handshake messages, hellos, extensions,
 * certificates) and the name tables of tls_names.h.
 */
#ifndef WORKSHOP_RECORD_DECODER_H
#define WORKSHOP_RECORD_DECODER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tls_names.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Which way the bytes travel. */
enum tls_direction {
    TLS_DIR_CLIENT_TO_SERVER = 0, /**< Sent by the client, printed with `>`. */
    TLS_DIR_SERVER_TO_CLIENT = 1  /**< Sent by the server, printed with `<`. */
};

/**
 * @brief What a client offered in its first ClientHello.
 *
 * Lists keep wire order. A list longer than its array is cut at the array size (the printed trace
 * still shows every entry).
 */
struct tls_client_hello {
    int present;                 /**< 1 once a ClientHello from the client was decoded, else 0. */
    uint16_t legacy_version;     /**< ClientHello.legacy_version, e.g. 0x0303. */
    uint16_t versions[16];       /**< Versions from the supported_versions extension. */
    size_t n_versions;           /**< Entries used in versions (0 without the extension). */
    uint16_t cipher_suites[128]; /**< Offered cipher suites, GREASE values included. */
    size_t n_cipher_suites;      /**< Entries used in cipher_suites. */
    uint16_t groups[64];         /**< Groups from the supported_groups extension. */
    size_t n_groups;             /**< Entries used in groups. */
    uint16_t sig_algs[64];       /**< Schemes from the signature_algorithms extension. */
    size_t n_sig_algs;           /**< Entries used in sig_algs. */
    uint16_t extensions[64];     /**< Extension types, in the order sent. */
    size_t n_extensions;         /**< Entries used in extensions. */
    char sni[256];  /**< server_name host name, "" if none; bytes outside printable ASCII as \\xHH. */
    char alpn[128]; /**< ALPN protocols separated by commas, "" if none; escaped like sni. */
};

/** @brief What the server picked, from its ServerHello (and, in TLS 1.2, its ServerKeyExchange). */
struct tls_server_choice {
    int present;           /**< 1 once a ServerHello from the server was decoded, else 0. */
    uint16_t version;      /**< Negotiated version (supported_versions if present), e.g. 0x0304. */
    uint16_t cipher_suite; /**< Chosen cipher suite. */
    uint16_t group;        /**< Key exchange group (key_share or ECDHE named curve), 0 if unknown. */
    int psk_accepted;      /**< 1 if the ServerHello carried pre_shared_key: the server accepted a
                                PSK such as a TLS 1.3 session ticket (resumption), else 0. */
};

/** @brief A plaintext alert seen on the wire. */
struct tls_alert {
    int seen;                  /**< 1 once an alert was seen, else 0 */
    unsigned char level;       /**< 1 = warning, 2 = fatal */
    unsigned char description; /**< the alert description, e.g. 48 = unknown_ca (tls_alert_name()) */
};

/** @brief What crossed the wire in one direction. */
struct tls_direction_summary {
    unsigned long long bytes;        /**< every byte fed this way */
    unsigned long long records;      /**< complete records among them */
    struct tls_alert last_alert;     /**< the last plaintext alert sent this way (an encrypted one cannot
                                          be read on the wire) */
    size_t certificates_in_clear;    /**< certificates sent in plaintext Certificate messages: readable by
                                          anyone on the path (TLS 1.2; TLS 1.3 encrypts them) */
    size_t largest_plaintext_record; /**< the longest record body sent before this direction was
                                          encrypted: its handshake (TLS 1.3: the ServerHello) */
};

/** @brief What crossed the wire in both directions. */
struct tls_wire_summary {
    struct tls_direction_summary direction[2]; /**< indexed by enum tls_direction */
    unsigned round_trips; /**< how often the server's bytes followed the client's: each time, the
                               client had spoken and waited for an answer */
    unsigned flights;     /**< runs of bytes in one direction, both ways: a flight ends when the
                               other side speaks (lessons 11 and 12 compare them) */
};

/** @brief Decoder state for one connection (both directions); opaque. */
struct record_decoder;

/**
 * @brief Create a decoder for one connection.
 * @param out Where to print the trace; NULL decodes silently (the ClientHello and the server's
 *            choice are still collected). The caller keeps ownership of the stream.
 * @return A new decoder, or NULL when memory is exhausted.
 */
struct record_decoder *record_decoder_new(FILE *out);

/**
 * @brief Create a decoder for one DTLS 1.2 connection, fed a datagram at a time.
 *
 * Each record line adds the record's epoch (0 before ChangeCipherSpec, then 1: encrypted) and
 * sequence number; handshake messages are reassembled from their fragments, and a retransmitted
 * one (the same message_seq again) is named, not decoded twice. The ClientHello shows its cookie,
 * and the HelloVerifyRequest is decoded.
 * @param out     As for record_decoder_new().
 * @param cid_len The length of connection IDs in tls12_cid records (RFC 9146), 0 without.
 * @return A new decoder, or NULL when memory is exhausted.
 */
struct record_decoder *record_decoder_new_dtls(FILE *out, size_t cid_len);

/**
 * @brief Hand a DTLS decoder one whole datagram that crossed the wire.
 * @param d    A decoder from record_decoder_new_dtls(); NULL is ignored.
 * @param dir  Which way it travelled.
 * @param data The datagram; may be NULL when len is 0.
 * @param len  Its length.
 */
void record_decoder_feed_datagram(struct record_decoder *d, enum tls_direction dir, const unsigned char *data,
                                  size_t len);

/**
 * @brief Hand the decoder bytes that crossed the wire.
 *
 * Any split is fine: one record over many calls or many records in one call. Complete records are
 * printed immediately.
 * @param d    The decoder; NULL is ignored.
 * @param dir  Which way the bytes travelled.
 * @param data The bytes; may be NULL when len is 0.
 * @param len  Number of bytes.
 */
void record_decoder_feed(struct record_decoder *d, enum tls_direction dir, const unsigned char *data,
                         size_t len);

/**
 * @brief The client's offer, as decoded so far.
 * @param d The decoder.
 * @return The offer (check its present field), valid until record_decoder_free().
 */
const struct tls_client_hello *record_decoder_client_hello(const struct record_decoder *d);

/**
 * @brief The server's choice, as decoded so far.
 * @param d The decoder.
 * @return The choice (check its present field), valid until record_decoder_free().
 */
const struct tls_server_choice *record_decoder_server_choice(const struct record_decoder *d);

/**
 * @brief Bytes, records, alerts and round trips, as counted so far.
 * @param d The decoder.
 * @return The summary, valid until record_decoder_free().
 */
const struct tls_wire_summary *record_decoder_wire(const struct record_decoder *d);

/**
 * @brief Report what was left unfinished, then free the decoder.
 *
 * If a direction stopped inside a record or handshake message, or bytes were ignored, one line per
 * direction says so on the output stream, so free the decoder before closing that stream.
 * @param d The decoder; NULL is allowed.
 */
void record_decoder_free(struct record_decoder *d);

#ifdef __cplusplus
}
#endif

#endif /* WORKSHOP_RECORD_DECODER_H */
