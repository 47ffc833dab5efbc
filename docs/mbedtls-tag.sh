#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# docs/mbedtls-tag.sh DOXYGEN VERSION OUT.tag CC [CFLAGS...]: a Doxygen tag
# file of the mbedTLS headers this build compiles against, pointing at the
# upstream API reference of that very release on Read the Docs,
#   https://mbed-tls.readthedocs.io/projects/api/en/vVERSION/
# so that every mbedTLS identifier on the site (in text, code spans and
# @snippet code) links to its documentation, and the site's search finds it.
#
# The headers are found the way the compiler finds them (CC CFLAGS -M on an
# #include <mbedtls/ssl.h>). Doxygen reads them with the settings upstream
# uses for its own API documentation (doxygen/mbedtls.doxyfile of 2.28 and
# 3.6): its anchors are MD5 sums of each declaration, so the same settings
# give the same anchors. Upstream's site is Sphinx (Breathe) built from
# Doxygen's XML, with one page per file, struct or group and each member at
# an id made of the page's Doxygen name and the anchor:
#   ssl_8h.html#a4a37...   becomes   api/file/ssl_8h/index.html#ssl_8h_1a4a37...
# The tag file is rewritten to those addresses; directories and pages, which
# that site does not have, are left out, and so are the build's paths.
# Exit status: 0 written, 1 failed (the message says why).
set -u

doxygen=${1:?usage: mbedtls-tag.sh DOXYGEN VERSION OUT.tag CC [CFLAGS...]}
version=${2:?usage: mbedtls-tag.sh DOXYGEN VERSION OUT.tag CC [CFLAGS...]}
out=${3:?usage: mbedtls-tag.sh DOXYGEN VERSION OUT.tag CC [CFLAGS...]}
shift 3
[ $# -gt 0 ] || { echo "mbedtls-tag.sh: no compiler given" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/workshop-tag.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT

# The include directory that holds mbedtls/ssl.h for this compiler and flags.
printf '#include <mbedtls/ssl.h>\n' >"$scratch/probe.c"
header=$("$@" -M "$scratch/probe.c" 2>"$scratch/cc.err" | tr -s '\\ ' '\n' | grep '/mbedtls/ssl\.h$' | head -n 1)
if [ -z "$header" ]; then
    echo "mbedtls-tag.sh: the compiler did not find <mbedtls/ssl.h>:" >&2
    cat "$scratch/cc.err" >&2
    exit 1
fi
include=$(cd "$(dirname "$header")/.." && pwd) || exit 1
inputs="$include/mbedtls"
[ -d "$include/psa" ] && inputs="$inputs $include/psa"

# Upstream's settings (2.28 expands no macros; 3.6 expands only its own).
case $version in
2.*) preprocess="MACRO_EXPANSION = NO" ;;
*)
    preprocess='MACRO_EXPANSION = YES
EXPAND_ONLY_PREDEF = YES
EXPAND_AS_DEFINED = MBEDTLS_PRIVATE
PREDEFINED = "MBEDTLS_CHECK_RETURN_CRITICAL=" "MBEDTLS_CHECK_RETURN_TYPICAL=" "MBEDTLS_CHECK_RETURN_OPTIONAL=" "MBEDTLS_PRINTF_ATTRIBUTE(a,b)=" "__DOXYGEN__"'
    ;;
esac
cat >"$scratch/Doxyfile" <<EOF
INPUT = $inputs
FILE_PATTERNS = *.h
RECURSIVE = YES
FULL_PATH_NAMES = NO
OPTIMIZE_OUTPUT_FOR_C = YES
EXTRACT_ALL = YES
EXTRACT_PRIVATE = YES
EXTRACT_STATIC = YES
CASE_SENSE_NAMES = NO
INCLUDE_PATH = $include
$preprocess
OUTPUT_DIRECTORY = $scratch/out
GENERATE_HTML = NO
GENERATE_LATEX = NO
GENERATE_TAGFILE = $scratch/raw.tag
QUIET = YES
WARNINGS = NO
HAVE_DOT = NO
EOF
if ! "$doxygen" "$scratch/Doxyfile" >"$scratch/doxygen.log" 2>&1 || [ ! -s "$scratch/raw.tag" ]; then
    echo "mbedtls-tag.sh: Doxygen could not read the mbedTLS headers in $include:" >&2
    tail -n 5 "$scratch/doxygen.log" >&2
    exit 1
fi

perl -e '
use strict;
use warnings;
local $/;
my $tag = <STDIN>;
# kind PAGE: the directory Breathe puts a Doxygen page in.
sub kind {
    my $page = shift;
    return "struct" if $page =~ /^struct/;
    return "union" if $page =~ /^union/;
    return "group" if $page =~ /^group__/;
    return "file";
}
sub page { my $p = shift; return "api/" . kind($p) . "/$p/index.html"; }
$tag =~ s{\s*<compound kind="(?:dir|page)">.*?</compound>}{}gs;
$tag =~ s{\s*<path>[^<]*</path>}{}g;
$tag =~ s{<filename>([^<]+?)(?:\.html)?</filename>}{"<filename>" . page($1) . "</filename>"}ge;
$tag =~ s{<anchorfile>([^<]+?)(?:\.html)?</anchorfile>(\s*)<anchor>([^<]*)</anchor>}
         {"<anchorfile>" . page($1) . "</anchorfile>$2<anchor>" . ($3 eq "" ? "" : "$1_1$3") . "</anchor>"}ge;
print $tag;
' <"$scratch/raw.tag" >"$out.tmp" || { rm -f "$out.tmp"; exit 1; }
mv "$out.tmp" "$out" || exit 1
echo "mbedtls-tag.sh: $(grep -c '<member ' "$out") mbedTLS $version symbols from $include"
