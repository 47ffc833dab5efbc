/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 13_nonblocking.h
 * @brief What lesson 13's two files share: one connection of the loop, and the bookkeeping around it.
 *
 * The lesson is `13_nonblocking.c` (opening a non-blocking connection, one step of one connection,
 * the poll() loop). `13_nonblocking_conns.c` holds what every connection needs but the lesson is
 * not about: the `--trace` and `--keylog` taps, the result of a finished (or timed-out) connection,
 * counting and narrating its response, the request, and the summary.
 */
#ifndef WORKSHOP_13_NONBLOCKING_H
#define WORKSHOP_13_NONBLOCKING_H

#include "stages.h"

/** @brief Where one connection is. */
enum step { STEP_HANDSHAKE, STEP_REQUEST, STEP_RESPONSE, STEP_CLOSE, STEP_DONE };

/** @brief One of the connections the loop drives. */
struct conn {
    mbedtls_net_context net; /**< its socket, non-blocking */
    mbedtls_ssl_context ssl; /**< its TLS context, on the shared configuration */
    struct trace_bio tap;    /**< the --trace tap, if asked for */
    char prefix[16];         /**< "[#3] " before its lines */
    enum step step;          /**< what it does next */
    enum compat_retry want;  /**< what it waits for */
    double deadline_ms;      /**< it must be done by then (now_ms() time) */
    size_t sent;             /**< request bytes written */
    size_t received;         /**< response bytes read */
    unsigned pending;        /**< reads served from mbedTLS's buffer (mbedtls_ssl_check_pending()) */
    int tickets;             /**< TLS 1.3 NewSessionTicket messages seen */
    char status[64];         /**< the response's status line */
    int result;              /**< its exit code, once STEP_DONE */
};

/** @brief Initialise every connection (lesson 01's rule: cleanup is then always safe). */
void nb_init_all(struct conn *conns, int count);

/**
 * @brief Put lesson 09's taps on a connection: the key log (--keylog) and the trace (--trace).
 * @return WS_EXIT_OK, or WS_EXIT_SETUP (out of memory, reported).
 */
int nb_add_taps(struct tls_endpoint *s, const struct options *o, struct conn *c);

/** @brief The connection is done, with this exit code. */
void nb_finish(struct conn *c, int result);

/**
 * @brief A failed call: one narrated line, the error line, the connection's result.
 * @param c        the connection.
 * @param what     the narrated step.
 * @param function the mbedTLS function that failed, or NULL (the caller reports why).
 * @param ret      its return code.
 * @param result   the connection's exit code.
 */
void nb_fail(struct conn *c, const char *what, const char *function, int ret, int result);

/** @brief poll() failed with errno @p error: report it, and finish every connection not yet done. */
void nb_poll_failed(struct conn *conns, int count, int error);

/**
 * @brief The connection's deadline passed: narrate where it was, report it, and finish it
 *        (WS_EXIT_HANDSHAKE in the handshake, else WS_EXIT_IO).
 * @param c          the connection.
 * @param number     its number in the lines (1 for the first).
 * @param timeout_ms the --timeout it had.
 */
void nb_time_out(struct conn *c, int number, unsigned timeout_ms);

/**
 * @brief Count @p len response bytes just read into @p buf, keeping the status line of the first.
 * @param c   the connection.
 * @param buf the bytes, with room for one more (a terminating NUL is written there).
 * @param len how many were read.
 */
void nb_count_response(struct conn *c, unsigned char *buf, size_t len);

/** @brief The narrated line of a response read to its close_notify. */
void nb_narrate_response(const struct conn *c);

/**
 * @brief Write the GET request every connection sends.
 * @return its length.
 */
int nb_request(const struct options *o, char *request, size_t cap);

/**
 * @brief Print how long the connections took and in which order their handshakes finished.
 * @return WS_EXIT_OK, or the result of the first connection that failed.
 */
int nb_print_summary(const struct conn *conns, int opened, double elapsed_ms, unsigned rounds,
                     const int *order, int handshakes);

/** @brief Lesson 07's cleanup, per connection. */
void nb_free_all(struct conn *conns, int count);

#endif /* WORKSHOP_13_NONBLOCKING_H */
