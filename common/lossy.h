/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lossy.h
 * @brief What a lossy link does to each datagram, decided by a seeded random generator:
 *        drop it, duplicate it, hold it back behind the next one (reorder), delay it.
 *
 * The same decisions drive the lossy link program (tools/lossy_link.c), between real sockets,
 * and the in-memory datagram link of the benchmarks (common/mem_transport.c), on a virtual
 * clock. Each direction of each client draws from its own stream, and every datagram draws the
 * same four numbers whatever is decided, so the fate of the n-th datagram one way depends only
 * on the seed, the direction and n: a run with a fixed seed is repeatable.
 */
#ifndef WORKSHOP_LOSSY_H
#define WORKSHOP_LOSSY_H

#include <stdint.h>

/** @brief How bad the link is. */
struct lossy_params {
    double drop;      /**< probability that a datagram is lost */
    double duplicate; /**< probability that it arrives twice */
    double reorder;   /**< probability that it is held back behind the next one */
    double delay_ms;  /**< one-way delay of every datagram */
    double jitter_ms; /**< extra delay, uniform in [0, jitter_ms) */
    uint64_t seed;    /**< the seed of every stream */
};

/** @brief One stream of random numbers (splitmix64). */
struct lossy_stream {
    uint64_t state; /**< the generator's state */
};

/** @brief The fate of one datagram. */
struct lossy_verdict {
    int drop;        /**< lost: nothing else applies */
    int duplicate;   /**< sent twice */
    int reorder;     /**< held back until the next datagram this way has gone */
    double delay_ms; /**< how long it travels */
};

/**
 * @brief Start the stream for one direction of one client.
 * @param s      the stream.
 * @param seed   the run's seed.
 * @param number which stream: 2 * client + direction.
 */
void lossy_stream_init(struct lossy_stream *s, uint64_t seed, unsigned number);

/**
 * @brief A number uniform in [0, 1).
 * @param s the stream.
 * @return the number.
 */
double lossy_uniform(struct lossy_stream *s);

/**
 * @brief Decide one datagram's fate (always draws four numbers from @p s).
 * @param p the link.
 * @param s the stream of the datagram's direction.
 * @param v the verdict.
 */
void lossy_decide(const struct lossy_params *p, struct lossy_stream *s, struct lossy_verdict *v);

/**
 * @brief Parse a probability: "0.2" or "20%".
 * @param text the text.
 * @param out  the probability, 0 to 1.
 * @return 0, or -1 when it is not one.
 */
int lossy_parse_probability(const char *text, double *out);

/**
 * @brief Parse a duration: "50", "50ms", "0.5s".
 * @param text the text.
 * @param out  milliseconds, 0 to 60000.
 * @return 0, or -1 when it is not one.
 */
int lossy_parse_ms(const char *text, double *out);

#endif /* WORKSHOP_LOSSY_H */
