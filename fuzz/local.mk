# SPDX-License-Identifier: Apache-2.0
# Fuzzing with libFuzzer. Included by the top-level Makefile.am; paths are relative to the top
# directory.
#
#   make fuzz          build every fuzz target and run each for $(FUZZ_SECONDS) s (default 60),
#                      $(FUZZ_JOBS) at a time (default 2); this is what CI runs
#   make fuzz-smoke    the same for 10 s each
#   make fuzz FUZZ_SECONDS=600 FUZZ_JOBS=1
#
# Without clang's libFuzzer (configure's HAVE_LIBFUZZER) both targets print a note and succeed.
#
# A fuzz target fuzz/fuzz_X is built by clang from fuzz/fuzz_X.c plus the sources it exercises,
# listed in fuzz_X_SOURCES_FUZZ (and libraries in fuzz_X_LIBS_FUZZ), and is seeded from
# fuzz/corpus/X/ (and from fuzz-seeds/X/ when `make fuzz` records fresh seeds there). To add one:
#   1. write fuzz/fuzz_X.c (and a unit test that replays fuzz/corpus/X through it: tests/unit.h);
#   2. add fuzz/fuzz_X to FUZZ_TARGETS and fuzz/fuzz_X.c to FUZZ_DIST;
#   3. set fuzz_X_SOURCES_FUZZ (and fuzz_X_LIBS_FUZZ), and copy one two-line rule below;
#   4. put seeds into fuzz/corpus/X/ (distributed with the rest of fuzz/corpus).
# A target that runs the lessons' stages takes $(FUZZ_LESSON_FILES) and $(FUZZ_TLS_LIBS), as
# fuzz_tls_client does; its stages are compiled from source so that libFuzzer sees their coverage.

FUZZ_TARGETS = fuzz/fuzz_record_decoder fuzz/fuzz_http fuzz/fuzz_options fuzz/fuzz_tls_client \
	fuzz/fuzz_tls_server
FUZZ_DIST = fuzz/fuzz_flags.h fuzz/fuzz_http.c fuzz/fuzz_options.c fuzz/fuzz_tls_client.c fuzz/fuzz_tls_server.c

# The decoder's layers and the name tables, as common/local.mk lists them (DECODER_FILES,
# TLS_NAMES_TABLES): prerequisites as listed, and for the compiler the .c files among them with
# $(srcdir)/ in front (a shell loop: Automake wants no GNU make functions). The decoder asks
# mbedTLS's X.509 parser about certificates, so it links mbedTLS (not instrumented).
FUZZ_DECODER_DEPS = $(DECODER_FILES) common/tls_names.c common/tls_names.h common/record_decoder.h \
	$(TLS_NAMES_TABLES)
FUZZ_DECODER_C = `for f in $(FUZZ_DECODER_DEPS); do case $$f in *.c) echo $(srcdir)/$$f;; esac; done`
fuzz_record_decoder_SOURCES_FUZZ = $(srcdir)/common/dtls_record.c $(srcdir)/common/report.c
fuzz_record_decoder_LIBS_FUZZ = $(MBEDTLS_LIBS)
fuzz_http_SOURCES_FUZZ = $(srcdir)/common/http.c
fuzz_options_SOURCES_FUZZ = $(srcdir)/common/options.c $(srcdir)/common/report.c \
	$(srcdir)/common/tls_names.c
fuzz_options_LIBS_FUZZ = $(MBEDTLS_LIBS)

# Stages 01-07 and the plumbing they use, for the targets that run them.
FUZZ_LESSON_FILES = $(srcdir)/lessons/01_init.c $(srcdir)/lessons/02_load_certs.c \
	$(srcdir)/lessons/03_config.c $(srcdir)/lessons/04_connect.c $(srcdir)/lessons/05_handshake.c \
	$(srcdir)/lessons/06_read_write.c $(srcdir)/lessons/07_cleanup.c $(srcdir)/lessons/lesson_main.c \
	$(srcdir)/common/address.c $(srcdir)/common/clock.c $(srcdir)/common/debug_log.c \
	$(srcdir)/common/explain.c $(srcdir)/common/http.c $(srcdir)/common/keylog.c \
	$(srcdir)/common/locked_rng.c $(srcdir)/common/mem_transport.c $(srcdir)/common/options.c \
	$(srcdir)/common/report.c $(srcdir)/common/trace_bio.c $(srcdir)/common/lossy.c \
	$(srcdir)/common/dtls_record.c $(srcdir)/fuzz/tls_fixed.c
FUZZ_TLS_LIBS = $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
fuzz_tls_client_SOURCES_FUZZ = $(srcdir)/fuzz/tls_client_end.c $(FUZZ_LESSON_FILES)
fuzz_tls_client_LIBS_FUZZ = $(FUZZ_TLS_LIBS)
# The server's files; lessons/08_server.c itself comes in through fuzz/tls_server_end.c.
fuzz_tls_server_SOURCES_FUZZ = $(srcdir)/fuzz/tls_server_end.c \
	$(srcdir)/lessons/08_server_pool.c $(srcdir)/lessons/08_server_app.c \
	$(srcdir)/lessons/08_server_resumption.c $(srcdir)/lessons/08_server_event_loop.c \
	$(srcdir)/lessons/08_server_event_clients.c $(srcdir)/lessons/08_server_psk.c \
	$(srcdir)/common/psk_keys.c $(srcdir)/common/stop_signal.c $(FUZZ_LESSON_FILES)
fuzz_tls_server_LIBS_FUZZ = $(FUZZ_TLS_LIBS)

FUZZ_SECONDS = 60
FUZZ_JOBS = 2
# -DLESSON_LIBRARY: the lesson files without their main(), as in lessons/liblessons.a.
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I$(srcdir)/common -I$(srcdir)/fuzz $(PTHREAD_CFLAGS) -DLESSON_LIBRARY
FUZZ_LINK = $(CLANG) $(AM_CPPFLAGS) $(FUZZ_CFLAGS) -o $@
# Every header and name table, so that a change to any rebuilds the targets.
FUZZ_HEADER_FILES = $(srcdir)/common/*.h $(srcdir)/common/decoder/*.h $(srcdir)/common/tls_names/*.def \
	$(srcdir)/lessons/*.h $(srcdir)/fuzz/*.h

# DTLS records in one datagram (issue 12): the record and fragment walk, the lossy link's
# description, the DTLS record decoder behind --trace, the DTLS server's ClientHello and cookie
# questions; tests/test_dtls replays fuzz/corpus/dtls_record through it. With the decoder's files,
# as fuzz_record_decoder (it links mbedTLS the same way).
FUZZ_TARGETS += fuzz/fuzz_dtls_record
FUZZ_DIST += fuzz/fuzz_dtls_record.c
fuzz_dtls_record_SOURCES_FUZZ = $(srcdir)/common/dtls_record.c $(srcdir)/common/report.c
fuzz_dtls_record_LIBS_FUZZ = $(MBEDTLS_LIBS)
if HAVE_LIBFUZZER
fuzz/fuzz_dtls_record: $(srcdir)/fuzz/fuzz_dtls_record.c $(fuzz_dtls_record_SOURCES_FUZZ) $(FUZZ_DECODER_DEPS) \
		$(FUZZ_HEADER_FILES)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_dtls_record.c $(fuzz_dtls_record_SOURCES_FUZZ) $(FUZZ_DECODER_C) \
		$(fuzz_dtls_record_LIBS_FUZZ)
endif

# The seeds of the TLS targets: real conversations between the lessons' client and the lesson
# server, recorded by this build (fuzz/tls_capture.h). Built with the rest, so that every
# compiler keeps it working; `make fuzz` runs it.
check_PROGRAMS += fuzz/capture_seeds
fuzz_capture_seeds_SOURCES = fuzz/capture_seeds.c fuzz/tls_capture.c fuzz/tls_capture.h \
	fuzz/tls_client_end.c fuzz/tls_server_end.c fuzz/tls_ends.h fuzz/tls_fixed.c fuzz/tls_fixed.h \
	$(SERVER_MACHINERY_FILES)
fuzz_capture_seeds_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/fuzz

EXTRA_DIST += fuzz/run-fuzzer.sh fuzz/run-fuzzers.sh fuzz/fuzz-args.sh fuzz/corpus $(FUZZ_DIST)
CLEANFILES += $(FUZZ_TARGETS)
CLEAN_LOCAL_DIRS += fuzz-artifacts fuzz-seeds fuzz-logs
PHONY_TARGETS += fuzz fuzz-smoke

if HAVE_LIBFUZZER
fuzz/fuzz_record_decoder: $(srcdir)/fuzz/fuzz_record_decoder.c $(fuzz_record_decoder_SOURCES_FUZZ) $(FUZZ_DECODER_DEPS) $(FUZZ_HEADER_FILES)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_record_decoder.c $(fuzz_record_decoder_SOURCES_FUZZ) $(FUZZ_DECODER_C) $(fuzz_record_decoder_LIBS_FUZZ)

fuzz/fuzz_http: $(srcdir)/fuzz/fuzz_http.c $(fuzz_http_SOURCES_FUZZ) $(FUZZ_HEADER_FILES)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_http.c $(fuzz_http_SOURCES_FUZZ)

fuzz/fuzz_options: $(srcdir)/fuzz/fuzz_options.c $(fuzz_options_SOURCES_FUZZ) $(FUZZ_HEADER_FILES)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_options.c $(fuzz_options_SOURCES_FUZZ) $(fuzz_options_LIBS_FUZZ)

fuzz/fuzz_tls_client: $(srcdir)/fuzz/fuzz_tls_client.c $(fuzz_tls_client_SOURCES_FUZZ) $(FUZZ_DECODER_DEPS) \
		$(FUZZ_HEADER_FILES)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_tls_client.c $(fuzz_tls_client_SOURCES_FUZZ) $(FUZZ_DECODER_C) \
		$(fuzz_tls_client_LIBS_FUZZ)

fuzz/fuzz_tls_server: $(srcdir)/fuzz/fuzz_tls_server.c $(fuzz_tls_server_SOURCES_FUZZ) $(FUZZ_DECODER_DEPS) \
		$(FUZZ_HEADER_FILES)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_tls_server.c $(fuzz_tls_server_SOURCES_FUZZ) $(FUZZ_DECODER_C) \
		$(fuzz_tls_server_LIBS_FUZZ)

# Fresh seeds from this build first (its mbedTLS, its PKI), then every target on a scratch copy
# of fuzz/corpus/<its name without "fuzz_"> plus fuzz-seeds/<the same>, FUZZ_JOBS at a time;
# inputs that crash one are kept in fuzz-artifacts/, each run's output in fuzz-logs/.
fuzz: $(FUZZ_TARGETS) fuzz/capture_seeds certs/pki.stamp
	@rm -rf fuzz-seeds
	@fuzz/capture_seeds fuzz-seeds >/dev/null
	@$(SHELL) $(srcdir)/fuzz/run-fuzzers.sh $(FUZZ_SECONDS) $(FUZZ_JOBS) $(srcdir)/fuzz/corpus fuzz-seeds \
		$(FUZZ_TARGETS)

fuzz-smoke:
	@$(MAKE) $(AM_MAKEFLAGS) fuzz FUZZ_SECONDS=10
else
fuzz fuzz-smoke:
	@echo "fuzz: configure found no clang with libFuzzer (-fsanitize=fuzzer); nothing to do"
endif

# Lessons 11 and 12: the server's pre-shared key file and the client's session file (parsed, then
# handed to mbedtls_ssl_session_load()).
FUZZ_TARGETS += fuzz/fuzz_psk_keys fuzz/fuzz_session_file
fuzz_psk_keys_SOURCES_FUZZ = $(srcdir)/common/psk_keys.c
fuzz_psk_keys_LIBS_FUZZ = $(MBEDTLS_LIBS)
fuzz_session_file_SOURCES_FUZZ = $(srcdir)/common/session_file.c
fuzz_session_file_LIBS_FUZZ = $(MBEDTLS_LIBS)
FUZZ_DIST += fuzz/fuzz_psk_keys.c fuzz/fuzz_session_file.c
if HAVE_LIBFUZZER
fuzz/fuzz_psk_keys: $(srcdir)/fuzz/fuzz_psk_keys.c $(fuzz_psk_keys_SOURCES_FUZZ) $(srcdir)/common/psk_keys.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_psk_keys.c $(fuzz_psk_keys_SOURCES_FUZZ) $(fuzz_psk_keys_LIBS_FUZZ)

fuzz/fuzz_session_file: $(srcdir)/fuzz/fuzz_session_file.c $(fuzz_session_file_SOURCES_FUZZ) \
		$(srcdir)/common/session_file.h
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz_session_file.c $(fuzz_session_file_SOURCES_FUZZ) \
		$(fuzz_session_file_LIBS_FUZZ)
endif
