/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 11_psk_refusal.c
 * @brief Lesson 11's reading of a refused pre-shared key: the server's alert, named as a cause.
 *
 * Read it with 11_psk.c, which calls it when a handshake with the key fails. The client learns
 * nothing but the alert the server sent (measured.c catches it), and servers say different things
 * for the same mistake.
 */
#include <stdint.h>

#include "11_psk.h"
#include "record_decoder.h"

/* [psk-failure] */
/* A refused key shows only as an alert from the server. Name the cause.
 * Servers differ: some say "unknown identity", others hide which
 * identities they know and fail as if the key were wrong (RFC 4279 allows
 * both); in TLS 1.3, mbedTLS says decrypt_error for a bad binder where
 * OpenSSL and GnuTLS say illegal_parameter. */
void psk_explain_refusal(int tls13, const char *identity, int alert)
{
    const char *name = alert >= 0 ? tls_alert_name((uint8_t) alert) : NULL;

    if (alert == 115) /* unknown_psk_identity */
        report_error("psk", "the server has no key for identity '%s' (alert unknown_psk_identity)", identity);
    else if ((!tls13 && alert == 20) || (tls13 && (alert == 51 || alert == 47)))
        report_error("psk",
                     "the server refused our %s (alert %s): its key for identity '%s' is not our --psk, "
                     "or it has none and does not say so",
                     tls13 ? "PSK binder" : "Finished", name, identity);
    else if (tls13 && (alert == 40 || alert == 109)) /* handshake_failure, missing_extension */
        report_error("psk",
                     "the server accepted no pre-shared key (alert %s): it has no key for identity '%s' "
                     "(a TLS 1.3 server ignores an identity it does not know) or none at all, and we allow "
                     "no other way",
                     name, identity);
    else if (alert == 40) /* handshake_failure */
        report_error("psk",
                     "the server took none of our PSK cipher suites (alert handshake_failure): has it any "
                     "pre-shared keys (08_server --psk-file)?");
}
/* [psk-failure] */
