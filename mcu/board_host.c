/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file board_host.c
 * @brief The host side of the lab (see board.h): the same program as on the
 *        board, measured with the benchmark's own counters.
 *
 * CPU time per side comes from common/clock.c (the thread's CPU clock), as
 * in bench/tls_bench; heap per side from bench/heap.c (the static mbedTLS
 * libraries linked with -Wl,--wrap=calloc,--wrap=free). The handshake runs
 * several times and the median is reported: unlike instruction counts,
 * CPU time varies from run to run on a shared machine.
 */
#include <stdlib.h>

#include "board.h"

#define HANDSHAKES 21

void board_init(void)
{
}

const char *board_name(void)
{
#if defined(__x86_64__)
    return "host (x86_64)";
#elif defined(__aarch64__)
    return "host (aarch64)";
#else
    return "host";
#endif
}

int board_handshakes(void)
{
    return HANDSHAKES;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

void board_print_figures(double *const cpu_ns[2], double *wall_ms, int count)
{
    static const char *const median[2] = {"client_cpu_ns", "server_cpu_ns"};
    static const char *const fastest[2] = {"client_cpu_ns_min", "server_cpu_ns_min"};

    for (int s = 0; s < 2; s++) {
        qsort(cpu_ns[s], (size_t) count, sizeof(double), by_value);
        lab_figure(median[s], cpu_ns[s][count / 2]);
        lab_figure(fastest[s], cpu_ns[s][0]);
    }
    qsort(wall_ms, (size_t) count, sizeof(double), by_value);
    lab_figure("wall_ns", wall_ms[count / 2] * 1e6);
    lab_figure("handshakes", count);
}
