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
 * The decoder uses no TLS library: it only sees the bytes on the wire. Once a direction is
 * encrypted (after ChangeCipherSpec in TLS 1.2, after the ServerHello in TLS 1.3) only record
 * types and sizes are shown, as `record application_data (encrypted), ...`; in TLS 1.3 such lines
 * end with "; TLS 1.3 hides the real type", since every protected record claims to be
 * application data.
 *
 * Input may be truncated, split or hostile: the decoder never reads out of bounds, uses bounded
 * memory (two record buffers and at most one 64 KiB handshake message per direction), and reports
 * what it cannot parse as "malformed ...". A direction whose bytes are not TLS records (say, an
 * HTTP request) or that announces a record longer than 2^14 + 2048 bytes is reported once, then
 * ignored.
 */
#ifndef WORKSHOP_RECORD_DECODER_H
#define WORKSHOP_RECORD_DECODER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
 * @brief Report what was left unfinished, then free the decoder.
 *
 * If a direction stopped inside a record or handshake message, or bytes were ignored, one line per
 * direction says so on the output stream, so free the decoder before closing that stream.
 * @param d The decoder; NULL is allowed.
 */
void record_decoder_free(struct record_decoder *d);

/**
 * @brief IANA name of a cipher suite.
 * @param id Cipher suite number, e.g. 0xC02B.
 * @return For example "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "GREASE" for GREASE values, or
 *         NULL when unknown.
 */
const char *tls_cipher_suite_name(uint16_t id);

/**
 * @brief Name of a protocol version.
 * @param v Version number, e.g. 0x0303.
 * @return "SSL 3.0", "TLS 1.0" ... "TLS 1.3", "DTLS 1.2", "GREASE", or NULL when unknown.
 */
const char *tls_version_name(uint16_t v);

/**
 * @brief IANA name of a key exchange group.
 * @param id Group number, e.g. 29.
 * @return For example "x25519", "secp256r1", "ffdhe2048", "X25519MLKEM768", "GREASE", or NULL.
 */
const char *tls_group_name(uint16_t id);

/**
 * @brief The IANA number of a key exchange group, from its IANA name.
 * @param name For example "x25519" or "secp256r1" (case does not matter).
 * @return The number, or 0 when no group has that name.
 */
uint16_t tls_group_from_name(const char *name);

/**
 * @brief IANA name of a signature scheme.
 * @param id Scheme number, e.g. 0x0403.
 * @return For example "ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", "GREASE", or NULL.
 */
const char *tls_sigalg_name(uint16_t id);

/**
 * @brief IANA name of an extension.
 * @param id Extension type, e.g. 0.
 * @return For example "server_name", "supported_groups", "GREASE", or NULL when unknown.
 */
const char *tls_extension_name(uint16_t id);

/**
 * @brief Name of a handshake message type.
 * @param t Handshake type, e.g. 1.
 * @return For example "ClientHello", "Certificate", or NULL when unknown.
 */
const char *tls_handshake_type_name(uint8_t t);

/**
 * @brief IANA name of an alert description.
 * @param desc Alert description, e.g. 40.
 * @return For example "handshake_failure", "bad_certificate", "unknown_ca", or NULL when unknown.
 */
const char *tls_alert_name(uint8_t desc);

#ifdef __cplusplus
}
#endif

#endif /* WORKSHOP_RECORD_DECODER_H */
