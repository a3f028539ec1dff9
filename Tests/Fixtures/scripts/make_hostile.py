"""Writes Tests/Fixtures/hostile.h5: a small h5py file whose datasets lie, for
Tests/StorageTests/HDF5HardeningTests.swift. Every dataset is cheap on disk; a reader that
trusts the declared shapes would trap or try to allocate terabytes.

  huge           float32 (2**40, 2**20), chunked and never written: 0 stored bytes
  overflow       float32 (2**62, 2**62), chunked, unwritten: the element count overflows Int64
  empty_written  float32 (0,): legitimately empty
  ok             float32 (2, 3): arange
  ints_as_floats int64 (4,)
Run: /root/torch/bin/python Tests/Fixtures/scripts/make_hostile.py
"""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile.h5")

with h5py.File(OUT, "w") as f:
    f.create_dataset("huge", shape=(2**40, 2**20), dtype="f4", chunks=(1, 1024))
    f.create_dataset("overflow", shape=(2**62, 2**62), dtype="f4", chunks=(1, 1),
                     maxshape=(None, None))
    f.create_dataset("empty_written", data=np.zeros((0,), dtype="f4"))
    f.create_dataset("ok", data=np.arange(6, dtype="f4").reshape(2, 3))
    f.create_dataset("ints_as_floats", data=np.arange(4, dtype="i8"))
