#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/callgrind.sh TLS_BENCH OUT.md: instructions per handshake (and per
# 16 KiB record, through TLS and through the raw AEAD bound) under valgrind's
# callgrind.
#
# Wall-clock figures on a shared machine move by several per cent between
# runs; instruction counts do not, so they settle comparisons that noise
# would blur (two builds, two library versions). Each benchmark runs in
# tls_bench's bare mode (--ws_bare, no Google Benchmark), and callgrind counts
# only inside the measured function (--toggle-collect), so setup is excluded.
# Never read times from this mode: valgrind slows everything down ~50x.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 TLS_BENCH OUT.md" >&2; exit 1; }
bench=$1
out=$2
valgrind=${VALGRIND:-valgrind}
command -v "$valgrind" >/dev/null || { echo "$0: valgrind is needed" >&2; exit 2; }
iterations=${CALLGRIND_ITERATIONS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/callgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"

# name|function that callgrind counts. A row the binary does not have (the
# TLS 1.3 ones against 2.28) is left out.
cases="handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256|tls_pair_handshake
handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256/cold|tls_pair_cold_handshake
handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256/resume-cache|tls_pair_handshake
handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256/resume-ticket|tls_pair_handshake
handshake/tls1.2/ECDHE-RSA-AES128-GCM-SHA256/rsa2048|tls_pair_handshake
handshake/tls1.2/ECDHE-PSK-CHACHA20-POLY1305/psk|tls_pair_handshake
handshake/tls1.3/TLS_AES_128_GCM_SHA256/ecdsa-p256|tls_pair_handshake
handshake/tls1.3/TLS_AES_128_GCM_SHA256/ecdsa-p256/resume-ticket|tls_pair_handshake
handshake/tls1.3/TLS_AES_128_GCM_SHA256/rsa2048|tls_pair_handshake
throughput/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/16384|tls_pair_transfer
throughput/tls1.2/ECDHE-ECDSA-CHACHA20-POLY1305/16384|tls_pair_transfer
throughput/tls1.3/TLS_AES_128_GCM_SHA256/16384|tls_pair_transfer
cipher/AES-128-GCM/16384|seal_and_open
cipher/CHACHA20-POLY1305/16384|seal_and_open"

{
    echo "Instructions per iteration counted by callgrind ($iterations iterations each, setup excluded)."
    echo
    echo "| benchmark | instructions per iteration |"
    echo "|---|---|"
} >"$out"
available=$("$bench" --ws_list)
while IFS='|' read -r name function; do
    grep -qxF "$name" <<<"$available" || continue
    echo "callgrind: $name" >&2
    "$valgrind" --tool=callgrind --callgrind-out-file="$work/cg.out" --collect-atstart=no \
        --toggle-collect="$function" "$bench" --ws_bare="$name" --ws_iterations="$iterations" \
        >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
    total=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$work/cg.out")
    [ -n "$total" ] || total=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$work/cg.out")
    printf '| %s | %s |\n' "$name" "$((total / iterations))" >>"$out"
done <<<"$cases"
# instructions NAME: the count of one row ("" when it was not measured).
instructions() {
    awk -F' [|] ' -v n="$1" '$1 == "| " n { print $2 + 0 }' "$out"
}
# The raw AEAD rows are the bound of the throughput rows: TLS must execute
# more instructions per record than the AEAD alone (ratio above 1).
ratios=
for pair in "AES-128-GCM ECDHE-ECDSA-AES128-GCM-SHA256" "CHACHA20-POLY1305 ECDHE-ECDSA-CHACHA20-POLY1305"; do
    tls=$(instructions "throughput/tls1.2/${pair#* }/16384")
    raw=$(instructions "cipher/${pair% *}/16384")
    if [ -n "$tls" ] && [ -n "$raw" ] && [ "$raw" -gt 0 ]; then
        ratios="$ratios${ratios:+, }${pair% *} $(awk -v t="$tls" -v r="$raw" 'BEGIN { printf "%.3f", t / r }')"
    fi
done
if [ -n "$ratios" ]; then
    {
        echo
        echo "TLS transfer / raw AEAD bound, instructions per 16 KiB record: $ratios."
    } >>"$out"
fi
echo "callgrind: $out" >&2
cat "$out"
