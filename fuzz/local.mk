# SPDX-License-Identifier: Apache-2.0
# Fuzzing with libFuzzer. Included by the top-level Makefile.am; paths are relative to the top
# directory.
#
#   make fuzz          build every fuzz target and run each for $(FUZZ_SECONDS) s (default 60)
#   make fuzz-smoke    the same for 10 s each (what CI runs)
#   make fuzz FUZZ_SECONDS=600
#
# Without clang's libFuzzer (configure's HAVE_LIBFUZZER) both targets print a note and succeed.
#
# A fuzz target fuzz/fuzz_X is built from fuzz/fuzz_X.c plus the sources it exercises, listed in
# fuzz_X_SOURCES_FUZZ (and libraries in fuzz_X_LIBS_FUZZ), and is seeded from fuzz/corpus/X/.
# To add one: write fuzz/fuzz_X.c, add fuzz/fuzz_X to FUZZ_TARGETS, set its variables, copy one
# of the rules below, and add seeds. fuzz/corpus is distributed as a whole.

FUZZ_TARGETS = fuzz/fuzz_record_decoder fuzz/fuzz_http fuzz/fuzz_options
# The decoder's layers and the name tables, as common/local.mk lists them (DECODER_FILES,
# TLS_NAMES_TABLES; the rule compiles the .c files among them). The decoder asks mbedTLS's X.509
# parser about certificates, so it links mbedTLS (not instrumented).
fuzz_record_decoder_SOURCES_FUZZ = $(DECODER_FILES) common/tls_names.c common/tls_names.h \
	common/record_decoder.h $(TLS_NAMES_TABLES)
fuzz_record_decoder_LIBS_FUZZ = $(MBEDTLS_LIBS)
fuzz_http_SOURCES_FUZZ = $(srcdir)/common/http.c
fuzz_options_SOURCES_FUZZ = $(srcdir)/common/options.c $(srcdir)/common/report.c \
	$(srcdir)/common/tls_names.c
fuzz_options_LIBS_FUZZ = $(MBEDTLS_LIBS)

# DTLS records in one datagram (issue 12): the record and fragment walk, the lossy link's
# description, the DTLS record decoder behind --trace, the DTLS server's ClientHello and cookie
# questions. The decoder's files as for fuzz_record_decoder (it links mbedTLS the same way).
FUZZ_TARGETS += fuzz/fuzz_dtls_record
fuzz_dtls_record_SOURCES_FUZZ = common/dtls_record.c common/dtls_record.h $(fuzz_record_decoder_SOURCES_FUZZ)
fuzz_dtls_record_LIBS_FUZZ = $(MBEDTLS_LIBS)
EXTRA_DIST += fuzz/fuzz_dtls_record.c
if HAVE_LIBFUZZER
fuzz/fuzz_dtls_record: $(srcdir)/fuzz/fuzz_dtls_record.c $(fuzz_dtls_record_SOURCES_FUZZ)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_dtls_record.c \
		`for f in $(fuzz_dtls_record_SOURCES_FUZZ); do case $$f in *.c) echo $(srcdir)/$$f;; esac; done` \
		$(fuzz_dtls_record_LIBS_FUZZ)
endif

FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I$(srcdir)/common
FUZZ_LINK = $(CLANG) $(AM_CPPFLAGS) $(FUZZ_CFLAGS) -o $@

EXTRA_DIST += fuzz/run-fuzzer.sh fuzz/corpus fuzz/fuzz_http.c fuzz/fuzz_options.c
CLEANFILES += $(FUZZ_TARGETS)
CLEAN_LOCAL_DIRS += fuzz-artifacts
PHONY_TARGETS += fuzz fuzz-smoke

if HAVE_LIBFUZZER
fuzz/fuzz_record_decoder: $(srcdir)/fuzz/fuzz_record_decoder.c $(fuzz_record_decoder_SOURCES_FUZZ)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_record_decoder.c \
		`for f in $(fuzz_record_decoder_SOURCES_FUZZ); do case $$f in *.c) echo $(srcdir)/$$f;; esac; done` \
		$(fuzz_record_decoder_LIBS_FUZZ)

fuzz/fuzz_http: $(srcdir)/fuzz/fuzz_http.c $(fuzz_http_SOURCES_FUZZ) $(srcdir)/common/http.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_http.c $(fuzz_http_SOURCES_FUZZ)

fuzz/fuzz_options: $(srcdir)/fuzz/fuzz_options.c $(fuzz_options_SOURCES_FUZZ) \
		$(srcdir)/common/options.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_options.c $(fuzz_options_SOURCES_FUZZ) \
		$(fuzz_options_LIBS_FUZZ)

# Each target runs on a scratch copy of fuzz/corpus/<its name without "fuzz_">; inputs that
# crash it are kept in fuzz-artifacts/.
fuzz: $(FUZZ_TARGETS)
	@for target in $(FUZZ_TARGETS); do \
	  name=`basename $$target`; name=$${name#fuzz_}; \
	  $(SHELL) $(srcdir)/fuzz/run-fuzzer.sh $$target $(srcdir)/fuzz/corpus/$$name \
	    $(FUZZ_SECONDS) || exit 1; \
	done

fuzz-smoke:
	@$(MAKE) $(AM_MAKEFLAGS) fuzz FUZZ_SECONDS=10
else
fuzz fuzz-smoke:
	@echo "fuzz: configure found no clang with libFuzzer (-fsanitize=fuzzer); nothing to do"
endif
