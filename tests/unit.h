/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file unit.h
 * @brief Tiny helpers for C unit tests run by Automake's test harness.
 *
 * Each check prints one TAP-style line, `ok 3 - description` or
 * `not ok 4 - description (file.c:42)` followed by `#` lines saying what was found; the harness
 * keeps them in the test's `.log` file. A test program ends with `return unit_done();`, which
 * prints the plan and returns the exit status Automake expects: 0 when every check passed, 1 when
 * one failed. Return #UNIT_SKIP (77) to report the test as skipped.
 *
 * @code
 * #include "unit.h"
 *
 * int main(void)
 * {
 *     CHECK_EQ_INT(1 + 1, 2);
 *     CHECK_STR_CONTAINS("hello world", "world");
 *     return unit_done();
 * }
 * @endcode
 *
 * Include it from one source file per test program: the counters are static.
 */
#ifndef WORKSHOP_UNIT_H
#define WORKSHOP_UNIT_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** @brief Exit status that makes Automake's harness report a test as skipped. */
#define UNIT_SKIP 77

/** @brief Checks run so far. */
static int unit_checks;
/** @brief Checks that failed so far. */
static int unit_failures;

/**
 * @brief Record one check and print its TAP line.
 * @param ok   Nonzero when the check passed.
 * @param desc What was checked.
 * @param file Source file of the check.
 * @param line Source line of the check.
 * @return ok, normalised to 0 or 1, so callers can stop early on failure.
 */
static inline int unit_check(int ok, const char *desc, const char *file, int line)
{
    unit_checks++;
    if (ok) {
        printf("ok %d - %s\n", unit_checks, desc);
        return 1;
    }
    unit_failures++;
    printf("not ok %d - %s (%s:%d)\n", unit_checks, desc, file, line);
    return 0;
}

/**
 * @brief Check two integers for equality; on failure print both values.
 * @param a    Value found.
 * @param b    Value expected.
 * @param desc What was compared.
 * @param file Source file of the check.
 * @param line Source line of the check.
 * @return 1 if equal, else 0.
 */
static inline int unit_check_eq_int(long long a, long long b, const char *desc, const char *file, int line)
{
    if (unit_check(a == b, desc, file, line)) {
        return 1;
    }
    printf("#   got %lld (0x%llx), expected %lld (0x%llx)\n", a, (unsigned long long) a, b,
           (unsigned long long) b);
    return 0;
}

/**
 * @brief Check that two strings are equal (NULL never equals anything).
 * @param a    String found.
 * @param b    String expected.
 * @param desc What was compared.
 * @param file Source file of the check.
 * @param line Source line of the check.
 * @return 1 if equal, else 0.
 */
static inline int unit_check_str_eq(const char *a, const char *b, const char *desc, const char *file,
                                    int line)
{
    if (unit_check(a != NULL && b != NULL && strcmp(a, b) == 0, desc, file, line)) {
        return 1;
    }
    printf("#   got \"%s\", expected \"%s\"\n", a ? a : "(null)", b ? b : "(null)");
    return 0;
}

/**
 * @brief Check that needle occurs in haystack; on failure show the start of haystack.
 * @param haystack Text searched (NULL fails).
 * @param needle   Text looked for.
 * @param desc     What was looked for.
 * @param file     Source file of the check.
 * @param line     Source line of the check.
 * @return 1 if found, else 0.
 */
static inline int unit_check_str_contains(const char *haystack, const char *needle, const char *desc,
                                          const char *file, int line)
{
    if (unit_check(haystack != NULL && strstr(haystack, needle) != NULL, desc, file, line)) {
        return 1;
    }
    printf("#   \"%s\" not found in:\n#   %.600s\n", needle, haystack ? haystack : "(null)");
    return 0;
}

/** @brief Check that cond holds; the condition's source text is the description. */
#define CHECK(cond) unit_check((cond) != 0, #cond, __FILE__, __LINE__)
/** @brief Check that cond holds, with a description of your own. */
#define CHECK_MSG(cond, desc) unit_check((cond) != 0, (desc), __FILE__, __LINE__)
/** @brief Check that two integer expressions are equal. */
#define CHECK_EQ_INT(a, b)                                                                                   \
    unit_check_eq_int((long long) (a), (long long) (b), #a " == " #b, __FILE__, __LINE__)
/** @brief Check that two strings are equal. */
#define CHECK_STR_EQ(a, b) unit_check_str_eq((a), (b), #a " equals " #b, __FILE__, __LINE__)
/** @brief Check that a string contains another. */
#define CHECK_STR_CONTAINS(haystack, needle)                                                                 \
    unit_check_str_contains((haystack), (needle), #haystack " contains " #needle, __FILE__, __LINE__)

/**
 * @brief Feed every file of a seed corpus to a fuzz target's entry point.
 *
 * Fuzz targets check their own promises and abort() when one breaks, so a
 * replay that returns means every input kept them.
 * @param corpus directory below $srcdir, e.g. "fuzz/corpus/http".
 * @param target the target's LLVMFuzzerTestOneInput().
 * @return how many files were replayed, or -1 if the directory cannot be opened.
 */
static inline int unit_replay_corpus(const char *corpus, int (*target)(const uint8_t *, size_t))
{
    static unsigned char data[64 * 1024];
    const char *srcdir = getenv("srcdir");
    char dir[4096], path[8192];
    struct dirent *e;
    int replayed = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/%s", srcdir ? srcdir : ".", corpus);
    d = opendir(dir);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        FILE *f;
        size_t n;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        if (f == NULL)
            continue;
        n = fread(data, 1, sizeof(data), f);
        fclose(f);
        target(data, n);
        replayed++;
    }
    closedir(d);
    return replayed;
}

/**
 * @brief Print the plan line and return the test's exit status.
 * @return 0 if every check passed, 1 if any failed or none ran.
 */
static inline int unit_done(void)
{
    printf("1..%d\n", unit_checks);
    if (unit_checks == 0) {
        printf("# no checks ran\n");
        return 1;
    }
    if (unit_failures > 0) {
        printf("# %d of %d checks failed\n", unit_failures, unit_checks);
        return 1;
    }
    return 0;
}

#endif /* WORKSHOP_UNIT_H */
