/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 16_dtls_server.h
 * @brief What the DTLS server's two files share: one client ("peer") and the demultiplexer that
 *        hands each datagram from the one UDP socket to the right peer.
 *
 * The lesson is `16_dtls_server.c` (its cookie stage is `16_dtls_server_stage.c`): one peer's TLS
 * (setup, handshake, requests, close_notify). `16_dtls_server_demux.c` is the machinery: the socket
 * loop, the table of peers, which datagram belongs to whom, idle peers, the stop flag
 * (common/stop_signal.c) and the summary.
 */
#ifndef WORKSHOP_16_DTLS_SERVER_H
#define WORKSHOP_16_DTLS_SERVER_H

#include <sys/socket.h>

#include "stages.h"
#include "stop_signal.h" /* the flag SIGINT and SIGTERM set: the loop stops */

/** @brief Peers served at once. */
#define DEMUX_MAX_PEERS 16

/** @brief The largest datagram a peer's inbox holds (a whole record of 16 KiB plus overhead). */
#define DEMUX_MAX_DATAGRAM (16384 + 2048)

struct demux;

/** @brief One client, known by its address (and, with a connection ID, by that). */
struct peer {
    int in_use;                   /**< this slot holds a client */
    unsigned long id;             /**< session number, from 1, once its cookie checked out (0 before) */
    struct sockaddr_storage addr; /**< where its datagrams come from and replies go */
    socklen_t addr_len;           /**< the length of @p addr */
    char name[64];                /**< @p addr as text */
    struct sockaddr_storage from; /**< the source of the datagram in @p inbox */
    socklen_t from_len;           /**< its length */
    int fd;                       /**< the server's socket */
    struct demux *demux;          /**< the table it is in */
    unsigned char inbox[DEMUX_MAX_DATAGRAM]; /**< the datagram waiting for mbedTLS */
    size_t inbox_len;                        /**< its length, 0 = none */
    long long last_heard_ms;                 /**< when it last sent something */
    int ssl_ready;                           /**< @p ssl went through mbedtls_ssl_setup() */
    mbedtls_ssl_context ssl;                 /**< its DTLS connection */
    struct dtls_watch watch;                 /**< lesson 15's watch between @p ssl and the socket */
    struct trace_bio tap;                    /**< the --trace tap, in front of the watch */
    int handshake_done;                      /**< the handshake completed */
    unsigned char cid[DTLS_CID_LEN];         /**< the connection ID we gave it (with --cid) */
    unsigned long requests;                  /**< requests answered */
};

/** @brief How a peer's turn ended (serve_fn's answer). */
enum peer_state {
    PEER_WAITING, /**< keep it: it waits for its next datagram */
    PEER_FORGET,  /**< forget it without counting a session (a HelloVerifyRequest was its answer) */
    PEER_CLOSED,  /**< done: it said goodbye (close_notify) */
    PEER_FAILED,  /**< done: its handshake or a record failed */
    PEER_IDLE     /**< done: it went silent for longer than --timeout */
};

/** @brief How one peer's turn is taken (the lesson's code): a datagram arrived, or time passed. */
typedef enum peer_state demux_serve_fn(void *ctx, struct peer *p);

/** @brief Prepare a new peer's TLS context (the lesson's code); 0 or a workshop_exit code. */
typedef int demux_start_fn(void *ctx, struct peer *p);

/** @brief Free what demux_start_fn made for this session (the trace tap, say). */
typedef void demux_end_fn(void *ctx, struct peer *p);

/** @brief The socket and its peers. */
struct demux {
    int fd;                             /**< the bound, unconnected UDP socket */
    int cid;                            /**< route tls12_cid records by their connection ID */
    long max_sessions;                  /**< stop after this many sessions (0: never) */
    unsigned idle_ms;                   /**< forget a peer silent for this long */
    struct peer peers[DEMUX_MAX_PEERS]; /**< the table */
    unsigned long sessions;             /**< sessions whose cookie checked out */
    unsigned long hello_verify;         /**< HelloVerifyRequests sent */
    unsigned long closed;               /**< sessions the client closed (close_notify) */
    unsigned long failed;               /**< sessions whose handshake or a record failed */
    unsigned long idle;                 /**< sessions forgotten after --timeout of silence */
    unsigned long refused;              /**< ClientHellos that failed before their cookie checked out */
    unsigned long ignored;              /**< datagrams that belonged to nobody */
    unsigned long answered;             /**< requests answered */
};

/**
 * @brief Bind the one UDP socket every client talks to, non-blocking, and say where it listens
 *        (16_dtls_server_socket.c).
 * @param d        the demultiplexer, which reads the socket.
 * @param listener the socket, initialised.
 * @param o        the command line (--bind, --port).
 * @return WS_EXIT_OK or WS_EXIT_NETWORK.
 */
int demux_listen(struct demux *d, mbedtls_net_context *listener, const struct options *o);

/** @brief Whether two socket addresses are the same address and port. */
int demux_same_address(const struct sockaddr_storage *a, socklen_t a_len, const struct sockaddr_storage *b,
                       socklen_t b_len);

/**
 * @brief Put `--keylog` and `--trace` on a new peer's session, in front of its watch
 *        (16_dtls_server_peer.c); a tap that cannot be set up leaves the peer untraced.
 * @param p the peer, attached.
 * @param s the server's stages 01-03 (the key log).
 * @param o the command line.
 */
void peer_add_debug_taps(struct peer *p, struct tls_endpoint *s, const struct options *o);

/** @brief Take the taps off a peer whose session ended (a demux_end_fn; 16_dtls_server_peer.c). */
void peer_end(void *ctx, struct peer *p);

/** @brief Whether the peer's handshake agreed on connection IDs (only --cid offers them). */
int peer_uses_cid(struct peer *p);

/** @brief Free every slot's TLS context (16_dtls_server_peer.c). */
void demux_free_peers(struct demux *d);

/**
 * @brief Serve datagrams until a signal or max_sessions.
 * @param d     the demultiplexer, its fd bound.
 * @param start prepares a new peer.
 * @param serve takes a peer's turn.
 * @param end   frees what @p start made.
 * @param ctx   handed to the three.
 * @return WS_EXIT_OK or WS_EXIT_NETWORK.
 */
int demux_run(struct demux *d, demux_start_fn *start, demux_serve_fn *serve, demux_end_fn *end, void *ctx);

/** @brief Send callback of a peer (@p ctx is the struct peer): one datagram to its address. */
int demux_send(void *ctx, const unsigned char *buf, size_t len);

/** @brief Receive callback of a peer: the datagram in its inbox, or WANT_READ; never waits. */
int demux_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout);

/**
 * @brief Did the datagram being served come from another address than the peer's?
 * @param p the peer.
 * @return 1 or 0.
 */
int demux_source_moved(const struct peer *p);

/** @brief Send to the datagram's address from now on (after mbedTLS authenticated it). */
void demux_adopt_source(struct peer *p);

/**
 * @brief The peer's cookie checked out: it is a session now, numbered from 1.
 * @param p the peer.
 */
void demux_count_session(struct peer *p);

/** @brief Print what the server did: sessions, how they ended, cookies, ignored datagrams. */
void demux_print_summary(const struct demux *d);

#endif /* WORKSHOP_16_DTLS_SERVER_H */
