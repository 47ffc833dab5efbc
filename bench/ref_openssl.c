/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ref_openssl.c
 * @brief The reference family through OpenSSL (libssl): see ref_pair.h.
 *
 * Each side is an SSL_CTX (the configuration: certificates, one suite,
 * P-256 only, no tickets, or TLS 1.2 tickets alone for resumption) and an
 * SSL per handshake, reading and writing
 * through a BIO of our own whose calls are common/mem_transport.h's, so the
 * bytes and flights are counted exactly as for mbedTLS.
 */
#if defined(HAVE_CONFIG_H)
#include <config.h>
#endif

#include "ref_pair.h"

#include <stdio.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

static BIO_METHOD *method;

static void *hook_malloc(size_t size, const char *file, int line)
{
    (void) file;
    (void) line;
    return ref_heap_malloc(size);
}

static void *hook_realloc(void *block, size_t size, const char *file, int line)
{
    (void) file;
    (void) line;
    return ref_heap_realloc(block, size);
}

static void hook_free(void *block, const char *file, int line)
{
    (void) file;
    (void) line;
    ref_heap_free(block);
}

static int openssl_hook_allocator(void)
{
    /* Refused (0) once OpenSSL has allocated anything. */
    return CRYPTO_set_mem_functions(hook_malloc, hook_realloc, hook_free);
}

static const char *openssl_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

/* OpenSSL's error queue, first entry, into p->error. */
static int fail(struct ref_pair *p, const char *function)
{
    char text[160];

    ERR_error_string_n(ERR_get_error(), text, sizeof(text));
    snprintf(p->error, sizeof(p->error), "openssl: %s failed: %s", function, text);
    ERR_clear_error();
    return -1;
}

/* ---- The BIO: common/mem_transport.h's calls ---------------------------- */

static int bio_write(BIO *b, const char *buf, int len)
{
    return mem_transport_send(BIO_get_data(b), (const unsigned char *) buf, (size_t) len);
}

static int bio_read(BIO *b, char *buf, int len)
{
    int ret = mem_transport_recv(BIO_get_data(b), (unsigned char *) buf, (size_t) len);

    BIO_clear_retry_flags(b);
    if (ret < 0) { /* nothing from the peer yet: let it run */
        BIO_set_retry_read(b);
        return -1;
    }
    return ret;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void) b;
    (void) num;
    (void) ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

static int make_method(void)
{
    if (method != NULL)
        return 0;
    method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "workshop mem_transport");
    if (method == NULL || !BIO_meth_set_write(method, bio_write) || !BIO_meth_set_read(method, bio_read) ||
        !BIO_meth_set_ctrl(method, bio_ctrl) || !BIO_meth_set_create(method, bio_create))
        return -1;
    return 0;
}

/* ---- The library's part of ref_library ----------------------------------- */

static int openssl_configure(struct ref_pair *p, enum mem_side side, const char *certs)
{
    char path[600], key[600];
    int version = p->params.tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    const char *key_name = p->params.rsa ? "server-rsa" : "server-ecdsa";
    SSL_CTX *ctx;

    if (make_method() != 0)
        return fail(p, "BIO_meth_new");
    ctx = SSL_CTX_new(side == MEM_CLIENT ? TLS_client_method() : TLS_server_method());
    p->conf[side] = ctx;
    if (ctx == NULL)
        return fail(p, "SSL_CTX_new");
    if (!SSL_CTX_set_min_proto_version(ctx, version) || !SSL_CTX_set_max_proto_version(ctx, version))
        return fail(p, "SSL_CTX_set_min/max_proto_version");
    if (p->params.tls13 ? !SSL_CTX_set_ciphersuites(ctx, REF_SUITE_TLS13)
                        : !SSL_CTX_set_cipher_list(ctx, ref_suite_tls12(&p->params)))
        return fail(p, "SSL_CTX_set_ciphersuites/cipher_list");
    if (!SSL_CTX_set1_groups_list(ctx, "P-256"))
        return fail(p, "SSL_CTX_set1_groups_list");
    /* A full handshake each time: no tickets, no session cache; for
     * resumption TLS 1.2 tickets alone (the client keeps its session itself). */
    if (!p->params.resume)
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (!p->params.resume && !SSL_CTX_set_num_tickets(ctx, 0))
        return fail(p, "SSL_CTX_set_num_tickets");
    if (side == MEM_CLIENT) {
        snprintf(path, sizeof(path), "%s/ca.pem", certs);
        if (!SSL_CTX_load_verify_locations(ctx, path, NULL))
            return fail(p, "SSL_CTX_load_verify_locations");
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        return 0;
    }
    snprintf(path, sizeof(path), "%s/%s-chain.pem", certs, key_name);
    snprintf(key, sizeof(key), "%s/%s.key", certs, key_name);
    if (!SSL_CTX_use_certificate_chain_file(ctx, path))
        return fail(p, "SSL_CTX_use_certificate_chain_file");
    if (!SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM))
        return fail(p, "SSL_CTX_use_PrivateKey_file");
    return 0;
}

/* Free a connection as one that was closed properly: OpenSSL marks the
 * session of a connection freed without a shutdown as not resumable, and the
 * benchmark, like mbedTLS's rows, sends no close_notify. */
static void free_connection(SSL *ssl)
{
    if (ssl == NULL)
        return;
    SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl);
}

static int openssl_connect(struct ref_pair *p, enum mem_side side)
{
    SSL *ssl;
    BIO *bio;

    free_connection(p->conn[side]);
    ssl = SSL_new(p->conf[side]);
    p->conn[side] = ssl;
    if (ssl == NULL)
        return fail(p, "SSL_new");
    bio = BIO_new(method);
    if (bio == NULL)
        return fail(p, "BIO_new");
    BIO_set_data(bio, &p->transport.end[side]);
    SSL_set_bio(ssl, bio, bio); /* one BIO both ways: the SSL owns it */
    if (side == MEM_SERVER) {
        SSL_set_accept_state(ssl);
        return 0;
    }
    /* The server name sent (SNI) and checked, as stage 04 sets it. */
    if (!SSL_set_tlsext_host_name(ssl, "localhost") || !SSL_set1_host(ssl, "localhost"))
        return fail(p, "SSL_set_tlsext_host_name/SSL_set1_host");
    SSL_set_connect_state(ssl);
    if (p->params.resume && p->session != NULL && !SSL_set_session(ssl, p->session))
        return fail(p, "SSL_set_session");
    return 0;
}

static int openssl_handshake(struct ref_pair *p, enum mem_side side)
{
    int ret = SSL_do_handshake(p->conn[side]);

    if (ret == 1)
        return 1;
    switch (SSL_get_error(p->conn[side], ret)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        return 0;
    default:
        return fail(p, side == MEM_CLIENT ? "SSL_do_handshake (client)" : "SSL_do_handshake (server)");
    }
}

static int openssl_keep_session(struct ref_pair *p)
{
    SSL_SESSION_free(p->session);
    p->session = SSL_get1_session(p->conn[MEM_CLIENT]);
    return p->session != NULL ? 0 : fail(p, "SSL_get1_session");
}

static int openssl_resumed(struct ref_pair *p)
{
    return SSL_session_reused(p->conn[MEM_CLIENT]) == 1;
}

static int openssl_write(struct ref_pair *p, enum mem_side side, const unsigned char *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        size_t n = 0;

        if (!SSL_write_ex(p->conn[side], buf + done, len - done, &n))
            return fail(p, "SSL_write_ex");
        done += n;
    }
    return 0;
}

static int openssl_read(struct ref_pair *p, enum mem_side side, unsigned char *buf, size_t len)
{
    size_t n = 0;

    if (SSL_read_ex(p->conn[side], buf, len, &n))
        return (int) n;
    if (SSL_get_error(p->conn[side], 0) == SSL_ERROR_WANT_READ)
        return 0;
    return fail(p, "SSL_read_ex");
}

static void openssl_release(struct ref_pair *p, enum mem_side side)
{
    if (side == MEM_CLIENT) {
        SSL_SESSION_free(p->session);
        p->session = NULL;
    }
    free_connection(p->conn[side]);
    SSL_CTX_free(p->conf[side]);
    p->conn[side] = NULL;
    p->conf[side] = NULL;
}

const struct ref_library ref_openssl = {
    "openssl",       openssl_version,   openssl_hook_allocator, openssl_configure,
    openssl_connect, openssl_handshake, openssl_keep_session,   openssl_resumed,
    openssl_write,   openssl_read,      openssl_release,
};
