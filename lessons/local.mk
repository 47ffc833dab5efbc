# SPDX-License-Identifier: Apache-2.0
# The lessons. Each lesson file is compiled twice: into its own program
# (with main(), -DLESSON_PROGRAM) and into liblessons.a, from which later
# lessons take the stages they build on. See docs/ARCHITECTURE.md.
LESSON_STAGE_SOURCES = \
	lessons/01_init.c lessons/02_load_certs.c lessons/03_config.c \
	lessons/04_connect.c lessons/05_handshake.c lessons/06_read_write.c \
	lessons/07_cleanup.c

noinst_LIBRARIES += lessons/liblessons.a
lessons_liblessons_a_SOURCES = $(LESSON_STAGE_SOURCES) lessons/lesson_main.c lessons/stages.h

LESSON_LDADD = lessons/liblessons.a common/libcommon.a $(MBEDTLS_LIBS) $(PTHREAD_LIBS)
LESSON_CPPFLAGS = $(AM_CPPFLAGS) -DLESSON_PROGRAM

noinst_PROGRAMS += lessons/01_init lessons/02_load_certs lessons/03_config lessons/04_connect \
	lessons/05_handshake lessons/06_read_write lessons/07_cleanup lessons/08_server

lessons_01_init_SOURCES = lessons/01_init.c
lessons_01_init_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_01_init_LDADD = $(LESSON_LDADD)
lessons_02_load_certs_SOURCES = lessons/02_load_certs.c
lessons_02_load_certs_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_02_load_certs_LDADD = $(LESSON_LDADD)
lessons_03_config_SOURCES = lessons/03_config.c
lessons_03_config_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_03_config_LDADD = $(LESSON_LDADD)
lessons_04_connect_SOURCES = lessons/04_connect.c
lessons_04_connect_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_04_connect_LDADD = $(LESSON_LDADD)
lessons_05_handshake_SOURCES = lessons/05_handshake.c
lessons_05_handshake_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_05_handshake_LDADD = $(LESSON_LDADD)
lessons_06_read_write_SOURCES = lessons/06_read_write.c
lessons_06_read_write_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_06_read_write_LDADD = $(LESSON_LDADD)
lessons_07_cleanup_SOURCES = lessons/07_cleanup.c
lessons_07_cleanup_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_07_cleanup_LDADD = $(LESSON_LDADD)
lessons_08_server_SOURCES = lessons/08_server.c
lessons_08_server_CPPFLAGS = $(LESSON_CPPFLAGS)
lessons_08_server_LDADD = $(LESSON_LDADD)

# The lesson tour: the server in the background, lessons 01-07 against it.
EXTRA_DIST += scripts/tour.sh
PHONY_TARGETS += tour
tour: $(noinst_PROGRAMS) $(noinst_DATA)
	@bash $(srcdir)/scripts/tour.sh $(abs_top_builddir)
