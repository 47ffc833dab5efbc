# SPDX-License-Identifier: Apache-2.0
# mcu/local.mk: the microcontroller lab (included from the top Makefile.am).
#
#   make mcu-lab     every profile of mcu/profiles/ on an emulated Cortex-M4
#                    and on this machine: mcu/lab/lab.json and
#                    mcu/lab/report/report.md (see README.md for the time)
#   make mcu-lab MCU_PROFILES="psk-ccm8 tls13-psk"      some of them
#   make mcu-lab MCU_PROFILE_DIR=$HOME/my-profiles      profiles of your own
#
# It needs gcc-arm-none-eabi, libnewlib-arm-none-eabi, qemu-system-arm and
# jq (gnuplot for the charts), and once the Debian archive: mbedTLS is built
# from Debian 13's source package, which scripts/fetch-mbedtls.sh --source
# unpacks into mcu/src/ (nothing of it is ever part of the source tree).
# The lab's own make file is mcu/lab.mk, which mcu/lab.sh runs.

MCU_PROFILE_FILES = mcu/profiles/psk-ccm8.h mcu/profiles/ecdhe-ecdsa-p256.h mcu/profiles/tls13-p256.h \
	mcu/profiles/tls13-psk.h mcu/profiles/desktop.h
EXTRA_DIST += $(MCU_PROFILE_FILES) mcu/lab.sh mcu/lab.mk mcu/report.sh mcu/mapsize.awk mcu/lab_config.h \
	mcu/lab_main.c mcu/board.h mcu/board_mps2.c mcu/board_meter.c mcu/board_meter.h mcu/board_host.c \
	mcu/test_entropy.c mcu/mps2-an386.ld mcu/bare-include/dirent.h mcu/bare-include/pthread.h \
	mcu/testdata/lab.json mcu/testdata/summary.md \
	tests/mcu_lab.test tests/mcu_report.test
TESTS += tests/mcu_lab.test tests/mcu_report.test
CLEAN_LOCAL_DIRS += mcu/lab mcu/src mcu/docs
PHONY_TARGETS += mcu-lab

mcu-lab: certs/pki.stamp
	CERTS_DIR='$(abs_top_builddir)/certs' MCU_SOURCES='$(abs_top_builddir)/mcu/src' MAKE='$(MAKE)' \
	  MCU_PROFILE_DIR='$(MCU_PROFILE_DIR)' bash $(srcdir)/mcu/lab.sh '$(abs_top_builddir)/mcu/lab' $(MCU_PROFILES)

# The documentation's charts of the stored run (mcu/testdata/lab.json), and
# mcu/docs/charts.md, the page's lines that show them (or say why not).
mcu/docs/charts.md: $(srcdir)/mcu/testdata/lab.json $(srcdir)/mcu/report.sh $(srcdir)/bench/report-lib.sh \
		$(srcdir)/bench/normalize.jq
	$(AM_V_GEN)rm -rf mcu/docs && mkdir -p mcu/docs && \
	if command -v jq >/dev/null; then \
	  bash $(srcdir)/mcu/report.sh $(srcdir)/mcu/testdata/lab.json mcu/docs 2>/dev/null; \
	fi; \
	if test -f mcu/docs/mcu-flash.png; then \
	  for c in "mcu-flash:Flash of mbedTLS per profile and side" \
	      "mcu-memory:Peak heap, stack and static RAM per side" \
	      "mcu-instructions:Instructions per handshake and side (log scale)"; do \
	    echo "@image html $${c%%:*}.png \"$${c#*:} (the stored run)\""; echo; \
	  done >$@.tmp; \
	else \
	  echo "(No charts: jq or gnuplot was not installed when the site was built.)" >$@.tmp; \
	fi && mv $@.tmp $@
