/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file tls_fixed.h
 * @brief A fixed clock and fixed randomness for the TLS fuzz targets, so that the same input gives
 *        the same conversation in every run.
 *
 * A fuzz target must behave the same way every time it is given an input, or a crash found once
 * cannot be reproduced, and a captured conversation cannot be replayed: the peer's recorded
 * Finished message only verifies if our side sends exactly the bytes it sent when the capture was
 * made. Three things vary from run to run in a real endpoint, and this file fixes each of them:
 *
 * - the clock: TLS 1.2 puts the time in the client and server randoms, session tickets and the
 *   session cache record it, and a TLS 1.3 client sends its ticket's age. Linking this file
 *   replaces the C library's time() for the whole program with one that always answers
 *   #TLS_FIXED_TIME, and mbedTLS 3.x's millisecond clock, mbedtls_ms_time(), likewise;
 * - the stage 01 random generator (the session's CTR_DRBG, which stage 01 seeds from the system's
 *   entropy): tls_fixed_reseed() seeds it again from a constant;
 * - PSA's own generator (TLS 1.3 draws its key shares from it in mbedTLS 3.6):
 *   tls_fixed_psa_entropy() makes it seed from the same constant, before stage 01 starts PSA.
 *
 * Never do any of this outside a test: a fixed random generator makes every key guessable.
 *
 * A fixed clock also makes every certificate of the build's PKI look "not yet valid" or
 * "expired" some day. tls_fixed_ignore_clock() is a verification callback that clears only
 * those two reasons (and the CRL's), so the chain, its signatures and the host name are still
 * verified as the lessons require.
 */
#ifndef WORKSHOP_FUZZ_TLS_FIXED_H
#define WORKSHOP_FUZZ_TLS_FIXED_H

#include <stdint.h>
#include <time.h>

#include "compat.h"
#include <mbedtls/x509_crt.h>

/** @brief What time() says in a program linked with tls_fixed.c: 2026-01-01 00:00:00 UTC. */
#define TLS_FIXED_TIME ((time_t) 1767225600)

/**
 * @brief Make PSA's random generator seed from a constant; call it before each stage_init()
 *        (stage 07's cleanup stops PSA, which forgets the setting). Does nothing without PSA.
 * @return 0, or -1 when this mbedTLS cannot do it (then TLS 1.3 key shares stay random).
 */
int tls_fixed_psa_entropy(void);

/**
 * @brief Seed a CTR_DRBG that stage 01 seeded again, from a constant.
 * @param drbg the session's generator.
 * @param who  a personalisation string (say "client" or "server"), so both ends differ.
 * @return 0, or an mbedTLS error.
 */
int tls_fixed_reseed(struct compat_rng *rng, const char *who);

/**
 * @brief A verification callback (mbedtls_ssl_conf_verify()) that forgives only the dates.
 * @param ctx   unused.
 * @param crt   the certificate being checked.
 * @param depth its depth in the chain.
 * @param flags its verification flags; the date flags are cleared.
 * @return 0.
 */
int tls_fixed_ignore_clock(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags);

#endif /* WORKSHOP_FUZZ_TLS_FIXED_H */
