#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Cross-compile the workshop for an ARM board and test it under qemu-user:
# configure --host, build, run the lesson tour, then make check.
#
# Usage: scripts/cross-check.sh BUILD_DIR [HOST] [CONFIGURE_ARGS...]
#   HOST defaults to aarch64-linux-gnu (arm-linux-gnueabihf works the same).
# mbedTLS: 3.6 LTS for the target, as scripts/fetch-mbedtls.sh provides it
# (Debian 13's :arm64 or :armhf packages unpacked into BUILD_DIR/mbedtls-3.6,
# or the system's libmbedtls-dev:ARCH if that is 3.6 or newer), unless
# CONFIGURE_ARGS choose one (--with-mbedtls=system takes Debian 12's 2.28,
# which then needs libmbedtls-dev:arm64).
# Needs (Debian 12, for arm64; armhf likewise):
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user \
#       libbenchmark-dev:arm64
# (libbenchmark-dev:arm64 also brings libc6:arm64, which qemu-user needs.)
# Exit status: 0 all passed, 1 a step failed, 77 the cross compiler or the
# emulator is missing (nothing was tried).
set -u

build=${1:?usage: cross-check.sh BUILD_DIR [HOST] [CONFIGURE_ARGS...]}
host=${2:-aarch64-linux-gnu}
shift $(( $# >= 2 ? 2 : 1 ))
srcdir=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

case $host in
    aarch64*) qemu=qemu-aarch64 arch=arm64 cpu=" -cpu cortex-a72" ;; # as m4/ws_cross.m4 says why
    arm*) qemu=qemu-arm arch=armhf cpu= ;;
    *) qemu=qemu-${host%%-*} arch=${host%%-*} cpu= ;;
esac
if ! command -v "$host-gcc" >/dev/null || ! command -v "$qemu" >/dev/null; then
    echo "SKIP: $host-gcc or $qemu is missing; install gcc-$host g++-$host qemu-user" \
        "libbenchmark-dev:$arch" >&2
    exit 77
fi

# step NAME COMMAND...: run one step, say how long it took, stop on failure.
step() {
    local name=$1 start rc
    shift
    start=$(date +%s)
    echo "=== $name: $*"
    "$@"
    rc=$?
    echo "=== $name: exit $rc after $(( $(date +%s) - start )) s"
    [ "$rc" -eq 0 ] || exit 1
}

mkdir -p "$build" || exit 1
cd "$build" || exit 1
total_start=$(date +%s)
mbedtls=()
case " $* " in
    *" --with-mbedtls"* | *" MBEDTLS_CFLAGS="* | *" MBEDTLS_LIBS="*) ;;
    *)
        echo "=== mbedTLS 3.6 for $arch"
        mbedtls=("$("$srcdir/scripts/fetch-mbedtls.sh" "$(pwd)/mbedtls-3.6" "$arch")") || exit 1
        ;;
esac
# The documentation site is a native build's job: it runs the lessons to
# capture their output, which would need the emulator too.
step configure "$srcdir/configure" --host="$host" --disable-docs "${mbedtls[@]}" "$@"

# configure (m4/ws_cross.m4) says how to run target programs; an explicit
# TARGET_RUN in the environment wins, and qemu with the cross toolchain's C
# library is the fallback.
if [ -z "${TARGET_RUN+set}" ] && grep -q '^TARGET_RUN = ' Makefile; then
    TARGET_RUN=$(sed -n 's/^TARGET_RUN = //p' Makefile)
elif [ -z "${TARGET_RUN+set}" ]; then
    # Multiarch C library (libc6:arm64) where the emulated loader looks by
    # itself, else the cross toolchain's copy (see m4/ws_cross.m4).
    TARGET_RUN=$qemu$cpu
    if [ ! -e "/lib/$host/libc.so.6" ] && [ ! -e "/usr/lib/$host/libc.so.6" ] && [ -d "/usr/$host" ]; then
        TARGET_RUN="$TARGET_RUN -L /usr/$host"
    fi
fi
export TARGET_RUN
echo "target programs run with: ${TARGET_RUN:-(directly)}"

step build make -j"$jobs"
if [ -n "$TARGET_RUN" ]; then
    top_builddir=$(pwd) TARGET_BIN=$(pwd)/cross-run
    export top_builddir TARGET_BIN
    # shellcheck source=../cross/target-run.sh
    . "$srcdir/cross/target-run.sh"
fi
step tour bash "$srcdir/scripts/tour.sh" "$(pwd)"
# As many tests at a time as there are cores, as natively: every deadline in
# the tests grows with the measured speed of the machine (tests/lib.sh's
# calibration handshake runs under the same emulator and the same load).
step check make -j"$jobs" check TARGET_RUN="$TARGET_RUN"
echo "cross check for $host passed in $(( $(date +%s) - total_start )) s"
