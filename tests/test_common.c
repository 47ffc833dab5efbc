/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_common.c
 * @brief Unit tests for common/: option parsing, error reports, HTTP heads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>

#include "http.h"
#include "options.h"
#include "report.h"
#include "unit.h"

/* Run options_parse on a NULL-terminated argument list. */
static int parse(unsigned groups, struct options *o, int *done, const char *const *args)
{
    char *argv[32];
    int argc = 0;

    argv[argc++] = (char *) "lessons/06_read_write";
    for (; *args != NULL && argc < 31; args++)
        argv[argc++] = (char *) *args;
    argv[argc] = NULL;
    return options_parse(argc, argv, groups, "test", o, done);
}

/* Capture what fn writes to stderr. */
static void capture_stderr(void (*fn)(void), char *out, size_t len)
{
    FILE *tmp = tmpfile();
    int saved = dup(fileno(stderr));
    size_t n;

    fflush(stderr);
    dup2(fileno(tmp), fileno(stderr));
    fn();
    fflush(stderr);
    dup2(saved, fileno(stderr));
    close(saved);
    rewind(tmp);
    n = fread(out, 1, len - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
}

static void emit_handshake_error(void)
{
    report_mbedtls_error("handshake", "mbedtls_ssl_handshake", MBEDTLS_ERR_X509_CERT_VERIFY_FAILED);
}

static void emit_verify_flags(void)
{
    report_verify_flags("handshake", MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_CN_MISMATCH);
}

static void test_options(void)
{
    const unsigned client = OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT | OPTS_HTTP;
    struct options o;
    int done;

    {
        const char *args[] = {NULL};
        CHECK_EQ_INT(parse(client, &o, &done, args), WS_EXIT_OK);
        CHECK_EQ_INT(done, 0);
        CHECK_STR_EQ(o.host, "localhost");
        CHECK_STR_EQ(o.port, "4433");
        CHECK_STR_EQ(o.servername, "localhost");
        CHECK_STR_EQ(o.program, "06_read_write");
        CHECK(strstr(o.ca_file, "/ca.pem") != NULL);
        CHECK(o.cert_file == NULL && o.key_file == NULL);
        CHECK_EQ_INT(o.timeout_ms, 10000);
        CHECK_EQ_INT(o.ciphersuites[0], 0);
    }
    {
        const char *args[] = {"--host", "example.org", "--port", "443", "--timeout",
                              "250",    "--debug",     "3",      NULL};
        CHECK_EQ_INT(parse(client, &o, &done, args), WS_EXIT_OK);
        CHECK_STR_EQ(o.servername, "example.org"); /* defaults to the host */
        CHECK_EQ_INT(o.timeout_ms, 250);
        CHECK_EQ_INT(o.debug_level, 3);
    }
    {
        const char *args[] = {"--host", "127.0.0.1", "--servername", "localhost", NULL};
        CHECK_EQ_INT(parse(client, &o, &done, args), WS_EXIT_OK);
        CHECK_STR_EQ(o.servername, "localhost");
    }
    {
        const char *args[] = {"--ciphersuite",
                              "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,"
                              "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256",
                              NULL};
        CHECK_EQ_INT(parse(client, &o, &done, args), WS_EXIT_OK);
        CHECK_EQ_INT(o.ciphersuites[0],
                     mbedtls_ssl_get_ciphersuite_id("TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"));
        CHECK_EQ_INT(o.ciphersuites[1],
                     mbedtls_ssl_get_ciphersuite_id("TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"));
        CHECK_EQ_INT(o.ciphersuites[2], 0);
    }
    {
        const char *bad[][3] = {
            {"--bogus", NULL, NULL},      {"--port", "0", NULL},          {"--port", "65536", NULL},
            {"--debug", "5", NULL},       {"--timeout", "ten", NULL},     {"--ciphersuite", "TLS-NOPE", NULL},
            {"--ciphersuite", ",", NULL}, {"--path", "no-slash", NULL},   {"--cert", "x.pem", NULL},
            {"--port", NULL, NULL},       {"stray-argument", NULL, NULL}, {"--bind", "0.0.0.0", NULL}};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            char desc[128];

            snprintf(desc, sizeof(desc), "rejects %s %s", bad[i][0], bad[i][1] ? bad[i][1] : "");
            CHECK_MSG(parse(client, &o, &done, bad[i]) == WS_EXIT_USAGE && done == 1, desc);
        }
    }
    {
        /* Names and paths longer than a request can carry are refused up front. */
        static char long_path[OPTIONS_MAX_PATH + 2], long_name[OPTIONS_MAX_NAME + 2];
        const char *path_args[] = {"--path", long_path, NULL};
        const char *name_args[] = {"--servername", long_name, NULL};

        memset(long_path, 'a', sizeof(long_path) - 1);
        long_path[0] = '/';
        memset(long_name, 'a', sizeof(long_name) - 1);
        CHECK_EQ_INT(parse(client, &o, &done, path_args), WS_EXIT_USAGE);
        CHECK_EQ_INT(parse(client, &o, &done, name_args), WS_EXIT_USAGE);
        long_path[OPTIONS_MAX_PATH] = '\0';
        CHECK_EQ_INT(parse(client, &o, &done, path_args), WS_EXIT_OK);
    }
    {
        /* The server's default certificate and key are replaced together or not at all. */
        const char *args[] = {"--cert", "other-chain.pem", NULL};
        CHECK_EQ_INT(parse(OPTS_CERTS | OPTS_CONFIG | OPTS_SERVER, &o, &done, args), WS_EXIT_USAGE);
    }
    {
        /* A lesson that stops before connecting refuses connection options. */
        const char *args[] = {"--host", "example.org", NULL};
        CHECK_EQ_INT(parse(OPTS_CERTS | OPTS_CONFIG, &o, &done, args), WS_EXIT_USAGE);
    }
    {
        const char *args[] = {"--port", "0", "--require-client-cert", "--max-connections", "3", NULL};
        CHECK_EQ_INT(parse(OPTS_CERTS | OPTS_CONFIG | OPTS_SERVER, &o, &done, args), WS_EXIT_OK);
        CHECK(o.is_server);
        CHECK_STR_EQ(o.port, "0");
        CHECK_STR_EQ(o.bind_address, "127.0.0.1");
        CHECK(o.require_client_cert);
        CHECK_EQ_INT(o.max_connections, 3);
        CHECK(strstr(o.cert_file, "/server-ecdsa-chain.pem") != NULL);
        CHECK(strstr(o.key_file, "/server-ecdsa.key") != NULL);
    }
    {
        const char *args[] = {NULL};
        setenv("WORKSHOP_CERTS_DIR", "/board/certs", 1);
        CHECK_EQ_INT(parse(client, &o, &done, args), WS_EXIT_OK);
        CHECK_STR_EQ(o.ca_file, "/board/certs/ca.pem");
        unsetenv("WORKSHOP_CERTS_DIR");
    }
}

/* options_parse_extra() with a program's own options (lesson 09's mistakes). */
static int parse_extra(const struct extra_option *extra, struct options *o, int *done,
                       const char *const *args)
{
    char *argv[32];
    int argc = 0;

    argv[argc++] = (char *) "lessons/09_mistakes";
    for (; *args != NULL && argc < 31; args++)
        argv[argc++] = (char *) *args;
    argv[argc] = NULL;
    return options_parse_extra(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT, "test", extra, o, done);
}

static void test_extra_options(void)
{
    const char *text, *port, *flag;
    const struct extra_option extra[] = {
        {"mistake", EXTRA_TEXT, "NAME", "one mistake", &text},
        {"closing-port", EXTRA_PORT, "N", "a port", &port},
        {"quiet", EXTRA_SWITCH, NULL, "a switch", &flag},
        {NULL, EXTRA_SWITCH, NULL, NULL, NULL},
    };
    struct options o;
    int done;

    {
        const char *args[] = {"--mistake",      "no-ca", "--port",  "443",
                              "--closing-port", "4435",  "--quiet", NULL};
        text = port = flag = NULL;
        CHECK_EQ_INT(parse_extra(extra, &o, &done, args), WS_EXIT_OK);
        CHECK_EQ_INT(done, 0);
        CHECK_STR_EQ(text, "no-ca");
        CHECK_STR_EQ(port, "4435");
        CHECK_STR_EQ(flag, "1");
        CHECK_STR_EQ(o.port, "443"); /* the shared options still work beside them */
    }
    {
        const char *args[] = {"--host", "example.org", NULL};
        text = port = flag = NULL;
        CHECK_EQ_INT(parse_extra(extra, &o, &done, args), WS_EXIT_OK);
        CHECK(text == NULL && port == NULL && flag == NULL); /* absent: left alone */
    }
    {
        const char *bad[][3] = {{"--closing-port", "0", NULL}, {"--closing-port", "65536", NULL},
                                {"--closing-port", "x", NULL}, {"--closing-port", NULL, NULL},
                                {"--mistake", NULL, NULL},     {"--quiet=1", NULL, NULL},
                                {"--bind", "0.0.0.0", NULL}};
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            char desc[128];

            snprintf(desc, sizeof(desc), "extra options: rejects %s %s", bad[i][0],
                     bad[i][1] ? bad[i][1] : "");
            CHECK_MSG(parse_extra(extra, &o, &done, bad[i]) == WS_EXIT_USAGE && done == 1, desc);
        }
    }
    {
        /* A program without options of its own rejects lesson 09's. */
        const char *args[] = {"--mistake", "no-ca", NULL};
        CHECK_EQ_INT(parse(OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT, &o, &done, args), WS_EXIT_USAGE);
    }
}

static void test_report(void)
{
    char text[1024];

    CHECK_STR_CONTAINS(error_text(MBEDTLS_ERR_SSL_TIMEOUT, text, sizeof(text)), "timed out");
    /* PSA status codes by name (mbedtls_strerror() misreads them), and the
     * pk/pem/asn1 texts in every version (4.0's mbedtls_strerror() lost them). */
    CHECK_STR_CONTAINS(error_text(-134, text, sizeof(text)), "PSA_ERROR_NOT_SUPPORTED");
    CHECK_STR_CONTAINS(error_text(-148, text, sizeof(text)), "PSA_ERROR_INSUFFICIENT_ENTROPY");
    CHECK_STR_EQ(error_text(-0x3E00, text, sizeof(text)), "PK - Read/write of file failed");
    CHECK_STR_EQ(error_text(-0x3D62, text, sizeof(text)),
                 "PK - Invalid key tag or value : ASN1 - ASN1 tag was of an unexpected value");
    CHECK_STR_CONTAINS(error_text(-0x2762, text, sizeof(text)), "X509 - ");
    CHECK_STR_EQ(verify_flag_name(MBEDTLS_X509_BADCERT_EXPIRED), "MBEDTLS_X509_BADCERT_EXPIRED");
    CHECK_STR_EQ(verify_flag_name(MBEDTLS_X509_BADCERT_NOT_TRUSTED), "MBEDTLS_X509_BADCERT_NOT_TRUSTED");
    CHECK(verify_flag_name(0x80000000u) == NULL);

    capture_stderr(emit_handshake_error, text, sizeof(text));
    CHECK_STR_CONTAINS(
        text, "handshake: mbedtls_ssl_handshake failed: -0x2700 X509 - Certificate verification failed");
    CHECK_EQ_INT(strchr(text, '\n') - text + 1, (long long) strlen(text)); /* exactly one line */

    capture_stderr(emit_verify_flags, text, sizeof(text));
    CHECK_STR_CONTAINS(text, "handshake: certificate verification: The certificate validity has expired "
                             "(MBEDTLS_X509_BADCERT_EXPIRED)\n");
    CHECK_STR_CONTAINS(text, "(MBEDTLS_X509_BADCERT_CN_MISMATCH)\n");
}

static void test_http(void)
{
    static const char get[] = "GET /hello?x=1 HTTP/1.1\r\nHost: localhost:4433\r\nUser-Agent: curl/7.88\r\n"
                              "Accept: */*\r\n\r\nBODY";
    struct http_request req;
    char big[HTTP_MAX_HEAD + 10];

    CHECK_EQ_INT(http_parse_request(get, sizeof(get) - 1, &req), HTTP_COMPLETE);
    CHECK_STR_EQ(req.method, "GET");
    CHECK_STR_EQ(req.path, "/hello?x=1");
    CHECK_STR_EQ(req.host, "localhost:4433");
    CHECK_STR_EQ(req.user_agent, "curl/7.88");
    CHECK_EQ_INT(req.minor_version, 1);
    CHECK_EQ_INT(req.head_len, sizeof(get) - 1 - 4);
    /* Every prefix of the head is incomplete, never an error. */
    for (size_t n = 0; n < sizeof(get) - 1 - 4; n++)
        if (http_parse_request(get, n, &req) != HTTP_INCOMPLETE)
            CHECK_MSG(0, "a prefix of a valid head is incomplete");
    CHECK_EQ_INT(http_parse_request("GET / HTTP/1.0\n\n", 16, &req), HTTP_COMPLETE);
    CHECK_EQ_INT(http_parse_request("\x16\x03\x01\x00\x05hello\n\n", 12, &req), HTTP_BAD);
    CHECK_EQ_INT(http_parse_request("GET  HTTP/1.1\r\n\r\n", 17, &req), HTTP_BAD);
    CHECK_EQ_INT(http_parse_request("GET / HTTP/2.0\r\n\r\n", 18, &req), HTTP_BAD);
    CHECK_EQ_INT(http_parse_request("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 27, &req), HTTP_BAD);
    {
        char uri[700];
        int n = snprintf(uri, sizeof(uri), "GET /%0600d HTTP/1.1\r\n\r\n", 0);

        CHECK_EQ_INT(http_parse_request(uri, (size_t) n, &req), HTTP_URI_TOO_LONG);
    }
    memset(big, 'a', sizeof(big));
    CHECK_EQ_INT(http_parse_request(big, sizeof(big), &req), HTTP_TOO_LARGE);
}

int main(void)
{
    test_options();
    test_extra_options();
    test_report();
    test_http();
    return unit_done();
}
