/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file close_server.c
 * @brief A TLS server for the tests that completes the handshake, reads the
 *        request, and then ends the connection wrongly: close_notify without
 *        any answer, or (--cut) an answer and no close_notify.
 *
 * Usage: close_server [--cut] CHAIN KEY
 *
 * It listens on a free loopback port, prints "listening on 127.0.0.1:PORT",
 * accepts one client (waiting at most 20 seconds for it), performs a normal
 * handshake with the certificate chain CHAIN and the private key KEY, reads
 * the client's HTTP request head, and sends close_notify without a single
 * byte of response. A client must not mistake that for an (empty) answer.
 * At the end it prints one line, e.g. "close_server: handshake done, read 58
 * bytes of request, sent close_notify and no response".
 *
 * With --cut it answers "HTTP/1.1 200 OK" with a complete body instead, and
 * then closes the TCP connection without close_notify: to the client that
 * looks exactly like an attacker cutting the connection (lesson 06), and it
 * must not count it as a success. It prints "close_server: handshake done,
 * read N bytes of request, sent a response and no close_notify".
 *
 * Everything TLS comes from the lessons' stages, run without narration:
 * 01-03 as the lesson server runs them, 04's stage_attach() on the accepted
 * socket, 05's handshake, 06's tls_read_some(), 07's close_notify and
 * cleanup. Errors are the stages' one-line reports on stderr.
 *
 * Exit codes: 0 done, 1 usage, 2 setup, 3 no client came or the TLS
 * exchange failed.
 */
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "stages.h"

/** @brief How long the server waits for its one client, in milliseconds. */
#define WAIT_FOR_CLIENT_MS 20000

/** @brief Per-read timeout while the client sends its request. */
#define READ_TIMEOUT_MS 10000

/* Listen on a free loopback port and say which (the tests wait for the line). */
static int listen_on_loopback(mbedtls_net_context *listener)
{
    struct sockaddr_in local;
    socklen_t local_len = sizeof(local);
    int ret = mbedtls_net_bind(listener, "127.0.0.1", "0", MBEDTLS_NET_PROTO_TCP);

    if (ret != 0) {
        report_mbedtls_error("close_server", "mbedtls_net_bind", ret);
        return WS_EXIT_SETUP;
    }
    if (getsockname(COMPAT_NET_FD(listener), (struct sockaddr *) &local, &local_len) != 0) {
        report_error("close_server", "getsockname failed");
        return WS_EXIT_SETUP;
    }
    printf("listening on 127.0.0.1:%u\n", (unsigned) ntohs(local.sin_port));
    return WS_EXIT_OK;
}

/* Read the request head (up to the empty line, at most 4 KiB). Returns its
 * length, or a negative mbedTLS error. */
static int read_request(mbedtls_ssl_context *ssl)
{
    char buf[4096];
    size_t len = 0;

    while (len + 1 < sizeof(buf)) {
        int ret = tls_read_some(ssl, (unsigned char *) buf + len, sizeof(buf) - 1 - len);

        if (ret == 0)
            break; /* the client said goodbye first */
        if (ret < 0)
            return ret;
        len += (size_t) ret;
        buf[len] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL)
            break;
    }
    return (int) len;
}

/* One client: accept, handshake, read, the wrong goodbye. Returns the exit code. */
static int serve_one(struct tls_endpoint *s, mbedtls_net_context *listener, int cut)
{
    static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";
    /* Never wait forever: a test whose client did not come must end. */
    struct pollfd pfd = {.fd = COMPAT_NET_FD(listener), .events = POLLIN};
    int request, ret;

    if (poll(&pfd, 1, WAIT_FOR_CLIENT_MS) <= 0) {
        report_error("close_server", "no client within %d ms", WAIT_FOR_CLIENT_MS);
        return 3;
    }
    ret = mbedtls_net_accept(listener, &s->net, NULL, 0, NULL);
    if (ret != 0) {
        report_mbedtls_error("close_server", "mbedtls_net_accept", ret);
        return 3;
    }
    if (stage_attach(&s->ssl, &s->conf, &s->net, NULL) != WS_EXIT_OK)
        return 2;
    if (stage_handshake(&s->ssl) != WS_EXIT_OK)
        return 3;
    request = read_request(&s->ssl);
    if (request < 0) {
        report_mbedtls_error("read-write", "mbedtls_ssl_read", request);
        return 3;
    }
    if (cut) {
        /* An answer, then the TCP connection closes (stage_cleanup) with no
         * close_notify. */
        ret = tls_write_all(&s->ssl, (const unsigned char *) answer, sizeof(answer) - 1);
        if (ret != 0) {
            report_mbedtls_error("read-write", "mbedtls_ssl_write", ret);
            return 3;
        }
        printf(
            "close_server: handshake done, read %d bytes of request, sent a response and no close_notify\n",
            request);
        return 0;
    }
    /* The point of this peer: goodbye, and no answer at all. */
    if (stage_close_notify(&s->ssl) != WS_EXIT_OK)
        return 3;
    printf("close_server: handshake done, read %d bytes of request, sent close_notify and no response\n",
           request);
    return 0;
}

int main(int argc, char **argv)
{
    static struct tls_endpoint s; /* about 40 KB: off the stack */
    mbedtls_net_context listener;
    struct options o;
    char ca[4096];
    int cut = argc == 4 && strcmp(argv[1], "--cut") == 0;
    int ret;

    if (argc != 3 + cut) {
        fprintf(stderr, "usage: %s [--cut] CHAIN KEY\n", argv[0]);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    report_set_mode(REPORT_ERRORS_ONLY);
    /* What the lesson server would take from its command line. */
    memset(&o, 0, sizeof(o));
    snprintf(ca, sizeof(ca), "%s/ca.pem", options_certs_dir());
    o.ca_file = ca;
    o.cert_file = argv[1 + cut];
    o.key_file = argv[2 + cut];
    o.timeout_ms = READ_TIMEOUT_MS;
    o.is_server = 1;
    mbedtls_net_init(&listener);

    /* Setup: any failure here is exit status 2. */
    ret = stage_prepare(&s, &o, MBEDTLS_SSL_IS_SERVER);
    if (ret == WS_EXIT_OK)
        ret = listen_on_loopback(&listener);
    ret = ret == WS_EXIT_OK ? serve_one(&s, &listener, cut) : 2;

    /* The listener first (nothing uses it), then lesson 07's cleanup: the
     * TLS context before the socket it talks through. */
    mbedtls_net_free(&listener);
    stage_cleanup(&s);
    return ret;
}
