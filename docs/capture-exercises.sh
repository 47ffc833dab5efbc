# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# docs/capture-exercises.sh: the runs the exercises' solutions show, sourced by
# docs/capture.sh (its helpers: capture, capture_cmd, not_captured,
# start_server, stop_server, normalise). Each exercise of lesson NN has one or
# more transcripts exNN_K*.txt, made the way the exercise says, against real
# servers; an exercise that changes a lesson's code runs that lesson rebuilt
# with the change (docs/variants/, see docs/local.mk). A run this machine
# cannot make (no IPv6, no root for tshark, no TLS 1.3) becomes a note.
# capture.sh sets scratch, outdir and the ports and reads OTHER_PORTS; the
# bash -c scripts below take the real port as their own $1.
# shellcheck disable=SC2154,SC2034,SC2016

# valgrind_summary NAME SHOWN COMMAND...: COMMAND under memcheck, showing the
# lines a reader looks at (the summaries and, for a leak, where it was made).
valgrind_summary() {
    local name=$1 shown=$2
    shift 2
    if ! command -v valgrind >/dev/null 2>&1; then
        not_captured "$name" "valgrind was not installed when these pages were built"
        return 0
    fi
    timeout 180 valgrind --leak-check=full "$@" >/dev/null 2>"$scratch/$name.vg" </dev/null
    {
        echo "\$ $shown"
        sed -e 's/^==[0-9]*== //' -e 's/0x[0-9A-F]*: //' -e 's|(in /[^)]*/\([^/)]*\))|(in \1)|' "$scratch/$name.vg" |
            grep -E 'HEAP SUMMARY|in use at exit|total heap usage|All heap blocks|definitely lost|ERROR SUMMARY|^ *(at|by) .*(mbedtls_x509_crt_parse|stage_load_certs|main)'
    } | normalise "${PORT:-0}" >"$outdir/$name.txt"
}

# start_openssl_server NAME: `openssl s_server -www` with the workshop's
# server certificate on a free port (one a lesson server picked, then left);
# sets PORT and SERVER_PID. Returns 1 without openssl or if it never listens.
start_openssl_server() {
    command -v openssl >/dev/null 2>&1 || return 1
    start_server "$1-port"
    stop_server
    openssl s_server -www -accept "$PORT" -cert certs/server-ecdsa.pem -cert_chain certs/intermediate.pem \
        -key certs/server-ecdsa.key >"$scratch/$1.log" 2>&1 </dev/null &
    SERVER_PID=$!
    keep_pid "$SERVER_PID"
    local tries=100
    until grep -q '^ACCEPT' "$scratch/$1.log" 2>/dev/null; do
        tries=$((tries - 1))
        if [ "$tries" -eq 0 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
            return 1
        fi
        sleep 0.1
    done
}

start_server exercises
main_port=$PORT main_pid=$SERVER_PID

# --- Lesson 01 ----------------------------------------------------------------------
capture ex01_1 01_init --help
capture ex01_1_05 05_handshake --help
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    capture_cmd ex01_2 "strace -e trace=getrandom -s 0 lessons/01_init" \
        strace -e trace=getrandom -s 0 lessons/01_init
else
    not_captured ex01_2 "strace is not installed, or may not trace here"
fi
valgrind_summary ex01_3 "valgrind --leak-check=full lessons/01_init" lessons/01_init
capture_cmd ex01_4 "lessons/01_init     # rebuilt with \"another-program\" as its personalisation string" \
    docs/variants/01_init

# --- Lesson 02 ----------------------------------------------------------------------
capture ex02_1 02_load_certs --ca certs/ca-chain.pem
capture ex02_2 02_load_certs --ca certs/client.key
capture ex02_3 02_load_certs --cert certs/server-rsa-chain.pem --key certs/server-rsa.key
capture ex02_4 02_load_certs --crl certs/crl.pem

# --- Lesson 03 ----------------------------------------------------------------------
capture ex03_1 03_config --ciphersuite help
capture ex03_2 03_config --timeout 0
capture_cmd ex03_3 "lessons/05_handshake --ca certs/bad/rogue-ca.pem     # rebuilt with MBEDTLS_SSL_VERIFY_OPTIONAL" \
    docs/variants/05_verify_optional --ca certs/bad/rogue-ca.pem --port "$PORT"

# --- Lesson 04 ----------------------------------------------------------------------
# An IPv6 lesson server, when this machine has IPv6 on loopback.
if (start_server ipv6 --bind ::1 && stop_server) >/dev/null 2>&1; then
    start_server ipv6 --bind ::1
    capture ex04_1 04_connect --host ::1 -- --port "$PORT"
    stop_server
    PORT=$main_port SERVER_PID=$main_pid
else
    not_captured ex04_1 "this machine has no IPv6 on loopback"
fi
capture ex04_2 04_connect --servername example.com -- --port "$PORT"
if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    capture_cmd ex04_3 "strace -e trace=network,write -s 40 lessons/04_connect >/dev/null" \
        bash -c 'strace -e trace=network,write -s 40 lessons/04_connect --port "$1" 2>&1 >/dev/null' _ "$PORT"
else
    not_captured ex04_3 "strace is not installed, or may not trace here"
fi

# --- Lesson 05 ----------------------------------------------------------------------
start_server selfsigned --cert certs/bad/self-signed-chain.pem --key certs/bad/self-signed.key
capture ex05_1 05_handshake -- --port "$PORT"
stop_server
start_server revoked --cert certs/bad/revoked-chain.pem --key certs/bad/revoked.key
capture ex05_2 05_handshake -- --port "$PORT"
capture ex05_2_crl 05_handshake --crl certs/crl.pem -- --port "$PORT"
stop_server
PORT=$main_port SERVER_PID=$main_pid
capture ex05_3 05_handshake --ciphersuite TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256 -- --port "$PORT"
capture_cmd ex05_4 "lessons/05_handshake --debug 2 2>&1 | grep 'client state'" \
    bash -c 'lessons/05_handshake --debug 2 --port "$1" 2>&1 | grep "client state"' _ "$PORT"

# --- Lesson 06 ----------------------------------------------------------------------
if command -v curl >/dev/null 2>&1; then
    capture_cmd ex06_1 "curl --cacert certs/ca.pem https://localhost:4433/" \
        curl -sS --cacert certs/ca.pem "https://localhost:$PORT/"
else
    not_captured ex06_1 "curl was not installed when these pages were built"
fi
# The server's side of /nothing-here: a server for that one connection.
start_server notfound --max-connections 1
capture ex06_2 06_read_write --path /nothing-here -- --port "$PORT"
wait "$SERVER_PID"
grep -E '^\[#[0-9]+ [^]]*\] +\. (Reading the request|Sending the response)' "$scratch/notfound.log" |
    normalise "$PORT" >"$outdir/ex06_2_server.txt"
PORT=$main_port SERVER_PID=$main_pid
if command -v openssl >/dev/null 2>&1; then
    printf 'GET / HTTP/1.0\r\n\r\n' >"$scratch/get.txt"
    CAPTURE_INPUT=$scratch/get.txt capture_cmd ex06_3 \
        "openssl s_client -connect localhost:4433 -CAfile certs/ca.pem -quiet" \
        openssl s_client -connect "localhost:$PORT" -CAfile certs/ca.pem -quiet
else
    not_captured ex06_3 "openssl was not installed when these pages were built"
fi
capture_cmd ex06_4 "lessons/06_read_write --debug 3 2>&1 | grep -o 'input record: msgtype = [0-9]*'" \
    bash -c 'lessons/06_read_write --debug 3 --port "$1" 2>&1 | grep -o "input record: msgtype = [0-9]*"' _ "$PORT"

# --- Lesson 07 ----------------------------------------------------------------------
valgrind_summary ex07_1 "valgrind --leak-check=full lessons/07_cleanup     # rebuilt without mbedtls_x509_crt_free(&s->ca_chain)" \
    docs/variants/07_cleanup --port "$PORT"
valgrind_summary ex07_2 "valgrind --leak-check=full lessons/05_handshake --ca certs/bad/rogue-ca.pem" \
    lessons/05_handshake --ca certs/bad/rogue-ca.pem --port "$PORT"
capture_cmd ex07_3 "lessons/07_cleanup --debug 2 2>&1 | grep -i 'close notify'" \
    bash -c 'lessons/07_cleanup --debug 2 --port "$1" 2>&1 | grep -i "close notify"' _ "$PORT"

# --- Lesson 08 ----------------------------------------------------------------------
# One thread, a 3 s timeout, and an idle client holding the thread: the
# lesson client waits for the idle connection to time out.
if command -v openssl >/dev/null 2>&1; then
    start_server idle --threads 1 --timeout 3000 --max-connections 2
    mkfifo "$scratch/idle.in"
    openssl s_client -connect "localhost:$PORT" -CAfile certs/ca.pem <"$scratch/idle.in" \
        >"$scratch/idle.out" 2>&1 &
    idle_pid=$!
    keep_pid "$idle_pid"
    exec 9>"$scratch/idle.in"
    # Wait until the idle client's handshake is done (at most 10 s).
    tries=100
    until grep -q '^---$' "$scratch/idle.out" 2>/dev/null || [ "$tries" -eq 0 ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    start=$(date +%s%N)
    capture ex08_1 06_read_write -- --port "$PORT"
    waited=$((($(date +%s%N) - start) / 100000000))
    echo "(the lesson client waited $((waited / 10)).$((waited % 10)) s)" >>"$outdir/ex08_1.txt"
    exec 9>&-
    wait "$SERVER_PID"
    grep '^\[#' "$scratch/idle.log" | normalise "$PORT" >"$outdir/ex08_1_server.txt"
    wait "$idle_pid" 2>/dev/null
    PORT=$main_port SERVER_PID=$main_pid
else
    not_captured ex08_1 "openssl was not installed when these pages were built"
    not_captured ex08_1_server "openssl was not installed when these pages were built"
fi
start_server rsa --cert certs/server-rsa-chain.pem --key certs/server-rsa.key
capture ex08_2 05_handshake -- --port "$PORT"
capture ex08_2_tls12 05_handshake --ciphersuite TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 -- --port "$PORT"
stop_server
PORT=$main_port SERVER_PID=$main_pid
if command -v curl >/dev/null 2>&1; then
    capture_cmd ex08_3_curl "curl --cacert certs/ca.pem https://localhost:4433/" \
        curl -sS --cacert certs/ca.pem "https://localhost:$PORT/"
else
    not_captured ex08_3_curl "curl was not installed when these pages were built"
fi
if command -v gnutls-cli >/dev/null 2>&1; then
    printf 'GET / HTTP/1.0\r\n\r\n' >"$scratch/get.txt"
    CAPTURE_INPUT=$scratch/get.txt capture_cmd ex08_3_gnutls \
        "gnutls-cli --x509cafile certs/ca.pem --port 4433 localhost | grep -E '^- (Description|Status)|^Cipher suite|^Version'" \
        bash -c 'gnutls-cli --x509cafile certs/ca.pem --port "$1" localhost 2>&1 | grep -E "^- (Description|Status)|^Cipher suite|^Version"' _ "$PORT"
else
    not_captured ex08_3_gnutls "gnutls-cli was not installed when these pages were built"
fi
# Ctrl-C: a server that served one client, then got SIGINT.
start_server sigint
timeout 60 lessons/05_handshake --port "$PORT" >/dev/null 2>&1 </dev/null
kill -INT "$SERVER_PID"
wait "$SERVER_PID"
status=$?
{
    echo "\$ lessons/08_server"
    # The summary comes after the signal (Ctrl-C in a terminal).
    awk '/^served / && !done { print "^C"; done = 1 } { print }' "$scratch/sigint.log"
    echo "\$ echo \$?"
    echo "$status"
} | normalise "$PORT" >"$outdir/ex08_4.txt"
PORT=$main_port SERVER_PID=$main_pid

# --- Lesson 09 ----------------------------------------------------------------------
capture ex09_1 09_mistakes --mistake no-ca --debug 1 -- --port "$PORT"
# The key log and a capture decrypted by tshark: capturing needs root.
if command -v tshark >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    timeout 60 tshark -i lo -f "tcp port $PORT" -w "$scratch/s.pcap" >"$scratch/tshark.log" 2>&1 &
    tshark_pid=$!
    keep_pid "$tshark_pid"
    tries=100
    until grep -q 'Capturing on' "$scratch/tshark.log" 2>/dev/null || [ "$tries" -eq 0 ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    capture ex09_2_run 06_read_write --keylog keys.log -- --port "$PORT" --keylog "$scratch/keys.log"
    sleep 1
    kill -INT "$tshark_pid"
    wait "$tshark_pid" 2>/dev/null
    # Frame times differ on every run: the tshark columns are shown without them.
    for variant in decrypted clear; do
        keys=(-o "tls.keylog_file:$scratch/keys.log")
        shown="tshark -r s.pcap -o tls.keylog_file:keys.log -Y http"
        if [ "$variant" = clear ]; then
            keys=()
            shown="tshark -r s.pcap -Y tls.app_data"
        fi
        {
            echo "\$ $shown"
            tshark -r "$scratch/s.pcap" "${keys[@]}" -Y "$([ "$variant" = clear ] && echo tls.app_data || echo http)" \
                -T fields -e frame.number -e ip.src -e ip.dst -e _ws.col.Protocol -e _ws.col.Info 2>/dev/null |
                tr '\t' ' '
        } | normalise "$PORT" >"$outdir/ex09_2_$variant.txt"
    done
else
    for variant in run decrypted clear; do
        not_captured "ex09_2_$variant" "capturing packets needs root and tshark; these pages were built without"
    done
fi
if command -v curl >/dev/null 2>&1; then
    capture_cmd ex09_3 "curl --cacert certs/ca.pem https://localhost:4433/hello" \
        curl -sS --cacert certs/ca.pem "https://localhost:$PORT/hello"
else
    not_captured ex09_3 "curl was not installed when these pages were built"
fi
capture ex09_4 09_mistakes --mistake no-hostname -- --port "$PORT"
# A server with a chain from another root, on a port of its own (shown as 4436).
start_server otherroot --cert certs/bad/unknown-root-chain.pem --key certs/bad/unknown-root.key
other_port=$PORT
OTHER_PORTS="$other_port:4436" PORT=$main_port
capture ex09_5 09_mistakes --port 4436 --ca certs/bad/rogue-ca.pem -- --port "$other_port"
capture ex09_5_noca 09_mistakes --port 4436 -- --port "$other_port"
OTHER_PORTS=""
stop_server
PORT=$main_port SERVER_PID=$main_pid

# --- Lesson 13 ----------------------------------------------------------------------
capture_cmd ex13_1_threads "lessons/13_nonblocking --connections 64 | tail -n 3" \
    bash -c 'lessons/13_nonblocking --connections 64 --port "$1" | tail -n 3' _ "$PORT"
start_server eventloop --event-loop
capture_cmd ex13_1_event_loop "lessons/13_nonblocking --connections 64 | tail -n 3     # against 08_server --event-loop" \
    bash -c 'lessons/13_nonblocking --connections 64 --port "$1" | tail -n 3' _ "$PORT"
stop_server
if start_openssl_server s_server13; then
    capture ex13_2 13_nonblocking --connections 4 -- --port "$PORT"
    stop_server
else
    not_captured ex13_2 "openssl s_server could not be started here"
fi
PORT=$main_port SERVER_PID=$main_pid
capture_cmd ex13_3 "lessons/13_nonblocking --path /hello     # rebuilt always waiting for POLLIN" \
    docs/variants/13_nonblocking --path /hello --port "$PORT"
start_server eventtrace --event-loop --trace --max-connections 1
timeout 60 lessons/05_handshake --port "$PORT" >/dev/null 2>&1 </dev/null
wait "$SERVER_PID"
{
    echo "\$ lessons/08_server --event-loop --trace     # and lessons/05_handshake once"
    grep '^\[#' "$scratch/eventtrace.log"
} | normalise "$PORT" >"$outdir/ex13_4.txt"
PORT=$main_port SERVER_PID=$main_pid

# --- Lesson 14 ----------------------------------------------------------------------
for suite in AES-128-GCM-SHA256 CHACHA20-POLY1305-SHA256; do
    capture_cmd "ex14_1_$suite" \
        "lessons/14_small_ram --ciphersuite TLS-ECDHE-ECDSA-WITH-$suite | sed -n '/^This connection/,/largest records/p'" \
        bash -c 'lessons/14_small_ram --ciphersuite "TLS-ECDHE-ECDSA-WITH-$2" --port "$1" | sed -n "/^This connection/,/largest records/p"' \
        _ "$PORT" "$suite"
done
if start_openssl_server s_server14; then
    capture_cmd ex14_2 "lessons/14_small_ram --port PORT --max-frag-len 1024 | sed -n '/^This connection/,/largest records/p'     # against openssl s_server -www" \
        bash -c 'lessons/14_small_ram --port "$1" --max-frag-len 1024 | sed -n "/^This connection/,/largest records/p"' _ "$PORT"
    capture_cmd ex14_3_openssl "lessons/14_small_ram --port PORT --max-frag-len 512 --trace | grep -E 'max_fragment_length|Certificate|record handshake|record application'     # against openssl s_server -www" \
        bash -c 'lessons/14_small_ram --port "$1" --max-frag-len 512 --trace | grep -E "max_fragment_length|Certificate|record handshake|record application"' _ "$PORT"
    stop_server
else
    not_captured ex14_2 "openssl s_server could not be started here"
    not_captured ex14_3_openssl "openssl s_server could not be started here"
fi
PORT=$main_port SERVER_PID=$main_pid
capture_cmd ex14_3 "lessons/14_small_ram --max-frag-len 512 --trace | grep -E 'max_fragment_length|Certificate|record handshake|record application'" \
    bash -c 'lessons/14_small_ram --port "$1" --max-frag-len 512 --trace | grep -E "max_fragment_length|Certificate|record handshake|record application"' _ "$PORT"

# --- Lesson 10 ----------------------------------------------------------------------
# Its debug and byte-count solutions need TLS 1.3: without it (2.28) the
# lesson exits 77 before any of that code, and the page says so instead.
timeout 60 lessons/10_tls13 --port "$PORT" >/dev/null 2>&1 </dev/null
if [ $? -eq 77 ]; then
    not_captured ex10_1 "this mbedTLS ($MBEDTLS_VERSION) has no TLS 1.3: lesson 10 exits 77 before its TLS 1.3 code"
    not_captured ex10_3 "this mbedTLS ($MBEDTLS_VERSION) has no TLS 1.3: lesson 10 exits 77"
else
    capture_cmd ex10_1 "lessons/10_tls13 --debug 2 2>&1 | grep -E '=> (ssl_tls13_[a-z_]+|parse encrypted extensions)\$'" \
        bash -c 'lessons/10_tls13 --debug 2 --port "$1" 2>&1 | grep -E "=> (ssl_tls13_[a-z_]+|parse encrypted extensions)$"' _ "$PORT"
    capture_cmd ex10_3 "lessons/10_tls13 | grep -E '^---|round trip'" \
        bash -c 'lessons/10_tls13 --port "$1" | grep -E "^---|round trip"' _ "$PORT"
fi
capture ex10_2_first 10_tls13 -- --port "$PORT"
stop_server
start_server exercises2
capture ex10_2_second 10_tls13 -- --port "$PORT"
stop_server

# --- Lessons 11 and 12 ----------------------------------------------------------------
# The build's key file; sessions and a copy of the keys in the scratch
# directory, shown without their paths.
psk_key=$(sed -n 's/^sensor-01://p' certs/psk-keys.txt)
start_server ex11 --psk-file certs/psk-keys.txt
capture_cmd ex11_1 "lessons/11_psk --psk-identity sensor-01 --psk \$KEY --psk-mode tls12-psk --trace | grep -E 'ClientKeyExchange|Certificate'" \
    bash -c 'lessons/11_psk --port "$1" --psk-identity sensor-01 --psk "$2" --psk-mode tls12-psk --trace | grep -E "ClientKeyExchange|Certificate"' _ "$PORT" "$psk_key"
# A server with a third device's key: the copy of the file gets one more line.
stop_server
cp certs/psk-keys.txt "$scratch/more-keys.txt"
key3=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
echo "sensor-03:$key3" >>"$scratch/more-keys.txt"
start_server ex11_3 --psk-file "$scratch/more-keys.txt"
capture ex11_3 11_psk --psk-identity sensor-03 --psk "\$KEY3" --psk-mode tls12-ecdhe-psk -- --port "$PORT" --psk "$key3"
grep -E 'psk: ' "$scratch/ex11_3.log" | sed "s|$scratch/||" | normalise "$PORT" >"$outdir/ex11_3_server.txt"
stop_server
# openssl s_server with one key and no certificate, on a port a lesson server picked and left.
start_server ex11_2-port
stop_server
if command -v openssl >/dev/null 2>&1; then
    openssl s_server -accept "$PORT" -nocert -www -psk "$psk_key" -psk_identity sensor-01 -allow_no_dhe_kex \
        >"$scratch/ex11_2.log" 2>&1 </dev/null &
    SERVER_PID=$!
    keep_pid "$SERVER_PID"
    for _ in $(seq 100); do
        grep -q '^ACCEPT' "$scratch/ex11_2.log" && break
        sleep 0.1
    done
    OTHER_PORTS="$PORT:4434"
    capture ex11_2 11_psk --port 4434 --psk-identity sensor-01 --psk "\$KEY" --psk-mode tls13-psk -- --port "$PORT" --psk "$psk_key"
    capture ex11_2_nobody 11_psk --port 4434 --psk-identity nobody --psk "\$KEY" --psk-mode tls13-psk -- --port "$PORT" --psk "$psk_key"
    capture ex11_2_nobody12 11_psk --port 4434 --psk-identity nobody --psk "\$KEY" --psk-mode tls12-psk -- --port "$PORT" --psk "$psk_key"
    OTHER_PORTS=""
    stop_server
    sed -i "s/$psk_key/\$KEY/g" "$outdir"/ex11_2*.txt
else
    for f in ex11_2 ex11_2_nobody ex11_2_nobody12; do
        not_captured "$f" "openssl was not installed when these pages were built"
    done
fi
sed -i -e "s/$psk_key/\$KEY/g" -e "s/$key3/\$KEY3/g" "$outdir"/ex11_*.txt
if [ -x bench/tls_bench ]; then
    capture_cmd ex11_4 "bench/tls_bench --benchmark_filter=psk --benchmark_min_time=0.05" \
        timeout 300 bench/tls_bench --benchmark_filter=psk --benchmark_min_time=0.05
else
    not_captured ex11_4 "this build has no bench/tls_bench (it needs Google Benchmark)"
fi

# Lesson 12: against openssl s_server -www, twice.
if start_openssl_server ex12_1; then
    OTHER_PORTS="$PORT:4434"
    timeout 60 lessons/12_resume --port "$PORT" --session-file "$scratch/ossl.bin" >/dev/null 2>&1 </dev/null
    capture ex12_1 12_resume --port 4434 --session-file session.bin -- --port "$PORT" --session-file "$scratch/ossl.bin"
    OTHER_PORTS=""
    stop_server
else
    not_captured ex12_1 "openssl s_server could not be started here"
fi
# TLS 1.2 session IDs: twice, then once more against a restarted server.
start_server ex12_2
capture ex12_2_first 12_resume --method tls12-id --session-file id.bin -- --port "$PORT" --session-file "$scratch/id.bin"
capture ex12_2_second 12_resume --method tls12-id --session-file id.bin -- --port "$PORT" --session-file "$scratch/id.bin"
stop_server
start_server ex12_2_restarted
sed -i "s/^server localhost:[0-9]*\$/server localhost:$PORT/" "$scratch/id.bin"
capture ex12_2_restarted 12_resume --method tls12-id --session-file id.bin -- --port "$PORT" --session-file "$scratch/id.bin"
# A session saved by this build, loaded by the other release's lessons.
compare_dir=docs/compare-2.28/lessons
compare_version=$(sed -n 's/^MBEDTLS_VERSION = //p' docs/compare-2.28/Makefile 2>/dev/null)
case $MBEDTLS_VERSION in
    2.28.*) compare_version="" ;;
esac
if [ -x "$compare_dir/12_resume" ] && [ -n "$compare_version" ]; then
    mkdir -p "$scratch/cmp"
    timeout 60 lessons/12_resume --method tls12-ticket --port "$PORT" --session-file "$scratch/cmp/session.bin" \
        >/dev/null 2>&1 </dev/null
    LESSONS_DIR=$compare_dir LESSONS_VERSION=$compare_version capture ex12_3 12_resume --method tls12-ticket \
        --session-file session.bin -- --port "$PORT" --session-file "$scratch/cmp/session.bin"
else
    not_captured ex12_3 "no build of the lessons with another mbedTLS release on this machine (this one is $MBEDTLS_VERSION)"
fi
# A truncated file.
timeout 60 lessons/12_resume --port "$PORT" --session-file "$scratch/cut.bin" >/dev/null 2>&1 </dev/null
head -c 200 "$scratch/cut.bin" >"$scratch/short.bin"
capture ex12_4 12_resume --session-file short.bin -- --port "$PORT" --session-file "$scratch/short.bin"
stop_server
sed -i -e "s|$scratch/cmp/||g" -e "s|$scratch/||g" "$outdir"/ex12_*.txt

# --- Lessons 15 and 16 with a pre-shared key ---------------------------------------------
UDP_PORTS=1
start_program dtls_psk lessons/16_dtls_server --port 0 --max-connections 1 --psk "$psk_key" --psk-identity sensor-01
capture 15_dtls_psk 15_dtls_client --psk "\$KEY" --psk-identity sensor-01 -- --port "$PORT" --psk "$psk_key"
wait "$SERVER_PID"
{
    echo "\$ lessons/16_dtls_server --max-connections 1 --psk \$KEY --psk-identity sensor-01"
    cat "$scratch/dtls_psk.log"
} | normalise "$PORT" >"$outdir/16_dtls_psk.txt"
sed -i "s/$psk_key/\$KEY/g" "$outdir/15_dtls_psk.txt" "$outdir/16_dtls_psk.txt"

# --- Lessons 15 and 16: DTLS ---------------------------------------------------------
# As in capture.sh's DTLS section: the DTLS server's port is shown as 4433,
# the lossy link's as 4434, clients' ports as <port>, <port 2>... Every run
# here is short (the longest, lesson 15's first exercise, waits about 5 s
# for the timers it asks about).
UDP_PORTS=1

# free_udp_port: a UDP port of loopback nobody uses (one a DTLS server
# picked, then left); sets PORT.
free_udp_port() {
    start_program udp-port lessons/16_dtls_server --port 0
    stop_server
}

# link_summary NAME SHOWN: the lossy link's last line (its summary, printed
# when it is stopped) as NAME.txt, after the command that started it.
link_summary() {
    {
        echo "\$ $2"
        echo "(...)"
        grep ' summary: ' "$scratch/$1.log"
    } | normalise "$dtls_port" >"$outdir/$1.txt"
}

# Lesson 15, exercise 1: 20 % loss with seed 3. The fates are drawn per
# datagram, so the same datagrams are lost in every run, whatever the timing.
start_program dtlsex lessons/16_dtls_server --port 0
dtls_port=$PORT dtls_pid=$SERVER_PID
start_program ex15_1_link tools/lossy_link --to "127.0.0.1:$dtls_port" --drop 0.2 --seed 3
link_port=$PORT link_pid=$SERVER_PID
OTHER_PORTS="$link_port:4434" PORT=$dtls_port
before=$(log_lines dtlsex)
capture ex15_1 15_dtls_client --port 4434 -- --port "$link_port"
SERVER_PID=$link_pid
stop_server
{
    echo "\$ tools/lossy_link --to 127.0.0.1:4433 --listen 127.0.0.1:4434 --drop 0.2 --seed 3"
    cat "$scratch/ex15_1_link.log"
} | normalise "$dtls_port" >"$outdir/ex15_1_link.txt"
sed -n "$((before + 1)),\$p" "$scratch/dtlsex.log" | normalise "$dtls_port" >"$outdir/ex15_1_server.txt"

# Exercise 2: timers shorter than the round trip (200 ms each way).
start_program ex15_2_link tools/lossy_link --to "127.0.0.1:$dtls_port" --delay 200ms
link_port=$PORT link_pid=$SERVER_PID
OTHER_PORTS="$link_port:4434" PORT=$dtls_port
capture ex15_2 15_dtls_client --port 4434 --hs-timeout 100,400 -- --port "$link_port"
SERVER_PID=$link_pid
stop_server
link_summary ex15_2_link "tools/lossy_link --to 127.0.0.1:4433 --listen 127.0.0.1:4434 --delay 200ms"
OTHER_PORTS=""
SERVER_PID=$dtls_pid
stop_server

# Exercise 3: a 200-byte MTU on both sides, the trace cut to the datagrams'
# sizes, the fragments and the messages they make up.
start_program mtu200 lessons/16_dtls_server --port 0 --mtu 200 --max-connections 1
capture_cmd ex15_3 "lessons/15_dtls_client --mtu 200 --trace | grep -E 'datagram, |message [0-9]+: |Certificate, |handshake\\.\\.\\.'" \
    bash -c 'lessons/15_dtls_client --port "$1" --mtu 200 --trace | grep -E "datagram, |message [0-9]+: |Certificate, |handshake\\.\\.\\."' _ "$PORT"
stop_server

# Exercise 4: real peers. openssl s_server sends what it reads on its
# standard input, and ends the connection at the end of it: its input is a
# line typed in advance and a pipe that stays open a while (a plain echo
# would end the connection before the request comes).
if command -v openssl >/dev/null 2>&1; then
    free_udp_port
    ossl_cmd="openssl s_server -dtls1_2 -naccept 1 -accept 127.0.0.1:$PORT -cert certs/server-ecdsa.pem -key certs/server-ecdsa.key -cert_chain certs/intermediate.pem"
    bash -c "(echo 'reply from openssl s_server'; sleep 3) | $ossl_cmd" >"$scratch/ex15_4_ossl.log" 2>&1 </dev/null &
    keep_pid $!
    tries=100
    until grep -q '^ACCEPT' "$scratch/ex15_4_ossl.log" 2>/dev/null || [ "$tries" -eq 0 ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    capture ex15_4_openssl 15_dtls_client -- --port "$PORT"
    tries=50
    until grep -q 'DONE' "$scratch/ex15_4_ossl.log" 2>/dev/null || [ "$tries" -eq 0 ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    {
        echo "\$ (echo 'reply from openssl s_server'; sleep 3) | $ossl_cmd"
        sed '/DONE/q' "$scratch/ex15_4_ossl.log"
    } | normalise "$PORT" >"$outdir/ex15_4_openssl_server.txt"
else
    not_captured ex15_4_openssl "openssl was not installed when these pages were built"
    not_captured ex15_4_openssl_server "openssl was not installed when these pages were built"
fi
if command -v gnutls-serv >/dev/null 2>&1; then
    free_udp_port
    gnutls-serv --udp --echo --port "$PORT" --x509certfile certs/server-ecdsa-chain.pem \
        --x509keyfile certs/server-ecdsa.key >"$scratch/ex15_4_gnutls.log" 2>&1 </dev/null &
    SERVER_PID=$!
    keep_pid "$SERVER_PID"
    tries=100
    until grep -q 'UDP Echo Server listening on IPv4' "$scratch/ex15_4_gnutls.log" 2>/dev/null ||
        [ "$tries" -eq 0 ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    capture ex15_4_gnutls 15_dtls_client -- --port "$PORT"
    stop_server
    {
        echo "\$ gnutls-serv --udp --echo --port 4433 --x509certfile certs/server-ecdsa-chain.pem --x509keyfile certs/server-ecdsa.key"
        grep -E '^(UDP Echo Server listening on IPv4|\*\*\* Processing)' "$scratch/ex15_4_gnutls.log"
    } | normalise "$PORT" >"$outdir/ex15_4_gnutls_server.txt"
else
    not_captured ex15_4_gnutls "gnutls-serv was not installed when these pages were built"
    not_captured ex15_4_gnutls_server "gnutls-serv was not installed when these pages were built"
fi

# Lesson 16, exercise 1: the server's trace of one client, cut to the
# datagrams, records and messages (not their details) and its own lines.
start_program trace16 lessons/16_dtls_server --port 0 --trace --max-connections 1
before=$(log_lines trace16)
timeout 60 lessons/15_dtls_client --port "$PORT" >/dev/null 2>&1 </dev/null
wait "$SERVER_PID"
{
    echo "\$ lessons/16_dtls_server --trace --max-connections 1     # then lessons/15_dtls_client once; details cut"
    sed -n "$((before + 1)),\$p" "$scratch/trace16.log" |
        grep -E '^\[[^]]*\] (  [<>] (datagram|record)|  [<>]   [A-Za-z]|    [A-Za-z!])|^served '
} | normalise "$PORT" >"$outdir/ex16_1.txt"

# Exercise 2: two clients at once, through a link that delays each
# datagram 50 ms so that their handshakes surely overlap (on loopback alone
# one takes a few milliseconds). The order in which their lines interleave
# changes from run to run, so the server's log is shown client by client
# (each client's lines in their order), with a line saying whether this
# run's log interleaved them; then each client's reply.
start_program two16 lessons/16_dtls_server --port 0 --max-connections 2
two_port=$PORT two_pid=$SERVER_PID
start_program two16_link tools/lossy_link --to "127.0.0.1:$two_port" --delay 50ms --quiet
link_port=$PORT link_pid=$SERVER_PID
before=$(log_lines two16)
timeout 60 lessons/15_dtls_client --port "$link_port" >"$scratch/two16_a.out" 2>&1 </dev/null &
first=$!
timeout 60 lessons/15_dtls_client --port "$link_port" >"$scratch/two16_b.out" 2>&1 </dev/null
wait "$first"
SERVER_PID=$two_pid
wait "$SERVER_PID"
SERVER_PID=$link_pid
stop_server
sed -n "$((before + 1)),\$p" "$scratch/two16.log" | grep '^\[' >"$scratch/two16.lines"
OTHER_PORTS="$link_port:4434"
{
    echo "\$ lessons/16_dtls_server --max-connections 2 &"
    echo "\$ tools/lossy_link --to 127.0.0.1:4433 --listen 127.0.0.1:4434 --delay 50ms --quiet &"
    echo "\$ lessons/15_dtls_client --port 4434 & lessons/15_dtls_client --port 4434"
    echo "(the server's log, one client after the other:)"
    awk '{ a = $0; sub(/^\[(#[0-9]+ )?/, "", a); sub(/\].*/, "", a)
           if (!(a in seen)) { seen[a] = ++n; order[n] = a }
           if (prev != "" && a != prev) switches++
           prev = a; lines[a] = lines[a] $0 "\n" }
         END { for (i = 1; i <= n; i++) printf "%s", lines[order[i]]
               print (switches > n - 1 ? "(in the log itself, the two clients'"'"' lines were interleaved)" \
                                       : "(in this run, the log did not interleave them)") }' "$scratch/two16.lines"
    grep -h '^served ' "$scratch/two16.log"
    echo "(and each client's reply:)"
    grep -h '^DTLS reply' "$scratch/two16_a.out" "$scratch/two16_b.out" | sort -t'#' -k2n
} | normalise "$two_port" >"$outdir/ex16_2.txt"
OTHER_PORTS=""

# Exercise 3: Ctrl-C (SIGINT) while a session is open: the client moved to
# a new port without a connection ID, so the server still holds its first
# one. The trace is cut to the server's own lines and the alerts it sends.
start_program int16 lessons/16_dtls_server --port 0 --trace
before=$(log_lines int16)
capture ex16_3_client 15_dtls_client --rebind --timeout 1500 -- --port "$PORT"
signalled=$(log_lines int16)
kill -INT "$SERVER_PID"
wait "$SERVER_PID"
status=$?
{
    echo "\$ lessons/16_dtls_server --trace     # its own lines and the alerts it sends only"
    # The signal came after the first $signalled lines (Ctrl-C in a terminal).
    sed -n "$((before + 1)),\$p" "$scratch/int16.log" | sed "$((signalled - before))a ^C" |
        grep -E '^\[[^]]*\] (    [A-Za-z!]|  < record alert)|^served |^\^C$'
    echo "\$ echo \$?"
    echo "$status"
} | normalise "$PORT" >"$outdir/ex16_3.txt"
UDP_PORTS=0
