/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_ends.h
 * @brief The lessons' client and the lesson server's per-connection code, set up the way the TLS
 *        fuzz targets run them: deterministically (tls_fixed.h), silently, over a transport the
 *        caller gives.
 *
 * The client (tls_client_end.c) is lesson 06's client: stages 01-03 (stage_prepare()), stage 04's
 * stage_attach_bio() with the --trace tap in front (silent), stage 05's handshake, stage 06's
 * request and read loop, stage 07's close_notify and cleanup. The server (tls_server_end.c) is
 * 08_server's setup and its serve_connection(), one call per connection, on sockets the caller
 * gives. Both take their settings from a flag byte, turned into the command line a lesson takes.
 *
 * The fuzz targets feed them the fuzzer's bytes (fuzz_tls_client.c, fuzz_tls_server.c);
 * tls_capture.c makes them talk to each other to record seed inputs.
 *
 * The input of a target is: one flag byte, then the bytes the peer sent. When the flags ask for
 * two connections (#FUZZ_CLIENT_RESUME, #FUZZ_SERVER_TWO), a big-endian 16-bit length of the
 * first connection's bytes follows the flag byte, then the first connection's bytes, then the
 * second's.
 */
#ifndef WORKSHOP_FUZZ_TLS_ENDS_H
#define WORKSHOP_FUZZ_TLS_ENDS_H

#include <stddef.h>

#include <mbedtls/ssl.h>

/** @brief What the flag byte of a client input asks for (as command-line options of lesson 06). */
enum fuzz_client_flag {
    /** Accept any server certificate (mbedTLS's VERIFY_NONE). Only a fuzz target may: it lets a
     *  conversation captured with another build's PKI still reach the end of the handshake. */
    FUZZ_CLIENT_NO_VERIFY = 0x01,
    FUZZ_CLIENT_CERT = 0x02,       /**< --cert client-chain.pem --key client.key */
    FUZZ_CLIENT_TLS12 = 0x04,      /**< --ciphersuite with TLS 1.2 AES-GCM suites only */
    FUZZ_CLIENT_TLS13 = 0x08,      /**< TLS 1.3 suites only (both bits: TLS 1.2 AES-CBC suites) */
    FUZZ_CLIENT_HELLO_PAGE = 0x10, /**< --path /hello */
    FUZZ_CLIENT_P256 = 0x20,       /**< --groups secp256r1 */
    FUZZ_CLIENT_NO_TICKETS = 0x40, /**< refuse session tickets: TLS 1.2 resumes by session ID */
    FUZZ_CLIENT_RESUME = 0x80      /**< two connections, the second offering the first's session */
};

/** @brief What the flag byte of a server input asks for (as command-line options of 08_server). */
enum fuzz_server_flag {
    FUZZ_SERVER_CLIENT_CERT = 0x01, /**< --require-client-cert */
    FUZZ_SERVER_RSA = 0x02,         /**< --cert server-rsa-chain.pem --key server-rsa.key */
    FUZZ_SERVER_TWO = 0x04,         /**< two connections (the second may resume the first) */
    /** The client is gone: fuzz_tls_server closes its end of the socket pair (not only for
     *  writing) before the server starts, so every write of the server fails. The target's
     *  own setting; the server's setup ignores it. */
    FUZZ_SERVER_PEER_GONE = 0x08
};

/** @brief How far one run got, and the promises the targets check. */
struct fuzz_tls_result {
    int ready;          /**< stages 01-03 (or the server's setup) succeeded */
    int connections;    /**< connections started */
    int handshakes;     /**< handshakes that completed */
    int answers;        /**< client: responses read to the end; server: requests answered */
    int unverified;     /**< client: handshakes that completed with verification flags set */
    int unreported;     /**< connections that failed without an error line (report_first_error()) */
    int bad_outcomes;   /**< server: outcomes outside enum connection_outcome */
    int leaked_sockets; /**< server: sockets still open after serve_connection() */
};

/**
 * @brief The parts of a target's input after the flag byte.
 * @param data  the input after the flag byte.
 * @param size  its length.
 * @param two   whether the flags ask for two connections.
 * @param part  set to the start of each connection's bytes.
 * @param len   set to their lengths (the second 0 for one connection).
 */
static inline void fuzz_tls_split(const unsigned char *data, size_t size, int two,
                                  const unsigned char *part[2], size_t len[2])
{
    size_t first = size;

    if (two) {
        first = size >= 2 ? ((size_t) data[0] << 8 | data[1]) : 0;
        data += size >= 2 ? 2 : size;
        size -= size >= 2 ? 2 : size;
        if (first > size)
            first = size;
    }
    part[0] = data, len[0] = first;
    part[1] = data + first, len[1] = size - first;
}

/**
 * @brief The lessons' client, once (or twice, with #FUZZ_CLIENT_RESUME) over the given transport.
 * @param flags  enum fuzz_client_flag bits.
 * @param bio    the transport's context for each connection.
 * @param f_send its send callback.
 * @param f_recv its receive callback.
 * @param request NULL for stage 06's own GET; else what to send instead, once the handshake is
 *               done (tls_capture.c records answers to requests that stage 06 never makes);
 *               "" sends nothing: close_notify right after the handshake, as lesson 05 ends.
 * @param r      filled with how far it got.
 * @return the workshop_exit code a lesson would return.
 */
int fuzz_client_converse(unsigned flags, void *const bio[2], mbedtls_ssl_send_t *f_send,
                         mbedtls_ssl_recv_timeout_t *f_recv, const char *request, struct fuzz_tls_result *r);

/**
 * @brief The lesson server's setup, then its serve_connection() on each socket in turn.
 * @param flags enum fuzz_server_flag bits.
 * @param fds   connected sockets; each is closed (by serve_connection(), as in the server).
 * @param count how many (1 or 2).
 * @param r     filled with how far it got.
 * @return WS_EXIT_OK, or the setup's error.
 */
int fuzz_server_serve(unsigned flags, const int *fds, int count, struct fuzz_tls_result *r);

#endif /* WORKSHOP_FUZZ_TLS_ENDS_H */
