#!/usr/bin/env bash
# Runs llama.cpp's tokenizer conformance suite through `tokenscope encode`: every ggml-vocab-NAME.gguf
# must load, and every text of NAME.gguf.inp must encode to the ids on its line of NAME.gguf.out (ids
# from Hugging Face `tokenizers` on the original tokenizer.json, add_special_tokens=False).
# Prints one line per vocabulary and exits non-zero on any refusal or mismatch.
#
# usage: scripts/check-llamacpp-suite.sh [SUITE_DIR] [TOKENSCOPE]
#   SUITE_DIR   default ../llamacpp-vocab; fetched with ../shared/tools/fetch-llamacpp-vocab.sh if absent
#   TOKENSCOPE  default: the release build (.build/release/tokenscope), built if missing
#   VERBOSE=1   also prints each mismatching text with both id lists
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${1:-../llamacpp-vocab}
tool=${2:-.build/release/tokenscope}
if ! ls "$suite"/ggml-vocab-*.gguf >/dev/null 2>&1; then
    bash ../shared/tools/fetch-llamacpp-vocab.sh "$suite"
fi
if [ ! -x "$tool" ]; then swift build -c release --product tokenscope >&2; fi
exec python3 - "$suite" "$tool" <<'EOF'
import glob, os, subprocess, sys, tempfile

suite, tool = sys.argv[1], sys.argv[2]
SEPARATOR = "\n__ggml_vocab_test__\n"
verbose = os.environ.get("VERBOSE") == "1"
failed = False
total_texts = total_match = 0
for gguf in sorted(glob.glob(os.path.join(suite, "ggml-vocab-*.gguf"))):
    name = os.path.basename(gguf)[len("ggml-vocab-"):-len(".gguf")]
    have_texts = os.path.exists(gguf + ".inp") and os.path.exists(gguf + ".out")
    texts, expected = [], []
    if have_texts:
        with open(gguf + ".inp", encoding="utf-8", newline="") as f:
            raw = f.read()
        # The converter writes the separator after every text; the newer files omit the last one.
        texts = raw.split(SEPARATOR)
        if raw.endswith(SEPARATOR):
            texts.pop()
        with open(gguf + ".out", encoding="utf-8", newline="") as f:
            expected = [[int(t) for t in line.split()] for line in f.read().split("\n")[:len(texts)]]
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", suffix=".txt", delete=False) as f:
        # Without texts, one short text checks that the vocabulary loads and encodes.
        f.write(SEPARATOR.join(texts) if texts else "Hello world")
        path = f.name
    try:
        run = subprocess.run([tool, "encode", gguf, "--file", path, "--separator", SEPARATOR],
                             capture_output=True, text=True, encoding="utf-8")
    finally:
        os.unlink(path)
    if run.returncode != 0:
        failed = True
        print(f"{name}: refused: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}")
        continue
    if not have_texts:
        print(f"{name}: loaded (no test texts)")
        continue
    got = [[int(t) for t in line.split()] for line in run.stdout.split("\n")[:len(texts)]]
    match = sum(1 for g, e in zip(got, expected) if g == e)
    total_texts += len(texts)
    total_match += match
    if match != len(texts):
        failed = True
    print(f"{name}: loaded, {match}/{len(texts)} texts match")
    if verbose:
        for k, (g, e) in enumerate(zip(got, expected)):
            if g != e:
                print(f"  text {k} {texts[k]!r}\n    want {e}\n    got  {g}")
print(f"total: {total_match}/{total_texts} texts match")
sys.exit(1 if failed else 0)
EOF
