/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dtls_trace.c
 * @brief DTLS datagrams for `--trace` (see dtls_trace.h).
 */
#include "dtls_trace.h"

#include "dtls_record.h"

static const char *content_name(unsigned type)
{
    switch (type) {
    case DTLS_CT_CHANGE_CIPHER_SPEC:
        return "change_cipher_spec";
    case DTLS_CT_ALERT:
        return "alert";
    case DTLS_CT_HANDSHAKE:
        return "handshake";
    case DTLS_CT_APPLICATION_DATA:
        return "application_data";
    case DTLS_CT_TLS12_CID:
        return "tls12_cid";
    default:
        return "unknown";
    }
}

/* A cookie: in a ClientHello after version (2), random (32) and the
 * session id; in a HelloVerifyRequest right after the version. */
static void print_cookie(FILE *out, const struct dtls_fragment *f)
{
    size_t at = f->msg_type == 1 ? 34 : 2;

    if (f->frag_offset != 0)
        return;
    if (f->msg_type == 1) {
        if (f->frag_length < at + 1)
            return;
        at += 1 + f->body[at];
    }
    if (f->frag_length < at + 1)
        return;
    if (f->body[at] == 0)
        fprintf(out, ", no cookie");
    else
        fprintf(out, ", %u-byte cookie", (unsigned) f->body[at]);
}

static void print_fragments(FILE *out, char arrow, const struct dtls_record *r)
{
    struct dtls_fragment f;
    size_t pos = 0;
    int ret;

    while ((ret = dtls_fragment_next(r, &pos, &f)) == 1) {
        const char *name = tls_handshake_type_name(f.msg_type);

        fprintf(out, "  %c     ", arrow);
        if (name != NULL)
            fprintf(out, "%s", name);
        else
            fprintf(out, "handshake type %u", (unsigned) f.msg_type);
        fprintf(out, ", message %u, ", (unsigned) f.msg_seq);
        if (f.frag_offset == 0 && f.frag_length == f.msg_length)
            fprintf(out, "%lu bytes", (unsigned long) f.msg_length);
        else
            fprintf(out, "bytes %lu-%lu of %lu (a fragment)", (unsigned long) f.frag_offset,
                    (unsigned long) (f.frag_offset + f.frag_length), (unsigned long) f.msg_length);
        if (f.msg_type == 1 || f.msg_type == 3)
            print_cookie(out, &f);
        fputc('\n', out);
    }
    if (ret < 0)
        fprintf(out, "  %c     malformed handshake fragment header\n", arrow);
}

void dtls_trace_datagram(FILE *out, enum tls_direction dir, const unsigned char *dgram, size_t len,
                         size_t cid_len)
{
    const char arrow = dir == TLS_DIR_CLIENT_TO_SERVER ? '>' : '<';
    struct dtls_record r;
    size_t pos = 0;
    int ret;

    fprintf(out, "  %c datagram, %zu byte%s\n", arrow, len, len == 1 ? "" : "s");
    while ((ret = dtls_record_next(dgram, len, &pos, cid_len, &r)) == 1) {
        const char *version = tls_version_name(r.version);
        int encrypted = r.epoch != 0 || r.type == DTLS_CT_TLS12_CID;

        fprintf(out, "  %c   record %s%s, %s (0x%04x), epoch %u, sequence %llu, ", arrow,
                content_name(r.type), encrypted ? " (encrypted)" : "", version != NULL ? version : "version",
                (unsigned) r.version, (unsigned) r.epoch, (unsigned long long) r.seq);
        if (r.cid != NULL) {
            fprintf(out, "connection ID ");
            for (size_t i = 0; i < r.cid_len; i++)
                fprintf(out, "%02x", r.cid[i]);
            fprintf(out, ", ");
        }
        fprintf(out, "%zu byte%s\n", r.length, r.length == 1 ? "" : "s");
        if (encrypted)
            continue;
        if (r.type == DTLS_CT_HANDSHAKE) {
            print_fragments(out, arrow, &r);
        } else if (r.type == DTLS_CT_ALERT && r.length == 2) {
            const char *name = tls_alert_name(r.body[1]);

            fprintf(out, "  %c     %s %s (%u)\n", arrow, r.body[0] == 2 ? "fatal" : "warning",
                    name != NULL ? name : "alert", (unsigned) r.body[1]);
        } else if (r.type == DTLS_CT_CHANGE_CIPHER_SPEC) {
            fprintf(out, "  %c     from the next record on, this direction is encrypted (epoch %u)\n", arrow,
                    (unsigned) r.epoch + 1);
        }
    }
    if (ret < 0)
        fprintf(out, "  %c   %zu byte%s that are not a DTLS record: the rest of the datagram is ignored\n",
                arrow, len - pos, len - pos == 1 ? "" : "s");
}
