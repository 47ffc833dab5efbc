# SPDX-License-Identifier: Apache-2.0
# Lesson 09 (debugging) and the tests of the debugging aids (the --trace tap,
# the key log, error and alert explanations, all in common/local.mk).

# Lesson 09 is compiled like the others (see lessons/local.mk); its stages
# are not reused by later lessons, so it stays out of liblessons.a.
noinst_PROGRAMS += lessons/09_debugging

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
