/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_session_file.c
 * @brief libFuzzer target for lesson 12's session file loader: the header parser
 *        (common/session_file.c), then mbedtls_ssl_session_load() on the session bytes, as
 *        lessons/12_resume_file.c reads a file it finds on the disk.
 *
 * Besides "no crash, no out-of-bounds read, no leak" (AddressSanitizer), the parser's promises
 * are checked: on failure a one-line reason; on success a session of 1 to
 * SESSION_FILE_MAX_SESSION bytes, NUL-terminated header fields, and what session_file_format()
 * writes from them parses back to the same (its times rounded as it writes them). A session
 * mbedTLS accepts must also save again (mbedtls_ssl_session_save()).
 *
 * Only sessions whose checksum matches reach mbedTLS, as in the lesson: mbedtls_ssl_session_load()
 * trusts its input (its documentation makes integrity the caller's job). An earlier version of
 * this target also gave it damaged sessions, and found that mbedTLS 3.6.6 then reads past a
 * buffer: a TLS 1.3 session's host name is copied without checking for its terminating NUL, and
 * mbedtls_ssl_session_save() (or the next handshake) calls strlen() on it. That input is kept as
 * fuzz/corpus/session_file/regress-tls13-hostname-without-nul.bin: the parser now refuses it.
 *
 * tests/test_session_file.c replays the seed corpus (fuzz/corpus/session_file) through this
 * function.
 */
#include "session_file.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ssl.h>

#include "compat.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int near(double a, double b, double margin)
{
    return a - b <= margin && b - a <= margin;
}

/* What the lesson does with the session bytes; a session mbedTLS accepts must save again. */
static void load_and_save(const unsigned char *bytes, size_t len)
{
    static unsigned char saved[SESSION_FILE_MAX_SESSION];
    mbedtls_ssl_session session;
    size_t out = 0;

    mbedtls_ssl_session_init(&session);
    if (mbedtls_ssl_session_load(&session, bytes, len) == 0 &&
        (mbedtls_ssl_session_save(&session, saved, sizeof(saved), &out) != 0 || out == 0))
        abort();
    mbedtls_ssl_session_free(&session);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct session_file sf, back;
    static unsigned char again[SESSION_FILE_MAX];
    static int psa_started;
    char why[256] = "";
    size_t len;

    if (!psa_started) {
        /* mbedtls_ssl_session_load() may parse a certificate, whose key PSA handles in 3.x. */
        if (compat_psa_init() != 0)
            abort();
        psa_started = 1;
    }
    if (session_file_parse(&sf, data, size, why, sizeof(why)) != 0) {
        if (why[0] == '\0' || strchr(why, '\n') != NULL)
            abort();
        return 0;
    }
    if (sf.session_len == 0 || sf.session_len > SESSION_FILE_MAX_SESSION)
        abort();
    if (memchr(sf.server, '\0', sizeof(sf.server)) == NULL ||
        memchr(sf.method, '\0', sizeof(sf.method)) == NULL ||
        memchr(sf.library, '\0', sizeof(sf.library)) == NULL)
        abort();
    /* What the lesson writes back reads the same (its times rounded as written). */
    len = session_file_format(&sf, again, sizeof(again));
    if (len != 0) {
        if (session_file_parse(&back, again, len, why, sizeof(why)) != 0)
            abort();
        if (strcmp(back.server, sf.server) != 0 || strcmp(back.method, sf.method) != 0 ||
            strcmp(back.library, sf.library) != 0 || back.saved != sf.saved ||
            back.full.flights != sf.full.flights || back.full.sent != sf.full.sent ||
            back.full.received != sf.full.received || !near(back.full.ms, sf.full.ms, 0.051) ||
            !near(back.full.cpu_ms, sf.full.cpu_ms, 0.0051) || back.session_len != sf.session_len ||
            memcmp(back.session, sf.session, sf.session_len) != 0)
            abort();
    }

    load_and_save(sf.session, sf.session_len);
    return 0;
}
