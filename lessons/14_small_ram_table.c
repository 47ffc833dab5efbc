/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 14_small_ram_table.c
 * @brief Lesson 14's table: each memory-saving setting measured with both ends in this process,
 *        their heap counted per side the way the benchmark counts it.
 *
 * Read it after 14_small_ram.c, whose small_ram_apply() is the setting being measured. Each row
 * is a client and a server built by the lessons' stages and joined in memory (bench/tls_pair.c,
 * the benchmark's own pair), with small_ram_apply() as the last step of each end's configuration.
 * A cold handshake (mbedtls_ssl_setup(), which allocates the record buffers, then the whole
 * handshake) is stepped one side at a time, and every calloc() and free() is charged to the side
 * that made it (bench/heap.c): the peak during the handshake, and what stays held after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "14_small_ram.h"
#include "heap.h"
#include "tls_pair.h"

/** @brief Cold handshakes measured per row; the table keeps the highest figures. */
#define COLD_HANDSHAKES 5

/** @brief Most rows of the table. */
#define MAX_SETTINGS 9

/** @brief What one row measured. */
struct row {
    struct tls_cost cost; /**< per side: the highest peak and held heap (bench/tls_pair.h) */
    char version[16];     /**< the version negotiated */
    int suite;            /**< the suite negotiated */
    int max_in, max_out;  /**< the client's largest record payloads after the handshake */
    long peer_chain;      /**< bytes the client's copy of the server's chain holds, or -1 */
};

/* The server's credentials: the workshop's ECDSA P-256 chain, as in the benchmarks. */
static const struct tls_key server_key = {"ecdsa-p256", "server-ecdsa-chain.pem", "server-ecdsa.key", NULL,
                                          NULL};

/* small_ram_apply() as the pair's last configuration step. */
static int tune(mbedtls_ssl_config *conf, int endpoint, void *ctx)
{
    return small_ram_apply(conf, endpoint, ctx);
}

/* The first row: lesson 03's defaults (its two groups; the benchmark's pair
 * would otherwise pin secp256r1). */
static void default_setting(struct ram_setting *set)
{
    compat_group_t x25519 = COMPAT_GROUP_NONE, p256 = COMPAT_GROUP_NONE;

    memset(set, 0, sizeof(*set));
    compat_group_from_iana(23, &p256); /* secp256r1: every build that runs the lessons has it */
    if (!compat_group_from_iana(29, &x25519))
        x25519 = p256;
    snprintf(set->label, sizeof(set->label), "defaults (lesson 03)");
    set->base = -1;
    set->groups[0] = x25519, set->groups[1] = p256, set->groups[2] = COMPAT_GROUP_NONE;
}

/* The other rows, one change at a time. @p negotiated is the suite the
 * defaults ended with: "one suite" keeps it, so that only the lists shrink. */
static int more_settings(struct ram_setting *set, int negotiated)
{
    static const unsigned sizes[] = {4096, 2048, 1024, 512};
    const int aes = mbedtls_ssl_get_ciphersuite_id(
        COMPAT_HAVE_TLS13 ? "TLS1-3-AES-128-GCM-SHA256" : "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256");
    int n = 1, tls12 = 0;

    set[n] = set[0];
    snprintf(set[n].label, sizeof(set[n].label), "one suite, one group");
    set[n].base = 0;
    set[n].suites[0] = negotiated;
    /* secp256r1, the curve of the server's key too: in TLS 1.2 the group
     * list also limits the curves a certificate may use, so x25519 alone
     * would leave this ECDSA P-256 certificate unusable. */
    set[n].groups[0] = set[0].groups[1], set[n].groups[1] = COMPAT_GROUP_NONE;
    n++;
    if (aes != 0 && aes != negotiated) {
        /* The cipher itself: its context is part of what a connection holds. */
        set[n] = set[n - 1];
        snprintf(set[n].label, sizeof(set[n].label), "the AES-128-GCM suite");
        set[n].base = n - 1;
        set[n].suites[0] = aes;
        n++;
    }
    if (COMPAT_HAVE_TLS13) {
        /* mbedTLS negotiates max_fragment_length in TLS 1.2 only (small_ram_apply()),
         * so those rows compare with TLS 1.2. */
        set[n] = set[0];
        snprintf(set[n].label, sizeof(set[n].label), "TLS 1.2 only");
        set[n].base = 0;
        set[n].tls12_only = 1;
        tls12 = n++;
    }
    for (size_t i = 0; SMALL_RAM_HAVE_MFL && i < sizeof(sizes) / sizeof(sizes[0]); i++, n++) {
        set[n] = set[tls12];
        snprintf(set[n].label, sizeof(set[n].label), "max_fragment_length %u", sizes[i]);
        set[n].base = tls12;
        set[n].max_frag_len = sizes[i];
    }
    return n;
}

/* [peer-chain-cost] */
/* What the client's copy of the server's chain costs: parse the same
 * certificates again, counted, exactly as mbedTLS stores them in the session
 * (a chain whose first link is allocated too). */
static long peer_chain_bytes(const mbedtls_ssl_context *ssl)
{
#if defined(MBEDTLS_SSL_KEEP_PEER_CERTIFICATE)
    const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(ssl);
    mbedtls_x509_crt *copy;
    size_t before = heap_get(HEAP_CLIENT).current;
    long bytes = -1;

    heap_set_side(HEAP_CLIENT);
    copy = calloc(1, sizeof(*copy));
    if (copy != NULL && peer != NULL) {
        mbedtls_x509_crt_init(copy);
        for (bytes = 0; peer != NULL && peer->raw.len > 0 && bytes == 0; peer = peer->next)
            bytes = mbedtls_x509_crt_parse_der(copy, peer->raw.p, peer->raw.len) == 0 ? 0 : -1;
        if (bytes == 0)
            bytes = (long) (heap_get(HEAP_CLIENT).current - before);
        mbedtls_x509_crt_free(copy);
    }
    free(copy);
    heap_set_side(HEAP_OTHER);
    return bytes;
#else
    (void) ssl;
    return -1;
#endif
}
/* [peer-chain-cost] */

/* One row: set the pair up (one untimed handshake), then a cold handshake, counted. */
static int measure(const struct ram_setting *set, struct row *r)
{
    static struct tls_pair pair; /* two whole endpoints: off the stack */
    struct tls_pair_params params;
    int ret = WS_EXIT_OK;

    memset(&params, 0, sizeof(params));
    params.key = &server_key;
    params.tune = tune;
    params.tune_ctx = (void *) set;
    if (tls_pair_setup(&pair, &params, options_certs_dir()) != 0) {
        report_error("small-ram", "%s: %s", set->label, pair.error);
        ret = WS_EXIT_HANDSHAKE;
    }
    /* Several cold handshakes, keeping the highest figures, as the
     * benchmark does: an ECDSA signature's length varies by a byte or two. */
    memset(&r->cost, 0, sizeof(r->cost));
    for (int i = 0; i < COLD_HANDSHAKES && ret == WS_EXIT_OK; i++) {
        tls_pair_cold_reset(&pair);
        if (tls_pair_cold_handshake(&pair) != 0) {
            report_error("small-ram", "%s: %s", set->label, pair.error);
            ret = WS_EXIT_HANDSHAKE;
        }
        for (int side = 0; side < 2 && ret == WS_EXIT_OK; side++) {
            if (pair.cost.peak_bytes[side] > r->cost.peak_bytes[side])
                r->cost.peak_bytes[side] = pair.cost.peak_bytes[side];
            if (pair.cost.held_bytes[side] > r->cost.held_bytes[side])
                r->cost.held_bytes[side] = pair.cost.held_bytes[side];
        }
    }
    if (ret == WS_EXIT_OK) {
        snprintf(r->version, sizeof(r->version), "%s", mbedtls_ssl_get_version(&pair.end[MEM_CLIENT].ssl));
        r->suite = mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(&pair.end[MEM_CLIENT].ssl));
        r->max_in = compat_ssl_max_in_payload(&pair.end[MEM_CLIENT].ssl);
        r->max_out = mbedtls_ssl_get_max_out_record_payload(&pair.end[MEM_CLIENT].ssl);
        r->peer_chain = peer_chain_bytes(&pair.end[MEM_CLIENT].ssl);
    }
    tls_pair_free(&pair);
    return ret;
}

/* [table] */
int small_ram_table(FILE *out)
{
    static struct ram_setting set[MAX_SETTINGS];
    static struct row row[MAX_SETTINGS];
    int n;

    /* 2 x 4 stages x every row would bury the tables: errors only (one line each). */
    report_set_mode(REPORT_ERRORS_ONLY);
    default_setting(&set[0]);
    if (measure(&set[0], &row[0]) != WS_EXIT_OK)
        return WS_EXIT_HANDSHAKE;
    n = more_settings(set, row[0].suite);
    for (int i = 1; i < n; i++)
        if (measure(&set[i], &row[i]) != WS_EXIT_OK)
            return WS_EXIT_HANDSHAKE;
    compat_psa_free(); /* tls_pair_free() starts PSA again for a next pair: there is none */

    fprintf(out,
            "\nBoth ends in this process, each row the highest of %d cold handshakes (mbedtls_ssl_setup()\n"
            "and the whole handshake), heap counted per side as the benchmark counts it, in bytes:\n",
            COLD_HANDSHAKES);
    fprintf(out, "%-26s %-8s %11s %11s %11s %11s %9s\n", "setting", "version", "client peak", "client held",
            "server peak", "server held", "in/out");
    for (int i = 0; i < n; i++)
        fprintf(out, "%-26s %-8s %11.0f %11.0f %11.0f %11.0f %4d/%-4d\n", set[i].label, row[i].version,
                row[i].cost.peak_bytes[MEM_CLIENT], row[i].cost.held_bytes[MEM_CLIENT],
                row[i].cost.peak_bytes[MEM_SERVER], row[i].cost.held_bytes[MEM_SERVER], row[i].max_in,
                row[i].max_out);

    fprintf(out, "\nWhat each setting saves, in bytes (negative: it costs more):\n");
    fprintf(out, "%-26s %-20s %11s %11s %11s %11s\n", "setting", "compared with", "client peak",
            "client held", "server peak", "server held");
    for (int i = 0; i < n; i++) {
        const struct row *b;

        if (set[i].base < 0)
            continue;
        b = &row[set[i].base];
        fprintf(out, "%-26s %-20s %11.0f %11.0f %11.0f %11.0f\n", set[i].label, set[set[i].base].label,
                b->cost.peak_bytes[MEM_CLIENT] - row[i].cost.peak_bytes[MEM_CLIENT],
                b->cost.held_bytes[MEM_CLIENT] - row[i].cost.held_bytes[MEM_CLIENT],
                b->cost.peak_bytes[MEM_SERVER] - row[i].cost.peak_bytes[MEM_SERVER],
                b->cost.held_bytes[MEM_SERVER] - row[i].cost.held_bytes[MEM_SERVER]);
    }
    fprintf(out, "  (one suite, one group: %s, which the defaults negotiated, and secp256r1)\n",
            mbedtls_ssl_get_ciphersuite_name(row[0].suite));
    if (row[0].peer_chain >= 0) {
        fprintf(out, "%-26s %-20s %11s %11ld %11s %11s\n", "no peer certificate kept", set[0].label, "",
                row[0].peer_chain - SMALL_RAM_PEER_DIGEST_LEN, "", "");
        fprintf(out,
                "  (a build option: without MBEDTLS_SSL_KEEP_PEER_CERTIFICATE the client keeps a %d-byte\n"
                "  digest of the server's certificate instead of the parsed chain, %ld bytes here)\n",
                SMALL_RAM_PEER_DIGEST_LEN, row[0].peer_chain);
    } else {
        fprintf(out,
                "  (this build keeps only a %d-byte digest of the server's certificate:\n"
                "  MBEDTLS_SSL_KEEP_PEER_CERTIFICATE is off)\n",
                SMALL_RAM_PEER_DIGEST_LEN);
    }
    return WS_EXIT_OK;
}
/* [table] */
