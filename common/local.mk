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
	common/dtls_trace.c common/dtls_trace.h \
	common/explain.c common/explain.h \
	common/http.c common/http.h \
	common/keylog.c common/keylog.h \
	common/locked_rng.c common/locked_rng.h \
	common/lossy.c common/lossy.h \
	common/mem_transport.c common/mem_transport.h \
	common/options.c common/options.h \
	common/record_decoder.c common/record_decoder.h \
	common/report.c common/report.h \
	common/trace_bio.c common/trace_bio.h

# The record decoder's unit test. It reads captured records through $(srcdir)
# and includes the fuzz target, to replay fuzzer findings with the fuzzer's own
# input format.
check_PROGRAMS += tests/test_record_decoder
tests_test_record_decoder_SOURCES = tests/test_record_decoder.c tests/unit.h
TESTS += tests/test_record_decoder
EXTRA_DIST += tests/data/records fuzz/fuzz_record_decoder.c
