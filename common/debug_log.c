/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file debug_log.c
 * @brief The shared mbedTLS debug callback (see debug_log.h).
 */
#include "debug_log.h"

#include <string.h>

int debug_sink_open(struct debug_sink *sink, const char *path)
{
    memset(sink, 0, sizeof(*sink));
    pthread_mutex_init(&sink->lock, NULL);
    if (path == NULL) {
        sink->out = stderr;
        return 0;
    }
    sink->out = fopen(path, "a");
    if (sink->out == NULL)
        return -1;
    sink->owns_out = 1;
    return 0;
}

void debug_sink_close(struct debug_sink *sink)
{
    if (sink->owns_out && sink->out != NULL)
        fclose(sink->out);
    else if (sink->out != NULL)
        fflush(sink->out);
    sink->out = NULL;
    sink->owns_out = 0;
    pthread_mutex_destroy(&sink->lock);
}

void debug_log_callback(void *ctx, int level, const char *file, int line, const char *msg)
{
    struct debug_sink *sink = ctx;
    const char *base = strrchr(file, '/');
    size_t len = strlen(msg);
    int written = 0;

    /* mbedTLS passes the full build path; the file name is what helps. */
    base = base ? base + 1 : file;
    if (len > 0 && msg[len - 1] == '\n')
        len--;
    pthread_mutex_lock(&sink->lock);
    if (sink->out != NULL)
        written = fprintf(sink->out, "[%d] %s:%04d: %.*s\n", level, base, line, (int) len, msg);
    else
        written = snprintf(NULL, 0, "[%d] %s:%04d: %.*s\n", level, base, line, (int) len, msg);
    sink->lines++;
    sink->bytes += written > 0 ? (unsigned long) written : 0;
    pthread_mutex_unlock(&sink->lock);
}
