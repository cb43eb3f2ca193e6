#!/usr/bin/env python3
"""Writes the GGUF vocabulary fixtures of Tests/TokenScopeTests/Fixtures/gguf-vocab/.

    python3 scripts/golden/make_gguf_vocab_fixtures.py [SUITE_DIR]     (default ../llamacpp-vocab)

Reference versions (pip install gguf==0.19.0 tokenizers==0.23.3 sentencepiece==0.2.3 protobuf):
- llama.cpp's tokenizer suite (llama-cpp-python 0.3.36's vendored models/, fetched by
  ../shared/tools/fetch-llamacpp-vocab.sh): ggml-vocab-bert-bge.gguf and ggml-vocab-llama-spm.gguf
  copied with their .inp texts and .out ids (Hugging Face tokenizers on the original tokenizer.json);
- unigram.gguf: Tests/TokenizersTests/Fixtures/spm-unigram-nfkccf.model written as llama.cpp's T5
  converter writes a SentencePiece Unigram vocabulary (tokens, scores, token types, precompiled
  charsmap, add_space_prefix, remove_extra_whitespaces); its reference ids are that fixture's
  golden (spm-unigram-nfkccf.golden.json, transformers' converter of the same .model);
- qwen-nfc.tokenizer.json and qwen-nfc.gguf: a reduced Qwen3 vocabulary (../shared/data/qwen3-tokenizer)
  holding the first 1,500 merges and 40 tokens that NFC changes (CJK compatibility ideographs,
  Greek with oxia, ...) with the merges that build them, as tokenizer.json (NFC normalizer) and as
  the GGUF llama.cpp's converter writes (gguf_vocab.py): the two must give the same reachability.
"""
import json
import os
import shutil
import sys
import unicodedata

import gguf
import sentencepiece
import tokenizers
from sentencepiece import sentencepiece_model_pb2
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_vocab import write_gpt2_vocab_gguf  # noqa: E402

VERSIONS = {"gguf": "0.19.0", "tokenizers": "0.23.3", "sentencepiece": "0.2.3"}
from importlib.metadata import version  # noqa: E402
for name, expected in VERSIONS.items():
    if version(name) != expected:
        sys.exit(f"need {name}=={expected}, found {version(name)}")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "Tests", "TokenScopeTests", "Fixtures", "gguf-vocab")
SUITE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "llamacpp-vocab")
os.makedirs(OUT, exist_ok=True)

# --- suite vocabularies under 1 MB, with their texts and reference ids ---
for name in ["bert-bge", "llama-spm"]:
    for ext in ["", ".inp", ".out"]:
        shutil.copyfile(os.path.join(SUITE, f"ggml-vocab-{name}.gguf{ext}"), os.path.join(OUT, f"ggml-vocab-{name}.gguf{ext}"))

# --- a SentencePiece Unigram model as llama.cpp's T5 converter writes it ---
proto = sentencepiece_model_pb2.ModelProto()
with open(os.path.join(ROOT, "Tests", "TokenizersTests", "Fixtures", "spm-unigram-nfkccf.model"), "rb") as f:
    proto.ParseFromString(f.read())
w = gguf.GGUFWriter(os.path.join(OUT, "unigram.gguf"), "t5")
w.add_tokenizer_model("t5")
w.add_token_list([p.piece for p in proto.pieces])
w.add_token_scores([p.score for p in proto.pieces])
w.add_token_types([p.type for p in proto.pieces])  # SentencePiece's types are llama.cpp's numbering
w.add_add_space_prefix(proto.normalizer_spec.add_dummy_prefix)
w.add_remove_extra_whitespaces(proto.normalizer_spec.remove_extra_whitespaces)
w.add_precompiled_charsmap(proto.normalizer_spec.precompiled_charsmap)
w.add_unk_token_id(proto.trainer_spec.unk_id)
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()

# --- a reduced Qwen3 vocabulary with the tokens NFC changes ---
QWEN = os.path.join(ROOT, "..", "shared", "data", "qwen3-tokenizer", "tokenizer.json")
with open(QWEN, encoding="utf-8") as f:
    doc = json.load(f)
qwen = Tokenizer.from_file(QWEN)
vocab = doc["model"]["vocab"]
merges = [m if isinstance(m, list) else m.split(" ") for m in doc["model"]["merges"]]
made_by = {}
for left, right in merges:
    made_by.setdefault(left + right, (left, right))
keep = set()


def include(token):
    if token in keep:
        return
    keep.add(token)
    if token in made_by:
        for part in made_by[token]:
            include(part)


for token, i in vocab.items():
    if len(token) == 1:
        include(token)  # the byte alphabet
for left, right in merges[:1500]:
    include(left + right)
changed = [t for t, i in sorted(vocab.items(), key=lambda kv: kv[1])
           if (s := qwen.decode([i])) and "\ufffd" not in s and unicodedata.normalize("NFC", s) != s]
for token in changed[:40]:
    include(token)
    # The NFC form's tokens, so that the normalised text encodes to something short.
    for i in qwen.encode(unicodedata.normalize("NFC", qwen.decode([vocab[token]])), add_special_tokens=False).ids:
        include(qwen.id_to_token(i))
kept = sorted(keep, key=lambda t: vocab[t])
new_id = {t: k for k, t in enumerate(kept)}
doc["model"]["vocab"] = new_id
doc["model"]["merges"] = [[l, r] for l, r in merges if l in new_id and r in new_id and l + r in new_id]
wanted = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
doc["added_tokens"] = [dict(a, id=len(kept) + k) for k, a in
                       enumerate(a for c in wanted for a in doc["added_tokens"] if a["content"] == c)]
doc["post_processor"] = None
path = os.path.join(OUT, "qwen-nfc.tokenizer.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False)
    f.write("\n")
write_gpt2_vocab_gguf(path, os.path.join(OUT, "qwen-nfc.gguf"), pre="qwen2")
reduced = Tokenizer.from_file(path)
nfc_changed = sum(1 for i in range(reduced.get_vocab_size()) if (s := reduced.decode([i])) and unicodedata.normalize("NFC", s) != s)

with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
    f.write("# GGUF vocabulary fixtures\n\nGenerated by `scripts/golden/make_gguf_vocab_fixtures.py` with "
            f"gguf-py {version('gguf')}, tokenizers {tokenizers.__version__}, "
            f"sentencepiece {sentencepiece.__version__}; see the script for what each file holds. "
            "The ggml-vocab-* files are llama.cpp's (MIT licence), copied unchanged. "
            f"qwen-nfc: {len(kept)} model tokens, {len(doc['model']['merges'])} merges, {nfc_changed} tokens that NFC changes. "
            "Do not edit by hand: rerun the script.\n")
print(f"qwen-nfc: {len(kept)} tokens, {len(doc['model']['merges'])} merges, {nfc_changed} changed by NFC")
