/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file trace_bio.c
 * @brief The transport tap behind `--trace` and the server's `/hello` page (see trace_bio.h).
 */
#include "trace_bio.h"

#include <stdlib.h>
#include <string.h>

#include "dtls_record.h"
#include "dtls_trace.h"

/* TLS record content types the tap itself looks at. */
#define CONTENT_ALERT 21
#define CONTENT_HANDSHAKE 22
#define HANDSHAKE_CLIENT_HELLO 1

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

/* A record is complete: remember alerts and the client random. */
static void record_done(struct trace_bio *tap, enum tls_direction dir)
{
    struct trace_direction *t = &tap->dir[dir];
    size_t len = ((size_t) t->header[3] << 8) | t->header[4];

    /* A plaintext alert is exactly two bytes; an encrypted one is longer
     * (it carries a MAC or tag) and cannot be read on the wire. */
    if (t->header[0] == CONTENT_ALERT && len == 2 && t->body_have == 2) {
        t->alert.seen = 1;
        t->alert.level = t->body[0];
        t->alert.description = t->body[1];
    }
    /* ClientHello: type(1) length(3) legacy_version(2) random(32). */
    if (t->header[0] == CONTENT_HANDSHAKE && dir == TLS_DIR_CLIENT_TO_SERVER && !tap->random_seen &&
        t->body_have >= 38 && t->body[0] == HANDSHAKE_CLIENT_HELLO) {
        /* The decoder prints the random in its ClientHello line already. */
        memcpy(tap->client_random, t->body + 6, 32);
        tap->random_seen = 1;
    }
}

/* Follow record boundaries in one direction (5-byte header, then the body). */
static void watch(struct trace_bio *tap, enum tls_direction dir, const unsigned char *buf, size_t len)
{
    struct trace_direction *t = &tap->dir[dir];

    t->bytes += len;
    while (len > 0) {
        if (t->header_have < sizeof(t->header)) {
            t->header[t->header_have++] = *buf++;
            len--;
            if (t->header_have == sizeof(t->header)) {
                t->body_left = ((size_t) t->header[3] << 8) | t->header[4];
                t->body_have = 0;
                if (t->body_left == 0) {
                    record_done(tap, dir);
                    t->header_have = 0;
                }
            }
            continue;
        }
        {
            size_t take = len < t->body_left ? len : t->body_left;
            size_t keep = t->body_have < sizeof(t->body) ? sizeof(t->body) - t->body_have : 0;

            memcpy(t->body + t->body_have, buf, take < keep ? take : keep);
            t->body_have += take < keep ? take : keep;
            buf += take;
            len -= take;
            t->body_left -= take;
            if (t->body_left == 0) {
                record_done(tap, dir);
                t->header_have = 0;
            }
        }
    }
}

/* DTLS: the records of one datagram (13-byte headers; handshake fragments
 * have 12-byte headers of their own). */
static void watch_datagram(struct trace_bio *tap, enum tls_direction dir, const unsigned char *buf,
                           size_t len)
{
    struct trace_direction *t = &tap->dir[dir];
    struct dtls_record r;
    size_t pos = 0;

    t->bytes += len;
    tap->datagrams[dir]++;
    while (dtls_record_next(buf, len, &pos, tap->cid_len, &r) == 1) {
        if (r.epoch != 0)
            continue; /* encrypted */
        if (r.type == DTLS_CT_ALERT && r.length == 2) {
            t->alert.seen = 1;
            t->alert.level = r.body[0];
            t->alert.description = r.body[1];
        }
        /* ClientHello: fragment header (12), client_version (2), random (32). */
        if (r.type == DTLS_CT_HANDSHAKE && dir == TLS_DIR_CLIENT_TO_SERVER && !tap->random_seen &&
            r.length >= DTLS_HANDSHAKE_HEADER_LEN + 34 && r.body[0] == HANDSHAKE_CLIENT_HELLO &&
            r.body[6] == 0 && r.body[7] == 0 && r.body[8] == 0) {
            memcpy(tap->client_random, r.body + DTLS_HANDSHAKE_HEADER_LEN + 2, 32);
            tap->random_seen = 1;
        }
    }
}

/* Show bytes that crossed the wire to the decoder and the tap's own watch. */
static void observe(struct trace_bio *tap, enum tls_direction dir, const unsigned char *buf, size_t len)
{
    if (tap->datagram) {
        if (tap->lines != NULL)
            dtls_trace_datagram(tap->lines, dir, buf, len, tap->cid_len);
        watch_datagram(tap, dir, buf, len);
    } else {
        record_decoder_feed(tap->decoder, dir, buf, len);
        watch(tap, dir, buf, len);
    }
    flush_lines(tap);
}

void trace_bio_set_datagram(struct trace_bio *tap, size_t cid_len)
{
    tap->datagram = 1;
    tap->cid_len = cid_len;
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
        observe(tap,
                tap->outgoing == TLS_DIR_CLIENT_TO_SERVER ? TLS_DIR_SERVER_TO_CLIENT
                                                          : TLS_DIR_CLIENT_TO_SERVER,
                buf, (size_t) ret);
    return ret;
}

const struct trace_alert *trace_bio_received_alert(const struct trace_bio *tap)
{
    return &tap->dir[tap->outgoing == TLS_DIR_CLIENT_TO_SERVER ? TLS_DIR_SERVER_TO_CLIENT
                                                               : TLS_DIR_CLIENT_TO_SERVER]
                .alert;
}

const struct trace_alert *trace_bio_sent_alert(const struct trace_bio *tap)
{
    return &tap->dir[tap->outgoing].alert;
}

int trace_bio_client_random_hex(const struct trace_bio *tap, char *hex)
{
    if (!tap->random_seen)
        return -1;
    for (size_t i = 0; i < sizeof(tap->client_random); i++)
        snprintf(hex + 2 * i, 3, "%02x", tap->client_random[i]);
    return 0;
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
