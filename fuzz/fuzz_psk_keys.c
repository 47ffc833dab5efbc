/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_psk_keys.c
 * @brief libFuzzer target for the pre-shared key parsers (common/psk_keys.c): the server's key
 *        file (`08_server --psk-file`) and the client's `--psk`/`--psk-identity` values.
 *
 * The input is a key file's bytes. Besides "no crash, no out-of-bounds read" (AddressSanitizer),
 * the parser's promises are checked: on success 1 to PSK_MAX_ENTRIES entries, each with an
 * acceptable, NUL-terminated identity of the length it claims, a key of PSK_MIN_KEY to
 * PSK_MAX_KEY bytes, no identity twice, and each found again by psk_keys_find(); on failure an
 * empty list and a one-line reason. Each line of the input is also tried as a `--psk` value and
 * as a `--psk-identity` value, and the printable form of the whole input must be NUL-terminated
 * within its buffer and free of control characters.
 *
 * tests/test_psk_keys.c replays the seed corpus (fuzz/corpus/psk_keys) through this function.
 */
#include "psk_keys.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void fuzz_psk_keys_check(const struct psk_keys *keys, int ret, const char *why)
{
    if (ret != 0) {
        if (keys->count != 0 || why[0] == '\0' || strchr(why, '\n') != NULL)
            abort();
        return;
    }
    if (keys->count == 0 || keys->count > PSK_MAX_ENTRIES)
        abort();
    for (size_t i = 0; i < keys->count; i++) {
        const struct psk_entry *e = &keys->entry[i];

        if (strlen(e->identity) != e->identity_len ||
            psk_identity_problem(e->identity, e->identity_len) != NULL)
            abort();
        if (e->key_len < PSK_MIN_KEY || e->key_len > PSK_MAX_KEY)
            abort();
        if (psk_keys_find(keys, (const unsigned char *) e->identity, e->identity_len) != e)
            abort(); /* also: no identity twice, since the first would be found */
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct psk_keys keys;
    char why[256] = "", shown[64];
    unsigned char key[PSK_MAX_KEY];
    size_t pos = 0, key_len;
    int ret;

    why[0] = '\0';
    ret = psk_keys_parse(&keys, (const char *) data, size, why, sizeof(why));
    fuzz_psk_keys_check(&keys, ret, why);
    psk_keys_wipe(&keys);

    /* Every line, as the client's option values. */
    while (pos < size) {
        const unsigned char *nl = memchr(data + pos, '\n', size - pos);
        size_t len = nl != NULL ? (size_t) (nl - (data + pos)) : size - pos;

        if (psk_key_from_hex((const char *) data + pos, len, key, &key_len) == NULL &&
            (key_len != len / 2 || key_len < PSK_MIN_KEY || key_len > PSK_MAX_KEY))
            abort();
        (void) psk_identity_problem((const char *) data + pos, len);
        pos += len + 1;
    }
    psk_identity_printable(data, size, shown, sizeof(shown));
    if (memchr(shown, '\0', sizeof(shown)) == NULL)
        abort();
    for (const char *c = shown; *c != '\0'; c++)
        if ((unsigned char) *c < ' ' || (unsigned char) *c > '~')
            abort();
    return 0;
}
