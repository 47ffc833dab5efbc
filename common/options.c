/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file options.c
 * @brief Command-line parsing for the lessons and the lesson server.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "compat.h"
#include "tls_names.h"
#include "report.h"

#ifndef WORKSHOP_CERTS_DIR
#error "WORKSHOP_CERTS_DIR must be defined by the build"
#endif

const char *options_certs_dir(void)
{
    const char *dir = getenv("WORKSHOP_CERTS_DIR");

    return (dir != NULL && dir[0] != '\0') ? dir : WORKSHOP_CERTS_DIR;
}

/* Default file names live for the whole program. */
static const char *default_file(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", options_certs_dir(), name);
    return buf;
}

/* One name of a comma-separated list: store its number at index i of the
 * caller's array, or return -1 when it names nothing this build knows. */
typedef int list_item_fn(void *ids, size_t i, char *name);

/* Walk a comma-separated list of names of at most name_cap - 1 characters,
 * and at most max of them; the array gets a 0 after the last. On failure,
 * bad gets the offending name (cut at 60 characters when it is too long). */
static int parse_name_list(const char *list, size_t name_cap, size_t max, list_item_fn *item, void *ids,
                           char *bad, size_t bad_len)
{
    size_t n = 0;
    const char *p = list;

    while (*p != '\0') {
        char name[128];
        size_t len = strcspn(p, ",");

        if (len == 0 || len >= name_cap || n == max) {
            snprintf(bad, bad_len, "%.*s", (int) (len < 60 ? len : 60), p);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        if (item(ids, n, name) != 0) {
            snprintf(bad, bad_len, "%s", name);
            return -1;
        }
        n++;
        p += len;
        if (*p == ',')
            p++;
    }
    return n == 0 ? -1 : 0;
}

static int ciphersuite_item(void *ids, size_t i, char *name)
{
    int id;

    /* IANA spells the names with underscores, mbedTLS with dashes. */
    for (char *c = name; *c != '\0'; c++)
        if (*c == '_')
            *c = '-';
    id = mbedtls_ssl_get_ciphersuite_id(name);
    if (id == 0)
        return -1;
    ((int *) ids)[i] = id;
    ((int *) ids)[i + 1] = 0;
    return 0;
}

int options_parse_ciphersuites(const char *list, int *ids, size_t max, char *bad, size_t bad_len)
{
    ids[0] = 0;
    return parse_name_list(list, 128, max, ciphersuite_item, ids, bad, bad_len);
}

static int group_item(void *ids, size_t i, char *name)
{
    uint16_t id = tls_group_from_name(name);
    compat_group_t unused;

    if (id == 0 || !compat_group_from_iana(id, &unused))
        return -1;
    ((uint16_t *) ids)[i] = id;
    ((uint16_t *) ids)[i + 1] = 0;
    return 0;
}

int options_parse_groups(const char *list, uint16_t *ids, size_t max, char *bad, size_t bad_len)
{
    ids[0] = 0;
    return parse_name_list(list, 64, max, group_item, ids, bad, bad_len);
}

static void list_groups(void)
{
    uint16_t ids[64];
    size_t n = compat_group_list(ids, sizeof(ids) / sizeof(ids[0]));

    printf("Key exchange groups this mbedTLS build supports (default: %s):\n", OPTIONS_DEFAULT_GROUPS);
    for (size_t i = 0; i < n; i++)
        printf("  %s\n", tls_group_name(ids[i]) != NULL ? tls_group_name(ids[i]) : "(unnamed)");
}

static void list_ciphersuites(void)
{
    const int *ids = mbedtls_ssl_list_ciphersuites();

    printf("Cipher suites this mbedTLS build supports, in its order of preference:\n");
    for (; *ids != 0; ids++)
        printf("  %s\n", mbedtls_ssl_get_ciphersuite_name(*ids));
}

/* "  --name VALUE          help", continuation lines indented to the help column. */
static void print_extra_option(const struct extra_option *x)
{
    char left[64];

    snprintf(left, sizeof(left), "--%s%s%s", x->name, x->value_name ? " " : "",
             x->value_name ? x->value_name : "");
    printf("  %-21s ", left);
    for (const char *p = x->help; *p != '\0'; p++) {
        if (*p == '\n')
            fputs("\n                        ", stdout);
        else
            putchar(*p);
    }
    putchar('\n');
}

static void usage(const struct options *o, const char *summary, const struct extra_option *extra)
{
    const unsigned g = o->groups;

    printf("Usage: %s [OPTIONS]\n%s\n\nOptions:\n", o->program, summary);
    if (g & OPTS_CONNECT) {
        printf("  --host NAME           server to connect to (default: %s)\n",
               (g & OPTS_DTLS) ? "127.0.0.1" : "localhost");
        printf("  --port N              %s port (default: 4433)\n", (g & OPTS_DTLS) ? "UDP" : "TCP");
        printf("  --servername NAME     name to verify in the certificate and send as SNI\n"
               "                        (default: the --host value%s)\n",
               (g & OPTS_DTLS) ? ", else localhost" : "");
    }
    if (g & OPTS_SERVER) {
        printf("  --bind ADDRESS        address to listen on (default: 127.0.0.1, loopback only)\n");
        printf("  --port N              %s port, 0 = pick a free one (default: 4433)\n",
               (g & OPTS_DTLS) ? "UDP" : "TCP");
        printf("  --require-client-cert ask every client for a certificate and verify it against --ca\n");
        printf("  --max-connections N   exit (status 0) after serving N connections\n");
        printf("  --threads N           connections served at once (default: 8)\n");
        printf("  --event-loop          serve every client from one thread, non-blocking (lesson 13)\n");
    }
    if (g & OPTS_CERTS) {
        printf("  --ca FILE             trusted CA certificates, PEM (default: %s/ca.pem)\n",
               options_certs_dir());
        printf("  --crl FILE            certificate revocation list, PEM (default: none)\n");
        if (g & OPTS_SERVER) {
            printf("  --cert FILE           server certificate chain (default: %s/server-ecdsa-chain.pem)\n",
                   options_certs_dir());
            printf("  --key FILE            server private key (default: %s/server-ecdsa.key)\n",
                   options_certs_dir());
        } else {
            printf("  --cert FILE           client certificate chain, for servers that ask for one\n");
            printf("  --key FILE            private key of --cert\n");
        }
    }
    if (g & OPTS_CONFIG) {
        printf("  --ciphersuite LIST    comma-separated suites to offer/accept; 'help' lists them\n");
        printf("  --groups LIST         key exchange groups to offer/accept, in order of preference\n"
               "                        (default: %s); 'help' lists them\n",
               OPTIONS_DEFAULT_GROUPS);
        printf("  --timeout MS          give up on a silent peer after MS milliseconds (default: 10000,\n"
               "                        or $WORKSHOP_TIMEOUT_MS)\n");
        printf("  --keylog FILE         append session secrets to FILE (NSS key log, for Wireshark);\n"
               "                        anyone with the file can decrypt the session\n");
    }
    if (g & OPTS_DTLS) {
        printf("  --mtu N               largest datagram to send, in bytes, 0 = no limit (default: 0)\n");
        printf("  --hs-timeout MIN,MAX  handshake retransmission timeouts in ms: the first wait, doubled\n"
               "                        after each retransmission until MAX (default: %d,%d)\n",
               OPTIONS_DEFAULT_HS_TIMEOUT_MIN, OPTIONS_DEFAULT_HS_TIMEOUT_MAX);
        if (g & OPTS_SERVER)
            printf("  --cid                 require DTLS connection IDs (RFC 9146) to be available; the\n"
                   "                        server gives one to every client that asks, wherever this\n"
                   "                        mbedTLS has them\n");
        else
            printf("  --cid                 use a DTLS connection ID (RFC 9146), so that the session\n"
                   "                        survives a change of the client's address or port\n");
    }
    if (g & (OPTS_CONNECT | OPTS_SERVER))
        printf("  --trace               print every %s record and handshake message on the wire\n",
               (g & OPTS_DTLS) ? "DTLS" : "TLS");
    if (g & OPTS_HTTP)
        printf("  --path PATH           path to request (default: /)\n");
    /* lessons 13-14 */
    if (g & OPTS_NONBLOCKING)
        printf("  --connections N       TLS connections to drive at once, 1-%d (default: 8)\n",
               OPTIONS_MAX_CONNECTIONS);
    if (g & OPTS_SMALL_RAM)
        printf("  --max-frag-len N      ask the server for records of at most N bytes: 512, 1024, 2048\n"
               "                        or 4096 (the max_fragment_length extension; default: not asked)\n");
    for (; extra != NULL && extra->name != NULL; extra++)
        print_extra_option(extra); /* the program's own options */
    printf("  --debug N             mbedTLS debug level 0..4 (default: 0, nothing)\n");
    printf("  --debug-file FILE     write debug lines to FILE instead of stderr\n");
    printf("  --help                show this help\n");
    printf("\nExit codes: 0 ok, 1 usage, 2 setup/files, 3 network, 4 handshake/verification,\n"
           "5 read/write, 77 feature missing from this mbedTLS build.\n");
}

/* Parse a whole decimal number in [min, max]. */
static int parse_number(const char *text, long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* One line for a bad command line, then the hint. */
int options_usage_error(const struct options *o, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", o->program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try '%s --help')\n", o->program);
    return WS_EXIT_USAGE;
}

enum {
    OPT_HOST = 256,
    OPT_PORT,
    OPT_SERVERNAME,
    OPT_CA,
    OPT_CRL,
    OPT_CERT,
    OPT_KEY,
    OPT_CIPHERSUITE,
    OPT_DEBUG,
    OPT_DEBUG_FILE,
    OPT_TIMEOUT,
    OPT_PATH,
    OPT_BIND,
    OPT_REQUIRE_CLIENT_CERT,
    OPT_MAX_CONNECTIONS,
    OPT_THREADS,
    OPT_TRACE,
    OPT_KEYLOG,
    OPT_GROUPS,
    OPT_EVENT_LOOP,
    OPT_CONNECTIONS,
    OPT_MAX_FRAG_LEN, /* lessons 13-14 */
    OPT_MTU,
    OPT_HS_TIMEOUT,
    OPT_CID, /* lessons 15-16 */
    OPT_HELP,
    OPT_EXTRA = 512 /* a program's own options: OPT_EXTRA + their index */
};

/* Which group each option belongs to (0 = every program). */
static unsigned option_group(int opt)
{
    switch (opt) {
    case OPT_HOST:
    case OPT_SERVERNAME:
        return OPTS_CONNECT;
    case OPT_PORT:
        return OPTS_CONNECT | OPTS_SERVER;
    case OPT_CA:
    case OPT_CRL:
    case OPT_CERT:
    case OPT_KEY:
        return OPTS_CERTS;
    case OPT_CIPHERSUITE:
    case OPT_GROUPS:
    case OPT_TIMEOUT:
    case OPT_KEYLOG:
        return OPTS_CONFIG;
    case OPT_TRACE:
        return OPTS_CONNECT | OPTS_SERVER;
    case OPT_PATH:
        return OPTS_HTTP;
    case OPT_BIND:
    case OPT_REQUIRE_CLIENT_CERT:
    case OPT_MAX_CONNECTIONS:
    case OPT_THREADS:
        return OPTS_SERVER;
    /* lessons 13-14 */
    case OPT_EVENT_LOOP:
        return OPTS_SERVER;
    case OPT_CONNECTIONS:
        return OPTS_NONBLOCKING;
    case OPT_MAX_FRAG_LEN:
        return OPTS_SMALL_RAM;
    case OPT_MTU:
    case OPT_HS_TIMEOUT:
    case OPT_CID:
        return OPTS_DTLS;
    default:
        return 0;
    }
}

/* The lesson that introduces an option group, for the "not yet" hint. */
static const char *group_lesson(unsigned group)
{
    if (group & OPTS_CERTS)
        return "02_load_certs";
    if (group & OPTS_CONFIG)
        return "03_config";
    if (group & OPTS_CONNECT)
        return "04_connect";
    if (group & OPTS_HTTP)
        return "06_read_write";
    if (group & OPTS_NONBLOCKING)
        return "13_nonblocking";
    if (group & OPTS_SMALL_RAM)
        return "14_small_ram";
    if (group & OPTS_DTLS)
        return "15_dtls_client";
    return "08_server";
}

int options_parse(int argc, char **argv, unsigned groups, const char *summary, struct options *o, int *done)
{
    return options_parse_extra(argc, argv, groups, summary, NULL, o, done);
}

/* A program's own option: check its value and hand it over. */
static int take_extra(const struct options *o, const struct extra_option *x, const char *value)
{
    long n;

    if (x->kind == EXTRA_PORT && parse_number(value, 1, 65535, &n) != 0)
        return options_usage_error(o, "--%s '%s' is not a port number (1-65535)", x->name, value);
    *x->value = x->kind == EXTRA_SWITCH ? "1" : value;
    return WS_EXIT_OK;
}

int options_parse_extra(int argc, char **argv, unsigned groups, const char *summary,
                        const struct extra_option *extra, struct options *o, int *done)
{
    static char ca_buf[4096], cert_buf[4096], key_buf[4096];
    static const struct option longopts[] = {
        {"host", required_argument, NULL, OPT_HOST},
        {"port", required_argument, NULL, OPT_PORT},
        {"servername", required_argument, NULL, OPT_SERVERNAME},
        {"ca", required_argument, NULL, OPT_CA},
        {"crl", required_argument, NULL, OPT_CRL},
        {"cert", required_argument, NULL, OPT_CERT},
        {"key", required_argument, NULL, OPT_KEY},
        {"ciphersuite", required_argument, NULL, OPT_CIPHERSUITE},
        {"debug", required_argument, NULL, OPT_DEBUG},
        {"debug-file", required_argument, NULL, OPT_DEBUG_FILE},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"path", required_argument, NULL, OPT_PATH},
        {"bind", required_argument, NULL, OPT_BIND},
        {"require-client-cert", no_argument, NULL, OPT_REQUIRE_CLIENT_CERT},
        {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"trace", no_argument, NULL, OPT_TRACE},
        {"keylog", required_argument, NULL, OPT_KEYLOG},
        {"groups", required_argument, NULL, OPT_GROUPS},
        /* lessons 13-14 */
        {"event-loop", no_argument, NULL, OPT_EVENT_LOOP},
        {"connections", required_argument, NULL, OPT_CONNECTIONS},
        {"max-frag-len", required_argument, NULL, OPT_MAX_FRAG_LEN},
        {"mtu", required_argument, NULL, OPT_MTU},
        {"hs-timeout", required_argument, NULL, OPT_HS_TIMEOUT},
        {"cid", no_argument, NULL, OPT_CID},
        {"help", no_argument, NULL, OPT_HELP},
    };
    const size_t shared = sizeof(longopts) / sizeof(longopts[0]);
    struct option all[sizeof(longopts) / sizeof(longopts[0]) + OPTIONS_MAX_EXTRA + 1];
    size_t n_extra = 0;
    const char *slash = strrchr(argv[0], '/');
    int cert_given = 0, key_given = 0, host_given = 0;
    int opt;
    long n;

    memset(o, 0, sizeof(*o));
    o->program = slash ? slash + 1 : argv[0];
    o->groups = groups;
    o->is_server = (groups & OPTS_SERVER) != 0;
    o->ca_file = default_file(ca_buf, sizeof(ca_buf), "ca.pem");
    if (o->is_server) {
        o->cert_file = default_file(cert_buf, sizeof(cert_buf), "server-ecdsa-chain.pem");
        o->key_file = default_file(key_buf, sizeof(key_buf), "server-ecdsa.key");
    }
    o->timeout_ms = 10000;
    o->datagram = (groups & OPTS_DTLS) != 0;
    o->hs_timeout_min = OPTIONS_DEFAULT_HS_TIMEOUT_MIN;
    o->hs_timeout_max = OPTIONS_DEFAULT_HS_TIMEOUT_MAX;
    {
        char unused[64];

        /* A build that lacks one of them (say, x25519 compiled out) keeps
         * the library's own default list. */
        if (options_parse_groups(OPTIONS_DEFAULT_GROUPS, o->tls_groups, OPTIONS_MAX_GROUPS, unused,
                                 sizeof(unused)) != 0)
            o->tls_groups[0] = 0;
    }
    /* Over UDP "connecting" cannot fail, so mbedtls_net_connect() keeps the
     * first address a name resolves to: for "localhost" often ::1, where a
     * server on 127.0.0.1 is not. DTLS clients go to 127.0.0.1 and verify
     * the name localhost unless told otherwise. */
    o->host = o->datagram && !o->is_server ? "127.0.0.1" : "localhost";
    o->port = "4433";
    o->path = "/";
    o->bind_address = "127.0.0.1";
    o->threads = 8;
    o->connections = 8;
    *done = 1;
    /* A slow board (or an emulator) can raise every program's default at
     * once; --timeout still wins. */
    if (getenv("WORKSHOP_TIMEOUT_MS") != NULL) {
        if (parse_number(getenv("WORKSHOP_TIMEOUT_MS"), 1, 3600000, &n) != 0)
            return options_usage_error(o, "WORKSHOP_TIMEOUT_MS='%s' must be milliseconds from 1 to 3600000",
                                       getenv("WORKSHOP_TIMEOUT_MS"));
        o->timeout_ms = (unsigned) n;
    }

    /* The shared options, then the program's own, then the end marker. */
    memcpy(all, longopts, sizeof(longopts));
    for (; extra != NULL && extra[n_extra].name != NULL; n_extra++) {
        if (n_extra == OPTIONS_MAX_EXTRA) {
            report_error("options", "more than %d program options", OPTIONS_MAX_EXTRA);
            return WS_EXIT_SETUP;
        }
        all[shared + n_extra] = (struct option){
            extra[n_extra].name, extra[n_extra].kind == EXTRA_SWITCH ? no_argument : required_argument, NULL,
            OPT_EXTRA + (int) n_extra};
    }
    all[shared + n_extra] = (struct option){NULL, 0, NULL, 0};

    opterr = 0; /* we print our own one-line messages */
    /* 0, not 1: glibc, musl and the BSDs then forget everything from an
     * earlier call, including a position inside an older argv's "-abc". */
    optind = 0;
    while ((opt = getopt_long(argc, argv, "", all, NULL)) != -1) {
        unsigned group = option_group(opt);

        if (opt == '?') {
            /* optopt is a long option's value when its argument is missing,
             * but the character itself for an unknown short option ("-x"). */
            if (optopt >= OPT_HOST && optopt <= OPT_HELP)
                return options_usage_error(o, "option '--%s' needs a value",
                                           longopts[optopt - OPT_HOST].name);
            if (optopt >= OPT_EXTRA && optopt < OPT_EXTRA + (int) n_extra)
                return options_usage_error(o, "option '--%s' needs a value", extra[optopt - OPT_EXTRA].name);
            if (optopt > 0 && optopt < 128)
                return options_usage_error(o, "unrecognized option '-%c'", optopt);
            return options_usage_error(o, "unrecognized option '%s'", argv[optind - 1]);
        }
        if (opt >= OPT_EXTRA && opt < OPT_EXTRA + (int) n_extra) {
            if (take_extra(o, &extra[opt - OPT_EXTRA], optarg) != WS_EXIT_OK)
                return WS_EXIT_USAGE;
            continue;
        }
        if (group != 0 && (group & groups) == 0) {
            fprintf(stderr,
                    "%s: option '--%s' belongs to a stage this lesson does not reach "
                    "(it is introduced in %s) (try '%s --help')\n",
                    o->program, longopts[opt - OPT_HOST].name, group_lesson(group), o->program);
            return WS_EXIT_USAGE;
        }
        switch (opt) {
        case OPT_HOST:
            if (strlen(optarg) > OPTIONS_MAX_NAME)
                return options_usage_error(o, "--host is longer than %d characters", OPTIONS_MAX_NAME);
            o->host = optarg;
            host_given = 1;
            break;
        case OPT_PORT:
            if (parse_number(optarg, o->is_server ? 0 : 1, 65535, &n) != 0)
                return options_usage_error(
                    o, "--port '%s' is not a port number (1-65535, or 0 for the server)", optarg);
            o->port = optarg;
            break;
        case OPT_SERVERNAME:
            if (strlen(optarg) > OPTIONS_MAX_NAME)
                return options_usage_error(o, "--servername is longer than %d characters", OPTIONS_MAX_NAME);
            o->servername = optarg;
            break;
        case OPT_CA:
            o->ca_file = optarg;
            break;
        case OPT_CRL:
            o->crl_file = optarg;
            break;
        case OPT_CERT:
            o->cert_file = optarg;
            cert_given = 1;
            break;
        case OPT_KEY:
            o->key_file = optarg;
            key_given = 1;
            break;
        case OPT_CIPHERSUITE: {
            char bad[64];

            if (strcmp(optarg, "help") == 0) {
                list_ciphersuites();
                return WS_EXIT_OK;
            }
            if (options_parse_ciphersuites(optarg, o->ciphersuites, OPTIONS_MAX_CIPHERSUITES, bad,
                                           sizeof(bad)) != 0)
                return options_usage_error(o,
                                           "--ciphersuite: '%s' is not a cipher suite this mbedTLS build "
                                           "supports ('--ciphersuite help' lists them)",
                                           bad);
            break;
        }
        case OPT_GROUPS: {
            char bad[64];

            if (strcmp(optarg, "help") == 0) {
                list_groups();
                return WS_EXIT_OK;
            }
            if (options_parse_groups(optarg, o->tls_groups, OPTIONS_MAX_GROUPS, bad, sizeof(bad)) != 0)
                return options_usage_error(o,
                                           "--groups: '%s' is not a key exchange group this mbedTLS build "
                                           "supports ('--groups help' lists them)",
                                           bad);
            break;
        }
        case OPT_DEBUG:
            if (parse_number(optarg, 0, 4, &n) != 0)
                return options_usage_error(o, "--debug '%s' must be a level from 0 to 4", optarg);
            o->debug_level = (int) n;
            break;
        case OPT_DEBUG_FILE:
            o->debug_file = optarg;
            break;
        case OPT_TRACE:
            o->trace = 1;
            break;
        case OPT_KEYLOG:
            o->keylog_file = optarg;
            break;
        case OPT_TIMEOUT:
            if (parse_number(optarg, 1, 3600000, &n) != 0)
                return options_usage_error(o, "--timeout '%s' must be milliseconds from 1 to 3600000",
                                           optarg);
            o->timeout_ms = (unsigned) n;
            break;
        case OPT_PATH:
            if (optarg[0] != '/' || strpbrk(optarg, " \r\n") != NULL)
                return options_usage_error(o, "--path '%s' must start with '/' and contain no spaces",
                                           optarg);
            if (strlen(optarg) > OPTIONS_MAX_PATH)
                return options_usage_error(o, "--path is longer than %d characters", OPTIONS_MAX_PATH);
            o->path = optarg;
            break;
        case OPT_BIND:
            o->bind_address = optarg;
            break;
        case OPT_REQUIRE_CLIENT_CERT:
            o->require_client_cert = 1;
            break;
        case OPT_MAX_CONNECTIONS:
            if (parse_number(optarg, 1, LONG_MAX, &n) != 0)
                return options_usage_error(o, "--max-connections '%s' must be a positive number", optarg);
            o->max_connections = n;
            break;
        case OPT_THREADS:
            if (parse_number(optarg, 1, 256, &n) != 0)
                return options_usage_error(o, "--threads '%s' must be from 1 to 256", optarg);
            o->threads = (int) n;
            break;
        /* lessons 13-14 */
        case OPT_EVENT_LOOP:
            o->event_loop = 1;
            break;
        case OPT_CONNECTIONS:
            if (parse_number(optarg, 1, OPTIONS_MAX_CONNECTIONS, &n) != 0)
                return options_usage_error(o, "--connections '%s' must be from 1 to %d", optarg,
                                           OPTIONS_MAX_CONNECTIONS);
            o->connections = (int) n;
            break;
        case OPT_MAX_FRAG_LEN:
            /* The extension knows only these four sizes (RFC 6066). */
            if (parse_number(optarg, 512, 4096, &n) != 0 || (n != 512 && n != 1024 && n != 2048 && n != 4096))
                return options_usage_error(o, "--max-frag-len '%s' must be 512, 1024, 2048 or 4096", optarg);
            o->max_frag_len = (unsigned) n;
            break;
        case OPT_MTU:
            /* mbedTLS needs room for the record and handshake headers. */
            if (parse_number(optarg, 0, 16384, &n) != 0 || (n != 0 && n < OPTIONS_MIN_MTU))
                return options_usage_error(o, "--mtu '%s' must be 0 (no limit) or from %d to 16384", optarg,
                                           OPTIONS_MIN_MTU);
            o->mtu = (unsigned) n;
            break;
        case OPT_HS_TIMEOUT: {
            unsigned long min, max;
            char tail;

            if (strchr(optarg, '-') != NULL || sscanf(optarg, "%lu,%lu%c", &min, &max, &tail) != 2 ||
                min < 1 || max < min || max > 3600000)
                return options_usage_error(o,
                                           "--hs-timeout '%s' must be MIN,MAX in milliseconds, "
                                           "1 <= MIN <= MAX <= 3600000",
                                           optarg);
            o->hs_timeout_min = (unsigned) min;
            o->hs_timeout_max = (unsigned) max;
            break;
        }
        case OPT_CID:
            o->cid = 1;
            break;
        case OPT_HELP:
            usage(o, summary, extra);
            return WS_EXIT_OK;
        default:
            return options_usage_error(o, "unexpected option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return options_usage_error(o, "unexpected argument '%s'", argv[optind]);
    /* The server has a default pair; replacing only half of it would pair a
     * certificate with somebody else's key. */
    if ((o->cert_file == NULL) != (o->key_file == NULL) || cert_given != key_given)
        return options_usage_error(o, "%s", "--cert and --key go together");
    if (o->servername == NULL)
        o->servername = host_given || !o->datagram ? o->host : "localhost";
    *done = 0;
    return WS_EXIT_OK;
}
