# shellcheck shell=sh
# SPDX-License-Identifier: Apache-2.0
#
# The command-line checks run-fuzzer.sh and run-fuzzers.sh share (sourced by both). Each script sets
# USAGE (its arguments, for the usage line) before sourcing this file; every check that fails says
# why on one line, then prints the usage line and exits with status 2.

usage() {
    echo "usage: $0 $USAGE" >&2
    exit 2
}

# need_args MIN COUNT: at least MIN arguments were given.
need_args() {
    [ "$2" -ge "$1" ] || usage
}

# need_number NAME VALUE whole|positive: VALUE is a whole number (positive: and not 0).
need_number() {
    case $2 in
    '' | *[!0-9]*) ;;
    *) if [ "$3" = whole ] || [ "$2" -ne 0 ]; then return 0; fi ;;
    esac
    echo "$0: $1 must be a $3 number, got '$2'" >&2
    usage
}

# need_dir DIR: DIR is a directory.
need_dir() {
    [ -d "$1" ] || { echo "$0: not a directory: $1" >&2; usage; }
}

# need_executable FILE: FILE can be run.
need_executable() {
    [ -x "$1" ] || { echo "$0: not an executable: $1" >&2; usage; }
}
