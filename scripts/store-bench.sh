#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# scripts/store-bench.sh DEST_DIR BUILD_DIR... : take the benchmark's stored
# full runs, one build after the other on the same machine, and store them as
# DEST_DIR/stored-<mbedTLS major.minor>.json with the instruction counts as
# DEST_DIR/callgrind-<major.minor>.md (bench/testdata/ in the source tree;
# the docs' benchmark page is made from them).
#
# For each build, in the order given: the load average, then `make bench`'s
# run (bench/run.sh full: every benchmark 9 times) with the JSON context
# naming the run and the load average before it (ws_run,
# ws_load_avg_before), then the load average after it, the highest 1-minute
# load average sampled during it and the run's length (ws_load_avg_after,
# ws_load_avg_1min_max, ws_run_seconds, added by scripts/store-bench.jq,
# which keeps only the aggregates). All timed runs come first and the callgrind
# counts (bench/callgrind.sh; repeatable whatever the load) after them, so
# that valgrind never competes with a timed run. BENCH_FLAGS adds Google
# Benchmark flags to every timed run (a --benchmark_filter to take fewer
# families); say so in the docs when you use it.
# Progress and each run's load averages go to stderr. Exit status: 0 stored,
# 1 usage, 2 a build lacks bench/tls_bench, 3 a run failed.
set -eu

[ $# -ge 2 ] || { echo "usage: $0 DEST_DIR BUILD_DIR..." >&2; exit 1; }
dest=$(cd "$1" && pwd)
shift
top=$(cd "$(dirname "$0")/.." && pwd)
loadavg() {
    cut -d' ' -f1-3 /proc/loadavg
}

versions=()
for build in "$@"; do
    [ -x "$build/bench/tls_bench" ] || { echo "$0: no $build/bench/tls_bench (make bench/tls_bench)" >&2; exit 2; }
    version=$(sed -n 's/^MBEDTLS_VERSION = \([0-9]*\.[0-9]*\).*/\1/p' "$build/Makefile")
    [ -n "$version" ] || { echo "$0: no MBEDTLS_VERSION in $build/Makefile" >&2; exit 2; }
    versions+=("$version")
done

i=0
for build in "$@"; do
    version=${versions[$i]}
    i=$((i + 1))
    before=$(loadavg)
    start=$(date +%s)
    echo "store-bench: mbedTLS $version, load average before: $before" >&2
    # The 1-minute load average every 10 s while the run lasts: its highest
    # value goes into the context too (ws_load_avg_1min_max).
    samples=$(mktemp "${TMPDIR:-/tmp}/store-bench.XXXXXX")
    (while :; do cut -d' ' -f1 /proc/loadavg >>"$samples"; sleep 10; done) &
    sampler=$!
    # shellcheck disable=SC2086 # BENCH_FLAGS is a list of flags
    (cd "$build" && make -s certs/pki.stamp >/dev/null &&
        bash "$top/bench/run.sh" full bench/tls_bench bench/results ${BENCH_FLAGS:-} \
            "--benchmark_context=ws_run=stored full run mbedTLS $version (make bench: 9 repetitions),ws_load_avg_before=${before// //}") ||
        { kill "$sampler"; rm -f "$samples"; echo "$0: the run of $build failed" >&2; exit 3; }
    kill "$sampler"
    wait "$sampler" 2>/dev/null || true
    after=$(loadavg)
    peak=$(sort -g "$samples" | tail -1)
    rm -f "$samples"
    seconds=$(($(date +%s) - start))
    echo "store-bench: mbedTLS $version took $seconds s, load average after: $after, 1-minute peak $peak" >&2
    jq --arg after "${after// //}" --arg seconds "$seconds" --arg peak "$peak" \
        --arg note "aggregates only (mean, median, stddev, cv of the repetitions; the DTLS loss family's single run), by scripts/store-bench.sh" \
        -f "$top/scripts/store-bench.jq" "$build/bench/results/full.json" >"$dest/stored-$version.json"
done
i=0
for build in "$@"; do
    version=${versions[$i]}
    i=$((i + 1))
    (cd "$build" && bash "$top/bench/callgrind.sh" bench/tls_bench "$dest/callgrind-$version.md" >/dev/null) ||
        { echo "$0: the instruction counts of $build failed" >&2; exit 3; }
done
echo "store-bench: stored in $dest: ${versions[*]}" >&2
