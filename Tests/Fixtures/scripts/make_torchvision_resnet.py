#!/usr/bin/env python3
"""Writes the fixtures of BackboneWeightsTests.swift (issue 14, the ImageNet conversion path):

- Tests/Fixtures/resnet50_torchvision_w16.h5: seeded random weights of ResNet-50 ([3, 4, 6, 3]
  bottlenecks) with every width divided by 16, in torchvision's state_dict layout with its
  ImageNet classifier fc (1000 classes), saved as a .pth and converted by the committed
  scripts/convert_torchvision_resnet50.py exactly as a user converts the real checkpoint.
- Tests/Fixtures/resnet50_torchvision_w16_io.h5: an input `input` (2, 3, 45, 61) and CAC's
  dilated backbone (deeplab_torch.ResNet, output stride 16, multi-grid layer4) in eval mode on
  it with those weights: `output` (layer4) and `low_level` (layer1).

Needs torch, h5py and numpy (not torchvision: its keys are those of deeplab_torch.ResNet plus
fc). Run: /root/torch/bin/python Tests/Fixtures/scripts/make_torchvision_resnet.py
"""
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict

import h5py
import numpy as np
import torch

from deeplab_torch import ResNet

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..")
ROOT = os.path.join(FIXTURES, "..", "..")
WIDTH = 16


def torchvision_state(generator):
    """ResNet-50 / WIDTH in torchvision's key order: backbone keys, then fc."""
    net = ResNet(blocks=(3, 4, 6, 3), output_stride=16, width_divisor=WIDTH)
    state = OrderedDict()
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if name.endswith("num_batches_tracked"):
                state[name] = torch.tensor(int(torch.randint(0, 1000, (1,), generator=generator)))
            elif t.dim() == 4:
                fan_in = t[0].numel()
                state[name] = torch.randn(t.shape, generator=generator) * (2 / fan_in) ** 0.5
            elif name.endswith("running_var") or name.endswith(".weight"):
                state[name] = torch.rand(t.shape, generator=generator) * 0.5 + 0.5
            else:
                state[name] = torch.randn(t.shape, generator=generator) * 0.1
    features = 2048 // WIDTH
    state["fc.weight"] = torch.randn(1000, features, generator=generator) * 0.01
    state["fc.bias"] = torch.zeros(1000)
    return state


def main():
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(2026)
    state = torchvision_state(g)
    out = os.path.join(FIXTURES, f"resnet50_torchvision_w{WIDTH}.h5")
    with tempfile.TemporaryDirectory() as tmp:
        pth = os.path.join(tmp, "resnet50.pth")
        torch.save(state, pth)
        subprocess.run(
            [sys.executable, os.path.join(ROOT, "scripts", "convert_torchvision_resnet50.py"),
             pth, out], check=True)

    net = ResNet(blocks=(3, 4, 6, 3), output_stride=16, width_divisor=WIDTH).eval()
    with h5py.File(out, "r") as f:
        loaded = {k: torch.from_numpy(np.array(f[k])) for k in f.keys()}
    assert "fc.weight" not in loaded, "the converter must drop fc"
    net.load_state_dict(loaded, strict=True)
    x = torch.randn(2, 3, 45, 61, generator=g)
    with torch.no_grad():
        y, low = net(x)
    with h5py.File(os.path.join(FIXTURES, f"resnet50_torchvision_w{WIDTH}_io.h5"), "w",
                   track_order=True) as f:
        f.create_dataset("input", data=x.numpy().astype(np.float32))
        f.create_dataset("output", data=y.numpy().astype(np.float32))
        f.create_dataset("low_level", data=low.numpy().astype(np.float32))
        f.attrs["torch_version"] = str(torch.__version__)
        f.attrs["generator"] = "make_torchvision_resnet.py"
    print(f"output {tuple(y.shape)} max {y.abs().max().item():.4f}, "
          f"low_level {tuple(low.shape)} max {low.abs().max().item():.4f}")


if __name__ == "__main__":
    main()
