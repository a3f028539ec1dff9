"""Writes Tests/Fixtures/storage.h5: datasets and attributes as h5py writes them, for
StorageTests (float64 converted to Tensor, gzip+shuffle chunks, groups, dotted names,
variable- and fixed-length strings). Run: python Tests/Fixtures/scripts/make_storage.py"""
import os

import h5py
import numpy as np

out = os.path.join(os.path.dirname(__file__), "..", "storage.h5")
with h5py.File(out, "w") as f:
    f["f32"] = np.arange(12, dtype=np.float32).reshape(3, 4) / 8
    f["f64"] = np.array([[0.1, -2.5], [1e-3, 3.0]], dtype=np.float64)
    f["i64.scalar"] = np.int64(42)
    f["i32"] = np.array([1, 2, 255], dtype=np.int32)
    f["u8"] = np.array([[0, 7], [255, 3]], dtype=np.uint8)
    f.create_dataset("group/nested.weight", data=np.linspace(-1, 1, 50, dtype=np.float32).reshape(5, 10),
                     compression="gzip", compression_opts=6, shuffle=True)
    f.attrs["text"] = "héllo"
    f.attrs["count"] = 3
    f.attrs["ratio"] = 0.25
    f.attrs["names"] = ["a", "bc"]
    f.attrs["ints"] = np.array([1, 2, 3], dtype=np.int64)
    f.attrs["fixed"] = np.bytes_("fixed-len")
    f["group"].attrs["kind"] = "group attr"
print(out)
