/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 01_init.c
 * @brief Lesson 01: create every mbedTLS context and seed the random generator.
 *
 * What you will learn:
 * - every mbedTLS object is a plain struct that must be `*_init()`ed before
 *   anything else touches it, and `*_free()`d at the end (lesson 07);
 * - why initialising *all* of them first makes cleanup safe from any point;
 * - mbedTLS 3.x needs psa_crypto_init() before TLS 1.3 can work;
 * - TLS needs good randomness. The modern way (mbedTLS 4.x) is the PSA
 *   generator: psa_crypto_init() seeds it and psa_generate_random() draws
 *   from it. Code written for 2.28 and 3.6 still owns a generator of its
 *   own: an entropy source feeding a CTR_DRBG. compat_rng_seed() (compat.h)
 *   does whichever the library has.
 *
 * Run it: `lessons/01_init`
 */
#include <string.h>

#include "stages.h"

/* [init] */
int stage_init(struct tls_endpoint *s)
{
    /* A fixed, program-specific string mixed into the CTR_DRBG's seed: it
     * makes two different programs on the same machine diverge even if the
     * OS gave them the same entropy. It is not a secret. (4.x's PSA
     * generator takes none.) */
    static const unsigned char personalization[] = "mbedtls-workshop";
    int ret;

    memset(s, 0, sizeof(*s));
    /* [init-contexts] */
    /* Put every context into a known, empty state first. After this, each
     * *_free() is safe to call, whichever later step fails. */
    compat_rng_init(&s->rng); /* 2.28/3.6: mbedtls_entropy_init(), mbedtls_ctr_drbg_init() */
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
    narrate_ok(COMPAT_PSA_PURPOSE);
    /* [init-psa] */

    /* [init-seed] */
    /* 2.28/3.6: mbedtls_ctr_drbg_seed() from the entropy source. 4.x: PSA's
     * own generator, already seeded by psa_crypto_init(), draws a first
     * block with psa_generate_random(). */
    narrate_begin("Seeding the random number generator");
    ret = compat_rng_seed(&s->rng, personalization, sizeof(personalization) - 1);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("init", COMPAT_RNG_SEED_FUNCTION, ret);
        return WS_EXIT_SETUP;
    }
    narrate_ok(COMPAT_RNG_DESCRIPTION);
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
