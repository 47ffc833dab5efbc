# SPDX-License-Identifier: Apache-2.0
# Lesson 12: resume a session after a restart (12_resume_file.c loads and
# saves the session between runs). Its connections are
# measured.c's (shared with lessons 10 and 11); the session file's format is
# common/session_file.c, fuzzed by fuzz/fuzz_session_file.c.
noinst_PROGRAMS += lessons/12_resume
lessons_12_resume_SOURCES = lessons/12_resume.c lessons/12_resume_file.c lessons/12_resume.h lessons/measured.c \
	lessons/measured.h

# The session file's unit test; it replays fuzz/corpus/session_file through the fuzz target.
check_PROGRAMS += tests/test_session_file
tests_test_session_file_SOURCES = tests/test_session_file.c tests/unit.h
tests_test_session_file_LDADD = common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
TESTS += tests/test_session_file

# End to end: lesson 12 against 08_server (every fallback too), and against
# openssl s_server -www and gnutls-serv.
RESUME_TESTS = tests/lesson12.test tests/resume_interop.test
TESTS += $(RESUME_TESTS)
EXTRA_DIST += $(RESUME_TESTS)
