/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file mem_transport.c
 * @brief In-memory (or loopback socket) connection with byte and flight counts.
 */
#include "mem_transport.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sockets are optional: a board without an operating system (the
 * microcontroller lab, mcu/) has only the memory pipes. */
#if defined(__has_include)
#if __has_include(<sys/socket.h>)
#define MEM_TRANSPORT_SOCKETS 1
#endif
#else
#define MEM_TRANSPORT_SOCKETS 1
#endif
#if defined(MEM_TRANSPORT_SOCKETS)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

#include <mbedtls/ssl.h>

void mem_transport_init(struct mem_transport *t)
{
    memset(t, 0, sizeof(*t));
    for (int side = 0; side < 2; side++) {
        t->end[side].transport = t;
        t->end[side].side = (enum mem_side) side;
        t->fd[side] = -1;
    }
    t->last_sender = -1;
}

void mem_transport_use_sockets(struct mem_transport *t, int client_fd, int server_fd)
{
    t->fd[MEM_CLIENT] = client_fd;
    t->fd[MEM_SERVER] = server_fd;
}

#if defined(MEM_TRANSPORT_SOCKETS)
/* Non-blocking, so that a receive with nothing pending returns at once and the
 * single-threaded loop can let the other side run; no Nagle, so small
 * handshake messages are not held back. */
static int prepare_socket(int fd)
{
    int one = 1;
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int mem_transport_open_tcp(struct mem_transport *t)
{
    struct sockaddr_in addr;
    socklen_t addr_len = sizeof(addr);
    int listener = -1, client = -1, server = -1;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0; /* let the system pick a free port */
    listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof(addr)) != 0 ||
        listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *) &addr, &addr_len) != 0)
        goto fail;
    client = socket(AF_INET, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (struct sockaddr *) &addr, sizeof(addr)) != 0)
        goto fail;
    server = accept(listener, NULL, NULL);
    if (server < 0 || prepare_socket(client) != 0 || prepare_socket(server) != 0)
        goto fail;
    close(listener);
    mem_transport_use_sockets(t, client, server);
    return 0;

fail:
    if (server >= 0)
        close(server);
    if (client >= 0)
        close(client);
    if (listener >= 0)
        close(listener);
    return -1;
}
#else
int mem_transport_open_tcp(struct mem_transport *t)
{
    (void) t;
    errno = ENOSYS;
    return -1;
}
#endif

void mem_transport_reset_counters(struct mem_transport *t)
{
    for (int side = 0; side < 2; side++) {
        t->bytes[side] = 0;
        t->flights[side] = 0;
    }
    t->last_sender = -1;
}

void mem_transport_reset(struct mem_transport *t)
{
    for (int side = 0; side < 2; side++)
        t->pipe[side].len = t->pipe[side].pos = 0;
    mem_transport_reset_counters(t);
}

void mem_transport_free(struct mem_transport *t)
{
    for (int side = 0; side < 2; side++) {
        free(t->pipe[side].data);
        if (t->fd[side] >= 0)
            close(t->fd[side]);
    }
    mem_transport_init(t);
}

/* A new flight starts whenever the sender changes: that is one trip across
 * the network, the figure that matters on a high-latency link. */
static void count_sent(struct mem_transport *t, enum mem_side side, size_t len)
{
    t->bytes[side] += len;
    if (t->last_sender != (int) side) {
        t->flights[side]++;
        t->last_sender = (int) side;
    }
}

int mem_transport_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct mem_endpoint *end = ctx;
    struct mem_transport *t = end->transport;
    struct mem_pipe *p = &t->pipe[end->side];

#if defined(MEM_TRANSPORT_SOCKETS)
    if (t->fd[end->side] >= 0) {
        ssize_t n = send(t->fd[end->side], buf, len, MSG_NOSIGNAL);
        if (n < 0)
            return (errno == EAGAIN || errno == EWOULDBLOCK) ? MBEDTLS_ERR_SSL_WANT_WRITE
                                                             : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
        count_sent(t, end->side, (size_t) n);
        return (int) n;
    }
#endif
    /* Drop what the peer has already read before growing the buffer. */
    if (p->pos == p->len)
        p->pos = p->len = 0;
    if (p->len + len > p->cap) {
        size_t cap = p->cap ? p->cap : 4096;
        unsigned char *grown;
        while (cap < p->len + len)
            cap *= 2;
        grown = realloc(p->data, cap);
        if (grown == NULL)
            return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
        p->data = grown;
        p->cap = cap;
    }
    memcpy(p->data + p->len, buf, len);
    p->len += len;
    count_sent(t, end->side, len);
    return (int) len;
}

int mem_transport_recv(void *ctx, unsigned char *buf, size_t len)
{
    struct mem_endpoint *end = ctx;
    struct mem_transport *t = end->transport;
    enum mem_side peer = end->side == MEM_CLIENT ? MEM_SERVER : MEM_CLIENT;
    struct mem_pipe *p = &t->pipe[peer];
    size_t avail;

#if defined(MEM_TRANSPORT_SOCKETS)
    if (t->fd[end->side] >= 0) {
        ssize_t n = recv(t->fd[end->side], buf, len, 0);
        if (n < 0)
            return (errno == EAGAIN || errno == EWOULDBLOCK) ? MBEDTLS_ERR_SSL_WANT_READ
                                                             : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
        if (n == 0)
            return MBEDTLS_ERR_SSL_CONN_EOF;
        return (int) n;
    }
#endif
    avail = p->len - p->pos;
    if (avail == 0)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (len > avail)
        len = avail;
    memcpy(buf, p->data + p->pos, len);
    p->pos += len;
    return (int) len;
}
