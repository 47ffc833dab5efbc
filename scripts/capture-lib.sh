# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# What docs/capture.sh and scripts/capture-reliability.sh share: the
# command line (BUILD_DIR OUT_DIR), a scratch directory, starting and stopping
# lesson servers on free ports, and killing whatever is left at exit.
# Source it with the script's own arguments: . capture-lib.sh "$@"
# Sets: builddir, outdir (absolute), scratch; the working directory becomes
# builddir and WORKSHOP_CERTS_DIR=certs, so transcripts show the paths a
# reader in the build directory would type.

capture_name=$(basename "$0")
builddir=${1:?usage: $capture_name BUILD_DIR OUT_DIR}
outdir=${2:?usage: $capture_name BUILD_DIR OUT_DIR}
mkdir -p "$outdir" || exit 2
outdir=$(cd "$outdir" && pwd) || exit 2
cd "$builddir" || exit 2

export WORKSHOP_CERTS_DIR=certs
scratch=$(mktemp -d "${TMPDIR:-/tmp}/workshop-capture.XXXXXX") || exit 2
capture_pids=""

capture_cleanup() {
    for pid in $capture_pids; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$scratch"
}
trap capture_cleanup EXIT
trap 'exit 1' INT TERM

# keep_pid PID: kill this background process at exit if it is still running.
keep_pid() {
    capture_pids="$capture_pids $1"
}

# started NAME PID: wait (at most 10 s) for "listening on ...:PORT" in
# $scratch/NAME.log; sets PORT. Exit 3 if the process dies or never says it.
started() {
    local tries=100
    until grep -q '^listening on ' "$scratch/$1.log"; do
        tries=$((tries - 1))
        if [ "$tries" -eq 0 ] || ! kill -0 "$2" 2>/dev/null; then
            echo "$capture_name: $1 did not start:" >&2
            cat "$scratch/$1.log" >&2
            exit 3
        fi
        sleep 0.1
    done
    # shellcheck disable=SC2034 # PORT is for the scripts that source this file
    PORT=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$scratch/$1.log")
}

# start_program NAME PROGRAM ARGS...: a program of the build that prints
# "listening on HOST:PORT", in the background, stdout and stderr merged into
# $scratch/NAME.log; sets PORT and SERVER_PID.
start_program() {
    local name=$1
    shift
    : >"$scratch/$name.log"
    "$@" >"$scratch/$name.log" 2>&1 </dev/null &
    SERVER_PID=$!
    keep_pid "$SERVER_PID"
    started "$name" "$SERVER_PID"
}

# start_server NAME ARGS...: 08_server on a free port; see start_program.
start_server() {
    local name=$1
    shift
    start_program "$name" lessons/08_server --port 0 "$@"
}

# stop_server: SIGTERM the last server started; waits at most 10 s.
stop_server() {
    local tries=100
    kill -TERM "$SERVER_PID" 2>/dev/null
    while kill -0 "$SERVER_PID" 2>/dev/null && [ "$tries" -gt 0 ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    kill -9 "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
}
