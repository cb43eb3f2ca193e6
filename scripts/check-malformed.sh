#!/usr/bin/env bash
# Runs every file of the malformed-input corpus through the tokenscope command and checks that each
# gets exit status 1, exactly one line on stderr, and leaves no output file.
#
#   scripts/check-malformed.sh                 # release build
#   scripts/check-malformed.sh --asan          # AddressSanitizer build (scratch path .build-asan)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = "--asan" ]; then
    flags=(--sanitize=address --scratch-path .build-asan)
else
    flags=(-c release)
fi
swift build "${flags[@]}" --product tokenscope >/dev/null || exit 2
bin=$(swift build "${flags[@]}" --show-bin-path)/tokenscope
corpus=Tests/TensorFormatsTests/Fixtures/malformed
out=$(mktemp -d)
failures=0 total=0
for file in "$corpus"/*; do
    case "$file" in
        *.json) command=(reachability "$file" --out "$out/o") ;;
        *) command=(clusters "$file" --out "$out/o") ;;
    esac
    total=$((total + 1))
    "$bin" "${command[@]}" >/dev/null 2>"$out/err"
    status=$?
    lines=$(wc -l < "$out/err")
    if [ "$status" -ne 1 ] || [ "$lines" -ne 1 ] || [ -e "$out/o" ] && [ -n "$(ls -A "$out/o" 2>/dev/null)" ]; then
        failures=$((failures + 1))
        echo "FAIL $(basename "$file"): exit $status, $lines stderr lines: $(head -c 300 "$out/err")"
    else
        echo "ok   $(basename "$file"): $(cat "$out/err")"
    fi
    rm -rf "$out/o"
done
rm -rf "$out"
echo "$((total - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
