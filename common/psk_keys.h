/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file psk_keys.h
 * @brief Pre-shared keys as text: a key in hex, an identity, and the server's key file.
 *
 * A pre-shared key (lesson 11) is a secret both ends hold before they meet, named by an
 * identity that the client sends in the clear. The client takes its key on the command line
 * (`--psk HEX --psk-identity NAME`); the lesson server reads every client's key from a file
 * (`--psk-file FILE`) in the format gnutls-serv's `--pskpasswd` reads too:
 *
 * @code{.unparsed}
 *   # comment lines and blank lines are ignored
 *   sensor-01:4f0c3a...   (identity, a colon, the key in hex)
 *   sensor-02:9b1d77...
 * @endcode
 *
 * An identity is 1 to #PSK_MAX_IDENTITY printable ASCII characters without spaces or colons
 * (the colon ends it in the file). A key is an even number of hex digits, #PSK_MIN_KEY to
 * #PSK_MAX_KEY bytes: shorter keys can be guessed offline from one recorded handshake, longer
 * ones do not fit mbedTLS's MBEDTLS_PSK_MAX_LEN. A line may end in CR LF. Each identity may
 * appear once; a file has at most #PSK_MAX_ENTRIES keys and #PSK_MAX_FILE bytes.
 *
 * Nothing here calls TLS: these functions check text and turn it into bytes. The checks are
 * fuzzed (fuzz/fuzz_psk_keys.c).
 */
#ifndef WORKSHOP_PSK_KEYS_H
#define WORKSHOP_PSK_KEYS_H

#include <stddef.h>

#include <mbedtls/ssl.h> /* MBEDTLS_PSK_MAX_LEN */

/** @brief Shortest key accepted, in bytes (128 bits). */
#define PSK_MIN_KEY 16
/** @brief Longest key accepted, in bytes: what this mbedTLS accepts (32 unless configured otherwise). */
#define PSK_MAX_KEY MBEDTLS_PSK_MAX_LEN
/** @brief Longest identity accepted, in characters. */
#define PSK_MAX_IDENTITY 128
/** @brief Most keys in one file. */
#define PSK_MAX_ENTRIES 64
/** @brief Largest key file read, in bytes. */
#define PSK_MAX_FILE 65536

/** @brief One client's identity and key. */
struct psk_entry {
    char identity[PSK_MAX_IDENTITY + 1]; /**< NUL-terminated */
    size_t identity_len;                 /**< its length */
    unsigned char key[PSK_MAX_KEY];      /**< the key */
    size_t key_len;                      /**< its length in bytes */
};

/** @brief Every key of a key file. Wipe it with psk_keys_wipe() when done. */
struct psk_keys {
    struct psk_entry entry[PSK_MAX_ENTRIES]; /**< the keys, in file order */
    size_t count;                            /**< how many */
};

/**
 * @brief Check an identity.
 * @param identity the identity (not necessarily NUL-terminated).
 * @param len      its length.
 * @return NULL when it is acceptable, else why not (e.g. "is empty").
 */
const char *psk_identity_problem(const char *identity, size_t len);

/**
 * @brief Turn a key written in hex into bytes, checking it.
 * @param hex     the hex digits (not necessarily NUL-terminated), either case.
 * @param len     how many characters.
 * @param key     where the bytes go (#PSK_MAX_KEY bytes).
 * @param key_len set to the number of bytes.
 * @return NULL on success, else why the text is not a key (e.g. "has an odd number of hex digits");
 *         @p key may then hold a partial result.
 */
const char *psk_key_from_hex(const char *hex, size_t len, unsigned char key[PSK_MAX_KEY], size_t *key_len);

/**
 * @brief Parse the text of a key file.
 * @param keys    filled (emptied first).
 * @param text    the file's bytes (need not end with a newline or a NUL).
 * @param len     their number.
 * @param why     on failure, one line: "line 3: the key has an odd number of hex digits".
 * @param why_len size of @p why.
 * @return 0, or -1 (then @p keys is wiped and empty).
 */
int psk_keys_parse(struct psk_keys *keys, const char *text, size_t len, char *why, size_t why_len);

/**
 * @brief Read and parse a key file.
 * @param keys    filled.
 * @param path    the file.
 * @param why     on failure, one line naming the cause (unreadable, too large, or the parse error).
 * @param why_len size of @p why.
 * @return 0 or -1.
 */
int psk_keys_load(struct psk_keys *keys, const char *path, char *why, size_t why_len);

/**
 * @brief Find the key of an identity, as a client sent it.
 * @param keys     the keys.
 * @param identity the identity's bytes (from the network: any bytes).
 * @param len      their number.
 * @return the entry, or NULL when no key has that identity.
 */
const struct psk_entry *psk_keys_find(const struct psk_keys *keys, const unsigned char *identity, size_t len);

/**
 * @brief An identity from the network, made safe to print: bytes outside printable ASCII become
 *        \\xHH, and a long one is cut with "...".
 * @param identity the bytes.
 * @param len      their number.
 * @param out      the text, always NUL-terminated.
 * @param cap      size of @p out (> 0).
 * @return @p out.
 */
const char *psk_identity_printable(const unsigned char *identity, size_t len, char *out, size_t cap);

/** @brief Overwrite every key with zeros and empty the list. */
void psk_keys_wipe(struct psk_keys *keys);

#endif /* WORKSHOP_PSK_KEYS_H */
