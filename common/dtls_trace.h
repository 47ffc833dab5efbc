/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dtls_trace.h
 * @brief `--trace` for DTLS: one datagram's records and handshake fragments, printed the way the
 *        TLS record decoder prints a stream (`>` client to server, `<` server to client).
 *
 * @code{.unparsed}
 *   > datagram, 187 bytes
 *   >   record handshake, DTLS 1.2 (0xfefd), epoch 0, sequence 0, 174 bytes
 *   >     ClientHello, message 0, 162 bytes, no cookie
 * @endcode
 *
 * Each datagram is read on its own: DTLS never splits a record over two datagrams, so there is
 * nothing to reassemble. Handshake messages are shown per fragment, with their message sequence
 * number (a retransmitted message repeats it) and, when a message is split, which bytes of it the
 * fragment holds. Records of epoch 1 and later are encrypted: only their type and size show.
 * The headers are read by common/dtls_record.h; nothing here uses a TLS library.
 */
#ifndef WORKSHOP_DTLS_TRACE_H
#define WORKSHOP_DTLS_TRACE_H

#include <stddef.h>
#include <stdio.h>

#include "record_decoder.h"

/**
 * @brief Print one datagram.
 * @param out     where the lines go.
 * @param dir     which way it travelled.
 * @param dgram   the datagram.
 * @param len     its length.
 * @param cid_len the length of connection IDs in tls12_cid records (0 without).
 */
void dtls_trace_datagram(FILE *out, enum tls_direction dir, const unsigned char *dgram, size_t len,
                         size_t cid_len);

#endif /* WORKSHOP_DTLS_TRACE_H */
