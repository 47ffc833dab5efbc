/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file decoder.h
 * @brief What the record decoder's layers share: the connection's state, the reader, the printer.
 *
 * The decoder (public API: common/record_decoder.h) is one file per layer, from the wire up:
 *
 * | file            | layer |
 * |-----------------|-------|
 * | records.c       | records: framing per direction, plaintext or encrypted, non-TLS streams |
 * | datagrams.c     | DTLS records: each datagram's records, their epoch and sequence number |
 * | handshake.c     | handshake messages: reassembly across records, one decoder per message type |
 * | hellos.c        | ClientHello and ServerHello: what the client offers, what the server picks |
 * | extensions.c    | the extensions inside hellos and other messages |
 * | x509.c          | the one-line summary of each certificate, read by mbedTLS's X.509 parser |
 * | reader.c        | the bounds-checked reader every layer reads fields with |
 * | text.c          | the printer: one indented line per item, escaped wire bytes, wrapped lists |
 *
 * Names of numbers come from common/tls_names.h. Nothing here is visible to the lessons.
 */
#ifndef WORKSHOP_DECODER_DECODER_H
#define WORKSHOP_DECODER_DECODER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record_decoder.h"
#include "tls_names.h"

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(fmt_index, args_index) __attribute__((format(printf, fmt_index, args_index)))
#else
#define PRINTF_LIKE(fmt_index, args_index)
#endif

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/** Largest plaintext record body (2^14). */
#define MAX_PLAINTEXT_BODY 16384
/** Largest record body allowed on the wire: 2^14 plaintext plus 2048 of expansion (TLS 1.2). */
#define MAX_RECORD_BODY (16384 + 2048)
/** The longest record header of any stream record layer variant (TLS: 5 bytes). */
#define MAX_RECORD_HEADER 5
/** Handshake messages above this size are skipped instead of reassembled. */
#define MAX_HANDSHAKE_MSG (64 * 1024)
/** How many bytes of a non-TLS stream are collected to show what it looks like. */
#define PREVIEW_MAX 32
/** Lists are wrapped to keep lines shorter than this. */
#define WRAP_COLUMN 100

/**
 * How one record layer frames the records of a byte stream (records.c). The decoder reads a stream's
 * records through this table only, so a variant is one more instance of it: TLS (`tls_records`) is
 * the one there is. DTLS, fed a datagram at a time, reads its headers in datagrams.c.
 */
struct record_layer {
    const char *name;  /**< "TLS" */
    size_t header_len; /**< bytes in a record header, at most MAX_RECORD_HEADER */
    /** Could these first n header bytes (1 <= n <= header_len) start a record? Asked after each
     *  byte, so that a stream that is not this protocol is caught at its first wrong byte. */
    int (*header_plausible)(const unsigned char *header, size_t n);
    /** The body length a complete header announces. */
    size_t (*body_length)(const unsigned char *header);
    /** The version field of a complete header. */
    uint16_t (*version)(const unsigned char *header);
};

/** The TLS record layer (RFC 8446 section 5.1 and its predecessors). */
extern const struct record_layer tls_records;

/** Which message an extension block belongs to: the same extension means different things. */
enum ext_context {
    IN_CLIENT_HELLO,
    IN_SERVER_HELLO,
    IN_HELLO_RETRY_REQUEST,
    IN_ENCRYPTED_EXTENSIONS,
    IN_OTHER_MESSAGE
};

/** TLS 1.2 key exchange, derived from the cipher suite; decides how key exchange messages look. */
enum key_exchange {
    KX_UNKNOWN,
    KX_RSA,
    KX_ECDHE, /* also ECDH_anon: same parameters, no signature */
    KX_ECDH,  /* static ECDH: the key is in the certificate */
    KX_DHE,   /* also DH_anon */
    KX_PSK,
    KX_ECDHE_PSK,
    KX_DHE_PSK,
    KX_RSA_PSK,
    KX_ECJPAKE,
    KX_TLS13
};

/** How far a direction's byte stream could be followed. */
enum stream_state {
    STREAM_RECORDS, /* reading records */
    STREAM_PREVIEW, /* not TLS: collecting a few bytes to show what it is */
    STREAM_IGNORED  /* gave up: counting the bytes that are not decoded */
};

/** Everything kept for one direction of the connection. */
struct direction_state {
    enum stream_state state;
    int encrypted; /* records in this direction are now protected */
    unsigned char rec[MAX_RECORD_HEADER + MAX_RECORD_BODY];
    size_t rec_fill;   /* bytes of the current record received */
    size_t rec_need;   /* header + body length, known once the header is complete */
    unsigned char *hs; /* partial handshake message (4-byte header + body) */
    size_t hs_len;
    size_t hs_cap;
    size_t hs_skip; /* bytes still to drop from an oversized handshake message */
    unsigned char preview[PREVIEW_MAX];
    size_t preview_len;
    unsigned long long ignored; /* bytes not decoded after giving up */
    /* DTLS: the message being reassembled from fragments (its body in hs), see handshake.c */
    unsigned char *hs_have;         /* one bit per body byte received */
    int dtls_active;                /* a message is being reassembled */
    uint16_t dtls_msg_seq;          /* its message_seq */
    uint8_t dtls_type;              /* its type */
    size_t dtls_len;                /* its length */
    unsigned dtls_fragments;        /* fragments of it received */
    unsigned char dtls_decoded[32]; /* one bit per message_seq decoded (0-255), to spot resends */
};

/** The decoder of one connection (opaque to its users). */
struct record_decoder {
    FILE *out;
    int quiet;                        /* suppress printing during a collecting pass */
    enum tls_direction dir;           /* direction being decoded, for the arrow */
    const struct record_layer *layer; /* how records are framed */
    int tls13;                        /* the ServerHello selected TLS 1.3 */
    uint16_t version;                 /* negotiated version, 0 before the ServerHello */
    enum key_exchange kx;             /* TLS 1.2 key exchange, from the chosen suite */
    int last_fed;                     /* direction of the previous bytes, -1 before any */
    struct direction_state side[2];   /* indexed by enum tls_direction */
    struct tls_client_hello hello;    /* what lessons query: see record_decoder.h */
    struct tls_server_choice choice;
    struct tls_wire_summary wire;
    int dtls;       /* DTLS: fed a datagram at a time (datagrams.c) */
    size_t cid_len; /* DTLS: the length of connection IDs in tls12_cid records */
};

/* ---- text.c: the printer ---- */

/** Print one line: the direction arrow, two spaces per depth level, then the text. */
void decoder_emit(const struct record_decoder *d, int depth, const char *fmt, ...) PRINTF_LIKE(3, 4);

/** Does the decoder print at all (not silent, not in a collecting pass)? */
int decoder_printing(const struct record_decoder *d);

/** A name, or the number in hex when the table does not know it. */
const char *name_or_hex(const char *name, unsigned value, char *buf, size_t cap);

/** A string being built in a fixed buffer; whatever does not fit is dropped, never overflowed. */
struct sbuf {
    char *buf;
    size_t cap;
    size_t len;
};

void sb_init(struct sbuf *sb, char *buf, size_t cap);
void sb_printf(struct sbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
/** Append bytes from the wire: printable ASCII as is, anything else (and backslash) as \\xHH, so a
 *  peer cannot send terminal escape sequences to the trace. At most max_in bytes are shown. */
void sb_escaped(struct sbuf *sb, const unsigned char *p, size_t n, size_t max_in);

/** Prints "label: a, b, c", wrapping long lists onto continuation lines aligned under the first
 *  item. */
struct list_printer {
    const struct record_decoder *d;
    int depth;
    char line[WRAP_COLUMN + 160];
    struct sbuf sb;
    size_t indent;
    size_t items;
};

void list_begin(struct list_printer *lp, const struct record_decoder *d, int depth, const char *label);
void list_add(struct list_printer *lp, const char *item);
void list_end(struct list_printer *lp);

/* ---- reader.c: the bounds-checked reader ---- */

/** Reads fields from a byte range. The first failed read is remembered (field name, bytes wanted,
 *  bytes left) and every later read fails too, so a decoder can check once at the end. */
struct reader {
    const unsigned char *p;
    size_t left;
    const char *failed_field;
    size_t wanted;
    size_t had;
};

void rd_init(struct reader *r, const unsigned char *p, size_t n);
int rd_take(struct reader *r, const char *field, size_t n, const unsigned char **out);
/** Big-endian unsigned integer of 1 to 4 bytes. */
int rd_uint(struct reader *r, const char *field, size_t n, uint32_t *value);
int rd_u16(struct reader *r, const char *field, uint16_t *value);
/** A vector with a len_bytes length prefix, as in the TLS presentation language `<0..2^8-1>`. */
int rd_vec(struct reader *r, const char *field, size_t len_bytes, struct reader *sub);
/** Print why a message could not be parsed: a short read, or bytes left over at the end. Returns 1
 *  if it printed. */
int rd_report_malformed(const struct record_decoder *d, int depth, const char *what, const struct reader *r);
/** Read a whole vector of 16-bit values and print them as a named list; optionally store them. */
void list_u16(const struct record_decoder *d, int depth, const char *label, struct reader *vec,
              const char *(*name_of)(uint16_t), uint16_t *store, size_t *n_store, size_t store_cap);

/* ---- the layers ---- */

/** handshake.c: add one plaintext handshake record's body to the direction's reassembly buffer,
 *  decoding each message as soon as it is complete. */
void handshake_append(struct record_decoder *d, struct direction_state *s, const unsigned char *p, size_t n);
/** handshake.c, DTLS: place one handshake fragment of a plaintext record (type, total length,
 *  message_seq, offset, fragment) in the direction's reassembly buffer; decode the message once every
 *  byte of it is there. A retransmitted message (message_seq already decoded) is only named. */
void handshake_append_fragment(struct record_decoder *d, struct direction_state *s, uint8_t type,
                               uint32_t msg_len, uint16_t msg_seq, uint32_t offset, const unsigned char *frag,
                               uint32_t frag_len);
/** handshake.c: forget a partly reassembled message (say so if there was one). */
void handshake_drop_partial(struct record_decoder *d, struct direction_state *s, const char *why);

/** hellos.c */
void decode_client_hello(struct record_decoder *d, const unsigned char *body, size_t len);
void decode_server_hello(struct record_decoder *d, const unsigned char *body, size_t len);

/** extensions.c: print the extension list, then one line per decoded extension; ch and sc, when
 *  not NULL, collect what the client offered and what the server chose. */
void decode_extensions(const struct record_decoder *d, int depth, const struct reader *block,
                       enum ext_context ctx, struct tls_client_hello *ch, struct tls_server_choice *sc);

/** x509.c: print the summary of one certificate (subject, issuer, expiry, key), numbered index. */
void x509_print_summary(const struct record_decoder *d, int depth, size_t index, const unsigned char *der,
                        size_t len);
/** x509.c: append a DER-encoded distinguished name (a Name SEQUENCE) as "CN=..., O=...". */
void x509_append_name(struct sbuf *sb, const unsigned char *der, size_t len);
/** x509.c: bits in a big-endian unsigned integer, ignoring leading zeros (also a DH prime's size). */
size_t integer_bits(const unsigned char *p, size_t n);

/** x509.c: an OID the decoder names itself, so that the trace reads the same with every mbedTLS
 *  release (4.0 has no public function that names them). */
struct x509_oid {
    const char *der;    /**< the OID's content bytes, as they follow its DER tag and length */
    size_t len;         /**< bytes in der */
    const char *dotted; /**< the same OID in dotted notation, "2.5.4.3" */
    const char *name;   /**< what the trace prints: "CN", "secp256r1", "RSA" */
    unsigned value;     /**< a curve's TLS group; a key algorithm's enum x509_key_kind; else 0 */
};
/** x509.c: what a key algorithm's entry says about the rest of the key. */
enum x509_key_kind {
    X509_KEY_RSA,  /**< print the modulus size */
    X509_KEY_EC,   /**< the curve is in the algorithm parameters */
    X509_KEY_OTHER /**< nothing more to say */
};
/** x509.c: the decoder's OID tables. */
enum x509_oid_table {
    X509_OID_ATTRIBUTE_TYPES, /**< of distinguished names, named as mbedTLS 3.6 names them */
    X509_OID_CURVES,          /**< named curves, named as the TLS groups registry names them */
    X509_OID_KEY_ALGORITHMS   /**< of a SubjectPublicKeyInfo */
};
/** x509.c: one table and its length in *count. */
const struct x509_oid *x509_oid_table(enum x509_oid_table table, size_t *count);
/** x509.c: the entry of table for an OID's content bytes, or NULL. */
const struct x509_oid *x509_oid_find(enum x509_oid_table table, const unsigned char *oid, size_t len);

#endif /* WORKSHOP_DECODER_DECODER_H */
