/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_pair.h
 * @brief A TLS client and a TLS server in one thread, joined by
 *        common/mem_transport.h, with per-side CPU time and heap figures.
 *
 * Each end is built by the lessons' own stages (lessons/stages.h): stage 01
 * starts it, 02 loads its certificates, 03 configures it, and 04's
 * stage_attach_bio() attaches the TLS context to the in-memory transport
 * instead of a socket. The benchmarks pass what they pin (the one cipher
 * suite, the group) as options, as a lesson gets them from its command
 * line. All of that is prepared by tls_pair_setup(), outside any timed
 * region. tls_pair_handshake() then runs one handshake, stepping the client
 * and the server in turn.
 *
 * With DTLS (params.dtls) both ends are lessons 15 and 16's: datagrams
 * instead of bytes (the transport's datagram mode), lesson 15's retransmission
 * timeouts and watch, lesson 16's cookies. The link may delay and lose
 * datagrams (params.link); its clock and the retransmission timers are
 * virtual, so that a handshake that waits seconds for its timers runs in
 * microseconds, and its completion time is the time the link would take.
 */
#ifndef WORKSHOP_BENCH_TLS_PAIR_H
#define WORKSHOP_BENCH_TLS_PAIR_H

#include <stddef.h>

#include "compat.h"
#include "mem_transport.h"
#include "stages.h"

#include <mbedtls/ssl.h>
#if defined(MBEDTLS_SSL_CACHE_C)
#include <mbedtls/ssl_cache.h>
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
#include <mbedtls/ssl_ticket.h>
#endif

/** @brief The benchmarks' DTLS retransmission timeouts: mbedTLS's own defaults (RFC 6347 suggests 1 s to 60
 * s). */
#define TLS_PAIR_DTLS_HS_MIN_MS 1000
/** @brief See TLS_PAIR_DTLS_HS_MIN_MS. */
#define TLS_PAIR_DTLS_HS_MAX_MS 60000

/** @brief The benchmarks' DTLS MTU: the largest UDP payload within IPv6's minimum MTU, 1280 - 40 - 8. */
#define TLS_PAIR_DTLS_MTU 1232

/** @brief How the client comes back. */
enum tls_resume {
    RESUME_NONE = 0,  /**< every handshake is a full one */
    RESUME_CACHE = 1, /**< session id + the server's session cache */
    RESUME_TICKET = 2 /**< session ticket (RFC 5077; in TLS 1.3, NewSessionTicket after the handshake) */
};

/** @brief A server (and, with client authentication, client) credential. */
struct tls_key {
    const char *label;        /**< name part, e.g. "ecdsa-p256" */
    const char *server_chain; /**< file in the certs directory */
    const char *server_key;   /**< file in the certs directory */
    const char *client_chain; /**< for client authentication */
    const char *client_key;   /**< for client authentication */
};

/**
 * @brief Changes a program makes to one end's configuration after lesson 03 built it (lesson 14
 *        sets record sizes, suites and groups this way).
 * @param conf     the configuration.
 * @param endpoint MBEDTLS_SSL_IS_CLIENT or MBEDTLS_SSL_IS_SERVER.
 * @param ctx      tls_pair_params.tune_ctx.
 * @return 0, or the mbedTLS error of the call that failed.
 */
typedef int tls_pair_tune_fn(mbedtls_ssl_config *conf, int endpoint, void *ctx);

/** @brief What to set up. */
struct tls_pair_params {
    const char *suite;         /**< mbedTLS cipher suite name; NULL: the library's list and versions */
    int tls13;                 /**< 1: TLS 1.3 only, 0: TLS 1.2 only */
    const struct tls_key *key; /**< NULL for pre-shared-key suites */
    enum tls_resume resume;    /**< resumption mode */
    int client_auth;           /**< 1: the server requires a client certificate */
    int tcp;                   /**< 1: loopback TCP instead of memory pipes */
    int dtls;                  /**< 1: DTLS 1.2 over datagrams (then tls13 must be 0) */
    struct lossy_params link;  /**< DTLS: the link's delay and loss (zero: a perfect link) */
    int offer_p384;            /**< also offer secp384r1 (for a P-384 certificate) */
    unsigned tls13_kex;        /**< TLS 1.3 with a pre-shared key: COMPAT_TLS13_KEX_PSK (psk_ke) or
                                    COMPAT_TLS13_KEX_PSK_EPHEMERAL (psk_dhe_ke); 0: the library's default */
    int debug_level;           /**< mbedTLS debug threshold (0: none), set by stage 03 */
    void (*dbg)(void *, int, const char *, int, const char *); /**< debug callback or NULL */
    void *dbg_ctx;                                             /**< its context */
    tls_pair_tune_fn *tune; /**< called for each end after its configuration, or NULL */
    void *tune_ctx;         /**< its last argument */
};

/** @brief What one handshake cost. */
struct tls_cost {
    double cpu_ns[2];        /**< thread CPU time per side (MEM_CLIENT, MEM_SERVER) */
    double peak_bytes[2];    /**< highest heap held by each side during the handshake */
    double held_bytes[2];    /**< heap held by each side after it */
    double total_peak_bytes; /**< highest heap of both sides together */
    double peak_stack[2];    /**< deepest stack of each side's steps (bench/stack.h; 0 without regions) */
    double wire_bytes[2];    /**< bytes sent by each side */
    double flights[2];       /**< flights sent by each side */
    /* DTLS */
    double datagrams[2];                      /**< datagrams sent by each side */
    double resent_bytes[2];                   /**< bytes of records each side sent again */
    double timer_expiries;                    /**< retransmission timers that fired, both sides */
    double completion_ms;                     /**< virtual time until both sides were done */
    double flight_bytes[MEM_MAX_FLIGHTS];     /**< bytes per flight, in order */
    double flight_datagrams[MEM_MAX_FLIGHTS]; /**< datagrams per flight */
};

/** @brief A certificate file and its key, as paths for the stages' options. */
struct tls_pair_files {
    char ca[512];   /**< the workshop CA, trusted by both ends */
    char cert[512]; /**< this end's certificate chain, if it has one */
    char key[512];  /**< its private key */
};

/** @brief Everything both ends need. */
struct tls_pair {
    struct tls_pair_params params;  /**< copy of what was asked for */
    struct tls_endpoint end[2];     /**< each end as stages 01-04 built it (MEM_CLIENT, MEM_SERVER) */
    struct options opts[2];         /**< what each end's stages were told */
    struct tls_pair_files files[2]; /**< the paths in @c opts */
    uint16_t groups[3];             /**< secp256r1 (+ secp384r1), IANA numbers, 0-terminated */
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_context cache; /**< server session cache */
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_context ticket; /**< server ticket keys */
#endif
    mbedtls_ssl_session saved;      /**< client's session to resume */
    struct dtls_watch watch[2];     /**< DTLS: lesson 15's watch per end, on the transport's clock */
    mbedtls_ssl_cookie_ctx cookies; /**< DTLS: the server's cookie key (lesson 16) */
    struct mem_transport transport; /**< the connection */
    struct tls_cost cost;           /**< figures of the last handshake */
    char error[256];                /**< why the last call failed */
};

/**
 * @brief Prepare both ends and run one untimed handshake (and, for
 *        resumption, save the session and check it resumes).
 * @param p      the pair (need not be initialised).
 * @param params what to set up.
 * @param certs  directory with the workshop PKI.
 * @return 0, or -1 with @c p->error set.
 */
int tls_pair_setup(struct tls_pair *p, const struct tls_pair_params *params, const char *certs);

/**
 * @brief Make both contexts ready for a new handshake (untimed part).
 * @param p the pair.
 * @return 0, or -1 with @c p->error set.
 */
int tls_pair_reset(struct tls_pair *p);

/**
 * @brief Run one handshake on contexts prepared by tls_pair_reset().
 * @param p the pair; figures go to @c p->cost.
 * @return 0, or -1 with @c p->error set.
 */
int tls_pair_handshake(struct tls_pair *p);

/**
 * @brief Free both contexts, as before a first connection (untimed part).
 * @param p the pair.
 */
void tls_pair_cold_reset(struct tls_pair *p);

/**
 * @brief A first handshake on contexts freed by tls_pair_cold_reset():
 *        mbedtls_ssl_setup() (which allocates the record buffers), then the
 *        handshake.
 * @param p the pair.
 * @return 0, or -1 with @c p->error set.
 */
int tls_pair_cold_handshake(struct tls_pair *p);

/**
 * @brief Send @p len bytes from client to server through the TLS records.
 * @param p   the pair, after a handshake.
 * @param buf the bytes (and room to receive them again at the server).
 * @param out where the server puts what it reads (at least @p len bytes).
 * @param len how many.
 * @return 0, or -1 with @c p->error set.
 */
int tls_pair_transfer(struct tls_pair *p, const unsigned char *buf, unsigned char *out, size_t len);

/**
 * @brief tls_pair_transfer() with each side's calls on its own stack
 *        region: @c p->cost.peak_stack gets the write's (client) and the
 *        read's (server) peak stack. Slower (a context switch per call):
 *        the throughput family runs it once, untimed.
 * @return 0, or -1 with @c p->error set.
 */
int tls_pair_transfer_measured(struct tls_pair *p, const unsigned char *buf, unsigned char *out, size_t len);

/**
 * @brief DTLS: draw the link's fates from another seed, for the next handshake.
 * @param p    the pair.
 * @param seed the seed.
 */
void tls_pair_reseed(struct tls_pair *p, uint64_t seed);

/** @brief Free everything (safe after a failed setup). */
void tls_pair_free(struct tls_pair *p);

/** @brief The ECDHE group both ends use (for names and labels). */
extern const char *const tls_pair_group_name;

#endif /* WORKSHOP_BENCH_TLS_PAIR_H */
