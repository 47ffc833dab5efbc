/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 06_read_write.c
 * @brief Lesson 06: send an HTTP request over TLS and read the response.
 *
 * What you will learn:
 * - mbedtls_ssl_write() may write less than asked: loop until all is sent;
 * - mbedtls_ssl_read() returns what one record held; loop until the peer
 *   closes;
 * - a proper end is MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY (the peer's close_notify
 *   alert); a connection that just stops could have been cut by an attacker
 *   (a truncation attack), so it is reported;
 * - HTTP/1.1 over TLS is plain HTTP inside the encrypted records: the Host
 *   header matters, `Connection: close` asks the server to finish.
 *
 * Run it: start the server (`lessons/08_server &`), then `lessons/06_read_write`
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages.h"

/* [write-all] */
int tls_write_all(mbedtls_ssl_context *ssl, const unsigned char *buf, size_t len)
{
    while (len > 0) {
        int ret = mbedtls_ssl_write(ssl, buf, len);

        if (ret > 0) {
            buf += ret;
            len -= (size_t) ret;
        } else if (!compat_ssl_should_retry(ret)) {
            return ret;
        }
    }
    return 0;
}
/* [write-all] */

/* [read-some] */
int tls_read_some(mbedtls_ssl_context *ssl, unsigned char *buf, size_t len)
{
    for (;;) {
        int ret = mbedtls_ssl_read(ssl, buf, len);

        if (ret > 0)
            return ret;
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            return 0; /* the peer said goodbye properly */
        if (ret == 0)
            return MBEDTLS_ERR_SSL_CONN_EOF; /* TCP closed without close_notify */
        if (!compat_ssl_should_retry(ret))
            return ret;
    }
}
/* [read-some] */

/* The body length an HTTP response announces, or -1. */
static long content_length(const char *response, size_t header_len)
{
    const char *p = response;

    while (p < response + header_len) {
        const char *eol = strstr(p, "\r\n");

        if (eol == NULL)
            break;
        if ((size_t) (eol - p) > 15 && strncasecmp(p, "Content-Length:", 15) == 0)
            return strtol(p + 15, NULL, 10);
        p = eol + 2;
    }
    return -1;
}

int stage_read_write(struct tls_endpoint *s, const struct options *o)
{
    static unsigned char response[64 * 1024];
    char request[1024];
    size_t received = 0;
    int len, ret;

    /* [send-request] */
    len = snprintf(request, sizeof(request),
                   "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mbedtls-workshop\r\n"
                   "Connection: close\r\n\r\n",
                   o->path, o->servername);
    if (len < 0 || (size_t) len >= sizeof(request)) {
        /* options.c limits --path and --servername, so this cannot happen;
         * if it ever did, sending a cut request would be worse than stopping. */
        report_error("read-write", "the request would be longer than %zu bytes", sizeof(request));
        return WS_EXIT_USAGE;
    }
    narrate_begin("Sending GET %s", o->path);
    ret = tls_write_all(&s->ssl, (const unsigned char *) request, (size_t) len);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("read-write", "mbedtls_ssl_write", ret);
        return WS_EXIT_IO;
    }
    narrate_ok("%d bytes", len);
    /* [send-request] */

    /* [read-response] */
    narrate_begin("Reading the response");
    while (received < sizeof(response) - 1) {
        ret = tls_read_some(&s->ssl, response + received, sizeof(response) - 1 - received);
        if (ret <= 0)
            break;
        received += (size_t) ret;
    }
    response[received] = '\0';
    /* [read-response] */

    if (ret < 0 && ret != MBEDTLS_ERR_SSL_CONN_EOF) {
        narrate_failed();
        report_mbedtls_error("read-write", "mbedtls_ssl_read", ret);
        return WS_EXIT_IO;
    }
    if (strncmp((const char *) response, "HTTP/1.", 7) != 0) {
        narrate_failed();
        report_error("read-write",
                     "the server closed the connection without sending an HTTP response "
                     "(%zu bytes received)",
                     received);
        return WS_EXIT_IO;
    }
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF) {
        /* Without close_notify we only know the response is whole if it
         * says how long it is. */
        const char *end = strstr((const char *) response, "\r\n\r\n");
        long want = end ? content_length((const char *) response, (size_t) (end - (char *) response)) : -1;

        if (end == NULL || want < 0 || (size_t) (end + 4 - (char *) response) + (size_t) want > received) {
            narrate_failed();
            report_error("read-write",
                         "the server closed the connection without close_notify and the "
                         "response may be incomplete (%zu bytes received)",
                         received);
            return WS_EXIT_IO;
        }
        narrate_ok("%zu bytes; the server closed without close_notify, but the response is complete",
                   received);
    } else if (received == sizeof(response) - 1) {
        narrate_ok("%zu bytes, the rest not read", received);
    } else {
        narrate_ok("%zu bytes, then the server's close_notify", received);
    }
    printf("\n%s%s", (const char *) response, received > 0 && response[received - 1] != '\n' ? "\n" : "");
    printf("\n");
    return WS_EXIT_OK;
}

#if !defined(LESSON_LIBRARY)
int main(int argc, char **argv)
{
    return lesson_main(argc, argv, STAGE_READ_WRITE,
                       "Lesson 06: send an HTTP request over TLS and print the response.");
}
#endif
