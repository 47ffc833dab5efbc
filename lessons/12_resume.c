/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 12_resume.c
 * @brief Lesson 12: resume a session after a restart, from a file.
 *
 * What you will learn:
 * - the device pattern: connect, keep the session, sleep (or reboot); wake
 *   up and resume it, skipping the certificate and the signature;
 * - mbedtls_ssl_get_session() copies the session out of a connection,
 *   mbedtls_ssl_session_save() turns it into bytes to keep in a file (or
 *   flash); mbedtls_ssl_session_load() and mbedtls_ssl_set_session() bring
 *   it back before the next handshake;
 * - three ways to resume: a TLS 1.2 session ID (the server keeps the
 *   session in its cache), a TLS 1.2 ticket and a TLS 1.3 ticket (the
 *   server keeps nothing: it sealed the session for the client to keep);
 *   a TLS 1.3 ticket arrives after the handshake (lesson 10);
 * - a saved session can be stale, damaged, or for another server or
 *   another mbedTLS: the client then makes a full handshake, and says why.
 *
 * Run it twice: `lessons/12_resume --session-file session.bin` (a full
 * handshake; the session is saved), then again (resumed, with both runs'
 * figures side by side). The connection is lesson 10's measured one
 * (measured.c); loading and saving the session is 12_resume_file.c, the
 * file's header common/session_file.c.
 *
 * Exit codes: 0 done (resumed or not), 1 usage (including a session file
 * that cannot be read or created), 2 setup, 3 network, 4 handshake (or no
 * session to save), 5 I/O, 77 the method is not in this mbedTLS (TLS 1.3
 * on 2.28).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "12_resume.h"
#include "measured.h"

/* [resume-methods] */
/* One way to resume. */
static const struct method {
    const char *name; /* for --method, and in the session file */
    const char *what; /* in words */
    int tls13;        /* the version it belongs to */
    int tickets;      /* ask for a ticket (or only for a session ID in the server's cache) */
} methods[] = {
    {"tls12-id", "TLS 1.2, session ID: the server keeps the session in its cache", 0, 0},
    {"tls12-ticket", "TLS 1.2, session ticket: the client keeps the session, sealed by the server", 0, 1},
    {"tls13-ticket", "TLS 1.3, ticket (NewSessionTicket, after the handshake)", 1, 1},
};
/* [resume-methods] */
#define METHOD_COUNT (sizeof(methods) / sizeof(methods[0]))

/* What this mbedTLS lacks for @p m, or NULL. */
static const char *method_missing(const struct method *m)
{
    if (m->tls13 && !COMPAT_HAVE_TLS13)
        return "TLS 1.3 (MBEDTLS_SSL_PROTO_TLS1_3; mbedTLS 2.28 has none)";
#if !defined(MBEDTLS_SSL_SESSION_TICKETS)
    if (m->tickets)
        return "session tickets (MBEDTLS_SSL_SESSION_TICKETS)";
#endif
    return NULL;
}

/* [resume-configure] */
static void configure_method(mbedtls_ssl_config *conf, const struct method *m)
{
    compat_conf_only_version(conf, m->tls13);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    /* TLS 1.2: without a ticket the server's session ID is all there is. */
    mbedtls_ssl_conf_session_tickets(conf, m->tickets ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                      : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
    /* TLS 1.3: hand the tickets to us (lesson 10). */
    if (m->tls13)
        compat_conf_tls13_signal_tickets(conf);
}
/* [resume-configure] */

static void cost_of(const struct handshake_facts *f, struct session_file_cost *c)
{
    c->flights = f->flights, c->sent = f->client_bytes, c->received = f->server_bytes;
    c->ms = f->ms, c->cpu_ms = f->cpu_ms;
}

/* openssl s_server -www says on its page whether it resumed the session:
 * a line "Reused, TLSv1.3, Cipher is ..." or "New, ...". Show it, if any. */
static void server_says(const char *page)
{
    const char *line = strstr(page, "\nReused, ");

    if (line == NULL)
        line = strstr(page, "\nNew, ");
    if (line != NULL)
        narrate_info("the server's page says: %.*s", (int) strcspn(line + 1, "\r\n<"), line + 1);
}

/* [resume-compare] */
static void compare(const struct session_file_cost *full, const struct session_file_cost *now)
{
    printf("\nThe full handshake that created the session, and this resumed one:\n"
           "  %-28s %10s %10s\n",
           "", "full", "resumed");
    printf("  %-28s %10u %10u\n", "flights", full->flights, now->flights);
    printf("  %-28s %10zu %10zu\n", "bytes sent by the client", full->sent, now->sent);
    printf("  %-28s %10zu %10zu\n", "bytes sent by the server", full->received, now->received);
    printf("  %-28s %10.1f %10.1f\n", "handshake time, ms", full->ms, now->ms);
    printf("  %-28s %10.2f %10.2f\n", "client CPU time, ms", full->cpu_ms, now->cpu_ms);
    printf("  %-28s %10s %10s\n", "certificate and signature", "yes", "none");
}
/* [resume-compare] */

/* [resume-main] */
static int run_lesson(struct tls_endpoint *s, const struct options *o, const struct method *m,
                      const char *path)
{
    static struct session_file sf;
    struct handshake_facts f;
    struct session_file_cost now;
    mbedtls_ssl_session saved, fresh;
    char server[300];
    int offered, resumed, tickets = 0, ret;

    mbedtls_ssl_session_init(&saved);
    mbedtls_ssl_session_init(&fresh);
    configure_method(&s->conf, m);
    printf("\n--- %s ---\n", m->what);
    snprintf(server, sizeof(server), "%s:%s", o->servername, o->port);
    offered = saved_session_load(path, server, m->name, &sf, &saved);
    ret = measured_connection(s, o, offered ? &saved : NULL, &fresh, &tickets, &f);
    if (ret == WS_EXIT_HANDSHAKE && offered) {
        /* A handshake that fails with the saved session would fail the
         * same way at every wake-up: forget it, and try once without. */
        report_error("resume", "warning: the handshake with the saved session failed: once more without it");
        offered = 0;
        ret = measured_connection(s, o, NULL, &fresh, &tickets, &f);
    }
    if (ret == WS_EXIT_OK) {
        /* A resumed TLS 1.3 ServerHello accepts the ticket; a resumed TLS 1.2
         * handshake is one flight shorter (no Certificate, no key exchange). */
        resumed = offered && (m->tls13 ? f.psk_accepted : f.flights == 3);
        if (resumed)
            narrate_info("resumed: the server accepted the saved session; no certificate, no signature");
        else if (offered)
            report_error("resume", "warning: the server did not resume the saved session (restarted, or it "
                                   "forgot it): this was a full handshake");
        cost_of(&f, &now);
        if (!resumed)
            sf.full = now; /* the next run compares with this one */
        server_says(f.response);
        if (m->tls13 && tickets == 0) {
            report_error("resume", "the server sent no session ticket: there is nothing to save");
            ret = WS_EXIT_HANDSHAKE;
        } else {
            ret = saved_session_save(path, server, m->name, &fresh, &sf);
        }
        if (ret == WS_EXIT_OK && resumed)
            compare(&sf.full, &now);
        else if (ret == WS_EXIT_OK)
            printf("\nA full handshake: %u flights, %zu + %zu bytes, %.1f ms. Run again to resume it.\n",
                   now.flights, now.sent, now.received, now.ms);
    }
    mbedtls_ssl_session_free(&fresh);
    mbedtls_ssl_session_free(&saved);
    return ret;
}
/* [resume-main] */

int main(int argc, char **argv)
{
    static struct tls_endpoint s; /* large: keep it off the stack */
    const char *path = NULL, *method = NULL, *problem;
    const struct extra_option own[] = {
        {"session-file", EXTRA_TEXT, "FILE", "where the session is kept between runs (required)", &path},
        {"method", EXTRA_TEXT, "NAME",
         "tls12-id, tls12-ticket or tls13-ticket (default: the\n"
         "newest this mbedTLS has)",
         &method},
        {NULL, EXTRA_SWITCH, NULL, NULL, NULL},
    };
    const struct method *m = &methods[COMPAT_HAVE_TLS13 ? 2 : 1];
    struct options o;
    char why[300];
    int done;
    int ret =
        options_parse_extra(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT,
                            "Lesson 12: resume a TLS session after a restart, from a file.", own, &o, &done);

    if (done)
        return ret;
    if (path == NULL)
        return options_usage_error(&o, "needs --session-file FILE (it need not exist yet)");
    if (session_file_usable(path, why, sizeof(why)) != 0)
        return options_usage_error(&o, "--session-file %s %s", path, why);
    for (size_t i = 0; method != NULL && i < METHOD_COUNT; i++)
        if (strcmp(method, methods[i].name) == 0)
            m = &methods[i], method = NULL;
    if (method != NULL)
        return options_usage_error(&o, "--method '%s' is not one of tls12-id, tls12-ticket, tls13-ticket",
                                   method);
    if ((problem = method_missing(m)) != NULL) {
        printf("This mbedTLS (%s) cannot resume with %s: it lacks %s.\n", MBEDTLS_VERSION_STRING, m->name,
               problem);
        return WS_EXIT_UNSUPPORTED;
    }
    signal(SIGPIPE, SIG_IGN);
    ret = stage_prepare(&s, &o, MBEDTLS_SSL_IS_CLIENT);
    if (ret == WS_EXIT_OK)
        ret = run_lesson(&s, &o, m, path);
    stage_cleanup(&s);
    return ret;
}
