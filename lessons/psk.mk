# SPDX-License-Identifier: Apache-2.0
# Lesson 11: pre-shared keys. The client is 11_psk (11_psk_refusal.c names
# the cause of a refused key; its connections are measured.c's, shared with
# lessons 10 and 12); the server's side is
# lessons/08_server_psk.c (08_server --psk-file). The key file parser is
# common/psk_keys.c, fuzzed by fuzz/fuzz_psk_keys.c.
noinst_PROGRAMS += lessons/11_psk
lessons_11_psk_SOURCES = lessons/11_psk.c lessons/11_psk_refusal.c lessons/11_psk.h lessons/measured.c \
	lessons/measured.h

# The keys of two test devices, random per build like the PKI (never
# distributed, readable by the owner only): lines of identity:hexkey, the
# format of 08_server --psk-file and of gnutls-serv --pskpasswd.
noinst_DATA += certs/psk-keys.txt
certs/psk-keys.txt:
	$(AM_V_GEN)$(MKDIR_P) certs && umask 077 && \
	{ echo '# Pre-shared keys of the test devices (lesson 11): identity:hexkey'; \
	  for id in sensor-01 sensor-02; do \
	    printf '%s:%s\n' $$id `od -An -N32 -tx1 /dev/urandom | tr -d ' \n'`; \
	  done; } >$@.tmp && mv $@.tmp $@
CLEANFILES += certs/psk-keys.txt

# The key file parser's unit test; it replays fuzz/corpus/psk_keys through the fuzz target.
check_PROGRAMS += tests/test_psk_keys
tests_test_psk_keys_SOURCES = tests/test_psk_keys.c tests/unit.h
tests_test_psk_keys_LDADD = common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
TESTS += tests/test_psk_keys

# End to end: lesson 11 against 08_server --psk-file, and against OpenSSL
# and GnuTLS peers (both directions); the benchmark's PSK rows.
PSK_TESTS = tests/lesson11.test tests/psk_interop.test tests/psk_bench.test
TESTS += $(PSK_TESTS)
EXTRA_DIST += $(PSK_TESTS)

# What runs lesson 11 needs the keys, whatever else was built.
check-valgrind docs/out/capture.stamp: certs/psk-keys.txt
