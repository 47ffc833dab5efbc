/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_tls_names.c
 * @brief Checks the registry tables of common/tls_names/: order, lookups, and names against Wireshark's.
 *
 * The tables are data (common/tls_names/NAME.def). This test checks what the lookups rely on
 * (strictly ascending values, every entry reachable, no GREASE value listed, names unique) and
 * then compares the names with an independent copy of the registries that Debian ships.
 *
 * IANA's own lists (tls-parameters.csv and friends) are in no Debian package, and this machine
 * cannot download them. Wireshark keeps its own copy of the same registries, and `tshark -G
 * values` prints it (tshark is in scripts/debian-packages.txt for the key log test), so when
 * tshark is installed each of our entries is looked up there: cipher suite names must be equal,
 * other names equal once case, spaces and underscores are ignored (Wireshark writes "Handshake
 * Failure" for handshake_failure). The few entries where Wireshark 4.0 names a number otherwise
 * than the registry are listed in known_differences[] with the reason; a value Wireshark does
 * not know is not an error (its tables and ours cover different years). Without tshark that part
 * is skipped and says so.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* popen */
#endif

#include "tls_names.h"
#include "unit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/** Each table, its file, and the field of Wireshark's TLS dissector that names the same numbers. */
static const struct {
    enum tls_registry registry;
    const char *file;
    const char *wireshark_field;
    int exact; /* names must be byte for byte equal */
} registries[] = {
    {TLS_REGISTRY_CIPHER_SUITES, "cipher_suites.def", "tls.handshake.ciphersuite", 1},
    {TLS_REGISTRY_GROUPS, "groups.def", "tls.handshake.extensions_supported_group", 0},
    {TLS_REGISTRY_SIGNATURE_SCHEMES, "signature_schemes.def", "tls.handshake.sig_hash_alg", 0},
    {TLS_REGISTRY_EXTENSIONS, "extensions.def", "tls.handshake.extension.type", 0},
    {TLS_REGISTRY_ALERTS, "alerts.def", "tls.alert_message.desc", 0},
    {TLS_REGISTRY_HANDSHAKE_TYPES, "handshake_types.def", "tls.handshake.type", 0},
    {TLS_REGISTRY_CONTENT_TYPES, "content_types.def", "tls.record.content_type", 0},
    {TLS_REGISTRY_VERSIONS, "versions.def", "tls.record.version", 0},
};

/** Where Wireshark 4.0 (Debian 12) names a number otherwise than our table, and why ours stays. */
static const struct {
    enum tls_registry registry;
    uint16_t value;
    const char *why;
} known_differences[] = {
    {TLS_REGISTRY_GROUPS, 512,
     "Wireshark 4.0 shows liboqs's experimental FrodoKEM; IANA later assigned MLKEM512"},
    {TLS_REGISTRY_GROUPS, 513, "as 512: IANA's MLKEM768"},
    {TLS_REGISTRY_GROUPS, 514, "as 512: IANA's MLKEM1024"},
    {TLS_REGISTRY_EXTENSIONS, 34, "Wireshark writes delegated_credentials; RFC 9345 and IANA the singular"},
    {TLS_REGISTRY_EXTENSIONS, 17513,
     "Wireshark gives the old ALPS number the new one's name; we tell them apart"},
    {TLS_REGISTRY_HANDSHAKE_TYPES, 21,
     "Wireshark says Client Certificate URL; RFC 6066 names the message CertificateURL"},
    {TLS_REGISTRY_CONTENT_TYPES, 25, "Wireshark says Connection ID; IANA's name is tls12_cid (RFC 9146)"},
};

static const char *known_difference(enum tls_registry registry, uint16_t value)
{
    for (size_t i = 0; i < sizeof known_differences / sizeof known_differences[0]; i++) {
        if (known_differences[i].registry == registry && known_differences[i].value == value) {
            return known_differences[i].why;
        }
    }
    return NULL;
}

/** The checks every lookup depends on. */
static void check_table(enum tls_registry registry, const char *file)
{
    size_t n;
    const struct tls_name *t = tls_registry_entries(registry, &n);
    int sorted = 1, reachable = 1, no_grease = 1, unique_names = 1;
    char desc[160];

    for (size_t i = 0; i < n; i++) {
        const char *found = NULL;

        if (i > 0 && t[i - 1].value >= t[i].value) {
            sorted = 0;
            printf("# %s: 0x%04x comes after 0x%04x\n", file, t[i].value, t[i - 1].value);
        }
        switch (registry) {
        case TLS_REGISTRY_CIPHER_SUITES:
            found = tls_cipher_suite_name(t[i].value);
            break;
        case TLS_REGISTRY_GROUPS:
            found = tls_group_name(t[i].value);
            break;
        case TLS_REGISTRY_SIGNATURE_SCHEMES:
            found = tls_sigalg_name(t[i].value);
            break;
        case TLS_REGISTRY_EXTENSIONS:
            found = tls_extension_name(t[i].value);
            break;
        case TLS_REGISTRY_ALERTS:
            found = t[i].value <= 255 ? tls_alert_name((uint8_t) t[i].value) : NULL;
            break;
        case TLS_REGISTRY_HANDSHAKE_TYPES:
            found = t[i].value <= 255 ? tls_handshake_type_name((uint8_t) t[i].value) : NULL;
            break;
        case TLS_REGISTRY_CONTENT_TYPES:
            found = t[i].value <= 255 ? tls_content_type_name((uint8_t) t[i].value) : NULL;
            break;
        default:
            found = tls_version_name(t[i].value);
            break;
        }
        if (found != t[i].name) {
            reachable = 0;
            printf("# %s: looking up 0x%04x does not find %s\n", file, t[i].value, t[i].name);
        }
        if (tls_is_grease(t[i].value)) {
            no_grease = 0;
            printf("# %s: 0x%04x is a GREASE value\n", file, t[i].value);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcasecmp(t[i].name, t[j].name) == 0) {
                unique_names = 0;
                printf("# %s: %s twice\n", file, t[i].name);
            }
        }
    }
    snprintf(desc, sizeof desc, "%s: %zu entries, sorted by value, none twice", file, n);
    CHECK_MSG(n > 0 && sorted, desc);
    snprintf(desc, sizeof desc, "%s: every entry is found by its value", file);
    CHECK_MSG(reachable, desc);
    snprintf(desc, sizeof desc, "%s: no GREASE value, no name twice", file);
    CHECK_MSG(no_grease && unique_names, desc);
}

static void test_lookups(void)
{
    size_t n;
    const struct tls_name *groups = tls_registry_entries(TLS_REGISTRY_GROUPS, &n);
    int from_name_ok = 1;

    CHECK(tls_registry_entries(TLS_REGISTRY_COUNT, &n) == NULL && n == 0);
    groups = tls_registry_entries(TLS_REGISTRY_GROUPS, &n);
    for (size_t i = 0; i < n; i++) {
        from_name_ok &= tls_group_from_name(groups[i].name) == groups[i].value;
    }
    CHECK_MSG(from_name_ok, "tls_group_from_name() finds every group by its name");
    CHECK_EQ_INT(tls_group_from_name("X25519"), 29);
    CHECK_EQ_INT(tls_group_from_name("secp256r1"), 23);
    CHECK_EQ_INT(tls_group_from_name("GREASE"), 0);
    CHECK_EQ_INT(tls_group_from_name("p256"), 0);
    CHECK_STR_EQ(tls_group_name(0x3a3a), "GREASE");
    CHECK_STR_EQ(tls_extension_name(0xfafa), "GREASE");
    CHECK_STR_EQ(tls_content_type_name(TLS_CT_handshake), "handshake");
    CHECK(tls_content_type_name(19) == NULL);
    /* The constants come from the same files. */
    CHECK_EQ_INT(TLS_HS_ClientHello, 1);
    CHECK_EQ_INT(TLS_EXT_key_share, 51);
    CHECK_EQ_INT(TLS_ALERT_unknown_ca, 48);
    CHECK_EQ_INT(TLS_VERSION_TLS1_3, 0x0304);
    CHECK_STR_EQ(tls_version_name(TLS_VERSION_DTLS1_2), "DTLS 1.2");
}

/** Lowercase letters and digits only: "Handshake Failure" and "handshake_failure" compare equal. */
static void normalise(const char *in, char *out, size_t cap)
{
    size_t n = 0;

    for (; *in != '\0' && n + 1 < cap; in++) {
        if (isalnum((unsigned char) *in)) {
            out[n++] = (char) tolower((unsigned char) *in);
        }
    }
    out[n] = '\0';
}

/** One name from Wireshark's tables. */
struct ws_name {
    int field; /* index into registries[] */
    uint16_t value;
    char name[96];
};

/** Read `tshark -G values` lines "V<TAB>field<TAB>value<TAB>name" for the fields we compare. */
static struct ws_name *read_wireshark(FILE *in, size_t *count)
{
    struct ws_name *names = NULL;
    size_t cap = 0;
    char line[512];

    *count = 0;
    while (fgets(line, sizeof line, in) != NULL) {
        char *field = line + 2, *value, *name, *end;
        unsigned long v;

        if (strncmp(line, "V\t", 2) != 0 || (value = strchr(field, '\t')) == NULL) {
            continue;
        }
        *value++ = '\0';
        if ((name = strchr(value, '\t')) == NULL) {
            continue;
        }
        *name++ = '\0';
        name[strcspn(name, "\r\n")] = '\0';
        v = strtoul(value, &end, 0);
        for (size_t r = 0; r < sizeof registries / sizeof registries[0]; r++) {
            if (strcmp(field, registries[r].wireshark_field) != 0 || *end != '\0' || v > 0xffff) {
                continue;
            }
            if (*count == cap) {
                struct ws_name *grown = realloc(names, (cap = cap ? 2 * cap : 1024) * sizeof *names);
                if (grown == NULL) {
                    free(names);
                    *count = 0;
                    return NULL;
                }
                names = grown;
            }
            names[*count].field = (int) r;
            names[*count].value = (uint16_t) v;
            snprintf(names[*count].name, sizeof names[*count].name, "%s", name);
            ++*count;
        }
    }
    return names;
}

static void compare_with_wireshark(void)
{
    FILE *in = popen("tshark -G values 2>/dev/null", "r");
    struct ws_name *ws;
    size_t n_ws;
    int status;

    if (in == NULL) {
        printf("# SKIP names against Wireshark's tables: cannot run tshark\n");
        return;
    }
    ws = read_wireshark(in, &n_ws);
    status = pclose(in);
    if (status != 0 || n_ws == 0) {
        printf("# SKIP names against Wireshark's tables: tshark is not installed (or printed none)\n");
        free(ws);
        return;
    }
    for (size_t r = 0; r < sizeof registries / sizeof registries[0]; r++) {
        size_t n;
        const struct tls_name *t = tls_registry_entries(registries[r].registry, &n);
        size_t compared = 0, differ = 0;
        char desc[200];

        for (size_t i = 0; i < n; i++) {
            const char *other = NULL; /* a name Wireshark gives this value, if none matches */
            int known = 0, same = 0;
            char a[96], b[96];
            const char *why;

            /* A field may have several tables (tls.handshake.type also names SSL 2.0's messages):
             * one of them must agree. */
            normalise(t[i].name, a, sizeof a);
            for (size_t k = 0; k < n_ws && !same; k++) {
                if (ws[k].field != (int) r || ws[k].value != t[i].value) {
                    continue;
                }
                known = 1;
                normalise(ws[k].name, b, sizeof b);
                same = registries[r].exact ? strcmp(t[i].name, ws[k].name) == 0 : strcmp(a, b) == 0;
                other = ws[k].name;
            }
            compared += known;
            if (!known || same) {
                continue;
            }
            why = known_difference(registries[r].registry, t[i].value);
            if (why != NULL) {
                printf("# %s 0x%04x: ours %s, Wireshark's %s (known: %s)\n", registries[r].file, t[i].value,
                       t[i].name, other, why);
            } else {
                differ++;
                printf("# %s 0x%04x: ours %s, Wireshark's %s: check IANA's registry, then fix the table "
                       "or list the difference in known_differences[]\n",
                       registries[r].file, t[i].value, t[i].name, other);
            }
        }
        snprintf(desc, sizeof desc, "%s: the %zu of %zu entries Wireshark knows have its names",
                 registries[r].file, compared, n);
        CHECK_MSG(compared > 0 && differ == 0, desc);
    }
    free(ws);
}

int main(void)
{
    for (size_t r = 0; r < sizeof registries / sizeof registries[0]; r++) {
        check_table(registries[r].registry, registries[r].file);
    }
    test_lookups();
    compare_with_wireshark();
    return unit_done();
}
