/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_bench.c
 * @brief TLS benchmarks for mbedTLS: handshakes, throughput, raw AEAD, debug
 *        cost and the public-key operations inside a handshake.
 *
 * Every benchmark is a C function; bench/shim.cc hands them to Google
 * Benchmark, so the usual `--benchmark_filter`, `--benchmark_repetitions`,
 * `--benchmark_out=FILE --benchmark_out_format=json` all work. Names:
 *
 * - `handshake/<version>/<suite>/<key>[/cold|/resume-cache|/resume-ticket|/client-auth]`, with
 *   each flight's bytes (`flightN_bytes`), and `dtls1.2` rows (lessons 15 and 16 over the
 *   in-memory datagram link) that also count datagrams, in all and per flight
 * - `dtls-loss/<suite>/<key>/loss-<percent>` (one run of many handshakes over a link that loses
 *   that share of datagrams, each with its own seed, on a virtual clock: the median and 90th
 *   percentile of the completion time and of the bytes sent again)
 * - `throughput/<version>/<suite>/<record bytes>`
 * - `cipher/<aead>/<bytes>` (encrypt then decrypt, as the record layer does:
 *   the bound for throughput; with the API this version's record layer
 *   calls: mbedtls_cipher in 2.28 and 3.6, PSA in 4.x)
 * - `debug/<level>/<discard|format>`
 * - `breakdown/<operation>` (the pieces of one handshake, timed alone; the
 *   ECDHE pieces through ECP in 2.28 and 3.6, through PSA in 4.x, whose
 *   TLS does the same)
 * - `overhead/bare-loop/...` (the same handshakes timed by a plain loop)
 * - `reference/<openssl|wolfssl>/<tls1.2|tls1.3>/<suite>/<ecdsa-p256|rsa2048>` (the reference
 *   handshakes through OpenSSL and wolfSSL where configure found them, bench/ref_pair.h), with
 *   `.../ecdsa-p256/resume-ticket` (TLS 1.2) and `.../16384` (throughput, TLS 1.2): each named as
 *   the mbedTLS row it stands beside, `handshake/...` or `throughput/...`, with the library in front
 *
 * Options of our own (everything else goes to Google Benchmark):
 * - `--ws_certs=DIR`: the workshop PKI (default: the build's certs/).
 * - `--ws_transport=mem|tcp` (or WS_BENCH_TRANSPORT): memory pipes or loopback TCP.
 * - `--ws_list`: print the names and exit.
 * - `--ws_bare=NAME --ws_iterations=N`: run one benchmark N times without
 *   Google Benchmark (for callgrind) and print its counters.
 * - `--ws_heap_probe`: one cold handshake between two massif snapshots
 *   (tests/bench_massif.test).
 * - `--ws_stack_probe=NAME`: the painted peak stack of one handshake benchmark beside the
 *   smallest stack it completes in (tests/bench_stack.test).
 * - `--ws_loss_seeds=N`: handshakes (seeds) per dtls-loss benchmark (default 200).
 */
#if defined(HAVE_CONFIG_H)
#include <config.h>
#endif

#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/debug.h>
#include <mbedtls/md.h>
#include <mbedtls/version.h>

#include "compat.h"
/* The legacy crypto API (2.28, 3.6) is private in 4.x, where PSA replaces it
 * (compat.h): the cipher and breakdown families use what each version's TLS
 * uses itself. */
#if COMPAT_HAVE_LEGACY_CRYPTO
#include <mbedtls/cipher.h>
#include <mbedtls/ecdh.h>
#endif

#if defined(HAVE_VALGRIND_VALGRIND_H)
#include <valgrind/valgrind.h>
#endif

#include "clock.h"
#include "debug_log.h"
#include "heap.h"
#include "ref_pair.h"
#include "shim.h"
#include "stack.h"
#include "tls_pair.h"

#ifndef WORKSHOP_CERTS_DIR
#define WORKSHOP_CERTS_DIR "certs"
#endif
#ifndef BENCH_BUILD_FLAGS
#define BENCH_BUILD_FLAGS "unknown"
#endif
#ifndef BENCH_BENCHMARK_VERSION
#define BENCH_BENCHMARK_VERSION "unknown"
#endif

/* ------------------------------------------------------------------------ */
/* The matrix                                                               */

enum key_family { KEYS_ECDSA, KEYS_RSA, KEYS_PSK, KEYS_ANY };

struct suite {
    const char *name;    /* OpenSSL-style name used in benchmark names */
    const char *mbedtls; /* mbedTLS's name, for mbedtls_ssl_get_ciphersuite_id() */
    enum key_family keys;
    int tls13;
    const char *group; /* key exchange group, for the label */
};

static const struct suite suites[] = {
    {"ECDHE-ECDSA-AES128-GCM-SHA256", "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256", KEYS_ECDSA, 0, "secp256r1"},
    {"ECDHE-ECDSA-AES256-GCM-SHA384", "TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384", KEYS_ECDSA, 0, "secp256r1"},
    {"ECDHE-ECDSA-CHACHA20-POLY1305", "TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256", KEYS_ECDSA, 0,
     "secp256r1"},
    {"ECDHE-ECDSA-AES128-CCM-8", "TLS-ECDHE-ECDSA-WITH-AES-128-CCM-8", KEYS_ECDSA, 0, "secp256r1"},
    {"ECDHE-RSA-AES128-GCM-SHA256", "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256", KEYS_RSA, 0, "secp256r1"},
    {"ECDHE-RSA-CHACHA20-POLY1305", "TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256", KEYS_RSA, 0, "secp256r1"},
    {"DHE-RSA-AES128-GCM-SHA256", "TLS-DHE-RSA-WITH-AES-128-GCM-SHA256", KEYS_RSA, 0, "ffdhe-default"},
    {"RSA-AES128-GCM-SHA256", "TLS-RSA-WITH-AES-128-GCM-SHA256", KEYS_RSA, 0, "none"},
    {"PSK-AES128-CCM-8", "TLS-PSK-WITH-AES-128-CCM-8", KEYS_PSK, 0, "none"},
    {"ECDHE-PSK-CHACHA20-POLY1305", "TLS-ECDHE-PSK-WITH-CHACHA20-POLY1305-SHA256", KEYS_PSK, 0, "secp256r1"},
    {"TLS_AES_128_GCM_SHA256", "TLS1-3-AES-128-GCM-SHA256", KEYS_ANY, 1, "secp256r1"},
    {"TLS_AES_256_GCM_SHA384", "TLS1-3-AES-256-GCM-SHA384", KEYS_ANY, 1, "secp256r1"},
    {"TLS_CHACHA20_POLY1305_SHA256", "TLS1-3-CHACHA20-POLY1305-SHA256", KEYS_ANY, 1, "secp256r1"},
};
#define N_SUITES (sizeof(suites) / sizeof(suites[0]))

/* The first key of each family is the primary one: every variant runs with
 * it; the others add a full handshake each. */
static const struct tls_key ecdsa_keys[] = {
    {"ecdsa-p256", "server-ecdsa-chain.pem", "server-ecdsa.key", "client-chain.pem", "client.key"},
    {"ecdsa-p384", "server-ecdsa384-chain.pem", "server-ecdsa384.key", "client-chain.pem", "client.key"},
};
static const struct tls_key rsa_keys[] = {
    {"rsa2048", "server-rsa-chain.pem", "server-rsa.key", "client-rsa-chain.pem", "client-rsa.key"},
    {"rsa3072", "server-rsa3072-chain.pem", "server-rsa3072.key", "client-rsa-chain.pem", "client-rsa.key"},
};

static const size_t record_sizes[] = {256, 1024, 4096, 16384};

struct aead {
    const char *name;
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_cipher_type_t type; /* 2.28, 3.6: an mbedtls_cipher */
#else
    psa_algorithm_t alg;     /* 4.x: a PSA AEAD algorithm... */
    psa_key_type_t key_type; /* ...and its key type */
#endif
    size_t tag_len;
    int key_bits; /* as in the TLS suite with this AEAD */
};

/* Each row names both APIs; only this version's is compiled. */
/* clang-format off */
#if COMPAT_HAVE_LEGACY_CRYPTO
#define AEAD(name, cipher_type, psa_alg, psa_key_type, tag_len, bits) {name, cipher_type, tag_len, bits}
#else
#define AEAD(name, cipher_type, psa_alg, psa_key_type, tag_len, bits) \
    {name, psa_alg, psa_key_type, tag_len, bits}
#endif
/* clang-format on */
static const struct aead aeads[] = {
    AEAD("AES-128-GCM", MBEDTLS_CIPHER_AES_128_GCM, PSA_ALG_GCM, PSA_KEY_TYPE_AES, 16, 128),
    AEAD("AES-256-GCM", MBEDTLS_CIPHER_AES_256_GCM, PSA_ALG_GCM, PSA_KEY_TYPE_AES, 16, 256),
    AEAD("CHACHA20-POLY1305", MBEDTLS_CIPHER_CHACHA20_POLY1305, PSA_ALG_CHACHA20_POLY1305,
         PSA_KEY_TYPE_CHACHA20, 16, 256),
    AEAD("AES-128-CCM-8", MBEDTLS_CIPHER_AES_128_CCM, PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 8),
         PSA_KEY_TYPE_AES, 8, 128),
};

enum breakdown_op {
    OP_ECDHE_KEYGEN,
    OP_ECDHE_SHARED,
    OP_SIGN,
    OP_VERIFY,
    OP_X509_PARSE,
    OP_X509_VERIFY,
    OP_TRANSCRIPT_HASH
};

/* ------------------------------------------------------------------------ */
/* One registered benchmark, and a runner that is either Google Benchmark   */
/* or a plain loop (--ws_bare, callgrind).                                  */

struct run {
    shim_state *gb; /* NULL in a bare run */
    long left;      /* bare: iterations still to do */
    long done;      /* bare: iterations done */
    int failed;
};

struct bench;
typedef void (*body_fn)(struct run *r, const struct bench *b);

struct bench {
    char name[160];
    body_fn body;
    int flags;
    struct tls_pair_params params; /* handshake, throughput, debug, overhead */
    const char *label;             /* group etc. */
    int cold;
    size_t bytes; /* record or buffer size */
    const struct aead *aead;
    int debug_level;
    int debug_format; /* 0: discarding sink, 1: formatting sink to /dev/null */
    enum breakdown_op op;
    const struct tls_key *key;
    double loss;                   /* dtls-loss: the share of datagrams lost */
    const struct ref_library *ref; /* reference: the library */
    struct ref_params ref_params;  /* reference: version, key, resumption */
};

#define MAX_BENCHES 400
static struct bench benches[MAX_BENCHES];
static size_t n_benches;
static const char *certs_dir = WORKSHOP_CERTS_DIR;
static int loss_seeds = 200;
/* The dtls-loss link: one-way delay (a 100 ms round trip) and the loss levels. */
#define LOSS_LINK_DELAY_MS 50
static const int loss_percents[] = {0, 5, 10, 20, 30};
static int use_tcp;
static char absent[512];

static int run_keep(struct run *r)
{
    if (r->failed)
        return 0;
    if (r->gb != NULL)
        return shim_keep_running(r->gb);
    if (r->left <= 0)
        return 0;
    r->left--;
    r->done++;
    return 1;
}

static void run_pause(struct run *r)
{
    if (r->gb != NULL)
        shim_pause(r->gb);
}

static void run_resume(struct run *r)
{
    if (r->gb != NULL)
        shim_resume(r->gb);
}

static void run_counter(struct run *r, const char *name, double value, enum shim_counter_kind kind)
{
    if (r->gb != NULL)
        shim_counter(r->gb, name, value, kind);
    else
        printf("%s=%.6g\n", name,
               kind == SHIM_AVG_PER_ITERATION && r->done > 0 ? value / (double) r->done : value);
}

/* A failure inside a benchmark: Google Benchmark records it in the JSON
 * (error_occurred), which the smoke test notices. */
static void run_error(struct run *r, const char *name, const char *message)
{
    fprintf(stderr, "%s: %s\n", name, message);
    r->failed = 1;
    if (r->gb != NULL)
        shim_skip_with_error(r->gb, message);
}

static double mono_ns(void)
{
    return now_ms() * 1e6;
}

/* ------------------------------------------------------------------------ */
/* Handshakes                                                               */

/* DTLS: datagrams each way, and each flight's datagrams (a full DTLS 1.2
 * handshake with its cookie exchange is six flights). */
static void report_dtls_costs(struct run *r, const struct tls_cost *sum)
{
    char name[32];

    run_counter(r, "datagrams_c2s", sum->datagrams[MEM_CLIENT], SHIM_AVG_PER_ITERATION);
    run_counter(r, "datagrams_s2c", sum->datagrams[MEM_SERVER], SHIM_AVG_PER_ITERATION);
    for (int f = 0; f < MEM_MAX_FLIGHTS; f++) {
        if (sum->flight_datagrams[f] == 0)
            continue;
        snprintf(name, sizeof(name), "flight%d_datagrams", f + 1);
        run_counter(r, name, sum->flight_datagrams[f], SHIM_AVG_PER_ITERATION);
    }
}

static void report_costs(struct run *r, const struct tls_cost *sum, const struct tls_cost *max)
{
    run_counter(r, "client_cpu_us", sum->cpu_ns[MEM_CLIENT] / 1e3, SHIM_AVG_PER_ITERATION);
    run_counter(r, "server_cpu_us", sum->cpu_ns[MEM_SERVER] / 1e3, SHIM_AVG_PER_ITERATION);
    run_counter(r, "client_peak_heap", max->peak_bytes[MEM_CLIENT], SHIM_PLAIN);
    run_counter(r, "server_peak_heap", max->peak_bytes[MEM_SERVER], SHIM_PLAIN);
    run_counter(r, "client_peak_stack", max->peak_stack[MEM_CLIENT], SHIM_PLAIN);
    run_counter(r, "server_peak_stack", max->peak_stack[MEM_SERVER], SHIM_PLAIN);
    run_counter(r, "client_heap_after", max->held_bytes[MEM_CLIENT], SHIM_PLAIN);
    run_counter(r, "server_heap_after", max->held_bytes[MEM_SERVER], SHIM_PLAIN);
    run_counter(r, "bytes_c2s", sum->wire_bytes[MEM_CLIENT], SHIM_AVG_PER_ITERATION);
    run_counter(r, "bytes_s2c", sum->wire_bytes[MEM_SERVER], SHIM_AVG_PER_ITERATION);
    run_counter(r, "flights", sum->flights[MEM_CLIENT] + sum->flights[MEM_SERVER], SHIM_AVG_PER_ITERATION);
    /* Each flight's bytes (flights alternate, client first): what
     * bench/link_model.jq turns into time over a link. */
    for (int f = 0; f < MEM_MAX_FLIGHTS; f++) {
        char name[32];

        if (sum->flight_bytes[f] == 0)
            continue;
        snprintf(name, sizeof(name), "flight%d_bytes", f + 1);
        run_counter(r, name, sum->flight_bytes[f], SHIM_AVG_PER_ITERATION);
    }
}

static void add_cost(struct tls_cost *sum, struct tls_cost *max, const struct tls_cost *c)
{
    for (int s = 0; s < 2; s++) {
        sum->cpu_ns[s] += c->cpu_ns[s];
        sum->wire_bytes[s] += c->wire_bytes[s];
        sum->flights[s] += c->flights[s];
        sum->datagrams[s] += c->datagrams[s];
        sum->resent_bytes[s] += c->resent_bytes[s];
        if (c->peak_bytes[s] > max->peak_bytes[s])
            max->peak_bytes[s] = c->peak_bytes[s];
        if (c->held_bytes[s] > max->held_bytes[s])
            max->held_bytes[s] = c->held_bytes[s];
        if (c->peak_stack[s] > max->peak_stack[s])
            max->peak_stack[s] = c->peak_stack[s];
    }
    for (int f = 0; f < MEM_MAX_FLIGHTS; f++) {
        sum->flight_bytes[f] += c->flight_bytes[f];
        sum->flight_datagrams[f] += c->flight_datagrams[f];
    }
}

/* Runs handshakes while the runner wants more; shared by the handshake and
 * debug families. */
static int handshake_loop(struct run *r, const struct bench *b, struct tls_pair *p)
{
    struct tls_cost sum, max;

    memset(&sum, 0, sizeof(sum));
    memset(&max, 0, sizeof(max));
    while (run_keep(r)) {
        int ret;
        run_pause(r);
        if (b->cold)
            tls_pair_cold_reset(p);
        else
            ret = tls_pair_reset(p);
        run_resume(r);
        if (!b->cold && ret != 0) {
            run_error(r, b->name, p->error);
            return -1;
        }
        ret = b->cold ? tls_pair_cold_handshake(p) : tls_pair_handshake(p);
        if (ret != 0) {
            run_error(r, b->name, p->error);
            return -1;
        }
        add_cost(&sum, &max, &p->cost);
    }
    report_costs(r, &sum, &max);
    if (b->params.dtls)
        report_dtls_costs(r, &sum);
    if (r->gb != NULL)
        shim_set_label(r->gb, b->label);
    return 0;
}

static void body_handshake(struct run *r, const struct bench *b)
{
    struct tls_pair *p = malloc(sizeof(*p));

    if (p == NULL) {
        run_error(r, b->name, "out of memory");
        return;
    }
    if (tls_pair_setup(p, &b->params, certs_dir) != 0)
        run_error(r, b->name, p->error);
    else
        handshake_loop(r, b, p);
    tls_pair_free(p);
    free(p);
}

/* The reference family: the reference handshake through another library
 * (bench/ref_pair.h), with the same counters. */
static void body_reference(struct run *r, const struct bench *b)
{
    struct ref_pair *p = malloc(sizeof(*p));
    struct tls_cost sum, max;

    memset(&sum, 0, sizeof(sum));
    memset(&max, 0, sizeof(max));
    if (p == NULL) {
        run_error(r, b->name, "out of memory");
        return;
    }
    if (ref_pair_setup(p, b->ref, &b->ref_params, certs_dir) != 0) {
        run_error(r, b->name, p->error);
    } else {
        while (run_keep(r)) {
            int ret;
            run_pause(r);
            ret = ref_pair_reset(p);
            run_resume(r);
            if (ret != 0 || ref_pair_handshake(p) != 0) {
                run_error(r, b->name, p->error);
                break;
            }
            add_cost(&sum, &max, &p->cost);
        }
        if (!ref_heap_available(b->ref)) /* no hooks: say 0, not a figure */
            memset(max.peak_bytes, 0, sizeof(max.peak_bytes));
        report_costs(r, &sum, &max);
        if (r->gb != NULL)
            shim_set_label(r->gb, b->label);
    }
    ref_pair_free(p);
    free(p);
}

/* The reference family's 16 KiB throughput: body_throughput() through
 * another library, after an untimed handshake. */
static void body_reference_throughput(struct run *r, const struct bench *b)
{
    struct ref_pair *p = malloc(sizeof(*p));
    unsigned char *in = calloc(1, b->bytes), *out = calloc(1, b->bytes);

    if (p == NULL || in == NULL || out == NULL) {
        run_error(r, b->name, "out of memory");
    } else if (ref_pair_setup(p, b->ref, &b->ref_params, certs_dir) != 0 || ref_pair_handshake(p) != 0) {
        run_error(r, b->name, p->error);
    } else {
        while (run_keep(r)) {
            if (ref_pair_transfer(p, in, out, b->bytes) != 0) {
                run_error(r, b->name, p->error);
                break;
            }
        }
        if (r->gb != NULL && !r->failed) {
            shim_set_bytes_processed(r->gb, shim_iterations(r->gb) * (int64_t) b->bytes);
            shim_set_label(r->gb, b->label);
        }
        /* The stacks of one more write and read, outside the timed loop. */
        if (!r->failed && ref_pair_transfer_measured(p, in, out, b->bytes) != 0)
            run_error(r, b->name, p->error);
        run_counter(r, "client_peak_stack", p->cost.peak_stack[MEM_CLIENT], SHIM_PLAIN);
        run_counter(r, "server_peak_stack", p->cost.peak_stack[MEM_SERVER], SHIM_PLAIN);
        run_counter(r, "record_bytes", (double) b->bytes, SHIM_PLAIN);
    }
    if (p != NULL)
        ref_pair_free(p);
    free(p);
    free(in);
    free(out);
}

/* The same handshakes, timed by a plain loop with no benchmark library in
 * the way: the reference for the harness-overhead target. */
enum { BARE_BATCH = 10 };

static void body_overhead(struct run *r, const struct bench *b)
{
    struct tls_pair *p = malloc(sizeof(*p));

    if (p == NULL) {
        run_error(r, b->name, "out of memory");
        return;
    }
    if (tls_pair_setup(p, &b->params, certs_dir) != 0) {
        run_error(r, b->name, p->error);
    } else {
        double cpu_total = 0, handshakes = 0;
        while (run_keep(r)) {
            double elapsed = 0;
            for (int i = 0; i < BARE_BATCH; i++) {
                double start, cpu_start;
                if (tls_pair_reset(p) != 0)
                    break;
                start = mono_ns();
                cpu_start = thread_cpu_ns();
                if (tls_pair_handshake(p) != 0)
                    break;
                cpu_total += thread_cpu_ns() - cpu_start;
                elapsed += mono_ns() - start;
                handshakes++;
            }
            if (p->error[0] != '\0') {
                run_error(r, b->name, p->error);
                break;
            }
            if (r->gb != NULL)
                shim_set_iteration_time(r->gb, elapsed / 1e9 / BARE_BATCH);
        }
        /* The thread's CPU time too: on a shared machine it is the figure
         * other processes disturb least. */
        run_counter(r, "bare_cpu_us", handshakes > 0 ? cpu_total / handshakes / 1e3 : 0, SHIM_PLAIN);
        if (r->gb != NULL)
            shim_set_label(r->gb, b->label);
    }
    tls_pair_free(p);
    free(p);
}

/* ------------------------------------------------------------------------ */
/* DTLS under packet loss                                                   */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return x < y ? -1 : x > y;
}

/* The q-quantile of n sorted values, by nearest rank (0.5: the median). */
static double quantile(const double *sorted, int n, double q)
{
    int rank = (int) (q * n + 0.999999);

    if (n == 0)
        return 0;
    return sorted[rank < 1 ? 0 : rank > n ? n - 1 : rank - 1];
}

static void report_spread(struct run *r, const char *name, double *values, int n)
{
    char counter[64];

    qsort(values, (size_t) n, sizeof(values[0]), compare_doubles);
    snprintf(counter, sizeof(counter), "%s_median", name);
    run_counter(r, counter, quantile(values, n, 0.5), SHIM_PLAIN);
    snprintf(counter, sizeof(counter), "%s_p90", name);
    run_counter(r, counter, quantile(values, n, 0.9), SHIM_PLAIN);
}

/* [dtls-loss] */
/* One handshake per seed over a link that loses b->loss of the datagrams
 * (each its own fate, drawn from the seed), on the transport's virtual
 * clock: the time until both sides are done, as the link and the timers
 * would make it, and the bytes sent again. The seeds are the same at every
 * loss level. */
static void body_dtls_loss(struct run *r, const struct bench *b)
{
    struct tls_pair *p = malloc(sizeof(*p));
    double *completion = calloc((size_t) loss_seeds, sizeof(double));
    double *resent = calloc((size_t) loss_seeds, sizeof(double));
    double *expiries = calloc((size_t) loss_seeds, sizeof(double));
    int n = 0, failed = 0;

    if (p == NULL || completion == NULL || resent == NULL || expiries == NULL) {
        run_error(r, b->name, "out of memory");
    } else if (tls_pair_setup(p, &b->params, certs_dir) != 0) {
        run_error(r, b->name, p->error);
    } else {
        p->params.link.drop = b->loss; /* the setup handshake ran on a perfect link */
        while (run_keep(r)) {
            n = failed = 0;
            for (int seed = 1; seed <= loss_seeds; seed++) {
                tls_pair_reseed(p, (uint64_t) seed);
                if (tls_pair_reset(p) != 0) {
                    run_error(r, b->name, p->error);
                    break;
                }
                if (tls_pair_handshake(p) != 0) {
                    failed++; /* gave up after the last retransmission */
                    continue;
                }
                completion[n] = p->cost.completion_ms;
                resent[n] = p->cost.resent_bytes[MEM_CLIENT] + p->cost.resent_bytes[MEM_SERVER];
                expiries[n++] = p->cost.timer_expiries;
            }
        }
        report_spread(r, "completion_ms", completion, n);
        report_spread(r, "resent_bytes", resent, n);
        report_spread(r, "timer_expiries", expiries, n);
        run_counter(r, "handshakes", n, SHIM_PLAIN);
        run_counter(r, "failed", failed, SHIM_PLAIN);
        run_counter(r, "loss_percent", b->loss * 100, SHIM_PLAIN);
        if (r->gb != NULL)
            shim_set_label(r->gb, b->label);
    }
    if (p != NULL)
        tls_pair_free(p);
    free(p);
    free(completion);
    free(resent);
    free(expiries);
}
/* [dtls-loss] */

/* ------------------------------------------------------------------------ */
/* Debug levels                                                             */

struct discard_sink {
    unsigned long lines;
    unsigned long bytes;
};

/* Counts and throws away: the cost of producing the messages alone. */
static void discard_callback(void *ctx, int level, const char *file, int line, const char *msg)
{
    struct discard_sink *sink = ctx;

    (void) level;
    (void) file;
    (void) line;
    sink->lines++;
    sink->bytes += strlen(msg);
}

static void body_debug(struct run *r, const struct bench *b)
{
    struct tls_pair *p = malloc(sizeof(*p));
    struct discard_sink discard = {0, 0};
    struct debug_sink format;
    struct tls_pair_params params = b->params;
    unsigned long lines0, bytes0;

    memset(&format, 0, sizeof(format));
    if (p == NULL || debug_sink_open(&format, "/dev/null") != 0) {
        run_error(r, b->name, "cannot prepare the debug sink");
        free(p);
        return;
    }
    params.dbg = b->debug_format ? debug_log_callback : discard_callback;
    params.dbg_ctx = b->debug_format ? (void *) &format : (void *) &discard;
    params.debug_level = b->debug_level; /* lesson 03 sets the threshold */
    if (tls_pair_setup(p, &params, certs_dir) != 0) {
        run_error(r, b->name, p->error);
    } else {
        long before = r->gb != NULL ? 0 : r->done;
        lines0 = b->debug_format ? format.lines : discard.lines;
        bytes0 = b->debug_format ? format.bytes : discard.bytes;
        if (handshake_loop(r, b, p) == 0) {
            double n = (double) (r->gb != NULL ? shim_iterations(r->gb) : r->done - before);
            unsigned long lines = (b->debug_format ? format.lines : discard.lines) - lines0;
            unsigned long bytes = (b->debug_format ? format.bytes : discard.bytes) - bytes0;
            run_counter(r, "debug_lines", n > 0 ? (double) lines / n : 0, SHIM_PLAIN);
            run_counter(r, "debug_bytes", n > 0 ? (double) bytes / n : 0, SHIM_PLAIN);
        }
    }
    mbedtls_debug_set_threshold(0);
    tls_pair_free(p);
    free(p);
    debug_sink_close(&format);
}

/* ------------------------------------------------------------------------ */
/* Throughput and the raw AEAD bound                                        */

static void body_throughput(struct run *r, const struct bench *b)
{
    struct tls_pair *p = malloc(sizeof(*p));
    unsigned char *in = calloc(1, b->bytes), *out = calloc(1, b->bytes);

    if (p == NULL || in == NULL || out == NULL) {
        run_error(r, b->name, "out of memory");
    } else if (tls_pair_setup(p, &b->params, certs_dir) != 0 || tls_pair_handshake(p) != 0) {
        /* Setup leaves the contexts reset; the handshake above is untimed. */
        run_error(r, b->name, p->error);
    } else {
        while (run_keep(r)) {
            if (tls_pair_transfer(p, in, out, b->bytes) != 0) {
                run_error(r, b->name, p->error);
                break;
            }
        }
        if (r->gb != NULL && !r->failed) {
            shim_set_bytes_processed(r->gb, shim_iterations(r->gb) * (int64_t) b->bytes);
            shim_set_label(r->gb, b->label);
        }
        /* The stack of one more write and read, each side on its painted
         * region: a context switch per call, so outside the timed loop. */
        if (!r->failed && tls_pair_transfer_measured(p, in, out, b->bytes) != 0)
            run_error(r, b->name, p->error);
        run_counter(r, "client_peak_stack", p->cost.peak_stack[MEM_CLIENT], SHIM_PLAIN);
        run_counter(r, "server_peak_stack", p->cost.peak_stack[MEM_SERVER], SHIM_PLAIN);
        run_counter(r, "record_bytes", (double) b->bytes, SHIM_PLAIN);
    }
    if (p != NULL)
        tls_pair_free(p);
    free(p);
    free(in);
    free(out);
}

/* One direction's AEAD key, set up once per connection as the record layer
 * sets it up: an mbedtls_cipher context keyed for one direction (2.28, 3.6)
 * or a PSA key (4.x, whose record layer calls psa_aead_encrypt() and
 * psa_aead_decrypt() on it). */
struct aead_key {
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_cipher_context_t ctx;
#else
    mbedtls_svc_key_id_t id;
    psa_algorithm_t alg;
#endif
};

static void aead_key_init(struct aead_key *k)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_cipher_init(&k->ctx);
#else
    k->id = MBEDTLS_SVC_KEY_ID_INIT;
    k->alg = 0;
#endif
}

/* Whether this library has the AEAD at all. */
static int aead_available(const struct aead *a)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_cipher_info_from_type(a->type) != NULL;
#else
    /* A key of the type, and the algorithm, must both be built in. */
    psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
    static const unsigned char key[32] = "probe-probe-probe-probe-probe-pr";
    mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
    psa_status_t status;

    psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_ENCRYPT);
    psa_set_key_algorithm(&attributes, a->alg);
    psa_set_key_type(&attributes, a->key_type);
    status = psa_import_key(&attributes, key, (size_t) a->key_bits / 8, &id);
    psa_destroy_key(id);
    return status == PSA_SUCCESS;
#endif
}

/* Key one direction; 0 or an mbedTLS/PSA error. */
static int aead_key_setup(struct aead_key *k, const struct aead *a, const unsigned char *key, int encrypt)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    const mbedtls_cipher_info_t *info = mbedtls_cipher_info_from_type(a->type);
    int ret = info == NULL ? MBEDTLS_ERR_CIPHER_FEATURE_UNAVAILABLE : mbedtls_cipher_setup(&k->ctx, info);

    if (ret == 0)
        ret = mbedtls_cipher_setkey(&k->ctx, key, a->key_bits, encrypt ? MBEDTLS_ENCRYPT : MBEDTLS_DECRYPT);
    return ret;
#else
    psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;

    psa_set_key_usage_flags(&attributes, encrypt ? PSA_KEY_USAGE_ENCRYPT : PSA_KEY_USAGE_DECRYPT);
    psa_set_key_algorithm(&attributes, a->alg);
    psa_set_key_type(&attributes, a->key_type);
    k->alg = a->alg;
    return (int) psa_import_key(&attributes, key, (size_t) a->key_bits / 8, &k->id);
#endif
}

static void aead_key_free(struct aead_key *k)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_cipher_free(&k->ctx);
#else
    psa_destroy_key(k->id);
#endif
}

/* One record through the AEAD, as the record layer does it: the nonce and
 * the additional data carry the record's sequence number, the payload is
 * sealed and opened in place. A function of its own (never inlined) so that
 * bench/callgrind.sh can count exactly this. */
static int seal_and_open(struct aead_key *enc, struct aead_key *dec, uint64_t seq, unsigned char *payload,
                         size_t bytes, size_t tag_len) __attribute__((noinline));

static int seal_and_open(struct aead_key *enc, struct aead_key *dec, uint64_t seq, unsigned char *payload,
                         size_t bytes, size_t tag_len)
{
    /* TLS 1.2 GCM and CCM: a 4-byte implicit nonce and the 8-byte sequence
     * number (ChaCha20-Poly1305 XORs the sequence number into a 12-byte IV
     * instead, the same work). The additional data is sequence number, type
     * (23), version (3,3) and length. */
    unsigned char nonce[12] = "fixed-nonce";
    unsigned char ad[13] = {
        0, 0, 0, 0, 0, 0, 0, 0, 23, 3, 3, (unsigned char) (bytes >> 8), (unsigned char) bytes};
    size_t len;
    int ret;

    for (int i = 0; i < 8; i++) {
        nonce[4 + i] = (unsigned char) (seq >> (56 - 8 * i));
        ad[i] = nonce[4 + i];
    }
#if COMPAT_HAVE_LEGACY_CRYPTO
    ret = mbedtls_cipher_auth_encrypt_ext(&enc->ctx, nonce, sizeof(nonce), ad, sizeof(ad), payload, bytes,
                                          payload, bytes + tag_len, &len, tag_len);
    if (ret == 0)
        ret = mbedtls_cipher_auth_decrypt_ext(&dec->ctx, nonce, sizeof(nonce), ad, sizeof(ad), payload, len,
                                              payload, bytes + tag_len, &len, tag_len);
#else
    (void) tag_len; /* part of the algorithm (CCM-8) */
    ret = (int) psa_aead_encrypt(enc->id, enc->alg, nonce, sizeof(nonce), ad, sizeof(ad), payload, bytes,
                                 payload, bytes + tag_len, &len);
    if (ret == 0)
        ret = (int) psa_aead_decrypt(dec->id, dec->alg, nonce, sizeof(nonce), ad, sizeof(ad), payload, len,
                                     payload, bytes + tag_len, &len);
#endif
    return ret != 0 ? ret : len == bytes ? 0 : -1;
}

/* The bound for throughput: what the record layer does to one record, minus
 * the TLS around it. mbedtls_ssl_encrypt_buf()/decrypt_buf() (ssl_msg.c, in
 * 2.28 and in 3.6 without MBEDTLS_USE_PSA_CRYPTO, as both libraries here are
 * built) call mbedtls_cipher_auth_encrypt_ext()/auth_decrypt_ext() on
 * cipher contexts that were set up and keyed once per connection, one per
 * direction, and they work in place in the record buffer, with a fresh nonce
 * and additional data (sequence number, type, version, length) per record.
 * So does this loop: same API, contexts keyed once outside the timed loop,
 * no allocation, in place at the record buffer's payload offset, and one
 * nonce per record. (4.x's record layer calls psa_aead_encrypt() and
 * psa_aead_decrypt() on one PSA key per direction instead, in place too; so
 * does this loop there.) It times encrypt and decrypt together, because the
 * throughput benchmark's thread does both (the client's write and the
 * server's read). Counted on 2.28.3 by bench/callgrind.sh, it executes 5 %
 * (AES-128-GCM) and 7 % (ChaCha20-Poly1305) fewer instructions per 16 KiB
 * record than the TLS transfer, which adds the copies in and out of the
 * record buffers, the transport and the record bookkeeping. The earlier
 * version (separate buffers, one fixed nonce) executed the same number of
 * instructions as this one and timed the same: when TLS seemed to beat it in
 * CPU time, by 3 to 12 %, that was the timing noise of a shared machine on
 * a true gap of a few per cent, not a faster path. */
static void body_cipher(struct run *r, const struct bench *b)
{
    static const unsigned char key[32] = "0123456789abcdef0123456789abcde";
    /* TLS 1.2: 5-byte header, then (GCM, CCM) an 8-byte explicit nonce. */
    enum { HEADER = 5, EXPLICIT_NONCE = 8 };
    struct aead_key enc, dec;
    unsigned char *record = calloc(1, HEADER + EXPLICIT_NONCE + b->bytes + b->aead->tag_len);
    unsigned char *payload = record + HEADER + EXPLICIT_NONCE;
    uint64_t seq = 0;

    aead_key_init(&enc);
    aead_key_init(&dec);
    if (record == NULL) {
        run_error(r, b->name, "out of memory");
        goto cleanup;
    }
    /* The key length is the one the matching TLS suite uses. */
    if (aead_key_setup(&enc, b->aead, key, 1) != 0 || aead_key_setup(&dec, b->aead, key, 0) != 0) {
        run_error(r, b->name,
                  COMPAT_HAVE_LEGACY_CRYPTO ? "mbedtls_cipher_setup/setkey failed" : "psa_import_key failed");
        goto cleanup;
    }
    while (run_keep(r)) {
        if (seal_and_open(&enc, &dec, seq++, payload, b->bytes, b->aead->tag_len) != 0) {
            run_error(r, b->name,
                      COMPAT_HAVE_LEGACY_CRYPTO ? "mbedtls_cipher_auth_encrypt_ext/decrypt_ext failed"
                                                : "psa_aead_encrypt/decrypt failed");
            break;
        }
    }
    if (r->gb != NULL && !r->failed)
        shim_set_bytes_processed(r->gb, shim_iterations(r->gb) * (int64_t) b->bytes);
cleanup:
    aead_key_free(&dec);
    aead_key_free(&enc);
    free(record);
}

/* ------------------------------------------------------------------------ */
/* Where the time goes: the pieces of one handshake, timed alone            */

/* The ECDHE pieces of a handshake on secp256r1, done the way this version's
 * TLS does them: with ECP and bignum (2.28, 3.6), or with PSA keys (4.x,
 * where ECP is private: psa_generate_key() and psa_export_public_key() make
 * the key share, psa_raw_key_agreement() the shared secret). */
struct ecdhe {
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_ecp_group grp;
    mbedtls_mpi d, z;
    mbedtls_ecp_point q;
#else
    psa_key_attributes_t attributes;
    mbedtls_svc_key_id_t own;
    unsigned char peer[PSA_EXPORT_PUBLIC_KEY_MAX_SIZE]; /* the other side's key share */
    size_t peer_len;
#endif
};

static void ecdhe_init(struct ecdhe *e)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_ecp_group_init(&e->grp);
    mbedtls_mpi_init(&e->d);
    mbedtls_mpi_init(&e->z);
    mbedtls_ecp_point_init(&e->q);
#else
    e->attributes = psa_key_attributes_init();
    psa_set_key_type(&e->attributes, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&e->attributes, 256);
    psa_set_key_usage_flags(&e->attributes, PSA_KEY_USAGE_DERIVE);
    psa_set_key_algorithm(&e->attributes, PSA_ALG_ECDH);
    e->own = MBEDTLS_SVC_KEY_ID_INIT;
    e->peer_len = 0;
#endif
}

/* Our key pair and the peer's public key; 0 or an error. */
static int ecdhe_setup(struct ecdhe *e, struct compat_rng *rng)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    int ret = mbedtls_ecp_group_load(&e->grp, MBEDTLS_ECP_DP_SECP256R1);

    if (ret == 0)
        ret = mbedtls_ecp_gen_keypair(&e->grp, &e->d, &e->q, compat_rng_random, rng);
    return ret;
#else
    mbedtls_svc_key_id_t peer = MBEDTLS_SVC_KEY_ID_INIT;
    psa_status_t status;

    (void) rng;
    status = psa_generate_key(&e->attributes, &e->own);
    if (status == PSA_SUCCESS)
        status = psa_generate_key(&e->attributes, &peer);
    if (status == PSA_SUCCESS)
        status = psa_export_public_key(peer, e->peer, sizeof(e->peer), &e->peer_len);
    psa_destroy_key(peer);
    return (int) status;
#endif
}

/* A fresh key pair, as each handshake makes for its key share. */
static int ecdhe_keygen(struct ecdhe *e, struct compat_rng *rng)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_mpi d2;
    mbedtls_ecp_point q2;
    int ret;

    mbedtls_mpi_init(&d2);
    mbedtls_ecp_point_init(&q2);
    ret = mbedtls_ecp_gen_keypair(&e->grp, &d2, &q2, compat_rng_random, rng);
    mbedtls_ecp_point_free(&q2);
    mbedtls_mpi_free(&d2);
    return ret;
#else
    mbedtls_svc_key_id_t key = MBEDTLS_SVC_KEY_ID_INIT;
    unsigned char share[PSA_EXPORT_PUBLIC_KEY_MAX_SIZE];
    size_t share_len;
    psa_status_t status = psa_generate_key(&e->attributes, &key);

    (void) rng;
    if (status == PSA_SUCCESS)
        status = psa_export_public_key(key, share, sizeof(share), &share_len);
    psa_destroy_key(key);
    return (int) status;
#endif
}

/* The shared secret from our private key and the peer's public key. */
static int ecdhe_shared(struct ecdhe *e, struct compat_rng *rng)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    return mbedtls_ecdh_compute_shared(&e->grp, &e->z, &e->q, &e->d, compat_rng_random, rng);
#else
    unsigned char secret[PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE];
    size_t secret_len;

    (void) rng;
    return (int) psa_raw_key_agreement(PSA_ALG_ECDH, e->own, e->peer, e->peer_len, secret, sizeof(secret),
                                       &secret_len);
#endif
}

static void ecdhe_free(struct ecdhe *e)
{
#if COMPAT_HAVE_LEGACY_CRYPTO
    mbedtls_ecp_point_free(&e->q);
    mbedtls_mpi_free(&e->z);
    mbedtls_mpi_free(&e->d);
    mbedtls_ecp_group_free(&e->grp);
#else
    psa_destroy_key(e->own);
    psa_reset_key_attributes(&e->attributes);
#endif
}

static void body_breakdown(struct run *r, const struct bench *b)
{
    static const char personalisation[] = "workshop breakdown";
    struct compat_rng rng;
    struct ecdhe ecdhe;
    mbedtls_pk_context pk;
    mbedtls_x509_crt chain, ca;
    unsigned char hash[64], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE], buf[1024];
    size_t sig_len = 0;
    char path[512];
    uint32_t flags;
    int ret;

    compat_rng_init(&rng);
    ecdhe_init(&ecdhe);
    mbedtls_pk_init(&pk);
    mbedtls_x509_crt_init(&chain);
    mbedtls_x509_crt_init(&ca);
    memset(hash, 0x42, sizeof(hash));
    memset(buf, 0x17, sizeof(buf));

    ret = compat_rng_seed(&rng, (const unsigned char *) personalisation, sizeof(personalisation) - 1);
    if (ret == 0)
        ret = ecdhe_setup(&ecdhe, &rng);
    if (ret == 0 && b->key != NULL) {
        snprintf(path, sizeof(path), "%s/%s", certs_dir, b->key->server_key);
        ret = compat_pk_parse_keyfile(&pk, path, &rng);
        snprintf(path, sizeof(path), "%s/%s", certs_dir, b->key->server_chain);
        if (ret == 0)
            ret = mbedtls_x509_crt_parse_file(&chain, path);
        snprintf(path, sizeof(path), "%s/ca.pem", certs_dir);
        if (ret == 0)
            ret = mbedtls_x509_crt_parse_file(&ca, path);
        if (ret == 0)
            ret = compat_pk_sign(&pk, MBEDTLS_MD_SHA256, hash, 32, sig, sizeof(sig), &sig_len, &rng);
    }
    if (ret != 0) {
        run_error(r, b->name, "setup failed");
        goto cleanup;
    }
    while (run_keep(r)) {
        switch (b->op) {
        case OP_ECDHE_KEYGEN:
            ret = ecdhe_keygen(&ecdhe, &rng);
            break;
        case OP_ECDHE_SHARED:
            ret = ecdhe_shared(&ecdhe, &rng);
            break;
        case OP_SIGN:
            ret = compat_pk_sign(&pk, MBEDTLS_MD_SHA256, hash, 32, sig, sizeof(sig), &sig_len, &rng);
            break;
        case OP_VERIFY:
            /* With the public key of the certificate, as the peer verifies
             * it (4.0 refuses to verify RSA with the private key's context:
             * MBEDTLS_ERR_PK_INVALID_ALG). */
            ret = mbedtls_pk_verify(&chain.pk, MBEDTLS_MD_SHA256, hash, 32, sig, sig_len);
            break;
        case OP_X509_PARSE: {
            /* What the client does with the server's Certificate message. */
            mbedtls_x509_crt parsed;
            mbedtls_x509_crt_init(&parsed);
            for (const mbedtls_x509_crt *c = &chain; c != NULL && ret == 0; c = c->next)
                ret = mbedtls_x509_crt_parse_der(&parsed, c->raw.p, c->raw.len);
            mbedtls_x509_crt_free(&parsed);
            break;
        }
        case OP_X509_VERIFY:
            ret = mbedtls_x509_crt_verify(&chain, &ca, NULL, "localhost", &flags, NULL, NULL);
            break;
        case OP_TRANSCRIPT_HASH:
            /* TLS 1.2 in mbedTLS keeps a SHA-256 and a SHA-384 transcript. */
            ret = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), buf, sizeof(buf), hash);
            if (ret == 0)
                ret = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA384), buf, sizeof(buf), hash);
            break;
        }
        if (ret != 0) {
            run_error(r, b->name, "operation failed");
            break;
        }
    }
cleanup:
    mbedtls_x509_crt_free(&ca);
    mbedtls_x509_crt_free(&chain);
    mbedtls_pk_free(&pk);
    ecdhe_free(&ecdhe);
    compat_rng_free(&rng);
}

/* ------------------------------------------------------------------------ */
/* Registration                                                             */

static struct bench *add(body_fn body, int flags, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static struct bench *add(body_fn body, int flags, const char *fmt, ...)
{
    struct bench *b;
    va_list ap;

    if (n_benches == MAX_BENCHES) {
        fprintf(stderr, "tls_bench: too many benchmarks\n");
        exit(2);
    }
    b = &benches[n_benches++];
    memset(b, 0, sizeof(*b));
    va_start(ap, fmt);
    vsnprintf(b->name, sizeof(b->name), fmt, ap);
    va_end(ap);
    b->body = body;
    b->flags = flags;
    b->label = "";
    return b;
}

static char *label_for(const struct suite *s)
{
    static char labels[N_SUITES][96];
    size_t i = (size_t) (s - suites);

    snprintf(labels[i], sizeof(labels[i]), "group=%s transport=%s", s->group, use_tcp ? "tcp" : "mem");
    return labels[i];
}

/* The first TLS 1.3 suite of the matrix. */
static const struct suite *first_tls13_suite(void)
{
    for (size_t i = 0; i < N_SUITES; i++)
        if (suites[i].tls13)
            return &suites[i];
    return NULL;
}

/* DTLS 1.2 (lessons 15 and 16) over the in-memory datagram link: a full
 * handshake with the primary key of the suite's family, and for the
 * reference suite and the constrained devices' favourite (PSK with CCM-8)
 * the loss family. */
static void register_dtls(const struct suite *s)
{
#if defined(MBEDTLS_SSL_PROTO_DTLS)
    static char labels[N_SUITES][96];
    const size_t i = (size_t) (s - suites);
    const struct tls_key *key = s->keys == KEYS_PSK   ? NULL
                                : s->keys == KEYS_RSA ? &rsa_keys[0]
                                                      : &ecdsa_keys[0];
    struct bench *b;

    snprintf(labels[i], sizeof(labels[i]), "group=%s transport=mem-datagrams", s->group);
    b = add(body_handshake, SHIM_MICROSECONDS, "handshake/dtls1.2/%s/%s", s->name, key ? key->label : "psk");
    b->params.suite = s->mbedtls;
    b->params.key = key;
    b->params.dtls = 1;
    b->label = labels[i];
    if (strcmp(s->name, "ECDHE-ECDSA-AES128-GCM-SHA256") != 0 && strcmp(s->name, "PSK-AES128-CCM-8") != 0)
        return;
    for (size_t l = 0; l < sizeof(loss_percents) / sizeof(loss_percents[0]); l++) {
        /* Its figures come from the virtual clock and fixed seeds: one run says it all. */
        b = add(body_dtls_loss, SHIM_MICROSECONDS | SHIM_ONE_ITERATION | SHIM_ONE_REPETITION,
                "dtls-loss/%s/%s/loss-%d", s->name, key ? key->label : "psk", loss_percents[l]);
        b->params.suite = s->mbedtls;
        b->params.key = key;
        b->params.dtls = 1;
        b->params.link.delay_ms = LOSS_LINK_DELAY_MS;
        b->loss = loss_percents[l] / 100.0;
        b->label = labels[i];
    }
#else
    (void) s;
#endif
}

static void register_handshakes(const struct suite *s, const char *version)
{
    static const struct {
        const char *suffix;
        int cold;
        enum tls_resume resume;
        int client_auth;
    } variants[] = {
        {"", 0, RESUME_NONE, 0},
        {"/cold", 1, RESUME_NONE, 0},
        {"/resume-cache", 0, RESUME_CACHE, 0},
        {"/resume-ticket", 0, RESUME_TICKET, 0},
        {"/client-auth", 0, RESUME_NONE, 1},
    };
    const struct tls_key *keys = s->keys == KEYS_RSA ? rsa_keys : ecdsa_keys;
    size_t n_keys = s->keys == KEYS_PSK ? 1 : 2;

    if (s->keys == KEYS_ANY) /* TLS 1.3 suites are independent of the key: try both families */
        n_keys = 2;
    for (size_t k = 0; k < n_keys; k++) {
        const struct tls_key *key = s->keys == KEYS_PSK ? NULL : &keys[k];
        if (s->keys == KEYS_ANY)
            key = k == 0 ? &ecdsa_keys[0] : &rsa_keys[0];
        for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
            struct bench *b;
            int primary = s->keys == KEYS_ANY || k == 0;
            /* Secondary keys: the full handshake only. */
            if (!primary && v != 0)
                continue;
            /* Extra key sizes only on the first suite of each family. */
            if (!primary && strcmp(s->name, "ECDHE-ECDSA-AES128-GCM-SHA256") != 0 &&
                strcmp(s->name, "ECDHE-RSA-AES128-GCM-SHA256") != 0)
                continue;
            if (key == NULL && variants[v].client_auth)
                continue;
            /* TLS 1.3 has no session-id cache resumption: its sessions are
             * tickets (sent after the handshake, see tls_pair.c). */
            if (s->tls13 && variants[v].resume == RESUME_CACHE)
                continue;
            b = add(body_handshake, SHIM_MICROSECONDS, "handshake/%s/%s/%s%s", version, s->name,
                    key != NULL ? key->label : "psk", variants[v].suffix);
            b->params.suite = s->mbedtls;
            b->params.tls13 = s->tls13;
            b->params.key = key;
            b->params.resume = variants[v].resume;
            b->params.client_auth = variants[v].client_auth;
            b->params.tcp = use_tcp;
            b->cold = variants[v].cold;
            b->label = label_for(s);
            if (key == &ecdsa_keys[1]) {
                b->params.offer_p384 = 1;
                b->label = use_tcp ? "group=secp256r1 (secp384r1 also offered) transport=tcp"
                                   : "group=secp256r1 (secp384r1 also offered) transport=mem";
            }
        }
    }
    /* TLS 1.3 with a pre-shared key instead of a certificate (lesson 11):
     * the key alone (psk_ke), and with an ECDHE exchange (psk_dhe_ke); on
     * the first TLS 1.3 suite only, as the key is independent of it. */
    if (s->tls13 && s == first_tls13_suite()) {
        static const struct {
            const char *suffix;
            unsigned kex;
            const char *label[2];
        } psk_modes[] = {
            {"psk",
             COMPAT_TLS13_KEX_PSK,
             {"group=none (psk_ke) transport=mem", "group=none (psk_ke) transport=tcp"}},
            {"psk-dhe",
             COMPAT_TLS13_KEX_PSK_EPHEMERAL,
             {"group=secp256r1 (psk_dhe_ke) transport=mem", "group=secp256r1 (psk_dhe_ke) transport=tcp"}},
        };

        for (size_t m = 0; m < sizeof(psk_modes) / sizeof(psk_modes[0]); m++) {
            struct bench *b;

            if ((compat_tls13_kex_modes_available() & psk_modes[m].kex) == 0)
                continue;
            b = add(body_handshake, SHIM_MICROSECONDS, "handshake/%s/%s/%s", version, s->name,
                    psk_modes[m].suffix);
            b->params.suite = s->mbedtls;
            b->params.tls13 = 1;
            b->params.key = NULL;
            b->params.tls13_kex = psk_modes[m].kex;
            b->params.tcp = use_tcp;
            b->label = psk_modes[m].label[use_tcp ? 1 : 0];
        }
    }
}

/* reference/<library>/<version>/<suite>/<key>: the reference handshake and
 * its TLS 1.3 twin, the same with RSA-2048, TLS 1.2 ticket resumption and
 * 16 KiB throughput, through each library configure found. */
static void register_references(void)
{
    const struct ref_library *const *libs = ref_libraries();

    for (size_t i = 0; libs[i] != NULL; i++) {
        struct bench *b;

        for (int rsa = 0; rsa <= 1; rsa++) {
            for (int tls13 = 0; tls13 <= 1; tls13++) {
                struct ref_params params = {tls13, rsa, 0};

                b = add(body_reference, SHIM_MICROSECONDS, "reference/%s/%s/%s/%s", libs[i]->name,
                        tls13 ? "tls1.3" : "tls1.2", tls13 ? REF_SUITE_TLS13 : ref_suite_tls12(&params),
                        rsa ? "rsa2048" : "ecdsa-p256");
                b->ref = libs[i];
                b->ref_params = params;
                b->label = "group=secp256r1 transport=mem tickets=off";
            }
        }
        b = add(body_reference, SHIM_MICROSECONDS, "reference/%s/tls1.2/%s/ecdsa-p256/resume-ticket",
                libs[i]->name, REF_SUITE_TLS12);
        b->ref = libs[i];
        b->ref_params.resume = 1;
        b->label = "group=secp256r1 transport=mem tickets=on server-cache=off";
        b = add(body_reference_throughput, 0, "reference/%s/tls1.2/%s/16384", libs[i]->name, REF_SUITE_TLS12);
        b->ref = libs[i];
        b->bytes = 16384;
        b->label = "group=secp256r1 transport=mem";
    }
}

static void register_all(void)
{
    static const char *const levels[] = {"0", "1", "2", "3", "4"};
    static const struct {
        const char *name;
        enum breakdown_op op;
        const struct tls_key *key;
    } ops[] = {
        {"ecdhe-secp256r1-keygen", OP_ECDHE_KEYGEN, NULL},
        {"ecdhe-secp256r1-shared", OP_ECDHE_SHARED, NULL},
        {"sign/ecdsa-p256", OP_SIGN, &ecdsa_keys[0]},
        {"verify/ecdsa-p256", OP_VERIFY, &ecdsa_keys[0]},
        {"sign/rsa2048", OP_SIGN, &rsa_keys[0]},
        {"verify/rsa2048", OP_VERIFY, &rsa_keys[0]},
        {"x509-parse/ecdsa-p256", OP_X509_PARSE, &ecdsa_keys[0]},
        {"x509-parse/rsa2048", OP_X509_PARSE, &rsa_keys[0]},
        {"x509-verify/ecdsa-p256", OP_X509_VERIFY, &ecdsa_keys[0]},
        {"x509-verify/rsa2048", OP_X509_VERIFY, &rsa_keys[0]},
        {"transcript-hash/1024", OP_TRANSCRIPT_HASH, NULL},
    };
    const struct suite *reference = &suites[0];
    char bytes[16];
    struct bench *b;

    for (size_t i = 0; i < N_SUITES; i++) {
        const struct suite *s = &suites[i];
        const char *version = s->tls13 ? "tls1.3" : "tls1.2";
        if (mbedtls_ssl_get_ciphersuite_id(s->mbedtls) == 0 || (s->tls13 && !COMPAT_HAVE_TLS13)) {
            /* Not compiled into this library: leave it out, say so in the context. */
            if (strlen(absent) + strlen(s->name) + 2 < sizeof(absent)) {
                strcat(absent, absent[0] ? " " : "");
                strcat(absent, s->name);
            }
            continue;
        }
        register_handshakes(s, version);
        if (!s->tls13)
            register_dtls(s);
        for (size_t j = 0; j < sizeof(record_sizes) / sizeof(record_sizes[0]); j++) {
            snprintf(bytes, sizeof(bytes), "%zu", record_sizes[j]);
            b = add(body_throughput, 0, "throughput/%s/%s/%s", version, s->name, bytes);
            b->params.suite = s->mbedtls;
            b->params.tls13 = s->tls13;
            b->params.key = s->keys == KEYS_PSK ? NULL : s->keys == KEYS_RSA ? &rsa_keys[0] : &ecdsa_keys[0];
            b->params.tcp = use_tcp;
            b->bytes = record_sizes[j];
            b->label = label_for(s);
        }
    }
    for (size_t a = 0; a < sizeof(aeads) / sizeof(aeads[0]); a++) {
        if (!aead_available(&aeads[a]))
            continue;
        for (size_t j = 0; j < sizeof(record_sizes) / sizeof(record_sizes[0]); j++) {
            snprintf(bytes, sizeof(bytes), "%zu", record_sizes[j]);
            b = add(body_cipher, 0, "cipher/%s/%s", aeads[a].name, bytes);
            b->aead = &aeads[a];
            b->bytes = record_sizes[j];
        }
    }
#if defined(MBEDTLS_DEBUG_C)
    for (int level = 0; level <= 4; level++) {
        for (int format = 0; format <= 1; format++) {
            b = add(body_debug, SHIM_MICROSECONDS, "debug/%s/%s", levels[level],
                    format ? "format" : "discard");
            b->params.suite = reference->mbedtls;
            b->params.key = &ecdsa_keys[0];
            b->params.tcp = use_tcp;
            b->debug_level = level;
            b->debug_format = format;
            b->label = label_for(reference);
        }
    }
#else
    (void) levels;
#endif
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        b = add(body_breakdown, SHIM_MICROSECONDS, "breakdown/%s", ops[i].name);
        b->op = ops[i].op;
        b->key = ops[i].key;
    }
    b = add(body_overhead, SHIM_MICROSECONDS | SHIM_MANUAL_TIME, "overhead/bare-loop/tls1.2/%s/%s",
            reference->name, ecdsa_keys[0].label);
    b->params.suite = reference->mbedtls;
    b->params.key = &ecdsa_keys[0];
    b->params.tcp = use_tcp;
    b->label = label_for(reference);
    register_references();
}

/* ------------------------------------------------------------------------ */
/* Progress and context                                                     */

static size_t progress_total;
static size_t progress_done;
static const struct bench *progress_last;

/* Progress on stderr: which benchmark, which family, how many left. */
static void gb_entry(shim_state *state, void *arg)
{
    const struct bench *b = arg;
    struct run r = {state, 0, 0, 0};

    if (b != progress_last) {
        char family[32];
        size_t n = strcspn(b->name, "/");
        progress_last = b;
        progress_done++;
        snprintf(family, sizeof(family), "%.*s", (int) (n < sizeof(family) ? n : sizeof(family) - 1),
                 b->name);
        fprintf(stderr, "progress: [%zu/%zu] %s (family %s, %zu left)\n", progress_done, progress_total,
                b->name, family, progress_total >= progress_done ? progress_total - progress_done : 0);
    }
    b->body(&r, b);
}

/* Count what --benchmark_filter selects, the way Google Benchmark does for
 * simple patterns (a leading '-' negates). */
static size_t count_selected(const char *filter)
{
    regex_t re;
    int negate = 0;
    size_t n = 0;

    if (filter == NULL || filter[0] == '\0' || strcmp(filter, "all") == 0 || strcmp(filter, ".") == 0)
        return n_benches;
    if (filter[0] == '-') {
        negate = 1;
        filter++;
    }
    if (regcomp(&re, filter, REG_EXTENDED | REG_NOSUB) != 0)
        return n_benches;
    for (size_t i = 0; i < n_benches; i++)
        if ((regexec(&re, benches[i].name, 0, NULL, 0) == 0) != negate)
            n++;
    regfree(&re);
    return n;
}

static void cpu_model(char *out, size_t size)
{
    char line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");

    snprintf(out, size, "unknown");
    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL) {
        char *colon = strchr(line, ':');
        if (colon != NULL && strncmp(line, "model name", 10) == 0) {
            snprintf(out, size, "%s", colon + 2);
            out[strcspn(out, "\n")] = '\0';
            break;
        }
    }
    fclose(f);
}

static const char *yes_no(int value)
{
    return value ? "yes" : "no";
}

static void add_context(void)
{
    char text[256];

    shim_add_context("mbedtls_version", MBEDTLS_VERSION_STRING_FULL);
#if defined(TF_PSA_CRYPTO_VERSION_STRING_FULL)
    shim_add_context("tf_psa_crypto_version", TF_PSA_CRYPTO_VERSION_STRING_FULL); /* 4.x's crypto library */
#endif
#if defined(MBEDTLS_AESNI_C)
    shim_add_context("mbedtls_aesni", "yes");
#else
    shim_add_context("mbedtls_aesni", "no");
#endif
#if defined(MBEDTLS_ECP_NIST_OPTIM)
    shim_add_context("mbedtls_ecp_nist_optim", "yes");
#else
    shim_add_context("mbedtls_ecp_nist_optim", "no");
#endif
    snprintf(text, sizeof(text), "%d", (int) MBEDTLS_SSL_IN_CONTENT_LEN);
    shim_add_context("mbedtls_ssl_in_content_len", text);
    snprintf(text, sizeof(text), "%d", (int) MBEDTLS_SSL_OUT_CONTENT_LEN);
    shim_add_context("mbedtls_ssl_out_content_len", text);
    shim_add_context("mbedtls_tls13", yes_no(COMPAT_HAVE_TLS13));
#if defined(__clang__)
    shim_add_context("compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
    shim_add_context("compiler", "gcc " __VERSION__);
#else
    shim_add_context("compiler", "unknown");
#endif
    shim_add_context("build_flags", BENCH_BUILD_FLAGS);
    shim_add_context("google_benchmark_version", BENCH_BENCHMARK_VERSION);
    cpu_model(text, sizeof(text));
    shim_add_context("cpu_model", text);
    shim_add_context("group", tls_pair_group_name);
    shim_add_context("transport", use_tcp ? "tcp-loopback" : "memory");
    shim_add_context("heap_accounting", heap_accounting_available() ? "wrap-calloc-free" : "unavailable");
    /* The reference family: which libraries, which versions, why not. */
    text[0] = '\0';
    for (const struct ref_library *const *lib = ref_libraries(); *lib != NULL; lib++) {
        size_t used = strlen(text);
        snprintf(text + used, sizeof(text) - used, "%s%s: %s (heap %s)", used > 0 ? "; " : "", (*lib)->name,
                 (*lib)->version(), ref_heap_available(*lib) ? "counted" : "not counted");
    }
    shim_add_context("reference_libraries", text[0] != '\0' ? text : "none");
    shim_add_context("reference_absent_reason", ref_absent_reason());
    /* Each side's steps on a painted region of this size (bench/stack.h). */
    snprintf(text, sizeof(text), "%u", STACK_REGION_SIZE);
    shim_add_context("stack_accounting", stack_meter_available() ? "painted-region" : "unavailable");
    shim_add_context("stack_region_bytes", stack_meter_available() ? text : "0");
    shim_add_context("suites_absent", absent[0] ? absent : "none");
    /* What the DTLS rows ran with (bench/tls_pair.h, lessons 15 and 16). */
    snprintf(text, sizeof(text), "%d", TLS_PAIR_DTLS_HS_MIN_MS);
    shim_add_context("dtls_hs_timeout_min_ms", text);
    snprintf(text, sizeof(text), "%d", TLS_PAIR_DTLS_HS_MAX_MS);
    shim_add_context("dtls_hs_timeout_max_ms", text);
    snprintf(text, sizeof(text), "%d", TLS_PAIR_DTLS_MTU);
    shim_add_context("dtls_mtu", text);
    shim_add_context("dtls_cookies", "yes (HelloVerifyRequest, lesson 16)");
    snprintf(text, sizeof(text), "%d", LOSS_LINK_DELAY_MS);
    shim_add_context("dtls_loss_link_delay_ms", text);
    snprintf(text, sizeof(text), "%d", loss_seeds);
    shim_add_context("dtls_loss_seeds", text);
    shim_add_context("dtls_loss_model",
                     "each datagram lost independently, seeds 1..dtls_loss_seeds (common/lossy.c)");
    shim_add_context("dtls_loss_clock",
                     "virtual: the link's delay and the retransmission timers, no real waiting");
    /* What a 4.x run measures differently, so that a comparison with 2.28
     * or 3.6 knows why rows are missing or computed another way. */
    shim_add_context("suites_absent_reason",
                     !absent[0] ? "none"
                     : COMPAT_HAVE_LEGACY_CRYPTO
                         ? "not compiled into this library"
                         : "not compiled into this library: mbedTLS 4.x removed the RSA, "
                           "DHE-RSA and static ECDH key exchanges");
    shim_add_context("cipher_api", COMPAT_HAVE_LEGACY_CRYPTO
                                       ? "mbedtls_cipher (as the record layer)"
                                       : "psa_aead (as the record layer; mbedtls_cipher "
                                         "is private in 4.x)");
    shim_add_context("breakdown_ecdhe_api", COMPAT_HAVE_LEGACY_CRYPTO
                                                ? "mbedtls_ecp/ecdh"
                                                : "psa_generate_key/psa_raw_key_agreement "
                                                  "(ECP and ECDH are private in 4.x)");
}

/* ------------------------------------------------------------------------ */
/* Modes without Google Benchmark                                           */

static int bare_run(const char *name, long iterations)
{
    for (size_t i = 0; i < n_benches; i++) {
        if (strcmp(benches[i].name, name) == 0) {
            struct run r = {NULL, iterations, 0, 0};
            double start = mono_ns();
            benches[i].body(&r, &benches[i]);
            printf("iterations=%ld\nwall_ns_per_iteration=%.0f\n", r.done,
                   r.done > 0 ? (mono_ns() - start) / (double) r.done : 0.0);
            return r.failed ? 1 : 0;
        }
    }
    fprintf(stderr, "tls_bench: no benchmark named %s (try --ws_list)\n", name);
    return 1;
}

/* One cold handshake between two points massif can see: a snapshot written
 * just before (the baseline) and the program's peak (the handshake's). */
static int heap_probe(const char *snapshot_file)
{
    struct tls_pair_params params;
    struct tls_pair *p = malloc(sizeof(*p));
    size_t baseline;
    int ret;

    memset(&params, 0, sizeof(params));
    params.suite = suites[0].mbedtls;
    params.key = &ecdsa_keys[0];
    if (p == NULL)
        return 1;
    if (tls_pair_setup(p, &params, certs_dir) != 0) {
        fprintf(stderr, "heap probe: %s\n", p->error);
        free(p);
        return 1;
    }
    tls_pair_cold_reset(p);
    baseline = heap_get_total().current;
#if defined(HAVE_VALGRIND_VALGRIND_H)
    if (snapshot_file != NULL && snapshot_file[0] != '\0') {
        char command[600];
        snprintf(command, sizeof(command), "snapshot %s", snapshot_file);
        VALGRIND_MONITOR_COMMAND(command);
    }
#else
    (void) snapshot_file;
#endif
    ret = tls_pair_cold_handshake(p);
    if (ret == 0) {
        printf("heap_accounting=%s\n", heap_accounting_available() ? "yes" : "no");
        printf("total_peak_above_baseline=%.0f\n", p->cost.total_peak_bytes - (double) baseline);
        printf("client_peak_heap=%.0f\nserver_peak_heap=%.0f\n", p->cost.peak_bytes[MEM_CLIENT],
               p->cost.peak_bytes[MEM_SERVER]);
    } else {
        fprintf(stderr, "heap probe: %s\n", p->error);
    }
    tls_pair_free(p);
    free(p);
    return ret == 0 ? 0 : 1;
}

/* One handshake of the pair in a child process whose @p side has only
 * @p bytes of stack (0: the whole region): 1 if it completed (its painted
 * peak in @p painted), 0 if it ran out (SIGSEGV on the guard page, or a
 * sanitizer's report and exit), -1 if no child could be made. Every child
 * starts from the same copy of the pair, random generator included, so every
 * child runs the very same handshake. */
static int handshake_fits(struct tls_pair *p, enum heap_side side, size_t bytes, double *painted)
{
    struct rlimit no_core = {0, 0};
    int status, fds[2];
    pid_t child;
    ssize_t got;

    fflush(NULL);
    if (pipe(fds) != 0)
        return -1;
    child = fork();
    if (child < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (child == 0) {
        double peak;
        /* A crash is the expected answer: no core file, no report. */
        close(fds[0]);
        setrlimit(RLIMIT_CORE, &no_core);
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(3);
        stack_limit(side, bytes);
        if (tls_pair_reset(p) != 0 || tls_pair_handshake(p) != 0)
            _exit(1);
        peak = p->cost.peak_stack[side == HEAP_CLIENT ? MEM_CLIENT : MEM_SERVER];
        _exit(write(fds[1], &peak, sizeof(peak)) == (ssize_t) sizeof(peak) ? 0 : 1);
    }
    close(fds[1]);
    got = read(fds[0], painted, sizeof(*painted));
    close(fds[0]);
    if (waitpid(child, &status, 0) != child)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && got == (ssize_t) sizeof(*painted);
}

/* The second method for the stack figures (tests/bench_stack.test): the
 * smallest stack each side's steps complete the handshake in, found by
 * bisection in 16-byte steps, beside the painted peak of the same handshake
 * (each in a child process: see handshake_fits()). Painting sees every word
 * written; the guard page sees every access. */
static int stack_probe(const char *name)
{
    const struct bench *b = NULL;
    struct tls_pair *p;
    int ret = 0;

    for (size_t i = 0; i < n_benches; i++)
        if (strcmp(benches[i].name, name) == 0 && benches[i].body == body_handshake && !benches[i].cold)
            b = &benches[i];
    if (b == NULL) {
        fprintf(stderr, "tls_bench: no warm handshake benchmark named %s (try --ws_list)\n", name);
        return 1;
    }
    if (!stack_meter_available()) {
        printf("stack_accounting=unavailable\n");
        return 0;
    }
    p = malloc(sizeof(*p));
    if (p == NULL || tls_pair_setup(p, &b->params, certs_dir) != 0) {
        fprintf(stderr, "stack probe: %s\n", p != NULL ? p->error : "out of memory");
        free(p);
        return 1;
    }
    printf("stack_accounting=painted-region\n");
    for (int s = 0; s < 2 && ret == 0; s++) {
        enum heap_side side = s == MEM_CLIENT ? HEAP_CLIENT : HEAP_SERVER;
        size_t fails = 0, fits = STACK_REGION_SIZE; /* 0 bytes cannot work; the whole region does */
        double painted = 0, unused;

        if (handshake_fits(p, side, 0, &painted) != 1)
            ret = 1;
        while (fits - fails > 16 && ret == 0) {
            size_t mid = (fails + (fits - fails) / 2) & ~(size_t) 15;
            int r = handshake_fits(p, side, mid, &unused);
            if (r < 0)
                ret = 1;
            else if (r)
                fits = mid;
            else
                fails = mid;
        }
        printf("%s_peak_stack=%.0f\n%s_smallest_stack=%zu\n", s == MEM_CLIENT ? "client" : "server", painted,
               s == MEM_CLIENT ? "client" : "server", fits);
    }
    if (ret != 0)
        fprintf(stderr, "stack probe: %s\n",
                p->error[0] ? p->error : "a handshake in a child process failed");
    tls_pair_free(p);
    free(p);
    return ret;
}

int main(int argc, char **argv)
{
    const char *bare = NULL, *probe = NULL, *stack_probe_name = NULL, *filter = NULL, *env;
    long iterations = 10;
    int list = 0, kept = 1, ret;

    /* Before any reference library allocates: its allocator hooks. */
    ref_hook_allocators();
    env = getenv("WS_BENCH_TRANSPORT");
    if (env != NULL && strcmp(env, "tcp") == 0)
        use_tcp = 1;
    env = getenv("CERTS_DIR");
    if (env != NULL && env[0] != '\0')
        certs_dir = env;
    /* Take our own --ws_* options out; leave the rest to Google Benchmark. */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--ws_certs=", 11) == 0)
            certs_dir = a + 11;
        else if (strcmp(a, "--ws_transport=tcp") == 0)
            use_tcp = 1;
        else if (strcmp(a, "--ws_transport=mem") == 0)
            use_tcp = 0;
        else if (strcmp(a, "--ws_list") == 0)
            list = 1;
        else if (strncmp(a, "--ws_bare=", 10) == 0)
            bare = a + 10;
        else if (strncmp(a, "--ws_iterations=", 16) == 0)
            iterations = strtol(a + 16, NULL, 10);
        else if (strncmp(a, "--ws_loss_seeds=", 16) == 0) {
            loss_seeds = (int) strtol(a + 16, NULL, 10);
            if (loss_seeds < 1 || loss_seeds > 100000) {
                fprintf(stderr, "tls_bench: --ws_loss_seeds must be from 1 to 100000\n");
                return 1;
            }
        } else if (strncmp(a, "--ws_stack_probe=", 17) == 0)
            stack_probe_name = a + 17;
        else if (strncmp(a, "--ws_heap_probe", 15) == 0)
            probe = a[15] == '=' ? a + 16 : "";
        else if (strncmp(a, "--ws_", 5) == 0) {
            fprintf(stderr, "tls_bench: unknown option %s\n", a);
            return 1;
        } else {
            if (strncmp(a, "--benchmark_filter=", 19) == 0)
                filter = a + 19;
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    argv[argc] = NULL;
    /* The pairs are built by the lessons' stages, which narrate every step;
     * a benchmark runs thousands of them. A failed step's first error line
     * comes back in tls_pair's error text instead (report_first_error()). */
    report_set_mode(REPORT_SILENT);

    ret = compat_psa_init();
    if (ret != 0) {
        fprintf(stderr, "tls_bench: psa_crypto_init failed: %d\n", ret);
        return 2;
    }
    if (probe != NULL) {
        ret = heap_probe(probe);
        compat_psa_free();
        return ret;
    }
    register_all();
    if (list) {
        for (size_t i = 0; i < n_benches; i++)
            printf("%s\n", benches[i].name);
        return 0;
    }
    if (stack_probe_name != NULL) {
        ret = stack_probe(stack_probe_name);
        compat_psa_free();
        return ret;
    }
    if (bare != NULL) {
        ret = bare_run(bare, iterations);
        compat_psa_free();
        return ret;
    }
    for (size_t i = 0; i < n_benches; i++)
        shim_register(benches[i].name, gb_entry, &benches[i], benches[i].flags);
    progress_total = count_selected(filter);
    add_context();
    ret = shim_run(argc, argv);
    compat_psa_free();
    return ret;
}
