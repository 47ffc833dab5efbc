/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file soak_client.c
 * @brief The soak: many TLS clients at once for a fixed time, well-behaved and not, against the
 *        lesson server.
 *
 * Usage: soak_client --port N --cert-port N [--clients N] [--seconds S] [--watch PID]...
 *                    [--rss-after N] [--ca FILE] [--timeout MS]
 *
 * Starts --clients threads (default 64). Thread i plays kind i modulo 7 over and over until
 * --seconds (default 120) have passed, one connection after the other:
 *
 * - full:        a full handshake and `GET /` (https_get.c: 200 OK, then close_notify);
 * - resume:      the same, offering the session of its previous connection (a TLS 1.3 ticket
 *                with mbedTLS 3.6, a TLS 1.2 ticket with 2.28); counted as resumed when the
 *                server sent less than half the handshake bytes of a full handshake;
 *                a connection whose session cannot be resumed must still succeed;
 * - resume-id:   TLS 1.2 without tickets, so that the server resumes from its session cache;
 * - client-cert: a full handshake with the workshop's client certificate, to the server on
 *                --cert-port (08_server --require-client-cert), which must name it in its answer;
 * - slow-reader: `GET /hello`, reading at most 256 bytes at a time, 10 ms apart;
 * - abort:       a handshake cut short by a TCP reset, after the ClientHello or in the middle;
 * - garbage:     300 random bytes instead of a ClientHello; the server must close the connection
 *                within --timeout (default 30 s, the clients' read timeout too).
 *
 * The first five are well-behaved: any failure counts. The last two are not: the server must
 * simply survive them (and close every garbage connection). With --watch PID (at most 4), the
 * VmRSS of those processes (/proc/PID/status) is read once --rss-after connections (default
 * 1000) have finished, and again at the end. The output is one line per kind, then
 *
 *     soak: 64 clients, 120.0 s: 9876 connections, 0 failed among the well-behaved
 *     soak: server 1234 VmRSS 11200 kB after 1000 connections, 11456 kB at the end
 *
 * Everything TLS comes from the lessons' stages, run silently: 01-03 once per configuration
 * (plain, TLS 1.2 without tickets, with a client certificate), shared by the threads behind a
 * locked random generator (common/locked_rng.h); then stages 04-07 per connection.
 *
 * Exit codes: 0 no well-behaved client failed and the server closed every garbage connection,
 * 1 usage, 2 setup, 3 failures.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "https_get.h"
#include "locked_rng.h"
#include "stages.h"

#define MAX_REPORTED_FAILURES 10 /**< print at most this many failure lines */
#define MAX_WATCHED 4            /**< servers whose memory is watched */

enum kind { FULL, RESUME, RESUME_ID, CLIENT_CERT, SLOW_READER, ABORT, GARBAGE, KINDS };
static const char *const kind_name[KINDS] = {"full",        "resume", "resume-id", "client-cert",
                                             "slow-reader", "abort",  "garbage"};

/** @brief One configuration (stages 01-03), shared by the threads that use it. */
struct endpoint {
    struct tls_endpoint s; /**< RNG, CA, certificate, configuration */
    struct options o;      /**< what the stages were told */
    struct locked_rng rng; /**< s.rng behind a lock */
    int rng_ready;         /**< rng needs freeing */
};

/** @brief What one kind of client did. */
struct tally {
    unsigned long connections; /**< connections made */
    unsigned long failed;      /**< well-behaved ones that failed; garbage ones the server left open */
    unsigned long resumed;     /**< resumed handshakes */
};

/** @brief One client thread: which kind it plays. */
struct client {
    struct soak *soak; /**< what it shares with the others */
    enum kind kind;    /**< what it does */
    pthread_t thread;  /**< the thread */
};

/** @brief What every thread shares. */
struct soak {
    struct endpoint plain, id, cert; /**< the three configurations */
    const char *port, *cert_port;    /**< the two servers */
    double deadline;                 /**< now_ms() when threads stop starting connections */
    pthread_mutex_t lock;            /**< protects everything below */
    struct tally tally[KINDS];       /**< by kind */
    unsigned long total;             /**< connections finished */
    unsigned long rss_after;         /**< read the first VmRSS after this many */
    int watched[MAX_WATCHED];        /**< the servers' process ids */
    int n_watched;                   /**< how many */
    long rss_first[MAX_WATCHED];     /**< VmRSS in kB after rss_after connections */
    long rss_last[MAX_WATCHED];      /**< VmRSS in kB at the end */
};

/* VmRSS of a process in kB, or -1. */
static long vm_rss_kb(int pid)
{
    char path[64], line[256];
    long kb = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* Count one finished connection; print the first failures. */
static void count(struct soak *soak, enum kind kind, const char *failure, int resumed)
{
    pthread_mutex_lock(&soak->lock);
    soak->tally[kind].connections++;
    soak->tally[kind].resumed += resumed;
    if (failure != NULL && ++soak->tally[kind].failed <= MAX_REPORTED_FAILURES)
        fprintf(stderr, "soak: %s: %s\n", kind_name[kind], failure[0] != '\0' ? failure : "failed");
    if (++soak->total == soak->rss_after)
        for (int i = 0; i < soak->n_watched; i++)
            soak->rss_first[i] = vm_rss_kb(soak->watched[i]);
    pthread_mutex_unlock(&soak->lock);
}

/* abort: stage 04, then a few handshake steps (ClientHello sent; or the server's first flight
 * read too), then a reset. Nothing to check: the server must survive it. */
static void cut_handshake(const struct endpoint *e, const char *port, int steps)
{
    mbedtls_ssl_context ssl;
    mbedtls_net_context net;

    mbedtls_ssl_init(&ssl);
    mbedtls_net_init(&net);
    if (stage_connect_tcp(&net, e->o.host, port) == WS_EXIT_OK &&
        stage_attach(&ssl, &e->s.conf, &net, e->o.servername) == WS_EXIT_OK) {
        struct linger hard = {.l_onoff = 1, .l_linger = 0};

        for (int i = 0; i < steps && mbedtls_ssl_handshake_step(&ssl) == 0; i++)
            ;
        setsockopt(COMPAT_NET_FD(&net), SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
    }
    mbedtls_ssl_free(&ssl);
    mbedtls_net_free(&net);
}

/* garbage: random bytes where a ClientHello belongs; NULL once the server closed the connection. */
static const char *send_garbage(struct endpoint *e, const char *port)
{
    unsigned char junk[300], answer[512];
    mbedtls_net_context net;
    const char *failure = "the server kept a garbage connection open";
    int ret;

    mbedtls_net_init(&net);
    if (stage_connect_tcp(&net, e->o.host, port) != WS_EXIT_OK) {
        failure = "cannot connect";
    } else if (locked_rng_random(&e->rng, junk, sizeof(junk)) == 0 &&
               mbedtls_net_send(&net, junk, sizeof(junk)) > 0) {
        /* An alert, perhaps, then the end, long before our own timeout. */
        do
            ret = mbedtls_net_recv_timeout(&net, answer, sizeof(answer), e->o.timeout_ms);
        while (ret > 0);
        if (ret == 0 || ret == MBEDTLS_ERR_NET_CONN_RESET)
            failure = NULL;
    } else {
        failure = NULL; /* the server closed before we could even send */
    }
    mbedtls_net_free(&net);
    return failure;
}

/* resume, resume-id: offer the previous session; a full handshake sets the yardstick. */
static void resume_once(struct soak *soak, enum kind kind, struct https_get *get, mbedtls_ssl_session *saved,
                        int *have_saved, size_t *full_bytes)
{
    mbedtls_ssl_session fresh;
    const char *failure;
    int resumed = 0;

    mbedtls_ssl_session_init(&fresh);
    get->offer = *have_saved ? saved : NULL;
    get->keep = &fresh;
    failure = https_get(get);
    if (failure == NULL && !*have_saved)
        *full_bytes = get->handshake_bytes;
    else if (failure == NULL)
        resumed = get->handshake_bytes * 2 < *full_bytes;
    if (failure == NULL && get->kept) {
        mbedtls_ssl_session_free(saved);
        *saved = fresh; /* ownership moves; fresh is not freed below */
        mbedtls_ssl_session_init(&fresh);
        *have_saved = 1;
    }
    mbedtls_ssl_session_free(&fresh);
    count(soak, kind, failure, resumed);
}

static void *client_thread(void *arg)
{
    struct soak *soak = ((struct client *) arg)->soak;
    enum kind kind = ((struct client *) arg)->kind;
    struct endpoint *e = kind == RESUME_ID ? &soak->id : kind == CLIENT_CERT ? &soak->cert : &soak->plain;
    struct https_get get = {
        .conf = &e->s.conf, .host = e->o.host, .servername = e->o.servername, .path = "/"};
    mbedtls_ssl_session saved;
    size_t full_bytes = 0;
    int have_saved = 0;

    get.port = kind == CLIENT_CERT ? soak->cert_port : soak->port;
    get.path = kind == SLOW_READER ? "/hello" : "/";
    get.slow = kind == SLOW_READER;
    mbedtls_ssl_session_init(&saved);
    for (unsigned long n = 0; now_ms() < soak->deadline; n++) {
        const char *failure;

        switch (kind) {
        case RESUME:
        case RESUME_ID:
            resume_once(soak, kind, &get, &saved, &have_saved, &full_bytes);
            break;
        case ABORT:
            cut_handshake(e, soak->port, n % 2 ? 2 : 4);
            count(soak, kind, NULL, 0);
            break;
        case GARBAGE:
            count(soak, kind, send_garbage(e, soak->port), 0);
            break;
        default:
            failure = https_get(&get);
            if (failure == NULL && kind == CLIENT_CERT &&
                (strstr(get.head, "Client certificate: ") == NULL ||
                 strstr(get.head, "Client certificate: none")))
                failure = "the server did not name our client certificate";
            count(soak, kind, failure, 0);
        }
    }
    mbedtls_ssl_session_free(&saved);
    return NULL;
}

/* Stages 01-03 for one configuration; the generator goes behind a lock for all threads. */
static int prepare(struct endpoint *e, const char *ca, unsigned timeout_ms, const char *suites, int tickets,
                   const char *cert, const char *key)
{
    char bad[64];

    e->o.ca_file = ca;
    e->o.cert_file = cert;
    e->o.key_file = key;
    e->o.host = e->o.servername = "localhost";
    e->o.timeout_ms = timeout_ms;
    /* What a lesson client takes from its command line (lesson 03's groups). */
    if (options_parse_groups(OPTIONS_DEFAULT_GROUPS, e->o.tls_groups, OPTIONS_MAX_GROUPS, bad, sizeof(bad)) !=
        0) {
        fprintf(stderr, "soak: this mbedTLS lacks the group %s\n", bad);
        return WS_EXIT_SETUP;
    }
    if (suites != NULL && options_parse_ciphersuites(suites, e->o.ciphersuites, OPTIONS_MAX_CIPHERSUITES, bad,
                                                     sizeof(bad)) != 0) {
        fprintf(stderr, "soak: this mbedTLS lacks the suite %s\n", bad);
        return WS_EXIT_SETUP;
    }
    if (stage_prepare(&e->s, &e->o, MBEDTLS_SSL_IS_CLIENT) != WS_EXIT_OK) {
        fprintf(stderr, "soak: setup failed: %s\n", report_first_error());
        return WS_EXIT_SETUP;
    }
    if (locked_rng_init(&e->rng, &e->s.rng) != 0) {
        fprintf(stderr, "soak: setup failed: cannot create the random generator's lock\n");
        return WS_EXIT_SETUP;
    }
    e->rng_ready = 1;
    compat_conf_rng(&e->s.conf, locked_rng_random, &e->rng);
    /* Keep TLS 1.3 tickets, which come after the handshake (lesson 10). */
    compat_conf_tls13_signal_tickets(&e->s.conf);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    if (!tickets)
        mbedtls_ssl_conf_session_tickets(&e->s.conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#else
    (void) tickets;
#endif
    return WS_EXIT_OK;
}

static void free_endpoint(struct endpoint *e)
{
    if (e->rng_ready)
        locked_rng_free(&e->rng);
    stage_cleanup(&e->s);
}

/* Parse "--name value" options; returns 0 or -1. */
static int parse_args(int argc, char **argv, struct soak *soak, int *clients, double *seconds,
                      const char **ca, unsigned *timeout_ms)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *value = argv[i + 1];

        if (strcmp(argv[i], "--port") == 0)
            soak->port = value;
        else if (strcmp(argv[i], "--cert-port") == 0)
            soak->cert_port = value;
        else if (strcmp(argv[i], "--clients") == 0)
            *clients = atoi(value);
        else if (strcmp(argv[i], "--seconds") == 0)
            *seconds = atof(value);
        else if (strcmp(argv[i], "--rss-after") == 0)
            soak->rss_after = strtoul(value, NULL, 10);
        else if (strcmp(argv[i], "--ca") == 0)
            *ca = value;
        else if (strcmp(argv[i], "--timeout") == 0)
            *timeout_ms = (unsigned) strtoul(value, NULL, 10);
        else if (strcmp(argv[i], "--watch") == 0 && soak->n_watched < MAX_WATCHED)
            soak->watched[soak->n_watched++] = atoi(value);
        else
            return -1;
    }
    return (argc % 2 == 0 || soak->port == NULL || soak->cert_port == NULL || *clients < 1 ||
            *clients > 1024 || *seconds <= 0 || soak->rss_after < 1 || *timeout_ms < 1 ||
            *timeout_ms > 3600000)
               ? -1
               : 0;
}

static void report(const struct soak *soak, int clients, double seconds)
{
    unsigned long total = 0, failed = 0;

    for (int k = 0; k < KINDS; k++) {
        const struct tally *t = &soak->tally[k];

        total += t->connections;
        if (k <= SLOW_READER)
            failed += t->failed;
        printf("soak: %-12s %6lu connections", kind_name[k], t->connections);
        if (k == RESUME || k == RESUME_ID)
            printf(", %lu failed, %lu resumed\n", t->failed, t->resumed);
        else if (k == ABORT)
            printf(", each cut short by a reset\n");
        else if (k == GARBAGE)
            printf(", %lu left open by the server\n", t->failed);
        else
            printf(", %lu failed\n", t->failed);
    }
    printf("soak: %d clients, %.1f s: %lu connections, %lu failed among the well-behaved\n", clients, seconds,
           total, failed);
    for (int i = 0; i < soak->n_watched; i++)
        printf("soak: server %d VmRSS %ld kB after %lu connections, %ld kB at the end\n", soak->watched[i],
               soak->rss_first[i], soak->rss_after, soak->rss_last[i]);
}

int main(int argc, char **argv)
{
    static struct soak soak; /* three configurations: off the stack */
    static char default_ca[4096], cert[4096], key[4096];
    struct client *threads = NULL;
    const char *ca = default_ca;
    double seconds = 120, start;
    unsigned timeout_ms = 30000;
    int clients = 64, started = 0, ret;

    snprintf(default_ca, sizeof(default_ca), "%s/ca.pem", options_certs_dir());
    snprintf(cert, sizeof(cert), "%s/client-chain.pem", options_certs_dir());
    snprintf(key, sizeof(key), "%s/client.key", options_certs_dir());
    soak.rss_after = 1000;
    if (parse_args(argc, argv, &soak, &clients, &seconds, &ca, &timeout_ms) != 0) {
        fprintf(stderr,
                "usage: %s --port N --cert-port N [--clients N] [--seconds S] [--watch PID]... "
                "[--rss-after N] [--ca FILE] [--timeout MS]\n",
                argv[0]);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    /* The threads must not narrate; count() prints the first failures. */
    report_set_mode(REPORT_SILENT);
    pthread_mutex_init(&soak.lock, NULL);

    ret = prepare(&soak.plain, ca, timeout_ms, NULL, 1, NULL, NULL);
    if (ret == WS_EXIT_OK)
        ret = prepare(&soak.id, ca, timeout_ms, "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256", 0, NULL, NULL);
    if (ret == WS_EXIT_OK)
        ret = prepare(&soak.cert, ca, timeout_ms, NULL, 1, cert, key);
    if (ret == WS_EXIT_OK && (threads = calloc((size_t) clients, sizeof(*threads))) == NULL)
        ret = WS_EXIT_SETUP;
    if (ret == WS_EXIT_OK) {
        start = now_ms();
        soak.deadline = start + seconds * 1000;
        for (; started < clients; started++) {
            threads[started].soak = &soak;
            threads[started].kind = (enum kind)(started % KINDS);
            if (pthread_create(&threads[started].thread, NULL, client_thread, &threads[started]) != 0)
                break;
        }
        for (int i = 0; i < started; i++)
            pthread_join(threads[i].thread, NULL);
        for (int i = 0; i < soak.n_watched; i++)
            soak.rss_last[i] = vm_rss_kb(soak.watched[i]);
        if (started < clients)
            fprintf(stderr, "soak: could only start %d of %d threads\n", started, clients);
        report(&soak, started, (now_ms() - start) / 1000.0);
        ret = 0;
        for (int k = 0; k < KINDS; k++)
            if (k != ABORT && soak.tally[k].failed != 0)
                ret = 3;
        if (started < clients)
            ret = 3;
    }

    free(threads);
    /* In reverse order of creation (lesson 07). */
    free_endpoint(&soak.cert);
    free_endpoint(&soak.id);
    free_endpoint(&soak.plain);
    pthread_mutex_destroy(&soak.lock);
    return ret;
}
