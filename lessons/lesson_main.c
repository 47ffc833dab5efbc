/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lesson_main.c
 * @brief The path every client lesson follows: stages 1..N, then cleanup.
 *
 * Lesson N's main() calls lesson_main() with its own stage number, so the
 * order of the stages is written down exactly once, here; programs that need
 * an endpoint ready to connect or accept (servers, test peers) call
 * stage_prepare() for stages 01-03.
 */
#include <signal.h>

#include "stages.h"

/* Options each stage brings in; a lesson accepts those of every stage it reaches. */
static unsigned option_groups_up_to(enum stage last)
{
    unsigned groups = 0;

    if (last >= STAGE_LOAD_CERTS)
        groups |= OPTS_CERTS;
    if (last >= STAGE_CONFIG)
        groups |= OPTS_CONFIG;
    if (last >= STAGE_CONNECT)
        groups |= OPTS_CONNECT;
    if (last >= STAGE_READ_WRITE)
        groups |= OPTS_HTTP;
    return groups;
}

int stage_prepare(struct tls_endpoint *s, const struct options *o, int endpoint)
{
    int ret = stage_init(s);

    if (ret == WS_EXIT_OK)
        ret = stage_load_certs(s, o);
    if (ret == WS_EXIT_OK)
        ret = stage_config(s, o, endpoint);
    return ret;
}

/* [lesson-main] */
int lesson_main(int argc, char **argv, enum stage last, const char *summary)
{
    static struct tls_endpoint s; /* 41 KB with 2.28 (its entropy and DRBG contexts): off the stack */
    struct options o;
    int done;
    int ret = options_parse(argc, argv, option_groups_up_to(last), summary, &o, &done);

    if (done)
        return ret;
    /* A peer that vanishes must show up as an error code from mbedTLS, not
     * kill the program with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    ret = stage_init(&s);
    if (ret == WS_EXIT_OK && last >= STAGE_LOAD_CERTS)
        ret = stage_load_certs(&s, &o);
    if (ret == WS_EXIT_OK && last >= STAGE_CONFIG)
        ret = stage_config(&s, &o, MBEDTLS_SSL_IS_CLIENT);
    if (ret == WS_EXIT_OK && last >= STAGE_CONNECT)
        ret = stage_connect(&s, &o);
    if (ret == WS_EXIT_OK && last >= STAGE_HANDSHAKE) {
        ret = stage_handshake(&s.ssl);
        s.handshake_done = ret == WS_EXIT_OK;
    }
    if (ret == WS_EXIT_OK && last >= STAGE_READ_WRITE)
        ret = stage_read_write(&s, &o);
    /* Lesson 07's two steps end every lesson: close_notify after a
     * handshake, then free whatever was created. */
    if (s.handshake_done) {
        int closed = stage_close_notify(&s.ssl);

        if (ret == WS_EXIT_OK)
            ret = closed;
    }
    stage_cleanup(&s);
    return ret;
}
/* [lesson-main] */
