/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 14_small_ram.h
 * @brief What lesson 14's two files share: a set of memory-saving settings, the lesson's function
 *        that applies one, and the table that measures each.
 *
 * The lesson is `14_small_ram.c` (this build's fixed sizes, the settings, one connection to the
 * server). `14_small_ram_table.c` measures every setting with both ends in one process.
 */
#ifndef WORKSHOP_14_SMALL_RAM_H
#define WORKSHOP_14_SMALL_RAM_H

#include <stdio.h>

#include "stages.h"

/** @brief 1 when this build has the max_fragment_length extension. */
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
#define SMALL_RAM_HAVE_MFL 1
#else
#define SMALL_RAM_HAVE_MFL 0
#endif

/** @brief 1 when this build resizes the record buffers after the handshake. */
#if defined(MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH)
#define SMALL_RAM_HAVE_VARIABLE_BUFFERS 1
#else
#define SMALL_RAM_HAVE_VARIABLE_BUFFERS 0
#endif

/** @brief 1 when this build has TLS 1.3's record_size_limit extension (3.6 has the option, off by default).
 */
#if defined(MBEDTLS_SSL_RECORD_SIZE_LIMIT)
#define SMALL_RAM_HAVE_RECORD_SIZE_LIMIT 1
#else
#define SMALL_RAM_HAVE_RECORD_SIZE_LIMIT 0
#endif

/** @brief 1 when this build keeps the peer's certificate chain after the handshake. */
#if defined(MBEDTLS_SSL_KEEP_PEER_CERTIFICATE)
#define SMALL_RAM_HAVE_KEEP_PEER_CERT 1
#else
#define SMALL_RAM_HAVE_KEEP_PEER_CERT 0
#endif

/** @brief The digest a build without MBEDTLS_SSL_KEEP_PEER_CERTIFICATE keeps instead of the peer's
 *         chain. ssl.h defines its size only in such a build: SHA-256's 32 bytes when it has SHA-256. */
#if defined(MBEDTLS_SSL_PEER_CERT_DIGEST_DFL_LEN)
#define SMALL_RAM_PEER_DIGEST_LEN MBEDTLS_SSL_PEER_CERT_DIGEST_DFL_LEN
#else
#define SMALL_RAM_PEER_DIGEST_LEN 32
#endif

/** @brief One combination of settings that change what a connection costs. */
struct ram_setting {
    char label[48];        /**< what the table calls it */
    int base;              /**< the table row it is compared with, or -1 */
    unsigned max_frag_len; /**< 512, 1024, 2048 or 4096 to ask for; 0: not asked */
    int suites[2];         /**< one cipher suite, 0-terminated; {0}: leave lesson 03's */
    compat_group_t
        groups[3];  /**< key exchange groups, COMPAT_GROUP_NONE-terminated; empty: leave lesson 03's */
    int tls12_only; /**< allow TLS 1.2 only */
};

/**
 * @brief Apply @p set to a configuration that lesson 03 built (14_small_ram.c: the lesson's calls).
 * @param conf     the configuration; @p set must outlive it (it points into the lists).
 * @param endpoint MBEDTLS_SSL_IS_CLIENT or MBEDTLS_SSL_IS_SERVER.
 * @param set      the settings.
 * @return 0, or the error of mbedtls_ssl_conf_max_frag_len().
 */
int small_ram_apply(mbedtls_ssl_config *conf, int endpoint, const struct ram_setting *set);

/**
 * @brief Measure every setting with both ends in this process and print the tables
 *        (14_small_ram_table.c). Turns narration off (report_set_mode()).
 * @param out where the tables go.
 * @return WS_EXIT_OK, or WS_EXIT_HANDSHAKE when a measured handshake failed.
 */
int small_ram_table(FILE *out);

#endif /* WORKSHOP_14_SMALL_RAM_H */
