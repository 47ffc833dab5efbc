/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ref_pair.h
 * @brief The reference family: the same in-memory handshake as
 *        bench/tls_pair.h, through another TLS library (OpenSSL in
 *        bench/ref_openssl.c, wolfSSL in bench/ref_wolfssl.c).
 *
 * Both ends talk through common/mem_transport.h, as tls_pair's do, with the
 * workshop's certificates (ECDSA P-256 or RSA-2048), one cipher suite,
 * secp256r1 pinned on both sides and no session tickets (a full handshake
 * each time, like the mbedTLS rows without resumption), or, for the
 * resumption rows, TLS 1.2 session tickets only (no server cache), the
 * client offering the ticket of the untimed first handshake every time, as
 * mbedTLS's `resume-ticket` rows do. After a handshake the pair can also
 * move application data, client to server, as tls_pair_transfer() does. Each side's calls run on its own
 * painted stack region (bench/stack.h) with its CPU time read inside, and every block the library allocates
 * through its allocator hooks (OpenSSL: CRYPTO_set_mem_functions(), wolfSSL: wolfSSL_SetAllocators()) is
 * charged to the side that was running, as bench/heap.c does for mbedTLS.
 *
 * A library is compiled in only when configure found it (REF_HAVE_OPENSSL,
 * REF_HAVE_WOLFSSL in config.h); ref_libraries() lists those.
 */
#ifndef WORKSHOP_BENCH_REF_PAIR_H
#define WORKSHOP_BENCH_REF_PAIR_H

#include <stddef.h>

#include "tls_pair.h"

struct ref_pair;

/** @brief What to build: the same three choices as the mbedTLS rows they stand beside. */
struct ref_params {
    int tls13;  /**< 1: TLS 1.3 (TLS_AES_128_GCM_SHA256), 0: TLS 1.2 */
    int rsa;    /**< 1: the RSA-2048 certificate and, in TLS 1.2, ECDHE-RSA; 0: ECDSA P-256 */
    int resume; /**< 1 (TLS 1.2 only): resume with a session ticket, no server cache */
};

/** @brief What one library provides (its file fills one of these in). */
struct ref_library {
    const char *name;             /**< in benchmark names: "openssl", "wolfssl" */
    const char *(*version)(void); /**< the library's own version text, at run time */
    /** Install the allocator hooks (before the library allocates anything): 1 if they are in. */
    int (*hook_allocator)(void);
    /** Load the certificates into one side's configuration; 0 or -1 with p->error. */
    int (*configure)(struct ref_pair *p, enum mem_side side, const char *certs);
    /** A fresh connection object for one side on p->transport (untimed); 0 or -1. */
    int (*connect)(struct ref_pair *p, enum mem_side side);
    /** One handshake call: 1 done, 0 waits for the peer, -1 failed (p->error set). */
    int (*handshake)(struct ref_pair *p, enum mem_side side);
    /** Keep the client's session of the handshake just made (untimed); 0 or -1. */
    int (*keep_session)(struct ref_pair *p);
    /** 1 when the client's last handshake resumed the kept session. */
    int (*resumed)(struct ref_pair *p);
    /** Write all @p len bytes as application data: 0, or -1 with p->error. */
    int (*write)(struct ref_pair *p, enum mem_side side, const unsigned char *buf, size_t len);
    /** Read application data: the bytes read (> 0), 0 waits for the peer, -1 failed. */
    int (*read)(struct ref_pair *p, enum mem_side side, unsigned char *buf, size_t len);
    /** Free one side's connection and configuration (safe when never made). */
    void (*release)(struct ref_pair *p, enum mem_side side);
};

/** @brief Both ends in one library. */
struct ref_pair {
    const struct ref_library *lib;  /**< the library */
    struct ref_params params;       /**< version, key, resumption */
    void *session;                  /**< the client's kept session (SSL_SESSION / WOLFSSL_SESSION) */
    void *conf[2];                  /**< SSL_CTX / WOLFSSL_CTX per side */
    void *conn[2];                  /**< SSL / WOLFSSL per side */
    struct mem_transport transport; /**< the connection */
    struct tls_cost cost;           /**< figures of the last handshake */
    char error[256];                /**< why the last call failed */
};

/** @brief The TLS 1.2 suite, in OpenSSL's naming (wolfSSL takes the same). */
#define REF_SUITE_TLS12 "ECDHE-ECDSA-AES128-GCM-SHA256"
/** @brief The TLS 1.2 suite with the RSA certificate. */
#define REF_SUITE_TLS12_RSA "ECDHE-RSA-AES128-GCM-SHA256"
/** @brief The TLS 1.3 suite. */
#define REF_SUITE_TLS13 "TLS_AES_128_GCM_SHA256"

/**
 * @brief The libraries this build has (NULL-terminated).
 * @return the list; empty when configure found neither.
 */
const struct ref_library *const *ref_libraries(void);

/** @brief Why a library is missing (for the JSON context): "" when all are in. */
const char *ref_absent_reason(void);

/**
 * @brief Install every library's allocator hooks: call first thing in
 *        main(), before any library allocates.
 */
void ref_hook_allocators(void);

/** @brief 1 when @p lib's allocations are counted. */
int ref_heap_available(const struct ref_library *lib);

/** @brief The TLS 1.2 suite of @p params in OpenSSL's naming (wolfSSL's too). */
const char *ref_suite_tls12(const struct ref_params *params);

/**
 * @brief Configure both ends and run one untimed handshake (with resumption:
 *        the one whose session the client keeps).
 * @return 0, or -1 with @c p->error set.
 */
int ref_pair_setup(struct ref_pair *p, const struct ref_library *lib, const struct ref_params *params,
                   const char *certs);

/** @brief New connection objects for the next handshake (untimed). @return 0 or -1. */
int ref_pair_reset(struct ref_pair *p);

/** @brief One handshake; figures to @c p->cost (with resumption: checked to have resumed). @return 0 or -1.
 */
int ref_pair_handshake(struct ref_pair *p);

/**
 * @brief After a handshake: @p len bytes from @p buf written by the client,
 *        read by the server into @p out, as tls_pair_transfer() does.
 * @return 0, or -1 with @c p->error set.
 */
int ref_pair_transfer(struct ref_pair *p, const unsigned char *buf, unsigned char *out, size_t len);

/**
 * @brief ref_pair_transfer() with each side's calls on its own stack region:
 *        the peak stacks to @c p->cost.peak_stack. @return 0 or -1.
 */
int ref_pair_transfer_measured(struct ref_pair *p, const unsigned char *buf, unsigned char *out, size_t len);

/** @brief Free everything (safe after a failed setup). */
void ref_pair_free(struct ref_pair *p);

/**
 * @brief For a library's allocator hooks: malloc(), realloc() and free()
 *        that count each block's requested size against the side running
 *        (a header in front of each block remembers its size and side).
 */
void *ref_heap_malloc(size_t size);
/** @brief See ref_heap_malloc(). */
void *ref_heap_realloc(void *block, size_t size);
/** @brief See ref_heap_malloc(). */
void ref_heap_free(void *block);

#endif /* WORKSHOP_BENCH_REF_PAIR_H */
