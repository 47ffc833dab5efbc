#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Run several libFuzzer targets for a bounded time each, a few at a time (`make fuzz`).
#
#   usage: run-fuzzers.sh SECONDS JOBS CORPUS_ROOT SEEDS_ROOT BINARY...
#
# Each BINARY (fuzz/fuzz_X) runs for SECONDS through run-fuzzer.sh, seeded from CORPUS_ROOT/X
# and, when it exists, SEEDS_ROOT/X (fresh seeds recorded by this build). JOBS of them run at
# once; each one's output goes to $FUZZ_LOG_DIR/fuzz_X.log (default ./fuzz-logs), and is shown
# when it fails. At the end, one line per target: executions, libFuzzer's coverage figures
# (cov: code edges reached, ft: features) and the corpus it ended with.
#
# Exit status: 0 no target crashed, 1 one did (or failed to run), 2 usage error.
set -eu

USAGE="SECONDS JOBS CORPUS_ROOT SEEDS_ROOT BINARY..."
here=$(dirname "$0")
# shellcheck source=fuzz-args.sh
. "$here/fuzz-args.sh"

need_args 5 $#
seconds=$1
jobs=$2
corpus_root=$3
seeds_root=$4
shift 4
need_number JOBS "$jobs" positive
logs=${FUZZ_LOG_DIR:-fuzz-logs}
mkdir -p "$logs"

# The figures of one finished run, from libFuzzer's last status line and final statistics.
summary() {
    log=$logs/$1.log
    done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(echo "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$done_line" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
    printf '  %-22s %s: %s executions in %s s, cov %s, ft %s, corpus %s\n' "$1" "$2" "${execs:-?}" \
        "$seconds" "${cov:-?}" "${ft:-?}" "${corp:-?}"
}

# Start one target in the background.
start_one() {
    name=$(basename "$1")
    set -- "$1" "$corpus_root/${name#fuzz_}" "$seconds" "$seeds_root/${name#fuzz_}"
    [ -d "$4" ] || set -- "$1" "$2" "$3"
    sh "$here/run-fuzzer.sh" "$@" >"$logs/$name.log" 2>&1 &
    batch_pids="$batch_pids $!"
    batch_names="$batch_names $name"
}

# Wait for the targets started since the last batch, and say how each did.
finish_batch() {
    [ -n "$batch_pids" ] || return 0
    echo "  . Fuzzing$batch_names for $seconds s each, at the same time..."
    # shellcheck disable=SC2086 # the names are words
    set -- $batch_names
    for pid in $batch_pids; do
        if wait "$pid"; then
            summary "$1" ok
        else
            summary "$1" FAILED
            sed 's/^/    | /' "$logs/$1.log" | tail -40 >&2
            failed=1
        fi
        shift
    done
    batch_pids=""
    batch_names=""
}

failed=0
batch_pids=""
batch_names=""
started=0
for binary in "$@"; do
    start_one "$binary"
    started=$((started + 1))
    [ $((started % jobs)) -ne 0 ] || finish_batch
done
finish_batch
[ "$failed" -eq 0 ] || { echo "  . Fuzzing failed: inputs that crash are in ${FUZZ_ARTIFACT_DIR:-fuzz-artifacts}/" >&2; exit 1; }
echo "  . Fuzzing ok: no target crashed"
