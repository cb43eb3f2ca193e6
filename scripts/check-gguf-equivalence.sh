#!/usr/bin/env bash
# GGUF ≡ tokenizer.json on a real vocabulary: writes TOKENIZER_JSON as the vocabulary-only GGUF
# llama.cpp's converter writes for a qwen2 vocabulary (scripts/golden/gguf_vocab.py, `gguf` package),
# runs `tokenscope reachability` on both, and checks that every list of the two
# 1.8d_full_vocab_reachability.safetensors files is identical. Exits non-zero on any difference.
#
# usage: scripts/check-gguf-equivalence.sh [TOKENIZER_JSON] [TOKENSCOPE]
#   TOKENIZER_JSON  default ../shared/data/qwen3-tokenizer/tokenizer.json
#   TOKENSCOPE      default: the release build (.build/release/tokenscope), built if missing
# Needs Python with gguf, tokenizers, safetensors and numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
source_json=${1:-../shared/data/qwen3-tokenizer/tokenizer.json}
tool=${2:-.build/release/tokenscope}
if [ ! -x "$tool" ]; then swift build -c release --product tokenscope >&2; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 -c "import sys; sys.path.insert(0, 'scripts/golden'); from gguf_vocab import write_gpt2_vocab_gguf; write_gpt2_vocab_gguf(sys.argv[1], sys.argv[2])" \
    "$source_json" "$work/vocab.gguf"
"$tool" reachability "$source_json" --out "$work/json" >/dev/null
"$tool" reachability "$work/vocab.gguf" --out "$work/gguf" --json > "$work/gguf.json"
exec python3 - "$work" <<'EOF'
import json, sys
from safetensors.numpy import load_file
work = sys.argv[1]
a = load_file(f"{work}/json/1.8d_full_vocab_reachability.safetensors")
b = load_file(f"{work}/gguf/1.8d_full_vocab_reachability.safetensors")
different = [k for k in sorted(a) if k not in b or a[k].tolist() != b[k].tolist()]
for k in sorted(a):
    print(f"{k}: tokenizer.json {a[k].size}, GGUF {b[k].size if k in b else 'missing'}")
print("GGUF semantics:", json.load(open(f"{work}/gguf.json"))["result"].get("tokenizer_semantics"))
if different:
    sys.exit(f"different: {', '.join(different)}")
print("identical populations")
EOF
