/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file hostile_datagrams.c
 * @brief A misbehaving DTLS client for the tests: it sends a DTLS server datagrams that are not
 *        what they should be, and says how the server answered.
 *
 * Usage: hostile_datagrams [--wait MS] MODE PORT [COUNT]
 *
 * It sends to 127.0.0.1:PORT from a fresh UDP socket and, for each datagram, waits up to --wait
 * (default 500) ms for an answer:
 *
 * - garbage:    COUNT (default 20) datagrams of random bytes, 1 to 1200 of them; expects silence;
 * - truncated:  a ClientHello whose record header claims more bytes than the datagram has;
 *               expects silence;
 * - oversized:  one 40000-byte datagram that starts like a ClientHello; expects silence;
 * - no-cookie:  a ClientHello without a cookie; expects a HelloVerifyRequest;
 * - bad-cookie: a ClientHello with a forged 32-byte cookie; expects a HelloVerifyRequest (a
 *               new cookie), not a ServerHello;
 * - flood:      COUNT ClientHellos without cookie, each from its own socket (a new port, as
 *               spoofed sources would be); expects a HelloVerifyRequest for every one.
 *
 * It prints one line per mode, e.g. "bad-cookie: HelloVerifyRequest (32-byte cookie)" or
 * "garbage: 20 datagrams sent, no answer". Exit codes: 0 the server answered as expected, 1 usage,
 * 2 socket error, 3 an unexpected answer (or none where one was expected).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dtls_record.h"
#include "tls_names.h"

static int wait_ms = 500;

/* The body of a minimal DTLS 1.2 ClientHello, up to its cookie: version,
 * random; then (after the cookie) cipher suites ECDHE-ECDSA with AES-GCM and
 * ChaCha20, null compression, and the extensions an ECDHE-ECDSA server needs:
 * supported_groups (secp256r1, x25519), ec_point_formats,
 * signature_algorithms (ecdsa_secp256r1_sha256). */
/* clang-format off */
static const unsigned char hello_head[] = {
    0xfe, 0xfd,
    'D', 'T', 'L', 'S', ' ', 'h', 'o', 's', 't', 'i', 'l', 'e', ' ', 'c', 'l', 'i',
    'e', 'n', 't', ' ', 'r', 'a', 'n', 'd', 'o', 'm', '!', '!', '!', '!', '!', '!',
    0x00, /* no session id */
};
static const unsigned char hello_tail[] = {
    0x00, 0x06, 0xc0, 0x2b, 0xc0, 0x2c, 0xcc, 0xa9, /* cipher suites */
    0x01, 0x00,                                     /* compression: null */
    0x00, 0x18,                                     /* extensions, 24 bytes */
    0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x1d,
    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,
    0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03,
};
/* clang-format on */

static void put16(unsigned char *p, size_t v)
{
    p[0] = (unsigned char) (v >> 8);
    p[1] = (unsigned char) v;
}

static void put24(unsigned char *p, size_t v)
{
    p[0] = (unsigned char) (v >> 16);
    put16(p + 1, v);
}

/* A whole datagram: record header, handshake header, ClientHello. */
static size_t client_hello(unsigned char *out, size_t cookie_len)
{
    size_t body = sizeof(hello_head) + 1 + cookie_len + sizeof(hello_tail);
    unsigned char *h = out + DTLS_RECORD_HEADER_LEN, *b = h + DTLS_HANDSHAKE_HEADER_LEN;

    memset(out, 0, DTLS_RECORD_HEADER_LEN + DTLS_HANDSHAKE_HEADER_LEN);
    out[0] = DTLS_CT_HANDSHAKE;
    out[1] = 0xfe;
    out[2] = 0xfd; /* epoch 0, sequence 0 */
    put16(out + 11, DTLS_HANDSHAKE_HEADER_LEN + body);
    h[0] = 1; /* ClientHello, message 0, one fragment */
    put24(h + 1, body);
    put24(h + 9, body);
    memcpy(b, hello_head, sizeof(hello_head));
    b[sizeof(hello_head)] = (unsigned char) cookie_len;
    memset(b + sizeof(hello_head) + 1, 0xc0, cookie_len); /* a forged cookie */
    memcpy(b + sizeof(hello_head) + 1 + cookie_len, hello_tail, sizeof(hello_tail));
    return DTLS_RECORD_HEADER_LEN + DTLS_HANDSHAKE_HEADER_LEN + body;
}

static int open_socket(int port)
{
    struct sockaddr_in to;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t) port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *) &to, sizeof(to)) != 0) {
        perror("hostile_datagrams: socket");
        exit(2);
    }
    return fd;
}

/* Wait for one answer; describe it ("HelloVerifyRequest (32-byte cookie)") or return 0. */
static int answer(int fd, char *what, size_t what_len)
{
    static unsigned char buf[65536];
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    struct dtls_record r;
    struct dtls_fragment f;
    size_t pos = 0, in = 0;
    ssize_t n;

    if (poll(&pfd, 1, wait_ms) <= 0)
        return 0;
    n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0)
        return 0; /* ICMP: nothing there */
    if (dtls_record_next(buf, (size_t) n, &pos, 0, &r) == 1 && r.type == DTLS_CT_HANDSHAKE &&
        dtls_fragment_next(&r, &in, &f) == 1) {
        const char *name = tls_handshake_type_name(f.msg_type);

        if (f.msg_type == 3 && f.frag_length >= 3)
            snprintf(what, what_len, "HelloVerifyRequest (%u-byte cookie)", (unsigned) f.body[2]);
        else
            snprintf(what, what_len, "%s", name != NULL ? name : "a handshake message");
    } else {
        dtls_describe_datagram(buf, (size_t) n, 0, what, what_len);
    }
    return 1;
}

/* Send one datagram and check the answer: expect_hvr 1 wants a
 * HelloVerifyRequest, 0 wants silence. */
static int probe(const char *mode, int fd, const unsigned char *dgram, size_t len, int expect_hvr, int quiet)
{
    char what[300] = "no answer";
    int got;

    if (send(fd, dgram, len, 0) < 0) {
        perror("hostile_datagrams: send");
        return 2;
    }
    got = answer(fd, what, sizeof(what));
    if (!quiet || got != expect_hvr)
        printf("%s: %s\n", mode, what);
    if (expect_hvr)
        return got && strncmp(what, "HelloVerifyRequest", 18) == 0 ? 0 : 3;
    return got ? 3 : 0;
}

int main(int argc, char **argv)
{
    static unsigned char dgram[40000];
    const char *mode;
    int argi = 1, port, count, fd, ret = 0;

    if (argc > 2 && strcmp(argv[1], "--wait") == 0) {
        wait_ms = atoi(argv[2]);
        argi = 3;
    }
    if (argc - argi < 2 || (port = atoi(argv[argi + 1])) <= 0 || port > 65535) {
        fprintf(stderr,
                "usage: hostile_datagrams [--wait MS] garbage|truncated|oversized|no-cookie|bad-cookie|"
                "flood PORT [COUNT]\n");
        return 1;
    }
    mode = argv[argi];
    count = argc - argi > 2 ? atoi(argv[argi + 2]) : 20;
    fd = open_socket(port);
    srand(12345);
    if (strcmp(mode, "garbage") == 0) {
        for (int i = 0; i < count && ret == 0; i++) {
            size_t len = 1 + (size_t) rand() % 1200;

            for (size_t j = 0; j < len; j++)
                dgram[j] = (unsigned char) rand();
            ret = probe(mode, fd, dgram, len, 0, 1);
        }
        if (ret == 0)
            printf("garbage: %d datagrams sent, no answer\n", count);
    } else if (strcmp(mode, "truncated") == 0) {
        size_t len = client_hello(dgram, 0);

        ret = probe(mode, fd, dgram, len - 20, 0, 0);
    } else if (strcmp(mode, "oversized") == 0) {
        client_hello(dgram, 0);
        ret = probe(mode, fd, dgram, sizeof(dgram), 0, 0);
    } else if (strcmp(mode, "no-cookie") == 0 || strcmp(mode, "bad-cookie") == 0) {
        size_t len = client_hello(dgram, mode[0] == 'b' ? 32 : 0);

        ret = probe(mode, fd, dgram, len, 1, 0);
    } else if (strcmp(mode, "flood") == 0) {
        size_t len = client_hello(dgram, 0);

        for (int i = 0; i < count && ret == 0; i++) {
            int one = open_socket(port);

            ret = probe(mode, one, dgram, len, 1, 1);
            close(one);
        }
        if (ret == 0)
            printf("flood: %d ClientHellos from %d ports, a HelloVerifyRequest for each\n", count, count);
    } else {
        fprintf(stderr, "hostile_datagrams: unknown mode %s\n", mode);
        ret = 1;
    }
    close(fd);
    return ret;
}
