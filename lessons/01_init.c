/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 01_init.c
 * @brief Lesson 01: create every mbedTLS context and seed the random generator.
 *
 * What you will learn:
 * - every mbedTLS object is a plain struct that must be `*_init()`ed before
 *   anything else touches it, and `*_free()`d at the end (lesson 07);
 * - why initialising *all* of them first makes cleanup safe from any point;
 * - TLS needs good randomness: an entropy source feeds a CTR_DRBG generator;
 * - mbedTLS 3.x needs psa_crypto_init() before TLS 1.3 can work.
 *
 * Run it: `lessons/01_init`
 */
#include <string.h>

#include "stages.h"

/* [init] */
int stage_init(struct tls_session *s)
{
    /* A fixed, program-specific string mixed into the seed: it makes two
     * different programs on the same machine diverge even if the OS gave them
     * the same entropy. It is not a secret. */
    static const unsigned char personalization[] = "mbedtls-workshop";
    int ret;

    memset(s, 0, sizeof(*s));
    /* [init-contexts] */
    /* Put every context into a known, empty state first. After this, each
     * *_free() is safe to call, whichever later step fails. */
    mbedtls_entropy_init(&s->entropy);
    mbedtls_ctr_drbg_init(&s->ctr_drbg);
    /* A library built without certificates (pre-shared keys only) or without
     * sockets (a microcontroller: mcu/) lacks these modules, and their
     * contexts. */
#if defined(MBEDTLS_X509_CRT_PARSE_C)
    mbedtls_x509_crt_init(&s->ca_chain);
    mbedtls_x509_crt_init(&s->own_cert);
    mbedtls_pk_init(&s->own_key);
#endif
#if defined(MBEDTLS_X509_CRL_PARSE_C)
    mbedtls_x509_crl_init(&s->crl);
#endif
    mbedtls_ssl_config_init(&s->conf);
#if defined(MBEDTLS_NET_C)
    mbedtls_net_init(&s->net);
#endif
    mbedtls_ssl_init(&s->ssl);
    /* [init-contexts] */

    /* [init-psa] */
    narrate_begin("Starting the PSA crypto core");
    ret = compat_psa_init();
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("init", "psa_crypto_init", ret);
        return WS_EXIT_SETUP;
    }
    narrate_ok(COMPAT_HAVE_TLS13 ? "needed for TLS 1.3" : "this mbedTLS build does not need it");
    /* [init-psa] */

    /* [init-seed] */
    narrate_begin("Seeding the random number generator");
    ret = mbedtls_ctr_drbg_seed(&s->ctr_drbg, mbedtls_entropy_func, &s->entropy, personalization,
                                sizeof(personalization) - 1);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("init", "mbedtls_ctr_drbg_seed", ret);
        return WS_EXIT_SETUP;
    }
    narrate_ok("CTR_DRBG seeded from the system's entropy sources");
    /* [init-seed] */
    return WS_EXIT_OK;
}
/* [init] */

#if !defined(LESSON_LIBRARY)
int main(int argc, char **argv)
{
    return lesson_main(argc, argv, STAGE_INIT,
                       "Lesson 01: initialise every mbedTLS context and seed the random generator.");
}
#endif
