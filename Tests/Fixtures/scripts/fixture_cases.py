"""The one HDF5 layout of the op fixtures, written by every make_<concept>.py.

Tests/Fixtures/<concept>.h5:

    root attributes   torch_version, generator (the script), compute_dtype
    <case>/           one group per case; the case's parameters are attributes of the group
      inputs/<name>       every input (float32; integer labels as int32)
      output              the op's output (float32)
      grad_output         the upstream gradient (standard normal), when the case has a backward
      grad_inputs/<name>  the gradient of sum(output * grad_output) with respect to each
                          differentiable input
      state_after/<name>  buffers the op updates in place (running statistics, power-iteration
                          vectors), after the call

Sources/TestSupport/FixtureCase.swift reads it. Every case draws from its own generator, seeded
with the CRC-32 of "<file>/<case>", so a case does not change when others are added or removed.
Inputs are drawn in float32; the op runs in `compute_dtype` (float64 unless a module says
otherwise, so a golden is the exact answer rounded once to float32) and is stored as float32.
"""
import os
import zlib

import h5py
import numpy as np
import torch

FIXTURES = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


class Draws:
    """Seeded float32 draws for one case."""

    def __init__(self, seed_text):
        self.generator = torch.Generator().manual_seed(zlib.crc32(seed_text.encode()))

    def uniform(self, *shape, lo=-1.0, hi=1.0):
        return torch.rand(shape, generator=self.generator) * (hi - lo) + lo

    def normal(self, *shape, mean=0.0, std=1.0):
        return torch.randn(shape, generator=self.generator) * std + mean

    def integers(self, lo, hi, *shape):
        return torch.randint(lo, hi, shape, generator=self.generator)


def _array(value):
    value = value.detach().cpu()
    if value.is_floating_point():
        return value.to(torch.float32).contiguous().numpy()
    return value.to(torch.int32).contiguous().numpy()


def _dataset(group, key, value, gzip):
    """A float32 / int32 dataset; with `gzip`, compressed (with shuffle) from 256 elements on."""
    array = _array(value)
    options = dict(compression="gzip", shuffle=True) if gzip and array.size >= 256 else {}
    group.create_dataset(key, data=array, **options)


def _attribute(value):
    if isinstance(value, bool):
        return int(value)  # HDF5 has no boolean; the Swift reader takes 0 / 1
    if isinstance(value, (tuple, list)) and all(isinstance(v, (int, bool)) for v in value):
        return np.array([int(v) for v in value], dtype=np.int64)
    return value


class FixtureFile:
    """Writes Tests/Fixtures/<name> (to a temporary file, renamed when complete). Random
    float data does not compress (the chunk index costs more than it saves), so `gzip` is for
    files with regular data only."""

    def __init__(self, name, generator, compute_dtype=torch.float64, gzip=False):
        self.name = name
        self.gzip = gzip
        self.path = os.path.join(FIXTURES, name)
        self.generator = generator
        self.dtype = compute_dtype

    def __enter__(self):
        # File format of HDF5 1.8..1.10: compact groups (about 1 KB less per case group), and
        # readable by the HDF5 1.10 that the Swift tests link.
        self.h5 = h5py.File(self.path + ".tmp", "w", libver=("v108", "v110"))
        self.h5.attrs["torch_version"] = str(torch.__version__)
        self.h5.attrs["generator"] = self.generator
        self.h5.attrs["compute_dtype"] = str(self.dtype).replace("torch.", "")
        return self

    def __exit__(self, kind, value, traceback):
        self.h5.close()
        if kind is None:
            os.replace(self.path + ".tmp", self.path)
            print(f"wrote {os.path.relpath(self.path)} ({os.path.getsize(self.path)} bytes)")
        else:
            os.remove(self.path + ".tmp")

    def group(self, path):
        """The group at `path`, created (with its parents) without timestamps, so a rerun
        writes the same bytes."""
        group = self.h5
        for part in path.split("/"):
            if part not in group:
                gcpl = h5py.h5p.create(h5py.h5p.GROUP_CREATE)
                gcpl.set_obj_track_times(False)
                h5py.h5g.create(group.id, part.encode(), gcpl=gcpl)
            group = group[part]
        return group

    def draws(self, case):
        return Draws(f"{self.name}/{case}")

    def write_case(self, case, inputs, output, grad_output=None, grad_inputs=None,
                   state_after=None, attrs=None):
        """Writes one case group. An h5py.SoftLink value links to a dataset stored elsewhere."""
        group = self.group(case)
        for key, value in (attrs or {}).items():
            group.attrs[key] = _attribute(value)
        parts = [("inputs", inputs), ("grad_inputs", grad_inputs), ("state_after", state_after)]
        for part, tensors in parts:
            for key, value in (tensors or {}).items():
                if isinstance(value, h5py.SoftLink):
                    self.group(f"{case}/{part}")[key] = value
                else:
                    _dataset(self.group(f"{case}/{part}"), key, value, self.gzip)
        _dataset(group, "output", output, self.gzip)
        if grad_output is not None:
            _dataset(group, "grad_output", grad_output, self.gzip)
        return group

    def case(self, case, fn, draw, constants=(), state=(), attrs=None):
        """Draws the inputs (`draw(Draws) -> {name: tensor}`), runs `fn(**inputs)` in the
        compute dtype and back-propagates sum(output * grad_output) into every floating input
        not named in `constants`. Inputs named in `state` are updated in place by `fn`; their
        values after the call are stored under state_after/."""
        draws = self.draws(case)
        inputs = draw(draws)
        leaves = {}
        for key, value in inputs.items():
            if not value.is_floating_point():
                leaves[key] = value.long()
            elif key in constants:
                leaves[key] = value.to(self.dtype).clone()
            else:
                leaves[key] = value.to(self.dtype).clone().requires_grad_(True)
        output = fn(**leaves)
        grad_output = draws.normal(*output.shape)
        output.backward(grad_output.to(self.dtype))
        grads = {k: v.grad for k, v in leaves.items() if v.requires_grad}
        self.write_case(case, inputs, output, grad_output, grads,
                        {k: leaves[k] for k in state}, attrs)
