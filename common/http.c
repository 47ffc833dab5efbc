/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file http.c
 * @brief Bounded HTTP request-head parser (see http.h).
 */
#include "http.h"

#include <string.h>
#include <strings.h>

/* Find the end of the head: "\r\n\r\n" or "\n\n". Returns its length or 0. */
static size_t head_length(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (i + 1 < len && buf[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* Copy [start, end) into a bounded field; fail if it does not fit. */
static int copy_field(char *dst, size_t cap, const char *start, const char *end)
{
    size_t n = (size_t) (end - start);

    if (n >= cap)
        return -1;
    memcpy(dst, start, n);
    dst[n] = '\0';
    return 0;
}

/* Store a header we care about; ignore the rest. */
static int store_header(struct http_request *req, const char *line, const char *end)
{
    static const struct {
        const char *name;
        size_t offset, cap;
    } wanted[] = {
        {"Host", offsetof(struct http_request, host), sizeof(((struct http_request *) 0)->host)},
        {"User-Agent", offsetof(struct http_request, user_agent),
         sizeof(((struct http_request *) 0)->user_agent)},
        {"Accept", offsetof(struct http_request, accept), sizeof(((struct http_request *) 0)->accept)},
    };
    const char *colon = memchr(line, ':', (size_t) (end - line));

    if (colon == NULL || colon == line)
        return -1; /* a header line without a name */
    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
        const char *value = colon + 1;
        char *dst = (char *) req + wanted[i].offset;

        if ((size_t) (colon - line) != strlen(wanted[i].name) ||
            strncasecmp(line, wanted[i].name, (size_t) (colon - line)) != 0)
            continue;
        while (value < end && (*value == ' ' || *value == '\t'))
            value++;
        /* Over-long values are cut, not rejected: they are only displayed. */
        if (copy_field(dst, wanted[i].cap, value, end) != 0)
            copy_field(dst, wanted[i].cap, value, value + wanted[i].cap - 1);
    }
    return 0;
}

int http_parse_request(const char *buf, size_t len, struct http_request *req)
{
    size_t head = head_length(buf, len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD);
    const char *p, *end, *eol, *sp1, *sp2;

    if (head == 0)
        return len >= HTTP_MAX_HEAD ? HTTP_TOO_LARGE : HTTP_INCOMPLETE;
    memset(req, 0, sizeof(*req));
    req->head_len = head;
    end = buf + head;
    /* A NUL byte would silently cut a field short ("GET /\0x" would read as
     * "GET /"), so a head containing one is not HTTP. Found by fuzzing. */
    if (memchr(buf, '\0', head) != NULL)
        return HTTP_BAD;

    /* Request line: METHOD SP PATH SP HTTP/1.x */
    eol = memchr(buf, '\n', head);
    p = (eol > buf && eol[-1] == '\r') ? eol - 1 : eol;
    sp1 = memchr(buf, ' ', (size_t) (p - buf));
    if (sp1 == NULL || sp1 == buf)
        return HTTP_BAD;
    sp2 = memchr(sp1 + 1, ' ', (size_t) (p - sp1 - 1));
    if (sp2 == NULL || sp2 == sp1 + 1)
        return HTTP_BAD;
    if (copy_field(req->method, sizeof(req->method), buf, sp1) != 0)
        return HTTP_BAD;
    if (copy_field(req->path, sizeof(req->path), sp1 + 1, sp2) != 0)
        return sp1[1] == '/' ? HTTP_URI_TOO_LONG : HTTP_BAD;
    if (req->path[0] != '/')
        return HTTP_BAD;
    if (p - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 || (sp2[8] != '0' && sp2[8] != '1'))
        return HTTP_BAD;
    req->minor_version = sp2[8] - '0';
    for (const char *m = req->method; *m != '\0'; m++)
        if (*m < 'A' || *m > 'Z')
            return HTTP_BAD;

    /* Header lines up to the empty line. */
    for (p = eol + 1; p < end; p = eol + 1) {
        const char *line_end;

        eol = memchr(p, '\n', (size_t) (end - p));
        line_end = (eol > p && eol[-1] == '\r') ? eol - 1 : eol;
        if (line_end == p)
            break; /* the empty line */
        if (store_header(req, p, line_end) != 0)
            return HTTP_BAD;
    }
    return HTTP_COMPLETE;
}
