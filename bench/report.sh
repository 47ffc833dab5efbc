#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/report.sh RESULT.json OUTDIR: Markdown tables and gnuplot charts from
# a tls_bench result file.
#
# Writes OUTDIR/report.md and, when gnuplot is installed, OUTDIR/*.png and
# OUTDIR/*.svg (bench/charts.sh: handshake CPU, peak heap, bytes and peak stack per suite
# and side, the reference handshake in mbedTLS, OpenSSL and wolfSSL, throughput against
# record size with the raw AEAD bound, where the time goes, the cost of each debug level,
# the time to the first application byte over named links (bench/link_model.jq) and,
# when the run has them, the DTLS
# handshake's completion time and resent bytes against packet loss). It also checks the targets of issue #4 and prints
# each with its measured value and PASS or MISS (also in OUTDIR/targets.tsv).
#
# Rates use CPU time (as Google Benchmark's bytes_per_second does): on a
# shared machine the other processes' load would otherwise leak into them.
# Needs jq; gnuplot is optional.
#
# The jq programs below use $ for jq variables, not for the shell:
# shellcheck disable=SC2016
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=report-lib.sh
. "$here/report-lib.sh"
report_begin RESULT.json summary.json "$@"
report="$out/report.md"

# q FILTER: run a jq filter over the normalised summary, raw output.
q() {
    jq -r "$@" "$summary"
}

# value NAME FIELD: one figure of one benchmark ("" when absent).
value() {
    jq -r --arg n "$1" --arg f "$2" '.[] | select(.name == $n) | .[$f] // empty' "$summary"
}

# fmt NUMBER DECIMALS: a number for a table ("-" when missing).
fmt() {
    if [ -z "$1" ] || [ "$1" = null ]; then echo "-"; else awk -v v="$1" -v d="$2" 'BEGIN { printf "%.*f", d, v }'; fi
}

reference="handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256"

{
    echo "# TLS benchmark report"
    echo
    echo "Source: \`$(basename "$result")\`. Times are medians over the repetitions (CV = standard"
    echo "deviation / mean over them); CPU columns are per handshake and per side."
    echo
    report_context_table
} >"$report"

# --- Targets -----------------------------------------------------------------
targets="$out/targets.tsv"
: >"$targets"
# target NAME MEASURED LIMIT KIND: KIND "min" passes when measured >= limit,
# "max" when measured <= limit. Measured "" is reported as n/a.
target() {
    local verdict
    if [ -z "$2" ]; then
        verdict="n/a"
    elif awk -v m="$2" -v l="$3" -v k="$4" 'BEGIN { exit !((k == "min") ? (m >= l) : (m <= l)) }'; then
        verdict=PASS
    else
        verdict=MISS
    fi
    printf '%s\t%s\t%s\t%s\n' "$1" "${2:-n/a}" "$4 $3" "$verdict" >>"$targets"
}

# mbps NAME SIZE: MB/s (10^6 bytes) of a benchmark moving SIZE bytes per iteration, from CPU time.
mbps() {
    local cpu
    cpu=$(value "$1" cpu_us)
    [ -n "$cpu" ] && awk -v b="$2" -v t="$cpu" 'BEGIN { printf "%.2f", b / t }'
}

for pair in "AES-128-GCM ECDHE-ECDSA-AES128-GCM-SHA256" "CHACHA20-POLY1305 ECDHE-ECDSA-CHACHA20-POLY1305"; do
    aead=${pair% *}
    suite=${pair#* }
    tls=$(mbps "throughput/tls1.2/$suite/16384" 16384 || true)
    bound=$(mbps "cipher/$aead/16384" 16384 || true)
    ratio=
    if [ -n "$tls" ] && [ -n "$bound" ]; then
        ratio=$(awk -v a="$tls" -v b="$bound" 'BEGIN { printf "%.3f", a / b }')
    fi
    target "TLS throughput at 16 KiB / raw $aead bound ($tls / $bound MB/s)" "$ratio" 0.90 min
done
cv=$(value "$reference" cv_real)
reps=$(value "$reference" repetitions)
if [ -n "$cv" ] && [ "${reps:-0}" -ge 9 ]; then
    target "handshake CV over $reps repetitions, wall time ($reference)" "$(fmt "$cv" 4)" 0.03 max
    target "handshake CV over $reps repetitions, CPU time" "$(fmt "$(value "$reference" cv_cpu)" 4)" 0.03 max
else
    target 'handshake CV over 9 repetitions (run with `--benchmark_repetitions=9`)' "" 0.03 max
fi
# overhead_target KIND SHIM_US BARE_US: the same handshakes through the shim
# and in a plain loop.
overhead_target() {
    local overhead=
    if [ -n "$2" ] && [ -n "$3" ]; then
        overhead=$(awk -v s="$2" -v b="$3" 'BEGIN { d = s / b - 1; if (d < 0) d = -d; printf "%.4f", d }')
    fi
    target "harness overhead abs(shim / bare loop - 1), $1 ($(fmt "$2" 0) vs $(fmt "$3" 0) us)" "$overhead" 0.05 max
}
bare_name="overhead/bare-loop/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256"
overhead_target "wall time" "$(value "$reference" real_us)" "$(value "$bare_name" real_us)"
overhead_target "CPU time" "$(value "$reference" cpu_us)" "$(value "$bare_name" bare_cpu_us)"
callgrind="$(dirname "$result")/callgrind.md"
if [ -f "$callgrind" ]; then
    printf '%s\t%s\t%s\t%s\n' "instruction-count mode (callgrind)" "see callgrind.md" "present" PASS >>"$targets"
else
    printf '%s\t%s\t%s\t%s\n' "instruction-count mode (callgrind)" "run make bench-callgrind" "present" "n/a" >>"$targets"
fi

{
    echo
    echo "## Targets"
    echo
    echo "| target | measured | limit | result |"
    echo "|---|---|---|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$targets"
    echo
    echo "## Handshakes"
    echo
    echo "Group pinned on both sides: $(jq -r '.context.group // "?"' "$result"). Peak heap is what"
    echo "each side held at most during the handshake (record buffers included), counted on"
    echo "mbedTLS's own calloc/free."
    echo
    echo "| benchmark | wall us | CV | client CPU us | server CPU us | client peak B | server peak B | client after B | server after B | C->S B | S->C B | flights |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
    q '.[] | select(.name | startswith("handshake/"))
       | [.name, (.real_us|floor), (if .cv_real then (.cv_real*1000|round/10|tostring)+" %" else "-" end),
          (.client_cpu_us|floor), (.server_cpu_us|floor), .client_peak_heap, .server_peak_heap,
          .client_heap_after, .server_heap_after, (.bytes_c2s|round), (.bytes_s2c|round), .flights]
       | map(tostring) | "| " + join(" | ") + " |"'
    echo
    echo "## Throughput (MB/s, CPU time)"
    echo
    echo "| benchmark | 256 B | 1 KiB | 4 KiB | 16 KiB |"
    echo "|---|---|---|---|---|"
    q '[.[] | select(.name | test("^(throughput|cipher)/")) | select(.cpu_us > 0)
        | {base: (.name | sub("/[0-9]+$"; "")), size: (.name | capture("/(?<s>[0-9]+)$").s | tonumber), mbps: ((.name | capture("/(?<s>[0-9]+)$").s | tonumber) / .cpu_us)}]
       | group_by(.base)[] | (map({key: (.size|tostring), value: (.mbps*10|round/10)}) | from_entries) as $m
       | "| \(.[0].base) | \($m["256"] // "-") | \($m["1024"] // "-") | \($m["4096"] // "-") | \($m["16384"] // "-") |"'
    echo
    echo "## Debug levels (one ECDHE-ECDSA handshake)"
    echo
    echo "| level | sink | wall us | CPU us (both sides) | lines | bytes |"
    echo "|---|---|---|---|---|---|"
    q '.[] | select(.name | startswith("debug/")) | (.name | split("/")) as $p
       | "| \($p[1]) | \($p[2]) | \(.real_us|floor) | \((.client_cpu_us + .server_cpu_us)|floor) | \(.debug_lines|round) | \(.debug_bytes|round) |"'
} >>"$report"

# --- Stack ---------------------------------------------------------------------------
# Each side's steps on a painted region (bench/stack.c); the ESP-IDF figure is
# quoted as they publish it, not measured here.
{
    echo
    echo "## Stack"
    echo
    if jq -e '.context.stack_accounting == "painted-region"' "$result" >/dev/null; then
        echo "Each side's handshake steps (and, in the throughput rows, one 16 KiB write and its reads) run"
        echo "on a stack region of their own ($(jq -r '.context.stack_region_bytes' "$result") bytes, bench/stack.c),"
        echo "painted with a pattern before the handshake; the figure is the deepest word written, counted"
        echo "from the region's top. It covers mbedTLS's frames and the few bytes of the benchmark's call"
        echo "into it, not the program around it (a device's task adds its own frames). A second method,"
        echo "the smallest stack the same handshake completes in above a guard page, agrees within 16 bytes"
        echo "(tests/bench_stack.test). The figure is this CPU's (64-bit frames): a 32-bit"
        echo "microcontroller's is smaller, and the microcontroller lab measures it there."
        echo
        echo "| benchmark | client peak stack B | server peak stack B |"
        echo "|---|---|---|"
        q '.[] | select(.name | test("^(handshake/[^/]+/[^/]+/[^/]+(/resume-cache|/resume-ticket|/client-auth)?|throughput/.*/16384|reference/.*)$"))
           | select(.client_peak_stack != null)
           | "| \(.name) | \(.client_peak_stack|round) | \(.server_peak_stack|round) |"'
        echo
        echo "For comparison, as ESP-IDF publishes it (not measured here): its ESP-TLS documentation gives"
        echo "\"Task Stack Used ~3.6 Kb\" for mbedTLS (and ~2.2 Kb for wolfSSL) in its protocols/https_request"
        echo "example with server authentication and default settings, on an ESP32 (32-bit Xtensa), the"
        echo "whole task included."
    else
        echo "No stack figures in this run: tls_bench was built without makecontext()/swapcontext()"
        echo "(context stack_accounting: $(jq -r '.context.stack_accounting // "absent"' "$result"))."
    fi

    # --- The reference family ---------------------------------------------------------
    # mbedTLS's reference handshake beside the same handshake in OpenSSL and wolfSSL.
    echo
    echo "## Beside OpenSSL and wolfSSL"
    echo
    have_ref=$(q '[.[] | select(.name | startswith("reference/"))] | length')
    if [ "$have_ref" -gt 0 ]; then
        echo "The reference handshakes (ECDHE-ECDSA with the workshop's P-256 certificate and ECDHE-RSA with"
        echo "its RSA-2048 one, AES-128-GCM; TLS 1.2 and TLS 1.3), TLS 1.2 resumption with a session ticket"
        echo "(no server cache) and 16 KiB records, each row named as the mbedTLS row it stands beside, with"
        echo "group secp256r1 pinned on both sides, no session tickets in the full handshakes, over the same"
        echo "in-memory transport, each side's CPU time, heap (each library's allocator hooks) and stack"
        echo "counted as for mbedTLS. Libraries: $(jq -r '.context.reference_libraries' "$result")."
        echo "The CPU ratio is this library's CPU (both sides) over mbedTLS's for the same row."
        echo "Heap is what each side held at most during the handshake; it includes what the library keeps"
        echo "between handshakes (wolfSSL's fixed-point ECC cache, FP_ECC in Debian's build, is charged to the"
        echo "side that first filled it)."
        echo
        echo "| library | handshake | client CPU us | server CPU us | CPU ratio | client peak heap B | server peak heap B | client stack B | server stack B | C->S B | S->C B | flights |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
        # own: the mbedTLS row a reference row stands beside.
        q --arg v "$(jq -r '.context.mbedtls_version' "$result")" '
          def own: (if test("/[0-9]+$") then "throughput/" else "handshake/" end) + .;
          (map({key: .name, value: .}) | from_entries) as $m
          | [.[] | select(.name | test("^reference/.*/(ecdsa-p256|rsa2048)(/resume-ticket)?$"))
             | . + {lib: (.name | split("/")[1]), row: (.name | split("/") | .[2:] | join("/"))}] as $refs
          | [($refs | map(.row) | unique)[] as $r | ($m[$r | own] // empty) + {lib: $v, row: $r}] + $refs
          | sort_by(.row, (.lib != $v), .lib)[]
          | ($m[.row | own] // null) as $base
          | [.lib, .row, (.client_cpu_us|round), (.server_cpu_us|round),
             (if $base then ((.client_cpu_us + .server_cpu_us) / ($base.client_cpu_us + $base.server_cpu_us) * 100 | round / 100) else "-" end),
             .client_peak_heap, .server_peak_heap, (.client_peak_stack // "-"), (.server_peak_stack // "-"),
             (.bytes_c2s|round), (.bytes_s2c|round), (.flights|round)]
          | map(tostring) | "| " + join(" | ") + " |"'
        echo
        echo "Bulk data, 16 KiB records client to server (MB/s from CPU time; the ratio is this library's"
        echo "rate over mbedTLS's):"
        echo
        echo "| library | throughput | MB/s | ratio | client stack B | server stack B |"
        echo "|---|---|---|---|---|---|"
        q --arg v "$(jq -r '.context.mbedtls_version' "$result")" '
          (map({key: .name, value: .}) | from_entries) as $m
          | [.[] | select(.name | test("^reference/.*/[0-9]+$"))
             | . + {lib: (.name | split("/")[1]), row: (.name | split("/") | .[2:] | join("/"))}] as $refs
          | [($refs | map(.row) | unique)[] as $r | ($m["throughput/" + $r] // empty) + {lib: $v, row: $r}] + $refs
          | sort_by(.row, (.lib != $v), .lib)[] | select(.cpu_us > 0)
          | ($m["throughput/" + .row] // null) as $base
          | (.row | capture("/(?<s>[0-9]+)$").s | tonumber) as $size
          | [.lib, .row, ($size / .cpu_us * 10 | round / 10),
             (if $base and $base.cpu_us > 0 then ($base.cpu_us / .cpu_us * 100 | round / 100) else "-" end),
             (.client_peak_stack // "-"), (.server_peak_stack // "-")]
          | map(tostring) | "| " + join(" | ") + " |"'
    else
        echo "No reference family in this run: $(jq -r '.context.reference_absent_reason // "tls_bench predates it"' "$result")."
        echo "Install libssl-dev and libwolfssl-dev (scripts/debian-packages.txt) and configure again."
    fi
} >>"$report"

# --- Server capacity (make bench-capacity, when it ran beside this result) -------------
capacity="$(dirname "$result")/capacity.md"
if [ -f "$capacity" ]; then
    {
        echo
        echo "## Server capacity"
        echo
        echo "From bench/capacity.sh (\`make bench-capacity\`), next to this result:"
        echo
        cat "$capacity"
    } >>"$report"
fi

# --- DTLS ---------------------------------------------------------------------------
# Only when the run has DTLS rows (the stored 2.28 sample has none).
have_dtls=$(q '[.[] | select(.name | startswith("handshake/dtls1.2/"))] | length')
have_loss=$(q '[.[] | select(.name | startswith("dtls-loss/"))] | length')
# The context names what the DTLS rows ran with.
dtls_context() {
    jq -r '.context | "retransmission timeouts \(.dtls_hs_timeout_min_ms // "?") ms doubling up to \(.dtls_hs_timeout_max_ms // "?") ms, MTU \(.dtls_mtu // "?") bytes, cookies \(.dtls_cookies // "?")"' "$result"
}
if [ "$have_dtls" -gt 0 ]; then
    {
        echo
        echo "## DTLS handshakes"
        echo
        echo "DTLS 1.2 (lessons 15 and 16) over the in-memory datagram link: $(dtls_context)."
        echo "Flights alternate, client first: 1 ClientHello, 2 HelloVerifyRequest, 3 ClientHello with the"
        echo "cookie, 4 the server's hello to ServerHelloDone, 5 the client's key exchange to Finished, 6 the"
        echo "server's ChangeCipherSpec and Finished. Each flight cell is bytes (datagrams)."
        echo
        echo "| benchmark | client CPU us | server CPU us | datagrams C->S | datagrams S->C | flight 1 | flight 2 | flight 3 | flight 4 | flight 5 | flight 6 |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|"
        q '.[] | select(.name | startswith("handshake/dtls1.2/")) as $r
           | [$r.name, ($r.client_cpu_us|floor), ($r.server_cpu_us|floor), ($r.datagrams_c2s|round), ($r.datagrams_s2c|round)]
             + [range(1; 7) | tostring | if $r["flight" + . + "_datagrams"] then "\($r["flight" + . + "_bytes"]|round) (\($r["flight" + . + "_datagrams"]|round))" else "-" end]
           | map(tostring) | "| " + join(" | ") + " |"'
    } >>"$report"
fi
# The loss table, for report.md and summary.md alike.
loss_table() {
    echo "| suite / key | loss | completion ms, median | p90 | bytes sent again, median | p90 | timers fired, median | p90 | failed |"
    echo "|---|---|---|---|---|---|---|---|---|"
    q '[.[] | select(.name | startswith("dtls-loss/"))]
       | sort_by((.name | sub("/loss-[0-9]+$"; "")), .loss_percent)[]
       | [(.name | sub("^dtls-loss/"; "") | sub("/loss-[0-9]+$"; "")), "\(.loss_percent|round) %",
          (.completion_ms_median|round), (.completion_ms_p90|round), (.resent_bytes_median|round), (.resent_bytes_p90|round),
          (.timer_expiries_median|round), (.timer_expiries_p90|round), "\(.failed|round) of \((.failed + .handshakes)|round)"]
       | map(tostring) | "| " + join(" | ") + " |"'
}
loss_intro() {
    jq -r '.context | "Each row is \(.dtls_loss_seeds // "?") full DTLS 1.2 handshakes, one per seed (the same seeds at every level),
over an in-memory link with a one-way delay of \(.dtls_loss_link_delay_ms // "?") ms that loses that share of the datagrams,
each one independently. The link and the retransmission timers run on a virtual clock: the times are
what the link and mbedTLS'"'"'s timers make them, not the machine, so they repeat exactly for a given
mbedTLS version and seed count."' "$result"
    echo "Timers: $(dtls_context). A handshake fails when a flight is still unanswered after the"
    echo "longest wait. Bytes sent again count every record a side had already sent (a repeated"
    echo "handshake fragment, ChangeCipherSpec or Finished); timers fired counts both sides."
}
if [ "$have_loss" -gt 0 ]; then
    {
        echo
        echo "## DTLS under packet loss"
        echo
        loss_intro
        echo
        loss_table
    } >>"$report"
fi

# --- Where the time goes -------------------------------------------------------
# op NAME: CPU microseconds of one breakdown operation.
op() {
    value "breakdown/$1" cpu_us
}
# where SUITE KEY: the public-key operations, parsing and hashing of one
# handshake, each timed alone in the same run, against the measured handshake.
where() {
    local suite=$1 key=$2 sigkey rows name client server wire
    name="handshake/tls1.2/$suite/$key"
    client=$(value "$name" client_cpu_us)
    server=$(value "$name" server_cpu_us)
    [ -n "$client" ] || return 0
    wire=$(jq -r --arg n "$name" '.[] | select(.name == $n) | .bytes_c2s + .bytes_s2c' "$summary")
    sigkey=$key
    rows=$(cat <<ROWS
client|ECDHE key generation (secp256r1)|1|$(op ecdhe-secp256r1-keygen)
client|ECDHE shared secret|1|$(op ecdhe-secp256r1-shared)
client|certificate chain parsing (leaf + intermediate)|1|$(op "x509-parse/$key")
client|chain verification (2 ECDSA signatures)|1|$(op "x509-verify/$key")
client|ServerKeyExchange signature verification ($sigkey)|1|$(op "verify/$sigkey")
client|transcript hashing (SHA-256 + SHA-384 per KiB on the wire)|$(awk -v w="$wire" 'BEGIN { printf "%.2f", w / 1024 }')|$(op transcript-hash/1024)
server|ECDHE key generation (secp256r1)|1|$(op ecdhe-secp256r1-keygen)
server|ECDHE shared secret|1|$(op ecdhe-secp256r1-shared)
server|ServerKeyExchange signature ($sigkey)|1|$(op "sign/$sigkey")
server|transcript hashing (SHA-256 + SHA-384 per KiB on the wire)|$(awk -v w="$wire" 'BEGIN { printf "%.2f", w / 1024 }')|$(op transcript-hash/1024)
ROWS
)
    echo
    echo "### $suite, $key"
    echo
    echo "| side | operation | count | us each | us total |"
    echo "|---|---|---|---|---|"
    echo "$rows" | awk -F'|' -v c="$client" -v s="$server" -v tsv="$out/where.tsv" -v suite="$suite" -v key="$key" '
        { t = $3 * $4; sum[$1] += t; printf "| %s | %s | %s | %.1f | %.1f |\n", $1, $2, $3, $4, t
          printf "%s\t%s\t%s\t%s\t%.1f\n", suite, key, $1, $2, t >>tsv }
        END {
            printf "%s\t%s\tclient\trest\t%.1f\n", suite, key, c - sum["client"] >>tsv
            printf "%s\t%s\tserver\trest\t%.1f\n", suite, key, s - sum["server"] >>tsv
            printf "| client | **sum of the parts** | | | %.1f |\n", sum["client"]
            printf "| client | **measured handshake (CPU)** | | | %.1f |\n", c
            printf "| client | rest (record layer, key derivation, messages, allocation) | | | %.1f (%.0f %%) |\n", c - sum["client"], 100 * (c - sum["client"]) / c
            printf "| server | **sum of the parts** | | | %.1f |\n", sum["server"]
            printf "| server | **measured handshake (CPU)** | | | %.1f |\n", s
            printf "| server | rest (record layer, key derivation, messages, allocation) | | | %.1f (%.0f %%) |\n", s - sum["server"], 100 * (s - sum["server"]) / s
        }'
}
: >"$out/where.tsv"
{
    echo
    echo "## Where the time goes"
    echo
    echo "Each operation is timed alone (breakdown/*) in the same run; the counts are those of one"
    echo "TLS 1.2 handshake without client authentication."
    where ECDHE-ECDSA-AES128-GCM-SHA256 ecdsa-p256
    where ECDHE-RSA-AES128-GCM-SHA256 rsa2048
} >>"$report"

# --- Over a real link -------------------------------------------------------------------
# Time to the first application byte over named links (bench/link_model.jq), from
# each TLS row's flights, bytes per flight and CPU; OUTDIR/link-model.json feeds the
# chart. Runs without per-flight bytes (older results) have no such section.
jq -f "$here/link_model.jq" "$summary" >"$out/link-model.json"
# link_table FILTER: one line per handshake matching FILTER, one column per link.
link_table() {
    jq -r --arg f "$1" '
        (map(.profile) | unique_by(.) | length) as $n | (.[0:$n] | map("\(.profile) (\(.rtt_ms) ms RTT, "
            + (.rate_kbit | if . >= 1e6 then "\(. / 1e6) Gbit/s" elif . >= 1000 then "\(. / 1000) Mbit/s" else "\(.) kbit/s" end) + ")")) as $heads
        | ("| handshake | round trips | bytes on the way | " + ($heads | join(" | ")) + " |"),
          ("|---|---|---|" + ("---|" * $n)),
          (group_by(.name)[] | select(.[0].name | test($f))
           | "| \(.[0].name | sub("^handshake/"; "")) | \(.[0].round_trips) | \(.[0].bytes_on_path | round) | "
             + (map("\(.total_ms | if . < 100 then (. * 10 | round / 10) else round end) ms (\(.compute_ms / .total_ms * 100 | round) % CPU)") | join(" | ")) + " |")' \
        "$out/link-model.json"
}
link_intro='Time from connect() to the first application byte at the server, modelled from each
handshake'"'"'s flights, bytes per flight and CPU time (bench/link_model.jq states the model): the TCP
handshake'"'"'s round trip, half a round trip per flight on the way plus its bytes and TCP/IP headers at
the link'"'"'s rate (MTU 1500), slow start from 10 segments, and both sides'"'"' CPU time. Each cell is the
total and the share of it that is CPU; the rest is waiting for the link. tests/link_model.test checks
the model against lesson 06 through tools/lossy_link (bench/link_validate.sh).'
if [ "$(jq length "$out/link-model.json")" -gt 0 ]; then
    {
        echo
        echo "## Over a real link"
        echo
        echo "$link_intro"
        echo
        link_table '.'
    } >>"$report"
fi

# --- What to pick ----------------------------------------------------------------------
# OUTDIR/recommendations.md: per use case, the best suite of this very run
# (bench/recommend.jq computes it).
jq -r -f "$here/recommend.jq" "$summary" >"$out/recommendations.md"
{
    echo
    echo "## What to pick"
    echo
    echo "Computed from this run's medians (bench/recommend.jq)."
    echo
    cat "$out/recommendations.md"
} >>"$report"

# --- Summary for the docs ------------------------------------------------------------
# OUTDIR/summary.md: the targets and the key figures, without charts, for
# inclusion in the documentation (docs/pages/benchmarks.md includes the copy
# made from bench/testdata/full.json).
{
    jq -r '.context | "Measured \(.date | sub("T.*"; "")) on \(.cpu_model) (\(.num_cpus) CPUs), \(.mbedtls_version),
compiler \(.compiler), flags `\(.build_flags)`, AES-NI \(.mbedtls_aesni), group \(.group), transport \(.transport),
load average at the start \(.load_avg[0] // "?")."' "$result"
    echo
    echo "| target | measured | limit | result |"
    echo "|---|---|---|---|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$targets"
    echo
    echo "Full handshakes (steady state) and resumption, medians; times in microseconds, heap in KiB."
    echo
    echo "| handshake | wall | CV | client CPU | server CPU | client peak heap | server peak heap | bytes to server | bytes to client | flights |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    q '.[] | select(.name | test("^handshake/[^/]+/[^/]+/[^/]+(/resume-cache|/resume-ticket)?$"))
       | [(.name | sub("^handshake/"; "")), (.real_us|round), (if .cv_real then (.cv_real*1000|round/10|tostring)+" %" else "-" end),
          (.client_cpu_us|round), (.server_cpu_us|round), (.client_peak_heap/102.4|round/10),
          (.server_peak_heap/102.4|round/10), (.bytes_c2s|round), (.bytes_s2c|round), (.flights|round)]
       | map(tostring) | "| " + join(" | ") + " |"'
    echo
    echo "Bulk data with 16 KiB records (MB/s from CPU time), next to the raw AEAD bound."
    echo
    echo "| benchmark | MB/s |"
    echo "|---|---|"
    q '.[] | select(.name | test("^(throughput|cipher)/.*/16384$")) | select(.cpu_us > 0)
       | "| \(.name) | \(16384 / .cpu_us * 10 | round / 10) |"'
    if [ "$(jq length "$out/link-model.json")" -gt 0 ]; then
        echo
        echo "$link_intro"
        echo
        link_table '^handshake/tls1\.[23]/(ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-RSA-AES128-GCM-SHA256|PSK-AES128-CCM-8|TLS_AES_128_GCM_SHA256)/(ecdsa-p256|rsa2048|psk)(/resume-ticket)?$'
    fi
    if [ "$have_loss" -gt 0 ]; then
        echo
        echo "DTLS 1.2 handshakes under packet loss (lessons 15 and 16)."
        loss_intro
        echo
        loss_table
    fi
} >"$out/summary.md"

# --- Failures ------------------------------------------------------------------
failed=$(jq -r '[.benchmarks[] | select(.error_occurred == true) | "\(.name): \(.error_message)"] | unique[]' "$result")
if [ -n "$failed" ]; then
    {
        echo
        echo "## Failed benchmarks"
        echo
        while IFS= read -r line; do
            echo "- $line"
        done <<<"$failed"
    } >>"$report"
fi

# --- Charts ----------------------------------------------------------------------
# bench/charts.sh draws them (gnuplot); this links them from the report.
if command -v gnuplot >/dev/null; then
    bash "$here/charts.sh" "$result" "$out"
    {
        echo
        echo "## Charts"
        echo
        for c in handshake-cpu handshake-heap handshake-bytes handshake-stack reference throughput where debug \
            link-time dtls-loss dtls-loss-bytes; do
            [ -f "$out/$c.png" ] || continue
            echo "![$c]($c.png) ([SVG]($c.svg))"
            echo
        done
    } >>"$report"
else
    echo "gnuplot not found: no charts" >&2
fi

echo "report: $report" >&2
awk -F'\t' '{ printf "target: %-90s %-12s %-8s %s\n", $1, $2, $3, $4 }' "$targets"
