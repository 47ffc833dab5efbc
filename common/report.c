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

/* Codes that mbedtls_strerror() cannot name.
 *
 * PSA status codes (psa_status_t, -128 to -255, numbered by the PSA Crypto
 * API itself): 3.x and 4.x functions pass them on (psa_crypto_init(), and in
 * 4.x much of pk and TLS), and mbedtls_strerror() misreads them as a mbedTLS
 * code ("UNKNOWN ERROR CODE (0080) : BIGNUM - ..."). */
static const struct error_name {
    int code;
    const char *text;
} psa_errors[] = {
    {-132, "PSA_ERROR_GENERIC_ERROR - An error that no more specific PSA code describes"},
    {-133, "PSA_ERROR_NOT_PERMITTED - The key's policy does not allow this operation"},
    {-134, "PSA_ERROR_NOT_SUPPORTED - The operation or a parameter is not supported by this build"},
    {-135, "PSA_ERROR_INVALID_ARGUMENT - A parameter is invalid"},
    {-136, "PSA_ERROR_INVALID_HANDLE - The key identifier is not valid"},
    {-137, "PSA_ERROR_BAD_STATE - Called in the wrong state (is psa_crypto_init() done?)"},
    {-138, "PSA_ERROR_BUFFER_TOO_SMALL - An output buffer is too small"},
    {-139, "PSA_ERROR_ALREADY_EXISTS - A key with this identifier already exists"},
    {-140, "PSA_ERROR_DOES_NOT_EXIST - No key with this identifier exists"},
    {-141, "PSA_ERROR_INSUFFICIENT_MEMORY - Out of memory"},
    {-142, "PSA_ERROR_INSUFFICIENT_STORAGE - Out of key storage"},
    {-143, "PSA_ERROR_INSUFFICIENT_DATA - The input or a key derivation ran out of data"},
    {-144, "PSA_ERROR_SERVICE_FAILURE - The crypto service failed"},
    {-145, "PSA_ERROR_COMMUNICATION_FAILURE - Lost contact with the crypto service"},
    {-146, "PSA_ERROR_STORAGE_FAILURE - Key storage failed"},
    {-147, "PSA_ERROR_HARDWARE_FAILURE - A hardware failure was detected"},
    {-148, "PSA_ERROR_INSUFFICIENT_ENTROPY - Not enough entropy for the random generator"},
    {-149, "PSA_ERROR_INVALID_SIGNATURE - The signature, MAC or hash is incorrect"},
    {-150, "PSA_ERROR_INVALID_PADDING - The decrypted padding is incorrect"},
    {-151, "PSA_ERROR_CORRUPTION_DETECTED - Tampering or a software fault was detected"},
    {-152, "PSA_ERROR_DATA_CORRUPT - Stored key data is corrupt"},
    {-153, "PSA_ERROR_DATA_INVALID - Stored key data is invalid"},
    {-248, "PSA_OPERATION_INCOMPLETE - Interrupted: call again to continue"},
};

/* mbedTLS 4.0's mbedtls_strerror() no longer knows the errors of the
 * modules that moved to TF-PSA-Crypto (pk, pem, asn1, base64, md): their
 * texts as 2.28 and 3.6 print them, from the comments in 4.0's headers.
 * Positive values: a high-level part (0xFF80 bits) or a low-level part. */
static const struct error_name module_errors[] = {
    {0x0060, "ASN1 - Out of data when parsing an ASN1 data structure"},
    {0x0062, "ASN1 - ASN1 tag was of an unexpected value"},
    {0x0064, "ASN1 - Error when trying to determine the length or invalid length"},
    {0x0066, "ASN1 - Actual length differs from expected length"},
    {0x0068, "ASN1 - Data is invalid"},
    {0x002C, "BASE64 - Invalid character in input"},
    {0x1080, "PEM - No PEM header or footer found"},
    {0x1100, "PEM - PEM string is not as expected"},
    {0x1200, "PEM - RSA IV is not in hex-format"},
    {0x1280, "PEM - Unsupported key encryption algorithm"},
    {0x1300, "PEM - Private key password can't be empty"},
    {0x1380, "PEM - Given private key password does not allow for correct decryption"},
    {0x1400, "PEM - Unavailable feature, e.g. hashing/encryption combination"},
    {0x3980, "PK - Unavailable feature, e.g. RSA disabled for RSA key"},
    {0x3A00, "PK - Elliptic curve is unsupported (only NIST curves are supported)"},
    {0x3A80, "PK - The algorithm tag or value is invalid"},
    {0x3B00, "PK - The pubkey tag or value is invalid (only RSA and EC are supported)"},
    {0x3B80, "PK - Given private key password does not allow for correct decryption"},
    {0x3C00, "PK - Private key password can't be empty"},
    {0x3C80, "PK - Key algorithm is unsupported (only RSA and EC are supported)"},
    {0x3D00, "PK - Invalid key tag or value"},
    {0x3D80, "PK - Unsupported key version"},
    {0x3E00, "PK - Read/write of file failed"},
    {0x3F00, "PK - Type mismatch, eg attempt to do ECDSA with an RSA key"},
    {0x5080, "MD - The selected feature is not available"},
};

static const char *find_error(const struct error_name *table, size_t n, int code)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].code == code)
            return table[i].text;
    return NULL;
}

/* One part of a combined code: ours, or mbedtls_strerror()'s. */
static void part_text(int part, char *buf, unsigned len)
{
    const char *text = find_error(module_errors, sizeof(module_errors) / sizeof(module_errors[0]), part);

    if (text != NULL)
        snprintf(buf, len, "%s", text);
#if defined(MBEDTLS_ERROR_C)
    else
        mbedtls_strerror(-part, buf, len);
#else
    else
        snprintf(buf, len, "UNKNOWN ERROR CODE (%04X)", (unsigned) part);
#endif
}

const char *error_text(int ret, char *buf, unsigned len)
{
    const char *psa = find_error(psa_errors, sizeof(psa_errors) / sizeof(psa_errors[0]), ret);
    int code = ret < 0 ? -ret : ret;
    int high = code & 0xFF80, low = code & 0x007F;

    if (psa != NULL) {
        snprintf(buf, len, "%s", psa);
        return buf;
    }
#if defined(MBEDTLS_ERROR_C)
    mbedtls_strerror(ret, buf, len);
    if (strstr(buf, "UNKNOWN ERROR CODE") == NULL)
        return buf;
#endif
    /* Unknown to mbedTLS (4.0's pk, pem, asn1...): split it as
     * mbedtls_strerror() does, "high-level part : low-level part". */
    if (find_error(module_errors, sizeof(module_errors) / sizeof(module_errors[0]), high) != NULL ||
        find_error(module_errors, sizeof(module_errors) / sizeof(module_errors[0]), low) != NULL) {
        char high_text[120] = "", low_text[120] = "";

        if (high != 0)
            part_text(high, high_text, sizeof(high_text));
        if (low != 0)
            part_text(low, low_text, sizeof(low_text));
        snprintf(buf, len, "%s%s%s", high_text, high != 0 && low != 0 ? " : " : "", low_text);
        return buf;
    }
#if !defined(MBEDTLS_ERROR_C)
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
