/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file http.h
 * @brief The little HTTP/1.1 the lesson server speaks: parse one request head.
 *
 * Plumbing, not a lesson subject: bounded, never reads past @p len, and
 * tolerant of bare "\n" line ends (people type requests into openssl s_client).
 */
#ifndef WORKSHOP_HTTP_H
#define WORKSHOP_HTTP_H

#include <stddef.h>

/** @brief Largest request head (request line + headers) the server accepts. */
#define HTTP_MAX_HEAD 8192

/** @brief Result of http_parse_request(). */
enum http_parse_result {
    HTTP_INCOMPLETE = 0,   /**< need more bytes */
    HTTP_COMPLETE = 1,     /**< a whole head was parsed into the request */
    HTTP_BAD = -1,         /**< not an HTTP/1.x request (answer 400) */
    HTTP_TOO_LARGE = -2,   /**< head longer than HTTP_MAX_HEAD (answer 431) */
    HTTP_URI_TOO_LONG = -3 /**< path longer than struct http_request can hold (answer 414) */
};

/** @brief The parts of a request the server uses. */
struct http_request {
    char method[16];      /**< e.g. "GET" */
    char path[512];       /**< e.g. "/hello" (query string included) */
    char host[256];       /**< Host header, "" if absent */
    char user_agent[256]; /**< User-Agent header, "" if absent */
    char accept[256];     /**< Accept header, "" if absent */
    int minor_version;    /**< 0 for HTTP/1.0, 1 for HTTP/1.1 */
    size_t head_len;      /**< bytes the head took, terminator included */
};

/**
 * @brief Parse the head of an HTTP request.
 * @param buf bytes received so far (need not be NUL-terminated).
 * @param len their number.
 * @param req filled when the result is HTTP_COMPLETE.
 * @return an http_parse_result.
 */
int http_parse_request(const char *buf, size_t len, struct http_request *req);

#endif /* WORKSHOP_HTTP_H */
