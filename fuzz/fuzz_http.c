/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_http.c
 * @brief libFuzzer target for the lesson server's HTTP request parser (common/http.c).
 *
 * The input is what a client sent after the handshake. It is parsed the way
 * 08_server parses it: first as it arrives, in growing prefixes (the server
 * calls http_parse_request() after every read), then whole. Besides "no
 * crash, no out-of-bounds read" (AddressSanitizer), the parser's promises are
 * checked: a result from the enum, and for a complete head NUL-terminated
 * fields, an upper-case method, a path starting with '/', HTTP/1.0 or 1.1, and
 * a head length within the input and within HTTP_MAX_HEAD.
 *
 * tests/test_http.c replays the seed corpus (fuzz/corpus/http) through the
 * same function, so every seed and every regression input runs in `make check`.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Check one result against what http.h promises; abort() if broken. */
static void fuzz_http_check(int result, const struct http_request *req, size_t len)
{
    if (result != HTTP_INCOMPLETE && result != HTTP_COMPLETE && result != HTTP_BAD &&
        result != HTTP_TOO_LARGE && result != HTTP_URI_TOO_LONG)
        abort();
    if (result == HTTP_TOO_LARGE && len < HTTP_MAX_HEAD)
        abort();
    if (result != HTTP_COMPLETE)
        return;
    if (memchr(req->method, '\0', sizeof(req->method)) == NULL ||
        memchr(req->path, '\0', sizeof(req->path)) == NULL ||
        memchr(req->host, '\0', sizeof(req->host)) == NULL ||
        memchr(req->user_agent, '\0', sizeof(req->user_agent)) == NULL ||
        memchr(req->accept, '\0', sizeof(req->accept)) == NULL)
        abort();
    if (req->method[0] == '\0' || req->path[0] != '/' || (req->minor_version != 0 && req->minor_version != 1))
        abort();
    for (const char *m = req->method; *m != '\0'; m++)
        if (*m < 'A' || *m > 'Z')
            abort();
    if (req->head_len == 0 || req->head_len > len || req->head_len > HTTP_MAX_HEAD)
        abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct http_request req;
    const char *buf = (const char *) data;
    size_t step = size / 4 + 1;

    /* As the bytes trickle in: a few growing prefixes, as the server sees them. */
    for (size_t len = 0; len < size; len += step)
        fuzz_http_check(http_parse_request(buf, len, &req), &req, len);
    fuzz_http_check(http_parse_request(buf, size, &req), &req, size);
    return 0;
}
