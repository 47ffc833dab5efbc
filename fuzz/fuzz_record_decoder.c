/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_record_decoder.c
 * @brief libFuzzer target for the record decoder: any bytes, any split, either direction.
 *
 * Input format: the first byte chooses how the rest (the payload) is fed.
 *  - mode & 3 == 0: the whole payload client to server, in one call;
 *  - mode & 3 == 1: the whole payload server to client, in one call;
 *  - mode & 3 == 2: the payload is a list of segments `[h][data]`: bit 7 of h is the direction
 *    (set: server to client), `(h & 0x7f) + 1` the data length; this interleaves both directions
 *    the way a real connection does;
 *  - mode & 3 == 3: the payload client to server in chunks of `(mode >> 2) + 1` bytes.
 *
 * Every input is decoded twice: silently (out = NULL, as the lesson server does) and printing to
 * /dev/null, so that the formatting code runs too. The decoder's promises are then checked: list
 * counts within their arrays and strings terminated.
 *
 * tests/test_record_decoder.c includes this file to replay fuzzer findings kept under
 * tests/data/records/, so both read inputs the same way.
 */
#include "record_decoder.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/** Do the decoded structures keep their documented limits? */
static int fuzz_invariants_hold(const struct record_decoder *d)
{
    const struct tls_client_hello *h = record_decoder_client_hello(d);
    const struct tls_server_choice *c = record_decoder_server_choice(d);

    if (h->n_versions > sizeof h->versions / sizeof h->versions[0] ||
        h->n_cipher_suites > sizeof h->cipher_suites / sizeof h->cipher_suites[0] ||
        h->n_groups > sizeof h->groups / sizeof h->groups[0] ||
        h->n_sig_algs > sizeof h->sig_algs / sizeof h->sig_algs[0] ||
        h->n_extensions > sizeof h->extensions / sizeof h->extensions[0] ||
        memchr(h->sni, '\0', sizeof h->sni) == NULL || memchr(h->alpn, '\0', sizeof h->alpn) == NULL ||
        (h->present != 0 && h->present != 1) || (c->present != 0 && c->present != 1)) {
        return 0;
    }
    return 1;
}

static void fuzz_feed(struct record_decoder *d, const unsigned char *data, size_t size)
{
    unsigned mode;

    if (size == 0) {
        return;
    }
    mode = data[0];
    data++;
    size--;
    switch (mode & 3) {
    case 0:
        record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, data, size);
        break;
    case 1:
        record_decoder_feed(d, TLS_DIR_SERVER_TO_CLIENT, data, size);
        break;
    case 2:
        while (size > 0) {
            enum tls_direction dir = (data[0] & 0x80) ? TLS_DIR_SERVER_TO_CLIENT : TLS_DIR_CLIENT_TO_SERVER;
            size_t n = (size_t) (data[0] & 0x7f) + 1;

            data++;
            size--;
            if (n > size) {
                n = size;
            }
            record_decoder_feed(d, dir, data, n);
            data += n;
            size -= n;
        }
        break;
    default: {
        size_t chunk = (size_t) (mode >> 2) + 1;

        while (size > 0) {
            size_t n = size < chunk ? size : chunk;
            record_decoder_feed(d, TLS_DIR_CLIENT_TO_SERVER, data, n);
            data += n;
            size -= n;
        }
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static FILE *devnull;
    struct record_decoder *d;

    if (devnull == NULL) {
        devnull = fopen("/dev/null", "w");
    }

    d = record_decoder_new(NULL);
    if (d != NULL) {
        fuzz_feed(d, data, size);
        if (!fuzz_invariants_hold(d)) {
            abort(); /* reported by the fuzzer as a crash */
        }
        record_decoder_free(d);
    }

    if (devnull != NULL) {
        d = record_decoder_new(devnull);
        if (d != NULL) {
            fuzz_feed(d, data, size);
            if (!fuzz_invariants_hold(d)) {
                abort();
            }
            record_decoder_free(d);
        }
    }
    return 0;
}
