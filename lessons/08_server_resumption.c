/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server_resumption.c
 * @brief Session resumption for the lesson server: a session cache (TLS 1.2 session IDs) and
 *        session tickets (TLS 1.2 and 1.3), so a returning client skips the expensive handshake.
 *
 * Read it after 08_server.c; lesson 10 is the client side. A full handshake costs the server an
 * ECDHE key exchange and a signature. A client that connected before can instead present what it
 * kept from that session and both sides derive new keys from the old secret:
 * - with a session ID (TLS 1.2), the server looks the session up in its cache, so it stores
 *   every session it may resume (mbedTLS: up to 50, for a day);
 * - with a ticket (TLS 1.2 and 1.3; TLS 1.3 knows nothing else), the server stores nothing: it
 *   seals the session state with a key of its own and hands the sealed blob to the client, which
 *   sends it back.
 * A session ID the server no longer knows, or a ticket it cannot open, simply means a full
 * handshake.
 */
#include "08_server.h"

void resumption_init(struct resumption *r)
{
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_init(&r->cache);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_init(&r->tickets);
#endif
    (void) r;
}

/* [server-resumption] */
int resumption_setup(struct resumption *r, mbedtls_ssl_config *conf,
                     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
#if defined(MBEDTLS_SSL_CACHE_C) && defined(MBEDTLS_THREADING_C)
    /* The cache is shared by the connection threads: only with the
     * library's own locking. */
    mbedtls_ssl_conf_session_cache(conf, &r->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    /* The ticket key is drawn from the server's (locked) random generator
     * (4.x: from PSA's, and the cipher is named the PSA way: compat.h).
     * AES-256-GCM is as strong as the strongest suite; tickets live a day.
     * With MBEDTLS_HAVE_TIME mbedTLS rotates the key (each lives two ticket
     * lifetimes), so a stolen key opens only the last few days of sessions. */
    int ret = compat_ssl_ticket_setup(&r->tickets, f_rng, p_rng, 86400); /* mbedtls_ssl_ticket_setup() */

    if (ret != 0) {
        report_mbedtls_error("server", "mbedtls_ssl_ticket_setup", ret);
        return WS_EXIT_SETUP;
    }
    /* mbedTLS's own ticket format: write seals a session, parse opens one. */
    mbedtls_ssl_conf_session_tickets_cb(conf, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                        &r->tickets);
#else
    (void) f_rng, (void) p_rng;
#endif
    (void) r, (void) conf;
    return WS_EXIT_OK;
}
/* [server-resumption] */

void resumption_free(struct resumption *r)
{
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_free(&r->cache);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_free(&r->tickets);
#endif
    (void) r;
}
