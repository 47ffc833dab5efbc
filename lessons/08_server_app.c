/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server_app.c
 * @brief The lesson server's HTTP application: read one request over TLS and answer it, with the
 *        pages / (what was negotiated) and /hello (what the client offered).
 *
 * Read it after 08_server.c, which calls app_serve_request() once the handshake is done. The TLS
 * calls here are lesson 06's tls_read_some() and tls_write_all(); the request head is parsed by
 * common/http.c, and the ClientHello that /hello shows was decoded by the connection's tap.
 */
#include <stdio.h>
#include <string.h>

#include "08_server.h"
#include "explain.h"
#include "http.h"

/* The subject of the client's certificate, or "none". */
static void client_subject(const mbedtls_ssl_context *ssl, char *out, size_t len)
{
    snprintf(out, len, "none");
#if defined(MBEDTLS_SSL_KEEP_PEER_CERTIFICATE)
    {
        const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(ssl);

        if (peer != NULL && mbedtls_x509_dn_gets(out, len, &peer->subject) < 0)
            snprintf(out, len, "(unprintable)");
    }
#else
    (void) ssl;
#endif
}

/* Build the HTTP response for one parsed request (or parse failure). The
 * tap is the connection's: its decoder holds the ClientHello for /hello. */
static int build_response(const mbedtls_ssl_context *ssl, const struct trace_bio *tap,
                          const struct http_request *req, int parsed, char *out, size_t cap, int *status)
{
    char body[4096], subject[256];
    const char *reason;
    const char *content_type = "text/plain";
    int body_len = 0, len;

    if (parsed == HTTP_TOO_LARGE) {
        *status = 431, reason = "Request Header Fields Too Large";
        body_len = snprintf(body, sizeof(body), "Request head larger than %d bytes.\n", HTTP_MAX_HEAD);
    } else if (parsed == HTTP_URI_TOO_LONG) {
        *status = 414, reason = "URI Too Long";
        body_len = snprintf(body, sizeof(body), "Paths longer than %zu bytes are not served here.\n",
                            sizeof(req->path) - 1);
    } else if (parsed != HTTP_COMPLETE) {
        *status = 400, reason = "Bad Request";
        body_len = snprintf(body, sizeof(body), "That was not an HTTP/1.x request.\n");
    } else if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        *status = 405, reason = "Method Not Allowed";
        body_len = snprintf(body, sizeof(body), "Only GET and HEAD are served here.\n");
    } else if (strcmp(req->path, "/hello") == 0 && tap != NULL && tap->decoder == NULL) {
        /* The tap could not allocate its decoder (serve_connection()). */
        *status = 503, reason = "Service Unavailable";
        body_len = snprintf(body, sizeof(body),
                            "This connection's ClientHello was not recorded "
                            "(the server ran out of memory); try again.\n");
    } else if (strcmp(req->path, "/hello") == 0 && tap != NULL) {
        /* [server-hello-page] */
        /* "What did my browser send?": the ClientHello the tap decoded.
         * Browsers ask for HTML, curl for anything. */
        int html = strstr(req->accept, "text/html") != NULL;
        size_t room = cap > 512 ? cap - 512 : 0; /* leave room for the headers */

        *status = 200, reason = "OK";
        content_type = html ? "text/html" : "text/plain";
        body_len = (int) explain_client_hello(record_decoder_client_hello(tap->decoder),
                                              record_decoder_server_choice(tap->decoder),
                                              mbedtls_ssl_get_version(ssl), mbedtls_ssl_get_ciphersuite(ssl),
                                              html, body, room < sizeof(body) ? room : sizeof(body));
        /* [server-hello-page] */
    } else if (strcmp(req->path, "/") != 0) {
        *status = 404, reason = "Not Found";
        body_len = snprintf(body, sizeof(body), "Nothing at %s; try / or /hello.\n", req->path);
    } else {
        client_subject(ssl, subject, sizeof(subject));
        *status = 200, reason = "OK";
        body_len = snprintf(body, sizeof(body),
                            "Hello from the mbedTLS workshop lesson server (08_server).\n"
                            "TLS version: %s\n"
                            "Cipher suite: %s\n"
                            "Client certificate: %s\n",
                            mbedtls_ssl_get_version(ssl), mbedtls_ssl_get_ciphersuite(ssl), subject);
    }
    if (body_len < 0 || (size_t) body_len >= sizeof(body))
        body_len = (int) sizeof(body) - 1;
    len = snprintf(out, cap,
                   "HTTP/1.1 %d %s\r\nContent-Type: %s; charset=utf-8\r\n"
                   "Content-Length: %d\r\nConnection: close\r\nServer: mbedtls-workshop\r\n\r\n%.*s",
                   *status, reason, content_type, body_len,
                   (parsed == HTTP_COMPLETE && strcmp(req->method, "HEAD") == 0) ? 0 : body_len, body);
    /* Never claim more than the buffer holds. */
    return len < 0 ? 0 : (size_t) len >= cap ? (int) cap - 1 : len;
}

/* [server-answer] */
/* Look at what has arrived so far. Once it holds a whole request head (or
 * cannot be one), build the answer. Used by both servers: the threaded one
 * reads in a loop below; the event loop (08_server_event_loop.c) calls it
 * after each non-blocking read. */
int app_answer(const mbedtls_ssl_context *ssl, const struct trace_bio *tap, const char *head, size_t have,
               char *response, size_t cap, int *status)
{
    struct http_request req;
    int parsed = http_parse_request(head, have, &req);

    if (parsed == HTTP_INCOMPLETE)
        return 0;
    narrate_begin("Reading the request");
    if (parsed == HTTP_COMPLETE)
        narrate_ok("%s %s", req.method, req.path);
    else
        narrate_ok("not a valid request, answering with an error");
    return build_response(ssl, tap, &req, parsed, response, cap, status);
}
/* [server-answer] */

/* [server-request] */
/* Read one request head and answer it. */
enum connection_outcome app_serve_request(mbedtls_ssl_context *ssl, const struct trace_bio *tap)
{
    char head[HTTP_MAX_HEAD + 1];
    char response[4096];
    size_t have = 0;
    int status, len, ret;

    while ((len = app_answer(ssl, tap, head, have, response, sizeof(response), &status)) == 0) {
        ret = tls_read_some(ssl, (unsigned char *) head + have, HTTP_MAX_HEAD - have);
        if (ret <= 0) {
            narrate_begin("Reading the request");
            narrate_failed();
            if (ret == 0)
                report_error("server", "the client closed the connection before sending a request");
            else
                report_mbedtls_error("server", "mbedtls_ssl_read", ret);
            /* Nothing at all is "no request"; half a request is a broken one. */
            return have == 0 ? OUTCOME_NO_REQUEST : OUTCOME_BROKEN;
        }
        have += (size_t) ret;
    }

    narrate_begin("Sending the response");
    ret = tls_write_all(ssl, (const unsigned char *) response, (size_t) len);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("server", "mbedtls_ssl_write", ret);
        return OUTCOME_BROKEN;
    }
    narrate_ok("%d, %d bytes", status, len);
    return status == 200 ? OUTCOME_ANSWERED : OUTCOME_ANSWERED_ERROR;
}
/* [server-request] */
