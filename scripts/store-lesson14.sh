#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# scripts/store-lesson14.sh BUILD_DIR DEST_DIR: run lesson 14 of one build
# against its own lesson server and store its tables, with the context they
# were measured in, as DEST_DIR/lesson14-<mbedTLS version>.txt.
#
# The docs build captures lesson 14 with the mbedTLS it is built with; the
# page also shows the other supported release, which a build cannot run. Its
# figures come from a file made by this script in a build of that release
# (docs/measured/ in the source tree): a real run, never typed in. Heap
# figures depend on the mbedTLS build, the compiler and the architecture,
# not on the machine's speed; the file says all three.
set -u

# shellcheck source=capture-lib.sh
. "$(dirname "$0")/capture-lib.sh" "$@"

version=$(sed -n 's/^MBEDTLS_VERSION = //p' Makefile 2>/dev/null)
[ -n "$version" ] || { echo "$capture_name: no MBEDTLS_VERSION in $builddir/Makefile" >&2; exit 2; }
[ -x lessons/14_small_ram ] || { echo "$capture_name: lessons/14_small_ram is not built" >&2; exit 2; }
start_server store14
timeout 120 lessons/14_small_ram --port "$PORT" >"$scratch/run.txt" 2>&1 </dev/null
status=$?
stop_server
if [ "$status" -ne 0 ]; then
    echo "$capture_name: lessons/14_small_ram exited with $status:" >&2
    cat "$scratch/run.txt" >&2
    exit 3
fi
cc=$(sed -n 's/^CC = //p' Makefile)
cflags=$(sed -n 's/^CFLAGS = //p' Makefile)
out="$outdir/lesson14-$version.txt"
{
    echo "Lesson 14's tables, stored from a real run by scripts/store-lesson14.sh:"
    echo "  mbedTLS $version, linked from $(sed -n 's/^HEAP_WRAP_LINK = //p' Makefile | tr ' ' '\n' | grep -m1 'libmbedtls\.a$' |
        sed "s|^$PWD|BUILD|")"
    echo "  compiler: $($cc --version 2>/dev/null | head -1), CFLAGS $cflags"
    echo "  machine: $(uname -m), $(uname -sr); stored on $(date -u +%Y-%m-%d)"
    echo "  command: lessons/14_small_ram --port <a lesson server of the same build>"
    echo
    sed -n '/^What this mbedTLS/,/^$/p' "$scratch/run.txt"
    sed -n '/^Both ends in this process/,$p' "$scratch/run.txt"
} >"$out"
echo "stored $out"
