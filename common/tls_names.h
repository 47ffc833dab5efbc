/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_names.h
 * @brief The names of TLS's numbers (cipher suites, groups, alerts ...), one table per registry.
 *
 * Each IANA registry the workshop names is one data file in common/tls_names/ (`alerts.def`,
 * `cipher_suites.def`, ...), a list of `TLS_NAME(value, name)` lines sorted by value. This header
 * and tls_names.c turn those lists into lookup functions and C constants, so a name is written
 * once for the whole tree: the record decoder, the error explanations, `--groups` and the `/hello`
 * page all ask here. tests/test_tls_names.c checks the tables.
 *
 * Numbers the decoder switches on come out of the same files as constants named after the
 * registry's own names (each enum below includes its data file with TLS_NAME() defined as an
 * enumerator): `TLS_HS_ClientHello` (1), `TLS_EXT_server_name` (0), `TLS_CT_alert` (21),
 * `TLS_ALERT_unknown_ca` (48), `TLS_VERSION_TLS1_3` (0x0304).
 */
#ifndef WORKSHOP_TLS_NAMES_H
#define WORKSHOP_TLS_NAMES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Handshake message types (tls_names/handshake_types.def), e.g. TLS_HS_ClientHello. */
enum tls_handshake_type {
/** @cond X_MACRO */
#define TLS_NAME(value, name) TLS_HS_##name = value,
#include "tls_names/handshake_types.def"
#undef TLS_NAME
    /** @endcond */
};

/** @brief Extension types (tls_names/extensions.def), e.g. TLS_EXT_server_name. */
enum tls_extension_type {
/** @cond X_MACRO */
#define TLS_NAME(value, name) TLS_EXT_##name = value,
#include "tls_names/extensions.def"
#undef TLS_NAME
    /** @endcond */
};

/** @brief Record content types (tls_names/content_types.def), e.g. TLS_CT_handshake. */
enum tls_content_type {
/** @cond X_MACRO */
#define TLS_NAME(value, name) TLS_CT_##name = value,
#include "tls_names/content_types.def"
#undef TLS_NAME
    /** @endcond */
};

/** @brief Alert descriptions (tls_names/alerts.def), e.g. TLS_ALERT_unknown_ca. */
enum tls_alert_description {
/** @cond X_MACRO */
#define TLS_NAME(value, name) TLS_ALERT_##name = value,
#include "tls_names/alerts.def"
#undef TLS_NAME
    /** @endcond */
};

/** @brief Protocol versions (tls_names/versions.def), e.g. TLS_VERSION_TLS1_3. */
enum tls_version {
/** @cond X_MACRO */
#define TLS_VERSION(value, id, name) TLS_VERSION_##id = value,
#include "tls_names/versions.def"
#undef TLS_VERSION
    /** @endcond */
};

/** @brief The tables, for code that walks a whole registry (the tests, `--groups help`). */
enum tls_registry {
    TLS_REGISTRY_CIPHER_SUITES,     /**< cipher_suites.def */
    TLS_REGISTRY_GROUPS,            /**< groups.def */
    TLS_REGISTRY_SIGNATURE_SCHEMES, /**< signature_schemes.def */
    TLS_REGISTRY_EXTENSIONS,        /**< extensions.def */
    TLS_REGISTRY_ALERTS,            /**< alerts.def */
    TLS_REGISTRY_HANDSHAKE_TYPES,   /**< handshake_types.def */
    TLS_REGISTRY_CONTENT_TYPES,     /**< content_types.def */
    TLS_REGISTRY_VERSIONS,          /**< versions.def (no IANA registry: the RFCs fix them) */
    TLS_REGISTRY_COUNT              /**< how many tables there are */
};

/** @brief One entry of a table. */
struct tls_name {
    uint16_t value;   /**< the number on the wire */
    const char *name; /**< its name */
};

/**
 * @brief Every entry of one table, sorted by value.
 * @param registry which table.
 * @param count    set to the number of entries (0 for an unknown registry).
 * @return the entries, or NULL for an unknown registry.
 */
const struct tls_name *tls_registry_entries(enum tls_registry registry, size_t *count);

/**
 * @brief Whether a value is GREASE (RFC 8701): 0x0A0A, 0x1A1A ... 0xFAFA, which clients send so
 *        that servers learn to ignore values they do not know.
 * @param value a cipher suite, group, extension, version or signature scheme.
 * @return 1 if it is a GREASE value, else 0.
 */
int tls_is_grease(uint16_t value);

/**
 * @brief IANA name of a cipher suite.
 * @param id Cipher suite number, e.g. 0xC02B.
 * @return For example "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "GREASE" for GREASE values, or
 *         NULL when unknown.
 */
const char *tls_cipher_suite_name(uint16_t id);

/**
 * @brief Name of a protocol version.
 * @param v Version number, e.g. 0x0303.
 * @return "SSL 3.0", "TLS 1.0" ... "TLS 1.3", "DTLS 1.2", "GREASE", or NULL when unknown.
 */
const char *tls_version_name(uint16_t v);

/**
 * @brief IANA name of a key exchange group.
 * @param id Group number, e.g. 29.
 * @return For example "x25519", "secp256r1", "ffdhe2048", "X25519MLKEM768", "GREASE", or NULL.
 */
const char *tls_group_name(uint16_t id);

/**
 * @brief The IANA number of a key exchange group, from its IANA name.
 * @param name For example "x25519" or "secp256r1" (case does not matter).
 * @return The number, or 0 when no group has that name.
 */
uint16_t tls_group_from_name(const char *name);

/**
 * @brief IANA name of a signature scheme.
 * @param id Scheme number, e.g. 0x0403.
 * @return For example "ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", "GREASE", or NULL.
 */
const char *tls_sigalg_name(uint16_t id);

/**
 * @brief IANA name of an extension.
 * @param id Extension type, e.g. 0.
 * @return For example "server_name", "supported_groups", "GREASE", or NULL when unknown.
 */
const char *tls_extension_name(uint16_t id);

/**
 * @brief Name of a handshake message type.
 * @param t Handshake type, e.g. 1.
 * @return For example "ClientHello", "Certificate", or NULL when unknown.
 */
const char *tls_handshake_type_name(uint8_t t);

/**
 * @brief IANA name of an alert description.
 * @param desc Alert description, e.g. 40.
 * @return For example "handshake_failure", "bad_certificate", "unknown_ca", or NULL when unknown.
 */
const char *tls_alert_name(uint8_t desc);

/**
 * @brief IANA name of a record content type.
 * @param type Content type, e.g. 22.
 * @return For example "handshake", "alert", "application_data", or NULL when unknown.
 */
const char *tls_content_type_name(uint8_t type);

#ifdef __cplusplus
}
#endif

#endif /* WORKSHOP_TLS_NAMES_H */
