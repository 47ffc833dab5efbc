/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file hellos.c
 * @brief ClientHello and ServerHello: what the client offers, what the server picks.
 *
 * Both hellos travel in plaintext, so the decoder reads them in full and keeps a summary for the
 * lessons (struct tls_client_hello, struct tls_server_choice in record_decoder.h). The ServerHello
 * also decides how the rest of the connection is read: TLS 1.3 encrypts everything after it, and a
 * TLS 1.2 cipher suite names the key exchange whose messages follow.
 */
#include <string.h>

#include "decoder.h"

static const unsigned char HELLO_RETRY_REQUEST_RANDOM[32] = {
    /* SHA-256("HelloRetryRequest"), RFC 8446 section 4.1.3 */
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/** Print a 32-byte hello random in hex, as key log files write it. */
static void print_random(const struct record_decoder *d, const unsigned char *hello_random, const char *note)
{
    char hex[65];

    for (size_t i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", hello_random[i]);
    }
    decoder_emit(d, 2, "random %s (%s)", hex, note);
}

void decode_client_hello(struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct tls_client_hello ch;
    struct reader r, session_id, cookie, suites, compression, exts;
    uint32_t version;
    const unsigned char *hello_random;
    int has_extensions;
    char line[400];
    struct sbuf sb;
    char hex[8];

    memset(&ch, 0, sizeof ch);
    rd_init(&r, body, len);
    rd_init(&exts, NULL, 0);
    rd_init(&cookie, NULL, 0);
    /* DTLS adds cookie<0..2^8-1> after the session id (RFC 6347, section 4.2.1). */
    if (!rd_uint(&r, "legacy_version", 2, &version) || !rd_take(&r, "random", 32, &hello_random) ||
        !rd_vec(&r, "session_id", 1, &session_id) || (d->dtls && !rd_vec(&r, "cookie", 1, &cookie)) ||
        !rd_vec(&r, "cipher_suites", 2, &suites) || !rd_vec(&r, "compression_methods", 1, &compression) ||
        (r.left > 0 && !rd_vec(&r, "extensions", 2, &exts))) {
        decoder_emit(d, 1, "ClientHello, %zu bytes", len);
        rd_report_malformed(d, 2, "ClientHello", &r);
        return;
    }
    has_extensions = exts.p != NULL; /* SSL 3.0 style hellos have no extensions block */

    ch.legacy_version = (uint16_t) version;
    for (struct reader s = suites; s.left >= 2;) {
        uint16_t suite = 0;
        rd_u16(&s, "cipher suite", &suite);
        if (ch.n_cipher_suites < COUNT(ch.cipher_suites)) {
            ch.cipher_suites[ch.n_cipher_suites++] = suite;
        }
    }
    if (has_extensions) {
        /* Silent pass: the summary line needs SNI and versions from the extensions. */
        int was_quiet = d->quiet;
        d->quiet = 1;
        decode_extensions(d, 2, &exts, IN_CLIENT_HELLO, &ch, NULL);
        d->quiet = was_quiet;
    }

    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "ClientHello, %zu bytes: offers ", len);
    if (ch.n_versions > 0) {
        int first = 1;
        for (size_t i = 0; i < ch.n_versions; i++) {
            if (!tls_is_grease(ch.versions[i])) {
                sb_printf(&sb, "%s%s", first ? "" : ", ",
                          name_or_hex(tls_version_name(ch.versions[i]), ch.versions[i], hex, sizeof hex));
                first = 0;
            }
        }
    } else {
        sb_printf(&sb, "up to %s",
                  name_or_hex(tls_version_name(ch.legacy_version), ch.legacy_version, hex, sizeof hex));
    }
    sb_printf(&sb, "; %zu cipher suites", suites.left / 2);
    if (ch.sni[0] != '\0') {
        sb_printf(&sb, "; SNI %s", ch.sni);
    }
    if (ch.alpn[0] != '\0') {
        sb_printf(&sb, "; ALPN %s", ch.alpn);
    }
    decoder_emit(d, 1, "%s", line);
    decoder_emit(d, 2, "legacy_version %s, session id %zu bytes, %zu compression method%s",
                 name_or_hex(tls_version_name(ch.legacy_version), ch.legacy_version, hex, sizeof hex),
                 session_id.left, compression.left, compression.left == 1 ? "" : "s");
    print_random(d, hello_random, "the key log names the connection by it");
    if (d->dtls && cookie.left == 0)
        decoder_emit(d, 2, "no cookie: a server with cookies answers with a HelloVerifyRequest");
    else if (d->dtls)
        decoder_emit(d, 2, "cookie %zu bytes: the one the server's HelloVerifyRequest gave", cookie.left);
    if (session_id.left > 32) {
        decoder_emit(d, 2, "malformed ClientHello: session id longer than 32 bytes");
    }
    list_u16(d, 2, "cipher suites: ", &suites, tls_cipher_suite_name, NULL, NULL, 0);
    if (has_extensions) {
        decode_extensions(d, 2, &exts, IN_CLIENT_HELLO, NULL, NULL);
    }
    rd_report_malformed(d, 2, "ClientHello", &r);

    if (d->dir != TLS_DIR_CLIENT_TO_SERVER) {
        decoder_emit(d, 2, "note: a ClientHello normally comes from the client");
    } else if (!d->hello.present) {
        d->hello = ch;
        d->hello.present = 1;
    }
}

/** Key exchange of a TLS 1.2 cipher suite, read from its IANA name ("TLS_<kx>_WITH_..."). */
static enum key_exchange suite_key_exchange(uint16_t suite)
{
    static const struct {
        const char *prefix;
        enum key_exchange kx;
    } prefixes[] = {
        /* Longer prefixes first: "TLS_ECDHE_PSK_" must win over "TLS_ECDHE_". */
        {"TLS_ECDHE_PSK_", KX_ECDHE_PSK}, {"TLS_DHE_PSK_", KX_DHE_PSK}, {"TLS_PSK_DHE_", KX_DHE_PSK},
        {"TLS_RSA_PSK_", KX_RSA_PSK},     {"TLS_PSK_", KX_PSK},         {"TLS_ECDHE_", KX_ECDHE},
        {"TLS_ECDH_anon_", KX_ECDHE},     {"TLS_ECDH_", KX_ECDH},       {"TLS_DHE_", KX_DHE},
        {"TLS_DH_anon_", KX_DHE},         {"TLS_RSA_", KX_RSA},         {"TLS_ECJPAKE_", KX_ECJPAKE},
    };
    const char *name = tls_cipher_suite_name(suite);

    if (name == NULL || tls_is_grease(suite)) {
        return KX_UNKNOWN;
    }
    if (strstr(name, "_WITH_") == NULL) {
        return KX_TLS13; /* TLS 1.3 suites name only the AEAD and hash */
    }
    for (size_t i = 0; i < COUNT(prefixes); i++) {
        if (strncmp(name, prefixes[i].prefix, strlen(prefixes[i].prefix)) == 0) {
            return prefixes[i].kx;
        }
    }
    return KX_UNKNOWN;
}

void decode_server_hello(struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct tls_server_choice sc;
    struct reader r, session_id, exts;
    uint32_t legacy_version, compression;
    uint16_t suite;
    const unsigned char *hello_random;
    int has_extensions;
    int retry;
    char line[300];
    struct sbuf sb;
    char hex[8];

    memset(&sc, 0, sizeof sc);
    rd_init(&r, body, len);
    rd_init(&exts, NULL, 0);
    if (!rd_uint(&r, "legacy_version", 2, &legacy_version) || !rd_take(&r, "random", 32, &hello_random) ||
        !rd_vec(&r, "session_id", 1, &session_id) || !rd_u16(&r, "cipher_suite", &suite) ||
        !rd_uint(&r, "compression_method", 1, &compression) ||
        (r.left > 0 && !rd_vec(&r, "extensions", 2, &exts))) {
        decoder_emit(d, 1, "ServerHello, %zu bytes", len);
        rd_report_malformed(d, 2, "ServerHello", &r);
        return;
    }
    has_extensions = exts.p != NULL;
    retry = memcmp(hello_random, HELLO_RETRY_REQUEST_RANDOM, 32) == 0;
    if (has_extensions) {
        int was_quiet = d->quiet;
        d->quiet = 1;
        decode_extensions(d, 2, &exts, retry ? IN_HELLO_RETRY_REQUEST : IN_SERVER_HELLO, NULL, &sc);
        d->quiet = was_quiet;
    }
    if (sc.version == 0) {
        sc.version = (uint16_t) legacy_version;
    }
    sc.cipher_suite = suite;

    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "%s, %zu bytes: %s, %s", retry ? "HelloRetryRequest" : "ServerHello", len,
              name_or_hex(tls_version_name(sc.version), sc.version, hex, sizeof hex),
              name_or_hex(tls_cipher_suite_name(suite), suite, hex, sizeof hex));
    if (sc.group != 0) {
        sb_printf(&sb, retry ? ", asks for a key share on %s" : ", key share %s",
                  name_or_hex(tls_group_name(sc.group), sc.group, hex, sizeof hex));
    }
    decoder_emit(d, 1, "%s", line);
    if (retry) {
        decoder_emit(d, 2,
                     "(a ServerHello with the special HelloRetryRequest random: the client must "
                     "send a new ClientHello)");
    }
    decoder_emit(d, 2, "session id %zu bytes, compression method %u", session_id.left,
                 (unsigned) compression);
    if (!retry) {
        print_random(d, hello_random, "chosen by the server");
    }
    if (has_extensions) {
        decode_extensions(d, 2, &exts, retry ? IN_HELLO_RETRY_REQUEST : IN_SERVER_HELLO, NULL, NULL);
    }
    rd_report_malformed(d, 2, "ServerHello", &r);

    if (d->dir != TLS_DIR_SERVER_TO_CLIENT) {
        decoder_emit(d, 2, "note: a ServerHello normally comes from the server");
        return;
    }
    if (retry) {
        /* Only TLS 1.3 retries; records stay in plaintext until the real ServerHello. */
        d->tls13 = sc.version == 0x0304;
        return;
    }
    sc.present = 1;
    d->choice = sc;
    d->version = sc.version;
    d->kx = suite_key_exchange(suite);
    if (sc.version == 0x0304) {
        d->tls13 = 1;
        d->side[TLS_DIR_CLIENT_TO_SERVER].encrypted = 1;
        d->side[TLS_DIR_SERVER_TO_CLIENT].encrypted = 1;
        decoder_emit(d, 2, "TLS 1.3: from here on both directions are encrypted");
    }
}
