/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lossy_link_udp.c
 * @brief The lossy link's UDP mode: every datagram meets a seeded fate on its way.
 *
 * Each client (a source address) gets a socket of its own towards the server, so the server sees
 * one address per client, as it would without the link. A datagram's fate is drawn from the
 * stream of its client and direction (common/lossy.h): lost, or sent after its delay; perhaps
 * twice; perhaps held back until the next datagram that way has gone (at most HOLD_MS).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "clock.h"
#include "dtls_record.h"
#include "lossy_link.h"

#define MAX_CLIENTS 32  /**< clients relayed at once */
#define MAX_PENDING 512 /**< datagrams on their way */
#define MAX_DATAGRAM 65536
#define HOLD_MS 500 /**< a reordered datagram waits at most this long for the next one */

enum { C2S = 0, S2C = 1 };

struct client {
    int in_use;
    struct sockaddr_storage addr; /* the client's address */
    socklen_t addr_len;
    int up_fd; /* our socket towards the server, for this client */
    struct lossy_stream stream[2];
    unsigned long seen[2], dropped[2], duplicated[2], reordered[2];
};

struct pending {
    int in_use;
    double at; /* when it arrives */
    int held;  /* reordered: waits for the next datagram of its client and direction */
    int client;
    int dir;
    size_t len;
    unsigned char *data;
};

static struct client clients[MAX_CLIENTS];
static struct pending pending[MAX_PENDING];

static int schedule(int client, int dir, const unsigned char *data, size_t len, double at, int held)
{
    for (int i = 0; i < MAX_PENDING; i++) {
        if (pending[i].in_use)
            continue;
        pending[i].data = malloc(len);
        if (pending[i].data == NULL)
            return -1;
        memcpy(pending[i].data, data, len);
        pending[i] = (struct pending){1, at, held, client, dir, len, pending[i].data};
        return 0;
    }
    return -1;
}

static void deliver(int listen_fd, struct pending *p)
{
    struct client *c = &clients[p->client];

    /* A send that fails (the server's port is closed: ICMP) is what the
     * network would do too: the datagram is gone. */
    if (p->dir == C2S)
        (void) send(c->up_fd, p->data, p->len, 0);
    else
        (void) sendto(listen_fd, p->data, p->len, 0, (struct sockaddr *) &c->addr, c->addr_len);
    free(p->data);
    p->in_use = 0;
}

/* Everything whose time has come; a held datagram goes right after the next
 * one of its client and direction, or alone once HOLD_MS have passed. */
static void release_due(int listen_fd, double now)
{
    for (int i = 0; i < MAX_PENDING; i++) {
        struct pending *p = &pending[i];

        if (!p->in_use || p->held || p->at > now)
            continue;
        deliver(listen_fd, p);
        for (int j = 0; j < MAX_PENDING; j++)
            if (pending[j].in_use && pending[j].held && pending[j].client == p->client &&
                pending[j].dir == p->dir && pending[j].at <= now)
                deliver(listen_fd, &pending[j]);
    }
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i].in_use && pending[i].held && pending[i].at + HOLD_MS <= now)
            deliver(listen_fd, &pending[i]);
}

static double next_release(void)
{
    double next = -1;

    for (int i = 0; i < MAX_PENDING; i++) {
        double at;

        if (!pending[i].in_use)
            continue;
        at = pending[i].held ? pending[i].at + HOLD_MS : pending[i].at;
        if (next < 0 || at < next)
            next = at;
    }
    return next;
}

/* One datagram arrived: decide, say, schedule. */
static void arrived(const struct link_options *o, int client, int dir, const unsigned char *data, size_t len)
{
    struct client *c = &clients[client];
    struct lossy_verdict v;
    char what[400], fate[96];
    unsigned long n = ++c->seen[dir];
    double now = now_ms();

    lossy_decide(&o->link, &c->stream[dir], &v);
    if (v.drop) {
        c->dropped[dir]++;
        snprintf(fate, sizeof(fate), "DROPPED");
    } else {
        int failed = schedule(client, dir, data, len, now + v.delay_ms, v.reorder);

        if (v.duplicate) {
            c->duplicated[dir]++;
            failed |= schedule(client, dir, data, len, now + v.delay_ms, 0);
        }
        c->reordered[dir] += v.reorder;
        snprintf(fate, sizeof(fate), "%s%s",
                 failed        ? "LOST (the link is full)"
                 : v.duplicate ? "DUPLICATED"
                               : "passed",
                 v.reorder ? ", REORDERED (held back behind the next one)" : "");
        if (v.delay_ms > 0) {
            size_t used = strlen(fate);

            snprintf(fate + used, sizeof(fate) - used, ", delayed %.0f ms", v.delay_ms);
        }
    }
    if (!o->quiet) {
        dtls_describe_datagram(data, len, o->cid_len, what, sizeof(what));
        link_say("[%d] %c #%lu, %zu bytes, %s: %s", client + 1, dir == C2S ? '>' : '<', n, len, what, fate);
    }
}

/* The client a datagram came from; a new one gets its own socket towards the server. */
static int client_for(const struct link_options *o, const struct sockaddr_storage *from, socklen_t from_len,
                      const struct sockaddr_storage *target, socklen_t target_len)
{
    int free_slot = -1;

    for (int i = 0; i < MAX_CLIENTS; i++) {
        if (clients[i].in_use && clients[i].addr_len == from_len &&
            memcmp(&clients[i].addr, from, from_len) == 0)
            return i;
        if (!clients[i].in_use && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0) {
        struct client *c = &clients[free_slot];
        char name[64];

        memset(c, 0, sizeof(*c));
        c->up_fd = socket(target->ss_family, SOCK_DGRAM, 0);
        if (c->up_fd < 0 || connect(c->up_fd, (const struct sockaddr *) target, target_len) != 0) {
            fprintf(stderr, "lossy_link: cannot open a socket towards the server: %s\n", strerror(errno));
            if (c->up_fd >= 0)
                close(c->up_fd);
            return -1;
        }
        c->in_use = 1;
        c->addr = *from;
        c->addr_len = from_len;
        lossy_stream_init(&c->stream[C2S], o->link.seed, 2 * (unsigned) free_slot + C2S);
        lossy_stream_init(&c->stream[S2C], o->link.seed, 2 * (unsigned) free_slot + S2C);
        address_format(from, name, sizeof(name));
        link_say("[%d] new client %s", free_slot + 1, name);
    }
    return free_slot;
}

static void summary(void)
{
    for (int i = 0; i < MAX_CLIENTS; i++) {
        const struct client *c = &clients[i];

        if (!c->in_use)
            continue;
        link_say("[%d] summary: > %lu datagrams (%lu dropped, %lu duplicated, %lu reordered), "
                 "< %lu datagrams (%lu dropped, %lu duplicated, %lu reordered)",
                 i + 1, c->seen[C2S], c->dropped[C2S], c->duplicated[C2S], c->reordered[C2S], c->seen[S2C],
                 c->dropped[S2C], c->duplicated[S2C], c->reordered[S2C]);
        close(c->up_fd);
    }
    for (int i = 0; i < MAX_PENDING; i++)
        free(pending[i].in_use ? pending[i].data : NULL);
}

/* One poll over the listening socket and every client's socket (at most
 * timeout ms), then whatever arrived; returns how many sockets had some. */
static int serve_ready(const struct link_options *o, int listen_fd, const struct sockaddr_storage *target,
                       socklen_t target_len, int timeout)
{
    static unsigned char buf[MAX_DATAGRAM];
    struct pollfd fds[1 + MAX_CLIENTS];
    int owner[1 + MAX_CLIENTS], n = 1, ready;

    fds[0] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (clients[i].in_use) {
            owner[n] = i;
            fds[n++] = (struct pollfd){.fd = clients[i].up_fd, .events = POLLIN};
        }
    ready = poll(fds, (nfds_t) n, timeout);
    for (int i = 0; ready > 0 && i < n; i++) {
        struct sockaddr_storage from;
        socklen_t from_len = sizeof(from);
        ssize_t len;

        if (!(fds[i].revents & (POLLIN | POLLERR)))
            continue;
        len = recvfrom(fds[i].fd, buf, sizeof(buf), 0, (struct sockaddr *) &from, &from_len);
        if (len < 0)
            continue; /* e.g. ECONNREFUSED: the server's port is closed; the datagram was lost */
        if (i == 0) {
            int c = client_for(o, &from, from_len, target, target_len);

            if (c >= 0)
                arrived(o, c, C2S, buf, (size_t) len);
        } else {
            arrived(o, owner[i], S2C, buf, (size_t) len);
        }
    }
    return ready;
}

int link_run_udp(const struct link_options *o)
{
    struct sockaddr_storage target;
    socklen_t target_len;
    int listen_fd;

    if (link_resolve_target(o, SOCK_DGRAM, &target, &target_len) != 0)
        return 3;
    listen_fd = link_bind(o, SOCK_DGRAM);
    if (listen_fd < 0)
        return 3;
    while (!link_stop) {
        int timeout = 200;
        double next = next_release(), now = now_ms();

        if (next >= 0)
            timeout = next <= now ? 0 : (int) (next - now) + 1 < 200 ? (int) (next - now) + 1 : 200;
        serve_ready(o, listen_fd, &target, target_len, timeout);
        release_due(listen_fd, now_ms());
    }
    /* Datagrams that had arrived before the signal are part of the story
     * (a client's last close_notify, read or not when a busy machine
     * delivered the signal first): take them in before the summary, but
     * not forever from a peer that keeps sending. */
    for (int round = 0; round < 256 && serve_ready(o, listen_fd, &target, target_len, 0) > 0; round++)
        ;
    summary();
    close(listen_fd);
    return 0;
}
