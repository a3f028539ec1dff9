"""storage.h5: datasets and attributes as h5py writes them, for StorageTests (float64
converted to Tensor, gzip+shuffle chunks, groups, dotted names, variable- and fixed-length
strings). Not the op-fixture layout: it tests the HDF5 reader itself. Needs no torch."""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "storage.h5")


def main():
    with h5py.File(OUT, "w") as f:
        f["f32"] = np.arange(12, dtype=np.float32).reshape(3, 4) / 8
        f["f64"] = np.array([[0.1, -2.5], [1e-3, 3.0]], dtype=np.float64)
        f["i64.scalar"] = np.int64(42)
        f["i32"] = np.array([1, 2, 255], dtype=np.int32)
        f["u8"] = np.array([[0, 7], [255, 3]], dtype=np.uint8)
        f.create_dataset("group/nested.weight",
                         data=np.linspace(-1, 1, 50, dtype=np.float32).reshape(5, 10),
                         compression="gzip", compression_opts=6, shuffle=True)
        f.attrs["text"] = "héllo"
        f.attrs["count"] = 3
        f.attrs["ratio"] = 0.25
        f.attrs["names"] = ["a", "bc"]
        f.attrs["ints"] = np.array([1, 2, 3], dtype=np.int64)
        f.attrs["fixed"] = np.bytes_("fixed-len")
        f["group"].attrs["kind"] = "group attr"
    print("wrote", os.path.relpath(OUT))


if __name__ == "__main__":
    main()
