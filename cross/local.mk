# SPDX-License-Identifier: Apache-2.0
# Cross builds (./configure --host=aarch64-linux-gnu): `make check` runs the
# target programs through TARGET_RUN, which m4/ws_cross.m4 sets (for example
# "qemu-aarch64"; empty in native builds). Shell
# tests get it in their environment and tests/lib.sh wraps the programs with
# cross/target-run.sh; C test programs get it as their log compiler.
# See cross/README and the page "Running on your board".
AM_TESTS_ENVIRONMENT += TARGET_RUN='$(TARGET_RUN)'; export TARGET_RUN;
LOG_COMPILER = $(TARGET_RUN)

EXTRA_DIST += cross/README cross/target-run.sh scripts/cross-check.sh
CLEAN_LOCAL_DIRS += cross-run
