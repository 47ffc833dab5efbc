# SPDX-License-Identifier: Apache-2.0
# The lessons. Each lesson file is compiled twice: into its own program, and
# with -DLESSON_LIBRARY (which leaves its main() out) into liblessons.a, from
# which later lessons take the stages they build on. See docs/ARCHITECTURE.md.
noinst_LIBRARIES += lessons/liblessons.a
lessons_liblessons_a_SOURCES = \
	lessons/01_init.c lessons/02_load_certs.c lessons/03_config.c \
	lessons/04_connect.c lessons/05_handshake.c lessons/06_read_write.c \
	lessons/07_cleanup.c lessons/lesson_main.c lessons/stages.h \
	lessons/13_nonblocking_conns.c lessons/13_nonblocking.h \
	lessons/11_psk_stage.c lessons/15_dtls_stage.c lessons/15_dtls_watch.c lessons/16_dtls_server_stage.c
lessons_liblessons_a_CPPFLAGS = $(AM_CPPFLAGS) -DLESSON_LIBRARY

# One line per lesson: Automake's default source (lessons/NN_x.c) and the
# default LDADD (Makefile.am: liblessons.a, libcommon.a, mbedTLS) do the rest.
noinst_PROGRAMS += lessons/01_init
noinst_PROGRAMS += lessons/02_load_certs
noinst_PROGRAMS += lessons/03_config
noinst_PROGRAMS += lessons/04_connect
noinst_PROGRAMS += lessons/05_handshake
noinst_PROGRAMS += lessons/06_read_write
noinst_PROGRAMS += lessons/07_cleanup
# The server lesson, and the machinery it uses, a file each (read them in this order).
noinst_PROGRAMS += lessons/08_server
lessons_08_server_SOURCES = lessons/08_server.c lessons/08_server.h lessons/08_server_event_loop.h \
	$(SERVER_MACHINERY_FILES)
# The server's machinery: the pool, the HTTP application, resumption,
# pre-shared keys (lesson 11), and lesson 13's event loop (its lesson file and its table of clients). The
# fuzz targets and their replay test compile the same files.
SERVER_MACHINERY_FILES = lessons/08_server_pool.c lessons/08_server_app.c lessons/08_server_resumption.c \
	lessons/08_server_psk.c lessons/08_server_event_loop.c lessons/08_server_event_clients.c

# DTLS over UDP: the client (its stages and its watch on datagrams and timers
# are in liblessons.a, 15_dtls_stage.c and 15_dtls_watch.c), and the server
# with its demultiplexer (its cookie stage is in liblessons.a too,
# 16_dtls_server_stage.c).
noinst_PROGRAMS += lessons/15_dtls_client
noinst_PROGRAMS += lessons/16_dtls_server
lessons_16_dtls_server_SOURCES = lessons/16_dtls_server.c lessons/16_dtls_server.h \
	lessons/16_dtls_server_demux.c lessons/16_dtls_server_socket.c lessons/16_dtls_server_peer.c

# The lesson tour: the server in the background, lessons 01-07 against it.
EXTRA_DIST += scripts/tour.sh
PHONY_TARGETS += tour
tour: $(noinst_PROGRAMS) $(noinst_DATA)
	@bash $(srcdir)/scripts/tour.sh $(abs_top_builddir)
