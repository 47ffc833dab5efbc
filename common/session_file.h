/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file session_file.h
 * @brief The file lesson 12 keeps a TLS session in between two runs: a short text header, then
 *        the bytes mbedtls_ssl_session_save() wrote.
 *
 * @code{.unparsed}
 *   mbedtls-workshop session 1
 *   server localhost:4433
 *   method tls13-ticket
 *   library 3.6.6
 *   saved 1733090000
 *   full flights=3 sent=277 received=1401 ms=8.9 cpu_ms=4.82
 *   session 245 crc32=1a2b3c4d
 *   (245 bytes from mbedtls_ssl_session_save())
 * @endcode
 *
 * The header says which server and which way of resuming the session is for, which mbedTLS
 * saved it (another release cannot load it), when (a session goes stale), and what the full
 * handshake that created it cost (for the comparison the lesson prints); the checksum tells a
 * damaged file apart from a session the server refused. Every line is required, in this order.
 *
 * The file holds the session's master secret: it is written readable by its owner only, to a
 * temporary file first and then renamed, so a crash never leaves half a file behind.
 *
 * The parser takes any bytes (it is fuzzed: fuzz/fuzz_session_file.c) and says in one line what
 * is wrong with a file; it never looks inside the session bytes (mbedtls_ssl_session_load() does).
 */
#ifndef WORKSHOP_SESSION_FILE_H
#define WORKSHOP_SESSION_FILE_H

#include <stddef.h>
#include <stdint.h>

/** @brief The first line of every session file. */
#define SESSION_FILE_MAGIC "mbedtls-workshop session 1"
/** @brief Largest session accepted, in bytes (a session with the server's certificate fits). */
#define SESSION_FILE_MAX_SESSION 16384
/** @brief Largest file accepted, in bytes. */
#define SESSION_FILE_MAX (SESSION_FILE_MAX_SESSION + 1024)

/** @brief What one handshake cost, as the lesson measured it. */
struct session_file_cost {
    unsigned flights; /**< runs of messages in one direction, both ways */
    size_t sent;      /**< bytes the client sent */
    size_t received;  /**< bytes the server sent */
    double ms;        /**< wall-clock time */
    double cpu_ms;    /**< the client's CPU time */
};

/** @brief A session file, parsed. */
struct session_file {
    char server[300];                                /**< "name:port" the session belongs to */
    char method[32];                                 /**< how it resumes, e.g. "tls13-ticket" */
    char library[32];                                /**< the mbedTLS release that saved it, e.g. "3.6.6" */
    long long saved;                                 /**< when, in seconds since 1970 */
    struct session_file_cost full;                   /**< the full handshake that created the session */
    unsigned char session[SESSION_FILE_MAX_SESSION]; /**< mbedtls_ssl_session_save()'s bytes */
    size_t session_len;                              /**< their number */
};

/**
 * @brief Parse a session file's bytes.
 * @param sf      filled.
 * @param data    the file's bytes.
 * @param len     their number.
 * @param why     on failure, one line saying what is wrong ("truncated: ...", "damaged: ...").
 * @param why_len size of @p why.
 * @return 0, or -1.
 */
int session_file_parse(struct session_file *sf, const unsigned char *data, size_t len, char *why,
                       size_t why_len);

/**
 * @brief Write a session file's bytes.
 * @param sf  what to write; its text fields must hold no newline.
 * @param out where (#SESSION_FILE_MAX bytes are always enough).
 * @param cap its size.
 * @return the number of bytes, or 0 when @p cap is too small or a field is unusable.
 */
size_t session_file_format(const struct session_file *sf, unsigned char *out, size_t cap);

/**
 * @brief Read a session file.
 * @param path    the file.
 * @param sf      filled.
 * @param missing set to 1 when the file does not exist (not an error: nothing was saved yet).
 * @param why     on failure, one line naming the cause.
 * @param why_len size of @p why.
 * @return 0, or -1.
 */
int session_file_load(const char *path, struct session_file *sf, int *missing, char *why, size_t why_len);

/**
 * @brief Write a session file: to PATH.tmp (mode 0600), then renamed to @p path.
 * @param path    the file.
 * @param sf      what to write.
 * @param why     on failure, one line naming the cause.
 * @param why_len size of @p why.
 * @return 0, or -1.
 */
int session_file_save(const char *path, const struct session_file *sf, char *why, size_t why_len);

/**
 * @brief Check, before anything runs, that @p path can be used: an existing file must be a
 *        readable regular file; a new one must go into an existing, writable directory.
 * @param path    the file.
 * @param why     on failure, one line naming the cause.
 * @param why_len size of @p why.
 * @return 0, or -1.
 */
int session_file_usable(const char *path, char *why, size_t why_len);

/** @brief CRC-32 (the zlib one) of @p len bytes: the header's checksum of the session. */
uint32_t session_file_crc32(const unsigned char *data, size_t len);

#endif /* WORKSHOP_SESSION_FILE_H */
