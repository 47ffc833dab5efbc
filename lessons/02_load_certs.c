/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 02_load_certs.c
 * @brief Lesson 02: load the certificates we trust, and our own certificate and key.
 *
 * What you will learn:
 * - a client trusts a server because its certificate chains up to a CA the
 *   client already has (`--ca`, a PEM file): mbedtls_x509_crt_parse_file();
 * - a certificate revocation list (CRL) marks certificates as withdrawn;
 * - an endpoint that proves its own identity (every server, and a client
 *   when the server asks) needs a certificate chain *and* the matching
 *   private key: mbedtls_pk_parse_keyfile(), checked with mbedtls_pk_check_pair();
 * - a PEM file can hold several certificates; they become a linked list.
 *
 * Run it: `lessons/02_load_certs`, or with a client certificate:
 * `lessons/02_load_certs --cert certs/client-chain.pem --key certs/client.key`
 */
#include <stdio.h>

#include "stages.h"

#if defined(MBEDTLS_X509_CRT_PARSE_C) && defined(MBEDTLS_FS_IO)
/* Describe a certificate list for the narration: "2 certificates, first CN=..." */
static void describe_chain(const mbedtls_x509_crt *crt, char *out, size_t len)
{
    char subject[256] = "";
    int count = 0;

    for (const mbedtls_x509_crt *c = crt; c != NULL && c->raw.len > 0; c = c->next)
        count++;
    if (mbedtls_x509_dn_gets(subject, sizeof(subject), &crt->subject) < 0)
        snprintf(subject, sizeof(subject), "(unprintable subject)");
    snprintf(out, len, "%d certificate%s, first: %s, valid until %04d-%02d-%02d", count,
             count == 1 ? "" : "s", subject, crt->valid_to.year, crt->valid_to.mon, crt->valid_to.day);
}

/* [load-chain] */
/* Parse every certificate in a PEM file into a chain, and narrate it. */
static int load_chain(mbedtls_x509_crt *chain, const char *path, const char *what)
{
    char about[512];
    int ret;

    narrate_begin("Loading %s from %s", what, path);
    ret = mbedtls_x509_crt_parse_file(chain, path);
    if (ret != 0) {
        narrate_failed();
        /* A positive value counts certificates in the file that failed to
         * parse; the others were loaded, but a half-read file is an error. */
        if (ret > 0)
            report_error("load-certs",
                         "mbedtls_x509_crt_parse_file failed: %d certificate(s) in %s "
                         "could not be parsed",
                         ret, path);
        else
            report_mbedtls_error("load-certs", "mbedtls_x509_crt_parse_file", ret);
        return WS_EXIT_SETUP;
    }
    describe_chain(chain, about, sizeof(about));
    narrate_ok("%s", about);
    return WS_EXIT_OK;
}
/* [load-chain] */

int stage_load_certs(struct tls_endpoint *s, const struct options *o)
{
    int ret;

    /* [load-ca] */
    ret = load_chain(&s->ca_chain, o->ca_file, "trusted CA certificates");
    if (ret != WS_EXIT_OK)
        return ret;
    /* [load-ca] */

    /* [load-crl] */
    if (o->crl_file != NULL) {
#if defined(MBEDTLS_X509_CRL_PARSE_C)
        narrate_begin("Loading the certificate revocation list from %s", o->crl_file);
        ret = mbedtls_x509_crl_parse_file(&s->crl, o->crl_file);
        if (ret != 0) {
            narrate_failed();
            report_mbedtls_error("load-certs", "mbedtls_x509_crl_parse_file", ret);
            return WS_EXIT_SETUP;
        }
        s->have_crl = 1;
        narrate_ok(NULL);
#else
        report_error("load-certs", "--crl needs an mbedTLS built with MBEDTLS_X509_CRL_PARSE_C");
        return WS_EXIT_UNSUPPORTED;
#endif
    }
    /* [load-crl] */

    if (o->cert_file == NULL)
        return WS_EXIT_OK; /* a client without a certificate of its own */

    /* [load-own] */
    ret = load_chain(&s->own_cert, o->cert_file, "our certificate chain");
    if (ret != WS_EXIT_OK)
        return ret;

    narrate_begin("Loading our private key from %s", o->key_file);
    ret = compat_pk_parse_keyfile(&s->own_key, o->key_file, &s->rng);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("load-certs", "mbedtls_pk_parse_keyfile", ret);
        return WS_EXIT_SETUP;
    }
    narrate_ok("%s key, %u bits", compat_pk_name(&s->own_key), (unsigned) mbedtls_pk_get_bitlen(&s->own_key));

    /* A key that does not belong to the certificate would only fail later,
     * during a handshake, with a far less helpful error. */
    narrate_begin("Checking that the key matches the certificate");
    ret = compat_pk_check_pair(&s->own_cert.pk, &s->own_key, &s->rng);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("load-certs", "mbedtls_pk_check_pair", ret);
        return WS_EXIT_SETUP;
    }
    narrate_ok(NULL);
    /* [load-own] */
    return WS_EXIT_OK;
}
#else
/* A library built for pre-shared keys only (such as the microcontroller
 * lab's PSK profiles, mcu/profiles/) has no certificates to load. */
int stage_load_certs(struct tls_endpoint *s, const struct options *o)
{
    (void) s;
    (void) o;
    report_error("load-certs", "this mbedTLS cannot load certificate files (it was built without "
                               "MBEDTLS_X509_CRT_PARSE_C or MBEDTLS_FS_IO)");
    return WS_EXIT_UNSUPPORTED;
}
#endif

#if !defined(LESSON_LIBRARY)
int main(int argc, char **argv)
{
    return lesson_main(argc, argv, STAGE_LOAD_CERTS,
                       "Lesson 02: load trusted CA certificates, and our own certificate and key.");
}
#endif
