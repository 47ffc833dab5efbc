/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lab_main.c
 * @brief The microcontroller lab's program: one configuration profile's TLS
 *        client and server, in one image, making one handshake through
 *        memory, measured. The same source for the Cortex-M4 and the host.
 *
 * Both ends are bench/tls_pair.c's, built by the lessons' own stages: stage
 * 01 starts each end, 02 loads its certificates (through semihosting on the
 * board), 03 configures it with the profile's one suite, 04's
 * stage_attach_bio() joins the two through common/mem_transport.c. The
 * handshake is tls_pair's, one side at a time, so that every figure is
 * charged to the side that caused it. mcu/board.h says how each target
 * measures; this file prints what both have: heap per side, bytes and
 * flights on the wire. Output is `figure NAME VALUE` lines, which mcu/lab.sh
 * collects.
 *
 * Which profile: MBEDTLS_CONFIG_FILE, one of mcu/profiles/, which also names
 * the suite to run (MCU_PROFILE_SUITE) and the credentials
 * (MCU_PROFILE_KEY, or none for a pre-shared key).
 */
#include <stdio.h>
#include <string.h>

#include <mbedtls/platform.h>
#include <mbedtls/version.h>

#include "board.h"
#include "clock.h"
#include "tls_pair.h"

#if !defined(MCU_PROFILE_NAME) || !defined(MCU_PROFILE_SUITE) || !defined(MCU_PROFILE_TLS13)
#error "build with -DMBEDTLS_CONFIG_FILE naming one of mcu/profiles/*.h (mcu/lab.mk does)"
#endif

/* The lab's PKI is the workshop's (certs/mkpki.sh): an ECDSA P-256 chain. */
#if defined(MCU_PROFILE_KEY)
static const struct tls_key lab_key = {MCU_PROFILE_KEY, "server-ecdsa-chain.pem", "server-ecdsa.key",
                                       "client-chain.pem", "client.key"};
#endif

/* [frozen-clock] */
#if defined(MBEDTLS_HAVE_TIME)
/* The lab's clock stands still at MCU_LAB_TIME (when the image was built):
 * certificate dates are checked against it, and nothing that depends on
 * the time changes between runs. mcu/lab_config.h asks mbedTLS for
 * MBEDTLS_PLATFORM_TIME_ALT and MBEDTLS_PLATFORM_MS_TIME_ALT. */
static mbedtls_time_t frozen_time(mbedtls_time_t *timer)
{
    if (timer != NULL)
        *timer = (mbedtls_time_t) MCU_LAB_TIME;
    return (mbedtls_time_t) MCU_LAB_TIME;
}

mbedtls_ms_time_t mbedtls_ms_time(void)
{
    return (mbedtls_ms_time_t) MCU_LAB_TIME * 1000;
}
#endif
/* [frozen-clock] */

/* The pair is static: its contexts are the program's RAM (.bss), which the
 * lab reports, not stack. */
static struct tls_pair pair;
static double cpu[2][64];
static double wall_ms[64];

/* What this image was built with, as the library's headers say. */
static void print_build(void)
{
    const char *client = "no", *server = "no", *tls12 = "no", *tls13 = "no", *x509 = "no", *psa = "no";
    const char *error_texts = "no", *debug = "no";

#if defined(MBEDTLS_SSL_CLI_C)
    client = "yes";
#endif
#if defined(MBEDTLS_SSL_SRV_C)
    server = "yes";
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_2)
    tls12 = "yes";
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    tls13 = "yes";
#endif
#if defined(MBEDTLS_X509_CRT_PARSE_C)
    x509 = "yes";
#endif
#if defined(MBEDTLS_PSA_CRYPTO_C)
    psa = "yes";
#endif
#if defined(MBEDTLS_ERROR_C)
    error_texts = "yes";
#endif
#if defined(MBEDTLS_DEBUG_C)
    debug = "yes";
#endif
    printf("mcu-lab: profile %s: %s\n", MCU_PROFILE_NAME, MCU_PROFILE_SUMMARY);
    printf("mcu-lab: mbedTLS %s on %s\n", MBEDTLS_VERSION_STRING, board_name());
    printf("mcu-lab: WARNING: entropy is a fixed TEST source (mcu/test_entropy.c): "
           "this image measures, it is not firmware to ship\n");
    printf("mcu-lab: built with: client %s, server %s, TLS 1.2 %s, TLS 1.3 %s, X.509 %s, PSA %s, "
           "records in/out %d/%d bytes, error texts %s, debug %s\n",
           client, server, tls12, tls13, x509, psa, MBEDTLS_SSL_IN_CONTENT_LEN, MBEDTLS_SSL_OUT_CONTENT_LEN,
           error_texts, debug);
}

void lab_figure(const char *name, double value)
{
    /* Whole numbers, without printf's %f or %llu: newlib-nano has
     * neither. */
    char digits[24];
    unsigned long long n = value > 0 ? (unsigned long long) (value + 0.5) : 0;
    size_t i = sizeof(digits) - 1;

    digits[i] = '\0';
    do {
        digits[--i] = (char) ('0' + n % 10);
        n /= 10;
    } while (n > 0 && i > 0);
    printf("figure %s %s\n", name, digits + i);
}

/* The mbedTLS contexts one end keeps while it is connected (struct
 * tls_endpoint, lessons/stages.h): on a device, static RAM or a task's
 * stack, besides the heap the library allocates. */
static size_t contexts_size(void)
{
    size_t n = sizeof(mbedtls_entropy_context) + sizeof(mbedtls_ctr_drbg_context) +
               sizeof(mbedtls_ssl_config) + sizeof(mbedtls_ssl_context);
#if defined(MBEDTLS_X509_CRT_PARSE_C)
    n += 2 * sizeof(mbedtls_x509_crt) + sizeof(mbedtls_pk_context); /* trusted CAs, own chain, own key */
#endif
#if defined(MBEDTLS_X509_CRL_PARSE_C)
    n += sizeof(mbedtls_x509_crl);
#endif
    return n;
}

static void print_cost(const struct tls_cost *c)
{
    lab_figure("contexts", (double) contexts_size());
    lab_figure("client_peak_heap", c->peak_bytes[MEM_CLIENT]);
    lab_figure("server_peak_heap", c->peak_bytes[MEM_SERVER]);
    lab_figure("client_heap_after", c->held_bytes[MEM_CLIENT]);
    lab_figure("server_heap_after", c->held_bytes[MEM_SERVER]);
    lab_figure("total_peak_heap", c->total_peak_bytes);
    lab_figure("bytes_c2s", c->wire_bytes[MEM_CLIENT]);
    lab_figure("bytes_s2c", c->wire_bytes[MEM_SERVER]);
    lab_figure("flights", c->flights[MEM_CLIENT] + c->flights[MEM_SERVER]);
}

int main(void)
{
    struct tls_pair_params params;
    double *cpu_ns[2] = {cpu[0], cpu[1]};
    double start;
    int count;

    board_init();
#if defined(MBEDTLS_HAVE_TIME)
    mbedtls_platform_set_time(frozen_time);
#endif
    print_build();
    report_set_mode(REPORT_SILENT); /* the stages' narration off; errors come back in pair.error */

    memset(&params, 0, sizeof(params));
    params.suite = MCU_PROFILE_SUITE;
    params.tls13 = MCU_PROFILE_TLS13;
#if defined(MCU_PROFILE_KEY)
    params.key = &lab_key;
#endif
    /* Stages 01-04 for both ends, and one handshake to check them. */
    if (tls_pair_setup(&pair, &params, WORKSHOP_CERTS_DIR) != 0) {
        printf("error: setting up the pair failed: %s\n", pair.error);
        tls_pair_free(&pair);
        return WS_EXIT_HANDSHAKE;
    }
    /* The measured handshakes: from fresh contexts, as a device's first
     * connection after boot (mbedtls_ssl_setup() and its record buffers
     * included). */
    count = board_handshakes();
    if (count > (int) (sizeof(cpu[0]) / sizeof(cpu[0][0])))
        count = (int) (sizeof(cpu[0]) / sizeof(cpu[0][0]));
    for (int i = 0; i < count; i++) {
        tls_pair_cold_reset(&pair);
        start = now_ms();
        if (tls_pair_cold_handshake(&pair) != 0) {
            printf("error: the handshake failed: %s\n", pair.error);
            tls_pair_free(&pair);
            return WS_EXIT_HANDSHAKE;
        }
        wall_ms[i] = now_ms() - start;
        cpu[MEM_CLIENT][i] = pair.cost.cpu_ns[MEM_CLIENT];
        cpu[MEM_SERVER][i] = pair.cost.cpu_ns[MEM_SERVER];
    }
    printf("mcu-lab: handshake complete: %s, %s\n", mbedtls_ssl_get_version(&pair.end[MEM_CLIENT].ssl),
           mbedtls_ssl_get_ciphersuite(&pair.end[MEM_CLIENT].ssl));
    print_cost(&pair.cost);
    board_print_figures(cpu_ns, wall_ms, count);
    tls_pair_free(&pair);
    printf("mcu-lab: done\n");
    return WS_EXIT_OK;
}
