/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file stages.h
 * @brief The stages of a TLS connection, one per lesson, and the state they share.
 *
 * Lesson N defines stage N in `lessons/NN_*.c` and is the only place that
 * stage's code exists. The same source file is compiled twice: into the
 * lesson program (with its main()), and with `-DLESSON_LIBRARY` (without
 * main()) into `liblessons.a`, which later lessons link to reuse the stage
 * exactly as it was taught. docs/ARCHITECTURE.md explains the design.
 *
 * Every stage returns a workshop_exit code (0 on success) after narrating
 * what it did or printing a one-line error.
 */
#ifndef WORKSHOP_STAGES_H
#define WORKSHOP_STAGES_H

#include <stddef.h>

#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#if defined(MBEDTLS_TIMING_C)
#include <mbedtls/timing.h>
#endif

#include "compat.h"
#include "debug_log.h"
#include "dtls_timer.h"
#include "keylog.h"
#include "options.h"
#include "psk_keys.h"
#include "report.h"
#include "trace_bio.h"

/** @brief Everything one TLS endpoint owns, in the order the stages create it. */
struct tls_endpoint {
    /* 01_init */
    struct compat_rng rng; /**< the random generator every stage draws from (compat.h) */
    /* 02_load_certs */
    mbedtls_x509_crt ca_chain;  /**< certificates we trust to sign the peer's */
    mbedtls_x509_crl crl;       /**< revoked certificates (optional) */
    mbedtls_x509_crt own_cert;  /**< our certificate chain, if we have one */
    mbedtls_pk_context own_key; /**< its private key */
    /* 03_config */
    mbedtls_ssl_config conf;                       /**< settings shared by every connection */
    compat_group_t groups[OPTIONS_MAX_GROUPS + 1]; /**< the key exchange groups conf points to */
    struct debug_sink debug;                       /**< where --debug lines go */
    struct keylog keylog;                          /**< where --keylog secrets go (opened by lesson 03) */
    /* 04_connect */
    mbedtls_net_context net; /**< the TCP socket */
    mbedtls_ssl_context ssl; /**< one TLS connection over it */
    struct trace_bio trace;  /**< the --trace tap between them (put in place by lesson 04) */
    int decode_always;       /**< keep the tap without --trace too, silent (lessons 09, 10 ask it) */
    int have_crl;            /**< a CRL was loaded */
    int debug_open;          /**< @p debug needs closing */
    int handshake_done;      /**< close_notify is worth sending */
};

/** @brief The client stages, in order; a lesson runs every stage up to its own. */
enum stage {
    STAGE_INIT = 1,       /**< 01_init */
    STAGE_LOAD_CERTS = 2, /**< 02_load_certs */
    STAGE_CONFIG = 3,     /**< 03_config */
    STAGE_CONNECT = 4,    /**< 04_connect */
    STAGE_HANDSHAKE = 5,  /**< 05_handshake */
    STAGE_READ_WRITE = 6, /**< 06_read_write */
    STAGE_CLEANUP = 7     /**< 07_cleanup */
};

/**
 * @brief The main() of client lessons 01-07 (lesson_main.c): parse the options
 *        a lesson accepts, run stages 1..@p last in order, clean up.
 * @param argc    from main().
 * @param argv    from main().
 * @param last    the lesson's own stage.
 * @param summary one line for --help.
 * @return the process exit code (a workshop_exit value).
 */
int lesson_main(int argc, char **argv, enum stage last, const char *summary);

/**
 * @brief Stages 01-03 in order (lesson_main.c): an endpoint ready to connect
 *        or accept. After it, stage_cleanup() is safe whatever failed.
 * @param s        the session.
 * @param o        the options.
 * @param endpoint MBEDTLS_SSL_IS_CLIENT or MBEDTLS_SSL_IS_SERVER.
 * @return WS_EXIT_OK or the failing stage's code.
 */
int stage_prepare(struct tls_endpoint *s, const struct options *o, int endpoint);

/** @brief Stage 01 (01_init.c): initialise every context, start PSA, ready the random generator. */
int stage_init(struct tls_endpoint *s);

/** @brief Stage 02 (02_load_certs.c): load trusted CAs, the CRL, our certificate and key. */
int stage_load_certs(struct tls_endpoint *s, const struct options *o);

/**
 * @brief Stage 03 (03_config.c): build the mbedtls_ssl_config.
 * @param s        the session.
 * @param o        the options.
 * @param endpoint MBEDTLS_SSL_IS_CLIENT or MBEDTLS_SSL_IS_SERVER.
 */
int stage_config(struct tls_endpoint *s, const struct options *o, int endpoint);

/** @brief Stage 04 (04_connect.c): TCP connect, attach a TLS context, set the hostname. */
int stage_connect(struct tls_endpoint *s, const struct options *o);

/**
 * @brief The TCP part of stage 04 (04_connect.c): connect @p net to @p host:@p port.
 *
 * Used by stage_connect(), and by clients that keep one socket per thread
 * (tests/peers/load_client.c).
 * @return WS_EXIT_OK or WS_EXIT_NETWORK.
 */
int stage_connect_tcp(mbedtls_net_context *net, const char *host, const char *port);

/**
 * @brief The optional debugging aids of stage 04 (04_connect.c), after stage_attach().
 *
 * With `--keylog` on mbedTLS 3.x, hooks the key export into this connection
 * (2.28 exports through the configuration, set up in lesson 03). With
 * `--trace`, or when @p s->decode_always is set, puts the trace tap between
 * @p s->ssl and @p s->net; it prints only with `--trace`.
 * @param s the session, connected and attached.
 * @param o the options.
 * @return WS_EXIT_OK, or WS_EXIT_SETUP when the tap cannot be allocated.
 */
int stage_attach_debug_taps(struct tls_endpoint *s, const struct options *o);

/**
 * @brief stage_attach_debug_taps() over any transport (04_connect.c): the tap
 *        forwards to @p inner_send / @p inner_recv on @p inner instead of the
 *        socket. With `o->datagram` the tap reads each send and receive as one
 *        datagram (lesson 15).
 * @param s          the session, attached.
 * @param o          the options.
 * @param inner      the transport's context.
 * @param inner_send its send callback.
 * @param inner_recv its receive callback with a timeout.
 * @return WS_EXIT_OK, or WS_EXIT_SETUP when the tap cannot be allocated.
 */
int stage_attach_debug_taps_over(struct tls_endpoint *s, const struct options *o, void *inner,
                                 mbedtls_ssl_send_t *inner_send, mbedtls_ssl_recv_timeout_t *inner_recv);

/**
 * @brief Attach a prepared TLS context to a connected socket (stage 04).
 *
 * Used by the client after connecting and by the server after accepting.
 * @param ssl  the (initialised) TLS context.
 * @param conf the configuration from stage 03.
 * @param net  the connected socket.
 * @param servername the name to verify and send as SNI (client), or NULL (server; and lesson 09's
 *                   deliberately insecure client that never names the server).
 */
int stage_attach(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf, mbedtls_net_context *net,
                 const char *servername);

/**
 * @brief stage_attach() over any transport: the callbacks of mbedtls_ssl_set_bio().
 *
 * stage_attach() passes a socket and mbedtls_net_send()/mbedtls_net_recv_timeout();
 * the benchmarks pass the in-memory transport of common/mem_transport.h.
 * @param ssl        the (initialised) TLS context.
 * @param conf       the configuration from stage 03.
 * @param servername as for stage_attach().
 * @param bio        the context handed to the callbacks.
 * @param f_send     send callback.
 * @param f_recv     receive callback without timeout, or NULL.
 * @param f_recv_timeout receive callback with timeout, or NULL.
 * @return WS_EXIT_OK or WS_EXIT_SETUP.
 */
int stage_attach_bio(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf, const char *servername,
                     void *bio, mbedtls_ssl_send_t *f_send, mbedtls_ssl_recv_t *f_recv,
                     mbedtls_ssl_recv_timeout_t *f_recv_timeout);

/**
 * @brief Stage 05 (05_handshake.c): run the handshake and check the peer's certificate.
 * @param ssl the attached TLS context.
 * @return WS_EXIT_OK or WS_EXIT_HANDSHAKE.
 */
int stage_handshake(mbedtls_ssl_context *ssl);

/**
 * @brief stage_handshake(), also handing back mbedTLS's own result (lesson 09
 *        explains it).
 * @param ssl         the attached TLS context.
 * @param mbedtls_ret set to 0 or the error mbedtls_ssl_handshake() returned.
 * @return WS_EXIT_OK or WS_EXIT_HANDSHAKE.
 */
int stage_handshake_ret(mbedtls_ssl_context *ssl, int *mbedtls_ret);

/**
 * @brief The second half of stage 05 (05_handshake.c): report how a handshake
 *        ended and, after a successful one, the peer's certificate.
 *
 * stage_handshake_ret() runs the handshake loop, then this. Programs that
 * drive the handshake themselves, one non-blocking step at a time (lesson
 * 13), call narrate_begin() and then this once mbedtls_ssl_handshake() has
 * returned 0 or an error.
 * @param ssl the TLS context.
 * @param ret what mbedtls_ssl_handshake() returned last (0 or an error).
 * @return WS_EXIT_OK or WS_EXIT_HANDSHAKE.
 */
int stage_handshake_outcome(mbedtls_ssl_context *ssl, int ret);

/**
 * @brief Write all of @p len bytes (stage 06), retrying partial writes.
 * @return 0 or a negative mbedTLS error.
 */
int tls_write_all(mbedtls_ssl_context *ssl, const unsigned char *buf, size_t len);

/**
 * @brief Read up to @p len bytes (stage 06), retrying when mbedTLS asks to.
 * @return bytes read (> 0), 0 when the peer closed the connection properly
 *         (close_notify), or a negative mbedTLS error.
 */
int tls_read_some(mbedtls_ssl_context *ssl, unsigned char *buf, size_t len);

/** @brief Stage 06 (06_read_write.c): send an HTTP request and print the response. */
int stage_read_write(struct tls_endpoint *s, const struct options *o);

/**
 * @brief Stage 07 (07_cleanup.c): tell the peer we are done (close_notify).
 * @param ssl the TLS context after a successful handshake.
 * @return WS_EXIT_OK or WS_EXIT_IO.
 */
int stage_close_notify(mbedtls_ssl_context *ssl);

/** @brief Stage 07 (07_cleanup.c): free everything, in reverse order of creation. */
void stage_cleanup(struct tls_endpoint *s);

/* Pre-shared keys (lesson 11; lessons 15 and 16 too) ---------------------- */

/** @brief Most cipher suites stage_psk_conf() offers. */
#define PSK_STAGE_MAX_SUITES 16

/** @brief A pre-shared key from the command line: `--psk HEX --psk-identity NAME`. */
struct psk_credentials {
    const char *hex;                      /**< --psk, or NULL */
    const char *identity;                 /**< --psk-identity, or NULL */
    unsigned char key[PSK_MAX_KEY];       /**< the key, from @p hex */
    size_t key_len;                       /**< its length */
    int suites[PSK_STAGE_MAX_SUITES + 1]; /**< stage_psk_conf()'s suites (must outlive conf) */
};

/** @brief The two options of struct psk_credentials, for an extra_option table (options.h). */
#define PSK_EXTRA_OPTIONS(c)                                                                                 \
    {"psk", EXTRA_TEXT, "HEX", "a pre-shared key, in hex (16 to 32 bytes, or to 48 on 3.x)", &(c).hex},      \
    {                                                                                                        \
        "psk-identity", EXTRA_TEXT, "NAME", "the identity that names the key (with --psk)", &(c).identity    \
    }

/**
 * @brief Check `--psk` and `--psk-identity` (11_psk_stage.c), before anything runs.
 * @param o        the options (for the usage line).
 * @param c        the credentials; @p c->key is filled from @p c->hex.
 * @param required 1: both options must be given; 0: neither or both.
 * @return WS_EXIT_OK, or the usage error's code (it said why).
 */
int stage_psk_check(const struct options *o, struct psk_credentials *c, int required);

/**
 * @brief Give stage 03's configuration the key and its identity (11_psk_stage.c):
 *        mbedtls_ssl_conf_psk(), on a client or a server. Nothing when no key was given.
 * @param conf        the configuration.
 * @param c           the checked credentials.
 * @param only_tls12  1: offer or accept only the TLS 1.2 suites that use the key (ECDHE-PSK first,
 *                    then PSK), so that no certificate is used; 0: leave the suites alone.
 * @return WS_EXIT_OK, WS_EXIT_SETUP, or WS_EXIT_UNSUPPORTED (this mbedTLS has no such suite).
 */
int stage_psk_conf(mbedtls_ssl_config *conf, struct psk_credentials *c, int only_tls12);

/** @brief Wipe the key (mbedTLS keeps its own copy, wiped with the configuration). */
void stage_psk_wipe(struct psk_credentials *c);

/* DTLS (lessons 15 and 16) ------------------------------------------------ */

/** @brief HelloVerifyRequests a client accepts in one handshake: a server that keeps sending
 *  them rejects every cookie we return, and mbedTLS alone would go on forever. */
#define DTLS_MAX_HELLO_VERIFY 3

/** @brief The length of the connection IDs (RFC 9146) the DTLS lessons give out with `--cid`. */
#define DTLS_CID_LEN 4
/** @brief DTLS_CID_LEN as text, for narration. */
#define DTLS_CID_LEN_TEXT "4"

/**
 * @brief What the DTLS lessons put between mbedTLS and the datagram socket
 *        (15_dtls_watch.c): the retransmission timer, and a watch on the
 *        datagrams that narrates each retransmission as it happens.
 *
 * It is the @c p_bio of mbedtls_ssl_set_bio() and the @c p_timer of
 * mbedtls_ssl_set_timer_cb(); every call goes on to the real transport and to
 * mbedTLS's timing module (or, in a build without MBEDTLS_TIMING_C, to
 * common/dtls_timer.h).
 */
struct dtls_watch {
#if defined(MBEDTLS_TIMING_C)
    mbedtls_timing_delay_context timer; /**< mbedTLS's own timer */
#endif
    struct dtls_timer own_timer;    /**< the workshop's: without MBEDTLS_TIMING_C, or on a virtual clock */
    int use_own_timer;              /**< use @p own_timer */
    void *inner;                    /**< the transport underneath (a socket) */
    mbedtls_ssl_send_t *inner_send; /**< its send function */
    mbedtls_ssl_recv_timeout_t *inner_recv; /**< its receive function */
    int handshaking;                        /**< narrate timer expiries (only while the handshake runs) */
    uint32_t armed_ms;                      /**< the final delay of the running timer, 0 = none */
    int expiry_told;                        /**< this timer's expiry was narrated */
    int resending;          /**< the timer fired and nothing came in since: sends are resends */
    int received_last;      /**< the last thing that happened was a receive: the next send starts a flight */
    unsigned long sent;     /**< datagrams sent */
    unsigned long resent;   /**< of those, sent again after the timer fired */
    unsigned long received; /**< datagrams received */
    unsigned long expiries; /**< how often the timer fired */
    unsigned long flight_first; /**< the number of the first datagram of our last flight */
    unsigned long flight_last;  /**< ... and of its last one */
    unsigned long flight_sends; /**< how often that flight has been sent */
    uint32_t give_up_ms;        /**< the longest wait (hs_timeout max): after it mbedTLS gives up */
    unsigned long hello_verify; /**< HelloVerifyRequests received (a client's watch) */
    int last_errno;             /**< errno of the last failed send or receive (ECONNREFUSED: ICMP) */
};

/**
 * @brief Put a watch in front of a transport (15_dtls_watch.c).
 * @param w          the watch.
 * @param inner      the transport's context (e.g. the mbedtls_net_context).
 * @param inner_send its send function (e.g. mbedtls_net_send).
 * @param inner_recv its receive function (e.g. mbedtls_net_recv_timeout).
 */
void dtls_watch_init(struct dtls_watch *w, void *inner, mbedtls_ssl_send_t *inner_send,
                     mbedtls_ssl_recv_timeout_t *inner_recv);

/**
 * @brief Run the watch's timer on another clock (15_dtls_watch.c): the benchmarks' virtual one.
 * @param w         the watch.
 * @param clock     the clock (common/dtls_timer.h).
 * @param clock_ctx handed to @p clock.
 */
void dtls_watch_use_clock(struct dtls_watch *w, dtls_clock_fn *clock, void *clock_ctx);

/**
 * @brief When the watch's timer fires, on its own clock (only after dtls_watch_use_clock()).
 * @param w the watch.
 * @return the time in ms, or -1 when the timer is not running.
 */
double dtls_watch_deadline(const struct dtls_watch *w);

/**
 * @brief Say why a client's DTLS handshake failed, from what the watch counted (15_dtls_watch.c):
 *        nothing listens (ICMP), nothing answers, every cookie rejected, or silence after answers.
 * @param w   the client's watch.
 * @param ret the handshake's mbedTLS error.
 * @param o   the command line (host, port, waits).
 * @return WS_EXIT_NETWORK or WS_EXIT_HANDSHAKE.
 */
int dtls_watch_explain_failure(const struct dtls_watch *w, int ret, const struct options *o);

/** @brief The watch's send callback (an mbedtls_ssl_send_t; @p ctx is the struct dtls_watch). */
int dtls_watch_send(void *ctx, const unsigned char *buf, size_t len);

/** @brief The watch's receive callback (an mbedtls_ssl_recv_timeout_t). */
int dtls_watch_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout);

/** @brief The timer's set callback (an mbedtls_ssl_set_timer_t). */
void dtls_watch_set_delay(void *ctx, uint32_t int_ms, uint32_t fin_ms);

/** @brief The timer's get callback (an mbedtls_ssl_get_timer_t). */
int dtls_watch_get_delay(void *ctx);

/**
 * @brief Lesson 15's configuration for DTLS (15_dtls_stage.c), after stage 03:
 *        the handshake's retransmission timeouts, replay protection, and the
 *        connection ID length with `--cid`.
 * @return WS_EXIT_OK, or WS_EXIT_UNSUPPORTED for `--cid` without connection ID support.
 */
int stage_dtls_config(struct tls_endpoint *s, const struct options *o);

/**
 * @brief Lesson 15's attach for DTLS (15_dtls_stage.c): stage_attach_bio()
 *        through the watch, the timer callbacks, the MTU and, with `--cid`, our
 *        connection ID. (The client then adds `--keylog`/`--trace` with
 *        stage_attach_debug_taps_over(); the server its own tap per client.)
 * @param ssl        the (initialised) TLS context.
 * @param conf       the configuration from stages 03 and stage_dtls_config().
 * @param o          the options.
 * @param w          the watch, initialised over the transport.
 * @param servername as for stage_attach().
 * @param cid        our connection ID (DTLS_CID_LEN bytes), used with `--cid`.
 * @return WS_EXIT_OK or WS_EXIT_SETUP.
 */
int stage_dtls_attach(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf, const struct options *o,
                      struct dtls_watch *w, const char *servername, const unsigned char *cid);

/**
 * @brief Lesson 16's cookies (16_dtls_server_stage.c): a secret key drawn from the
 *        session's random generator, and mbedTLS's cookie callbacks on the
 *        server configuration, so that a new client must prove its address.
 * @param s       the server's session, after stage 03.
 * @param cookies the cookie context (initialised); it must outlive the configuration.
 * @return WS_EXIT_OK or WS_EXIT_SETUP.
 */
int stage_dtls_cookies(struct tls_endpoint *s, mbedtls_ssl_cookie_ctx *cookies);

/**
 * @brief Give a DTLS context a new connection ID (15_dtls_stage.c), with
 *        `--cid`: after mbedtls_ssl_setup(), and again after each
 *        mbedtls_ssl_session_reset() when one context serves client after client.
 * @return WS_EXIT_OK or WS_EXIT_SETUP.
 */
int stage_dtls_set_cid(mbedtls_ssl_context *ssl, const struct options *o, const unsigned char *cid);

#endif /* WORKSHOP_STAGES_H */
