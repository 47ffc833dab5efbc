/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dtls_record.h
 * @brief The headers of DTLS 1.2 records and handshake fragments in one datagram, read
 *        without any TLS library.
 *
 * Over UDP every datagram holds one or more whole records. A DTLS record header is 13 bytes
 * (RFC 6347, section 4.1): content type, version (0xFEFD for DTLS 1.2), a 16-bit epoch (0 until
 * ChangeCipherSpec, then 1), a 48-bit sequence number and a 16-bit length. A record whose
 * content type is tls12_cid (25, RFC 9146) carries the receiver's connection ID between the
 * sequence number and the length; its size is not on the wire, so the reader must know it.
 *
 * In epoch 0 a handshake record holds fragments of handshake messages, each with a 12-byte
 * header: type, total length, message_seq (which a retransmission repeats), fragment offset and
 * fragment length. That is enough to tell flights, fragments and retransmissions apart.
 *
 * Used by the lossy link (tools/lossy_link.c, to say what it dropped), the in-memory datagram
 * link of the benchmarks (to count retransmitted bytes), the DTLS lesson server (to recognise a
 * ClientHello and a connection ID) and the `--trace` decoder. Every function reads only within the
 * bounds it is given.
 */
#ifndef WORKSHOP_DTLS_RECORD_H
#define WORKSHOP_DTLS_RECORD_H

#include <stddef.h>
#include <stdint.h>

/** @brief Bytes in a DTLS record header without a connection ID. */
#define DTLS_RECORD_HEADER_LEN 13

/** @brief Bytes in a DTLS handshake fragment header. */
#define DTLS_HANDSHAKE_HEADER_LEN 12

/** @brief Record content types. */
enum dtls_content_type {
    DTLS_CT_CHANGE_CIPHER_SPEC = 20, /**< change_cipher_spec */
    DTLS_CT_ALERT = 21,              /**< alert */
    DTLS_CT_HANDSHAKE = 22,          /**< handshake */
    DTLS_CT_APPLICATION_DATA = 23,   /**< application_data */
    DTLS_CT_TLS12_CID = 25           /**< a record with a connection ID (RFC 9146) */
};

/** @brief One record header and where its body is. */
struct dtls_record {
    uint8_t type;              /**< content type */
    uint16_t version;          /**< 0xFEFD for DTLS 1.2, 0xFEFF for DTLS 1.0 */
    uint16_t epoch;            /**< 0 before ChangeCipherSpec */
    uint64_t seq;              /**< 48-bit record sequence number */
    const unsigned char *cid;  /**< the connection ID (tls12_cid records), else NULL */
    size_t cid_len;            /**< its length */
    const unsigned char *body; /**< the record's body */
    size_t length;             /**< its length */
};

/** @brief One handshake fragment header (in an epoch-0 handshake record). */
struct dtls_fragment {
    uint8_t msg_type;          /**< e.g. 1 = ClientHello, 3 = HelloVerifyRequest */
    uint32_t msg_length;       /**< the whole message's length */
    uint16_t msg_seq;          /**< message sequence number: the same for a retransmission */
    uint32_t frag_offset;      /**< where this fragment starts in the message */
    uint32_t frag_length;      /**< its length */
    const unsigned char *body; /**< the fragment's bytes */
};

/**
 * @brief Read the next record of a datagram.
 * @param dgram   the datagram.
 * @param len     its length.
 * @param pos     where the record starts; advanced past it on success.
 * @param cid_len the length of connection IDs in tls12_cid records (0 if none was negotiated).
 * @param r       filled on success.
 * @return 1 a record was read, 0 the datagram ends at @p pos, -1 the bytes at @p pos are not a
 *         whole DTLS record (the rest of the datagram cannot be read).
 */
int dtls_record_next(const unsigned char *dgram, size_t len, size_t *pos, size_t cid_len,
                     struct dtls_record *r);

/**
 * @brief Read the next handshake fragment of a plaintext handshake record.
 * @param r   the record (type handshake, epoch 0).
 * @param pos where the fragment starts in the record body; advanced past it on success.
 * @param f   filled on success.
 * @return 1 a fragment was read, 0 the record ends at @p pos, -1 malformed.
 */
int dtls_fragment_next(const struct dtls_record *r, size_t *pos, struct dtls_fragment *f);

/**
 * @brief Does this datagram start with a DTLS ClientHello (the only thing a server should
 *        accept from an address it does not know)?
 * @param dgram the datagram.
 * @param len   its length.
 * @return 1 or 0.
 */
int dtls_is_client_hello(const unsigned char *dgram, size_t len);

/**
 * @brief Does this datagram start with a HelloVerifyRequest (a server asking for a cookie)?
 * @param dgram the datagram.
 * @param len   its length.
 * @return 1 or 0.
 */
int dtls_client_hello_verify(const unsigned char *dgram, size_t len);

/**
 * @brief The length of the cookie in the ClientHello a datagram starts with.
 * @param dgram the datagram.
 * @param len   its length.
 * @return 0-255, or -1 when the datagram does not start with the beginning of a ClientHello.
 */
int dtls_client_hello_cookie_len(const unsigned char *dgram, size_t len);

/**
 * @brief Describe a datagram in one line: its records, their epochs and sequence numbers,
 *        and the handshake fragments it carries.
 *
 * For example `ClientHello (msg 0, 170 bytes)` or
 * `ClientKeyExchange (msg 3) + ChangeCipherSpec + epoch 1: encrypted handshake, 40 bytes`.
 * @param dgram   the datagram.
 * @param len     its length.
 * @param cid_len as for dtls_record_next().
 * @param out     where to write (always terminated).
 * @param out_len its size.
 */
void dtls_describe_datagram(const unsigned char *dgram, size_t len, size_t cid_len, char *out,
                            size_t out_len);

#endif /* WORKSHOP_DTLS_RECORD_H */
