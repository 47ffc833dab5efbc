#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# docs/capture.sh BUILDDIR OUTDIR: run the lessons for real and save what they
# print, so the documentation shows true output (docs never contain pasted
# output). `make html` runs it before Doxygen; pages pull the files in with
# @verbinclude.
#
# It starts the lesson server (08_server --port 0, a free port) from the build
# tree, runs each lesson against it, and captures successes and the failures
# the "What can go wrong" sections discuss. Each OUTDIR/NAME.txt is a
# transcript: the command as a reader would type it in the build directory,
# stdout and stderr in the order printed, and the exit status.
#
# Only two things are rewritten, so that pages do not change from build to
# build for no reason: the free port the server picked is shown as 4433 (the
# default the commands use; the server's own "Binding to tcp/ADDRESS/0" line
# too; lesson 09's mistakes also show their two other servers' ports as 4434
# and 4435), and the clients' ephemeral ports in the server's log are shown as
# <port>. Options that only redirect files into a scratch
# directory are not shown either (see the key log below). Certificate paths are relative to the build
# directory (WORKSHOP_CERTS_DIR=certs), exactly as a reader sees them there.
#
# A capture whose program is not built (lesson 10 needs TLS 1.3, absent from
# mbedTLS 2.28) becomes a one-line note saying why, so pages still build.
set -u

# shellcheck source=../scripts/capture-lib.sh
. "$(dirname "$0")/../scripts/capture-lib.sh" "$@"

# normalise PORT: the server's real port becomes 4433, clients' ports <port>.
# The server binds to port 0 (a free port) where the command shown uses the
# default, so its "Binding to" line shows 4433 as well. OTHER_PORTS holds
# "REAL:SHOWN" pairs for further servers (lesson 09's mistakes).
OTHER_PORTS=""
normalise() {
    local pair others=()
    for pair in $OTHER_PORTS; do
        others+=(-e "s/\\<${pair%%:*}\\>/${pair#*:}/g")
    done
    # The TLS server's connection tags: every client port is <port>. (The
    # DTLS captures number them instead, see client_ports.)
    [ "${UDP_PORTS:-0}" = 1 ] || others+=(-e 's/^\(\[#[0-9]* [0-9.]*\):[0-9]*\]/\1:<port>]/')
    sed -e "s/\\<$1\\>/4433/g" "${others[@]}" \
        -e 's|^\(  \. Binding to \(tcp\|udp\)/[^/]*/\)0\.\.\.|\14433...|' | client_ports
}

# log_lines NAME: how many lines $scratch/NAME.log has so far.
log_lines() {
    wc -l <"$scratch/$1.log"
}

# client_ports: with UDP_PORTS=1 (the DTLS captures), every other port of
# 127.0.0.1 is a client's, a new one each run: the first shown as <port>,
# the next ones as <port 2>, <port 3>... in order of appearance, so that a
# client that moves to a new port still reads as a move.
client_ports() {
    if [ "${UDP_PORTS:-0}" != 1 ]; then
        cat
        return
    fi
    awk '{
        out = ""
        while (match($0, /127\.0\.0\.1:[0-9]+/)) {
            p = substr($0, RSTART + 10, RLENGTH - 10)
            if (p != "4433" && p != "4434") {
                if (!(p in name))
                    name[p] = ++n == 1 ? "<port>" : "<port " n ">"
                p = name[p]
            }
            out = out substr($0, 1, RSTART - 1) "127.0.0.1:" p
            $0 = substr($0, RSTART + RLENGTH)
        }
        print out $0
    }'
}

# capture NAME SHOWN_ARGS -- EXTRA_ARGS: run lessons/PROGRAM with the shown
# arguments plus extra ones that are not displayed (--port); NAME.txt gets
# the transcript. SHOWN_ARGS starts with the program (e.g. 05_handshake).
# LESSONS_DIR (default lessons) runs the program from another build, shown
# the same way (the mbedTLS 2.28 build of the lessons, below).
capture() {
    local name=$1 program=$2 shown=() extra=() status dir=${LESSONS_DIR:-lessons}
    shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        shown+=("$1")
        shift
    done
    [ $# -gt 0 ] && shift
    extra=("$@")
    if [ ! -x "$dir/$program" ]; then
        echo "(not captured: lessons/$program is not built with this mbedTLS ${LESSONS_VERSION:-$MBEDTLS_VERSION})" \
            >"$outdir/$name.txt"
        return 0
    fi
    timeout 60 "$dir/$program" "${shown[@]}" "${extra[@]}" >"$scratch/$name.raw" 2>&1 </dev/null
    status=$?
    {
        echo "\$ lessons/$program${shown[*]:+ ${shown[*]}}"
        cat "$scratch/$name.raw"
        echo "\$ echo \$?"
        echo "$status"
    } | normalise "${PORT:-0}" >"$outdir/$name.txt"
}

# capture_cmd NAME SHOWN COMMAND...: like capture, for any command (a
# third-party client, a lesson under strace or valgrind, a pipeline run with
# bash -c): NAME.txt gets "$ SHOWN", what COMMAND printed, and its status.
# Standard input comes from CAPTURE_INPUT (a file) or /dev/null.
capture_cmd() {
    local name=$1 line=$2 status
    shift 2
    timeout 60 "$@" >"$scratch/$name.raw" 2>&1 <"${CAPTURE_INPUT:-/dev/null}"
    status=$?
    {
        echo "\$ $line"
        cat "$scratch/$name.raw"
        echo "\$ echo \$?"
        echo "$status"
    } | normalise "${PORT:-0}" >"$outdir/$name.txt"
}

# not_captured NAME WHY: the transcript a page shows when a run cannot be
# made on this machine.
not_captured() {
    echo "(not captured: $2)" >"$outdir/$1.txt"
}

MBEDTLS_VERSION=$(sed -n 's/^MBEDTLS_VERSION = //p' Makefile 2>/dev/null)

# --- No server at all ----------------------------------------------------------
# A port nothing listens on: one a lesson server picked, then left. It is
# shown as 4433, the default: what a reader sees who forgot the server.
start_server gone
stop_server
capture 04_refused 04_connect -- --port "$PORT"

# --- Lessons 01-07 against the default server --------------------------------
start_server main
capture 01_init 01_init
capture 02_load_certs 02_load_certs
capture 02_client_cert 02_load_certs --cert certs/client-chain.pem --key certs/client.key
capture 03_config 03_config
capture 03_config_suite 03_config --ciphersuite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256
capture 04_connect 04_connect -- --port "$PORT"
capture 05_handshake 05_handshake -- --port "$PORT"
capture 06_read_write 06_read_write -- --port "$PORT"
capture 06_not_found 06_read_write --path /nothing-here -- --port "$PORT"
capture 07_cleanup 07_cleanup -- --port "$PORT"
capture 10_tls13 10_tls13 -- --port "$PORT"
# Lessons 13 and 14 (devices): several connections from one thread; what a
# connection costs in RAM. Lesson 14's run ends with its tables, kept apart
# too for the page's table section; the run with --max-frag-len is shown up
# to its tables, which are those of the first run.
capture 13_nonblocking 13_nonblocking --connections 3 -- --port "$PORT"
capture 13_hello 13_nonblocking --connections 2 --path /hello -- --port "$PORT"
capture 14_small_ram 14_small_ram -- --port "$PORT"
sed -n '/^Both ends in this process/,/^\$ echo/p' "$outdir/14_small_ram.txt" | sed '$d' >"$outdir/14_table.txt"
[ -s "$outdir/14_table.txt" ] || cp "$outdir/14_small_ram.txt" "$outdir/14_table.txt"
capture 14_mfl 14_small_ram --max-frag-len 512 --path /hello -- --port "$PORT"
if grep -q '^Both ends in this process' "$outdir/14_mfl.txt"; then
    sed -i -e '/^Both ends in this process/,/^\$ echo/{/^\$ echo/!d}' \
        -e 's/^\$ echo \$?$/(then the same tables as in the first run, measured again)\n&/' "$outdir/14_mfl.txt"
fi

# --- Lesson 09 and the tools it brings: --trace, --keylog, /hello -------------
# One suite only, so the traced ClientHello fits on a page.
capture 05_trace 05_handshake --trace --ciphersuite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256 -- --port "$PORT"
capture 06_hello 06_read_write --path /hello -- --port "$PORT"
capture 09_levels 09_debugging -- --port "$PORT"
# The mistakes need two more servers: a lesson server that requires client
# certificates (shown as port 4434) and a hostile_server that hangs up after
# the ClientHello (one connection; shown as 4435).
main_port=$PORT main_pid=$SERVER_PID
start_server clientcert09 --require-client-cert
cert_port=$PORT cert_pid=$SERVER_PID
tests/peers/hostile_server close >"$scratch/closing09.log" 2>&1 </dev/null &
keep_pid $!
started closing09 $!
closing_port=$PORT
PORT=$main_port SERVER_PID=$main_pid
OTHER_PORTS="$cert_port:4434 $closing_port:4435"
capture 09_mistakes 09_mistakes --client-cert-port 4434 --closing-port 4435 -- --port "$PORT" \
    --client-cert-port "$cert_port" --closing-port "$closing_port"
OTHER_PORTS=""
# What only the server's log says about the missing client certificate.
SERVER_PID=$cert_pid
stop_server
grep '^\[#' "$scratch/clientcert09.log" | normalise "$PORT" >"$outdir/09_client_cert_server.txt"
[ -s "$outdir/09_client_cert_server.txt" ] ||
    echo "(not captured: the --require-client-cert server logged nothing)" >"$outdir/09_client_cert_server.txt"
SERVER_PID=$main_pid
capture 09_wrong_hostname_trace 09_mistakes --mistake wrong-hostname --trace \
    --ciphersuite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256 -- --port "$PORT"
# The key log goes to the scratch directory (the hidden, later --keylog wins)
# and is shown as sslkeys.log: nothing is written into the build tree.
capture 09_keylog_run 05_handshake --keylog sslkeys.log -- --port "$PORT" --keylog "$scratch/sslkeys.log"
if [ -s "$scratch/sslkeys.log" ]; then
    {
        echo "\$ cat sslkeys.log"
        cat "$scratch/sslkeys.log"
    } >"$outdir/09_keylog.txt"
else
    echo "(not captured: this build's lessons do not write a key log)" >"$outdir/09_keylog.txt"
fi

# --- Failures -----------------------------------------------------------------
capture 01_bad_option 01_init --host localhost
capture 02_missing_ca 02_load_certs --ca certs/no-such-file.pem
capture 02_wrong_key 02_load_certs --cert certs/client-chain.pem --key certs/server-ecdsa.key
capture 03_unknown_suite 03_config --ciphersuite TLS-NO-SUCH-SUITE
capture 04_unknown_host 04_connect --host no-such-host.invalid
capture 13_bad_connections 13_nonblocking --connections 0
capture 14_bad_mfl 14_small_ram --max-frag-len 1000
capture 05_unknown_ca 05_handshake --ca certs/bad/rogue-ca.pem -- --port "$PORT"
capture 05_wrong_name 05_handshake --servername www.example.com -- --port "$PORT"
# Its error line and verification flag, on their own (the debugging page).
grep '^handshake: ' "$outdir/05_wrong_name.txt" | head -n 2 >"$outdir/error_line_verify.txt"
[ -s "$outdir/error_line_verify.txt" ] ||
    echo "(not captured: 05_handshake --servername www.example.com printed no error line)" \
        >"$outdir/error_line_verify.txt"
capture 05_ip_address 05_handshake --host 127.0.0.1 -- --port "$PORT"
capture 05_suite_mismatch 05_handshake --ciphersuite TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 -- --port "$PORT"

# --- Debug levels 1-4 of one handshake (the debugging page) -------------------
for level in 1 2 3 4; do
    timeout 60 lessons/05_handshake --port "$PORT" --debug "$level" \
        --debug-file "$scratch/debug$level.log" >/dev/null 2>&1 </dev/null
done
{
    printf '%-7s %8s %10s\n' level lines bytes
    for level in 1 2 3 4; do
        printf '%-7s %8s %10s\n' "$level" "$(wc -l <"$scratch/debug$level.log")" \
            "$(wc -c <"$scratch/debug$level.log")"
    done
} >"$outdir/debug_sizes.txt"
# Excerpts: the first lines each level adds to the one below it.
for level in 1 2 3 4; do
    grep "^\[$level\]" "$scratch/debug$level.log" | head -n 14 | cut -c1-150 \
        | normalise "$PORT" >"$outdir/debug_level$level.txt"
done
# The handshake messages in order, as level 2 narrates them.
grep -E ': => (handshake$|derive keys|(write|parse) (client|server|certificate|change|finished))|: <= handshake$' \
    "$scratch/debug2.log" | head -n 40 | normalise "$PORT" >"$outdir/debug_handshake_states.txt"
# One failed verification at level 1: what the library says on the way down.
timeout 60 lessons/05_handshake --port "$PORT" --ca certs/bad/rogue-ca.pem --debug 1 \
    --debug-file "$scratch/debug-fail.log" >/dev/null 2>&1 </dev/null
normalise "$PORT" <"$scratch/debug-fail.log" | cut -c1-150 | head -n 20 >"$outdir/debug_verify_failure.txt"
stop_server
normalise "$PORT" <"$scratch/main.log" >"$scratch/main-server.txt"

# --- A server with an expired certificate --------------------------------------
start_server expired --cert certs/bad/expired-chain.pem --key certs/bad/expired.key
capture 05_expired 05_handshake -- --port "$PORT"
stop_server

# --- A server that accepts TCP but never answers (stopped with SIGSTOP) -------
start_server silent
kill -STOP "$SERVER_PID"
capture 05_timeout 05_handshake --timeout 500 -- --port "$PORT"
capture 13_timeout 13_nonblocking --connections 2 --timeout 500 -- --port "$PORT"
kill -CONT "$SERVER_PID"
stop_server

# --- Lesson 08: the server's own narration --------------------------------------
# Two clients, one good and one that does not trust the server's CA; the
# server stops by itself after two connections.
start_server lesson08 --max-connections 2
timeout 60 lessons/06_read_write --port "$PORT" >/dev/null 2>&1 </dev/null
timeout 60 lessons/05_handshake --port "$PORT" --ca certs/bad/rogue-ca.pem >/dev/null 2>&1 </dev/null
wait "$SERVER_PID"
status=$?
{
    echo "\$ lessons/08_server --max-connections 2"
    cat "$scratch/lesson08.log"
    echo "\$ echo \$?"
    echo "$status"
} | normalise "$PORT" >"$outdir/08_server.txt"

# The server's side of "no cipher suite in common".
start_server nosuite --max-connections 1
timeout 60 lessons/05_handshake --port "$PORT" --ciphersuite TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 \
    >/dev/null 2>&1 </dev/null
wait "$SERVER_PID"
grep '^\[#' "$scratch/nosuite.log" | normalise "$PORT" >"$outdir/08_no_shared_suite.txt"

# Client certificates: the server asks, one client has one, one has not.
start_server clientcert --require-client-cert
capture 08_client_cert 06_read_write --cert certs/client-chain.pem --key certs/client.key -- --port "$PORT"
capture 08_no_client_cert 05_handshake -- --port "$PORT"
stop_server
capture 08_help 08_server --help

# --- Lesson 13: the event-loop server -------------------------------------------
# Its own narration for three clients of lesson 13; it stops by itself.
start_server event13 --event-loop --max-connections 3
timeout 60 lessons/13_nonblocking --port "$PORT" --connections 3 >/dev/null 2>&1 </dev/null
wait "$SERVER_PID"
status=$?
{
    echo "\$ lessons/08_server --event-loop --max-connections 3"
    cat "$scratch/event13.log"
    echo "\$ echo \$?"
    echo "$status"
} | normalise "$PORT" >"$outdir/13_event_loop_server.txt"
# 64 concurrent load clients, then the server's summary line.
if [ -x tests/peers/load_client ]; then
    start_server event64 --event-loop
    timeout 300 tests/peers/load_client --port "$PORT" --clients 64 --requests 4 >"$scratch/load64.out" 2>&1 </dev/null
    status=$?
    stop_server
    {
        echo "\$ lessons/08_server --event-loop &"
        echo "\$ tests/peers/load_client --port 4433 --clients 64 --requests 4"
        cat "$scratch/load64.out"
        echo "\$ echo \$?"
        echo "$status"
        echo "\$ kill -TERM %1   # the server's last lines:"
        grep -E '^served [0-9]+ connection' "$scratch/event64.log"
    } | normalise "$PORT" >"$outdir/13_event_loop_load.txt"
else
    echo "(not captured: tests/peers/load_client is not built; make check builds it)" >"$outdir/13_event_loop_load.txt"
fi

# --- Lesson 07: nothing left allocated (valgrind's verdict) --------------------
start_server valgrind
if command -v valgrind >/dev/null 2>&1; then
    timeout 120 valgrind --leak-check=full lessons/07_cleanup --port "$PORT" \
        >/dev/null 2>"$scratch/valgrind.err" </dev/null
    {
        echo "\$ valgrind --leak-check=full lessons/07_cleanup"
        grep -E 'HEAP SUMMARY|in use at exit|total heap usage|All heap blocks|definitely lost|ERROR SUMMARY' \
            "$scratch/valgrind.err" | sed 's/^==[0-9]*== //'
    } | normalise "$PORT" >"$outdir/07_valgrind.txt"
else
    echo "(not captured: valgrind was not installed when these pages were built)" >"$outdir/07_valgrind.txt"
fi
stop_server

# --- Lessons 11 and 12: pre-shared keys, and a session kept in a file ---------
# A server with the build's key file; the client's key is sensor-01's from it.
# Session files go to the scratch directory and are shown as session.bin.
start_server psk --psk-file certs/psk-keys.txt
psk_key=$(sed -n 's/^sensor-01://p' certs/psk-keys.txt)
capture 11_psk 11_psk --psk-identity sensor-01 --psk "$psk_key" -- --port "$PORT"
capture 11_unknown_identity 11_psk --psk-identity sensor-09 --psk "$psk_key" --psk-mode tls12-psk -- --port "$PORT"
capture 11_wrong_key 11_psk --psk-identity sensor-02 --psk "$psk_key" --psk-mode tls12-psk -- --port "$PORT"
capture 11_tls13_wrong_key 11_psk --psk-identity sensor-02 --psk "$psk_key" --psk-mode tls13-psk-ephemeral \
    -- --port "$PORT"
capture 11_bad_key 11_psk --psk-identity sensor-01 --psk 0123abc
capture 11_help 11_psk --help
session="$scratch/session.bin"
capture 12_first 12_resume --session-file session.bin -- --port "$PORT" --session-file "$session"
capture 12_second 12_resume --session-file session.bin -- --port "$PORT" --session-file "$session"
{
    echo "\$ head -n 7 session.bin"
    head -n 7 "$session"
} | normalise "$PORT" >"$outdir/12_file.txt"
capture 12_tls12_first 12_resume --session-file session12.bin --method tls12-ticket -- --port "$PORT" \
    --session-file "$session.12"
capture 12_tls12_second 12_resume --session-file session12.bin --method tls12-ticket -- --port "$PORT" \
    --session-file "$session.12"
# Damage one byte of the saved session: the checksum catches it.
size=$(wc -c <"$session")
printf '\132' | dd of="$session" bs=1 seek=$((size - 20)) conv=notrunc 2>/dev/null
capture 12_damaged 12_resume --session-file session.bin -- --port "$PORT" --session-file "$session"
capture 12_no_dir 12_resume --session-file no-such-dir/session.bin
stop_server
# The server restarts (a new ticket key, an empty cache): the session saved
# before cannot resume. Its file names the old port: give it the new one.
psk_port=$PORT
start_server restarted
sed -i "s/^server localhost:$psk_port\$/server localhost:$PORT/" "$session"
capture 12_restarted 12_resume --session-file session.bin -- --port "$PORT" --session-file "$session"
stop_server
PORT=$psk_port
sed -i -e "s|$session\.12|session12.bin|g" -e "s|$session|session.bin|g" "$outdir"/12_*.txt
# What the server said about the clients' keys.
grep -E '^\[#[0-9]+ [^]]*\] +(psk|handshake): ' "$scratch/psk.log" | normalise "$PORT" >"$outdir/11_server.txt"
[ -s "$outdir/11_server.txt" ] || echo "(not captured: the --psk-file server logged nothing)" >"$outdir/11_server.txt"

# What a pre-shared key saves, measured by the benchmark while the site was
# built (medians of 3 short repetitions), and in the stored full run.
psk_rows='^handshake/tls1\.[23]/(ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256|PSK-AES128-CCM-8/psk|ECDHE-PSK-CHACHA20-POLY1305/psk|TLS_AES_128_GCM_SHA256/(ecdsa-p256|psk|psk-dhe))$'
# psk_table JSON: the rows above as a Markdown table, from Google Benchmark JSON.
psk_table() {
    echo "| handshake | flights | bytes client → server | bytes server → client | client CPU µs | server CPU µs |"
    echo "|---|---:|---:|---:|---:|---:|"
    jq -r --arg rows "$psk_rows" '
      def row_name: {
        "handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256": "TLS 1.2, certificate (ECDHE-ECDSA, P-256)",
        "handshake/tls1.2/PSK-AES128-CCM-8/psk": "TLS 1.2, PSK (PSK-AES128-CCM-8)",
        "handshake/tls1.2/ECDHE-PSK-CHACHA20-POLY1305/psk": "TLS 1.2, ECDHE-PSK (P-256)",
        "handshake/tls1.3/TLS_AES_128_GCM_SHA256/ecdsa-p256": "TLS 1.3, certificate (ECDSA, ECDHE P-256)",
        "handshake/tls1.3/TLS_AES_128_GCM_SHA256/psk": "TLS 1.3, psk_ke",
        "handshake/tls1.3/TLS_AES_128_GCM_SHA256/psk-dhe": "TLS 1.3, psk_dhe_ke (P-256)"
      }[.run_name];
      .benchmarks[] | select(.aggregate_name == "median" or (.run_type == "iteration" and .repetitions <= 1))
      | select(.run_name | test($rows)) | select(row_name != null)
      | "| \(row_name) | \(.flights) | \(.bytes_c2s | round) | \(.bytes_s2c | round) | \(.client_cpu_us | round) | \(.server_cpu_us | round) |"' "$1"
}
if [ -x bench/tls_bench ] && command -v jq >/dev/null 2>&1; then
    timeout 300 bench/tls_bench --benchmark_filter="$psk_rows" --benchmark_repetitions=3 \
        --benchmark_report_aggregates_only=true --benchmark_min_time=0.1 --benchmark_out="$scratch/psk.json" \
        --benchmark_out_format=json >/dev/null 2>"$scratch/psk-bench.err" </dev/null
    if [ -s "$scratch/psk.json" ]; then
        {
            psk_table "$scratch/psk.json"
            echo
            jq -r '.context | "mbedTLS \(.mbedtls_version | sub("^[Mm]bed TLS "; "")), \(.compiler), \(.cpu_model), \(.transport // "memory") transport; medians of 3 repetitions of at least 0.1 s each, on whatever else the machine was doing."' "$scratch/psk.json"
        } >"$outdir/11_bench.md"
    else
        echo "(Not measured: bench/tls_bench failed while the site was built.)" >"$outdir/11_bench.md"
    fi
else
    echo "(Not measured: this build has no bench/tls_bench (Google Benchmark) or no jq.)" >"$outdir/11_bench.md"
fi
if command -v jq >/dev/null 2>&1; then
    {
        psk_table "$(dirname "$0")/../bench/testdata/sample.json"
        echo
        jq -r '.context | "mbedTLS \(.mbedtls_version | sub("^[Mm]bed TLS "; "")), \(.compiler), \(.cpu_model) (a shared 2-core virtual machine), \(.transport // "memory") transport; medians of 9 repetitions (bench/testdata/sample.json, the benchmark page'"'"'s stored run)."' "$(dirname "$0")/../bench/testdata/sample.json"
    } >"$outdir/11_bench_stored.md"
else
    echo "(Not shown: jq was not installed when the site was built.)" >"$outdir/11_bench_stored.md"
fi

# --- mbedTLS 2.28, where it behaves differently ---------------------------------
# The same client lessons built against the system's 2.28 (docs/compare-2.28,
# see docs/local.mk), against this build's lesson server: TLS 1.2 only, and
# IP addresses in a certificate not matched. A build that is 2.28 itself
# shows its own lessons here; one without a 2.28 to compare says so.
compare_dir=docs/compare-2.28/lessons
compare_version=$(sed -n 's/^MBEDTLS_VERSION = //p' docs/compare-2.28/Makefile 2>/dev/null)
case $MBEDTLS_VERSION in
2.28.*) compare_dir=lessons compare_version=$MBEDTLS_VERSION ;;
esac
start_server compare
for run in "05_handshake_228 05_handshake" "05_trace_228 05_handshake --trace --ciphersuite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256" \
    "05_ip_address_228 05_handshake --host 127.0.0.1" "10_tls13_228 10_tls13" \
    "06_records_228 06_read_write --debug 3" "09_no_hostname_228 09_mistakes --mistake no-hostname"; do
    read -r -a words <<<"$run"
    if [ -x "$compare_dir/${words[1]}" ] && [ -n "$compare_version" ]; then
        LESSONS_DIR=$compare_dir LESSONS_VERSION=$compare_version capture "${words[@]}" -- --port "$PORT"
    else
        not_captured "${words[0]}" "no mbedTLS 2.28 build of the lessons to compare with on this machine (Debian 12's libmbedtls-dev provides one)"
    fi
done
echo "${compare_version:-none}" >"$outdir/compare_version.txt"
# Lesson 06's exercise: the record types the client received, as 2.28 logs them.
if [ -f "$scratch/06_records_228.raw" ]; then
    {
        echo "\$ lessons/06_read_write --debug 3 2>&1 | grep -o 'input record: msgtype = [0-9]*'"
        grep -o 'input record: msgtype = [0-9]*' "$scratch/06_records_228.raw"
    } >"$outdir/06_records_228.txt"
fi
stop_server

# --- Lessons 15 and 16: DTLS over UDP --------------------------------------------
# The DTLS server on a free port (shown as 4433); clients' ports are shown as
# <port>, <port 2>... (client_ports above); the lossy link's port as 4434.
UDP_PORTS=1
start_program dtls lessons/16_dtls_server --port 0
dtls_port=$PORT dtls_pid=$SERVER_PID
capture 15_dtls_client 15_dtls_client -- --port "$PORT"
# One suite only, so that the traced ClientHello fits on a page.
capture 15_dtls_trace 15_dtls_client --trace --ciphersuite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256 -- --port "$PORT"
capture 15_dtls_too_large 15_dtls_client --mtu 300 --size 1000 -- --port "$PORT"
capture 15_dtls_rebind 15_dtls_client --rebind --hs-timeout 250,2000 --timeout 4000 -- --port "$PORT"
capture 15_dtls_cid 15_dtls_client --cid --rebind -- --port "$PORT"
capture 15_help 15_dtls_client --help

# Through the lossy link: 20 % loss, 50 ms each way, seed 1. With that seed
# the link drops the client's second datagram (the ClientHello that carries
# the cookie) whatever the timing, since the fates are drawn per datagram.
start_program link tools/lossy_link --to "127.0.0.1:$dtls_port" --drop 0.2 --delay 50ms --seed 1
link_port=$PORT link_pid=$SERVER_PID
PORT=$dtls_port
OTHER_PORTS="$link_port:4434"
before=$(log_lines dtls)
capture 15_dtls_lossy 15_dtls_client --port 4434 -- --port "$link_port"
SERVER_PID=$link_pid
stop_server
{
    echo "\$ tools/lossy_link --to 127.0.0.1:4433 --listen 127.0.0.1:4434 --drop 0.2 --delay 50ms --seed 1"
    cat "$scratch/link.log"
} | normalise "$PORT" >"$outdir/15_dtls_lossy_link.txt"
# What the server saw of it (the link's port, not the client's, is its address).
sed -n "$((before + 1)),\$p" "$scratch/dtls.log" | normalise "$PORT" >"$outdir/15_dtls_lossy_server.txt"
OTHER_PORTS=""

# Nothing listening (ICMP), nothing answering (a link that drops everything).
start_program gone_dtls lessons/16_dtls_server --port 0
stop_server
capture 15_dtls_refused 15_dtls_client -- --port "$PORT"
start_program void tools/lossy_link --to "127.0.0.1:$PORT" --drop 1
capture 15_dtls_silent 15_dtls_client --hs-timeout 250,1000 -- --port "$PORT"
stop_server
# A server that stops after its first answer, one that rejects every cookie.
start_program mute tests/peers/hostile_dtls_server mute
capture 15_dtls_mute 15_dtls_client --hs-timeout 250,1000 -- --port "$PORT"
stop_server
start_program reject tests/peers/hostile_dtls_server reject-cookie
capture 15_dtls_reject 15_dtls_client -- --port "$PORT"
stop_server

# Lesson 16's own run: two clients, the second one moving to a new port
# (with a connection ID where this mbedTLS has them), then it stops.
start_program dtls16 lessons/16_dtls_server --port 0 --max-connections 2
timeout 60 lessons/15_dtls_client --port "$PORT" >/dev/null 2>&1 </dev/null
if grep -q "connection IDs of" "$scratch/dtls16.log"; then
    timeout 60 lessons/15_dtls_client --port "$PORT" --cid --rebind >/dev/null 2>&1 </dev/null
else
    timeout 60 lessons/15_dtls_client --port "$PORT" >/dev/null 2>&1 </dev/null
fi
wait "$SERVER_PID"
status=$?
{
    echo "\$ lessons/16_dtls_server --max-connections 2"
    cat "$scratch/dtls16.log"
    echo "\$ echo \$?"
    echo "$status"
} | normalise "$PORT" >"$outdir/16_dtls_server.txt"
capture 16_help 16_dtls_server --help

# Hostile datagrams against a fresh server: what it logs, and that it goes on.
start_program hostile lessons/16_dtls_server --port 0 --max-connections 1
before=$(log_lines hostile)
tests/peers/hostile_datagrams garbage "$PORT" 3 >/dev/null 2>&1 </dev/null
tests/peers/hostile_datagrams oversized "$PORT" >/dev/null 2>&1 </dev/null
tests/peers/hostile_datagrams no-cookie "$PORT" >/dev/null 2>&1 </dev/null
tests/peers/hostile_datagrams bad-cookie "$PORT" >/dev/null 2>&1 </dev/null
timeout 60 lessons/15_dtls_client --port "$PORT" >/dev/null 2>&1 </dev/null
wait "$SERVER_PID"
sed -n "$((before + 1)),\$p" "$scratch/hostile.log" | normalise "$PORT" >"$outdir/16_dtls_hostile.txt"
SERVER_PID=$dtls_pid
stop_server
UDP_PORTS=0

# --- The exercises' solutions ---------------------------------------------------
# shellcheck source=capture-exercises.sh
. "$(dirname "$0")/capture-exercises.sh"

# --- Every error line any capture produced (the errors page) -------------------
for f in "$outdir"/[01]*.txt; do
    case $f in *_228.txt) ;; *) cat "$f" ;; esac
done | grep -E '^(\[#[0-9]+ [^]]*\] )?[a-z-]+: ' | sed 's/^\[#[^]]*\] //' \
    | sort -u >"$outdir/errors_seen.txt"

echo "captured $(find "$outdir" -name '*.txt' | wc -l) transcripts in $outdir"
