#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mcu/lab.sh OUTDIR [--quick] [PROFILE...]: the microcontroller lab.
#
# Builds mbedTLS 3.6 from Debian 13's source package once per configuration
# profile (PROFILE.h in mcu/profiles/, or in MCU_PROFILE_DIR; all of them by
# default) for an emulated
# Cortex-M4 and for this machine, links the workshop's in-memory client and
# server handshake on top (mcu/lab_main.c), runs it under
# qemu-system-arm -M mps2-an386 and natively, and writes
#   OUTDIR/lab.json          the figures, in the benchmark's JSON format
#                            (bench/compare.sh compares two of them)
#   OUTDIR/report/report.md  tables and charts (mcu/report.sh)
#   OUTDIR/make.log          everything the builds printed
# and prints the report's summary. --quick builds and runs only the
# Cortex-M4 handshake image (no side-alone images, no host run).
#
# A profile that does not build (check_config.h refuses it, or a compile,
# link or run fails) is reported with its reason, in lab.json and the
# report, and the others go on; the exit status is then 1.
#
# Environment:
#   CERTS_DIR    the workshop's PKI (the build tree's certs/), required
#   MCU_PROFILE_DIR  where the profiles are (default: mcu/profiles/)
#   MBEDTLS_SRC  an unpacked mbedTLS 3.6 source tree; by default Debian 13's
#                source package is fetched (scripts/fetch-mbedtls.sh --source)
#                into MCU_SOURCES (default OUTDIR/../src)
#   MAKE (make), JOBS (2), ARM_PREFIX (arm-none-eabi-), QEMU
#   (qemu-system-arm), HOST_CC (cc)
# Exit status: 0 every profile measured, 1 some failed, 2 usage or missing
# tools.
set -euo pipefail

usage() {
    echo "usage: $0 OUTDIR [--quick] [PROFILE...]" >&2
    exit 2
}
[ $# -ge 1 ] || usage
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
shift
parts=full
if [ "${1:-}" = --quick ]; then
    parts=quick
    shift
fi
profile_dir=${MCU_PROFILE_DIR:-$top/mcu/profiles}
profile_dir=$(cd "$profile_dir" && pwd) || usage
if [ $# -gt 0 ]; then
    profiles=("$@")
else
    profiles=()
    for f in "$profile_dir"/*.h; do
        [ -f "$f" ] && profiles+=("$(basename "$f" .h)")
    done
    [ ${#profiles[@]} -gt 0 ] || { echo "$0: no profiles (*.h) in $profile_dir" >&2; exit 2; }
fi
make=${MAKE:-make}
jobs=${JOBS:-2}
arm_prefix=${ARM_PREFIX:-arm-none-eabi-}
qemu=${QEMU:-qemu-system-arm}
host_cc=${HOST_CC:-cc}
certs=${CERTS_DIR:?CERTS_DIR: the workshop PKI (run make in the build tree first)}

for p in "${profiles[@]}"; do
    [ -f "$profile_dir/$p.h" ] || { echo "$0: no profile $p ($profile_dir/$p.h)" >&2; exit 2; }
done
for tool in "${arm_prefix}gcc" "$qemu" jq; do
    command -v "$tool" >/dev/null || {
        echo "$0: $tool is needed (Debian: gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm jq)" >&2
        exit 2
    }
done
[ -f "$certs/ca.pem" ] || { echo "$0: no PKI in $certs (run make in the build tree first)" >&2; exit 2; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -z "${MBEDTLS_SRC:-}" ]; then
    MBEDTLS_SRC=$("$top/scripts/fetch-mbedtls.sh" --source "${MCU_SOURCES:-$out/../src}") || {
        echo "$0: could not get Debian's mbedTLS source package (scripts/fetch-mbedtls.sh --source)" >&2
        exit 2
    }
fi
[ -f "$MBEDTLS_SRC/include/mbedtls/version.h" ] || { echo "$0: no mbedTLS source in $MBEDTLS_SRC" >&2; exit 2; }
build="$out/build"
lab_time=$(date +%s)
start=$SECONDS

echo "mcu-lab: ${#profiles[@]} profile(s) (${profiles[*]}), $parts, mbedTLS from $MBEDTLS_SRC" >&2
echo "mcu-lab: building with $make -j$jobs (output in $out/make.log)" >&2
status=0
"$make" -k -j"$jobs" -f "$top/mcu/lab.mk" SRC="$top" LAB="$build" MBEDTLS_SRC="$MBEDTLS_SRC" \
    CERTS_DIR="$certs" PROFILE_DIR="$profile_dir" PROFILES="${profiles[*]}" PARTS="$parts" LAB_TIME="$lab_time" \
    ARM_PREFIX="$arm_prefix" QEMU="$qemu" HOST_CC="$host_cc" all >"$out/make.log" 2>&1 || status=$?
grep '^mcu-lab: .*\(does not pass\|failed\)' "$out/make.log" >&2 || true
elapsed=$((SECONDS - start))

# --- Collecting ---------------------------------------------------------------

# figures FILE: the `figure NAME VALUE` lines of a run, as "NAME VALUE".
figures() {
    sed -n 's/^figure \([a-z0-9_]*\) \([0-9][0-9]*\)$/\1 \2/p' "$1"
}

# value FILE NAME: one figure of a run ("" when absent).
value() {
    figures "$1" | awk -v n="$2" '$1 == n { print $2 }'
}

# part_sizes DIR PREFIX: the flash and RAM of an image (DIR/sizes.txt,
# DIR/parts.txt) as "NAME VALUE" lines: PREFIX_flash (the three mbedTLS
# libraries), PREFIX_flash_mbedtls, _x509, _crypto, PREFIX_flash_image (the
# whole image: with newlib and the lab's own code), the same for _ram.
part_sizes() {
    awk -v p="$2" '
        FILENAME ~ /parts\.txt$/ { flash[$1] = $2; ram[$1] = $3; next }
        $1 ~ /^\.(vectors|text|rodata|ARM\.exidx|data|tdata)$/ { image_flash += $2 }
        $1 ~ /^\.(data|tdata|tbss|bss)$/ { image_ram += $2 }
        END {
            printf "%s_flash %d\n", p, flash["mbedtls"] + flash["x509"] + flash["crypto"]
            printf "%s_flash_mbedtls %d\n%s_flash_x509 %d\n%s_flash_crypto %d\n", p, flash["mbedtls"], p, flash["x509"], p, flash["crypto"]
            printf "%s_flash_image %d\n", p, image_flash
            printf "%s_ram %d\n", p, ram["mbedtls"] + ram["x509"] + ram["crypto"]
            printf "%s_ram_image %d\n", p, image_ram
        }' "$1/parts.txt" "$1/sizes.txt"
}

# why PROFILE: the first reason the build of a profile gave for failing.
why() {
    local p=$1 line
    if [ -f "$build/$p/check.failed" ]; then
        echo "check_config.h: $(cat "$build/$p/check.failed")"
        return
    fi
    line=$(grep -m1 -e "/$p/.*error" -e "^mcu-lab: $p: " -e "undefined reference" "$out/make.log" |
        sed "s|$build/||g; s|$top/||g" || true)
    for f in "$build/$p/arm/both/run.txt.out" "$build/$p/host/both/run.txt.out"; do
        [ -z "$line" ] && [ -f "$f" ] && line=$(grep -m1 -e '^error' -e '^mcu:' "$f" || true)
    done
    echo "${line:-the build failed (see make.log)}"
}

# entry NAME LABEL FILE...: a benchmark entry from "NAME VALUE" lines.
entry() {
    local name=$1 label=$2 real=$3 cpu=$4
    shift 4
    cat "$@" | jq -R -n --arg name "$name" --arg lbl "$label" --argjson real "$real" --argjson cpu "$cpu" '
        [inputs | split(" ") | {(.[0]): (.[1] | tonumber)}] | add
        | {name: $name, run_name: $name, run_type: "iteration", repetitions: 1, repetition_index: 0,
           threads: 1, iterations: 1, real_time: $real, cpu_time: $cpu, time_unit: "us"} + . + {"label": $lbl}'
}

# failed_entry NAME WHY: a benchmark entry for a profile that failed.
failed_entry() {
    jq -n --arg name "$1" --arg why "$2" '{name: $name, run_name: $name, run_type: "iteration", repetitions: 1,
        threads: 1, iterations: 0, real_time: 0, cpu_time: 0, time_unit: "us", error_occurred: true,
        error_message: $why}'
}

entries="$out/entries.json"
: >"$entries"
failed=()
measured=()
tmp="$out/.collect"
mkdir -p "$tmp"
for p in "${profiles[@]}"; do
    arm_run="$build/$p/arm/both/run.txt"
    count_run="$build/$p/arm/both/count.txt"
    host_run="$build/$p/host/both/run.txt"
    summary=$(sed -n "s/^#define MCU_PROFILE_SUMMARY *\"\(.*\)\"/\1/p" "$profile_dir/$p.h")
    problem=
    if [ ! -f "$arm_run" ] || ! grep -q '^mcu-lab: handshake complete' "$arm_run" ||
        [ ! -f "$count_run" ] || ! grep -q '^mcu-lab: handshake complete' "$count_run"; then
        problem=$(why "$p")
    else
        expected=$(value "$count_run" icount_check_expected)
        got=$(value "$count_run" icount_check_measured)
        if [ -z "$got" ] || [ $((got - expected)) -lt 0 ] || [ $((got - expected)) -gt 200 ]; then
            problem="the instruction counter is off: a loop of $expected instructions measured ${got:-nothing} (qemu without -icount shift=6?)"
        elif ! cmp -s <(figures "$arm_run" | grep -E '^(bytes_c2s|bytes_s2c|flights) ') \
            <(figures "$count_run" | grep -E '^(bytes_c2s|bytes_s2c|flights) '); then
            problem="the images with and without the heap meter made different handshakes (bytes or flights differ)"
        fi
    fi
    if [ -z "$problem" ] && [ "$parts" = full ] && { [ ! -f "$host_run" ] || ! grep -q '^mcu-lab: handshake complete' "$host_run"; }; then
        problem="host: $(why "$p")"
    fi
    if [ -n "$problem" ]; then
        echo "mcu-lab: $p FAILED: $problem" >&2
        failed+=("$p")
        failed_entry "mcu/$p/cortex-m4" "$problem" >>"$entries"
        continue
    fi
    measured+=("$p")
    # The board: heap and stack from the metered image, instructions from
    # the same objects linked without the meter (the metered counts are
    # kept as *_instructions_metered), the sizes of the three images.
    figures "$arm_run" | grep -v '^icount_check_' |
        sed 's/^\(client\|server\)_instructions /&metered /; s/_instructions metered /_instructions_metered /
             s/^\(arena_high_water\|arena_size\|program_stack\|stack_region\|allocations\|contexts\|total_peak_heap\) /mcu_&/' \
        >"$tmp/arm"
    figures "$count_run" | grep -E '^((client|server)_instructions|icount_check_[a-z]+) ' |
        sed 's/^icount_check_/mcu_icount_check_/' >>"$tmp/arm"
    part_sizes "$build/$p/arm/both" mcu >"$tmp/sizes"
    if [ "$parts" = full ]; then
        part_sizes "$build/$p/arm/client" client >>"$tmp/sizes"
        part_sizes "$build/$p/arm/server" server >>"$tmp/sizes"
    fi
    entry "mcu/$p/cortex-m4" "$summary" 0 0 "$tmp/arm" "$tmp/sizes" >>"$entries"
    if [ "$parts" = full ]; then
        # The host: CPU time in microseconds, like the benchmarks.
        figures "$host_run" | awk '
            /_cpu_ns(_min)? / { sub(/_ns/, "_us", $1); printf "%s %.1f\n", $1, $2 / 1000; next }
            /^wall_ns / { next }
            /^(contexts|total_peak_heap|handshakes) / { print "mcu_" $0; next }
            { print }' >"$tmp/host"
        cpu=$(awk '$1 == "client_cpu_us" || $1 == "server_cpu_us" { t += $2 } END { printf "%.1f", t }' "$tmp/host")
        wall=$(awk '$1 == "wall_ns" { printf "%.1f", $2 / 1000 }' <(figures "$host_run"))
        entry "mcu/$p/host" "$summary" "$wall" "$cpu" "$tmp/host" >>"$entries"
    fi
done
rm -rf "$tmp"

# --- The JSON file ----------------------------------------------------------------

version=$(sed -n 's/^#define MBEDTLS_VERSION_STRING_FULL *"\(.*\)"/\1/p' "$MBEDTLS_SRC/include/mbedtls/build_info.h")
debian=$(sed -n '1s/^mbedtls (\([^)]*\)).*/\1/p' "$MBEDTLS_SRC/debian/changelog" 2>/dev/null || true)
arm_cc_version=$("${arm_prefix}gcc" -dumpfullversion 2>/dev/null || "${arm_prefix}gcc" -dumpversion)
host_cc_version=$("$host_cc" -dumpfullversion 2>/dev/null || "$host_cc" -dumpversion 2>/dev/null || echo "?")
qemu_version=$("$qemu" --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')
host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | sed -n 1p)
jq -n --slurpfile benchmarks "$entries" \
    --arg date "$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" --arg host "$(uname -n)" \
    --argjson cpus "$(nproc 2>/dev/null || echo 1)" \
    --argjson load "$(awk '{ printf "[%s, %s, %s]", $1, $2, $3 }' /proc/loadavg 2>/dev/null || echo '[]')" \
    --arg version "$version${debian:+ (Debian source package $debian)}" \
    --arg compiler "arm-none-eabi-gcc $arm_cc_version / $host_cc $host_cc_version" \
    --arg flags "board: -mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections, newlib-nano, --gc-sections; host: -O2" \
    --arg cpu "Cortex-M4 (qemu-system-arm $qemu_version -M mps2-an386 -icount shift=6); host: ${host_cpu:-?}" \
    --arg qemu "$qemu_version" --arg parts "$parts" --arg lab_time "$lab_time" \
    --argjson seconds "$elapsed" --arg profiles "${measured[*]}" --arg failed "${failed[*]}" '
    {context: {date: $date, host_name: $host, executable: "mcu/lab.sh", num_cpus: $cpus, mhz_per_cpu: 0,
       cpu_scaling_enabled: false, caches: [], load_avg: $load, library_build_type: "release",
       build_flags: $flags, compiler: $compiler, cpu_model: $cpu, mbedtls_version: $version,
       qemu_version: $qemu, icount_shift: "6", group: "secp256r1 (ECDHE profiles)", transport: "memory",
       heap_accounting: "board: MBEDTLS_MEMORY_BUFFER_ALLOC_C arena, --wrap=mbedtls_calloc,mbedtls_free; host: --wrap=calloc,free",
       entropy: "fixed TEST source (mcu/test_entropy.c): the handshakes repeat exactly",
       time_note: "cortex-m4 entries carry no time (0): their cost is client_instructions and server_instructions; host times are CPU medians of 21 handshakes",
       lab_parts: $parts, lab_time: $lab_time, lab_seconds: $seconds,
       profiles: $profiles, profiles_failed: (if $failed == "" then "none" else $failed end)},
     benchmarks: $benchmarks}' >"$out/lab.json"
rm -f "$entries"

bash "$top/mcu/report.sh" "$out/lab.json" "$out/report" >&2
cat "$out/report/summary.md"
echo
echo "mcu-lab: ${#measured[@]} profile(s) measured, ${#failed[@]} failed, in ${elapsed} s; $out/lab.json, $out/report/report.md" >&2
if [ ${#failed[@]} -gt 0 ]; then
    echo "mcu-lab: failed: ${failed[*]}" >&2
    exit 1
fi
[ "$status" -eq 0 ] || { echo "mcu-lab: make reported errors (see $out/make.log)" >&2; exit 1; }
