# SPDX-License-Identifier: Apache-2.0
# The TLS record decoder behind the lessons' --trace option, and its unit test.
# Included by the top-level Makefile.am; paths are relative to the top directory.

common_libcommon_a_SOURCES += common/record_decoder.c common/record_decoder.h

check_PROGRAMS += tests/test_record_decoder
tests_test_record_decoder_SOURCES = tests/test_record_decoder.c tests/unit.h
tests_test_record_decoder_LDADD = common/libcommon.a
TESTS += tests/test_record_decoder

# Captured records the test reads through $(srcdir); the test also includes the fuzz target, to
# replay fuzzer findings with the fuzzer's own input format.
EXTRA_DIST += tests/data/records fuzz/fuzz_record_decoder.c
