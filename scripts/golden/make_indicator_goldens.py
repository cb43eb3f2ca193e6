#!/usr/bin/env python3
"""Golden vectors for the under-trained-token indicators (issue 11).

An independent numpy (float64) implementation of the four indicators as Magikarp defines them
(cohere-ai/magikarp, magikarp/utils.py, `embedding_distance_metrics` and `cosine_distance`, read at
commit 0d466b27416bf6a5e442fb94ffc6a299dd217cf5; Land & Bartolo 2024, "Fishing for Magikarp"),
written from the definitions, not from Magikarp's code:

  m   = mean of the reference rows                 cos(a, b) = 1 - a.b / max(|a| |b|, 1e-6)
  p   = first principal axis of the centred matrix (unit; sign irrelevant, removed below)
  mu  = mean of all rows
  cosine_distance                  = cos(w, m)
  cosine_distance_without_first_pc = cos(w - (w.p) p, mean over the reference of the same rows)
  cosine_distance_without_mean     = cos(w - mu, mean over the reference of w - mu)
  l2_distance                      = |w - m|

Each fixture is a small matrix (F32 or BF16) with a planted first axis (eigen-gap > 20), so the
principal axis is unambiguous up to its sign; the file holds the matrix, the reference ids, the
axis computed here in float64 (flipped so its largest-magnitude component is positive, TokenScope's
convention), the top two eigenvalues, and the expected indicators in float64.

Run from the repository root:  python3 scripts/golden/make_indicator_goldens.py
Writes Tests/TensorFormatsTests/Fixtures/indicators/*.safetensors (a few KB each).
Pinned: numpy 2.4.6 (recorded in each file's metadata).
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join("Tests", "TensorFormatsTests", "Fixtures", "indicators")
MAGIKARP_COMMIT = "0d466b27416bf6a5e442fb94ffc6a299dd217cf5"


def to_bf16_bits(x: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bits, round to nearest even (the values here are finite)."""
    bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def bf16_bits_to_float(bits: np.ndarray) -> np.ndarray:
    return (bits.astype(np.uint32) << 16).view(np.float32)


def first_principal_axis(mat: np.ndarray):
    centred = mat - mat.mean(axis=0)
    covariance = centred.T @ centred / mat.shape[0]
    values, vectors = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1]
    axis = vectors[:, order[0]]
    if axis[np.argmax(np.abs(axis))] < 0:
        axis = -axis
    return axis, values[order[:2]]


def cosine_distance(rows: np.ndarray, v: np.ndarray) -> np.ndarray:
    products = np.linalg.norm(rows, axis=1) * np.linalg.norm(v)
    return 1.0 - rows @ v / np.maximum(products, 1e-6)


def indicators(mat: np.ndarray, reference: list, axis: np.ndarray) -> dict:
    reduced = mat - np.outer(mat @ axis, axis)
    centred = mat - mat.mean(axis=0)
    m = mat[reference].mean(axis=0)
    return {
        "cosine_distance": cosine_distance(mat, m),
        "cosine_distance_without_first_pc": cosine_distance(reduced, reduced[reference].mean(axis=0)),
        "cosine_distance_without_mean": cosine_distance(centred, centred[reference].mean(axis=0)),
        "l2_distance": np.linalg.norm(mat - m, axis=1),
    }


def planted_matrix(rng, rows, columns, reference, zero_rows):
    direction = rng.normal(size=columns)
    direction /= np.linalg.norm(direction)
    offset = rng.normal(scale=0.15, size=columns)
    mat = offset + np.outer(rng.normal(scale=2.0, size=rows), direction) + rng.normal(scale=0.15, size=(rows, columns))
    # The "unused" rows sit close together, as dead tokens do, near the planted axis so that they
    # do not open a second direction of large variance.
    dead = offset - 1.5 * direction + rng.normal(scale=0.02, size=columns)
    for r in reference:
        mat[r] = dead + rng.normal(scale=1e-3, size=columns)
    for r in zero_rows:
        mat[r] = 0.0
    return mat.astype(np.float32)


def write_safetensors(path: str, tensors: list, metadata: dict):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def fixture(name, seed, rows, columns, dtype, reference, zero_rows):
    rng = np.random.default_rng(seed)
    mat32 = planted_matrix(rng, rows, columns, reference, zero_rows)
    if dtype == "BF16":
        bits = to_bf16_bits(mat32)
        stored = bits.astype("<u2").tobytes()
        mat = bf16_bits_to_float(bits).astype(np.float64)
    else:
        stored = mat32.astype("<f4").tobytes()
        mat = mat32.astype(np.float64)
    axis, eigenvalues = first_principal_axis(mat)
    assert eigenvalues[0] > 20 * eigenvalues[1], "the planted eigen-gap is too small"
    expected = indicators(mat, reference, axis)
    tensors = [
        ("W", dtype, [rows, columns], stored),
        ("reference_token_ids", "I64", [len(reference)], np.array(reference, dtype="<i8").tobytes()),
        ("first_pc", "F64", [columns], axis.astype("<f8").tobytes()),
        ("eigenvalues", "F64", [2], eigenvalues.astype("<f8").tobytes()),
    ] + [(key, "F64", [rows], value.astype("<f8").tobytes()) for key, value in expected.items()]
    metadata = {
        "generator": "scripts/golden/make_indicator_goldens.py",
        "numpy": np.__version__,
        "definition": f"cohere-ai/magikarp magikarp/utils.py embedding_distance_metrics @ {MAGIKARP_COMMIT}",
        "zero_rows": json.dumps(zero_rows),
    }
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, metadata)
    print(f"{name}: {rows} x {columns} {dtype}, {len(reference)} reference rows, eigenvalues {eigenvalues}")


def main():
    assert np.__version__ == "2.4.6", f"pinned numpy 2.4.6, found {np.__version__}"
    os.makedirs(OUT, exist_ok=True)
    # d = 19: the scalar tail after the 16-wide blocks; an all-zero row (cosine distance 1 by the floor).
    fixture("f32_tail", 11, 48, 19, "F32", reference=[40, 41, 42, 43, 44, 45, 46, 47], zero_rows=[5])
    # BF16, d = 32: two full blocks; reference rows spread through the ids.
    fixture("bf16_blocks", 12, 96, 32, "BF16", reference=[3, 17, 29, 58, 77, 90], zero_rows=[10, 11])
    # F32, d = 40: blocks and a tail; a single reference row.
    fixture("f32_single_reference", 13, 64, 40, "F32", reference=[7], zero_rows=[])


if __name__ == "__main__":
    main()
