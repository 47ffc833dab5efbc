/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 08_server.c
 * @brief Lesson 08: the server side: listen, accept, handshake, answer HTTP.
 *
 * What you will learn:
 * - a server reuses stages 01-03 (RNG, certificates, configuration) with
 *   MBEDTLS_SSL_IS_SERVER and its own certificate and key;
 * - mbedtls_net_bind() and mbedtls_net_accept() give one socket per client;
 *   each client gets its own mbedtls_ssl_context, all sharing one config;
 * - the same handshake and read/write code as the client (lessons 05, 06);
 * - asking for client certificates (`--require-client-cert`);
 * - serving several clients at once, safely: a pool of threads, a lock
 *   around the shared random generator, a time limit per connection, and
 *   one bad client never stops the others.
 *
 * Run it: `lessons/08_server` (listens on 127.0.0.1:4433), then any client:
 * `lessons/06_read_write`, `curl --cacert certs/ca.pem https://localhost:4433/`
 * or `openssl s_client -connect localhost:4433 -CAfile certs/ca.pem`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "explain.h"
#include "http.h"
#include "stages.h"

#if defined(MBEDTLS_SSL_CACHE_C)
#include <mbedtls/ssl_cache.h>
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
#include <mbedtls/ssl_ticket.h>
#endif

/** @brief How many accepted connections may wait for a free thread. */
#define QUEUE_PER_THREAD 4

/** @brief One accepted client. The socket must stay the first member: the
 *  receive callback gets this struct where mbedTLS expects a socket. */
struct connection {
    mbedtls_net_context net;  /**< the client's socket */
    unsigned long id;         /**< connection number, from 1 */
    char peer[64];            /**< "address:port" of the client */
    long long deadline_ms;    /**< the whole connection must finish by then */
};

/** @brief The server: shared state of every connection thread. */
struct server {
    struct tls_session s;          /**< stages 01-03: RNG, certificates, config */
    struct options o;              /**< command line */
    mbedtls_net_context listener;  /**< the listening socket */
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_context cache; /**< sessions kept for resumption */
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_context tickets; /**< keys for session tickets (TLS 1.3 resumption, lesson 10) */
#endif
    pthread_mutex_t rng_lock;      /**< serialises the shared CTR_DRBG */
    pthread_mutex_t lock;          /**< protects everything below */
    pthread_cond_t changed;        /**< queue or state changed */
    struct connection *queue;      /**< accepted, waiting for a thread */
    size_t queue_cap, queue_head, queue_len;
    int no_more;                   /**< no further connections will be queued */
    unsigned long served, failed;  /**< connections finished, and how many failed */
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void) sig;
    stop_requested = 1;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* [server-rng] */
/* Connection threads draw random numbers at the same time. mbedTLS's
 * CTR_DRBG is only safe for that when the library was built with
 * MBEDTLS_THREADING_C, so the server always takes its own lock. */
static int locked_rng(void *ctx, unsigned char *out, size_t len)
{
    struct server *srv = ctx;
    int ret;

    pthread_mutex_lock(&srv->rng_lock);
    ret = mbedtls_ctr_drbg_random(&srv->s.ctr_drbg, out, len);
    pthread_mutex_unlock(&srv->rng_lock);
    return ret;
}
/* [server-rng] */

/* [server-recv] */
/* Receive with the per-read timeout from --timeout, but never past the
 * connection's overall deadline: a client that trickles one byte at a time
 * (slowloris) cannot hold a thread forever. */
static int connection_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    struct connection *conn = ctx;
    long long limit = conn->deadline_ms;

    if (timeout != 0 && now_ms() + timeout < limit)
        limit = now_ms() + timeout;
    /* Wait in short slices: after SIGINT/SIGTERM a silent client is let go
     * within a fifth of a second (with close_notify once the handshake is
     * done), while a client whose bytes are already here is still served. */
    for (;;) {
        long long left = limit - now_ms();
        int ret;

        if (left <= 0)
            return MBEDTLS_ERR_SSL_TIMEOUT;
        ret = mbedtls_net_recv_timeout(&conn->net, buf, len, (uint32_t) (left < 200 ? left : 200));
        if (ret != MBEDTLS_ERR_SSL_TIMEOUT || stop_requested)
            return ret;
    }
}
/* [server-recv] */

/* The subject of the client's certificate, or "none". */
static void client_subject(const mbedtls_ssl_context *ssl, char *out, size_t len)
{
    snprintf(out, len, "none");
#if defined(MBEDTLS_SSL_KEEP_PEER_CERTIFICATE)
    {
        const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(ssl);

        if (peer != NULL && mbedtls_x509_dn_gets(out, len, &peer->subject) < 0)
            snprintf(out, len, "(unprintable)");
    }
#else
    (void) ssl;
#endif
}

/* The tap of the connection this thread is serving: it decoded the
 * client's ClientHello, which /hello shows. One thread serves one
 * connection at a time, so a thread-local pointer is enough. */
static _Thread_local const struct trace_bio *connection_tap;

/* [server-response] */
/* Build the HTTP response for one parsed request (or parse failure). */
static int build_response(const mbedtls_ssl_context *ssl, const struct http_request *req, int parsed,
                          char *out, size_t cap, int *status)
{
    char body[4096], subject[256];
    const char *reason;
    const char *content_type = "text/plain";
    int body_len = 0, len;

    if (parsed == HTTP_TOO_LARGE) {
        *status = 431, reason = "Request Header Fields Too Large";
        body_len = snprintf(body, sizeof(body), "Request head larger than %d bytes.\n", HTTP_MAX_HEAD);
    } else if (parsed == HTTP_URI_TOO_LONG) {
        *status = 414, reason = "URI Too Long";
        body_len = snprintf(body, sizeof(body), "Paths longer than %zu bytes are not served here.\n",
                            sizeof(req->path) - 1);
    } else if (parsed != HTTP_COMPLETE) {
        *status = 400, reason = "Bad Request";
        body_len = snprintf(body, sizeof(body), "That was not an HTTP/1.x request.\n");
    } else if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        *status = 405, reason = "Method Not Allowed";
        body_len = snprintf(body, sizeof(body), "Only GET and HEAD are served here.\n");
    } else if (strcmp(req->path, "/hello") == 0 && connection_tap != NULL && connection_tap->decoder == NULL) {
        /* The tap could not allocate its decoder (serve_connection()). */
        *status = 503, reason = "Service Unavailable";
        body_len = snprintf(body, sizeof(body), "This connection's ClientHello was not recorded "
                                                "(the server ran out of memory); try again.\n");
    } else if (strcmp(req->path, "/hello") == 0 && connection_tap != NULL) {
        /* [server-hello-page] */
        /* "What did my browser send?": the ClientHello the tap decoded.
         * Browsers ask for HTML, curl for anything. */
        int html = strstr(req->accept, "text/html") != NULL;
        size_t room = cap > 512 ? cap - 512 : 0; /* leave room for the headers */

        *status = 200, reason = "OK";
        content_type = html ? "text/html" : "text/plain";
        body_len = (int) explain_client_hello(record_decoder_client_hello(connection_tap->decoder),
                                              record_decoder_server_choice(connection_tap->decoder),
                                              mbedtls_ssl_get_version(ssl), mbedtls_ssl_get_ciphersuite(ssl),
                                              html, body, room < sizeof(body) ? room : sizeof(body));
        /* [server-hello-page] */
    } else if (strcmp(req->path, "/") != 0) {
        *status = 404, reason = "Not Found";
        body_len = snprintf(body, sizeof(body), "Nothing at %s; try / or /hello.\n", req->path);
    } else {
        client_subject(ssl, subject, sizeof(subject));
        *status = 200, reason = "OK";
        body_len = snprintf(body, sizeof(body),
                            "Hello from the mbedTLS workshop lesson server (08_server).\n"
                            "TLS version: %s\n"
                            "Cipher suite: %s\n"
                            "Client certificate: %s\n",
                            mbedtls_ssl_get_version(ssl), mbedtls_ssl_get_ciphersuite(ssl), subject);
    }
    if (body_len < 0 || (size_t) body_len >= sizeof(body))
        body_len = (int) sizeof(body) - 1;
    len = snprintf(out, cap,
                   "HTTP/1.1 %d %s\r\nContent-Type: %s; charset=utf-8\r\n"
                   "Content-Length: %d\r\nConnection: close\r\nServer: mbedtls-workshop\r\n\r\n%.*s",
                   *status, reason, content_type, body_len,
                   (parsed == HTTP_COMPLETE && strcmp(req->method, "HEAD") == 0) ? 0 : body_len, body);
    /* Never claim more than the buffer holds. */
    return len < 0 ? 0 : (size_t) len >= cap ? (int) cap - 1 : len;
}
/* [server-response] */

/* [server-request] */
/* Read one request head and answer it. Returns a workshop_exit code. */
static int serve_request(mbedtls_ssl_context *ssl)
{
    char head[HTTP_MAX_HEAD + 1];
    char response[4096];
    struct http_request req;
    size_t have = 0;
    int parsed = HTTP_INCOMPLETE, status, len, ret;

    narrate_begin("Reading the request");
    while ((parsed = http_parse_request(head, have, &req)) == HTTP_INCOMPLETE) {
        ret = tls_read_some(ssl, (unsigned char *) head + have, HTTP_MAX_HEAD - have);
        if (ret <= 0) {
            narrate_failed();
            if (ret == 0)
                report_error("server", "the client closed the connection before sending a request");
            else
                report_mbedtls_error("server", "mbedtls_ssl_read", ret);
            return WS_EXIT_IO;
        }
        have += (size_t) ret;
    }
    if (parsed == HTTP_COMPLETE)
        narrate_ok("%s %s", req.method, req.path);
    else
        narrate_ok("not a valid request, answering with an error");

    len = build_response(ssl, &req, parsed, response, sizeof(response), &status);
    narrate_begin("Sending the response");
    ret = tls_write_all(ssl, (const unsigned char *) response, (size_t) len);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("server", "mbedtls_ssl_write", ret);
        return WS_EXIT_IO;
    }
    narrate_ok("%d, %d bytes", status, len);
    return status == 200 ? WS_EXIT_OK : WS_EXIT_IO;
}
/* [server-request] */

/* [server-connection] */
/* Everything one client gets: its own TLS context on the shared config. */
static int serve_connection(struct server *srv, struct connection *conn)
{
    mbedtls_ssl_context ssl;
    struct trace_bio tap;
    char prefix[96];
    int ret;

    snprintf(prefix, sizeof(prefix), "[#%lu %s] ", conn->id, conn->peer);
    narrate_set_thread_prefix(prefix);
    mbedtls_ssl_init(&ssl);
    memset(&tap, 0, sizeof(tap));
    ret = stage_attach(&ssl, &srv->s.conf, &conn->net, NULL);
    if (ret == WS_EXIT_OK) {
        /* --keylog with mbedTLS 3.x: the key export callback is per connection. */
        if (srv->s.keylog.file != NULL)
            compat_ssl_key_export(&ssl, &srv->s.keylog.export);
        /* [server-tap] */
        /* Replace lesson 04's receive callback with the deadline-aware one,
         * behind a tap that decodes the records (lesson 09): silently, to
         * remember the ClientHello for /hello, or printed with --trace. */
        if (trace_bio_init(&tap, conn, mbedtls_net_send, connection_recv, 1, srv->o.trace ? stdout : NULL,
                           prefix) != 0) {
            /* Out of memory: serve the client anyway, just without a decoder
             * (no trace lines, and /hello says it has nothing to show). */
            report_error("server", "cannot decode this connection (out of memory); serving it undecoded");
        }
        connection_tap = &tap;
        mbedtls_ssl_set_bio(&ssl, &tap, trace_bio_send, NULL, trace_bio_recv_timeout);
        /* [server-tap] */
        ret = stage_handshake(&ssl);
        if (ret == WS_EXIT_OK) {
            ret = serve_request(&ssl);
            /* Say goodbye even after an error response. */
            if (stage_close_notify(&ssl) != WS_EXIT_OK && ret == WS_EXIT_OK)
                ret = WS_EXIT_IO;
        }
    }
    mbedtls_ssl_free(&ssl);
    connection_tap = NULL;
    trace_bio_free(&tap);
    mbedtls_net_free(&conn->net);
    narrate_set_thread_prefix(NULL);
    return ret;
}
/* [server-connection] */

/* Connection threads: take the next accepted client, serve it, repeat. */
static void *worker(void *arg)
{
    struct server *srv = arg;

    for (;;) {
        struct connection conn;
        int ret;

        pthread_mutex_lock(&srv->lock);
        while (srv->queue_len == 0 && !srv->no_more)
            pthread_cond_wait(&srv->changed, &srv->lock);
        if (srv->queue_len == 0) {
            pthread_mutex_unlock(&srv->lock);
            return NULL;
        }
        conn = srv->queue[srv->queue_head];
        srv->queue_head = (srv->queue_head + 1) % srv->queue_cap;
        srv->queue_len--;
        /* A slot is free again: wake the accept loop if it waits for one. */
        pthread_cond_broadcast(&srv->changed);
        pthread_mutex_unlock(&srv->lock);

        /* The budget starts now, not at accept: a client that waited in the
         * queue during a burst still gets its full three timeouts. The accept
         * loop stored a hard cap (six timeouts after accept), so the time a
         * client can hold the server, queue included, stays bounded. */
        {
            long long budget_end = now_ms() + 3LL * srv->o.timeout_ms;

            if (budget_end < conn.deadline_ms)
                conn.deadline_ms = budget_end;
        }
        ret = serve_connection(srv, &conn);

        pthread_mutex_lock(&srv->lock);
        srv->served++;
        if (ret != WS_EXIT_OK)
            srv->failed++;
        pthread_mutex_unlock(&srv->lock);
    }
}

/* "address:port" of a socket's peer or local end. */
static void format_address(const struct sockaddr_storage *sa, char *out, size_t len)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;

    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) sa;

        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        port = ntohs(in->sin_port);
        snprintf(out, len, "%s:%u", host, port);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;

        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        port = ntohs(in6->sin6_port);
        snprintf(out, len, "[%s]:%u", host, port);
    } else {
        snprintf(out, len, "unknown");
    }
}

/* [server-listen] */
static int server_listen(struct server *srv)
{
    struct sockaddr_storage local;
    socklen_t local_len = sizeof(local);
    char where[96];
    int ret;

    narrate_begin("Binding to tcp/%s/%s", srv->o.bind_address, srv->o.port);
    ret = mbedtls_net_bind(&srv->listener, srv->o.bind_address, srv->o.port, MBEDTLS_NET_PROTO_TCP);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("server", "mbedtls_net_bind", ret);
        return WS_EXIT_NETWORK;
    }
    /* With --port 0 the system picked the port: ask which. */
    if (getsockname(COMPAT_NET_FD(&srv->listener), (struct sockaddr *) &local, &local_len) != 0) {
        narrate_failed();
        report_error("server", "getsockname failed: %s", strerror(errno));
        return WS_EXIT_NETWORK;
    }
    format_address(&local, where, sizeof(where));
    narrate_ok(NULL);
    /* Scripts wait for this exact line. */
    printf("listening on %s\n", where);
    fflush(stdout);
    return WS_EXIT_OK;
}
/* [server-listen] */

/* Wait until the queue has a free slot. Returns 0, or -1 when a stop was
 * requested meanwhile. While the server waits here it accepts nobody, so new
 * clients wait in the kernel's listen queue instead of being turned away. */
static int wait_for_room(struct server *srv)
{
    pthread_mutex_lock(&srv->lock);
    while (srv->queue_len == srv->queue_cap && !stop_requested) {
        struct timespec until;

        /* Wake up regularly to notice SIGINT/SIGTERM. */
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->changed, &srv->lock, &until);
    }
    pthread_mutex_unlock(&srv->lock);
    return stop_requested ? -1 : 0;
}

/* Queue an accepted client for a thread; accept_loop made sure there is room. */
static void enqueue(struct server *srv, struct connection *conn)
{
    pthread_mutex_lock(&srv->lock);
    srv->queue[(srv->queue_head + srv->queue_len) % srv->queue_cap] = *conn;
    srv->queue_len++;
    pthread_cond_signal(&srv->changed);
    pthread_mutex_unlock(&srv->lock);
}

/* [server-accept] */
static int accept_loop(struct server *srv)
{
    unsigned long accepted = 0;

    /* Clients that arrive while every thread is busy and the queue is full
     * wait in the kernel's listen queue: make it longer than the 10 that
     * mbedtls_net_bind() asks for, so a burst of clients is not dropped. */
    if (listen(COMPAT_NET_FD(&srv->listener), SOMAXCONN) != 0) {
        report_error("server", "listen failed: %s", strerror(errno));
        return WS_EXIT_NETWORK;
    }
    while (!stop_requested && (srv->o.max_connections == 0 || accepted < (unsigned long) srv->o.max_connections)) {
        struct pollfd pfd = {.fd = COMPAT_NET_FD(&srv->listener), .events = POLLIN};
        struct sockaddr_storage peer;
        socklen_t peer_len = sizeof(peer);
        struct connection conn;
        int ret;

        if (wait_for_room(srv) != 0)
            break;
        /* Wake up regularly to notice SIGINT/SIGTERM. */
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        mbedtls_net_init(&conn.net);
        ret = mbedtls_net_accept(&srv->listener, &conn.net, NULL, 0, NULL);
        if (ret != 0) {
            report_mbedtls_error("server", "mbedtls_net_accept", ret);
            /* One failed accept does not stop the server. But the client is
             * still waiting in the listen queue (out of descriptors: EMFILE),
             * so poll() reports it again at once: back off for a fifth of a
             * second instead of spinning and flooding the log. */
            poll(NULL, 0, 200);
            continue;
        }
        conn.id = ++accepted;
        if (getpeername(COMPAT_NET_FD(&conn.net), (struct sockaddr *) &peer, &peer_len) == 0)
            format_address(&peer, conn.peer, sizeof(conn.peer));
        else
            snprintf(conn.peer, sizeof(conn.peer), "unknown");
        /* Writes to a client that stopped reading give up after --timeout too. */
        {
            struct timeval tv = {.tv_sec = srv->o.timeout_ms / 1000,
                                 .tv_usec = (srv->o.timeout_ms % 1000) * 1000};

            if (setsockopt(COMPAT_NET_FD(&conn.net), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
                /* Without it a client that stops reading could hold a
                 * thread forever: turn this one away, keep serving. */
                report_error("server", "setsockopt(SO_SNDTIMEO) failed for %s: %s", conn.peer, strerror(errno));
                mbedtls_net_free(&conn.net);
                continue;
            }
        }
        /* Only a hard cap here: the worker that takes the connection off the
         * queue starts its three-timeout budget, never past this cap. */
        conn.deadline_ms = now_ms() + 6LL * srv->o.timeout_ms;
        enqueue(srv, &conn);
    }
    return WS_EXIT_OK;
}
/* [server-accept] */

/* Stop the threads (after they drain the queue) and wait for them. */
static void stop_workers(struct server *srv, pthread_t *threads, int count)
{
    pthread_mutex_lock(&srv->lock);
    srv->no_more = 1;
    if (stop_requested) {
        /* Interrupted: connections still waiting are closed unserved. */
        while (srv->queue_len > 0) {
            mbedtls_net_free(&srv->queue[srv->queue_head].net);
            srv->queue_head = (srv->queue_head + 1) % srv->queue_cap;
            srv->queue_len--;
        }
    }
    pthread_cond_broadcast(&srv->changed);
    pthread_mutex_unlock(&srv->lock);
    for (int i = 0; i < count; i++)
        pthread_join(threads[i], NULL);
}

/* Let returning clients resume instead of doing a full handshake (lesson
 * 10): a session cache for TLS 1.2 session IDs, tickets for TLS 1.2 and 1.3. */
static int server_resumption_setup(struct server *srv)
{
#if defined(MBEDTLS_SSL_CACHE_C) && defined(MBEDTLS_THREADING_C)
    /* The cache is shared by the connection threads: only with the
     * library's own locking. */
    mbedtls_ssl_conf_session_cache(&srv->s.conf, &srv->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    /* [server-tickets] */
    /* TLS 1.3 resumes only with tickets: the server seals the session
     * state with a key of its own and hands it to the client. */
    int ret = mbedtls_ssl_ticket_setup(&srv->tickets, locked_rng, srv, MBEDTLS_CIPHER_AES_256_GCM, 86400);

    if (ret != 0) {
        report_mbedtls_error("server", "mbedtls_ssl_ticket_setup", ret);
        return WS_EXIT_SETUP;
    }
    mbedtls_ssl_conf_session_tickets_cb(&srv->s.conf, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
                                        &srv->tickets);
    /* [server-tickets] */
#else
    (void) srv;
#endif
    return WS_EXIT_OK;
}

/* [server-main] */
int main(int argc, char **argv)
{
    static struct server srv;
    pthread_t *threads = NULL;
    int started = 0, done;
    int ret = options_parse(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_SERVER,
                            "Lesson 08: a TLS server that answers HTTP requests.", &srv.o, &done);
    struct sigaction sa;

    if (done)
        return ret;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    mbedtls_net_init(&srv.listener);
    pthread_mutex_init(&srv.rng_lock, NULL);
    pthread_mutex_init(&srv.lock, NULL);
    pthread_cond_init(&srv.changed, NULL);
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_init(&srv.cache);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_init(&srv.tickets);
#endif
#if !defined(MBEDTLS_THREADING_C)
    if (srv.o.threads > 1) {
        narrate_info("this mbedTLS was built without MBEDTLS_THREADING_C: serving one client at a time");
        srv.o.threads = 1;
    }
#endif

    /* Stages 01-03, exactly as the client runs them. */
    ret = stage_init(&srv.s);
    if (ret == WS_EXIT_OK)
        ret = stage_load_certs(&srv.s, &srv.o);
    if (ret == WS_EXIT_OK)
        ret = stage_config(&srv.s, &srv.o, MBEDTLS_SSL_IS_SERVER);
    if (ret == WS_EXIT_OK) {
        mbedtls_ssl_conf_rng(&srv.s.conf, locked_rng, &srv);
        ret = server_resumption_setup(&srv);
    }
    if (ret == WS_EXIT_OK)
        ret = server_listen(&srv);
    if (ret == WS_EXIT_OK) {
        srv.queue_cap = (size_t) srv.o.threads * QUEUE_PER_THREAD;
        srv.queue = calloc(srv.queue_cap, sizeof(*srv.queue));
        threads = calloc((size_t) srv.o.threads, sizeof(*threads));
        if (srv.queue == NULL || threads == NULL) {
            report_error("server", "out of memory");
            ret = WS_EXIT_SETUP;
        }
    }
    for (; ret == WS_EXIT_OK && started < srv.o.threads; started++) {
        if (pthread_create(&threads[started], NULL, worker, &srv) != 0) {
            report_error("server", "pthread_create failed");
            ret = WS_EXIT_SETUP;
            break;
        }
    }
    if (ret == WS_EXIT_OK)
        ret = accept_loop(&srv);
    stop_workers(&srv, threads, started);
    if (started > 0)
        printf("served %lu connection%s, %lu of them without a successful response%s\n", srv.served,
               srv.served == 1 ? "" : "s", srv.failed,
               stop_requested ? " (stopped by a signal)" : "");

    mbedtls_net_free(&srv.listener);
#if defined(MBEDTLS_SSL_CACHE_C)
    mbedtls_ssl_cache_free(&srv.cache);
#endif
#if defined(MBEDTLS_SSL_TICKET_C)
    mbedtls_ssl_ticket_free(&srv.tickets);
#endif
    stage_cleanup(&srv.s);
    free(threads);
    free(srv.queue);
    pthread_cond_destroy(&srv.changed);
    pthread_mutex_destroy(&srv.lock);
    pthread_mutex_destroy(&srv.rng_lock);
    return ret;
}
/* [server-main] */
