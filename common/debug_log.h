/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file debug_log.h
 * @brief The one debug callback every lesson and the server give mbedTLS.
 *
 * mbedTLS calls it for every debug message at or below the threshold set with
 * mbedtls_debug_set_threshold(). Each message becomes one line
 * `[level] source.c:line: message` on the sink's stream. The sink also counts
 * lines and bytes, which lesson 09 reports per level.
 */
#ifndef WORKSHOP_DEBUG_LOG_H
#define WORKSHOP_DEBUG_LOG_H

#include <pthread.h>
#include <stdio.h>

/** @brief Where debug lines go, and how many went there. */
struct debug_sink {
    FILE *out;            /**< destination; NULL counts without printing */
    unsigned long lines;  /**< lines written (or counted) so far */
    unsigned long bytes;  /**< bytes written (or counted) so far */
    int owns_out;         /**< debug_sink_close() closes @p out */
    pthread_mutex_t lock; /**< connection threads share one sink */
};

/**
 * @brief Prepare a sink.
 * @param sink the sink.
 * @param path file to append to, or NULL for stderr.
 * @return 0, or -1 if the file cannot be opened (errno set).
 */
int debug_sink_open(struct debug_sink *sink, const char *path);

/** @brief Flush and close a sink opened by debug_sink_open(). */
void debug_sink_close(struct debug_sink *sink);

/**
 * @brief The callback for mbedtls_ssl_conf_dbg(); @p ctx is a struct debug_sink.
 * @param ctx   the sink.
 * @param level the message's debug level (1..4).
 * @param file  the mbedTLS source file that logged it.
 * @param line  the line in that file.
 * @param msg   the message (mbedTLS ends it with a newline).
 */
void debug_log_callback(void *ctx, int level, const char *file, int line, const char *msg);

#endif /* WORKSHOP_DEBUG_LOG_H */
