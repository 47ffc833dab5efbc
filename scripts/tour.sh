#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The lesson tour: start the lesson server on a free loopback port, run
# lessons 01-07 against it in order, each narrating its stage, then lesson 10
# (TLS 1.2 next to TLS 1.3, and a resumed TLS 1.3 session), lesson 11
# (pre-shared keys: the server reads the build's key file), lesson 12 twice
# (save a session, then resume it), lesson 13 (eight connections from one
# thread) and lesson 14 (what a connection costs in RAM), then stop the
# server cleanly. Without TLS 1.3 (mbedTLS 2.28) lesson 10 says so, lessons
# 11 and 12 skip their TLS 1.3 parts, and the tour goes on; so does lesson 14
# without the static mbedTLS libraries it counts heap with. Then the same
# over UDP: the DTLS server (lesson 16) in the background, the DTLS client
# (lesson 15) against it, and that server stopped too. Usage: scripts/tour.sh
# BUILD_DIR (or: make tour)
set -u

build=${1:?usage: tour.sh BUILD_DIR}
lessons="$build/lessons"
# Cross builds: emulator wrappers made by cross/target-run.sh.
[ -z "${TARGET_BIN:-}" ] || lessons="$TARGET_BIN/lessons"
log=$(mktemp "${TMPDIR:-/tmp}/workshop-tour.XXXXXX")
session_dir=$(mktemp -d "${TMPDIR:-/tmp}/workshop-tour-session.XXXXXX")
server_pid=""
# Lesson 11's keys: the build makes them beside the PKI.
psk_keys="${WORKSHOP_CERTS_DIR:-$build/certs}/psk-keys.txt"
psk_key=$(sed -n 's/^sensor-01://p' "$psk_keys" 2>/dev/null)

stop_server() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
        server_pid=""
    fi
    rm -f "$log"
    rm -rf "$session_dir"
}
trap stop_server EXIT

banner() {
    printf '\n=== %s ===\n' "$*"
}

# start_server PROGRAM [ARGS...]: start a lesson server on a free port in
# the background; sets server_pid and port, shows its narration.
start_server() {
    : >"$log"
    "$lessons/$1" --port 0 "${@:2}" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        grep -q '^listening on ' "$log" && break
        sleep 0.1
    done
    port=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$log")
    if [ -z "$port" ]; then
        echo "the lesson server $1 did not start:" >&2
        cat "$log" >&2
        exit 1
    fi
    sed 's/^/    server| /' "$log"
}

# finish_server WHO SED_SCRIPT: stop the background server (SIGTERM), show
# the lines of its log that SED_SCRIPT prints (sed -n), and set status=1 if
# it exited with another status than 0.
finish_server() {
    local rc
    banner "stopping $1 (SIGTERM)"
    kill -TERM "$server_pid"
    wait "$server_pid"
    rc=$?
    server_pid=""
    sed -n "$2" "$log" | sed 's/^/    server| /'
    if [ "$rc" -ne 0 ]; then
        echo "$1 exited with status $rc" >&2
        status=1
    fi
}

banner "08_server: the lesson server, in the background"
start_server 08_server --psk-file "$psk_keys"

status=0
skipped=""
no_heap=""
# Lesson 12 runs twice: the first run saves the session, the second resumes it.
for lesson in 01_init 02_load_certs 03_config 04_connect 05_handshake 06_read_write 07_cleanup 10_tls13 \
    11_psk 12_resume 12_resume 13_nonblocking 14_small_ram; do
    case $lesson in
        01_init | 02_load_certs | 03_config) args=() ;;
        11_psk) args=(--port "$port" --psk-identity sensor-01 --psk "$psk_key") ;;
        12_resume) args=(--port "$port" --session-file "$session_dir/session.bin") ;;
        *) args=(--port "$port") ;;
    esac
    banner "$lesson${args[*]:+ ${args[*]}}"
    "$lessons/$lesson" "${args[@]}"
    rc=$?
    if [ "$rc" -eq 77 ] && [ "$lesson" = 10_tls13 ]; then
        echo "(lesson 10 skipped: this mbedTLS has no TLS 1.3)"
        skipped=" except lesson 10, which needs TLS 1.3 (mbedTLS 3.6)"
    elif [ "$rc" -eq 77 ] && [ "$lesson" = 14_small_ram ]; then
        echo "(lesson 14 skipped: this build cannot count heap, it has no static mbedTLS libraries)"
        no_heap=" (lesson 14 could not count heap: no static mbedTLS libraries)"
    elif [ "$rc" -ne 0 ]; then
        echo "$lesson exited with status $rc" >&2
        status=1
    fi
done

# From its summary line on: what it saw, then its own cleanup ($ is sed's).
# shellcheck disable=SC2016
finish_server "the lesson server" '/^served /,$p'

banner "16_dtls_server: the DTLS server (UDP), in the background"
start_server 16_dtls_server
banner "15_dtls_client --port $port"
"$lessons/15_dtls_client" --port "$port"
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "15_dtls_client exited with status $rc" >&2
    status=1
fi
# UDP has no connection to wait for: let the server read the client's
# close_notify before it is stopped, or its summary would miss that session.
for _ in $(seq 100); do
    grep -q 'the client sent close_notify' "$log" && break
    sleep 0.1
done
# Its lines about the client (after "listening on"), then its summary and
# cleanup.
finish_server "the DTLS server" '0,/^listening on /d; p'
if [ "$status" -eq 0 ]; then
    tls13="."
    psk="three"
    if [ -z "$skipped" ]; then
        tls13="; lesson 10 fetches it over TLS 1.2 and TLS 1.3 to compare
them, then resumes the TLS 1.3 session without a certificate."
        psk="six"
    fi
    cat <<EOF

That is the tour, as the server saw it: lessons 01-03 never touch the
network; lesson 04 connects and hangs up before any handshake; lesson 05
completes the handshake and stops there; lessons 06 and 07 send GET / and
get 200 OK$tls13
Lesson 11 fetches it $psk times: with the server's certificate for comparison,
then with each way of using a pre-shared key this mbedTLS has. Lesson 12
fetches it twice, in two processes: the second resumes the session the first
saved in a file. Lesson 13 fetches it eight times at once from one thread,
and lesson 14 measures what a connection costs in RAM. Each lesson up to 07
goes one stage further than the one before.
Lessons 15 and 16 then did it over UDP: the DTLS server answered the first
ClientHello with a cookie, the client came back with it, and one request got
one reply.

Tour complete: every lesson ran$skipped.$no_heap Next: make check
EOF
fi
exit "$status"
