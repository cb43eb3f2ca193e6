#!/usr/bin/env python3
"""Regenerates the Unigram fixtures and golden vectors of Tests/TokenizersTests/Fixtures.

Reference versions (pip install tokenizers==0.23.3 sentencepiece==0.2.3 protobuf transformers==5.24.0):
- Hugging Face `tokenizers` 0.23.3: UnigramTrainer, encode/decode, SentencePieceUnigramTokenizer.from_spm;
- `sentencepiece` 0.2.3: trains SentencePiece models offline (their Precompiled charsmaps are real:
  nmt_nfkc, nfkc_cf);
- `transformers` 5.24.0: TokenizersBackend.from_pretrained on a model directory that has only
  `tokenizer.model` (SpmConverter.build_tokenizer_from_spm_proto plus unk/bos/eos as special tokens).
Run from the package root:  python3 scripts/golden/make_unigram_goldens.py

Fixtures (each NAME.tokenizer.json has NAME.golden.json, the format of make_tokenizer_goldens.py):
- unigram: HF-trained Unigram, NFKC, Metaspace (always), added tokens;
- unigram-bytefallback: the same vocabulary plus <0xHH> pieces, byte_fallback, Metaspace "first"
  with split false, the Llama 2 decoder chain;
- spm-unigram: SentencePiece unigram (nmt_nfkc) converted by tokenizers' from_spm;
- spm-unigram-nfkccf: SentencePiece unigram (nfkc_cf, byte_fallback) converted by transformers,
  its .model kept as spm-unigram-nfkccf.model;
- spm-bpe: SentencePiece BPE (identity rules, byte_fallback) converted by transformers, its .model
  kept as spm-bpe.model.
The .model files let the Swift tests check that a directory with only tokenizer.model builds the
tokenizer the converter builds.
"""
import json
import os
import shutil
import sys
import tempfile

import sentencepiece
import tokenizers
import transformers
from sentencepiece import sentencepiece_model_pb2
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

VERSIONS = {"tokenizers": "0.23.3", "sentencepiece": "0.2.3", "transformers": "5.24.0"}
for name, module in [("tokenizers", tokenizers), ("sentencepiece", sentencepiece), ("transformers", transformers)]:
    if module.__version__ != VERSIONS[name]:
        sys.exit(f"need {name}=={VERSIONS[name]}, found {module.__version__}")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_tokenizer_goldens as base  # noqa: E402  (the corpus, the test texts, the golden writer)

from transformers import TokenizersBackend  # noqa: E402

OUT = base.OUT
base.HEADER.update({"generator": "scripts/golden/make_unigram_goldens.py",
                    "reference": "tokenizers 0.23.3, sentencepiece 0.2.3, transformers 5.24.0"})

INPUTS = base.TEST_INPUTS + [
    "<s>Hi</s> <unk> x<mask>y", "\u2581\u2581lead and \u2581 inside", "ｶﾀｶﾅ ＡＢＣ １２３ ㍿ ﬃ", "\r\n\r\n tabs\t\tend",
    "Ⅻ ⁵ ℌ ǅ µ", "unknown: ☃ 𝔘 ⨌ 🜲 and \U0010fffd",
]


def save(tok, name):
    path = os.path.join(OUT, name + ".tokenizer.json")
    tok.save(path)
    return Tokenizer.from_file(path)


def train_spm(name, model_type, vocab_size, coverage=1.0, **options):
    """A SentencePiece model trained on the corpus, written to a temporary .model path."""
    path = os.path.join(OUT, name + ".model")
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(base.CORPUS), model_prefix=path[:-len(".model")], model_type=model_type,
        vocab_size=vocab_size, hard_vocab_limit=False, character_coverage=coverage, num_threads=1,
        minloglevel=2, **options)
    os.remove(path[:-len(".model")] + ".vocab")
    return path


def from_transformers(model_path):
    """The tokenizer transformers builds for a directory that has only this file as tokenizer.model
    (TokenizersBackend.from_pretrained: SpmConverter.build_tokenizer_from_spm_proto, then the
    unk/bos/eos pieces as special added tokens)."""
    with tempfile.TemporaryDirectory() as directory:
        shutil.copy(model_path, os.path.join(directory, "tokenizer.model"))
        return TokenizersBackend.from_pretrained(directory).backend_tokenizer


def main():
    fixtures = {}

    # (1) Trained by tokenizers' UnigramTrainer.
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.train_from_iterator(base.CORPUS, trainers.UnigramTrainer(
        vocab_size=500, special_tokens=["<unk>", "<s>", "</s>"], unk_token="<unk>", show_progress=False))
    tok.add_tokens([AddedToken("<mask>", special=True, normalized=False), AddedToken("wörld", normalized=True)])
    fixtures["unigram"] = save(tok, "unigram")

    # (2) The same pieces with byte fallback (the reference fails an encode that needs a missing unk_id).
    j = json.loads(fixtures["unigram"].to_str())
    lowest = min(score for _, score in j["model"]["vocab"])
    j["model"]["vocab"] += [[f"<0x{b:02X}>", lowest - 1.0] for b in range(256)]
    j["model"]["byte_fallback"] = True
    j["pre_tokenizer"] = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False}
    j["decoder"] = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "}, {"type": "ByteFallback"},
        {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    fixtures["unigram-bytefallback"] = save(Tokenizer.from_str(json.dumps(j)), "unigram-bytefallback")

    # (3) SentencePiece unigram with its default nmt_nfkc rules, converted by tokenizers.
    path = train_spm("spm-unigram", "unigram", 600, normalization_rule_name="nmt_nfkc")
    sys.modules["sentencepiece_model_pb2"] = sentencepiece_model_pb2
    fixtures["spm-unigram"] = save(tokenizers.SentencePieceUnigramTokenizer.from_spm(path), "spm-unigram")
    os.remove(path)

    # (4) SentencePiece unigram (nfkc_cf, byte fallback), converted by transformers; .model kept.
    path = train_spm("spm-unigram-nfkccf", "unigram", 700, coverage=0.99, normalization_rule_name="nfkc_cf", byte_fallback=True,
                     user_defined_symbols=["<mask>"])
    fixtures["spm-unigram-nfkccf"] = save(from_transformers(path), "spm-unigram-nfkccf")

    # (5) SentencePiece BPE (identity rules, byte fallback), converted by transformers; .model kept.
    path = train_spm("spm-bpe", "bpe", 700, coverage=0.99, normalization_rule_name="identity", byte_fallback=True)
    fixtures["spm-bpe"] = save(from_transformers(path), "spm-bpe")

    for name, t in fixtures.items():
        base.write_golden(name, t, INPUTS)
        print(name, t.get_vocab_size(with_added_tokens=True), "ids,",
              os.path.getsize(os.path.join(OUT, name + ".tokenizer.json")), "bytes")


if __name__ == "__main__":
    main()
