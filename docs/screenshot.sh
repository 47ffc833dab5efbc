#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# docs/screenshot.sh CHROMIUM HTMLDIR OUTDIR: render the main page and one
# lesson page to PNG with headless Chromium, so a person can look at the site
# without a browser at hand. Does nothing (and says so) without Chromium.
chromium=$1
htmldir=${2:?usage: screenshot.sh CHROMIUM HTMLDIR OUTDIR}
outdir=${3:?usage: screenshot.sh CHROMIUM HTMLDIR OUTDIR}

if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
    echo "docs-screenshot: Chromium not found (apt-get install chromium, then re-run configure); no screenshots"
    exit 0
fi
htmldir=$(cd "$htmldir" && pwd) || exit 2
mkdir -p "$outdir" || exit 2
profile=$(mktemp -d "${TMPDIR:-/tmp}/workshop-chromium.XXXXXX") || exit 2
trap 'rm -rf "$profile"' EXIT

status=0
for page in index lesson05; do
    # A fresh profile, no network, no background services: the page is
    # rendered exactly as the files on disk describe it.
    if "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$profile" --window-size=1280,1600 \
        --screenshot="$outdir/$page.png" "file://$htmldir/$page.html" >"$profile/$page.log" 2>&1 &&
        [ -s "$outdir/$page.png" ]; then
        echo "docs-screenshot: $outdir/$page.png"
    else
        echo "docs-screenshot: Chromium could not render $page.html:" >&2
        tail -n 5 "$profile/$page.log" >&2
        status=1
    fi
done
exit $status
