/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file clock.c
 * @brief Elapsed time and CPU time (see clock.h).
 */
#include "clock.h"

#include <time.h>

double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

double thread_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec * 1e9 + (double) ts.tv_nsec;
}
