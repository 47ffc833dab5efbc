/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file report.h
 * @brief Narration, one-line error reports and the workshop's exit codes.
 *
 * Lessons narrate each step the way mbedTLS's own example programs do:
 *
 *     . Loading trusted CA certificates from certs/ca.pem... ok (1 certificate)
 *
 * and report a failure as one line on stderr naming the stage, the failing
 * function, the error code and mbedTLS's text for it:
 *
 *     handshake: mbedtls_ssl_handshake failed: -0x2700 X509 - Certificate verification failed, ...
 *
 * Narration goes to stdout, errors to stderr. In the lesson server, where
 * several connections narrate at once, each thread can switch to buffered
 * mode: a step is printed as one whole line, prefixed, when it ends.
 *
 * Programs that run the lessons' stages many times (the benchmarks, the
 * test peers) turn the narration off with report_set_mode(), and may read
 * the first error of a failed step back with report_first_error().
 */
#ifndef WORKSHOP_REPORT_H
#define WORKSHOP_REPORT_H

#include <stdint.h>

/** @brief Exit codes shared by every lesson (also listed in README.md). */
enum workshop_exit {
    WS_EXIT_OK = 0,          /**< everything worked */
    WS_EXIT_USAGE = 1,       /**< bad command line */
    WS_EXIT_SETUP = 2,       /**< setup failed: RNG, files, certificates, keys, configuration */
    WS_EXIT_NETWORK = 3,     /**< could not connect, bind or accept */
    WS_EXIT_HANDSHAKE = 4,   /**< handshake failed, including certificate verification */
    WS_EXIT_IO = 5,          /**< reading or writing application data failed */
    WS_EXIT_UNSUPPORTED = 77 /**< the mbedTLS build lacks a needed feature (Automake's "skip") */
};

/** @brief What narration and error reports print (report_set_mode()). */
enum report_mode {
    REPORT_NARRATE = 0,     /**< narration on stdout, errors on stderr: the lessons (the default) */
    REPORT_ERRORS_ONLY = 1, /**< no narration; errors still on stderr */
    REPORT_SILENT = 2       /**< nothing printed: the caller shows report_first_error() itself */
};

/**
 * @brief Choose what the whole program prints. Set it once, before starting
 *        any thread.
 * @param mode a report_mode.
 */
void report_set_mode(enum report_mode mode);

/**
 * @brief The first error line this thread reported (without prefix or
 *        newline) since report_clear_first_error(), or "" if none.
 *
 * Reported in every mode, so a program running silently can still say what
 * went wrong. Later lines of the same failure (verification reasons, the
 * meaning of a code) do not replace it.
 */
const char *report_first_error(void);

/** @brief Forget this thread's first error (before a new attempt). */
void report_clear_first_error(void);

/**
 * @brief Begin a narrated step: prints "  . <what>..." (no newline yet).
 * @param fmt printf-style description of the step.
 */
void narrate_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief End the current step successfully: prints " ok" and optional details.
 * @param fmt printf-style details shown in parentheses, or NULL for none.
 */
void narrate_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** @brief End the current step with " failed"; the error report follows on stderr. */
void narrate_failed(void);

/**
 * @brief Print an informative indented line that belongs to no step.
 * @param fmt printf-style text.
 */
void narrate_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Switch this thread's narration to whole lines with a prefix.
 *
 * Used by the lesson server's connection threads so that concurrent
 * connections never interleave half lines.
 * @param prefix text put before every line (copied), or NULL to go back to
 *        immediate, unprefixed narration.
 */
void narrate_set_thread_prefix(const char *prefix);

/**
 * @brief Report a failed mbedTLS call as one line on stderr.
 *
 * Format: `<stage>: <function> failed: -0xXXXX <mbedtls_strerror text>`.
 * @param stage    the lesson stage, e.g. "handshake".
 * @param function the mbedTLS function that failed.
 * @param ret      its (negative) return code.
 */
void report_mbedtls_error(const char *stage, const char *function, int ret);

/**
 * @brief Report a failure that has no mbedTLS error code, as one line on stderr.
 * @param stage the lesson stage.
 * @param fmt   printf-style message.
 */
void report_error(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * @brief Print each certificate verification reason in @p flags on its own line.
 *
 * Uses mbedtls_x509_crt_verify_info(), so the text is mbedTLS's own, plus
 * the flag's name (e.g. MBEDTLS_X509_BADCERT_NOT_TRUSTED) for searching.
 * @param stage the lesson stage.
 * @param flags the result of mbedtls_ssl_get_verify_result() or
 *              mbedtls_x509_crt_verify().
 */
void report_verify_flags(const char *stage, uint32_t flags);

/**
 * @brief mbedTLS's text for an error code, into a caller buffer.
 *
 * mbedtls_strerror(), except for what it cannot name: PSA status codes
 * (`PSA_ERROR_*`, -128 to -255, which 3.x and 4.x pass on) and, in 4.0, the
 * pk, pem and asn1 errors (their modules moved to TF-PSA-Crypto), which get
 * the texts 2.28 and 3.6 print.
 * @param ret error code (negative).
 * @param buf output buffer.
 * @param len size of @p buf.
 * @return @p buf.
 */
const char *error_text(int ret, char *buf, unsigned len);

/**
 * @brief The name of a single MBEDTLS_X509_BADCERT_* / BADCRL_* flag.
 * @param flag exactly one bit.
 * @return e.g. "MBEDTLS_X509_BADCERT_EXPIRED", or NULL for an unknown bit.
 */
const char *verify_flag_name(uint32_t flag);

#endif /* WORKSHOP_REPORT_H */
