/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 16_dtls_server_peer.c
 * @brief What a DTLS server's peer needs besides its TLS: the debug taps, whether connection IDs
 *        were agreed, and freeing the contexts.
 *
 * The per-peer extras of lesson 16 (16_dtls_server.c): `--keylog` and `--trace` put in front of the
 * peer's watch (lesson 09's taps, as the lesson server does per connection) and taken off when its
 * session ends, the question whether the handshake agreed on connection IDs (for the narration),
 * and freeing every slot's TLS context at exit. Kept apart so that the lesson shows the cookie, the
 * handshake and the requests without them.
 */
#include <stdio.h>
#include <string.h>

#include "16_dtls_server.h"

void peer_add_debug_taps(struct peer *p, struct tls_endpoint *s, const struct options *o)
{
    if (s->keylog.file != NULL)
        compat_ssl_key_export(&p->ssl, &s->keylog.export);
    if (o->trace) {
        char prefix[80];

        snprintf(prefix, sizeof(prefix), "[%s] ", p->name);
        if (trace_bio_init(&p->tap, &p->watch, dtls_watch_send, dtls_watch_recv_timeout, 1, stdout, prefix) ==
            0) {
            (void) trace_bio_set_datagram(&p->tap, o->cid ? DTLS_CID_LEN : 0); /* else: undecoded */
            mbedtls_ssl_set_bio(&p->ssl, &p->tap, trace_bio_send, NULL, trace_bio_recv_timeout);
        }
    }
}

void peer_end(void *ctx, struct peer *p)
{
    (void) ctx;
    trace_bio_free(&p->tap);
    memset(&p->tap, 0, sizeof(p->tap));
    if (p->ssl_ready) /* the tap is gone: point mbedTLS back at the watch */
        mbedtls_ssl_set_bio(&p->ssl, &p->watch, dtls_watch_send, NULL, dtls_watch_recv_timeout);
}

/* Did the handshake agree on connection IDs? (Only --cid offers them.) */
int peer_uses_cid(struct peer *p)
{
#if COMPAT_HAVE_DTLS_CID
    unsigned char peer_cid[MBEDTLS_SSL_CID_OUT_LEN_MAX];
    size_t len = 0;
    int enabled = 0;

    return mbedtls_ssl_get_peer_cid(&p->ssl, &enabled, peer_cid, &len) == 0 &&
           enabled == MBEDTLS_SSL_CID_ENABLED;
#else
    (void) p;
    return 0;
#endif
}

void demux_free_peers(struct demux *d)
{
    for (int i = 0; i < DEMUX_MAX_PEERS; i++)
        if (d->peers[i].ssl_ready)
            mbedtls_ssl_free(&d->peers[i].ssl);
}
