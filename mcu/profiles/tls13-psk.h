/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls13-psk: psk-ccm8's job in TLS 1.3. An external pre-shared key (psk_ke
 * mode: no ECDHE, so no public-key cryptography at all), no certificates,
 * TLS_AES_128_CCM_SHA256.
 *
 * Who picks this: a device provisioned with a key, whose backend speaks TLS
 * 1.3 (Matter and newer LwM2M stacks move this way). As with psk-ccm8, a
 * leaked key exposes past sessions; the psk_dhe_ke mode would add ECDHE for
 * forward secrecy, at the price of the elliptic-curve code.
 */
#ifndef MCU_PROFILE_TLS13_PSK_H
#define MCU_PROFILE_TLS13_PSK_H

/* What the lab runs with this profile (mcu/lab_main.c). */
#define MCU_PROFILE_NAME "tls13-psk"
#define MCU_PROFILE_SUMMARY                                                                                  \
    "TLS 1.3 only, external PSK (psk_ke), TLS_AES_128_CCM_SHA256, no X.509, 1 KiB records"
#define MCU_PROFILE_SUITE "TLS1-3-AES-128-CCM-SHA256"
#define MCU_PROFILE_TLS13 1
/* (no MCU_PROFILE_KEY: pre-shared key, no certificates) */

#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
/* Required by mbedTLS 3.6's TLS 1.3 even without certificates. */
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
#define MBEDTLS_SSL_CIPHERSUITES MBEDTLS_TLS1_3_AES_128_CCM_SHA256

/* PSA crypto for the TLS 1.3 key schedule; its PSA_WANT_* options follow
 * from the MBEDTLS_* ones below. */
#define MBEDTLS_PSA_CRYPTO_C

/* AES-128-CCM, SHA-256. */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_CCM_C
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

#define MBEDTLS_SSL_IN_CONTENT_LEN 1024
#define MBEDTLS_SSL_OUT_CONTENT_LEN 1024
#define MBEDTLS_PSK_MAX_LEN 16

/* Left out on purpose: certificates, elliptic curves, TLS 1.2, tickets,
 * early data, error texts, debug, a clock. */

#endif /* MCU_PROFILE_TLS13_PSK_H */
