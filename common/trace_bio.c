/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file trace_bio.c
 * @brief The tap on the transport that feeds the record decoder (see trace_bio.h).
 */
#include "trace_bio.h"

#include <stdlib.h>
#include <string.h>

/* The peer's direction: the other one. */
static enum tls_direction incoming(const struct trace_bio *tap)
{
    return tap->outgoing == TLS_DIR_CLIENT_TO_SERVER ? TLS_DIR_SERVER_TO_CLIENT : TLS_DIR_CLIENT_TO_SERVER;
}

int trace_bio_init(struct trace_bio *tap, void *inner, mbedtls_ssl_send_t *inner_send,
                   mbedtls_ssl_recv_timeout_t *inner_recv, int is_server, FILE *out, const char *prefix)
{
    memset(tap, 0, sizeof(*tap));
    tap->inner = inner;
    tap->inner_send = inner_send;
    tap->inner_recv = inner_recv;
    tap->outgoing = is_server ? TLS_DIR_SERVER_TO_CLIENT : TLS_DIR_CLIENT_TO_SERVER;
    tap->out = out;
    snprintf(tap->prefix, sizeof(tap->prefix), "%s", prefix ? prefix : "");
    /* The decoder prints into memory; whole lines are then copied to the
     * real output with the prefix, while holding the output's lock, so that
     * the server's connection threads never interleave half lines. */
    if (out != NULL) {
        tap->lines = open_memstream(&tap->lines_buf, &tap->lines_size);
        if (tap->lines == NULL)
            return -1;
    }
    tap->decoder = record_decoder_new(tap->lines);
    return tap->decoder != NULL ? 0 : -1;
}

/* Copy the complete lines the decoder has written so far to the output. */
static void flush_lines(struct trace_bio *tap)
{
    size_t start, end;

    if (tap->lines == NULL || fflush(tap->lines) != 0)
        return;
    flockfile(tap->out);
    start = tap->lines_done;
    for (end = start; end < tap->lines_size; end++) {
        if (tap->lines_buf[end] != '\n')
            continue;
        fprintf(tap->out, "%s%.*s\n", tap->prefix, (int) (end - start), tap->lines_buf + start);
        start = end + 1;
    }
    fflush(tap->out);
    funlockfile(tap->out);
    tap->lines_done = start;
    /* Everything printed: reuse the memory from the start. */
    if (tap->lines_done == tap->lines_size) {
        rewind(tap->lines);
        tap->lines_done = 0;
    }
}

/* Show bytes that crossed the wire to the decoder: over DTLS each call's
 * bytes are one whole datagram. */
static void observe(struct trace_bio *tap, enum tls_direction dir, const unsigned char *buf, size_t len)
{
    if (tap->datagram)
        record_decoder_feed_datagram(tap->decoder, dir, buf, len);
    else
        record_decoder_feed(tap->decoder, dir, buf, len);
    flush_lines(tap);
}

int trace_bio_set_datagram(struct trace_bio *tap, size_t cid_len)
{
    /* A DTLS decoder instead of the TLS one (nothing has been fed yet). */
    record_decoder_free(tap->decoder);
    tap->decoder = record_decoder_new_dtls(tap->lines, cid_len);
    tap->datagram = 1;
    return tap->decoder != NULL ? 0 : -1;
}

int trace_bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct trace_bio *tap = ctx;
    int ret = tap->inner_send(tap->inner, buf, len);

    if (ret > 0)
        observe(tap, tap->outgoing, buf, (size_t) ret);
    return ret;
}

int trace_bio_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct trace_bio *tap = ctx;
    int ret = tap->inner_recv(tap->inner, buf, len, timeout);

    if (ret > 0)
        observe(tap, incoming(tap), buf, (size_t) ret);
    return ret;
}

static const struct tls_alert *last_alert(const struct trace_bio *tap, enum tls_direction dir)
{
    static const struct tls_alert none;

    return tap->decoder != NULL ? &record_decoder_wire(tap->decoder)->direction[dir].last_alert : &none;
}

const struct tls_alert *trace_bio_received_alert(const struct trace_bio *tap)
{
    return last_alert(tap, incoming(tap));
}

const struct tls_alert *trace_bio_sent_alert(const struct trace_bio *tap)
{
    return last_alert(tap, tap->outgoing);
}

void trace_bio_free(struct trace_bio *tap)
{
    /* The decoder reports unfinished records on its stream: print that too. */
    record_decoder_free(tap->decoder);
    tap->decoder = NULL;
    if (tap->lines != NULL) {
        flush_lines(tap);
        fclose(tap->lines);
        tap->lines = NULL;
    }
    free(tap->lines_buf);
    tap->lines_buf = NULL;
}
