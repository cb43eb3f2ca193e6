#!/usr/bin/env bash
# Builds the library's DocC catalog (Sources/TokenScope/TokenScope.docc) against the symbols of the
# debug build and fails when a link in it does not resolve. The HTML goes to OUT (default: a
# temporary folder); `docc preview` on the catalog serves the same pages.
#
# usage: scripts/check-docs.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)/TokenScope.doccarchive}
swift build --target TokenScope >&2
bin=$(swift build --show-bin-path)
symbols=$(mktemp -d)
target=$(swift -print-target-info | python3 -c 'import json,sys; print(json.load(sys.stdin)["target"]["triple"])')
swift symbolgraph-extract -module-name TokenScope -target "$target" -I "$bin/Modules" -I "$bin" \
    -I Sources/CKernels/include -I Sources/CSHA256/include -output-dir "$symbols"
log=$(mktemp)
docc convert Sources/TokenScope/TokenScope.docc --additional-symbol-graph-dir "$symbols" \
    --fallback-display-name TokenScope --fallback-bundle-identifier org.tokenscope --output-path "$out" >"$log" 2>&1
# Undocumented parameters are reported too; only links that point nowhere fail the check.
if grep -E "doesn't exist|Can't resolve|No symbol matched|error:" "$log"; then exit 1; fi
echo "documentation: $out"
