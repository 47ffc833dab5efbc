/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 09_debugging.c
 * @brief Lesson 09: watch mbedTLS work, and understand why a handshake failed.
 *
 * What you will learn:
 * - mbedtls_ssl_conf_dbg() installs a debug callback and
 *   mbedtls_debug_set_threshold() picks how much it receives: 0 nothing,
 *   1 errors, 2 state changes, 3 message contents, 4 everything down to raw
 *   buffers. Each level costs: this lesson counts the lines and bytes;
 * - a failed call returns a negative code: mbedtls_strerror() names it,
 *   mbedtls_x509_crt_verify_info() names each certificate problem, and a
 *   fatal alert from the peer (-0x7780) has a description, read here from
 *   the wire with the `--trace` tap (mbedTLS 2.28 has no public getter);
 * - six classic mistakes, each made on purpose and explained: no trusted
 *   CA, the wrong host name, no host name at all (insecure!), a server that
 *   hangs up, a missing client certificate, and no cipher suite in common.
 *
 * Run it: start the server (`lessons/08_server &`), then
 * `lessons/09_debugging` (everything), `lessons/09_debugging --levels`, or
 * `lessons/09_debugging --mistake wrong-hostname --trace`.
 *
 * Exit codes: with `--mistake NAME`, what any client lesson would return for
 * that outcome: 4 when the handshake fails (every mistake), 0 when it
 * succeeds (no-hostname on mbedTLS before 3.6.3: that is the problem it
 * shows). Otherwise 0 when every step behaved as explained, 4 when a mistake
 * did not fail the expected way, 3 when the server cannot be reached, 2 for
 * setup errors, 1 for a bad command line.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <mbedtls/debug.h>
#include <mbedtls/error.h>
#include <mbedtls/ssl_ciphersuites.h>

#include "explain.h"
#include "stages.h"

/* ------------------------------------------------------------------------------------------ */
/* Counting what the debug callback receives                                                   */

/** @brief Debug output per message level (index 1..4). */
struct debug_stats {
    struct debug_sink *forward; /**< --debug: also print the lines here, or NULL */
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

/* ------------------------------------------------------------------------------------------ */
/* One handshake, with one thing possibly done wrong                                           */

/** @brief The deliberate mistakes. */
enum mistake {
    MISTAKE_NONE,
    MISTAKE_NO_CA,          /**< mbedtls_ssl_conf_ca_chain() never called */
    MISTAKE_WRONG_HOSTNAME, /**< mbedtls_ssl_set_hostname() with a name the certificate lacks */
    MISTAKE_NO_HOSTNAME,    /**< mbedtls_ssl_set_hostname() never called */
    MISTAKE_SERVER_CLOSES,  /**< the server hangs up after the ClientHello */
    MISTAKE_NO_CLIENT_CERT, /**< the server requires a client certificate; we have none */
    MISTAKE_NO_SHARED_SUITE /**< we offer only a cipher suite the server cannot use */
};

/** @brief What one handshake attempt produced. */
struct outcome {
    int exit;             /**< WS_EXIT_OK, or the code of the stage that failed (it reported why) */
    int ret;              /**< 0, or the mbedTLS error of the handshake or the read after it */
    const char *function; /**< the mbedTLS function that returned @p ret */
    uint32_t flags;       /**< certificate verification result */
    int received_alert;   /**< alert description the peer sent, or -1 */
    int sent_alert;       /**< alert description we sent, or -1 */
};

/* [attempt] */
/* The handshake, then (when asked) one read that collects an alert the
 * server sends after it, then lesson 07's goodbye. */
static void handshake_and_read(struct tls_session *s, int read_after, struct outcome *out)
{
    int ret;

    /* [attempt-handshake] */
    /* Lesson 05's stage, asking it for mbedTLS's own error code too: this
     * lesson explains it. */
    out->function = "mbedtls_ssl_handshake";
    stage_handshake_ret(&s->ssl, &ret);
    out->flags = mbedtls_ssl_get_verify_result(&s->ssl);
    /* [attempt-handshake] */
    if (ret == 0) {
        if (read_after) {
            unsigned char byte;

            /* A TLS 1.3 server judges our certificate after our side of the
             * handshake is over: its verdict arrives with our first read. */
            out->function = "mbedtls_ssl_read";
            ret = tls_read_some(&s->ssl, &byte, 1);
            if (ret >= 0)
                ret = 0; /* a byte, or the server's close_notify */
        }
        if (ret == 0)
            stage_close_notify(&s->ssl); /* a goodbye that fails changes nothing shown here */
    }
    out->ret = ret;
    out->exit = ret == 0 ? WS_EXIT_OK : WS_EXIT_HANDSHAKE;
}

/* The last plaintext alert each side sent, as the tap saw them. */
static void alerts_seen(const struct trace_bio *tap, struct outcome *out)
{
    const struct trace_alert *in = trace_bio_received_alert(tap);
    const struct trace_alert *sent = trace_bio_sent_alert(tap);

    if (in->seen && in->description != 0)
        out->received_alert = in->description;
    if (sent->seen && sent->description != 0)
        out->sent_alert = sent->description;
}

/* One connection, built from the earlier lessons' stages, to host:port:
 * lesson 04 connects, attaches the TLS context (naming servername, or no
 * name at all when it is NULL: one of the mistakes) and puts the trace tap in
 * place; then the handshake. The tap then tells which alerts crossed the
 * wire. The configuration is shared. */
static void attempt(struct tls_session *s, const struct options *o, const char *host, const char *port,
                    const char *servername, int read_after, struct outcome *out)
{
    struct options target = *o; /* the same options, aimed at this attempt's server */

    memset(out, 0, sizeof(*out));
    out->received_alert = out->sent_alert = -1;
    target.host = host;
    target.port = port;
    target.servername = servername;
    /* The previous attempt freed these; make them fresh again. */
    mbedtls_net_init(&s->net);
    mbedtls_ssl_init(&s->ssl);
    memset(&s->trace, 0, sizeof(s->trace));
    out->exit = stage_connect(s, &target);
    if (out->exit == WS_EXIT_OK) {
        handshake_and_read(s, read_after, out);
        alerts_seen(&s->trace, out);
    }
    mbedtls_ssl_free(&s->ssl);
    trace_bio_free(&s->trace);
    mbedtls_net_free(&s->net);
}
/* [attempt] */

/* ------------------------------------------------------------------------------------------ */
/* The debug levels                                                                            */

/* [levels] */
static int run_levels(struct tls_session *s, const struct options *o)
{
    static const char *const meaning[5] = {
        "nothing", "errors and important events", "state changes and function entry/exit",
        "message contents and buffer dumps", "everything, including every record's raw bytes"};

    printf("\nThe same handshake at each debug threshold (server %s:%s):\n", o->host, o->port);
    for (int threshold = 0; threshold <= 4; threshold++) {
        struct debug_stats st;
        struct outcome out;
        unsigned long lines = 0, bytes = 0;

        memset(&st, 0, sizeof(st));
        /* [levels-threshold] */
        mbedtls_ssl_conf_dbg(&s->conf, counting_debug_callback, &st);
        mbedtls_debug_set_threshold(threshold);
        /* [levels-threshold] */
        printf("\nDebug level %d (%s):\n", threshold, meaning[threshold]);
        attempt(s, o, o->host, o->port, o->servername, 0, &out);
        mbedtls_debug_set_threshold(0);
        if (out.exit != WS_EXIT_OK) {
            /* A failed handshake was reported by lesson 05's stage itself. */
            if (out.ret != 0 && strcmp(out.function, "mbedtls_ssl_handshake") != 0)
                report_mbedtls_error("debugging", out.function, out.ret);
            return out.exit;
        }
        for (int l = 1; l <= 4; l++) {
            lines += st.lines[l];
            bytes += st.bytes[l];
        }
        narrate_info("%lu debug lines, %lu bytes%s", lines, bytes,
                     threshold == 0 ? ": the callback was never called" : "");
        if (threshold == 0)
            continue;
        if (st.lines[threshold] == 0) {
            narrate_info("new at level %d: nothing (this level reports errors, and there were none)",
                         threshold);
            continue;
        }
        /* What appears first at this level: lines whose level is exactly the threshold. */
        narrate_info("new at level %d: %lu lines: %lu buffer dump, %lu function entry/exit, %lu state, "
                     "%lu number",
                     threshold, st.lines[threshold], st.dumps[threshold], st.calls[threshold],
                     st.states[threshold], st.numbers[threshold]);
        narrate_info("first:  %s", st.first[threshold]);
    }
    return WS_EXIT_OK;
}
/* [levels] */

/* ------------------------------------------------------------------------------------------ */
/* Peers for the mistakes that need a misbehaving server                                      */

/** @brief A one-connection server in a thread of this program. */
struct peer {
    mbedtls_net_context listener; /**< bound to 127.0.0.1, a free port */
    char port[16];                /**< the port, as text */
    enum mistake kind;            /**< MISTAKE_SERVER_CLOSES or MISTAKE_NO_CLIENT_CERT */
    struct tls_session s;         /**< server state (MISTAKE_NO_CLIENT_CERT) */
    struct options o;             /**< server options (MISTAKE_NO_CLIENT_CERT) */
    pthread_t thread;             /**< the thread */
    int started;                  /**< the thread runs */
};

/* [peer-closes] */
/* A server that reads the ClientHello and hangs up without a word. */
static void peer_close(struct peer *p, mbedtls_net_context *client)
{
    unsigned char buf[4096];

    (void) p;
    mbedtls_net_recv_timeout(client, buf, sizeof(buf), 5000);
}
/* [peer-closes] */

/* A server that requires a client certificate (the lesson server's
 * --require-client-cert), narrating as "(server)". */
static void peer_require_cert(struct peer *p, mbedtls_net_context *client)
{
    mbedtls_ssl_context ssl;

    narrate_set_thread_prefix("      (in-process server) ");
    mbedtls_ssl_init(&ssl);
    if (stage_attach(&ssl, &p->s.conf, client, NULL) == WS_EXIT_OK)
        stage_handshake(&ssl);
    mbedtls_ssl_free(&ssl);
    narrate_set_thread_prefix(NULL);
}

static void *peer_main(void *arg)
{
    struct peer *p = arg;
    mbedtls_net_context client;

    mbedtls_net_init(&client);
    if (mbedtls_net_accept(&p->listener, &client, NULL, 0, NULL) == 0) {
        if (p->kind == MISTAKE_SERVER_CLOSES)
            peer_close(p, &client);
        else
            peer_require_cert(p, &client);
    }
    mbedtls_net_free(&client);
    return NULL;
}

/* Start a misbehaving server on a free local port. */
static int peer_start(struct peer *p, enum mistake kind)
{
    struct sockaddr_storage local;
    socklen_t len = sizeof(local);
    int ret;

    memset(p, 0, sizeof(*p));
    p->kind = kind;
    mbedtls_net_init(&p->listener);
    if (kind == MISTAKE_NO_CLIENT_CERT) {
        static char cert[4096], key[4096], ca[4096];

        /* The lesson server's stages 01-03, quietly, with --require-client-cert. */
        snprintf(cert, sizeof(cert), "%s/server-ecdsa-chain.pem", options_certs_dir());
        snprintf(key, sizeof(key), "%s/server-ecdsa.key", options_certs_dir());
        snprintf(ca, sizeof(ca), "%s/ca.pem", options_certs_dir());
        p->o.is_server = 1;
        p->o.cert_file = cert;
        p->o.key_file = key;
        p->o.ca_file = ca;
        p->o.require_client_cert = 1;
        p->o.timeout_ms = 5000;
        narrate_set_thread_prefix("      (in-process server) ");
        ret = stage_init(&p->s);
        if (ret == WS_EXIT_OK)
            ret = stage_load_certs(&p->s, &p->o);
        if (ret == WS_EXIT_OK)
            ret = stage_config(&p->s, &p->o, MBEDTLS_SSL_IS_SERVER);
        narrate_set_thread_prefix(""); /* back to main()'s whole lines */
        if (ret != WS_EXIT_OK)
            return ret;
    }
    ret = mbedtls_net_bind(&p->listener, "127.0.0.1", "0", MBEDTLS_NET_PROTO_TCP);
    if (ret != 0) {
        report_mbedtls_error("debugging", "mbedtls_net_bind", ret);
        return WS_EXIT_NETWORK;
    }
    if (getsockname(COMPAT_NET_FD(&p->listener), (struct sockaddr *) &local, &len) != 0 ||
        local.ss_family != AF_INET) {
        report_error("debugging", "cannot find the in-process server's port");
        return WS_EXIT_NETWORK;
    }
    snprintf(p->port, sizeof(p->port), "%u", (unsigned) ntohs(((struct sockaddr_in *) &local)->sin_port));
    if (pthread_create(&p->thread, NULL, peer_main, p) != 0) {
        report_error("debugging", "pthread_create failed");
        return WS_EXIT_SETUP;
    }
    p->started = 1;
    return WS_EXIT_OK;
}

/* Wait until the in-process server has finished its one connection. */
static void peer_join(struct peer *p)
{
    if (p->started)
        pthread_join(p->thread, NULL);
    p->started = 0;
}

static void peer_stop(struct peer *p)
{
    peer_join(p);
    mbedtls_net_free(&p->listener);
    if (p->kind == MISTAKE_NO_CLIENT_CERT) {
        narrate_set_thread_prefix("      (in-process server) ");
        stage_cleanup(&p->s);
        narrate_set_thread_prefix("");
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The deliberate mistakes                                                                     */

/** @brief One deliberate mistake: what is done wrong and what it should produce. */
struct mistake_info {
    const char *name;  /**< for --mistake */
    enum mistake kind; /**< which one */
    const char *what;  /**< what is done wrong */
    int expected_ret;  /**< the error it should cause (0: the handshake passes) */
    int also_ok_ret;   /**< an equivalent error, or 0 */
    const char *why;   /**< the lesson to take away */
};

/* [mistakes] */
static const struct mistake_info mistakes[] = {
    {"no-ca", MISTAKE_NO_CA, "verification required, but mbedtls_ssl_conf_ca_chain() was never called",
     MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED, 0,
     "without trusted CAs nothing can be verified; mbedTLS refuses instead of trusting everyone."},
    {"wrong-hostname", MISTAKE_WRONG_HOSTNAME,
     "mbedtls_ssl_set_hostname(\"wrong.example\"), a name the server's certificate does not carry",
     MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, 0,
     "the certificate is valid, but for another name: the client must reject it, and tells the "
     "server why with a bad_certificate alert."},
    {"no-hostname", MISTAKE_NO_HOSTNAME, "mbedtls_ssl_set_hostname() never called (INSECURE)",
     COMPAT_NO_HOSTNAME_RESULT, 0,
     "without a name to expect, mbedTLS before 3.6.3 (and 2.28.10) checks the chain but not the "
     "name: any certificate from a trusted CA passes, whatever site it was issued for, so anyone "
     "holding a valid certificate for their own site can impersonate this server. Later releases "
     "refuse with -0x5D80. Always call mbedtls_ssl_set_hostname()."},
    {"server-closes", MISTAKE_SERVER_CLOSES, "the server reads the ClientHello and hangs up",
     MBEDTLS_ERR_SSL_CONN_EOF, MBEDTLS_ERR_NET_CONN_RESET,
     "the TCP connection ended mid-handshake with no alert: there is no TLS reason to decode; look "
     "at the server's own log."},
    {"no-client-cert", MISTAKE_NO_CLIENT_CERT,
     "the server requires a client certificate (--require-client-cert); we have none",
     COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT, COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT_TOO,
     "only the server's log names the cause (-0x7480, no client certificate): a 2.28 server just "
     "hangs up, a 3.x server sends an alert that a TLS 1.3 client meets on its first read "
     "(-0x7780, or -0x7180 when it cannot decrypt it). Give the client --cert and --key."},
    {"no-shared-suite", MISTAKE_NO_SHARED_SUITE,
     "we offer only TLS-RSA-WITH-AES-128-GCM-SHA256, which a server with an ECDSA key cannot use",
     MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, 0,
     "-0x7780 only says that the peer gave up; the alert it sent (handshake_failure) says why: "
     "nothing we offered was acceptable."},
};
/* [mistakes] */

/* [run-mistake] */
static int run_mistake(struct tls_session *s, const struct options *o, const struct mistake_info *m,
                       int *as_expected)
{
    static const int rsa_only[] = {MBEDTLS_TLS_RSA_WITH_AES_128_GCM_SHA256, 0};
    const char *host = o->host, *port = o->port, *servername = o->servername;
    struct peer peer;
    struct outcome out;
    int ret;

    memset(&peer, 0, sizeof(peer));
    mbedtls_net_init(&peer.listener);
    printf("\nMistake '%s': %s\n", m->name, m->what);
    switch (m->kind) {
    case MISTAKE_NO_CA:
        /* [mistake-no-ca] */
        mbedtls_ssl_conf_ca_chain(&s->conf, NULL, NULL);
        /* [mistake-no-ca] */
        break;
    case MISTAKE_WRONG_HOSTNAME:
        servername = "wrong.example";
        break;
    case MISTAKE_NO_SHARED_SUITE:
        /* [mistake-no-shared-suite] */
        mbedtls_ssl_conf_ciphersuites(&s->conf, rsa_only);
        /* [mistake-no-shared-suite] */
        break;
    case MISTAKE_NO_HOSTNAME:
        servername = NULL;
        break;
    case MISTAKE_SERVER_CLOSES:
    case MISTAKE_NO_CLIENT_CERT:
        ret = peer_start(&peer, m->kind);
        if (ret != WS_EXIT_OK) {
            peer_stop(&peer);
            return ret;
        }
        /* The in-process server listens on IPv4 loopback only. */
        host = "127.0.0.1", port = peer.port, servername = "localhost";
        mbedtls_debug_set_threshold(o->debug_level);
        break;
    case MISTAKE_NONE:
        break;
    }

    attempt(s, o, host, port, servername, m->kind == MISTAKE_NO_CLIENT_CERT, &out);
    peer_join(&peer);
    /* Undo the mistake for the next one. */
    mbedtls_ssl_conf_ca_chain(&s->conf, &s->ca_chain, s->have_crl ? &s->crl : NULL);
    mbedtls_ssl_conf_ciphersuites(&s->conf, o->ciphersuites[0] != 0 ? o->ciphersuites
                                                                    : mbedtls_ssl_list_ciphersuites());
    if (out.exit != WS_EXIT_OK && out.ret == 0) {
        /* The connection itself failed (the stage said why): no mistake to see. */
        peer_stop(&peer);
        return out.exit;
    }

    if (out.ret != 0) {
        /* A failed handshake was reported by lesson 05's stage itself. */
        if (strcmp(out.function, "mbedtls_ssl_handshake") != 0)
            report_mbedtls_error("debugging", out.function, out.ret);
        /* [explain-failure] */
        explain_handshake_failure(out.ret, out.flags, out.received_alert, out.sent_alert);
        /* [explain-failure] */
        if (out.ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && out.received_alert < 0)
            narrate_info("alert received: encrypted (TLS 1.3), so the tap cannot read its description");
    }
    /* [mistake-no-hostname] */
    if (m->kind == MISTAKE_NO_HOSTNAME && out.ret == 0)
        narrate_info("!!! INSECURE !!! the handshake passed, but no name was checked: "
                     "this connection proves nothing about who answered");
    /* [mistake-no-hostname] */
    narrate_info("why: %s", m->why);
    *as_expected = out.ret == m->expected_ret || (m->also_ok_ret != 0 && out.ret == m->also_ok_ret);
    if (*as_expected) {
        narrate_info("as expected");
    } else {
        char text[160];

        narrate_info("UNEXPECTED: expected -0x%04X (%s)", (unsigned) -m->expected_ret,
                     m->expected_ret ? error_text(m->expected_ret, text, sizeof(text)) : "success");
    }
    peer_stop(&peer);
    return out.ret == 0 ? WS_EXIT_OK : WS_EXIT_HANDSHAKE;
}
/* [run-mistake] */

/* ------------------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    struct tls_session s;
    struct options o;
    const char *only = NULL, *levels = NULL;
    const struct extra_option own[] = {
        {"levels", EXTRA_SWITCH, NULL, "only the handshake at debug levels 0-4", &levels},
        {"mistake", EXTRA_TEXT, "NAME",
         "only one mistake: no-ca, wrong-hostname, no-hostname,\nserver-closes, no-client-cert, "
         "no-shared-suite\n(exit code: 4 if the handshake failed, 0 if it passed)",
         &only},
        {NULL, EXTRA_SWITCH, NULL, NULL, NULL},
    };
    int done, ret, failures = 0;
    int ret_mistake = WS_EXIT_OK;

    ret = options_parse_extra(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT,
                              "Lesson 09: debug levels, decoded errors and alerts, and six deliberate mistakes.",
                              own, &o, &done);
    if (done)
        return ret;
    if (only != NULL) {
        size_t i;

        for (i = 0; i < sizeof(mistakes) / sizeof(mistakes[0]); i++)
            if (strcmp(only, mistakes[i].name) == 0)
                break;
        if (i == sizeof(mistakes) / sizeof(mistakes[0])) {
            return options_usage_error(&o, "unknown mistake '%s'", only);
        }
    }
    signal(SIGPIPE, SIG_IGN);
    /* Whole narration lines: trace lines and the in-process server's lines
     * can then come between them without cutting one in half. */
    narrate_set_thread_prefix("");

    ret = stage_init(&s);
    /* Lesson 04 puts the tap in place even without --trace: it reports the
     * alerts that explain a failure. */
    s.watch_alerts = 1;
    if (ret == WS_EXIT_OK)
        ret = stage_load_certs(&s, &o);
    if (ret == WS_EXIT_OK)
        ret = stage_config(&s, &o, MBEDTLS_SSL_IS_CLIENT);
    if (ret == WS_EXIT_OK && (levels || only == NULL))
        ret = run_levels(&s, &o);
    if (ret == WS_EXIT_OK && !levels) {
        /* Mistakes print debug lines only with --debug N, as every lesson. */
        mbedtls_ssl_conf_dbg(&s.conf, debug_log_callback, &s.debug);
        for (size_t i = 0; i < sizeof(mistakes) / sizeof(mistakes[0]); i++) {
            int as_expected = 0;

            if (only != NULL && strcmp(only, mistakes[i].name) != 0)
                continue;
            mbedtls_debug_set_threshold(o.debug_level);
            ret_mistake = run_mistake(&s, &o, &mistakes[i], &as_expected);
            if (ret_mistake != WS_EXIT_OK && ret_mistake != WS_EXIT_HANDSHAKE) {
                ret = ret_mistake; /* could not even set the mistake up */
                break;
            }
            failures += !as_expected;
        }
        if (ret == WS_EXIT_OK && only != NULL)
            ret = ret_mistake;
        else if (ret == WS_EXIT_OK && failures > 0)
            ret = WS_EXIT_HANDSHAKE;
        if (only == NULL)
            printf("\n%d of %zu mistakes behaved as explained.\n",
                   (int) (sizeof(mistakes) / sizeof(mistakes[0])) - failures,
                   sizeof(mistakes) / sizeof(mistakes[0]));
    }
    stage_cleanup(&s);
    return ret;
}
