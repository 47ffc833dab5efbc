/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_capture.c
 * @brief Record conversations between the fuzz targets' client and server (see tls_capture.h).
 */
#include "tls_capture.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mbedtls/net_sockets.h>

#include "compat.h"

/* Requests stage 06 never sends, so that the server's seeds reach each of its answers. */
#define TEN "aaaaaaaaaa"
#define HUNDRED TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN
#define THOUSAND HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED
static const char long_path[] = "GET /" HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED HUNDRED " HTTP/1.1\r\n\r\n";
static const char long_head[] = "GET / HTTP/1.1\r\nX-Padding: " THOUSAND THOUSAND THOUSAND THOUSAND THOUSAND
    THOUSAND THOUSAND THOUSAND THOUSAND "\r\n\r\n";

/* Short names for the table. */
enum {
    NO_VERIFY = FUZZ_CLIENT_NO_VERIFY,
    CERT = FUZZ_CLIENT_CERT,
    TLS12 = FUZZ_CLIENT_TLS12,
    TLS13 = FUZZ_CLIENT_TLS13,
    HELLO = FUZZ_CLIENT_HELLO_PAGE,
    P256 = FUZZ_CLIENT_P256,
    NO_TICKETS = FUZZ_CLIENT_NO_TICKETS,
    RESUME = FUZZ_CLIENT_RESUME,
    REQUIRE = FUZZ_SERVER_CLIENT_CERT,
    RSA = FUZZ_SERVER_RSA,
    TWO = FUZZ_SERVER_TWO
};

/* Without TLS 1.3 (2.28), the scenarios that do not pin TLS 1.2 make TLS 1.2 conversations. The
 * *-noverify ones replay to the end with any PKI (the committed corpus is recorded with one build's). */
const struct tls_scenario tls_scenarios[] = {
    {"get", 0, 0, NULL, 1, 0},
    {"get-noverify", NO_VERIFY, 0, NULL, 1, 0},
    {"hello-page", HELLO, 0, NULL, 1, 0},
    {"hello-page-noverify", HELLO | NO_VERIFY, 0, NULL, 1, 0},
    {"p256", P256, 0, NULL, 1, 0},
    {"tls12", TLS12, 0, NULL, 1, 0},
    {"tls12-noverify", TLS12 | NO_VERIFY, 0, NULL, 1, 0},
    {"tls12-cbc", TLS12 | TLS13, 0, NULL, 1, 0},
    {"tls12-cbc-noverify", TLS12 | TLS13 | NO_VERIFY, 0, NULL, 1, 0},
    {"tls13", TLS13, 0, NULL, 1, 1},
    {"client-cert", CERT, REQUIRE, NULL, 1, 0},
    {"tls12-client-cert", TLS12 | CERT, REQUIRE, NULL, 1, 0},
    {"no-client-cert", 0, REQUIRE, NULL, 0, 0},
    {"rsa", 0, RSA, NULL, 1, 0},
    {"tls12-rsa", TLS12, RSA, NULL, 1, 0},
    {"resume", RESUME, TWO, NULL, 2, 0},
    {"tls12-resume-ticket", TLS12 | RESUME, TWO, NULL, 2, 0},
    {"tls12-resume-id", TLS12 | NO_TICKETS | RESUME, TWO, NULL, 2, 0},
    {"handshake-only", NO_VERIFY, 0, "", 0, 0},
    {"head", NO_VERIFY, 0, "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n", 1, 0},
    {"post", NO_VERIFY, 0, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n", 1, 0},
    {"not-found", NO_VERIFY, 0, "GET /nothing HTTP/1.0\r\n\r\n", 1, 0},
    {"bad-request", NO_VERIFY, 0, "BREW /pot HTCPCP/1.0\r\n\r\n", 1, 0},
    {"hello-html", NO_VERIFY, 0, "GET /hello HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n", 1, 0},
    {"uri-too-long", NO_VERIFY, 0, long_path, 1, 0},
    {"head-too-large", NO_VERIFY, 0, long_head, 1, 0},
    {NULL, 0, 0, NULL, 0, 0},
};

/** @brief One direction's recorded bytes. */
struct recording {
    unsigned char *data; /**< the bytes */
    size_t len;          /**< how many */
    size_t cap;          /**< room allocated */
    int failed;          /**< out of memory: the recording is incomplete */
};

/** @brief A socket whose traffic is recorded: the transport the capture's client talks through. */
struct recorder {
    mbedtls_net_context net;   /**< the client's end of the socket pair */
    struct recording received; /**< from the server: the client target's input */
    struct recording sent;     /**< to the server: the server target's input */
};

static void record(struct recording *r, const unsigned char *buf, size_t len)
{
    if (r->len + len > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4096;
        unsigned char *grown;

        while (cap < r->len + len)
            cap *= 2;
        grown = realloc(r->data, cap);
        if (grown == NULL) {
            r->failed = 1;
            return;
        }
        r->data = grown, r->cap = cap;
    }
    memcpy(r->data + r->len, buf, len);
    r->len += len;
}

static int recorder_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct recorder *rec = ctx;
    int ret = mbedtls_net_send(&rec->net, buf, len);

    if (ret > 0)
        record(&rec->sent, buf, (size_t) ret);
    return ret;
}

static int recorder_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct recorder *rec = ctx;
    int ret = mbedtls_net_recv_timeout(&rec->net, buf, len, timeout);

    if (ret > 0)
        record(&rec->received, buf, (size_t) ret);
    return ret;
}

/* flag byte, [16-bit length of the first part], first part, second part: the targets' input. */
static int join(unsigned char flags, int two, const struct recording *first, const struct recording *second,
                unsigned char **out, size_t *out_len)
{
    size_t len = 1 + (two ? 2 + first->len + second->len : first->len);
    unsigned char *p = malloc(len);

    if (p == NULL || first->failed || second->failed || first->len > 0xFFFF) {
        free(p);
        return -1;
    }
    *out = p, *out_len = len;
    *p++ = flags;
    if (two) {
        *p++ = (unsigned char) (first->len >> 8);
        *p++ = (unsigned char) first->len;
    }
    if (first->len > 0)
        memcpy(p, first->data, first->len);
    if (two && second->len > 0)
        memcpy(p + first->len, second->data, second->len);
    return 0;
}

/* The server, in the child process: serve each socket, hand the result back through a pipe. */
static void run_server(const struct tls_scenario *sc, int fds[2], int count, int result_fd)
{
    struct fuzz_tls_result r;

    fuzz_server_serve(sc->server_flags, fds, count, &r);
    if (write(result_fd, &r, sizeof(r)) != (ssize_t) sizeof(r))
        _exit(2);
    _exit(0);
}

int tls_capture_run(const struct tls_scenario *sc, struct tls_capture *out)
{
    int count = (sc->client_flags & FUZZ_CLIENT_RESUME) ? 2 : 1;
    int pair[2][2] = {{-1, -1}, {-1, -1}}, result[2] = {-1, -1};
    struct recorder rec[2];
    void *bio[2];
    int ret = -1, status, quiet = -1, saved_stdout = -1;
    pid_t pid;

    memset(out, 0, sizeof(*out));
    memset(rec, 0, sizeof(rec));
    /* A server that closes first must cost the client an error, not its process (lesson 06). */
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < count; i++)
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair[i]) != 0)
            goto done;
    if (pipe(result) != 0)
        goto done;
    fflush(NULL); /* the child must not print what the parent had buffered */
    pid = fork();
    if (pid < 0)
        goto done;
    if (pid == 0) {
        int fds[2];

        close(result[0]);
        for (int i = 0; i < count; i++) {
            close(pair[i][0]);
            fds[i] = pair[i][1];
        }
        run_server(sc, fds, count, result[1]);
    }
    close(result[1]), result[1] = -1;
    for (int i = 0; i < count; i++) {
        close(pair[i][1]), pair[i][1] = -1;
        mbedtls_net_init(&rec[i].net);
        COMPAT_NET_FD(&rec[i].net) = pair[i][0], pair[i][0] = -1;
        bio[i] = &rec[i];
    }
    /* Stage 06 prints the answer it read: not here. */
    quiet = open("/dev/null", O_WRONLY);
    saved_stdout = dup(STDOUT_FILENO);
    if (quiet >= 0 && saved_stdout >= 0)
        dup2(quiet, STDOUT_FILENO);
    fuzz_client_converse(sc->client_flags, bio, recorder_send, recorder_recv, sc->request, &out->client);
    fflush(stdout);
    if (saved_stdout >= 0)
        dup2(saved_stdout, STDOUT_FILENO);
    /* Closing its ends tells a server still waiting for a second connection that none comes. */
    for (int i = 0; i < count; i++)
        mbedtls_net_free(&rec[i].net);
    if (read(result[0], &out->server, sizeof(out->server)) != (ssize_t) sizeof(out->server))
        memset(&out->server, 0, sizeof(out->server));
    waitpid(pid, &status, 0);
    if (join((unsigned char) sc->client_flags, count == 2, &rec[0].received, &rec[1].received,
             &out->client_input, &out->client_len) == 0 &&
        join((unsigned char) sc->server_flags, count == 2, &rec[0].sent, &rec[1].sent, &out->server_input,
             &out->server_len) == 0)
        ret = 0;

done:
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++)
            if (pair[i][j] >= 0)
                close(pair[i][j]);
        if (result[i] >= 0)
            close(result[i]);
        free(rec[i].received.data);
        free(rec[i].sent.data);
    }
    if (quiet >= 0)
        close(quiet);
    if (saved_stdout >= 0)
        close(saved_stdout);
    return ret;
}

void tls_capture_free(struct tls_capture *c)
{
    free(c->client_input);
    free(c->server_input);
    memset(c, 0, sizeof(*c));
}
