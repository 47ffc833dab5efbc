/* SPDX-License-Identifier: Apache-2.0 */
/*
 * desktop: Debian's build of mbedTLS 3.6, the upper reference. It is
 * mbedTLS's default configuration (include/mbedtls/mbedtls_config.h of the
 * source package) plus the five options Debian's debian/rules turns on, and
 * minus what a board without an operating system cannot have at all.
 * Everything else stays: every suite, curve and hash, RSA, TLS 1.2 and 1.3,
 * DTLS, error texts, debug messages, 16 KiB records.
 *
 * Nobody ships this on a microcontroller; it shows what the choices of the
 * other profiles save. The lab runs a TLS 1.3 handshake with it
 * (TLS_AES_128_GCM_SHA256, ECDHE secp256r1, ECDSA P-256 certificates), what
 * two desktop programs would negotiate.
 */
#ifndef MCU_PROFILE_DESKTOP_H
#define MCU_PROFILE_DESKTOP_H

/* What the lab runs with this profile (mcu/lab_main.c). */
#define MCU_PROFILE_NAME "desktop"
#define MCU_PROFILE_SUMMARY "Debian's configuration (everything), TLS 1.3 handshake, 16 KiB records"
#define MCU_PROFILE_SUITE "TLS1-3-AES-128-GCM-SHA256"
#define MCU_PROFILE_TLS13 1
#define MCU_PROFILE_KEY "ecdsa-p256"

/* mbedTLS's defaults, as the source package ships them. */
#include "mbedtls/mbedtls_config.h"

/* Debian's debian/rules: scripts/config.py set ... for these. */
#define MBEDTLS_DEPRECATED_WARNING
#define MBEDTLS_CMAC_C
#define MBEDTLS_SSL_DTLS_SRTP
/* (Debian also sets MBEDTLS_THREADING_C and MBEDTLS_THREADING_PTHREAD:
 * there are no threads here, see below.) */

/* What needs an operating system: sockets, POSIX timers, threads, and the
 * platform's entropy (/dev/urandom; the lab has its own test source, see
 * mcu/lab_config.h). */
#undef MBEDTLS_NET_C
#undef MBEDTLS_TIMING_C
#undef MBEDTLS_THREADING_C
#undef MBEDTLS_THREADING_PTHREAD

#endif /* MCU_PROFILE_DESKTOP_H */
