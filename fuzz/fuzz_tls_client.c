/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_tls_client.c
 * @brief libFuzzer target: the lessons' client (stages 01-07) fed what a server sent.
 *
 * The input is one flag byte (enum fuzz_client_flag: the lesson options to run with), then the
 * bytes a server sent, as they would arrive on the socket (tls_ends.h gives the layout for two
 * connections). The client runs lesson 06's path (fuzz/tls_client_end.c) over the in-memory
 * transport of common/mem_transport.h, whose server-to-client pipe holds the input: the client
 * sends its ClientHello, request and close_notify into the other pipe, which nobody reads, and
 * when the input is used up the connection ends as if the server had closed it.
 *
 * The random generators and the clock are fixed (tls_fixed.h): the same input makes the same
 * conversation, so a crash reproduces, and a conversation captured with the same settings
 * (fuzz/tls_capture.c, run by `make fuzz` to seed each run) replays to the end: handshake, the
 * read loop, close_notify. Certificate dates are not checked (the fixed clock would fail them);
 * flag #FUZZ_CLIENT_NO_VERIFY skips verification entirely, so that seeds captured with another
 * build's PKI (the committed corpus) get through the handshake too.
 *
 * Besides "no crash, no leak, no undefined behaviour" (ASan, UBSan), the lessons' promises are
 * checked, and broken ones abort():
 * - a lesson returns one of its documented exit codes;
 * - a completed handshake with verification required has no verification flag set;
 * - every failure printed its one error line (kept by report_first_error(), in silent mode).
 *
 * tests/test_tls_fuzz.c replays fuzz/corpus/tls_client and fresh captures through the same
 * function, so every seed runs in `make check`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_flags.h"
#include "mem_transport.h"
#include "report.h"
#include "tls_ends.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* libFuzzer reads its flags after calling this: close stdout, where stage 06 prints the answers
 * (-close_fd_mask=1); libFuzzer's own reports go to stderr. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char quiet[] = "-close_fd_mask=1";

    fuzz_add_flag(argc, argv, quiet);
    return 0;
}

/* mem_transport_recv(), except that the fuzzer's bytes are all the server will ever send: once
 * they are used up the connection ends (0, end of stream), where the transport would answer
 * "want read" and the handshake loop would wait forever for a peer that does not exist. */
static int input_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    int ret = mem_transport_recv(ctx, buf, len);

    (void) timeout;
    return ret == MBEDTLS_ERR_SSL_WANT_READ ? 0 : ret;
}

/* How far the last input got (tests/test_tls_fuzz.c compares it with the live conversation). */
static struct fuzz_tls_result fuzz_tls_client_last;

/* A broken promise: say which, then abort() so that libFuzzer keeps the input. */
static void fuzz_tls_client_broken(const char *promise)
{
    fprintf(stderr, "fuzz_tls_client: broken promise: %s (first error: %s)\n", promise, report_first_error());
    abort();
}

static void fuzz_tls_client_check(int ret, const struct fuzz_tls_result *r)
{
    if (!r->ready)
        fuzz_tls_client_broken("stages 01-03 succeed (are the build's certs/ in place?)");
    if (ret != WS_EXIT_OK && ret != WS_EXIT_SETUP && ret != WS_EXIT_HANDSHAKE && ret != WS_EXIT_IO)
        fuzz_tls_client_broken("the exit code is one a connection can end with");
    if (r->unverified != 0)
        fuzz_tls_client_broken("a completed handshake has a verified server");
    if (r->unreported != 0)
        fuzz_tls_client_broken("every failure printed an error line");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct mem_transport transport[2];
    struct fuzz_tls_result r;
    const unsigned char *part[2];
    size_t len[2];
    void *bio[2];
    int ret;

    if (size < 1)
        return 0;
    report_set_mode(REPORT_SILENT);
    fuzz_tls_split(data + 1, size - 1, (data[0] & FUZZ_CLIENT_RESUME) != 0, part, len);
    for (int i = 0; i < 2; i++) {
        mem_transport_init(&transport[i]);
        /* The server "sent" everything before the client starts. */
        if (len[i] > 0 && mem_transport_send(&transport[i].end[MEM_SERVER], part[i], len[i]) != (int) len[i])
            fuzz_tls_client_broken("the transport holds the input (out of memory?)");
        bio[i] = &transport[i].end[MEM_CLIENT];
    }
    ret = fuzz_client_converse(data[0], bio, mem_transport_send, input_recv, NULL, &r);
    for (int i = 0; i < 2; i++)
        mem_transport_free(&transport[i]);
    fuzz_tls_client_check(ret, &r);
    fuzz_tls_client_last = r;
    return 0;
}
