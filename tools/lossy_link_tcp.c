/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lossy_link_tcp.c
 * @brief The lossy link's TCP mode: every connection is relayed to the server, each direction's
 *        bytes arriving `--delay` (plus up to `--jitter`) after they were sent.
 *
 * Bytes keep their order: a chunk read at time t leaves at t + delay, or after the chunk before it,
 * whichever is later. An end of stream travels with the same delay (as a half close), so a client
 * sees the server's close_notify and FIN when a real network would deliver them. With `--delay
 * 150ms` a TLS 1.2 handshake, two round trips, takes at least 600 ms more; TLS 1.3, one round trip,
 * 300 ms more.
 *
 * With `--rate`, each direction is also a link of that rate: a chunk goes onto it when the chunks
 * before it have gone, takes its bytes (plus 40 bytes of TCP/IP headers per 1460-byte segment) at
 * that rate, and arrives `--delay` after its last byte left. With `--tcp-handshake`, the client's
 * first chunk waits one more round trip: loopback completes connect() at once, a real link after
 * the SYN and the SYN-ACK have crossed. The link runs TCP on loopback at both ends, so TCP's own
 * slow start is not part of it.
 *
 * Every line carries the time since the client connected: when a chunk was read and how long it
 * is held ("[1] > 517 bytes at +0.3 ms: delayed 300 ms"), and when it was handed on ("[1] > 517
 * bytes delivered at +300.4 ms, 0.1 ms late"): bench/link_validate.sh reads them.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "clock.h"
#include "lossy_link.h"

#define MAX_CONNS 32   /**< connections relayed at once */
#define MAX_CHUNKS 256 /**< chunks on their way, per direction */
#define CHUNK 16384    /**< bytes read at once */
#define MSS 1460       /**< TCP payload per segment on a 1500-byte MTU */
#define HEADERS 40     /**< IPv4 and TCP headers per segment */

enum { C2S = 0, S2C = 1 };

struct chunk {
    double at;        /* when it may leave */
    size_t len, sent; /* len 0: the end of the stream */
    unsigned char *data;
};

/* One direction of one connection: a queue of chunks in order. */
struct way {
    struct chunk q[MAX_CHUNKS];
    int head, count;
    int eof_read;   /* the sender closed: nothing more to read */
    int eof_sent;   /* ... and that end has been passed on */
    double last_at; /* when the last chunk leaves, to keep the order */
    double busy;    /* with --rate: when the link has sent the last byte queued */
    unsigned long chunks, bytes;
};

struct conn {
    int in_use;
    unsigned long id;
    double start; /* when the client connected: every line's time is counted from it */
    int fd[2];    /* fd[C2S]: the client's socket (we read it); fd[S2C]: the server's */
    struct way way[2];
    struct lossy_stream stream[2];
};

static struct conn conns[MAX_CONNS];

/* Non-blocking, and without Nagle's algorithm: a chunk goes out when the link says so, not when
 * the loopback peer's delayed ACK lets the kernel send it (up to 40 ms later). */
static void nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL), one = 1;

    if (flags >= 0)
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void conn_close(const struct link_options *o, struct conn *c)
{
    (void) o;
    link_say("[%lu] closed: > %lu bytes in %lu chunks, < %lu bytes in %lu chunks", c->id, c->way[C2S].bytes,
             c->way[C2S].chunks, c->way[S2C].bytes, c->way[S2C].chunks);
    for (int d = 0; d < 2; d++) {
        for (int i = 0; i < c->way[d].count; i++)
            free(c->way[d].q[(c->way[d].head + i) % MAX_CHUNKS].data);
        close(c->fd[d]);
    }
    c->in_use = 0;
}

static void accept_one(const struct link_options *o, int listen_fd, const struct sockaddr_storage *target,
                       socklen_t target_len, unsigned long *next_id)
{
    int down = accept(listen_fd, NULL, NULL), up, slot = -1;
    char name[64] = "?";

    if (down < 0)
        return;
    for (int i = 0; i < MAX_CONNS && slot < 0; i++)
        if (!conns[i].in_use)
            slot = i;
    address_of_socket(down, ADDRESS_PEER, name, sizeof(name));
    up = slot < 0 ? -1 : socket(target->ss_family, SOCK_STREAM, 0);
    if (up < 0 || connect(up, (const struct sockaddr *) target, target_len) != 0) {
        link_say("[-] %s: %s", name, slot < 0 ? "too many connections, closed" : strerror(errno));
        if (up >= 0)
            close(up);
        close(down);
        return;
    }
    nonblocking(down);
    nonblocking(up);
    memset(&conns[slot], 0, sizeof(conns[slot]));
    conns[slot].in_use = 1;
    conns[slot].id = ++*next_id;
    conns[slot].start = now_ms();
    conns[slot].fd[C2S] = down;
    conns[slot].fd[S2C] = up;
    lossy_stream_init(&conns[slot].stream[C2S], o->link.seed, 2 * (unsigned) conns[slot].id + C2S);
    lossy_stream_init(&conns[slot].stream[S2C], o->link.seed, 2 * (unsigned) conns[slot].id + S2C);
    link_say("[%lu] new connection from %s, relayed to %s:%s", conns[slot].id, name, o->to_host, o->to_port);
}

/* Read what one side sent and queue it, due after the delay. */
static void read_side(const struct link_options *o, struct conn *c, int d)
{
    struct way *w = &c->way[d];
    unsigned char buf[CHUNK];
    struct lossy_verdict v;
    struct chunk *k;
    double read_at, leaves, on_wire_ms = 0, handshake_ms = 0;
    char why[96] = "";
    ssize_t n;

    if (w->eof_read || w->count == MAX_CHUNKS)
        return;
    n = recv(c->fd[d], buf, sizeof(buf), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    lossy_decide(&o->link, &c->stream[d], &v); /* only the delay applies to TCP */
    read_at = now_ms();
    k = &w->q[(w->head + w->count) % MAX_CHUNKS];
    k->len = n > 0 ? (size_t) n : 0;
    /* On a link of --rate, the chunk's bytes and headers leave one after the other, after those
     * queued before them; the chunk arrives a delay after its last byte. */
    leaves = read_at;
    if (o->rate_kbit > 0 && k->len > 0) {
        size_t segments = (k->len + MSS - 1) / MSS;

        on_wire_ms = (double) (k->len + HEADERS * segments) * 8 / o->rate_kbit;
        leaves = (w->busy > read_at ? w->busy : read_at) + on_wire_ms;
        w->busy = leaves;
    }
    if (d == C2S && o->tcp_handshake && w->chunks == 0 && n > 0)
        handshake_ms = 2 * o->link.delay_ms; /* the SYN and SYN-ACK loopback skipped */
    k->at = leaves + handshake_ms + v.delay_ms;
    if (k->at < w->last_at)
        k->at = w->last_at;
    w->last_at = k->at;
    k->sent = 0;
    k->data = NULL;
    if (n > 0) {
        k->data = malloc((size_t) n);
        if (k->data == NULL)
            return;
        memcpy(k->data, buf, (size_t) n);
        w->chunks++;
        w->bytes += (unsigned long) n;
    } else {
        w->eof_read = 1; /* end of stream, or an error: passed on as a half close */
    }
    w->count++;
    if (o->quiet)
        return;
    if (on_wire_ms > 0)
        snprintf(why, sizeof(why), " (%.1f ms at %g kbit/s%s)", on_wire_ms, o->rate_kbit,
                 handshake_ms > 0 ? ", a round trip for the TCP handshake" : "");
    else if (handshake_ms > 0)
        snprintf(why, sizeof(why), " (a round trip for the TCP handshake)");
    link_say("[%lu] %c %zu bytes%s at +%.1f ms: delayed %.1f ms%s", c->id, d == C2S ? '>' : '<', k->len,
             n > 0 ? "" : " (end of stream)", read_at - c->start, k->at - read_at, why);
}

/* Send every chunk whose time has come, in order, saying when each went. */
static void write_side(const struct link_options *o, struct conn *c, int d, double now)
{
    struct way *w = &c->way[d];
    int to = c->fd[d == C2S ? S2C : C2S];

    while (w->count > 0) {
        struct chunk *k = &w->q[w->head];

        if (k->at > now)
            return;
        if (k->len == 0) {
            shutdown(to, SHUT_WR);
            w->eof_sent = 1;
        } else {
            ssize_t n = send(to, k->data + k->sent, k->len - k->sent, MSG_NOSIGNAL);

            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (n < 0) { /* the receiver is gone: so is the rest of this way */
                w->eof_read = w->eof_sent = 1;
            } else if ((k->sent += (size_t) n) < k->len) {
                return;
            }
            if (!o->quiet) {
                double t = now_ms();

                link_say("[%lu] %c %zu bytes delivered at +%.1f ms, %.1f ms late", c->id,
                         d == C2S ? '>' : '<', k->len, t - c->start, t - k->at);
            }
        }
        free(k->data);
        w->head = (w->head + 1) % MAX_CHUNKS;
        w->count--;
    }
}

int link_run_tcp(const struct link_options *o)
{
    struct sockaddr_storage target;
    socklen_t target_len;
    unsigned long next_id = 0;
    int listen_fd;

    if (link_resolve_target(o, SOCK_STREAM, &target, &target_len) != 0)
        return 3;
    listen_fd = link_bind(o, SOCK_STREAM);
    if (listen_fd < 0)
        return 3;
    while (!link_stop) {
        struct pollfd fds[1 + 2 * MAX_CONNS];
        int who[1 + 2 * MAX_CONNS], n = 1, timeout = 200;
        double now = now_ms();

        fds[0] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
        for (int i = 0; i < MAX_CONNS; i++) {
            if (!conns[i].in_use)
                continue;
            for (int d = 0; d < 2; d++) {
                struct way *w = &conns[i].way[d];

                if (w->count > 0) {
                    int wait = w->q[w->head].at <= now ? 1 : (int) (w->q[w->head].at - now) + 1;

                    timeout = wait < timeout ? wait : timeout;
                }
                who[n] = 2 * i + d;
                /* Nothing to read any more, or no room to queue it: do not poll it. */
                fds[n++] = (struct pollfd){.fd = w->eof_read || w->count == MAX_CHUNKS ? -1 : conns[i].fd[d],
                                           .events = POLLIN};
            }
        }
        if (poll(fds, (nfds_t) n, timeout) > 0) {
            if (fds[0].revents & POLLIN)
                accept_one(o, listen_fd, &target, target_len, &next_id);
            for (int i = 1; i < n; i++)
                if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                    read_side(o, &conns[who[i] / 2], who[i] % 2);
        }
        now = now_ms();
        for (int i = 0; i < MAX_CONNS; i++) {
            if (!conns[i].in_use)
                continue;
            write_side(o, &conns[i], C2S, now);
            write_side(o, &conns[i], S2C, now);
            if (conns[i].way[C2S].eof_sent && conns[i].way[S2C].eof_sent)
                conn_close(o, &conns[i]);
        }
    }
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].in_use)
            conn_close(o, &conns[i]);
    close(listen_fd);
    return 0;
}
