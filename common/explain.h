/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file explain.h
 * @brief Plain-language explanations: TLS alerts, common mbedTLS errors, and a client's offer.
 *
 * mbedtls_strerror() names an error ("SSL - A fatal alert message was received from our peer");
 * these functions add what it usually means in practice and what to check next. They are used
 * by lesson 09 after each deliberate mistake, by lesson 05 after a failed handshake, and by the
 * lesson server's `/hello` page.
 */
#ifndef WORKSHOP_EXPLAIN_H
#define WORKSHOP_EXPLAIN_H

#include <stddef.h>

#include "record_decoder.h"

/**
 * @brief What an alert usually means, and what to check.
 *
 * The alert's name is not part of it: tls_alert_name() has it.
 * @param description the alert description (e.g. 48 for unknown_ca).
 * @return one or two sentences; never NULL.
 */
const char *explain_alert(unsigned char description);

/**
 * @brief What a common mbedTLS error usually means, and what to check.
 * @param ret the (negative) mbedTLS error code.
 * @return one or two sentences, or NULL for codes without an explanation here.
 */
const char *explain_error(int ret);

/**
 * @brief Print to stdout, as narration, everything known about a failed handshake: the error
 *        text, the certificate verification flags, the alert received (or sent) and what they
 *        usually mean.
 * @param ret            the error mbedtls_ssl_handshake() returned.
 * @param verify_flags   mbedtls_ssl_get_verify_result() (0 when none).
 * @param received_alert description of the alert our peer sent, or -1 when none was seen.
 * @param sent_alert     description of the alert we sent, or -1 when none was seen.
 */
void explain_handshake_failure(int ret, unsigned verify_flags, int received_alert, int sent_alert);

/**
 * @brief Describe a client's ClientHello and the server's choice (the lesson server's `/hello`).
 * @param hello   what the client offered.
 * @param choice  what the server picked (from the wire).
 * @param version negotiated version as mbedTLS names it, or NULL.
 * @param suite   negotiated suite as mbedTLS names it, or NULL.
 * @param html    1 for an HTML page (browsers), 0 for plain text (curl).
 * @param out     output buffer; always NUL-terminated.
 * @param cap     its size (> 0).
 * @return bytes written (less than @p cap; long lists are cut with a note).
 */
size_t explain_client_hello(const struct tls_client_hello *hello, const struct tls_server_choice *choice,
                            const char *version, const char *suite, int html, char *out, size_t cap);

#endif /* WORKSHOP_EXPLAIN_H */
