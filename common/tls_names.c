/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_names.c
 * @brief Lookups in the registry tables of the data files in common/tls_names/ (see tls_names.h).
 *
 * Each table is built by including its data file with TLS_NAME() defined as a table row, so the
 * names exist only in the data files. Tables are sorted by value (the test checks it), which lets
 * every lookup be a binary search.
 */
#include "tls_names.h"

#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define TLS_NAME(value, name) {value, #name},

static const struct tls_name cipher_suites[] = {
#include "tls_names/cipher_suites.def"
};
static const struct tls_name groups[] = {
#include "tls_names/groups.def"
};
static const struct tls_name signature_schemes[] = {
#include "tls_names/signature_schemes.def"
};
static const struct tls_name extensions[] = {
#include "tls_names/extensions.def"
};
static const struct tls_name alerts[] = {
#include "tls_names/alerts.def"
};
static const struct tls_name handshake_types[] = {
#include "tls_names/handshake_types.def"
};
static const struct tls_name content_types[] = {
#include "tls_names/content_types.def"
};
#undef TLS_NAME

#define TLS_VERSION(value, id, name) {value, name},
static const struct tls_name versions[] = {
#include "tls_names/versions.def"
};
#undef TLS_VERSION

const struct tls_name *tls_registry_entries(enum tls_registry registry, size_t *count)
{
    static const struct {
        const struct tls_name *entries;
        size_t count;
    } tables[TLS_REGISTRY_COUNT] = {
        [TLS_REGISTRY_CIPHER_SUITES] = {cipher_suites, COUNT(cipher_suites)},
        [TLS_REGISTRY_GROUPS] = {groups, COUNT(groups)},
        [TLS_REGISTRY_SIGNATURE_SCHEMES] = {signature_schemes, COUNT(signature_schemes)},
        [TLS_REGISTRY_EXTENSIONS] = {extensions, COUNT(extensions)},
        [TLS_REGISTRY_ALERTS] = {alerts, COUNT(alerts)},
        [TLS_REGISTRY_HANDSHAKE_TYPES] = {handshake_types, COUNT(handshake_types)},
        [TLS_REGISTRY_CONTENT_TYPES] = {content_types, COUNT(content_types)},
        [TLS_REGISTRY_VERSIONS] = {versions, COUNT(versions)},
    };

    if ((unsigned) registry >= TLS_REGISTRY_COUNT) {
        *count = 0;
        return NULL;
    }
    *count = tables[registry].count;
    return tables[registry].entries;
}

int tls_is_grease(uint16_t value)
{
    return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

/** Binary search in a table sorted by value. */
static const char *lookup(const struct tls_name *table, size_t n, uint16_t value)
{
    size_t lo = 0;
    size_t hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (table[mid].value == value) {
            return table[mid].name;
        }
        if (table[mid].value < value) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/** The registries where clients send GREASE values name them "GREASE". */
static const char *lookup_or_grease(const struct tls_name *table, size_t n, uint16_t value)
{
    return tls_is_grease(value) ? "GREASE" : lookup(table, n, value);
}

const char *tls_cipher_suite_name(uint16_t id)
{
    return lookup_or_grease(cipher_suites, COUNT(cipher_suites), id);
}

const char *tls_version_name(uint16_t v)
{
    return lookup_or_grease(versions, COUNT(versions), v);
}

const char *tls_group_name(uint16_t id)
{
    return lookup_or_grease(groups, COUNT(groups), id);
}

uint16_t tls_group_from_name(const char *name)
{
    for (size_t i = 0; i < COUNT(groups); i++) {
        if (strcasecmp(groups[i].name, name) == 0) {
            return groups[i].value;
        }
    }
    return 0;
}

const char *tls_sigalg_name(uint16_t id)
{
    return lookup_or_grease(signature_schemes, COUNT(signature_schemes), id);
}

const char *tls_extension_name(uint16_t id)
{
    return lookup_or_grease(extensions, COUNT(extensions), id);
}

const char *tls_handshake_type_name(uint8_t t)
{
    return lookup(handshake_types, COUNT(handshake_types), t);
}

const char *tls_alert_name(uint8_t desc)
{
    return lookup(alerts, COUNT(alerts), desc);
}

const char *tls_content_type_name(uint8_t type)
{
    return lookup(content_types, COUNT(content_types), type);
}
