/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 09_mistakes.c
 * @brief Lesson 09, second half: six classic mistakes, made on purpose and explained.
 *
 * What you will learn:
 * - a failed call returns a negative code: mbedtls_strerror() names it,
 *   mbedtls_x509_crt_verify_info() names each certificate problem, and a
 *   fatal alert from the peer (-0x7780) has a description, read here from
 *   the wire with the `--trace` tap (mbedTLS 2.28 has no public getter);
 * - six classic mistakes, each made on purpose and explained: no trusted
 *   CA, the wrong host name, no host name at all (insecure!), a server that
 *   hangs up, a missing client certificate, and no cipher suite in common.
 *
 * Each mistake is one connection to a real server: four need only the
 * lesson server (`lessons/08_server &`); no-client-cert and server-closes
 * need one of their own, listed in `servers` below with how to start it and
 * the option that gives its port. A whole run skips, and says so, a mistake
 * whose server was not given. Running them all (or one), skipping those
 * whose server is missing and counting the results, is
 * 09_mistakes_runner.c.
 *
 * Run it: `lessons/09_mistakes`, or one mistake:
 * `lessons/09_mistakes --mistake wrong-hostname --trace`.
 *
 * Exit codes: with `--mistake NAME`, what any client lesson would return for
 * that outcome: 4 when the handshake fails (every mistake), 0 when it
 * succeeds (no-hostname on mbedTLS before 3.6.3: that is the problem it
 * shows). A whole run: 0 when every mistake it ran behaved as explained, 4
 * when one did not fail the expected way. Either way 3 when a server cannot
 * be reached, 2 for setup errors, 1 for a bad command line (including
 * `--mistake` for a mistake whose server port is missing).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/ssl_ciphersuites.h>

#include "09_mistakes.h"
#include "explain.h"

/* [servers] */
/* The servers the mistakes run against (09_mistakes.h): what to start for
 * each, and the option that gives its port. */
const struct mistake_server_info mistake_servers[SERVER_COUNT] = {
    [LESSON_SERVER] = {"lessons/08_server", "--port"},
    [CLIENT_CERT_SERVER] = {"lessons/08_server --port 4434 --require-client-cert", "--client-cert-port 4434"},
    [CLOSING_SERVER] = {"tests/peers/hostile_server close", "--closing-port PORT (the port it prints)"},
};
/* [servers] */

/* [mistakes] */
const struct mistake_info mistakes[MISTAKE_COUNT] = {
    {"no-ca", MISTAKE_NO_CA, LESSON_SERVER,
     "verification required, but mbedtls_ssl_conf_ca_chain() was never called",
     MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED, 0,
     "without trusted CAs nothing can be verified; mbedTLS refuses instead of trusting everyone."},
    {"wrong-hostname", MISTAKE_WRONG_HOSTNAME, LESSON_SERVER,
     "mbedtls_ssl_set_hostname(\"wrong.example\"), a name the server's certificate does not carry",
     MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, 0,
     "the certificate is valid, but for another name: the client must reject it, and tells the "
     "server why with a bad_certificate alert."},
    {"no-hostname", MISTAKE_NO_HOSTNAME, LESSON_SERVER, "mbedtls_ssl_set_hostname() never called (INSECURE)",
     COMPAT_NO_HOSTNAME_RESULT, 0,
     "without a name to expect, mbedTLS before 3.6.3 (and 2.28.10) checks the chain but not the "
     "name: any certificate from a trusted CA passes, whatever site it was issued for, so anyone "
     "holding a valid certificate for their own site can impersonate this server. Later releases "
     "refuse with -0x5D80. Always call mbedtls_ssl_set_hostname()."},
    {"server-closes", MISTAKE_SERVER_CLOSES, CLOSING_SERVER, "the server reads the ClientHello and hangs up",
     MBEDTLS_ERR_SSL_CONN_EOF, MBEDTLS_ERR_NET_CONN_RESET,
     "the TCP connection ended mid-handshake with no alert: there is no TLS reason to decode; look "
     "at the server's own log."},
    {"no-client-cert", MISTAKE_NO_CLIENT_CERT, CLIENT_CERT_SERVER,
     "the server requires a client certificate (--require-client-cert); we have none",
     COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT, COMPAT_NO_CLIENT_CERT_SEEN_BY_CLIENT_TOO,
     "only the server's log names the cause (-0x7480, no client certificate): a 2.28 server just "
     "hangs up, a 3.x server sends an alert that a TLS 1.3 client meets on its first read "
     "(-0x7780, or -0x7180 when it cannot decrypt it). Give the client --cert and --key."},
    {"no-shared-suite", MISTAKE_NO_SHARED_SUITE, LESSON_SERVER,
     "we offer only " COMPAT_RSA_ONLY_SUITE_NAME ", which a server with an ECDSA key cannot use",
     MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, 0,
     "-0x7780 only says that the peer gave up; the alert it sent (handshake_failure) says why: "
     "nothing we offered was acceptable."},
};
/* [mistakes] */

/* Make the mistake (or leave it to the server), connect, undo it, explain.
 * Returns the exit code of the attempt; *as_expected says whether it failed
 * the way the table says. */
int run_mistake(struct tls_endpoint *s, const struct options *o, const struct mistake_info *m,
                const char *port, int *as_expected)
{
    static const int rsa_only[] = {COMPAT_RSA_ONLY_SUITE, 0}; /* compat.h: 4.x has no RSA key exchange */
    struct options target = *o; /* the same options, aimed at this mistake's server */
    struct compat_own_cert_aside own_cert = {0};
    struct attempt_outcome out;
    int ret;

    target.port = port;
    printf("\nMistake '%s': %s\n", m->name, m->what);
    if (m->kind == MISTAKE_NO_CA) {
        /* [mistake-no-ca] */
        mbedtls_ssl_conf_ca_chain(&s->conf, NULL, NULL);
        /* [mistake-no-ca] */
    } else if (m->kind == MISTAKE_NO_SHARED_SUITE) {
        /* [mistake-no-shared-suite] */
        mbedtls_ssl_conf_ciphersuites(&s->conf, rsa_only);
        /* [mistake-no-shared-suite] */
    } else if (m->kind == MISTAKE_WRONG_HOSTNAME) {
        target.servername = "wrong.example";
    } else if (m->kind == MISTAKE_NO_HOSTNAME) {
        target.servername = NULL; /* lesson 04 then never calls mbedtls_ssl_set_hostname() */
    }
    /* "We have none", even when --cert gave us one (compat.h: 2.28 has no call for it). */
    if (m->kind == MISTAKE_NO_CLIENT_CERT)
        compat_conf_set_aside_own_cert(&s->conf, o->cert_file != NULL ? &s->own_cert : NULL, &s->own_key,
                                       &own_cert);
    attempt_connection(s, &target, m->kind == MISTAKE_NO_CLIENT_CERT, &out);
    /* Undo the mistake for the next one. */
    if (m->kind == MISTAKE_NO_CLIENT_CERT && (ret = compat_conf_restore_own_cert(&s->conf, &own_cert)) != 0) {
        report_mbedtls_error("mistakes", "mbedtls_ssl_conf_own_cert", ret);
        return WS_EXIT_SETUP;
    }
    mbedtls_ssl_conf_ca_chain(&s->conf, &s->ca_chain, s->have_crl ? &s->crl : NULL);
    mbedtls_ssl_conf_ciphersuites(&s->conf, o->ciphersuites[0] != 0 ? o->ciphersuites
                                                                    : mbedtls_ssl_list_ciphersuites());
    if (out.exit != WS_EXIT_OK && out.ret == 0)
        return out.exit; /* the connection itself failed (the stage said why): no mistake to see */

    if (out.ret != 0) {
        /* A failed handshake was reported by lesson 05's stage itself. */
        if (strcmp(out.function, "mbedtls_ssl_handshake") != 0)
            report_mbedtls_error("mistakes", out.function, out.ret);
        /* [explain-failure] */
        explain_handshake_failure(out.ret, out.flags, out.received_alert, out.sent_alert);
        /* [explain-failure] */
        if (out.ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && out.received_alert < 0)
            narrate_info("alert received: encrypted (TLS 1.3), so the tap cannot read its description");
    }
    /* [mistake-no-hostname] */
    if (m->kind == MISTAKE_NO_HOSTNAME && out.ret == 0)
        narrate_info("!!! INSECURE !!! the handshake passed, but no name was checked: "
                     "this connection proves nothing about who answered");
    /* [mistake-no-hostname] */
    narrate_info("why: %s", m->why);
    *as_expected = out.ret == m->expected_ret || (m->also_ok_ret != 0 && out.ret == m->also_ok_ret);
    if (*as_expected) {
        narrate_info("as expected");
    } else if (m->expected_ret == 0) {
        narrate_info("UNEXPECTED: expected the handshake to pass");
    } else {
        char text[160];

        narrate_info("UNEXPECTED: expected -0x%04X (%s)", (unsigned) -m->expected_ret,
                     error_text(m->expected_ret, text, sizeof(text)));
    }
    return out.ret == 0 ? WS_EXIT_OK : WS_EXIT_HANDSHAKE;
}

int main(int argc, char **argv)
{
    /* Static: the session is 41 KB with mbedTLS 2.28 (mostly the entropy
     * context), too much to keep on the stack for no reason. */
    static struct tls_endpoint s;
    const char *only = NULL, *ports[SERVER_COUNT] = {NULL};
    const struct extra_option own[] = {
        {"mistake", EXTRA_TEXT, "NAME",
         "only one mistake: no-ca, wrong-hostname, no-hostname,\nserver-closes, no-client-cert, "
         "no-shared-suite\n(exit code: 4 if the handshake failed, 0 if it passed)",
         &only},
        {"client-cert-port", EXTRA_PORT, "N",
         "port of a lesson server started with --require-client-cert\n(mistake no-client-cert)",
         &ports[CLIENT_CERT_SERVER]},
        {"closing-port", EXTRA_PORT, "N",
         "port of a server that hangs up after the ClientHello\n(mistake server-closes: "
         "tests/peers/hostile_server close)",
         &ports[CLOSING_SERVER]},
        {NULL, EXTRA_SWITCH, NULL, NULL, NULL},
    };
    struct options o;
    int done, ret;

    ret = options_parse_extra(
        argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT,
        "Lesson 09: six deliberate mistakes, and the errors and alerts that explain them.", own, &o, &done);
    if (done)
        return ret;
    ports[LESSON_SERVER] = o.port;
    ret = mistakes_check_choice(&o, only, ports);
    if (ret != WS_EXIT_OK)
        return ret;
    signal(SIGPIPE, SIG_IGN);
    /* Whole narration lines: debug and trace lines can then come between
     * them without cutting one in half. */
    narrate_set_thread_prefix("");
    ret = stage_init(&s);
    /* Lesson 04 puts the tap in place even without --trace: it reports the
     * alerts that explain a failure. */
    s.decode_always = 1;
    if (ret == WS_EXIT_OK)
        ret = stage_load_certs(&s, &o);
    if (ret == WS_EXIT_OK)
        ret = stage_config(&s, &o, MBEDTLS_SSL_IS_CLIENT);
    if (ret == WS_EXIT_OK)
        ret = mistakes_run(&s, &o, only, ports);
    stage_cleanup(&s);
    return ret;
}
