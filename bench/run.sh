#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/run.sh MODE TLS_BENCH OUTDIR [GOOGLE BENCHMARK FLAGS...]
#
# Runs the benchmarks and writes OUTDIR/MODE.json (Google Benchmark's JSON),
# OUTDIR/MODE.txt (the console table) and the report OUTDIR/MODE/report.md.
# Progress goes to stderr. MODE is
#   quick  every benchmark once, briefly (under 30 s on 2 cores), the DTLS loss
#          family over 20 seeds instead of 200: a sanity run;
#   full   every benchmark 9 times (medians and CV), about 6-8 minutes on 2 cores.
set -eu

[ $# -ge 3 ] || { echo "usage: $0 quick|full TLS_BENCH OUTDIR [FLAGS...]" >&2; exit 1; }
mode=$1
bench=$2
outdir=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)

case $mode in
quick) flags=(--benchmark_min_time=0.02 --ws_loss_seeds=20) ;;
full) flags=(--benchmark_min_time=0.15 --benchmark_repetitions=9) ;;
*) echo "$0: unknown mode $mode" >&2; exit 1 ;;
esac

mkdir -p "$outdir"
json="$outdir/$mode.json"
start=$(date +%s)
echo "tls_bench: $mode run, results in $json" >&2
# In a cross build TARGET_RUN (from configure, e.g. qemu-aarch64) runs the
# target binary; timings under an emulator only show that it works.
# shellcheck disable=SC2086 # TARGET_RUN is a command with its arguments
${TARGET_RUN:-} "$bench" "${flags[@]}" --benchmark_out="$json" --benchmark_out_format=json "$@" >"$outdir/$mode.txt"
echo "tls_bench: $mode run took $(($(date +%s) - start)) s" >&2
bash "$here/report.sh" "$json" "$outdir/$mode"
