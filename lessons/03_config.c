/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 03_config.c
 * @brief Lesson 03: build the TLS configuration every connection will share.
 *
 * What you will learn:
 * - mbedtls_ssl_config holds the settings; one config serves many connections;
 * - start from mbedtls_ssl_config_defaults(), then tighten it:
 *   certificate verification *required* (the default for clients, but say it),
 *   TLS 1.2 as the minimum version (Debian's 2.28 would accept TLS 1.0);
 * - the config needs the trusted CAs (mbedtls_ssl_conf_ca_chain) and, in
 *   2.28 and 3.6, a random generator (mbedtls_ssl_conf_rng; 4.x always uses
 *   the PSA generator, so compat_conf_rng() does nothing there);
 * - the key exchange groups, in order of preference: X25519, then P-256 by
 *   default (mbedTLS 2.28 would otherwise prefer the slow secp521r1);
 * - optional: our own certificate, a restricted cipher suite list, a read
 *   timeout, and a debug callback (lesson 09 is all about it).
 *
 * Run it: `lessons/03_config --ciphersuite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256`
 */
#include <errno.h>
#include <string.h>

#include <mbedtls/debug.h>

#include "tls_names.h"
#include "stages.h"

/* "x25519,secp256r1" into text, or "library default" for an empty list. */
static const char *describe_groups(const uint16_t *ids, char *text, size_t size)
{
    size_t used = 0;

    snprintf(text, size, "library default");
    for (; *ids != 0 && used < size; ids++) {
        int n = snprintf(text + used, size - used, "%s%s", used ? "," : "", tls_group_name(*ids));

        used += n > 0 ? (size_t) n : 0;
    }
    return text;
}

int stage_config(struct tls_endpoint *s, const struct options *o, int endpoint)
{
    const int is_client = endpoint == MBEDTLS_SSL_IS_CLIENT;
    char groups_text[128];
    int authmode;
    int ret;

    /* [config-defaults] */
    /* TLS runs over a stream (TCP); DTLS, the same protocol made to survive
     * lost and reordered datagrams, over UDP (lessons 15 and 16). */
    narrate_begin("Setting up the %s configuration for a %s", o->datagram ? "DTLS" : "TLS",
                  is_client ? "client" : "server");
    ret = mbedtls_ssl_config_defaults(
        &s->conf, endpoint, o->datagram ? MBEDTLS_SSL_TRANSPORT_DATAGRAM : MBEDTLS_SSL_TRANSPORT_STREAM,
        MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("config", "mbedtls_ssl_config_defaults", ret);
        return WS_EXIT_SETUP;
    }
    /* [config-defaults] */

    /* [config-verify] */
    /* A client must always verify the server: without it, anyone on the path
     * can pretend to be the server. A server asks clients for a certificate
     * only when told to. */
    authmode = (is_client || o->require_client_cert) ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE;
    mbedtls_ssl_conf_authmode(&s->conf, authmode);
#if defined(MBEDTLS_X509_CRT_PARSE_C) /* not in a pre-shared-key-only library */
    mbedtls_ssl_conf_ca_chain(&s->conf, &s->ca_chain, s->have_crl ? &s->crl : NULL);
#endif
    /* [config-verify] */

    /* [config-rng-version] */
    compat_conf_rng(&s->conf, compat_rng_random, &s->rng); /* mbedtls_ssl_conf_rng(), up to 3.6 */
    compat_conf_min_tls12(&s->conf);
    /* [config-rng-version] */

    /* [config-own-cert] */
#if defined(MBEDTLS_X509_CRT_PARSE_C)
    if (o->cert_file != NULL) {
        ret = mbedtls_ssl_conf_own_cert(&s->conf, &s->own_cert, &s->own_key);
        if (ret != 0) {
            narrate_failed();
            report_mbedtls_error("config", "mbedtls_ssl_conf_own_cert", ret);
            return WS_EXIT_SETUP;
        }
    }
#endif
    /* [config-own-cert] */

    /* [config-groups] */
    /* The groups for the key exchange, best first. A client offers them in
     * this order; a server picks the first of its own list that the client
     * offers. Left alone, 2.28 prefers secp521r1 and its server picks it for
     * every client that offers it: secure, but several times slower than
     * X25519 or P-256, which are as secure as anyone needs. */
    if (o->tls_groups[0] != 0) {
        size_t n = 0;

        for (; o->tls_groups[n] != 0; n++)
            compat_group_from_iana(o->tls_groups[n], &s->groups[n]); /* options checked each one */
        s->groups[n] = COMPAT_GROUP_NONE;
        compat_conf_groups(&s->conf, s->groups); /* the list must outlive conf */
    }
    /* [config-groups] */

    /* [config-options] */
    if (o->ciphersuites[0] != 0) {
        mbedtls_ssl_conf_ciphersuites(&s->conf, o->ciphersuites);   /* the list must outlive conf */
        compat_conf_versions_for_suites(&s->conf, o->ciphersuites); /* TLS 1.2 suites: no TLS 1.3 */
    }
    /* Reads give up after this long; it needs a recv callback with a
     * timeout, which lesson 04 installs (mbedtls_net_recv_timeout). */
    mbedtls_ssl_conf_read_timeout(&s->conf, o->timeout_ms);
    /* [config-options] */

    /* [config-debug] */
    if (debug_sink_open(&s->debug, o->debug_file) != 0) {
        narrate_failed();
        report_error("config", "cannot open --debug-file %s: %s", o->debug_file, strerror(errno));
        return WS_EXIT_SETUP;
    }
    s->debug_open = 1;
    mbedtls_ssl_conf_dbg(&s->conf, debug_log_callback, &s->debug);
#if defined(MBEDTLS_DEBUG_C)
    mbedtls_debug_set_threshold(o->debug_level);
#else
    if (o->debug_level > 0) {
        narrate_failed();
        report_error("config", "--debug needs an mbedTLS built with MBEDTLS_DEBUG_C");
        return WS_EXIT_UNSUPPORTED;
    }
#endif
    /* [config-debug] */

    /* --keylog: hand every session's secrets to a key log file, so that
     * Wireshark can decrypt a capture. For debugging only: the file unlocks
     * every session it lists. (2.28 sets this on the config; 3.x per
     * connection, in lesson 04.) */
    if (o->keylog_file != NULL) {
        if (!COMPAT_HAVE_KEY_EXPORT) {
            narrate_failed();
            report_error("config",
                         "--keylog needs an mbedTLS built with key export (MBEDTLS_SSL_EXPORT_KEYS)");
            return WS_EXIT_UNSUPPORTED;
        }
        if (keylog_open(&s->keylog, o->keylog_file) != 0) {
            narrate_failed();
            report_error("config", "cannot open --keylog %s: %s", o->keylog_file, strerror(errno));
            return WS_EXIT_SETUP;
        }
        compat_conf_key_export(&s->conf, &s->keylog.export);
    }

    narrate_ok("verify peer: %s, minimum %s 1.2, %s cipher suites, groups %s",
               authmode == MBEDTLS_SSL_VERIFY_REQUIRED ? "required" : "no", o->datagram ? "DTLS" : "TLS",
               o->ciphersuites[0] != 0 ? "restricted" : "default",
               describe_groups(o->tls_groups, groups_text, sizeof(groups_text)));
    return WS_EXIT_OK;
}

#if !defined(LESSON_LIBRARY)
int main(int argc, char **argv)
{
    return lesson_main(argc, argv, STAGE_CONFIG,
                       "Lesson 03: build the TLS configuration (verification, versions, suites).");
}
#endif
