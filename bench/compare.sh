#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/compare.sh A.json B.json [A-callgrind.md B-callgrind.md]: two
# tls_bench result files side by side (two boards, two mbedTLS versions, two
# builds), as Markdown tables.
#
# With the two instruction-count tables of bench/callgrind.sh (made with the
# same two builds), they come first: instructions per iteration and B / A,
# for every row of either table ("-" where one build has no such benchmark).
# Counts are repeatable; times on a shared machine are not.
#
# For every benchmark in both JSON files: wall time (median when there were
# repetitions), CPU time, client+server peak heap for handshakes, the ratio
# B / A of each, and the wall time's coefficient of variation over the
# repetitions in each file ("-" for a single run). A ratio above 1 means B
# took longer (or used more).
# Results of the microcontroller lab (mcu/lab.sh) get a second table with
# the figures per side: flash, peak heap, stack and instructions.
# Benchmarks found in only one file are listed after the table.
set -eu

[ $# -eq 2 ] || [ $# -eq 4 ] || { echo "usage: $0 A.json B.json [A-callgrind.md B-callgrind.md]" >&2; exit 1; }
command -v jq >/dev/null || { echo "$0: jq is needed (apt-get install jq)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
for f in "$@"; do
    [ -r "$f" ] || { echo "$0: cannot read $f" >&2; exit 1; }
done

echo "# $(basename "$1") (A) vs $(basename "$2") (B)"
echo
for f in "$1" "$2"; do
    jq -r --arg f "$(basename "$f")" \
        '"- \($f): \(.context.mbedtls_version // "?"), \(.context.cpu_model // "?"), \(.context.build_flags // "?"), taken \(.context.date // "?"), load average at the start \(.context.load_avg // ["?"] | map(if type == "number" then (. * 100 | round / 100) else . end | tostring) | join(" "))"' "$f"
done
echo
if [ $# -eq 4 ]; then
    echo "Instructions per iteration (bench/callgrind.sh): $(basename "$3") (A), $(basename "$4") (B)."
    echo
    echo "| benchmark | A instructions | B instructions | B/A |"
    echo "|---|---|---|---|"
    # The rows of A in A's order, then those only B has; each table's rows
    # are "| name | count |".
    awk -F' *[|] *' '
        FNR == 1 { file++ }
        NF == 4 && $3 ~ /^[0-9]+$/ {
            if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }
            count[file, $2] = $3
        }
        END {
            for (i = 1; i <= n; i++) {
                name = order[i]; a = count[1, name]; b = count[2, name]
                ratio = (a != "" && b != "" && a > 0) ? sprintf("%.3f", b / a) : "-"
                printf "| %s | %s | %s | %s |\n", name, a == "" ? "-" : a, b == "" ? "-" : b, ratio
            }
        }' "$3" "$4"
    echo
fi
echo "| benchmark | A wall us | B wall us | B/A | A CPU us | B CPU us | B/A | A peak heap | B peak heap | B/A | A wall CV | B wall CV |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
# The two normalised summaries are joined on the benchmark name.
jq -n -r --slurpfile a <(jq -f "$here/normalize.jq" "$1") --slurpfile b <(jq -f "$here/normalize.jq" "$2") '
  def heap: if .client_peak_heap then .client_peak_heap + .server_peak_heap else null end;
  def ratio(x; y): if x != null and y != null and x != 0 then ((y / x) * 1000 | round / 1000) else "-" end;
  def num(x): if x == null then "-" else (x * 10 | round / 10) end;
  def pct(x): if x == null then "-" else "\(x * 1000 | round / 10) %" end;
  ($a[0] | map({key: .name, value: .}) | from_entries) as $A
  | $b[0][] | select($A[.name] != null) | . as $B | $A[.name] as $X
  | "| \(.name) | \(num($X.real_us)) | \(num($B.real_us)) | \(ratio($X.real_us; $B.real_us)) | \(num($X.cpu_us)) | \(num($B.cpu_us)) | \(ratio($X.cpu_us; $B.cpu_us)) | \(num($X | heap)) | \(num($B | heap)) | \(ratio($X | heap; $B | heap)) | \(pct($X.cv_real)) | \(pct($B.cv_real)) |"'
# The microcontroller lab's figures (mcu/lab.sh), per side, when both files
# have them: mbedTLS's flash, peak heap, stack and instructions.
if jq -e -n --slurpfile a <(jq -f "$here/normalize.jq" "$1") --slurpfile b <(jq -f "$here/normalize.jq" "$2") \
    '[$a[0][], $b[0][] | select(.client_instructions != null)] | length > 0' >/dev/null; then
    echo
    echo "| benchmark | side | A flash | B flash | B/A | A peak heap | B peak heap | B/A | A stack | B stack | B/A | A instructions | B instructions | B/A |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    jq -n -r --slurpfile a <(jq -f "$here/normalize.jq" "$1") --slurpfile b <(jq -f "$here/normalize.jq" "$2") '
      def ratio(x; y): if x != null and y != null and x != 0 then ((y / x) * 1000 | round / 1000) else "-" end;
      def num(x): if x == null then "-" else x end;
      ($a[0] | map({key: .name, value: .}) | from_entries) as $A
      | $b[0][] | select(.client_instructions != null and $A[.name] != null) | . as $B | $A[.name] as $X
      | ["client", "server"][] as $s
      | [$X[$s + "_flash"], $B[$s + "_flash"], $X[$s + "_peak_heap"], $B[$s + "_peak_heap"],
         $X[$s + "_stack"], $B[$s + "_stack"], $X[$s + "_instructions"], $B[$s + "_instructions"]] as $v
      | "| \($B.name) | \($s) | \(num($v[0])) | \(num($v[1])) | \(ratio($v[0]; $v[1])) | \(num($v[2])) | \(num($v[3])) | \(ratio($v[2]; $v[3])) | \(num($v[4])) | \(num($v[5])) | \(ratio($v[4]; $v[5])) | \(num($v[6])) | \(num($v[7])) | \(ratio($v[6]; $v[7])) |"'
fi
only=$(jq -n -r --slurpfile a <(jq -f "$here/normalize.jq" "$1") --slurpfile b <(jq -f "$here/normalize.jq" "$2") '
  ([$a[0][].name]) as $an | ([$b[0][].name]) as $bn
  | (($an - $bn) | map("- only in A: " + .)) + (($bn - $an) | map("- only in B: " + .)) | .[]')
if [ -n "$only" ]; then
    echo
    echo "$only"
fi
