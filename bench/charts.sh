#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/charts.sh RESULT.json OUTDIR: the charts of a tls_bench result, as
# OUTDIR/NAME.png and OUTDIR/NAME.svg (bench/report.sh calls it after writing
# OUTDIR/summary.json and OUTDIR/where.tsv; it needs gnuplot and jq):
#
#   handshake-cpu    full handshakes, CPU time per side
#   handshake-heap   full handshakes, peak heap per side
#   handshake-bytes  full handshakes, bytes on the wire per direction
#   handshake-stack  full handshakes, peak stack per side
#   reference        the reference handshake (TLS 1.2 and 1.3) in mbedTLS,
#                    OpenSSL and wolfSSL: CPU time per side (when the run has
#                    the reference family)
#   throughput       MB/s against record size, each TLS suite solid and the
#                    raw AEAD bound it cannot beat dashed, in the same colour
#   where            where a handshake's CPU time goes, per side
#   debug            handshake CPU time by debug level
#   link-time        time to the first application byte per link, CPU under waiting
#   dtls-loss        DTLS handshake completion time against packet loss
#   dtls-loss-bytes  DTLS bytes sent again against packet loss
#
# Every axis starts at zero, so that bars and lines compare as ratios. With
# repetitions the figures are medians and the error bars one standard
# deviation (Google Benchmark's cv aggregate times the median); a run without
# repetitions is said to be one run, with no bars. One colour per thing
# throughout: the client blue, the server orange, an AEAD the same hue in
# every line that uses it.
#
# The jq programs use $ for jq variables, not for the shell:
# shellcheck disable=SC2016
set -eu

[ $# -eq 2 ] || { echo "usage: $0 RESULT.json OUTDIR" >&2; exit 1; }
result=$1
out=$2
summary="$out/summary.json"
[ -r "$summary" ] || { echo "$0: no $summary (bench/report.sh writes it)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "$0: gnuplot not found: no charts" >&2; exit 0; }
data="$out/charts"
mkdir -p "$data"

# The colours (Okabe and Ito's palette, readable with every colour vision).
client_colour='#0072B2'
server_colour='#E69F00'
# aead_colour NAME: the colour of an AEAD, and of every suite that uses it.
aead_colour() {
    case $1 in
    AES-128-GCM) echo '#0072B2' ;;
    CHACHA20-POLY1305) echo '#D55E00' ;;
    AES-128-CCM-8) echo '#009E73' ;;
    AES-256-GCM) echo '#CC79A7' ;;
    *) echo '#555555' ;;
    esac
}

reps=$(jq '[.[] | .repetitions] | max // 1' "$summary")
if [ "$reps" -gt 1 ]; then
    spread="median of $reps repetitions, bars: one standard deviation"
else
    spread="one run, no repetitions: no spread to show"
fi

# sd NAME COUNTER: one standard deviation of a counter of a benchmark (the
# cv aggregate times the median), as jq definitions over RESULT.json.
jq -r '
  [.benchmarks[] | select(.run_type == "aggregate" and .aggregate_name == "cv")]
  | map({key: .run_name, value: .}) | from_entries' "$result" >"$data/cv.json"

# --- Full handshakes ---------------------------------------------------------------
# One row per version/suite/key, sorted by total CPU, with the spread of
# each side's CPU time.
jq -r --slurpfile cv "$data/cv.json" '
  ($cv[0]) as $c
  | [.[] | select(.name | test("^handshake/[^/]+/[^/]+/[^/]+$"))]
  | sort_by(.client_cpu_us + .server_cpu_us) | reverse | .[]
  | ($c[.name] // {}) as $d
  | [(.name | sub("^handshake/"; "") | gsub("/"; "  ")),
     .client_cpu_us / 1000, (.client_cpu_us * ($d.client_cpu_us // 0)) / 1000,
     .server_cpu_us / 1000, (.server_cpu_us * ($d.server_cpu_us // 0)) / 1000,
     .client_peak_heap / 1024, .server_peak_heap / 1024, .bytes_c2s, .bytes_s2c,
     (.client_peak_stack // 0) / 1024, (.server_peak_stack // 0) / 1024]
  | map(tostring) | join("\t")' "$summary" >"$data/handshake.dat"
rows=$(wc -l <"$data/handshake.dat")

# --- The reference family -------------------------------------------------------------
# mbedTLS's reference handshake in both versions, then each other library's,
# the same handshake: CPU per side with its spread.
jq -r --slurpfile cv "$data/cv.json" --arg v "$(jq -r '.context.mbedtls_version // "mbedTLS"' "$result")" '
  ($cv[0]) as $c
  | [.[] | select(.name == "handshake/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256/ecdsa-p256"
                  or .name == "handshake/tls1.3/TLS_AES_128_GCM_SHA256/ecdsa-p256"
                  or (.name | test("^reference/[^/]+/[^/]+/[^/]+/ecdsa-p256$")))]
  | sort_by(.client_cpu_us + .server_cpu_us) | reverse | .[]
  | ($c[.name] // {}) as $d
  | [(if (.name | startswith("handshake/")) then $v + "  " + (.name | split("/")[1])
      else (.name | split("/") | .[1] + "  " + .[2]) end),
     .client_cpu_us / 1000, (.client_cpu_us * ($d.client_cpu_us // 0)) / 1000,
     .server_cpu_us / 1000, (.server_cpu_us * ($d.server_cpu_us // 0)) / 1000]
  | map(tostring) | join("\t")' "$summary" >"$data/reference.dat"
ref_rows=$(wc -l <"$data/reference.dat")
if [ "$(jq '[.[] | select(.name | startswith("reference/"))] | length' "$summary")" -eq 0 ]; then
    ref_rows=0 # mbedTLS alone: nothing to compare with
fi
ref_height=$((ref_rows * 40 + 160))

# --- Throughput ------------------------------------------------------------------------
# For each AEAD: the ECDHE-ECDSA TLS 1.2 suite that uses it, the TLS 1.3 suite
# when there is one, and the raw AEAD bound.
series=()
for spec in "AES-128-GCM throughput/tls1.2/ECDHE-ECDSA-AES128-GCM-SHA256 throughput/tls1.3/TLS_AES_128_GCM_SHA256" \
    "CHACHA20-POLY1305 throughput/tls1.2/ECDHE-ECDSA-CHACHA20-POLY1305 throughput/tls1.3/TLS_CHACHA20_POLY1305_SHA256" \
    "AES-128-CCM-8 throughput/tls1.2/ECDHE-ECDSA-AES128-CCM-8" \
    "AES-256-GCM throughput/tls1.2/ECDHE-ECDSA-AES256-GCM-SHA384 throughput/tls1.3/TLS_AES_256_GCM_SHA384"; do
    read -r -a words <<<"$spec"
    aead=${words[0]}
    for base in "${words[@]:1}" "cipher/$aead"; do
        file="$data/$(echo "$base" | tr '/' '_').dat"
        jq -r --arg b "$base/" '.[] | select(.name | startswith($b)) | select(.cpu_us > 0)
              | (.name | ltrimstr($b) | tonumber) as $s
              | "\($s)\t\($s / .cpu_us)\t\($s / .cpu_us * (.cv_cpu // 0))"' "$summary" | sort -n >"$file"
        [ -s "$file" ] || continue
        case $base in
        cipher/*) style="dt 2 lw 1.5 pt 6" title="raw $aead bound" ;;
        */tls1.3/*) style="dt 1 lw 2.5 pt 9" title="TLS 1.3 ${base##*/}" ;;
        *) style="dt 1 lw 2.5 pt 7" title="TLS 1.2 ${base##*/}" ;;
        esac
        # gnuplot runs in $data: the file by its own name.
        series+=("'${file##*/}' using 1:2 with linespoints $style lc rgb '$(aead_colour "$aead")' title '$title'")
        if [ "$reps" -gt 1 ]; then
            series+=("'${file##*/}' using 1:2:3 with yerrorbars lc rgb '$(aead_colour "$aead")' pt 0 notitle")
        fi
    done
done

# --- Where the time goes ------------------------------------------------------------
# One stacked bar per suite and side, one colour per operation (the same in
# every bar), from the breakdown report.sh computed.
if [ -s "$out/where.tsv" ]; then
    awk -F'\t' '
        { row = $1 " " $2 ", " $3; if (!(row in seen)) { seen[row] = 1; rows[++nr] = row }
          op = $4; sub(/ \(.*/, "", op); if (!(op in known)) { known[op] = 1; ops[++no] = op }
          v[row, op] += $5 / 1000 }
        END {
            printf "side"; for (j = 1; j <= no; j++) printf "\t%s", ops[j]; printf "\n"
            for (i = 1; i <= nr; i++) {
                # "ECDHE-ECDSA-AES128-GCM-SHA256 ecdsa-p256, client" -> "ECDSA P-256, client"
                label = rows[i]; sub(/^[^ ]* /, "", label)
                sub(/^ecdsa-p/, "ECDSA P-", label); sub(/^rsa/, "RSA-", label)
                printf "%s", label; for (j = 1; j <= no; j++) printf "\t%s", ((rows[i], ops[j]) in v) ? v[rows[i], ops[j]] : 0
                printf "\n"
            }
        }' "$out/where.tsv" >"$data/where.dat"
fi
where_columns=$(head -n 1 "$data/where.dat" 2>/dev/null | awk -F'\t' '{ print NF }')

# --- Debug levels ------------------------------------------------------------------------
jq -r '.[] | select(.name | startswith("debug/")) | (.name | split("/")) as $p
       | "\($p[1])\t\($p[2])\t\((.client_cpu_us + .server_cpu_us) / 1000)"' "$summary" >"$data/debug-raw.dat"
awk -F'\t' '{ v[$1, $2] = $3; l[$1] = 1 } END { for (k in l) printf "%s\t%s\t%s\n", k, v[k, "discard"], v[k, "format"] }' \
    "$data/debug-raw.dat" | sort -n >"$data/debug.dat"

png_term="pngcairo size 1100,@H@ font 'DejaVu Sans,12'"
gnuplot -e "set terminal pngcairo" 2>/dev/null || png_term="png size 1100,@H@"
height=$((rows * 26 + 160))
debug_rows=$(wc -l <"$data/debug.dat")
# A run filtered to some families (a quick DTLS run, say) lacks the others'
# data: gnuplot draws only the charts it has rows for (an empty plot is an
# error that would stop it before the rest).
for term in "$png_term" "svg size 1100,@H@ dynamic font 'DejaVu Sans,12'"; do
    case $term in svg*) ext=svg ;; *) ext=png ;; esac
    (
        cd "$data"
        gnuplot <<GNUPLOT
set datafile separator "\t"
set style fill solid 0.85 border -1
set grid xtics noytics
set border 3
set tics nomirror
set key noenhanced
set ytics noenhanced

# Full handshakes, horizontal bars, the cheapest at the top (the rows come
# most expensive first, from the bottom): client above, server below.
if ($rows > 0) {
set terminal ${term//@H@/$height}
set output "../handshake-cpu.$ext"
set title "Full handshake CPU time per side, ms ($spread)" noenhanced
set xlabel "ms of CPU per handshake"
set xrange [0:*]
set yrange [-0.6:$rows - 0.4]
set key outside top center horizontal
plot 'handshake.dat' using (0):(\$0 + 0.19):(0):2:(\$0):(\$0 + 0.38):ytic(1) with boxxyerror lc rgb '$client_colour' title 'client', \
     '' using (0):(\$0 - 0.19):(0):4:(\$0 - 0.38):(\$0) with boxxyerror lc rgb '$server_colour' title 'server', \
     '' using 2:(\$0 + 0.19):(\$2 - \$3):(\$2 + \$3) with xerrorbars lc rgb 'black' pt 0 notitle, \
     '' using 4:(\$0 - 0.19):(\$4 - \$5):(\$4 + \$5) with xerrorbars lc rgb 'black' pt 0 notitle

set output "../handshake-heap.$ext"
set title "Full handshake peak heap per side, KiB (record buffers included)" noenhanced
set xlabel "KiB held at most during the handshake"
plot 'handshake.dat' using (0):(\$0 + 0.19):(0):6:(\$0):(\$0 + 0.38):ytic(1) with boxxyerror lc rgb '$client_colour' title 'client', \
     '' using (0):(\$0 - 0.19):(0):7:(\$0 - 0.38):(\$0) with boxxyerror lc rgb '$server_colour' title 'server'

set output "../handshake-bytes.$ext"
set title "Full handshake bytes on the wire, per direction" noenhanced
set xlabel "bytes per handshake"
plot 'handshake.dat' using (0):(\$0 + 0.19):(0):8:(\$0):(\$0 + 0.38):ytic(1) with boxxyerror lc rgb '$client_colour' title 'client to server', \
     '' using (0):(\$0 - 0.19):(0):9:(\$0 - 0.38):(\$0) with boxxyerror lc rgb '$server_colour' title 'server to client'

set output "../handshake-stack.$ext"
set title "Full handshake peak stack per side, KiB (each side on its own painted region)" noenhanced
set xlabel "KiB of stack at the deepest point of the handshake"
plot 'handshake.dat' using (0):(\$0 + 0.19):(0):10:(\$0):(\$0 + 0.38):ytic(1) with boxxyerror lc rgb '$client_colour' title 'client', \
     '' using (0):(\$0 - 0.19):(0):11:(\$0 - 0.38):(\$0) with boxxyerror lc rgb '$server_colour' title 'server'
}

if ($ref_rows > 0) {
    set terminal ${term//@H@/$ref_height}
    set output "../reference.$ext"
    set title "Reference handshake by library, ms of CPU per side ($spread)" noenhanced
    set xlabel "ms of CPU per handshake"
    set yrange [-0.6:$ref_rows - 0.4]
    plot 'reference.dat' using (0):(\$0 + 0.19):(0):2:(\$0):(\$0 + 0.38):ytic(1) with boxxyerror lc rgb '$client_colour' title 'client', \
         '' using (0):(\$0 - 0.19):(0):4:(\$0 - 0.38):(\$0) with boxxyerror lc rgb '$server_colour' title 'server', \
         '' using 2:(\$0 + 0.19):(\$2 - \$3):(\$2 + \$3) with xerrorbars lc rgb 'black' pt 0 notitle, \
         '' using 4:(\$0 - 0.19):(\$4 - \$5):(\$4 + \$5) with xerrorbars lc rgb 'black' pt 0 notitle
}

# Throughput: lines, log2 record sizes, MB/s from zero.
set terminal ${term//@H@/700}
if (${#series[@]} > 0) {
set output "../throughput.$ext"
unset ytics
set ytics nomirror
set grid ytics noxtics
set title "Throughput against record size, MB/s of CPU time ($spread)" noenhanced
set xlabel "record size, bytes"
set ylabel "MB/s"
set logscale x 2
set xrange [200:20000]
set xtics (256, 1024, 4096, 16384)
set yrange [0:*]
set key outside right top vertical Left reverse
plot ${series[*]/%/,}1/0 notitle
}
unset logscale x

# Where the time goes: stacked columns, one colour per operation.
if (${where_columns:-0} > 1) set output "../where.$ext"
set title "Where a TLS 1.2 handshake's CPU time goes (each operation timed alone, ms)" noenhanced
set ylabel "ms of CPU per handshake"
unset xlabel
set autoscale x
set xtics noenhanced
set style data histograms
set style histogram rowstacked
set boxwidth 0.6
set key outside right top vertical Left reverse invert
set yrange [0:*]
set linetype 1 lc rgb '#0072B2'
set linetype 2 lc rgb '#56B4E9'
set linetype 3 lc rgb '#009E73'
set linetype 4 lc rgb '#E69F00'
set linetype 5 lc rgb '#D55E00'
set linetype 6 lc rgb '#CC79A7'
set linetype 7 lc rgb '#F0E442'
set linetype 8 lc rgb '#999999'
if (${where_columns:-0} > 1) plot for [i=2:${where_columns:-2}] 'where.dat' using i:xtic(1) title columnheader(i)

# Debug levels.
if ($debug_rows > 0) {
set output "../debug.$ext"
set style data linespoints
set title "Handshake CPU time by debug level, ms (client and server together)" noenhanced
set xlabel "debug level"
set ylabel "ms"
set xtics 1
set xrange [-0.2:4.2]
set yrange [0:*]
set key outside right top vertical Left reverse
plot 'debug.dat' using 1:2 with linespoints lw 2 lc rgb '#009E73' title 'discarding sink', \
     '' using 1:3 with linespoints lw 2 lc rgb '#CC79A7' title 'formatting sink to /dev/null'
}
GNUPLOT
    )
done

# --- Over a real link (bench/link_model.jq, written by report.sh) ----------------------
# One panel per link, each with its own scale from zero (a LAN's milliseconds and a
# LoRa-class link's seconds share no axis): per handshake, a bar of CPU time (both
# sides) under the time spent waiting for the link.
link_model="$out/link-model.json"
if [ -s "$link_model" ] && [ "$(jq length "$link_model")" -gt 0 ]; then
    jq -r '[.[] | select(.name | test("^handshake/tls1\\.[23]/(ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-RSA-AES128-GCM-SHA256|PSK-AES128-CCM-8|TLS_AES_128_GCM_SHA256)/(ecdsa-p256|rsa2048|psk)(/resume-ticket)?$"))]
           | group_by(.profile) | sort_by(.[0].rtt_ms)[]
           | "# \(.[0].profile): \(.[0].rtt_ms) ms round trip, \(.[0].rate_kbit) kbit/s",
             (.[] | (.name | split("/")) as $p
                    | "TLS \($p[1] | ltrimstr("tls")) \({"ecdsa-p256": "ECDSA", "rsa2048": "RSA", "psk": "PSK"}[$p[3]])\(if $p[4] then " resumed" else "" end)\t\(.compute_ms)\t\(.network_ms)"),
             "", ""' "$link_model" >"$data/link-time.dat"
    link_profiles=$(jq -r 'map(.profile) | unique | length' "$link_model")
    link_titles=$(jq -r 'group_by(.profile) | sort_by(.[0].rtt_ms)[] | .[0] | "\(.profile), \(.rtt_ms) ms round trip, "
        + (.rate_kbit | if . >= 1e6 then "\(. / 1e6) Gbit/s" elif . >= 1000 then "\(. / 1000) Mbit/s" else "\(.) kbit/s" end)' "$link_model")
    for term in "$png_term" "svg size 1100,@H@ dynamic font 'DejaVu Sans,12'"; do
        case $term in svg*) ext=svg ;; *) ext=png ;; esac
        panels=""
        panels_height=$((link_profiles * 300 + 60))
        i=0
        while IFS= read -r title; do
            panels="$panels
set title \"$title\" noenhanced
plot 'link-time.dat' index $i using 2:xtic(1) title 'CPU (both sides)' lc rgb '#009E73', '' index $i using 3 title 'waiting for the link' lc rgb '#999999'"
            i=$((i + 1))
        done <<<"$link_titles"
        (
            cd "$data"
            gnuplot <<GNUPLOT
set terminal ${term//@H@/$panels_height}
set output "../link-time.$ext"
set datafile separator "\t"
set style fill solid 0.85 border -1
set style data histograms
set style histogram rowstacked
set boxwidth 0.6
set grid ytics noxtics
set border 3
set tics nomirror
set xtics noenhanced rotate by 20 right
set key outside right top vertical Left reverse noenhanced
set ylabel "ms"
set yrange [0:*]
set multiplot layout $link_profiles,1 title "Time to the first application byte, modelled (bench/link_model.jq)" noenhanced
$panels
unset multiplot
GNUPLOT
        )
    done
fi

# --- DTLS under loss (only when the run has the dtls-loss family) -----------------
# One series per suite, the median solid and the 90th percentile dashed, in
# the same colour, against the share of datagrams lost.
have_loss=$(jq '[.[] | select(.name | startswith("dtls-loss/"))] | length' "$summary")
[ "$have_loss" -gt 0 ] || exit 0
: >"$data/dtls-loss.dat"
loss_series=()
while IFS= read -r base; do
    jq -r --arg b "$base" '[.[] | select(.name | startswith("dtls-loss/" + $b + "/loss-"))] | sort_by(.loss_percent)[]
       | "\(.loss_percent)\t\(.completion_ms_median / 1000)\t\(.completion_ms_p90 / 1000)\t\(.resent_bytes_median)\t\(.resent_bytes_p90)"' \
        "$summary" >>"$data/dtls-loss.dat"
    printf '\n\n' >>"$data/dtls-loss.dat"
    loss_series+=("$base")
done < <(jq -r '[.[] | select(.name | startswith("dtls-loss/")) | .name | sub("^dtls-loss/"; "") | sub("/loss-[0-9]+$"; "")] | unique[]' "$summary")
time_lines="" bytes_lines=""
for i in "${!loss_series[@]}"; do
    colour=$(aead_colour "$(echo "${loss_series[$i]}" | sed -E 's/.*(AES-?128-?GCM|CHACHA20-?POLY1305|AES-?128-?CCM-?8|AES-?256-?GCM).*/\1/')")
    time_lines="$time_lines'dtls-loss.dat' index $i using 1:2 with linespoints lw 2 lc rgb '$colour' title '${loss_series[$i]}, median', "
    time_lines="$time_lines'dtls-loss.dat' index $i using 1:3 with linespoints lw 1 dt 2 lc rgb '$colour' title '${loss_series[$i]}, 90th percentile', "
    bytes_lines="$bytes_lines'dtls-loss.dat' index $i using 1:4 with linespoints lw 2 lc rgb '$colour' title '${loss_series[$i]}, median', "
    bytes_lines="$bytes_lines'dtls-loss.dat' index $i using 1:5 with linespoints lw 1 dt 2 lc rgb '$colour' title '${loss_series[$i]}, 90th percentile', "
done
delay=$(jq -r '.context.dtls_loss_link_delay_ms // "?"' "$result")
for term in "$png_term" "svg size 1100,@H@ dynamic font 'DejaVu Sans,12'"; do
    case $term in svg*) ext=svg ;; *) ext=png ;; esac
    (
        cd "$data"
        gnuplot <<GNUPLOT
set terminal ${term//@H@/650}
set datafile separator "\t"
set grid ytics noxtics
set border 3
set tics nomirror
set key outside right top vertical Left reverse noenhanced
set style data linespoints
set xlabel "datagrams lost (%)"
set xtics (0, 5, 10, 20, 30)
set xrange [-1:31]
set yrange [0:*]
set output "../dtls-loss.$ext"
set title "DTLS 1.2 handshake completion time against packet loss, s (one-way delay $delay ms; dashed: 90th percentile)" noenhanced
set ylabel "seconds until both sides are done"
plot ${time_lines%, }
set output "../dtls-loss-bytes.$ext"
set title "DTLS 1.2 bytes sent again against packet loss (both sides; dashed: 90th percentile)" noenhanced
set ylabel "bytes"
plot ${bytes_lines%, }
GNUPLOT
    )
done
