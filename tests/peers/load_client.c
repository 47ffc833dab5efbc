/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file load_client.c
 * @brief Load generator for the lesson server: many TLS clients at once.
 *
 * Usage: load_client --port N [--clients N] [--requests N] [--ca FILE] [--timeout MS] [--abort] [--p256]
 *                    [--latency]
 *
 * Starts --clients threads (default 64); each makes --requests connections
 * (default 25) to localhost, one after the other, each with a full handshake
 * (no session resumption), a `GET /`, a check that the answer is
 * "HTTP/1.1 200" and that the server ended it with close_notify (a
 * connection that just stops could have been cut: lesson 06), then our own
 * close_notify. At the end it prints one line, for example
 *
 *     load: 64 clients x 25 requests = 1600 handshakes, 0 failed, 4.91 s, 325.9 handshakes/s
 *
 * With --abort each client sends its request and then resets the connection
 * without reading the answer (a client that disconnects mid-response); then
 * only the handshakes are counted.
 *
 * With --latency a second line gives the percentiles of the handshake
 * latency as the clients saw it, from before the TCP connect to the end of
 * the handshake, over the handshakes that succeeded (bench/capacity.sh
 * reads it), for example
 *
 *     latency: 1600 handshakes, p50 12.41 ms, p90 20.07 ms, p99 31.90 ms
 *
 * By default the client offers the groups a lesson offers (X25519, then
 * P-256: lesson 03); --p256 offers only secp256r1, for a second figure.
 *
 * Everything TLS comes from the lessons' stages, run silently: 01-03 once
 * for the configuration every thread shares (with the random generator
 * behind a lock, common/locked_rng.h), then per connection 04's TCP connect
 * and attach, 05's handshake, 06's write and read loops and 07's
 * close_notify (tests/peers/https_get.c). The first failures are printed,
 * one line each.
 *
 * Exit codes: 0 every connection succeeded, 1 usage, 2 setup, 3 failures.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "https_get.h"
#include "locked_rng.h"
#include "stages.h"

/** @brief Print at most this many failure lines; count the rest. */
#define MAX_REPORTED_FAILURES 10

/** @brief What every client thread shares. */
struct load {
    struct tls_endpoint s;    /**< stages 01-03: RNG, CA, the shared configuration */
    struct locked_rng rng;    /**< s.rng behind a lock, for all threads */
    struct options o;         /**< what the stages were told */
    int requests;             /**< connections per client */
    int abort_early;          /**< reset right after sending the request */
    pthread_mutex_t lock;     /**< protects the counters */
    unsigned long ok, failed; /**< results so far */
    double *latency_ms;       /**< with --latency: one slot per connection, the first @c ok filled */
};

/* Count one connection and keep its latency; print the first failures (the stage's first error
 * line). */
static void count_result(struct load *load, const char *failure, double handshake_ms)
{
    pthread_mutex_lock(&load->lock);
    if (failure == NULL) {
        if (load->latency_ms != NULL)
            load->latency_ms[load->ok] = handshake_ms;
        load->ok++;
    } else {
        load->failed++;
        if (load->failed <= MAX_REPORTED_FAILURES)
            fprintf(stderr, "load: %s\n", failure[0] != '\0' ? failure : "failed (no error reported)");
    }
    pthread_mutex_unlock(&load->lock);
}

static void *client_thread(void *arg)
{
    struct load *load = arg;
    struct https_get get = {.conf = &load->s.conf,
                            .host = load->o.host,
                            .port = load->o.port,
                            .servername = load->o.servername,
                            .path = "/",
                            .reset_after_request = load->abort_early};

    for (int i = 0; i < load->requests; i++) {
        const char *failure = https_get(&get);

        count_result(load, failure, get.handshake_ms);
    }
    return NULL;
}

/* Parse "--name value" options; returns 0 or -1. */
static int parse_args(int argc, char **argv, struct load *load, int *clients, int *p256_only, int *latency)
{
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(argv[i], "--abort") == 0) {
            load->abort_early = 1;
            continue;
        }
        if (strcmp(argv[i], "--p256") == 0) {
            *p256_only = 1;
            continue;
        }
        if (strcmp(argv[i], "--latency") == 0) {
            *latency = 1;
            continue;
        }
        if (value == NULL)
            return -1;
        if (strcmp(argv[i], "--port") == 0)
            load->o.port = value;
        else if (strcmp(argv[i], "--clients") == 0)
            *clients = atoi(value);
        else if (strcmp(argv[i], "--requests") == 0)
            load->requests = atoi(value);
        else if (strcmp(argv[i], "--ca") == 0)
            load->o.ca_file = value;
        else if (strcmp(argv[i], "--timeout") == 0)
            load->o.timeout_ms = (unsigned) atoi(value);
        else
            return -1;
        i++;
    }
    return (load->o.port == NULL || *clients < 1 || *clients > 1024 || load->requests < 1 ||
            load->o.timeout_ms < 1 || load->o.timeout_ms > 3600000)
               ? -1
               : 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

/* The nearest-rank percentile P of N sorted values. */
static double percentile(const double *sorted, unsigned long n, double p)
{
    unsigned long rank = (unsigned long) (p / 100.0 * (double) n + 0.999999);

    return sorted[rank < 1 ? 0 : (rank > n ? n - 1 : rank - 1)];
}

/* Stages 01-03 once, for every thread; the generator goes behind the lock. */
static int prepare(struct load *load)
{
    if (stage_prepare(&load->s, &load->o, MBEDTLS_SSL_IS_CLIENT) != WS_EXIT_OK) {
        fprintf(stderr, "load: setup failed: %s\n", report_first_error());
        return WS_EXIT_SETUP;
    }
    if (locked_rng_init(&load->rng, &load->s.rng) != 0) {
        fprintf(stderr, "load: setup failed: cannot create the random generator's lock\n");
        return WS_EXIT_SETUP;
    }
    compat_conf_rng(&load->s.conf, locked_rng_random, &load->rng);
    return WS_EXIT_OK;
}

int main(int argc, char **argv)
{
    static struct load load; /* about 40 KB: off the stack */
    char default_ca[4096], bad_group[64];
    pthread_t *threads = NULL;
    int clients = 64, started = 0, p256_only = 0, latency = 0, rng_ready = 0, ret;
    double start, seconds;

    /* What a lesson client would take from its command line. */
    snprintf(default_ca, sizeof(default_ca), "%s/ca.pem", options_certs_dir());
    load.o.ca_file = default_ca;
    load.o.host = "localhost";
    load.o.servername = "localhost";
    load.o.timeout_ms = 30000;
    load.requests = 25;
    if (parse_args(argc, argv, &load, &clients, &p256_only, &latency) != 0) {
        fprintf(
            stderr,
            "usage: %s --port N [--clients N] [--requests N] [--ca FILE] [--timeout MS] [--abort] [--p256] "
            "[--latency]\n",
            argv[0]);
        return 1;
    }
    /* The groups a lesson offers (lesson 03), or P-256 alone. */
    if (options_parse_groups(p256_only ? "secp256r1" : OPTIONS_DEFAULT_GROUPS, load.o.tls_groups,
                             OPTIONS_MAX_GROUPS, bad_group, sizeof(bad_group)) != 0) {
        fprintf(stderr, "load_client: this mbedTLS lacks the group %s\n", bad_group);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    /* 64 threads must not narrate; failures are counted and the first few
     * printed by count_result(). */
    report_set_mode(REPORT_SILENT);
    pthread_mutex_init(&load.lock, NULL);

    ret = prepare(&load) == WS_EXIT_OK ? 0 : 2;
    rng_ready = ret == 0;
    if (ret == 0) {
        threads = calloc((size_t) clients, sizeof(*threads));
        if (latency)
            load.latency_ms = calloc((size_t) clients * (size_t) load.requests, sizeof(double));
        if (threads == NULL || (latency && load.latency_ms == NULL))
            ret = 2;
    }
    if (ret == 0) {
        start = now_ms();
        for (; started < clients; started++)
            if (pthread_create(&threads[started], NULL, client_thread, &load) != 0)
                break;
        for (int i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
        seconds = (now_ms() - start) / 1000.0;
        if (started < clients)
            fprintf(stderr, "load: could only start %d of %d threads\n", started, clients);
        printf(
            "load: %d clients x %d requests = %lu handshakes, %lu failed, %.2f s, %.1f handshakes/s (%s)%s\n",
            started, load.requests, load.ok + load.failed, load.failed, seconds,
            seconds > 0 ? (double) load.ok / seconds : 0.0,
            p256_only ? "client offers secp256r1 only" : "default groups",
            load.abort_early ? ", aborting mid-response" : "");
        if (latency && load.ok > 0) {
            qsort(load.latency_ms, load.ok, sizeof(double), compare_doubles);
            printf("latency: %lu handshakes, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms\n", load.ok,
                   percentile(load.latency_ms, load.ok, 50), percentile(load.latency_ms, load.ok, 90),
                   percentile(load.latency_ms, load.ok, 99));
        }
        ret = (load.failed == 0 && started == clients) ? 0 : 3;
    }

    free(load.latency_ms);
    free(threads);
    /* In reverse order of creation: the lock around the generator, then
     * everything stages 01-03 made (lesson 07). */
    if (rng_ready)
        locked_rng_free(&load.rng);
    stage_cleanup(&load.s);
    pthread_mutex_destroy(&load.lock);
    return ret;
}
