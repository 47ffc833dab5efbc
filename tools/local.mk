# SPDX-License-Identifier: Apache-2.0
# tools/: programs that help the lessons without being one. tools/lossy_link
# is a bad network on loopback: UDP datagrams dropped, duplicated, reordered
# and delayed with a seed (lesson 15's page shows a DTLS handshake through
# it), or TCP bytes delayed (`--tcp --delay 150ms`: a 300 ms round trip).
noinst_PROGRAMS += tools/lossy_link
tools_lossy_link_SOURCES = tools/lossy_link.c tools/lossy_link.h tools/lossy_link_udp.c \
	tools/lossy_link_tcp.c
tools_lossy_link_LDADD = common/libcommon.a
