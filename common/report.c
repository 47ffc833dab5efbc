/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file report.c
 * @brief Narration and one-line error reports (see report.h).
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

/* Per-thread state: in buffered mode a step is assembled here and printed as
 * one line when it ends. */
static _Thread_local char thread_prefix[128];
static _Thread_local int thread_buffered;
static _Thread_local char pending[640];
/* The first error since report_clear_first_error(), kept in every mode. */
static _Thread_local char first_error[512];
/* Process-wide, set before any thread starts (report_set_mode()). */
static enum report_mode mode = REPORT_NARRATE;

void report_set_mode(enum report_mode new_mode)
{
    mode = new_mode;
}

const char *report_first_error(void)
{
    return first_error;
}

void report_clear_first_error(void)
{
    first_error[0] = '\0';
}

/* Keep the first error line; print it unless the program is silent. */
static void error_line(const char *line)
{
    if (first_error[0] == '\0')
        snprintf(first_error, sizeof(first_error), "%s", line);
    if (mode != REPORT_SILENT)
        fprintf(stderr, "%s%s\n", thread_prefix, line);
}

void narrate_set_thread_prefix(const char *prefix)
{
    thread_buffered = prefix != NULL;
    snprintf(thread_prefix, sizeof(thread_prefix), "%s", prefix ? prefix : "");
    pending[0] = '\0';
}

void narrate_begin(const char *fmt, ...)
{
    char what[400];
    va_list ap;

    if (mode != REPORT_NARRATE)
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (thread_buffered) {
        snprintf(pending, sizeof(pending), "%s  . %s...", thread_prefix, what);
        return;
    }
    printf("  . %s...", what);
    fflush(stdout);
}

/* Finish the pending line with `verdict` and optional details. */
static void narrate_end(const char *verdict, const char *details)
{
    if (mode != REPORT_NARRATE)
        return;
    if (thread_buffered) {
        if (details != NULL && details[0] != '\0')
            printf("%s %s (%s)\n", pending, verdict, details);
        else
            printf("%s %s\n", pending, verdict);
        pending[0] = '\0';
    } else if (details != NULL && details[0] != '\0') {
        printf(" %s (%s)\n", verdict, details);
    } else {
        printf(" %s\n", verdict);
    }
    fflush(stdout);
}

void narrate_ok(const char *fmt, ...)
{
    char details[400] = "";
    va_list ap;

    if (mode != REPORT_NARRATE)
        return;
    if (fmt != NULL) {
        va_start(ap, fmt);
        vsnprintf(details, sizeof(details), fmt, ap);
        va_end(ap);
    }
    narrate_end("ok", details);
}

void narrate_failed(void)
{
    narrate_end("failed", NULL);
}

void narrate_info(const char *fmt, ...)
{
    char text[512];
    va_list ap;

    if (mode != REPORT_NARRATE)
        return;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    printf("%s    %s\n", thread_prefix, text);
    fflush(stdout);
}

const char *error_text(int ret, char *buf, unsigned len)
{
#if defined(MBEDTLS_ERROR_C)
    mbedtls_strerror(ret, buf, len);
#else
    (void) ret;
    snprintf(buf, len, "(mbedTLS built without MBEDTLS_ERROR_C: no error text)");
#endif
    return buf;
}

void report_mbedtls_error(const char *stage, const char *function, int ret)
{
    char text[200], line[512];
    unsigned code = ret < 0 ? (unsigned) -ret : (unsigned) ret;

    snprintf(line, sizeof(line), "%s: %s failed: %s0x%04X %s", stage, function, ret < 0 ? "-" : "", code,
             error_text(ret, text, sizeof(text)));
    error_line(line);
}

void report_error(const char *stage, const char *fmt, ...)
{
    char text[512], line[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    snprintf(line, sizeof(line), "%s: %s", stage, text);
    error_line(line);
}

const char *verify_flag_name(uint32_t flag)
{
    static const struct {
        uint32_t flag;
        const char *name;
    } names[] = {
        {MBEDTLS_X509_BADCERT_EXPIRED, "MBEDTLS_X509_BADCERT_EXPIRED"},
        {MBEDTLS_X509_BADCERT_REVOKED, "MBEDTLS_X509_BADCERT_REVOKED"},
        {MBEDTLS_X509_BADCERT_CN_MISMATCH, "MBEDTLS_X509_BADCERT_CN_MISMATCH"},
        {MBEDTLS_X509_BADCERT_NOT_TRUSTED, "MBEDTLS_X509_BADCERT_NOT_TRUSTED"},
        {MBEDTLS_X509_BADCRL_NOT_TRUSTED, "MBEDTLS_X509_BADCRL_NOT_TRUSTED"},
        {MBEDTLS_X509_BADCRL_EXPIRED, "MBEDTLS_X509_BADCRL_EXPIRED"},
        {MBEDTLS_X509_BADCERT_MISSING, "MBEDTLS_X509_BADCERT_MISSING"},
        {MBEDTLS_X509_BADCERT_SKIP_VERIFY, "MBEDTLS_X509_BADCERT_SKIP_VERIFY"},
        {MBEDTLS_X509_BADCERT_OTHER, "MBEDTLS_X509_BADCERT_OTHER"},
        {MBEDTLS_X509_BADCERT_FUTURE, "MBEDTLS_X509_BADCERT_FUTURE"},
        {MBEDTLS_X509_BADCRL_FUTURE, "MBEDTLS_X509_BADCRL_FUTURE"},
        {MBEDTLS_X509_BADCERT_KEY_USAGE, "MBEDTLS_X509_BADCERT_KEY_USAGE"},
        {MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, "MBEDTLS_X509_BADCERT_EXT_KEY_USAGE"},
        {MBEDTLS_X509_BADCERT_NS_CERT_TYPE, "MBEDTLS_X509_BADCERT_NS_CERT_TYPE"},
        {MBEDTLS_X509_BADCERT_BAD_MD, "MBEDTLS_X509_BADCERT_BAD_MD"},
        {MBEDTLS_X509_BADCERT_BAD_PK, "MBEDTLS_X509_BADCERT_BAD_PK"},
        {MBEDTLS_X509_BADCERT_BAD_KEY, "MBEDTLS_X509_BADCERT_BAD_KEY"},
        {MBEDTLS_X509_BADCRL_BAD_MD, "MBEDTLS_X509_BADCRL_BAD_MD"},
        {MBEDTLS_X509_BADCRL_BAD_PK, "MBEDTLS_X509_BADCRL_BAD_PK"},
        {MBEDTLS_X509_BADCRL_BAD_KEY, "MBEDTLS_X509_BADCRL_BAD_KEY"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].flag == flag)
            return names[i].name;
    return NULL;
}

void report_verify_flags(const char *stage, uint32_t flags)
{
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
        char info[256], line[512];
        const char *name;

        if ((flags & bit) == 0)
            continue;
        name = verify_flag_name(bit);
        /* verify_info() renders every set flag; ask it for this bit alone.
         * Its text ends with a newline, which we strip. */
        info[0] = '\0';
#if defined(MBEDTLS_X509_CRT_PARSE_C) /* no certificates, no verification (pre-shared keys only) */
        if (mbedtls_x509_crt_verify_info(info, sizeof(info), "", bit) > 0)
            info[strcspn(info, "\n")] = '\0';
#endif
        snprintf(line, sizeof(line), "%s: certificate verification: %s (%s)", stage,
                 info[0] != '\0' ? info : "unknown reason", name ? name : "unknown flag");
        error_line(line);
    }
}
