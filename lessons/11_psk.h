/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 11_psk.h
 * @brief What lesson 11's two files share: naming the cause of a refused key (11_psk_refusal.c)
 *        for the lesson (11_psk.c).
 */
#ifndef WORKSHOP_11_PSK_H
#define WORKSHOP_11_PSK_H

#include "stages.h"

/**
 * @brief Report why the server refused our pre-shared key, from the alert it sent.
 * @param tls13    1 for a TLS 1.3 handshake, 0 for TLS 1.2.
 * @param identity the identity we sent (--psk-identity).
 * @param alert    the alert the server sent, or -1 when none arrived (nothing is reported).
 */
void psk_explain_refusal(int tls13, const char *identity, int alert);

#endif /* WORKSHOP_11_PSK_H */
