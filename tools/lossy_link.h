/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lossy_link.h
 * @brief What the lossy link's three files share: its settings, the stop flag, its sockets and
 *        its clock.
 *
 * `tools/lossy_link` sits between a client and a server on loopback. `lossy_link.c` reads the
 * command line and starts one of two modes: `lossy_link_udp.c` drops, duplicates, reorders and
 * delays datagrams (to show DTLS at work on a bad network), `lossy_link_tcp.c` only delays the
 * bytes of TCP connections, at a rate if asked (to show what a long round trip and a slow link do
 * to a TLS handshake; bench/link_validate.sh checks the benchmarks' link model with it).
 */
#ifndef WORKSHOP_LOSSY_LINK_H
#define WORKSHOP_LOSSY_LINK_H

#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>

#include "lossy.h"

/** @brief The command line. */
struct link_options {
    int tcp;                  /**< TCP mode (delay only) instead of UDP */
    const char *listen_host;  /**< where clients come to */
    const char *listen_port;  /**< its port, "0" = any free one */
    const char *to_host;      /**< the server */
    const char *to_port;      /**< its port */
    struct lossy_params link; /**< what happens to each datagram */
    double rate_kbit;         /**< TCP: each direction's rate in kbit/s, 0 for no limit */
    int tcp_handshake;        /**< TCP: hold the client's first bytes one round trip (2 x delay) */
    size_t cid_len;           /**< length of DTLS connection IDs, to describe tls12_cid records */
    int quiet;                /**< no line per datagram or chunk */
};

/** @brief Set by SIGINT and SIGTERM; the modes stop, print their summary and return. */
extern volatile sig_atomic_t link_stop;

/**
 * @brief Resolve the server's address.
 * @param o    the options.
 * @param type SOCK_DGRAM or SOCK_STREAM.
 * @param addr filled.
 * @param len  its length.
 * @return 0, or -1 after printing why.
 */
int link_resolve_target(const struct link_options *o, int type, struct sockaddr_storage *addr,
                        socklen_t *len);

/**
 * @brief Bind the socket clients come to and print "listening on HOST:PORT".
 * @param o    the options.
 * @param type SOCK_DGRAM or SOCK_STREAM (then also listen()).
 * @return the socket, or -1 after printing why.
 */
int link_bind(const struct link_options *o, int type);

/**
 * @brief Print one line on stdout, flushed (the tests and the docs read it as it comes).
 * @param fmt printf format.
 */
void link_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** @brief The UDP mode (lossy_link_udp.c). @return the exit code. */
int link_run_udp(const struct link_options *o);

/** @brief The TCP mode (lossy_link_tcp.c). @return the exit code. */
int link_run_tcp(const struct link_options *o);

#endif /* WORKSHOP_LOSSY_LINK_H */
