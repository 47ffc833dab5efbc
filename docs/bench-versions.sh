#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# docs/bench-versions.sh A.json B.json A-callgrind.md B-callgrind.md OUT.md:
# the benchmark page's "3.6 against 2.28" tables, made when the site is built
# by bench/compare.sh from the stored runs of the two versions (A the older),
# so that they follow the stored files when the runs are taken again.
#
# Writes OUT.md (docs/pages/benchmarks.md includes it): when and how each run
# was taken (from each file's JSON context: the load average before and after,
# the highest 1-minute load seen, the run's length; and each run's median CV), compare.sh's instruction table, and its table of timed
# medians and spreads restricted to the rows the page discusses (full and
# resumed handshakes with P-256, RSA-2048 and pre-shared keys, 16 KiB records,
# the handshake's pieces); then how many rows only one version has.
# `bench/compare.sh A.json B.json A-callgrind.md B-callgrind.md` prints all
# of them. Without jq the section says what is missing.
set -eu
usage="usage: bench-versions.sh A.json B.json A-callgrind.md B-callgrind.md OUT.md"
[ $# -eq 5 ] || { echo "$usage" >&2; exit 1; }
here=$(cd "$(dirname "$0")/.." && pwd)
out=$5
mkdir -p "$(dirname "$out")"
tmp="$out.tmp"

if ! command -v jq >/dev/null; then
    echo "(This comparison needs jq, which was not installed when this site was built.)" >"$out"
    exit 0
fi
compare=$(bash "$here/bench/compare.sh" "$1" "$2" "$3" "$4")

{
    echo "| | file | mbedTLS | taken (UTC) | length | load average before | after | highest 1-minute load seen | median CV, wall / CPU | CPU | compiler, flags | TLS 1.3 |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    side=A
    for f in "$1" "$2"; do
        # The spread of the whole run: the median over its rows of each
        # row's coefficient of variation over its repetitions.
        spread=$(jq -r -f "$here/bench/normalize.jq" "$f" | jq -r '
          def median: sort | if length == 0 then null else .[length / 2 | floor] end;
          def pct: if . == null then "-" else "\(. * 1000 | round / 10) %" end;
          "\(map(.cv_real | select(. != null)) | median | pct) / \(map(.cv_cpu | select(. != null)) | median | pct)"')
        jq -r --arg f "$(basename "$f")" --arg side "$side" --arg spread "$spread" '.context
          | "| \($side) | `\($f)` | \(.mbedtls_version) | \(.date | sub("\\+00:00$"; "") | sub("T"; " ")) | \(.ws_run_seconds // "?") s"
            + " | \(.ws_load_avg_before // "?" | gsub("/"; " ")) | \(.ws_load_avg_after // "?" | gsub("/"; " ")) | \(.ws_load_avg_1min_max // "?") | \($spread)"
            + " | \(.cpu_model) (\(.num_cpus)) | \(.compiler), `\(.build_flags)` | \(.mbedtls_tls13) |"' "$f"
        side=B
    done
    echo
    # compare.sh's output without its title and context lines (the table
    # above has them), the timed table cut to the rows the page reads, and the
    # rows of one version only counted per family.
    awk -v keep='^[|] (handshake/tls1[.]2/[^/ ]+/(ecdsa-p256|rsa2048|psk)(/cold|/resume-cache|/resume-ticket|/client-auth)?|throughput/[^ ]+/16384|cipher/[^ ]+/16384|breakdown/[^ ]+) [|]' '
        /^# / || /^- [^ ]+: / { next }
        /^- only in [AB]: / {
            side = $4; sub(":", "", side)
            family = $5; n = split(family, part, "/")
            family = part[1] ((part[1] == "handshake" || part[1] == "throughput") && n > 2 ? "/" part[2] : "")
            if (!((side, family) in only)) order[++count] = side SUBSEP family
            only[side, family]++
            next
        }
        /^[|] benchmark [|] A wall us/ { timed = 1 }
        timed && /^[|] [^-]/ && !/^[|] benchmark / && $0 !~ keep { next }
        nlines == 0 && $0 == "" { next }
        { lines[++nlines] = $0 }
        END {
            while (nlines > 0 && lines[nlines] == "") nlines--
            for (i = 1; i <= nlines; i++) print lines[i]
            if (count > 0) {
                print ""
                printf "Rows of one file only (not in the tables):"
                for (i = 1; i <= count; i++) {
                    split(order[i], k, SUBSEP)
                    printf "%s %d `%s` only in %s", (i > 1 ? "," : ""), only[order[i]], k[2], k[1]
                }
                print "."
            }
        }' <<<"$compare"
} >"$tmp"
mv "$tmp" "$out"
