#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mcu/report.sh LAB.json OUTDIR: the microcontroller lab's report, from the
# JSON file mcu/lab.sh wrote (bench/normalize.jq reads it, as it reads the
# benchmarks').
#
# Writes OUTDIR/report.md (context, the table per profile and side, what the
# whole images hold, failed profiles, charts), OUTDIR/summary.md (the table
# and the failures only: the documentation includes it) and, with gnuplot,
# OUTDIR/mcu-flash, mcu-memory and mcu-instructions as PNG and SVG.
# Needs jq; gnuplot is optional.
#
# The jq programs use $ for jq variables, not for the shell:
# shellcheck disable=SC2016
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../bench/report-lib.sh
. "$here/../bench/report-lib.sh"
report_begin LAB.json lab-summary.json "$@"

# The table: one row per profile and side, then the one image with both;
# the profiles from the smallest to the largest.
# Flash and heap in KiB (1024 bytes), static RAM and stack in bytes,
# instructions in millions, host CPU in microseconds.
table() {
    echo "| profile | side | flash KiB | TLS | X.509 | crypto | static RAM B | peak heap KiB | stack B | instructions (M) | host CPU us |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    jq -r '
      def kib: if . == null then "-" else (. / 102.4 | round / 10 | tostring) end;
      def num: if . == null then "-" else tostring end;
      def mega: if . == null then "-" else (. / 10000 | round / 100 | tostring) end;
      def us: if . == null then "-" else (. | round | tostring) end;
      (map({key: .name, value: .}) | from_entries) as $by
      | map(select(.name | test("^mcu/.*/cortex-m4$"))) | sort_by(.mcu_flash)[]
      | (.name | split("/")[1]) as $p | . as $m | ($by["mcu/" + $p + "/host"] // {}) as $h
      | (["client", "server"][] as $s
         | "| \($p) | \($s) | \($m[$s + "_flash"] | kib) | \($m[$s + "_flash_mbedtls"] | kib) | \($m[$s + "_flash_x509"] | kib) | \($m[$s + "_flash_crypto"] | kib) | \($m[$s + "_ram"] | num) | \($m[$s + "_peak_heap"] | kib) | \($m[$s + "_stack"] | num) | \($m[$s + "_instructions"] | mega) | \($h[$s + "_cpu_us"] | us) |"),
        "| \($p) | both, one image | \($m.mcu_flash | kib) | \($m.mcu_flash_mbedtls | kib) | \($m.mcu_flash_x509 | kib) | \($m.mcu_flash_crypto | kib) | \($m.mcu_ram | num) | \($m.mcu_arena_high_water | kib) arena | \($m.mcu_program_stack | num) | \(($m.client_instructions + $m.server_instructions) | mega) | \(if $h.client_cpu_us then ($h.client_cpu_us + $h.server_cpu_us) | us else "-" end) |"' "$summary"
}

failures() {
    jq -r '[.benchmarks[] | select(.error_occurred == true) | "- \(.name | split("/")[1]): \(.error_message)"] | .[]' "$result"
}

{
    echo "# Microcontroller lab report"
    echo
    echo "Source: \`$(basename "$result")\`."
    echo
    report_context_table
    echo
    echo "## Per profile and side"
    echo
    echo "Flash and static RAM are mbedTLS's three libraries (TLS, X.509, crypto) as linked into an image"
    echo "for that side alone (a client without the server's code, and the other way round); \"both, one"
    echo "image\" is the image with both ends, which ran the handshake. Peak heap is the most each side held"
    echo "during a first handshake (record buffers included); for both, the arena's high-water mark."
    echo "Stack is how deep each side went, counted from the top of the stack. Instructions are those each"
    echo "side executed in the handshake under qemu's instruction counter: not cycles. Host CPU is the"
    echo "median of 21 handshakes on this machine."
    echo
    table
    echo
    echo "## What the whole images hold"
    echo
    echo "Besides mbedTLS, each image carries newlib-nano (printf, files through semihosting, malloc) and the"
    echo "lab's own code (the lessons' stages, the report and record-decoder plumbing, the measuring"
    echo "instruments): those depend on the application, not on the profile."
    echo
    echo "| profile | image | flash KiB | static RAM B | mbedTLS contexts per side B | allocations | wire bytes C->S / S->C | flights |"
    echo "|---|---|---|---|---|---|---|---|"
    jq -r '
      def kib: if . == null then "-" else (. / 102.4 | round / 10 | tostring) end;
      def num: if . == null then "-" else tostring end;
      map(select(.name | test("^mcu/.*/cortex-m4$"))) | sort_by(.mcu_flash)[] | (.name | split("/")[1]) as $p | . as $m
      | (["client", "server", "mcu"][] as $s | select($m[$s + "_flash_image"] != null)
         | "| \($p) | \(if $s == "mcu" then "both" else $s end) | \($m[$s + "_flash_image"] | kib) | \($m[$s + "_ram_image"] | num) | \($m.mcu_contexts | num) | \(if $s == "mcu" then ($m.mcu_allocations | num) else "" end) | \(if $s == "mcu" then "\($m.bytes_c2s) / \($m.bytes_s2c)" else "" end) | \(if $s == "mcu" then ($m.flights | num) else "" end) |")' "$summary"
} >"$out/report.md"

failed=$(failures)
{
    jq -r '.context | "Measured \(.date | sub("T.*"; "")) with \(.mbedtls_version) on \(.cpu_model);
compiler \(.compiler), flags `\(.build_flags)`. The whole lab took \(.lab_seconds) s on \(.num_cpus) CPUs
(load average \(.load_avg[0] // "?") at the end)."' "$result"
    echo
    table
    if [ -n "$failed" ]; then
        echo
        echo "Profiles that did not build or run:"
        echo
        echo "$failed"
    fi
} >"$out/summary.md"
if [ -n "$failed" ]; then
    {
        echo
        echo "## Failed profiles"
        echo
        echo "$failed"
    } >>"$out/report.md"
fi

# --- Charts --------------------------------------------------------------------
if command -v gnuplot >/dev/null; then
    jq -r 'map(select(.name | test("^mcu/.*/cortex-m4$"))) | sort_by(.mcu_flash)[] | (.name | split("/")[1]) as $p | . as $m
           | ["client", "server"][] as $s | select($m[$s + "_flash"] != null)
           | "\($p) \($s)\t\($m[$s + "_flash_mbedtls"] / 1024)\t\($m[$s + "_flash_x509"] / 1024)\t\($m[$s + "_flash_crypto"] / 1024)\t\($m[$s + "_peak_heap"] / 1024)\t\($m[$s + "_stack"] / 1024)\t\($m[$s + "_ram"] / 1024)\t\($m[$s + "_instructions"] / 1000000)"' \
        "$summary" >"$out/mcu.dat"
    png_term="pngcairo size 1100,600"
    gnuplot -e "set terminal pngcairo" 2>/dev/null || png_term="png size 1100,600"
    if [ -s "$out/mcu.dat" ]; then
        for term in "$png_term" "svg size 1100,600 dynamic"; do
            case $term in svg*) ext=svg ;; *) ext=png ;; esac
            (
                cd "$out"
                gnuplot <<GNUPLOT
set terminal $term
set datafile separator "\t"
set key outside right noenhanced
set grid y
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.75
set xtics rotate by -35 font ",9" noenhanced
set output "mcu-flash.$ext"
set style histogram rowstacked
set title "Flash of mbedTLS per profile and side, Cortex-M4 -Os (KiB)"
set ylabel "KiB"
plot 'mcu.dat' using 2:xtic(1) title 'TLS', '' using 3 title 'X.509', '' using 4 title 'crypto'
set output "mcu-memory.$ext"
set style histogram clustered gap 1
set title "RAM per side during the handshake (KiB)"
plot 'mcu.dat' using 5:xtic(1) title 'peak heap', '' using 6 title 'stack', '' using 7 title 'static RAM of mbedTLS'
set output "mcu-instructions.$ext"
set logscale y
set title "Instructions per handshake and side, Cortex-M4 (millions, log scale)"
set ylabel "million instructions"
plot 'mcu.dat' using 8:xtic(1) title 'instructions'
GNUPLOT
            )
        done
        {
            echo
            echo "## Charts"
            echo
            for c in mcu-flash mcu-memory mcu-instructions; do
                echo "![$c]($c.png) ([SVG]($c.svg))"
                echo
            done
        } >>"$out/report.md"
    fi
else
    echo "gnuplot not found: no charts" >&2
fi
echo "report: $out/report.md" >&2
