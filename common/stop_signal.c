/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file stop_signal.c
 * @brief The stop flag that SIGINT and SIGTERM set (see stop_signal.h).
 */
#include "stop_signal.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

/* [server-stop-flag] */
/* Set by the signal handler, read by the accept loop and by every
 * connection thread. A lock-free atomic is one of the two kinds of object a
 * signal handler may write (C11 7.14.1.1); unlike a volatile sig_atomic_t,
 * other threads may also read it without a data race. */
static atomic_bool stop_requested;

static void on_stop_signal(int sig)
{
    (void) sig;
    atomic_store(&stop_requested, true);
}

void stop_signal_catch(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool stop_signal_arrived(void)
{
    return atomic_load(&stop_requested);
}
/* [server-stop-flag] */
