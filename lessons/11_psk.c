/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 11_psk.c
 * @brief Lesson 11: pre-shared keys, a handshake without certificates.
 *
 * What you will learn:
 * - mbedtls_ssl_conf_psk() gives the client a key and the identity that
 *   names it; the server looks the key up by that identity (its side is
 *   lessons/08_server_psk.c, `08_server --psk-file FILE`);
 * - TLS 1.2 has two ways to use it, chosen by the cipher suite: PSK (the
 *   key alone) and ECDHE-PSK (the key plus an ECDHE exchange, so that a key
 *   stolen later does not decrypt what was recorded before);
 * - TLS 1.3 has the same two, as key exchange modes, chosen with
 *   mbedtls_ssl_conf_tls13_key_exchange_modes(): psk_ke and psk_dhe_ke;
 * - what the key saves: no certificate to send, parse and verify, no
 *   signature to compute; and how a wrong identity or a wrong key fails.
 *
 * A whole run makes a certificate handshake for comparison, then one
 * connection per way of using the key, each fetching `/`, and prints what
 * each cost. `--psk-mode NAME` makes one connection only (for servers that
 * have no certificate, such as `openssl s_server -nocert`).
 *
 * How a refused key shows, and what the lesson makes of it, is 11_psk_refusal.c.
 *
 * Run it: start the server with keys (`lessons/08_server --psk-file certs/psk-keys.txt &`),
 * then `lessons/11_psk --psk-identity sensor-01 --psk HEX` with the key from that file.
 *
 * Exit codes: 0 done, 1 usage, 2 setup, 3 network, 4 handshake (a wrong
 * identity or key), 5 I/O, 77 the mode asked for is not in this mbedTLS
 * (TLS 1.3 modes on 2.28).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "11_psk.h"
#include "measured.h"

/* [psk-modes] */
/* The cipher suites that use the key each way in TLS 1.2, best first. In
 * TLS 1.3 the suite only names the record cipher: an external PSK is used
 * with SHA-256, so the suite must be a SHA-256 one. */
static const char *const psk_suites[] = {"TLS-PSK-WITH-AES-128-GCM-SHA256",
                                         "TLS-PSK-WITH-CHACHA20-POLY1305-SHA256", NULL};
static const char *const ecdhe_psk_suites[] = {"TLS-ECDHE-PSK-WITH-CHACHA20-POLY1305-SHA256",
                                               "TLS-ECDHE-PSK-WITH-AES-128-CBC-SHA256", NULL};
static const char *const tls13_suites[] = {"TLS1-3-AES-128-GCM-SHA256", "TLS1-3-CHACHA20-POLY1305-SHA256",
                                           NULL};

/* One way to use a pre-shared key. */
struct psk_mode {
    const char *name;          /* for --psk-mode */
    const char *label;         /* its short name, after the version */
    const char *what;          /* what it is, in words */
    int tls13;                 /* the version it exists in */
    unsigned kex;              /* TLS 1.3: the key exchange mode (compat.h) */
    const char *const *suites; /* the cipher suites it offers */
    int forward_secrecy;       /* an ECDHE exchange protects past sessions from a stolen key */
    int ids[3];                /* the suites' ids in this mbedTLS (filled in; must outlive conf) */
};

static struct psk_mode modes[] = {
    {"tls12-psk", "PSK", "the key alone", 0, 0, psk_suites, 0},
    {"tls12-ecdhe-psk", "ECDHE-PSK", "the key plus an ECDHE exchange", 0, 0, ecdhe_psk_suites, 1},
    {"tls13-psk", "psk_ke", "the key alone", 1, COMPAT_TLS13_KEX_PSK, tls13_suites, 0},
    {"tls13-psk-ephemeral", "psk_dhe_ke", "the key plus an ECDHE exchange", 1, COMPAT_TLS13_KEX_PSK_EPHEMERAL,
     tls13_suites, 1},
};
/* [psk-modes] */
#define MODE_COUNT (sizeof(modes) / sizeof(modes[0]))

/* Can this mbedTLS use @p m? Fills in the suite ids; NULL when it can, else what is missing. */
static const char *mode_missing(struct psk_mode *m)
{
    size_t n = 0;

    if (m->tls13 && (!COMPAT_HAVE_TLS13 || (compat_tls13_kex_modes_available() & m->kex) == 0))
        return "TLS 1.3 with this key exchange mode (MBEDTLS_SSL_PROTO_TLS1_3 and "
               "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK*_ENABLED; mbedTLS 2.28 has no TLS 1.3)";
    for (size_t i = 0; m->suites[i] != NULL; i++)
        if (mbedtls_ssl_get_ciphersuite_id(m->suites[i]) != 0)
            m->ids[n++] = mbedtls_ssl_get_ciphersuite_id(m->suites[i]);
    m->ids[n] = 0;
    return n == 0 ? "its cipher suites (MBEDTLS_KEY_EXCHANGE_PSK_ENABLED or ..._ECDHE_PSK_ENABLED)" : NULL;
}

/* [psk-configure] */
/* The configuration of one mode: the same key, other suites or modes. The
 * configuration may change between connections, never during one. */
static int use_mode(mbedtls_ssl_config *conf, const struct psk_mode *m)
{
    mbedtls_ssl_conf_ciphersuites(conf, m->ids);
    compat_conf_only_version(conf, m->tls13);
    /* TLS 1.3 picks the key exchange apart from the suite: offer only this
     * mode, so that the server cannot fall back to its certificate. */
    if (m->tls13 && !compat_conf_tls13_kex_modes(conf, m->kex))
        return WS_EXIT_UNSUPPORTED; /* mode_missing() said it exists */
    return WS_EXIT_OK;
}
/* [psk-configure] */

/* One connection with @p m; its figures go to @p f. */
static int connect_with(struct tls_endpoint *s, const struct options *o, struct psk_mode *m,
                        const char *identity, struct handshake_facts *f)
{
    int ret;

    printf("\n--- TLS 1.%d, %s: %s ---\n", m->tls13 ? 3 : 2, m->label, m->what);
    ret = use_mode(&s->conf, m);
    if (ret == WS_EXIT_OK)
        ret = measured_connection(s, o, NULL, NULL, NULL, f);
    if (ret == WS_EXIT_HANDSHAKE)
        psk_explain_refusal(m->tls13, identity, f->received_alert); /* 11_psk_refusal.c */
    return ret;
}

static void print_row(int tls13, const char *what, const struct handshake_facts *f, int forward_secrecy)
{
    char name[64];

    snprintf(name, sizeof(name), "TLS 1.%d, %s", tls13 ? 3 : 2, what);
    printf("  %-34s %7u %6zu %8zu %8.1f %7.2f   %s\n", name, f->flights, f->client_bytes, f->server_bytes,
           f->ms, f->cpu_ms, forward_secrecy ? "yes" : "no");
}

static int run_lesson(struct tls_endpoint *s, const struct options *o, const struct psk_mode *only,
                      struct psk_credentials *c)
{
    const char *identity = c->identity;
    struct handshake_facts cert[2], psk[MODE_COUNT];
    int ran[MODE_COUNT] = {0};
    int ret = WS_EXIT_OK;

    if (only == NULL) {
        /* For comparison, the certificate handshake of lessons 05-07, in
         * each version, before the configuration learns the key. */
        for (int tls13 = 0; tls13 <= COMPAT_HAVE_TLS13 && ret == WS_EXIT_OK; tls13++) {
            printf("\n--- TLS 1.%d with the server's certificate, for comparison ---\n", tls13 ? 3 : 2);
            compat_conf_only_version(&s->conf, tls13);
            ret = measured_connection(s, o, NULL, NULL, NULL, &cert[tls13]);
        }
    }
    /* Lesson 11's stage (11_psk_stage.c): mbedtls_ssl_conf_psk(). */
    if (ret == WS_EXIT_OK)
        ret = stage_psk_conf(&s->conf, c, 0);
    for (size_t i = 0; i < MODE_COUNT && ret == WS_EXIT_OK; i++) {
        if (only != NULL && only != &modes[i])
            continue;
        if (mode_missing(&modes[i]) != NULL) {
            printf("\n--- TLS 1.%d, %s: skipped, this mbedTLS lacks %s ---\n", modes[i].tls13 ? 3 : 2,
                   modes[i].label, mode_missing(&modes[i]));
            continue;
        }
        ret = connect_with(s, o, &modes[i], identity, &psk[i]);
        ran[i] = ret == WS_EXIT_OK;
    }
    if (ret != WS_EXIT_OK || only != NULL)
        return ret;

    printf("\nWhat the pre-shared key saved (client side; this run's figures, one connection each):\n"
           "  %-34s %7s %6s %8s %8s %7s   %s\n",
           "handshake", "flights", "sent", "received", "ms", "CPU ms", "forward secrecy");
    for (int tls13 = 0; tls13 <= COMPAT_HAVE_TLS13; tls13++) {
        print_row(tls13, "certificate", &cert[tls13], 1);
        for (size_t i = 0; i < MODE_COUNT; i++)
            if (ran[i] && modes[i].tls13 == tls13)
                print_row(tls13, modes[i].label, &psk[i], modes[i].forward_secrecy);
    }
    printf("  No certificate crossed the wire with a key; without ECDHE no public-key\n"
           "  operation ran at all. But whoever steals a key can pose as its device,\n"
           "  and, without ECDHE, decrypt every session recorded with it.\n");
    return WS_EXIT_OK;
}

/* The lesson's own options, checked before anything runs; @p m is set to the
 * mode asked for (NULL: all of them). */
static int check_options(const struct options *o, struct psk_credentials *c, const char *only,
                         struct psk_mode **m)
{
    const char *problem;
    int ret = stage_psk_check(o, c, 1); /* --psk and --psk-identity: 11_psk_stage.c */

    if (ret != WS_EXIT_OK)
        return ret;
    for (size_t i = 0; only != NULL && *m == NULL && i < MODE_COUNT; i++)
        if (strcmp(only, modes[i].name) == 0)
            *m = &modes[i];
    if (only != NULL && *m == NULL)
        return options_usage_error(o,
                                   "--psk-mode '%s' is not one of tls12-psk, tls12-ecdhe-psk, tls13-psk, "
                                   "tls13-psk-ephemeral",
                                   only);
    if (*m != NULL && (problem = mode_missing(*m)) != NULL) {
        printf("This mbedTLS (%s) cannot run TLS 1.%d %s: it lacks %s.\n", MBEDTLS_VERSION_STRING,
               (*m)->tls13 ? 3 : 2, (*m)->label, problem);
        return WS_EXIT_UNSUPPORTED;
    }
    return WS_EXIT_OK;
}

int main(int argc, char **argv)
{
    static struct tls_endpoint s; /* large: keep it off the stack */
    static struct psk_credentials c;
    const char *only = NULL;
    const struct extra_option own[] = {
        PSK_EXTRA_OPTIONS(c),
        {"psk-mode", EXTRA_TEXT, "MODE",
         "one connection only: tls12-psk, tls12-ecdhe-psk,\n"
         "tls13-psk or tls13-psk-ephemeral (default: all of them,\n"
         "after certificate handshakes for comparison)",
         &only},
        {NULL, EXTRA_SWITCH, NULL, NULL, NULL},
    };
    struct psk_mode *m = NULL;
    struct options o;
    int done;
    int ret =
        options_parse_extra(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT,
                            "Lesson 11: pre-shared keys, a handshake without certificates.", own, &o, &done);

    if (done)
        return ret;
    ret = check_options(&o, &c, only, &m);
    if (ret == WS_EXIT_OK) {
        signal(SIGPIPE, SIG_IGN);
        ret = stage_prepare(&s, &o, MBEDTLS_SSL_IS_CLIENT);
        if (ret == WS_EXIT_OK)
            ret = run_lesson(&s, &o, m, &c);
        stage_cleanup(&s);
    }
    stage_psk_wipe(&c); /* mbedTLS keeps its own copy, wiped with conf */
    return ret;
}
