/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_tls_fuzz.c
 * @brief The TLS fuzz targets without libFuzzer: recorded conversations replay to the end, and
 *        the seed corpora keep every promise.
 *
 * For each scenario of fuzz/tls_capture.c, the lessons' client and the lesson server talk for
 * real (two processes, a socket pair); then what the server sent is fed to fuzz_tls_client's
 * entry point and what the client sent to fuzz_tls_server's. Both must get exactly as far as in
 * the real conversation (handshakes completed, answers given and read): that is what makes the
 * targets deterministic enough for a crash to reproduce and for a seed to reach the read loop
 * and the HTTP answer. Then the committed corpora fuzz/corpus/tls_client and tls_server (the
 * same recordings, made by other builds, plus captures of other implementations from
 * tests/data/records) are replayed through the targets' checks, which abort() on a broken
 * promise ($srcdir/fuzz/corpus/...).
 */
#include "unit.h"

#include "compat.h"
#include "tls_capture.h"

/* Both targets in one program: rename their entry points. */
#define LLVMFuzzerTestOneInput fuzz_tls_client_one
#define LLVMFuzzerInitialize fuzz_tls_client_initialize
#include "../fuzz/fuzz_tls_client.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_tls_server_one
#include "../fuzz/fuzz_tls_server.c"
#undef LLVMFuzzerTestOneInput

/* The replay got as far as the live conversation. Where the live one failed, how many handshakes
 * completed may depend on timing (a TLS 1.3 client finishes its handshake before it reads the
 * server's refusal, unless the refusal is already there): then only the answers must match. */
static void check_same(const char *scenario, const char *side, const struct fuzz_tls_result *live,
                       const struct fuzz_tls_result *replay)
{
    char what[160];

    snprintf(what, sizeof(what), "%s: replayed to the %s target, %d handshake(s) and %d answer(s) again",
             scenario, side, live->handshakes, live->answers);
    CHECK_MSG(replay->answers == live->answers &&
                  (live->answers == 0 || replay->handshakes == live->handshakes),
              what);
}

static void test_captures_replay(void)
{
    char what[160];
    int ran = 0;

    for (const struct tls_scenario *sc = tls_scenarios; sc->name != NULL; sc++) {
        struct tls_capture c;

        if (sc->needs_tls13 && !COMPAT_HAVE_TLS13)
            continue;
        ran++;
        snprintf(what, sizeof(what), "%s: the live conversation runs", sc->name);
        if (!CHECK_MSG(tls_capture_run(sc, &c) == 0, what)) {
            tls_capture_free(&c);
            continue;
        }
        snprintf(what, sizeof(what), "%s: live, the client read %d answer(s)", sc->name, sc->answers);
        CHECK_MSG(c.client.answers == sc->answers, what);
        snprintf(what, sizeof(what), "%s: live, the server gave %d answer(s)", sc->name, sc->answers);
        CHECK_MSG(c.server.answers == sc->answers, what);

        fuzz_tls_client_one(c.client_input, c.client_len);
        fuzz_tls_server_one(c.server_input, c.server_len);
        if (COMPAT_HAVE_LEGACY_CRYPTO) { /* see below */
            check_same(sc->name, "client", &c.client, &fuzz_tls_client_last);
            check_same(sc->name, "server", &c.server, &fuzz_tls_server_last);
        }
        tls_capture_free(&c);
    }
#if !COMPAT_HAVE_LEGACY_CRYPTO
    /* The targets fix the CTR_DRBG and PSA's entropy (fuzz/tls_fixed.c); 4.x has neither in its
     * public API, so the replay draws other random bytes and parts from the conversation at the
     * first one. The replays above still ran through the targets' checks. */
    printf("# mbedTLS 4.x: the random generator cannot be fixed, so how far a replay gets is not compared\n");
#endif
    CHECK_MSG(ran >= 20, "at least 20 scenarios recorded and replayed");
}

/* Every committed seed and regression input through the targets' checks. */
static void test_replay_corpus(void)
{
    int client = unit_replay_corpus("fuzz/corpus/tls_client", fuzz_tls_client_one);
    int server = unit_replay_corpus("fuzz/corpus/tls_server", fuzz_tls_server_one);

    CHECK_MSG(client >= 20, "at least 20 inputs of fuzz/corpus/tls_client replayed without a broken promise");
    CHECK_MSG(server >= 20, "at least 20 inputs of fuzz/corpus/tls_server replayed without a broken promise");
}

int main(void)
{
    report_set_mode(REPORT_SILENT);
    test_captures_replay();
    test_replay_corpus();
    return unit_done();
}
