/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file compat.h
 * @brief Every difference between mbedTLS 2.28, 3.6 and 4.x that the
 *        workshop touches, in one place.
 *
 * The lessons call these `compat_*` names instead of sprinkling `#if` over
 * the code. Each entry says what changed and why; the docs page
 * "mbedTLS 2.28 → 3.6 → 4.x" explains the same list for readers.
 *
 * mbedTLS 4.x (tested with 4.0.0 and TF-PSA-Crypto 1.0.0) moved the crypto
 * into TF-PSA-Crypto: entropy, CTR_DRBG, cipher, ECP and bignum became
 * private headers (`mbedtls/private/`), the PSA API is the public one. Never
 * include those private headers: with the library's include directory
 * before `/usr/include`, `<mbedtls/ctr_drbg.h>` would silently resolve to
 * the system's 2.28 copy. The 4.x entries below are marked "4.x". What 4.x
 * changes outside this header:
 * - libraries: libmbedtls, libmbedx509 and libtfpsacrypto (its
 *   libmbedcrypto is a copy); m4/ws_mbedtls.m4 and m4/ws_bench.m4 link those;
 * - headers: its pk.h trips -Wundef (MBEDTLS_ECDSA_MAX_LEN), so configure
 *   passes the library's include directory with -isystem;
 * - errors: functions return `PSA_ERROR_*` codes (-0x0080 to -0x00FF), and
 *   some mbedTLS codes became PSA ones (MBEDTLS_ERR_SSL_BAD_INPUT_DATA is
 *   PSA_ERROR_INVALID_ARGUMENT, -0x0087); mbedtls_strerror() names neither,
 *   nor pk, pem or asn1 errors: error_text() (common/report.c) does;
 * - options: the crypto ones (MBEDTLS_THREADING_C among them) live in
 *   `psa/crypto_config.h`, which build_info.h includes: test them with
 *   `#if defined(...)` after it; mbedtls_version_check_feature() does not
 *   know them;
 * - a TLS 1.2 server logs two notes at debug level 1 in a good handshake;
 * - the bench times AEAD and ECDHE through PSA (bench/tls_bench.c) and
 *   verifies RSA signatures with the certificate's public key: 4.0 refuses
 *   mbedtls_pk_verify() on an RSA private key context.
 */
#ifndef WORKSHOP_COMPAT_H
#define WORKSHOP_COMPAT_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/version.h>
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#include <mbedtls/build_info.h>
#else
#include <mbedtls/config.h>
#endif
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#if defined(MBEDTLS_SSL_TICKET_C)
#include <mbedtls/ssl_ticket.h>
#endif

/**
 * @brief 1 when the legacy crypto API (entropy, CTR_DRBG, cipher, ECP,
 *        bignum) is public: 2.28 and 3.6. 0 on 4.x, where PSA replaces it.
 */
#if MBEDTLS_VERSION_NUMBER >= 0x04000000
#define COMPAT_HAVE_LEGACY_CRYPTO 0
#include <mbedtls/psa_util.h>
#include <psa/crypto.h>
#else
#define COMPAT_HAVE_LEGACY_CRYPTO 1
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#endif
/* PSA: always in Debian's 3.6 and in 4.x, only on request in 2.28; a 3.6
 * built for a microcontroller may leave it out (TLS 1.2 does not need it). */
#if (defined(MBEDTLS_PSA_CRYPTO_C) || !COMPAT_HAVE_LEGACY_CRYPTO) &&                                         \
    (defined(MBEDTLS_USE_PSA_CRYPTO) || defined(MBEDTLS_SSL_PROTO_TLS1_3) ||                                 \
     MBEDTLS_VERSION_NUMBER >= 0x03000000)
#include <psa/crypto.h>
#define COMPAT_HAVE_PSA 1
#endif

/** @brief 1 when the library was built with TLS 1.3 (3.6 by default; never in 2.28). */
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
#define COMPAT_HAVE_TLS13 1
#else
#define COMPAT_HAVE_TLS13 0
#endif

/**
 * @brief Start the PSA crypto core.
 *
 * 3.x uses PSA for TLS 1.3 and can use it for everything
 * (`MBEDTLS_USE_PSA_CRYPTO`): psa_crypto_init() must run before the first
 * handshake. 2.28 without PSA has nothing to start. Calling it always is the
 * portable habit.
 * @return 0 on success, or a PSA error code (negative).
 */
static inline int compat_psa_init(void)
{
#if defined(COMPAT_HAVE_PSA)
    return (int) psa_crypto_init();
#else
    return 0;
#endif
}

/** @brief What the PSA core is for in this build, for the narration. */
#if !COMPAT_HAVE_LEGACY_CRYPTO
#define COMPAT_PSA_PURPOSE "all crypto goes through it in 4.x, the random generator too"
#elif COMPAT_HAVE_TLS13
#define COMPAT_PSA_PURPOSE "needed for TLS 1.3"
#else
#define COMPAT_PSA_PURPOSE "this mbedTLS build does not need it"
#endif

/** @brief Release what compat_psa_init() started (no-op without PSA). */
static inline void compat_psa_free(void)
{
#if defined(COMPAT_HAVE_PSA)
    mbedtls_psa_crypto_free();
#endif
}

/**
 * @brief The random generator every stage draws from.
 *
 * 2.28 and 3.6: the application owns it. An entropy context gathers the
 * operating system's randomness and seeds a CTR_DRBG (a deterministic
 * generator built on AES); mbedtls_ssl_conf_rng() and every call that takes
 * `f_rng, p_rng` draw from it through mbedtls_ctr_drbg_random().
 *
 * 4.x: both are private. The PSA crypto core owns the one generator of the
 * process, seeds it in psa_crypto_init() and locks it itself (with
 * MBEDTLS_THREADING_C). Code draws from it with psa_generate_random(), or
 * hands mbedtls_psa_get_random() with `MBEDTLS_PSA_RANDOM_STATE` where an
 * `f_rng` is still wanted; TLS and the pk functions use it without being
 * told, so struct compat_rng holds nothing there.
 */
#if COMPAT_HAVE_LEGACY_CRYPTO
struct compat_rng {
    mbedtls_entropy_context entropy;   /**< gathers unpredictable bits from the OS */
    mbedtls_ctr_drbg_context ctr_drbg; /**< the generator seeded from it */
};
/** @brief The function that compat_rng_seed() calls, for error messages. */
#define COMPAT_RNG_SEED_FUNCTION "mbedtls_ctr_drbg_seed"
/** @brief What compat_rng_seed() set up, for the narration. */
#define COMPAT_RNG_DESCRIPTION "CTR_DRBG seeded from the system's entropy sources"
#else
struct compat_rng {
    int unused; /**< 4.x: PSA keeps the generator's state */
};
/** @brief The function that compat_rng_seed() calls, for error messages. */
#define COMPAT_RNG_SEED_FUNCTION "psa_generate_random"
/** @brief What compat_rng_seed() set up, for the narration. */
#define COMPAT_RNG_DESCRIPTION "PSA's own: seeded by psa_crypto_init(), read with psa_generate_random()"
#endif

/** @brief Put the generator into a known, empty state (safe to free). */
static inline void compat_rng_init(struct compat_rng *rng)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_entropy_init(&rng->entropy);
    mbedtls_ctr_drbg_init(&rng->ctr_drbg);
#else
    rng->unused = 0;
#endif
}

/**
 * @brief Make the generator ready, after compat_psa_init().
 *
 * 2.28/3.6: mbedtls_ctr_drbg_seed() from the entropy context, mixing in
 * @p custom (a program-specific string, not a secret). 4.x: psa_crypto_init()
 * has already seeded PSA's generator and takes no custom string; draw one
 * block with psa_generate_random(), the call 4.x code uses for random bytes.
 * @return 0, or the error of the function named by #COMPAT_RNG_SEED_FUNCTION.
 */
/* [rng-seed] */
static inline int compat_rng_seed(struct compat_rng *rng, const unsigned char *custom, size_t custom_len)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_ctr_drbg_seed(&rng->ctr_drbg, mbedtls_entropy_func, &rng->entropy, custom, custom_len);
#else
    unsigned char first[16];

    (void) rng, (void) custom, (void) custom_len;
    return (int) psa_generate_random(first, sizeof(first));
#endif
}
/* [rng-seed] */

/**
 * @brief An `f_rng` callback: fill @p out with @p len random bytes.
 * @param rng a seeded struct compat_rng (ignored on 4.x).
 * @param out where the bytes go.
 * @param len how many.
 * @return 0 or an mbedTLS error.
 */
static inline int compat_rng_random(void *rng, unsigned char *out, size_t len)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_ctr_drbg_random(&((struct compat_rng *) rng)->ctr_drbg, out, len);
#else
    (void) rng;
    return mbedtls_psa_get_random(MBEDTLS_PSA_RANDOM_STATE, out, len);
#endif
}

/** @brief Free what compat_rng_seed() set up (the DRBG before its entropy source). */
static inline void compat_rng_free(struct compat_rng *rng)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_ctr_drbg_free(&rng->ctr_drbg);
    mbedtls_entropy_free(&rng->entropy);
#else
    (void) rng;
#endif
}

/**
 * @brief Give a TLS configuration its random generator.
 *
 * 2.28/3.6: mbedtls_ssl_conf_rng() is mandatory (a handshake without it
 * fails with MBEDTLS_ERR_SSL_NO_RNG). 4.x removed it: TLS always uses the
 * PSA generator, so this does nothing there.
 */
static inline void compat_conf_rng(mbedtls_ssl_config *conf, int (*f_rng)(void *, unsigned char *, size_t),
                                   void *p_rng)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_ssl_conf_rng(conf, f_rng, p_rng);
#else
    (void) conf, (void) f_rng, (void) p_rng;
#endif
}

/* Keys: only in a library with public-key code (not in a pre-shared-key-only
 * 3.6 build, such as the microcontroller lab's PSK profiles, mcu/profiles/). */
#if !COMPAT_HAVE_LEGACY_CRYPTO || defined(MBEDTLS_PK_C)
#if !COMPAT_HAVE_LEGACY_CRYPTO || (defined(MBEDTLS_PK_PARSE_C) && defined(MBEDTLS_FS_IO))
/**
 * @brief Parse a private key file.
 *
 * 3.6 added an RNG to mbedtls_pk_parse_keyfile() (used as a blinding source
 * for RSA); 2.28 has no such arguments, and 4.x removed them again (the PSA
 * generator is used).
 */
static inline int compat_pk_parse_keyfile(mbedtls_pk_context *pk, const char *path, struct compat_rng *rng)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_pk_parse_keyfile(pk, path, NULL, compat_rng_random, rng);
#else
    (void) rng;
    return mbedtls_pk_parse_keyfile(pk, path, NULL);
#endif
}
#endif /* parse and files */

/** @brief Check that a private key matches a public key (3.6 wants an RNG too; 2.28 and 4.x do not). */
static inline int compat_pk_check_pair(const mbedtls_pk_context *pub, const mbedtls_pk_context *prv,
                                       struct compat_rng *rng)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_pk_check_pair(pub, prv, compat_rng_random, rng);
#else
    (void) rng;
    return mbedtls_pk_check_pair(pub, prv);
#endif
}

/**
 * @brief Sign a hash with a private key (the benchmarks time it alone).
 *
 * 3.x added the size of the signature buffer (@p sig_size); 2.28 assumes
 * it is at least MBEDTLS_PK_SIGNATURE_MAX_SIZE. 4.x dropped the RNG.
 */
static inline int compat_pk_sign(mbedtls_pk_context *pk, mbedtls_md_type_t md, const unsigned char *hash,
                                 size_t hash_len, unsigned char *sig, size_t sig_size, size_t *sig_len,
                                 struct compat_rng *rng)
{
#if !COMPAT_HAVE_LEGACY_CRYPTO
    (void) rng;
    return mbedtls_pk_sign(pk, md, hash, hash_len, sig, sig_size, sig_len);
#elif MBEDTLS_VERSION_NUMBER >= 0x03000000
    return mbedtls_pk_sign(pk, md, hash, hash_len, sig, sig_size, sig_len, compat_rng_random, rng);
#else
    (void) sig_size;
    return mbedtls_pk_sign(pk, md, hash, hash_len, sig, sig_len, compat_rng_random, rng);
#endif
}

/**
 * @brief The kind of key, "RSA" or "EC", for the narration.
 *
 * 4.x made mbedtls_pk_get_name() private: ask which PSA key type the key
 * would have instead.
 */
static inline const char *compat_pk_name(const mbedtls_pk_context *pk)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_pk_get_name(pk);
#else
    psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
    const char *name = "invalid PK";

    if (mbedtls_pk_get_psa_attributes(pk, PSA_KEY_USAGE_SIGN_HASH, &attributes) == 0 ||
        mbedtls_pk_get_psa_attributes(pk, PSA_KEY_USAGE_VERIFY_HASH, &attributes) == 0) {
        psa_key_type_t type = psa_get_key_type(&attributes);

        name = PSA_KEY_TYPE_IS_RSA(type) ? "RSA" : PSA_KEY_TYPE_IS_ECC(type) ? "EC" : "other";
    }
    psa_reset_key_attributes(&attributes);
    return name;
#endif
}
#endif /* public-key code */

#if defined(MBEDTLS_SSL_TICKET_C)
/**
 * @brief Set up the key that seals TLS session tickets (AES-256-GCM).
 *
 * 2.28/3.6 draw the key from @p f_rng and name the cipher with an
 * mbedtls_cipher_type_t; 4.x takes PSA's algorithm, key type and size, and
 * draws the key from the PSA generator.
 * @param ctx      an initialised ticket context.
 * @param f_rng    the random callback (ignored on 4.x).
 * @param p_rng    its context.
 * @param lifetime seconds a ticket stays valid.
 * @return 0 or an mbedTLS (4.x: possibly PSA) error.
 */
static inline int compat_ssl_ticket_setup(mbedtls_ssl_ticket_context *ctx,
                                          int (*f_rng)(void *, unsigned char *, size_t), void *p_rng,
                                          uint32_t lifetime)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_ssl_ticket_setup(ctx, f_rng, p_rng, MBEDTLS_CIPHER_AES_256_GCM, lifetime);
#else
    (void) f_rng, (void) p_rng;
    return mbedtls_ssl_ticket_setup(ctx, PSA_ALG_GCM, PSA_KEY_TYPE_AES, 256, lifetime);
#endif
}
#endif

#if defined(MBEDTLS_SSL_COOKIE_C)
#include <mbedtls/ssl_cookie.h>
/**
 * @brief Set up the key of DTLS HelloVerifyRequest cookies.
 *
 * 2.28/3.6 draw the key from @p f_rng; 4.x from the PSA generator, and takes
 * no random callback.
 * @param ctx   an initialised cookie context.
 * @param f_rng the random callback (ignored on 4.x).
 * @param p_rng its context.
 * @return 0 or an mbedTLS error.
 */
static inline int compat_ssl_cookie_setup(mbedtls_ssl_cookie_ctx *ctx,
                                          int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_ssl_cookie_setup(ctx, f_rng, p_rng);
#else
    (void) f_rng, (void) p_rng;
    return mbedtls_ssl_cookie_setup(ctx);
#endif
}
#endif

/**
 * @brief Refuse anything older than TLS 1.2.
 *
 * 2.28 counts versions as (major 3, minor 3) for TLS 1.2; 3.x names them
 * with mbedtls_ssl_protocol_version. Debian's 2.28 would otherwise accept
 * TLS 1.0.
 */
static inline void compat_conf_min_tls12(mbedtls_ssl_config *conf)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

/** @brief Allow at most TLS 1.2 (to compare 1.2 and 1.3 on a 3.x library). */
static inline void compat_conf_max_tls12(mbedtls_ssl_config *conf)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

#if defined(MBEDTLS_X509_CRT_PARSE_C)
/**
 * @brief Where compat_conf_set_aside_own_cert() keeps a configuration's own
 *        certificate until compat_conf_restore_own_cert() (lesson 09's
 *        no-client-cert mistake: a client that sends none, even with --cert).
 */
struct compat_own_cert_aside {
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_x509_crt *cert;  /**< the chain, given again on restore */
    mbedtls_pk_context *key; /**< its key */
#else
    mbedtls_ssl_key_cert *list; /**< the configuration's list, as it was */
#endif
};

/**
 * @brief Take the own certificate off @p conf: a client then sends an empty
 *        Certificate message when asked for one.
 *
 * 3.x empties the list with mbedtls_ssl_conf_own_cert(conf, NULL, NULL).
 * 2.28 has no call for it (a NULL certificate would be added to the list),
 * so its list, a public field there, is set aside and given back unchanged.
 * @param conf  the configuration.
 * @param cert  the chain it was given (NULL when it has none).
 * @param key   its key.
 * @param aside filled in, for compat_conf_restore_own_cert().
 */
static inline void compat_conf_set_aside_own_cert(mbedtls_ssl_config *conf, mbedtls_x509_crt *cert,
                                                  mbedtls_pk_context *key,
                                                  struct compat_own_cert_aside *aside)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    aside->cert = cert;
    aside->key = key;
    (void) mbedtls_ssl_conf_own_cert(conf, NULL, NULL); /* only frees the list: cannot fail */
#else
    (void) cert, (void) key;
    aside->list = conf->key_cert;
    conf->key_cert = NULL;
#endif
}

/**
 * @brief Give @p conf back the certificate compat_conf_set_aside_own_cert() took.
 * @return 0, or the error of mbedtls_ssl_conf_own_cert() (3.x: out of memory).
 */
static inline int compat_conf_restore_own_cert(mbedtls_ssl_config *conf, struct compat_own_cert_aside *aside)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    return aside->cert != NULL ? mbedtls_ssl_conf_own_cert(conf, aside->cert, aside->key) : 0;
#else
    conf->key_cert = aside->list;
    return 0;
#endif
}
#endif /* MBEDTLS_X509_CRT_PARSE_C */

/**
 * @brief Keep the protocol versions in line with a restricted suite list.
 *
 * TLS 1.3 suites (IANA 0x13xx) work only in TLS 1.3 and every other suite
 * only up to TLS 1.2. mbedTLS 3.6 still offers TLS 1.3 when the list holds
 * no TLS 1.3 suite, and a 3.6 server then picks TLS 1.3 and fails the
 * handshake; so cap the version at TLS 1.2 then, and require TLS 1.3 when
 * the list holds nothing else. 2.28 has no TLS 1.3: nothing to do.
 * @param conf the configuration.
 * @param ids  the list given to mbedtls_ssl_conf_ciphersuites(), 0-terminated.
 */
static inline void compat_conf_versions_for_suites(mbedtls_ssl_config *conf, const int *ids)
{
#if COMPAT_HAVE_TLS13
    int tls13 = 0, other = 0;

    for (; *ids != 0; ids++) {
        if ((*ids & 0xFF00) == 0x1300)
            tls13 = 1;
        else
            other = 1;
    }
    if (other && !tls13)
        mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
    if (tls13 && !other)
        mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_3);
#else
    (void) conf;
    (void) ids;
#endif
}

/**
 * @brief Key exchange groups.
 *
 * 2.28 lists curves by internal id with mbedtls_ssl_conf_curves(); 3.x lists
 * IANA group numbers with mbedtls_ssl_conf_groups(). Lists end with
 * COMPAT_GROUP_NONE and must outlive the configuration.
 */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
typedef uint16_t compat_group_t;                                    /**< an IANA group number */
#define COMPAT_GROUP_NONE 0                                         /**< ends a group list */
#define COMPAT_GROUP_SECP256R1 MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1 /**< NIST P-256 */
#define COMPAT_GROUP_SECP384R1 MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1 /**< NIST P-384 */
#define COMPAT_GROUP_X25519 MBEDTLS_SSL_IANA_TLS_GROUP_X25519       /**< Curve25519 */
#define compat_conf_groups mbedtls_ssl_conf_groups                  /**< set the group list */
#else
typedef mbedtls_ecp_group_id compat_group_t; /**< an mbedTLS curve id */
#define COMPAT_GROUP_NONE MBEDTLS_ECP_DP_NONE           /**< ends a group list */
#define COMPAT_GROUP_SECP256R1 MBEDTLS_ECP_DP_SECP256R1 /**< NIST P-256 */
#define COMPAT_GROUP_SECP384R1 MBEDTLS_ECP_DP_SECP384R1 /**< NIST P-384 */
#define COMPAT_GROUP_X25519 MBEDTLS_ECP_DP_CURVE25519   /**< Curve25519 */
#define compat_conf_groups mbedtls_ssl_conf_curves      /**< set the group list */
#endif

#if !COMPAT_HAVE_LEGACY_CRYPTO
/**
 * @brief 4.x: the key exchange groups this build has, in the library's own
 *        default order (ssl_tls.c), then secp256k1, by IANA number.
 *
 * 4.x made the ECP curve table (mbedtls_ecp_curve_list()) private; which
 * groups are built in is told by the PSA_WANT_* options instead. It also
 * dropped the curves under 255 bits.
 */
static inline const uint16_t *compat_groups_built_in(void)
{
    static const uint16_t groups[] = {
#if defined(PSA_WANT_ECC_MONTGOMERY_255)
        MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
#endif
#if defined(PSA_WANT_ECC_SECP_R1_256)
        MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,
#endif
#if defined(PSA_WANT_ECC_SECP_R1_384)
        MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1,
#endif
#if defined(PSA_WANT_ECC_MONTGOMERY_448)
        MBEDTLS_SSL_IANA_TLS_GROUP_X448,
#endif
#if defined(PSA_WANT_ECC_SECP_R1_521)
        MBEDTLS_SSL_IANA_TLS_GROUP_SECP521R1,
#endif
#if defined(PSA_WANT_ECC_BRAINPOOL_P_R1_256)
        MBEDTLS_SSL_IANA_TLS_GROUP_BP256R1,
#endif
#if defined(PSA_WANT_ECC_BRAINPOOL_P_R1_384)
        MBEDTLS_SSL_IANA_TLS_GROUP_BP384R1,
#endif
#if defined(PSA_WANT_ECC_BRAINPOOL_P_R1_512)
        MBEDTLS_SSL_IANA_TLS_GROUP_BP512R1,
#endif
#if defined(PSA_WANT_ECC_SECP_K1_256)
        MBEDTLS_SSL_IANA_TLS_GROUP_SECP256K1, /* TLS knows it, but leaves it out of its default list */
#endif
        MBEDTLS_SSL_IANA_TLS_GROUP_NONE
    };

    return groups;
}
#endif

/**
 * @brief The group list entry for an IANA group number, if this build can
 *        use that group for the key exchange.
 *
 * 3.x takes the IANA number itself; 2.28 its own curve id, which the curve
 * table maps from the IANA number (the "TLS id"). Both know only the
 * elliptic curves they were built with; so does 4.x's table above.
 * @param iana  the IANA TLS Supported Groups number (29 = x25519, 23 = secp256r1).
 * @param group set to the entry for compat_conf_groups().
 * @return 1 when this build has the group, else 0.
 */
static inline int compat_group_from_iana(uint16_t iana, compat_group_t *group)
{
#if COMPAT_HAVE_LEGACY_CRYPTO && !defined(MBEDTLS_ECP_C) && !defined(MBEDTLS_ECP_LIGHT)
    /* A 3.6 library without elliptic curves (pre-shared keys only) has none. */
    (void) iana;
    (void) group;
    return 0;
#elif COMPAT_HAVE_LEGACY_CRYPTO
    const mbedtls_ecp_curve_info *info = mbedtls_ecp_curve_info_from_tls_id(iana);

    if (info == NULL)
        return 0;
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    *group = iana;
#else
    *group = info->grp_id;
#endif
    return 1;
#else
    for (const uint16_t *g = compat_groups_built_in(); *g != MBEDTLS_SSL_IANA_TLS_GROUP_NONE; g++) {
        if (*g == iana) {
            *group = iana;
            return 1;
        }
    }
    return 0;
#endif
}

/**
 * @brief The IANA numbers of the groups this build can use for the key
 *        exchange, in the library's order.
 * @param iana filled with up to @p max numbers.
 * @param max  capacity of @p iana.
 * @return how many were written.
 */
static inline size_t compat_group_list(uint16_t *iana, size_t max)
{
    size_t n = 0;

#if COMPAT_HAVE_LEGACY_CRYPTO
    for (const mbedtls_ecp_curve_info *info = mbedtls_ecp_curve_list();
         info->grp_id != MBEDTLS_ECP_DP_NONE && n < max; info++)
        iana[n++] = info->tls_id;
#else
    for (const uint16_t *g = compat_groups_built_in(); *g != MBEDTLS_SSL_IANA_TLS_GROUP_NONE && n < max; g++)
        iana[n++] = *g;
#endif
    return n;
}

/**
 * @brief 1 when the library can configure a pre-shared key
 *        (mbedtls_ssl_conf_psk()): some PSK key exchange is built in. 3.x
 *        renamed the 2.28 condition.
 */
#if defined(MBEDTLS_SSL_HANDSHAKE_WITH_PSK_ENABLED) || defined(MBEDTLS_KEY_EXCHANGE_SOME_PSK_ENABLED)
#define COMPAT_HAVE_PSK 1
#else
#define COMPAT_HAVE_PSK 0
#endif

/**
 * @brief The handshake error for a certificate that fails a check of the TLS
 *        layer rather than the chain verification (such as the wrong
 *        extendedKeyUsage): 3.x renamed MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE.
 *        The verification flags say what was wrong.
 */
#if defined(MBEDTLS_ERR_SSL_BAD_CERTIFICATE)
#define COMPAT_ERR_SSL_BAD_CERTIFICATE MBEDTLS_ERR_SSL_BAD_CERTIFICATE
#else
#define COMPAT_ERR_SSL_BAD_CERTIFICATE MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE
#endif

/**
 * @brief Return codes that only mean "call me again".
 *
 * Besides WANT_READ/WANT_WRITE, 3.x can report a TLS 1.3 NewSessionTicket
 * arriving after the handshake (MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
 * from mbedtls_ssl_read() and mbedtls_ssl_handshake(): read loops must
 * simply retry.
 */
static inline int compat_ssl_should_retry(int ret)
{
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
        return 1;
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
    if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
        return 1;
#endif
#if defined(MBEDTLS_ERR_SSL_ASYNC_IN_PROGRESS)
    if (ret == MBEDTLS_ERR_SSL_ASYNC_IN_PROGRESS)
        return 1;
#endif
#if defined(MBEDTLS_ERR_SSL_CRYPTO_IN_PROGRESS)
    if (ret == MBEDTLS_ERR_SSL_CRYPTO_IN_PROGRESS)
        return 1;
#endif
    return 0;
}

/** @brief What a non-blocking program does with a return code (compat_ssl_retry_kind()). */
enum compat_retry {
    COMPAT_RETRY_NO = 0, /**< a result or an error: nothing to retry */
    COMPAT_RETRY_READ,   /**< WANT_READ: call again once the socket is readable */
    COMPAT_RETRY_WRITE,  /**< WANT_WRITE: call again once the socket is writable */
    COMPAT_RETRY_NOW     /**< progress without I/O (a TLS 1.3 ticket, 3.x): call again at once */
};

/**
 * @brief The codes of compat_ssl_should_retry(), told apart for an event loop (lesson 13).
 *
 * A blocking loop retries all of them at once. A poll() loop must wait for
 * readability on WANT_READ and for writability on WANT_WRITE, but must not
 * wait at all after MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET (3.x): the
 * ticket was processed, nothing is owed by the network, and the next
 * record may already sit in mbedTLS's buffer. 2.28 has only the first two.
 */
static inline enum compat_retry compat_ssl_retry_kind(int ret)
{
    if (ret == MBEDTLS_ERR_SSL_WANT_READ)
        return COMPAT_RETRY_READ;
    if (ret == MBEDTLS_ERR_SSL_WANT_WRITE)
        return COMPAT_RETRY_WRITE;
    return compat_ssl_should_retry(ret) ? COMPAT_RETRY_NOW : COMPAT_RETRY_NO;
}

/** @brief 1 when @p ret is 3.x's "a TLS 1.3 NewSessionTicket was received" (never in 2.28). */
static inline int compat_ssl_is_new_ticket(int ret)
{
#if defined(MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
    return ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET;
#else
    (void) ret;
    return 0;
#endif
}

/**
 * @brief The largest record payload this connection accepts from its peer (lesson 14).
 *
 * 3.x has mbedtls_ssl_get_max_in_record_payload(), which takes the
 * negotiated maximum fragment length (and TLS 1.3's record size limit)
 * into account. 2.28 has only mbedtls_ssl_get_input_max_frag_len() (with
 * MBEDTLS_SSL_MAX_FRAGMENT_LENGTH), else the build's MBEDTLS_SSL_IN_CONTENT_LEN.
 * @param ssl the connection, after its handshake.
 * @return bytes, or a negative error.
 */
static inline int compat_ssl_max_in_payload(const mbedtls_ssl_context *ssl)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    return mbedtls_ssl_get_max_in_record_payload(ssl);
#elif defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
    return (int) mbedtls_ssl_get_input_max_frag_len(ssl);
#else
    (void) ssl;
    return MBEDTLS_SSL_IN_CONTENT_LEN;
#endif
}

/**
 * @brief Ask a TLS 1.3 client to report NewSessionTicket messages.
 *
 * TLS 1.3 tickets arrive after the handshake. When a client signals them,
 * mbedtls_ssl_read() returns MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
 * once a ticket is stored, and mbedtls_ssl_get_session() can export it.
 * From 3.6.1 a client ignores tickets unless
 * mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets() turns the
 * signal on (that function and its constants do not exist in 3.6.0);
 * 3.6.0 always signals them, and so does 4.x, which removed the opt-in
 * again (read loops must retry: compat_ssl_should_retry()). 2.28 has no
 * TLS 1.3.
 *
 * @param conf a client configuration.
 * @return 1 when the client will signal tickets, 0 otherwise.
 */
static inline int compat_conf_tls13_signal_tickets(mbedtls_ssl_config *conf)
{
#if COMPAT_HAVE_TLS13 && defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_CLI_C)
#if defined(MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED)
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#else
    (void) conf; /* 3.6.0 and 4.x: the client always signals tickets */
#endif
    return 1;
#else
    (void) conf;
    return 0;
#endif
}

/**
 * @brief The file descriptor inside an mbedtls_net_context.
 *
 * Unlike most struct fields, `fd` stayed public in 3.x: its header documents
 * it as the Unix socket, which the lesson server needs for poll() and
 * getsockname(). The macro keeps that one assumption in one place.
 */
#define COMPAT_NET_FD(ctx) ((ctx)->fd)

/**
 * @brief Receives one session secret, already named in NSS key log terms.
 * @param ctx           the context from struct compat_key_export.
 * @param nss_label     e.g. "CLIENT_RANDOM" (TLS 1.2 master secret) or
 *                      "CLIENT_HANDSHAKE_TRAFFIC_SECRET" (TLS 1.3).
 * @param client_random the ClientHello's 32-byte random, which names the session.
 * @param secret        the secret.
 * @param secret_len    its length.
 */
typedef void compat_secret_cb(void *ctx, const char *nss_label, const unsigned char client_random[32],
                              const unsigned char *secret, size_t secret_len);

/** @brief Where the key export adapters below send each secret (must outlive the connection). */
struct compat_key_export {
    compat_secret_cb *cb; /**< called once per secret */
    void *ctx;            /**< passed to @p cb */
};

/**
 * @brief Key export (for key log files), installed per configuration in 2.28
 *        and per connection in 3.x.
 *
 * 2.28 (with MBEDTLS_SSL_EXPORT_KEYS) calls mbedtls_ssl_conf_export_keys_ext_cb()'s
 * callback once per handshake with the master secret and both randoms.
 * 3.x replaced it with mbedtls_ssl_set_export_keys_cb() on each
 * mbedtls_ssl_context, whose callback gets one secret at a time and its type
 * (the TLS 1.2 master secret, or each TLS 1.3 traffic secret). Call both
 * compat_conf_key_export() when building the configuration and
 * compat_ssl_key_export() after mbedtls_ssl_setup(): each is a no-op where it
 * does not apply.
 */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define COMPAT_HAVE_KEY_EXPORT 1
/** @brief 3.x adapter: name the secret by its type, then hand it on. */
static inline void compat_export_keys_adapter(void *p_expkey, mbedtls_ssl_key_export_type type,
                                              const unsigned char *secret, size_t secret_len,
                                              const unsigned char client_random[32],
                                              const unsigned char server_random[32],
                                              mbedtls_tls_prf_types tls_prf_type)
{
    const struct compat_key_export *e = p_expkey;
    const char *label = NULL;

    (void) server_random;
    (void) tls_prf_type;
    switch (type) {
    case MBEDTLS_SSL_KEY_EXPORT_TLS12_MASTER_SECRET:
        label = "CLIENT_RANDOM";
        break;
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_EARLY_SECRET:
        label = "CLIENT_EARLY_TRAFFIC_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_EARLY_EXPORTER_SECRET:
        label = "EARLY_EXPORTER_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_HANDSHAKE_TRAFFIC_SECRET:
        label = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_HANDSHAKE_TRAFFIC_SECRET:
        label = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_CLIENT_APPLICATION_TRAFFIC_SECRET:
        label = "CLIENT_TRAFFIC_SECRET_0";
        break;
    case MBEDTLS_SSL_KEY_EXPORT_TLS1_3_SERVER_APPLICATION_TRAFFIC_SECRET:
        label = "SERVER_TRAFFIC_SECRET_0";
        break;
#endif
    default:
        break;
    }
    if (label != NULL)
        e->cb(e->ctx, label, client_random, secret, secret_len);
}

/** @brief 3.x: key export is set per connection, see compat_ssl_key_export(). */
static inline void compat_conf_key_export(mbedtls_ssl_config *conf, struct compat_key_export *e)
{
    (void) conf;
    (void) e;
}

/** @brief 3.x: install the key export callback on one connection (after mbedtls_ssl_setup()). */
static inline void compat_ssl_key_export(mbedtls_ssl_context *ssl, struct compat_key_export *e)
{
    mbedtls_ssl_set_export_keys_cb(ssl, compat_export_keys_adapter, e);
}
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
#define COMPAT_HAVE_KEY_EXPORT 1
/** @brief 2.28 adapter: the master secret (always 48 bytes) is what key logs want. */
static inline int compat_export_keys_adapter(void *p_expkey, const unsigned char *ms, const unsigned char *kb,
                                             size_t maclen, size_t keylen, size_t ivlen,
                                             const unsigned char client_random[32],
                                             const unsigned char server_random[32],
                                             mbedtls_tls_prf_types tls_prf_type)
{
    const struct compat_key_export *e = p_expkey;

    (void) kb, (void) maclen, (void) keylen, (void) ivlen, (void) server_random, (void) tls_prf_type;
    e->cb(e->ctx, "CLIENT_RANDOM", client_random, ms, 48);
    return 0;
}

/** @brief 2.28: install the key export callback on the configuration (every connection). */
static inline void compat_conf_key_export(mbedtls_ssl_config *conf, struct compat_key_export *e)
{
    mbedtls_ssl_conf_export_keys_ext_cb(conf, compat_export_keys_adapter, e);
}

/** @brief 2.28: key export is set on the configuration, see compat_conf_key_export(). */
static inline void compat_ssl_key_export(mbedtls_ssl_context *ssl, struct compat_key_export *e)
{
    (void) ssl;
    (void) e;
}
#else
/** @brief 0: this mbedTLS cannot export keys (2.28 without MBEDTLS_SSL_EXPORT_KEYS). */
#define COMPAT_HAVE_KEY_EXPORT 0
/** @brief No key export in this build: does nothing. */
static inline void compat_conf_key_export(mbedtls_ssl_config *conf, struct compat_key_export *e)
{
    (void) conf;
    (void) e;
}

/** @brief No key export in this build: does nothing. */
static inline void compat_ssl_key_export(mbedtls_ssl_context *ssl, struct compat_key_export *e)
{
    (void) ssl;
    (void) e;
}
#endif

/**
 * @brief What a client sees when a server requires a client certificate and
 *        gets none.
 *
 * A 2.28 server gives up without sending an alert and closes the socket,
 * so the client reads a reset (or an EOF); the reason,
 * MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE, appears only in the server's log.
 * 3.x servers send a fatal alert. In TLS 1.3 it arrives after the client's
 * own handshake has finished, on the next read: as the alert (-0x7780) or,
 * as seen with 3.6.6, as a MAC failure (-0x7180), because the server
 * protects the alert with keys the client has already replaced.
 * COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT_TOO is the other possible code.
 */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE
/** @brief The other code a client may see instead of COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT. */
#define COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT_TOO MBEDTLS_ERR_SSL_INVALID_MAC
#else
#define COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT MBEDTLS_ERR_NET_CONN_RESET
/** @brief The other code a client may see instead of COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT. */
#define COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT_TOO MBEDTLS_ERR_SSL_CONN_EOF
#endif

/**
 * @brief What a client's handshake returns when mbedtls_ssl_set_hostname()
 *        was never called.
 *
 * Before 3.6.3 (and 2.28.10) the handshake succeeded without checking the
 * server's name at all: insecure. Later releases fail with
 * MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME. 0 means "it
 * succeeds".
 */
#if defined(MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME)
#define COMPAT_NO_HOSTNAME_RESULT MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME
#else
#define COMPAT_NO_HOSTNAME_RESULT 0
#endif

/**
 * @brief A suite that needs an RSA certificate, for lesson 09's "no shared
 *        suite" mistake against a server that has only an ECDSA one.
 *
 * 2.28 and 3.6 use TLS-RSA-WITH-AES-128-GCM-SHA256 (RSA key transport, no
 * forward secrecy). 4.x removed the RSA, DHE-RSA and static ECDH key
 * exchanges, so it uses TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256: still
 * unusable with an ECDSA certificate, which is the point of the mistake.
 */
#if COMPAT_HAVE_LEGACY_CRYPTO
#define COMPAT_RSA_ONLY_SUITE MBEDTLS_TLS_RSA_WITH_AES_128_GCM_SHA256 /**< the suite's id */
#define COMPAT_RSA_ONLY_SUITE_NAME "TLS-RSA-WITH-AES-128-GCM-SHA256"  /**< its mbedTLS name */
#else
#define COMPAT_RSA_ONLY_SUITE MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 /**< the suite's id */
#define COMPAT_RSA_ONLY_SUITE_NAME "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"  /**< its mbedTLS name */
#endif

/* Lessons 11 and 12: pre-shared keys, and sessions kept across restarts. */

/**
 * @brief Allow exactly one protocol version: TLS 1.2 (@p tls13 = 0) or TLS 1.3.
 *
 * 2.28 names versions (major 3, minor 3); 3.x has mbedtls_ssl_conf_min_tls_version()
 * and mbedtls_ssl_conf_max_tls_version() (lesson 10 teaches them).
 * @return 1, or 0 when TLS 1.3 is asked for and this mbedTLS has none.
 */
static inline int compat_conf_only_version(mbedtls_ssl_config *conf, int tls13)
{
#if COMPAT_HAVE_TLS13
    mbedtls_ssl_protocol_version v = tls13 ? MBEDTLS_SSL_VERSION_TLS1_3 : MBEDTLS_SSL_VERSION_TLS1_2;

    mbedtls_ssl_conf_min_tls_version(conf, v);
    mbedtls_ssl_conf_max_tls_version(conf, v);
    return 1;
#else
    if (tls13)
        return 0;
    compat_conf_min_tls12(conf);
    compat_conf_max_tls12(conf);
    return 1;
#endif
}

/**
 * @brief The TLS 1.3 key exchange modes, for compat_conf_tls13_kex_modes():
 *        psk_ke (the pre-shared key alone), psk_dhe_ke (the key plus an ECDHE
 *        exchange, for forward secrecy) and the certificate handshake.
 *
 * Each exists only when mbedTLS was built with TLS 1.3 and that mode
 * (MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED, ..._PSK_EPHEMERAL_ENABLED,
 * ..._EPHEMERAL_ENABLED, all on in 3.6 by default). 2.28 has none.
 */
#define COMPAT_TLS13_KEX_PSK 1u
#define COMPAT_TLS13_KEX_PSK_EPHEMERAL 2u /**< see COMPAT_TLS13_KEX_PSK */
#define COMPAT_TLS13_KEX_EPHEMERAL 4u     /**< see COMPAT_TLS13_KEX_PSK */

/**
 * @brief Which of those modes this mbedTLS has.
 * @return a set of COMPAT_TLS13_KEX_* bits (0 without TLS 1.3).
 */
static inline unsigned compat_tls13_kex_modes_available(void)
{
    unsigned modes = 0;

#if COMPAT_HAVE_TLS13 && defined(MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED)
    modes |= COMPAT_TLS13_KEX_PSK;
#endif
#if COMPAT_HAVE_TLS13 && defined(MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED)
    modes |= COMPAT_TLS13_KEX_PSK_EPHEMERAL;
#endif
#if COMPAT_HAVE_TLS13 && defined(MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED)
    modes |= COMPAT_TLS13_KEX_EPHEMERAL;
#endif
    return modes;
}

/**
 * @brief Allow these TLS 1.3 key exchange modes (mbedtls_ssl_conf_tls13_key_exchange_modes(),
 *        3.x only). A client offers them; a server accepts them.
 * @param conf  the configuration.
 * @param modes a set of COMPAT_TLS13_KEX_* bits.
 * @return 1, or 0 when this mbedTLS lacks one of them (nothing is changed then).
 */
static inline int compat_conf_tls13_kex_modes(mbedtls_ssl_config *conf, unsigned modes)
{
    if ((modes & ~compat_tls13_kex_modes_available()) != 0)
        return 0;
#if COMPAT_HAVE_TLS13
    mbedtls_ssl_conf_tls13_key_exchange_modes(
        conf,
        ((modes & COMPAT_TLS13_KEX_PSK) ? MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK : 0) |
            ((modes & COMPAT_TLS13_KEX_PSK_EPHEMERAL) ? MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL
                                                      : 0) |
            ((modes & COMPAT_TLS13_KEX_EPHEMERAL) ? MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL : 0));
#else
    (void) conf;
#endif
    return 1;
}

/**
 * @brief What a 3.6 server's handshake returns when a TLS 1.3 client's
 *        PSK binder does not verify (its pre-shared key differs from the
 *        server's). 2.28 has no TLS 1.3 (nor that code): 0, which no failed
 *        handshake returns.
 */
#if COMPAT_HAVE_TLS13
#define COMPAT_ERR_SSL_PSK_BINDER MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE
#else
#define COMPAT_ERR_SSL_PSK_BINDER 0
#endif

/**
 * @brief DTLS connection IDs (RFC 9146): 3.x with MBEDTLS_SSL_DTLS_CONNECTION_ID
 *        (on in Debian's 3.6), in the RFC's record format
 *        (MBEDTLS_SSL_DTLS_CONNECTION_ID_COMPAT 0, the default).
 *
 * 2.28 only has an earlier draft's format, and Debian's 2.28 is built
 * without it: `--cid` then exits 77.
 */
#if defined(MBEDTLS_SSL_DTLS_CONNECTION_ID) && MBEDTLS_VERSION_NUMBER >= 0x03000000 &&                       \
    (!defined(MBEDTLS_SSL_DTLS_CONNECTION_ID_COMPAT) || MBEDTLS_SSL_DTLS_CONNECTION_ID_COMPAT == 0)
#define COMPAT_HAVE_DTLS_CID 1
#else
#define COMPAT_HAVE_DTLS_CID 0
#endif

#endif /* WORKSHOP_COMPAT_H */
