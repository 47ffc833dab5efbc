/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file datagrams.c
 * @brief DTLS records: each datagram's records, with their epoch and sequence number, passed up
 *        while in plaintext.
 *
 * Over UDP a datagram holds one or more whole records, and nothing spans two datagrams, so there
 * is no stream to reassemble: record_decoder_feed_datagram() walks the records of one datagram with
 * common/dtls_record.h and prints each. A record's epoch says whether it is protected (0: plaintext;
 * 1 from the sender's ChangeCipherSpec on), not the direction's history as in TLS, because records
 * may arrive late or twice; a tls12_cid record (RFC 9146) is always protected. Plaintext handshake
 * records hold fragments, which handshake.c reassembles into messages (handshake_append_fragment()).
 * This is DTLS 1.2: DTLS 1.3's unified header (first byte 001xxxxx) is not read.
 */
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "dtls_record.h"

struct record_decoder *record_decoder_new_dtls(FILE *out, size_t cid_len)
{
    struct record_decoder *d = record_decoder_new(out);

    if (d != NULL) {
        d->dtls = 1;
        d->cid_len = cid_len;
    }
    return d;
}

static const char *content_type_name(unsigned type)
{
    const char *name = tls_content_type_name((uint8_t) type);

    return name != NULL ? name : "unknown";
}

/* "DTLS 1.2 (0xfefd), epoch 0, sequence 3" */
static void sb_header(struct sbuf *sb, const struct dtls_record *r)
{
    const char *version = tls_version_name(r->version);

    if (version != NULL)
        sb_printf(sb, "%s (0x%04x)", version, r->version);
    else
        sb_printf(sb, "version 0x%04x", r->version);
    sb_printf(sb, ", epoch %u, sequence %llu", (unsigned) r->epoch, (unsigned long long) r->seq);
    if (r->cid != NULL) {
        sb_printf(sb, ", connection ID ");
        for (size_t i = 0; i < r->cid_len; i++)
            sb_printf(sb, "%02x", r->cid[i]);
    }
}

static void process_dtls_record(struct record_decoder *d, struct direction_state *s,
                                const struct dtls_record *r)
{
    const char *unit = r->length == 1 ? "byte" : "bytes";
    char header[160];
    struct sbuf sb;

    d->wire.direction[d->dir].records++;
    sb_init(&sb, header, sizeof header);
    sb_header(&sb, r);
    if (r->epoch != 0 || r->type == TLS_CT_tls12_cid) {
        decoder_emit(d, 0, "record %s (encrypted), %s, %zu %s", content_type_name(r->type), header, r->length,
                     unit);
        return;
    }
    if (r->length > d->wire.direction[d->dir].largest_plaintext_record)
        d->wire.direction[d->dir].largest_plaintext_record = r->length;
    switch (r->type) {
    case TLS_CT_change_cipher_spec:
        decoder_emit(d, 0, "record change_cipher_spec, %s, %zu %s", header, r->length, unit);
        if (r->length != 1 || r->body[0] != 1)
            decoder_emit(d, 1, "malformed change_cipher_spec: expected the single byte 0x01");
        decoder_emit(d, 1, "the sender's next records are encrypted (epoch 1)");
        break;
    case TLS_CT_alert:
        if (r->length == 2) {
            struct tls_alert *seen = &d->wire.direction[d->dir].last_alert;
            char hex[8];

            decoder_emit(d, 0, "record alert, %s, 2 bytes: %s %s", header,
                         r->body[0] == 1   ? "warning"
                         : r->body[0] == 2 ? "fatal"
                                           : "invalid level",
                         name_or_hex(tls_alert_name(r->body[1]), r->body[1], hex, sizeof hex));
            seen->seen = 1;
            seen->level = r->body[0];
            seen->description = r->body[1];
        } else {
            decoder_emit(d, 0, "record alert, %s, %zu %s", header, r->length, unit);
            decoder_emit(d, 1, "malformed alert: expected 2 bytes (level, description)");
        }
        break;
    case TLS_CT_handshake: {
        struct dtls_fragment f;
        size_t pos = 0;
        int ret;

        decoder_emit(d, 0, "record handshake, %s, %zu %s", header, r->length, unit);
        while ((ret = dtls_fragment_next(r, &pos, &f)) == 1)
            handshake_append_fragment(d, s, f.msg_type, f.msg_length, f.msg_seq, f.frag_offset, f.body,
                                      f.frag_length);
        if (ret < 0)
            decoder_emit(d, 1, "malformed: %zu bytes that are not a whole handshake fragment",
                         r->length - pos);
        else if (r->length == 0)
            decoder_emit(d, 1, "malformed: empty handshake record");
        break;
    }
    case TLS_CT_application_data:
        decoder_emit(d, 0, "record application_data, %s, %zu %s", header, r->length, unit);
        decoder_emit(d, 1, "unexpected: application data in epoch 0, unencrypted");
        break;
    default:
        decoder_emit(d, 0, "record %s, %s, %zu %s", content_type_name(r->type), header, r->length, unit);
        break;
    }
}

void record_decoder_feed_datagram(struct record_decoder *d, enum tls_direction dir, const unsigned char *data,
                                  size_t len)
{
    struct dtls_record r;
    size_t pos = 0;
    int ret, records = 0;

    if (d == NULL || (data == NULL && len > 0) ||
        (dir != TLS_DIR_CLIENT_TO_SERVER && dir != TLS_DIR_SERVER_TO_CLIENT))
        return;
    d->dir = dir;
    /* The server's datagrams after the client's: the client waited for an answer. */
    if (dir == TLS_DIR_SERVER_TO_CLIENT && d->last_fed == TLS_DIR_CLIENT_TO_SERVER)
        d->wire.round_trips++;
    if (d->last_fed != (int) dir)
        d->wire.flights++;
    d->last_fed = (int) dir;
    d->wire.direction[dir].bytes += len;
    decoder_emit(d, 0, "datagram, %zu byte%s", len, len == 1 ? "" : "s");
    while ((ret = dtls_record_next(data, len, &pos, d->cid_len, &r)) == 1) {
        process_dtls_record(d, &d->side[dir], &r);
        records++;
    }
    if (ret < 0)
        decoder_emit(d, 0, "%s%zu byte%s that are not a DTLS record: the rest of the datagram is ignored",
                     records > 0 ? "then " : "", len - pos, len - pos == 1 ? "" : "s");
}
