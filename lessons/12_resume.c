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
 * (measured.c); the file's header is common/session_file.c.
 *
 * Exit codes: 0 done (resumed or not), 1 usage (including a session file
 * that cannot be read or created), 2 setup, 3 network, 4 handshake (or no
 * session to save), 5 I/O, 77 the method is not in this mbedTLS (TLS 1.3
 * on 2.28).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "measured.h"
#include "session_file.h"

/** @brief A saved session older than this is stale: the lesson server keeps its sessions a day. */
#define SESSION_MAX_AGE_S 86400

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

/* The warning for a saved session that is not offered, in one line. */
static int not_offered(const char *path, const char *why)
{
    report_error("resume", "warning: the session in %s is not offered: %s; a full handshake instead", path,
                 why);
    return 0;
}

/* [load-session] */
/* The session saved by the last run, if it can be offered to this server
 * with this method. Returns 1 when @p session is ready for mbedtls_ssl_set_session(). */
static int load_saved(const char *path, const char *server, const struct method *m, struct session_file *sf,
                      mbedtls_ssl_session *session)
{
    long long age;
    char why[300];
    int missing, ret;

    narrate_begin("Reading the saved session from %s", path);
    if (session_file_load(path, sf, &missing, why, sizeof(why)) != 0) {
        narrate_ok(missing ? "none yet: this is the first run" : "unusable");
        return missing ? 0 : not_offered(path, why);
    }
    narrate_ok("%zu bytes, saved by mbedTLS %s for %s (%s)", sf->session_len, sf->library, sf->server,
               sf->method);
    age = (long long) time(NULL) - sf->saved;
    if (strcmp(sf->server, server) != 0)
        return not_offered(path, "it belongs to another server");
    if (strcmp(sf->method, m->name) != 0)
        return not_offered(path, "it was saved for another method (--method)");
    if (age > SESSION_MAX_AGE_S || age < -300)
        return not_offered(path, age < 0 ? "it was saved in the future (has the clock changed?)"
                                         : "it is stale: saved more than a day ago");
    /* The bytes mbedtls_ssl_session_save() wrote; another mbedTLS release,
     * or this one built differently, refuses them. */
    narrate_begin("Loading it with mbedtls_ssl_session_load");
    ret = mbedtls_ssl_session_load(session, sf->session, sf->session_len);
    if (ret != 0) {
        char text[120], other[80] = "";

        narrate_failed();
        if (strcmp(sf->library, MBEDTLS_VERSION_STRING) != 0) /* the usual cause */
            snprintf(other, sizeof(other), "mbedTLS %s saved it, this is %s: ", sf->library,
                     MBEDTLS_VERSION_STRING);
        snprintf(why, sizeof(why), "%smbedtls_ssl_session_load failed: -0x%04X %s", other, (unsigned) -ret,
                 error_text(ret, text, sizeof(text)));
        return not_offered(path, why);
    }
    narrate_ok("saved %lld s ago", age);
    return 1;
}
/* [load-session] */

/* [save-session] */
/* Keep @p session for the next run, with what the full handshake cost. */
static int save(const char *path, const char *server, const struct method *m,
                const mbedtls_ssl_session *session, struct session_file *sf)
{
    size_t len = 0;
    char why[300];
    int ret;

    narrate_begin("Saving the session to %s", path);
    ret = mbedtls_ssl_session_save(session, sf->session, sizeof(sf->session), &len);
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("resume", "mbedtls_ssl_session_save", ret);
        return WS_EXIT_SETUP;
    }
    sf->session_len = len;
    snprintf(sf->server, sizeof(sf->server), "%s", server);
    snprintf(sf->method, sizeof(sf->method), "%s", m->name);
    snprintf(sf->library, sizeof(sf->library), "%s", MBEDTLS_VERSION_STRING);
    sf->saved = (long long) time(NULL);
    if (session_file_save(path, sf, why, sizeof(why)) != 0) {
        narrate_failed();
        report_error("resume", "%s", why);
        return WS_EXIT_SETUP;
    }
    narrate_ok("%zu bytes of session; the file holds its secret: it is readable by you only", len);
    return WS_EXIT_OK;
}
/* [save-session] */

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
    offered = load_saved(path, server, m, &sf, &saved);
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
            ret = save(path, server, m, &fresh, &sf);
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
