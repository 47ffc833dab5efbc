/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 11_psk_stage.c
 * @brief Lesson 11's stage, shared: a pre-shared key from the command line, given to the configuration.
 *
 * Lesson 11 teaches it; the DTLS lessons 15 and 16 take the same `--psk HEX --psk-identity NAME`
 * through these functions (they are in liblessons.a), so that a device can speak DTLS without
 * certificates. The key file of the lesson server (`08_server --psk-file`) is
 * lessons/08_server_psk.c; both read keys with common/psk_keys.c.
 */
#include <string.h>

#include <mbedtls/platform_util.h>

#include "stages.h"

int stage_psk_check(const struct options *o, struct psk_credentials *c, int required)
{
    const char *problem;

    /* [psk-options] */
    if ((c->hex == NULL) != (c->identity == NULL) || (required && c->hex == NULL))
        return options_usage_error(
            o, "needs --psk HEX and --psk-identity NAME (a line of the server's key file)");
    if (c->hex == NULL)
        return WS_EXIT_OK; /* certificates, as in lessons 01-07 */
    if ((problem = psk_key_from_hex(c->hex, strlen(c->hex), c->key, &c->key_len)) != NULL)
        return options_usage_error(o, "--psk %s", problem);
    if ((problem = psk_identity_problem(c->identity, strlen(c->identity))) != NULL)
        return options_usage_error(o, "--psk-identity %s", problem);
    /* [psk-options] */
    return WS_EXIT_OK;
}

#if COMPAT_HAVE_PSK
/* The TLS 1.2 suites of this mbedTLS that use the key, by name: ECDHE-PSK
 * (forward secrecy) first, then PSK alone. DHE-PSK and RSA-PSK are left out:
 * slow, and RSA-PSK needs the server's certificate anyway. */
static size_t tls12_psk_suites(int *ids, size_t cap)
{
    static const char *const prefixes[] = {"TLS-ECDHE-PSK-WITH-", "TLS-PSK-WITH-"};
    const int *all = mbedtls_ssl_list_ciphersuites();
    size_t n = 0;

    for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++)
        for (size_t i = 0; all[i] != 0 && n < cap; i++) {
            const char *name = mbedtls_ssl_get_ciphersuite_name(all[i]);

            if (strncmp(name, prefixes[p], strlen(prefixes[p])) == 0)
                ids[n++] = all[i];
        }
    ids[n] = 0;
    return n;
}
#endif

int stage_psk_conf(mbedtls_ssl_config *conf, struct psk_credentials *c, int only_tls12)
{
    int ret;

    if (c->hex == NULL)
        return WS_EXIT_OK;
#if !COMPAT_HAVE_PSK
    (void) conf, (void) only_tls12, (void) ret;
    report_error("psk", "this mbedTLS has no pre-shared-key handshake (MBEDTLS_KEY_EXCHANGE_PSK_ENABLED)");
    return WS_EXIT_UNSUPPORTED;
#else
    narrate_begin("Giving the configuration the pre-shared key of '%s'", c->identity);
    /* [psk-conf] */
    /* The key and its name: mbedTLS copies both into the configuration. A
     * server given one key this way accepts that identity only (the lesson
     * server looks keys up by identity instead: 08_server_psk.c). */
    ret = mbedtls_ssl_conf_psk(conf, c->key, c->key_len, (const unsigned char *) c->identity,
                               strlen(c->identity));
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("psk", "mbedtls_ssl_conf_psk", ret);
        return WS_EXIT_SETUP;
    }
    /* [psk-conf] */
    if (!only_tls12) {
        narrate_ok("%zu-byte key", c->key_len);
        return WS_EXIT_OK;
    }
    if (tls12_psk_suites(c->suites, PSK_STAGE_MAX_SUITES) == 0) {
        narrate_failed();
        report_error("psk",
                     "this mbedTLS has no TLS 1.2 pre-shared-key suite (MBEDTLS_KEY_EXCHANGE_PSK_ENABLED "
                     "or MBEDTLS_KEY_EXCHANGE_ECDHE_PSK_ENABLED)");
        return WS_EXIT_UNSUPPORTED;
    }
    mbedtls_ssl_conf_ciphersuites(conf, c->suites); /* the list must outlive conf */
    narrate_ok("%zu-byte key; the pre-shared-key suites only, first %s: no certificate", c->key_len,
               mbedtls_ssl_get_ciphersuite_name(c->suites[0]));
    return WS_EXIT_OK;
#endif
}

void stage_psk_wipe(struct psk_credentials *c)
{
    mbedtls_platform_zeroize(c->key, sizeof(c->key));
    c->key_len = 0;
}
