/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file session_file.c
 * @brief The session file of lesson 12 (see session_file.h).
 */
#include "session_file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint32_t session_file_crc32(const unsigned char *data, size_t len)
{
    uint32_t crc = 0xFFFFFFFFu;

    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/** @brief Where the parser is in the file. */
struct cursor {
    const char *p;   /**< next byte */
    const char *end; /**< one past the last */
};

/* The next line, which must be "KEYWORD VALUE"; copies VALUE (NUL-terminated). */
static const char *take_line(struct cursor *c, const char *keyword, char *value, size_t cap)
{
    const char *nl = memchr(c->p, '\n', (size_t) (c->end - c->p));
    size_t klen = strlen(keyword), len;

    if (nl == NULL)
        return "truncated: the header ends early";
    len = (size_t) (nl - c->p);
    if (len <= klen || memcmp(c->p, keyword, klen) != 0 || c->p[klen] != ' ')
        return "not a session file of this lesson: a header line is missing or out of order";
    len -= klen + 1;
    if (len == 0 || len >= cap)
        return "not a session file of this lesson: a header value is empty or too long";
    memcpy(value, c->p + klen + 1, len);
    value[len] = '\0';
    /* Values are printable ASCII (spaces separate the fields of the last two lines). */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char) value[i] < ' ' || (unsigned char) value[i] > '~')
            return "not a session file of this lesson: a header value is not printable text";
    c->p = nl + 1;
    return NULL;
}

/* A whole decimal number in [0, max]. */
static int whole_number(const char *text, unsigned long long max, unsigned long long *out)
{
    char *end;

    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    *out = strtoull(text, &end, 10);
    return (errno != 0 || *end != '\0' || *out > max) ? -1 : 0;
}

/* "flights=3 sent=277 received=1401 ms=8.9 cpu_ms=4.82" */
static int parse_cost(const char *text, struct session_file_cost *cost)
{
    unsigned long flights, sent, received;
    double ms, cpu_ms;
    int used = -1;

    if (sscanf(text, "flights=%lu sent=%lu received=%lu ms=%lf cpu_ms=%lf%n", &flights, &sent, &received, &ms,
               &cpu_ms, &used) != 5 ||
        used < 0 || text[used] != '\0')
        return -1;
    if (flights > 1000 || sent > 1000000 || received > 1000000 || !(ms >= 0 && ms <= 1e7) ||
        !(cpu_ms >= 0 && cpu_ms <= 1e7))
        return -1;
    cost->flights = (unsigned) flights, cost->sent = sent, cost->received = received;
    cost->ms = ms, cost->cpu_ms = cpu_ms;
    return 0;
}

static int fail(char *why, size_t why_len, const char *text)
{
    snprintf(why, why_len, "%s", text);
    return -1;
}

int session_file_parse(struct session_file *sf, const unsigned char *data, size_t len, char *why,
                       size_t why_len)
{
    struct cursor c = {(const char *) data, (const char *) data + len};
    const size_t magic_len = strlen(SESSION_FILE_MAGIC);
    char value[320];
    const char *problem;
    unsigned long long n, crc;
    char *space;

    memset(sf, 0, sizeof(*sf));
    if (len < magic_len + 1 || memcmp(data, SESSION_FILE_MAGIC "\n", magic_len + 1) != 0)
        return fail(why, why_len,
                    len == 0
                        ? "empty"
                        : "not a session file of this lesson (its first line is not \"" SESSION_FILE_MAGIC
                          "\")");
    c.p += magic_len + 1;
    if ((problem = take_line(&c, "server", sf->server, sizeof(sf->server))) != NULL ||
        (problem = take_line(&c, "method", sf->method, sizeof(sf->method))) != NULL ||
        (problem = take_line(&c, "library", sf->library, sizeof(sf->library))) != NULL)
        return fail(why, why_len, problem);
    if ((problem = take_line(&c, "saved", value, sizeof(value))) != NULL)
        return fail(why, why_len, problem);
    if (whole_number(value, 1ULL << 62, &n) != 0)
        return fail(why, why_len, "not a session file of this lesson: 'saved' is not a time");
    sf->saved = (long long) n;
    if ((problem = take_line(&c, "full", value, sizeof(value))) != NULL)
        return fail(why, why_len, problem);
    if (parse_cost(value, &sf->full) != 0)
        return fail(why, why_len, "not a session file of this lesson: the 'full' line is malformed");
    if ((problem = take_line(&c, "session", value, sizeof(value))) != NULL)
        return fail(why, why_len, problem);
    /* "245 crc32=1a2b3c4d" */
    space = strchr(value, ' ');
    if (space == NULL || strncmp(space, " crc32=", 7) != 0 || strlen(space + 7) != 8)
        return fail(why, why_len, "not a session file of this lesson: the 'session' line is malformed");
    *space = '\0';
    if (whole_number(value, SESSION_FILE_MAX_SESSION, &n) != 0 || n == 0)
        return fail(why, why_len, "not a session file of this lesson: the session length is not 1-16384");
    for (int i = 7; i < 15; i++)
        if (!isxdigit((unsigned char) space[i]))
            return fail(why, why_len, "not a session file of this lesson: the checksum is not hex");
    crc = strtoull(space + 7, NULL, 16);
    if ((size_t) (c.end - c.p) < n) {
        snprintf(why, why_len, "truncated: %zu of the session's %llu bytes are there", (size_t) (c.end - c.p),
                 n);
        return -1;
    }
    if ((size_t) (c.end - c.p) > n) {
        snprintf(why, why_len, "%zu bytes after the session: not written by this lesson",
                 (size_t) (c.end - c.p) - (size_t) n);
        return -1;
    }
    memcpy(sf->session, c.p, (size_t) n);
    sf->session_len = (size_t) n;
    if (session_file_crc32(sf->session, sf->session_len) != (uint32_t) crc)
        return fail(why, why_len, "damaged: the session's checksum does not match");
    return 0;
}

/* A header value that parses back: printable, no spaces, fits. */
static int plain_value(const char *text, size_t cap)
{
    size_t len = strnlen(text, cap);

    if (len == 0 || len == cap)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char) text[i] <= ' ' || (unsigned char) text[i] > '~')
            return 0;
    return 1;
}

size_t session_file_format(const struct session_file *sf, unsigned char *out, size_t cap)
{
    int n;

    if (!plain_value(sf->server, sizeof(sf->server)) || !plain_value(sf->method, sizeof(sf->method)) ||
        !plain_value(sf->library, sizeof(sf->library)) || sf->session_len == 0 ||
        sf->session_len > SESSION_FILE_MAX_SESSION || sf->saved < 0)
        return 0;
    n = snprintf((char *) out, cap,
                 SESSION_FILE_MAGIC "\nserver %s\nmethod %s\nlibrary %s\nsaved %lld\n"
                                    "full flights=%u sent=%zu received=%zu ms=%.1f cpu_ms=%.2f\n"
                                    "session %zu crc32=%08lx\n",
                 sf->server, sf->method, sf->library, sf->saved, sf->full.flights, sf->full.sent,
                 sf->full.received, sf->full.ms, sf->full.cpu_ms, sf->session_len,
                 (unsigned long) session_file_crc32(sf->session, sf->session_len));
    if (n < 0 || (size_t) n + sf->session_len > cap)
        return 0;
    memcpy(out + n, sf->session, sf->session_len);
    return (size_t) n + sf->session_len;
}

int session_file_load(const char *path, struct session_file *sf, int *missing, char *why, size_t why_len)
{
    static unsigned char data[SESSION_FILE_MAX + 1];
    size_t len;
    FILE *f;

    *missing = 0;
    f = fopen(path, "rb");
    if (f == NULL) {
        *missing = errno == ENOENT;
        snprintf(why, why_len, "cannot open it: %s", strerror(errno));
        return -1;
    }
    len = fread(data, 1, sizeof(data), f);
    if (ferror(f)) {
        snprintf(why, why_len, "cannot read it: %s", strerror(errno));
        fclose(f);
        return -1;
    }
    fclose(f);
    if (len > SESSION_FILE_MAX) {
        snprintf(why, why_len, "larger than %d bytes: not a session file of this lesson", SESSION_FILE_MAX);
        return -1;
    }
    return session_file_parse(sf, data, len, why, why_len);
}

int session_file_save(const char *path, const struct session_file *sf, char *why, size_t why_len)
{
    static unsigned char data[SESSION_FILE_MAX];
    char tmp[4200];
    size_t len = session_file_format(sf, data, sizeof(data)), done = 0;
    int fd;

    if (len == 0)
        return fail(why, why_len, "the session does not fit a session file");
    if ((size_t) snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
        return fail(why, why_len, "the file name is too long");
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        snprintf(why, why_len, "cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(why, why_len, "cannot write %s: %s", tmp, n < 0 ? strerror(errno) : "no space");
            close(fd);
            unlink(tmp);
            return -1;
        }
        done += (size_t) n;
    }
    /* On the disk before the rename, so a power cut leaves the old file or the new one. */
    if (fsync(fd) != 0 || close(fd) != 0) {
        snprintf(why, why_len, "cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(why, why_len, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int session_file_usable(const char *path, char *why, size_t why_len)
{
    struct stat st;
    char dir[4096];
    const char *slash;

    if (path[0] == '\0')
        return fail(why, why_len, "is empty");
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return fail(why, why_len, "is not a regular file");
        if (access(path, R_OK | W_OK) != 0) {
            snprintf(why, why_len, "cannot be read and written: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (errno != ENOENT) {
        snprintf(why, why_len, "cannot be used: %s", strerror(errno));
        return -1;
    }
    /* A new file: its directory must take it. */
    slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else if ((size_t) (slash - path) >= sizeof(dir))
        return fail(why, why_len, "is too long");
    else
        snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int) (slash - path), path);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, why_len, "cannot be created: no directory %s", dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(why, why_len, "cannot be created in %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}
