#!/usr/bin/env python3
"""The notebook method (1.4b → 1.4h) in numpy, as the baseline of `tokenscope-bench`.

Box selection → all-pairs distances (the n × n float32 matrix) → threshold → connected
components, as notebooks 1.4b and 1.4h do it with PyTorch and scipy. The "box" is given as a file
of candidate ids (the bench passes the same candidates to TokenScope) or as the N rows of smallest
norm. Prints one JSON line with the timings.

With --pca, also times the maps as the notebooks make them (1.2a, 1.3a): row norms, the centred
covariance (divided by V) in float32, `numpy.linalg.eigh`, and the projections on the top three axes.

usage: notebook_baseline.py W.safetensors [--candidates N] [--threshold 0.002] [--pca] [--pca-only] [--save-axes FILE]
"""
import argparse
import json
import struct
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components


def load_w(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    info = header["W"]
    start, end = info["data_offsets"]
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n + start, shape=(end - start,))
    shape = info["shape"]
    if info["dtype"] == "BF16":
        bits = raw.view(np.uint16).astype(np.uint32) << 16
        return bits.view(np.float32).reshape(shape)
    return raw.view({"F16": np.float16, "F32": np.float32}[info["dtype"]]).astype(np.float32).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("w")
    parser.add_argument("--candidates", type=int, default=20373)
    parser.add_argument("--threshold", type=float, default=0.002)
    parser.add_argument("--pca", action="store_true")
    parser.add_argument("--pca-only", action="store_true", help="the maps only, no census")
    parser.add_argument("--save-axes", help="write the top three axes (float64, 3 × d, little-endian) here")
    args = parser.parse_args()
    args.pca = args.pca or args.pca_only
    timings = {}
    if args.pca:
        t = time.perf_counter()
        W = np.ascontiguousarray(load_w(args.w))
        timings["load_f32_s"] = time.perf_counter() - t
        t = time.perf_counter()
        norms = np.linalg.norm(W, axis=1)
        timings["norms_s"] = time.perf_counter() - t
        t = time.perf_counter()
        centred = W - W.mean(axis=0)
        cov = (centred.T @ centred) / W.shape[0]
        values, vectors = np.linalg.eigh(cov)
        top = vectors[:, ::-1][:, :3]
        top *= np.sign(top[np.abs(top).argmax(axis=0), range(3)])
        xyz = W @ top
        timings["pca_and_projection_s"] = time.perf_counter() - t
        timings["eigenvalues_top8"] = [float(v) for v in values[::-1][:8]]
        if args.save_axes:
            np.ascontiguousarray(top.T, dtype="<f8").tofile(args.save_axes)
        del centred, cov
        if args.pca_only:
            print(json.dumps(timings))
            return

    t0 = time.perf_counter()
    W = load_w(args.w)
    norms = np.linalg.norm(W, axis=1)
    ids = np.sort(np.argsort(norms, kind="stable")[: args.candidates])
    X = W[ids]
    t1 = time.perf_counter()
    # torch.cdist's default for large inputs: ‖x‖² + ‖y‖² − 2x·y on a matrix product.
    sq = (X * X).sum(axis=1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (X @ X.T)
    np.maximum(d2, 0, out=d2)
    dists = np.sqrt(d2, out=d2)
    t2 = time.perf_counter()
    adjacency = dists < np.float32(args.threshold)
    np.fill_diagonal(adjacency, False)
    edges = int(adjacency.sum()) // 2
    n_components, labels = connected_components(csr_matrix(adjacency), directed=False)
    giant = int(np.bincount(labels).max())
    t3 = time.perf_counter()
    print(json.dumps({
        "candidates": int(len(ids)), "edges": edges, "components": int(n_components), "giant": giant,
        "load_and_select_s": t1 - t0, "distances_s": t2 - t1, "threshold_and_components_s": t3 - t2, "total_s": t3 - t0,
        "numpy": np.__version__, **timings,
    }))


if __name__ == "__main__":
    main()
