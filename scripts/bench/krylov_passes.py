#!/usr/bin/env python3
"""How many passes over W block Krylov needs on a model's spectrum, in exact (float64) arithmetic.

Forms the covariance of W (BF16/F16/F32 safetensors, float64 sums, the model's whole vocabulary)
and of every 16th row, solves it densely, then replays `PrincipalAxes`' iteration on the d × d
matrix: the head start on the sample's covariance, then full passes of block size b, Rayleigh–Ritz
on the whole space, and the same error bound (residual over the gap to the neighbouring Ritz values
moved by their residuals). Prints, per pass, the bound and the true sine of the worst of the top
three axes, so the passes the method needs (and how far the bound lags the truth) can be read
without the float rounding of the real passes. Shows what a larger block would save.

usage: krylov_passes.py model.safetensors [block sizes, default 8 16]
"""
import json
import struct
import sys

import numpy as np


def stored_rows(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    name = max((k for k in header if k != "__metadata__"), key=lambda k: np.prod(header[k]["shape"]))
    info = header[name]
    rows, d = info["shape"]
    begin = 8 + n + info["data_offsets"][0]
    kind = {"BF16": np.uint16, "F16": np.float16, "F32": np.float32}[info["dtype"]]
    raw = np.memmap(path, dtype=kind, mode="r", offset=begin, shape=(rows, d))
    widen = (lambda x: (x.astype(np.uint32) << 16).view(np.float32)) if info["dtype"] == "BF16" else (lambda x: x.astype(np.float32))
    return raw, widen


def covariance(raw, widen, step=1):
    d = raw.shape[1]
    total, sums, count = np.zeros((d, d)), np.zeros(d), 0
    for i in range(0, raw.shape[0], 8192 * step):
        x = widen(np.asarray(raw[i:i + 8192 * step:step])).astype(np.float64)
        x = x[np.isfinite(x).all(axis=1)]
        sums += x.sum(0)
        total += x.T @ x
        count += len(x)
    mean = sums / count
    return total / count - np.outer(mean, mean)


def orthonormal(z, q):
    for _ in range(2):
        if q is not None:
            z = z - q @ (q.T @ z)
        z, _ = np.linalg.qr(z)
    return z


def ritz(q, cq, wanted):
    h = q.T @ cq
    values, s = np.linalg.eigh((h + h.T) / 2)
    values, s = values[::-1], s[:, ::-1]
    examined = min(len(values), wanted + 4)
    x = q @ s[:, :examined]
    residuals = np.linalg.norm(cq @ s[:, :examined] - x * values[:examined], axis=0)
    bounds = []
    for i in range(wanted):
        gap = np.inf
        if i > 0:
            gap = min(gap, values[i - 1] - residuals[i - 1] - values[i])
        if i + 1 < examined:
            gap = min(gap, values[i] - values[i + 1] - residuals[i + 1])
        bounds.append(residuals[i] / gap if gap > 0 else np.inf)
    return x, max(bounds)


def krylov(matrix, block, wanted, passes, stop, truth=None):
    q = cq = None
    log = []
    for _ in range(passes):
        z = matrix @ block
        q = block if q is None else np.hstack([q, block])
        cq = z if cq is None else np.hstack([cq, z])
        x, bound = ritz(q, cq, wanted)
        if truth is not None:
            # Sine from the difference, not from 1 − cos², which cancels below ~1e-8.
            sines = [np.linalg.norm(x[:, i] - np.sign(x[:, i] @ truth[:, i]) * truth[:, i]) for i in range(wanted)]
            log.append((bound, max(sines)))
        if stop(bound):
            break
        block = orthonormal(z, q)
    return x, log


def main():
    path = sys.argv[1]
    sizes = [int(a) for a in sys.argv[2:]] or [8, 16]
    raw, widen = stored_rows(path)
    full, sample = covariance(raw, widen), covariance(raw, widen, step=16)
    values, vectors = np.linalg.eigh(full)
    values, vectors = values[::-1], vectors[:, ::-1]
    print("λ1..λ10 / λ1:", " ".join(f"{v / values[0]:.4f}" for v in values[:10]))
    wanted, rng = 3, np.random.default_rng(1)
    for size in sizes:
        start = orthonormal(rng.standard_normal((full.shape[0], size)), None)
        previous = [np.inf]

        def sampled(bound):
            done = bound < 1e-2 or (np.isfinite(bound) and not bound < 0.5 * previous[0])
            previous[0] = bound
            return done

        x, _ = krylov(sample, start, wanted, 8, sampled)
        # As `PrincipalAxes.completed`: the sample's leading Ritz vectors, then random ones to a full block.
        head = x[:, :size]
        head = np.hstack([head, rng.standard_normal((full.shape[0], size - head.shape[1]))]) if head.shape[1] < size else head
        _, log = krylov(full, orthonormal(head, None), wanted, 30, lambda b: b < 1e-8, truth=vectors[:, :wanted])
        first = lambda k: next((i + 1 for i, entry in enumerate(log) if entry[k] <= 1e-7), None)
        print(f"block {size}: passes to a bound of 1e-7: {first(0)}, to a true sine of 1e-7: {first(1)}")
        print("  bound / true sine per pass:", " ".join(f"{b:.1e}/{t:.1e}" for b, t in log))


if __name__ == "__main__":
    main()
