#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Make mbedTLS 3.6 LTS available to a build without installing anything.
#
# Usage: scripts/fetch-mbedtls.sh DEST [ARCH]
#        scripts/fetch-mbedtls.sh --source DEST
#   ARCH is a Debian architecture (default: this machine's; arm64 and armhf
#   for the cross builds).
#
# --source: Debian 13's source package instead (apt-get source
# --download-only, then dpkg-source -x, which applies Debian's patches), for
# builds that compile mbedTLS themselves with a configuration of their own
# (the microcontroller lab, mcu/). It is unpacked into DEST/mbedtls-VERSION
# and the script prints that directory. Always trixie's, whatever the
# system's own package is.
#
# If the system's own libmbedtls-dev:ARCH is 3.6 or newer (Debian 13,
# Ubuntu 25.04), nothing is fetched and the script prints
#     --with-mbedtls=system
# Otherwise it downloads Debian 13's (trixie's) binary packages
# libmbedtls-dev, libmbedtls21, libmbedx509-7 and libmbedcrypto16 for ARCH
# from the Debian archive this machine already uses, unpacks them with
# dpkg-deb -x under DEST (headers in DEST/usr/include, libraries and .pc
# files in DEST/usr/lib/<triplet>) and prints
#     --with-mbedtls=DEST
# which is what configure needs. Progress goes to stderr.
#
# apt runs with a private, temporary source list, state and cache directory:
# the system's source lists, package lists and installed packages are not
# touched, and no root is needed. apt checks the archive's signature with the
# system's Debian keyring. Running it again reuses DEST.
#
# Environment: WS_DEBIAN_MIRROR (default: the Debian archive in the system's
# sources, else http://deb.debian.org/debian), WS_DEBIAN_SUITE (trixie).
# Exit status: 0 done, 1 a step failed (the message says which).
set -euo pipefail

usage="usage: fetch-mbedtls.sh DEST [ARCH] | fetch-mbedtls.sh --source DEST"
mode=binary
if [ "${1:-}" = --source ]; then
    mode=source
    shift
fi
dest=${1:?$usage}
arch=${2:-$(dpkg --print-architecture)}
suite=${WS_DEBIAN_SUITE:-trixie}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
packages=(libmbedtls-dev libmbedtls21 libmbedx509-7 libmbedcrypto16)

say() {
    printf '%s\n' "$*" >&2
}

fail() {
    say "fetch-mbedtls: $*"
    say "fetch-mbedtls: to build with the system's mbedTLS instead: --with-mbedtls=system"
    exit 1
}

# The system's own package, when it is recent enough, is the better choice
# (for the binary packages: a source tree is always trixie's).
system_version=$(dpkg-query -W -f='${Version}' "libmbedtls-dev:$arch" 2>/dev/null || true)
if [ "$mode" = binary ] && [ -n "$system_version" ] && dpkg --compare-versions "$system_version" ge 3.6; then
    say "the system's libmbedtls-dev:$arch is $system_version: using it"
    echo "--with-mbedtls=system"
    exit 0
fi

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
stamp="$dest/.fetched-$arch"
if [ "$mode" = source ]; then
    stamp="$dest/.fetched-source"
    if [ -f "$stamp" ] && [ -f "$(cat "$stamp")/include/mbedtls/version.h" ]; then
        say "mbedTLS source from Debian $suite already unpacked in $(cat "$stamp")"
        cat "$stamp"
        exit 0
    fi
elif [ -f "$stamp" ] && [ -f "$dest/usr/include/mbedtls/version.h" ]; then
    say "mbedTLS from Debian $suite already unpacked in $dest ($(cat "$stamp"))"
    echo "--with-mbedtls=$dest"
    exit 0
fi

if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    fail "needs apt-get and dpkg-deb (Debian or Ubuntu)"
fi
if [ "$mode" = source ] && ! command -v dpkg-source >/dev/null; then
    fail "--source needs dpkg-source (package dpkg-dev)"
fi
[ -r "$keyring" ] || fail "needs the Debian archive keyring $keyring (package debian-archive-keyring)"

# The mirror: the Debian archive (not -security, not a third-party source)
# that the system's sources already name.
mirror=${WS_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
    # shellcheck disable=SC2016 # $(REPO_URI) is apt's field name, not a shell expansion
    mirror=$(apt-get indextargets --format '$(REPO_URI)' 'Origin: Debian' 'Label: Debian' 2>/dev/null |
        sed -n 1p || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}

work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-mbedtls.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
# As root, apt downloads as the unprivileged user _apt: let it write there.
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
    chmod 755 "$work"
    chown _apt "$work/debs"
fi
cat >"$work/trixie.sources" <<EOF
Types: $([ "$mode" = source ] && echo deb-src || echo deb)
URIs: $mirror
Suites: $suite
Components: main
Architectures: $arch
Signed-By: $keyring
EOF
apt_options=(
    -o "Dir::Etc::SourceList=$work/trixie.sources"
    -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache"
    -o "APT::Architectures::=$arch"
    -q
)

say "fetching Debian $suite's mbedTLS ($([ "$mode" = source ] && echo source || echo "$arch")) from $mirror"
apt-get "${apt_options[@]}" update >&2 || fail "apt-get update failed for $mirror $suite"

if [ "$mode" = source ]; then
    # apt checks the .dsc and the tarballs against the signed Sources index;
    # dpkg-source then unpacks them and applies Debian's patches. (Without
    # the debian-keyring package it also warns that it cannot check the
    # uploader's own signature of the .dsc: apt's check is the one that
    # counts here.)
    (cd "$work/debs" && apt-get "${apt_options[@]}" source --download-only mbedtls) >&2 ||
        fail "apt-get source --download-only mbedtls failed"
    dsc=$(find "$work/debs" -maxdepth 1 -name 'mbedtls_*.dsc' | sed -n 1p)
    [ -n "$dsc" ] || fail "apt-get source downloaded no mbedtls_*.dsc"
    version=$(sed -n 's/^Version: //p' "$dsc")
    upstream=${version#*:}
    upstream=${upstream%-*}
    tree="$dest/mbedtls-$upstream"
    rm -rf "${tree:?}"
    dpkg-source --no-copy -x "$dsc" "$tree" >&2 || fail "dpkg-source -x $dsc failed"
    [ -f "$tree/include/mbedtls/version.h" ] || fail "the source package held no include/mbedtls/version.h"
    echo "$tree" >"$stamp"
    say "unpacked the mbedtls $version source package from $mirror $suite into $tree"
    echo "$tree"
    exit 0
fi
names=()
for package in "${packages[@]}"; do
    names+=("$package:$arch")
done
(cd "$work/debs" && apt-get "${apt_options[@]}" download "${names[@]}") >&2 ||
    fail "apt-get download ${names[*]} failed"

# A fresh prefix, so files of an older fetch never mix with these.
rm -rf "${dest:?}/usr"
for deb in "$work/debs"/*.deb; do
    dpkg-deb -x "$deb" "$dest" || fail "dpkg-deb -x $deb failed"
done
[ -f "$dest/usr/include/mbedtls/version.h" ] || fail "the packages held no mbedtls/version.h"
version=$(dpkg-deb -f "$work/debs/libmbedtls-dev_"*.deb Version)
echo "libmbedtls-dev $version $arch from $mirror $suite" >"$stamp"
say "unpacked libmbedtls-dev $version ($arch) into $dest"
echo "--with-mbedtls=$dest"
