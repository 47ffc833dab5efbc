/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_dtls_record.c
 * @brief libFuzzer target for the DTLS record reading: any bytes as one datagram.
 *
 * Input format: the first byte is the connection ID length to assume (0 to 31, taken modulo 32);
 * the rest is the datagram. Every input goes through everything that reads datagrams from the
 * network: the record and fragment walk (common/dtls_record.c), the one-line description (the lossy
 * link's), the DTLS record decoder behind `--trace` (common/decoder/datagrams.c, silent and printing
 * to /dev/null, either way and with a few datagrams in a row), and the DTLS server's
 * questions (is it a ClientHello, its cookie, a HelloVerifyRequest). The walk's promises are then
 * checked: every record and fragment lies inside the datagram, positions only move forward, and
 * the description is a terminated string of at most its buffer.
 *
 * tests/test_dtls.c includes this file to replay the seed corpus and fuzzer findings, so both read
 * inputs the same way.
 */
#include "dtls_record.h"
#include "record_decoder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Does everything the walk hands out lie inside the datagram? */
static int fuzz_walk_holds(const unsigned char *dgram, size_t len, size_t cid_len)
{
    struct dtls_record r;
    size_t pos = 0, before;
    int ret;

    for (before = pos; (ret = dtls_record_next(dgram, len, &pos, cid_len, &r)) == 1; before = pos) {
        struct dtls_fragment f;
        size_t in = 0, in_before;
        int fret;

        if (pos <= before || pos > len || r.body < dgram || r.body + r.length > dgram + len ||
            (r.cid != NULL && (r.cid < dgram || r.cid + r.cid_len > r.body)))
            return 0;
        for (in_before = in; (fret = dtls_fragment_next(&r, &in, &f)) == 1; in_before = in) {
            if (in <= in_before || in > r.length || f.body < r.body ||
                f.body + f.frag_length > r.body + r.length ||
                (uint64_t) f.frag_offset + f.frag_length > f.msg_length)
                return 0;
        }
        if (fret != 0 && fret != -1)
            return 0;
    }
    return (ret == 0 || ret == -1) && pos <= len;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static FILE *sink;
    char line[200];
    size_t cid_len;
    int cookie;

    if (size == 0)
        return 0;
    cid_len = data[0] % 32;
    data++;
    size--;
    if (sink == NULL)
        sink = fopen("/dev/null", "w");
    if (!fuzz_walk_holds(data, size, cid_len))
        abort();
    memset(line, 'x', sizeof(line));
    dtls_describe_datagram(data, size, cid_len, line, sizeof(line));
    if (memchr(line, '\0', sizeof(line)) == NULL)
        abort();
    /* The decoder, silent and printing; the datagram both ways, and its two halves as two
     * datagrams, so that fragments and retransmissions of one message meet. */
    for (int printing = 0; printing < 2; printing++) {
        struct record_decoder *d = record_decoder_new_dtls(printing ? sink : NULL, cid_len);

        record_decoder_feed_datagram(d, TLS_DIR_CLIENT_TO_SERVER, data, size);
        record_decoder_feed_datagram(d, TLS_DIR_SERVER_TO_CLIENT, data, size);
        record_decoder_feed_datagram(d, TLS_DIR_CLIENT_TO_SERVER, data, size / 2);
        record_decoder_feed_datagram(d, TLS_DIR_CLIENT_TO_SERVER, data + size / 2, size - size / 2);
        record_decoder_feed_datagram(d, TLS_DIR_CLIENT_TO_SERVER, data, size);
        record_decoder_free(d);
    }
    cookie = dtls_client_hello_cookie_len(data, size);
    if (cookie < -1 || cookie > 255 || (cookie >= 0 && !dtls_is_client_hello(data, size)))
        abort();
    (void) dtls_client_hello_verify(data, size);
    return 0;
}
