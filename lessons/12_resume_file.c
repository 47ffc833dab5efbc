/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 12_resume_file.c
 * @brief Lesson 12's session between two runs: loading it, with every reason
 *        not to offer it, and saving it.
 *
 * Read it with 12_resume.c, which offers the loaded session to the next
 * handshake and saves the new one after it. mbedtls_ssl_session_save() turns
 * a session into bytes and mbedtls_ssl_session_load() back; the header in
 * front of the bytes (which server, which method, which mbedTLS, when, what
 * the full handshake cost) is common/session_file.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "12_resume.h"

/** @brief A saved session older than this is stale: the lesson server keeps its sessions a day. */
#define SESSION_MAX_AGE_S 86400

/* The warning for a saved session that is not offered, in one line. */
static int not_offered(const char *path, const char *why)
{
    report_error("resume", "warning: the session in %s is not offered: %s; a full handshake instead", path,
                 why);
    return 0;
}

/* [load-session] */
/* The session saved by the last run, if it can be offered to this server
 * with this method. */
int saved_session_load(const char *path, const char *server, const char *method, struct session_file *sf,
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
    if (strcmp(sf->method, method) != 0)
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
/* Keep the session for the next run, with what the full handshake cost. */
int saved_session_save(const char *path, const char *server, const char *method,
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
    snprintf(sf->method, sizeof(sf->method), "%s", method);
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
