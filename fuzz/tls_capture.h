/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_capture.h
 * @brief Real conversations between the fuzz targets' client and server, recorded as seed inputs.
 *
 * A fuzzer fed random bytes never gets past a ClientHello: the peer's Finished message must
 * verify against everything said before it. A recorded conversation does verify, provided our
 * side says exactly what it said when it was recorded, which is what the fixed clock and
 * generators of tls_fixed.h ensure. So the seeds are recorded here: the lessons' client
 * (tls_client_end.c) talks to the lesson server's serve_connection() (tls_server_end.c), each in
 * its own process (fork(): PSA's random generator is one per process, and each side must draw
 * from it as it does alone in its target), over a socket pair. The client records both
 * directions: what it received is an input for fuzz_tls_client, what it sent one for
 * fuzz_tls_server.
 *
 * The scenarios are a table, shared by fuzz/capture_seeds.c (which writes them to seed
 * directories for `make fuzz` and for the committed corpus) and tests/test_tls_fuzz.c (which
 * checks that each recording replays to the same end through both targets).
 */
#ifndef WORKSHOP_FUZZ_TLS_CAPTURE_H
#define WORKSHOP_FUZZ_TLS_CAPTURE_H

#include <stddef.h>

#include "tls_ends.h"

/** @brief One conversation to record. */
struct tls_scenario {
    const char *name;      /**< the seed's file name (without directory) */
    unsigned client_flags; /**< enum fuzz_client_flag bits */
    unsigned server_flags; /**< enum fuzz_server_flag bits */
    const char *request;   /**< NULL: stage 06's GET; else the request the client sends */
    int answers;           /**< requests the server must answer (and the client read) */
    int needs_tls13;       /**< 1: meaningful only with TLS 1.3 (skipped without) */
};

/** @brief The scenarios, ending with a NULL name. */
extern const struct tls_scenario tls_scenarios[];

/** @brief One recorded conversation, as the two targets' inputs. */
struct tls_capture {
    unsigned char *client_input;   /**< flag byte + what the server sent (fuzz_tls_client) */
    size_t client_len;             /**< its length */
    unsigned char *server_input;   /**< flag byte + what the client sent (fuzz_tls_server) */
    size_t server_len;             /**< its length */
    struct fuzz_tls_result client; /**< how far the client got */
    struct fuzz_tls_result server; /**< how far the server got */
};

/**
 * @brief Record one scenario.
 * @param sc  the scenario.
 * @param out filled (free it with tls_capture_free(), also after a failure).
 * @return 0, or -1 when the conversation could not be run at all (fork, sockets, memory).
 */
int tls_capture_run(const struct tls_scenario *sc, struct tls_capture *out);

/** @brief Free what tls_capture_run() allocated. */
void tls_capture_free(struct tls_capture *c);

#endif /* WORKSHOP_FUZZ_TLS_CAPTURE_H */
