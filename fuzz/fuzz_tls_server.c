/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_tls_server.c
 * @brief libFuzzer target: the lesson server's per-connection code fed what a client sent.
 *
 * The input is one flag byte (enum fuzz_server_flag: the 08_server options to run with), then
 * the bytes a client sent (tls_ends.h gives the layout for two connections, the second of which
 * may resume the first's session). Each input gets a fresh server set up as 08_server's main()
 * does it, and each connection is served by the server's own serve_connection()
 * (fuzz/tls_server_end.c): handshake, the HTTP request and answer (08_server_app.c),
 * close_notify. serve_connection() talks to a socket, so it gets one end of a Unix socket pair
 * (the kernel's in-memory transport); the other end holds the input, then is shut down for
 * writing: when the input is used up, the client has closed the connection (with flag
 * #FUZZ_SERVER_PEER_GONE it is closed outright, so that the server's writes fail).
 *
 * The random generators and the clock are fixed (tls_fixed.h): the same input makes the same
 * conversation, so a crash reproduces, and a conversation captured with the same settings and
 * the same PKI (fuzz/tls_capture.c, run by `make fuzz` to seed each run) replays to the end.
 * Client certificate dates are not checked (the fixed clock would fail them).
 *
 * Besides "no crash, no leak, no undefined behaviour" (ASan, UBSan), the server's promises are
 * checked, and broken ones abort():
 * - each connection ends with one of the outcomes of enum connection_outcome;
 * - each one that did not end well printed its one error line;
 * - serve_connection() closed the socket, whatever happened.
 *
 * tests/test_tls_fuzz.c replays fuzz/corpus/tls_server and fresh captures through the same
 * function, so every seed runs in `make check`.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "report.h"
#include "tls_ends.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* How far the last input got (tests/test_tls_fuzz.c compares it with the live conversation). */
static struct fuzz_tls_result fuzz_tls_server_last;

/* A broken promise: say which, then abort() so that libFuzzer keeps the input. */
static void fuzz_tls_server_broken(const char *promise)
{
    fprintf(stderr, "fuzz_tls_server: broken promise: %s (first error: %s)\n", promise, report_first_error());
    abort();
}

static void fuzz_tls_server_check(const struct fuzz_tls_result *r)
{
    if (!r->ready)
        fuzz_tls_server_broken("the server's setup succeeds (are the build's certs/ in place?)");
    if (r->bad_outcomes != 0)
        fuzz_tls_server_broken("each connection ends with an outcome of enum connection_outcome");
    if (r->unreported != 0)
        fuzz_tls_server_broken("every connection that failed printed an error line");
    if (r->leaked_sockets != 0)
        fuzz_tls_server_broken("serve_connection() closes its socket");
}

/* The client's end of a socket pair: the bytes the client "sent", then end of stream; with
 * FUZZ_SERVER_PEER_GONE the end is closed (the bytes stay readable, but writes fail). Bytes that
 * do not fit into the socket's buffer are left out (the fuzzer keeps inputs far smaller). */
static int fuzz_tls_server_feed(int fd, const unsigned char *bytes, size_t len, int gone)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while (len > 0) {
        ssize_t n = write(fd, bytes, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        bytes += n;
        len -= (size_t) n;
    }
    if (gone) {
        close(fd);
        return -1;
    }
    shutdown(fd, SHUT_WR);
    return fd;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct fuzz_tls_result r;
    const unsigned char *part[2];
    size_t len[2];
    int pair[2][2], server_fd[2], count;

    if (size < 1)
        return 0;
    /* The server ignores SIGPIPE (08_server_pool.c); so must its stand-in. */
    signal(SIGPIPE, SIG_IGN);
    report_set_mode(REPORT_SILENT);
    count = (data[0] & FUZZ_SERVER_TWO) ? 2 : 1;
    fuzz_tls_split(data + 1, size - 1, count == 2, part, len);
    for (int i = 0; i < count; i++) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair[i]) != 0)
            fuzz_tls_server_broken("a socket pair can be made (out of descriptors?)");
        pair[i][1] = fuzz_tls_server_feed(pair[i][1], part[i], len[i], data[0] & FUZZ_SERVER_PEER_GONE);
        server_fd[i] = pair[i][0];
    }
    fuzz_server_serve(data[0], server_fd, count, &r);
    for (int i = 0; i < count; i++)
        if (pair[i][1] >= 0)
            close(pair[i][1]);
    fuzz_tls_server_check(&r);
    fuzz_tls_server_last = r;
    return 0;
}
