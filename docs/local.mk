# SPDX-License-Identifier: Apache-2.0
# docs/local.mk: the documentation site (included from the top Makefile.am).
#
#   make html (or make docs)  capture real lesson output, then run Doxygen:
#                             BUILD/docs/html/index.html
#   make docs-check           build the site and check its links and images
#   make docs-screenshot      PNGs of two pages with headless Chromium
#
# The pages are docs/pages/*.dox (and *.md). Everything generated lives in the
# build tree: docs/out/ (captured transcripts), docs/html/, docs/screenshots/.
# When Doxygen was found, `make check` builds the site first (check_DATA) and
# tests/docs_links.test checks it; without Doxygen that test is skipped.

# The whole pages directory is distributed, so adding a page is adding a file.
EXTRA_DIST += docs/pages docs/capture.sh scripts/capture-lib.sh docs/screenshot.sh docs/workshop.css \
	tests/docs_links.test
# Lesson 14's tables of both mbedTLS releases, stored from real runs
# (scripts/store-lesson14.sh; tests/lesson14.test checks them).
EXTRA_DIST += docs/measured scripts/store-lesson14.sh
TESTS += tests/docs_links.test
CLEAN_LOCAL_DIRS += docs/html docs/out docs/screenshots
PHONY_TARGETS += docs docs-check docs-screenshot docs-force

docs: html

if HAVE_DOXYGEN
check_DATA += docs/html/index.html

# Run every lesson against a real lesson server and keep the transcripts
# (lesson 09's mistakes also need tests/peers/hostile_server, lesson 13's
# event-loop server gets 64 clients from tests/peers/load_client; the DTLS
# lessons' failures need tests/peers/hostile_dtls_server and hostile_datagrams).
docs/out/capture.stamp: $(noinst_PROGRAMS) tests/peers/hostile_server tests/peers/load_client \
		tests/peers/hostile_datagrams tests/peers/hostile_dtls_server certs/pki.stamp \
		$(srcdir)/docs/capture.sh \
		$(srcdir)/scripts/capture-lib.sh
	$(AM_V_GEN)rm -rf docs/out && \
	bash $(srcdir)/docs/capture.sh '$(abs_top_builddir)' docs/out >/dev/null && \
	touch $@

# Doxygen always runs (a few seconds): pages, headers and lesson sources can
# change in ways make cannot see. Optional pages switch on their section
# (page_<file name>) so the main page links them only once they exist, and
# every header of bench/ joins the API reference when there is one.
# bench/results/docs/this-build.md: the benchmark page's "This build" section
# (a bench-quick run, or a note without benchmarks; see bench/local.mk).
docs/html/index.html: docs/out/capture.stamp docs/Doxyfile bench/results/docs/this-build.md docs-force
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
	DOCS_SECTIONS="$$sections" DOCS_INPUT="$$input" $(DOXYGEN) docs/Doxyfile && \
	test -f $@

html-local: docs/html/index.html
	@echo "docs: open file://$(abs_top_builddir)/docs/html/index.html"

docs-check: docs/html/index.html
	@top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  bash $(srcdir)/tests/docs_links.test

docs-screenshot: docs/html/index.html
	@$(SHELL) $(srcdir)/docs/screenshot.sh '$(CHROMIUM)' docs/html docs/screenshots
else
html-local docs-check docs-screenshot:
	@echo "docs: Doxygen was not found by configure (apt-get install doxygen, then re-run configure)"
endif

docs-force:
