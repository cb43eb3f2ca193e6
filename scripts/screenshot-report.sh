#!/usr/bin/env bash
# Screenshot a TokenScope report with headless Chromium, failing if the page logs console errors.
#
# Usage: scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH [HEIGHT]]
#   WIDTH defaults to 1280, HEIGHT to 9000 (a tall window: headless Chromium captures only the window).
#   CHROMIUM=/path/to/chrome overrides the browser found on PATH.
#
# Exit status: 0 on success; 1 on console errors, external resources, a failed load or a missing screenshot;
# 2 on bad arguments or when no Chromium is installed.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 REPORT.html OUT.png [WIDTH [HEIGHT]]" >&2
    exit 2
fi
report=$1
out=$2
width=${3:-1280}
height=${4:-9000}

if [[ ! -f "$report" ]]; then
    echo "screenshot-report.sh: no such file: $report" >&2
    exit 2
fi

chrome=${CHROMIUM:-}
if [[ -n "$chrome" ]] && ! command -v "$chrome" >/dev/null 2>&1 && [[ ! -x "$chrome" ]]; then
    echo "screenshot-report.sh: CHROMIUM=$chrome is not an executable" >&2
    exit 2
fi
if [[ -z "$chrome" ]]; then
    for candidate in chromium chromium-browser google-chrome google-chrome-stable \
        "/Applications/Chromium.app/Contents/MacOS/Chromium" \
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
        if command -v "$candidate" >/dev/null 2>&1 || [[ -x "$candidate" ]]; then
            chrome=$candidate
            break
        fi
    done
fi
if [[ -z "$chrome" ]]; then
    echo "screenshot-report.sh: Chromium is not installed." >&2
    echo "  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium" >&2
    echo "  macOS: install Google Chrome or Chromium, or set CHROMIUM=/path/to/binary" >&2
    exit 2
fi

abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
log=$(mktemp)
dom=$(mktemp)
trap 'rm -f "$log" "$dom"' EXIT

# --no-sandbox: containers and root shells have no user namespaces; the page is a local file.
flags=(--headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check
       --disable-extensions --enable-logging=stderr --v=0 --window-size="$width,$height")

rm -f "$out"
"$chrome" "${flags[@]}" --screenshot="$out" "file://$abs" 2>"$log" >/dev/null || true
"$chrome" "${flags[@]}" --dump-dom "file://$abs" 2>>"$log" >"$dom" || true

status=0
# Self-contained: no external scripts, style sheets, images, fonts or imports (links for readers are fine).
external='<script[^>]*src=|<link[^>]*href="(https?:)?//|src="(https?:)?//|url\((["'"'"'])?(https?:)?//|@import'
if grep -Eo "$external" "$report" >/dev/null; then
    echo "screenshot-report.sh: the report loads external resources:" >&2
    grep -Eo "$external" "$report" | sort | uniq -c >&2
    status=1
fi
# Console messages from the page (uncaught exceptions, console.error) and resources it failed to load.
if grep -E 'CONSOLE|Uncaught|Failed to load resource|Refused to' "$log" >/dev/null; then
    echo "screenshot-report.sh: the page logged errors:" >&2
    grep -E 'CONSOLE|Uncaught|Failed to load resource|Refused to' "$log" >&2
    status=1
fi
if ! grep -q '</html>' "$dom" || ! grep -q '<svg' "$dom"; then
    echo "screenshot-report.sh: the DOM dump has no </html> or no <svg>: the page did not load as expected" >&2
    status=1
fi
if [[ ! -s "$out" ]]; then
    echo "screenshot-report.sh: Chromium wrote no screenshot; its log:" >&2
    cat "$log" >&2
    status=1
fi
if [[ $status -eq 0 ]]; then
    echo "wrote $out (${width}x${height}) from $report"
fi
exit $status
