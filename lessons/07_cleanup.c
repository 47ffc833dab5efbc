/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 07_cleanup.c
 * @brief Lesson 07: end the connection properly and free everything.
 *
 * What you will learn:
 * - mbedtls_ssl_close_notify() sends the close_notify alert, so the peer
 *   can tell a finished conversation from a cut connection;
 * - every `*_init()` from lesson 01 has a `*_free()`; free in reverse order
 *   of creation: the TLS context before the config it points to, the config
 *   before the certificates and keys it points to, the DRBG before the
 *   entropy source it draws from (2.28 and 3.6; 4.x has neither);
 * - because lesson 01 initialised everything first, this cleanup is safe
 *   whichever stage failed. Every earlier lesson ends by calling it.
 *
 * Run it: start the server (`lessons/08_server &`), then `lessons/07_cleanup`;
 * `valgrind --leak-check=full lessons/07_cleanup` shows nothing is left.
 */
#include "stages.h"

/* [close-notify] */
int stage_close_notify(mbedtls_ssl_context *ssl)
{
    int ret;

    narrate_begin("Sending close_notify");
    do {
        ret = mbedtls_ssl_close_notify(ssl);
    } while (ret != 0 && compat_ssl_should_retry(ret));
    if (ret == MBEDTLS_ERR_NET_CONN_RESET || ret == MBEDTLS_ERR_NET_SEND_FAILED) {
        /* The peer said goodbye first and has already closed its socket. */
        narrate_ok("the peer had already closed the connection");
        return WS_EXIT_OK;
    }
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("cleanup", "mbedtls_ssl_close_notify", ret);
        return WS_EXIT_IO;
    }
    narrate_ok(NULL);
    return WS_EXIT_OK;
}
/* [close-notify] */

/* [cleanup] */
void stage_cleanup(struct tls_endpoint *s)
{
    narrate_begin("Freeing every context, in reverse order of creation");
    mbedtls_ssl_free(&s->ssl);
    trace_bio_free(&s->trace); /* the --trace tap, if any (lesson 09) */
#if defined(MBEDTLS_NET_C)
    mbedtls_net_free(&s->net); /* closes the socket */
#endif
    mbedtls_ssl_config_free(&s->conf);
    keylog_close(&s->keylog); /* the --keylog file, if any (lesson 09) */
    if (s->debug_open)
        debug_sink_close(&s->debug);
#if defined(MBEDTLS_X509_CRT_PARSE_C) /* what lesson 01 initialised in this build */
    mbedtls_pk_free(&s->own_key);
    mbedtls_x509_crt_free(&s->own_cert);
#endif
#if defined(MBEDTLS_X509_CRL_PARSE_C)
    mbedtls_x509_crl_free(&s->crl);
#endif
#if defined(MBEDTLS_X509_CRT_PARSE_C)
    mbedtls_x509_crt_free(&s->ca_chain);
#endif
    compat_rng_free(&s->rng); /* 2.28/3.6: the DRBG, then its entropy source */
    compat_psa_free();
    narrate_ok(NULL);
}
/* [cleanup] */

#if !defined(LESSON_LIBRARY)
int main(int argc, char **argv)
{
    return lesson_main(argc, argv, STAGE_CLEANUP,
                       "Lesson 07: the whole client, ending with close_notify and a full cleanup.");
}
#endif
