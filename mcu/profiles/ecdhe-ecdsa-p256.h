/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ecdhe-ecdsa-p256: a device that connects to a cloud endpoint and checks
 * its certificate. TLS 1.2 with one suite,
 * TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256, one group (secp256r1), and X.509
 * verification of the server's chain by the client.
 *
 * Who picks this: most connected products of the last decade (AWS IoT and
 * Azure IoT accept it). Forward secrecy from ECDHE; the server proves who it
 * is with an ECDSA P-256 certificate; the device needs only the root CA.
 *
 * Derived from mbedTLS's own configs/config-suite-b.h, narrowed to P-256 and
 * AES-128-GCM.
 */
#ifndef MCU_PROFILE_ECDHE_ECDSA_P256_H
#define MCU_PROFILE_ECDHE_ECDSA_P256_H

/* What the lab runs with this profile (mcu/lab_main.c). */
#define MCU_PROFILE_NAME "ecdhe-ecdsa-p256"
#define MCU_PROFILE_SUMMARY "TLS 1.2, ECDHE-ECDSA-AES128-GCM-SHA256, secp256r1, X.509, 2 KiB records"
#define MCU_PROFILE_SUITE "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"
#define MCU_PROFILE_TLS13 0
#define MCU_PROFILE_KEY "ecdsa-p256"

/* TLS 1.2, both ends. */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
/* SNI: the client names the server it wants; shared endpoints need it. */
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_CIPHERSUITES MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256

/* Elliptic curves: P-256 only, with its fast reduction; the big-number
 * multiply in assembly (UMAAL on the Cortex-M4). */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
/* Small windows and no precomputed table for the base point: less RAM for
 * somewhat slower signatures and key generation. */
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_MPI_MAX_SIZE 32 /* 256-bit numbers at most */

/* Certificates: parse and verify X.509, keys in PEM. (The lab's PKI is PEM:
 * a device would store DER and drop PEM and Base64.) */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* ECDSA signatures are ASN.1 */
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C
/* Validity dates need a clock (the lab's board clock stands still, see
 * mcu/lab_config.h). */
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE

/* AES-128-GCM, SHA-256. */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C

#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_ENTROPY_FORCE_SHA256
#define MBEDTLS_ENTROPY_MAX_SOURCES 2

/* 2 KiB records: the server's certificate chain (about 1.1 KiB here) must
 * fit in one incoming handshake message. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 2048
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048

/* Left out on purpose: error texts, debug, RSA, other curves, CRLs,
 * PSA crypto, TLS 1.3, renegotiation, session tickets. */

#endif /* MCU_PROFILE_ECDHE_ECDSA_P256_H */
