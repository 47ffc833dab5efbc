#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# docs/bench-stored.sh STORED.json OUTDIR: the benchmark page's charts and
# "what to pick" table of the stored full run, made when the site is built
# from the stored result itself (bench/report.sh, bench/charts.sh,
# bench/recommend.jq), so that they follow it when the run is taken again.
# Writes OUTDIR/stored-run.md and OUTDIR/stored-summary.md (report.sh's
# summary: targets and key figures; docs/pages/benchmarks.md includes both)
# and the charts as OUTDIR/stored-NAME.svg (docs/Doxyfile.in lists OUTDIR in
# IMAGE_PATH). Without jq or gnuplot the section says what is missing.
set -eu
stored=${1:?usage: bench-stored.sh STORED.json OUTDIR}
out=${2:?usage: bench-stored.sh STORED.json OUTDIR}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
rm -f "$out"/stored-*
page="$out/stored-run.md.tmp"

if ! command -v jq >/dev/null; then
    echo "(The charts and the table below need jq, which was not installed when this site was built.)" >"$page"
    echo "(The figures need jq, which was not installed when this site was built.)" >"$out/stored-summary.md"
    mv "$page" "$out/stored-run.md"
    exit 0
fi
bash "$here/bench/report.sh" "$stored" "$out/report" >/dev/null
cp "$out/report/summary.md" "$out/stored-summary.md"
{
    echo "What to pick, per use case, computed from this run's medians when the site was built"
    echo "(\`bench/recommend.jq\`): the best suite that authenticates with certificates, and the best"
    echo "with a pre-shared key, which needs a key provisioned in every device. The certificate"
    echo "column leaves out the plain RSA key exchange, which has no forward secrecy (TLS 1.3"
    echo "removed it); a close second is marked when it is within twice the CV of the winner."
    echo
    cat "$out/report/recommendations.md"
    if [ -f "$out/report/handshake-cpu.svg" ]; then
        for chart in handshake-cpu:"CPU time of a full handshake, per side" \
            where:"Where the time goes: each part of a handshake timed alone, and the rest" \
            throughput:"Throughput against record size: each suite (solid) and the raw AEAD bound it cannot beat (dashed) in the same colour" \
            handshake-bytes:"Bytes on the wire per full handshake" \
            handshake-heap:"Peak heap per full handshake"; do
            name=${chart%%:*}
            [ -f "$out/report/$name.svg" ] || continue
            cp "$out/report/$name.svg" "$out/stored-$name.svg"
            echo
            echo "@image html stored-$name.svg \"${chart#*:} (stored full run)\""
        done
    else
        echo
        echo "(No charts: gnuplot was not installed when this site was built.)"
    fi
} >"$page"
mv "$page" "$out/stored-run.md"
