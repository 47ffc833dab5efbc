/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file close_server.c
 * @brief A TLS server for the tests that completes the handshake, reads the
 *        request, and then says goodbye (close_notify) without any answer.
 *
 * Usage: close_server CHAIN KEY
 *
 * It listens on a free loopback port, prints "listening on 127.0.0.1:PORT",
 * accepts one client (waiting at most 20 seconds for it), performs a normal
 * handshake with the certificate chain CHAIN and the private key KEY, reads
 * the client's HTTP request head, and sends close_notify without a single
 * byte of response. A client must not mistake that for an (empty) answer.
 * At the end it prints one line, e.g. "close_server: handshake done, read 58
 * bytes of request, sent close_notify and no response".
 *
 * Exit codes: 0 done, 1 usage, 2 setup, 3 no client came or the TLS
 * exchange failed.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <netinet/in.h>

#include "compat.h"

/** @brief How long the server waits for its one client, in milliseconds. */
#define WAIT_FOR_CLIENT_MS 20000

/** @brief Per-read timeout while the client sends its request. */
#define READ_TIMEOUT_MS 10000

/* Print "close_server: WHAT failed: -0xXXXX text". */
static void failed(const char *what, int ret)
{
    char text[160];

    mbedtls_strerror(ret, text, sizeof(text));
    fprintf(stderr, "close_server: %s failed: -0x%04x %s\n", what, (unsigned) -ret, text);
}

/* Read the request head (up to the empty line, at most 4 KiB). Returns its
 * length, or a negative mbedTLS error. */
static int read_request(mbedtls_ssl_context *ssl)
{
    char buf[4096];
    size_t len = 0;

    while (len + 1 < sizeof(buf)) {
        int ret = mbedtls_ssl_read(ssl, (unsigned char *) buf + len, sizeof(buf) - 1 - len);

        if (compat_ssl_should_retry(ret))
            continue;
        if (ret <= 0)
            return ret == 0 ? (int) len : ret;
        len += (size_t) ret;
        buf[len] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL)
            break;
    }
    return (int) len;
}

int main(int argc, char **argv)
{
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context ctr_drbg;
    mbedtls_x509_crt chain;
    mbedtls_pk_context key;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_net_context listener, client;
    struct sockaddr_in local;
    socklen_t local_len = sizeof(local);
    int ret, status = 2, request = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: %s CHAIN KEY\n", argv[0]);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&ctr_drbg);
    mbedtls_x509_crt_init(&chain);
    mbedtls_pk_init(&key);
    mbedtls_ssl_config_init(&conf);
    mbedtls_ssl_init(&ssl);
    mbedtls_net_init(&listener);
    mbedtls_net_init(&client);

    /* Setup: any failure here is exit status 2. */
    if ((ret = compat_psa_init()) != 0) {
        failed("psa_crypto_init", ret);
        goto out;
    }
    if ((ret = mbedtls_ctr_drbg_seed(&ctr_drbg, mbedtls_entropy_func, &entropy, NULL, 0)) != 0) {
        failed("mbedtls_ctr_drbg_seed", ret);
        goto out;
    }
    if ((ret = mbedtls_x509_crt_parse_file(&chain, argv[1])) != 0) {
        failed("mbedtls_x509_crt_parse_file", ret);
        goto out;
    }
    if ((ret = compat_pk_parse_keyfile(&key, argv[2], &ctr_drbg)) != 0) {
        failed("mbedtls_pk_parse_keyfile", ret);
        goto out;
    }
    if ((ret = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                           MBEDTLS_SSL_PRESET_DEFAULT)) != 0) {
        failed("mbedtls_ssl_config_defaults", ret);
        goto out;
    }
    mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &ctr_drbg);
    mbedtls_ssl_conf_read_timeout(&conf, READ_TIMEOUT_MS);
    if ((ret = mbedtls_ssl_conf_own_cert(&conf, &chain, &key)) != 0) {
        failed("mbedtls_ssl_conf_own_cert", ret);
        goto out;
    }
    if ((ret = mbedtls_ssl_setup(&ssl, &conf)) != 0) {
        failed("mbedtls_ssl_setup", ret);
        goto out;
    }
    if ((ret = mbedtls_net_bind(&listener, "127.0.0.1", "0", MBEDTLS_NET_PROTO_TCP)) != 0) {
        failed("mbedtls_net_bind", ret);
        goto out;
    }
    if (getsockname(COMPAT_NET_FD(&listener), (struct sockaddr *) &local, &local_len) != 0) {
        perror("close_server: getsockname");
        goto out;
    }
    printf("listening on 127.0.0.1:%u\n", (unsigned) ntohs(local.sin_port));

    /* The exchange: failures from here on are exit status 3. */
    status = 3;
    {
        /* Never wait forever: a test whose client did not come must end. */
        struct pollfd pfd = {.fd = COMPAT_NET_FD(&listener), .events = POLLIN};

        if (poll(&pfd, 1, WAIT_FOR_CLIENT_MS) <= 0) {
            fprintf(stderr, "close_server: no client within %d ms\n", WAIT_FOR_CLIENT_MS);
            goto out;
        }
    }
    if ((ret = mbedtls_net_accept(&listener, &client, NULL, 0, NULL)) != 0) {
        failed("mbedtls_net_accept", ret);
        goto out;
    }
    mbedtls_ssl_set_bio(&ssl, &client, mbedtls_net_send, NULL, mbedtls_net_recv_timeout);
    while ((ret = mbedtls_ssl_handshake(&ssl)) != 0) {
        if (!compat_ssl_should_retry(ret)) {
            failed("mbedtls_ssl_handshake", ret);
            goto out;
        }
    }
    request = read_request(&ssl);
    if (request < 0) {
        failed("mbedtls_ssl_read", request);
        goto out;
    }
    /* The point of this peer: goodbye, and no answer at all. */
    while ((ret = mbedtls_ssl_close_notify(&ssl)) != 0) {
        if (!compat_ssl_should_retry(ret)) {
            failed("mbedtls_ssl_close_notify", ret);
            goto out;
        }
    }
    printf("close_server: handshake done, read %d bytes of request, sent close_notify and no response\n", request);
    status = 0;

out:
    mbedtls_net_free(&client);
    mbedtls_net_free(&listener);
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
    mbedtls_pk_free(&key);
    mbedtls_x509_crt_free(&chain);
    mbedtls_ctr_drbg_free(&ctr_drbg);
    mbedtls_entropy_free(&entropy);
    compat_psa_free();
    return status;
}
