/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_dtls.c
 * @brief Unit tests of the DTLS plumbing: record and fragment headers (common/dtls_record.h),
 *        the lossy link's seeded fates (common/lossy.h), the timer callbacks on a virtual clock
 *        (common/dtls_timer.h), and the in-memory transport's datagram mode. The fuzz target's
 *        seed corpus (fuzz/corpus/dtls_record/) is replayed through the target's own checks.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/ssl.h>

#include "dtls_record.h"
#include "dtls_timer.h"
#include "lossy.h"
#include "mem_transport.h"
#include "unit.h"

/* The fuzz target defines the input format of its corpus. */
#include "../fuzz/fuzz_dtls_record.c"

/* A record holding one handshake fragment: type, message_seq, offset, fragment length, message
 * length; the body is filled with 0xAB. Returns its size. */
static size_t fragment_record(unsigned char *out, uint16_t epoch, uint64_t seq, uint8_t type,
                              uint16_t msg_seq, uint32_t offset, uint32_t frag_len, uint32_t msg_len)
{
    size_t body = DTLS_HANDSHAKE_HEADER_LEN + frag_len;
    unsigned char *h = out + DTLS_RECORD_HEADER_LEN;

    out[0] = DTLS_CT_HANDSHAKE;
    out[1] = 0xfe;
    out[2] = 0xfd;
    out[3] = (unsigned char) (epoch >> 8);
    out[4] = (unsigned char) epoch;
    for (int i = 0; i < 6; i++)
        out[5 + i] = (unsigned char) (seq >> (40 - 8 * i));
    out[11] = (unsigned char) (body >> 8);
    out[12] = (unsigned char) body;
    h[0] = type;
    h[1] = (unsigned char) (msg_len >> 16), h[2] = (unsigned char) (msg_len >> 8),
    h[3] = (unsigned char) msg_len;
    h[4] = (unsigned char) (msg_seq >> 8), h[5] = (unsigned char) msg_seq;
    h[6] = (unsigned char) (offset >> 16), h[7] = (unsigned char) (offset >> 8),
    h[8] = (unsigned char) offset;
    h[9] = (unsigned char) (frag_len >> 16), h[10] = (unsigned char) (frag_len >> 8),
    h[11] = (unsigned char) frag_len;
    memset(h + DTLS_HANDSHAKE_HEADER_LEN, 0xab, frag_len);
    return DTLS_RECORD_HEADER_LEN + body;
}

static size_t ccs_record(unsigned char *out, uint64_t seq)
{
    static const unsigned char ccs[] = {
        DTLS_CT_CHANGE_CIPHER_SPEC, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};

    memcpy(out, ccs, sizeof(ccs));
    out[10] = (unsigned char) seq;
    return sizeof(ccs);
}

static void test_records(void)
{
    unsigned char d[512];
    struct dtls_record r;
    struct dtls_fragment f;
    size_t len = fragment_record(d, 0, 0x010203040506ULL, 1, 0, 0, 40, 40), pos = 0, in = 0;
    char line[200];

    len += ccs_record(d + len, 7);
    CHECK_EQ_INT(dtls_record_next(d, len, &pos, 0, &r), 1);
    CHECK_EQ_INT(r.type, DTLS_CT_HANDSHAKE);
    CHECK_EQ_INT(r.version, 0xfefd);
    CHECK_EQ_INT(r.epoch, 0);
    CHECK(r.seq == 0x010203040506ULL);
    CHECK_EQ_INT((long long) r.length, DTLS_HANDSHAKE_HEADER_LEN + 40);
    CHECK_EQ_INT(dtls_fragment_next(&r, &in, &f), 1);
    CHECK_EQ_INT(f.msg_type, 1);
    CHECK_EQ_INT((long long) f.frag_length, 40);
    CHECK_EQ_INT(dtls_fragment_next(&r, &in, &f), 0);
    CHECK_EQ_INT(dtls_record_next(d, len, &pos, 0, &r), 1);
    CHECK_EQ_INT(r.type, DTLS_CT_CHANGE_CIPHER_SPEC);
    CHECK(r.seq == 7);
    CHECK_EQ_INT(dtls_record_next(d, len, &pos, 0, &r), 0);
    CHECK(dtls_is_client_hello(d, len));
    CHECK(!dtls_client_hello_verify(d, len));
    dtls_describe_datagram(d, len, 0, line, sizeof(line));
    CHECK_STR_CONTAINS(line, "ClientHello (msg 0");
    CHECK_STR_CONTAINS(line, ", ChangeCipherSpec");

    /* A record cut short, a TLS version, nothing at all. */
    pos = 0;
    CHECK_EQ_INT(dtls_record_next(d, 30, &pos, 0, &r), -1);
    CHECK_EQ_INT((long long) pos, 0);
    d[1] = 0x03;
    d[2] = 0x03;
    CHECK_EQ_INT(dtls_record_next(d, len, &pos, 0, &r), -1);
    CHECK_EQ_INT(dtls_record_next(d, 0, &pos, 0, &r), 0);
    dtls_describe_datagram(d, len, 0, line, sizeof(line));
    CHECK_STR_EQ(line, "not a DTLS record");

    /* A fragment: bytes 100-150 of a 300-byte Certificate, message 2. */
    len = fragment_record(d, 0, 3, 11, 2, 100, 50, 300);
    dtls_describe_datagram(d, len, 0, line, sizeof(line));
    CHECK_STR_EQ(line, "Certificate (msg 2, bytes 100-150 of 300)");
    /* ... one that claims to end past its message is malformed. */
    len = fragment_record(d, 0, 3, 11, 2, 290, 50, 300);
    pos = 0;
    in = 0;
    CHECK_EQ_INT(dtls_record_next(d, len, &pos, 0, &r), 1);
    CHECK_EQ_INT(dtls_fragment_next(&r, &in, &f), -1);

    /* An encrypted record with a 4-byte connection ID. */
    {
        static const unsigned char cid_record[] = {
            DTLS_CT_TLS12_CID, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 'c', 'l', 'n', 't', 0, 3, 1, 2, 3};

        pos = 0;
        CHECK_EQ_INT(dtls_record_next(cid_record, sizeof(cid_record), &pos, 4, &r), 1);
        CHECK_EQ_INT(r.epoch, 1);
        CHECK_EQ_INT((long long) r.cid_len, 4);
        CHECK(memcmp(r.cid, "clnt", 4) == 0);
        CHECK_EQ_INT((long long) r.length, 3);
        CHECK_EQ_INT(r.body[0], 1);
        dtls_describe_datagram(cid_record, sizeof(cid_record), 4, line, sizeof(line));
        CHECK_STR_EQ(line, "epoch 1 record with a 4-byte connection ID, 3 bytes (encrypted)");
    }
}

static void test_cookies(void)
{
    unsigned char d[256], *body = d + DTLS_RECORD_HEADER_LEN + DTLS_HANDSHAKE_HEADER_LEN;
    size_t len = fragment_record(d, 0, 0, 1, 1, 0, 80, 80);

    body[34] = 0;  /* no session id */
    body[35] = 20; /* a 20-byte cookie */
    CHECK_EQ_INT(dtls_client_hello_cookie_len(d, len), 20);
    body[35] = 0;
    CHECK_EQ_INT(dtls_client_hello_cookie_len(d, len), 0);
    len = fragment_record(d, 0, 0, 3, 0, 0, 23, 23); /* a HelloVerifyRequest */
    CHECK(dtls_client_hello_verify(d, len));
    CHECK(!dtls_is_client_hello(d, len));
    CHECK_EQ_INT(dtls_client_hello_cookie_len(d, len), -1);
}

static void test_lossy(void)
{
    struct lossy_params p = {0.2, 0.1, 0, 50, 0, 7};
    struct lossy_stream a, b, other;
    struct lossy_verdict va, vb;
    int same = 1, differ = 0;
    long dropped = 0;
    double v;

    lossy_stream_init(&a, 7, 0);
    lossy_stream_init(&b, 7, 0);
    lossy_stream_init(&other, 7, 1);
    for (int i = 0; i < 100000; i++) {
        struct lossy_verdict vo;

        lossy_decide(&p, &a, &va);
        lossy_decide(&p, &b, &vb);
        lossy_decide(&p, &other, &vo);
        same &= va.drop == vb.drop && va.duplicate == vb.duplicate && va.delay_ms == vb.delay_ms;
        differ |= va.drop != vo.drop;
        dropped += va.drop;
        CHECK_MSG(!va.drop || !va.duplicate, "a dropped datagram is not also duplicated");
        if (va.drop && va.duplicate)
            break;
    }
    CHECK_MSG(same, "the same seed and stream give the same fates");
    CHECK_MSG(differ, "another stream gives other fates");
    CHECK_MSG(dropped > 19000 && dropped < 21000, "about 20 % of 100000 datagrams are dropped");
    CHECK_EQ_INT(lossy_parse_probability("20%", &v), 0);
    CHECK(v > 0.1999 && v < 0.2001);
    CHECK_EQ_INT(lossy_parse_probability("0.25", &v), 0);
    CHECK_EQ_INT(lossy_parse_probability("1.5", &v), -1);
    CHECK_EQ_INT(lossy_parse_probability("-0.1", &v), -1);
    CHECK_EQ_INT(lossy_parse_probability("half", &v), -1);
    CHECK_EQ_INT(lossy_parse_ms("50ms", &v), 0);
    CHECK(v == 50);
    CHECK_EQ_INT(lossy_parse_ms("0.05s", &v), 0);
    CHECK(v > 49.999 && v < 50.001);
    CHECK_EQ_INT(lossy_parse_ms("61s", &v), -1);
    CHECK_EQ_INT(lossy_parse_ms("5min", &v), -1);
}

static double virtual_now;

static double virtual_clock(void *unused)
{
    (void) unused;
    return virtual_now;
}

static void test_timer(void)
{
    struct dtls_timer t;

    dtls_timer_init(&t, virtual_clock, NULL);
    CHECK_EQ_INT(dtls_timer_get_delay(&t), -1);
    virtual_now = 1000;
    dtls_timer_set_delay(&t, 250, 1000);
    CHECK_EQ_INT(dtls_timer_get_delay(&t), 0);
    CHECK(dtls_timer_deadline(&t) == 2000);
    virtual_now = 1300;
    CHECK_EQ_INT(dtls_timer_get_delay(&t), 1);
    virtual_now = 2000;
    CHECK_EQ_INT(dtls_timer_get_delay(&t), 2);
    dtls_timer_set_delay(&t, 0, 0);
    CHECK_EQ_INT(dtls_timer_get_delay(&t), -1);
    CHECK(dtls_timer_deadline(&t) == -1);
}

static void test_datagrams(void)
{
    struct lossy_params link = {0, 0, 0, 50, 0, 1};
    struct mem_transport t;
    unsigned char d[256], buf[256];
    size_t len = fragment_record(d, 0, 0, 1, 0, 0, 60, 60);

    mem_transport_init(&t);
    mem_transport_use_datagrams(&t, &link);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], d, len), (long long) len);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], d, 20), 20);
    /* Nothing arrives before the link's delay has passed, on its virtual clock. */
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf)), MBEDTLS_ERR_SSL_WANT_READ);
    CHECK(mem_transport_next_arrival(&t) == 50);
    mem_transport_advance(&t, 50);
    CHECK(mem_transport_now(&t) == 50);
    /* Whole datagrams, one per receive; a short buffer cuts one, and the rest is lost. */
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, 10), 10);
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf)), 20);
    CHECK_EQ_INT(mem_transport_recv(&t.end[MEM_SERVER], buf, sizeof(buf)), MBEDTLS_ERR_SSL_WANT_READ);
    /* The same fragment again is a retransmission, counted with its record. */
    CHECK_EQ_INT((long long) t.dgram.resent_bytes[MEM_CLIENT], 0);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], d, len), (long long) len);
    CHECK_EQ_INT((long long) t.dgram.resent_bytes[MEM_CLIENT], (long long) len);
    CHECK_EQ_INT((long long) t.dgram.sent[MEM_CLIENT], 3);
    CHECK_EQ_INT((long long) t.dgram.flight_datagrams[0], 3);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_SERVER], d, 30), 30);
    CHECK_EQ_INT((long long) t.dgram.flight_datagrams[1], 1);
    CHECK_EQ_INT((long long) t.flight_bytes[1], 30);

    /* A link that drops everything. */
    link.drop = 1;
    mem_transport_use_datagrams(&t, &link);
    CHECK_EQ_INT(mem_transport_send(&t.end[MEM_CLIENT], d, len), (long long) len);
    CHECK_EQ_INT((long long) t.dgram.dropped[MEM_CLIENT], 1);
    CHECK(mem_transport_next_arrival(&t) == -1);
    mem_transport_free(&t);
}

/* The seed corpus and whatever the fuzzer found, through the fuzz target's own checks. */
static void test_corpus(void)
{
    const char *srcdir = getenv("top_srcdir");
    char dir[4096], path[8192];
    unsigned char data[70000];
    struct dirent *entry;
    int replayed = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/dtls_record", srcdir != NULL ? srcdir : "..");
    d = opendir(dir);
    CHECK_MSG(d != NULL, "the DTLS seed corpus is there");
    if (d == NULL)
        return;
    while ((entry = readdir(d)) != NULL) {
        FILE *f;
        size_t n;

        if (entry->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
        f = fopen(path, "rb");
        if (f == NULL)
            continue;
        n = fread(data, 1, sizeof(data), f);
        fclose(f);
        LLVMFuzzerTestOneInput(data, n); /* aborts if a promise is broken */
        replayed++;
    }
    closedir(d);
    CHECK_MSG(replayed >= 10, "the seed corpus was replayed");
}

int main(void)
{
    test_records();
    test_cookies();
    test_lossy();
    test_timer();
    test_datagrams();
    test_corpus();
    return unit_done();
}
