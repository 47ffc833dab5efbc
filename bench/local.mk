# SPDX-License-Identifier: Apache-2.0
# bench/local.mk: TLS benchmarks on Google Benchmark (included from the top
# Makefile.am).
#
#   make bench            full matrix, 9 repetitions of each benchmark
#                         (about 6-8 minutes on 2 cores), then the report
#   make bench-quick      every family once with a short minimum time (< 30 s)
#   make bench-callgrind  instruction counts per handshake (repeatable)
#   make bench-capacity   the lesson server's CPU per handshake under openssl
#                         s_time load, handshakes per second and latency
#                         percentiles with 1 and 2 threads, beside openssl
#                         s_server (about a minute)
#
# Results go to the build tree: bench/results/<mode>.json and
# bench/results/<mode>/report.md with PNG and SVG charts.
# BENCH_FLAGS adds Google Benchmark flags, e.g.
#   make bench BENCH_FLAGS=--benchmark_filter=handshake/
# and WS_BENCH_TRANSPORT=tcp switches to loopback TCP.

# The in-memory transport (common/mem_transport.c) is general plumbing, so it
# is part of libcommon whether or not the benchmarks are built.
check_PROGRAMS += tests/test_mem_transport
TESTS += tests/test_mem_transport tests/bench_smoke.test tests/bench_report.test tests/bench_massif.test \
	tests/bench_docs.test tests/bench_dtls.test tests/bench_stack.test tests/bench_capacity.test

EXTRA_DIST += bench/run.sh bench/report.sh bench/report-lib.sh bench/compare.sh bench/callgrind.sh bench/normalize.jq \
	bench/capacity.sh \
	bench/charts.sh bench/recommend.jq \
	bench/docs_section.sh \
	bench/testdata/sample.json bench/testdata/sample-b.json \
	bench/testdata/summary.md bench/testdata/callgrind.md \
	tests/bench_smoke.test tests/bench_report.test tests/bench_massif.test tests/bench_docs.test \
	tests/bench_dtls.test tests/bench_stack.test tests/bench_capacity.test
CLEAN_LOCAL_DIRS += bench/results
PHONY_TARGETS += bench bench-quick bench-callgrind bench-capacity

if HAVE_BENCHMARK
noinst_PROGRAMS += bench/tls_bench
bench_tls_bench_SOURCES = bench/tls_bench.c bench/tls_pair.c bench/tls_pair.h \
	bench/heap.c bench/heap.h bench/heap_ledger.c bench/heap_ledger.h bench/stack.c bench/stack.h \
	bench/shim.cc bench/shim.h bench/ref_pair.c bench/ref_pair.h
# The reference family (bench/ref_pair.h), each library where configure found
# it. OpenSSL comes first in the link: a few SSL_* names exist in both
# libraries, and OpenSSL's own calls must find OpenSSL's.
if REF_OPENSSL
bench_tls_bench_SOURCES += bench/ref_openssl.c
endif
if REF_WOLFSSL
bench_tls_bench_SOURCES += bench/ref_wolfssl.c
endif
bench_tls_bench_CPPFLAGS = $(AM_CPPFLAGS) $(BENCHMARK_CFLAGS) $(BENCH_HEAP_CPPFLAGS) $(REF_OPENSSL_CFLAGS) \
	$(REF_WOLFSSL_CFLAGS)
# The static mbedTLS libraries, wrapped (see m4/ws_bench.m4), instead of
# $(MBEDTLS_LIBS).
# Both ends are built by the lessons' stages (lessons/liblessons.a). The wrap
# applies to every object in the link, ours too: heap.c charges only blocks
# allocated with calloc() while a side is running, and lets free() of any
# other block pass through.
bench_tls_bench_LDADD = lessons/liblessons.a common/libcommon.a $(BENCH_MBEDTLS_LINK) $(BENCHMARK_LIBS) \
	$(REF_OPENSSL_LIBS) $(REF_WOLFSSL_LIBS) $(PTHREAD_LIBS)

bench: bench/tls_bench certs/pki.stamp
	TARGET_RUN='$(TARGET_RUN)' bash $(srcdir)/bench/run.sh full bench/tls_bench bench/results $(BENCH_FLAGS)

bench-quick: bench/tls_bench certs/pki.stamp
	TARGET_RUN='$(TARGET_RUN)' bash $(srcdir)/bench/run.sh quick bench/tls_bench bench/results $(BENCH_FLAGS)

bench-callgrind: bench/tls_bench certs/pki.stamp
	bash $(srcdir)/bench/callgrind.sh bench/tls_bench bench/results/callgrind.md

# Five seconds of load per server and round, three rounds; the in-memory
# figure from the last full (or quick) run, if there is one. The next
# report of that run includes bench/results/capacity.md.
bench-capacity: lessons/08_server tests/peers/load_client bench/tls_bench certs/pki.stamp
	OPENSSL='$(OPENSSL)' bash $(srcdir)/bench/capacity.sh . bench/results 5 3 \
	  $$(ls bench/results/full.json bench/results/quick.json 2>/dev/null | head -n 1)

# The "This build" section of the docs' benchmark page (docs/local.mk makes
# the site depend on it): a bench-quick run of this very binary, made again
# only when the binary or the scripts change. About 20 s on 2 cores; its
# output goes to bench/results/docs-quick.log. Then the link model's check
# against lesson 06 through tools/lossy_link, twice at each of two links
# (bench/link_validate.sh, about 11 s, not under an emulator), for the same
# section; its output goes to bench/results/docs-link.log.
bench/results/docs/this-build.md: bench/tls_bench certs/pki.stamp $(srcdir)/bench/run.sh \
		$(srcdir)/bench/report.sh $(srcdir)/bench/report-lib.sh $(srcdir)/bench/normalize.jq $(srcdir)/bench/docs_section.sh \
		$(srcdir)/bench/charts.sh $(srcdir)/bench/recommend.jq \
		$(srcdir)/bench/link_model.jq $(srcdir)/bench/link_validate.sh lessons/06_read_write lessons/08_server \
		tools/lossy_link
	$(AM_V_GEN)mkdir -p bench/results && \
	if command -v jq >/dev/null; then \
	  bash $(srcdir)/bench/run.sh quick bench/tls_bench bench/results >bench/results/docs-quick.log 2>&1 || \
	    { cat bench/results/docs-quick.log >&2; exit 1; }; \
	  rm -f bench/results/docs/link-validation.md; \
	  if test -z '$(TARGET_RUN)'; then \
	    bash $(srcdir)/bench/link_validate.sh . bench/results/quick/summary.json bench/results/docs 2 \
	      >bench/results/docs-link.log 2>&1 || { cat bench/results/docs-link.log >&2; exit 1; }; \
	  fi; \
	  bash $(srcdir)/bench/docs_section.sh bench/results/docs bench/results/quick; \
	else \
	  bash $(srcdir)/bench/docs_section.sh bench/results/docs --note \
	    'The benchmarks were built, but jq (which bench/report.sh needs) was not installed when the site was built.'; \
	fi
else
bench/results/docs/this-build.md: $(srcdir)/bench/docs_section.sh Makefile
	$(AM_V_GEN)bash $(srcdir)/bench/docs_section.sh bench/results/docs --note \
	  'bench/tls_bench was not built in this configuration: configure found no Google Benchmark (Debian: libbenchmark-dev) or was given --disable-bench. Install it, re-run configure, and rebuild the site to see the figures of this build here.'

bench bench-quick bench-callgrind bench-capacity:
	@echo "The benchmarks need Google Benchmark (libbenchmark-dev); configure did not find it." >&2
	@exit 1
endif

# The stored full runs of both mbedTLS versions and their instruction counts,
# taken one after the other by scripts/store-bench.sh; the docs' benchmark
# page is made from them (docs/local.mk: BENCH_STORED_RUN, BENCH_STORED_OLD).
EXTRA_DIST += bench/testdata/stored-3.6.json bench/testdata/stored-2.28.json \
	bench/testdata/callgrind-3.6.md bench/testdata/callgrind-2.28.md \
	scripts/store-bench.sh scripts/store-bench.jq

# The link model (bench/link_model.jq: time to the first application byte
# over named links, the report's "Over a real link" section) and its check
# against lesson 06 through tools/lossy_link (bench/link_validate.sh).
TESTS += tests/link_model.test
EXTRA_DIST += bench/link_model.jq bench/link_validate.sh tests/link_model.test
