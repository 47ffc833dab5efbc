# SPDX-License-Identifier: Apache-2.0
# Tests of the foundation: lessons 01-08, their errors, interop with real
# peers, the tour. Shared shell helpers live in tests/lib.sh.
check_PROGRAMS += tests/plain_http_server
tests_plain_http_server_SOURCES = tests/plain_http_server.c

FOUNDATION_TESTS = \
	tests/lessons_offline.test \
	tests/usage.test \
	tests/lessons_online.test \
	tests/server_concurrent.test \
	tests/failures.test \
	tests/client_auth.test \
	tests/interop_servers.test \
	tests/interop_clients.test \
	tests/tour.test
TESTS += $(FOUNDATION_TESTS)
EXTRA_DIST += $(FOUNDATION_TESTS) tests/lib.sh .shellcheckrc

# The house style: every script passes shellcheck, every C file follows
# .clang-format (with the clang-format it names), every snippet marker is used
# by a docs page and every @snippet finds its marker.
TESTS += tests/style.test
EXTRA_DIST += tests/style.test

# Unit tests of common/.
check_PROGRAMS += tests/test_common
tests_test_common_SOURCES = tests/test_common.c tests/unit.h
tests_test_common_LDADD = common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
TESTS += tests/test_common

# The time limits of the shell tests follow the machine's measured speed
# (tests/lib.sh); the measurement is kept here for the tests of one run.
CLEANFILES += tests/time-scale.txt tests/time-scale.txt.lock tests/*.passed

# `make check-under-load`: `make check` three times in a row while every core
# is kept busy, the proof that no test needs a quiet machine (CI runs it).
EXTRA_DIST += scripts/check-under-load.sh
PHONY_TARGETS += check-under-load
check-under-load:
	@bash $(srcdir)/scripts/check-under-load.sh $(abs_top_builddir) 3
