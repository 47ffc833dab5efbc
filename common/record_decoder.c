/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file record_decoder.c
 * @brief TLS record decoder for the lessons' `--trace` option (see record_decoder.h).
 *
 * Layers, from the wire up:
 *  - record_decoder_feed() collects bytes into whole records per direction (header, then body);
 *  - process_record() prints each record and, while a direction is still in plaintext, passes
 *    handshake bytes to handshake_append(), which reassembles whole handshake messages;
 *  - decode_handshake() prints each message, its extensions and, for Certificate, a summary of
 *    each X.509 certificate read with a small DER walker.
 *
 * Every read goes through a bounds-checked reader, so hostile input ends in a "malformed" line,
 * never in an out-of-bounds read. Memory per connection is bounded: two record buffers and at most
 * one handshake message (MAX_HANDSHAKE_MSG) per direction.
 */
#include "record_decoder.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/** Bytes in a record header: type, version (2), length (2). */
#define RECORD_HEADER_LEN 5
/** Largest record body allowed on the wire: 2^14 plaintext plus 2048 of expansion (TLS 1.2). */
#define MAX_RECORD_BODY (16384 + 2048)
/** Largest plaintext record body. */
#define MAX_PLAINTEXT_BODY 16384
/** Handshake messages above this size are skipped instead of reassembled. */
#define MAX_HANDSHAKE_MSG (64 * 1024)
/** How many bytes of a non-TLS stream are collected to show what it looks like. */
#define PREVIEW_MAX 32
/** Lists are wrapped to keep lines shorter than this. */
#define WRAP_COLUMN 100
/** At most this many certificate authority names are listed from a CertificateRequest. */
#define MAX_CA_NAMES_SHOWN 8

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(fmt_index, args_index) __attribute__((format(printf, fmt_index, args_index)))
#else
#define PRINTF_LIKE(fmt_index, args_index)
#endif

enum content_type {
    CT_CHANGE_CIPHER_SPEC = 20,
    CT_ALERT = 21,
    CT_HANDSHAKE = 22,
    CT_APPLICATION_DATA = 23,
    CT_HEARTBEAT = 24
};

enum handshake_type {
    HS_HELLO_REQUEST = 0,
    HS_CLIENT_HELLO = 1,
    HS_SERVER_HELLO = 2,
    HS_NEW_SESSION_TICKET = 4,
    HS_END_OF_EARLY_DATA = 5,
    HS_ENCRYPTED_EXTENSIONS = 8,
    HS_CERTIFICATE = 11,
    HS_SERVER_KEY_EXCHANGE = 12,
    HS_CERTIFICATE_REQUEST = 13,
    HS_SERVER_HELLO_DONE = 14,
    HS_CERTIFICATE_VERIFY = 15,
    HS_CLIENT_KEY_EXCHANGE = 16,
    HS_FINISHED = 20,
    HS_CERTIFICATE_STATUS = 22,
    HS_KEY_UPDATE = 24
};

enum extension_type {
    EXT_SERVER_NAME = 0,
    EXT_MAX_FRAGMENT_LENGTH = 1,
    EXT_STATUS_REQUEST = 5,
    EXT_SUPPORTED_GROUPS = 10,
    EXT_EC_POINT_FORMATS = 11,
    EXT_SIGNATURE_ALGORITHMS = 13,
    EXT_ALPN = 16,
    EXT_ENCRYPT_THEN_MAC = 22,
    EXT_EXTENDED_MASTER_SECRET = 23,
    EXT_COMPRESS_CERTIFICATE = 27,
    EXT_RECORD_SIZE_LIMIT = 28,
    EXT_SESSION_TICKET = 35,
    EXT_PRE_SHARED_KEY = 41,
    EXT_EARLY_DATA = 42,
    EXT_SUPPORTED_VERSIONS = 43,
    EXT_COOKIE = 44,
    EXT_PSK_KEY_EXCHANGE_MODES = 45,
    EXT_POST_HANDSHAKE_AUTH = 49,
    EXT_SIGNATURE_ALGORITHMS_CERT = 50,
    EXT_KEY_SHARE = 51,
    EXT_RENEGOTIATION_INFO = 0xff01
};

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
    int encrypted;              /* records in this direction are now protected */
    unsigned long long records; /* complete records decoded */
    unsigned char rec[RECORD_HEADER_LEN + MAX_RECORD_BODY];
    size_t rec_fill;   /* bytes of the current record received */
    size_t rec_need;   /* header + body length, known once the header is complete */
    unsigned char *hs; /* partial handshake message (4-byte header + body) */
    size_t hs_len;
    size_t hs_cap;
    size_t hs_skip; /* bytes still to drop from an oversized handshake message */
    unsigned char preview[PREVIEW_MAX];
    size_t preview_len;
    unsigned long long ignored; /* bytes not decoded after giving up */
};

struct record_decoder {
    FILE *out;
    int quiet;              /* suppress printing during a collecting pass */
    enum tls_direction dir; /* direction being decoded, for the arrow */
    int tls13;              /* the ServerHello selected TLS 1.3 */
    uint16_t version;       /* negotiated version, 0 before the ServerHello */
    enum key_exchange kx;
    struct direction_state side[2];
    struct tls_client_hello hello;
    struct tls_server_choice choice;
};

/* ------------------------------------------------------------------------------------------ */
/* Name tables                                                                                */
/* ------------------------------------------------------------------------------------------ */

struct id_name {
    uint16_t id;
    const char *name;
};

/** GREASE (RFC 8701) values look like 0x0A0A, 0x1A1A ... 0xFAFA: clients send them so that servers
 *  learn to ignore unknown values. */
static int is_grease(uint16_t id)
{
    return (id & 0x0f0f) == 0x0a0a && (id >> 8) == (id & 0xff);
}

static const char *lookup_linear(const struct id_name *table, size_t n, uint16_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (table[i].id == id) {
            return table[i].name;
        }
    }
    return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Sorted by id (binary search). From the IANA TLS Cipher Suites registry, covering what mbedTLS
 * 2.28/3.6, OpenSSL and GnuTLS implement. */
static const struct id_name cipher_suites[] = {
    {0x0001, "TLS_RSA_WITH_NULL_MD5"},
    {0x0002, "TLS_RSA_WITH_NULL_SHA"},
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
    {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    {0x0009, "TLS_RSA_WITH_DES_CBC_SHA"},
    {0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"},
    {0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"},
    {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"},
    {0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"},
    {0x002C, "TLS_PSK_WITH_NULL_SHA"},
    {0x002D, "TLS_DHE_PSK_WITH_NULL_SHA"},
    {0x002E, "TLS_RSA_PSK_WITH_NULL_SHA"},
    {0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"},
    {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"},
    {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"},
    {0x003B, "TLS_RSA_WITH_NULL_SHA256"},
    {0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"},
    {0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"},
    {0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256"},
    {0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256"},
    {0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA"},
    {0x008A, "TLS_PSK_WITH_RC4_128_SHA"},
    {0x008B, "TLS_PSK_WITH_3DES_EDE_CBC_SHA"},
    {0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA"},
    {0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA"},
    {0x008E, "TLS_DHE_PSK_WITH_RC4_128_SHA"},
    {0x008F, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA"},
    {0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA"},
    {0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA"},
    {0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA"},
    {0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA"},
    {0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA"},
    {0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA"},
    {0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"},
    {0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"},
    {0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"},
    {0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384"},
    {0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256"},
    {0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384"},
    {0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256"},
    {0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384"},
    {0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256"},
    {0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384"},
    {0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256"},
    {0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384"},
    {0x00B0, "TLS_PSK_WITH_NULL_SHA256"},
    {0x00B1, "TLS_PSK_WITH_NULL_SHA384"},
    {0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256"},
    {0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384"},
    {0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256"},
    {0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384"},
    {0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256"},
    {0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384"},
    {0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256"},
    {0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384"},
    {0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00BF, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256"},
    {0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {0x1301, "TLS_AES_128_GCM_SHA256"},
    {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
    {0x1304, "TLS_AES_128_CCM_SHA256"},
    {0x1305, "TLS_AES_128_CCM_8_SHA256"},
    {0x5600, "TLS_FALLBACK_SCSV"},
    {0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA"},
    {0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA"},
    {0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"},
    {0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"},
    {0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA"},
    {0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA"},
    {0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"},
    {0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"},
    {0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA"},
    {0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"},
    {0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xC015, "TLS_ECDH_anon_WITH_NULL_SHA"},
    {0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA"},
    {0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"},
    {0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"},
    {0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"},
    {0xC01A, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA"},
    {0xC01B, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC01C, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA"},
    {0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA"},
    {0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA"},
    {0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA"},
    {0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA"},
    {0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA"},
    {0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA"},
    {0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256"},
    {0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384"},
    {0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256"},
    {0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384"},
    {0xC033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA"},
    {0xC034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA"},
    {0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA"},
    {0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA"},
    {0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256"},
    {0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384"},
    {0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA"},
    {0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256"},
    {0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384"},
    {0xC03C, "TLS_RSA_WITH_ARIA_128_CBC_SHA256"},
    {0xC03D, "TLS_RSA_WITH_ARIA_256_CBC_SHA384"},
    {0xC044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256"},
    {0xC045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384"},
    {0xC048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256"},
    {0xC049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384"},
    {0xC04A, "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256"},
    {0xC04B, "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384"},
    {0xC04C, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256"},
    {0xC04D, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384"},
    {0xC04E, "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256"},
    {0xC04F, "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384"},
    {0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256"},
    {0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384"},
    {0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC05E, "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC05F, "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC062, "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC063, "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC064, "TLS_PSK_WITH_ARIA_128_CBC_SHA256"},
    {0xC065, "TLS_PSK_WITH_ARIA_256_CBC_SHA384"},
    {0xC066, "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256"},
    {0xC067, "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384"},
    {0xC068, "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256"},
    {0xC069, "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384"},
    {0xC06A, "TLS_PSK_WITH_ARIA_128_GCM_SHA256"},
    {0xC06B, "TLS_PSK_WITH_ARIA_256_GCM_SHA384"},
    {0xC06C, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256"},
    {0xC06D, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384"},
    {0xC06E, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256"},
    {0xC06F, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384"},
    {0xC070, "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256"},
    {0xC071, "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384"},
    {0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC07A, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC07B, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC07C, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC07D, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC080, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC081, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC084, "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC085, "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC08A, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC08B, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC08C, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC08D, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC08E, "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC08F, "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC090, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC091, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC092, "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC093, "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC09A, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256"},
    {0xC09B, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384"},
    {0xC09C, "TLS_RSA_WITH_AES_128_CCM"},
    {0xC09D, "TLS_RSA_WITH_AES_256_CCM"},
    {0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM"},
    {0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM"},
    {0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8"},
    {0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8"},
    {0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8"},
    {0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8"},
    {0xC0A4, "TLS_PSK_WITH_AES_128_CCM"},
    {0xC0A5, "TLS_PSK_WITH_AES_256_CCM"},
    {0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM"},
    {0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM"},
    {0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8"},
    {0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8"},
    {0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8"},
    {0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8"},
    {0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"},
    {0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"},
    {0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"},
    {0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"},
    {0xC0FF, "TLS_ECJPAKE_WITH_AES_128_CCM_8"},
    {0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256"},
    {0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256"},
    {0xD001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256"},
    {0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384"},
    {0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256"},
    {0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256"},
};

const char *tls_cipher_suite_name(uint16_t id)
{
    size_t lo = 0;
    size_t hi = COUNT(cipher_suites);

    if (is_grease(id)) {
        return "GREASE";
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cipher_suites[mid].id == id) {
            return cipher_suites[mid].name;
        }
        if (cipher_suites[mid].id < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

const char *tls_version_name(uint16_t v)
{
    static const struct id_name versions[] = {
        {0x0002, "SSL 2.0"},  {0x0300, "SSL 3.0"},  {0x0301, "TLS 1.0"},
        {0x0302, "TLS 1.1"},  {0x0303, "TLS 1.2"},  {0x0304, "TLS 1.3"},
        {0xfeff, "DTLS 1.0"}, {0xfefd, "DTLS 1.2"}, {0xfefc, "DTLS 1.3"},
    };
    if (is_grease(v)) {
        return "GREASE";
    }
    return lookup_linear(versions, COUNT(versions), v);
}

/* IANA TLS Supported Groups registry. */
static const struct id_name tls_groups[] = {
    {1, "sect163k1"},
    {2, "sect163r1"},
    {3, "sect163r2"},
    {4, "sect193r1"},
    {5, "sect193r2"},
    {6, "sect233k1"},
    {7, "sect233r1"},
    {8, "sect239k1"},
    {9, "sect283k1"},
    {10, "sect283r1"},
    {11, "sect409k1"},
    {12, "sect409r1"},
    {13, "sect571k1"},
    {14, "sect571r1"},
    {15, "secp160k1"},
    {16, "secp160r1"},
    {17, "secp160r2"},
    {18, "secp192k1"},
    {19, "secp192r1"},
    {20, "secp224k1"},
    {21, "secp224r1"},
    {22, "secp256k1"},
    {23, "secp256r1"},
    {24, "secp384r1"},
    {25, "secp521r1"},
    {26, "brainpoolP256r1"},
    {27, "brainpoolP384r1"},
    {28, "brainpoolP512r1"},
    {29, "x25519"},
    {30, "x448"},
    {31, "brainpoolP256r1tls13"},
    {32, "brainpoolP384r1tls13"},
    {33, "brainpoolP512r1tls13"},
    {34, "GC256A"},
    {35, "GC256B"},
    {36, "GC256C"},
    {37, "GC256D"},
    {38, "GC512A"},
    {39, "GC512B"},
    {40, "GC512C"},
    {41, "curveSM2"},
    {256, "ffdhe2048"},
    {257, "ffdhe3072"},
    {258, "ffdhe4096"},
    {259, "ffdhe6144"},
    {260, "ffdhe8192"},
    {512, "MLKEM512"},
    {513, "MLKEM768"},
    {514, "MLKEM1024"},
    {4587, "SecP256r1MLKEM768"},
    {4588, "X25519MLKEM768"},
    {4589, "SecP384r1MLKEM1024"},
    {25497, "X25519Kyber768Draft00"},
    {25498, "SecP256r1Kyber768Draft00"},
    {0xff01, "arbitrary_explicit_prime_curves"},
    {0xff02, "arbitrary_explicit_char2_curves"},
    };

const char *tls_group_name(uint16_t id)
{
    if (is_grease(id)) {
        return "GREASE";
    }
    return lookup_linear(tls_groups, COUNT(tls_groups), id);
}

uint16_t tls_group_from_name(const char *name)
{
    for (size_t i = 0; i < COUNT(tls_groups); i++) {
        if (strcasecmp(tls_groups[i].name, name) == 0) {
            return tls_groups[i].id;
        }
    }
    return 0;
}

const char *tls_sigalg_name(uint16_t id)
{
    static const struct id_name sigalgs[] = {
        {0x0201, "rsa_pkcs1_sha1"},
        {0x0202, "dsa_sha1"},
        {0x0203, "ecdsa_sha1"},
        {0x0301, "rsa_pkcs1_sha224"},
        {0x0302, "dsa_sha224"},
        {0x0303, "ecdsa_sha224"},
        {0x0401, "rsa_pkcs1_sha256"},
        {0x0402, "dsa_sha256"},
        {0x0403, "ecdsa_secp256r1_sha256"},
        {0x0501, "rsa_pkcs1_sha384"},
        {0x0502, "dsa_sha384"},
        {0x0503, "ecdsa_secp384r1_sha384"},
        {0x0601, "rsa_pkcs1_sha512"},
        {0x0602, "dsa_sha512"},
        {0x0603, "ecdsa_secp521r1_sha512"},
        {0x0804, "rsa_pss_rsae_sha256"},
        {0x0805, "rsa_pss_rsae_sha384"},
        {0x0806, "rsa_pss_rsae_sha512"},
        {0x0807, "ed25519"},
        {0x0808, "ed448"},
        {0x0809, "rsa_pss_pss_sha256"},
        {0x080a, "rsa_pss_pss_sha384"},
        {0x080b, "rsa_pss_pss_sha512"},
        {0x081a, "ecdsa_brainpoolP256r1tls13_sha256"},
        {0x081b, "ecdsa_brainpoolP384r1tls13_sha384"},
        {0x081c, "ecdsa_brainpoolP512r1tls13_sha512"},
        {0x0904, "mldsa44"},
        {0x0905, "mldsa65"},
        {0x0906, "mldsa87"},
    };
    if (is_grease(id)) {
        return "GREASE";
    }
    return lookup_linear(sigalgs, COUNT(sigalgs), id);
}

const char *tls_extension_name(uint16_t id)
{
    static const struct id_name extensions[] = {
        {0, "server_name"},
        {1, "max_fragment_length"},
        {2, "client_certificate_url"},
        {3, "trusted_ca_keys"},
        {4, "truncated_hmac"},
        {5, "status_request"},
        {6, "user_mapping"},
        {7, "client_authz"},
        {8, "server_authz"},
        {9, "cert_type"},
        {10, "supported_groups"},
        {11, "ec_point_formats"},
        {12, "srp"},
        {13, "signature_algorithms"},
        {14, "use_srtp"},
        {15, "heartbeat"},
        {16, "application_layer_protocol_negotiation"},
        {17, "status_request_v2"},
        {18, "signed_certificate_timestamp"},
        {19, "client_certificate_type"},
        {20, "server_certificate_type"},
        {21, "padding"},
        {22, "encrypt_then_mac"},
        {23, "extended_master_secret"},
        {24, "token_binding"},
        {25, "cached_info"},
        {26, "tls_lts"},
        {27, "compress_certificate"},
        {28, "record_size_limit"},
        {29, "pwd_protect"},
        {30, "pwd_clear"},
        {31, "password_salt"},
        {32, "ticket_pinning"},
        {33, "tls_cert_with_extern_psk"},
        {34, "delegated_credential"},
        {35, "session_ticket"},
        {36, "TLMSP"},
        {37, "TLMSP_proxying"},
        {38, "TLMSP_delegate"},
        {39, "supported_ekt_ciphers"},
        {41, "pre_shared_key"},
        {42, "early_data"},
        {43, "supported_versions"},
        {44, "cookie"},
        {45, "psk_key_exchange_modes"},
        {47, "certificate_authorities"},
        {48, "oid_filters"},
        {49, "post_handshake_auth"},
        {50, "signature_algorithms_cert"},
        {51, "key_share"},
        {52, "transparency_info"},
        {53, "connection_id_deprecated"},
        {54, "connection_id"},
        {55, "external_id_hash"},
        {56, "external_session_id"},
        {57, "quic_transport_parameters"},
        {58, "ticket_request"},
        {59, "dnssec_chain"},
        {60, "sequence_number_encryption_algorithms"},
        {61, "rrc"},
        {13172, "next_protocol_negotiation"},
        {17513, "application_settings_old"},
        {17613, "application_settings"},
        {0xfe0d, "encrypted_client_hello"},
        {0xff01, "renegotiation_info"},
    };
    if (is_grease(id)) {
        return "GREASE";
    }
    return lookup_linear(extensions, COUNT(extensions), id);
}

const char *tls_handshake_type_name(uint8_t t)
{
    static const struct id_name types[] = {
        {0, "HelloRequest"},
        {1, "ClientHello"},
        {2, "ServerHello"},
        {3, "HelloVerifyRequest"},
        {4, "NewSessionTicket"},
        {5, "EndOfEarlyData"},
        {6, "HelloRetryRequest"},
        {8, "EncryptedExtensions"},
        {9, "RequestConnectionId"},
        {10, "NewConnectionId"},
        {11, "Certificate"},
        {12, "ServerKeyExchange"},
        {13, "CertificateRequest"},
        {14, "ServerHelloDone"},
        {15, "CertificateVerify"},
        {16, "ClientKeyExchange"},
        {17, "ClientCertificateRequest"},
        {20, "Finished"},
        {21, "CertificateURL"},
        {22, "CertificateStatus"},
        {23, "SupplementalData"},
        {24, "KeyUpdate"},
        {25, "CompressedCertificate"},
        {26, "EKTKey"},
        {254, "MessageHash"},
    };
    return lookup_linear(types, COUNT(types), t);
}

const char *tls_alert_name(uint8_t desc)
{
    static const struct id_name alerts[] = {
        {0, "close_notify"},
        {10, "unexpected_message"},
        {20, "bad_record_mac"},
        {21, "decryption_failed"},
        {22, "record_overflow"},
        {30, "decompression_failure"},
        {40, "handshake_failure"},
        {41, "no_certificate"},
        {42, "bad_certificate"},
        {43, "unsupported_certificate"},
        {44, "certificate_revoked"},
        {45, "certificate_expired"},
        {46, "certificate_unknown"},
        {47, "illegal_parameter"},
        {48, "unknown_ca"},
        {49, "access_denied"},
        {50, "decode_error"},
        {51, "decrypt_error"},
        {52, "too_many_cids_requested"},
        {60, "export_restriction"},
        {70, "protocol_version"},
        {71, "insufficient_security"},
        {80, "internal_error"},
        {86, "inappropriate_fallback"},
        {90, "user_canceled"},
        {100, "no_renegotiation"},
        {109, "missing_extension"},
        {110, "unsupported_extension"},
        {111, "certificate_unobtainable"},
        {112, "unrecognized_name"},
        {113, "bad_certificate_status_response"},
        {114, "bad_certificate_hash_value"},
        {115, "unknown_psk_identity"},
        {116, "certificate_required"},
        {117, "general_error"},
        {120, "no_application_protocol"},
        {121, "ech_required"},
    };
    return lookup_linear(alerts, COUNT(alerts), desc);
}

static const char *content_type_name(unsigned type)
{
    switch (type) {
    case CT_CHANGE_CIPHER_SPEC:
        return "change_cipher_spec";
    case CT_ALERT:
        return "alert";
    case CT_HANDSHAKE:
        return "handshake";
    case CT_APPLICATION_DATA:
        return "application_data";
    case CT_HEARTBEAT:
        return "heartbeat";
    default:
        return "unknown";
    }
}

/** A name, or the number in hex when the table does not know it. */
static const char *name_or_hex(const char *name, unsigned value, char *buf, size_t cap)
{
    if (name != NULL) {
        return name;
    }
    snprintf(buf, cap, "0x%04x", value);
    return buf;
}

/** Key exchange of a TLS 1.2 cipher suite, read from its IANA name ("TLS_<kx>_WITH_..."). */
static enum key_exchange suite_key_exchange(uint16_t suite)
{
    static const struct {
        const char *prefix;
        enum key_exchange kx;
    } prefixes[] = {
        /* Longer prefixes first: "TLS_ECDHE_PSK_" must win over "TLS_ECDHE_". */
        {"TLS_ECDHE_PSK_", KX_ECDHE_PSK}, {"TLS_DHE_PSK_", KX_DHE_PSK}, {"TLS_PSK_DHE_", KX_DHE_PSK},
        {"TLS_RSA_PSK_", KX_RSA_PSK},     {"TLS_PSK_", KX_PSK},         {"TLS_ECDHE_", KX_ECDHE},
        {"TLS_ECDH_anon_", KX_ECDHE},     {"TLS_ECDH_", KX_ECDH},       {"TLS_DHE_", KX_DHE},
        {"TLS_DH_anon_", KX_DHE},         {"TLS_RSA_", KX_RSA},         {"TLS_ECJPAKE_", KX_ECJPAKE},
    };
    const char *name = tls_cipher_suite_name(suite);

    if (name == NULL || is_grease(suite)) {
        return KX_UNKNOWN;
    }
    if (strstr(name, "_WITH_") == NULL) {
        return KX_TLS13; /* TLS 1.3 suites name only the AEAD and hash */
    }
    for (size_t i = 0; i < COUNT(prefixes); i++) {
        if (strncmp(name, prefixes[i].prefix, strlen(prefixes[i].prefix)) == 0) {
            return prefixes[i].kx;
        }
    }
    return KX_UNKNOWN;
}

/* ------------------------------------------------------------------------------------------ */
/* Output helpers                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** Print one line: the direction arrow, two spaces per depth level, then the text. */
static void emit(const struct record_decoder *d, int depth, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void emit(const struct record_decoder *d, int depth, const char *fmt, ...)
{
    va_list ap;

    if (d->out == NULL || d->quiet) {
        return;
    }
    fprintf(d->out, "  %c %*s", d->dir == TLS_DIR_CLIENT_TO_SERVER ? '>' : '<', depth * 2, "");
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

/** A string being built in a fixed buffer; whatever does not fit is dropped, never overflowed. */
struct sbuf {
    char *buf;
    size_t cap;
    size_t len;
};

static void sb_init(struct sbuf *sb, char *buf, size_t cap)
{
    sb->buf = buf;
    sb->cap = cap;
    sb->len = 0;
    buf[0] = '\0';
}

static void sb_printf(struct sbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (sb->len + 1 >= sb->cap) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->buf[sb->len] = '\0';
        return;
    }
    sb->len += (size_t) n < sb->cap - sb->len ? (size_t) n : sb->cap - sb->len - 1;
}

/** Append bytes from the wire: printable ASCII as is, anything else (and backslash) as \xHH, so a
 *  peer cannot send terminal escape sequences to the trace. At most max_in bytes are shown. */
static void sb_escaped(struct sbuf *sb, const unsigned char *p, size_t n, size_t max_in)
{
    for (size_t i = 0; i < n; i++) {
        char piece[5];
        size_t piece_len;

        if (i == max_in) {
            sb_printf(sb, "...");
            return;
        }
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
            piece[0] = (char) p[i];
            piece[1] = '\0';
            piece_len = 1;
        } else {
            snprintf(piece, sizeof piece, "\\x%02x", p[i]);
            piece_len = 4;
        }
        if (sb->len + piece_len + 1 > sb->cap) {
            return; /* never cut an escape sequence in half */
        }
        memcpy(sb->buf + sb->len, piece, piece_len + 1);
        sb->len += piece_len;
    }
}

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

static void list_begin(struct list_printer *lp, const struct record_decoder *d, int depth, const char *label)
{
    lp->d = d;
    lp->depth = depth;
    lp->items = 0;
    sb_init(&lp->sb, lp->line, sizeof lp->line);
    sb_printf(&lp->sb, "%s", label);
    lp->indent = lp->sb.len < 40 ? lp->sb.len : 40;
}

static void list_add(struct list_printer *lp, const char *item)
{
    size_t used = 4 + (size_t) lp->depth * 2 + lp->sb.len;

    if (lp->items > 0 && used + 2 + strlen(item) > WRAP_COLUMN) {
        sb_printf(&lp->sb, ",");
        emit(lp->d, lp->depth, "%s", lp->line);
        sb_init(&lp->sb, lp->line, sizeof lp->line);
        sb_printf(&lp->sb, "%*s", (int) lp->indent, "");
    } else if (lp->items > 0) {
        sb_printf(&lp->sb, ", ");
    }
    sb_printf(&lp->sb, "%s", item);
    lp->items++;
}

static void list_end(struct list_printer *lp)
{
    if (lp->items == 0) {
        sb_printf(&lp->sb, "(none)");
    }
    emit(lp->d, lp->depth, "%s", lp->line);
}

/* ------------------------------------------------------------------------------------------ */
/* Bounds-checked reader                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** Reads fields from a byte range. The first failed read is remembered (field name, bytes wanted,
 *  bytes left) and every later read fails too, so a decoder can check once at the end. */
struct reader {
    const unsigned char *p;
    size_t left;
    const char *failed_field;
    size_t wanted;
    size_t had;
};

static void rd_init(struct reader *r, const unsigned char *p, size_t n)
{
    r->p = p;
    r->left = n;
    r->failed_field = NULL;
    r->wanted = 0;
    r->had = 0;
}

static int rd_fail(struct reader *r, const char *field, size_t wanted)
{
    if (r->failed_field == NULL) {
        r->failed_field = field;
        r->wanted = wanted;
        r->had = r->left;
    }
    return 0;
}

static int rd_take(struct reader *r, const char *field, size_t n, const unsigned char **out)
{
    if (r->failed_field != NULL) {
        return 0;
    }
    if (n > r->left) {
        return rd_fail(r, field, n);
    }
    *out = r->p;
    r->p += n;
    r->left -= n;
    return 1;
}

/** Big-endian unsigned integer of 1 to 4 bytes. */
static int rd_uint(struct reader *r, const char *field, size_t n, uint32_t *value)
{
    const unsigned char *b;

    if (!rd_take(r, field, n, &b)) {
        return 0;
    }
    *value = 0;
    for (size_t i = 0; i < n; i++) {
        *value = (*value << 8) | b[i];
    }
    return 1;
}

static int rd_u16(struct reader *r, const char *field, uint16_t *value)
{
    uint32_t v;

    if (!rd_uint(r, field, 2, &v)) {
        return 0;
    }
    *value = (uint16_t) v;
    return 1;
}

/** A vector with a len_bytes length prefix, as in the TLS presentation language `<0..2^8-1>`. */
static int rd_vec(struct reader *r, const char *field, size_t len_bytes, struct reader *sub)
{
    uint32_t n;
    const unsigned char *b;

    if (!rd_uint(r, field, len_bytes, &n) || !rd_take(r, field, n, &b)) {
        return 0;
    }
    rd_init(sub, b, n);
    return 1;
}

/** Print why a message could not be parsed: a short read, or bytes left over at the end. */
static int report_malformed(const struct record_decoder *d, int depth, const char *what,
                            const struct reader *r)
{
    if (r->failed_field != NULL) {
        emit(d, depth, "malformed %s: %s needs %zu bytes, only %zu left", what, r->failed_field, r->wanted,
             r->had);
        return 1;
    }
    if (r->left > 0) {
        emit(d, depth, "malformed %s: %zu unexpected bytes at the end", what, r->left);
        return 1;
    }
    return 0;
}

/** Read a whole vector of 16-bit values and print them as a named list; optionally store them. */
static void print_u16_list(const struct record_decoder *d, int depth, const char *label, struct reader *vec,
                           const char *(*name_of)(uint16_t), uint16_t *store, size_t *n_store,
                           size_t store_cap)
{
    struct list_printer lp;

    list_begin(&lp, d, depth, label);
    while (vec->left >= 2) {
        uint16_t v = 0;
        char hex[8];

        rd_u16(vec, "entry", &v);
        list_add(&lp, name_or_hex(name_of(v), v, hex, sizeof hex));
        if (store != NULL && *n_store < store_cap) {
            store[(*n_store)++] = v;
        }
    }
    list_end(&lp);
    if (vec->left != 0) {
        emit(d, depth, "malformed list: odd length (%zu byte left over)", vec->left);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* DER walker for certificates                                                                */
/* ------------------------------------------------------------------------------------------ */

/** A DER element's contents (or a range still to be read). */
struct der {
    const unsigned char *p;
    size_t len;
};

/** Read one tag-length-value from in; single-byte tags and definite lengths up to 4 bytes only,
 *  which is all X.509 DER needs. Returns 0 on anything else or if the value overruns in. */
static int der_read(struct der *in, unsigned *tag, struct der *content)
{
    size_t pos = 2;
    size_t len;

    if (in->len < 2 || (in->p[0] & 0x1f) == 0x1f) {
        return 0;
    }
    *tag = in->p[0];
    len = in->p[1];
    if (len & 0x80) {
        size_t n_bytes = len & 0x7f;
        if (n_bytes == 0 || n_bytes > 4 || in->len - 2 < n_bytes) {
            return 0;
        }
        len = 0;
        for (size_t i = 0; i < n_bytes; i++) {
            len = (len << 8) | in->p[pos++];
        }
    }
    if (len > in->len - pos) {
        return 0;
    }
    content->p = in->p + pos;
    content->len = len;
    in->p += pos + len;
    in->len -= pos + len;
    return 1;
}

static int der_equals(const struct der *value, const unsigned char *bytes, size_t n)
{
    return value->len == n && memcmp(value->p, bytes, n) == 0;
}

/** Dotted notation of an OBJECT IDENTIFIER, e.g. "2.5.4.3". */
static void sb_oid(struct sbuf *sb, const struct der *oid)
{
    uint64_t value = 0;
    size_t septets = 0;
    int first = 1;

    for (size_t i = 0; i < oid->len; i++) {
        value = (value << 7) | (oid->p[i] & 0x7f);
        if (++septets > 9) {
            sb_printf(sb, "(long OID)");
            return;
        }
        if (oid->p[i] & 0x80) {
            continue;
        }
        if (first) {
            unsigned arc = value < 40 ? 0 : value < 80 ? 1 : 2;
            sb_printf(sb, "%u.%llu", arc, (unsigned long long) (value - 40u * arc));
            first = 0;
        } else {
            sb_printf(sb, ".%llu", (unsigned long long) value);
        }
        value = 0;
        septets = 0;
    }
    if (first) {
        sb_printf(sb, "(empty OID)");
    }
}

static const unsigned char OID_CN[] = {0x55, 0x04, 0x03};
static const unsigned char OID_SURNAME[] = {0x55, 0x04, 0x04};
static const unsigned char OID_SERIAL_NUMBER[] = {0x55, 0x04, 0x05};
static const unsigned char OID_C[] = {0x55, 0x04, 0x06};
static const unsigned char OID_L[] = {0x55, 0x04, 0x07};
static const unsigned char OID_ST[] = {0x55, 0x04, 0x08};
static const unsigned char OID_O[] = {0x55, 0x04, 0x0a};
static const unsigned char OID_OU[] = {0x55, 0x04, 0x0b};
static const unsigned char OID_GIVEN_NAME[] = {0x55, 0x04, 0x2a};
static const unsigned char OID_EMAIL[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01};
static const unsigned char OID_DC[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19};
static const unsigned char OID_UID[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01};
static const unsigned char OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const unsigned char OID_RSA_PSS[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const unsigned char OID_EC_PUBLIC_KEY[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const unsigned char OID_ED25519[] = {0x2b, 0x65, 0x70};
static const unsigned char OID_ED448[] = {0x2b, 0x65, 0x71};
static const unsigned char OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char OID_P384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const unsigned char OID_P521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
static const unsigned char OID_SECP256K1[] = {0x2b, 0x81, 0x04, 0x00, 0x0a};
static const unsigned char OID_BP256[] = {0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07};
static const unsigned char OID_BP384[] = {0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0b};
static const unsigned char OID_BP512[] = {0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0d};

struct oid_name {
    const unsigned char *oid;
    size_t len;
    const char *name;
};

#define OID_ENTRY(oid, name)                                                                                 \
    {                                                                                                        \
        oid, sizeof(oid), name                                                                               \
    }

static const char *oid_lookup(const struct oid_name *table, size_t n, const struct der *oid)
{
    for (size_t i = 0; i < n; i++) {
        if (der_equals(oid, table[i].oid, table[i].len)) {
            return table[i].name;
        }
    }
    return NULL;
}

static const struct oid_name attribute_names[] = {
    OID_ENTRY(OID_CN, "CN"),
    OID_ENTRY(OID_O, "O"),
    OID_ENTRY(OID_OU, "OU"),
    OID_ENTRY(OID_C, "C"),
    OID_ENTRY(OID_L, "L"),
    OID_ENTRY(OID_ST, "ST"),
    OID_ENTRY(OID_SERIAL_NUMBER, "serialNumber"),
    OID_ENTRY(OID_SURNAME, "SN"),
    OID_ENTRY(OID_GIVEN_NAME, "GN"),
    OID_ENTRY(OID_EMAIL, "emailAddress"),
    OID_ENTRY(OID_DC, "DC"),
    OID_ENTRY(OID_UID, "UID"),
};

static const struct oid_name curve_names[] = {
    OID_ENTRY(OID_P256, "secp256r1"),        OID_ENTRY(OID_P384, "secp384r1"),
    OID_ENTRY(OID_P521, "secp521r1"),        OID_ENTRY(OID_SECP256K1, "secp256k1"),
    OID_ENTRY(OID_BP256, "brainpoolP256r1"), OID_ENTRY(OID_BP384, "brainpoolP384r1"),
    OID_ENTRY(OID_BP512, "brainpoolP512r1"),
};

/** Append a directory string: UTF8String, PrintableString, IA5String ... as escaped bytes;
 *  BMPString as its ASCII subset. */
static void sb_der_string(struct sbuf *sb, unsigned tag, const struct der *value)
{
    switch (tag) {
    case 0x0c: /* UTF8String: non-ASCII shows as \xHH, which keeps the trace plain ASCII */
    case 0x12: /* NumericString */
    case 0x13: /* PrintableString */
    case 0x14: /* TeletexString */
    case 0x16: /* IA5String */
    case 0x1a: /* VisibleString */
        sb_escaped(sb, value->p, value->len, 64);
        break;
    case 0x1e: /* BMPString: UTF-16BE */
        for (size_t i = 0; i + 1 < value->len && i < 128; i += 2) {
            unsigned char c = value->p[i] == 0 ? value->p[i + 1] : '?';
            sb_escaped(sb, &c, 1, 1);
        }
        break;
    default:
        sb_printf(sb, "#(%zu bytes, tag 0x%02x)", value->len, tag);
        break;
    }
}

/** Append a distinguished name, most specific attribute first, as in RFC 4514: "CN=..., O=...". */
static void sb_name(struct sbuf *sb, const struct der *name)
{
    struct {
        struct der oid;
        struct der value;
        unsigned tag;
    } attrs[16];
    size_t n_attrs = 0;
    size_t skipped = 0;
    struct der rdns = *name;
    struct der rdn;
    unsigned tag;
    int bad = 0;

    while (rdns.len > 0) {
        if (!der_read(&rdns, &tag, &rdn) || tag != 0x31) {
            bad = 1;
            break;
        }
        while (rdn.len > 0) {
            struct der atv, oid, value;
            unsigned value_tag;

            if (!der_read(&rdn, &tag, &atv) || tag != 0x30 || !der_read(&atv, &tag, &oid) || tag != 0x06 ||
                !der_read(&atv, &value_tag, &value)) {
                bad = 1;
                break;
            }
            if (n_attrs < COUNT(attrs)) {
                attrs[n_attrs].oid = oid;
                attrs[n_attrs].value = value;
                attrs[n_attrs].tag = value_tag;
                n_attrs++;
            } else {
                skipped++;
            }
        }
        if (bad) {
            break;
        }
    }
    for (size_t i = n_attrs; i > 0; i--) {
        const char *label = oid_lookup(attribute_names, COUNT(attribute_names), &attrs[i - 1].oid);

        if (i != n_attrs) {
            sb_printf(sb, ", ");
        }
        if (label != NULL) {
            sb_printf(sb, "%s=", label);
        } else {
            sb_oid(sb, &attrs[i - 1].oid);
            sb_printf(sb, "=");
        }
        sb_der_string(sb, attrs[i - 1].tag, &attrs[i - 1].value);
    }
    if (n_attrs == 0) {
        sb_printf(sb, "(empty name)");
    }
    if (skipped > 0) {
        sb_printf(sb, " (+%zu more attributes)", skipped);
    }
    if (bad) {
        sb_printf(sb, " (malformed name)");
    }
}

static int all_digits(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/** Append a UTCTime or GeneralizedTime in UTC as "YYYY-MM-DD hh:mm:ss UTC". */
static void sb_time(struct sbuf *sb, unsigned tag, const struct der *t)
{
    const unsigned char *p = t->p;
    char year[5];

    if (tag == 0x17 && t->len == 13 && p[12] == 'Z' && all_digits(p, 12)) {
        /* UTCTime has a two-digit year: 50..99 mean 19xx, 00..49 mean 20xx (RFC 5280). */
        snprintf(year, sizeof year, "%s%c%c", p[0] >= '5' ? "19" : "20", p[0], p[1]);
        p += 2;
    } else if (tag == 0x18 && t->len == 15 && p[14] == 'Z' && all_digits(p, 14)) {
        snprintf(year, sizeof year, "%c%c%c%c", p[0], p[1], p[2], p[3]);
        p += 4;
    } else {
        sb_printf(sb, "(unreadable time)");
        return;
    }
    sb_printf(sb, "%s-%c%c-%c%c %c%c:%c%c:%c%c UTC", year, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7],
              p[8], p[9]);
}

/** The fields of a certificate that the trace shows. */
struct x509_summary {
    struct der issuer;
    struct der subject;
    struct der not_after;
    unsigned not_after_tag;
    struct der key_oid;
    struct der key_param;
    unsigned key_param_tag;
    struct der key_bits;
};

/** Walk Certificate -> TBSCertificate far enough to find issuer, validity, subject and key.
 *  Returns NULL on success, or what was missing. */
static const char *x509_parse(const unsigned char *p, size_t n, struct x509_summary *xs)
{
    struct der in = {p, n};
    struct der cert, tbs, field, validity, not_before, spki, alg_id;
    unsigned tag;

    memset(xs, 0, sizeof *xs);
    if (!der_read(&in, &tag, &cert) || tag != 0x30) {
        return "not a DER SEQUENCE";
    }
    if (!der_read(&cert, &tag, &tbs) || tag != 0x30) {
        return "no tbsCertificate";
    }
    if (!der_read(&tbs, &tag, &field)) {
        return "empty tbsCertificate";
    }
    if (tag == 0xa0 && !der_read(&tbs, &tag, &field)) { /* [0] version, then serialNumber */
        return "no serialNumber";
    }
    if (tag != 0x02) {
        return "no serialNumber";
    }
    if (!der_read(&tbs, &tag, &field) || tag != 0x30) {
        return "no signature algorithm";
    }
    if (!der_read(&tbs, &tag, &xs->issuer) || tag != 0x30) {
        return "no issuer";
    }
    if (!der_read(&tbs, &tag, &validity) || tag != 0x30 || !der_read(&validity, &tag, &not_before) ||
        !der_read(&validity, &xs->not_after_tag, &xs->not_after)) {
        return "no validity";
    }
    if (!der_read(&tbs, &tag, &xs->subject) || tag != 0x30) {
        return "no subject";
    }
    if (!der_read(&tbs, &tag, &spki) || tag != 0x30 || !der_read(&spki, &tag, &alg_id) || tag != 0x30 ||
        !der_read(&alg_id, &tag, &xs->key_oid) || tag != 0x06) {
        return "no subjectPublicKeyInfo";
    }
    if (!der_read(&alg_id, &xs->key_param_tag, &xs->key_param)) {
        xs->key_param.len = 0; /* parameters are optional */
        xs->key_param_tag = 0;
    }
    if (!der_read(&spki, &tag, &xs->key_bits) || tag != 0x03) {
        return "no subjectPublicKey";
    }
    return NULL;
}

/** Bits in a big-endian unsigned integer, ignoring leading zeros. */
static size_t integer_bits(const struct der *v)
{
    size_t i = 0;
    size_t bits;

    while (i < v->len && v->p[i] == 0) {
        i++;
    }
    if (i == v->len) {
        return 0;
    }
    bits = (v->len - i) * 8;
    for (unsigned char top = v->p[i]; (top & 0x80) == 0; top = (unsigned char) (top << 1)) {
        bits--;
    }
    return bits;
}

/** Append the public key type: "EC key on secp256r1", "RSA 2048-bit key", "Ed25519 key". */
static void sb_key(struct sbuf *sb, const struct x509_summary *xs)
{
    if (der_equals(&xs->key_oid, OID_EC_PUBLIC_KEY, sizeof OID_EC_PUBLIC_KEY)) {
        const char *curve = NULL;

        if (xs->key_param_tag == 0x06) {
            curve = oid_lookup(curve_names, COUNT(curve_names), &xs->key_param);
        }
        if (curve != NULL) {
            sb_printf(sb, "EC key on %s", curve);
        } else if (xs->key_param_tag == 0x06) {
            sb_printf(sb, "EC key on curve ");
            sb_oid(sb, &xs->key_param);
        } else {
            sb_printf(sb, "EC key with explicit curve parameters");
        }
    } else if (der_equals(&xs->key_oid, OID_RSA, sizeof OID_RSA) ||
               der_equals(&xs->key_oid, OID_RSA_PSS, sizeof OID_RSA_PSS)) {
        /* BIT STRING: one byte of unused bits, then RSAPublicKey ::= SEQUENCE { n, e } */
        struct der bits = xs->key_bits;
        struct der seq, modulus;
        unsigned tag = 0;
        const char *kind = xs->key_oid.p[8] == 0x0a ? "RSA-PSS" : "RSA";
        int ok = 0;

        if (bits.len > 0) {
            bits.p++; /* skip the count of unused bits */
            bits.len--;
            ok = der_read(&bits, &tag, &seq) && tag == 0x30 && der_read(&seq, &tag, &modulus) && tag == 0x02;
        }
        if (ok) {
            sb_printf(sb, "%s %zu-bit key", kind, integer_bits(&modulus));
        } else {
            sb_printf(sb, "%s key (unreadable modulus)", kind);
        }
    } else if (der_equals(&xs->key_oid, OID_ED25519, sizeof OID_ED25519)) {
        sb_printf(sb, "Ed25519 key");
    } else if (der_equals(&xs->key_oid, OID_ED448, sizeof OID_ED448)) {
        sb_printf(sb, "Ed448 key");
    } else {
        sb_printf(sb, "key type ");
        sb_oid(sb, &xs->key_oid);
    }
}

static void print_certificate(const struct record_decoder *d, int depth, size_t index, const unsigned char *p,
                              size_t n)
{
    struct x509_summary xs;
    const char *problem = x509_parse(p, n, &xs);
    char line[640];
    struct sbuf sb;

    if (problem != NULL) {
        emit(d, depth, "[%zu] %zu bytes: not a readable X.509 certificate (%s)", index, n, problem);
        return;
    }
    sb_init(&sb, line, sizeof line);
    sb_name(&sb, &xs.subject);
    emit(d, depth, "[%zu] subject %s", index, line);
    sb_init(&sb, line, sizeof line);
    sb_name(&sb, &xs.issuer);
    emit(d, depth, "    issuer %s", line);
    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "valid until ");
    sb_time(&sb, xs.not_after_tag, &xs.not_after);
    sb_printf(&sb, ", ");
    sb_key(&sb, &xs);
    sb_printf(&sb, ", %zu bytes", n);
    emit(d, depth, "    %s", line);
}

/* ------------------------------------------------------------------------------------------ */
/* Extensions                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/** The extension must be empty; returns 1 if it was malformed (and says so). */
static int expect_empty(const struct record_decoder *d, int depth, const char *name, const struct reader *r)
{
    if (r->left != 0) {
        emit(d, depth, "malformed %s: expected no data, got %zu bytes", name, r->left);
        return 1;
    }
    return 0;
}

static void ext_server_name(const struct record_decoder *d, int depth, struct reader *r, enum ext_context ctx,
                            struct tls_client_hello *ch)
{
    struct reader list;
    struct list_printer lp;

    if (ctx != IN_CLIENT_HELLO) {
        if (!expect_empty(d, depth, "server_name", r)) {
            emit(d, depth, "server_name: the server used the name the client sent");
        }
        return;
    }
    if (!rd_vec(r, "server_name_list", 2, &list)) {
        report_malformed(d, depth, "server_name", r);
        return;
    }
    list_begin(&lp, d, depth, "server_name: ");
    while (list.left > 0) {
        uint32_t type;
        struct reader host;
        char buf[300];
        struct sbuf sb;

        if (!rd_uint(&list, "name_type", 1, &type) || !rd_vec(&list, "host_name", 2, &host)) {
            break;
        }
        sb_init(&sb, buf, sizeof buf);
        if (type == 0) {
            sb_escaped(&sb, host.p, host.left, 64);
            if (ch != NULL && ch->sni[0] == '\0') {
                struct sbuf store;
                sb_init(&store, ch->sni, sizeof ch->sni);
                sb_escaped(&store, host.p, host.left, host.left);
            }
        } else {
            sb_printf(&sb, "name type %u", (unsigned) type);
        }
        list_add(&lp, buf);
    }
    list_end(&lp);
    report_malformed(d, depth, "server_name", &list);
    report_malformed(d, depth, "server_name", r);
}

static void ext_alpn(const struct record_decoder *d, int depth, struct reader *r, enum ext_context ctx,
                     struct tls_client_hello *ch)
{
    struct reader list;
    struct list_printer lp;
    char unused[1];
    struct sbuf store;

    if (!rd_vec(r, "protocol_name_list", 2, &list)) {
        report_malformed(d, depth, "ALPN", r);
        return;
    }
    if (ch != NULL) {
        sb_init(&store, ch->alpn, sizeof ch->alpn);
    } else {
        sb_init(&store, unused, sizeof unused);
    }
    list_begin(&lp, d, depth, ctx == IN_CLIENT_HELLO ? "ALPN protocols: " : "ALPN: the server picked ");
    while (list.left > 0) {
        struct reader name;
        char buf[80];
        struct sbuf sb;

        if (!rd_vec(&list, "protocol_name", 1, &name)) {
            break;
        }
        sb_init(&sb, buf, sizeof buf);
        sb_escaped(&sb, name.p, name.left, 32);
        list_add(&lp, buf);
        if (store.len > 0) {
            sb_printf(&store, ",");
        }
        sb_escaped(&store, name.p, name.left, name.left);
    }
    list_end(&lp);
    report_malformed(d, depth, "ALPN", &list);
    report_malformed(d, depth, "ALPN", r);
}

static void ext_supported_versions(const struct record_decoder *d, int depth, struct reader *r,
                                   enum ext_context ctx, struct tls_client_hello *ch,
                                   struct tls_server_choice *sc)
{
    if (ctx == IN_CLIENT_HELLO) {
        struct reader list;

        if (!rd_vec(r, "versions", 1, &list)) {
            report_malformed(d, depth, "supported_versions", r);
            return;
        }
        print_u16_list(d, depth, "supported_versions: ", &list, tls_version_name, ch ? ch->versions : NULL,
                       ch ? &ch->n_versions : NULL, ch ? COUNT(ch->versions) : 0);
    } else {
        uint16_t v;
        char hex[8];

        if (!rd_u16(r, "selected_version", &v)) {
            report_malformed(d, depth, "supported_versions", r);
            return;
        }
        emit(d, depth, "supported_versions: the server selected %s",
             name_or_hex(tls_version_name(v), v, hex, sizeof hex));
        if (sc != NULL) {
            sc->version = v;
        }
    }
    report_malformed(d, depth, "supported_versions", r);
}

static void ext_key_share(const struct record_decoder *d, int depth, struct reader *r, enum ext_context ctx,
                          struct tls_server_choice *sc)
{
    uint16_t group;
    char hex[8];

    if (ctx == IN_CLIENT_HELLO) {
        struct reader list;
        struct list_printer lp;

        if (!rd_vec(r, "client_shares", 2, &list)) {
            report_malformed(d, depth, "key_share", r);
            return;
        }
        list_begin(&lp, d, depth, "key_share: ");
        while (list.left > 0) {
            struct reader key;
            char item[96];

            if (!rd_u16(&list, "group", &group) || !rd_vec(&list, "key_exchange", 2, &key)) {
                break;
            }
            snprintf(item, sizeof item, "%s (%zu-byte public key)",
                     name_or_hex(tls_group_name(group), group, hex, sizeof hex), key.left);
            list_add(&lp, item);
        }
        list_end(&lp);
        report_malformed(d, depth, "key_share", &list);
    } else if (ctx == IN_HELLO_RETRY_REQUEST) {
        if (!rd_u16(r, "selected_group", &group)) {
            report_malformed(d, depth, "key_share", r);
            return;
        }
        emit(d, depth, "key_share: the server asks for a key share on %s",
             name_or_hex(tls_group_name(group), group, hex, sizeof hex));
        if (sc != NULL) {
            sc->group = group;
        }
    } else {
        struct reader key;

        if (!rd_u16(r, "group", &group) || !rd_vec(r, "key_exchange", 2, &key)) {
            report_malformed(d, depth, "key_share", r);
            return;
        }
        emit(d, depth, "key_share: %s (%zu-byte public key)",
             name_or_hex(tls_group_name(group), group, hex, sizeof hex), key.left);
        if (sc != NULL) {
            sc->group = group;
        }
    }
    report_malformed(d, depth, "key_share", r);
}

static void ext_pre_shared_key(const struct record_decoder *d, int depth, struct reader *r,
                               enum ext_context ctx, struct tls_server_choice *sc)
{
    if (ctx == IN_CLIENT_HELLO) {
        struct reader identities, binders;
        size_t n_identities = 0;
        size_t n_binders = 0;

        if (!rd_vec(r, "identities", 2, &identities) || !rd_vec(r, "binders", 2, &binders)) {
            report_malformed(d, depth, "pre_shared_key", r);
            return;
        }
        while (identities.left > 0) {
            struct reader identity;
            uint32_t age;

            if (!rd_vec(&identities, "identity", 2, &identity) ||
                !rd_uint(&identities, "obfuscated_ticket_age", 4, &age)) {
                break;
            }
            n_identities++;
        }
        while (binders.left > 0) {
            struct reader binder;

            if (!rd_vec(&binders, "binder", 1, &binder)) {
                break;
            }
            n_binders++;
        }
        emit(d, depth, "pre_shared_key: %zu %s, %zu %s (the client tries to resume)", n_identities,
             n_identities == 1 ? "identity" : "identities", n_binders, n_binders == 1 ? "binder" : "binders");
        report_malformed(d, depth, "pre_shared_key", &identities);
        report_malformed(d, depth, "pre_shared_key", &binders);
    } else {
        uint16_t selected;

        if (!rd_u16(r, "selected_identity", &selected)) {
            report_malformed(d, depth, "pre_shared_key", r);
            return;
        }
        emit(d, depth, "pre_shared_key: the server accepts identity %u (resumption)", selected);
        if (sc != NULL && ctx == IN_SERVER_HELLO) {
            sc->psk_accepted = 1;
        }
    }
    report_malformed(d, depth, "pre_shared_key", r);
}

static void ext_u8_list(const struct record_decoder *d, int depth, struct reader *r, const char *ext,
                        const char *label, const char *const *names, size_t n_names)
{
    struct reader list;
    struct list_printer lp;

    if (!rd_vec(r, "list", 1, &list)) {
        report_malformed(d, depth, ext, r);
        return;
    }
    list_begin(&lp, d, depth, label);
    for (size_t i = 0; i < list.left; i++) {
        unsigned v = list.p[i];
        char buf[16];

        if (v < n_names && names[v] != NULL) {
            list_add(&lp, names[v]);
        } else {
            snprintf(buf, sizeof buf, "0x%02x", v);
            list_add(&lp, buf);
        }
    }
    list_end(&lp);
    report_malformed(d, depth, ext, r);
}

/** Decode one extension's data; ch and sc, when not NULL, collect what the client offered and what
 *  the server chose. */
static void decode_extension(const struct record_decoder *d, int depth, enum ext_context ctx, uint16_t type,
                             struct reader *r, struct tls_client_hello *ch, struct tls_server_choice *sc)
{
    static const char *const point_formats[] = {"uncompressed", "ansiX962_compressed_prime",
                                                "ansiX962_compressed_char2"};
    static const char *const psk_modes[] = {"psk_ke", "psk_dhe_ke"};
    uint32_t v = 0;
    struct reader list;

    switch (type) {
    case EXT_SERVER_NAME:
        ext_server_name(d, depth, r, ctx, ch);
        break;
    case EXT_MAX_FRAGMENT_LENGTH:
        if (rd_uint(r, "max_fragment_length", 1, &v) && v >= 1 && v <= 4) {
            emit(d, depth, "max_fragment_length: %u bytes", 256u << v);
        } else if (r->failed_field == NULL) {
            emit(d, depth, "max_fragment_length: invalid value %u", (unsigned) v);
        }
        report_malformed(d, depth, "max_fragment_length", r);
        break;
    case EXT_STATUS_REQUEST:
        if (ctx == IN_CLIENT_HELLO) {
            if (rd_uint(r, "status_type", 1, &v)) {
                emit(d, depth, "status_request: %s",
                     v == 1 ? "the client asks for a stapled OCSP response" : "unknown status type");
            }
            r->left = 0; /* responder ids and request extensions are not shown */
            report_malformed(d, depth, "status_request", r);
        } else if (!expect_empty(d, depth, "status_request", r)) {
            emit(d, depth, "status_request: the server will staple an OCSP response");
        }
        break;
    case EXT_SUPPORTED_GROUPS:
        if (!rd_vec(r, "named_group_list", 2, &list)) {
            report_malformed(d, depth, "supported_groups", r);
            break;
        }
        print_u16_list(d, depth, "supported_groups: ", &list, tls_group_name, ch ? ch->groups : NULL,
                       ch ? &ch->n_groups : NULL, ch ? COUNT(ch->groups) : 0);
        report_malformed(d, depth, "supported_groups", r);
        break;
    case EXT_EC_POINT_FORMATS:
        ext_u8_list(d, depth, r, "ec_point_formats", "ec_point_formats: ", point_formats,
                    COUNT(point_formats));
        break;
    case EXT_SIGNATURE_ALGORITHMS:
    case EXT_SIGNATURE_ALGORITHMS_CERT:
        if (!rd_vec(r, "supported_signature_algorithms", 2, &list)) {
            report_malformed(d, depth, "signature_algorithms", r);
            break;
        }
        if (type == EXT_SIGNATURE_ALGORITHMS) {
            print_u16_list(d, depth, "signature_algorithms: ", &list, tls_sigalg_name,
                           ch ? ch->sig_algs : NULL, ch ? &ch->n_sig_algs : NULL,
                           ch ? COUNT(ch->sig_algs) : 0);
        } else {
            print_u16_list(d, depth, "signature_algorithms_cert: ", &list, tls_sigalg_name, NULL, NULL, 0);
        }
        report_malformed(d, depth, "signature_algorithms", r);
        break;
    case EXT_ALPN:
        ext_alpn(d, depth, r, ctx, ch);
        break;
    case EXT_ENCRYPT_THEN_MAC:
        expect_empty(d, depth, "encrypt_then_mac", r);
        break;
    case EXT_EXTENDED_MASTER_SECRET:
        expect_empty(d, depth, "extended_master_secret", r);
        break;
    case EXT_POST_HANDSHAKE_AUTH:
        expect_empty(d, depth, "post_handshake_auth", r);
        break;
    case EXT_COMPRESS_CERTIFICATE: {
        static const char *const algorithms[] = {NULL, "zlib", "brotli", "zstd"};
        struct list_printer lp;

        if (!rd_vec(r, "algorithms", 1, &list)) {
            report_malformed(d, depth, "compress_certificate", r);
            break;
        }
        list_begin(&lp, d, depth, "compress_certificate: ");
        while (list.left >= 2) {
            uint16_t alg = 0;
            char hex[8];

            rd_u16(&list, "algorithm", &alg);
            list_add(&lp,
                     name_or_hex(alg < COUNT(algorithms) ? algorithms[alg] : NULL, alg, hex, sizeof hex));
        }
        list_end(&lp);
        report_malformed(d, depth, "compress_certificate", r);
        break;
    }
    case EXT_RECORD_SIZE_LIMIT:
        if (rd_uint(r, "record_size_limit", 2, &v)) {
            emit(d, depth, "record_size_limit: %u bytes", (unsigned) v);
        }
        report_malformed(d, depth, "record_size_limit", r);
        break;
    case EXT_SESSION_TICKET:
        if (ctx != IN_CLIENT_HELLO) {
            if (!expect_empty(d, depth, "session_ticket", r)) {
                emit(d, depth, "session_ticket: the server will send a NewSessionTicket");
            }
        } else if (r->left == 0) {
            emit(d, depth, "session_ticket: empty (the client would like a ticket)");
        } else {
            emit(d, depth, "session_ticket: %zu-byte ticket (the client tries to resume)", r->left);
        }
        break;
    case EXT_PRE_SHARED_KEY:
        ext_pre_shared_key(d, depth, r, ctx, sc);
        break;
    case EXT_EARLY_DATA:
        if (ctx == IN_OTHER_MESSAGE && rd_uint(r, "max_early_data_size", 4, &v)) {
            emit(d, depth, "early_data: up to %lu bytes", (unsigned long) v);
            report_malformed(d, depth, "early_data", r);
        } else if (!expect_empty(d, depth, "early_data", r)) {
            emit(d, depth, "early_data: %s",
                 ctx == IN_CLIENT_HELLO ? "the client sends 0-RTT data" : "accepted");
        }
        break;
    case EXT_SUPPORTED_VERSIONS:
        ext_supported_versions(d, depth, r, ctx, ch, sc);
        break;
    case EXT_COOKIE:
        emit(d, depth, "cookie: %zu bytes", r->left);
        break;
    case EXT_PSK_KEY_EXCHANGE_MODES:
        ext_u8_list(d, depth, r, "psk_key_exchange_modes", "psk_key_exchange_modes: ", psk_modes,
                    COUNT(psk_modes));
        break;
    case EXT_KEY_SHARE:
        ext_key_share(d, depth, r, ctx, sc);
        break;
    case EXT_RENEGOTIATION_INFO:
        if (!rd_vec(r, "renegotiated_connection", 1, &list)) {
            report_malformed(d, depth, "renegotiation_info", r);
        } else if (list.left == 0) {
            emit(d, depth,
                 "renegotiation_info: empty (initial handshake; secure renegotiation "
                 "supported)");
        } else {
            emit(d, depth, "renegotiation_info: %zu bytes of verify data (renegotiation)", list.left);
        }
        report_malformed(d, depth, "renegotiation_info", r);
        break;
    default:
        break; /* named in the extension list; contents not decoded */
    }
}

/** Print the extension list, then one line per decoded extension. */
static void walk_extensions(const struct record_decoder *d, int depth, const struct reader *block,
                            enum ext_context ctx, struct tls_client_hello *ch, struct tls_server_choice *sc)
{
    struct reader r = *block;
    struct list_printer lp;

    list_begin(&lp, d, depth, "extensions: ");
    while (r.left > 0) {
        uint16_t type;
        struct reader data;
        char hex[8];

        if (!rd_u16(&r, "extension type", &type) || !rd_vec(&r, "extension data", 2, &data)) {
            break;
        }
        list_add(&lp, name_or_hex(tls_extension_name(type), type, hex, sizeof hex));
        if (ch != NULL && ch->n_extensions < COUNT(ch->extensions)) {
            ch->extensions[ch->n_extensions++] = type;
        }
    }
    list_end(&lp);
    report_malformed(d, depth, "extensions", &r);

    r = *block;
    while (r.left > 0) {
        uint16_t type;
        struct reader data;

        if (!rd_u16(&r, "extension type", &type) || !rd_vec(&r, "extension data", 2, &data)) {
            break;
        }
        decode_extension(d, depth, ctx, type, &data, ch, sc);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Handshake messages                                                                         */
/* ------------------------------------------------------------------------------------------ */

static const unsigned char HELLO_RETRY_REQUEST_RANDOM[32] = {
    /* SHA-256("HelloRetryRequest"), RFC 8446 section 4.1.3 */
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/** Print a 32-byte hello random in hex, as key log files write it. */
static void print_random(const struct record_decoder *d, const unsigned char *hello_random, const char *note)
{
    char hex[65];

    for (size_t i = 0; i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", hello_random[i]);
    }
    emit(d, 2, "random %s (%s)", hex, note);
}

static void decode_client_hello(struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct tls_client_hello ch;
    struct reader r, session_id, suites, compression, exts;
    uint32_t version;
    const unsigned char *hello_random;
    int has_extensions;
    char line[400];
    struct sbuf sb;
    char hex[8];

    memset(&ch, 0, sizeof ch);
    rd_init(&r, body, len);
    rd_init(&exts, NULL, 0);
    if (!rd_uint(&r, "legacy_version", 2, &version) || !rd_take(&r, "random", 32, &hello_random) ||
        !rd_vec(&r, "session_id", 1, &session_id) || !rd_vec(&r, "cipher_suites", 2, &suites) ||
        !rd_vec(&r, "compression_methods", 1, &compression) ||
        (r.left > 0 && !rd_vec(&r, "extensions", 2, &exts))) {
        emit(d, 1, "ClientHello, %zu bytes", len);
        report_malformed(d, 2, "ClientHello", &r);
        return;
    }
    has_extensions = exts.p != NULL; /* SSL 3.0 style hellos have no extensions block */

    ch.legacy_version = (uint16_t) version;
    for (struct reader s = suites; s.left >= 2;) {
        uint16_t suite = 0;
        rd_u16(&s, "cipher suite", &suite);
        if (ch.n_cipher_suites < COUNT(ch.cipher_suites)) {
            ch.cipher_suites[ch.n_cipher_suites++] = suite;
        }
    }
    if (has_extensions) {
        /* Silent pass: the summary line needs SNI and versions from the extensions. */
        int was_quiet = d->quiet;
        d->quiet = 1;
        walk_extensions(d, 2, &exts, IN_CLIENT_HELLO, &ch, NULL);
        d->quiet = was_quiet;
    }

    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "ClientHello, %zu bytes: offers ", len);
    if (ch.n_versions > 0) {
        int first = 1;
        for (size_t i = 0; i < ch.n_versions; i++) {
            if (!is_grease(ch.versions[i])) {
                sb_printf(&sb, "%s%s", first ? "" : ", ",
                          name_or_hex(tls_version_name(ch.versions[i]), ch.versions[i], hex, sizeof hex));
                first = 0;
            }
        }
    } else {
        sb_printf(&sb, "up to %s",
                  name_or_hex(tls_version_name(ch.legacy_version), ch.legacy_version, hex, sizeof hex));
    }
    sb_printf(&sb, "; %zu cipher suites", suites.left / 2);
    if (ch.sni[0] != '\0') {
        sb_printf(&sb, "; SNI %s", ch.sni);
    }
    if (ch.alpn[0] != '\0') {
        sb_printf(&sb, "; ALPN %s", ch.alpn);
    }
    emit(d, 1, "%s", line);
    emit(d, 2, "legacy_version %s, session id %zu bytes, %zu compression method%s",
         name_or_hex(tls_version_name(ch.legacy_version), ch.legacy_version, hex, sizeof hex),
         session_id.left, compression.left, compression.left == 1 ? "" : "s");
    print_random(d, hello_random, "the key log names the connection by it");
    if (session_id.left > 32) {
        emit(d, 2, "malformed ClientHello: session id longer than 32 bytes");
    }
    print_u16_list(d, 2, "cipher suites: ", &suites, tls_cipher_suite_name, NULL, NULL, 0);
    if (has_extensions) {
        walk_extensions(d, 2, &exts, IN_CLIENT_HELLO, NULL, NULL);
    }
    report_malformed(d, 2, "ClientHello", &r);

    if (d->dir != TLS_DIR_CLIENT_TO_SERVER) {
        emit(d, 2, "note: a ClientHello normally comes from the client");
    } else if (!d->hello.present) {
        d->hello = ch;
        d->hello.present = 1;
    }
}

static void decode_server_hello(struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct tls_server_choice sc;
    struct reader r, session_id, exts;
    uint32_t legacy_version, compression;
    uint16_t suite;
    const unsigned char *hello_random;
    int has_extensions;
    int retry;
    char line[300];
    struct sbuf sb;
    char hex[8];

    memset(&sc, 0, sizeof sc);
    rd_init(&r, body, len);
    rd_init(&exts, NULL, 0);
    if (!rd_uint(&r, "legacy_version", 2, &legacy_version) || !rd_take(&r, "random", 32, &hello_random) ||
        !rd_vec(&r, "session_id", 1, &session_id) || !rd_u16(&r, "cipher_suite", &suite) ||
        !rd_uint(&r, "compression_method", 1, &compression) ||
        (r.left > 0 && !rd_vec(&r, "extensions", 2, &exts))) {
        emit(d, 1, "ServerHello, %zu bytes", len);
        report_malformed(d, 2, "ServerHello", &r);
        return;
    }
    has_extensions = exts.p != NULL;
    retry = memcmp(hello_random, HELLO_RETRY_REQUEST_RANDOM, 32) == 0;
    if (has_extensions) {
        int was_quiet = d->quiet;
        d->quiet = 1;
        walk_extensions(d, 2, &exts, retry ? IN_HELLO_RETRY_REQUEST : IN_SERVER_HELLO, NULL, &sc);
        d->quiet = was_quiet;
    }
    if (sc.version == 0) {
        sc.version = (uint16_t) legacy_version;
    }
    sc.cipher_suite = suite;

    sb_init(&sb, line, sizeof line);
    sb_printf(&sb, "%s, %zu bytes: %s, %s", retry ? "HelloRetryRequest" : "ServerHello", len,
              name_or_hex(tls_version_name(sc.version), sc.version, hex, sizeof hex),
              name_or_hex(tls_cipher_suite_name(suite), suite, hex, sizeof hex));
    if (sc.group != 0) {
        sb_printf(&sb, retry ? ", asks for a key share on %s" : ", key share %s",
                  name_or_hex(tls_group_name(sc.group), sc.group, hex, sizeof hex));
    }
    emit(d, 1, "%s", line);
    if (retry) {
        emit(d, 2,
             "(a ServerHello with the special HelloRetryRequest random: the client must "
             "send a new ClientHello)");
    }
    emit(d, 2, "session id %zu bytes, compression method %u", session_id.left, (unsigned) compression);
    if (!retry) {
        print_random(d, hello_random, "chosen by the server");
    }
    if (has_extensions) {
        walk_extensions(d, 2, &exts, retry ? IN_HELLO_RETRY_REQUEST : IN_SERVER_HELLO, NULL, NULL);
    }
    report_malformed(d, 2, "ServerHello", &r);

    if (d->dir != TLS_DIR_SERVER_TO_CLIENT) {
        emit(d, 2, "note: a ServerHello normally comes from the server");
        return;
    }
    if (retry) {
        /* Only TLS 1.3 retries; records stay in plaintext until the real ServerHello. */
        d->tls13 = sc.version == 0x0304;
        return;
    }
    sc.present = 1;
    d->choice = sc;
    d->version = sc.version;
    d->kx = suite_key_exchange(suite);
    if (sc.version == 0x0304) {
        d->tls13 = 1;
        d->side[TLS_DIR_CLIENT_TO_SERVER].encrypted = 1;
        d->side[TLS_DIR_SERVER_TO_CLIENT].encrypted = 1;
        emit(d, 2, "TLS 1.3: from here on both directions are encrypted");
    }
}

/** TLS 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. TLS 1.3 adds a
 *  request context and per-certificate extensions. */
static void decode_certificate(struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct reader r, context, list, walk;
    size_t count = 0;

    rd_init(&r, body, len);
    if ((d->tls13 && !rd_vec(&r, "certificate_request_context", 1, &context)) ||
        !rd_vec(&r, "certificate_list", 3, &list)) {
        emit(d, 1, "Certificate, %zu bytes", len);
        report_malformed(d, 2, "Certificate", &r);
        return;
    }
    for (walk = list; walk.left > 0; count++) {
        struct reader cert, exts;
        if (!rd_vec(&walk, "cert_data", 3, &cert) || (d->tls13 && !rd_vec(&walk, "extensions", 2, &exts))) {
            break;
        }
    }
    if (count == 0 && walk.failed_field == NULL) {
        emit(d, 1, "Certificate, %zu bytes: no certificates", len);
    } else {
        emit(d, 1, "Certificate, %zu bytes: %zu certificate%s", len, count, count == 1 ? "" : "s");
    }
    for (size_t i = 0; list.left > 0; i++) {
        struct reader cert, exts;
        if (!rd_vec(&list, "cert_data", 3, &cert) || (d->tls13 && !rd_vec(&list, "extensions", 2, &exts))) {
            break;
        }
        print_certificate(d, 2, i, cert.p, cert.left);
    }
    report_malformed(d, 2, "Certificate", &list);
    report_malformed(d, 2, "Certificate", &r);
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
            emit(d, 1, "%s", line);
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
            struct der prime = {p.p, p.left};
            sb_printf(&sb, " DHE with a %zu-bit prime", integer_bits(&prime));
        }
    } else if (!kx_has_psk_hint(kx)) {
        sb_printf(&sb, " (parameters not decoded: key exchange %s)",
                  kx == KX_UNKNOWN ? "unknown" : "without ServerKeyExchange");
        emit(d, 1, "%s", line);
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
    emit(d, 1, "%s", line);
    report_malformed(d, 2, "ServerKeyExchange", &r);
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
    emit(d, 1, "%s", line);
    report_malformed(d, 2, "ClientKeyExchange", &r);
}

static void decode_certificate_request(const struct record_decoder *d, const unsigned char *body, size_t len)
{
    static const char *const cert_types[] = {NULL, "rsa_sign", "dss_sign", "rsa_fixed_dh", "dss_fixed_dh"};
    struct reader r, types, schemes, authorities;
    struct list_printer lp;
    size_t shown = 0;

    rd_init(&r, body, len);
    emit(d, 1, "CertificateRequest, %zu bytes: the server asks for a client certificate", len);
    if (d->tls13) {
        struct reader context, exts;
        if (!rd_vec(&r, "certificate_request_context", 1, &context) || !rd_vec(&r, "extensions", 2, &exts)) {
            report_malformed(d, 2, "CertificateRequest", &r);
            return;
        }
        walk_extensions(d, 2, &exts, IN_OTHER_MESSAGE, NULL, NULL);
        report_malformed(d, 2, "CertificateRequest", &r);
        return;
    }
    /* TLS 1.0 and 1.1 have no signature algorithm list. */
    rd_init(&schemes, NULL, 0);
    if (!rd_vec(&r, "certificate_types", 1, &types) ||
        ((d->version == 0 || d->version >= 0x0303) && !rd_vec(&r, "signature_algorithms", 2, &schemes)) ||
        !rd_vec(&r, "certificate_authorities", 2, &authorities)) {
        report_malformed(d, 2, "CertificateRequest", &r);
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
        print_u16_list(d, 2, "signature algorithms: ", &schemes, tls_sigalg_name, NULL, NULL, 0);
    }
    while (authorities.left > 0) {
        struct reader dn;
        char line[400];
        struct sbuf sb;
        struct der name;
        struct der outer;
        unsigned tag;

        if (!rd_vec(&authorities, "DistinguishedName", 2, &dn)) {
            break;
        }
        if (shown++ >= MAX_CA_NAMES_SHOWN) {
            continue;
        }
        sb_init(&sb, line, sizeof line);
        outer.p = dn.p;
        outer.len = dn.left;
        if (der_read(&outer, &tag, &name) && tag == 0x30) {
            sb_name(&sb, &name);
        } else {
            sb_printf(&sb, "(unreadable name, %zu bytes)", dn.left);
        }
        emit(d, 2, "accepted CA: %s", line);
    }
    if (shown > MAX_CA_NAMES_SHOWN) {
        emit(d, 2, "... and %zu more accepted CAs", shown - MAX_CA_NAMES_SHOWN);
    } else if (shown == 0) {
        emit(d, 2, "accepted CAs: any");
    }
    report_malformed(d, 2, "CertificateRequest", &authorities);
    report_malformed(d, 2, "CertificateRequest", &r);
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
            emit(d, 1, "NewSessionTicket, %zu bytes", len);
            report_malformed(d, 2, "NewSessionTicket", &r);
            return;
        }
        emit(d, 1, "NewSessionTicket, %zu bytes: lifetime %lu s, %zu-byte ticket", len,
             (unsigned long) lifetime, ticket.left);
        walk_extensions(d, 2, &exts, IN_OTHER_MESSAGE, NULL, NULL);
    } else {
        if (!rd_uint(&r, "ticket_lifetime_hint", 4, &lifetime) || !rd_vec(&r, "ticket", 2, &ticket)) {
            emit(d, 1, "NewSessionTicket, %zu bytes", len);
            report_malformed(d, 2, "NewSessionTicket", &r);
            return;
        }
        emit(d, 1, "NewSessionTicket, %zu bytes: lifetime hint %lu s, %zu-byte ticket", len,
             (unsigned long) lifetime, ticket.left);
    }
    report_malformed(d, 2, "NewSessionTicket", &r);
}

static void decode_certificate_verify(const struct record_decoder *d, const unsigned char *body, size_t len)
{
    struct reader r, signature;
    uint16_t scheme;
    char hex[8];

    rd_init(&r, body, len);
    if (d->version != 0 && d->version < 0x0303) {
        if (rd_vec(&r, "signature", 2, &signature)) {
            emit(d, 1, "CertificateVerify, %zu bytes: %zu-byte signature", len, signature.left);
        } else {
            emit(d, 1, "CertificateVerify, %zu bytes", len);
        }
    } else if (rd_u16(&r, "signature_algorithm", &scheme) && rd_vec(&r, "signature", 2, &signature)) {
        emit(d, 1, "CertificateVerify, %zu bytes: signed with %s (%zu-byte signature)", len,
             name_or_hex(tls_sigalg_name(scheme), scheme, hex, sizeof hex), signature.left);
    } else {
        emit(d, 1, "CertificateVerify, %zu bytes", len);
    }
    report_malformed(d, 2, "CertificateVerify", &r);
}

/** Which side may send each message type: 'c' client, 's' server, 'b' both, 0 unknown. */
static char expected_sender(unsigned type)
{
    switch (type) {
    case HS_CLIENT_HELLO:
    case HS_CLIENT_KEY_EXCHANGE:
    case HS_END_OF_EARLY_DATA:
        return 'c';
    case HS_HELLO_REQUEST:
    case HS_SERVER_HELLO:
    case HS_NEW_SESSION_TICKET:
    case HS_ENCRYPTED_EXTENSIONS:
    case HS_SERVER_KEY_EXCHANGE:
    case HS_CERTIFICATE_REQUEST:
    case HS_SERVER_HELLO_DONE:
    case HS_CERTIFICATE_STATUS:
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
    case HS_CLIENT_HELLO:
        decode_client_hello(d, body, len);
        return; /* checks its own direction */
    case HS_SERVER_HELLO:
        decode_server_hello(d, body, len);
        return;
    case HS_CERTIFICATE:
        decode_certificate(d, body, len);
        break;
    case HS_SERVER_KEY_EXCHANGE:
        decode_server_key_exchange(d, body, len);
        break;
    case HS_CLIENT_KEY_EXCHANGE:
        decode_client_key_exchange(d, body, len);
        break;
    case HS_CERTIFICATE_REQUEST:
        decode_certificate_request(d, body, len);
        break;
    case HS_NEW_SESSION_TICKET:
        decode_new_session_ticket(d, body, len);
        break;
    case HS_CERTIFICATE_VERIFY:
        decode_certificate_verify(d, body, len);
        break;
    case HS_ENCRYPTED_EXTENSIONS: {
        struct reader exts;
        emit(d, 1, "EncryptedExtensions, %zu bytes", len);
        if (rd_vec(&r, "extensions", 2, &exts)) {
            walk_extensions(d, 2, &exts, IN_ENCRYPTED_EXTENSIONS, NULL, NULL);
        }
        report_malformed(d, 2, "EncryptedExtensions", &r);
        break;
    }
    case HS_HELLO_REQUEST:
    case HS_SERVER_HELLO_DONE:
    case HS_END_OF_EARLY_DATA:
        emit(d, 1, "%s, %zu bytes", name, len);
        report_malformed(d, 2, name, &r);
        break;
    case HS_FINISHED:
        emit(d, 1, "Finished, %zu bytes of verify data", len);
        break;
    case HS_CERTIFICATE_STATUS: {
        struct reader response;
        if (rd_uint(&r, "status_type", 1, &v) && rd_vec(&r, "response", 3, &response)) {
            emit(d, 1, "CertificateStatus, %zu bytes: %s, %zu-byte response", len,
                 v == 1 ? "OCSP" : "unknown status type", response.left);
        } else {
            emit(d, 1, "CertificateStatus, %zu bytes", len);
        }
        report_malformed(d, 2, "CertificateStatus", &r);
        break;
    }
    case HS_KEY_UPDATE:
        if (rd_uint(&r, "request_update", 1, &v)) {
            emit(d, 1, "KeyUpdate, %zu bytes: %s", len,
                 v == 0   ? "update_not_requested"
                 : v == 1 ? "update_requested"
                          : "invalid value");
        } else {
            emit(d, 1, "KeyUpdate, %zu bytes", len);
        }
        report_malformed(d, 2, "KeyUpdate", &r);
        break;
    default:
        if (name != NULL) {
            emit(d, 1, "%s, %zu bytes (contents not decoded)", name, len);
        } else {
            emit(d, 1, "unknown handshake message type %u, %zu bytes", type, len);
        }
        break;
    }
    if ((sender == 'c' && d->dir != TLS_DIR_CLIENT_TO_SERVER) ||
        (sender == 's' && d->dir != TLS_DIR_SERVER_TO_CLIENT)) {
        emit(d, 2, "note: a %s normally comes from the %s", name != NULL ? name : "message",
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

/** Add one plaintext handshake record's body to the direction's reassembly buffer, decoding each
 *  message as soon as it is complete. */
static void handshake_append(struct record_decoder *d, struct direction_state *s, const unsigned char *p,
                             size_t n)
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
                emit(d, 1, "%s, %zu bytes: %s, skipped", handshake_label(s->hs[0]), msg_len,
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
                emit(d, 1, "out of memory: handshake data dropped");
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
        emit(d, 1, "%s, %zu bytes: %zu received so far, continues in the next record",
             handshake_label(s->hs[0]), handshake_length(s->hs), s->hs_len - 4);
    } else if (s->hs_len > 0) {
        emit(d, 1, "handshake message header split across records (%zu of 4 bytes)", s->hs_len);
    } else if (s->hs_skip > 0) {
        emit(d, 1, "(%zu bytes of the skipped message still to come)", s->hs_skip);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Records                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void sb_version(struct sbuf *sb, uint16_t version)
{
    const char *name = tls_version_name(version);

    if (name != NULL) {
        sb_printf(sb, "%s (0x%04x)", name, version);
    } else {
        sb_printf(sb, "version 0x%04x", version);
    }
}

static void drop_partial_handshake(struct record_decoder *d, struct direction_state *s, const char *why)
{
    if (s->hs_len > 0 || s->hs_skip > 0) {
        emit(d, 1, "malformed: handshake message interrupted by %s (%zu bytes dropped)", why, s->hs_len);
        s->hs_len = 0;
        s->hs_skip = 0;
    }
}

/** Did the client's hello list TLS 1.3 in supported_versions? */
static int client_offered_tls13(const struct record_decoder *d)
{
    for (size_t i = 0; i < d->hello.n_versions; i++) {
        if (d->hello.versions[i] == 0x0304) {
            return 1;
        }
    }
    return 0;
}

/** Print one complete record and decode what is visible in it. */
static void process_record(struct record_decoder *d, struct direction_state *s)
{
    unsigned type = s->rec[0];
    uint16_t version = (uint16_t) ((s->rec[1] << 8) | s->rec[2]);
    const unsigned char *body = s->rec + RECORD_HEADER_LEN;
    size_t len = s->rec_need - RECORD_HEADER_LEN;
    const char *unit = len == 1 ? "byte" : "bytes";
    char ver[40];
    struct sbuf sb;

    s->records++;
    sb_init(&sb, ver, sizeof ver);
    sb_version(&sb, version);

    /* A TLS 1.3 change_cipher_spec is never encrypted: it is a dummy for middleboxes. */
    if (s->encrypted && !(d->tls13 && type == CT_CHANGE_CIPHER_SPEC)) {
        const char *note = d->tls13 && type == CT_APPLICATION_DATA ? "; TLS 1.3 hides the real type" : "";
        emit(d, 0, "record %s (encrypted), %s, %zu %s%s", content_type_name(type), ver, len, unit, note);
        return;
    }
    if (len > MAX_PLAINTEXT_BODY) {
        emit(d, 0, "record %s, %s, %zu %s", content_type_name(type), ver, len, unit);
        emit(d, 1, "malformed: a plaintext record carries at most %d bytes", MAX_PLAINTEXT_BODY);
        return;
    }
    switch (type) {
    case CT_CHANGE_CIPHER_SPEC:
        emit(d, 0, "record change_cipher_spec, %s, %zu %s", ver, len, unit);
        if (len != 1 || body[0] != 1) {
            emit(d, 1, "malformed change_cipher_spec: expected the single byte 0x01");
        }
        if (d->tls13 ||
            (d->dir == TLS_DIR_CLIENT_TO_SERVER && !d->choice.present && client_offered_tls13(d))) {
            emit(d, 1, "TLS 1.3 middlebox compatibility record: it changes nothing");
        } else {
            drop_partial_handshake(d, s, "change_cipher_spec");
            emit(d, 1, "from here on this direction is encrypted");
            s->encrypted = 1;
        }
        break;
    case CT_ALERT:
        if (len == 2) {
            char hex[8];
            emit(d, 0, "record alert, %s, 2 bytes: %s %s", ver,
                 body[0] == 1   ? "warning"
                 : body[0] == 2 ? "fatal"
                                : "invalid level",
                 name_or_hex(tls_alert_name(body[1]), body[1], hex, sizeof hex));
        } else {
            emit(d, 0, "record alert, %s, %zu %s", ver, len, unit);
            emit(d, 1, "malformed alert: expected 2 bytes (level, description)");
        }
        break;
    case CT_HANDSHAKE:
        emit(d, 0, "record handshake, %s, %zu %s", ver, len, unit);
        if (len == 0) {
            emit(d, 1, "malformed: empty handshake record");
        }
        handshake_append(d, s, body, len);
        break;
    case CT_APPLICATION_DATA:
        emit(d, 0, "record application_data, %s, %zu %s", ver, len, unit);
        emit(d, 1, "unexpected: application data before this direction is encrypted");
        break;
    default:
        emit(d, 0, "record %s, %s, %zu %s", content_type_name(type), ver, len, unit);
        break;
    }
}

/** Could these first n bytes (n <= 5) start a TLS record? */
static int header_plausible(const unsigned char *h, size_t n)
{
    if (n >= 1 && (h[0] < CT_CHANGE_CIPHER_SPEC || h[0] > CT_HEARTBEAT)) {
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
    if (s->records == 0) {
        emit(d, 0, "not a TLS record (%s); stream not TLS, further bytes ignored", what);
    } else {
        emit(d, 0,
             "malformed record header after %llu records (%s); stream not TLS, further "
             "bytes ignored",
             s->records, what);
    }
    s->state = STREAM_IGNORED;
}

static int preview_complete(const struct direction_state *s)
{
    return s->preview_len == PREVIEW_MAX || memchr(s->preview, '\n', s->preview_len) != NULL;
}

struct record_decoder *record_decoder_new(FILE *out)
{
    struct record_decoder *d = calloc(1, sizeof *d);

    if (d != NULL) {
        d->out = out;
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
        if (s->rec_fill < RECORD_HEADER_LEN) {
            /* The header arrives byte by byte so that garbage is caught at its first byte. */
            s->rec[s->rec_fill++] = *data++;
            len--;
            if (!header_plausible(s->rec, s->rec_fill)) {
                memcpy(s->preview, s->rec, s->rec_fill);
                s->preview_len = s->rec_fill;
                s->rec_fill = 0;
                s->state = STREAM_PREVIEW;
                if (preview_complete(s)) {
                    report_not_tls(d, s);
                }
                continue;
            }
            if (s->rec_fill == RECORD_HEADER_LEN) {
                size_t body = ((size_t) s->rec[3] << 8) | s->rec[4];
                if (body > MAX_RECORD_BODY) {
                    emit(d, 0,
                         "oversized record: %s header claims %zu bytes (limit %d); stream "
                         "not TLS, further bytes ignored",
                         content_type_name(s->rec[0]), body, MAX_RECORD_BODY);
                    s->rec_fill = 0;
                    s->state = STREAM_IGNORED;
                    continue;
                }
                s->rec_need = RECORD_HEADER_LEN + body;
            }
        } else {
            take = s->rec_need - s->rec_fill < len ? s->rec_need - s->rec_fill : len;
            memcpy(s->rec + s->rec_fill, data, take);
            s->rec_fill += take;
            data += take;
            len -= take;
        }
        if (s->rec_fill >= RECORD_HEADER_LEN && s->rec_fill == s->rec_need) {
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
        if (s->state == STREAM_RECORDS && s->rec_fill > 0 && s->rec_fill < RECORD_HEADER_LEN) {
            emit(d, 0, "stream ended inside a record header (%zu of %d bytes)", s->rec_fill,
                 RECORD_HEADER_LEN);
        } else if (s->state == STREAM_RECORDS && s->rec_fill > 0) {
            emit(d, 0, "stream ended inside a %s record (%zu of %zu bytes)", content_type_name(s->rec[0]),
                 s->rec_fill - RECORD_HEADER_LEN, s->rec_need - RECORD_HEADER_LEN);
        }
        if (s->hs_len > 0) {
            emit(d, 0, "stream ended inside a handshake message (%zu bytes buffered)", s->hs_len);
        }
        if (s->ignored > 0) {
            emit(d, 0, "%llu further bytes ignored", s->ignored);
        }
        free(s->hs);
    }
    free(d);
}
