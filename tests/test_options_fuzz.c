/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_options_fuzz.c
 * @brief Regression tests for what fuzz/fuzz_options found in common/options.c.
 *
 * - A short option such as `-x` (or `-abc`) crashed every lesson: getopt
 *   reports the unknown character in optopt, which the parser used as an
 *   index into its table of long options (UBSan: index -159).
 * - Parsing a second command line after one that stopped inside "-abc" left
 *   getopt pointing into the first, possibly freed, argv.
 *
 * Also replays the seed corpus fuzz/corpus/options through the fuzz target's
 * checks ($srcdir/fuzz/corpus/options). Usage lines printed meanwhile are
 * expected.
 */
#include "options.h"
#include "report.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "../fuzz/fuzz_options.c"

/* Parse a copy of args on the heap, then free it, as a fresh program would. */
static int parse_copy(int argc, const char *const *args, struct options *o, int *done, char *port,
                      size_t port_len)
{
    char *argv[8];
    int ret;

    for (int i = 0; i < argc; i++)
        argv[i] = strdup(args[i]);
    argv[argc] = NULL;
    ret = options_parse(argc, argv, OPTS_CERTS | OPTS_CONFIG | OPTS_CONNECT, "test", o, done);
    snprintf(port, port_len, "%s", o->port != NULL ? o->port : "");
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    return ret;
}

static void test_short_options(void)
{
    static const char *const unknown[] = {"lesson", "-x"};
    static const char *const cluster[] = {"lesson", "-abc"};
    static const char *const good[] = {"lesson", "--port", "8443"};
    struct options o;
    char port[16];
    int done;

    CHECK_EQ_INT(parse_copy(2, unknown, &o, &done, port, sizeof(port)), WS_EXIT_USAGE);
    CHECK_EQ_INT(done, 1);
    CHECK_EQ_INT(parse_copy(2, cluster, &o, &done, port, sizeof(port)), WS_EXIT_USAGE);
    /* The next command line is read afresh, not from inside the freed "-abc". */
    CHECK_EQ_INT(parse_copy(3, good, &o, &done, port, sizeof(port)), WS_EXIT_OK);
    CHECK_EQ_INT(done, 0);
    CHECK_STR_EQ(port, "8443");
}

static void test_replay_corpus(void)
{
    int replayed = unit_replay_corpus("fuzz/corpus/options", LLVMFuzzerTestOneInput);

    CHECK_MSG(replayed >= 10, "at least ten inputs of fuzz/corpus/options replayed without a broken promise");
}

int main(void)
{
    test_short_options();
    test_replay_corpus();
    return unit_done();
}
