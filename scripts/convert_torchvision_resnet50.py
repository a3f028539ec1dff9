#!/usr/bin/env python3
"""Converts torchvision's ResNet-50 ImageNet checkpoint (.pth) into repro's backbone .h5.

  /root/torch/bin/python scripts/convert_torchvision_resnet50.py resnet50-0676ba61.pth \\
      data/resnet50-imagenet.h5

The input is the state_dict torchvision's `resnet50(weights=...)` loads (as downloaded from
download.pytorch.org, or `torch.save(model.state_dict(), path)`; a dict holding it under
"state_dict" or "model" works too, and --strip-prefix removes a "module." prefix). The output
is the layout of Sources/Storage/Checkpoint.swift that Sources/Paper1/BackboneWeights.swift
loads: one root dataset per state_dict key (conv1.weight, bn1.running_mean, layer1.0.conv1.weight,
..., num_batches_tracked as int64 scalars), float32, in state_dict order, root attributes
format_version and writer. ImageNet's classifier (fc.weight, fc.bias) is dropped: CAC loads the
backbone only. The paper profile of paper 1 loads <data root>/resnet50-imagenet.h5; any profile
can load a file with `--set pretrain=<file.h5>` when its widths and blocks match.

Checks before writing: every key is a torchvision bottleneck-ResNet key, the stem takes RGB,
every stage has blocks 0..n-1 with conv1-3 / bn1-3 and block 0 a downsample, layer4 has at
most 3 blocks (DeepLabv3's multi-grid), and no value is NaN or infinite. Reduced widths (the
stem's channels dividing 64) are accepted, for tests. torch is needed only here: the harness
never imports it. Writes a temporary file and renames it.
"""
import argparse
import os
import re
import sys
from collections import OrderedDict

import h5py
import numpy as np
import torch

FORMAT_VERSION = 1
BN = ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")
CLASSIFIER = ("fc.weight", "fc.bias")


def load_state_dict(path, strip_prefix=None):
    obj = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(obj, dict):
        sys.exit(f"{path}: not a state_dict ({type(obj).__name__})")
    if not all(torch.is_tensor(v) for v in obj.values()):
        for candidate in ("state_dict", "model"):
            if isinstance(obj.get(candidate), dict):
                obj = obj[candidate]
                break
        else:
            sys.exit(f"{path}: not a state_dict; keys {sorted(obj)[:8]}")
    state = OrderedDict()
    for name, value in obj.items():
        if strip_prefix and name.startswith(strip_prefix):
            name = name[len(strip_prefix):]
        if not torch.is_tensor(value):
            sys.exit(f"{path}: '{name}' is not a tensor ({type(value).__name__})")
        state[name] = value
    return state


def check_layout(path, state):
    """Returns (stem width, blocks per stage) or exits naming the first problem."""
    block_key = re.compile(
        r"layer([1-4])\.(\d+)\.(conv[123]\.weight|bn[123]\.\w+|downsample\.0\.weight"
        r"|downsample\.1\.\w+)$")
    blocks = [set(), set(), set(), set()]
    for name in state:
        if name in CLASSIFIER or name == "conv1.weight":
            continue
        if name.startswith("bn1.") and name[4:] in BN:
            continue
        m = block_key.match(name)
        normalization = m is not None and (m.group(3).startswith(("bn", "downsample.1")))
        if m is None or normalization and name.rsplit(".", 1)[1] not in BN:
            hint = " (try --strip-prefix module.)" if name.startswith("module.") else ""
            sys.exit(f"{path}: '{name}' is not a torchvision ResNet key{hint}")
        blocks[int(m.group(1)) - 1].add(int(m.group(2)))
    if "conv1.weight" not in state:
        sys.exit(f"{path}: no conv1.weight: not a torchvision ResNet state_dict")
    stem = state["conv1.weight"]
    if stem.dim() != 4 or stem.shape[1:] != (3, 7, 7) or 64 % stem.shape[0] != 0:
        sys.exit(f"{path}: conv1.weight has shape {tuple(stem.shape)}, expected (64/d, 3, 7, 7)")
    counts = []
    for stage, found in enumerate(blocks):
        n = len(found)
        if n == 0 or found != set(range(n)):
            sys.exit(f"{path}: layer{stage + 1} blocks {sorted(found)} are not 0..n-1")
        for i in range(n):
            for part in ("conv1", "conv2", "conv3", "bn1", "bn2", "bn3") + \
                    (("downsample.0", "downsample.1") if i == 0 else ()):
                suffixes = ("weight",) if part.startswith("conv") or part == "downsample.0" \
                    else BN[:4]
                for s in suffixes:
                    key = f"layer{stage + 1}.{i}.{part}.{s}"
                    if key not in state:
                        sys.exit(f"{path}: '{key}' is missing")
        counts.append(n)
    if counts[3] > 3:
        sys.exit(f"{path}: layer4 has {counts[3]} blocks; DeepLabv3's multi-grid takes at most 3")
    return stem.shape[0], counts


def convert(src, dst, strip_prefix=None):
    state = load_state_dict(src, strip_prefix)
    width, blocks = check_layout(src, state)
    for name, value in state.items():
        if value.is_floating_point() and not torch.isfinite(value).all():
            sys.exit(f"{src}: '{name}' holds NaN or infinite values")
    tmp = f"{dst}.{os.getpid()}.tmp"
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    count = 0
    with h5py.File(tmp, "w", track_order=True) as f:
        for name, value in state.items():
            if name in CLASSIFIER:
                continue
            if name.endswith("num_batches_tracked"):
                f.create_dataset(name, data=np.array(int(value.item()), dtype=np.int64))
                continue
            array = value.detach().cpu().numpy().astype(np.float32)
            f.create_dataset(name, data=array)
            count += array.size
        f.attrs["format_version"] = FORMAT_VERSION
        f.attrs["writer"] = f"convert_torchvision_resnet50.py (torch {torch.__version__})"
        f.attrs["source"] = os.path.basename(src)
    os.replace(tmp, dst)
    print(f"{dst}: ResNet backbone, width 1/{64 // width}, blocks {blocks}, {count} weights "
          f"(fc dropped); load with --set pretrain={dst}")
    return width, blocks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", help="torchvision ResNet-50 state_dict (.pth)")
    parser.add_argument("dst", help="output .h5 (repro checkpoint layout)")
    parser.add_argument("--strip-prefix", help="remove this prefix from every key (module.)")
    args = parser.parse_args()
    if not os.path.exists(args.src):
        sys.exit(f"{args.src}: no such file")
    if not args.dst.endswith(".h5"):
        sys.exit(f"{args.dst}: the output must end in .h5 (the harness's pretrain setting)")
    convert(args.src, args.dst, args.strip_prefix)


if __name__ == "__main__":
    main()
