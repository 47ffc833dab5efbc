# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# bench/report-lib.sh: the start that bench/report.sh and mcu/report.sh
# share, sourced by both (not run on its own).
#
#   report_begin INPUT_NAME SUMMARY_NAME "$@"
#       checks the two arguments (RESULT.json OUTDIR; the usage line calls
#       the first INPUT_NAME), that jq is there and the file readable, makes
#       OUTDIR and sets
#         result   the JSON file
#         out      OUTDIR
#         summary  OUTDIR/SUMMARY_NAME: one row per benchmark, as
#                  bench/normalize.jq flattens the file
#       Exit status on a problem: 1 usage or unreadable file, 2 no jq.
#   report_context_table
#       the report's "## Context" section: the run's context, key by key
#       (without the CPU caches and the load average).
#
# The jq programs use $ for jq variables, not for the shell:
# shellcheck disable=SC2016

report_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

report_begin() {
    local input_name=$1 summary_name=$2
    shift 2
    [ $# -eq 2 ] || { echo "usage: $0 $input_name OUTDIR" >&2; exit 1; }
    result=$1
    out=$2
    command -v jq >/dev/null || { echo "$0: jq is needed (apt-get install jq)" >&2; exit 2; }
    [ -r "$result" ] || { echo "$0: cannot read $result" >&2; exit 1; }
    mkdir -p "$out"
    summary="$out/$summary_name"
    jq -f "$report_lib_dir/normalize.jq" "$result" >"$summary"
}

report_context_table() {
    echo "## Context"
    echo
    echo "| key | value |"
    echo "|---|---|"
    jq -r '.context | to_entries[] | select(.key != "caches" and .key != "load_avg")
           | "| \(.key) | \(.value | tostring) |"' "$result"
}
