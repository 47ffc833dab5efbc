#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# check-valgrind.sh - run the lessons, the lesson server and the C unit tests
# under valgrind's memcheck; any memory error or definite/indirect leak fails.
#
# Usage (from `make check-valgrind`, which sets top_builddir, top_srcdir,
# CERTS_DIR and VALGRIND): check-valgrind.sh [CHECK_PROGRAM...]
# Of the programs given, those named test_* (the unit tests) are run.
#
# What runs under memcheck:
#   - lessons/08_server (with the build's pre-shared keys), for the whole
#     session, stopped with SIGTERM while a TLS client and idle sockets are
#     still connected;
#   - every other lesson (01-07, and 09, 10, ... if built) against it, lesson
#     06 with --trace and --keylog, lesson 11 with a key, lesson 12 twice
#     (saving, then resuming), and a few failing runs (wrong host name, nobody
#     listening, a missing file, a usage error, a wrong pre-shared key, a
#     damaged session file) for the error paths;
#   - tests/peers/load_client, 4 clients x 2 requests, against it;
#   - lessons/08_server --event-loop (lesson 13), with lesson 13 and the load
#     client against it and a half-finished handshake when SIGTERM comes;
#   - lessons/16_dtls_server under memcheck, and lesson 15 against it (plain,
#     with --trace and --keylog, moving to a new port, a request too large for
#     its MTU) and hostile datagrams, until it stops after its sessions;
#   - each unit test program.
# Each valgrind log is kept in check-valgrind/ in the build tree.
#
# memcheck's --error-exitcode is 99, not 1, because 1 is the lessons' own
# exit code for a usage error; the "ERROR SUMMARY" line is checked as well.
# Exit status: 0 all clean, 1 something failed.

set -u

: "${top_builddir:?run through make check-valgrind}"
: "${top_srcdir:?run through make check-valgrind}"
: "${CERTS_DIR:=$top_builddir/certs}"
VALGRIND=${VALGRIND:-$(command -v valgrind)}
if [ -z "$VALGRIND" ] || [ ! -x "$VALGRIND" ]; then
    echo "check-valgrind: valgrind is not installed (configure found none)" >&2
    exit 1
fi

logs="$top_builddir/check-valgrind"
rm -rf "$logs"
mkdir -p "$logs"
failures=0
runs=0
server_pid=""
silent_pid=""
idle_pid=""

cleanup() {
    for pid in $server_pid $silent_pid $idle_pid; do
        kill "$pid" 2>/dev/null
    done
    wait 2>/dev/null
}
trap cleanup EXIT

memcheck=("$VALGRIND" --tool=memcheck --leak-check=full "--show-leak-kinds=definite,indirect"
    "--errors-for-leak-kinds=definite,indirect" --error-exitcode=99 --track-origins=yes
    --suppressions="$top_srcdir/tests/valgrind.supp")

# verdict NAME EXPECTED_STATUS STATUS: record one run; the log must report
# no errors and the program must have exited as expected.
verdict() {
    local name=$1 want=$2 got=$3 log="$logs/$1.valgrind"
    runs=$((runs + 1))
    if [ "$got" = "$want" ] && grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
        echo "ok      $name (exit $got, no memcheck errors)"
    else
        failures=$((failures + 1))
        echo "FAILED  $name: exit $got (expected $want); $(grep -h 'ERROR SUMMARY' "$log")"
        grep -h -A12 -E 'Invalid|uninitialised|definitely lost|indirectly lost|Mismatched' "$log" | head -60
        sed 's/^/  | /' "$logs/$name.err" 2>/dev/null | tail -10
    fi
}

# under_memcheck NAME EXPECTED_STATUS PROGRAM ARGS...: run one program.
under_memcheck() {
    local name=$1 want=$2
    shift 2
    timeout 300 "${memcheck[@]}" --log-file="$logs/$name.valgrind" "$@" \
        >"$logs/$name.out" 2>"$logs/$name.err"
    verdict "$name" "$want" "$?"
}

# listening_port FILE TRIES: wait (TRIES x 0.1 s at most) for a lesson
# server's "listening on HOST:PORT" line in FILE and print the port.
listening_port() {
    for _ in $(seq "$2"); do
        grep -q '^listening on ' "$1" 2>/dev/null && break
        sleep 0.1
    done
    sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$1"
}

# --- the server, under memcheck for the whole session ----------------------
psk_key=$(sed -n 's/^sensor-01://p' "$CERTS_DIR/psk-keys.txt" 2>/dev/null)
"${memcheck[@]}" --log-file="$logs/08_server.valgrind" "$top_builddir/lessons/08_server" \
    --port 0 --threads 4 --timeout 20000 --psk-file "$CERTS_DIR/psk-keys.txt" \
    >"$logs/08_server.out" 2>"$logs/08_server.err" &
server_pid=$!
port=$(listening_port "$logs/08_server.out" 600)
if [ -z "$port" ]; then
    echo "check-valgrind: 08_server did not start under valgrind:" >&2
    cat "$logs/08_server.err" "$logs/08_server.valgrind" >&2
    exit 1
fi
echo "08_server is listening on port $port under memcheck"

# --- every client lesson against it ----------------------------------------
for lesson in "$top_builddir"/lessons/[0-9][0-9]_*; do
    name=$(basename "$lesson")
    # The servers run apart; the DTLS lessons talk UDP (below).
    case $name in 08_server | 15_dtls_client | 16_dtls_server | *.o) continue ;; esac
    [ -x "$lesson" ] || continue
    args=()
    # Lessons from 04 on connect: point them at our server.
    if "$lesson" --help 2>/dev/null | grep -q -- '--port'; then
        args=(--port "$port")
    fi
    case $name in
        11_psk) args+=(--psk-identity sensor-01 --psk "$psk_key") ;;
        12_resume) args+=(--session-file "$logs/session.bin") ;; # the run after the loop resumes it
    esac
    # The expected status is the one the lesson gives without valgrind
    # (0, or 77 for a lesson this mbedTLS build cannot run).
    timeout 120 "$lesson" "${args[@]}" >/dev/null 2>&1
    want=$?
    if [ "$want" != 0 ] && [ "$want" != 77 ]; then
        echo "FAILED  $name exits $want even without valgrind"
        failures=$((failures + 1))
        continue
    fi
    under_memcheck "$name" "$want" "$lesson" "${args[@]}"
done

# --- lesson 09's switches on an ordinary client ----------------------------
help06=$("$top_builddir/lessons/06_read_write" --help 2>/dev/null)
if grep -q -- '--trace' <<<"$help06"; then
    under_memcheck 06_trace 0 "$top_builddir/lessons/06_read_write" --port "$port" --trace
fi
if grep -q -- '--keylog' <<<"$help06"; then
    under_memcheck 06_keylog 0 "$top_builddir/lessons/06_read_write" --port "$port" --keylog "$logs/keylog.txt"
fi

# --- error paths ----------------------------------------------------------
under_memcheck 05_wrong_host 4 "$top_builddir/lessons/05_handshake" --port "$port" --servername wrong.example
# A port nobody listens on: one a second lesson server (not under memcheck)
# picked, then gave back when it stopped.
"$top_builddir/lessons/08_server" --port 0 >"$logs/gone.out" 2>"$logs/gone.err" &
gone_pid=$!
free_port=$(listening_port "$logs/gone.out" 100)
kill "$gone_pid" 2>/dev/null
wait "$gone_pid" 2>/dev/null
if [ -n "$free_port" ]; then
    under_memcheck 06_nobody_listening 3 "$top_builddir/lessons/06_read_write" --port "$free_port"
else
    echo "check-valgrind: a second 08_server did not start, so no free port for 06_nobody_listening:" >&2
    cat "$logs/gone.err" >&2
    failures=$((failures + 1))
fi
under_memcheck 02_missing_file 2 "$top_builddir/lessons/02_load_certs" --ca /nonexistent/ca.pem
under_memcheck 06_usage_error 1 "$top_builddir/lessons/06_read_write" --no-such-option
# Lessons 11 and 12: a resumed session, a wrong key, a damaged session file.
if [ -x "$top_builddir/lessons/12_resume" ]; then
    under_memcheck 12_resumed 0 "$top_builddir/lessons/12_resume" --port "$port" --session-file "$logs/session.bin"
    printf 'damaged' | dd of="$logs/session.bin" bs=1 seek=200 conv=notrunc 2>/dev/null
    under_memcheck 12_damaged 0 "$top_builddir/lessons/12_resume" --port "$port" --session-file "$logs/session.bin"
fi
if [ -x "$top_builddir/lessons/11_psk" ]; then
    under_memcheck 11_wrong_key 4 "$top_builddir/lessons/11_psk" --port "$port" --psk-identity sensor-02 \
        --psk "$psk_key" --psk-mode tls12-psk
fi

# --- concurrency: several clients at once, some resetting mid-response -----
if [ -x "$top_builddir/tests/peers/load_client" ]; then
    under_memcheck load_client 0 "$top_builddir/tests/peers/load_client" --port "$port" --clients 4 --requests 2
    under_memcheck load_client_abort 0 "$top_builddir/tests/peers/load_client" --port "$port" \
        --clients 2 --requests 2 --abort
fi

# --- DTLS: lesson 16 under memcheck, lesson 15 and hostile datagrams against it --
if [ -x "$top_builddir/lessons/16_dtls_server" ]; then
    "${memcheck[@]}" --log-file="$logs/16_dtls_server.valgrind" "$top_builddir/lessons/16_dtls_server" \
        --port 0 --max-connections 4 --timeout 20000 >"$logs/16_dtls_server.out" 2>"$logs/16_dtls_server.err" &
    dtls_pid=$!
    dtls_port=$(listening_port "$logs/16_dtls_server.out" 600)
    if [ -z "$dtls_port" ]; then
        echo "FAILED  16_dtls_server did not start under valgrind"
        failures=$((failures + 1))
    else
        # Generous timeouts: everything is slow under memcheck.
        dtls=("$top_builddir/lessons/15_dtls_client" --port "$dtls_port" --hs-timeout "5000,40000" --timeout 60000)
        under_memcheck 15_dtls_client 0 "${dtls[@]}"
        under_memcheck 15_dtls_trace 0 "${dtls[@]}" --trace --keylog "$logs/dtls-keylog.txt"
        under_memcheck 15_dtls_too_large 5 "${dtls[@]}" --mtu 300 --size 1000
        if [ -x "$top_builddir/tests/peers/hostile_datagrams" ]; then
            for mode in garbage oversized bad-cookie; do
                "$top_builddir/tests/peers/hostile_datagrams" --wait 3000 "$mode" "$dtls_port" 3 >/dev/null 2>&1
            done
        fi
        # The fourth session: with a connection ID where this mbedTLS has
        # them, the client moves to a new port and the server follows it.
        if grep -q 'connection IDs of' "$logs/16_dtls_server.out"; then
            under_memcheck 15_dtls_cid 0 "${dtls[@]}" --cid --rebind
        else
            under_memcheck 15_dtls_client_again 0 "${dtls[@]}"
        fi
        # After its fourth session the server stops by itself (at most 300 s).
        for _ in $(seq 3000); do
            kill -0 "$dtls_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -TERM "$dtls_pid" 2>/dev/null
        wait "$dtls_pid"
        verdict 16_dtls_server 0 "$?"
        if grep -q '(stopped by a signal)' "$logs/16_dtls_server.out"; then
            echo "FAILED  16_dtls_server did not stop by itself after its four sessions"
            failures=$((failures + 1))
        fi
    fi
fi

# --- unit tests ------------------------------------------------------------
# They find their data (tests/data, fuzz/corpus) under $srcdir, as in make check.
export srcdir="$top_srcdir"
for program in "$@"; do
    case $(basename "$program") in
    test_*) under_memcheck "$(basename "$program")" 0 "$top_builddir/$program" ;;
    esac
done

# --- stop the server with SIGTERM while connections are open ---------------
if command -v openssl >/dev/null 2>&1; then
    sleep 30 | openssl s_client -connect "localhost:$port" -CAfile "$CERTS_DIR/ca.pem" -quiet \
        >"$logs/silent_client.out" 2>&1 &
    silent_pid=$!
fi
if [ -x "$top_builddir/tests/peers/hostile_client" ]; then
    "$top_builddir/tests/peers/hostile_client" idle "$port" 2 >"$logs/idle.out" 2>&1 &
    idle_pid=$!
fi
sleep 5
kill -TERM "$server_pid"
wait "$server_pid"
status=$?
server_pid=""
verdict 08_server 0 "$status"
if ! grep -q '(stopped by a signal)' "$logs/08_server.out"; then
    echo "FAILED  08_server printed no summary after SIGTERM"
    failures=$((failures + 1))
fi

# --- the single-threaded server (lesson 13), stopped mid-handshake ---------
"${memcheck[@]}" --log-file="$logs/08_server_event_loop.valgrind" "$top_builddir/lessons/08_server" \
    --port 0 --event-loop --timeout 20000 >"$logs/08_server_event_loop.out" 2>"$logs/08_server_event_loop.err" &
server_pid=$!
port=$(listening_port "$logs/08_server_event_loop.out" 600)
if [ -n "$port" ]; then
    answered=4
    timeout 120 "$top_builddir/lessons/13_nonblocking" --port "$port" --connections 4 >"$logs/13_event_loop.out" 2>&1
    if [ -x "$top_builddir/tests/peers/load_client" ]; then
        timeout 120 "$top_builddir/tests/peers/load_client" --port "$port" --clients 4 --requests 2 \
            >"$logs/load_event_loop.out" 2>&1
        answered=12
    fi
    if [ -x "$top_builddir/tests/peers/hostile_client" ]; then
        "$top_builddir/tests/peers/hostile_client" half "$port" >"$logs/half.out" 2>&1 &
        idle_pid=$!
        sleep 2
    fi
    kill -TERM "$server_pid"
    wait "$server_pid"
    status=$?
    server_pid=""
    verdict 08_server_event_loop 0 "$status"
    if ! grep -qE "^served [0-9]+ connections: $answered answered with 200 OK" "$logs/08_server_event_loop.out"; then
        echo "FAILED  08_server --event-loop did not answer every client: $(grep '^served' "$logs/08_server_event_loop.out")"
        failures=$((failures + 1))
    fi
else
    echo "FAILED  08_server --event-loop did not start under valgrind"
    failures=$((failures + 1))
    kill "$server_pid" 2>/dev/null
    server_pid=""
fi

echo "check-valgrind: $runs runs under memcheck, $failures failed; logs in $logs"
[ "$failures" -eq 0 ]
