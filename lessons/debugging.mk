# SPDX-License-Identifier: Apache-2.0
# Lesson 09 (debugging) and the tests of the debugging aids (the --trace tap,
# the key log, error and alert explanations, all in common/local.mk).

# Lesson 09 is two programs, compiled like the others (see lessons/local.mk):
# 09_debugging (debug levels) and 09_mistakes (deliberate mistakes). Both
# make many connections with lessons 04-07's stages through attempt.c. Their
# code is not reused by later lessons, so it stays out of liblessons.a.
noinst_PROGRAMS += lessons/09_debugging lessons/09_mistakes
lessons_09_debugging_SOURCES = lessons/09_debugging.c lessons/attempt.c lessons/attempt.h
lessons_09_mistakes_SOURCES = lessons/09_mistakes.c lessons/09_mistakes.h lessons/09_mistakes_runner.c \
	lessons/attempt.c lessons/attempt.h

DEBUGGING_TESTS = \
	tests/debug_levels.test \
	tests/debug_mistakes.test \
	tests/trace_handshake.test \
	tests/trace_server.test \
	tests/keylog_format.test \
	tests/keylog_tshark.test \
	tests/hello_page.test
TESTS += $(DEBUGGING_TESTS)
EXTRA_DIST += $(DEBUGGING_TESTS)
