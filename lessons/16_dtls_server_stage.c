/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 16_dtls_server_stage.c
 * @brief Lesson 16's stage, shared: HelloVerifyRequest cookies on the server's configuration.
 *
 * Lesson 16 (16_dtls_server.c) teaches it; the benchmarks' DTLS pair (bench/tls_pair.c) calls the
 * same function (it is in liblessons.a).
 */
#include <mbedtls/ssl_cookie.h>

#include "stages.h"

/* [server-cookies] */
int stage_dtls_cookies(struct tls_endpoint *s, mbedtls_ssl_cookie_ctx *cookies)
{
    int ret;

    narrate_begin("Preparing HelloVerifyRequest cookies");
    /* A secret key, drawn from the random generator, and a lifetime (60 s by
     * default): a cookie proves that the client receives datagrams at the
     * address it claims, without the server remembering anything. */
    ret = compat_ssl_cookie_setup(cookies, compat_rng_random, &s->rng); /* mbedtls_ssl_cookie_setup() */
    if (ret != 0) {
        narrate_failed();
        report_mbedtls_error("server", "mbedtls_ssl_cookie_setup", ret);
        return WS_EXIT_SETUP;
    }
    mbedtls_ssl_conf_dtls_cookies(&s->conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, cookies);
    narrate_ok("a new client proves its address before the server keeps any state for it");
    return WS_EXIT_OK;
}
/* [server-cookies] */
