/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ref_wolfssl.c
 * @brief The reference family through wolfSSL: see ref_pair.h.
 *
 * Each side is a WOLFSSL_CTX (certificates, one suite, P-256 only, no
 * tickets) and a WOLFSSL per handshake, whose I/O callbacks are
 * common/mem_transport.h's.
 */
#if defined(HAVE_CONFIG_H)
#include <config.h>
#endif

/* wolfSSL's build options come first, before any other of its headers. */
#include <wolfssl/options.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/memory.h>

#include "ref_pair.h"

#include <stdio.h>
#include <string.h>

#if defined(WOLFSSL_STATIC_MEMORY) || defined(WOLFSSL_DEBUG_MEMORY) || !defined(USE_WOLFSSL_MEMORY)
#define REF_WOLFSSL_PLAIN_HOOKS 0 /* another allocator interface: not counted */
#else
#define REF_WOLFSSL_PLAIN_HOOKS 1
#endif

#if REF_WOLFSSL_PLAIN_HOOKS
static void *hook_malloc(size_t size)
{
    return ref_heap_malloc(size);
}

static void hook_free(void *block)
{
    ref_heap_free(block);
}

static void *hook_realloc(void *block, size_t size)
{
    return ref_heap_realloc(block, size);
}
#endif

static int wolfssl_hook_allocator(void)
{
    int hooked = 0;

#if REF_WOLFSSL_PLAIN_HOOKS
    hooked = wolfSSL_SetAllocators(hook_malloc, hook_free, hook_realloc) == 0;
#endif
    wolfSSL_Init();
    return hooked;
}

static const char *wolfssl_version(void)
{
    return wolfSSL_lib_version();
}

static int fail(struct ref_pair *p, const char *function, int code)
{
    char text[WOLFSSL_MAX_ERROR_SZ];

    wolfSSL_ERR_error_string_n((unsigned long) code, text, sizeof(text));
    snprintf(p->error, sizeof(p->error), "wolfssl: %s failed: %d %s", function, code, text);
    return -1;
}

/* ---- I/O: common/mem_transport.h's calls -------------------------------- */

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    (void) ssl;
    return mem_transport_send(ctx, (const unsigned char *) buf, (size_t) sz);
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    int ret = mem_transport_recv(ctx, (unsigned char *) buf, (size_t) sz);

    (void) ssl;
    return ret < 0 ? WOLFSSL_CBIO_ERR_WANT_READ : ret; /* nothing yet: let the peer run */
}

/* ---- The library's part of ref_library ----------------------------------- */

static int wolfssl_configure(struct ref_pair *p, enum mem_side side, const char *certs)
{
    char path[600], key[600];
    int groups[1] = {WOLFSSL_ECC_SECP256R1};
    WOLFSSL_METHOD *method;
    WOLFSSL_CTX *ctx;
    int ret;

    const char *key_name = p->params.rsa ? "server-rsa" : "server-ecdsa";

    if (p->params.tls13)
        method = side == MEM_CLIENT ? wolfTLSv1_3_client_method() : wolfTLSv1_3_server_method();
    else
        method = side == MEM_CLIENT ? wolfTLSv1_2_client_method() : wolfTLSv1_2_server_method();
    ctx = wolfSSL_CTX_new(method);
    p->conf[side] = ctx;
    if (ctx == NULL)
        return fail(p, "wolfSSL_CTX_new", 0);
    ret = wolfSSL_CTX_set_cipher_list(ctx, p->params.tls13 ? "TLS13-AES128-GCM-SHA256"
                                                           : ref_suite_tls12(&p->params));
    if (ret != WOLFSSL_SUCCESS)
        return fail(p, "wolfSSL_CTX_set_cipher_list", ret);
    if (p->params.tls13) { /* TLS 1.3's group list; TLS 1.2 has only the supported curves below */
        ret = wolfSSL_CTX_set_groups(ctx, groups, 1);
        if (ret != WOLFSSL_SUCCESS)
            return fail(p, "wolfSSL_CTX_set_groups", ret);
    }
    ret = wolfSSL_CTX_UseSupportedCurve(ctx, WOLFSSL_ECC_SECP256R1);
    if (ret != WOLFSSL_SUCCESS)
        return fail(p, "wolfSSL_CTX_UseSupportedCurve", ret);
    /* A full handshake each time: no tickets, no session cache; for
     * resumption TLS 1.2 tickets alone (the client keeps its session itself). */
    if (!p->params.resume)
        wolfSSL_CTX_NoTicketTLSv12(ctx);
    if (p->params.tls13)
        wolfSSL_CTX_no_ticket_TLSv13(ctx);
    if (!p->params.resume || side == MEM_SERVER) /* the client's cache holds the session to offer */
        wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_OFF);
    wolfSSL_CTX_SetIORecv(ctx, io_recv);
    wolfSSL_CTX_SetIOSend(ctx, io_send);
    if (side == MEM_CLIENT) {
        snprintf(path, sizeof(path), "%s/ca.pem", certs);
        ret = wolfSSL_CTX_load_verify_locations(ctx, path, NULL);
        if (ret != WOLFSSL_SUCCESS)
            return fail(p, "wolfSSL_CTX_load_verify_locations", ret);
        wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
        return 0;
    }
    snprintf(path, sizeof(path), "%s/%s-chain.pem", certs, key_name);
    snprintf(key, sizeof(key), "%s/%s.key", certs, key_name);
    ret = wolfSSL_CTX_use_certificate_chain_file(ctx, path);
    if (ret != WOLFSSL_SUCCESS)
        return fail(p, "wolfSSL_CTX_use_certificate_chain_file", ret);
    ret = wolfSSL_CTX_use_PrivateKey_file(ctx, key, WOLFSSL_FILETYPE_PEM);
    if (ret != WOLFSSL_SUCCESS)
        return fail(p, "wolfSSL_CTX_use_PrivateKey_file", ret);
    return 0;
}

static int wolfssl_connect(struct ref_pair *p, enum mem_side side)
{
    WOLFSSL *ssl;
    int ret;

    wolfSSL_free(p->conn[side]);
    ssl = wolfSSL_new(p->conf[side]);
    p->conn[side] = ssl;
    if (ssl == NULL)
        return fail(p, "wolfSSL_new", 0);
    wolfSSL_SetIOReadCtx(ssl, &p->transport.end[side]);
    wolfSSL_SetIOWriteCtx(ssl, &p->transport.end[side]);
    if (side == MEM_SERVER)
        return 0;
    /* The server name sent (SNI) and checked, as stage 04 sets it. */
    ret = wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, "localhost", (unsigned short) strlen("localhost"));
    if (ret != WOLFSSL_SUCCESS)
        return fail(p, "wolfSSL_UseSNI", ret);
    ret = wolfSSL_check_domain_name(ssl, "localhost");
    if (ret != WOLFSSL_SUCCESS)
        return fail(p, "wolfSSL_check_domain_name", ret);
    if (p->params.resume) {
        ret = wolfSSL_UseSessionTicket(ssl);
        if (ret != WOLFSSL_SUCCESS)
            return fail(p, "wolfSSL_UseSessionTicket", ret);
        if (p->session != NULL && (ret = wolfSSL_set_session(ssl, p->session)) != WOLFSSL_SUCCESS)
            return fail(p, "wolfSSL_set_session", ret);
    }
    if (p->params.tls13) {
        /* The one key share the client sends: P-256, as the server wants. */
        ret = wolfSSL_UseKeyShare(ssl, WOLFSSL_ECC_SECP256R1);
        if (ret != WOLFSSL_SUCCESS)
            return fail(p, "wolfSSL_UseKeyShare", ret);
    }
    return 0;
}

static int wolfssl_handshake(struct ref_pair *p, enum mem_side side)
{
    WOLFSSL *ssl = p->conn[side];
    int ret = side == MEM_CLIENT ? wolfSSL_connect(ssl) : wolfSSL_accept(ssl);
    int err;

    if (ret == WOLFSSL_SUCCESS)
        return 1;
    err = wolfSSL_get_error(ssl, ret);
    if (err == WOLFSSL_ERROR_WANT_READ || err == WOLFSSL_ERROR_WANT_WRITE)
        return 0;
    return fail(p, side == MEM_CLIENT ? "wolfSSL_connect" : "wolfSSL_accept", err);
}

static int wolfssl_keep_session(struct ref_pair *p)
{
    wolfSSL_SESSION_free(p->session);
    p->session = wolfSSL_get1_session(p->conn[MEM_CLIENT]);
    return p->session != NULL ? 0 : fail(p, "wolfSSL_get1_session", 0);
}

static int wolfssl_resumed(struct ref_pair *p)
{
    return wolfSSL_session_reused(p->conn[MEM_CLIENT]) == 1;
}

static int wolfssl_write(struct ref_pair *p, enum mem_side side, const unsigned char *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        int chunk = len - done > 16384 ? 16384 : (int) (len - done);
        int ret = wolfSSL_write(p->conn[side], buf + done, chunk);

        if (ret <= 0)
            return fail(p, "wolfSSL_write", wolfSSL_get_error(p->conn[side], ret));
        done += (size_t) ret;
    }
    return 0;
}

static int wolfssl_read(struct ref_pair *p, enum mem_side side, unsigned char *buf, size_t len)
{
    int ret = wolfSSL_read(p->conn[side], buf, len > 16384 ? 16384 : (int) len);
    int err;

    if (ret > 0)
        return ret;
    err = wolfSSL_get_error(p->conn[side], ret);
    if (err == WOLFSSL_ERROR_WANT_READ)
        return 0;
    return fail(p, "wolfSSL_read", err);
}

static void wolfssl_release(struct ref_pair *p, enum mem_side side)
{
    if (side == MEM_CLIENT) {
        wolfSSL_SESSION_free(p->session);
        p->session = NULL;
    }
    wolfSSL_free(p->conn[side]);
    wolfSSL_CTX_free(p->conf[side]);
    p->conn[side] = NULL;
    p->conf[side] = NULL;
}

const struct ref_library ref_wolfssl = {
    "wolfssl",       wolfssl_version,   wolfssl_hook_allocator, wolfssl_configure,
    wolfssl_connect, wolfssl_handshake, wolfssl_keep_session,   wolfssl_resumed,
    wolfssl_write,   wolfssl_read,      wolfssl_release,
};
