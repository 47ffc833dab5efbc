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
 *
 * The names of attribute types, curves and key algorithms come from the decoder's own OID tables
 * below, for the same reason: mbedTLS 4.0 made the functions that named them internal
 * (mbedtls_oid_get_attr_short_name(), mbedtls_oid_get_ec_grp(), mbedtls_pk_get_type(),
 * mbedtls_pk_get_name()), and 2.28 and 3.6 only name the curves their build has. The key's type
 * is the algorithm OID of the certificate's SubjectPublicKeyInfo, read with the public ASN.1
 * reader, which all three releases have.
 */
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "decoder.h"
#include "report.h"

/* The OID tables: the OID's content bytes (what follows the tag and length in DER), its dotted
 * form (tests/test_record_decoder checks that the two agree), and its name. */
#define OID(der, dotted) der, sizeof(der) - 1, dotted

/* Attribute types of distinguished names, with the short names mbedTLS 3.6 gives them
 * (library/oid.c, oid_x520_attr_type). */
static const struct x509_oid attribute_types[] = {
    {OID("\x55\x04\x03", "2.5.4.3"), "CN", 0},
    {OID("\x55\x04\x06", "2.5.4.6"), "C", 0},
    {OID("\x55\x04\x07", "2.5.4.7"), "L", 0},
    {OID("\x55\x04\x08", "2.5.4.8"), "ST", 0},
    {OID("\x55\x04\x0a", "2.5.4.10"), "O", 0},
    {OID("\x55\x04\x0b", "2.5.4.11"), "OU", 0},
    {OID("\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", "1.2.840.113549.1.9.1"), "emailAddress", 0},
    {OID("\x55\x04\x05", "2.5.4.5"), "serialNumber", 0},
    {OID("\x55\x04\x10", "2.5.4.16"), "postalAddress", 0},
    {OID("\x55\x04\x11", "2.5.4.17"), "postalCode", 0},
    {OID("\x55\x04\x04", "2.5.4.4"), "SN", 0},
    {OID("\x55\x04\x2a", "2.5.4.42"), "GN", 0},
    {OID("\x55\x04\x2b", "2.5.4.43"), "initials", 0},
    {OID("\x55\x04\x2c", "2.5.4.44"), "generationQualifier", 0},
    {OID("\x55\x04\x0c", "2.5.4.12"), "title", 0},
    {OID("\x55\x04\x2e", "2.5.4.46"), "dnQualifier", 0},
    {OID("\x55\x04\x41", "2.5.4.65"), "pseudonym", 0},
    {OID("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", "0.9.2342.19200300.100.1.1"), "uid", 0},
    {OID("\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", "0.9.2342.19200300.100.1.25"), "DC", 0},
    {OID("\x55\x04\x2d", "2.5.4.45"), "uniqueIdentifier", 0},
};

/* Named curves (RFC 5480, RFC 5639), each with its TLS group: the name is the groups registry's
 * (common/tls_names/groups.def). */
static const struct x509_oid curves[] = {
    {OID("\x2a\x86\x48\xce\x3d\x03\x01\x07", "1.2.840.10045.3.1.7"), "secp256r1", 23},
    {OID("\x2b\x81\x04\x00\x22", "1.3.132.0.34"), "secp384r1", 24},
    {OID("\x2b\x81\x04\x00\x23", "1.3.132.0.35"), "secp521r1", 25},
    {OID("\x2a\x86\x48\xce\x3d\x03\x01\x01", "1.2.840.10045.3.1.1"), "secp192r1", 19},
    {OID("\x2b\x81\x04\x00\x21", "1.3.132.0.33"), "secp224r1", 21},
    {OID("\x2b\x81\x04\x00\x1f", "1.3.132.0.31"), "secp192k1", 18},
    {OID("\x2b\x81\x04\x00\x20", "1.3.132.0.32"), "secp224k1", 20},
    {OID("\x2b\x81\x04\x00\x0a", "1.3.132.0.10"), "secp256k1", 22},
    {OID("\x2b\x24\x03\x03\x02\x08\x01\x01\x07", "1.3.36.3.3.2.8.1.1.7"), "brainpoolP256r1", 26},
    {OID("\x2b\x24\x03\x03\x02\x08\x01\x01\x0b", "1.3.36.3.3.2.8.1.1.11"), "brainpoolP384r1", 27},
    {OID("\x2b\x24\x03\x03\x02\x08\x01\x01\x0d", "1.3.36.3.3.2.8.1.1.13"), "brainpoolP512r1", 28},
};

/* Public key algorithms of a SubjectPublicKeyInfo (RFC 3279, RFC 5480, RFC 8410), as far as some
 * mbedTLS release parses them. */
static const struct x509_oid key_algorithms[] = {
    {OID("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", "1.2.840.113549.1.1.1"), "RSA", X509_KEY_RSA},
    {OID("\x2a\x86\x48\xce\x3d\x02\x01", "1.2.840.10045.2.1"), "EC", X509_KEY_EC},
    {OID("\x2b\x81\x04\x01\x0c", "1.3.132.1.12"), "EC", X509_KEY_EC}, /* id-ecDH */
    {OID("\x2b\x65\x6e", "1.3.101.110"), "X25519", X509_KEY_OTHER},
    {OID("\x2b\x65\x6f", "1.3.101.111"), "X448", X509_KEY_OTHER},
};

const struct x509_oid *x509_oid_table(enum x509_oid_table table, size_t *count)
{
    switch (table) {
    case X509_OID_ATTRIBUTE_TYPES:
        *count = COUNT(attribute_types);
        return attribute_types;
    case X509_OID_CURVES:
        *count = COUNT(curves);
        return curves;
    case X509_OID_KEY_ALGORITHMS:
        *count = COUNT(key_algorithms);
        return key_algorithms;
    }
    *count = 0;
    return NULL;
}

const struct x509_oid *x509_oid_find(enum x509_oid_table table, const unsigned char *oid, size_t len)
{
    size_t count;
    const struct x509_oid *entry = x509_oid_table(table, &count);

    for (size_t i = 0; i < count; i++) {
        if (entry[i].len == len && memcmp(entry[i].der, oid, len) == 0) {
            return &entry[i];
        }
    }
    return NULL;
}

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

/** Append an OID in dotted notation, "2.5.4.3". */
static void sb_dotted(struct sbuf *sb, const mbedtls_asn1_buf *oid)
{
    char dotted[64];

    if (mbedtls_oid_get_numeric_string(dotted, sizeof(dotted), oid) > 0) {
        sb_printf(sb, "%s", dotted);
    } else {
        sb_printf(sb, "(unreadable OID)");
    }
}

/** Append a name most specific attribute first, as RFC 4514 writes it: "CN=..., O=...". Attribute
 *  types are named as mbedTLS 3.6 names them ("CN", "emailAddress"), others in dotted notation. */
static void sb_dn(struct sbuf *sb, const struct dn *dn)
{
    for (size_t i = dn->n; i > 0; i--) {
        const mbedtls_asn1_buf *oid = &dn->attr[i - 1].oid;
        const struct x509_oid *type = x509_oid_find(X509_OID_ATTRIBUTE_TYPES, oid->p, oid->len);

        sb_printf(sb, "%s", i != dn->n ? ", " : "");
        if (type != NULL) {
            sb_printf(sb, "%s", type->name);
        } else {
            sb_dotted(sb, oid);
        }
        sb_printf(sb, "=");
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

/** The public key, from the certificate's SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier,
 *  BIT STRING }. "EC key on secp256r1", "RSA 2048-bit key". */
static void sb_key(struct sbuf *sb, const mbedtls_x509_crt *crt)
{
    unsigned char *p = crt->pk_raw.p;
    const unsigned char *end = crt->pk_raw.p + crt->pk_raw.len;
    mbedtls_asn1_buf alg, params;
    const struct x509_oid *key, *curve;
    size_t n;

    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        mbedtls_asn1_get_alg(&p, p + n, &alg, &params) != 0) {
        sb_printf(sb, "unreadable key"); /* not reached: mbedTLS parsed this key */
        return;
    }
    key = x509_oid_find(X509_OID_KEY_ALGORITHMS, alg.p, alg.len);
    if (key == NULL) {
        sb_printf(sb, "key of type ");
        sb_dotted(sb, &alg);
        return;
    }
    switch ((enum x509_key_kind) key->value) {
    case X509_KEY_RSA:
        sb_printf(sb, "RSA %zu-bit key", mbedtls_pk_get_bitlen(&crt->pk));
        break;
    case X509_KEY_EC:
        if (params.tag != MBEDTLS_ASN1_OID) {
            sb_printf(sb, "EC key with explicit curve parameters");
        } else if ((curve = x509_oid_find(X509_OID_CURVES, params.p, params.len)) != NULL) {
            sb_printf(sb, "EC key on %s", curve->name);
        } else {
            sb_printf(sb, "EC key on curve ");
            sb_dotted(sb, &params);
        }
        break;
    case X509_KEY_OTHER:
        sb_printf(sb, "%s key", key->name);
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

        /* error_text(): 4.0's mbedtls_strerror() no longer names the pk errors a parse returns. */
        decoder_emit(d, depth, "[%zu] %zu bytes: not a readable X.509 certificate (-0x%04X %s)", index, len,
                     (unsigned) -ret, error_text(ret, why, sizeof(why)));
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
