# SPDX-License-Identifier: Apache-2.0
# docs/local.mk: the documentation site (included from the top Makefile.am).
#
#   make html (or make docs)  capture real lesson output, then run Doxygen:
#                             BUILD/docs/html/index.html
#   make docs-check           build the site and check its links and images
#   make docs-screenshot      the layout check of every page in headless
#                             Chromium, then PNGs of every page at 1280 px
#                             (docs/screenshots/; see docs/screenshot.sh)
#
# The pages are docs/pages/*.dox (and *.md). Everything generated lives in the
# build tree: docs/out/ (captured transcripts), docs/html/, docs/screenshots/.
# When Doxygen was found, `make check` builds the site first (check_DATA),
# tests/docs_links.test checks its links and tests/docs_render.test scans
# every page for Markdown Doxygen did not render (docs/scan-html.pl); without
# Doxygen those tests are skipped.

# The whole pages directory is distributed, so adding a page is adding a file.
EXTRA_DIST += docs/pages docs/capture.sh scripts/capture-lib.sh docs/screenshot.sh docs/workshop.css \
	docs/scan-html.pl docs/pages-index.pl docs/msc-svg.pl docs/layout-probe.js docs/mbedtls-tag.sh \
	docs/search-externals.pl docs/glossary-links.pl docs/variant.sh docs/capture-exercises.sh \
	docs/bench-stored.sh docs/bench-versions.sh docs/doc-filter.pl \
	tests/docs_links.test tests/docs_render.test tests/docs_browser.test
TESTS += tests/docs_links.test tests/docs_render.test tests/docs_browser.test
# tests/docs_render.test builds a small Doxygen project of planted pages;
# tests/docs_browser.test lays the site out in Chromium (skipped without).
AM_TESTS_ENVIRONMENT += DOXYGEN='$(DOXYGEN)'; export DOXYGEN; CHROMIUM='$(CHROMIUM)'; export CHROMIUM;
CLEAN_LOCAL_DIRS += docs/html docs/out docs/screenshots docs/variants docs/compare-2.28 docs/bench
CLEANFILES += docs/mbedtls.tag
# Lesson 14's tables of both mbedTLS releases, stored from real runs
# (scripts/store-lesson14.sh; tests/lesson14.test checks them).
EXTRA_DIST += docs/measured scripts/store-lesson14.sh
PHONY_TARGETS += docs docs-check docs-screenshot docs-force

docs: html

if HAVE_DOXYGEN
check_DATA += docs/html/index.html

# Exercises that change a lesson's code: the lesson rebuilt with the change
# the exercise asks for (made to a copy by docs/variant.sh, which fails when
# the change no longer applies), so that their solutions are real runs too.
DOCS_VARIANTS = docs/variants/01_init$(EXEEXT) docs/variants/05_verify_optional$(EXEEXT) \
	docs/variants/07_cleanup$(EXEEXT) docs/variants/13_nonblocking$(EXEEXT)
DOCS_VARIANT_LINK = $(COMPILE) $(AM_LDFLAGS) $(LDFLAGS) -o $@
docs/variants/01_init.c: $(srcdir)/lessons/01_init.c $(srcdir)/docs/variant.sh
	$(AM_V_GEN)$(SHELL) $(srcdir)/docs/variant.sh $(srcdir)/lessons/01_init.c $@ \
	  's/"mbedtls-workshop"/"another-program"/'
docs/variants/01_init$(EXEEXT): docs/variants/01_init.c $(LDADD_DEPS)
	$(AM_V_CCLD)$(DOCS_VARIANT_LINK) docs/variants/01_init.c $(LDADD) $(LIBS)
docs/variants/03_config.c: $(srcdir)/lessons/03_config.c $(srcdir)/docs/variant.sh
	$(AM_V_GEN)$(SHELL) $(srcdir)/docs/variant.sh $(srcdir)/lessons/03_config.c $@ \
	  's/? MBEDTLS_SSL_VERIFY_REQUIRED :/? MBEDTLS_SSL_VERIFY_OPTIONAL :/'
# Lesson 05's own object, with the changed stage 03 in front of the library.
docs/variants/05_verify_optional$(EXEEXT): docs/variants/03_config.c lessons/05_handshake.$(OBJEXT) $(LDADD_DEPS)
	$(AM_V_CCLD)$(DOCS_VARIANT_LINK) -DLESSON_LIBRARY lessons/05_handshake.$(OBJEXT) docs/variants/03_config.c \
	  $(LDADD) $(LIBS)
docs/variants/07_cleanup.c: $(srcdir)/lessons/07_cleanup.c $(srcdir)/docs/variant.sh
	$(AM_V_GEN)$(SHELL) $(srcdir)/docs/variant.sh $(srcdir)/lessons/07_cleanup.c $@ \
	  's|^\( *\)mbedtls_x509_crt_free(&s->ca_chain);|\1/* mbedtls_x509_crt_free(\&s->ca_chain); */|'
docs/variants/07_cleanup$(EXEEXT): docs/variants/07_cleanup.c $(LDADD_DEPS)
	$(AM_V_CCLD)$(DOCS_VARIANT_LINK) docs/variants/07_cleanup.c $(LDADD) $(LIBS)
docs/variants/13_nonblocking.c: $(srcdir)/lessons/13_nonblocking.c $(srcdir)/docs/variant.sh
	$(AM_V_GEN)$(SHELL) $(srcdir)/docs/variant.sh $(srcdir)/lessons/13_nonblocking.c $@ \
	  's|if (mbedtls_ssl_check_pending(&c->ssl)) {|if (0) { /* was: mbedtls_ssl_check_pending(\&c->ssl) */|'
docs/variants/13_nonblocking$(EXEEXT): docs/variants/13_nonblocking.c $(LDADD_DEPS)
	$(AM_V_CCLD)$(DOCS_VARIANT_LINK) docs/variants/13_nonblocking.c $(LDADD) $(LIBS)
LDADD_DEPS = lessons/liblessons.a common/libcommon.a

# mbedTLS 2.28 next to this build's release (configure: --disable-docs-compare
# turns it off): the client lessons configured and built again against the
# system's 2.28 in docs/compare-2.28, once (about 25 s), then kept up to date.
if DOCS_COMPARE_228
docs/compare-2.28/stamp: $(noinst_PROGRAMS)
	$(AM_V_GEN)mkdir -p docs/compare-2.28 && cd docs/compare-2.28 && \
	{ test -f Makefile || \
	  '$(abs_top_srcdir)/configure' --with-mbedtls=system --disable-docs --disable-bench CC='$(CC)' \
	    >configure.log 2>&1 || { cat configure.log >&2; exit 1; }; } && \
	{ $(MAKE) lessons/03_config lessons/05_handshake lessons/06_read_write lessons/09_mistakes \
	    lessons/10_tls13 lessons/12_resume >make.log 2>&1 || { tail -n 30 make.log >&2; exit 1; }; } && \
	touch stamp
else
docs/compare-2.28/stamp:
	$(AM_V_GEN)mkdir -p docs/compare-2.28 && touch $@
endif

# Run every lesson against a real lesson server and keep the transcripts
# (lesson 09's mistakes also need tests/peers/hostile_server, lesson 13's
# event-loop server gets 64 clients from tests/peers/load_client; the DTLS
# lessons' failures need tests/peers/hostile_dtls_server and hostile_datagrams),
# then the exercises' solutions (docs/capture-exercises.sh, sourced by capture.sh).
docs/out/capture.stamp: $(noinst_PROGRAMS) tests/peers/hostile_server tests/peers/load_client \
		tests/peers/hostile_datagrams tests/peers/hostile_dtls_server certs/pki.stamp \
		$(srcdir)/docs/capture.sh \
		$(srcdir)/docs/capture-exercises.sh $(srcdir)/scripts/capture-lib.sh $(DOCS_VARIANTS) \
		docs/compare-2.28/stamp
	$(AM_V_GEN)rm -rf docs/out && \
	bash $(srcdir)/docs/capture.sh '$(abs_top_builddir)' docs/out >/dev/null && \
	touch $@

# Doxygen always runs (a few seconds): pages, headers and lesson sources can
# change in ways make cannot see. Optional pages switch on their section
# (page_<file name>) so the main page links them only once they exist, and
# every header of bench/ joins the API reference when there is one.
# bench/results/docs/this-build.md: the benchmark page's "This build" section
# (a bench-quick run, or a note without benchmarks; see bench/local.mk).
# The mbedTLS API reference: a tag file of the headers this build compiles
# against, pointing at upstream's documentation of the same release.
MBEDTLS_API_URL = https://mbed-tls.readthedocs.io/projects/api/en/v$(MBEDTLS_VERSION)
docs/mbedtls.tag: $(srcdir)/docs/mbedtls-tag.sh Makefile
	$(AM_V_GEN)$(SHELL) $(srcdir)/docs/mbedtls-tag.sh '$(DOXYGEN)' '$(MBEDTLS_VERSION)' $@ \
	  $(CC) $(MBEDTLS_CFLAGS) $(CPPFLAGS) >/dev/null

# The benchmark page's stored full run: its "what to pick" table, charts and
# figures, made from the stored result (docs/bench-stored.sh), so they follow
# it. The run on mbedTLS 3.6 (bench/testdata/stored-3.6.json).
BENCH_STORED_RUN = $(srcdir)/bench/testdata/stored-3.6.json
docs/bench/stored-run.md: $(BENCH_STORED_RUN) $(srcdir)/docs/bench-stored.sh $(srcdir)/bench/report.sh \
		$(srcdir)/bench/report-lib.sh $(srcdir)/bench/charts.sh $(srcdir)/bench/recommend.jq $(srcdir)/bench/normalize.jq
	$(AM_V_GEN)bash $(srcdir)/docs/bench-stored.sh $(BENCH_STORED_RUN) docs/bench

# The page's "3.6 against 2.28": bench/compare.sh on the stored runs of both
# versions and their instruction counts, taken one after the other on the same
# machine (docs/bench-versions.sh).
BENCH_STORED_OLD = $(srcdir)/bench/testdata/stored-2.28.json
BENCH_STORED_CALLGRIND = $(srcdir)/bench/testdata/callgrind-2.28.md $(srcdir)/bench/testdata/callgrind-3.6.md
docs/bench/versions.md: $(BENCH_STORED_OLD) $(BENCH_STORED_RUN) $(BENCH_STORED_CALLGRIND) \
		$(srcdir)/docs/bench-versions.sh $(srcdir)/bench/compare.sh $(srcdir)/bench/normalize.jq
	$(AM_V_GEN)bash $(srcdir)/docs/bench-versions.sh $(BENCH_STORED_OLD) $(BENCH_STORED_RUN) \
	  $(BENCH_STORED_CALLGRIND) $@

docs/html/index.html: docs/out/capture.stamp docs/Doxyfile docs/mbedtls.tag bench/results/docs/this-build.md \
		docs/bench/stored-run.md docs/bench/versions.md mcu/docs/charts.md docs-force
	$(AM_V_GEN)sections=; \
	for f in '$(abs_top_srcdir)'/docs/pages/*.dox '$(abs_top_srcdir)'/docs/pages/*.md; do \
	  test -f "$$f" || continue; \
	  b=`basename "$$f"`; sections="$$sections page_$${b%.*}"; \
	done; \
	input=; \
	for f in '$(abs_top_srcdir)'/bench/*.h; do \
	  test -f "$$f" && input="$$input $$f"; \
	done; \
	rm -rf docs/html && \
	DOCS_SECTIONS="$$sections" DOCS_INPUT="$$input" \
	  DOCS_TAGFILES='$(abs_top_builddir)/docs/mbedtls.tag=$(MBEDTLS_API_URL)' $(DOXYGEN) docs/Doxyfile && \
	$(PERL) $(srcdir)/docs/pages-index.pl docs/html && \
	$(PERL) $(srcdir)/docs/search-externals.pl docs/html >/dev/null && \
	$(PERL) $(srcdir)/docs/glossary-links.pl docs/html >/dev/null && \
	if ls docs/html/msc_*.svg >/dev/null 2>&1; then $(PERL) $(srcdir)/docs/msc-svg.pl --fix docs/html/msc_*.svg; fi && \
	test -f $@

html-local: docs/html/index.html
	@echo "docs: open file://$(abs_top_builddir)/docs/html/index.html"

docs-check: docs/html/index.html
	@top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  bash $(srcdir)/tests/docs_links.test

docs-screenshot: docs/html/index.html
	@bash $(srcdir)/docs/screenshot.sh '$(CHROMIUM)' docs/html docs/screenshots
else
html-local docs-check docs-screenshot:
	@echo "docs: Doxygen was not found by configure (apt-get install doxygen, then re-run configure)"
endif

docs-force:
