/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dtls_record.c
 * @brief DTLS record and handshake fragment headers (see dtls_record.h).
 */
#include "dtls_record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tls_names.h"

static uint32_t get_be(const unsigned char *p, size_t n)
{
    uint32_t v = 0;

    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

int dtls_record_next(const unsigned char *dgram, size_t len, size_t *pos, size_t cid_len,
                     struct dtls_record *r)
{
    const unsigned char *h = dgram + *pos;
    size_t left = len - *pos, header;

    if (*pos >= len)
        return 0;
    memset(r, 0, sizeof(*r));
    r->type = h[0];
    header = DTLS_RECORD_HEADER_LEN + (r->type == DTLS_CT_TLS12_CID ? cid_len : 0);
    if (left < header)
        return -1;
    r->version = (uint16_t) get_be(h + 1, 2);
    /* DTLS versions are the ones' complement of TLS's: 0xFEFD is 1.2, 0xFEFF 1.0. */
    if ((r->version >> 8) != 0xFE)
        return -1;
    r->epoch = (uint16_t) get_be(h + 3, 2);
    r->seq = ((uint64_t) get_be(h + 5, 2) << 32) | get_be(h + 7, 4);
    if (r->type == DTLS_CT_TLS12_CID) {
        r->cid = h + 11;
        r->cid_len = cid_len;
    }
    r->length = get_be(h + header - 2, 2);
    if (left - header < r->length)
        return -1;
    r->body = h + header;
    *pos += header + r->length;
    return 1;
}

int dtls_fragment_next(const struct dtls_record *r, size_t *pos, struct dtls_fragment *f)
{
    const unsigned char *h = r->body + *pos;

    if (*pos >= r->length)
        return 0;
    if (r->length - *pos < DTLS_HANDSHAKE_HEADER_LEN)
        return -1;
    f->msg_type = h[0];
    f->msg_length = get_be(h + 1, 3);
    f->msg_seq = (uint16_t) get_be(h + 4, 2);
    f->frag_offset = get_be(h + 6, 3);
    f->frag_length = get_be(h + 9, 3);
    if (r->length - *pos - DTLS_HANDSHAKE_HEADER_LEN < f->frag_length ||
        f->frag_offset + (uint64_t) f->frag_length > f->msg_length)
        return -1;
    f->body = h + DTLS_HANDSHAKE_HEADER_LEN;
    *pos += DTLS_HANDSHAKE_HEADER_LEN + f->frag_length;
    return 1;
}

/* The type of the first handshake message of a datagram, or -1. */
static int first_handshake_type(const unsigned char *dgram, size_t len)
{
    struct dtls_record r;
    struct dtls_fragment f;
    size_t pos = 0, in = 0;

    if (dtls_record_next(dgram, len, &pos, 0, &r) != 1 || r.type != DTLS_CT_HANDSHAKE || r.epoch != 0 ||
        dtls_fragment_next(&r, &in, &f) != 1)
        return -1;
    return f.msg_type;
}

int dtls_is_client_hello(const unsigned char *dgram, size_t len)
{
    return first_handshake_type(dgram, len) == 1;
}

int dtls_client_hello_verify(const unsigned char *dgram, size_t len)
{
    return first_handshake_type(dgram, len) == 3;
}

/* A ClientHello's cookie: version(2) random(32) session_id<0..32> cookie<0..255>. */
static int cookie_length(const struct dtls_fragment *f)
{
    size_t at = 34;

    if (f->msg_type != 1 || f->frag_offset != 0 || f->frag_length < at + 1)
        return -1;
    at += 1 + f->body[at];
    return f->frag_length < at + 1 ? -1 : f->body[at];
}

int dtls_client_hello_cookie_len(const unsigned char *dgram, size_t len)
{
    struct dtls_record r;
    struct dtls_fragment f;
    size_t pos = 0, in = 0;

    if (dtls_record_next(dgram, len, &pos, 0, &r) != 1 || r.type != DTLS_CT_HANDSHAKE || r.epoch != 0 ||
        dtls_fragment_next(&r, &in, &f) != 1)
        return -1;
    return cookie_length(&f);
}

/* Appends to a bounded buffer; the text is cut, never overrun. */
struct text {
    char *buf;
    size_t cap, used;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->used + 1 >= t->cap)
        return;
    va_start(ap, fmt);
    n = vsnprintf(t->buf + t->used, t->cap - t->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->used = t->used + (size_t) n < t->cap ? t->used + (size_t) n : t->cap - 1;
}

static void add_cookie(struct text *t, const struct dtls_fragment *f)
{
    int len = cookie_length(f);

    if (len == 0)
        add(t, ", no cookie");
    else if (len > 0)
        add(t, ", %d-byte cookie", len);
}

static void add_fragments(struct text *t, const struct dtls_record *r)
{
    struct dtls_fragment f;
    size_t pos = 0;
    int ret, first = 1;

    while ((ret = dtls_fragment_next(r, &pos, &f)) == 1) {
        const char *name = tls_handshake_type_name(f.msg_type);

        if (!first)
            add(t, " + ");
        first = 0;
        if (name != NULL)
            add(t, "%s (msg %u", name, (unsigned) f.msg_seq);
        else
            add(t, "handshake type %u (msg %u", (unsigned) f.msg_type, (unsigned) f.msg_seq);
        if (f.frag_offset != 0 || f.frag_length != f.msg_length)
            add(t, ", bytes %lu-%lu of %lu", (unsigned long) f.frag_offset,
                (unsigned long) (f.frag_offset + f.frag_length), (unsigned long) f.msg_length);
        if (f.msg_type == 1)
            add_cookie(t, &f);
        add(t, ")");
    }
    if (ret < 0)
        add(t, "%smalformed handshake fragment", first ? "" : " + ");
}

void dtls_describe_datagram(const unsigned char *dgram, size_t len, size_t cid_len, char *out, size_t out_len)
{
    struct text t = {out, out_len, 0};
    struct dtls_record r;
    size_t pos = 0;
    int ret, n = 0;

    if (out_len == 0)
        return;
    out[0] = '\0';
    while ((ret = dtls_record_next(dgram, len, &pos, cid_len, &r)) == 1) {
        if (n++ > 0)
            add(&t, ", ");
        if (r.type == DTLS_CT_TLS12_CID) {
            add(&t, "epoch %u record with a %zu-byte connection ID, %zu bytes (encrypted)",
                (unsigned) r.epoch, r.cid_len, r.length);
        } else if (r.epoch != 0) {
            add(&t, "epoch %u %s, %zu bytes (encrypted)", (unsigned) r.epoch,
                r.type == DTLS_CT_HANDSHAKE          ? "handshake"
                : r.type == DTLS_CT_APPLICATION_DATA ? "application data"
                : r.type == DTLS_CT_ALERT            ? "alert"
                                                     : "record",
                r.length);
        } else if (r.type == DTLS_CT_HANDSHAKE) {
            add_fragments(&t, &r);
        } else if (r.type == DTLS_CT_CHANGE_CIPHER_SPEC) {
            add(&t, "ChangeCipherSpec");
        } else if (r.type == DTLS_CT_ALERT && r.length == 2) {
            add(&t, "alert (%s %u)", r.body[0] == 2 ? "fatal" : "warning", (unsigned) r.body[1]);
        } else {
            add(&t, "record type %u, %zu bytes", (unsigned) r.type, r.length);
        }
    }
    if (ret < 0) {
        if (n == 0)
            add(&t, "not a DTLS record");
        else
            add(&t, ", then %zu bytes that are not a DTLS record", len - pos);
    } else if (n == 0) {
        add(&t, "empty");
    }
}
