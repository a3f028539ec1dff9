"""Converts a PyTorch state_dict (.pth) to a repro checkpoint (.h5) and back.

  python checkpoint_convert.py to-h5 model.pth model.h5 [--key model] [--strip-prefix module.]
  python checkpoint_convert.py to-pth model.h5 model.pth

The .h5 layout is Sources/Storage/Checkpoint.swift's: one root dataset per state_dict key
(floating tensors as float32, integer tensors as int64, 0-d tensors as scalars), in
state_dict order, with root attributes format_version and writer. Groups (optimizer/, rng/,
cursor/) are training state that only repro reads; to-pth keeps the model state only.
Needs torch, h5py and numpy. Both directions write a temporary file and rename it.
"""
import argparse
import os
import sys
from collections import OrderedDict

import h5py
import numpy as np
import torch

FORMAT_VERSION = 1


def load_state_dict(path, key=None, strip_prefix=None):
    obj = torch.load(path, map_location="cpu", weights_only=True)
    if key is not None:
        obj = obj[key]
    elif not all(torch.is_tensor(v) for v in obj.values()):
        for candidate in ("state_dict", "model", "model_state_dict"):
            if candidate in obj:
                obj = obj[candidate]
                break
        else:
            sys.exit(f"{path}: not a state_dict; pass --key to pick one of {sorted(obj)}")
    state = OrderedDict()
    for name, value in obj.items():
        if strip_prefix and name.startswith(strip_prefix):
            name = name[len(strip_prefix):]
        if not torch.is_tensor(value):
            sys.exit(f"{path}: '{name}' is not a tensor ({type(value).__name__})")
        state[name] = value
    return state


def to_h5(src, dst, key=None, strip_prefix=None):
    state = load_state_dict(src, key, strip_prefix)
    tmp = f"{dst}.{os.getpid()}.tmp"
    with h5py.File(tmp, "w", track_order=True) as f:
        for name, value in state.items():
            if "/" in name:
                sys.exit(f"{src}: key '{name}' contains '/'")
            array = value.detach().cpu().numpy()
            if value.is_floating_point():
                array = array.astype(np.float32)
            elif value.dtype == torch.bool or value.is_complex():
                sys.exit(f"{src}: '{name}' has unsupported dtype {value.dtype}")
            else:
                array = array.astype(np.int64)
            f.create_dataset(name, data=array)
        f.attrs["format_version"] = FORMAT_VERSION
        f.attrs["writer"] = f"checkpoint_convert.py (torch {torch.__version__})"
        f.attrs["source"] = os.path.basename(src)
    os.replace(tmp, dst)


def to_pth(src, dst):
    state = OrderedDict()
    with h5py.File(src, "r") as f:
        version = f.attrs.get("format_version", FORMAT_VERSION)
        if version > FORMAT_VERSION:
            sys.exit(f"{src}: format_version {version} is newer than this script's")
        for name, obj in f.items():  # creation order = state_dict order
            if isinstance(obj, h5py.Dataset):
                state[name] = torch.from_numpy(np.array(obj[()]))
    tmp = f"{dst}.{os.getpid()}.tmp"
    torch.save(state, tmp)
    os.replace(tmp, dst)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    h5 = sub.add_parser("to-h5", help="PyTorch .pth -> repro .h5")
    h5.add_argument("src")
    h5.add_argument("dst")
    h5.add_argument("--key", help="entry of the .pth dict holding the state_dict")
    h5.add_argument("--strip-prefix", help="prefix to drop from keys, e.g. 'module.'")
    pth = sub.add_parser("to-pth", help="repro .h5 -> PyTorch .pth (model state only)")
    pth.add_argument("src")
    pth.add_argument("dst")
    args = parser.parse_args()
    if args.command == "to-h5":
        to_h5(args.src, args.dst, args.key, args.strip_prefix)
    else:
        to_pth(args.src, args.dst)


if __name__ == "__main__":
    main()
