/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file hostile_dtls_server.c
 * @brief A misbehaving DTLS server for the tests: it answers ClientHellos with
 *        HelloVerifyRequests and nothing else.
 *
 * Usage: hostile_dtls_server MODE
 *
 * It binds 127.0.0.1 on a free UDP port, prints "listening on 127.0.0.1:PORT" and runs until
 * SIGTERM. MODE says what it does:
 *
 * - mute:          answers the first ClientHello with a HelloVerifyRequest, then is silent,
 *                  as a server that stops in the middle of a handshake would be;
 * - reject-cookie: answers every ClientHello with a HelloVerifyRequest carrying a new cookie,
 *                  as a server would whose cookie key changes all the time (or one that sees
 *                  the client from a different port every time).
 *
 * It prints one line per datagram it receives ("got ClientHello (msg 1, 32-byte cookie):
 * answered with a HelloVerifyRequest"). Exit codes: 0 stopped by SIGTERM, 1 usage, 2 socket error.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "address.h"
#include "dtls_record.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void) sig;
    stop = 1;
}

/* A HelloVerifyRequest with a 32-byte cookie (filled with tag). Like a
 * stateless server, it echoes the ClientHello's message and record sequence
 * numbers (RFC 6347, section 4.2.1). */
static size_t hello_verify(unsigned char *out, unsigned msg_seq, unsigned seq, unsigned char tag)
{
    static const unsigned char header[] = {
        DTLS_CT_HANDSHAKE,
        0xfe,
        0xff,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        12 + 35, /* record */
        3,
        0,
        0,
        35,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        35, /* HelloVerifyRequest */
        0xfe,
        0xff,
        32, /* version, cookie length */
    };

    memcpy(out, header, sizeof(header));
    out[10] = (unsigned char) seq;
    out[18] = (unsigned char) msg_seq;
    memset(out + sizeof(header), tag, 32);
    return sizeof(header) + 32;
}

int main(int argc, char **argv)
{
    static unsigned char buf[65536];
    struct sockaddr_in addr;
    struct sigaction sa;
    char where[64];
    unsigned answered = 0;
    int fd, reject;

    if (argc != 2 || (strcmp(argv[1], "mute") != 0 && strcmp(argv[1], "reject-cookie") != 0)) {
        fprintf(stderr, "usage: hostile_dtls_server mute|reject-cookie\n");
        return 1;
    }
    reject = argv[1][0] == 'r';
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof(addr)) != 0 ||
        address_of_socket(fd, ADDRESS_LOCAL, where, sizeof(where)) != 0) {
        perror("hostile_dtls_server");
        return 2;
    }
    printf("listening on %s\n", where);
    fflush(stdout);
    while (!stop) {
        struct sockaddr_storage from;
        socklen_t from_len = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *) &from, &from_len);
        char what[300];

        if (n < 0)
            continue; /* EINTR: SIGTERM */
        dtls_describe_datagram(buf, (size_t) n, 0, what, sizeof(what));
        if (dtls_is_client_hello(buf, (size_t) n) && (reject || answered == 0)) {
            /* The ClientHello's record sequence number and message_seq. */
            unsigned seq = buf[10], msg_seq = buf[DTLS_RECORD_HEADER_LEN + 5];
            unsigned char hvr[80];
            size_t len = hello_verify(hvr, msg_seq, seq, (unsigned char) (0x40 + answered));
            sendto(fd, hvr, len, 0, (struct sockaddr *) &from, from_len);
            answered++;
            printf("got %s: answered with a HelloVerifyRequest\n", what);
        } else {
            printf("got %s: no answer\n", what);
        }
        fflush(stdout);
    }
    close(fd);
    return 0;
}
