/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file handshake.c
 * @brief Handshake messages: reassembled across records, then decoded one message type at a time.
 *
 * records.c hands over the body of every plaintext handshake record. A message may span records,
 * and a record may hold several messages, so handshake_append() collects whole messages (4-byte
 * header: type, 24-bit length) in a per-direction buffer that grows to at most MAX_HANDSHAKE_MSG;
 * a larger message is skipped, with a line saying so. decode_handshake() then prints the message.
 * The hellos have a file of their own (hellos.c), the extensions too (extensions.c).
 *
 * DTLS frames handshake messages differently: a 12-byte header that adds message_seq,
 * fragment_offset and fragment_length, and fragments may arrive out of order or twice.
 * handshake_append_fragment() places each fragment at its offset in the same buffer, keeps one bit
 * per byte received, and hands the complete message to decode_handshake(), as TLS does. A message
 * whose message_seq was decoded already is a retransmission: it is named, not decoded again.
 */
#include <stdlib.h>
#include <string.h>

#include "decoder.h"

/** At most this many certificate authority names are listed from a CertificateRequest. */
#define MAX_CA_NAMES_SHOWN 8

/** TLS 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. TLS 1.3 adds a
 *  request context and per-certificate extensions. */
static void decode_certificate(struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct reader r, context, list, walk;
    size_t count = 0;

    rd_init(&r, body, len);
    if ((d->tls13 && !rd_vec(&r, "certificate_request_context", 1, &context)) ||
        !rd_vec(&r, "certificate_list", 3, &list)) {
        decoder_emit(d, 1, "Certificate, %zu bytes", len);
        rd_report_malformed(d, 2, "Certificate", &r);
        return;
    }
    for (walk = list; walk.left > 0; count++) {
        struct reader cert, exts;
        if (!rd_vec(&walk, "cert_data", 3, &cert) || (d->tls13 && !rd_vec(&walk, "extensions", 2, &exts))) {
            break;
        }
    }
    if (count == 0 && walk.failed_field == NULL) {
        decoder_emit(d, 1, "Certificate, %zu bytes: no certificates", len);
    } else {
        decoder_emit(d, 1, "Certificate, %zu bytes: %zu certificate%s", len, count, count == 1 ? "" : "s");
    }
    for (size_t i = 0; list.left > 0; i++) {
        struct reader cert, exts;
        if (!rd_vec(&list, "cert_data", 3, &cert) || (d->tls13 && !rd_vec(&list, "extensions", 2, &exts))) {
            break;
        }
        x509_print_summary(d, 2, i, cert.p, cert.left);
    }
    /* Handshake messages reach this layer only while their direction is in plaintext. */
    d->wire.direction[d->dir].certificates_in_clear += count;
    rd_report_malformed(d, 2, "Certificate", &list);
    rd_report_malformed(d, 2, "Certificate", &r);
}

static int kx_has_psk_hint(enum key_exchange kx)
{
    return kx == KX_PSK || kx == KX_ECDHE_PSK || kx == KX_DHE_PSK || kx == KX_RSA_PSK;
}

static void decode_server_key_exchange(struct record_decoder *d, const unsigned char *body, size_t len)
{
    enum key_exchange kx = d->kx;
    struct reader r;
    char line[300];
    struct sbuf sb;
    char hex[8];

    if (kx == KX_UNKNOWN && len > 0 && body[0] == 3) {
        kx = KX_ECDHE; /* no ServerHello seen; this looks like ECDHE parameters */
    }
    rd_init(&r, body, len);
    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "ServerKeyExchange, %zu bytes:", len);
    if (kx_has_psk_hint(kx)) {
        struct reader hint;
        if (rd_vec(&r, "psk_identity_hint", 2, &hint)) {
            sb_printf(&sb, " PSK identity hint \"");
            sb_escaped(&sb, hint.p, hint.left, 48);
            sb_printf(&sb, "\",");
        }
    }
    if (kx == KX_ECDHE || kx == KX_ECDHE_PSK) {
        uint32_t curve_type;
        uint16_t group = 0;
        struct reader point;

        if (rd_uint(&r, "curve_type", 1, &curve_type) && curve_type != 3) {
            sb_printf(&sb, " ECDHE with curve type %u (only named curves are decoded)",
                      (unsigned) curve_type);
            decoder_emit(d, 1, "%s", line);
            return;
        }
        if (rd_u16(&r, "named_curve", &group) && rd_vec(&r, "public", 1, &point)) {
            sb_printf(&sb, " ECDHE %s, %zu-byte public key",
                      name_or_hex(tls_group_name(group), group, hex, sizeof hex), point.left);
            if (d->dir == TLS_DIR_SERVER_TO_CLIENT && d->choice.group == 0) {
                d->choice.group = group;
            }
        }
    } else if (kx == KX_DHE || kx == KX_DHE_PSK) {
        struct reader p, g, ys;
        if (rd_vec(&r, "dh_p", 2, &p) && rd_vec(&r, "dh_g", 2, &g) && rd_vec(&r, "dh_Ys", 2, &ys)) {
            sb_printf(&sb, " DHE with a %zu-bit prime", integer_bits(p.p, p.left));
        }
    } else if (!kx_has_psk_hint(kx)) {
        sb_printf(&sb, " (parameters not decoded: key exchange %s)",
                  kx == KX_UNKNOWN ? "unknown" : "without ServerKeyExchange");
        decoder_emit(d, 1, "%s", line);
        return;
    }
    /* ECDHE and DHE parameters are signed, except in the anonymous and PSK suites. */
    if (r.failed_field == NULL && r.left > 0 && (kx == KX_ECDHE || kx == KX_DHE)) {
        uint16_t scheme = 0;
        struct reader signature;
        int has_scheme = d->version == 0 || d->version >= 0x0303;

        if ((!has_scheme || rd_u16(&r, "signature_algorithm", &scheme)) &&
            rd_vec(&r, "signature", 2, &signature)) {
            if (has_scheme) {
                sb_printf(&sb, ", signed with %s",
                          name_or_hex(tls_sigalg_name(scheme), scheme, hex, sizeof hex));
            } else {
                sb_printf(&sb, ", signed");
            }
            sb_printf(&sb, " (%zu-byte signature)", signature.left);
        }
    }
    decoder_emit(d, 1, "%s", line);
    rd_report_malformed(d, 2, "ServerKeyExchange", &r);
}

static void decode_client_key_exchange(const struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct reader r, identity, key;
    char line[300];
    struct sbuf sb;

    rd_init(&r, body, len);
    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "ClientKeyExchange, %zu bytes:", len);
    if (kx_has_psk_hint(d->kx) && rd_vec(&r, "psk_identity", 2, &identity)) {
        sb_printf(&sb, " PSK identity \"");
        sb_escaped(&sb, identity.p, identity.left, 48);
        sb_printf(&sb, "\",");
    }
    switch (d->kx) {
    case KX_ECDHE:
    case KX_ECDH:
    case KX_ECDHE_PSK:
        if (rd_vec(&r, "ecdh_Yc", 1, &key)) {
            sb_printf(&sb, " ECDHE public key, %zu bytes", key.left);
        }
        break;
    case KX_DHE:
    case KX_DHE_PSK:
        if (rd_vec(&r, "dh_Yc", 2, &key)) {
            sb_printf(&sb, " DHE public value, %zu bytes", key.left);
        }
        break;
    case KX_RSA:
    case KX_RSA_PSK:
        if (rd_vec(&r, "encrypted_pre_master_secret", 2, &key)) {
            sb_printf(&sb, " premaster secret encrypted to the server's RSA key, %zu bytes", key.left);
        }
        break;
    case KX_PSK:
        break;
    default:
        sb_printf(&sb, " (key exchange unknown: contents not decoded)");
        r.left = 0;
        break;
    }
    decoder_emit(d, 1, "%s", line);
    rd_report_malformed(d, 2, "ClientKeyExchange", &r);
}

static void decode_certificate_request(const struct record_decoder *d, const unsigned char *body, size_t len)
{
    static const char *const cert_types[] = {NULL, "rsa_sign", "dss_sign", "rsa_fixed_dh", "dss_fixed_dh"};
    struct reader r, types, schemes, authorities;
    struct list_printer lp;
    size_t shown = 0;

    rd_init(&r, body, len);
    decoder_emit(d, 1, "CertificateRequest, %zu bytes: the server asks for a client certificate", len);
    if (d->tls13) {
        struct reader context, exts;
        if (!rd_vec(&r, "certificate_request_context", 1, &context) || !rd_vec(&r, "extensions", 2, &exts)) {
            rd_report_malformed(d, 2, "CertificateRequest", &r);
            return;
        }
        decode_extensions(d, 2, &exts, IN_OTHER_MESSAGE, NULL, NULL);
        rd_report_malformed(d, 2, "CertificateRequest", &r);
        return;
    }
    /* TLS 1.0 and 1.1 have no signature algorithm list. */
    rd_init(&schemes, NULL, 0);
    if (!rd_vec(&r, "certificate_types", 1, &types) ||
        ((d->version == 0 || d->version >= 0x0303) && !rd_vec(&r, "signature_algorithms", 2, &schemes)) ||
        !rd_vec(&r, "certificate_authorities", 2, &authorities)) {
        rd_report_malformed(d, 2, "CertificateRequest", &r);
        return;
    }
    list_begin(&lp, d, 2, "certificate types: ");
    for (size_t i = 0; i < types.left; i++) {
        unsigned t = types.p[i];
        char buf[16];
        const char *name = t < COUNT(cert_types) ? cert_types[t] : t == 64 ? "ecdsa_sign" : NULL;

        snprintf(buf, sizeof buf, "%u", t);
        list_add(&lp, name != NULL ? name : buf);
    }
    list_end(&lp);
    if (schemes.p != NULL) {
        list_u16(d, 2, "signature algorithms: ", &schemes, tls_sigalg_name, NULL, NULL, 0);
    }
    while (authorities.left > 0) {
        struct reader dn;
        char line[400];
        struct sbuf sb;

        if (!rd_vec(&authorities, "DistinguishedName", 2, &dn)) {
            break;
        }
        if (shown++ >= MAX_CA_NAMES_SHOWN) {
            continue;
        }
        sb_init(&sb, line, sizeof line);
        x509_append_name(&sb, dn.p, dn.left);
        decoder_emit(d, 2, "accepted CA: %s", line);
    }
    if (shown > MAX_CA_NAMES_SHOWN) {
        decoder_emit(d, 2, "... and %zu more accepted CAs", shown - MAX_CA_NAMES_SHOWN);
    } else if (shown == 0) {
        decoder_emit(d, 2, "accepted CAs: any");
    }
    rd_report_malformed(d, 2, "CertificateRequest", &authorities);
    rd_report_malformed(d, 2, "CertificateRequest", &r);
}

static void decode_new_session_ticket(struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct reader r, nonce, ticket, exts;
    uint32_t lifetime, age_add;

    rd_init(&r, body, len);
    if (d->tls13) {
        if (!rd_uint(&r, "ticket_lifetime", 4, &lifetime) || !rd_uint(&r, "ticket_age_add", 4, &age_add) ||
            !rd_vec(&r, "ticket_nonce", 1, &nonce) || !rd_vec(&r, "ticket", 2, &ticket) ||
            !rd_vec(&r, "extensions", 2, &exts)) {
            decoder_emit(d, 1, "NewSessionTicket, %zu bytes", len);
            rd_report_malformed(d, 2, "NewSessionTicket", &r);
            return;
        }
        decoder_emit(d, 1, "NewSessionTicket, %zu bytes: lifetime %lu s, %zu-byte ticket", len,
                     (unsigned long) lifetime, ticket.left);
        decode_extensions(d, 2, &exts, IN_OTHER_MESSAGE, NULL, NULL);
    } else {
        if (!rd_uint(&r, "ticket_lifetime_hint", 4, &lifetime) || !rd_vec(&r, "ticket", 2, &ticket)) {
            decoder_emit(d, 1, "NewSessionTicket, %zu bytes", len);
            rd_report_malformed(d, 2, "NewSessionTicket", &r);
            return;
        }
        decoder_emit(d, 1, "NewSessionTicket, %zu bytes: lifetime hint %lu s, %zu-byte ticket", len,
                     (unsigned long) lifetime, ticket.left);
    }
    rd_report_malformed(d, 2, "NewSessionTicket", &r);
}

static void decode_certificate_verify(const struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct reader r, signature;
    uint16_t scheme;
    char hex[8];

    rd_init(&r, body, len);
    if (d->version != 0 && d->version < 0x0303) {
        if (rd_vec(&r, "signature", 2, &signature)) {
            decoder_emit(d, 1, "CertificateVerify, %zu bytes: %zu-byte signature", len, signature.left);
        } else {
            decoder_emit(d, 1, "CertificateVerify, %zu bytes", len);
        }
    } else if (rd_u16(&r, "signature_algorithm", &scheme) && rd_vec(&r, "signature", 2, &signature)) {
        decoder_emit(d, 1, "CertificateVerify, %zu bytes: signed with %s (%zu-byte signature)", len,
                     name_or_hex(tls_sigalg_name(scheme), scheme, hex, sizeof hex), signature.left);
    } else {
        decoder_emit(d, 1, "CertificateVerify, %zu bytes", len);
    }
    rd_report_malformed(d, 2, "CertificateVerify", &r);
}

/** Which side may send each message type: 'c' client, 's' server, 'b' both, 0 unknown. */
static char expected_sender(unsigned type)
{
    switch (type) {
    case TLS_HS_ClientHello:
    case TLS_HS_ClientKeyExchange:
    case TLS_HS_EndOfEarlyData:
        return 'c';
    case TLS_HS_HelloRequest:
    case TLS_HS_ServerHello:
    case TLS_HS_NewSessionTicket:
    case TLS_HS_EncryptedExtensions:
    case TLS_HS_ServerKeyExchange:
    case TLS_HS_CertificateRequest:
    case TLS_HS_ServerHelloDone:
    case TLS_HS_CertificateStatus:
        return 's';
    default:
        return 'b';
    }
}

/** Print one complete handshake message. */
static void decode_handshake(struct record_decoder *d, unsigned type, const unsigned char *body, size_t len)
{
    const char *name = tls_handshake_type_name((uint8_t) type);
    char sender = expected_sender(type);
    struct reader r;
    uint32_t v;

    rd_init(&r, body, len);
    switch (type) {
    case TLS_HS_ClientHello:
        decode_client_hello(d, body, len);
        return; /* checks its own direction */
    case TLS_HS_ServerHello:
        decode_server_hello(d, body, len);
        return;
    case TLS_HS_Certificate:
        decode_certificate(d, body, len);
        break;
    case TLS_HS_ServerKeyExchange:
        decode_server_key_exchange(d, body, len);
        break;
    case TLS_HS_ClientKeyExchange:
        decode_client_key_exchange(d, body, len);
        break;
    case TLS_HS_CertificateRequest:
        decode_certificate_request(d, body, len);
        break;
    case TLS_HS_NewSessionTicket:
        decode_new_session_ticket(d, body, len);
        break;
    case TLS_HS_CertificateVerify:
        decode_certificate_verify(d, body, len);
        break;
    case TLS_HS_EncryptedExtensions: {
        struct reader exts;
        decoder_emit(d, 1, "EncryptedExtensions, %zu bytes", len);
        if (rd_vec(&r, "extensions", 2, &exts)) {
            decode_extensions(d, 2, &exts, IN_ENCRYPTED_EXTENSIONS, NULL, NULL);
        }
        rd_report_malformed(d, 2, "EncryptedExtensions", &r);
        break;
    }
    case TLS_HS_HelloVerifyRequest: {
        struct reader cookie;
        char hex[8];

        /* DTLS: server_version, cookie<0..2^8-1>. The client sends its ClientHello again with it. */
        if (rd_uint(&r, "server_version", 2, &v) && rd_vec(&r, "cookie", 1, &cookie))
            decoder_emit(d, 1, "HelloVerifyRequest, %zu bytes: %s, a %zu-byte cookie to send back", len,
                         name_or_hex(tls_version_name((uint16_t) v), v, hex, sizeof hex), cookie.left);
        else
            decoder_emit(d, 1, "HelloVerifyRequest, %zu bytes", len);
        rd_report_malformed(d, 2, "HelloVerifyRequest", &r);
        break;
    }
    case TLS_HS_HelloRequest:
    case TLS_HS_ServerHelloDone:
    case TLS_HS_EndOfEarlyData:
        decoder_emit(d, 1, "%s, %zu bytes", name, len);
        rd_report_malformed(d, 2, name, &r);
        break;
    case TLS_HS_Finished:
        decoder_emit(d, 1, "Finished, %zu bytes of verify data", len);
        break;
    case TLS_HS_CertificateStatus: {
        struct reader response;
        if (rd_uint(&r, "status_type", 1, &v) && rd_vec(&r, "response", 3, &response)) {
            decoder_emit(d, 1, "CertificateStatus, %zu bytes: %s, %zu-byte response", len,
                         v == 1 ? "OCSP" : "unknown status type", response.left);
        } else {
            decoder_emit(d, 1, "CertificateStatus, %zu bytes", len);
        }
        rd_report_malformed(d, 2, "CertificateStatus", &r);
        break;
    }
    case TLS_HS_KeyUpdate:
        if (rd_uint(&r, "request_update", 1, &v)) {
            decoder_emit(d, 1, "KeyUpdate, %zu bytes: %s", len,
                         v == 0   ? "update_not_requested"
                         : v == 1 ? "update_requested"
                                  : "invalid value");
        } else {
            decoder_emit(d, 1, "KeyUpdate, %zu bytes", len);
        }
        rd_report_malformed(d, 2, "KeyUpdate", &r);
        break;
    default:
        if (name != NULL) {
            decoder_emit(d, 1, "%s, %zu bytes (contents not decoded)", name, len);
        } else {
            decoder_emit(d, 1, "unknown handshake message type %u, %zu bytes", type, len);
        }
        break;
    }
    if ((sender == 'c' && d->dir != TLS_DIR_CLIENT_TO_SERVER) ||
        (sender == 's' && d->dir != TLS_DIR_SERVER_TO_CLIENT)) {
        decoder_emit(d, 2, "note: a %s normally comes from the %s", name != NULL ? name : "message",
                     sender == 'c' ? "client" : "server");
    }
}

/** Name of a handshake type for messages still being reassembled. */
static const char *handshake_label(unsigned type)
{
    const char *name = tls_handshake_type_name((uint8_t) type);
    return name != NULL ? name : "unknown handshake message";
}

/** Length field of the handshake message header at the start of buf (needs 4 bytes). */
static size_t handshake_length(const unsigned char *buf)
{
    return ((size_t) buf[1] << 16) | ((size_t) buf[2] << 8) | buf[3];
}

/** Make room for need bytes in the reassembly buffer; growth is geometric, and never beyond one
 *  maximal message. */
static int handshake_reserve(struct direction_state *s, size_t need)
{
    size_t cap;
    unsigned char *grown;

    if (s->hs_cap >= need) {
        return 1;
    }
    cap = s->hs_cap * 2 > need ? s->hs_cap * 2 : need;
    if (cap > 4 + MAX_HANDSHAKE_MSG) {
        cap = 4 + MAX_HANDSHAKE_MSG;
    }
    grown = realloc(s->hs, cap);
    if (grown == NULL) {
        return 0;
    }
    s->hs = grown;
    s->hs_cap = cap;
    return 1;
}

void handshake_drop_partial(struct record_decoder *d, struct direction_state *s, const char *why)
{
    if (s->hs_len > 0 || s->hs_skip > 0) {
        decoder_emit(d, 1, "malformed: handshake message interrupted by %s (%zu bytes dropped)", why,
                     s->hs_len);
        s->hs_len = 0;
        s->hs_skip = 0;
    }
}

/** Add one plaintext handshake record's body to the direction's reassembly buffer, decoding each
 *  message as soon as it is complete. */
void handshake_append(struct record_decoder *d, struct direction_state *s, const unsigned char *p, size_t n)
{
    for (;;) {
        size_t want;
        size_t take;

        if (s->hs_len >= 4) {
            size_t msg_len = handshake_length(s->hs);

            if (s->hs_len == 4 + msg_len) {
                s->hs_len = 0;
                decode_handshake(d, s->hs[0], s->hs + 4, msg_len);
                continue;
            }
            if (msg_len > MAX_HANDSHAKE_MSG || !handshake_reserve(s, 4 + msg_len)) {
                decoder_emit(d, 1, "%s, %zu bytes: %s, skipped", handshake_label(s->hs[0]), msg_len,
                             msg_len > MAX_HANDSHAKE_MSG ? "handshake message too large" : "out of memory");
                s->hs_skip = msg_len;
                s->hs_len = 0;
            }
        }
        if (n == 0) {
            break;
        }
        if (s->hs_skip > 0) {
            take = n < s->hs_skip ? n : s->hs_skip;
            s->hs_skip -= take;
            p += take;
            n -= take;
            continue;
        }
        if (s->hs_len < 4) {
            if (!handshake_reserve(s, 4)) {
                decoder_emit(d, 1, "out of memory: handshake data dropped");
                return;
            }
            want = 4;
        } else {
            want = 4 + handshake_length(s->hs);
        }
        take = want - s->hs_len < n ? want - s->hs_len : n;
        memcpy(s->hs + s->hs_len, p, take);
        s->hs_len += take;
        p += take;
        n -= take;
    }
    if (s->hs_len >= 4) {
        decoder_emit(d, 1, "%s, %zu bytes: %zu received so far, continues in the next record",
                     handshake_label(s->hs[0]), handshake_length(s->hs), s->hs_len - 4);
    } else if (s->hs_len > 0) {
        decoder_emit(d, 1, "handshake message header split across records (%zu of 4 bytes)", s->hs_len);
    } else if (s->hs_skip > 0) {
        decoder_emit(d, 1, "(%zu bytes of the skipped message still to come)", s->hs_skip);
    }
}

/* DTLS: the bit of body byte i in the reassembly bitmap. */
static int have_byte(const struct direction_state *s, size_t i)
{
    return (s->hs_have[i / 8] >> (i % 8)) & 1;
}

/* DTLS: start reassembling message msg_seq of type and length len. */
static int start_message(struct record_decoder *d, struct direction_state *s, uint8_t type, uint32_t len,
                         uint16_t msg_seq)
{
    unsigned char *have;

    if (s->dtls_active)
        decoder_emit(d, 1, "%s, message %u: set aside incomplete, message %u came before the rest",
                     handshake_label(s->dtls_type), (unsigned) s->dtls_msg_seq, (unsigned) msg_seq);
    s->dtls_active = 0;
    if (len > MAX_HANDSHAKE_MSG || !handshake_reserve(s, len ? len : 1)) {
        decoder_emit(d, 1, "%s, message %u, %lu bytes: %s, skipped", handshake_label(type),
                     (unsigned) msg_seq, (unsigned long) len,
                     len > MAX_HANDSHAKE_MSG ? "handshake message too large" : "out of memory");
        return 0;
    }
    have = realloc(s->hs_have, len / 8 + 1);
    if (have == NULL) {
        decoder_emit(d, 1, "out of memory: handshake data dropped");
        return 0;
    }
    s->hs_have = have;
    memset(s->hs_have, 0, len / 8 + 1);
    s->dtls_active = 1;
    s->dtls_msg_seq = msg_seq;
    s->dtls_type = type;
    s->dtls_len = len;
    s->dtls_fragments = 0;
    return 1;
}

void handshake_append_fragment(struct record_decoder *d, struct direction_state *s, uint8_t type,
                               uint32_t msg_len, uint16_t msg_seq, uint32_t offset, const unsigned char *frag,
                               uint32_t frag_len)
{
    size_t missing = 0;

    /* The message_seq of a message already decoded: the sender sent its flight again. */
    if (msg_seq < 8 * sizeof(s->dtls_decoded) && (s->dtls_decoded[msg_seq / 8] >> (msg_seq % 8)) & 1) {
        decoder_emit(d, 1, "%s, message %u: sent again (a retransmission), decoded above",
                     handshake_label(type), (unsigned) msg_seq);
        return;
    }
    if (!s->dtls_active || s->dtls_msg_seq != msg_seq) {
        if (!start_message(d, s, type, msg_len, msg_seq))
            return;
    } else if (s->dtls_type != type || s->dtls_len != msg_len) {
        decoder_emit(d, 1, "malformed: a fragment of message %u says %s of %lu bytes, earlier ones %s of %zu",
                     (unsigned) msg_seq, handshake_label(type), (unsigned long) msg_len,
                     handshake_label(s->dtls_type), s->dtls_len);
        return;
    }
    memcpy(s->hs + offset, frag, frag_len); /* dtls_record.c checked offset + frag_len <= msg_len */
    for (size_t i = offset; i < (size_t) offset + frag_len; i++)
        s->hs_have[i / 8] |= (unsigned char) (1u << (i % 8));
    s->dtls_fragments++;
    for (size_t i = 0; i < s->dtls_len; i++)
        missing += !have_byte(s, i);
    if (missing > 0) {
        decoder_emit(d, 1, "%s, message %u: bytes %lu-%lu of %zu (a fragment; %zu still missing)",
                     handshake_label(type), (unsigned) msg_seq, (unsigned long) offset,
                     (unsigned long) offset + frag_len, s->dtls_len, missing);
        return;
    }
    s->dtls_active = 0;
    if (msg_seq < 8 * sizeof(s->dtls_decoded))
        s->dtls_decoded[msg_seq / 8] |= (unsigned char) (1u << (msg_seq % 8));
    if (s->dtls_fragments > 1)
        decoder_emit(d, 1, "%s, message %u: reassembled from %u fragments", handshake_label(type),
                     (unsigned) msg_seq, s->dtls_fragments);
    decode_handshake(d, type, s->hs, s->dtls_len);
}
