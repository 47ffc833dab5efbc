/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file https_get.c
 * @brief One HTTPS GET on the lessons' stages, checked as lesson 06 would (see https_get.h).
 */
#include "https_get.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "stages.h"

/** @brief The socket as this connection sees it: bytes counted, reads slowed down on request. */
struct wire {
    mbedtls_net_context *net; /**< the socket */
    size_t received;          /**< bytes received so far */
    int slow;                 /**< read at most 256 bytes at a time, 10 ms apart */
};

static int wire_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct wire *w = ctx;

    return mbedtls_net_send(w->net, buf, len);
}

static int wire_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct wire *w = ctx;
    int ret;

    if (w->slow) {
        poll(NULL, 0, 10);
        if (len > 256)
            len = 256;
    }
    ret = mbedtls_net_recv_timeout(w->net, buf, len, timeout);
    if (ret > 0)
        w->received += (size_t) ret;
    return ret;
}

/* Read the whole answer, keeping its start in @p head; 0 once the server's close_notify came,
 * or a negative mbedTLS error (MBEDTLS_ERR_SSL_CONN_EOF when the connection just stopped). */
static int read_answer(mbedtls_ssl_context *ssl, char *head, size_t head_size)
{
    unsigned char rest[4096];
    size_t got = 0;
    int ret;

    do {
        if (got + 1 < head_size)
            ret = tls_read_some(ssl, (unsigned char *) head + got, head_size - 1 - got);
        else
            ret = tls_read_some(ssl, rest, sizeof(rest)); /* beyond what we check */
        if (ret > 0 && got + 1 < head_size)
            got += (size_t) ret;
    } while (ret > 0);
    head[got] = '\0';
    return ret;
}

/* The request, the answer, its checks (the handshake is done). */
static const char *request_and_answer(struct https_get *g, mbedtls_ssl_context *ssl, mbedtls_net_context *net)
{
    char request[1024];
    int len = snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
                       g->path, g->servername);
    int ret;

    if (len < 0 || (size_t) len >= sizeof(request))
        return "the request does not fit";
    ret = tls_write_all(ssl, (const unsigned char *) request, (size_t) len);
    if (ret != 0) {
        report_mbedtls_error("read-write", "mbedtls_ssl_write", ret);
        return report_first_error();
    }
    if (g->reset_after_request) {
        /* Linger 0: close() sends a TCP reset, as a crashing client would. */
        struct linger hard = {.l_onoff = 1, .l_linger = 0};

        setsockopt(COMPAT_NET_FD(net), SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
        return NULL;
    }
    ret = read_answer(ssl, g->head, sizeof(g->head));
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF)
        return "the server closed without close_notify: the answer may have been cut (lesson 06)";
    if (ret < 0) {
        report_mbedtls_error("read-write", "mbedtls_ssl_read", ret);
        return report_first_error();
    }
    if (strncmp(g->head, "HTTP/1.1 200 ", 13) != 0)
        return "the response check failed (no HTTP/1.1 200)";
    /* A TLS 1.3 ticket came during the read loop; a TLS 1.2 session is known since the handshake. */
    if (g->keep != NULL)
        g->kept = mbedtls_ssl_get_session(ssl, g->keep) == 0;
    if (stage_close_notify(ssl) != WS_EXIT_OK)
        return report_first_error();
    return NULL;
}

const char *https_get(struct https_get *g)
{
    mbedtls_ssl_context ssl;
    mbedtls_net_context net;
    struct wire w = {.net = &net, .received = 0, .slow = g->slow};
    const char *failure = NULL;
    double start = now_ms();
    int ret;

    /* Lesson 01's rule for this connection's two contexts: initialise first, so that the
     * cleanup below is safe whatever failed. */
    mbedtls_ssl_init(&ssl);
    mbedtls_net_init(&net);
    report_clear_first_error();
    g->head[0] = '\0';
    g->handshake_bytes = 0;
    g->handshake_ms = 0;
    g->kept = 0;
    if (stage_connect_tcp(&net, g->host, g->port) != WS_EXIT_OK ||
        stage_attach(&ssl, g->conf, &net, g->servername) != WS_EXIT_OK) {
        failure = report_first_error();
        goto done;
    }
    mbedtls_ssl_set_bio(&ssl, &w, wire_send, NULL, wire_recv);
    if (g->offer != NULL && (ret = mbedtls_ssl_set_session(&ssl, g->offer)) != 0) {
        report_mbedtls_error("resume", "mbedtls_ssl_set_session", ret);
        failure = report_first_error();
        goto done;
    }
    if (stage_handshake(&ssl) != WS_EXIT_OK) {
        failure = report_first_error();
        goto done;
    }
    g->handshake_bytes = w.received;
    g->handshake_ms = now_ms() - start;
    failure = request_and_answer(g, &ssl, &net);

done:
    /* Lesson 07's order: the TLS context before the socket. */
    mbedtls_ssl_free(&ssl);
    mbedtls_net_free(&net);
    return failure;
}
