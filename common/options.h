/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file options.h
 * @brief Command-line options shared by every lesson and the lesson server.
 *
 * A lesson accepts the options of every stage it reaches, so `01_init`
 * rejects `--host` (it never connects) while `06_read_write` takes it.
 * Default file names point into the PKI that the build generates; the
 * directory is compiled in (`WORKSHOP_CERTS_DIR`) and can be overridden at
 * run time with the `WORKSHOP_CERTS_DIR` environment variable or per file
 * with `--ca`, `--cert` and `--key`.
 */
#ifndef WORKSHOP_OPTIONS_H
#define WORKSHOP_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "compat.h"

/** @brief Which groups of options a program accepts (bit set). */
enum option_groups {
    OPTS_CERTS = 1 << 0,   /**< --ca, --crl, --cert, --key (stage 02 on) */
    OPTS_CONFIG = 1 << 1,  /**< --ciphersuite, --groups, --timeout (stage 03 on) */
    OPTS_CONNECT = 1 << 2, /**< --host, --port, --servername (stage 04 on) */
    OPTS_HTTP = 1 << 3,    /**< --path (stage 06 on) */
    OPTS_SERVER = 1 << 4,  /**< --bind, --port, --require-client-cert, --max-connections, --threads,
                               --event-loop */
    /* lessons 13-14 */
    OPTS_NONBLOCKING = 1 << 5, /**< --connections (lesson 13) */
    OPTS_SMALL_RAM = 1 << 6,   /**< --max-frag-len (lesson 14) */
    OPTS_DTLS = 1 << 7         /**< DTLS over UDP (lessons 15, 16): --mtu, --hs-timeout, --cid */
};

/** @brief Longest --host or --servername (a DNS name has at most 253 characters). */
#define OPTIONS_MAX_NAME 255

/** @brief Smallest --mtu other than 0: room for a record, a handshake fragment header and some bytes. */
#define OPTIONS_MIN_MTU 128

/** @brief Longest --path (the lesson server accepts paths of up to 511 bytes). */
#define OPTIONS_MAX_PATH 511

/** @brief Longest --ciphersuite list. */
#define OPTIONS_MAX_CIPHERSUITES 32

/** @brief Longest --groups list. */
#define OPTIONS_MAX_GROUPS 8

/** @brief The DTLS handshake's first retransmission timeout unless --hs-timeout says otherwise (ms). */
#define OPTIONS_DEFAULT_HS_TIMEOUT_MIN 1000

/** @brief The DTLS handshake's longest retransmission timeout unless --hs-timeout says otherwise (ms). */
#define OPTIONS_DEFAULT_HS_TIMEOUT_MAX 8000
/** @brief Most --connections (lesson 13). */
#define OPTIONS_MAX_CONNECTIONS 256

/** @brief The key exchange groups offered and accepted unless --groups says otherwise. */
#define OPTIONS_DEFAULT_GROUPS "x25519,secp256r1"

/** @brief Parsed command line. Strings point into argv or static defaults. */
struct options {
    const char *program; /**< argv[0] without its directory */
    unsigned groups;     /**< option_groups this program accepts */
    int is_server;       /**< the lesson server (defaults differ) */
    /* stage 02: files */
    const char *ca_file;   /**< trusted CA certificates (PEM) */
    const char *crl_file;  /**< certificate revocation list, or NULL */
    const char *cert_file; /**< own certificate chain, or NULL (client) */
    const char *key_file;  /**< own private key, or NULL (client) */
    /* stage 03: configuration */
    int ciphersuites[OPTIONS_MAX_CIPHERSUITES + 1]; /**< ids, 0-terminated; empty = library default */
    uint16_t tls_groups[OPTIONS_MAX_GROUPS + 1];    /**< key exchange groups, IANA numbers, 0-terminated */
    int debug_level;                                /**< 0..4, mbedtls_debug_set_threshold() */
    const char *debug_file;                         /**< debug output file, NULL = stderr */
    const char *keylog_file; /**< --keylog: NSS key log file to append secrets to, or NULL */
    unsigned timeout_ms;     /**< read timeout for every network read */
    /* stage 04: connection */
    const char *host;       /**< server to connect to */
    const char *port;       /**< TCP port (client: connect to; server: listen on, "0" = any free) */
    const char *servername; /**< name to verify and send as SNI; defaults to host */
    int trace;              /**< --trace: print every TLS record crossing the connection */
    /* DTLS (lessons 15, 16) */
    int datagram;            /**< DTLS over UDP instead of TLS over TCP (programs with OPTS_DTLS) */
    unsigned mtu;            /**< --mtu: largest datagram to send, 0 = no limit of our own */
    unsigned hs_timeout_min; /**< --hs-timeout: first retransmission timeout (ms) */
    unsigned hs_timeout_max; /**< --hs-timeout: the handshake gives up after this timeout (ms) */
    int cid;                 /**< --cid: use a DTLS connection ID (RFC 9146) */
    /* stage 06: HTTP */
    const char *path; /**< path to GET */
    /* server */
    const char *bind_address; /**< address to listen on */
    int require_client_cert;  /**< ask for and verify a client certificate */
    long max_connections;     /**< stop after this many connections (0 = never) */
    int threads;              /**< connections served at once */
    /* lessons 13-14 */
    int event_loop;        /**< --event-loop: one thread serves every client (lesson 13) */
    int connections;       /**< --connections: TLS connections lesson 13 drives at once */
    unsigned max_frag_len; /**< --max-frag-len: 512, 1024, 2048 or 4096; 0 = not asked (lesson 14) */
};

/**
 * @brief Parse the command line.
 *
 * Prints usage and returns WS_EXIT_OK with @p o->program set and *done = 1
 * for `--help` (and `--ciphersuite help`); on a bad option prints one line
 * naming it plus a hint and returns WS_EXIT_USAGE.
 * @param argc    from main().
 * @param argv    from main().
 * @param groups  option groups this program accepts.
 * @param summary one line saying what the program does (for --help).
 * @param o       filled with defaults, then with the options given.
 * @param done    set to 1 when the program should exit with the returned code
 *                without doing anything else (help or error).
 * @return a workshop_exit code.
 */
int options_parse(int argc, char **argv, unsigned groups, const char *summary, struct options *o, int *done);

/** @brief What a program's own option takes (struct extra_option). */
enum extra_option_kind {
    EXTRA_SWITCH, /**< no value: the option's value becomes "1" when it is given */
    EXTRA_TEXT,   /**< any text */
    EXTRA_PORT    /**< a TCP port number, 1-65535 */
};

/** @brief Most options a program may add with options_parse_extra(). */
#define OPTIONS_MAX_EXTRA 8

/** @brief One option of a program's own, parsed and listed in --help with the shared ones. */
struct extra_option {
    const char *name;            /**< without the dashes, e.g. "mistake"; NULL ends the list */
    enum extra_option_kind kind; /**< what it takes */
    const char *value_name;      /**< the value in --help, e.g. "NAME" (NULL for a switch) */
    const char *help;            /**< what it does; each "\n" starts an indented continuation line */
    const char **value;          /**< set to the value given; left alone when the option is absent */
};

/**
 * @brief options_parse() for a program with options of its own (lesson 09's
 *        mistakes): they are parsed, checked and listed in --help with the others.
 * @param argc    from main().
 * @param argv    from main().
 * @param groups  option groups this program accepts.
 * @param summary one line saying what the program does (for --help).
 * @param extra   the program's own options, ended by an entry whose name is
 *                NULL (at most OPTIONS_MAX_EXTRA), or NULL for none.
 * @param o       filled with defaults, then with the options given.
 * @param done    as for options_parse().
 * @return a workshop_exit code.
 */
int options_parse_extra(int argc, char **argv, unsigned groups, const char *summary,
                        const struct extra_option *extra, struct options *o, int *done);

/**
 * @brief Print a bad-command-line message the way the parser does:
 *        "PROGRAM: MESSAGE (try 'PROGRAM --help')" on stderr.
 * @param o   the parsed options (for the program's name).
 * @param fmt printf format of the message.
 * @return WS_EXIT_USAGE.
 */
int options_usage_error(const struct options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * @brief The directory holding the generated PKI.
 * @return `$WORKSHOP_CERTS_DIR` if set, else the build's certs directory.
 */
const char *options_certs_dir(void);

/**
 * @brief Turn a comma-separated list of cipher suite names into ids.
 *
 * Accepts mbedTLS names (TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256) and IANA
 * names (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).
 * @param list comma-separated names.
 * @param ids  output, 0-terminated.
 * @param max  capacity of @p ids without the terminator.
 * @param bad  on failure, the offending name (copied, truncated).
 * @param bad_len size of @p bad.
 * @return 0, or -1 if a name is unknown to this mbedTLS build or the list is too long.
 */
int options_parse_ciphersuites(const char *list, int *ids, size_t max, char *bad, size_t bad_len);

/**
 * @brief Turn a comma-separated list of key exchange group names into IANA numbers.
 *
 * Takes the IANA names ("x25519", "secp256r1", "secp384r1", ...), and only
 * groups this mbedTLS build can use.
 * @param list comma-separated names.
 * @param ids  output, 0-terminated.
 * @param max  capacity of @p ids without the terminator.
 * @param bad  on failure, the offending name (copied, truncated).
 * @param bad_len size of @p bad.
 * @return 0, or -1 if a name is unknown or unsupported, or the list is empty or too long.
 */
int options_parse_groups(const char *list, uint16_t *ids, size_t max, char *bad, size_t bad_len);

#endif /* WORKSHOP_OPTIONS_H */
