/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file hostile_server.c
 * @brief A broken TLS server for the tests: it misbehaves in one chosen way.
 *
 * Usage: hostile_server MODE
 *
 * It listens on a free loopback port, prints "listening on 127.0.0.1:PORT",
 * accepts one client, reads what the client sends first (its ClientHello),
 * then does what MODE says:
 *
 * - garbage:   answers with plain text instead of TLS;
 * - close:     closes the connection in the middle of the handshake;
 * - truncated: sends the first bytes of a record, then closes;
 * - oversized: announces a record longer than TLS allows;
 * - alert:     sends a fatal handshake_failure alert;
 * - stall:     sends nothing at all and waits for the client to give up.
 *
 * Afterwards it waits (at most 30 seconds) until the client closes and
 * prints how long that took, so a test can check that a client's --timeout
 * fired in time. Exit codes: 0 done, 1 usage, 2 socket error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

/* Read whatever arrives within wait_ms. Returns the number of bytes read,
 * 0 when the client closed (or reset) the connection, -1 when nothing came. */
static ssize_t read_some(int fd, int wait_ms)
{
    unsigned char buf[4096];
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    ssize_t n;

    if (poll(&pfd, 1, wait_ms) <= 0)
        return -1;
    n = read(fd, buf, sizeof(buf));
    return n < 0 ? 0 : n;
}

static int write_all(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

/* Misbehave as MODE says. Returns 0, or -1 for an unknown mode. */
static int misbehave(int fd, const char *mode)
{
    /* A TLS 1.2 handshake record header announcing 100 bytes, and 4 of them. */
    static const unsigned char truncated[] = {0x16, 0x03, 0x03, 0x00, 0x64, 0x02, 0x00, 0x00, 0x60};
    /* A record header announcing 0x4801 = 18433 bytes: more than the 16384
     * bytes of plaintext plus 2048 of expansion that TLS 1.2 allows. */
    static const unsigned char oversized[] = {0x16, 0x03, 0x03, 0x48, 0x01};
    /* An alert record: level 2 (fatal), description 40 (handshake_failure). */
    static const unsigned char alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
    static const char garbage[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                  "This port speaks plain text, not TLS.\r\n";

    if (strcmp(mode, "garbage") == 0)
        return write_all(fd, garbage, sizeof(garbage) - 1), 0;
    if (strcmp(mode, "close") == 0)
        return 0;
    if (strcmp(mode, "truncated") == 0)
        return write_all(fd, truncated, sizeof(truncated)), 0;
    if (strcmp(mode, "oversized") == 0) {
        unsigned char filler[1024];

        /* Send a good part of the announced length so that the client sees
         * the header and decides, rather than waiting for more bytes. */
        memset(filler, 0x41, sizeof(filler));
        if (write_all(fd, oversized, sizeof(oversized)) == 0)
            for (int i = 0; i < 4; i++)
                write_all(fd, filler, sizeof(filler));
        return 0;
    }
    if (strcmp(mode, "alert") == 0)
        return write_all(fd, alert, sizeof(alert)), 0;
    if (strcmp(mode, "stall") == 0)
        return 0;
    return -1;
}

int main(int argc, char **argv)
{
    struct sockaddr_in addr;
    socklen_t addr_len = sizeof(addr);
    double start;
    int listener, fd, one = 1;

    if (argc != 2 || misbehave(-1, argv[1]) != 0) {
        fprintf(stderr, "usage: %s garbage|close|truncated|oversized|alert|stall\n", argv[0]);
        return 1;
    }
    listener = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof(addr)) != 0 ||
        listen(listener, 4) != 0 || getsockname(listener, (struct sockaddr *) &addr, &addr_len) != 0) {
        perror("hostile_server: listen");
        return 2;
    }
    printf("listening on 127.0.0.1:%u\n", (unsigned) ntohs(addr.sin_port));
    fflush(stdout);

    fd = accept(listener, NULL, NULL);
    if (fd < 0) {
        perror("hostile_server: accept");
        return 2;
    }
    /* The client speaks first in TLS; take its ClientHello. */
    read_some(fd, 5000);
    start = now_ms();
    misbehave(fd, argv[1]);
    if (strcmp(argv[1], "close") == 0 || strcmp(argv[1], "truncated") == 0) {
        printf("%s: closed the connection\n", argv[1]);
    } else {
        /* Keep the connection open until the client gives up. */
        while (now_ms() - start < 30000 && read_some(fd, 100) != 0)
            continue;
        printf("%s: the client closed after %.0f ms\n", argv[1], now_ms() - start);
    }
    close(fd);
    close(listener);
    return 0;
}
