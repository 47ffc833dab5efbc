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

# The test script itself, by absolute path (tests may cd elsewhere).
TEST_SCRIPT=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

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
    echo "$CHECKS checks, $FAILURES failed, in ${SECONDS} s"
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

# ---------------------------------------------------------------------------
# Time limits that follow the machine's speed.
#
# Every time limit in these tests is written for a machine on which one
# calibration run (08_server starts, lesson 05 makes one full handshake with
# it, both exit) takes at most WS_REFERENCE_MS. That is about twice what it
# takes on the 2-core machine the workshop is developed on, busy with a
# parallel `make check`. A slower or busier machine, or a board emulated by
# qemu, measures its own time T, and every limit is multiplied by
# T / WS_REFERENCE_MS (never by less than 1): scaled_ms and scaled_s, and the
# limits of run, wait_for_line and wait_within. So a limit keeps the same
# margin over the work it waits for, wherever it runs. The measurement is
# shared by the tests of one `make check` (a file in the build tree, measured
# again when older than 5 minutes). WS_TIME_SCALE=FACTOR in the environment
# imposes a factor instead (for example 20 on a slow board).
WS_REFERENCE_MS=250
WS_CALIBRATION_FILE="$top_builddir/tests/time-scale.txt"

# now_ms: milliseconds on the system clock (for measuring intervals here).
now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# listening_port FILE: the port of the "listening on HOST:PORT" line in FILE.
listening_port() {
    sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$1" | head -1
}

# measure_calibration_ms: one calibration run, as described above. The
# limits here are hang guards only (10 minutes): nothing about the machine's
# speed is assumed before it is measured. Prints the milliseconds, or
# nothing when the run failed.
measure_calibration_ms() {
    local out="$SCRATCH/calibration" start pid port tries=6000 rc
    start=$(now_ms)
    "$LESSONS/08_server" --port 0 --max-connections 1 >"$out.srv" 2>&1 &
    pid=$!
    until grep -q '^listening on ' "$out.srv" 2>/dev/null; do
        if [ "$tries" -le 0 ] || ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
        tries=$((tries - 1))
    done
    port=$(listening_port "$out.srv")
    if [ -n "$port" ]; then
        timeout 600 "$LESSONS/05_handshake" --port "$port" >"$out.cli" 2>&1
        rc=$?
    else
        rc=1
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ "$rc" -eq 0 ] && echo $(($(now_ms) - start))
}

# time_pct: the factor (in per cent, at least 100) by which limits grow.
time_pct() {
    local stamp ms now fd
    if [ -n "${WS_TIME_SCALE:-}" ]; then
        awk -v f="$WS_TIME_SCALE" 'BEGIN { p = int(f * 100 + 0.5); print (p < 100 ? 100 : p) }'
        return
    fi
    now=$(date +%s)
    exec {fd}>>"$WS_CALIBRATION_FILE.lock"
    flock "$fd"
    [ -f "$WS_CALIBRATION_FILE" ] && read -r stamp ms _ <"$WS_CALIBRATION_FILE"
    if [ -z "${ms:-}" ] || [ $((now - ${stamp:-0})) -gt 300 ]; then
        ms=$(measure_calibration_ms)
        if [ -z "$ms" ]; then
            # The lessons themselves are broken: the tests will say how.
            # Meanwhile, limits ten times the reference keep them from
            # failing for the wrong reason.
            ms=$((WS_REFERENCE_MS * 10))
            echo "  calibration run failed (see the tests); assuming $ms ms" >&2
        fi
        echo "$now $ms ${TARGET_RUN:-native}" >"$WS_CALIBRATION_FILE"
    fi
    exec {fd}>&-
    echo $((ms * 100 / WS_REFERENCE_MS < 100 ? 100 : ms * 100 / WS_REFERENCE_MS))
}

# scaled_ms MS / scaled_s SECONDS: a limit written for the reference machine,
# for this one (whole units, rounded up).
scaled_ms() {
    local pct
    pct=$(time_pct)
    echo $((($1 * pct + 99) / 100))
}
scaled_s() {
    scaled_ms "$1"
}

# Say once, in every test's log, which factor its limits use.
echo "# time limits x$(awk -v p="$(time_pct)" 'BEGIN { printf "%.2f", p / 100 }')" \
    "(calibration: $(cut -d' ' -f2 "$WS_CALIBRATION_FILE" 2>/dev/null || echo "${WS_TIME_SCALE:-?}") ms;" \
    "reference $WS_REFERENCE_MS ms)"

# Every lesson and the server take their default --timeout (10 s) from here,
# scaled too; a test that passes --timeout says what it needs itself.
WORKSHOP_TIMEOUT_MS=$(scaled_ms 10000)
export WORKSHOP_TIMEOUT_MS

# wait_for_line FILE PATTERN [SECONDS]: wait until a line matches (grep -E);
# SECONDS (default 10) is scaled to this machine.
wait_for_line() {
    local tries
    tries=$(($(scaled_s "${3:-10}") * 10))
    while [ "$tries" -gt 0 ]; do
        grep -qE -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        tries=$((tries - 1))
    done
    echo "  timed out waiting for /$2/ in $1:"
    sed 's/^/  | /' "$1" 2>/dev/null | tail -20
    return 1
}

# wait_within PID SECONDS: wait for a background process, but at most SECONDS
# (scaled to this machine); a process still running then is killed (-9) and
# the wait fails with 124. Otherwise returns the process's exit status.
wait_within() {
    local pid=$1 limit tries
    limit=$(scaled_s "$2")
    tries=$((limit * 10))
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$tries" -le 0 ]; then
            echo "  process $pid still running after $limit s: killed"
            kill -9 "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
            return 124
        fi
        sleep 0.1
        tries=$((tries - 1))
    done
    wait "$pid"
}

# start_listener NAME PROGRAM ARGS...: start a program of ours that prints
# "listening on HOST:PORT" (08_server, the test peers); output goes to
# $SCRATCH/NAME.out and .err. Sets LISTENER_PORT and LISTENER_PID.
start_listener() {
    local name=$1
    shift
    "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" &
    LISTENER_PID=$!
    BACKGROUND_PIDS="$BACKGROUND_PIDS $LISTENER_PID"
    LISTENER_PORT=
    wait_for_line "$SCRATCH/$name.out" '^listening on ' 10 || { sed 's/^/  | /' "$SCRATCH/$name.err"; return 1; }
    LISTENER_PORT=$(listening_port "$SCRATCH/$name.out")
    [ -n "$LISTENER_PORT" ]
}

# start_lesson_server NAME [ARGS...]: start 08_server on a free port.
# Sets SERVER_PORT and SERVER_PID; output goes to $SCRATCH/NAME.out / .err.
start_lesson_server() {
    local name=$1 rc
    shift
    start_listener "$name" "$LESSONS/08_server" --port 0 "$@"
    rc=$?
    # shellcheck disable=SC2034 # for the tests that source this file
    SERVER_PORT=$LISTENER_PORT SERVER_PID=$LISTENER_PID
    return $rc
}

# random_port: a port number in 20000-59999 (for peers that cannot take 0).
random_port() {
    echo $(( ( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ) + 20000 ))
}

# start_on_random_port NAME READY_PATTERN COMMAND...: start a third-party
# server that cannot pick its own port on a random one, retrying on
# collisions; @PORT@ in the arguments becomes the port. Sets PEER_PORT and
# PEER_PID; output in $SCRATCH/NAME.log. Its standard input is /dev/null, or
# the file (or FIFO) named by PEER_STDIN.
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
        "${args[@]}" <"${PEER_STDIN:-/dev/null}" >"$log" 2>&1 &
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

# run NAME COMMAND...: run a command with a time limit (60 s, scaled; RUN_LIMIT_S=N
# in front of the call for a longer one), saving stdout, stderr and the exit
# status in $SCRATCH/NAME.{out,err,rc}.
run() {
    name=$1
    shift
    timeout "$(scaled_s "${RUN_LIMIT_S:-60}")" "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err"
    echo $? >"$SCRATCH/$name.rc"
}

# Some checks take long and depend on nothing but files: the house style of
# the sources, the layout of the built site. make check-under-load runs the
# suite three times on the same files, so such a check, once passed in this
# build tree, passes again without the work until a file (or the test script,
# or a tool's version) changes. The digests are in tests/NAME.passed.
#
# files_digest FILE...: one sha256 over the names and contents of the files,
# the asking test script and $DIGEST_TOOLS (the tools' versions).
files_digest() {
    {
        printf '%s\n' "${DIGEST_TOOLS:-}"
        sha256sum "$TEST_SCRIPT" "$@"
    } | sha256sum | cut -d' ' -f1
}
# passed_before NAME DIGEST: the check NAME passed on DIGEST here before (it says when).
passed_before() {
    local stamp="$top_builddir/tests/$1.passed"
    [ -f "$stamp" ] && [ "$(cut -d' ' -f1 "$stamp")" = "$2" ] || return 1
    echo "  the same files (sha256 ${2:0:12}) passed $1 here on $(cut -d' ' -f2- "$stamp"): not checked again"
}
# remember_passed NAME DIGEST: the check NAME has just passed on DIGEST.
remember_passed() {
    echo "$2 $(date -u '+%Y-%m-%d %H:%M UTC')" >"$top_builddir/tests/$1.passed"
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
