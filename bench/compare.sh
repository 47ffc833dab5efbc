#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/compare.sh A.json B.json: two tls_bench result files side by side
# (two boards, two mbedTLS versions, two builds), as a Markdown table.
#
# For every benchmark in both files: wall time (median when there were
# repetitions), CPU time, client+server peak heap for handshakes, and the
# ratio B / A of each. A ratio above 1 means B took longer (or used more).
# Benchmarks found in only one file are listed after the table.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 A.json B.json" >&2; exit 1; }
command -v jq >/dev/null || { echo "$0: jq is needed (apt-get install jq)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
for f in "$1" "$2"; do
    [ -r "$f" ] || { echo "$0: cannot read $f" >&2; exit 1; }
done

echo "# $(basename "$1") (A) vs $(basename "$2") (B)"
echo
for f in "$1" "$2"; do
    jq -r --arg f "$(basename "$f")" \
        '"- \($f): \(.context.mbedtls_version // "?"), \(.context.cpu_model // "?"), \(.context.build_flags // "?")"' "$f"
done
echo
echo "| benchmark | A wall us | B wall us | B/A | A CPU us | B CPU us | B/A | A peak heap | B peak heap | B/A |"
echo "|---|---|---|---|---|---|---|---|---|---|"
# The two normalised summaries are joined on the benchmark name.
jq -n -r --slurpfile a <(jq -f "$here/normalize.jq" "$1") --slurpfile b <(jq -f "$here/normalize.jq" "$2") '
  def heap: if .client_peak_heap then .client_peak_heap + .server_peak_heap else null end;
  def ratio(x; y): if x != null and y != null and x != 0 then ((y / x) * 1000 | round / 1000) else "-" end;
  def num(x): if x == null then "-" else (x * 10 | round / 10) end;
  ($a[0] | map({key: .name, value: .}) | from_entries) as $A
  | $b[0][] | select($A[.name] != null) | . as $B | $A[.name] as $X
  | "| \(.name) | \(num($X.real_us)) | \(num($B.real_us)) | \(ratio($X.real_us; $B.real_us)) | \(num($X.cpu_us)) | \(num($B.cpu_us)) | \(ratio($X.cpu_us; $B.cpu_us)) | \(num($X | heap)) | \(num($B | heap)) | \(ratio($X | heap; $B | heap)) |"'
only=$(jq -n -r --slurpfile a <(jq -f "$here/normalize.jq" "$1") --slurpfile b <(jq -f "$here/normalize.jq" "$2") '
  ([$a[0][].name]) as $an | ([$b[0][].name]) as $bn
  | (($an - $bn) | map("- only in A: " + .)) + (($bn - $an) | map("- only in B: " + .)) | .[]')
if [ -n "$only" ]; then
    echo
    echo "$only"
fi
