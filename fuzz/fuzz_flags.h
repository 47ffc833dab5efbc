/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fuzz_flags.h
 * @brief Add a flag to libFuzzer's command line from a target's LLVMFuzzerInitialize().
 *
 * libFuzzer reads its flags after calling LLVMFuzzerInitialize(), so a target can add one there:
 * the option targets and the TLS client target use it to close the output the code under test
 * prints (-close_fd_mask).
 */
#ifndef WORKSHOP_FUZZ_FLAGS_H
#define WORKSHOP_FUZZ_FLAGS_H

#include <stddef.h>

/**
 * @brief Replace @p argv with a copy that ends with @p flag (at most 254 of the original arguments
 *        are kept).
 * @param argc LLVMFuzzerInitialize()'s argument count, updated.
 * @param argv its argument vector, pointed at the copy (which lives for the whole run).
 * @param flag the flag to add; it must live for the whole run too.
 */
static inline void fuzz_add_flag(int *argc, char ***argv, char *flag)
{
    static char *args[256];
    int n = *argc < 254 ? *argc : 254;

    for (int i = 0; i < n; i++)
        args[i] = (*argv)[i];
    args[n++] = flag;
    args[n] = NULL;
    *argc = n;
    *argv = args;
}

#endif /* WORKSHOP_FUZZ_FLAGS_H */
