#!/usr/bin/env python3
"""Writes the malformed-input corpus of Tests/TensorFormatsTests/Fixtures/malformed/.

    python3 scripts/golden/make_malformed_corpus.py [OUTPUT_DIR]

One small file per kind of damage; every .safetensors and .gguf file must make
`ModelLoader.load` throw a one-line TensorFormatError, every .json file must make the strict
JSONParser throw, except the tokenizer_*.json files, which are valid JSON but invalid
tokenizers for the Tokenizers module's own tests. The Swift tests in MalformedInputTests.swift
build many more cases in memory (every truncation of every fixture); this corpus is also the
fuzzers' seed of broken files. Standard library only.
"""
import json
import os
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "Tests", "TensorFormatsTests", "Fixtures", "malformed")
os.makedirs(OUT, exist_ok=True)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def st(header, data=b"", raw=None):
    text = raw if raw is not None else json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text + data


good = {"W": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
write("st_truncated_length.safetensors", b"\x10\x00\x00")
write("st_truncated_data.safetensors", st(good, bytes(15)))
write("st_header_past_end.safetensors", struct.pack("<Q", 4096) + b"{}")
write("st_header_too_long.safetensors", struct.pack("<Q", 2 ** 63) + b"{}")
write("st_overlap.safetensors", st({"A": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                    "B": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12)))
write("st_gap.safetensors", st({"A": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                                "B": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}, bytes(12)))
write("st_shape_overflow.safetensors", st({"W": {"dtype": "F32", "shape": [2 ** 32, 2 ** 32], "data_offsets": [0, 16]}}, bytes(16)))
write("st_dtype_size_mismatch.safetensors", st({"W": {"dtype": "BF16", "shape": [2, 2], "data_offsets": [0, 16]}}, bytes(16)))
write("st_non_utf8_header.safetensors", st(None, raw=b'{"W\xff":{}}'))
write("st_deep_nesting.safetensors", st(None, raw=b"[" * 4000))
write("st_duplicate_keys.safetensors", st(None, bytes(8), raw=b'{"W":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
                                                            b'"W":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'))


def gguf(tensors=0, kv=b"", count=0, version=3):
    return b"GGUF" + struct.pack("<IQQ", version, tensors, count) + kv


def gstr(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def tensor_info(name, dims, ggml_type=0, offset=0):
    return gstr(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", ggml_type, offset)


def with_data(header, data):
    return header + bytes((32 - len(header) % 32) % 32) + data


write("gguf_truncated_header.gguf", b"GGUF\x03\x00\x00")
write("gguf_version1.gguf", gguf(version=1) + bytes(32))
write("gguf_absurd_string.gguf", gguf(count=1, kv=struct.pack("<Q", 2 ** 62) + bytes(32)))
write("gguf_absurd_array.gguf", gguf(count=1, kv=gstr("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 2 ** 40) + bytes(32)))
write("gguf_absurd_metadata_count.gguf", gguf(count=2 ** 63) + bytes(32))
write("gguf_dims_overflow.gguf", with_data(gguf(tensors=1, kv=tensor_info("output.weight", [2 ** 32, 2 ** 32])), bytes(32)))
write("gguf_offset_past_end.gguf", with_data(gguf(tensors=1, kv=tensor_info("output.weight", [4, 2], offset=2 ** 40)), bytes(32)))
write("gguf_overlap.gguf", with_data(gguf(tensors=2, kv=tensor_info("output.weight", [4, 2]) + tensor_info("token_embd.weight", [4, 2])), bytes(64)))
write("gguf_bad_alignment.gguf", gguf(count=1, kv=gstr("general.alignment") + struct.pack("<II", 4, 48)) + bytes(32))
write("gguf_unknown_type.gguf", with_data(gguf(tensors=1, kv=tensor_info("output.weight", [4, 2], ggml_type=99)), bytes(32)))
write("gguf_block_mismatch.gguf", with_data(gguf(tensors=1, kv=tensor_info("output.weight", [16, 2], ggml_type=8)), bytes(64)))

write("json_non_utf8.json", b'{"model":{"vocab":{"\xc3\x28":0}}}')
write("json_deep_nesting.json", b"[" * 2000 + b"]" * 2000)
write("json_duplicate_keys.json", '{"model":{"vocab":{"a":0,"a":1}}}')
write("json_lone_surrogate.json", '{"added_tokens":[{"content":"\\ud800"}]}')
write("json_trailing.json", '{"version":"1.0"} {}')
# Valid JSON, invalid tokenizers: for the Tokenizers module's tests.
write("tokenizer_unigram_unk_outside.json", json.dumps({"version": "1.0", "model": {"type": "Unigram", "unk_id": 2, "vocab": [["a", -1.0], ["b", -2.0]]}}))
write("tokenizer_precompiled_truncated.json", json.dumps({"version": "1.0", "normalizer": {"type": "Precompiled", "precompiled_charsmap": "AAEAAAAA"}, "model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", -1.0]]}}))
write("tokenizer_merge_unknown_token.json", json.dumps({"version": "1.0", "model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a c"]}}))
