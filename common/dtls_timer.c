/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dtls_timer.c
 * @brief Timer callbacks for DTLS on a real or a virtual clock (see dtls_timer.h).
 */
#include "dtls_timer.h"

#include <stddef.h>

#include "clock.h"

static double monotonic(void *unused)
{
    (void) unused;
    return now_ms();
}

void dtls_timer_init(struct dtls_timer *t, dtls_clock_fn *clock, void *clock_ctx)
{
    t->clock = clock != NULL ? clock : monotonic;
    t->clock_ctx = clock_ctx;
    t->start_ms = 0;
    t->int_ms = 0;
    t->fin_ms = 0;
}

void dtls_timer_set_delay(void *ctx, uint32_t int_ms, uint32_t fin_ms)
{
    struct dtls_timer *t = ctx;

    t->int_ms = int_ms;
    t->fin_ms = fin_ms;
    if (fin_ms != 0)
        t->start_ms = t->clock(t->clock_ctx);
}

int dtls_timer_get_delay(void *ctx)
{
    const struct dtls_timer *t = ctx;
    double elapsed;

    if (t->fin_ms == 0)
        return -1;
    elapsed = t->clock(t->clock_ctx) - t->start_ms;
    if (elapsed >= t->fin_ms)
        return 2;
    if (elapsed >= t->int_ms)
        return 1;
    return 0;
}

double dtls_timer_deadline(const struct dtls_timer *t)
{
    return t->fin_ms == 0 ? -1 : t->start_ms + t->fin_ms;
}
