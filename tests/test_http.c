/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_http.c
 * @brief Unit tests of the lesson server's HTTP request parser (common/http.c).
 *
 * The usual cases, the limits, the inputs fuzzing found (a NUL byte inside
 * the request line used to cut the method or path short, so that
 * "GET /\0secret" read as "GET /"), and a replay of the whole seed corpus
 * fuzz/corpus/http through the fuzz target's own checks, which abort() on a
 * broken promise. The corpus directory is $srcdir/fuzz/corpus/http.
 */
#include "http.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "../fuzz/fuzz_http.c"

/* Parse a string literal of known length (it may contain NUL bytes). */
#define PARSE(lit, req) http_parse_request((lit), sizeof(lit) - 1, (req))

static void test_good_requests(void)
{
    struct http_request req;

    CHECK_EQ_INT(PARSE("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: t\r\n\r\n", &req), HTTP_COMPLETE);
    CHECK_STR_EQ(req.method, "GET");
    CHECK_STR_EQ(req.path, "/");
    CHECK_STR_EQ(req.host, "localhost");
    CHECK_STR_EQ(req.user_agent, "t");
    CHECK_EQ_INT(req.minor_version, 1);
    CHECK_EQ_INT(PARSE("HEAD /x?y=1 HTTP/1.0\n\n", &req), HTTP_COMPLETE);
    CHECK_STR_EQ(req.path, "/x?y=1");
    CHECK_EQ_INT(req.minor_version, 0);
    CHECK_EQ_INT(req.head_len, 22);
}

static void test_bad_and_partial_requests(void)
{
    static char huge[HTTP_MAX_HEAD];
    struct http_request req;

    CHECK_EQ_INT(PARSE("GET / HTTP/1.1\r\nHost: localhost\r\n", &req), HTTP_INCOMPLETE);
    CHECK_EQ_INT(PARSE("", &req), HTTP_INCOMPLETE);
    CHECK_EQ_INT(PARSE("BREW /pot HTCPCP/1.0\r\n\r\n", &req), HTTP_BAD);
    CHECK_EQ_INT(PARSE("GET /\r\n\r\n", &req), HTTP_BAD);
    CHECK_EQ_INT(PARSE("get / HTTP/1.1\r\n\r\n", &req), HTTP_BAD);
    CHECK_EQ_INT(PARSE("GET x HTTP/1.1\r\n\r\n", &req), HTTP_BAD);
    CHECK_EQ_INT(PARSE("GET / HTTP/1.1\r\nno colon\r\n\r\n", &req), HTTP_BAD);
    memset(huge, 'A', sizeof(huge));
    CHECK_EQ_INT(http_parse_request(huge, sizeof(huge), &req), HTTP_TOO_LARGE);
    CHECK_EQ_INT(http_parse_request(huge, sizeof(huge) - 1, &req), HTTP_INCOMPLETE);
}

/* Inputs found by fuzz/fuzz_http (kept in fuzz/corpus/http/regress-*). */
static void test_fuzz_regressions(void)
{
    struct http_request req;

    CHECK_EQ_INT(PARSE("GET /\0secret HTTP/1.1\r\n\r\n", &req), HTTP_BAD);
    CHECK_EQ_INT(PARSE("\0\aT / HTTP/1.1\r\nHost: Localhost\r\n\r\n", &req), HTTP_BAD);
    CHECK_EQ_INT(PARSE("GET / HTTP/1.1\r\nHost: local\0host\r\n\r\n", &req), HTTP_BAD);
}

/* Every seed and regression input through the fuzz target's checks. */
static void test_replay_corpus(void)
{
    int replayed = unit_replay_corpus("fuzz/corpus/http", LLVMFuzzerTestOneInput);

    CHECK_MSG(replayed >= 10, "at least ten inputs of fuzz/corpus/http replayed without a broken promise");
}

int main(void)
{
    test_good_requests();
    test_bad_and_partial_requests();
    test_fuzz_regressions();
    test_replay_corpus();
    return unit_done();
}
