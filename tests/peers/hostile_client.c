/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file hostile_client.c
 * @brief A misbehaving client for the tests: it attacks a TLS server in one chosen way.
 *
 * Usage: hostile_client [--interval MS] [--give-up MS] MODE PORT [COUNT]
 *
 * It connects to 127.0.0.1:PORT and does what MODE says:
 *
 * - garbage:   sends a plain-text HTTP request instead of TLS;
 * - half:      sends a ClientHello, reads the server's answer, then goes
 *              silent in the middle of the handshake;
 * - slowloris: sends its ClientHello one byte every --interval (100 ms),
 *              never finishing;
 * - idle:      opens COUNT connections (default 20) and sends nothing; it
 *              says so ("idle: 20 connections open") as soon as they are.
 *
 * Then it waits until the server closes every connection (at most --give-up,
 * 30 seconds) and prints one line saying how long that took and what the
 * server sent, e.g. "half: server closed after 1003 ms, having sent 1021
 * bytes (first byte 0x16)". The slowloris line also says how much of its
 * ClientHello it had sent ("we had sent 18 of 76 bytes"): fewer than all but
 * one proves that the server's overall deadline ended the connection, not a
 * per-read timeout, whatever the machine's load. The tests scale both
 * times to the machine's measured speed (tests/lib.sh). Exit codes: 0 the
 * server closed every connection, 1 usage, 2 socket error, 3 the server kept
 * a connection open.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

/** @brief Longest time the server may take to close a connection (--give-up). */
static int give_up_ms = 30000;

/** @brief Time between two slowloris bytes (--interval). */
static int interval_ms = 100;

/** @brief Most connections the idle mode opens. */
#define MAX_IDLE 512

/* A minimal TLS 1.2 ClientHello: ECDHE-ECDSA and ECDHE-RSA with AES-128-GCM,
 * group secp256r1, signature algorithm ecdsa_secp256r1_sha256. */
/* clang-format off */
static const unsigned char client_hello[] = {
    0x16, 0x03, 0x01, 0x00, 0x47,             /* record: handshake, 71 bytes */
    0x01, 0x00, 0x00, 0x43,                   /* ClientHello, 67 bytes */
    0x03, 0x03,                               /* TLS 1.2 */
    0x57, 0x6f, 0x72, 0x6b, 0x73, 0x68, 0x6f, 0x70, 0x20, 0x68, 0x6f, 0x73, 0x74, 0x69, 0x6c, 0x65,
    0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x20, 0x72, 0x61, 0x6e, 0x64, 0x6f, 0x6d, 0x21, 0x21,
    0x00,                                     /* no session id */
    0x00, 0x04, 0xc0, 0x2b, 0xc0, 0x2f,       /* cipher suites */
    0x01, 0x00,                               /* compression: null */
    0x00, 0x16,                               /* extensions, 22 bytes */
    0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, /* supported_groups: secp256r1 */
    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,       /* ec_point_formats: uncompressed */
    0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03, /* signature_algorithms */
};
/* clang-format on */

static int connect_to(int port)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short) port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *) &addr, sizeof(addr)) != 0) {
        perror("hostile_client: connect");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/** @brief What one connection saw of the server. */
struct seen {
    double closed_after_ms; /**< when the server closed, or -1 */
    size_t bytes;           /**< how many bytes it sent */
    int first_byte;         /**< the first of them, or -1 */
};

/* Read from fd until wait_ms passes or the server closes. Returns 1 when it closed. */
static int drain(int fd, int wait_ms, struct seen *seen, double start)
{
    double until = now_ms() + wait_ms;

    while (now_ms() < until) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        unsigned char buf[4096];
        ssize_t n;

        if (poll(&pfd, 1, (int) (until - now_ms())) <= 0)
            continue;
        n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
            seen->closed_after_ms = now_ms() - start;
            return 1;
        }
        if (seen->bytes == 0)
            seen->first_byte = buf[0];
        seen->bytes += (size_t) n;
    }
    return 0;
}

/* sent < 0: do not report how many ClientHello bytes were sent. */
static void print_seen(const char *mode, const struct seen *seen, long sent)
{
    if (seen->closed_after_ms < 0)
        printf("%s: server kept the connection open for %d ms", mode, give_up_ms);
    else
        printf("%s: server closed after %.0f ms", mode, seen->closed_after_ms);
    if (sent >= 0)
        printf(" (we had sent %ld of %zu bytes)", sent, sizeof(client_hello));
    if (seen->bytes > 0)
        printf(", having sent %zu bytes (first byte 0x%02x)\n", seen->bytes, (unsigned) seen->first_byte);
    else
        printf(", having sent nothing\n");
}

/* One connection in the garbage, half or slowloris mode. */
static int one_connection(const char *mode, int port)
{
    static const char plain[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    struct seen seen = {-1, 0, -1};
    long sent = -1;
    double start;
    int fd = connect_to(port);

    if (fd < 0)
        return 2;
    start = now_ms();
    if (strcmp(mode, "garbage") == 0) {
        if (write(fd, plain, sizeof(plain) - 1) < 0)
            perror("hostile_client: write");
    } else if (strcmp(mode, "half") == 0) {
        if (write(fd, client_hello, sizeof(client_hello)) < 0)
            perror("hostile_client: write");
    } else {
        /* slowloris: a byte every interval, and the last byte never. */
        sent = 0;
        for (size_t i = 0; i + 1 < sizeof(client_hello) && seen.closed_after_ms < 0; i++) {
            if (write(fd, client_hello + i, 1) != 1) {
                seen.closed_after_ms = now_ms() - start;
                break;
            }
            sent++;
            drain(fd, interval_ms, &seen, start);
        }
    }
    if (seen.closed_after_ms < 0)
        drain(fd, give_up_ms, &seen, start);
    print_seen(mode, &seen, sent);
    close(fd);
    return seen.closed_after_ms < 0 ? 3 : 0;
}

/* Open count connections that never send a byte; wait until all are closed. */
static int idle_connections(int port, int count)
{
    static int fds[MAX_IDLE];
    double start = now_ms(), last = 0;
    int open_count = 0, closed = 0;

    for (int i = 0; i < count; i++) {
        fds[i] = connect_to(port);
        if (fds[i] < 0)
            break;
        open_count++;
    }
    /* The tests wait for this line to know the burst is in place. */
    printf("idle: %d connections open\n", open_count);
    while (closed < open_count && now_ms() - start < give_up_ms) {
        for (int i = 0; i < open_count; i++) {
            struct pollfd pfd = {.fd = fds[i], .events = POLLIN};
            unsigned char buf[256];

            if (fds[i] < 0 || poll(&pfd, 1, 0) <= 0)
                continue;
            if (read(fds[i], buf, sizeof(buf)) <= 0) {
                close(fds[i]);
                fds[i] = -1;
                closed++;
                last = now_ms() - start;
            }
        }
        usleep(10000);
    }
    printf("idle: opened %d connections, the server closed %d of them, the last after %.0f ms\n", open_count,
           closed, last);
    for (int i = 0; i < open_count; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (open_count < count)
        return 2;
    return closed == open_count ? 0 : 3;
}

/* A whole number of milliseconds from 1 to 10 minutes, or -1. */
static int parse_ms(const char *text)
{
    char *end;
    long value = strtol(text, &end, 10);

    return end != text && *end == '\0' && value >= 1 && value <= 600000 ? (int) value : -1;
}

int main(int argc, char **argv)
{
    const char *prog = argv[0], *mode;
    int port, count;

    while (argc > 2 && (strcmp(argv[1], "--interval") == 0 || strcmp(argv[1], "--give-up") == 0)) {
        int *target = strcmp(argv[1], "--interval") == 0 ? &interval_ms : &give_up_ms;

        *target = parse_ms(argv[2]);
        argv += 2;
        argc -= 2;
    }
    mode = argc > 1 ? argv[1] : "";
    port = argc > 2 ? atoi(argv[2]) : 0;
    count = argc > 3 ? atoi(argv[3]) : 20;
    if ((argc != 3 && argc != 4) || port <= 0 || port > 65535 || count < 1 || count > MAX_IDLE ||
        interval_ms < 0 || give_up_ms < 0 ||
        (strcmp(mode, "garbage") != 0 && strcmp(mode, "half") != 0 && strcmp(mode, "slowloris") != 0 &&
         strcmp(mode, "idle") != 0)) {
        fprintf(stderr, "usage: %s [--interval MS] [--give-up MS] garbage|half|slowloris|idle PORT [COUNT]\n",
                prog);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (strcmp(mode, "idle") == 0)
        return idle_connections(port, count);
    return one_connection(mode, port);
}
