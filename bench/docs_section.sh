#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/docs_section.sh OUTDIR [REPORTDIR | --note TEXT]
#
# Writes OUTDIR/this-build.md, the "This build" section of the documentation's
# benchmark page (docs/pages/benchmarks.md includes it with @include{doc}),
# and copies its charts to OUTDIR/bench-quick-*.png (docs/Doxyfile.in lists
# OUTDIR in IMAGE_PATH; the prefix keeps the names apart from other images).
#
# With REPORTDIR (what `make bench-quick` wrote through bench/report.sh), the
# section holds that run's summary tables and charts, and OUTDIR/link-validation.md
# when bench/link_validate.sh wrote it there. With --note TEXT, it
# holds TEXT instead: the build has no benchmarks, and the page says so.
# Everything is written to the build tree, never to the source tree.
set -eu

usage() {
    echo "usage: $0 OUTDIR REPORTDIR | $0 OUTDIR --note TEXT" >&2
    exit 1
}
[ $# -ge 2 ] || usage
out=$1
shift
mkdir -p "$out"
rm -f "$out"/bench-quick-*.png
page="$out/this-build.md.tmp"

if [ "$1" = --note ]; then
    [ $# -eq 2 ] || usage
    {
        echo "**No benchmark results for this build.** $2"
        echo "The stored full run above is the reference."
    } >"$page"
else
    [ $# -eq 1 ] || usage
    report=$1
    [ -f "$report/summary.md" ] || { echo "$0: no $report/summary.md (run bench/report.sh first)" >&2; exit 1; }
    {
        echo "These figures come from \`make bench-quick\`, run while this site was built: every"
        echo "benchmark once, for a few milliseconds, on whatever else the machine was doing at the"
        echo "time. They show that the benchmarks work on this build and give orders of magnitude;"
        echo "they carry no repetitions (so no CV, and the CV target is n/a), and a single run can be"
        echo "off by tens of per cent. Compare with the stored full run above, not with each other."
        echo
        cat "$report/summary.md"
        if [ -f "$out/link-validation.md" ]; then
            echo
            echo "The link model against a real run while this site was built: lesson 06 fetching a page"
            echo "from the lesson server through \`tools/lossy_link --tcp --tcp-handshake\` (bench/link_validate.sh),"
            echo "with the model's figures for the same suite from the run above:"
            echo
            cat "$out/link-validation.md"
        fi
        for chart in throughput:"Throughput against record size, with the raw AEAD bound (dashed)" \
            handshake-cpu:"Handshake CPU time per side" \
            link-time:"Time to the first application byte over five links, modelled: CPU under waiting" \
            dtls-loss:"DTLS 1.2 handshake completion time against packet loss (median, and the 90th percentile dashed)"; do
            name=${chart%%:*}
            [ -f "$report/$name.png" ] || continue
            cp "$report/$name.png" "$out/bench-quick-$name.png"
            echo
            echo "@image html bench-quick-$name.png \"${chart#*:} (this build, quick run)\""
        done
        if ! [ -f "$report/throughput.png" ]; then
            echo
            echo "(No charts: gnuplot was not found when the site was built.)"
        fi
    } >"$page"
fi
mv "$page" "$out/this-build.md"
