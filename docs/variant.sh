#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# docs/variant.sh SOURCE.c OUT.c SED-SCRIPT: the change an exercise asks the
# reader to make to a lesson, made to a copy of the lesson source, so that
# the solution on the page is a run of the lesson rebuilt with it (see
# docs/local.mk). Fails, saying so, when the change no longer applies to
# the source (the lesson changed and the exercise must follow).
set -u
src=${1:?usage: variant.sh SOURCE.c OUT.c SED-SCRIPT}
out=${2:?usage: variant.sh SOURCE.c OUT.c SED-SCRIPT}
script=${3:?usage: variant.sh SOURCE.c OUT.c SED-SCRIPT}

mkdir -p "$(dirname "$out")" || exit 1
sed -e "$script" "$src" >"$out.tmp" || { rm -f "$out.tmp"; exit 1; }
if cmp -s "$src" "$out.tmp"; then
    echo "variant.sh: '$script' changes nothing in $src: update the exercise" >&2
    rm -f "$out.tmp"
    exit 1
fi
mv "$out.tmp" "$out"
