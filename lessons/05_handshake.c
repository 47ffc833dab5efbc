/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 05_handshake.c
 * @brief Lesson 05: the TLS handshake, and checking who is on the other end.
 *
 * What you will learn:
 * - mbedtls_ssl_handshake() runs the whole exchange: hellos, certificates,
 *   key exchange, Finished messages;
 * - it may return MBEDTLS_ERR_SSL_WANT_READ / WANT_WRITE, which only mean
 *   "call me again" (non-blocking sockets; TLS 1.3 tickets in 3.x);
 * - with verification required, a bad certificate fails the handshake with
 *   MBEDTLS_ERR_X509_CERT_VERIFY_FAILED and mbedtls_ssl_get_verify_result()
 *   says why;
 * - what was negotiated: mbedtls_ssl_get_version(), mbedtls_ssl_get_ciphersuite().
 *
 * Run it: start the server (`lessons/08_server &`), then `lessons/05_handshake`
 */
#include <stdio.h>

#include "explain.h"
#include "stages.h"

/* [handshake] */
int stage_handshake_ret(mbedtls_ssl_context *ssl, int *mbedtls_ret)
{
    int ret;

    narrate_begin("Performing the TLS handshake");
    /* [handshake-loop] */
    do {
        ret = mbedtls_ssl_handshake(ssl);
    } while (ret != 0 && compat_ssl_should_retry(ret));
    /* [handshake-loop] */
    *mbedtls_ret = ret;
    return stage_handshake_outcome(ssl, ret);
}

/* What the handshake's result means, and whom we are talking to. A
 * non-blocking program (lesson 13) drives the handshake itself and calls
 * only this part. */
int stage_handshake_outcome(mbedtls_ssl_context *ssl, int ret)
{
    uint32_t flags;

    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("handshake", "mbedtls_ssl_handshake", ret);
        /* [handshake-verify-failed] */
        /* A bad certificate chain fails with MBEDTLS_ERR_X509_CERT_VERIFY_FAILED;
         * a certificate meant for another purpose (extendedKeyUsage) fails a
         * check of the TLS layer instead. Either way the flags say why. */
        flags = mbedtls_ssl_get_verify_result(ssl);
        if ((ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || ret == COMPAT_ERR_SSL_BAD_CERTIFICATE) &&
            flags != 0 && flags != (uint32_t) -1)
            report_verify_flags("handshake", flags);
        /* [handshake-verify-failed] */
        /* What the code usually means in practice (lesson 09 explains more). */
        if (explain_error(ret) != NULL)
            report_error("handshake", "meaning: %s", explain_error(ret));
        return WS_EXIT_HANDSHAKE;
    }
    narrate_ok("%s, %s", mbedtls_ssl_get_version(ssl), mbedtls_ssl_get_ciphersuite(ssl));

    /* [handshake-peer] */
    /* With MBEDTLS_SSL_VERIFY_REQUIRED a bad certificate has already failed
     * the handshake above; this shows whom we are talking to. */
    narrate_begin("Checking the peer's certificate");
    flags = mbedtls_ssl_get_verify_result(ssl);
#if defined(MBEDTLS_SSL_KEEP_PEER_CERTIFICATE)
    {
        const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(ssl);
        char subject[256], issuer[256];

        if (peer == NULL) {
            narrate_ok("none was sent: none was asked for, or a pre-shared key took its place");
            return WS_EXIT_OK;
        }
        if (mbedtls_x509_dn_gets(subject, sizeof(subject), &peer->subject) < 0)
            snprintf(subject, sizeof(subject), "(unprintable subject)");
        if (mbedtls_x509_dn_gets(issuer, sizeof(issuer), &peer->issuer) < 0)
            snprintf(issuer, sizeof(issuer), "(unprintable issuer)");
        narrate_ok("%s, issued by %s, %s", subject, issuer, flags == 0 ? "verified" : "NOT verified");
    }
#else
    narrate_ok(flags == 0 ? "verified" : "not verified");
#endif
    /* [handshake-peer] */
    return WS_EXIT_OK;
}
/* [handshake] */

int stage_handshake(mbedtls_ssl_context *ssl)
{
    int mbedtls_ret;

    return stage_handshake_ret(ssl, &mbedtls_ret);
}

#if !defined(LESSON_LIBRARY)
int main(int argc, char **argv)
{
    return lesson_main(argc, argv, STAGE_HANDSHAKE,
                       "Lesson 05: perform the TLS handshake and check the server's certificate.");
}
#endif
