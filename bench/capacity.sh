#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/capacity.sh BUILD_DIR OUTDIR [SECONDS] [ROUNDS] [RESULT.json]
#
# What one full handshake costs a server, measured the way an operator would:
# the server process's CPU time (user + system, from /proc/PID/stat) over the
# handshakes it served under a fixed load, divided by their number. The load
# is two `openssl s_time -new` clients at once for SECONDS (default 5), each
# connection a full handshake and nothing else. The servers, all on loopback
# with the same certificate (certs/server-ecdsa-chain.pem) and group (P-256,
# pinned on both sides: the servers accept only it, and the clients offer
# only it through an OpenSSL configuration file, so TLS 1.3 needs no
# HelloRetryRequest):
#
#   08_server --threads 1, 08_server --threads 2   the lesson server
#   openssl s_server                              the same handshake in OpenSSL
#
# ROUNDS (default 3) rounds, each server in turn, so that a change in the
# machine's load hits them all alike; the tables give the median and the
# range. With RESULT.json (a tls_bench run of the same build) the in-memory
# server side of the same handshake stands beside them: what the lesson
# server adds around mbedTLS is the ratio of the two. TLS 1.3
# (TLS_AES_128_GCM_SHA256) where the build has it, else TLS 1.2
# (ECDHE-ECDSA-AES128-GCM-SHA256).
#
# Writes OUTDIR/capacity.tsv (every measurement) and OUTDIR/capacity.md (the
# report's "Server capacity" section; bench/report.sh includes it when it
# finds it next to the result). Connections per second are given too, but
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
certs=${CERTS_DIR:-$build/certs}
openssl=${OPENSSL:-openssl}
[ -x "$server" ] || { echo "$0: no $server (build first)" >&2; exit 1; }
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
    in_memory="handshake/tls1.3/TLS_AES_128_GCM_SHA256/ecdsa-p256"
else
    version=tls1.2 suite=ECDHE-ECDSA-AES128-GCM-SHA256 client_flags=(-tls1_2 -cipher "$suite")
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
    "$server" --port 0 --threads 1 --groups secp256r1 --cert "$certs/server-ecdsa-chain.pem" \
    --key "$certs/server-ecdsa.key"
start lesson2 's/^.*listening on [^ ]*:\([0-9][0-9]*\).*/\1/p' \
    "$server" --port 0 --threads 2 --groups secp256r1 --cert "$certs/server-ecdsa-chain.pem" \
    --key "$certs/server-ecdsa.key"
start openssl 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' \
    "$openssl" s_server -accept 127.0.0.1:0 -cert "$certs/server-ecdsa-chain.pem" \
    -key "$certs/server-ecdsa.key" -groups P-256 -num_tickets 0 -www
ticks=$(getconf CLK_TCK)

printf 'server\tthreads\tround\thandshakes\tcpu_s\tcpu_ms_per_handshake\thandshakes_per_s\n' >"$out/capacity.tsv"
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
        case $name in lesson1) label="08_server" threads=1 ;; lesson2) label="08_server" threads=2 ;;
        *) label="openssl s_server" threads=1 ;; esac
        awk -v s="$label" -v t="$threads" -v r="$round" -v n="$handshakes" -v c="$((after - before))" \
            -v hz="$ticks" -v secs="$seconds" 'BEGIN {
                printf "%s\t%s\t%s\t%d\t%.2f\t%.3f\t%.1f\n", s, t, r, n, c / hz, (n > 0 ? 1000 * c / hz / n : 0), n / secs }' \
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
{
    echo "Server CPU time (user + system) per full handshake, $version $suite, group P-256 pinned, certificate"
    echo "server-ecdsa-chain.pem; load: two \`openssl s_time -new\` for $seconds s, $rounds interleaved rounds;"
    echo "median (range) over the rounds."
    echo
    echo "| server | threads | CPU ms / handshake | handshakes / s | handshakes per round |"
    echo "|---|---|---|---|---|"
    awk -F'\t' 'NR > 1 { k = $1 "\t" $2; if (!(k in seen)) { seen[k] = 1; keys[++n] = k }
                         cpu[k, ++m[k]] = $6; rate[k, m[k]] = $7; hs[k] = hs[k] (hs[k] == "" ? "" : ", ") $4 }
        function median(a, k, c,   i, j, t, v) {
            for (i = 1; i <= c; i++) v[i] = a[k, i]
            for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
            lo = v[1]; hi = v[c]
            return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
        }
        END { for (i = 1; i <= n; i++) { k = keys[i]; split(k, f, "\t")
                c = median(cpu, k, m[k]); clo = lo; chi = hi; r = median(rate, k, m[k])
                printf "| %s | %s | %.2f (%.2f-%.2f) | %.0f | %s |\n", f[1], f[2], c, clo, chi, r, hs[k] } }' \
        "$out/capacity.tsv"
    if [ -n "$memory_us" ]; then
        awk -v mem="$memory_us" -v n="$in_memory" \
            'BEGIN { printf "| in-memory pair, server side (%s) | - | %.2f | - | - |\n", n, mem / 1000 }'
        echo
        awk -F'\t' -v mem="$memory_us" 'NR > 1 && $1 == "08_server" && $2 == 1 { a[++n] = $6 }
            NR > 1 && $1 != "08_server" { o[++m] = $6 }
            function med(x, c,   i, j, t) { for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
                return c % 2 ? x[(c + 1) / 2] : (x[c / 2] + x[c / 2 + 1]) / 2 }
            END { l = med(a, n); s = med(o, m)
                printf "08_server (1 thread) over the in-memory server side: %.2f (goal: at most 1.3); over openssl s_server: %.2f.\n", l / (mem / 1000), l / s }' \
            "$out/capacity.tsv"
    fi
} >"$out/capacity.md"
cat "$out/capacity.md"
