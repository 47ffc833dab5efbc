/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file capture_seeds.c
 * @brief Record the seed inputs of the TLS fuzz targets: real conversations between the lessons'
 *        client and the lesson server (fuzz/tls_capture.h).
 *
 * Usage: capture_seeds DIR [PREFIX]
 *
 * Writes DIR/tls_client/PREFIX-NAME.bin (what the server sent: fuzz_tls_client's input) and
 * DIR/tls_server/PREFIX-NAME.bin (what the client sent) for every scenario of tls_capture.c, and
 * prints one line per scenario. PREFIX defaults to the mbedTLS version (the conversations differ
 * between versions). `make fuzz` runs it before each run, so that the fuzzers start from
 * conversations of this very build (its mbedTLS and its PKI); fuzz/corpus/tls_client and
 * fuzz/corpus/tls_server hold the same recordings made by a 3.6 and a 2.28 build.
 *
 * Exit codes: 0 every conversation went as its scenario says, 1 usage, 2 a file or a
 * conversation could not be made, 3 a conversation ended differently.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/version.h>

#include "compat.h"
#include "report.h"
#include "tls_capture.h"

static int write_file(const char *dir, const char *sub, const char *prefix, const char *name,
                      const unsigned char *data, size_t len)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -1;
    snprintf(path, sizeof(path), "%s/%s/%s-%s.bin", dir, sub, prefix, name);
    f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    if (fwrite(data, 1, len, f) != len) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    const char *prefix;
    int status = 0;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s DIR [PREFIX]\n", argv[0]);
        return 1;
    }
    /* The headers' version: configure checked that the library is the same release (4.x's
     * mbedtls_version_get_string() returns the string instead of filling a buffer). */
    prefix = argc == 3 ? argv[2] : MBEDTLS_VERSION_STRING;
    if (mkdir(argv[1], 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "capture_seeds: cannot create %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    report_set_mode(REPORT_SILENT);
    for (const struct tls_scenario *sc = tls_scenarios; sc->name != NULL; sc++) {
        struct tls_capture c;

        if (sc->needs_tls13 && !COMPAT_HAVE_TLS13)
            continue;
        if (tls_capture_run(sc, &c) != 0) {
            fprintf(stderr, "capture_seeds: %s: the conversation could not be run\n", sc->name);
            status = 2;
        } else if (c.client.answers != sc->answers || c.server.answers != sc->answers) {
            fprintf(stderr,
                    "capture_seeds: %s: %d answers read by the client, %d given by the server, expected %d "
                    "(client: %s)\n",
                    sc->name, c.client.answers, c.server.answers, sc->answers, report_first_error());
            status = status ? status : 3;
        } else if (write_file(argv[1], "tls_client", prefix, sc->name, c.client_input, c.client_len) != 0 ||
                   write_file(argv[1], "tls_server", prefix, sc->name, c.server_input, c.server_len) != 0) {
            fprintf(stderr, "capture_seeds: %s: cannot write into %s: %s\n", sc->name, argv[1],
                    strerror(errno));
            status = 2;
        } else {
            printf("  %-20s %d handshake(s), %d answer(s); %zu bytes from the server, %zu from the client\n",
                   sc->name, c.client.handshakes, c.client.answers, c.client_len - 1, c.server_len - 1);
        }
        tls_capture_free(&c);
    }
    return status;
}
