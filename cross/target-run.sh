# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Cross builds: make the target programs callable like native ones.
#
# Sourced by tests/lib.sh and scripts/cross-check.sh when TARGET_RUN is set
# (configure sets it for --host builds, e.g. "qemu-aarch64"). For every
# target executable in lessons/, tests/, tests/peers/, tools/ and bench/ of the
# build it writes a two-line wrapper that starts it through TARGET_RUN, at
# the same place under $TARGET_BIN, and points LESSONS there. Tests that run
# other programs name them "${TARGET_BIN:-$top_builddir}/DIR/NAME". The
# wrapper uses exec, so the process id a test keeps (to send SIGTERM) is the
# emulator's, which passes signals on to the program.
#
# Needs: top_builddir, TARGET_RUN, and SCRATCH (or TARGET_BIN) set.

: "${top_builddir:?}" "${TARGET_RUN:?}"
TARGET_BIN=${TARGET_BIN:-$SCRATCH/target}

# is_target_program FILE: an executable ELF file (not a script).
is_target_program() {
    [ -f "$1" ] && [ -x "$1" ] && [ "$(od -An -c -N4 "$1" | tr -d ' ')" = '177ELF' ]
}

for dir in lessons tests tests/peers tools bench; do
    mkdir -p "$TARGET_BIN/$dir"
    for program in "$top_builddir/$dir"/*; do
        is_target_program "$program" || continue
        ws_wrapper="$TARGET_BIN/$dir/${program##*/}"
        ws_text=$(printf '#!/bin/sh\nexec %s "%s" "$@"' "$TARGET_RUN" "$program")
        [ -x "$ws_wrapper" ] && [ "$(<"$ws_wrapper")" = "$ws_text" ] && continue
        # Tests running in parallel share TARGET_BIN (scripts/cross-check.sh):
        # a wrapper is replaced whole (rename), never rewritten in place
        # while another test starts it ("Text file busy").
        printf '%s\n' "$ws_text" >"$ws_wrapper.$$"
        chmod +x "$ws_wrapper.$$"
        mv -f "$ws_wrapper.$$" "$ws_wrapper"
    done
done
# shellcheck disable=SC2034 # read by tests/lib.sh, which sources this
LESSONS="$TARGET_BIN/lessons"
# scripts/tour.sh takes its lessons from $TARGET_BIN/lessons when it is set.
export TARGET_BIN
