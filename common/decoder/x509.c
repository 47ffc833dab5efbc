/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file x509.c
 * @brief The one-line summary of each certificate on the wire, read with mbedTLS's X.509 parser.
 *
 * mbedtls_x509_crt_parse_der_nocopy() parses each certificate of a plaintext Certificate message,
 * exactly as the handshake will; the trace prints subject, issuer, expiry and key from what it
 * found. A certificate mbedTLS refuses (an Ed25519 key, an unknown critical extension, hostile
 * bytes) gets a line with mbedTLS's reason instead: that is also what the handshake will fail with.
 *
 * The printing stays the decoder's own, for three reasons: the trace must read the same with every
 * mbedTLS release, and mbedtls_x509_dn_gets() differs between them (2.28 prints '?' for bytes it
 * cannot show, 3.6 escapes RFC 4514 style and gives up on some names); names are printed most
 * specific first, as RFC 4514 and OpenSSL do ("CN=localhost, O=..."), where mbedtls_x509_dn_gets()
 * keeps the DER order; and bytes from the peer are shown as \\xHH, so a certificate cannot send
 * escape sequences to the reader's terminal.
 *
 * A CertificateRequest carries bare distinguished names, outside any certificate, and mbedTLS 3.6
 * has no public function to parse one (mbedtls_x509_get_name() became internal), so
 * x509_append_name() reads them with mbedTLS's public ASN.1 reader.
 */
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ecp.h>
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "decoder.h"

size_t integer_bits(const unsigned char *p, size_t n)
{
    size_t i = 0;
    size_t bits;

    while (i < n && p[i] == 0) {
        i++;
    }
    if (i == n) {
        return 0;
    }
    bits = (n - i) * 8;
    for (unsigned char top = p[i]; (top & 0x80) == 0; top = (unsigned char) (top << 1)) {
        bits--;
    }
    return bits;
}

/* The rest reads certificates with mbedTLS's parser, which a library built
 * for pre-shared keys only (the microcontroller lab's PSK profiles, mcu/)
 * does not have. */
#if defined(MBEDTLS_X509_CRT_PARSE_C)

/** Attributes of one distinguished name, in DER order (most general first). */
struct dn {
    struct {
        mbedtls_asn1_buf oid;
        mbedtls_asn1_buf value; /* value.tag: the string type */
    } attr[16];
    size_t n;    /* attributes kept */
    size_t more; /* attributes beyond the array */
    int bad;     /* the name could not be read to the end */
};

static void dn_add(struct dn *dn, const mbedtls_asn1_buf *oid, const mbedtls_asn1_buf *value)
{
    if (dn->n < COUNT(dn->attr)) {
        dn->attr[dn->n].oid = *oid;
        dn->attr[dn->n].value = *value;
        dn->n++;
    } else {
        dn->more++;
    }
}

/** The attributes of a name mbedTLS parsed (a certificate's subject or issuer). */
static void dn_from_list(struct dn *dn, const mbedtls_x509_name *name)
{
    memset(dn, 0, sizeof(*dn));
    for (; name != NULL; name = name->next) {
        if (name->oid.p != NULL) {
            dn_add(dn, &name->oid, &name->val);
        }
    }
}

/** The attributes of a DER Name: SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }. */
static void dn_from_der(struct dn *dn, const unsigned char *der, size_t len)
{
    /* mbedTLS's reader takes non-const pointers; it only reads. */
    unsigned char *p = (unsigned char *) der;
    const unsigned char *end = der + len;
    size_t n;

    memset(dn, 0, sizeof(*dn));
    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) {
        dn->bad = 1;
        return;
    }
    end = p + n;
    while (p < end) {
        const unsigned char *set_end;

        if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET) != 0) {
            dn->bad = 1;
            return;
        }
        set_end = p + n;
        while (p < set_end) {
            mbedtls_asn1_buf oid, value;

            if (mbedtls_asn1_get_tag(&p, set_end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) !=
                    0 ||
                mbedtls_asn1_get_tag(&p, set_end, &oid.len, MBEDTLS_ASN1_OID) != 0) {
                dn->bad = 1;
                return;
            }
            oid.tag = MBEDTLS_ASN1_OID;
            oid.p = p;
            p += oid.len;
            value.tag = p < set_end ? *p : 0;
            if (p >= set_end || mbedtls_asn1_get_tag(&p, set_end, &value.len, value.tag) != 0) {
                dn->bad = 1;
                return;
            }
            value.p = p;
            p += value.len;
            dn_add(dn, &oid, &value);
        }
    }
}

/** Append a directory string: UTF8String, PrintableString, IA5String ... as escaped bytes;
 *  BMPString as its ASCII subset. */
static void sb_string(struct sbuf *sb, const mbedtls_asn1_buf *value)
{
    switch (value->tag) {
    case MBEDTLS_ASN1_UTF8_STRING: /* non-ASCII shows as \xHH, which keeps the trace plain ASCII */
    case 0x12:                     /* NumericString */
    case MBEDTLS_ASN1_PRINTABLE_STRING:
    case MBEDTLS_ASN1_T61_STRING:
    case MBEDTLS_ASN1_IA5_STRING:
    case 0x1a: /* VisibleString */
        sb_escaped(sb, value->p, value->len, 64);
        break;
    case MBEDTLS_ASN1_BMP_STRING: /* UTF-16BE */
        for (size_t i = 0; i + 1 < value->len && i < 128; i += 2) {
            unsigned char c = value->p[i] == 0 ? value->p[i + 1] : '?';
            sb_escaped(sb, &c, 1, 1);
        }
        break;
    default:
        sb_printf(sb, "#(%zu bytes, tag 0x%02x)", value->len, (unsigned) value->tag);
        break;
    }
}

/** Append a name most specific attribute first, as RFC 4514 writes it: "CN=..., O=...". Attribute
 *  types are named as mbedTLS names them ("CN", "emailAddress"), others in dotted notation. */
static void sb_dn(struct sbuf *sb, const struct dn *dn)
{
    for (size_t i = dn->n; i > 0; i--) {
        const char *label = NULL;
        char dotted[64];

        if (mbedtls_oid_get_attr_short_name(&dn->attr[i - 1].oid, &label) != 0 &&
            mbedtls_oid_get_numeric_string(dotted, sizeof(dotted), &dn->attr[i - 1].oid) > 0) {
            label = dotted;
        }
        sb_printf(sb, "%s%s=", i != dn->n ? ", " : "", label != NULL ? label : "(unreadable OID)");
        sb_string(sb, &dn->attr[i - 1].value);
    }
    if (dn->n == 0) {
        sb_printf(sb, "(empty name)");
    }
    if (dn->more > 0) {
        sb_printf(sb, " (+%zu more attributes)", dn->more);
    }
    if (dn->bad) {
        sb_printf(sb, " (malformed name)");
    }
}

void x509_append_name(struct sbuf *sb, const unsigned char *der, size_t len)
{
    struct dn dn;

    dn_from_der(&dn, der, len);
    if (dn.bad && dn.n == 0) {
        sb_printf(sb, "(unreadable name, %zu bytes)", len);
        return;
    }
    sb_dn(sb, &dn);
}

/** The curve of an EC key, from the algorithm parameters of the certificate's
 *  SubjectPublicKeyInfo, named as the TLS groups registry names it. */
static void sb_ec_curve(struct sbuf *sb, const mbedtls_x509_buf *spki)
{
    unsigned char *p = spki->p;
    const unsigned char *end = spki->p + spki->len;
    mbedtls_asn1_buf alg, params;
    mbedtls_ecp_group_id group;
    const mbedtls_ecp_curve_info *info;
    size_t n;

    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        mbedtls_asn1_get_alg(&p, p + n, &alg, &params) != 0 || params.tag != MBEDTLS_ASN1_OID) {
        sb_printf(sb, "EC key with explicit curve parameters");
    } else if (mbedtls_oid_get_ec_grp(&params, &group) == 0 &&
               (info = mbedtls_ecp_curve_info_from_grp_id(group)) != NULL &&
               tls_group_name(info->tls_id) != NULL) {
        sb_printf(sb, "EC key on %s", tls_group_name(info->tls_id));
    } else {
        char dotted[64];

        if (mbedtls_oid_get_numeric_string(dotted, sizeof(dotted), &params) <= 0) {
            snprintf(dotted, sizeof(dotted), "(unreadable OID)");
        }
        sb_printf(sb, "EC key on curve %s", dotted);
    }
}

/** The public key: "EC key on secp256r1", "RSA 2048-bit key". */
static void sb_key(struct sbuf *sb, const mbedtls_x509_crt *crt)
{
    switch (mbedtls_pk_get_type(&crt->pk)) {
    case MBEDTLS_PK_RSA:
        sb_printf(sb, "RSA %zu-bit key", mbedtls_pk_get_bitlen(&crt->pk));
        break;
    case MBEDTLS_PK_ECKEY:
    case MBEDTLS_PK_ECKEY_DH:
    case MBEDTLS_PK_ECDSA:
        sb_ec_curve(sb, &crt->pk_raw);
        break;
    default:
        sb_printf(sb, "%s key", mbedtls_pk_get_name(&crt->pk));
        break;
    }
}

void x509_print_summary(const struct record_decoder *d, int depth, size_t index, const unsigned char *der,
                        size_t len)
{
    mbedtls_x509_crt crt;
    const mbedtls_x509_time *t;
    char line[640];
    struct sbuf sb;
    struct dn dn;
    int ret;

    if (!decoder_printing(d)) {
        return; /* the summary is printed only: a silent decoder need not parse */
    }
    mbedtls_x509_crt_init(&crt);
    /* No copy: the certificate stays in the handshake buffer, which outlives crt. */
    ret = mbedtls_x509_crt_parse_der_nocopy(&crt, der, len);
    if (ret != 0) {
        char why[160];

        mbedtls_strerror(ret, why, sizeof(why));
        decoder_emit(d, depth, "[%zu] %zu bytes: not a readable X.509 certificate (-0x%04X %s)", index, len,
                     (unsigned) -ret, why);
        mbedtls_x509_crt_free(&crt);
        return;
    }
    sb_init(&sb, line, sizeof line);
    dn_from_list(&dn, &crt.subject);
    sb_dn(&sb, &dn);
    decoder_emit(d, depth, "[%zu] subject %s", index, line);
    sb_init(&sb, line, sizeof line);
    dn_from_list(&dn, &crt.issuer);
    sb_dn(&sb, &dn);
    decoder_emit(d, depth, "    issuer %s", line);
    t = &crt.valid_to;
    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "valid until %04d-%02d-%02d %02d:%02d:%02d UTC, ", t->year, t->mon, t->day, t->hour,
              t->min, t->sec);
    sb_key(&sb, &crt);
    sb_printf(&sb, ", %zu bytes", len);
    decoder_emit(d, depth, "    %s", line);
    mbedtls_x509_crt_free(&crt);
}
#else
void x509_append_name(struct sbuf *sb, const unsigned char *der, size_t len)
{
    (void) der;
    sb_printf(sb, "(a name of %zu bytes: this mbedTLS has no X.509 parser)", len);
}

void x509_print_summary(const struct record_decoder *d, int depth, size_t index, const unsigned char *der,
                        size_t len)
{
    (void) der;
    decoder_emit(d, depth, "[%zu] %zu bytes: a certificate (this mbedTLS has no X.509 parser to read it)",
                 index, len);
}
#endif /* MBEDTLS_X509_CRT_PARSE_C */
