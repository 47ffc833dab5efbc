#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/link_validate.sh BUILDDIR SUMMARY.json OUTDIR [RUNS]
#
# Checks the link model (bench/link_model.jq) against a real run: the lessons'
# client (lesson 06) fetches a page from the lesson server (08_server) through
# tools/lossy_link --tcp --tcp-handshake, at two links:
#   100 ms each way, no rate limit;
#   300 ms each way at 60 kbit/s (NB-IoT's rate: there the bytes count too),
# for each suite of SUITES (default: the TLS 1.2 and TLS 1.3 ECDHE-ECDSA P-256
# rows that SUMMARY.json, bench/normalize.jq's output of a tls_bench run,
# holds), RUNS times (default 1), the two links side by side.
#
# The time to the first application byte is measured by the link: from the
# client's connect() to the moment it handed the server the chunk that ends
# the client's flight carrying the first application byte (the request). The
# link's own lines say how much of that it held each flight on purpose (delay,
# bytes at the rate, the TCP handshake); the rest is the endpoints' CPU time
# and the machine's scheduling, measured, and is what the model's compute
# term stands for. So the prediction compared with the measurement is the
# model's network time plus that measured rest: it holds on a loaded machine,
# whose load only lengthens the measured rest. What the run checks is the
# model's view of the conversation: how many flights lie on the way, how many
# bytes each carries, the TCP handshake.
#
# Writes OUTDIR/link-validation.tsv (one line per suite, link and run:
# suite, link, run, model network ms, bench CPU ms, measured rest ms, measured
# ms, predicted ms, error %, rest share %, measured bytes per flight, and the
# model's network time against the time the link held the flights, error %) and
# OUTDIR/link-validation.md (the table the benchmark page shows). Exit 0, or
# 1 on a usage error, 3 when a program could not start or a run failed.
#
# The jq programs use $ for jq variables, not for the shell:
# shellcheck disable=SC2016
set -eu

[ $# -ge 3 ] || { echo "usage: $0 BUILDDIR SUMMARY.json OUTDIR [RUNS]" >&2; exit 1; }
build=$1
summary=$2
out=$3
runs=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
bin=${TARGET_BIN:-$build}
command -v jq >/dev/null || { echo "$0: jq is needed" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/link-validate.XXXXXX")
pids=""
cleanup() {
    for pid in $pids; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $pids; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# The links: name, one-way delay (ms), rate (kbit/s, 0 = no limit).
links=${LINK_PROFILES:-"100ms:100:0 300ms-60kbit:300:60"}
# The suites: the benchmark's name and mbedTLS's, for lesson 06's --ciphersuite.
suites=${LINK_SUITES:-"tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256:TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256 tls1.3/TLS_AES_128_GCM_SHA256:TLS1-3-AES-128-GCM-SHA256"}

# start NAME COMMAND...: a program that prints "listening on HOST:PORT"; sets PORT.
start() {
    local name=$1 tries=200
    shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
    pids="$pids $!"
    until grep -q '^listening on ' "$work/$name.out"; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || { echo "$0: $name did not start:" >&2; cat "$work/$name.err" >&2; exit 3; }
        sleep 0.05
    done
    PORT=$(sed -n 's/^listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/$name.out")
}

# The group the benchmarks pin, on both ends.
start server "$bin/lessons/08_server" --port 0 --groups secp256r1
server_port=$PORT

# measure LINKFILE CONNECTION APP_FLIGHT: from the link's lines, "measured_ms
# applied_ms bytes_per_flight" for one connection. A flight is what one side
# sends before the other side's bytes reach it: a new client flight starts
# with the first chunk the client sends after a chunk was delivered to it.
measure() {
    awk -v id="[$2]" -v k="$3" '
        $1 != id || /end of stream/ { next }
        $2 == ">" && /delivered at/ {
            c2s_delivered = 1; f = chunk_flight[++dc]
            match($0, /at \+[0-9.]+/); t = substr($0, RSTART + 4, RLENGTH - 4) + 0
            if (f == k) done = t
            next
        }
        $2 == "<" && /delivered at/ { s2c_delivered = 1; next }
        $2 == ">" && / at \+/ {
            if (s2c_delivered || cflight == 0) { cflight++; s2c_delivered = 0 }
            f = 2 * cflight - 1; chunk_flight[++nc] = f; bytes[f] += $3
            match($0, /delayed [0-9.]+/); held[f] = substr($0, RSTART + 8, RLENGTH - 8) + 0
            next
        }
        $2 == "<" && / at \+/ {
            if (c2s_delivered || sflight == 0) { sflight++; c2s_delivered = 0 }
            f = 2 * sflight; bytes[f] += $3
            match($0, /delayed [0-9.]+/); held[f] = substr($0, RSTART + 8, RLENGTH - 8) + 0
        }
        END {
            if (!done) exit 1
            for (f = 1; f <= k; f++) { applied += held[f]; list = list (f > 1 ? "," : "") (bytes[f] + 0) }
            printf "%.1f %.1f %s\n", done, applied, list
        }' "$1"
}

tsv="$out/link-validation.tsv"
: >"$tsv"
# run_link NAME DELAY RATE: every suite, RUNS times, through one link.
run_link() {
    local name=$1 delay=$2 rate=$3 conn=0 suite bench_name ciphersuite rtt row k run got
    local -a rate_args=()
    [ "$rate" = 0 ] || rate_args=(--rate "${rate}kbit")
    start "link-$name" "$bin/tools/lossy_link" --tcp --tcp-handshake --to "127.0.0.1:$server_port" \
        --delay "${delay}ms" "${rate_args[@]}"
    local link_port=$PORT
    # run_link runs in a background subshell: the main shell's cleanup does
    # not know this link's pid, so the subshell stops its link itself.
    link_pid=${pids##* }
    trap 'kill "$link_pid" 2>/dev/null; wait "$link_pid" 2>/dev/null' EXIT
    rtt=$((2 * delay))
    for run in $(seq 1 "$runs"); do
        for suite in $suites; do
            bench_name="handshake/${suite%%:*}/ecdsa-p256"
            ciphersuite=${suite#*:}
            row=$(jq -c --arg n "$bench_name" '[.[] | select(.name == $n)] | first // empty' "$summary")
            [ -n "$row" ] || continue
            row=$(jq -c -f "$here/link_model.jq" \
                --argjson profiles "[{\"name\": \"$name\", \"rtt_ms\": $rtt, \"rate_kbit\": $rate, \"mtu\": 1500}]" \
                <<<"[$row]" | jq -c '.[0]')
            conn=$((conn + 1))
            if ! "$bin/lessons/06_read_write" --port "$link_port" --ciphersuite "$ciphersuite" --groups secp256r1 \
                >"$work/$name.$conn.out" 2>&1; then
                echo "$0: lesson 06 failed through link $name ($ciphersuite):" >&2
                tail -3 "$work/$name.$conn.out" >&2
                exit 3
            fi
            k=$(jq -r '.app_flight' <<<"$row")
            # The link writes a chunk's delivery line once it has gone: wait for it.
            for _ in $(seq 1 100); do
                got=$(measure "$work/link-$name.out" "$conn" "$k") && break
                sleep 0.05
            done
            [ -n "${got:-}" ] || { echo "$0: no flight $k in the link's lines (connection $conn)" >&2; exit 3; }
            read -r measured applied flight_bytes <<<"$got"
            jq -r --arg suite "${suite%%:*}" --arg link "$name" --argjson run "$run" --argjson m "$measured" \
                --argjson a "$applied" --arg fb "$flight_bytes" '
                ($m - $a) as $rest | (.network_ms + $rest) as $pred
                | [$suite, $link, $run, (.network_ms * 10 | round / 10), (.compute_ms * 10 | round / 10),
                   ($rest * 10 | round / 10), $m, ($pred * 10 | round / 10),
                   (($pred - $m) / $m * 1000 | round / 10), ($rest / $m * 1000 | round / 10), $fb,
                   ((.network_ms - $a) / $a * 1000 | round / 10)]
                | map(tostring) | join("\t")' <<<"$row" >>"$work/$name.tsv"
            got=
        done
    done
}

# The links side by side (each has its own connections), then the tables.
link_pids=""
for spec in $links; do
    IFS=: read -r name delay rate <<<"$spec"
    run_link "$name" "$delay" "$rate" &
    link_pids="$link_pids $!"
done
status=0
for pid in $link_pids; do
    wait "$pid" || status=$?
done
[ "$status" -eq 0 ] || exit "$status"
for spec in $links; do
    cat "$work/${spec%%:*}.tsv" >>"$tsv" 2>/dev/null || true
done
[ -s "$tsv" ] || { echo "$0: none of the suites is in $summary" >&2; exit 3; }

# The table: one line per suite and link, medians over the runs, and the range.
awk -F'\t' '
    function median(list, n,   a, i, j, t) {
        split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { key = $1 " | " $2; if (!(key in n)) order[++keys] = key
      n[key]++; net[key] = $4; cpu[key] = $5; fb[key] = $11
      m[key] = m[key] " " $7; r[key] = r[key] " " $6; e[key] = e[key] " " $9
      if (!(key in lo) || $7 < lo[key]) lo[key] = $7; if (!(key in hi) || $7 > hi[key]) hi[key] = $7
      if (!(key in emax) || ($9 < 0 ? -$9 : $9) > emax[key]) emax[key] = ($9 < 0 ? -$9 : $9) }
    END {
        print "| suite | link | bytes per flight (measured) | model: network | model: + CPU of the benchmark | measured: endpoints and scheduling | model + measured rest | measured (range) | largest difference |"
        print "|---|---|---|---|---|---|---|---|---|"
        for (i = 1; i <= keys; i++) {
            k = order[i]; mm = median(m[k], n[k]); rr = median(r[k], n[k])
            printf "| %s | %s | %.0f ms | %.0f ms | %.1f ms | %.0f ms | %.0f ms (%.0f-%.0f, %d runs) | %.1f %% |\n", \
                k, fb[k], net[k], net[k] + cpu[k], rr, net[k] + rr, mm, lo[k], hi[k], n[k], emax[k]
        }
    }' "$tsv" >"$out/link-validation.md"
cat "$out/link-validation.md"
