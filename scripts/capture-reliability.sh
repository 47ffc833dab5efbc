#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# capture-reliability.sh BUILD_DIR OUT_DIR - rerun a few representative cases
# of the reliability tests for real and save what they print, for
# docs/pages/reliability.md (docs never contain typed-in output). The docs
# build runs it (tests/reliability.mk: docs/reliability/capture.stamp) and
# the page pulls the files in with @verbinclude docs/reliability/NAME.txt.
#
# Each OUT_DIR/NAME.txt is a transcript in the form docs/capture.sh uses:
# the commands as a reader would type them in the build directory, their
# output, and exit statuses. As there, the free port a server picked is shown
# as 4433 and the clients' ephemeral ports in a server's log as <port>; the
# millisecond figures and the load figures are whatever this run measured.
# It takes a few seconds (the slowest case waits for a 1.8 s deadline).
#
# Exit status: 0 done (a case that cannot run here becomes a one-line note in
# its file), 2 usage or setup error, 3 a server did not start.

set -u

# shellcheck source=capture-lib.sh
. "$(dirname "$0")/capture-lib.sh" "$@"

# normalise PORT: that port becomes 4433, clients' ports in the log <port>.
normalise() {
    sed -e "s/\\<$1\\>/4433/g" -e 's/^\(\[#[0-9]* [0-9.]*\):[0-9]*\]/\1:<port>]/'
}

# run_shown PROGRAM ARGS...: run a build-tree program (at most 60 s), print
# "$ PROGRAM ARGS", its merged output and "$ echo $?" with the status.
run_shown() {
    local status
    echo "\$ $*"
    timeout 60 "$@" 2>&1 </dev/null
    status=$?
    echo "\$ echo \$?"
    echo "$status"
}

# server_log NAME: the server's log for its connections, as an operator sees it.
server_log() {
    echo "\$ # the server's log for these connections:"
    grep '^\[#' "$scratch/$1.log"
}

# --- Bad server certificates: the client refuses ------------------------------
start_server badcert --cert certs/bad/expired-chain.pem --key certs/bad/expired.key
run_shown lessons/05_handshake --port "$PORT" | normalise "$PORT" >"$outdir/badcert_expired.txt"
stop_server
start_server badcert --cert certs/bad/revoked-chain.pem --key certs/bad/revoked.key
{
    run_shown lessons/05_handshake --port "$PORT" --crl certs/crl.pem
    run_shown lessons/05_handshake --port "$PORT"
} | normalise "$PORT" >"$outdir/badcert_revoked.txt"
stop_server

# --- Bad client certificates: the server refuses ------------------------------
start_server badclient --require-client-cert --crl certs/crl.pem --timeout 5000
{
    for case in expired revoked rsa1024; do
        run_shown lessons/06_read_write --port "$PORT" \
            --cert "certs/bad/client-$case-chain.pem" --key "certs/bad/client-$case.key" \
            | grep -E '^\$|^[a-z-]+: |^[0-9]+$'
    done
    run_shown lessons/06_read_write --port "$PORT" | grep -E '^\$|^[a-z-]+: |^[0-9]+$'
    stop_server
    server_log badclient
} | normalise "$PORT" >"$outdir/badcert_client.txt"

# --- Broken servers: the client gives up cleanly ------------------------------
# hostile_peer MODE: hostile_server MODE on a free port, lesson 05 against it,
# then what the peer printed after the client left (how long that took).
hostile_peer() {
    local peer tries=100
    : >"$scratch/peer-$1.log"
    tests/peers/hostile_server "$1" >"$scratch/peer-$1.log" 2>&1 </dev/null &
    peer=$!
    keep_pid "$peer"
    started "peer-$1" "$peer"
    {
        echo "\$ tests/peers/hostile_server $1 &"
        echo "listening on 127.0.0.1:$PORT"
        run_shown lessons/05_handshake --port "$PORT" --timeout 1000 |
            grep -vE '^  \. (Starting|Seeding|Loading|Setting up the TLS config)'
        while kill -0 "$peer" 2>/dev/null && [ "$tries" -gt 0 ]; do
            sleep 0.1
            tries=$((tries - 1))
        done
        echo "\$ # and hostile_server, when the client had gone:"
        sed 1d "$scratch/peer-$1.log"
    } | normalise "$PORT" >"$outdir/hostile_server_$1.txt"
}
if [ -x tests/peers/hostile_server ]; then
    for mode in garbage close oversized alert stall; do
        hostile_peer "$mode"
    done
else
    for mode in garbage close oversized alert stall; do
        echo "(not captured: tests/peers/hostile_server is not built; make check builds it)" \
            >"$outdir/hostile_server_$mode.txt"
    done
fi

# --- Hostile clients: the server survives --------------------------------------
if [ -x tests/peers/hostile_client ]; then
    start_server hostile --timeout 600 --threads 4
    {
        for mode in garbage half slowloris; do
            run_shown tests/peers/hostile_client "$mode" "$PORT"
        done
        run_shown lessons/06_read_write --port "$PORT" | grep -E '^\$|^HTTP/|^[0-9]+$'
        if command -v openssl >/dev/null 2>&1; then
            # Shown with the request on the command line, as a reader would send it.
            printf 'BREW /pot HTCPCP/1.0\r\n\r\n' >"$scratch/brew.req"
            printf '%s\n' "\$ printf 'BREW /pot HTCPCP/1.0\\r\\n\\r\\n' | openssl s_client -connect localhost:$PORT -CAfile certs/ca.pem -quiet 2>/dev/null | head -n 1"
            timeout 30 openssl s_client -connect "localhost:$PORT" -CAfile certs/ca.pem -quiet \
                <"$scratch/brew.req" 2>/dev/null | head -n 1
            head -c 8192 /dev/zero | tr '\0' 'A' >"$scratch/big.req"
            printf '%s\n' "\$ head -c 8192 /dev/zero | tr '\\0' A | openssl s_client -connect localhost:$PORT -CAfile certs/ca.pem -quiet 2>/dev/null | head -n 1"
            timeout 30 openssl s_client -connect "localhost:$PORT" -CAfile certs/ca.pem -quiet \
                <"$scratch/big.req" 2>/dev/null | head -n 1
        fi
        # A SIGTERM while two silent connections are open.
        tests/peers/hostile_client idle "$PORT" 2 >/dev/null 2>&1 </dev/null &
        idle_pid=$!
        keep_pid "$idle_pid"
        sleep 0.3
        echo "\$ kill -TERM <server>    # two silent connections still open"
        stop_server
        wait "$idle_pid" 2>/dev/null
        server_log hostile
        grep '^served ' "$scratch/hostile.log"
    } 2>&1 | normalise "$PORT" | tr -d '\r' >"$outdir/hostile_clients.txt"
else
    echo "(not captured: tests/peers/hostile_client is not built; make check builds it)" \
        >"$outdir/hostile_clients.txt"
fi

# --- Load: a small round, measured on the machine that built these pages -------
if [ -x tests/peers/load_client ]; then
    start_server load
    run_shown tests/peers/load_client --port "$PORT" --clients 16 --requests 4 \
        | normalise "$PORT" >"$outdir/load.txt"
    stop_server
    grep '^served ' "$scratch/load.log" >>"$outdir/load.txt"
else
    echo "(not captured: tests/peers/load_client is not built; make check builds it)" >"$outdir/load.txt"
fi

echo "captured $(find "$outdir" -name '*.txt' | wc -l) reliability transcripts in $outdir"
