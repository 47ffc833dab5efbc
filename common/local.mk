# SPDX-License-Identifier: Apache-2.0
# common/: plumbing that is no lesson's subject (docs/ARCHITECTURE.md), as one
# library. Every file of it is in this one list.
noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/address.c common/address.h \
	common/clock.c common/clock.h \
	common/compat.h \
	common/debug_log.c common/debug_log.h \
	common/dtls_record.c common/dtls_record.h \
	common/dtls_timer.c common/dtls_timer.h \
	common/explain.c common/explain.h \
	common/http.c common/http.h \
	common/keylog.c common/keylog.h \
	common/locked_rng.c common/locked_rng.h \
	common/lossy.c common/lossy.h \
	common/mem_transport.c common/mem_transport.h \
	common/options.c common/options.h \
	common/record_decoder.h $(DECODER_FILES) \
	common/psk_keys.c common/psk_keys.h \
	common/report.c common/report.h \
	common/session_file.c common/session_file.h \
	common/stop_signal.c common/stop_signal.h \
	common/tls_names.c common/tls_names.h $(TLS_NAMES_TABLES) \
	common/trace_bio.c common/trace_bio.h

# The record decoder behind --trace, one file per layer (common/decoder/decoder.h says which), and
# the registry tables it names numbers with: data, one file per registry (common/tls_names.h).
# The fuzz target (fuzz/local.mk) compiles the same lists.
DECODER_FILES = \
	common/decoder/datagrams.c \
	common/decoder/decoder.h \
	common/decoder/extensions.c \
	common/decoder/handshake.c \
	common/decoder/hellos.c \
	common/decoder/reader.c \
	common/decoder/records.c \
	common/decoder/text.c \
	common/decoder/x509.c
TLS_NAMES_TABLES = \
	common/tls_names/alerts.def \
	common/tls_names/cipher_suites.def \
	common/tls_names/content_types.def \
	common/tls_names/extensions.def \
	common/tls_names/groups.def \
	common/tls_names/handshake_types.def \
	common/tls_names/signature_schemes.def \
	common/tls_names/versions.def

# The record decoder's unit test. It reads captured records through $(srcdir)
# and includes the fuzz target, to replay fuzzer findings with the fuzzer's own
# input format.
check_PROGRAMS += tests/test_record_decoder
tests_test_record_decoder_SOURCES = tests/test_record_decoder.c tests/unit.h
TESTS += tests/test_record_decoder
EXTRA_DIST += tests/data/records tests/data/certs fuzz/fuzz_record_decoder.c

# The registry tables: order and lookups, and the names against Wireshark's copy of the
# registries when tshark is installed (the test says why not IANA's own lists).
check_PROGRAMS += tests/test_tls_names
tests_test_tls_names_SOURCES = tests/test_tls_names.c tests/unit.h
TESTS += tests/test_tls_names
