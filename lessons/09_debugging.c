/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 09_debugging.c
 * @brief Lesson 09: watch mbedTLS work, at debug levels 0 to 4.
 *
 * What you will learn:
 * - mbedtls_ssl_conf_dbg() installs a debug callback and
 *   mbedtls_debug_set_threshold() picks how much it receives: 0 nothing,
 *   1 errors, 2 state changes, 3 message contents, 4 everything down to raw
 *   buffers;
 * - what each level costs and what it adds: the lesson runs the same
 *   handshake at each level and counts the lines and bytes the callback
 *   receives, and which kind of information is new.
 *
 * The second half of lesson 09, six deliberate mistakes and how to read the
 * errors they cause, is its own program: 09_mistakes.c.
 *
 * Run it: start the server (`lessons/08_server &`), then
 * `lessons/09_debugging`. With `--debug-file FILE` the lines it counts are
 * also written to FILE.
 *
 * Exit codes: 0 when the five handshakes succeeded; otherwise the code of
 * the stage that failed: 4 handshake, 3 the server cannot be reached,
 * 2 setup, 1 bad command line.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/debug.h>

#include "attempt.h"

/** @brief Debug output per message level (index 1..4). */
struct debug_stats {
    struct debug_sink *forward; /**< --debug-file: also write the lines there, or NULL */
    unsigned long lines[5];     /**< lines per message level */
    unsigned long bytes[5];     /**< bytes they take as `[level] file:line: msg` lines */
    unsigned long dumps[5];     /**< hex dumps of buffers ("dumping ..." and their rows) */
    unsigned long calls[5];     /**< function entry and exit ("=>", "<=") */
    unsigned long states[5];    /**< handshake state machine steps */
    unsigned long numbers[5];   /**< big numbers and curve points ("value of ...") */
    char first[5][200];         /**< the first line of each level */
};

/* mbedTLS 2.28 starts each message with the context's address ("0x55d0...: "). */
static const char *skip_context(const char *msg)
{
    const char *colon = strstr(msg, ": ");

    return (strncmp(msg, "0x", 2) == 0 && colon != NULL) ? colon + 2 : msg;
}

/* Which kind of information a debug message carries. */
static void classify(struct debug_stats *st, int level, const char *msg)
{
    if (strncmp(msg, "dumping '", 9) == 0 || (strlen(msg) > 6 && msg[4] == ':' && msg[5] == ' '))
        st->dumps[level]++;
    else if (strncmp(msg, "=> ", 3) == 0 || strncmp(msg, "<= ", 3) == 0)
        st->calls[level]++;
    else if (strstr(msg, "state") != NULL)
        st->states[level]++;
    else if (strncmp(msg, "value of '", 10) == 0)
        st->numbers[level]++;
}

/* [debug-callback] */
/* mbedTLS calls this for every message at or below the threshold. */
static void counting_debug_callback(void *ctx, int level, const char *file, int line, const char *msg)
{
    struct debug_stats *st = ctx;
    const char *base = strrchr(file, '/');
    size_t len = strcspn(msg, "\n");
    int bytes;

    base = base ? base + 1 : file;
    if (level < 1 || level > 4)
        return;
    bytes = snprintf(NULL, 0, "[%d] %s:%04d: %.*s\n", level, base, line, (int) len, msg);
    if (st->lines[level] == 0)
        snprintf(st->first[level], sizeof(st->first[level]), "[%d] %s:%04d: %.*s", level, base, line,
                 (int) strcspn(skip_context(msg), "\n"), skip_context(msg));
    st->lines[level]++;
    st->bytes[level] += bytes > 0 ? (unsigned long) bytes : 0;
    classify(st, level, skip_context(msg));
    if (st->forward != NULL)
        debug_log_callback(st->forward, level, file, line, msg);
}
/* [debug-callback] */

/* What one level added: the lines whose own level is exactly the threshold. */
static void report_level(const struct debug_stats *st, int threshold)
{
    unsigned long lines = 0, bytes = 0;

    for (int l = 1; l <= 4; l++) {
        lines += st->lines[l];
        bytes += st->bytes[l];
    }
    narrate_info("%lu debug lines, %lu bytes%s", lines, bytes,
                 threshold == 0 ? ": the callback was never called" : "");
    if (threshold == 0)
        return;
    if (st->lines[threshold] == 0) {
        narrate_info("new at level %d: nothing (this level reports errors, and there were none)", threshold);
        return;
    }
    narrate_info("new at level %d: %lu lines: %lu buffer dump, %lu function entry/exit, %lu state, "
                 "%lu number",
                 threshold, st->lines[threshold], st->dumps[threshold], st->calls[threshold],
                 st->states[threshold], st->numbers[threshold]);
    narrate_info("first:  %s", st->first[threshold]);
}

/* [levels] */
static int run_levels(struct tls_endpoint *s, const struct options *o)
{
    static const char *const meaning[5] = {
        "nothing", "errors and important events", "state changes and function entry/exit",
        "message contents and buffer dumps", "everything, including every record's raw bytes"};

    printf("\nThe same handshake at each debug threshold (server %s:%s):\n", o->host, o->port);
    for (int threshold = 0; threshold <= 4; threshold++) {
        struct debug_stats st;
        struct attempt_outcome out;

        memset(&st, 0, sizeof(st));
        st.forward = o->debug_file != NULL ? &s->debug : NULL;
        mbedtls_ssl_conf_dbg(&s->conf, counting_debug_callback, &st);
        mbedtls_debug_set_threshold(threshold);
        printf("\nDebug level %d (%s):\n", threshold, meaning[threshold]);
        attempt_connection(s, o, 0, &out);
        mbedtls_debug_set_threshold(0);
        if (out.exit != WS_EXIT_OK) {
            /* A failed handshake was reported by lesson 05's stage itself. */
            if (out.ret != 0 && strcmp(out.function, "mbedtls_ssl_handshake") != 0)
                report_mbedtls_error("debugging", out.function, out.ret);
            return out.exit;
        }
        report_level(&st, threshold);
    }
    return WS_EXIT_OK;
}
/* [levels] */

int main(int argc, char **argv)
{
    /* Static: the session is 41 KB with mbedTLS 2.28 (mostly the entropy
     * context), too much to keep on the stack for no reason. */
    static struct tls_endpoint s;
    struct options o;
    int done, ret;

    ret = options_parse(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT,
                        "Lesson 09: the same handshake at debug levels 0-4, counting what each level adds.",
                        &o, &done);
    if (done)
        return ret;
    signal(SIGPIPE, SIG_IGN);
    /* Whole narration lines: debug and trace lines can then come between
     * them without cutting one in half. */
    narrate_set_thread_prefix("");
    ret = stage_init(&s);
    if (ret == WS_EXIT_OK)
        ret = stage_load_certs(&s, &o);
    if (ret == WS_EXIT_OK)
        ret = stage_config(&s, &o, MBEDTLS_SSL_IS_CLIENT);
    if (ret == WS_EXIT_OK)
        ret = run_levels(&s, &o);
    stage_cleanup(&s);
    return ret;
}
