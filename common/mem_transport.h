/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file mem_transport.h
 * @brief An in-memory connection: two byte pipes that a TLS client and a TLS
 *        server in the same thread can talk through.
 *
 * mbedtls_ssl_set_bio() wants a send and a receive callback. These ones move
 * bytes through buffers instead of sockets, so a handshake can run without a
 * network and without threads: call the client's mbedtls_ssl_handshake() until
 * it wants to read, then the server's, and so on. The transport counts bytes
 * and flights (runs of messages in one direction) for each side, which is what
 * the benchmarks report.
 *
 * For comparison the same object can carry the bytes over a pair of connected
 * (non-blocking) sockets instead, still counting them.
 */
#ifndef WORKSHOP_MEM_TRANSPORT_H
#define WORKSHOP_MEM_TRANSPORT_H

#include <stddef.h>

/** @brief Which end of the connection an endpoint is. */
enum mem_side {
    MEM_CLIENT = 0, /**< the client writes the client-to-server pipe */
    MEM_SERVER = 1  /**< the server writes the server-to-client pipe */
};

/** @brief One direction of the connection: a growable byte buffer. */
struct mem_pipe {
    unsigned char *data; /**< buffered bytes */
    size_t len;          /**< bytes written so far */
    size_t pos;          /**< bytes already read */
    size_t cap;          /**< allocated size of @p data */
};

/** @brief One side's view of the connection (the @c ctx for mbedtls_ssl_set_bio()). */
struct mem_endpoint {
    struct mem_transport *transport; /**< the connection this end belongs to */
    enum mem_side side;              /**< which end */
};

/** @brief A connection between a client and a server in one process. */
struct mem_transport {
    struct mem_pipe pipe[2];     /**< pipe[MEM_CLIENT] carries client-to-server bytes */
    struct mem_endpoint end[2];  /**< pass &end[side] to mbedtls_ssl_set_bio() */
    unsigned long long bytes[2]; /**< bytes sent by each side since the last reset */
    unsigned long flights[2];    /**< flights sent by each side since the last reset */
    int last_sender;             /**< side that sent last, or -1 */
    int fd[2];                   /**< socket per side, or -1 for memory pipes */
};

/**
 * @brief Prepare an empty in-memory connection.
 * @param t the transport.
 */
void mem_transport_init(struct mem_transport *t);

/**
 * @brief Carry the bytes over two connected non-blocking sockets instead.
 * @param t         the transport.
 * @param client_fd the client's socket.
 * @param server_fd the server's socket.
 */
void mem_transport_use_sockets(struct mem_transport *t, int client_fd, int server_fd);

/**
 * @brief Open a loopback TCP connection (127.0.0.1) and use it.
 * @param t the transport.
 * @return 0, or -1 with errno set.
 */
int mem_transport_open_tcp(struct mem_transport *t);

/**
 * @brief Forget buffered bytes and zero the counters (before a new handshake).
 * @param t the transport.
 */
void mem_transport_reset(struct mem_transport *t);

/**
 * @brief Zero the byte and flight counters only.
 * @param t the transport.
 */
void mem_transport_reset_counters(struct mem_transport *t);

/**
 * @brief Free the buffers and close sockets, if any.
 * @param t the transport.
 */
void mem_transport_free(struct mem_transport *t);

/**
 * @brief Send callback for mbedtls_ssl_set_bio().
 * @param ctx a struct mem_endpoint.
 * @param buf bytes to send.
 * @param len how many.
 * @return @p len, MBEDTLS_ERR_SSL_WANT_WRITE, or MBEDTLS_ERR_SSL_INTERNAL_ERROR.
 */
int mem_transport_send(void *ctx, const unsigned char *buf, size_t len);

/**
 * @brief Receive callback for mbedtls_ssl_set_bio().
 * @param ctx a struct mem_endpoint.
 * @param buf where to put the bytes.
 * @param len room in @p buf.
 * @return bytes received, or MBEDTLS_ERR_SSL_WANT_READ when the peer has sent
 *         nothing new (the caller should let the peer run).
 */
int mem_transport_recv(void *ctx, unsigned char *buf, size_t len);

#endif /* WORKSHOP_MEM_TRANSPORT_H */
