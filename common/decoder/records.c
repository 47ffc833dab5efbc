/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file records.c
 * @brief Records: each direction's bytes cut into whole records, printed, and passed up while in plaintext.
 *
 * record_decoder_feed() collects the bytes of one direction into whole records, whatever the split
 * of the calls: the header byte by byte (so that a stream which is not TLS is caught at its first
 * wrong byte and shown as text or hex, then ignored), then the body. process_record() prints each
 * record; while the direction is in plaintext it reads alerts and change_cipher_spec itself and hands
 * handshake bytes to handshake.c. After the keys change only type and size are visible.
 *
 * Record layer variants. The framing of a byte stream is read only through a struct record_layer
 * (decoder.h): header length, a plausibility check per header byte, body length and version. TLS is
 * `tls_records` below. DTLS needs no stream framing: datagrams arrive whole, each holding whole
 * records, so it has a feed of its own (datagrams.c, record_decoder_feed_datagram()), which reads
 * the 13-byte DTLS header (with its epoch, which says whether a record is protected) and hands
 * handshake fragments to handshake.c; the layers above are shared.
 */
#include <stdlib.h>
#include <string.h>

#include "decoder.h"

/** A content type's name, "unknown" for types the registry does not name. */
static const char *content_type_name(unsigned type)
{
    const char *name = tls_content_type_name((uint8_t) type);

    return name != NULL ? name : "unknown";
}

static void sb_version(struct sbuf *sb, uint16_t version)
{
    const char *name = tls_version_name(version);

    if (name != NULL) {
        sb_printf(sb, "%s (0x%04x)", name, version);
    } else {
        sb_printf(sb, "version 0x%04x", version);
    }
}

/** Did the client's hello list TLS 1.3 in supported_versions? */
static int client_offered_tls13(const struct record_decoder *d)
{
    for (size_t i = 0; i < d->hello.n_versions; i++) {
        if (d->hello.versions[i] == TLS_VERSION_TLS1_3) {
            return 1;
        }
    }
    return 0;
}

/** Print one complete record and decode what is visible in it. */
static void process_record(struct record_decoder *d, struct direction_state *s)
{
    const struct record_layer *layer = d->layer;
    unsigned type = s->rec[0];
    const unsigned char *body = s->rec + layer->header_len;
    size_t len = s->rec_need - layer->header_len;
    const char *unit = len == 1 ? "byte" : "bytes";
    int plaintext_alert = type == TLS_CT_alert && len == 2;
    char ver[40];
    struct sbuf sb;

    d->wire.direction[d->dir].records++;
    sb_init(&sb, ver, sizeof ver);
    sb_version(&sb, layer->version(s->rec));

    /* A TLS 1.3 change_cipher_spec is never encrypted: it is a dummy for middleboxes. Nor is a
     * two-byte alert: protection always adds a tag or MAC (and TLS 1.3 disguises every protected
     * record as application_data). Such an alert after the keys changed comes from a side that
     * gave up before it had keys for its direction, as a TLS 1.3 client rejecting the server's
     * certificate does. */
    if (s->encrypted && !(d->tls13 && type == TLS_CT_change_cipher_spec) && !plaintext_alert) {
        const char *note = d->tls13 && type == TLS_CT_application_data ? "; TLS 1.3 hides the real type" : "";
        decoder_emit(d, 0, "record %s (encrypted), %s, %zu %s%s", content_type_name(type), ver, len, unit,
                     note);
        return;
    }
    if (!s->encrypted && len > d->wire.direction[d->dir].largest_plaintext_record)
        d->wire.direction[d->dir].largest_plaintext_record = len;
    if (len > MAX_PLAINTEXT_BODY) {
        decoder_emit(d, 0, "record %s, %s, %zu %s", content_type_name(type), ver, len, unit);
        decoder_emit(d, 1, "malformed: a plaintext record carries at most %d bytes", MAX_PLAINTEXT_BODY);
        return;
    }
    switch (type) {
    case TLS_CT_change_cipher_spec:
        decoder_emit(d, 0, "record change_cipher_spec, %s, %zu %s", ver, len, unit);
        if (len != 1 || body[0] != 1) {
            decoder_emit(d, 1, "malformed change_cipher_spec: expected the single byte 0x01");
        }
        if (d->tls13 ||
            (d->dir == TLS_DIR_CLIENT_TO_SERVER && !d->choice.present && client_offered_tls13(d))) {
            decoder_emit(d, 1, "TLS 1.3 middlebox compatibility record: it changes nothing");
        } else {
            handshake_drop_partial(d, s, "change_cipher_spec");
            decoder_emit(d, 1, "from here on this direction is encrypted");
            s->encrypted = 1;
        }
        break;
    case TLS_CT_alert:
        if (plaintext_alert) {
            char hex[8];
            struct tls_alert *seen = &d->wire.direction[d->dir].last_alert;

            decoder_emit(d, 0, "record alert, %s, 2 bytes: %s %s", ver,
                         body[0] == 1   ? "warning"
                         : body[0] == 2 ? "fatal"
                                        : "invalid level",
                         name_or_hex(tls_alert_name(body[1]), body[1], hex, sizeof hex));
            if (s->encrypted) {
                decoder_emit(d, 1, "sent in plaintext: its sender had no keys for this direction yet");
            }
            seen->seen = 1;
            seen->level = body[0];
            seen->description = body[1];
        } else {
            decoder_emit(d, 0, "record alert, %s, %zu %s", ver, len, unit);
            decoder_emit(d, 1, "malformed alert: expected 2 bytes (level, description)");
        }
        break;
    case TLS_CT_handshake:
        decoder_emit(d, 0, "record handshake, %s, %zu %s", ver, len, unit);
        if (len == 0) {
            decoder_emit(d, 1, "malformed: empty handshake record");
        }
        handshake_append(d, s, body, len);
        break;
    case TLS_CT_application_data:
        decoder_emit(d, 0, "record application_data, %s, %zu %s", ver, len, unit);
        decoder_emit(d, 1, "unexpected: application data before this direction is encrypted");
        break;
    default:
        decoder_emit(d, 0, "record %s, %s, %zu %s", content_type_name(type), ver, len, unit);
        break;
    }
}

/** Could these first n bytes (n <= 5) start a TLS record? A type the decoder reads, then version
 *  3.x with x <= 4 (SSL 3.0 to TLS 1.3, as every TLS record claims). */
static int tls_header_plausible(const unsigned char *h, size_t n)
{
    if (n >= 1 && (h[0] < TLS_CT_change_cipher_spec || h[0] > TLS_CT_heartbeat)) {
        return 0;
    }
    if (n >= 2 && h[1] != 3) {
        return 0;
    }
    if (n >= 3 && h[2] > 4) {
        return 0;
    }
    return 1;
}

/** Describe the bytes of a stream that is not TLS, then stop decoding that direction. */
static void report_not_tls(struct record_decoder *d, struct direction_state *s)
{
    char what[160];
    struct sbuf sb;
    size_t text_len = 0;
    int text = 1;

    while (text_len < s->preview_len && s->preview[text_len] != '\r' && s->preview[text_len] != '\n') {
        unsigned char c = s->preview[text_len];
        if ((c < 0x20 || c >= 0x7f) && c != '\t') {
            text = 0;
            break;
        }
        text_len++;
    }
    sb_init(&sb, what, sizeof what);
    if (text && text_len > 0) {
        sb_printf(&sb, "looks like plain text: \"");
        sb_escaped(&sb, s->preview, text_len, PREVIEW_MAX);
        sb_printf(&sb, "%s\"", text_len == PREVIEW_MAX ? "..." : "");
    } else {
        sb_printf(&sb, "first bytes");
        for (size_t i = 0; i < s->preview_len && i < 8; i++) {
            sb_printf(&sb, " %02x", s->preview[i]);
        }
    }
    if (d->wire.direction[d->dir].records == 0) {
        decoder_emit(d, 0, "not a TLS record (%s); stream not TLS, further bytes ignored", what);
    } else {
        decoder_emit(d, 0,
                     "malformed record header after %llu records (%s); stream not TLS, further "
                     "bytes ignored",
                     d->wire.direction[d->dir].records, what);
    }
    s->state = STREAM_IGNORED;
}

/** TLS record header: type(1) legacy_record_version(2) length(2). */
static size_t tls_body_length(const unsigned char *h)
{
    return ((size_t) h[3] << 8) | h[4];
}

static uint16_t tls_version(const unsigned char *h)
{
    return (uint16_t) ((h[1] << 8) | h[2]);
}

const struct record_layer tls_records = {"TLS", 5, tls_header_plausible, tls_body_length, tls_version};

static int preview_complete(const struct direction_state *s)
{
    return s->preview_len == PREVIEW_MAX || memchr(s->preview, '\n', s->preview_len) != NULL;
}

struct record_decoder *record_decoder_new(FILE *out)
{
    struct record_decoder *d = calloc(1, sizeof *d);

    if (d != NULL) {
        d->out = out;
        d->layer = &tls_records;
        d->last_fed = -1;
    }
    return d;
}

void record_decoder_feed(struct record_decoder *d, enum tls_direction dir, const unsigned char *data,
                         size_t len)
{
    struct direction_state *s;

    if (d == NULL || data == NULL || (dir != TLS_DIR_CLIENT_TO_SERVER && dir != TLS_DIR_SERVER_TO_CLIENT)) {
        return;
    }
    s = &d->side[dir];
    d->dir = dir;
    if (len > 0) {
        /* The server's bytes after the client's: the client waited for an answer. */
        if (dir == TLS_DIR_SERVER_TO_CLIENT && d->last_fed == TLS_DIR_CLIENT_TO_SERVER) {
            d->wire.round_trips++;
        }
        if (d->last_fed != (int) dir) {
            d->wire.flights++;
        }
        d->last_fed = (int) dir;
        d->wire.direction[dir].bytes += len;
    }
    while (len > 0) {
        size_t take;

        if (s->state == STREAM_IGNORED) {
            s->ignored += len;
            return;
        }
        if (s->state == STREAM_PREVIEW) {
            const unsigned char *newline;

            take = PREVIEW_MAX - s->preview_len < len ? PREVIEW_MAX - s->preview_len : len;
            newline = memchr(data, '\n', take);
            if (newline != NULL) {
                take = (size_t) (newline - data) + 1; /* the preview ends with the first line */
            }
            memcpy(s->preview + s->preview_len, data, take);
            s->preview_len += take;
            data += take;
            len -= take;
            if (preview_complete(s)) {
                report_not_tls(d, s);
            }
            continue;
        }
        if (s->rec_fill < d->layer->header_len) {
            /* The header arrives byte by byte so that garbage is caught at its first byte. */
            s->rec[s->rec_fill++] = *data++;
            len--;
            if (!d->layer->header_plausible(s->rec, s->rec_fill)) {
                memcpy(s->preview, s->rec, s->rec_fill);
                s->preview_len = s->rec_fill;
                s->rec_fill = 0;
                s->state = STREAM_PREVIEW;
                if (preview_complete(s)) {
                    report_not_tls(d, s);
                }
                continue;
            }
            if (s->rec_fill == d->layer->header_len) {
                size_t body = d->layer->body_length(s->rec);
                if (body > MAX_RECORD_BODY) {
                    decoder_emit(d, 0,
                                 "oversized record: %s header claims %zu bytes (limit %d); stream "
                                 "not TLS, further bytes ignored",
                                 content_type_name(s->rec[0]), body, MAX_RECORD_BODY);
                    s->rec_fill = 0;
                    s->state = STREAM_IGNORED;
                    continue;
                }
                s->rec_need = d->layer->header_len + body;
            }
        } else {
            take = s->rec_need - s->rec_fill < len ? s->rec_need - s->rec_fill : len;
            memcpy(s->rec + s->rec_fill, data, take);
            s->rec_fill += take;
            data += take;
            len -= take;
        }
        if (s->rec_fill >= d->layer->header_len && s->rec_fill == s->rec_need) {
            process_record(d, s);
            s->rec_fill = 0;
            s->rec_need = 0;
        }
    }
}

const struct tls_client_hello *record_decoder_client_hello(const struct record_decoder *d)
{
    return &d->hello;
}

const struct tls_server_choice *record_decoder_server_choice(const struct record_decoder *d)
{
    return &d->choice;
}

const struct tls_wire_summary *record_decoder_wire(const struct record_decoder *d)
{
    return &d->wire;
}

void record_decoder_free(struct record_decoder *d)
{
    if (d == NULL) {
        return;
    }
    for (int i = 0; i < 2; i++) {
        struct direction_state *s = &d->side[i];

        d->dir = (enum tls_direction) i;
        if (s->state == STREAM_PREVIEW) {
            report_not_tls(d, s);
        }
        if (s->state == STREAM_RECORDS && s->rec_fill > 0 && s->rec_fill < d->layer->header_len) {
            decoder_emit(d, 0, "stream ended inside a record header (%zu of %zu bytes)", s->rec_fill,
                         d->layer->header_len);
        } else if (s->state == STREAM_RECORDS && s->rec_fill > 0) {
            decoder_emit(d, 0, "stream ended inside a %s record (%zu of %zu bytes)",
                         content_type_name(s->rec[0]), s->rec_fill - d->layer->header_len,
                         s->rec_need - d->layer->header_len);
        }
        if (s->hs_len > 0) {
            decoder_emit(d, 0, "stream ended inside a handshake message (%zu bytes buffered)", s->hs_len);
        }
        if (s->dtls_active) {
            decoder_emit(d, 0, "connection ended with message %u (%s) incomplete", (unsigned) s->dtls_msg_seq,
                         tls_handshake_type_name(s->dtls_type) != NULL ? tls_handshake_type_name(s->dtls_type)
                                                                       : "unknown");
        }
        if (s->ignored > 0) {
            decoder_emit(d, 0, "%llu further bytes ignored", s->ignored);
        }
        free(s->hs);
        free(s->hs_have);
    }
    free(d);
}
