/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lossy.c
 * @brief Seeded decisions of a lossy link (see lossy.h).
 */
#include "lossy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next(struct lossy_stream *s)
{
    /* splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and well mixed. */
    uint64_t z = (s->state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void lossy_stream_init(struct lossy_stream *s, uint64_t seed, unsigned number)
{
    s->state = seed;
    /* Streams start far apart: mix the stream number in, then stir. */
    s->state ^= 0xD1B54A32D192ED03ULL * (number + 1);
    next(s);
}

double lossy_uniform(struct lossy_stream *s)
{
    return (double) (next(s) >> 11) * (1.0 / 9007199254740992.0);
}

void lossy_decide(const struct lossy_params *p, struct lossy_stream *s, struct lossy_verdict *v)
{
    double drop = lossy_uniform(s), duplicate = lossy_uniform(s), reorder = lossy_uniform(s);
    double jitter = lossy_uniform(s);

    v->drop = drop < p->drop;
    v->duplicate = !v->drop && duplicate < p->duplicate;
    v->reorder = !v->drop && reorder < p->reorder;
    v->delay_ms = p->delay_ms + jitter * p->jitter_ms;
}

/* A unit a number may carry: the number means number * times / per. */
struct unit {
    const char *suffix;
    double times, per;
};

/* A number followed by one of the units (a list ending in a NULL suffix),
 * which once scaled lies in [0, max]. */
static int parse_number(const char *text, const struct unit *units, double max, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(text, &end);
    if (errno != 0 || end == text)
        return -1;
    while (units->suffix != NULL && strcmp(end, units->suffix) != 0)
        units++;
    if (units->suffix == NULL)
        return -1;
    v = v * units->times / units->per;
    if (!(v >= 0 && v <= max))
        return -1;
    *out = v;
    return 0;
}

int lossy_parse_probability(const char *text, double *out)
{
    static const struct unit units[] = {{"", 1, 1}, {"%", 1, 100}, {NULL, 0, 0}};

    return parse_number(text, units, 1, out);
}

int lossy_parse_ms(const char *text, double *out)
{
    static const struct unit units[] = {{"", 1, 1}, {"ms", 1, 1}, {"s", 1000, 1}, {NULL, 0, 0}};

    return parse_number(text, units, 60000, out);
}
