#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/capacity.sh BUILD_DIR OUTDIR [SECONDS] [ROUNDS] [RESULT.json]
#
# What one full handshake costs a server, measured the way an operator would:
# the server process's CPU time (user + system, from /proc/PID/stat) over the
# handshakes it served under a fixed load, divided by their number. The load
# is two `openssl s_time -new` clients at once for SECONDS (default 5), each
# connection a full handshake and nothing else. The servers, all on loopback
# with the same certificate chain (certs/server-ecdsa-chain.pem; OpenSSL
# takes the intermediate with -cert_chain) and group (P-256,
# pinned on both sides: the servers accept only it, and the clients offer
# only it through an OpenSSL configuration file, so TLS 1.3 needs no
# HelloRetryRequest):
#
#   08_server --threads 1, 08_server --threads 2   the lesson server
#   openssl s_server                              the same handshake in OpenSSL
#
# Each round then measures the handshake latency as a client sees it: two
# tests/peers/load_client threads (mbedTLS clients on the lessons' stages,
# P-256 only) make LATENCY_REQUESTS (default 100) connections each, one after
# the other, each a full handshake timed from before the TCP connect to its
# end, then the request and a reset; the round's p50, p90 and p99 come from
# all of them. Servers are pinned to the suite below as well, so both loads
# get the same handshake.
#
# ROUNDS (default 3) rounds, each server in turn, so that a change in the
# machine's load hits them all alike; the tables give the median and the
# range. With RESULT.json (a tls_bench run of the same build) the in-memory
# server side of the same handshake stands beside them: what the lesson
# server adds around mbedTLS is the ratio of the two. TLS 1.3
# (TLS_AES_128_GCM_SHA256) where the build has it, else TLS 1.2
# (ECDHE-ECDSA-AES128-GCM-SHA256).
#
# Writes OUTDIR/capacity.tsv (every measurement), OUTDIR/capacity.json (the
# summary: per server and thread count the median, min and max over the
# rounds of the CPU per handshake and of the handshakes per second, the
# medians of the rounds' latency percentiles, and the in-memory figure and
# ratios when there is one) and OUTDIR/capacity.md (the report's "Server
# capacity" section; bench/report.sh includes it when it finds it next to
# the result). Connections per second are given too, but
# read the CPU: two s_time clients on a 2-core machine are often the limit,
# not the server. `make bench-capacity` runs it.
set -eu

[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR OUTDIR [SECONDS] [ROUNDS] [RESULT.json]" >&2; exit 1; }
build=$1
out=$2
seconds=${3:-5}
rounds=${4:-3}
result=${5:-}
server="$build/lessons/08_server"
load_client=${LOAD_CLIENT:-$build/tests/peers/load_client}
latency_requests=${LATENCY_REQUESTS:-100}
certs=${CERTS_DIR:-$build/certs}
openssl=${OPENSSL:-openssl}
[ -x "$server" ] || { echo "$0: no $server (build first)" >&2; exit 1; }
[ -x "$load_client" ] || { echo "$0: no $load_client (make tests/peers/load_client)" >&2; exit 1; }
command -v "$openssl" >/dev/null || { echo "$0: openssl is needed" >&2; exit 2; }
[ -r /proc/self/stat ] || { echo "$0: /proc is needed for the servers' CPU time" >&2; exit 2; }
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/capacity.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

# The version and suite: TLS 1.3 where this build's mbedTLS has it.
if [ -x "$build/bench/tls_bench" ] && "$build/bench/tls_bench" --ws_list | grep -q '^handshake/tls1.3/'; then
    version=tls1.3 suite=TLS_AES_128_GCM_SHA256 client_flags=(-tls1_3 -ciphersuites "$suite")
    mbedtls_suite=TLS1-3-AES-128-GCM-SHA256
    in_memory="handshake/tls1.3/TLS_AES_128_GCM_SHA256/ecdsa-p256"
else
    version=tls1.2 suite=ECDHE-ECDSA-AES128-GCM-SHA256 client_flags=(-tls1_2 -cipher "$suite")
    mbedtls_suite=TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256
    in_memory="handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256"
fi

# The clients offer P-256 alone (s_time has no -groups option).
cat >"$tmp/client.cnf" <<'CNF'
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Groups = P-256
CNF

# start NAME PATTERN COMMAND...: start a server, wait for the line that names
# its port (PATTERN, a sed expression printing the port), set PORT_<NAME>.
start() {
    local name=$1 pattern=$2 port="" i
    shift 2
    "$@" </dev/null >"$tmp/$name.log" 2>&1 &
    pids+=($!)
    eval "PID_$name=$!"
    for i in $(seq 1 100); do
        port=$(sed -n "$pattern" "$tmp/$name.log" | head -n 1)
        [ -n "$port" ] && break
        sleep 0.1
        [ "$i" -lt 100 ] || { echo "$0: $name did not start:" >&2; cat "$tmp/$name.log" >&2; exit 3; }
    done
    eval "PORT_$name=$port"
}

# cpu_ticks PID: user + system time of a process, in clock ticks.
cpu_ticks() {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

start lesson1 's/^.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' \
    "$server" --port 0 --threads 1 --groups secp256r1 --ciphersuite "$mbedtls_suite" \
    --cert "$certs/server-ecdsa-chain.pem" --key "$certs/server-ecdsa.key"
start lesson2 's/^.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' \
    "$server" --port 0 --threads 2 --groups secp256r1 --ciphersuite "$mbedtls_suite" \
    --cert "$certs/server-ecdsa-chain.pem" --key "$certs/server-ecdsa.key"
start openssl 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' \
    "$openssl" s_server -accept 127.0.0.1:0 -cert "$certs/server-ecdsa.pem" \
    -cert_chain "$certs/intermediate.pem" -key "$certs/server-ecdsa.key" -groups P-256 -num_tickets 0 "${client_flags[@]:1}" -www
ticks=$(getconf CLK_TCK)

printf 'server\tthreads\tround\thandshakes\tcpu_s\tcpu_ms_per_handshake\thandshakes_per_s' >"$out/capacity.tsv"
printf '\tlatency_handshakes\tp50_ms\tp90_ms\tp99_ms\n' >>"$out/capacity.tsv"
for round in $(seq 1 "$rounds"); do
    for name in lesson1 lesson2 openssl; do
        eval "pid=\$PID_$name port=\$PORT_$name"
        before=$(cpu_ticks "$pid")
        load=()
        for c in 1 2; do
            OPENSSL_CONF="$tmp/client.cnf" "$openssl" s_time -connect "127.0.0.1:$port" -new -time "$seconds" \
                "${client_flags[@]}" >"$tmp/load-$c.out" 2>&1 &
            load+=($!)
        done
        wait "${load[@]}" || true
        after=$(cpu_ticks "$pid")
        handshakes=$(sed -n 's/^\([0-9][0-9]*\) connections in [0-9]* real seconds.*/\1/p' "$tmp"/load-*.out |
            awk '{ n += $1 } END { print n + 0 }')
        # The latency, under the same two-client load.
        "$load_client" --port "$port" --clients 2 --requests "$latency_requests" --ca "$certs/ca.pem" \
            --p256 --abort --latency >"$tmp/latency.out" 2>&1 ||
            { echo "$0: load_client against $name failed:" >&2; cat "$tmp/latency.out" >&2; exit 3; }
        latency=$(sed -n 's/^latency: \([0-9]*\) handshakes, p50 \([0-9.]*\) ms, p90 \([0-9.]*\) ms, p99 \([0-9.]*\) ms$/\1\t\2\t\3\t\4/p' \
            "$tmp/latency.out")
        [ -n "$latency" ] || { echo "$0: no latency line from load_client:" >&2; cat "$tmp/latency.out" >&2; exit 3; }
        case $name in lesson1) label="08_server" threads=1 ;; lesson2) label="08_server" threads=2 ;;
        *) label="openssl s_server" threads=1 ;; esac
        awk -v s="$label" -v t="$threads" -v r="$round" -v n="$handshakes" -v c="$((after - before))" \
            -v hz="$ticks" -v secs="$seconds" -v lat="$latency" 'BEGIN {
                printf "%s\t%s\t%s\t%d\t%.2f\t%.3f\t%.1f\t%s\n", s, t, r, n, c / hz, (n > 0 ? 1000 * c / hz / n : 0), n / secs, lat }' \
            >>"$out/capacity.tsv"
    done
done

# The in-memory server side of the same handshake, from the result file.
memory_us=
if [ -n "$result" ] && [ -r "$result" ] && command -v jq >/dev/null; then
    memory_us=$(jq -r --arg n "$in_memory" '[.benchmarks[] | select(.run_name == $n)]
        | ([.[] | select(.aggregate_name == "median")] + [.[] | select(.run_type == "iteration")])
        | first | .server_cpu_us // empty' "$result")
fi
# One line per server and thread count: the median, min and max over the
# rounds of the CPU per handshake and of the handshakes per second, the
# medians of the rounds' latency percentiles (each round has p50 <= p90 <=
# p99, so their medians keep that order), and the handshakes of each round.
awk -F'\t' 'NR > 1 { k = $1 "\t" $2; if (!(k in seen)) { seen[k] = 1; keys[++n] = k }
                     c = ++m[k]; cpu[k, c] = $6; rate[k, c] = $7; p50[k, c] = $9; p90[k, c] = $10
                     p99[k, c] = $11; hs[k] = hs[k] (hs[k] == "" ? "" : ", ") $4 }
    function median(a, k, c,   i, j, t, v) {
        for (i = 1; i <= c; i++) v[i] = a[k, i]
        for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        lo = v[1]; hi = v[c]
        return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
    }
    END { for (i = 1; i <= n; i++) { k = keys[i]; c = m[k]
            cm = median(cpu, k, c); clo = lo; chi = hi; rm = median(rate, k, c); rlo = lo; rhi = hi
            printf "%s\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%s\n", k, cm, clo, chi, rm, rlo, rhi,
                median(p50, k, c), median(p90, k, c), median(p99, k, c), hs[k] } }' \
    "$out/capacity.tsv" >"$tmp/summary.tsv"

# The in-memory server side of the same handshake, from the result file, and
# the two ratios of 08_server's (1 thread) median CPU per handshake.
memory_ms='' over_memory='' over_openssl=''
if [ -n "$memory_us" ]; then
    memory_ms=$(awk -v us="$memory_us" 'BEGIN { printf "%.3f", us / 1000 }')
    over_memory=$(awk -F'\t' -v mem="$memory_ms" '$1 == "08_server" && $2 == 1 { printf "%.2f", $3 / mem }' \
        "$tmp/summary.tsv")
fi
over_openssl=$(awk -F'\t' '$1 == "08_server" && $2 == 1 { l = $3 } $1 == "openssl s_server" { o = $3 }
    END { if (l != "" && o > 0) printf "%.2f", l / o }' "$tmp/summary.tsv")

{
    printf '{\n  "version": "%s",\n  "suite": "%s",\n  "group": "secp256r1",\n' "$version" "$suite"
    printf '  "load_seconds": %s,\n  "rounds": %s,\n  "latency_requests_per_client": %s,\n' \
        "$seconds" "$rounds" "$latency_requests"
    printf '  "load": "two openssl s_time -new clients; latency: two load_client threads",\n'
    printf '  "servers": [\n'
    awk -F'\t' '{ printf "%s    {\"server\": \"%s\", \"threads\": %d, \"cpu_ms_per_handshake\": {\"median\": %s, \"min\": %s, \"max\": %s}, \"handshakes_per_s\": {\"median\": %s, \"min\": %s, \"max\": %s}, \"latency_ms\": {\"p50\": %s, \"p90\": %s, \"p99\": %s}}",
                     (NR > 1 ? ",\n" : ""), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }
        END { print "" }' "$tmp/summary.tsv"
    printf '  ]'
    if [ -n "$memory_ms" ]; then
        printf ',\n  "in_memory": {"benchmark": "%s", "server_cpu_ms": %s}' "$in_memory" "$memory_ms"
        [ -z "$over_memory" ] || printf ',\n  "lesson_over_in_memory": %s' "$over_memory"
    fi
    [ -z "$over_openssl" ] || printf ',\n  "lesson_over_openssl": %s' "$over_openssl"
    printf '\n}\n'
} >"$out/capacity.json"

{
    echo "Server CPU time (user + system) per full handshake, $version $suite, group P-256 pinned, certificate"
    echo "server-ecdsa-chain.pem; load: two \`openssl s_time -new\` for $seconds s, $rounds interleaved rounds;"
    echo "handshake latency as two load_client threads saw it ($latency_requests connections each, connect to"
    echo "handshake done, per round); median (range) over the rounds, the median of the rounds' percentiles."
    echo
    echo "| server | threads | CPU ms / handshake | handshakes / s | latency p50 / p90 / p99 ms | handshakes per round |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' '{ printf "| %s | %s | %.2f (%.2f-%.2f) | %.0f (%.0f-%.0f) | %.1f / %.1f / %.1f | %s |\n",
                  $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$tmp/summary.tsv"
    if [ -n "$memory_ms" ]; then
        echo "| in-memory pair, server side ($in_memory) | - | $memory_ms | - | - | - |"
        echo
        echo "08_server (1 thread) over the in-memory server side: ${over_memory:-?} (goal: at most 1.3); over openssl s_server: ${over_openssl:-?}."
    fi
} >"$out/capacity.md"
cat "$out/capacity.md"
