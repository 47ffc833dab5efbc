/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_session_file.c
 * @brief Unit tests of lesson 12's session file (common/session_file.c): the header, the
 *        checksum, truncated, damaged and foreign files, saving and reading back; and a replay of
 *        fuzz/corpus/session_file through the fuzz target's own checks (which also hand every
 *        session to mbedtls_ssl_session_load()).
 */
#include "session_file.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fuzz/fuzz_session_file.c"

static struct session_file sample, parsed;
static unsigned char bytes[SESSION_FILE_MAX];

static void fill_sample(void)
{
    memset(&sample, 0, sizeof(sample));
    snprintf(sample.server, sizeof(sample.server), "localhost:4433");
    snprintf(sample.method, sizeof(sample.method), "tls13-ticket");
    snprintf(sample.library, sizeof(sample.library), "3.6.6");
    sample.saved = 1733090000;
    sample.full = (struct session_file_cost){3, 277, 1401, 8.9, 4.82};
    for (size_t i = 0; i < 100; i++)
        sample.session[i] = (unsigned char) (i * 7);
    sample.session_len = 100;
}

static int parse(size_t len, char *why, size_t why_len)
{
    why[0] = '\0';
    return session_file_parse(&parsed, bytes, len, why, why_len);
}

static void test_round_trip(void)
{
    char why[256];
    size_t len;

    fill_sample();
    len = session_file_format(&sample, bytes, sizeof(bytes));
    CHECK(len > 100);
    {
        static const char head[] =
            "mbedtls-workshop session 1\nserver localhost:4433\nmethod tls13-ticket\n"
            "library 3.6.6\nsaved 1733090000\n"
            "full flights=3 sent=277 received=1401 ms=8.9 cpu_ms=4.82\nsession 100 crc32=";

        CHECK(memcmp(bytes, head, sizeof(head) - 1) == 0);
    }
    CHECK_EQ_INT(parse(len, why, sizeof(why)), 0);
    CHECK_STR_EQ(parsed.server, "localhost:4433");
    CHECK_STR_EQ(parsed.method, "tls13-ticket");
    CHECK_EQ_INT(parsed.saved, 1733090000);
    CHECK_EQ_INT(parsed.full.received, 1401);
    CHECK_EQ_INT(parsed.session_len, 100);
    CHECK(memcmp(parsed.session, sample.session, 100) == 0);
    /* A value that would not read back is refused. */
    snprintf(sample.server, sizeof(sample.server), "two words");
    CHECK_EQ_INT(session_file_format(&sample, bytes, sizeof(bytes)), 0);
    fill_sample();
    CHECK_EQ_INT(session_file_format(&sample, bytes, 50), 0);
}

static void test_bad_files(void)
{
    char why[256];
    size_t len;

    fill_sample();
    len = session_file_format(&sample, bytes, sizeof(bytes));
    CHECK_EQ_INT(parse(len - 1, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "truncated: 99 of the session's 100 bytes are there");
    CHECK_EQ_INT(parse(40, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "truncated: the header ends early");
    bytes[len] = 'x';
    CHECK_EQ_INT(parse(len + 1, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "1 bytes after the session");
    bytes[len - 10] ^= 1;
    CHECK_EQ_INT(parse(len, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "damaged: the session's checksum does not match");
    CHECK_EQ_INT(parse(0, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "empty");
    memcpy(bytes, "-----BEGIN CERTIFICATE-----\n", 28);
    CHECK_EQ_INT(parse(28, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "not a session file of this lesson");

    /* Header lines out of order, or with bad values. */
    len =
        (size_t) snprintf((char *) bytes, sizeof(bytes), "mbedtls-workshop session 1\nmethod x\nserver y\n");
    CHECK_EQ_INT(parse(len, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "a header line is missing or out of order");
    len = (size_t) snprintf((char *) bytes, sizeof(bytes),
                            "mbedtls-workshop session 1\nserver y\nmethod x\nlibrary 1\nsaved -5\n");
    CHECK_EQ_INT(parse(len, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "'saved' is not a time");
    len = (size_t) snprintf((char *) bytes, sizeof(bytes),
                            "mbedtls-workshop session 1\nserver y\nmethod x\nlibrary 1\nsaved 5\n"
                            "full flights=3 sent=1 received=2 ms=1 cpu_ms=nan\n");
    CHECK_EQ_INT(parse(len, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "the 'full' line is malformed");
    len = (size_t) snprintf((char *) bytes, sizeof(bytes),
                            "mbedtls-workshop session 1\nserver y\nmethod x\nlibrary 1\nsaved 5\n"
                            "full flights=3 sent=1 received=2 ms=1 cpu_ms=1\nsession 99999 crc32=00000000\n");
    CHECK_EQ_INT(parse(len, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "the session length is not 1-16384");
    len = (size_t) snprintf((char *) bytes, sizeof(bytes),
                            "mbedtls-workshop session 1\nserver y\nmethod x\nlibrary 1\nsaved 5\n"
                            "full flights=3 sent=1 received=2 ms=1 cpu_ms=1\nsession 1 crc32=0x000000\nA");
    CHECK_EQ_INT(parse(len, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "the checksum is not hex");
}

static void test_save_and_load(void)
{
    char dir[] = "/tmp/workshop-session-XXXXXX", path[256], why[512];
    struct stat st;
    int missing = 0;

    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    snprintf(path, sizeof(path), "%s/session.bin", dir);
    CHECK_EQ_INT(session_file_usable(path, why, sizeof(why)), 0);
    CHECK_EQ_INT(session_file_load(path, &parsed, &missing, why, sizeof(why)), -1);
    CHECK_EQ_INT(missing, 1);
    fill_sample();
    CHECK_EQ_INT(session_file_save(path, &sample, why, sizeof(why)), 0);
    CHECK_EQ_INT(stat(path, &st), 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
    CHECK_EQ_INT(session_file_load(path, &parsed, &missing, why, sizeof(why)), 0);
    CHECK_EQ_INT(missing, 0);
    CHECK_STR_EQ(parsed.method, "tls13-ticket");
    CHECK_EQ_INT(session_file_usable(path, why, sizeof(why)), 0);
    CHECK_EQ_INT(session_file_usable(dir, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "is not a regular file");
    snprintf(path, sizeof(path), "%s/no-such-dir/session.bin", dir);
    CHECK_EQ_INT(session_file_usable(path, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "cannot be created: no directory");
    CHECK_EQ_INT(session_file_usable("", why, sizeof(why)), -1);
    snprintf(path, sizeof(path), "%s/session.bin", dir);
    remove(path);
    rmdir(dir);
}

static void test_crc(void)
{
    /* The check value of CRC-32 (zlib, PNG, Ethernet). */
    CHECK_EQ_INT(session_file_crc32((const unsigned char *) "123456789", 9), 0xCBF43926);
    CHECK_EQ_INT(session_file_crc32(NULL, 0), 0);
}

/* The input that made mbedTLS 3.6.6 read past a buffer when a damaged
 * session reached mbedtls_ssl_session_load(): the file is refused first. */
static void test_regression(void)
{
    const char *srcdir = getenv("srcdir");
    char path[4096], why[256];
    int missing;

    snprintf(path, sizeof(path), "%s/fuzz/corpus/session_file/regress-tls13-hostname-without-nul.bin",
             srcdir ? srcdir : ".");
    CHECK_EQ_INT(session_file_load(path, &parsed, &missing, why, sizeof(why)), -1);
    CHECK_EQ_INT(missing, 0);
}

static void test_replay_corpus(void)
{
    int replayed = unit_replay_corpus("fuzz/corpus/session_file", LLVMFuzzerTestOneInput);

    CHECK_MSG(replayed >= 5,
              "at least five inputs of fuzz/corpus/session_file replayed without a broken promise");
}

int main(void)
{
    test_crc();
    test_round_trip();
    test_bad_files();
    test_save_and_load();
    test_regression();
    test_replay_corpus();
    return unit_done();
}
