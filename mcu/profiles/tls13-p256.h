/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls13-p256: the same job as ecdhe-ecdsa-p256 in TLS 1.3 only. ECDHE on
 * secp256r1, the server's ECDSA P-256 certificate chain verified by the
 * client, TLS_AES_128_GCM_SHA256.
 *
 * Who picks this: a new product whose backend speaks TLS 1.3. One round
 * trip less than TLS 1.2, everything after the ServerHello encrypted, and
 * no legacy options to get wrong. In mbedTLS 3.6, TLS 1.3 runs on the PSA
 * crypto API, so this profile carries the PSA core too.
 */
#ifndef MCU_PROFILE_TLS13_P256_H
#define MCU_PROFILE_TLS13_P256_H

/* What the lab runs with this profile (mcu/lab_main.c). */
#define MCU_PROFILE_NAME "tls13-p256"
#define MCU_PROFILE_SUMMARY "TLS 1.3 only, TLS_AES_128_GCM_SHA256, ECDHE secp256r1, X.509, 2 KiB records"
#define MCU_PROFILE_SUITE "TLS1-3-AES-128-GCM-SHA256"
#define MCU_PROFILE_TLS13 1
#define MCU_PROFILE_KEY "ecdsa-p256"

/* TLS 1.3, both ends, full (ephemeral) handshakes only. */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
/* mbedTLS 3.6's TLS 1.3 needs the peer's certificate kept after the
 * handshake (check_config.h insists). */
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_CIPHERSUITES MBEDTLS_TLS1_3_AES_128_GCM_SHA256

/* PSA crypto: TLS 1.3 uses it for the key schedule (HKDF), the ECDHE
 * exchange and the records. MBEDTLS_USE_PSA_CRYPTO sends X.509 and the
 * signatures through it as well, so one code path does everything. The
 * PSA_WANT_* options follow from the MBEDTLS_* ones below
 * (MBEDTLS_PSA_CRYPTO_CONFIG is off), so this one file says it all. */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_USE_PSA_CRYPTO

/* Elliptic curves: P-256 only (as in ecdhe-ecdsa-p256). */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_MPI_MAX_SIZE 32

/* Certificates, as in ecdhe-ecdsa-p256. */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE

/* AES-128-GCM; SHA-256 for the transcript, HKDF and signatures. */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
/* HKDF, TLS 1.3's key schedule: PSA_WANT_ALG_HKDF_EXTRACT and _EXPAND, which
 * check_config.h demands for TLS 1.3, follow from it. */
#define MBEDTLS_HKDF_C

#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_ENTROPY_FORCE_SHA256
#define MBEDTLS_ENTROPY_MAX_SOURCES 2

#define MBEDTLS_SSL_IN_CONTENT_LEN 2048
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048

/* Left out on purpose: TLS 1.2, resumption (tickets), early data, error
 * texts, debug, RSA, other curves. */

#endif /* MCU_PROFILE_TLS13_P256_H */
