"""Writes a byte-level BPE tokenizer.json as a vocabulary-only GGUF the way llama.cpp's
convert_hf_to_gguf.py writes a qwen2 vocabulary (`get_vocab_base` and `_set_vocab_gpt2`): every id
in order, token types CONTROL for special added tokens (and ones that look special), USER_DEFINED
for the other added tokens, NORMAL for the rest; the merges as "a b" strings; tokenizer.ggml.pre.

Used by make_gguf_vocab_fixtures.py and check-gguf-equivalence.sh. Needs `gguf` and `tokenizers`.
"""
import json

import gguf
from tokenizers import Tokenizer


def looks_special(token):
    """llama.cpp's `does_token_look_special`."""
    return (token in ("<pad>", "<mask>", "<2mass>", "[@BOS@]")
            or (token.startswith("<|") and token.endswith("|>"))
            or (token.startswith("<｜") and token.endswith("｜>"))
            or (token.startswith("<unused") and token.endswith(">")))


def write_gpt2_vocab_gguf(tokenizer_json_path, out_path, pre="qwen2"):
    with open(tokenizer_json_path, encoding="utf-8") as f:
        doc = json.load(f)
    tok = Tokenizer.from_file(tokenizer_json_path)
    vocab = tok.get_vocab(with_added_tokens=True)
    reverse = {i: t for t, i in vocab.items()}
    added = tok.get_added_tokens_decoder()
    tokens, types = [], []
    for i in range(max(reverse) + 1):
        if i not in reverse:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
            continue
        token = reverse[i]
        if i in added:
            if not added[i].normalized:
                token = tok.decode(tok.encode(token, add_special_tokens=False).ids, skip_special_tokens=False)
            if added[i].special or looks_special(token):
                types.append(gguf.TokenType.CONTROL)
            else:
                token = token.replace("\u2581", " ")
                types.append(gguf.TokenType.USER_DEFINED)
        else:
            types.append(gguf.TokenType.NORMAL)
        tokens.append(token)
    merges = [m if isinstance(m, str) else " ".join(m) for m in doc["model"]["merges"]]
    w = gguf.GGUFWriter(out_path, "qwen2")
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(pre)
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
