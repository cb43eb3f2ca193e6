#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (release, AddressSanitizer) and runs one.
#
#   scripts/fuzz.sh TARGET [ITERATIONS] [extra libFuzzer flags…]
#   scripts/fuzz.sh FuzzGGUF 1000000 -max_total_time=600
#
# TARGET is FuzzSafeTensors, FuzzGGUF, FuzzJSON or FuzzTokenizer. The committed seeds in Fuzz/Corpus/TARGET are
# copied into a scratch corpus (Fuzz/.build/corpus/TARGET) that grows as libFuzzer finds new
# paths; crashes are written to Fuzz/.build/crashes/. Needs a Swift toolchain with libFuzzer
# (Linux: the swift.org toolchains; macOS: a swift.org toolchain, not Xcode's).
set -euo pipefail
target=${1:?usage: scripts/fuzz.sh TARGET [ITERATIONS] [libFuzzer flags]}
runs=${2:-1000000}
shift $(( $# >= 2 ? 2 : 1 ))
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# --sanitize instruments only the Fuzz package's own targets; the readers under test live in the
# main package, a dependency, so the coverage and ASan flags are passed to every module as well.
flags=(-c release --sanitize=fuzzer --sanitize=address --package-path Fuzz
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address)
swift build "${flags[@]}" --product "$target"
bin=$(swift build "${flags[@]}" --show-bin-path)/$target
corpus=Fuzz/.build/corpus/$target
mkdir -p "$corpus" Fuzz/.build/crashes
cp -n Fuzz/Corpus/"$target"/* "$corpus"/ 2>/dev/null || true
# -rss_limit_mb: a parser that allocates from an unchecked length shows up as an OOM finding.
exec "$bin" "$corpus" -runs="$runs" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix=Fuzz/.build/crashes/"$target"- "$@"
