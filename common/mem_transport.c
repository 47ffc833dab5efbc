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

#include "dtls_record.h"

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
    struct mem_datagrams *g = &t->dgram;

    for (int side = 0; side < 2; side++) {
        t->bytes[side] = 0;
        t->flights[side] = 0;
        g->sent[side] = g->dropped[side] = g->delivered[side] = 0;
        g->resent_bytes[side] = 0;
        memset(&g->records[side], 0, sizeof(g->records[side]));
    }
    memset(g->flight_datagrams, 0, sizeof(g->flight_datagrams));
    memset(t->flight_bytes, 0, sizeof(t->flight_bytes));
    t->last_sender = -1;
}

/* Drop every datagram still on its way. */
static void empty_queues(struct mem_datagrams *g)
{
    for (int side = 0; side < 2; side++) {
        for (size_t i = 0; i < g->count[side]; i++)
            free(g->queue[side][i].data);
        g->count[side] = 0;
    }
}

void mem_transport_reset(struct mem_transport *t)
{
    for (int side = 0; side < 2; side++)
        t->pipe[side].len = t->pipe[side].pos = 0;
    empty_queues(&t->dgram);
    t->dgram.now_ms = 0;
    mem_transport_reset_counters(t);
}

void mem_transport_use_datagrams(struct mem_transport *t, const struct lossy_params *link)
{
    struct mem_datagrams *g = &t->dgram;

    g->on = 1;
    memset(&g->link, 0, sizeof(g->link));
    if (link != NULL)
        g->link = *link;
    for (int side = 0; side < 2; side++)
        lossy_stream_init(&g->stream[side], g->link.seed, (unsigned) side);
    mem_transport_reset(t);
}

double mem_transport_now(void *t)
{
    return ((const struct mem_transport *) t)->dgram.now_ms;
}

double mem_transport_next_arrival(const struct mem_transport *t)
{
    double next = -1;

    for (int side = 0; side < 2; side++)
        for (size_t i = 0; i < t->dgram.count[side]; i++)
            if (next < 0 || t->dgram.queue[side][i].at_ms < next)
                next = t->dgram.queue[side][i].at_ms;
    return next;
}

void mem_transport_advance(struct mem_transport *t, double to_ms)
{
    if (to_ms > t->dgram.now_ms)
        t->dgram.now_ms = to_ms;
}

void mem_transport_free(struct mem_transport *t)
{
    empty_queues(&t->dgram);
    for (int side = 0; side < 2; side++) {
        free(t->pipe[side].data);
        free(t->dgram.queue[side]);
        if (t->fd[side] >= 0)
            close(t->fd[side]);
    }
    mem_transport_init(t);
}

/* A new flight starts whenever the sender changes: that is one trip across
 * the network, the figure that matters on a high-latency link (and, with the
 * bytes of each flight, what bench/link_model.jq turns into time on a link). */
static void count_sent(struct mem_transport *t, enum mem_side side, size_t len)
{
    unsigned long flight;

    t->bytes[side] += len;
    if (t->last_sender != (int) side) {
        t->flights[side]++;
        t->last_sender = (int) side;
    }
    flight = t->flights[0] + t->flights[1];
    if (flight <= MEM_MAX_FLIGHTS)
        t->flight_bytes[flight - 1] += len;
}

/* [resent-bytes] */
/* Has this side sent this record before? A handshake fragment is known by its
 * message_seq and offset, which a retransmission repeats (its record sequence
 * number is new); a DTLS 1.2 handshake has one ChangeCipherSpec and one
 * encrypted handshake message (the Finished) per side. */
static int sent_before(struct mem_sent_records *seen, const struct dtls_record *r)
{
    struct dtls_fragment f;
    size_t pos = 0;
    int again = 0, any = 0;

    if (r->type == DTLS_CT_CHANGE_CIPHER_SPEC) {
        again = seen->change_cipher_spec;
        seen->change_cipher_spec = 1;
        return again;
    }
    if (r->type != DTLS_CT_HANDSHAKE)
        return 0;
    if (r->epoch != 0) {
        again = seen->encrypted_handshake;
        seen->encrypted_handshake = 1;
        return again;
    }
    while (dtls_fragment_next(r, &pos, &f) == 1) {
        uint32_t key = ((uint32_t) f.msg_seq << 24) | (f.frag_offset & 0xFFFFFF);
        size_t i;

        any = 1;
        for (i = 0; i < seen->n_fragments && seen->fragments[i] != key; i++)
            ;
        if (i < seen->n_fragments)
            again = 1;
        else if (seen->n_fragments < MEM_MAX_FRAGMENTS)
            seen->fragments[seen->n_fragments++] = key;
    }
    return any && again;
}
/* [resent-bytes] */

static void count_datagram(struct mem_transport *t, enum mem_side side, const unsigned char *buf, size_t len)
{
    struct mem_datagrams *g = &t->dgram;
    struct dtls_record r;
    size_t pos = 0, start = 0;
    unsigned long flight;

    g->sent[side]++;
    while (dtls_record_next(buf, len, &pos, 0, &r) == 1) {
        if (sent_before(&g->records[side], &r))
            g->resent_bytes[side] += pos - start;
        start = pos;
    }
    flight = t->flights[0] + t->flights[1]; /* count_sent() has counted this one */
    if (flight >= 1 && flight <= MEM_MAX_FLIGHTS)
        g->flight_datagrams[flight - 1]++;
}

/* Queue a datagram on the link, after its fate: lost, or arriving later (perhaps twice). */
static int send_datagram(struct mem_transport *t, enum mem_side side, const unsigned char *buf, size_t len)
{
    struct mem_datagrams *g = &t->dgram;
    struct lossy_verdict v;
    int copies;

    count_sent(t, side, len);
    count_datagram(t, side, buf, len);
    lossy_decide(&g->link, &g->stream[side], &v);
    if (v.drop) {
        g->dropped[side]++;
        return (int) len;
    }
    for (copies = v.duplicate ? 2 : 1; copies > 0; copies--) {
        struct mem_datagram *d;

        if (g->count[side] == g->cap[side]) {
            size_t cap = g->cap[side] ? 2 * g->cap[side] : 16;
            struct mem_datagram *grown = realloc(g->queue[side], cap * sizeof(*grown));

            if (grown == NULL)
                return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
            g->queue[side] = grown;
            g->cap[side] = cap;
        }
        d = &g->queue[side][g->count[side]];
        d->data = malloc(len ? len : 1);
        if (d->data == NULL)
            return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
        memcpy(d->data, buf, len);
        d->len = len;
        d->at_ms = g->now_ms + v.delay_ms;
        g->count[side]++;
    }
    return (int) len;
}

/* The oldest datagram of the peer's that has arrived, whole (cut to @p len, as recv() cuts). */
static int recv_datagram(struct mem_transport *t, enum mem_side side, unsigned char *buf, size_t len)
{
    struct mem_datagrams *g = &t->dgram;
    enum mem_side peer = side == MEM_CLIENT ? MEM_SERVER : MEM_CLIENT;
    size_t best = 0;

    for (size_t i = 1; i < g->count[peer]; i++)
        if (g->queue[peer][i].at_ms < g->queue[peer][best].at_ms)
            best = i;
    if (g->count[peer] == 0 || g->queue[peer][best].at_ms > g->now_ms)
        return MBEDTLS_ERR_SSL_WANT_READ;
    {
        struct mem_datagram d = g->queue[peer][best];

        memmove(&g->queue[peer][best], &g->queue[peer][best + 1],
                (g->count[peer] - best - 1) * sizeof(g->queue[peer][0]));
        g->count[peer]--;
        if (len > d.len)
            len = d.len;
        memcpy(buf, d.data, len);
        free(d.data);
        g->delivered[side]++;
        return (int) len;
    }
}

int mem_transport_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    (void) timeout;
    return mem_transport_recv(ctx, buf, len);
}

int mem_transport_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct mem_endpoint *end = ctx;
    struct mem_transport *t = end->transport;
    struct mem_pipe *p = &t->pipe[end->side];

    if (t->dgram.on)
        return send_datagram(t, end->side, buf, len);

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

    if (t->dgram.on)
        return recv_datagram(t, end->side, buf, len);
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
