#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The workshop's first command: install the Debian/Ubuntu packages it needs
# (as root, or through sudo), get mbedTLS 3.6 LTS, bootstrap, configure and
# build in ./build, then run the lesson tour. Safe to run again.
#
# mbedTLS 3.6: the system's libmbedtls-dev when it is 3.6 or newer (Debian 13),
# else Debian 13's packages unpacked into BUILD_DIR/mbedtls-3.6 by
# scripts/fetch-mbedtls.sh (nothing is installed into the system).
#
#   ./quickstart.sh                 everything
#   SKIP_PACKAGES=1 ./quickstart.sh  skip the package step (not on Debian, or
#                                   packages already there)
#   BUILD_DIR=/path ./quickstart.sh  build somewhere else
#   CONFIGURE_FLAGS=--with-mbedtls=system ./quickstart.sh
#                                   the system's mbedTLS (Debian 12: 2.28)
#   CONFIGURE_FLAGS="--with-mbedtls=/opt/mbedtls" ./quickstart.sh
#                                   any other (no fetching when CONFIGURE_FLAGS
#                                   chooses an mbedTLS)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD_DIR:-$here/build}
packages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/scripts/debian-packages.txt")

say() {
    printf '\n==> %s\n' "$*"
}

install_packages() {
    local missing=() pkg sudo=()
    for pkg in $packages; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "all ${packages//$'\n'/ } already installed"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "missing packages: ${missing[*]}" >&2
            echo "run as root, install sudo, or install them yourself and use SKIP_PACKAGES=1" >&2
            exit 1
        fi
    fi
    echo "installing: ${missing[*]}"
    # A mirror that is mid-sync can fail one index; the install below still
    # works if what we need is listed, and fails loudly if not.
    "${sudo[@]}" apt-get update -q || echo "warning: apt-get update reported errors; trying the install anyway" >&2
    # Another apt (an automatic upgrade, say) may hold the lock for a while: wait for it.
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q \
        --no-install-recommends "${missing[@]}"
}

if [ "${SKIP_PACKAGES:-0}" != 1 ]; then
    say "Debian packages"
    if command -v apt-get >/dev/null 2>&1; then
        install_packages
    else
        echo "no apt-get here: install the equivalents of scripts/debian-packages.txt yourself"
    fi
fi

mkdir -p "$build"
mbedtls_flag=()
case " ${CONFIGURE_FLAGS:-} ${MBEDTLS_CFLAGS:+MBEDTLS_CFLAGS=}${MBEDTLS_LIBS:+ MBEDTLS_LIBS=} " in
    *" --with-mbedtls"* | *" MBEDTLS_CFLAGS="* | *" MBEDTLS_LIBS="*) ;;
    *)
        say "mbedTLS 3.6 LTS"
        mbedtls_flag=("$("$here/scripts/fetch-mbedtls.sh" "$build/mbedtls-3.6")")
        ;;
esac

say "Bootstrapping (autoreconf -fi)"
(cd "$here" && autoreconf -fi)

say "Configuring in $build"
# shellcheck disable=SC2086 # CONFIGURE_FLAGS is a list of flags
(cd "$build" && "$here/configure" "${mbedtls_flag[@]}" ${CONFIGURE_FLAGS:-})

say "Building (this also generates the test PKI in $build/certs)"
make -C "$build" -j"$(nproc 2>/dev/null || echo 2)"

say "The lesson tour"
make -C "$build" tour
