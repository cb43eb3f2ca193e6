#!/usr/bin/env python3
"""Golden safetensors fixtures for TensorFormatsTests.

1. Writes, with the reference `safetensors` package, one file holding a tensor of every dtype
   numpy can express, plus BF16 written as raw U16 bits renamed (numpy has no bfloat16), and a
   JSON file with the expected values.
2. Checks that `written_by_tokenscope.safetensors` (committed; produced by TokenScope's writer and
   re-created byte for byte by the Swift tests) loads with the reference loader and holds what the
   tests expect.

Run from the repository root: python3 scripts/golden/make_safetensors_fixtures.py
"""
import json
import pathlib
import struct

import numpy as np
import safetensors
from safetensors.numpy import load_file, save_file

OUT = pathlib.Path("Tests/TensorFormatsTests/Fixtures")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    tensors = {
        "bool": np.array([True, False, True], dtype=np.bool_),
        "u8": np.array([0, 7, 255], dtype=np.uint8),
        "i8": np.array([-128, 0, 127], dtype=np.int8),
        "i16": np.array([[-32768, 1], [2, 32767]], dtype=np.int16),
        "u16": np.array([0, 65535], dtype=np.uint16),
        "f16": np.array([[1.0, -0.0], [6.1035156e-05, 65504.0], [5.9604645e-08, -2.5]], dtype=np.float16),
        "i32": np.array([-(2**31), 2**31 - 1], dtype=np.int32),
        "u32": np.array([0, 2**32 - 1], dtype=np.uint32),
        "f32": np.array([[0.002, -1.5, 3.4028235e38]], dtype=np.float32),
        "f64": np.array([0.1, -2.0], dtype=np.float64),
        "i64": np.array([-(2**63), 151935, 2**63 - 1], dtype=np.int64),
        "u64": np.array([0, 2**64 - 1], dtype=np.uint64),
        "empty": np.zeros((0, 4), dtype=np.float32),
    }
    save_file(tensors, OUT / "written_by_python.safetensors", metadata={"source": "safetensors " + safetensors.__version__})

    # BF16 has no numpy dtype: write the file by hand in the format's layout, then check that the
    # reference reader accepts it and sees a BF16 tensor.
    bf16_bits = [0x3F80, 0xBF80, 0x0000, 0x8000, 0x3B6B, 0x7F7F, 0x0001]
    header = json.dumps({"W": {"dtype": "BF16", "shape": [1, 7], "data_offsets": [0, 14]}}).encode()
    header += b" " * (-len(header) % 8)
    (OUT / "bf16_by_hand.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + struct.pack("<7H", *bf16_bits))
    with safetensors.safe_open(OUT / "bf16_by_hand.safetensors", "np") as f:
        assert f.get_slice("W").get_dtype() == "BF16"

    expected = {k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": v.astype(np.float64 if v.dtype.kind == "f" else object).ravel().tolist()}
                for k, v in tensors.items()}
    expected["W_bf16_bits"] = bf16_bits
    expected["generator"] = {"script": "scripts/golden/make_safetensors_fixtures.py", "safetensors": safetensors.__version__, "numpy": np.__version__}
    (OUT / "written_by_python.json").write_text(json.dumps(expected, indent=1, default=int) + "\n")

    ours = OUT / "written_by_tokenscope.safetensors"
    if ours.exists():
        loaded = load_file(ours)
        assert loaded["ids"].dtype == np.int64 and loaded["ids"].tolist() == [3, 1, 4, 1, 5, 9, 2, 6], loaded["ids"]
        assert loaded["mask"].dtype == np.bool_ and loaded["mask"].tolist() == [True, False, True]
        assert loaded["threshold"].dtype == np.float32 and loaded["threshold"].tolist() == [np.float32(0.002)]
        assert loaded["matrix"].dtype == np.float32 and loaded["matrix"].shape == (2, 3)
        with safetensors.safe_open(ours, "np") as f:
            assert f.metadata() == {"tool": "tokenscope test"}, f.metadata()
        print("written_by_tokenscope.safetensors loads in the reference:", {k: (str(v.dtype), v.shape) for k, v in loaded.items()})
    else:
        print("written_by_tokenscope.safetensors missing: run the Swift tests with TOKENSCOPE_RECORD_FIXTURES=1 first")


if __name__ == "__main__":
    main()
