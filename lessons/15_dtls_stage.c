/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 15_dtls_stage.c
 * @brief Lesson 15's stages, shared: the DTLS configuration (retransmission timeouts, replay
 *        protection, connection IDs) and the attach through the watch, with its timer and MTU.
 *
 * Lesson 15 (15_dtls_client.c) teaches them; the DTLS server of lesson 16 and the benchmarks'
 * pair (bench/tls_pair.c) call the same functions (they are in liblessons.a). The watch they
 * attach through is 15_dtls_watch.c.
 */
#include "stages.h"

/* [dtls-config] */
int stage_dtls_config(struct tls_endpoint *s, const struct options *o)
{
    narrate_begin("Setting the DTLS retransmission timeouts");
    /* The first flight waits hs_timeout_min for its answer; each
     * retransmission doubles the wait; after the wait of hs_timeout_max has
     * passed in vain, the handshake fails with MBEDTLS_ERR_SSL_TIMEOUT. */
    mbedtls_ssl_conf_handshake_timeout(&s->conf, o->hs_timeout_min, o->hs_timeout_max);
    /* On by default, but it is why a duplicated datagram does no harm: a
     * record whose sequence number was already seen is dropped. */
    mbedtls_ssl_conf_dtls_anti_replay(&s->conf, MBEDTLS_SSL_ANTI_REPLAY_ENABLED);
    if (o->cid) {
#if COMPAT_HAVE_DTLS_CID
        /* The length of the connection IDs we ask peers to put in their records. */
        int ret = mbedtls_ssl_conf_cid(&s->conf, DTLS_CID_LEN, MBEDTLS_SSL_UNEXPECTED_CID_IGNORE);

        if (ret != 0) {
            narrate_failed();
            report_mbedtls_error("config", "mbedtls_ssl_conf_cid", ret);
            return WS_EXIT_SETUP;
        }
#else
        narrate_failed();
        report_error("config",
                     "--cid needs an mbedTLS 3.x built with MBEDTLS_SSL_DTLS_CONNECTION_ID (RFC 9146)");
        return WS_EXIT_UNSUPPORTED;
#endif
    }
    narrate_ok("first wait %u ms, doubled up to %u ms; replayed records dropped%s", o->hs_timeout_min,
               o->hs_timeout_max, o->cid ? "; connection IDs of " DTLS_CID_LEN_TEXT " bytes" : "");
    return WS_EXIT_OK;
}
/* [dtls-config] */

/* [dtls-attach] */
int stage_dtls_set_cid(mbedtls_ssl_context *ssl, const struct options *o, const unsigned char *cid)
{
#if COMPAT_HAVE_DTLS_CID
    /* Our connection ID: once the handshake has agreed on them, the peer
     * puts it in every record it sends us, so that it finds us by it rather
     * than by our address. */
    int ret = mbedtls_ssl_set_cid(ssl, o->cid ? MBEDTLS_SSL_CID_ENABLED : MBEDTLS_SSL_CID_DISABLED, cid,
                                  DTLS_CID_LEN);

    if (ret != 0) {
        report_mbedtls_error("connect", "mbedtls_ssl_set_cid", ret);
        return WS_EXIT_SETUP;
    }
#else
    (void) ssl, (void) o, (void) cid; /* stage_dtls_config() refused --cid */
#endif
    return WS_EXIT_OK;
}

int stage_dtls_attach(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf, const struct options *o,
                      struct dtls_watch *w, const char *servername, const unsigned char *cid)
{
    int ret = stage_attach_bio(ssl, conf, servername, w, dtls_watch_send, NULL, dtls_watch_recv_timeout);

    if (ret != WS_EXIT_OK)
        return ret;
    /* The clock of the retransmissions (15_dtls_watch.c passes each call on
     * to mbedtls_timing_set_delay()/get_delay() and says when it fires). */
    mbedtls_ssl_set_timer_cb(ssl, w, dtls_watch_set_delay, dtls_watch_get_delay);
    w->give_up_ms = o->hs_timeout_max;
    /* No datagram larger than this: handshake messages become fragments. */
    if (o->mtu != 0)
        mbedtls_ssl_set_mtu(ssl, (uint16_t) o->mtu);
    return stage_dtls_set_cid(ssl, o, cid);
}
/* [dtls-attach] */
