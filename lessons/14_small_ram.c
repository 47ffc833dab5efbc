/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 14_small_ram.c
 * @brief Lesson 14: what one TLS connection costs in RAM, and what each setting saves.
 *
 * What you will learn:
 * - most of a connection's heap is its two record buffers, which mbedtls_ssl_setup() allocates;
 *   their size is fixed when mbedTLS is built (MBEDTLS_SSL_IN_CONTENT_LEN and
 *   MBEDTLS_SSL_OUT_CONTENT_LEN), not by any call at run time;
 * - the max_fragment_length extension (mbedtls_ssl_conf_max_frag_len(), 512 to 4096 bytes) makes
 *   the peer send small records; that is what lets a device be built with small buffers and still
 *   talk to any server that honours the extension;
 * - TLS 1.3's record_size_limit (MBEDTLS_SSL_RECORD_SIZE_LIMIT) and buffers that shrink after the
 *   handshake (MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH) are build options too;
 * - keeping the peer's certificate after the handshake (MBEDTLS_SSL_KEEP_PEER_CERTIFICATE) costs
 *   the whole parsed chain for the life of the connection;
 * - how to measure it: every calloc() and free() mbedTLS makes, counted by the benchmark's own
 *   allocator wrapper (bench/heap.c), per side.
 *
 * The lesson prints this build's fixed sizes, makes one connection to the server with the settings
 * you give (`--max-frag-len`, `--ciphersuite`, `--groups`) and counts its client's heap, then
 * measures a table of settings with both ends in this process (lesson 14's table on the docs page).
 *
 * Run it: start the server (`lessons/08_server &`), then `lessons/14_small_ram --max-frag-len 512`.
 *
 * Exit codes: 0 done, 1 usage, 2 setup, 3 network, 4 handshake, 5 I/O, 77 this build cannot count
 * heap (no static mbedTLS libraries) or lacks the max_fragment_length extension.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "14_small_ram.h"
#include "heap.h"

/** @brief "on" or "off" for a build option. */
#define ON_OFF(defined_) ((defined_) ? "on " : "off")

/* [build-facts] */
/* What no call can change at run time: the build's choices. */
static void print_build_facts(void)
{
    printf("What this mbedTLS (%s) fixed when it was built:\n", MBEDTLS_VERSION_STRING);
    printf("  MBEDTLS_SSL_IN_CONTENT_LEN          %5d  largest record payload it can receive\n",
           MBEDTLS_SSL_IN_CONTENT_LEN);
    printf("  MBEDTLS_SSL_OUT_CONTENT_LEN         %5d  largest record payload it sends\n",
           MBEDTLS_SSL_OUT_CONTENT_LEN);
    printf("  MBEDTLS_SSL_MAX_FRAGMENT_LENGTH       %s  the max_fragment_length extension\n",
           ON_OFF(SMALL_RAM_HAVE_MFL));
    printf("  MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH    %s  buffers shrink to the negotiated size after the "
           "handshake\n",
           ON_OFF(SMALL_RAM_HAVE_VARIABLE_BUFFERS));
    printf("  MBEDTLS_SSL_RECORD_SIZE_LIMIT         %s  TLS 1.3's record_size_limit extension%s\n",
           ON_OFF(SMALL_RAM_HAVE_RECORD_SIZE_LIMIT), COMPAT_HAVE_TLS13 ? "" : " (no TLS 1.3 in this build)");
    printf("  MBEDTLS_SSL_KEEP_PEER_CERTIFICATE     %s  the peer's certificate chain is kept after the "
           "handshake\n",
           ON_OFF(SMALL_RAM_HAVE_KEEP_PEER_CERT));
}
/* [build-facts] */

/* [settings] */
int small_ram_apply(mbedtls_ssl_config *conf, int endpoint, const struct ram_setting *set)
{
    if (set->tls12_only)
        compat_conf_max_tls12(conf);
    if (set->suites[0] != 0) {
        /* One suite instead of the library's whole list (lesson 03). */
        mbedtls_ssl_conf_ciphersuites(conf, set->suites);
        compat_conf_versions_for_suites(conf, set->suites);
    }
    if (set->groups[0] != COMPAT_GROUP_NONE)
        compat_conf_groups(conf, set->groups);
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
    /* A client asks for it; a server grants what a client asks (RFC 6066:
     * 2^9 to 2^12 bytes, codes 1 to 4). It limits every record the peer
     * sends, so a build whose MBEDTLS_SSL_IN_CONTENT_LEN is that small can
     * still receive everything. */
    if (set->max_frag_len != 0 && endpoint == MBEDTLS_SSL_IS_CLIENT) {
        /* mbedTLS 3.6 negotiates it in TLS 1.2 only. Its TLS 1.3 client
         * offers it all the same (inside the ClientHello it shares with
         * TLS 1.2), and then rejects the server's acceptance: a TLS 1.3
         * server that honours it (OpenSSL, GnuTLS) fails the handshake with
         * MBEDTLS_ERR_SSL_UNSUPPORTED_EXTENSION. So: TLS 1.2 only. */
        if (COMPAT_HAVE_TLS13)
            compat_conf_max_tls12(conf);
        unsigned char code = set->max_frag_len == 512    ? MBEDTLS_SSL_MAX_FRAG_LEN_512
                             : set->max_frag_len == 1024 ? MBEDTLS_SSL_MAX_FRAG_LEN_1024
                             : set->max_frag_len == 2048 ? MBEDTLS_SSL_MAX_FRAG_LEN_2048
                                                         : MBEDTLS_SSL_MAX_FRAG_LEN_4096;

        return mbedtls_ssl_conf_max_frag_len(conf, code);
    }
#else
    (void) endpoint;
#endif
    return 0;
}
/* [settings] */

/* [one-connection] */
/* One connection to the server with the command line's settings, its
 * client's heap counted: mbedtls_ssl_setup() and the handshake, then the
 * request and the response, as the benchmark charges a side. */
static int measure_connection(struct tls_endpoint *s, const struct options *o, const struct ram_setting *set)
{
    static unsigned char buf[MBEDTLS_SSL_IN_CONTENT_LEN];
    char request[1024];
    struct heap_count setup, handshake, after;
    size_t total = 0, largest = 0, largest_clear = 0;
    int len, ret, mbedtls_ret = 0;

    ret = small_ram_apply(&s->conf, MBEDTLS_SSL_IS_CLIENT, set);
    if (ret != 0) {
        report_mbedtls_error("small-ram", "mbedtls_ssl_conf_max_frag_len", ret);
        return WS_EXIT_SETUP;
    }
    heap_reset_peak();
    heap_set_side(HEAP_CLIENT);
    /* Lesson 04's stage_connect(), in its three steps: mbedtls_ssl_setup()
     * (in stage_attach()) allocates the record buffers. */
    ret = stage_connect_tcp(&s->net, o->host, o->port);
    if (ret == WS_EXIT_OK)
        ret = stage_attach(&s->ssl, &s->conf, &s->net, o->servername);
    setup = heap_get(HEAP_CLIENT);
    /* [record-watch] */
    /* Lesson 04's tap stays on without --trace too (as for lesson 09): its
     * decoder notes the largest record the server sent in the clear, which
     * is its handshake (in TLS 1.2 up to its ChangeCipherSpec; in TLS 1.3
     * only the ServerHello). The tap is our instrument, not the client's
     * cost: its memory is counted apart. */
    s->decode_always = 1;
    heap_set_side(HEAP_OTHER);
    if (ret == WS_EXIT_OK)
        ret = stage_attach_debug_taps(s, o);
    heap_set_side(HEAP_CLIENT);
    /* [record-watch] */
    if (ret == WS_EXIT_OK) {
        ret = stage_handshake_ret(&s->ssl, &mbedtls_ret);
        /* A server that keeps to max_fragment_length splits its long
         * handshake messages over several records, which 2.28 cannot put
         * back together ("TLS handshake fragmentation not supported"). */
        if (mbedtls_ret == MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE && set->max_frag_len != 0)
            report_error("small-ram",
                         "this mbedTLS cannot reassemble a handshake message split over "
                         "several records, as a server keeping to max_fragment_length %u sends "
                         "them (2.28 cannot; 3.6 can)",
                         set->max_frag_len);
    }
    s->handshake_done = ret == WS_EXIT_OK;
    handshake = heap_get(HEAP_CLIENT);
    if (s->trace.decoder != NULL)
        largest_clear = record_decoder_wire(s->trace.decoder)
                            ->direction[TLS_DIR_SERVER_TO_CLIENT]
                            .largest_plaintext_record;
    if (ret == WS_EXIT_OK) {
        len = snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
                       o->path, o->servername); /* options.c limits both: it fits */
        ret = tls_write_all(&s->ssl, (const unsigned char *) request, (size_t) len);
        if (ret != 0) {
            report_mbedtls_error("small-ram", "mbedtls_ssl_write", ret);
            ret = WS_EXIT_IO;
        }
    }
    /* Lesson 06's read: one call returns at most one record's data, so the
     * largest read is the largest record of data the server sent. */
    while (ret == WS_EXIT_OK && (len = tls_read_some(&s->ssl, buf, sizeof(buf))) > 0) {
        total += (size_t) len;
        largest = (size_t) len > largest ? (size_t) len : largest;
    }
    if (ret == WS_EXIT_OK && len < 0) {
        report_mbedtls_error("small-ram", "mbedtls_ssl_read", len);
        ret = WS_EXIT_IO;
    }
    after = heap_get(HEAP_CLIENT);
    heap_set_side(HEAP_OTHER);
    if (ret != WS_EXIT_OK)
        return ret;
    printf("\nThis connection (%s, %s), the client's heap:\n", mbedtls_ssl_get_version(&s->ssl),
           mbedtls_ssl_get_ciphersuite(&s->ssl));
    printf("  %7zu bytes after mbedtls_ssl_setup(), before the first byte was sent\n", setup.current);
    printf("  %7zu bytes at most during the handshake\n", handshake.peak);
    printf("  %7zu bytes held after it, for as long as the connection lasts\n", handshake.current);
    printf("  %7zu bytes at most while sending the request and reading the response\n", after.peak);
    printf(
        "  records of at most %d bytes of data in and %d out (mbedtls_ssl_get_max_in/out_record_payload)\n",
        compat_ssl_max_in_payload(&s->ssl), mbedtls_ssl_get_max_out_record_payload(&s->ssl));
    printf("  the server's largest records: %zu bytes before encryption began (handshake), %zu of data\n",
           largest_clear, largest);
    printf("  the response: %zu bytes\n", total);
    /* [check-records] */
    /* Whatever the handshake agreed, the wire decides: a client built with
     * buffers of that size could not have read a larger record. */
    if (set->max_frag_len != 0 && largest_clear > set->max_frag_len)
        printf("  the server sent a handshake record of %zu bytes after being asked for at most %u\n",
               largest_clear, set->max_frag_len);
    if (set->max_frag_len != 0 && largest > set->max_frag_len)
        printf("  the server sent a record of %zu bytes of data after being asked for at most %u\n", largest,
               set->max_frag_len);
    /* [check-records] */
    return WS_EXIT_OK;
}
/* [one-connection] */

int main(int argc, char **argv)
{
    static struct tls_endpoint s; /* large: keep it off the stack */
    struct ram_setting mine = {"your settings", -1, 0, {0}, {COMPAT_GROUP_NONE}, 0};
    struct options o;
    int done;
    int ret = options_parse(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT | OPTS_HTTP | OPTS_SMALL_RAM,
                            "Lesson 14: what one TLS connection costs in RAM, and what each setting saves.",
                            &o, &done);

    if (done)
        return ret;
    if (!heap_accounting_available()) {
        printf("This build cannot count mbedTLS's heap: configure found no static mbedTLS libraries\n"
               "to link with -Wl,--wrap=calloc,--wrap=free (see m4/ws_heap_wrap.m4).\n");
        return WS_EXIT_UNSUPPORTED;
    }
    if (o.max_frag_len != 0 && !SMALL_RAM_HAVE_MFL) {
        printf("--max-frag-len: this mbedTLS was built without MBEDTLS_SSL_MAX_FRAGMENT_LENGTH.\n");
        return WS_EXIT_UNSUPPORTED;
    }
    mine.max_frag_len = o.max_frag_len;
    signal(SIGPIPE, SIG_IGN);
    print_build_facts();
    printf("\n");
    ret = stage_prepare(&s, &o, MBEDTLS_SSL_IS_CLIENT);
    if (ret == WS_EXIT_OK)
        ret = measure_connection(&s, &o, &mine);
    if (s.handshake_done && stage_close_notify(&s.ssl) != WS_EXIT_OK && ret == WS_EXIT_OK)
        ret = WS_EXIT_IO;
    stage_cleanup(&s);
    if (ret == WS_EXIT_OK)
        ret = small_ram_table(stdout);
    return ret;
}
