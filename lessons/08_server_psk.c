/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server_psk.c
 * @brief Pre-shared keys for the lesson server (`--psk-file`): the key file, and the callback that
 *        picks a client's key by the identity it sends.
 *
 * Read it after 08_server.c; lesson 11 is the client side. With a pre-shared key (PSK) there is
 * no certificate: both ends already hold the same secret, and the client names it with an
 * identity, sent in the clear in its ClientKeyExchange (TLS 1.2) or pre_shared_key extension
 * (TLS 1.3). mbedtls_ssl_conf_psk() would give the server one key for every client; a callback
 * (mbedtls_ssl_conf_psk_cb()) lets it look up each client's own key instead, so one stolen
 * device reveals one key. The server keeps its certificate: clients that offer no PSK still
 * get the certificate handshake.
 */
#include <stdio.h>
#include <string.h>

#include "08_server.h"

/* The identity the callback accepted on this thread's connection, so that
 * a failure after it can be named. A pool thread serves one connection at a
 * time, and mbedTLS calls the callback on the thread running the handshake. */
static _Thread_local const struct psk_entry *accepted;

/* [server-psk-callback] */
/* mbedTLS calls this during the handshake with the identity the client sent
 * (any bytes: it comes from the network). Returning 0 after
 * mbedtls_ssl_set_hs_psk() accepts it; anything else refuses the client,
 * which gets the unknown_psk_identity alert in TLS 1.2. In TLS 1.3 the
 * server just ignores an identity it does not know and goes on without a
 * key: a client that also allows a certificate gets one; a client that
 * allows only its key gets an alert (mbedTLS sends missing_extension: for a
 * certificate it would need the client's signature_algorithms). */
static int psk_callback(void *p_psk, mbedtls_ssl_context *ssl, const unsigned char *identity, size_t len)
{
    const struct server_psk *psk = p_psk;
    const struct psk_entry *entry = psk_keys_find(&psk->keys, identity, len);
    char shown[PSK_MAX_IDENTITY + 8];
    int ret;

    psk_identity_printable(identity, len, shown, sizeof(shown));
    if (entry == NULL) {
        if (strcmp(mbedtls_ssl_get_version(ssl), "TLSv1.3") == 0)
            narrate_info("psk: unknown identity '%s': %s has no key for it; TLS 1.3 ignores it, so the "
                         "handshake goes on without a pre-shared key",
                         shown, psk->file);
        else
            report_error("psk", "unknown identity '%s': %s has no key for it, refusing the client", shown,
                         psk->file);
        return -1;
    }
    ret = mbedtls_ssl_set_hs_psk(ssl, entry->key, entry->key_len);
    if (ret != 0) {
        report_mbedtls_error("psk", "mbedtls_ssl_set_hs_psk", ret);
        return -1;
    }
    accepted = entry;
    narrate_info("psk: identity '%s' is in %s: using its %zu-byte key", shown, psk->file, entry->key_len);
    return 0;
}
/* [server-psk-callback] */

/* [server-psk-setup] */
int psk_setup(struct server_psk *psk, mbedtls_ssl_config *conf)
{
    char why[400];

    if (psk->file == NULL)
        return WS_EXIT_OK; /* certificates only */
    narrate_begin("Loading pre-shared keys from %s", psk->file);
    if (psk_keys_load(&psk->keys, psk->file, why, sizeof(why)) != 0) {
        narrate_failed();
        report_error("psk", "%s", why);
        return WS_EXIT_SETUP;
    }
    /* Every connection asks the callback; the keys stay with the server. */
    mbedtls_ssl_conf_psk_cb(conf, psk_callback, psk);
    narrate_ok("%zu identit%s, first %s", psk->keys.count, psk->keys.count == 1 ? "y" : "ies",
               psk->keys.entry[0].identity);
    return WS_EXIT_OK;
}
/* [server-psk-setup] */

void psk_connection_start(void)
{
    accepted = NULL;
}

void psk_explain_failure(const struct server_psk *psk, int ret)
{
    /* A key that differs on the two sides shows only as a failed check of
     * the client's first message protected with it: its Finished (TLS 1.2:
     * a bad MAC) or the PSK binder (TLS 1.3: a decrypt_error). The identity
     * matched, so the key did not. */
    if (accepted != NULL && (ret == MBEDTLS_ERR_SSL_INVALID_MAC || ret == COMPAT_ERR_SSL_PSK_BINDER))
        report_error("psk", "identity '%s' is known, but the client's key is not the one in %s",
                     accepted->identity, psk->file);
    accepted = NULL;
}

void psk_free(struct server_psk *psk)
{
    psk_keys_wipe(&psk->keys);
}
