/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file dtls_timer.h
 * @brief Timer callbacks for mbedtls_ssl_set_timer_cb(), on the monotonic
 *        clock or on a clock of the caller's (a virtual one).
 *
 * DTLS resends a flight of handshake messages when no answer came in time,
 * so mbedTLS needs a timer: a "set" callback that arms it (or cancels it with
 * 0) and a "get" callback that says how far it has run. mbedTLS's own timing
 * module (MBEDTLS_TIMING_C, mbedtls_timing_set_delay()/get_delay()) provides
 * such a pair; a build without it (bare-metal targets, where there is no
 * gettimeofday()) needs its own. These are the workshop's, with the same
 * meaning:
 *
 * - set(ctx, int_ms, fin_ms): start the intermediate and the final delay now;
 *   fin_ms == 0 cancels the timer;
 * - get(ctx): -1 cancelled, 0 neither delay has passed, 1 only the
 *   intermediate one, 2 the final one (mbedTLS then retransmits, or gives up).
 *
 * The clock is a parameter, so the benchmarks drive DTLS handshakes with a
 * virtual clock that jumps straight to the next deadline: a handshake that
 * loses datagrams completes in microseconds of real time while its timers
 * see the seconds a real link would take.
 */
#ifndef WORKSHOP_DTLS_TIMER_H
#define WORKSHOP_DTLS_TIMER_H

#include <stdint.h>

/** @brief A clock in milliseconds: returns the current time (only differences matter). */
typedef double dtls_clock_fn(void *clock_ctx);

/** @brief One connection's timer (the @c p_timer of mbedtls_ssl_set_timer_cb()). */
struct dtls_timer {
    dtls_clock_fn *clock; /**< the clock it runs on */
    void *clock_ctx;      /**< handed to @p clock */
    double start_ms;      /**< when it was last armed */
    uint32_t int_ms;      /**< the intermediate delay */
    uint32_t fin_ms;      /**< the final delay; 0 = cancelled */
};

/**
 * @brief Prepare a timer, cancelled.
 * @param t         the timer.
 * @param clock     the clock to run on, or NULL for the monotonic clock (clock.h's now_ms()).
 * @param clock_ctx handed to @p clock.
 */
void dtls_timer_init(struct dtls_timer *t, dtls_clock_fn *clock, void *clock_ctx);

/**
 * @brief The set callback (an mbedtls_ssl_set_timer_t).
 * @param ctx    a struct dtls_timer.
 * @param int_ms intermediate delay in ms.
 * @param fin_ms final delay in ms, 0 to cancel.
 */
void dtls_timer_set_delay(void *ctx, uint32_t int_ms, uint32_t fin_ms);

/**
 * @brief The get callback (an mbedtls_ssl_get_timer_t).
 * @param ctx a struct dtls_timer.
 * @return -1 cancelled, 0 running, 1 intermediate delay passed, 2 final delay passed.
 */
int dtls_timer_get_delay(void *ctx);

/**
 * @brief When the final delay passes, on the timer's clock.
 * @param t the timer.
 * @return that time in ms, or -1 when the timer is cancelled.
 */
double dtls_timer_deadline(const struct dtls_timer *t);

#endif /* WORKSHOP_DTLS_TIMER_H */
