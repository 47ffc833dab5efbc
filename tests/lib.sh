# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared helpers for the shell tests (bash). A test sources it with
#   . "$(dirname "$0")/lib.sh"
#
# Every test runs in its own scratch directory and kills what it started on
# exit, so tests can run in parallel (make -j check) without colliding:
# servers listen on port 0 (the system picks a free port) or, for third-party
# servers that cannot, on a random port with retries.

top_builddir=${top_builddir:?run the tests through make check}
top_srcdir=${top_srcdir:?run the tests through make check}
CERTS_DIR=${CERTS_DIR:-$top_builddir/certs}
LESSONS="$top_builddir/lessons"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/workshop-test.XXXXXX")
# Cross builds run target programs through TARGET_RUN (e.g. qemu-aarch64):
# this wraps them in $SCRATCH/target and points LESSONS there (cross/README).
# shellcheck source=../cross/target-run.sh
[ -z "${TARGET_RUN:-}" ] || . "$top_srcdir/cross/target-run.sh"
BACKGROUND_PIDS=""
FAILURES=0
CHECKS=0

cleanup_test() {
    for pid in $BACKGROUND_PIDS; do
        kill "$pid" 2>/dev/null
    done
    for pid in $BACKGROUND_PIDS; do
        wait "$pid" 2>/dev/null
    done
    rm -rf "$SCRATCH"
}
trap cleanup_test EXIT
trap 'exit 1' INT TERM

# skip REASON: exit with Automake's "skipped" status.
skip() {
    echo "SKIP: $*"
    exit 77
}

# require_tool PATH NAME: skip unless a tool (found by configure) exists.
require_tool() {
    if [ -z "$1" ] || [ ! -x "$1" ]; then
        skip "$2 is not installed"
    fi
}

# pass/fail bookkeeping: check DESCRIPTION COMMAND...
check() {
    desc=$1
    shift
    CHECKS=$((CHECKS + 1))
    if "$@"; then
        echo "ok $CHECKS - $desc"
    else
        echo "not ok $CHECKS - $desc"
        FAILURES=$((FAILURES + 1))
    fi
}

# finish: exit 0 if every check passed.
finish() {
    echo "$CHECKS checks, $FAILURES failed"
    [ "$FAILURES" -eq 0 ] && [ "$CHECKS" -gt 0 ]
    exit $?
}

# contains FILE TEXT: the file contains the fixed string.
contains() {
    grep -qF -- "$2" "$1" || { echo "  expected '$2' in $1:"; sed 's/^/  | /' "$1" | head -40; return 1; }
}

# lacks FILE TEXT: the file does not contain the fixed string.
lacks() {
    ! grep -qF -- "$2" "$1" || { echo "  did not expect '$2' in $1"; return 1; }
}

# wait_for_line FILE PATTERN [SECONDS]: wait until a line matches (grep -E).
wait_for_line() {
    tries=$(( ${3:-10} * 10 ))
    while [ "$tries" -gt 0 ]; do
        grep -qE -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        tries=$((tries - 1))
    done
    echo "  timed out waiting for /$2/ in $1:"
    sed 's/^/  | /' "$1" 2>/dev/null | tail -20
    return 1
}

# start_lesson_server NAME [ARGS...]: start 08_server on a free port.
# Sets SERVER_PORT and SERVER_PID; output goes to $SCRATCH/NAME.out / .err.
start_lesson_server() {
    name=$1
    shift
    "$LESSONS/08_server" --port 0 "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &
    SERVER_PID=$!
    BACKGROUND_PIDS="$BACKGROUND_PIDS $SERVER_PID"
    wait_for_line "$SCRATCH/$name.out" '^listening on ' 10 || { cat "$SCRATCH/$name.err"; return 1; }
    SERVER_PORT=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$SCRATCH/$name.out")
    [ -n "$SERVER_PORT" ]
}

# random_port: a port number in 20000-59999 (for peers that cannot take 0).
random_port() {
    echo $(( ( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ) + 20000 ))
}

# start_on_random_port NAME READY_PATTERN COMMAND...: start a third-party
# server that cannot pick its own port on a random one, retrying on
# collisions; @PORT@ in the arguments becomes the port. Sets PEER_PORT and
# PEER_PID; output in $SCRATCH/NAME.log.
start_on_random_port() {
    local name=$1 ready=$2 attempt arg
    local log="$SCRATCH/$name.log"
    local -a args
    shift 2
    for attempt in 1 2 3 4 5; do
        PEER_PORT=$(random_port)
        args=()
        for arg in "$@"; do
            args+=("${arg//@PORT@/$PEER_PORT}")
        done
        : >"$log"
        "${args[@]}" </dev/null >"$log" 2>&1 &
        PEER_PID=$!
        if wait_for_line "$log" "$ready" 10 >/dev/null; then
            BACKGROUND_PIDS="$BACKGROUND_PIDS $PEER_PID"
            return 0
        fi
        kill "$PEER_PID" 2>/dev/null
        wait "$PEER_PID" 2>/dev/null
        echo "  attempt $attempt: could not start $name on port $PEER_PORT:"
        sed 's/^/  | /' "$log" | tail -5
    done
    return 1
}

# run NAME COMMAND...: run a command with a time limit, saving stdout, stderr
# and the exit status in $SCRATCH/NAME.{out,err,rc}.
run() {
    name=$1
    shift
    timeout 60 "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err"
    echo $? >"$SCRATCH/$name.rc"
}

# status_is NAME CODE: the command run as NAME exited with CODE.
status_is() {
    got=$(cat "$SCRATCH/$1.rc")
    [ "$got" = "$2" ] || {
        echo "  $1 exited with $got, expected $2; stdout/stderr:"
        sed 's/^/  | /' "$SCRATCH/$1.out" "$SCRATCH/$1.err" | tail -30
        return 1
    }
}

# lesson_ok NAME LESSON ARGS...: run a lesson; it must exit 0.
lesson_ok() {
    local name=$1 lesson=$2
    shift 2
    run "$name" "$LESSONS/$lesson" "$@"
    check "$lesson $* exits 0" status_is "$name" 0
}

# lesson_fails NAME CODE LESSON ARGS...: run a lesson; it must exit CODE.
lesson_fails() {
    local name=$1 code=$2 lesson=$3
    shift 3
    run "$name" "$LESSONS/$lesson" "$@"
    check "$lesson $* exits $code" status_is "$name" "$code"
}
