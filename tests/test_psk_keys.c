/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_psk_keys.c
 * @brief Unit tests of the pre-shared key parsers (common/psk_keys.c): `--psk` values,
 *        identities, the server's key file; and a replay of fuzz/corpus/psk_keys through the fuzz
 *        target's own checks.
 */
#include "psk_keys.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "../fuzz/fuzz_psk_keys.c"

#define HEX32 "00112233445566778899aabbccddeeff"

static void test_hex(void)
{
    unsigned char key[PSK_MAX_KEY];
    size_t len = 99;

    CHECK(psk_key_from_hex(HEX32, 32, key, &len) == NULL);
    CHECK_EQ_INT(len, 16);
    CHECK_EQ_INT(key[0], 0x00);
    CHECK_EQ_INT(key[15], 0xff);
    CHECK(psk_key_from_hex("00112233445566778899AABBCCDDEEFF", 32, key, &len) == NULL);
    CHECK_EQ_INT(key[10], 0xAA);
    CHECK_STR_CONTAINS(psk_key_from_hex(HEX32 "0", 33, key, &len), "odd number of hex digits");
    CHECK_EQ_INT(len, 0);
    CHECK_STR_CONTAINS(psk_key_from_hex("00112233445566778899aabbccddeefg", 32, key, &len), "not hex");
    CHECK_STR_CONTAINS(psk_key_from_hex("0x112233445566778899aabbccddeeff", 32, key, &len), "not hex");
    CHECK_STR_CONTAINS(psk_key_from_hex("", 0, key, &len), "is empty");
    CHECK_STR_CONTAINS(psk_key_from_hex("00112233", 8, key, &len), "shorter than 16 bytes");
    {
        char hex[2 * PSK_MAX_KEY + 3];

        memset(hex, 'a', sizeof(hex) - 1);
        hex[sizeof(hex) - 1] = '\0';
        CHECK_STR_CONTAINS(psk_key_from_hex(hex, strlen(hex), key, &len), "longer than");
        CHECK(psk_key_from_hex(hex, 2 * PSK_MAX_KEY, key, &len) == NULL);
        CHECK_EQ_INT(len, PSK_MAX_KEY);
    }
}

static void test_identity(void)
{
    char long_id[PSK_MAX_IDENTITY + 2];

    CHECK(psk_identity_problem("sensor-01", 9) == NULL);
    CHECK_STR_CONTAINS(psk_identity_problem("", 0), "is empty");
    CHECK_STR_CONTAINS(psk_identity_problem("a:b", 3), "colon");
    CHECK_STR_CONTAINS(psk_identity_problem("a b", 3), "space");
    CHECK_STR_CONTAINS(psk_identity_problem("a\tb", 3), "control character");
    CHECK_STR_CONTAINS(psk_identity_problem("caf\xc3\xa9", 5), "non-ASCII");
    memset(long_id, 'x', sizeof(long_id));
    CHECK(psk_identity_problem(long_id, PSK_MAX_IDENTITY) == NULL);
    CHECK_STR_CONTAINS(psk_identity_problem(long_id, PSK_MAX_IDENTITY + 1), "longer than 128");
}

/* Parse a string literal as a key file. */
static int parse(struct psk_keys *keys, const char *text, char *why, size_t why_len)
{
    why[0] = '\0';
    return psk_keys_parse(keys, text, strlen(text), why, why_len);
}

static void test_key_file(void)
{
    static struct psk_keys keys;
    char why[256];

    CHECK_EQ_INT(parse(&keys, "# devices\n\nsensor-01:" HEX32 "\r\nsensor-02:" HEX32 HEX32, why, sizeof(why)),
                 0);
    CHECK_EQ_INT(keys.count, 2);
    CHECK_STR_EQ(keys.entry[0].identity, "sensor-01");
    CHECK_EQ_INT(keys.entry[1].key_len, 32);
    CHECK(psk_keys_find(&keys, (const unsigned char *) "sensor-02", 9) == &keys.entry[1]);
    CHECK(psk_keys_find(&keys, (const unsigned char *) "sensor-0", 8) == NULL);
    CHECK(psk_keys_find(&keys, (const unsigned char *) "sensor-011", 10) == NULL);

    CHECK_EQ_INT(parse(&keys, "sensor-01:" HEX32 "\nsensor-01:" HEX32 "\n", why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "line 2: the identity sensor-01 appears twice");
    CHECK_EQ_INT(keys.count, 0);
    CHECK_EQ_INT(parse(&keys, "sensor-01 " HEX32 "\n", why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "line 1: no colon");
    CHECK_EQ_INT(parse(&keys, ":" HEX32 "\n", why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "line 1: the identity is empty");
    CHECK_EQ_INT(parse(&keys, "# one\nsensor-01:" HEX32 "0\n", why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "line 2: the key of sensor-01 has an odd number of hex digits");
    CHECK(strstr(why, HEX32) == NULL); /* a key is never printed */
    CHECK_EQ_INT(parse(&keys, "sensor-01:" HEX32 " \n", why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "spaces around the entry");
    CHECK_EQ_INT(parse(&keys, "# nothing\n\n", why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "no keys");
    CHECK_EQ_INT(psk_keys_parse(&keys, "a:" HEX32 "\0", 3 + 32 + 1, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "NUL byte");
    {
        static char many[PSK_MAX_ENTRIES * 64 + 64];
        size_t used = 0;

        for (int i = 0; i <= PSK_MAX_ENTRIES; i++)
            used += (size_t) snprintf(many + used, sizeof(many) - used, "d%d:" HEX32 "\n", i);
        CHECK_EQ_INT(parse(&keys, many, why, sizeof(why)), -1);
        CHECK_STR_CONTAINS(why, "line 65: more keys than a file may hold (64)");
    }
}

static void test_load(void)
{
    static struct psk_keys keys;
    char why[512], path[] = "/tmp/workshop-psk-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    if (!CHECK(f != NULL))
        return;
    fprintf(f, "sensor-01:%s\n", HEX32);
    fclose(f);
    CHECK_EQ_INT(psk_keys_load(&keys, path, why, sizeof(why)), 0);
    CHECK_EQ_INT(keys.count, 1);
    remove(path);
    CHECK_EQ_INT(psk_keys_load(&keys, path, why, sizeof(why)), -1);
    CHECK_STR_CONTAINS(why, "cannot open");
    CHECK_EQ_INT(keys.count, 0);
}

static void test_printable(void)
{
    char out[16];

    CHECK_STR_EQ(psk_identity_printable((const unsigned char *) "bob", 3, out, sizeof(out)), "bob");
    CHECK_STR_EQ(psk_identity_printable((const unsigned char *) "a\n\\", 3, out, sizeof(out)), "a\\x0A\\x5C");
    CHECK_STR_EQ(psk_identity_printable((const unsigned char *) "abcdefghijklmnopq", 17, out, sizeof(out)),
                 "abcdefghijkl...");
}

static void test_replay_corpus(void)
{
    int replayed = unit_replay_corpus("fuzz/corpus/psk_keys", LLVMFuzzerTestOneInput);

    CHECK_MSG(replayed >= 5,
              "at least five inputs of fuzz/corpus/psk_keys replayed without a broken promise");
}

int main(void)
{
    test_hex();
    test_identity();
    test_key_file();
    test_load();
    test_printable();
    test_replay_corpus();
    return unit_done();
}
