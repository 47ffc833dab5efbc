/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_record_decoder.c
 * @brief Unit tests of the record decoder on real captured TLS connections.
 *
 * The captures in tests/data/records/ were recorded on loopback by a relay between real peers:
 *  - tls12: openssl s_client -tls1_2 to openssl s_server (ECDHE-ECDSA-AES128-GCM-SHA256), a line
 *    of application data, close_notify both ways;
 *  - tls13: curl (ALPN h2, http/1.1) to openssl s_server -HTTP, TLS 1.3, one ticket;
 *  - alert: gnutls-cli, TLS 1.2, not trusting the server's CA, sends a fatal bad_certificate;
 *  - hrr: openssl s_client offering a key share on x25519 to a server that only takes secp384r1,
 *    so the server answers with a HelloRetryRequest (cut after the real ServerHello).
 *
 * NAME-c2s.bin and NAME-s2c.bin hold each direction's bytes; NAME.order lists the reads the relay
 * made (`> 517` = 517 bytes from the client), so the test can replay them in the real order.
 * Files named fuzz-*.bin are fuzzer inputs worth keeping; they are replayed through the fuzz
 * target itself. tests/data/certs/names-rsa2048.der is a certificate whose subject and issuer
 * use every attribute type the decoder names (made with openssl req and openssl x509).
 *
 * The data directory is $srcdir/tests/data/records (srcdir is set by `make check`), or
 * ./tests/data/records when srcdir is unset.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream, opendir */
#endif

#include "compat.h"
#include "decoder/decoder.h"
#include "record_decoder.h"
#include "unit.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/oid.h>

/* The fuzz target defines the input format of the fuzz-*.bin regression files. */
#include "../fuzz/fuzz_record_decoder.c"

/* ------------------------------------------------------------------------------------------ */
/* Loading captures                                                                           */
/* ------------------------------------------------------------------------------------------ */

struct chunk {
    enum tls_direction dir;
    size_t len;
};

struct capture {
    const char *name;
    unsigned char *stream[2]; /* indexed by enum tls_direction */
    size_t len[2];
    struct chunk chunks[64]; /* the relay's reads, in order */
    size_t n_chunks;
};

static const char *data_path(const char *file)
{
    static char path[1024];
    const char *srcdir = getenv("srcdir");

    snprintf(path, sizeof path, "%s/tests/data/records/%s", srcdir ? srcdir : ".", file);
    return path;
}

/** Whole file into a malloc'd buffer, NULL if it cannot be read. */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0;

    *len = 0;
    if (f == NULL) {
        return NULL;
    }
    for (;;) {
        unsigned char *grown;

        if (*len == cap) {
            cap = cap ? cap * 2 : 4096;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + *len, 1, cap - *len, f);
        if (got == 0) {
            break;
        }
        *len += got;
    }
    fclose(f);
    return buf;
}

static int load_capture(struct capture *cap, const char *name)
{
    char file[128];
    FILE *order;
    char arrow;
    size_t n;
    size_t used[2] = {0, 0};

    memset(cap, 0, sizeof *cap);
    cap->name = name;
    snprintf(file, sizeof file, "%s-c2s.bin", name);
    cap->stream[TLS_DIR_CLIENT_TO_SERVER] = read_file(data_path(file), &cap->len[0]);
    snprintf(file, sizeof file, "%s-s2c.bin", name);
    cap->stream[TLS_DIR_SERVER_TO_CLIENT] = read_file(data_path(file), &cap->len[1]);
    snprintf(file, sizeof file, "%s.order", name);
    order = fopen(data_path(file), "r");
    if (cap->stream[0] == NULL || cap->stream[1] == NULL || order == NULL) {
        printf("# cannot read capture %s (looked in %s)\n", name, data_path(""));
        if (order != NULL) {
            fclose(order);
        }
        return 0;
    }
    while (cap->n_chunks < 64 && fscanf(order, " %c %zu", &arrow, &n) == 2) {
        enum tls_direction dir = arrow == '>' ? TLS_DIR_CLIENT_TO_SERVER : TLS_DIR_SERVER_TO_CLIENT;
        cap->chunks[cap->n_chunks].dir = dir;
        cap->chunks[cap->n_chunks].len = n;
        cap->n_chunks++;
        used[dir] += n;
    }
    fclose(order);
    /* The order file must account for every captured byte. */
    return used[0] == cap->len[0] && used[1] == cap->len[1];
}

static void free_capture(struct capture *cap)
{
    free(cap->stream[0]);
    free(cap->stream[1]);
}

/* ------------------------------------------------------------------------------------------ */
/* Running the decoder                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** Decoder output collected in memory. */
struct output {
    char *text;
    size_t size;
    FILE *f;
};

static FILE *output_open(struct output *o)
{
    o->text = NULL;
    o->size = 0;
    o->f = open_memstream(&o->text, &o->size);
    return o->f;
}

/** Close the stream; the text stays (free it with free()). */
static char *output_close(struct output *o)
{
    if (o->f != NULL) {
        fclose(o->f);
    }
    return o->text;
}

/** Feed len bytes in pieces of at most max_piece bytes (0: all at once). */
static void feed_pieces(struct record_decoder *d, enum tls_direction dir, const unsigned char *p, size_t len,
                        size_t max_piece)
{
    while (len > 0) {
        size_t n = max_piece == 0 || max_piece > len ? len : max_piece;
        record_decoder_feed(d, dir, p, n);
        p += n;
        len -= n;
    }
}

/** Replay a capture in the recorded order, each read cut into pieces of at most max_piece bytes.
 *  Returns the trace; copies the decoded hello and choice when asked. */
static char *decode_capture(const struct capture *cap, size_t max_piece, struct tls_client_hello *hello,
                            struct tls_server_choice *choice)
{
    struct output o;
    struct record_decoder *d = record_decoder_new(output_open(&o));
    size_t offset[2] = {0, 0};

    for (size_t i = 0; i < cap->n_chunks; i++) {
        enum tls_direction dir = cap->chunks[i].dir;
        feed_pieces(d, dir, cap->stream[dir] + offset[dir], cap->chunks[i].len, max_piece);
        offset[dir] += cap->chunks[i].len;
    }
    if (hello != NULL) {
        *hello = *record_decoder_client_hello(d);
    }
    if (choice != NULL) {
        *choice = *record_decoder_server_choice(d);
    }
    record_decoder_free(d);
    return output_close(&o);
}

/** Decode one direction's bytes alone. */
static char *decode_bytes(enum tls_direction dir, const unsigned char *p, size_t len, size_t max_piece)
{
    struct output o;
    struct record_decoder *d = record_decoder_new(output_open(&o));

    feed_pieces(d, dir, p, len, max_piece);
    record_decoder_free(d);
    return output_close(&o);
}

/** Check that the needles occur in text in this order; report the first one missing. */
static int check_in_order(const char *text, const char *const *needles, size_t n, const char *desc)
{
    const char *at = text;

    for (size_t i = 0; i < n; i++) {
        const char *found = at ? strstr(at, needles[i]) : NULL;
        if (found == NULL) {
            CHECK_MSG(0, desc);
            printf("#   missing, in this order: \"%s\"\n", needles[i]);
            printf("#   trace:\n%s\n", text ? text : "(null)");
            return 0;
        }
        at = found + strlen(needles[i]);
    }
    return CHECK_MSG(1, desc);
}

static size_t count_occurrences(const char *text, const char *needle)
{
    size_t n = 0;

    for (const char *p = text; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle)) {
        n++;
    }
    return n;
}

/** Does the line of line_len bytes at line contain needle? */
static int line_contains(const char *line, size_t line_len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= line_len; i++) {
        if (memcmp(line + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/** The lines of text that start with prefix, concatenated (malloc'd); progress notes about
 *  partial handshake messages are left out. */
static char *lines_starting_with(const char *text, const char *prefix)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    size_t used = 0;

    if (out == NULL) {
        return NULL;
    }
    for (const char *line = text; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t line_len = end ? (size_t) (end - line) + 1 : strlen(line);

        if (strncmp(line, prefix, strlen(prefix)) == 0 && !line_contains(line, line_len, "received so far") &&
            !line_contains(line, line_len, "header split across records")) {
            memcpy(out + used, line, line_len);
            used += line_len;
        }
        line += line_len;
    }
    out[used] = '\0';
    return out;
}

/** Build a record: header with version 0x0303, then body. Returns its size. */
static size_t make_record(unsigned char *out, unsigned type, const unsigned char *body, size_t len)
{
    out[0] = (unsigned char) type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (unsigned char) (len >> 8);
    out[4] = (unsigned char) len;
    if (len > 0) {
        memcpy(out + 5, body, len);
    }
    return 5 + len;
}

/** Re-cut the leading plaintext handshake records of a stream into records carrying at most frag
 *  bytes each; the rest of the stream is copied unchanged. */
static unsigned char *reframe_handshake(const unsigned char *in, size_t n, size_t frag, size_t *out_len)
{
    unsigned char *hs = malloc(n);
    unsigned char *out = malloc(n + (n / frag + 1) * 5);
    size_t hs_len = 0;
    size_t pos = 0;

    *out_len = 0;
    if (hs == NULL || out == NULL) {
        free(hs);
        free(out);
        return NULL;
    }
    while (pos + 5 <= n && in[pos] == 22) {
        size_t len = ((size_t) in[pos + 3] << 8) | in[pos + 4];
        if (pos + 5 + len > n) {
            break;
        }
        memcpy(hs + hs_len, in + pos + 5, len);
        hs_len += len;
        pos += 5 + len;
    }
    for (size_t off = 0; off < hs_len; off += frag) {
        size_t len = hs_len - off < frag ? hs_len - off : frag;
        *out_len += make_record(out + *out_len, 22, hs + off, len);
    }
    memcpy(out + *out_len, in + pos, n - pos);
    *out_len += n - pos;
    free(hs);
    return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static struct capture tls12, tls13, alert, hrr;

static void test_name_tables(void)
{
    size_t named = 0;

    CHECK_STR_EQ(tls_cipher_suite_name(0xC02B), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    CHECK_STR_EQ(tls_cipher_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
    CHECK_STR_EQ(tls_cipher_suite_name(0x1305), "TLS_AES_128_CCM_8_SHA256");
    CHECK_STR_EQ(tls_cipher_suite_name(0xCCA9), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    CHECK_STR_EQ(tls_cipher_suite_name(0xC0AE), "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
    CHECK_STR_EQ(tls_cipher_suite_name(0x00A8), "TLS_PSK_WITH_AES_128_GCM_SHA256");
    CHECK_STR_EQ(tls_cipher_suite_name(0xC05C), "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256");
    CHECK_STR_EQ(tls_cipher_suite_name(0x00FF), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    CHECK_STR_EQ(tls_cipher_suite_name(0x0001), "TLS_RSA_WITH_NULL_MD5");
    CHECK_STR_EQ(tls_cipher_suite_name(0xD005), "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256");
    CHECK_STR_EQ(tls_cipher_suite_name(0x2A2A), "GREASE");
    CHECK(tls_cipher_suite_name(0x1234) == NULL);
    /* Every entry must be reachable by the binary search: 261 suites plus 16 GREASE values. */
    for (unsigned id = 0; id <= 0xffff; id++) {
        named += tls_cipher_suite_name((uint16_t) id) != NULL;
    }
    CHECK_EQ_INT(named, 261 + 16);

    CHECK_STR_EQ(tls_version_name(0x0303), "TLS 1.2");
    CHECK_STR_EQ(tls_version_name(0x0304), "TLS 1.3");
    CHECK_STR_EQ(tls_version_name(0x0300), "SSL 3.0");
    CHECK_STR_EQ(tls_version_name(0x7a7a), "GREASE");
    CHECK_STR_EQ(tls_group_name(29), "x25519");
    CHECK_STR_EQ(tls_group_name(23), "secp256r1");
    CHECK_STR_EQ(tls_group_name(256), "ffdhe2048");
    CHECK_STR_EQ(tls_group_name(0x11EC), "X25519MLKEM768");
    CHECK_STR_EQ(tls_sigalg_name(0x0403), "ecdsa_secp256r1_sha256");
    CHECK_STR_EQ(tls_sigalg_name(0x0804), "rsa_pss_rsae_sha256");
    CHECK_STR_EQ(tls_extension_name(0), "server_name");
    CHECK_STR_EQ(tls_extension_name(10), "supported_groups");
    CHECK_STR_EQ(tls_extension_name(0xff01), "renegotiation_info");
    CHECK(tls_extension_name(0x4321) == NULL);
    CHECK_STR_EQ(tls_handshake_type_name(1), "ClientHello");
    CHECK_STR_EQ(tls_handshake_type_name(11), "Certificate");
    CHECK(tls_handshake_type_name(99) == NULL);
    CHECK_STR_EQ(tls_alert_name(40), "handshake_failure");
    CHECK_STR_EQ(tls_alert_name(42), "bad_certificate");
    CHECK_STR_EQ(tls_alert_name(48), "unknown_ca");
    CHECK(tls_alert_name(200) == NULL);
}

static void test_tls12_handshake(void)
{
    static const char *const sequence[] = {
        "  > record handshake, TLS 1.0 (0x0301), 201 bytes\n",
        "  >   ClientHello, 197 bytes: offers up to TLS 1.2; 28 cipher suites; SNI localhost\n",
        ("  >     random f7db2acb2d8802a83172e586b1beb6d0531a24834f32ec6a5680490b08f0d8c9 (the key log names "
         "the connection by "
         "it)\n"),
        "  >     server_name: localhost\n",
        "  < record handshake, TLS 1.2 (0x0303), 65 bytes\n",
        "  <   ServerHello, 61 bytes: TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n",
        "  <   Certificate, 994 bytes: 2 certificates\n",
        "  <     [0] subject CN=localhost, OU=Lessons, O=mbedTLS Workshop, C=NL\n",
        "  <         issuer CN=Workshop Test CA, O=mbedTLS Workshop, C=NL\n",
        "  <         valid until 2036-11-24 02:22:28 UTC, EC key on secp256r1, 506 bytes\n",
        "  <     [1] subject CN=Workshop Test CA, O=mbedTLS Workshop, C=NL\n",
        ("  <   ServerKeyExchange, 110 bytes: ECDHE x25519, 32-byte public key, signed with "
         "ecdsa_secp256r1_sha256"),
        "  <   ServerHelloDone, 0 bytes\n",
        "  >   ClientKeyExchange, 33 bytes: ECDHE public key, 32 bytes\n",
        "  > record change_cipher_spec, TLS 1.2 (0x0303), 1 byte\n",
        "  > record handshake (encrypted), TLS 1.2 (0x0303), 40 bytes\n",
        "  <   NewSessionTicket, 182 bytes: lifetime hint 7200 s, 176-byte ticket\n",
        "  < record change_cipher_spec, TLS 1.2 (0x0303), 1 byte\n",
        "  < record handshake (encrypted), TLS 1.2 (0x0303), 40 bytes\n",
        "  > record application_data (encrypted), TLS 1.2 (0x0303), 39 bytes\n",
        "  > record alert (encrypted), TLS 1.2 (0x0303), 26 bytes\n",
        "  < record alert (encrypted), TLS 1.2 (0x0303), 26 bytes\n",
    };
    struct tls_client_hello hello;
    struct tls_server_choice choice;
    char *trace = decode_capture(&tls12, 0, &hello, &choice);
    int has_c02b = 0;

    check_in_order(trace, sequence, sizeof sequence / sizeof sequence[0],
                   "TLS 1.2 trace shows every message in order");
    CHECK_STR_CONTAINS(trace, "  >     cipher suites: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,\n");
    CHECK_STR_CONTAINS(trace, "  >     supported_groups: x25519, secp256r1, x448, secp521r1, "
                              "secp384r1\n");
    CHECK_STR_CONTAINS(trace, "  <     renegotiation_info: empty (initial handshake; secure "
                              "renegotiation supported)\n");
    CHECK(strstr(trace, "malformed") == NULL);
    CHECK(strstr(trace, "stream ended") == NULL);

    CHECK_EQ_INT(hello.present, 1);
    CHECK_EQ_INT(hello.legacy_version, 0x0303);
    CHECK_EQ_INT(hello.n_versions, 0);
    CHECK_EQ_INT(hello.n_cipher_suites, 28);
    CHECK_EQ_INT(hello.cipher_suites[0], 0xC02C);
    CHECK_EQ_INT(hello.cipher_suites[27], 0x00FF);
    for (size_t i = 0; i < hello.n_cipher_suites; i++) {
        has_c02b |= hello.cipher_suites[i] == 0xC02B;
    }
    CHECK_MSG(has_c02b, "the client offered TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    CHECK_EQ_INT(hello.n_groups, 5);
    CHECK_EQ_INT(hello.groups[0], 29);
    CHECK_EQ_INT(hello.groups[1], 23);
    CHECK_EQ_INT(hello.n_sig_algs, 20);
    CHECK_EQ_INT(hello.sig_algs[0], 0x0403);
    CHECK_EQ_INT(hello.n_extensions, 7);
    CHECK_EQ_INT(hello.extensions[0], 0);
    CHECK_STR_EQ(hello.sni, "localhost");
    CHECK_STR_EQ(hello.alpn, "");

    CHECK_EQ_INT(choice.present, 1);
    CHECK_EQ_INT(choice.version, 0x0303);
    CHECK_EQ_INT(choice.cipher_suite, 0xC02B);
    CHECK_EQ_INT(choice.group, 29); /* from the ServerKeyExchange */
    free(trace);
}

static void test_tls13_handshake(void)
{
    static const char *const sequence[] = {
        "  > record handshake, TLS 1.0 (0x0301), 512 bytes\n",
        ("  >   ClientHello, 508 bytes: offers TLS 1.3; 4 cipher suites; SNI localhost; ALPN "
         "h2,http/1.1\n"),
        "  >     ALPN protocols: h2, http/1.1\n",
        "  >     supported_versions: TLS 1.3\n",
        "  >     psk_key_exchange_modes: psk_dhe_ke\n",
        "  >     key_share: x25519 (32-byte public key)\n",
        "  <   ServerHello, 118 bytes: TLS 1.3, TLS_AES_256_GCM_SHA384, key share x25519\n",
        "  <     supported_versions: the server selected TLS 1.3\n",
        "  <     TLS 1.3: from here on both directions are encrypted\n",
        "  < record change_cipher_spec, TLS 1.2 (0x0303), 1 byte\n",
        "  <   TLS 1.3 middlebox compatibility record: it changes nothing\n",
        ("  < record application_data (encrypted), TLS 1.2 (0x0303), 23 bytes; TLS 1.3 hides the real "
         "type\n"),
        "  > record change_cipher_spec, TLS 1.2 (0x0303), 1 byte\n",
        ("  > record application_data (encrypted), TLS 1.2 (0x0303), 69 bytes; TLS 1.3 hides the real "
         "type\n"),
    };
    struct tls_client_hello hello;
    struct tls_server_choice choice;
    char *trace = decode_capture(&tls13, 0, &hello, &choice);

    check_in_order(trace, sequence, sizeof sequence / sizeof sequence[0],
                   "TLS 1.3 trace shows the hellos, then only encrypted records");
    CHECK(strstr(trace, "from here on this direction is encrypted") == NULL);
    CHECK(strstr(trace, "malformed") == NULL);
    CHECK_EQ_INT(count_occurrences(trace, "hides the real type"), 10);

    CHECK_EQ_INT(hello.present, 1);
    CHECK_EQ_INT(hello.n_versions, 1);
    CHECK_EQ_INT(hello.versions[0], 0x0304);
    CHECK_EQ_INT(hello.n_cipher_suites, 4);
    CHECK_EQ_INT(hello.cipher_suites[0], 0x1302);
    CHECK_EQ_INT(hello.n_groups, 10);
    CHECK_EQ_INT(hello.groups[5], 256);
    CHECK_EQ_INT(hello.n_extensions, 12);
    CHECK_EQ_INT(hello.extensions[11], 21); /* padding comes last */
    CHECK_STR_EQ(hello.sni, "localhost");
    CHECK_STR_EQ(hello.alpn, "h2,http/1.1");

    CHECK_EQ_INT(choice.present, 1);
    CHECK_EQ_INT(choice.version, 0x0304);
    CHECK_EQ_INT(choice.cipher_suite, 0x1302);
    CHECK_EQ_INT(choice.group, 29);
    CHECK_EQ_INT(choice.psk_accepted, 0); /* a full handshake: no pre_shared_key */
    free(trace);
}

static void test_alert(void)
{
    static const char *const sequence[] = {
        "  >   ClientHello, 211 bytes: offers up to TLS 1.2; 25 cipher suites; SNI localhost\n",
        "  >     status_request: the client asks for a stapled OCSP response\n",
        "  >     record_size_limit: 16384 bytes\n",
        "  <   ServerHello, 61 bytes: TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n",
        "  <   ServerKeyExchange, 143 bytes: ECDHE secp256r1, 65-byte public key",
        "  <   ServerHelloDone, 0 bytes\n",
        "  > record alert, TLS 1.2 (0x0303), 2 bytes: fatal bad_certificate\n",
    };
    struct tls_server_choice choice;
    char *trace = decode_capture(&alert, 0, NULL, &choice);

    check_in_order(trace, sequence, sizeof sequence / sizeof sequence[0],
                   "a client that distrusts the certificate answers with a fatal alert");
    CHECK_EQ_INT(choice.group, 23);
    free(trace);
}

static void test_hello_retry(void)
{
    static const char *const sequence[] = {
        "  >     key_share: x25519 (32-byte public key)\n",
        ("  <   HelloRetryRequest, 84 bytes: TLS 1.3, TLS_AES_256_GCM_SHA384, asks for a key share on "
         "secp384r1\n"),
        "  < record change_cipher_spec, TLS 1.2 (0x0303), 1 byte\n",
        "  <   TLS 1.3 middlebox compatibility record: it changes nothing\n",
        "  > record change_cipher_spec, TLS 1.2 (0x0303), 1 byte\n",
        "  >   TLS 1.3 middlebox compatibility record: it changes nothing\n",
        ("  >   ClientHello, 355 bytes: offers TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0; 31 cipher suites; "
         "SNI localhost\n"),
        "  >     key_share: secp384r1 (97-byte public key)\n",
        "  <   ServerHello, 183 bytes: TLS 1.3, TLS_AES_256_GCM_SHA384, key share secp384r1\n",
        "  <     TLS 1.3: from here on both directions are encrypted\n",
    };
    struct tls_client_hello hello;
    struct tls_server_choice choice;
    char *trace = decode_capture(&hrr, 0, &hello, &choice);

    check_in_order(trace, sequence, sizeof sequence / sizeof sequence[0],
                   "HelloRetryRequest: both hellos in plaintext, then encryption");
    CHECK_EQ_INT(hello.n_versions, 4);
    CHECK_EQ_INT(hello.n_groups, 2);
    CHECK_EQ_INT(choice.version, 0x0304);
    CHECK_EQ_INT(choice.group, 24);
    free(trace);
}

/** The trace must not depend on how the bytes were split into feed calls. */
static void test_fragmentation(void)
{
    const struct capture *caps[] = {&tls12, &tls13, &alert, &hrr};

    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        char *whole = decode_capture(caps[i], 0, NULL, NULL);
        char *bytewise = decode_capture(caps[i], 1, NULL, NULL);
        char *sevens = decode_capture(caps[i], 7, NULL, NULL);
        char desc[128];

        snprintf(desc, sizeof desc, "%s fed 1 byte at a time prints the same trace", caps[i]->name);
        CHECK_MSG(whole && bytewise && strcmp(whole, bytewise) == 0, desc);
        snprintf(desc, sizeof desc, "%s fed 7 bytes at a time prints the same trace", caps[i]->name);
        CHECK_MSG(whole && sevens && strcmp(whole, sevens) == 0, desc);
        free(whole);
        free(bytewise);
        free(sevens);
    }
}

static void test_coalesced(void)
{
    /* The alert record is the last 7 bytes of the alert capture's client stream. */
    const unsigned char *alert_record = alert.stream[0] + alert.len[0] - 7;
    unsigned char two[14];
    char *trace;
    char *ordered;
    char *out_of_order;
    struct output o;
    struct record_decoder *d;
    unsigned char *one_record;
    size_t one_len;

    memcpy(two, alert_record, 7);
    memcpy(two + 7, alert_record, 7);
    trace = decode_bytes(TLS_DIR_CLIENT_TO_SERVER, two, sizeof two, 0);
    CHECK_EQ_INT(count_occurrences(trace, "  > record alert, TLS 1.2 (0x0303), 2 bytes: fatal "
                                          "bad_certificate\n"),
                 2);
    free(trace);

    /* Each direction in a single feed call (server first, so the client's key exchange can be
     * read): per direction, the same lines as the replay in the recorded order. */
    ordered = decode_capture(&tls12, 0, NULL, NULL);
    d = record_decoder_new(output_open(&o));
    record_decoder_feed(d, TLS_DIR_SERVER_TO_CLIENT, tls12.stream[1], tls12.len[1]);
    record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, tls12.stream[0], tls12.len[0]);
    record_decoder_free(d);
    out_of_order = output_close(&o);
    for (int dir = 0; dir < 2; dir++) {
        const char *prefix = dir == 0 ? "  > " : "  < ";
        char *a = lines_starting_with(ordered, prefix);
        char *b = lines_starting_with(out_of_order, prefix);
        CHECK_MSG(a && b && strcmp(a, b) == 0, dir == 0 ? "client stream in one feed decodes the same"
                                                        : "server stream in one feed decodes the same");
        free(a);
        free(b);
    }
    free(out_of_order);

    /* All of the server's plaintext handshake messages in one record. */
    one_record = reframe_handshake(tls12.stream[1], tls12.len[1], 16384, &one_len);
    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, one_record, one_len, 0);
    {
        static const char *const sequence[] = {
            "  < record handshake, TLS 1.2 (0x0303), 1367 bytes\n",
            "  <   ServerHello, 61 bytes",
            "  <   Certificate, 994 bytes: 2 certificates\n",
            "  <   ServerKeyExchange, 110",
            "  <   ServerHelloDone, 0 bytes\n",
            "  <   NewSessionTicket, 182",
            "  < record change_cipher_spec",
        };
        check_in_order(trace, sequence, sizeof sequence / sizeof sequence[0],
                       "five handshake messages in one record are all decoded");
    }
    CHECK_EQ_INT(count_occurrences(trace, "< record handshake, TLS"), 1);
    free(trace);
    free(one_record);
    free(ordered);
}

/** One handshake message spread over many records is reassembled. */
static void test_handshake_split(void)
{
    static const size_t fragments[] = {100, 3, 1};
    char *reference = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, tls12.stream[1], tls12.len[1], 0);
    char *reference_messages = lines_starting_with(reference, "  <   ");

    for (size_t i = 0; i < sizeof fragments / sizeof fragments[0]; i++) {
        size_t len;
        unsigned char *stream = reframe_handshake(tls12.stream[1], tls12.len[1], fragments[i], &len);
        char *trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, stream, len, 0);
        char *messages = lines_starting_with(trace, "  <   ");
        char desc[128];

        snprintf(desc, sizeof desc, "handshake re-cut into %zu-byte records: same messages and certificates",
                 fragments[i]);
        CHECK_MSG(messages && reference_messages && strcmp(messages, reference_messages) == 0, desc);
        if (fragments[i] == 100) {
            CHECK_STR_CONTAINS(trace, "  <   Certificate, 994 bytes: 31 received so far, continues "
                                      "in the next record\n");
        }
        if (fragments[i] == 1) {
            CHECK_STR_CONTAINS(trace, "handshake message header split across records (1 of 4 "
                                      "bytes)\n");
        }
        free(messages);
        free(trace);
        free(stream);
    }
    free(reference_messages);
    free(reference);
}

static void test_truncated(void)
{
    char *trace;
    size_t len;
    unsigned char *stream;

    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, tls12.stream[1], 3, 0);
    CHECK_STR_EQ(trace, "  < stream ended inside a record header (3 of 5 bytes)\n");
    free(trace);

    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, tls12.stream[1], 100, 0);
    CHECK_STR_CONTAINS(trace, "  <   ServerHello, 61 bytes");
    CHECK_STR_CONTAINS(trace, "  < stream ended inside a handshake record (25 of 998 bytes)\n");
    free(trace);

    stream = reframe_handshake(tls12.stream[1], tls12.len[1], 100, &len);
    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, stream, 5 * 105, 0);
    CHECK_STR_CONTAINS(trace, "  < stream ended inside a handshake message (435 bytes buffered)\n");
    free(trace);
    free(stream);
}

static void test_not_tls(void)
{
    static const char http[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    static const unsigned char binary[] = {0x80, 0x2c, 0x01, 0x03, 0x01, 0x00, 0x03};
    char *trace;
    char *bytewise;
    unsigned char stream[64];
    size_t len;

    trace = decode_bytes(TLS_DIR_CLIENT_TO_SERVER, (const unsigned char *) http, strlen(http), 0);
    CHECK_STR_EQ(trace, "  > not a TLS record (looks like plain text: \"GET / HTTP/1.1\"); stream "
                        "not TLS, further bytes ignored\n"
                        "  > 19 further bytes ignored\n");
    bytewise = decode_bytes(TLS_DIR_CLIENT_TO_SERVER, (const unsigned char *) http, strlen(http), 1);
    CHECK_STR_EQ(bytewise, trace);
    free(trace);
    free(bytewise);

    trace = decode_bytes(TLS_DIR_CLIENT_TO_SERVER, binary, sizeof binary, 0);
    CHECK_STR_EQ(trace, "  > not a TLS record (first bytes 80 2c 01 03 01 00 03); stream not TLS, "
                        "further bytes ignored\n");
    free(trace);

    /* Valid records, then garbage: decoding stops at the garbage. */
    len = make_record(stream, 21, (const unsigned char *) "\x01\x00", 2);
    memcpy(stream + len, "HELO x\n", 7);
    len += 7;
    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, stream, len, 0);
    CHECK_STR_EQ(trace, "  < record alert, TLS 1.2 (0x0303), 2 bytes: warning close_notify\n"
                        "  < malformed record header after 1 records (looks like plain text: "
                        "\"HELO x\"); stream not TLS, further bytes ignored\n");
    free(trace);
}

static void test_oversized(void)
{
    unsigned char stream[5 + 18432 + 100];
    char *trace;

    memset(stream, 0, sizeof stream);
    memcpy(stream, "\x16\x03\x03\xff\xff", 5);
    trace = decode_bytes(TLS_DIR_CLIENT_TO_SERVER, stream, 105, 0);
    CHECK_STR_EQ(trace, "  > oversized record: handshake header claims 65535 bytes (limit 18432); "
                        "stream not TLS, further bytes ignored\n"
                        "  > 100 further bytes ignored\n");
    free(trace);

    /* Exactly at the limit the record is read, but plaintext may carry only 2^14 bytes. */
    memcpy(stream, "\x16\x03\x03\x48\x00", 5);
    trace = decode_bytes(TLS_DIR_CLIENT_TO_SERVER, stream, 5 + 18432, 0);
    CHECK_STR_EQ(trace, "  > record handshake, TLS 1.2 (0x0303), 18432 bytes\n"
                        "  >   malformed: a plaintext record carries at most 16384 bytes\n");
    free(trace);
}

/** A handshake message above the reassembly limit is skipped, and decoding carries on after it. */
static void test_handshake_too_large(void)
{
    static unsigned char stream[5 + 4 + 5 * (5 + 16384) + 5 + 4];
    static unsigned char body[16384];
    size_t len = 0;
    size_t remaining = 65537;
    char *trace;

    len += make_record(stream + len, 22, (const unsigned char *) "\x0b\x01\x00\x01", 4);
    while (remaining > 0) {
        size_t n = remaining < sizeof body ? remaining : sizeof body;
        len += make_record(stream + len, 22, body, n);
        remaining -= n;
    }
    len += make_record(stream + len, 22, (const unsigned char *) "\x0e\x00\x00\x00", 4);
    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, stream, len, 0);
    CHECK_STR_CONTAINS(trace, "  <   Certificate, 65537 bytes: handshake message too large, "
                              "skipped\n");
    CHECK_STR_CONTAINS(trace, "  <   (65537 bytes of the skipped message still to come)\n");
    CHECK_STR_CONTAINS(trace, "  <   ServerHelloDone, 0 bytes\n");
    free(trace);
}

/** The lesson server decodes silently and only reads the ClientHello. */
static void test_silent(void)
{
    struct record_decoder *d = record_decoder_new(NULL);

    record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, tls13.stream[0], tls13.len[0]);
    CHECK_EQ_INT(record_decoder_client_hello(d)->present, 1);
    CHECK_STR_EQ(record_decoder_client_hello(d)->sni, "localhost");
    CHECK_EQ_INT(record_decoder_server_choice(d)->present, 0);
    record_decoder_free(d);

    /* Edge cases of the API must be harmless. */
    record_decoder_free(NULL);
    record_decoder_feed(NULL, TLS_DIR_CLIENT_TO_SERVER, tls13.stream[0], 10);
    d = record_decoder_new(NULL);
    record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, NULL, 0);
    record_decoder_feed(d, (enum tls_direction) 7, tls13.stream[0], 10);
    CHECK_EQ_INT(record_decoder_client_hello(d)->present, 0);
    record_decoder_free(d);
}

/** The longest record body in a stream before its first change_cipher_spec or application_data
 *  record, walked here by the headers alone (lesson 14's question, answered independently). */
static size_t largest_before_encryption(const unsigned char *stream, size_t len)
{
    size_t largest = 0;

    for (size_t at = 0; at + 5 <= len; at += 5 + ((size_t) stream[at + 3] << 8 | stream[at + 4])) {
        size_t body = (size_t) stream[at + 3] << 8 | stream[at + 4];

        if (stream[at] == 20 || stream[at] == 23)
            break;
        largest = body > largest ? body : largest;
    }
    return largest;
}

/** What the decoder keeps for the lessons besides the trace: bytes, records, round trips,
 *  certificates in the clear, alerts. */
static void test_wire_summary(void)
{
    struct record_decoder *d = record_decoder_new(NULL);
    const struct tls_wire_summary *w;
    size_t offset[2] = {0, 0};
    unsigned turns = 0;

    for (size_t i = 0; i < tls12.n_chunks; i++) {
        enum tls_direction dir = tls12.chunks[i].dir;

        /* The server answering the client: one round trip. */
        turns +=
            dir == TLS_DIR_SERVER_TO_CLIENT && i > 0 && tls12.chunks[i - 1].dir == TLS_DIR_CLIENT_TO_SERVER;
        record_decoder_feed(d, dir, tls12.stream[dir] + offset[dir], tls12.chunks[i].len);
        offset[dir] += tls12.chunks[i].len;
    }
    w = record_decoder_wire(d);
    CHECK_EQ_INT(w->direction[TLS_DIR_CLIENT_TO_SERVER].bytes, tls12.len[0]);
    CHECK_EQ_INT(w->direction[TLS_DIR_SERVER_TO_CLIENT].bytes, tls12.len[1]);
    CHECK_EQ_INT(w->round_trips, turns);
    CHECK_EQ_INT(w->round_trips, 3);
    /* ClientHello, ClientKeyExchange, change_cipher_spec, Finished, data, close_notify. */
    CHECK_EQ_INT(w->direction[TLS_DIR_CLIENT_TO_SERVER].records, 6);
    CHECK_EQ_INT(w->direction[TLS_DIR_SERVER_TO_CLIENT].certificates_in_clear, 2);
    CHECK_EQ_INT(w->direction[TLS_DIR_CLIENT_TO_SERVER].certificates_in_clear, 0);
    /* The longest plaintext record: the server's, with its certificate chain, before its keys changed. */
    CHECK_EQ_INT(w->direction[TLS_DIR_SERVER_TO_CLIENT].largest_plaintext_record,
                 largest_before_encryption(tls12.stream[1], tls12.len[1]));
    CHECK_MSG(w->direction[TLS_DIR_SERVER_TO_CLIENT].largest_plaintext_record > 500,
              "the server's largest plaintext record holds its certificates");
    /* Both close_notify alerts are encrypted: nothing readable. */
    CHECK_EQ_INT(w->direction[TLS_DIR_CLIENT_TO_SERVER].last_alert.seen, 0);
    record_decoder_free(d);

    d = record_decoder_new(NULL);
    record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, tls13.stream[0], tls13.len[0]);
    record_decoder_feed(d, TLS_DIR_SERVER_TO_CLIENT, tls13.stream[1], tls13.len[1]);
    w = record_decoder_wire(d);
    CHECK_MSG(w->direction[TLS_DIR_SERVER_TO_CLIENT].certificates_in_clear == 0,
              "TLS 1.3: the server's certificate is not in the clear");
    CHECK_EQ_INT(w->direction[TLS_DIR_SERVER_TO_CLIENT].largest_plaintext_record,
                 largest_before_encryption(tls13.stream[1], tls13.len[1]));
    record_decoder_free(d);

    d = record_decoder_new(NULL);
    feed_pieces(d, TLS_DIR_CLIENT_TO_SERVER, alert.stream[0], alert.len[0], 0);
    w = record_decoder_wire(d);
    CHECK_EQ_INT(w->direction[TLS_DIR_CLIENT_TO_SERVER].last_alert.seen, 1);
    CHECK_EQ_INT(w->direction[TLS_DIR_CLIENT_TO_SERVER].last_alert.level, 2);
    CHECK_EQ_INT(w->direction[TLS_DIR_CLIENT_TO_SERVER].last_alert.description, TLS_ALERT_bad_certificate);
    CHECK_EQ_INT(w->direction[TLS_DIR_SERVER_TO_CLIENT].last_alert.seen, 0);
    record_decoder_free(d);
}

/** A TLS 1.3 client that rejects the server's certificate has no keys for its own direction yet:
 *  its alert travels in plaintext although the server's ServerHello switched to encryption. */
static void test_plaintext_alert_after_server_hello(void)
{
    static const unsigned char fatal_bad_certificate[] = {21, 3, 3, 0, 2, 2, 42};
    size_t hello_len = 5 + (((size_t) tls13.stream[0][3] << 8) | tls13.stream[0][4]);
    size_t server_hello_len = 5 + (((size_t) tls13.stream[1][3] << 8) | tls13.stream[1][4]);
    struct output o;
    struct record_decoder *d = record_decoder_new(output_open(&o));
    const struct tls_alert *sent;
    char *trace;

    record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, tls13.stream[0], hello_len);
    record_decoder_feed(d, TLS_DIR_SERVER_TO_CLIENT, tls13.stream[1], server_hello_len);
    record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, fatal_bad_certificate, sizeof fatal_bad_certificate);
    sent = &record_decoder_wire(d)->direction[TLS_DIR_CLIENT_TO_SERVER].last_alert;
    CHECK_EQ_INT(sent->seen, 1);
    CHECK_EQ_INT(sent->description, 42);
    record_decoder_free(d);
    trace = output_close(&o);
    CHECK_STR_CONTAINS(trace, "  > record alert, TLS 1.2 (0x0303), 2 bytes: fatal bad_certificate\n"
                              "  >   sent in plaintext: its sender had no keys for this direction yet\n");
    free(trace);
}

/** Build a handshake record holding one message. Returns its size. */
static size_t make_handshake(unsigned char *out, unsigned type, const unsigned char *body, size_t len)
{
    unsigned char msg[1024];

    msg[0] = (unsigned char) type;
    msg[1] = (unsigned char) (len >> 16);
    msg[2] = (unsigned char) (len >> 8);
    msg[3] = (unsigned char) len;
    if (len > 0) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(msg + 4, body, len);
    return make_record(out, 22, msg, 4 + len);
}

/** A certificate mbedTLS refuses gets its reason; the trace goes on. */
static void test_certificate_refused(void)
{
    /* certificate_list of one 6-byte "certificate": an empty SEQUENCE and junk. */
    static const unsigned char certificate[] = {0, 0, 9, 0, 0, 6, 0x30, 0x00, 0x01, 0x02, 0x03, 0x04};
    unsigned char stream[128];
    size_t len = make_handshake(stream, 11, certificate, sizeof certificate);
    char *trace;

    len += make_handshake(stream + len, 14, NULL, 0);
    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, stream, len, 0);
    CHECK_STR_CONTAINS(trace, "  <   Certificate, 12 bytes: 1 certificate\n"
                              "  <     [0] 6 bytes: not a readable X.509 certificate (-0x");
    CHECK_STR_CONTAINS(trace, "  <   ServerHelloDone, 0 bytes\n");
    free(trace);
}

/** A certificate with every attribute type the decoder names, and an RSA key: the summary is the
 *  one mbedTLS 3.6's own names gave (mbedtls_oid_get_attr_short_name()), on every release. */
static void test_certificate_names(void)
{
    char path[1024];
    const char *srcdir = getenv("srcdir");
    unsigned char *cert, *stream;
    size_t cert_len, len;
    char *trace;

    snprintf(path, sizeof path, "%s/tests/data/certs/names-rsa2048.der", srcdir ? srcdir : ".");
    cert = read_file(path, &cert_len);
    if (!CHECK_MSG(cert != NULL && cert_len > 0 && cert_len < 4096,
                   "tests/data/certs/names-rsa2048.der read")) {
        free(cert);
        return;
    }
    /* One record: handshake header, certificate_list length, the certificate's length, the DER. */
    stream = malloc(5 + 4 + 6 + cert_len);
    if (!CHECK(stream != NULL)) {
        free(cert);
        return;
    }
    len = 4 + 6 + cert_len;
    stream[0] = 22;
    stream[1] = 3;
    stream[2] = 3;
    stream[3] = (unsigned char) (len >> 8);
    stream[4] = (unsigned char) len;
    stream[5] = 11;
    stream[6] = 0;
    stream[7] = (unsigned char) ((len - 4) >> 8);
    stream[8] = (unsigned char) (len - 4);
    stream[9] = 0;
    stream[10] = (unsigned char) ((cert_len + 3) >> 8);
    stream[11] = (unsigned char) (cert_len + 3);
    stream[12] = 0;
    stream[13] = (unsigned char) (cert_len >> 8);
    stream[14] = (unsigned char) cert_len;
    memcpy(stream + 15, cert, cert_len);
    trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, stream, 5 + len, 0);
    CHECK_STR_CONTAINS(trace,
                       "  <     [0] subject CN=Jane Doe, generationQualifier=Jr, initials=JD, GN=Jane, "
                       "SN=Doe, title=Tester, OU=Lessons, O=Workshop, L=Amsterdam, ST=Noord-Holland, "
                       "C=NL, DC=example, DC=org\n");
    CHECK_STR_CONTAINS(trace, "  <         issuer CN=Names CA, 2.5.4.9=Main St, emailAddress=ca@example.org, "
                              "uniqueIdentifier=xyz, serialNumber=42, uid=ca1, dnQualifier=q1, pseudonym=CA, "
                              "postalCode=1011 AB, postalAddress=Street 1, DC=test\n");
    CHECK_STR_CONTAINS(trace,
                       "  <         valid until 2046-11-27 02:52:40 UTC, RSA 2048-bit key, 1066 bytes\n");
    free(trace);
    free(stream);
    free(cert);
}

/** The decoder's OID tables (common/decoder/x509.c): each entry's bytes are its dotted OID, no OID
 *  is there twice, a curve has the groups registry's name, and where the library still names
 *  them itself (2.28 and 3.6; 4.0 made those functions internal) it agrees. */
static void test_oid_tables(void)
{
    static const enum x509_oid_table tables[] = {X509_OID_ATTRIBUTE_TYPES, X509_OID_CURVES,
                                                 X509_OID_KEY_ALGORITHMS};
    int bad_dotted = 0, duplicates = 0, bad_group = 0;
#if COMPAT_HAVE_LEGACY_CRYPTO
    int library_disagrees = 0;
#endif

    for (size_t t = 0; t < COUNT(tables); t++) {
        size_t count;
        const struct x509_oid *table = x509_oid_table(tables[t], &count);

        CHECK_MSG(table != NULL && count > 0, "an OID table has entries");
        for (size_t i = 0; table != NULL && i < count; i++) {
            const struct x509_oid *e = &table[i];
            mbedtls_asn1_buf oid = {.tag = MBEDTLS_ASN1_OID, .len = e->len, .p = (unsigned char *) e->der};
            char dotted[64];

            if (mbedtls_oid_get_numeric_string(dotted, sizeof dotted, &oid) <= 0 ||
                strcmp(dotted, e->dotted) != 0) {
                printf("# %s: the bytes read %s\n", e->dotted, dotted);
                bad_dotted++;
            }
            if (x509_oid_find(tables[t], (const unsigned char *) e->der, e->len) != e) {
                printf("# %s: in the table twice\n", e->dotted);
                duplicates++;
            }
            if (tables[t] == X509_OID_CURVES && (tls_group_name((uint16_t) e->value) == NULL ||
                                                 strcmp(tls_group_name((uint16_t) e->value), e->name) != 0)) {
                printf("# %s: %s is not group %u\n", e->dotted, e->name, e->value);
                bad_group++;
            }
#if COMPAT_HAVE_LEGACY_CRYPTO
            if (tables[t] == X509_OID_ATTRIBUTE_TYPES) {
                const char *name = NULL;

                /* 3.6 names every one; 2.28 a few less (it has no "uid"). */
                if (mbedtls_oid_get_attr_short_name(&oid, &name) == 0
                        ? strcmp(name, e->name) != 0
                        : MBEDTLS_VERSION_NUMBER >= 0x03060000) {
                    printf("# %s: mbedTLS names it %s, the table %s\n", e->dotted, name ? name : "(nothing)",
                           e->name);
                    library_disagrees++;
                }
            } else if (tables[t] == X509_OID_CURVES) {
                mbedtls_ecp_group_id group;
                const mbedtls_ecp_curve_info *info;

                /* Only the curves this build has. */
                if (mbedtls_oid_get_ec_grp(&oid, &group) == 0 &&
                    ((info = mbedtls_ecp_curve_info_from_grp_id(group)) == NULL ||
                     info->tls_id != e->value)) {
                    printf("# %s: not mbedTLS's curve for group %u\n", e->dotted, e->value);
                    library_disagrees++;
                }
            } else {
                mbedtls_pk_type_t type;
                int ok = mbedtls_oid_get_pk_alg(&oid, &type) != 0 /* a key this build does not parse */ ||
                         (e->value == X509_KEY_RSA  ? type == MBEDTLS_PK_RSA
                          : e->value == X509_KEY_EC ? type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECKEY_DH
                                                    : type != MBEDTLS_PK_RSA);

                if (!ok) {
                    printf("# %s: mbedTLS reads it as pk type %d\n", e->dotted, (int) type);
                    library_disagrees++;
                }
            }
#endif
        }
    }
    CHECK_MSG(bad_dotted == 0, "every OID in the decoder's tables is the dotted OID it says");
    CHECK_MSG(duplicates == 0, "no OID is in a table twice");
    CHECK_MSG(bad_group == 0, "every curve has the groups registry's name for its group");
#if COMPAT_HAVE_LEGACY_CRYPTO
    CHECK_MSG(library_disagrees == 0, "mbedTLS names the tables' OIDs as the tables do");
    /* And the other way: every attribute type mbedTLS names under id-at (2.5.4.n) is in the table. */
    for (unsigned arc = 0; arc < 128; arc++) {
        unsigned char der[3] = {0x55, 0x04, (unsigned char) arc};
        mbedtls_asn1_buf oid = {.tag = MBEDTLS_ASN1_OID, .len = sizeof der, .p = der};
        const char *name = NULL;
        const struct x509_oid *e = x509_oid_find(X509_OID_ATTRIBUTE_TYPES, der, sizeof der);

        if (mbedtls_oid_get_attr_short_name(&oid, &name) == 0 && (e == NULL || strcmp(e->name, name) != 0)) {
            printf("# 2.5.4.%u: mbedTLS names it %s, the table %s\n", arc, name, e ? e->name : "not");
            library_disagrees++;
        }
    }
    CHECK_MSG(library_disagrees == 0, "every id-at attribute type mbedTLS names is in the table");
#endif
}

/** The names of a TLS 1.2 CertificateRequest, read without a certificate around them. */
static void test_certificate_request_names(void)
{
    /* certificate_types: ecdsa_sign; signature_algorithms: ecdsa_secp256r1_sha256; two names:
     * C=NL, CN=Workshop CA (printed most specific first) and a name that is not DER. */
    static const unsigned char request[] = {1, 64, 0, 2, 0x04, 0x03, 0, 39,
                                            /* DistinguishedName, 31 bytes */
                                            0, 31, 0x30, 29, 0x31, 11, 0x30, 9, 0x06, 3, 0x55, 0x04, 0x06,
                                            0x13, 2, 'N', 'L', 0x31, 14, 0x30, 12, 0x06, 3, 0x55, 0x04, 0x03,
                                            0x0c, 5, 'W', 'o', 'r', 'k', 0x1b,
                                            /* DistinguishedName, 4 bytes */
                                            0, 4, 0x04, 0x02, 'h', 'i'};
    unsigned char stream[128];
    size_t len = make_handshake(stream, 13, request, sizeof request);
    char *trace = decode_bytes(TLS_DIR_SERVER_TO_CLIENT, stream, len, 0);

    CHECK_STR_CONTAINS(trace, "  <     certificate types: ecdsa_sign\n");
    CHECK_STR_CONTAINS(trace, "  <     accepted CA: CN=Work\\x1b, C=NL\n");
    CHECK_STR_CONTAINS(trace, "  <     accepted CA: (unreadable name, 4 bytes)\n");
    CHECK(strstr(trace, "malformed") == NULL);
    free(trace);
}

/** Every line starts with an arrow and holds printable ASCII only. */
static int trace_is_clean(const char *text, size_t size)
{
    int line_start = 1;

    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char) text[i];

        if (line_start &&
            (size - i < 4 || (strncmp(text + i, "  > ", 4) != 0 && strncmp(text + i, "  < ", 4) != 0))) {
            return 0;
        }
        line_start = c == '\n';
        if (c != '\n' && (c < 0x20 || c >= 0x7f)) {
            return 0;
        }
    }
    return size > 0 && text[size - 1] == '\n';
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

/** xorshift64*: a fixed seed, so every run mutates the same way. */
static uint32_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t) ((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/** Mutated captures must never crash (run under -fsanitize=address,undefined to see it) and must
 *  always produce a clean, non-empty trace. */
static void test_mutations(void)
{
    const struct capture *caps[] = {&tls12, &tls13, &alert, &hrr};
    const int iterations = 4000;
    int bad_trace = 0;
    int bad_struct = 0;

    for (int it = 0; it < iterations; it++) {
        const struct capture *cap = caps[rng_next() % 4];
        enum tls_direction target = (enum tls_direction)(rng_next() % 2);
        size_t len = cap->len[target];
        unsigned char *copy = malloc(len);
        int mutations = 1 + (int) (rng_next() % 8);
        size_t max_piece = rng_next() % 2 ? 0 : 1 + rng_next() % 64;
        int silent = rng_next() % 4 == 0;
        struct output o = {NULL, 0, NULL};
        struct record_decoder *d;
        size_t offset[2] = {0, 0};

        memcpy(copy, cap->stream[target], len);
        for (int m = 0; m < mutations; m++) {
            size_t at = rng_next() % len;
            switch (rng_next() % 4) {
            case 0:
                copy[at] ^= (unsigned char) (1u << (rng_next() % 8));
                break;
            case 1:
                copy[at] = (unsigned char) rng_next();
                break;
            case 2:
                copy[at] = rng_next() % 2 ? 0xff : 0x00; /* lengths at their extremes */
                break;
            default:
                len = at + 1; /* truncate */
                break;
            }
        }
        d = record_decoder_new(silent ? NULL : output_open(&o));
        for (size_t i = 0; i < cap->n_chunks; i++) {
            enum tls_direction dir = cap->chunks[i].dir;
            size_t n = cap->chunks[i].len;
            const unsigned char *src = dir == target ? copy : cap->stream[dir];
            size_t avail = dir == target ? len : cap->len[dir];

            if (offset[dir] + n > avail) {
                n = avail > offset[dir] ? avail - offset[dir] : 0;
            }
            feed_pieces(d, dir, src + offset[dir], n, max_piece);
            offset[dir] += n;
        }
        bad_struct += !fuzz_invariants_hold(d);
        record_decoder_free(d);
        if (!silent) {
            output_close(&o);
            if (!trace_is_clean(o.text, o.size)) {
                if (bad_trace++ == 0) {
                    printf("# first unclean trace (iteration %d):\n%s\n", it, o.text);
                }
            }
            free(o.text);
        }
        free(copy);
    }
    CHECK_MSG(bad_struct == 0, "mutated captures: hello and choice stay within their limits");
    CHECK_MSG(bad_trace == 0, "mutated captures: every trace is non-empty, arrowed, printable");
}

/** Inputs the fuzzer once found interesting, replayed through the fuzz target. */
static void test_fuzz_regressions(void)
{
    DIR *dir = opendir(data_path(""));
    struct dirent *entry;
    int replayed = 0;

    if (!CHECK_MSG(dir != NULL, "data directory can be listed")) {
        return;
    }
    while ((entry = readdir(dir)) != NULL) {
        size_t len;
        unsigned char *input;
        char path[1024];

        if (strncmp(entry->d_name, "fuzz-", 5) != 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s", data_path(entry->d_name));
        input = read_file(path, &len);
        if (CHECK_MSG(input != NULL, entry->d_name)) {
            LLVMFuzzerTestOneInput(input, len); /* aborts if the decoder breaks a promise */
            replayed++;
        }
        free(input);
    }
    closedir(dir);
    CHECK_MSG(replayed > 0, "fuzzer regression inputs were replayed");
}

int main(void)
{
    int loaded = load_capture(&tls12, "tls12");
    loaded &= load_capture(&tls13, "tls13");
    loaded &= load_capture(&alert, "alert");
    loaded &= load_capture(&hrr, "hrr");

    if (!CHECK_MSG(loaded, "captures tls12, tls13, alert and hrr load")) {
        return unit_done();
    }
    /* As every program does first (lesson 01): 4.0 parses a certificate's key into PSA. */
    CHECK_EQ_INT(compat_psa_init(), 0);
    test_name_tables();
    test_tls12_handshake();
    test_tls13_handshake();
    test_alert();
    test_hello_retry();
    test_fragmentation();
    test_coalesced();
    test_handshake_split();
    test_truncated();
    test_not_tls();
    test_oversized();
    test_handshake_too_large();
    test_silent();
    test_wire_summary();
    test_plaintext_alert_after_server_hello();
    test_certificate_refused();
    test_certificate_names();
    test_oid_tables();
    test_certificate_request_names();
    test_mutations();
    test_fuzz_regressions();
    free_capture(&tls12);
    free_capture(&tls13);
    free_capture(&alert);
    free_capture(&hrr);
    compat_psa_free();
    return unit_done();
}
