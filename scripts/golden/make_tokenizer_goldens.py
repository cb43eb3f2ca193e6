#!/usr/bin/env python3
"""Regenerates the tokenizer fixtures and golden vectors of Tests/TokenizersTests/Fixtures.

Reference: Hugging Face `tokenizers` == 0.23.3 (pip install tokenizers==0.23.3).
Run from the package root:  python3 scripts/golden/make_tokenizer_goldens.py
It trains small tokenizers of each family on a built-in corpus, writes hand-made variants
exercising added-token flags, Split behaviours, Digits, Punctuation and normalizers, and records
encodings and decodings of a multi-script corpus. With ../shared/data/qwen3-tokenizer/tokenizer.json
present it also records Qwen3 encodings and the whole-vocabulary round trip.

Training may break ties between equally frequent pairs in hash order, so a fixture (the WordPiece
one in particular) can differ from run to run; its goldens are always recorded from the saved file.
"""
import json
import os
import random
import sys
import zlib

import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

REFERENCE_VERSION = "0.23.3"
if tokenizers.__version__ != REFERENCE_VERSION:
    sys.exit(f"need tokenizers=={REFERENCE_VERSION}, found {tokenizers.__version__}")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "TokenizersTests", "Fixtures")
QWEN = os.path.join(os.path.dirname(ROOT), "shared", "data", "qwen3-tokenizer", "tokenizer.json")
HEADER = {"generator": "scripts/golden/make_tokenizer_goldens.py", "reference": f"tokenizers {REFERENCE_VERSION}"}

LLAMA3_PATTERN = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"

# Training corpus: small, multi-script, code-heavy.
CORPUS = [
    "The quick brown fox jumps over the lazy dog. THE QUICK BROWN FOX!",
    "I'M sure you're right, but don't they'll we've he'd she's it's.",
    "def encode(self, text: str) -> list[int]:\n    return [self.vocab[t] for t in text.split()]\n",
    "for (int i = 0; i < n; ++i) { total += values[i] * 2; }\r\n",
    "import numpy as np\nx = np.zeros((3, 4), dtype=np.float32)  # 12 zeros\n\n\n",
    "Le cœur a ses raisons que la raison ne connaît point. Ça va? Élève, naïve, façade.",
    "Der Fluß, die Straße, GROSS und klein; Über Änderungen äußern.",
    "Привет, мир! Как дела? Съешь же ещё этих мягких французских булок.",
    "你好，世界！今天天气很好。我们去公园散步吧。中文分词测试。",
    "こんにちは世界。カタカナとひらがなと漢字。東京タワー。",
    "안녕하세요 세계. 한국어 텍스트입니다.",
    "สวัสดีชาวโลก ภาษาไทยไม่มีช่องว่างระหว่างคำ",
    "مرحبا بالعالم. هذه جملة عربية للاختبار.",
    "שלום עולם. זה משפט בעברית.",
    "नमस्ते दुनिया। यह हिंदी में एक वाक्य है।",
    "Emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️ ✨ and flags 🇫🇷🇯🇵.",
    "Numbers 1234567 3.14159 2024-05-17 ١٢٣ ४५६ ⅫⅣ ½ ² and 0x1F.",
    "Whitespace   runs\t\ttabs\n\n\nnewlines \u00a0nbsp\u3000ideographic",
    "hello world hello there hello again, world of words and worlds.",
    "Tokenization of byte-level BPE: merges, ranks, vocab, and decode().",
] * 3

TEST_INPUTS = [
    "",
    " ",
    "Hello world",
    "Hello  world",
    "hello   world",
    "I'M don't",
    "I'M DON'T they'RE We'Ve x'ſt",
    "a\r\nb",
    "  leading and trailing  ",
    "\n\n\n\tindented\n    code\n\n",
    "1234567 89 3.14159 ٣٤٥ ½",
    "the-final--countdown",
    "Le cœur a ses raisons. Ça va? naïve façade",
    "e\u0301cole vs école, A\u030a vs Å, \u1e9b\u0323 and ﬁ ligature, ①",
    "Привет, мир!",
    "你好，世界！我们去公园散步吧。",
    "こんにちは世界。東京タワー",
    "안녕하세요 세계",
    "สวัสดีชาวโลก",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷",
    "replacement \ufffd char and \u0000 nul and \u200b zwsp",
    "def f(x):\n    return x ** 2  # square\n",
    "if (a && b) { return c->d[0]; } // done\r\n",
    "ΟΔΟΣ Σίσυφος",
    "c€d£e ¿qué? ¡sí! «quote» — dash … ellipsis",
    "Ǆ ǅ ǆ İstanbul ß ẞ",
    "x\u0085y\u2028z",
    "𑤸 (U+11935 U+11930)",
    "a" * 60 + " " + "ab" * 40,
    " " * 40 + "x",
    "old tables: a\u2e42b a\u2e43b a\u0609b a\u1abfb a\U0001e94ab a\u08e2b a\u0890b a\u00adb a\ue000b a\u0378b Straße",
]


def save(tok, name):
    tok.no_padding()
    tok.no_truncation()
    path = os.path.join(OUT, name + ".tokenizer.json")
    tok.save(path)
    return Tokenizer.from_file(path)


def train_bpe(pre, decoder, vocab_size, special, normalizer=None, **model_args):
    tok = Tokenizer(models.BPE(**model_args))
    if normalizer is not None:
        tok.normalizer = normalizer
    if pre is not None:
        tok.pre_tokenizer = pre
    tok.decoder = decoder
    alphabet = pre_tokenizers.ByteLevel.alphabet() if isinstance(decoder, decoders.ByteLevel) else []
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=special, initial_alphabet=alphabet,
                                  show_progress=False)
    tok.train_from_iterator(CORPUS, trainer)
    return tok


def golden_cases_only(tok, inputs):
    cases = []
    for text in inputs:
        ids = tok.encode(text, add_special_tokens=False).ids
        cases.append({"text": text, "ids": ids,
                      "decoded": tok.decode(ids, skip_special_tokens=False),
                      "decoded_skip": tok.decode(ids, skip_special_tokens=True)})
    return cases


def golden_cases(tok, inputs, extra_id_lists=()):
    cases = golden_cases_only(tok, inputs)
    decode_cases = []
    for ids in extra_id_lists:
        decode_cases.append({"ids": ids, "text": tok.decode(ids, skip_special_tokens=False),
                             "text_skip": tok.decode(ids, skip_special_tokens=True)})
    size = tok.get_vocab_size(with_added_tokens=True)
    roundtrip = []
    for i in range(size):
        s = tok.decode([i], skip_special_tokens=False)
        roundtrip.append([s, tok.encode(s, add_special_tokens=False).ids])
    return {"cases": cases, "decode_cases": decode_cases, "vocab_round_trip": roundtrip}


def write_golden(name, tok, inputs=TEST_INPUTS, seed=1):
    rng = random.Random(seed)
    size = tok.get_vocab_size(with_added_tokens=True)
    id_lists = [[rng.randrange(size) for _ in range(rng.randrange(1, 12))] for _ in range(40)]
    data = dict(HEADER)
    data["fixture"] = name + ".tokenizer.json"
    data["vocab_size"] = size
    data.update(golden_cases(tok, inputs, id_lists))
    with open(os.path.join(OUT, name + ".golden.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)


def main():
    os.makedirs(OUT, exist_ok=True)
    fixtures = {}

    # (1) GPT-2 style byte-level BPE.
    gpt2 = train_bpe(pre_tokenizers.ByteLevel(add_prefix_space=False), decoders.ByteLevel(), 1000, ["<|endoftext|>"])
    fixtures["gpt2"] = save(gpt2, "gpt2")

    # (2) Llama-3 style: Split with the Llama 3 regex, ByteLevel without regex, ignore_merges.
    llama3 = train_bpe(pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]),
        decoders.ByteLevel(), 1000, ["<|begin_of_text|>", "<|eot_id|>"], ignore_merges=True)
    fixtures["llama3"] = save(llama3, "llama3")

    # (3) SentencePiece-style BPE with byte fallback, Llama 2 decoder chain.
    byte_tokens = [f"<0x{i:02X}>" for i in range(256)]
    sp = train_bpe(pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False),
                   decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                      decoders.Strip(" ", 1, 0)]),
                   1200, ["<unk>", "<s>", "</s>"] + byte_tokens, unk_token="<unk>", byte_fallback=True, fuse_unk=True)
    path = os.path.join(OUT, "sentencepiece.tokenizer.json")
    sp.save(path)
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    j["added_tokens"] = [t for t in j["added_tokens"] if t["content"] not in byte_tokens]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(j, f, ensure_ascii=False)
    fixtures["sentencepiece"] = Tokenizer.from_file(path)

    # (3b) Llama 2 as shipped: no pre-tokenizer, normalizer Prepend + Replace, Metaspace-free.
    j2 = dict(j)
    j2["normalizer"] = {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}
    j2["pre_tokenizer"] = None
    path = os.path.join(OUT, "llama2.tokenizer.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(j2, f, ensure_ascii=False)
    fixtures["llama2"] = Tokenizer.from_file(path)

    # (4) WordPiece BERT.
    bert = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    bert.normalizer = normalizers.BertNormalizer(lowercase=True)
    bert.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    bert.decoder = decoders.WordPiece()
    bert.train_from_iterator(CORPUS, trainers.WordPieceTrainer(
        vocab_size=900, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], show_progress=False))
    fixtures["bert"] = save(bert, "bert")

    # Hand-made variants on a tiny byte-level model (vocab 300).
    tiny = train_bpe(pre_tokenizers.ByteLevel(add_prefix_space=False), decoders.ByteLevel(), 300, [])
    tiny_json = json.loads(tiny.to_str())

    def variant(name, normalizer=None, pre=None, added=None, decoder=None):
        v = json.loads(json.dumps(tiny_json))
        v["normalizer"] = normalizer
        if pre is not None:
            v["pre_tokenizer"] = pre
        if decoder is not None:
            v["decoder"] = decoder
        t = Tokenizer.from_str(json.dumps(v))
        if added:
            t.add_tokens(added)
        fixtures[name] = save(t, name)

    bl = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    bl_regex = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    for behavior in ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"]:
        variant("split-" + behavior.lower(), pre={"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"String": "-"}, "behavior": behavior, "invert": False}, bl]})
    variant("split-regex-invert", pre={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": "[a-z]+"}, "behavior": "Isolated", "invert": True}, bl]})
    # Oniguruma syntax ICU reads differently: X{n,m}+ repeats the interval; ^ and $ match at lines.
    variant("split-onig-syntax", pre={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": r"\p{N}{1,2}+|[a-c]{2}+x|(?:de){1}+|^b|a$"}, "behavior": "Isolated",
         "invert": False}, bl]})
    variant("digits-punctuation", pre={"type": "Sequence", "pretokenizers": [
        {"type": "Digits", "individual_digits": True}, {"type": "Punctuation", "behavior": "Isolated"},
        {"type": "WhitespaceSplit"}, bl_regex]})
    variant("digits-contiguous-whitespace", pre={"type": "Sequence", "pretokenizers": [
        {"type": "Digits", "individual_digits": False}, {"type": "Whitespace"}, bl]})
    variant("metaspace-split", pre={"type": "Sequence", "pretokenizers": [
        {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}, bl]})
    variant("normalizers", normalizer={"type": "Sequence", "normalizers": [
        {"type": "Strip", "strip_left": True, "strip_right": True},
        {"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"},
        {"type": "Replace", "pattern": {"Regex": "[0-9]+"}, "content": "#"},
        {"type": "Replace", "pattern": {"String": "ab"}, "content": "AB"},
        {"type": "Prepend", "prepend": "^"}]})
    variant("nfc", normalizer={"type": "NFC"})
    variant("bert-normalizer-nostrip", normalizer={"type": "BertNormalizer", "clean_text": True,
            "handle_chinese_chars": True, "strip_accents": False, "lowercase": True})
    variant("added-flags", normalizer={"type": "Lowercase"}, pre=bl_regex, added=[
        AddedToken("[MASK]", lstrip=True, special=True, normalized=False),
        AddedToken("hey", single_word=True, normalized=True),
        AddedToken("yo", rstrip=True, normalized=False),
        AddedToken("ab", normalized=False), AddedToken("bcd", normalized=False),
        AddedToken("<|eot|>", special=True, normalized=False),
        AddedToken("Wörld", normalized=True),
    ])

    added_inputs = TEST_INPUTS + [
        "abcd", "xabcdx", "hey HEY they hey! heyo", "  [MASK]  yo   z", "yo[MASK]yo", "<|eot|>Hi<|eot|> x",
        "WÖRLD wörld Wörld", "[mask] <|EOT|>",
        "a\nb a 12345 abababx dedede  \n  ", "ba\r\nbca\n",
    ]
    for name, tok in fixtures.items():
        write_golden(name, tok, added_inputs if name.startswith(("added", "split-onig")) or name in ("gpt2", "llama3") else TEST_INPUTS)

    if os.path.exists(QWEN):
        qwen_goldens(added_inputs)
    else:
        print("Qwen3 tokenizer not found; Qwen goldens not regenerated", file=sys.stderr)


def qwen_goldens(extra_inputs):
    tok = Tokenizer.from_file(QWEN)
    tok.no_padding()
    tok.no_truncation()
    inputs = extra_inputs + ["<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", "<|endoftext|><|fim_prefix|>x"]
    size = tok.get_vocab_size(with_added_tokens=True)
    unreachable = {}
    h = 0xcbf29ce484222325
    for i in range(size):
        s = tok.decode([i], skip_special_tokens=False)
        for b in s.encode("utf-8") + b"\x00":
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        ids = tok.encode(s, add_special_tokens=False).ids
        if ids != [i]:
            unreachable[str(i)] = ids
    data = dict(HEADER)
    data["fixture"] = "../shared/data/qwen3-tokenizer/tokenizer.json"
    data["vocab_size"] = size
    data["cases"] = golden_cases_only(tok, inputs)
    data["decode_fnv1a64"] = f"{h:016x}"
    data["unreachable_count"] = len(unreachable)
    data["unreachable"] = unreachable
    with open(os.path.join(OUT, "qwen3.golden.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
    print("qwen3 unreachable:", len(unreachable))


if __name__ == "__main__":
    main()
