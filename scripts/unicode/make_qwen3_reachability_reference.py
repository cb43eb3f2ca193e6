#!/usr/bin/env python3
"""Generate Tests/ReachabilityTests/Qwen3Reference.swift: the Qwen3 round-trip reference and the
witness search's expected populations, for Qwen3ReachabilityTests (INTEGRATION).

- Round trip with Hugging Face `tokenizers` (pinned below): decode([id]) keeping special tokens,
  encode with no special tokens, no padding, no truncation; unreachable iff ids != [id].
- Witness search: a Python port of Sources/Reachability/WitnessSearch.swift with its default
  bounds (same candidate order), run against the reference encoder.

Usage: python3 scripts/unicode/make_qwen3_reachability_reference.py [tokenizer.json] [out.swift]
"""
import sys
import tokenizers
REQUIRED = "0.23.3"
if tokenizers.__version__ != REQUIRED:
    sys.exit("needs tokenizers %s, found %s" % (REQUIRED, tokenizers.__version__))
PATH = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/qwen3-tokenizer/tokenizer.json"
OUT = sys.argv[2] if len(sys.argv) > 2 else "Tests/ReachabilityTests/Qwen3Reference.swift"
import time, collections
from tokenizers import Tokenizer
tok = Tokenizer.from_file(PATH)
tok.no_padding(); tok.no_truncation()
n = tok.get_vocab_size(with_added_tokens=True)
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~")+1))+list(range(ord("¡"), ord("¬")+1))+list(range(ord("®"), ord("ÿ")+1))
    cs = bs[:]; m = 0
    for b in range(256):
        if b not in bs: bs.append(b); cs.append(256+m); m += 1
    return dict(zip(bs, map(chr, cs)))
dec = {v: k for k, v in bytes_to_unicode().items()}
added = tok.get_added_tokens_decoder()
def tbytes(i):
    if i in added: return added[i].content.encode()
    s = tok.id_to_token(i)
    return bytes(dec[c] for c in s)
allbytes = [tbytes(i) for i in range(n)]

unreach = []
for i in range(n):
    s = tok.decode([i], skip_special_tokens=False)
    if tok.encode(s, add_special_tokens=False).ids != [i]:
        unreach.append(i)

def lead_info(b):
    if b < 0x80: return (1, 0, 0)
    if 0xC2 <= b <= 0xDF: return (2, 0x80, 0xBF)
    if b == 0xE0: return (3, 0xA0, 0xBF)
    if b == 0xED: return (3, 0x80, 0x9F)
    if 0xE1 <= b <= 0xEF: return (3, 0x80, 0xBF)
    if b == 0xF0: return (4, 0x90, 0xBF)
    if b == 0xF4: return (4, 0x80, 0x8F)
    if 0xF1 <= b <= 0xF3: return (4, 0x80, 0xBF)
    return None
def valid(b):
    try: b.decode('utf-8'); return True
    except UnicodeDecodeError: return False
def single(b):
    return len(b) > 0 and valid(b) and len(b.decode()) == 1
def shape(b):
    k = 0
    while k < len(b) and b[k] & 0xC0 == 0x80: k += 1
    if k == len(b): return (b, b'', True) if 0 < k <= 3 else ((b'', b'', False) if k == 0 else None)
    if k > 3: return None
    i = k
    while i < len(b):
        info = lead_info(b[i])
        if info is None: return None
        L = info[0]
        j = 1
        while j < L:
            if i + j >= len(b):
                return (b[:k], b[i:], False)
            x = b[i+j]
            ok = (info[1] <= x <= info[2]) if j == 1 else (x & 0xC0 == 0x80)
            if not ok: return None
            j += 1
        i += L
    return (b[:k], b'', False)

def completions(window, placement, limit):
    out = []
    for nlen in (2, 3, 4):
        if len(window) > nlen: continue
        if placement == 'start':
            if len(window) >= nlen: continue
            offs = [0]
        elif placement == 'end':
            if len(window) >= nlen: continue
            offs = [nlen - len(window)]
        else:
            if len(window) + 1 > nlen: continue
            offs = range(1, nlen - len(window) + 1)
        for off in offs:
            buf = [0]*nlen
            def fill(p):
                if p == nlen:
                    out.append((bytes(buf[:off]), bytes(buf[off+len(window):nlen])))
                    return len(out) < limit
                if p == 0: rng = range(0xC2, 0xE0) if nlen == 2 else (range(0xE0, 0xF0) if nlen == 3 else range(0xF0, 0xF5))
                elif p == 1:
                    info = lead_info(buf[0]); rng = range(info[1], info[2]+1)
                else: rng = range(0x80, 0xC0)
                if off <= p < off + len(window):
                    x = window[p-off]
                    if x not in rng: return True
                    buf[p] = x; return fill(p+1)
                for x in rng:
                    buf[p] = x
                    if not fill(p+1): return False
                return True
            if not fill(0): return out
    return out

heads, tails = {}, {}
for i, b in enumerate(allbytes):
    if i in added and added[i].special: continue
    if not b: continue
    if not (b[0] & 0xC0 == 0x80 or b[-1] >= 0x80): continue
    sh = shape(b)
    if sh is None: continue
    if sh[0]: heads.setdefault(sh[0], i)
    if sh[1]: tails.setdefault(sh[1], i)
heads = sorted(heads, key=heads.get); tails = sorted(tails, key=tails.get)

def diag(a, b):
    for s in range(a + b - 1):
        for j in range(max(0, s - a + 1), min(s, b - 1) + 1):
            yield s - j, j
L = ["", " ", "\n", "a", "A", "1", ".", "(", "\"", "'", "-", "the "]
R = ["", " ", "\n", "a", "s", "1", ".", ",", ")", "\"", "!", "-"]
contexts = [(L[i], R[j]) for i, j in diag(len(L), len(R))]
MAXC, PER = 1024, 256
MAXV = 128

def comp(vocab, syst, limit):
    seen = set(); out = []
    for c in vocab:
        if len(out) >= limit: break
        if c not in seen: seen.add(c); out.append(c)
    if len(out) < limit:
        for c in syst(limit + len(out)):
            if len(out) >= limit: break
            if c not in seen: seen.add(c); out.append(c)
    return out

def cores_for(b):
    sh = shape(b)
    if sh is None: return None
    head, tail, inner = sh
    pairs = []
    if inner:
        seen = set()
        for t in tails:
            if len(pairs) >= PER: break
            miss = lead_info(t[0])[0] - len(t) - len(b)
            if miss == 0:
                if single(t + b) and (t+b) not in seen: seen.add(t+b); pairs.append((t, b''))
            elif miss > 0:
                for h in heads:
                    if len(pairs) >= PER: break
                    if len(h) == miss and single(t+b+h) and (t+b+h) not in seen: seen.add(t+b+h); pairs.append((t, h))
        for p in completions(b, 'inside', MAXC):
            if len(pairs) >= MAXC: break
            w = p[0]+b+p[1]
            if w not in seen: seen.add(w); pairs.append(p)
    else:
        befores = [b''] if not head else comp([t for t in tails if lead_info(t[0])[0] == len(t)+len(head) and single(t+head)],
                                               lambda l: [p[0] for p in completions(head, 'end', l)], PER)
        afters = [b''] if not tail else comp([h for h in heads if single(tail+h)],
                                              lambda l: [p[1] for p in completions(tail, 'start', l)], PER)
        for i, j in diag(len(befores), len(afters)):
            pairs.append((befores[i], afters[j]))
            if len(pairs) >= MAXC: break
    return [(p[0]+b+p[1]).decode() for p in pairs if valid(p[0]+b+p[1])]

t0 = time.time()
no_witness = []; impossible = []
res = collections.Counter(); tried_total = 0; examples = {}
nf_examples = []
for i in unreach:
    b = allbytes[i]
    if valid(b):
        s = tok.decode([i], skip_special_tokens=False)
        cores = [s * k for k in (1, 2, 3)]
    else:
        cores = cores_for(b)
        if cores is None:
            res["impossible"] += 1; no_witness.append(i); impossible.append(i); continue
    tried = 0; found = None
    for ci, xi in diag(len(cores), len(contexts)):
        if tried >= (MAXC if not valid(b) else MAXV): break
        text = contexts[xi][0] + cores[ci] + contexts[xi][1]
        tried += 1
        if i in tok.encode(text, add_special_tokens=False).ids: found = text; break
    tried_total += tried
    kind = ("frag" if not valid(b) else "valid")
    res[kind + ("_found" if found else "_notfound")] += 1
    if not found: no_witness.append(i)
    if found and kind not in examples: examples[kind] = (i, b, found)
    if not found and len(nf_examples) < 15: nf_examples.append((i, b))
print(time.time() - t0, "s", res, "tried", tried_total)

def swift_array(name, ids, doc):
    lines = ["/// " + doc, "let %s: [Int] = [" % name]
    for k in range(0, len(ids), 12):
        lines.append("    " + ", ".join(str(x) for x in ids[k:k + 12]) + ",")
    lines.append("]")
    return "\n".join(lines)

out = [
    "// GENERATED by scripts/unicode/make_qwen3_reachability_reference.py — do not edit by hand.",
    "// Hugging Face tokenizers %s on data/qwen3-tokenizer/tokenizer.json: %d ids." % (tokenizers.__version__, n),
    "// Witness search (Python port, default bounds): %s." % dict(res),
    "",
    "let qwen3ReferenceIdCount = %d" % n,
    "",
    swift_array("qwen3ReferenceUnreachable", unreach, "Ids that fail the round trip, ascending (%d)." % len(unreach)),
    "",
    swift_array("qwen3ReferenceNoWitness", no_witness, "Failing ids with no witness within the default bounds (%d)." % len(no_witness)),
    "",
    swift_array("qwen3ReferenceImpossible", impossible, "Failing ids whose bytes cannot occur in valid UTF-8 (%d)." % len(impossible)),
    "",
]
open(OUT, "w", encoding="utf-8").write("\n".join(out))
print("wrote", OUT, len(unreach), len(no_witness), len(impossible))
