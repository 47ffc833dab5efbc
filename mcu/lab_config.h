/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the microcontroller lab adds to every profile: its instruments, not
 * device choices. mcu/lab.mk builds mbedTLS (and the workshop code on top)
 * with -DMBEDTLS_CONFIG_FILE='"PROFILE.h"' and
 * -DMBEDTLS_USER_CONFIG_FILE='"lab_config.h"', which mbedTLS reads right
 * after the profile; check_config.h then checks the result.
 *
 * -DMCU_LAB_BOARD:         the Cortex-M4 image (else the host build);
 * -DMCU_LAB_SIDE_CLIENT:   the library of a client alone (no server code);
 * -DMCU_LAB_SIDE_SERVER:   the library of a server alone.
 */
#ifndef MCU_LAB_CONFIG_H
#define MCU_LAB_CONFIG_H

/* Entropy: a fixed, deterministic TEST source (mcu/test_entropy.c), on
 * both targets, so that every run makes the same handshake and the figures
 * repeat exactly. Never do this in a product. */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT

/* The lessons' stage 02 loads the PKI from files: on the board through
 * semihosting (newlib's fopen() asks the emulator). */
#if defined(MBEDTLS_X509_CRT_PARSE_C) && !defined(MBEDTLS_FS_IO)
#define MBEDTLS_FS_IO
#endif

/* A clock that stands still at the moment the lab was built
 * (MCU_LAB_TIME, seconds since 1970), set by mcu/lab_main.c: certificate
 * dates are checked against it, and the handshake does not change from one
 * run to the next. */
#if defined(MBEDTLS_HAVE_TIME)
#if !defined(MBEDTLS_PLATFORM_C)
#define MBEDTLS_PLATFORM_C
#endif
#define MBEDTLS_PLATFORM_TIME_ALT
#define MBEDTLS_PLATFORM_MS_TIME_ALT
#endif

/* The board: every mbedTLS allocation comes from one static arena
 * (mcu/board_mps2.c), whose high-water mark the lab reports. */
#if defined(MCU_LAB_BOARD)
#if !defined(MBEDTLS_PLATFORM_C)
#define MBEDTLS_PLATFORM_C
#endif
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#endif

/* One side only, to measure what a client (or a server) alone links. */
#if defined(MCU_LAB_SIDE_CLIENT)
#undef MBEDTLS_SSL_SRV_C
#endif
#if defined(MCU_LAB_SIDE_SERVER)
#undef MBEDTLS_SSL_CLI_C
#endif

#endif /* MCU_LAB_CONFIG_H */
