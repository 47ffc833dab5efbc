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
 *
 * For DTLS it can carry datagrams instead (mem_transport_use_datagrams()):
 * each send is one datagram, each receive returns one whole datagram, and a
 * link between the two ends may delay and lose them, its fates drawn from a
 * seed as the lossy link program's are (common/lossy.h). Time on that link
 * is virtual: a datagram arrives when the transport's clock, which the
 * caller advances, reaches its arrival time, and the same clock drives the
 * DTLS retransmission timers (common/dtls_timer.h). A handshake that loses
 * datagrams thus runs in microseconds while seeing the seconds its timers
 * wait. The transport also counts the bytes each side sends again: records
 * that repeat a handshake fragment (or ChangeCipherSpec, or the encrypted
 * Finished) that side had already sent.
 */
#ifndef WORKSHOP_MEM_TRANSPORT_H
#define WORKSHOP_MEM_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "lossy.h"

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

/** @brief Flights counted one by one (a DTLS 1.2 handshake with a cookie exchange has six;
 *         a TLS handshake up to five). */
#define MEM_MAX_FLIGHTS 8

/** @brief Handshake fragments each side remembers to recognise its retransmissions. */
#define MEM_MAX_FRAGMENTS 64

/** @brief One datagram on its way (datagram mode). */
struct mem_datagram {
    unsigned char *data; /**< its bytes */
    size_t len;          /**< how many */
    double at_ms;        /**< when it arrives, on the transport's clock */
};

/** @brief What one side has sent, to tell a retransmission from a first sending. */
struct mem_sent_records {
    uint32_t fragments[MEM_MAX_FRAGMENTS]; /**< message_seq << 24 | fragment offset, epoch 0 */
    size_t n_fragments;                    /**< entries used */
    int change_cipher_spec;                /**< a ChangeCipherSpec was sent */
    int encrypted_handshake;               /**< an epoch-1 handshake record (the Finished) was sent */
};

/** @brief The datagram mode: queues, the link, the virtual clock and what is counted. */
struct mem_datagrams {
    int on;                             /**< datagram mode */
    struct mem_datagram *queue[2];      /**< queue[side]: datagrams that side sent, oldest first */
    size_t count[2];                    /**< datagrams in each queue */
    size_t cap[2];                      /**< their allocated sizes */
    struct lossy_params link;           /**< delay and loss of the link */
    struct lossy_stream stream[2];      /**< the link's random numbers, per direction */
    double now_ms;                      /**< the virtual clock */
    unsigned long sent[2];              /**< datagrams sent by each side */
    unsigned long dropped[2];           /**< of those, lost by the link */
    unsigned long delivered[2];         /**< datagrams each side received */
    unsigned long long resent_bytes[2]; /**< bytes of records each side sent again */
    struct mem_sent_records records[2]; /**< what each side has sent */
    unsigned long flight_datagrams[MEM_MAX_FLIGHTS]; /**< datagrams per flight */
};

/** @brief One side's view of the connection (the @c ctx for mbedtls_ssl_set_bio()). */
struct mem_endpoint {
    struct mem_transport *transport; /**< the connection this end belongs to */
    enum mem_side side;              /**< which end */
};

/** @brief A connection between a client and a server in one process. */
struct mem_transport {
    struct mem_pipe pipe[2];                          /**< pipe[MEM_CLIENT] carries client-to-server bytes */
    struct mem_endpoint end[2];                       /**< pass &end[side] to mbedtls_ssl_set_bio() */
    unsigned long long bytes[2];                      /**< bytes sent by each side since the last reset */
    unsigned long flights[2];                         /**< flights sent by each side since the last reset */
    unsigned long long flight_bytes[MEM_MAX_FLIGHTS]; /**< bytes per flight, both sides in turn */
    int last_sender;                                  /**< side that sent last, or -1 */
    int fd[2];                                        /**< socket per side, or -1 for memory pipes */
    struct mem_datagrams dgram;                       /**< datagram mode (DTLS) */
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
 * @brief Carry datagrams instead of bytes, over a link that may delay and lose them.
 *
 * The streams of the link's random numbers start from @p link->seed (one per
 * direction, as tools/lossy_link's for its first client); call again with
 * another seed to draw other fates. Queued datagrams and counters are reset,
 * and the clock goes back to 0.
 * @param t    the transport (memory pipes).
 * @param link the link (delay, jitter, drop, duplicate and seed; reordering is
 *             not modelled), or NULL for a perfect one.
 */
void mem_transport_use_datagrams(struct mem_transport *t, const struct lossy_params *link);

/**
 * @brief The transport's virtual clock, as a common/dtls_timer.h clock.
 * @param t the transport (a struct mem_transport).
 * @return its time in ms.
 */
double mem_transport_now(void *t);

/**
 * @brief When the next datagram arrives.
 * @param t the transport.
 * @return that time in ms, or -1 when none is on its way.
 */
double mem_transport_next_arrival(const struct mem_transport *t);

/**
 * @brief Move the virtual clock forward (never back).
 * @param t     the transport.
 * @param to_ms the new time.
 */
void mem_transport_advance(struct mem_transport *t, double to_ms);

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

/**
 * @brief Receive callback with a timeout, for mbedtls_ssl_set_bio(): never
 *        waits (the peer runs in the same thread), so the timeout is ignored.
 * @param ctx     a struct mem_endpoint.
 * @param buf     where to put the bytes.
 * @param len     room in @p buf.
 * @param timeout ignored.
 * @return as mem_transport_recv().
 */
int mem_transport_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout);

#endif /* WORKSHOP_MEM_TRANSPORT_H */
