/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file locked_rng.h
 * @brief One random generator shared by many threads, behind a lock.
 *
 * Connections running in parallel threads draw random numbers at the same
 * time (client randoms, ECDHE keys, signatures). mbedTLS's CTR_DRBG is only
 * safe for that when the library was built with MBEDTLS_THREADING_C, so a
 * program with threads puts its generator behind its own lock: hand
 * locked_rng_random() and the struct locked_rng to compat_conf_rng()
 * (mbedtls_ssl_conf_rng()) instead of compat_rng_random() and the generator.
 * On 4.x TLS uses the PSA generator, which locks itself, and never calls this.
 */
#ifndef WORKSHOP_LOCKED_RNG_H
#define WORKSHOP_LOCKED_RNG_H

#include <pthread.h>
#include <stddef.h>

#include "compat.h"

/** @brief A seeded generator and the lock around it. */
struct locked_rng {
    struct compat_rng *rng; /**< the generator (seeded by stage 01, owned by the caller) */
    pthread_mutex_t lock;   /**< taken for every draw */
};

/**
 * @brief Put @p generator behind a new lock.
 * @param rng       the shared generator to prepare.
 * @param generator a seeded generator (stage 01's) that outlives @p rng.
 * @return 0, or an errno value from pthread_mutex_init().
 */
int locked_rng_init(struct locked_rng *rng, struct compat_rng *generator);

/**
 * @brief The random callback for mbedtls_ssl_conf_rng() and every other
 *        mbedTLS call that takes an f_rng: compat_rng_random(), under the lock.
 * @param ctx a struct locked_rng.
 * @param out where the random bytes go.
 * @param len how many.
 * @return 0 or an mbedTLS random generator error.
 */
int locked_rng_random(void *ctx, unsigned char *out, size_t len);

/**
 * @brief Destroy the lock (the generator itself is freed by stage 07).
 * @param rng the shared generator, no longer used by any thread.
 */
void locked_rng_free(struct locked_rng *rng);

#endif /* WORKSHOP_LOCKED_RNG_H */
