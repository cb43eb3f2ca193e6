#!/usr/bin/env python3
"""Writes the GGUF fixtures of Tests/TensorFormatsTests/Fixtures/gguf/ and their expected values.

    python3 scripts/golden/make_gguf_fixtures.py [OUTPUT_DIR]

Files (all tiny):
  f32.gguf    F32 output.weight [V=64, d=32] and a different token_embd.weight; gpt2 vocabulary
              (64 tokens, merges, token types, pre "qwen2") and one metadata key of every GGUF
              value type, including an array of arrays.
  f16.gguf, bf16.gguf, q8_0.gguf, q4_0.gguf: token_embd.weight only (tied), V=64, d=32.
              q8_0.gguf uses general.alignment = 64.
  q4_k.gguf, q6_k.gguf: token_embd.weight [V=8, d=256] of random blocks with finite scales.
  llama_vocab.gguf: a SentencePiece-style ("llama") vocabulary with scores and no merges.
  NAME.expected.safetensors: {"W": F32 [V, d]} the values TokenScope must produce: for F32 the
              stored values, for F16/BF16 the stored values widened, for the quantised types the
              dequantisation computed here in numpy exactly as llama.cpp's reference C code
              (dequantize_row_q8_0, _q4_0, _q4_K, _q6_K in ggml-quants.c), and checked equal to
              gguf-py's own dequantisation.
  tokenizer_expected.json: vocabulary, merges and added tokens expected from the conversion
              of both vocabularies; llama merges derived as Hugging Face transformers'
              GGUFTokenizerSkeleton does (integrations/ggml.py).

The package versions used are written to README.md next to the files.
"""
import json
import os
import struct
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q
from importlib.metadata import version

GGUF_VERSION = version("gguf")

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "Tests", "TensorFormatsTests", "Fixtures", "gguf")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240611)


def write_safetensors(path, tensors):
    """Minimal safetensors writer: {name: (dtype string, shape, raw bytes)}."""
    header, blobs, offset = {}, [], 0
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def expected(name, values):
    values = np.ascontiguousarray(values, dtype=np.float32)
    write_safetensors(os.path.join(OUT, name + ".expected.safetensors"), {"W": ("F32", values.shape, values.tobytes())})


# --- llama.cpp reference dequantisation, transcribed loop for loop (float32 throughout) ---

def f16(raw):
    return np.frombuffer(bytes(raw), dtype="<f2").astype(np.float32)[0]


def ref_q8_0(blocks):
    out = []
    for b in blocks:
        b = [int(x) for x in b]  # Python ints: no uint8 wrap-around in the arithmetic
        d = f16(b[0:2])
        qs = np.frombuffer(bytes(b[2:34]), dtype=np.int8)
        out.extend(np.float32(q) * d for q in qs)
    return np.array(out, dtype=np.float32)


def ref_q4_0(blocks):
    out = []
    for b in blocks:
        b = [int(x) for x in b]  # Python ints: no uint8 wrap-around in the arithmetic
        d = f16(b[0:2])
        y = [np.float32(0)] * 32
        for j in range(16):
            y[j] = np.float32((b[2 + j] & 0x0F) - 8) * d
            y[j + 16] = np.float32((b[2 + j] >> 4) - 8) * d
        out.extend(y)
    return np.array(out, dtype=np.float32)


def scale_min_k4(j, q):
    if j < 4:
        return q[j] & 63, q[j + 4] & 63
    return (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4)


def ref_q4_k(blocks):
    out = []
    for b in blocks:
        b = [int(x) for x in b]  # Python ints: no uint8 wrap-around in the arithmetic
        d, dmin = f16(b[0:2]), f16(b[2:4])
        scales, q = b[4:16], b[16:144]
        is_, qi = 0, 0
        for _ in range(0, 256, 64):
            sc, m = scale_min_k4(is_, scales)
            d1, m1 = d * np.float32(sc), dmin * np.float32(m)
            sc, m = scale_min_k4(is_ + 1, scales)
            d2, m2 = d * np.float32(sc), dmin * np.float32(m)
            out.extend(d1 * np.float32(q[qi + l] & 0xF) - m1 for l in range(32))
            out.extend(d2 * np.float32(q[qi + l] >> 4) - m2 for l in range(32))
            qi += 32
            is_ += 2
    return np.array(out, dtype=np.float32)


def ref_q6_k(blocks):
    out = []
    for b in blocks:
        b = [int(x) for x in b]  # Python ints: no uint8 wrap-around in the arithmetic
        ql, qh = b[0:128], b[128:192]
        sc = np.frombuffer(bytes(b[192:208]), dtype=np.int8)
        d = f16(b[208:210])
        y = [np.float32(0)] * 256
        for n in range(2):
            for l in range(32):
                is_ = l // 16
                L, H, S = 64 * n, 32 * n, 8 * n
                q1 = ((ql[L + l] & 0xF) | (((qh[H + l] >> 0) & 3) << 4)) - 32
                q2 = ((ql[L + l + 32] & 0xF) | (((qh[H + l] >> 2) & 3) << 4)) - 32
                q3 = ((ql[L + l] >> 4) | (((qh[H + l] >> 4) & 3) << 4)) - 32
                q4 = ((ql[L + l + 32] >> 4) | (((qh[H + l] >> 6) & 3) << 4)) - 32
                y[128 * n + l] = d * np.float32(sc[S + is_]) * np.float32(q1)
                y[128 * n + l + 32] = d * np.float32(sc[S + is_ + 2]) * np.float32(q2)
                y[128 * n + l + 64] = d * np.float32(sc[S + is_ + 4]) * np.float32(q3)
                y[128 * n + l + 96] = d * np.float32(sc[S + is_ + 6]) * np.float32(q4)
        out.extend(y)
    return np.array(out, dtype=np.float32)


# --- vocabularies ---

GPT2_TOKENS = ["<|endoftext|>", "<|im_start|>", "<tool>"] + list("abcdefghijklmnopqrstuvwxyz") + ["Ġ", "Ċ", "!", "'", "0", "1"]
GPT2_MERGES = ["Ġ a", "a b", "ab c", "Ġa b", "Ġab c", "t h", "th e", "Ġ th", "Ġth e", "i n", "in g", "o n", "e r", "Ġ w", "Ġw o",
               "Ġwo r", "Ġwor d", "r e", "a n", "an d", "Ġ an", "Ġan d", "o u", "Ġ ou", "Ġou t"]
for merge in GPT2_MERGES:
    GPT2_TOKENS.append(merge.replace(" ", ""))
assert len(GPT2_TOKENS) == len(set(GPT2_TOKENS)), "duplicate token"
GPT2_TOKENS += [f"<unused{i}>" for i in range(64 - len(GPT2_TOKENS))]
# 1 normal, 3 control, 4 user defined, 5 unused (llama.cpp's llama_token_type)
GPT2_TYPES = [3, 3, 4] + [1] * (len(GPT2_TOKENS) - 3)
for i, t in enumerate(GPT2_TOKENS):
    if t.startswith("<unused"):
        GPT2_TYPES[i] = 5

LLAMA_TOKENS = ["<unk>", "<s>", "</s>", "<0x0A>", "<0x41>", "▁", "a", "b", "c", "t", "h", "e",
                "▁a", "ab", "▁ab", "abc", "▁abc", "th", "▁t", "▁th", "the", "▁the", "he", "▁c"]
LLAMA_SCORES = [0.0, 0.0, 0.0, 0.0, 0.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0,
                -10.0, -11.0, -12.0, -13.0, -14.0, -15.0, -16.0, -17.0, -18.0, -19.0, -20.0, -16.0]
# 2 unknown, 3 control, 6 byte, 1 normal
LLAMA_TYPES = [2, 3, 3, 6, 6] + [1] * (len(LLAMA_TOKENS) - 5)


def hf_llama_merges(tokens, scores):
    """transformers' GGUFTokenizerSkeleton: merges from scores when the file has none."""
    vocab = {t: scores[i] for i, t in enumerate(tokens)}
    merges = []
    for merge, piece_score in vocab.items():
        local = []
        for index in range(1, len(merge)):
            piece_l, piece_r = merge[:index], merge[index:]
            if piece_l in vocab and piece_r in vocab:
                local.append((piece_l, piece_r, piece_score))
        local = sorted(local, key=lambda x: (vocab[x[0]], vocab[x[1]]), reverse=True)
        merges.extend(local)
    merges = sorted(merges, key=lambda val: val[2], reverse=True)
    return [f"{l} {r}" for l, r, _ in merges]


def new_writer(name, tied=True, alignment=None):
    w = gguf.GGUFWriter(os.path.join(OUT, name), "llama")
    if alignment:
        w.add_custom_alignment(alignment)
    return w


def add_gpt2_vocab(w, pre="qwen2"):
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(pre)
    w.add_token_list(GPT2_TOKENS)
    w.add_token_types(GPT2_TYPES)
    w.add_token_merges(GPT2_MERGES)
    w.add_bos_token_id(0)
    w.add_eos_token_id(0)


def finish(w):
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


V, D = 64, 32
base = (rng.standard_normal((V, D)) * 0.05).astype(np.float32)

# F32, with an untied output matrix, the vocabulary and every metadata type.
w = new_writer("f32.gguf")
add_gpt2_vocab(w)
w.add_uint8("test.uint8", 200)
w.add_int8("test.int8", -100)
w.add_uint16("test.uint16", 60000)
w.add_int16("test.int16", -30000)
w.add_uint32("test.uint32", 4000000000)
w.add_int32("test.int32", -2000000000)
w.add_float32("test.float32", 0.15625)
w.add_bool("test.bool", True)
w.add_string("test.string", "héllo ▁ wörld")
w.add_uint64("test.uint64", 18000000000000000000)
w.add_int64("test.int64", -9000000000000000000)
w.add_float64("test.float64", -2.5e-300)
w.add_key_value("test.nested", [[1, 2, 3], [4]], gguf.GGUFValueType.ARRAY)
w.add_key_value("test.strings", ["x", "", "yz"], gguf.GGUFValueType.ARRAY)
output = (rng.standard_normal((V, D)) * 0.05).astype(np.float32)
w.add_tensor("token_embd.weight", base)
w.add_tensor("output.weight", output)
finish(w)
expected("f32", output)
expected("f32_embd", base)

# F16
w = new_writer("f16.gguf")
add_gpt2_vocab(w, pre="llama-bpe")
half = base.astype(np.float16)
w.add_tensor("token_embd.weight", half)
finish(w)
expected("f16", half.astype(np.float32))

# BF16: numpy has no bfloat16; round to nearest even by hand and hand over the raw bits.
bits = base.view(np.uint32)
bf16 = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
w = new_writer("bf16.gguf")
w.add_tensor("token_embd.weight", bf16, raw_shape=(V, D), raw_dtype=Q.BF16)
finish(w)
expected("bf16", (bf16.astype(np.uint32) << 16).view(np.float32))

# Q8_0 and Q4_0 quantised by gguf-py from the same values.
for name, qtype, ref, alignment in [("q8_0", Q.Q8_0, ref_q8_0, 64), ("q4_0", Q.Q4_0, ref_q4_0, None)]:
    quantised = gguf.quants.quantize(base, qtype)
    w = new_writer(name + ".gguf", alignment=alignment)
    w.add_tensor("token_embd.weight", quantised, raw_dtype=qtype)
    finish(w)
    size = gguf.GGML_QUANT_SIZES[qtype][1]
    blocks = quantised.reshape(-1, size)
    values = ref(blocks).reshape(V, D)
    assert np.array_equal(values.view(np.uint32), gguf.quants.dequantize(quantised, qtype).reshape(V, D).view(np.uint32))
    expected(name, values)

# Q4_K and Q6_K: random blocks (gguf-py cannot quantise to them) with finite half scales.
KV = 8
for name, qtype, ref in [("q4_k", Q.Q4_K, ref_q4_k), ("q6_k", Q.Q6_K, ref_q6_k)]:
    size = gguf.GGML_QUANT_SIZES[qtype][1]
    blocks = rng.integers(0, 256, size=(KV, size), dtype=np.uint8)
    for b in blocks:
        scales = (rng.uniform(0.001, 0.02, size=2)).astype(np.float16).view(np.uint8)
        if qtype == Q.Q4_K:
            b[0:4] = scales
        else:
            b[208:210] = scales[0:2]
    w = new_writer(name + ".gguf")
    w.add_tensor("token_embd.weight", blocks, raw_dtype=qtype)
    finish(w)
    values = ref(blocks).reshape(KV, 256)
    assert np.array_equal(values.view(np.uint32), gguf.quants.dequantize(blocks, qtype).reshape(KV, 256).view(np.uint32))
    expected(name, values)

# A llama (SentencePiece) vocabulary without merges; no tensors.
w = new_writer("llama_vocab.gguf")
w.add_tokenizer_model("llama")
w.add_token_list(LLAMA_TOKENS)
w.add_token_scores(LLAMA_SCORES)
w.add_token_types(LLAMA_TYPES)
w.add_unk_token_id(0)
w.add_bos_token_id(1)
w.add_eos_token_id(2)
w.add_add_space_prefix(True)
finish(w)

with open(os.path.join(OUT, "tokenizer_expected.json"), "w", encoding="utf-8") as f:
    json.dump({
        "gpt2": {
            "vocab": {t: i for i, t in enumerate(GPT2_TOKENS)},
            "merges": GPT2_MERGES,
            "added_tokens": [{"id": i, "content": t, "special": GPT2_TYPES[i] == 3}
                             for i, t in enumerate(GPT2_TOKENS) if GPT2_TYPES[i] in (3, 4)],
        },
        "llama": {
            "vocab": {t: i for i, t in enumerate(LLAMA_TOKENS)},
            "merges": hf_llama_merges(LLAMA_TOKENS, LLAMA_SCORES),
            "added_tokens": [{"id": i, "content": t, "special": True}
                             for i, t in enumerate(LLAMA_TOKENS) if LLAMA_TYPES[i] == 3],
        },
    }, f, ensure_ascii=False, indent=1)
    f.write("\n")

with open(os.path.join(OUT, "README.md"), "w") as f:
    f.write("# GGUF fixtures\n\nGenerated by `scripts/golden/make_gguf_fixtures.py` with "
            f"gguf-py {GGUF_VERSION} and numpy {np.__version__}; "
            "see the script for what each file holds. Do not edit by hand: rerun the script.\n")
