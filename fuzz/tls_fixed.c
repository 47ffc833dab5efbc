/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_fixed.c
 * @brief The fixed clock and fixed randomness of the TLS fuzz targets (see tls_fixed.h).
 */
#include "tls_fixed.h"

#include <string.h>

#include <mbedtls/platform_time.h>

#include "compat.h"
#if COMPAT_HAVE_LEGACY_CRYPTO
#include <mbedtls/entropy.h> /* private in 4.x */
#endif

/* The C library's time(), replaced for the whole program: mbedTLS calls time() (its
 * mbedtls_time() is time() unless the library was built with MBEDTLS_PLATFORM_TIME_ALT, which
 * Debian's is not), and a definition in the program comes before the C library's. */
time_t time(time_t *t)
{
    if (t != NULL)
        *t = TLS_FIXED_TIME;
    return TLS_FIXED_TIME;
}

#if MBEDTLS_VERSION_NUMBER >= 0x03050000 && defined(MBEDTLS_HAVE_TIME) &&                                    \
    !defined(MBEDTLS_PLATFORM_MS_TIME_ALT)
/* mbedTLS 3.x measures TLS 1.3 ticket ages in milliseconds with its own mbedtls_ms_time(), and
 * the client sends the age in its ClientHello: fixed too, so that a resumption replays. The
 * library's function is in libmbedcrypto and called from libmbedtls, so the program's definition
 * comes first; it is weak, so that with static libraries the library's own wins instead of the
 * link failing (ticket ages then follow the real clock). */
__attribute__((weak)) mbedtls_ms_time_t mbedtls_ms_time(void)
{
    return (mbedtls_ms_time_t) TLS_FIXED_TIME * 1000;
}
#endif

#if COMPAT_HAVE_LEGACY_CRYPTO
/* The "entropy": the same bytes every time (2.28 and 3.x: 4.x has nothing to feed them to). */
static int fixed_bytes(void *ctx, unsigned char *out, size_t len)
{
    (void) ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = (unsigned char) (i * 7 + 1);
    return 0;
}
#endif

int tls_fixed_reseed(struct compat_rng *rng, const char *who)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    /* Free and start again rather than seeding twice: stage 01 already seeded it. */
    mbedtls_ctr_drbg_free(&rng->ctr_drbg);
    mbedtls_ctr_drbg_init(&rng->ctr_drbg);
    return mbedtls_ctr_drbg_seed(&rng->ctr_drbg, fixed_bytes, NULL, (const unsigned char *) who, strlen(who));
#else
    /* 4.x has no CTR_DRBG of ours: PSA's generator is the only one (tls_fixed_psa_entropy()). */
    (void) rng;
    (void) who;
    return 0;
#endif
}

/* 3.x only: 4.x's entropy context is private (its library still exports the function, but no
 * public header declares the context it takes), so 4.x's PSA generator stays random. */
#if defined(COMPAT_HAVE_PSA) && !defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG) &&                                 \
    MBEDTLS_VERSION_NUMBER >= 0x03000000 && COMPAT_HAVE_LEGACY_CRYPTO
/* Not in mbedTLS's public headers (library/psa_crypto_invasive.h, "for testing"), but exported
 * by the library: which entropy sources PSA's generator seeds from. mbedTLS's own PSA tests use
 * it the same way. */
psa_status_t mbedtls_psa_crypto_configure_entropy_sources(void (*entropy_init)(mbedtls_entropy_context *ctx),
                                                          void (*entropy_free)(mbedtls_entropy_context *ctx));

/* An entropy source with the mbedtls_entropy_add_source() signature. */
static int fixed_source(void *ctx, unsigned char *out, size_t len, size_t *olen)
{
    *olen = len;
    return fixed_bytes(ctx, out, len);
}

/* An entropy context whose only source is the constant one: drop the system's sources that
 * mbedtls_entropy_init() added (a private field: only a test may touch it). */
static void fixed_entropy_init(mbedtls_entropy_context *ctx)
{
    mbedtls_entropy_init(ctx);
    ctx->MBEDTLS_PRIVATE(source_count) = 0;
    mbedtls_entropy_add_source(ctx, fixed_source, NULL, MBEDTLS_ENTROPY_BLOCK_SIZE,
                               MBEDTLS_ENTROPY_SOURCE_STRONG);
}

int tls_fixed_psa_entropy(void)
{
    return mbedtls_psa_crypto_configure_entropy_sources(fixed_entropy_init, mbedtls_entropy_free) ==
                   PSA_SUCCESS
               ? 0
               : -1;
}
#elif defined(COMPAT_HAVE_PSA)
int tls_fixed_psa_entropy(void)
{
    return -1;
}
#else
int tls_fixed_psa_entropy(void)
{
    return 0; /* no PSA: nothing draws from it */
}
#endif

int tls_fixed_ignore_clock(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    (void) ctx, (void) crt, (void) depth;
    *flags &= ~(uint32_t) (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE |
                           MBEDTLS_X509_BADCRL_EXPIRED | MBEDTLS_X509_BADCRL_FUTURE);
    return 0;
}
