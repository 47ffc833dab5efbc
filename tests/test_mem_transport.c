/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_mem_transport.c
 * @brief Unit test for common/mem_transport: bytes arrive in order, an empty
 *        pipe says "want read", and bytes and flights are counted per side.
 */
#include <string.h>

#include <mbedtls/ssl.h>

#include "mem_transport.h"
#include "unit.h"

int main(void)
{
    struct mem_transport t;
    unsigned char buf[64];
    unsigned char big[10000];
    int n;

    mem_transport_init(&t);
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf)), MBEDTLS_ERR_SSL_WANT_READ);

    /* Two sends by the client are one flight; the server's answer is another. */
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], (const unsigned char *) "hello", 5), 5);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], (const unsigned char *) " world", 6), 6);
    n = mem_transport_recv(&t.end[MEM_SERVER], buf, 8);
    CHECK_EQ_INT(n, 8);
    CHECK(memcmp(buf, "hello wo", 8) == 0);
    n = mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf));
    CHECK_EQ_INT(n, 3);
    CHECK(memcmp(buf, "rld", 3) == 0);
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf)), MBEDTLS_ERR_SSL_WANT_READ);
    /* The client does not read its own bytes. */
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_CLIENT], buf, sizeof(buf)), MBEDTLS_ERR_SSL_WANT_READ);

    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_SERVER], (const unsigned char *) "ok", 2), 2);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], (const unsigned char *) "!", 1), 1);
    CHECK_EQ_INT((long long) t.bytes[MEM_CLIENT], 12);
    CHECK_EQ_INT((long long) t.bytes[MEM_SERVER], 2);
    CHECK_EQ_INT((long long) t.flights[MEM_CLIENT], 2);
    CHECK_EQ_INT((long long) t.flights[MEM_SERVER], 1);
    /* Each flight's bytes, in order: the link model's input. */
    CHECK_EQ_INT((long long) t.flight_bytes[0], 11);
    CHECK_EQ_INT((long long) t.flight_bytes[1], 2);
    CHECK_EQ_INT((long long) t.flight_bytes[2], 1);

    /* Large writes grow the pipe and come back intact. */
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char) (i * 7);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_SERVER], big, sizeof(big)), (long long) sizeof(big));
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_CLIENT], buf, 2), 2);
    CHECK(memcmp(buf, "ok", 2) == 0);
    {
        unsigned char back[10000];
        size_t got = 0;
        while (got < sizeof(back)) {
            n = mem_transport_recv(&t.end[MEM_CLIENT], back + got, sizeof(back) - got);
            if (n <= 0)
                break;
            got += (size_t) n;
        }
        CHECK_EQ_INT((long long) got, (long long) sizeof(big));
        CHECK(memcmp(back, big, sizeof(big)) == 0);
    }

    /* A reset forgets pending bytes and counters. */
    mem_transport_reset(&t);
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf)), MBEDTLS_ERR_SSL_WANT_READ);
    CHECK_EQ_INT((long long) t.bytes[MEM_CLIENT], 0);
    CHECK_EQ_INT((long long) t.flights[MEM_SERVER], 0);
    CHECK_EQ_INT((long long) t.flight_bytes[0], 0);

    /* The same over loopback TCP. */
    if (mem_transport_open_tcp(&t) == 0) {
        CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], (const unsigned char *) "tcp", 3), 3);
        n = MBEDTLS_ERR_SSL_WANT_READ;
        for (int tries = 0; tries < 100000 && n == MBEDTLS_ERR_SSL_WANT_READ; tries++)
            n = mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf));
        CHECK_EQ_INT(n, 3);
        CHECK(memcmp(buf, "tcp", 3) == 0);
        CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf)), MBEDTLS_ERR_SSL_WANT_READ);
    }
    mem_transport_free(&t);
    return unit_done();
}
