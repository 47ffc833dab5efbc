# SPDX-License-Identifier: Apache-2.0
# Lesson 10: TLS 1.3 and resumption with a session ticket. It is built with
# every mbedTLS; without TLS 1.3 (2.28) it explains why and exits 77, which
# its test counts as skipped.
# Its connections are measured.c's, which lessons 11 and 12 share.
noinst_PROGRAMS += lessons/10_tls13
lessons_10_tls13_SOURCES = lessons/10_tls13.c lessons/measured.c lessons/measured.h

TESTS += tests/lesson10.test
EXTRA_DIST += tests/lesson10.test
