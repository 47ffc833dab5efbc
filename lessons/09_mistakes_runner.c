/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 09_mistakes_runner.c
 * @brief Lesson 09's runner: check the --mistake choice, run the mistakes, count how they behaved.
 *
 * The bookkeeping around the mistakes, not the mistakes themselves: which mistake `--mistake`
 * names and whether its server was given, the walk through the table that skips (and says so) a
 * mistake whose server is missing, and the closing count. The lesson file (09_mistakes.c) keeps
 * what it teaches: each mistake, how it is made, and how its failure is explained.
 */
#include <stdio.h>
#include <string.h>

#include "09_mistakes.h"

int mistakes_check_choice(const struct options *o, const char *only, const char *const ports[SERVER_COUNT])
{
    size_t i = 0;

    if (only == NULL)
        return WS_EXIT_OK;
    while (i < MISTAKE_COUNT && strcmp(only, mistakes[i].name) != 0)
        i++;
    if (i == MISTAKE_COUNT)
        return options_usage_error(o, "unknown mistake '%s'", only);
    if (ports[mistakes[i].server] == NULL)
        return options_usage_error(o, "mistake '%s' needs its own server: start `%s` and give %s", only,
                                   mistake_servers[mistakes[i].server].start,
                                   mistake_servers[mistakes[i].server].option);
    return WS_EXIT_OK;
}

int mistakes_run(struct tls_endpoint *s, const struct options *o, const char *only,
                 const char *const ports[SERVER_COUNT])
{
    int ran = 0, failures = 0, ret = WS_EXIT_OK;

    for (size_t i = 0; i < MISTAKE_COUNT; i++) {
        const struct mistake_info *m = &mistakes[i];
        int as_expected = 0;

        if (only != NULL && strcmp(only, m->name) != 0)
            continue;
        if (ports[m->server] == NULL) {
            printf("\nMistake '%s': not run: start `%s` and give %s\n", m->name,
                   mistake_servers[m->server].start, mistake_servers[m->server].option);
            continue;
        }
        ret = run_mistake(s, o, m, ports[m->server], &as_expected);
        if (ret != WS_EXIT_OK && ret != WS_EXIT_HANDSHAKE)
            return ret; /* could not even set the mistake up */
        ran++;
        failures += !as_expected;
    }
    if (only != NULL)
        return ret;
    printf("\n%d of %d mistakes behaved as explained", ran - failures, ran);
    if (ran < (int) MISTAKE_COUNT)
        printf(" (%d not run: their servers were not given)", (int) MISTAKE_COUNT - ran);
    printf(".\n");
    return failures > 0 ? WS_EXIT_HANDSHAKE : WS_EXIT_OK;
}
