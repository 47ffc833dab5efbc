#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# docs/screenshot.sh [--check] CHROMIUM HTMLDIR OUTDIR: the site in a real
# browser (headless Chromium).
#
# 1. The layout check, on every page of HTMLDIR (or those DOCS_CHECK_PAGES
#    names) at each width of DOCS_CHECK_WIDTHS (default "1280 1920 400"):
#    a scratch copy of the site
#    gets docs/layout-probe.js added to each page, a harness page opens the
#    pages one after the other in a frame of that width, and each probe
#    reports how the page was laid out once it had finished loading and its
#    navigation tree had filled in. A page fails when
#      - it is wider than the viewport (the whole page scrolls sideways);
#      - its sidebar is shown but empty;
#      - a sidebar title runs past the sidebar's edge;
#      - at 1280 px or more, a code or transcript box must be scrolled
#        sideways to be read.
#    Tables that scroll in their own box are counted, not failed.
#    OUTDIR/layout.txt gets the probes' lines.
# 2. Without --check, full-length PNGs of every page written from
#    docs/pages/ (the main page, lessons, references) at 1280 px, and of the
#    main page and lesson 05 at 400 and 1920 px, into OUTDIR, each taken
#    after the page and its navigation tree have loaded. A shot is at most
#    15000 px tall (ImageMagick's default limit); the check above measures
#    whole pages whatever their height.
#
# Exit status: 0 all pages pass, 1 a page failed (each failure is one line
# on stderr), 2 usage or setup error, 77 no Chromium (with --check; without
# it the script only says so and exits 0).
set -u

check_only=0
if [ "${1:-}" = --check ]; then
    check_only=1
    shift
fi
chromium=${1:-}
htmldir=${2:?usage: screenshot.sh [--check] CHROMIUM HTMLDIR OUTDIR}
outdir=${3:?usage: screenshot.sh [--check] CHROMIUM HTMLDIR OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
widths=${DOCS_CHECK_WIDTHS:-1280 1920 400}

if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
    echo "docs-screenshot: Chromium not found (apt-get install chromium, then re-run configure); no screenshots"
    [ "$check_only" = 1 ] && exit 77
    exit 0
fi
htmldir=$(cd "$htmldir" && pwd) || exit 2
[ -f "$htmldir/index.html" ] || { echo "docs-screenshot: no $htmldir/index.html" >&2; exit 2; }
mkdir -p "$outdir" || exit 2
outdir=$(cd "$outdir" && pwd) || exit 2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/workshop-chromium.XXXXXX") || exit 2
chromium_pid=
trap '[ -n "$chromium_pid" ] && kill "$chromium_pid" 2>/dev/null; rm -rf "$scratch"' EXIT
trap 'exit 1' INT TERM

# browser ARGS...: one headless Chromium run with a fresh profile, no network
# and no background services, so the page is rendered exactly as the files
# describe it. --virtual-time-budget lets the page load and run its scripts
# (the navigation tree) before the DOM is dumped or the shot taken. Killed
# after DOCS_CHROMIUM_TIMEOUT_S seconds (default 600) if it hangs.
browser() {
    rm -rf "$scratch/profile"
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$scratch/profile" "$@" 2>>"$scratch/chromium.log" &
    chromium_pid=$!
    local waited=0 limit=${DOCS_CHROMIUM_TIMEOUT_S:-600}
    while kill -0 "$chromium_pid" 2>/dev/null; do
        if [ "$waited" -ge $((limit * 10)) ]; then
            kill "$chromium_pid"
            echo "docs-screenshot: Chromium did not finish in $limit s" >&2
            break
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    wait "$chromium_pid"
    local status=$?
    chromium_pid=
    return $status
}

# --- 1. The layout check ---------------------------------------------------------
pages=()
if [ -n "${DOCS_CHECK_PAGES:-}" ]; then
    read -r -a pages <<<"$DOCS_CHECK_PAGES"
else
    for page in "$htmldir"/*.html; do
        pages+=("${page##*/}")
    done
fi
cp -R "$htmldir" "$scratch/site" || exit 2
cp "$here/layout-probe.js" "$scratch/site/workshop-layout-probe.js" || exit 2
for page in "${pages[@]}"; do
    sed -i 's|</body>|<script src="workshop-layout-probe.js"></script></body>|' "$scratch/site/$page"
done
{
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>layout check</title></head>'
    echo '<body style="margin:0"><pre id="results"></pre><script>'
    printf 'var jobs = ['
    for width in $widths; do
        for page in "${pages[@]}"; do
            printf '["%s",%s],' "$page" "$width"
        done
    done
    echo '];'
    cat <<'EOF'
var out = document.getElementById("results"), frame = null, timer = null, current = -1;
function next() {
    if (frame) frame.remove();
    current++;
    if (current >= jobs.length) { out.textContent += "done\n"; return; }
    frame = document.createElement("iframe");
    frame.style.cssText = "border:0;display:block;height:900px;width:" + jobs[current][1] + "px";
    frame.src = jobs[current][0];
    document.body.appendChild(frame);
    var job = jobs[current];
    timer = setTimeout(function () { out.textContent += job[0] + " " + job[1] + " no-answer\n"; next(); }, 20000);
}
window.addEventListener("message", function (e) { clearTimeout(timer); out.textContent += e.data + "\n"; next(); });
next();
</script></body></html>
EOF
} >"$scratch/site/workshop-layout-harness.html"

jobs=$(( ${#pages[@]} * $(echo "$widths" | wc -w) ))
echo "docs-screenshot: checking ${#pages[@]} pages at $widths px"
browser --window-size=2000,1000 --virtual-time-budget=$((jobs * 25000)) \
    --dump-dom "file://$scratch/site/workshop-layout-harness.html" >"$scratch/dom.html"
sed -n '/<pre id="results">/,/<\/pre>/p' "$scratch/dom.html" | sed -e 's/<[^>]*>//g' -e 's/&quot;/"/g' \
    -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | sed '/^$/d' >"$outdir/layout.txt"

status=0
if ! grep -qx "done" "$outdir/layout.txt"; then
    echo "docs-screenshot: the layout check did not finish ($(grep -c . "$outdir/layout.txt") of $jobs pages):" >&2
    tail -n 5 "$scratch/chromium.log" >&2
    status=1
fi
# field LINE NAME: the value of NAME=... in a probe's line.
field() {
    sed -n "s/.* $2=\\([^ ]*\\).*/\\1/p" <<<"$1"
}
while IFS= read -r line; do
    [ "$line" = "done" ] && continue
    read -r page width _ <<<"$line"
    where="$page at $width px"
    if [ "${line#* * }" = no-answer ]; then
        echo "FAIL $where: the page never finished loading" >&2
        status=1
        continue
    fi
    viewport=$(field "$line" viewport)
    wide=$(field "$line" page)
    if [ "$wide" -gt "$viewport" ]; then
        echo "FAIL $where: the page is $wide px wide in a $viewport px viewport: ${line#* | }" >&2
        status=1
    fi
    if [ "$(field "$line" sidebar)" = shown ] && [ "$(field "$line" items)" = 0 ]; then
        echo "FAIL $where: the sidebar is empty" >&2
        status=1
    fi
    if [ "$(field "$line" cut)" != 0 ]; then
        echo "FAIL $where: $(field "$line" cut) sidebar titles are cut: ${line#*cut-title=}" >&2
        status=1
    fi
    if [ "$width" -ge 1280 ] && [ "$(field "$line" boxes)" != 0 ]; then
        echo "FAIL $where: $(field "$line" boxes) code boxes must be scrolled sideways: ${line#*box=}" >&2
        status=1
    fi
done <"$outdir/layout.txt"
checked=$(grep -c ' viewport=' "$outdir/layout.txt")
tables=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^tables=/ && $i != "tables=0") n++ } END { print n + 0 }' \
    "$outdir/layout.txt")
echo "docs-screenshot: $checked page layouts checked (${outdir}/layout.txt); $tables with a table that scrolls in its own box"
[ "$check_only" = 1 ] && exit $status

# --- 2. Screenshots ------------------------------------------------------------------
# height PAGE WIDTH: the page's full height at that width, from the probe.
height() {
    local h
    h=$(awk -v p="$1" -v w="$2" '$1 == p && $2 == w { for (i = 3; i <= NF; i++) if ($i ~ /^height=/) print substr($i, 8) }' \
        "$outdir/layout.txt")
    h=${h:-1600}
    [ "$h" -gt 15000 ] && h=15000
    echo $((h + 40))
}
rm -f "$outdir"/*.png
shots=()
for page in "${pages[@]}"; do
    if [ "$page" = index.html ] || grep -q '<!-- PageDoc -->' "$htmldir/$page"; then
        shots+=("$page 1280")
    fi
done
shots+=("index.html 400" "lesson05.html 400" "index.html 1920" "lesson05.html 1920")
for shot in "${shots[@]}"; do
    read -r page width <<<"$shot"
    [ -f "$htmldir/$page" ] || continue
    png="$outdir/${page%.html}-$width.png"
    if browser --window-size="$width,$(height "$page" "$width")" --virtual-time-budget=10000 \
        --screenshot="$png" "file://$htmldir/$page" >/dev/null && [ -s "$png" ]; then
        echo "docs-screenshot: $png"
    else
        echo "docs-screenshot: Chromium could not render $page at $width px:" >&2
        tail -n 5 "$scratch/chromium.log" >&2
        status=1
    fi
done
exit $status
