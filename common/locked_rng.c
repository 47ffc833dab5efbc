/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file locked_rng.c
 * @brief A random generator shared by threads (see locked_rng.h).
 */
#include "locked_rng.h"

int locked_rng_init(struct locked_rng *rng, struct compat_rng *generator)
{
    rng->rng = generator;
    return pthread_mutex_init(&rng->lock, NULL);
}

int locked_rng_random(void *ctx, unsigned char *out, size_t len)
{
    struct locked_rng *rng = ctx;
    int ret;

    pthread_mutex_lock(&rng->lock);
    ret = compat_rng_random(rng->rng, out, len);
    pthread_mutex_unlock(&rng->lock);
    return ret;
}

void locked_rng_free(struct locked_rng *rng)
{
    pthread_mutex_destroy(&rng->lock);
}
