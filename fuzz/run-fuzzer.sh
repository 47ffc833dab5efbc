#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Run one libFuzzer binary for a bounded time, starting from a scratch copy of its seed corpus.
#
#   usage: run-fuzzer.sh BINARY CORPUS_DIR SECONDS [SEEDS_DIR...]
#
# The seed corpus in the source tree is never modified: inputs the fuzzer discovers go to a
# temporary copy that is deleted afterwards (kept with FUZZ_KEEP_CORPUS, below). Further
# SEEDS_DIRs (fresh recordings of this build, say) are read as seeds too, never written.
# Inputs that crash are kept under
# $FUZZ_ARTIFACT_DIR/<binary name>/ (default ./fuzz-artifacts); copy one to tests/data/ and replay
# it from a unit test so the bug stays fixed.
#
# Exit status: 0 no crash, 1 the fuzzer found a crash (or failed to run), 2 usage error.
# This script builds nothing: `make fuzz` builds the binaries, then calls it.
set -eu

USAGE="BINARY CORPUS_DIR SECONDS [SEEDS_DIR...]"
# shellcheck source=fuzz-args.sh
. "$(dirname "$0")/fuzz-args.sh"

need_args 3 $#
binary=$1
corpus=$2
seconds=$3
shift 3
for seeds in "$@"; do
    need_dir "$seeds"
done
need_number SECONDS "$seconds" whole
need_executable "$binary"
need_dir "$corpus"

name=$(basename "$binary")
artifacts=${FUZZ_ARTIFACT_DIR:-fuzz-artifacts}/$name
mkdir -p "$artifacts"

# With FUZZ_KEEP_CORPUS=DIR the corpus the run grows is kept in DIR/<binary name> (for a
# coverage report, say) instead of a temporary directory.
if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
    scratch=$FUZZ_KEEP_CORPUS/$name
    mkdir -p "$scratch"
else
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/$name-corpus.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
fi
cp -R "$corpus"/. "$scratch"/

echo "  . Fuzzing $name for $seconds s, seeds from $corpus${1:+ and $*}..."
status=0
"$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$scratch" "$@" || status=$?

if [ "$status" -ne 0 ]; then
    echo "  . Fuzzing $name failed (exit status $status); inputs that crash it:" >&2
    ls -l "$artifacts" >&2
    exit 1
fi
echo "  . Fuzzing $name ok: no crash in $seconds s"
