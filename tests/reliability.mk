# SPDX-License-Identifier: Apache-2.0
# Reliability and security (issue 6): the bad-certificate matrix, hostile and
# broken peers in both directions, load, and memcheck over everything.
# See docs/pages/reliability.md for what each case shows the user.

# Small peers the tests start on free loopback ports. hostile_server and
# hostile_client speak raw TCP (they need libc and common/clock.c only);
# load_client is a multi-threaded TLS client, soak_client a mix of well-behaved
# and misbehaving ones for a fixed time, and close_server a TLS server that
# completes the handshake and then closes without answering, all built on the
# lessons' stages (lessons/liblessons.a).
check_PROGRAMS += tests/peers/hostile_server tests/peers/hostile_client tests/peers/load_client \
	tests/peers/close_server tests/peers/soak_client
tests_peers_hostile_server_SOURCES = tests/peers/hostile_server.c
tests_peers_hostile_server_LDADD = common/libcommon.a
tests_peers_hostile_client_SOURCES = tests/peers/hostile_client.c
tests_peers_hostile_client_LDADD = common/libcommon.a
tests_peers_load_client_SOURCES = tests/peers/load_client.c tests/peers/https_get.c tests/peers/https_get.h
tests_peers_load_client_LDADD = lessons/liblessons.a common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
tests_peers_soak_client_SOURCES = tests/peers/soak_client.c tests/peers/https_get.c tests/peers/https_get.h
tests_peers_soak_client_LDADD = lessons/liblessons.a common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
tests_peers_close_server_SOURCES = tests/peers/close_server.c
tests_peers_close_server_LDADD = lessons/liblessons.a common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)

# Unit tests of the HTTP and option parsers, with the inputs fuzzing found;
# they replay the seed corpora through the fuzz targets' own checks.
check_PROGRAMS += tests/test_http tests/test_options_fuzz
tests_test_http_SOURCES = tests/test_http.c tests/unit.h
tests_test_http_LDADD = common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
tests_test_options_fuzz_SOURCES = tests/test_options_fuzz.c tests/unit.h
tests_test_options_fuzz_LDADD = common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
TESTS += tests/test_http tests/test_options_fuzz

# The TLS fuzz targets without libFuzzer: conversations recorded live replay to the same end
# through both, and their corpora keep every promise (fuzz/local.mk builds the targets).
check_PROGRAMS += tests/test_tls_fuzz
tests_test_tls_fuzz_SOURCES = tests/test_tls_fuzz.c tests/unit.h fuzz/tls_capture.c fuzz/tls_client_end.c \
	fuzz/tls_server_end.c fuzz/tls_fixed.c $(SERVER_MACHINERY_FILES)
tests_test_tls_fuzz_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/fuzz
TESTS += tests/test_tls_fuzz

RELIABILITY_TESTS = \
	tests/badcert_server.test \
	tests/badcert_client.test \
	tests/hostile_servers.test \
	tests/hostile_clients.test \
	tests/load.test \
	tests/load_sigterm.test \
	tests/load_truncation.test \
	tests/lesson06_limits.test
TESTS += $(RELIABILITY_TESTS)
EXTRA_DIST += $(RELIABILITY_TESTS) tests/valgrind.supp scripts/check-valgrind.sh

# `make check-load`: the full load test, 64 clients x 25 requests each with a
# full handshake, with the default groups and then with P-256 only (`make
# check` runs a smaller round of the same test).
PHONY_TARGETS += check-load
check-load: lessons/08_server tests/peers/load_client certs/pki.stamp
	@$(AM_TESTS_ENVIRONMENT) LOAD_CLIENTS=64; LOAD_REQUESTS=25; LOAD_ALSO_P256=1; \
	export LOAD_CLIENTS LOAD_REQUESTS LOAD_ALSO_P256; \
	bash $(srcdir)/tests/load.test

# `make check-soak`: two minutes (scaled to the machine's speed) of 64 clients, well-behaved and
# not, against two lesson servers; memory, descriptors and SIGTERM checked after (tests/soak.test).
# Not part of `make check`, which must stay short; CI runs it.
EXTRA_DIST += tests/soak.test
PHONY_TARGETS += check-soak
check-soak: lessons/08_server tests/peers/soak_client tests/peers/hostile_client certs/pki.stamp
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/soak.test

# `make check-valgrind`: every lesson against the server, the server itself
# (stopped by SIGTERM) and the C unit tests under memcheck; any error or
# definite/indirect leak fails.
PHONY_TARGETS += check-valgrind
CLEAN_LOCAL_DIRS += check-valgrind
check-valgrind: $(noinst_PROGRAMS) $(check_PROGRAMS) certs/pki.stamp
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/scripts/check-valgrind.sh $(check_PROGRAMS)

# The transcripts docs/pages/reliability.md shows (@verbinclude
# docs/reliability/NAME.txt): a few representative cases rerun for real when
# the pages are built, so the page never shows typed-in output or figures.
CLEAN_LOCAL_DIRS += docs/reliability
EXTRA_DIST += scripts/capture-reliability.sh
if HAVE_DOXYGEN
docs/reliability/capture.stamp: $(noinst_PROGRAMS) tests/peers/hostile_server tests/peers/hostile_client \
		tests/peers/load_client certs/pki.stamp $(srcdir)/scripts/capture-reliability.sh \
		$(srcdir)/scripts/capture-lib.sh
	$(AM_V_GEN)rm -rf docs/reliability && \
	bash $(srcdir)/scripts/capture-reliability.sh '$(abs_top_builddir)' docs/reliability >/dev/null && \
	touch $@
docs/html/index.html: docs/reliability/capture.stamp
endif
