/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 16_dtls_server_demux.c
 * @brief The DTLS server's demultiplexer: one UDP socket, many clients, and which datagram
 *        belongs to whom.
 *
 * Read it after 16_dtls_server.c. UDP has no connections: every client's datagrams arrive on the
 * one socket, each with its source address. This loop keeps a small table of peers and hands each
 * datagram to its peer's TLS context: by the connection ID in the record (RFC 9146) when there is
 * one, else by the source address. A datagram from an unknown address is looked at only if it is a
 * ClientHello; anything else is counted and dropped. All of it runs in one thread, so mbedTLS's
 * calls never wait: a peer's receive callback hands over the datagram in its inbox or says "want
 * read", and retransmission timers are checked every tick. The socket itself (binding it, the
 * peers' send and receive callbacks, a peer that moves, the summary line) is
 * 16_dtls_server_socket.c; the stop flag that SIGINT and SIGTERM set is common/stop_signal.c.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "16_dtls_server.h"
#include "address.h"
#include "clock.h"
#include "dtls_record.h"

/** @brief How often peers in a handshake get a turn to check their retransmission timer. */
#define TICK_MS 50

/** @brief Ignored datagrams logged one by one; beyond that they are only counted. */
#define IGNORED_LOGGED 8

/* The peer a datagram belongs to: by connection ID, else by address. */
static struct peer *find_peer(struct demux *d, const unsigned char *dgram, size_t len,
                              const struct sockaddr_storage *from, socklen_t from_len)
{
    struct dtls_record r;
    size_t pos = 0;

    if (d->cid && dtls_record_next(dgram, len, &pos, DTLS_CID_LEN, &r) == 1 && r.type == DTLS_CT_TLS12_CID) {
        for (int i = 0; i < DEMUX_MAX_PEERS; i++)
            if (d->peers[i].in_use && d->peers[i].handshake_done &&
                memcmp(d->peers[i].cid, r.cid, DTLS_CID_LEN) == 0)
                return &d->peers[i];
        return NULL;
    }
    for (int i = 0; i < DEMUX_MAX_PEERS; i++)
        if (d->peers[i].in_use && demux_same_address(&d->peers[i].addr, d->peers[i].addr_len, from, from_len))
            return &d->peers[i];
    return NULL;
}

static void ignore(struct demux *d, const char *from, size_t len, const char *why)
{
    char prefix[80];

    if (d->ignored++ >= IGNORED_LOGGED)
        return;
    snprintf(prefix, sizeof(prefix), "[%s] ", from);
    narrate_set_thread_prefix(prefix);
    narrate_info("ignored a %zu-byte datagram: %s%s", len, why,
                 d->ignored == IGNORED_LOGGED ? " (further ones are only counted)" : "");
    narrate_set_thread_prefix(NULL);
}

/* Lines about a peer start with its tag: "[#3 127.0.0.1:5555] ", or
 * "[127.0.0.1:5555] " before its cookie checked out. */
static void tag_lines(const struct peer *p)
{
    char prefix[96];

    if (p->id != 0)
        snprintf(prefix, sizeof(prefix), "[#%lu %s] ", p->id, p->name);
    else
        snprintf(prefix, sizeof(prefix), "[%s] ", p->name);
    narrate_set_thread_prefix(prefix);
}

/* A peer's turn is over: count how it ended, free its slot. */
static void settle(struct demux *d, struct peer *p, enum peer_state state, demux_end_fn *end, void *ctx)
{
    if (state == PEER_WAITING)
        return;
    if (p->id == 0) /* never got past its cookie: no session */
        ++*(state == PEER_FORGET ? &d->hello_verify : &d->refused);
    else if (state == PEER_FAILED)
        d->failed++;
    else if (state == PEER_IDLE)
        d->idle++;
    else
        d->closed++;
    d->answered += p->requests;
    end(ctx, p);
    p->in_use = 0;
}

/* One datagram from the socket, to its peer. */
static void dispatch(struct demux *d, const unsigned char *dgram, size_t len,
                     const struct sockaddr_storage *from, socklen_t from_len, demux_start_fn *start,
                     demux_serve_fn *serve, demux_end_fn *end, void *ctx)
{
    char name[64];
    struct peer *p = find_peer(d, dgram, len, from, from_len);

    address_format(from, name, sizeof(name));
    if (p == NULL) {
        int slot = -1;

        if (!dtls_is_client_hello(dgram, len)) {
            ignore(d, name, len,
                   d->cid && dgram[0] == DTLS_CT_TLS12_CID
                       ? "its connection ID belongs to no session"
                       : "not a ClientHello, and no session has that address");
            return;
        }
        for (int i = 0; i < DEMUX_MAX_PEERS && slot < 0; i++)
            if (!d->peers[i].in_use)
                slot = i;
        if (slot < 0) {
            ignore(d, name, len, "a ClientHello, but every slot is busy (the client will retry)");
            return;
        }
        p = &d->peers[slot];
        p->in_use = 1;
        p->id = 0;
        p->fd = d->fd;
        p->demux = d;
        p->addr = *from;
        p->addr_len = from_len;
        snprintf(p->name, sizeof(p->name), "%s", name);
        tag_lines(p);
        if (start(ctx, p) != WS_EXIT_OK) {
            settle(d, p, PEER_FAILED, end, ctx);
            narrate_set_thread_prefix(NULL);
            return;
        }
    }
    memcpy(p->inbox, dgram, len);
    p->inbox_len = len;
    p->from = *from;
    p->from_len = from_len;
    p->last_heard_ms = (long long) now_ms();
    tag_lines(p);
    settle(d, p, serve(ctx, p), end, ctx);
    narrate_set_thread_prefix(NULL);
    p->inbox_len = 0; /* a datagram mbedTLS did not take is dropped, as UDP would */
}

/* Every tick: handshakes check their timers; silent peers are forgotten. */
static void tick(struct demux *d, demux_serve_fn *serve, demux_end_fn *end, void *ctx)
{
    long long now = (long long) now_ms();

    for (int i = 0; i < DEMUX_MAX_PEERS; i++) {
        struct peer *p = &d->peers[i];

        if (!p->in_use)
            continue;
        tag_lines(p);
        if (now - p->last_heard_ms > d->idle_ms) {
            narrate_info("no datagram for %u ms: forgetting the session", d->idle_ms);
            settle(d, p, PEER_IDLE, end, ctx);
        } else if (!p->handshake_done) {
            settle(d, p, serve(ctx, p), end, ctx);
        }
        narrate_set_thread_prefix(NULL);
    }
}

/* [demux-loop] */
int demux_run(struct demux *d, demux_start_fn *start, demux_serve_fn *serve, demux_end_fn *end, void *ctx)
{
    static unsigned char dgram[DEMUX_MAX_DATAGRAM];

    while (!stop_signal_arrived() &&
           (d->max_sessions == 0 || d->closed + d->failed + d->idle < (unsigned long) d->max_sessions)) {
        struct pollfd pfd = {.fd = d->fd, .events = POLLIN};
        struct sockaddr_storage from;
        socklen_t from_len = sizeof(from);
        ssize_t n;

        if (poll(&pfd, 1, TICK_MS) > 0) {
            /* MSG_TRUNC: the real size, even when it did not fit. */
            n = recvfrom(d->fd, dgram, sizeof(dgram), MSG_TRUNC, (struct sockaddr *) &from, &from_len);
            if (n < 0 && errno != EINTR && errno != EAGAIN) {
                report_error("server", "recvfrom failed: %s", strerror(errno));
                return WS_EXIT_NETWORK;
            }
            if (n > (ssize_t) sizeof(dgram)) {
                char name[64];

                address_format(&from, name, sizeof(name));
                ignore(d, name, (size_t) n, "larger than any DTLS record");
            } else if (n > 0) {
                dispatch(d, dgram, (size_t) n, &from, from_len, start, serve, end, ctx);
            }
        }
        tick(d, serve, end, ctx);
    }
    /* Stopping: say goodbye to every session still open. */
    for (int i = 0; i < DEMUX_MAX_PEERS; i++) {
        struct peer *p = &d->peers[i];

        if (p->in_use) {
            if (p->handshake_done)
                mbedtls_ssl_close_notify(&p->ssl);
            d->answered += p->requests;
            end(ctx, p);
            p->in_use = 0;
        }
    }
    return WS_EXIT_OK;
}
/* [demux-loop] */

void demux_count_session(struct peer *p)
{
    p->id = ++p->demux->sessions;
    tag_lines(p);
}
