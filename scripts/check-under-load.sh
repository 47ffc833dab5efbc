#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Run `make check` several times in a row while every core is kept busy by
# another process, to prove that no test depends on a quiet machine (the
# tests scale their time limits to the machine's measured speed: see
# tests/lib.sh). Uses stress-ng when it is installed, else busy shell loops.
#
# Usage: scripts/check-under-load.sh BUILD_DIR [RUNS] [MAKE_ARGS...]
#   RUNS defaults to 3. Exit status: 0 when every run passed, 1 otherwise.
set -u

build=${1:?usage: check-under-load.sh BUILD_DIR [RUNS] [MAKE_ARGS...]}
runs=${2:-3}
shift $(($# >= 2 ? 2 : 1))
cores=$(nproc 2>/dev/null || echo 2)
load_pids=()

stop_load() {
    [ ${#load_pids[@]} -eq 0 ] || kill "${load_pids[@]}" 2>/dev/null
    wait 2>/dev/null
}
trap stop_load EXIT
trap 'exit 1' INT TERM

if command -v stress-ng >/dev/null 2>&1; then
    stress-ng --cpu "$cores" --quiet >/dev/null 2>&1 &
    load_pids+=($!)
    echo "check-under-load: stress-ng --cpu $cores keeps the cores busy"
else
    for _ in $(seq "$cores"); do
        (while :; do :; done) &
        load_pids+=($!)
    done
    echo "check-under-load: $cores busy loops keep the cores busy"
fi

failed=0
for run in $(seq "$runs"); do
    start=$SECONDS
    # A fresh calibration for every run: the load is part of the machine now.
    rm -f "$build/tests/time-scale.txt"
    if make -C "$build" check "$@" >"$build/check-under-load-$run.log" 2>&1; then
        result=passed
    else
        result=FAILED
        failed=$((failed + 1))
        sed -n '/^FAIL\|^ERROR/,$p' "$build/test-suite.log" | head -100
    fi
    echo "check-under-load: run $run of $runs $result in $((SECONDS - start)) s" \
        "($(grep -h '^# time limits' "$build"/tests/*.log 2>/dev/null | sort | uniq -c | sort -rn | head -1 | sed 's/^ *[0-9]* //'))"
done
echo "check-under-load: $((runs - failed)) of $runs runs passed"
[ "$failed" -eq 0 ]
