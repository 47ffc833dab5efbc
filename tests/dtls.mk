# SPDX-License-Identifier: Apache-2.0
# DTLS (issue 12): lessons 15 and 16 end to end, directly and through the
# lossy link at 20 % loss with a fixed seed, interop with OpenSSL and GnuTLS
# both ways (with certificates, and with a pre-shared key: lesson 11's
# stage), the failures the lessons explain, hostile datagrams, and the
# DTLS record headers' unit test.

# A client that sends a DTLS server datagrams that are not what they should
# be (raw UDP; it needs common/ only).
check_PROGRAMS += tests/peers/hostile_datagrams
tests_peers_hostile_datagrams_SOURCES = tests/peers/hostile_datagrams.c
tests_peers_hostile_datagrams_LDADD = common/libcommon.a
# A DTLS server that answers ClientHellos with HelloVerifyRequests only:
# once (then silence), or always, with a new cookie each time.
check_PROGRAMS += tests/peers/hostile_dtls_server
tests_peers_hostile_dtls_server_SOURCES = tests/peers/hostile_dtls_server.c
tests_peers_hostile_dtls_server_LDADD = common/libcommon.a
# The DTLS plumbing of common/: record headers, the lossy link's fates, the
# timers on a virtual clock, the transport's datagram mode; it replays the
# fuzz target's corpus (fuzz/corpus/dtls_record/) through the target.
check_PROGRAMS += tests/test_dtls
tests_test_dtls_SOURCES = tests/test_dtls.c tests/unit.h
tests_test_dtls_LDADD = common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
TESTS += tests/test_dtls

DTLS_TESTS = \
	tests/dtls_lessons.test \
	tests/dtls_lossy.test \
	tests/dtls_failures.test \
	tests/dtls_hostile.test \
	tests/dtls_interop.test \
	tests/dtls_psk_interop.test \
	tests/lossy_link.test
TESTS += $(DTLS_TESTS)
EXTRA_DIST += $(DTLS_TESTS)
