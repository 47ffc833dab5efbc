/* SPDX-License-Identifier: Apache-2.0 */
/*
 * psk-ccm8: the smallest TLS a sensor can speak. TLS 1.2 with one
 * pre-shared-key suite, TLS-PSK-WITH-AES-128-CCM-8, and nothing else: no
 * certificates, no public-key cryptography, no big numbers.
 *
 * Who picks this: a device that talks only to its own backend, provisioned
 * with a per-device key at the factory (LwM2M, Thread commissioning and
 * CoAP over DTLS deployments use the same suite). The price: a leaked key
 * exposes every past session (no forward secrecy), and the server must keep
 * every device's key.
 *
 * Derived from mbedTLS's own configs/config-ccm-psk-tls1_2.h.
 */
#ifndef MCU_PROFILE_PSK_CCM8_H
#define MCU_PROFILE_PSK_CCM8_H

/* What the lab runs with this profile (mcu/lab_main.c). */
#define MCU_PROFILE_NAME "psk-ccm8"
#define MCU_PROFILE_SUMMARY "TLS 1.2, PSK-AES128-CCM-8 only, no X.509, 1 KiB records"
#define MCU_PROFILE_SUITE "TLS-PSK-WITH-AES-128-CCM-8"
#define MCU_PROFILE_TLS13 0
/* (no MCU_PROFILE_KEY: pre-shared key, no certificates) */

/* TLS 1.2, both ends (the lab builds client-only and server-only variants
 * too: mcu/lab_config.h). */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_PSK_ENABLED
/* The session hash (RFC 7627): without it a man in the middle can make two
 * sessions share one master secret. A few hundred bytes. */
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
/* The one suite: the table of suites the library knows shrinks to it. */
#define MBEDTLS_SSL_CIPHERSUITES MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8

/* AES-128 in CCM mode with an 8-byte tag, SHA-256 for the TLS 1.2 PRF. */
#define MBEDTLS_AES_C
#define MBEDTLS_CCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
/* AES tables in flash (const) instead of computed into RAM at start. */
#define MBEDTLS_AES_ROM_TABLES

/* Random numbers: CTR_DRBG over the entropy collector. The collector hashes
 * with SHA-256 (SHA-512 would be one more hash in flash). */
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_ENTROPY_FORCE_SHA256
#define MBEDTLS_ENTROPY_MAX_SOURCES 2

/* Records of at most 1 KiB each way: both ends are ours, so both agree.
 * The record buffers are most of the RAM a connection needs. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 1024
#define MBEDTLS_SSL_OUT_CONTENT_LEN 1024
/* 128-bit keys are enough. */
#define MBEDTLS_PSK_MAX_LEN 16

/* Left out on purpose: MBEDTLS_ERROR_C (error texts, several KiB of
 * strings: errors still print their -0x code), MBEDTLS_DEBUG_C,
 * MBEDTLS_HAVE_TIME (no clock needed without certificates), PSA crypto
 * (TLS 1.2 does not need it), renegotiation, session tickets. */

#endif /* MCU_PROFILE_PSK_CCM8_H */
