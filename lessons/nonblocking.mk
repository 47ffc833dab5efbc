# SPDX-License-Identifier: Apache-2.0
# Lesson 13: non-blocking I/O. The client drives several connections from one
# poll() loop; the server side of the same idea is 08_server --event-loop
# (lessons/08_server_event_loop.c, listed with the server in lessons/local.mk).
# What each connection needs besides its steps is 13_nonblocking_conns.c, in
# liblessons.a (lessons/local.mk).
noinst_PROGRAMS += lessons/13_nonblocking

NONBLOCKING_TESTS = \
	tests/lesson13.test \
	tests/event_loop.test
TESTS += $(NONBLOCKING_TESTS)
EXTRA_DIST += $(NONBLOCKING_TESTS)
