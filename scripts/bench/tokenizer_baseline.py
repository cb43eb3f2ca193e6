#!/usr/bin/env python3
"""Hugging Face `tokenizers` baseline for `tokenscope-bench`: load time, the whole-vocabulary
round trip (notebook 1.8d's method) and single-thread encode throughput on a text file.
Prints one JSON line.

usage: tokenizer_baseline.py tokenizer.json corpus.txt
"""
import json
import os
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # single-thread encode, like the Swift figure it sits beside
import tokenizers
from tokenizers import Tokenizer


def main():
    path, corpus = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    tok = Tokenizer.from_file(path)
    tok.no_padding()
    tok.no_truncation()
    t1 = time.perf_counter()
    n = tok.get_vocab_size(with_added_tokens=True)
    unreachable = 0
    for i in range(n):
        if tok.encode(tok.decode([i], skip_special_tokens=False), add_special_tokens=False).ids != [i]:
            unreachable += 1
    t2 = time.perf_counter()
    text = open(corpus, encoding="utf-8").read()
    t3 = time.perf_counter()
    ids = tok.encode(text, add_special_tokens=False).ids
    t4 = time.perf_counter()
    print(json.dumps({
        "tokenizers": tokenizers.__version__, "load_s": t1 - t0, "ids": n, "unreachable": unreachable,
        "round_trip_s": t2 - t1, "encode_mb": len(text.encode()) / 1e6, "encode_s": t4 - t3, "encode_tokens": len(ids),
    }))


if __name__ == "__main__":
    main()
