/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_options.c
 * @brief libFuzzer target for the command-line parser (common/options.c).
 *
 * Input format: the first byte picks the option groups (its low five bits,
 * as a lesson or the server would pass them); the rest is split at NUL bytes
 * into arguments, at most FUZZ_MAX_ARGS of them, after a fixed argv[0]. Each
 * argument is copied into its own allocation so that AddressSanitizer sees
 * any read past its end. options_parse() is called twice per input, the way
 * a test program that parses several command lines would, so state left in
 * getopt by one call must not reach into the next (freed) argv.
 *
 * Besides "no crash", the parser's promises are checked: on success the
 * strings are set, numbers are in their documented ranges and the
 * cipher-suite list is 0-terminated.
 *
 * options_parse() prints usage and error lines; the target asks libFuzzer to
 * close the program's stdout and stderr (-close_fd_mask=3) so that runs stay
 * quiet and fast; libFuzzer's own reports still appear.
 */
#include "fuzz_flags.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>

/** @brief Most arguments built from one input. */
#define FUZZ_MAX_ARGS 32

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* libFuzzer reads its flags after calling this, so one can be added here. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char quiet[] = "-close_fd_mask=3";

    fuzz_add_flag(argc, argv, quiet);
    return 0;
}

static void fuzz_options_check(int ret, int done, const struct options *o)
{
    if (done)
        return;
    if (ret != 0 || o->program == NULL || o->host == NULL || o->port == NULL || o->servername == NULL ||
        o->path == NULL || o->path[0] != '/' || o->ca_file == NULL || o->bind_address == NULL)
        abort();
    if (o->timeout_ms < 1 || o->timeout_ms > 3600000 || o->debug_level < 0 || o->debug_level > 4 ||
        o->threads < 1 || o->threads > 256 || o->max_connections < 0)
        abort();
    if ((o->cert_file == NULL) != (o->key_file == NULL))
        abort();
    for (int i = 0; o->ciphersuites[i] != 0; i++)
        if (i >= OPTIONS_MAX_CIPHERSUITES)
            abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static char program[] = "fuzz_options";
    char *argv[FUZZ_MAX_ARGS + 2];
    struct options o;
    unsigned groups;
    int argc = 1, done, ret;
    size_t start = 1;

    if (size == 0)
        return 0;
    groups = data[0] & 0x1f;
    argv[0] = program;
    while (start < size && argc <= FUZZ_MAX_ARGS) {
        const unsigned char *nul = memchr(data + start, '\0', size - start);
        size_t len = nul ? (size_t) (nul - (data + start)) : size - start;
        char *arg = malloc(len + 1);

        if (arg == NULL)
            break;
        memcpy(arg, data + start, len);
        arg[len] = '\0';
        argv[argc++] = arg;
        start += len + 1;
    }
    argv[argc] = NULL;

    for (int round = 0; round < 2; round++) {
        ret = options_parse(argc, argv, groups, "fuzzing options_parse", &o, &done);
        fuzz_options_check(ret, done, &o);
    }
    for (int i = 1; i < argc; i++)
        free(argv[i]);
    return 0;
}
