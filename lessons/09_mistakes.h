/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 09_mistakes.h
 * @brief What lesson 09's mistakes share with their runner: the mistakes, the servers they need.
 *
 * The lesson is `09_mistakes.c` (the table of mistakes, making one and explaining its failure).
 * `09_mistakes_runner.c` checks the `--mistake` choice, runs every mistake whose server was given
 * (or only the chosen one) and counts how many behaved as explained.
 */
#ifndef WORKSHOP_09_MISTAKES_H
#define WORKSHOP_09_MISTAKES_H

#include "attempt.h"

/** @brief The deliberate mistakes. */
enum mistake {
    MISTAKE_NO_CA,          /**< mbedtls_ssl_conf_ca_chain() never called */
    MISTAKE_WRONG_HOSTNAME, /**< mbedtls_ssl_set_hostname() with a name the certificate lacks */
    MISTAKE_NO_HOSTNAME,    /**< mbedtls_ssl_set_hostname() never called */
    MISTAKE_SERVER_CLOSES,  /**< the server hangs up after the ClientHello */
    MISTAKE_NO_CLIENT_CERT, /**< the server requires a client certificate; we have none */
    MISTAKE_NO_SHARED_SUITE /**< we offer only a cipher suite the server cannot use */
};

/** @brief The servers the mistakes run against. */
enum mistake_server { LESSON_SERVER, CLIENT_CERT_SERVER, CLOSING_SERVER, SERVER_COUNT };

/** @brief How to start one of those servers. */
struct mistake_server_info {
    const char *start;  /**< the command that starts it */
    const char *option; /**< the option that gives its port */
};

/** @brief One deliberate mistake: what is done wrong and what it should produce. */
struct mistake_info {
    const char *name;           /**< for --mistake */
    enum mistake kind;          /**< which one */
    enum mistake_server server; /**< the server it needs */
    const char *what;           /**< what is done wrong */
    int expected_ret;           /**< the error it should cause (0: the handshake passes) */
    int also_ok_ret;            /**< an equivalent error, or 0 */
    const char *why;            /**< the lesson to take away */
};

/** @brief How many mistakes there are. */
#define MISTAKE_COUNT 6

/** @brief The mistakes, in the order a whole run makes them (09_mistakes.c). */
extern const struct mistake_info mistakes[MISTAKE_COUNT];

/** @brief How to start each server (09_mistakes.c). */
extern const struct mistake_server_info mistake_servers[SERVER_COUNT];

/**
 * @brief Make the mistake (or leave it to the server), connect, undo it, explain (09_mistakes.c).
 * @param s           stages 01-03, done.
 * @param o           the command line.
 * @param m           the mistake.
 * @param port        the port of its server.
 * @param as_expected set to whether it failed the way the table says.
 * @return the exit code of the attempt.
 */
int run_mistake(struct tls_endpoint *s, const struct options *o, const struct mistake_info *m,
                const char *port, int *as_expected);

/**
 * @brief Check `--mistake NAME`: a known mistake whose server was given.
 * @param o     the command line (for the usage error).
 * @param only  NAME, or NULL for a whole run.
 * @param ports each server's port, NULL where not given.
 * @return WS_EXIT_OK, or WS_EXIT_USAGE (reported).
 */
int mistakes_check_choice(const struct options *o, const char *only, const char *const ports[SERVER_COUNT]);

/**
 * @brief Run every mistake whose server was given (or only @p only), each against its server, and
 *        say how many behaved as explained.
 * @return for one mistake its exit code; for a whole run WS_EXIT_OK, or WS_EXIT_HANDSHAKE when one
 *         did not fail the way the table says; any other code when a mistake could not be set up.
 */
int mistakes_run(struct tls_endpoint *s, const struct options *o, const char *only,
                 const char *const ports[SERVER_COUNT]);

#endif /* WORKSHOP_09_MISTAKES_H */
