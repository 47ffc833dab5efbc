/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file load_client.c
 * @brief Load generator for the lesson server: many TLS clients at once.
 *
 * Usage: load_client --port N [--clients N] [--requests N] [--ca FILE] [--abort] [--p256]
 *
 * Starts --clients threads (default 64); each makes --requests connections
 * (default 25) to localhost, one after the other, each with a full handshake
 * (no session resumption), a `GET /` and a check that the answer is
 * "HTTP/1.1 200". The threads share one configuration and, behind a lock,
 * one random generator. At the end it prints one line, for example
 *
 *     load: 64 clients x 25 requests = 1600 handshakes, 0 failed, 4.91 s, 325.9 handshakes/s
 *
 * With --abort each client sends its request and then resets the connection
 * without reading the answer (a client that disconnects mid-response); then
 * only the handshakes are counted.
 *
 * By default the client offers mbedTLS's default groups, and a 2.28 server
 * then picks secp521r1, the first of its own list; --p256 offers only
 * secp256r1, as most real clients would end up with, for a second figure.
 *
 * Exit codes: 0 every connection succeeded, 1 usage, 2 setup, 3 failures.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "compat.h"

/** @brief Print at most this many failure lines; count the rest. */
#define MAX_REPORTED_FAILURES 10

/** @brief What every client thread shares. */
struct load {
    mbedtls_entropy_context entropy;   /**< seeds the generator */
    mbedtls_ctr_drbg_context ctr_drbg; /**< one generator for all threads */
    pthread_mutex_t rng_lock;          /**< serialises ctr_drbg */
    mbedtls_x509_crt ca;               /**< trusted root */
    mbedtls_ssl_config conf;           /**< shared TLS settings */
    const char *port;                  /**< where the server listens */
    int requests;                      /**< connections per client */
    int abort_early;                   /**< reset right after sending the request */
    int p256_only;                     /**< offer only the secp256r1 group */
    pthread_mutex_t lock;              /**< protects the counters */
    unsigned long ok, failed;          /**< results so far */
};

static int locked_rng(void *ctx, unsigned char *out, size_t len)
{
    struct load *load = ctx;
    int ret;

    pthread_mutex_lock(&load->rng_lock);
    ret = mbedtls_ctr_drbg_random(&load->ctr_drbg, out, len);
    pthread_mutex_unlock(&load->rng_lock);
    return ret;
}

static void count_result(struct load *load, const char *step, int ret)
{
    char text[160];

    pthread_mutex_lock(&load->lock);
    if (step == NULL) {
        load->ok++;
    } else {
        load->failed++;
        if (load->failed <= MAX_REPORTED_FAILURES) {
            mbedtls_strerror(ret, text, sizeof(text));
            fprintf(stderr, "load: %s failed: -0x%04X %s\n", step, (unsigned) -ret, text);
        }
    }
    pthread_mutex_unlock(&load->lock);
}

/* One connection: handshake, request, response. Returns the failed step or NULL. */
static const char *one_request(struct load *load, mbedtls_ssl_context *ssl, mbedtls_net_context *net,
                               int *ret)
{
    static const char request[] = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    unsigned char response[4096];
    size_t got = 0;

    *ret = mbedtls_net_connect(net, "localhost", load->port, MBEDTLS_NET_PROTO_TCP);
    if (*ret != 0)
        return "mbedtls_net_connect";
    if ((*ret = mbedtls_ssl_setup(ssl, &load->conf)) != 0)
        return "mbedtls_ssl_setup";
    if ((*ret = mbedtls_ssl_set_hostname(ssl, "localhost")) != 0)
        return "mbedtls_ssl_set_hostname";
    mbedtls_ssl_set_bio(ssl, net, mbedtls_net_send, NULL, mbedtls_net_recv_timeout);
    while ((*ret = mbedtls_ssl_handshake(ssl)) != 0)
        if (!compat_ssl_should_retry(*ret))
            return "mbedtls_ssl_handshake";
    for (size_t sent = 0; sent < sizeof(request) - 1;) {
        *ret = mbedtls_ssl_write(ssl, (const unsigned char *) request + sent, sizeof(request) - 1 - sent);
        if (*ret > 0)
            sent += (size_t) *ret;
        else if (!compat_ssl_should_retry(*ret))
            return "mbedtls_ssl_write";
    }
    if (load->abort_early) {
        /* Linger 0: close() sends a TCP reset, as a crashing client would. */
        struct linger hard = {.l_onoff = 1, .l_linger = 0};

        setsockopt(COMPAT_NET_FD(net), SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
        *ret = 0;
        return NULL;
    }
    for (;;) {
        *ret = mbedtls_ssl_read(ssl, response + got, sizeof(response) - 1 - got);
        if (*ret > 0) {
            got += (size_t) *ret;
            if (got == sizeof(response) - 1)
                break;
        } else if (*ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || *ret == 0) {
            break;
        } else if (!compat_ssl_should_retry(*ret)) {
            return "mbedtls_ssl_read";
        }
    }
    response[got] = '\0';
    if (strncmp((const char *) response, "HTTP/1.1 200 ", 13) != 0) {
        *ret = 0;
        return "the response check (no HTTP/1.1 200)";
    }
    mbedtls_ssl_close_notify(ssl);
    *ret = 0;
    return NULL;
}

static void *client_thread(void *arg)
{
    struct load *load = arg;

    for (int i = 0; i < load->requests; i++) {
        mbedtls_ssl_context ssl;
        mbedtls_net_context net;
        const char *failed;
        int ret;

        mbedtls_ssl_init(&ssl);
        mbedtls_net_init(&net);
        failed = one_request(load, &ssl, &net, &ret);
        count_result(load, failed, ret);
        mbedtls_ssl_free(&ssl);
        mbedtls_net_free(&net);
    }
    return NULL;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double) (now.tv_sec - start->tv_sec) + (double) (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Parse "--name value" options; returns 0 or -1. */
static int parse_args(int argc, char **argv, struct load *load, int *clients, const char **ca)
{
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(argv[i], "--abort") == 0) {
            load->abort_early = 1;
            continue;
        }
        if (strcmp(argv[i], "--p256") == 0) {
            load->p256_only = 1;
            continue;
        }
        if (value == NULL)
            return -1;
        if (strcmp(argv[i], "--port") == 0)
            load->port = value;
        else if (strcmp(argv[i], "--clients") == 0)
            *clients = atoi(value);
        else if (strcmp(argv[i], "--requests") == 0)
            load->requests = atoi(value);
        else if (strcmp(argv[i], "--ca") == 0)
            *ca = value;
        else
            return -1;
        i++;
    }
    return (load->port == NULL || *clients < 1 || *clients > 1024 || load->requests < 1) ? -1 : 0;
}

int main(int argc, char **argv)
{
    static struct load load;
    static const unsigned char personalization[] = "workshop-load-client";
    static const compat_group_t p256[] = {COMPAT_GROUP_SECP256R1, COMPAT_GROUP_NONE};
    char default_ca[4096];
    const char *ca = default_ca;
    pthread_t *threads = NULL;
    struct timespec start;
    int clients = 64, started = 0, ret;
    double seconds;

    const char *dir = getenv("CERTS_DIR");

    snprintf(default_ca, sizeof(default_ca), "%s/ca.pem", dir != NULL ? dir : WORKSHOP_CERTS_DIR);
    load.requests = 25;
    if (parse_args(argc, argv, &load, &clients, &ca) != 0) {
        fprintf(stderr, "usage: %s --port N [--clients N] [--requests N] [--ca FILE] [--abort] [--p256]\n",
                argv[0]);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    mbedtls_entropy_init(&load.entropy);
    mbedtls_ctr_drbg_init(&load.ctr_drbg);
    mbedtls_x509_crt_init(&load.ca);
    mbedtls_ssl_config_init(&load.conf);
    pthread_mutex_init(&load.rng_lock, NULL);
    pthread_mutex_init(&load.lock, NULL);

    ret = compat_psa_init();
    if (ret == 0)
        ret = mbedtls_ctr_drbg_seed(&load.ctr_drbg, mbedtls_entropy_func, &load.entropy, personalization,
                                    sizeof(personalization) - 1);
    if (ret == 0)
        ret = mbedtls_x509_crt_parse_file(&load.ca, ca);
    if (ret == 0)
        ret = mbedtls_ssl_config_defaults(&load.conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        fprintf(stderr, "load: setup failed: -0x%04X (is %s readable?)\n", (unsigned) -ret, ca);
        ret = 2;
        goto cleanup;
    }
    mbedtls_ssl_conf_authmode(&load.conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&load.conf, &load.ca, NULL);
    mbedtls_ssl_conf_rng(&load.conf, locked_rng, &load);
    mbedtls_ssl_conf_read_timeout(&load.conf, 30000);
    compat_conf_min_tls12(&load.conf);
    if (load.p256_only)
        compat_conf_groups(&load.conf, p256);

    threads = calloc((size_t) clients, sizeof(*threads));
    if (threads == NULL) {
        ret = 2;
        goto cleanup;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (; started < clients; started++)
        if (pthread_create(&threads[started], NULL, client_thread, &load) != 0)
            break;
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    seconds = seconds_since(&start);
    if (started < clients)
        fprintf(stderr, "load: could only start %d of %d threads\n", started, clients);
    printf("load: %d clients x %d requests = %lu handshakes, %lu failed, %.2f s, %.1f handshakes/s (%s)%s\n",
           started, load.requests, load.ok + load.failed, load.failed, seconds,
           seconds > 0 ? (double) load.ok / seconds : 0.0,
           load.p256_only ? "client offers secp256r1 only" : "default groups",
           load.abort_early ? ", aborting mid-response" : "");
    ret = (load.failed == 0 && started == clients) ? 0 : 3;

cleanup:
    free(threads);
    mbedtls_ssl_config_free(&load.conf);
    mbedtls_x509_crt_free(&load.ca);
    mbedtls_ctr_drbg_free(&load.ctr_drbg);
    mbedtls_entropy_free(&load.entropy);
    compat_psa_free();
    pthread_mutex_destroy(&load.lock);
    pthread_mutex_destroy(&load.rng_lock);
    return ret;
}
