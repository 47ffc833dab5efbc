/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file psk_keys.c
 * @brief Pre-shared keys as text: hex keys, identities, the key file (see psk_keys.h).
 */
#include "psk_keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

/* A number macro as a string literal, for messages. */
#define TEXT_OF_(x) #x
#define TEXT_OF(x) TEXT_OF_(x)

const char *psk_identity_problem(const char *identity, size_t len)
{
    if (len == 0)
        return "is empty";
    if (len > PSK_MAX_IDENTITY)
        return "is longer than 128 characters";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) identity[i];

        if (c == ':')
            return "contains a colon (the key file separates identity and key with one)";
        if (c <= ' ' || c > '~')
            return "contains a space, a control character or a non-ASCII byte";
    }
    return NULL;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

const char *psk_key_from_hex(const char *hex, size_t len, unsigned char key[PSK_MAX_KEY], size_t *key_len)
{
    *key_len = 0;
    if (len == 0)
        return "is empty";
    for (size_t i = 0; i < len; i++)
        if (hex_value(hex[i]) < 0)
            return "is not hex (digits 0-9 and a-f only)";
    if (len % 2 != 0)
        return "has an odd number of hex digits (two per byte)";
    if (len / 2 < PSK_MIN_KEY)
        return "is shorter than " TEXT_OF(PSK_MIN_KEY) " bytes (twice as many hex digits)";
    if (len / 2 > PSK_MAX_KEY)
        return "is longer than " TEXT_OF(PSK_MAX_KEY) " bytes (this mbedTLS's MBEDTLS_PSK_MAX_LEN)";
    for (size_t i = 0; i < len; i += 2)
        key[i / 2] = (unsigned char) (hex_value(hex[i]) * 16 + hex_value(hex[i + 1]));
    *key_len = len / 2;
    return NULL;
}

/* One "identity:hexkey" line (without its line end) into the next entry;
 * on failure, @p why says what is wrong with it. */
static int parse_line(struct psk_keys *keys, const char *line, size_t len, char *why, size_t why_len)
{
    const char *colon = memchr(line, ':', len);
    struct psk_entry *e = &keys->entry[keys->count];
    const char *problem;
    size_t id_len;

    if (colon == NULL) {
        snprintf(why, why_len, "no colon: expected identity:hexkey");
        return -1;
    }
    id_len = (size_t) (colon - line);
    problem = psk_identity_problem(line, id_len);
    if (problem != NULL) {
        snprintf(why, why_len, "the identity %s", problem);
        return -1;
    }
    if (psk_keys_find(keys, (const unsigned char *) line, id_len) != NULL) {
        snprintf(why, why_len, "the identity %.*s appears twice", (int) id_len, line);
        return -1;
    }
    if (keys->count == PSK_MAX_ENTRIES) {
        snprintf(why, why_len, "more keys than a file may hold (%d)", PSK_MAX_ENTRIES);
        return -1;
    }
    problem = psk_key_from_hex(colon + 1, len - id_len - 1, e->key, &e->key_len);
    if (problem != NULL) {
        /* The key itself is never printed. */
        snprintf(why, why_len, "the key of %.*s %s", (int) id_len, line, problem);
        return -1;
    }
    memcpy(e->identity, line, id_len);
    e->identity[id_len] = '\0';
    e->identity_len = id_len;
    keys->count++;
    return 0;
}

int psk_keys_parse(struct psk_keys *keys, const char *text, size_t len, char *why, size_t why_len)
{
    size_t pos = 0;
    unsigned line_no = 0;

    psk_keys_wipe(keys);
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl != NULL ? (size_t) (nl - line) : len - pos;
        char problem[200];

        pos += line_len + (nl != NULL);
        line_no++;
        if (line_len > 0 && line[line_len - 1] == '\r')
            line_len--; /* CR LF line ends */
        if (memchr(line, '\0', line_len) != NULL)
            snprintf(problem, sizeof(problem), "a NUL byte: this is not a text file");
        else if (line_len == 0 || line[0] == '#')
            continue;
        else if (line[0] == ' ' || line[0] == '\t' || line[line_len - 1] == ' ' || line[line_len - 1] == '\t')
            snprintf(problem, sizeof(problem),
                     "spaces around the entry (write identity:hexkey alone on the line)");
        else if (parse_line(keys, line, line_len, problem, sizeof(problem)) == 0)
            continue;
        snprintf(why, why_len, "line %u: %s", line_no, problem);
        psk_keys_wipe(keys);
        return -1;
    }
    if (keys->count == 0) {
        snprintf(why, why_len, "no keys in it (expected lines of identity:hexkey)");
        return -1;
    }
    return 0;
}

int psk_keys_load(struct psk_keys *keys, const char *path, char *why, size_t why_len)
{
    static char text[PSK_MAX_FILE + 1];
    FILE *f = fopen(path, "rb");
    size_t len;
    int ret;

    psk_keys_wipe(keys);
    if (f == NULL) {
        snprintf(why, why_len, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    len = fread(text, 1, sizeof(text), f);
    if (ferror(f)) {
        snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    fclose(f);
    if (len > PSK_MAX_FILE) {
        snprintf(why, why_len, "%s is larger than %d bytes: not a key file", path, PSK_MAX_FILE);
        mbedtls_platform_zeroize(text, sizeof(text));
        return -1;
    }
    {
        char detail[200];

        ret = psk_keys_parse(keys, text, len, detail, sizeof(detail));
        if (ret != 0)
            snprintf(why, why_len, "%s, %s", path, detail);
    }
    mbedtls_platform_zeroize(text, sizeof(text));
    return ret;
}

const struct psk_entry *psk_keys_find(const struct psk_keys *keys, const unsigned char *identity, size_t len)
{
    for (size_t i = 0; i < keys->count; i++)
        if (keys->entry[i].identity_len == len && memcmp(keys->entry[i].identity, identity, len) == 0)
            return &keys->entry[i];
    return NULL;
}

const char *psk_identity_printable(const unsigned char *identity, size_t len, char *out, size_t cap)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        char piece[5];
        unsigned char c = identity[i];

        if (c >= ' ' && c <= '~' && c != '\\')
            piece[0] = (char) c, piece[1] = '\0';
        else
            snprintf(piece, sizeof(piece), "\\x%02X", c);
        if (used + strlen(piece) + 4 > cap) { /* room for "..." and the NUL */
            snprintf(out + used, cap - used, "...");
            return out;
        }
        memcpy(out + used, piece, strlen(piece) + 1);
        used += strlen(piece);
    }
    return out;
}

void psk_keys_wipe(struct psk_keys *keys)
{
    mbedtls_platform_zeroize(keys, sizeof(*keys));
}
