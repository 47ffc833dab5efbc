# SPDX-License-Identifier: Apache-2.0
# Lesson 14: what one connection costs in RAM. It counts mbedTLS's heap with
# the benchmark's allocator wrapper (bench/heap.c), so it links the static
# mbedTLS libraries with -Wl,--wrap=calloc,--wrap=free (m4/ws_heap_wrap.m4:
# HEAP_WRAP_LINK); its table runs both ends in one process with the
# benchmark's pair (bench/tls_pair.c). Without static libraries it is built
# all the same, and says why it cannot count (exit 77).
noinst_PROGRAMS += lessons/14_small_ram
lessons_14_small_ram_SOURCES = lessons/14_small_ram.c lessons/14_small_ram.h lessons/14_small_ram_table.c \
	bench/tls_pair.c bench/tls_pair.h bench/heap.c bench/heap.h bench/heap_ledger.c bench/heap_ledger.h \
	bench/stack.c bench/stack.h
lessons_14_small_ram_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/bench $(HEAP_WRAP_CPPFLAGS)
lessons_14_small_ram_LDADD = lessons/liblessons.a common/libcommon.a $(HEAP_WRAP_LINK) $(PTHREAD_LIBS)

SMALL_RAM_TESTS = \
	tests/lesson14.test
TESTS += $(SMALL_RAM_TESTS)
EXTRA_DIST += $(SMALL_RAM_TESTS)
