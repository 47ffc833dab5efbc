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
 */
#include <errno.h>
#include <fcntl.h>
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
    unsigned long chunks, bytes;
};

struct conn {
    int in_use;
    unsigned long id;
    int fd[2]; /* fd[C2S]: the client's socket (we read it); fd[S2C]: the server's */
    struct way way[2];
    struct lossy_stream stream[2];
};

static struct conn conns[MAX_CONNS];

static void nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags >= 0)
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
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
    ssize_t n;

    if (w->eof_read || w->count == MAX_CHUNKS)
        return;
    n = recv(c->fd[d], buf, sizeof(buf), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    lossy_decide(&o->link, &c->stream[d], &v); /* only the delay applies to TCP */
    k = &w->q[(w->head + w->count) % MAX_CHUNKS];
    k->at = now_ms() + v.delay_ms;
    if (k->at < w->last_at)
        k->at = w->last_at;
    w->last_at = k->at;
    k->len = n > 0 ? (size_t) n : 0;
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
    if (!o->quiet)
        link_say("[%lu] %c %zu bytes%s: delayed %.0f ms", c->id, d == C2S ? '>' : '<', k->len,
                 n > 0 ? "" : " (end of stream)", k->at - now_ms());
}

/* Send every chunk whose time has come, in order. */
static void write_side(struct conn *c, int d, double now)
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
            write_side(&conns[i], C2S, now);
            write_side(&conns[i], S2C, now);
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
