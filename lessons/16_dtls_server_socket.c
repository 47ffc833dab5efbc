/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 16_dtls_server_socket.c
 * @brief The DTLS server's one UDP socket: binding it, the peers' send and receive callbacks on it,
 *        a peer that moves and the summary line.
 *
 * Read it with 16_dtls_server_demux.c, the loop that reads this socket and hands each datagram to
 * its peer. Every peer sends with sendto() to its own address and receives from its inbox, never
 * from the socket: the loop has already read the datagram. None of this is the lesson's subject
 * (16_dtls_server.c is: cookies, one client's TLS, requests); it is what a server on one
 * unconnected socket needs around it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "16_dtls_server.h"
#include "address.h"

/* [server-listen] */
int demux_listen(struct demux *d, mbedtls_net_context *listener, const struct options *o)
{
    char where[96];
    int ret;

    narrate_begin("Binding to udp/%s/%s", o->bind_address, o->port);
    /* One unconnected socket for everyone: recvfrom() says who sent what. */
    ret = mbedtls_net_bind(listener, o->bind_address, o->port, MBEDTLS_NET_PROTO_UDP);
    if (ret == 0)
        ret = mbedtls_net_set_nonblock(listener);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("server", "mbedtls_net_bind", ret);
        return WS_EXIT_NETWORK;
    }
    if (address_of_socket(COMPAT_NET_FD(listener), ADDRESS_LOCAL, where, sizeof(where)) != 0) {
        narrate_failed();
        report_error("server", "getsockname failed");
        return WS_EXIT_NETWORK;
    }
    d->fd = COMPAT_NET_FD(listener);
    narrate_ok(NULL);
    printf("listening on %s\n", where); /* scripts wait for this exact line */
    fflush(stdout);
    return WS_EXIT_OK;
}
/* [server-listen] */

int demux_same_address(const struct sockaddr_storage *a, socklen_t a_len, const struct sockaddr_storage *b,
                       socklen_t b_len)
{
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

int demux_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct peer *p = ctx;
    ssize_t n = sendto(p->fd, buf, len, 0, (const struct sockaddr *) &p->addr, p->addr_len);

    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? MBEDTLS_ERR_SSL_WANT_WRITE
                                                       : MBEDTLS_ERR_NET_SEND_FAILED;
    return (int) n;
}

int demux_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct peer *p = ctx;
    size_t n = p->inbox_len;

    (void) timeout; /* never wait: the loop brings the next datagram */
    if (n == 0)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (n > len)
        n = len; /* the rest of an oversized datagram is lost, as recv() would lose it */
    memcpy(buf, p->inbox, n);
    p->inbox_len = 0;
    return (int) n;
}

int demux_source_moved(const struct peer *p)
{
    return !demux_same_address(&p->addr, p->addr_len, &p->from, p->from_len);
}

void demux_adopt_source(struct peer *p)
{
    p->addr = p->from;
    p->addr_len = p->from_len;
    address_format(&p->addr, p->name, sizeof(p->name));
}

void demux_print_summary(const struct demux *d)
{
    printf("served %lu DTLS session%s: %lu closed by the client, %lu failed, %lu forgotten when idle; "
           "%lu request%s answered; %lu HelloVerifyRequest%s sent, %lu ClientHello%s refused; %lu datagram%s "
           "ignored%s\n",
           d->sessions, d->sessions == 1 ? "" : "s", d->closed, d->failed, d->idle, d->answered,
           d->answered == 1 ? "" : "s", d->hello_verify, d->hello_verify == 1 ? "" : "s", d->refused,
           d->refused == 1 ? "" : "s", d->ignored, d->ignored == 1 ? "" : "s",
           stop_signal_arrived() ? " (stopped by a signal)" : "");
    fflush(stdout);
}
