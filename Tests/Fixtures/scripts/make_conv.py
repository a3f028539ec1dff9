#!/usr/bin/env python3
"""Writes Tests/Fixtures/conv.h5: PyTorch goldens for conv2d (Conv2dTests.swift).

For each case <name>: inputs <name>.x, <name>.weight, [<name>.bias], the upstream gradient
<name>.grad_y, and F.conv2d's output <name>.y with autograd's <name>.grad_x,
<name>.grad_weight, [<name>.grad_bias] of sum(y * grad_y). Inputs are float32; the outputs
are computed in float64 from them and stored as float32. Attributes of <name>.x hold
stride, padding, dilation. Run: /work/venv/bin/python Tests/Fixtures/scripts/make_conv.py
"""
import os

import h5py
import torch
import torch.nn.functional as F

# name: (N, C, H, W), (K, kh, kw), stride, padding, dilation, bias
CASES = {
    "k3_s1_p1": ((2, 3, 6, 7), (4, 3, 3), 1, 1, 1, True),
    "k1_s1_p0": ((2, 5, 4, 6), (3, 1, 1), 1, 0, 1, True),
    "k1_s2_p0_nobias": ((2, 4, 7, 5), (6, 1, 1), 2, 0, 1, False),
    "k7_s2_p3": ((2, 3, 13, 10), (4, 7, 7), 2, 3, 1, True),
    "k3_s1_p2_d2_nobias": ((2, 3, 9, 8), (5, 3, 3), 1, 2, 2, False),
    "k3_s1_p6_d6": ((1, 2, 15, 14), (3, 3, 3), 1, 6, 6, True),
    "k3_s2_p1": ((2, 4, 9, 11), (3, 3, 3), 2, 1, 1, True),
    "k2x3_s1_p0": ((2, 3, 5, 8), (2, 2, 3), 1, 0, 1, True),
}


def main():
    out = os.path.join(os.path.dirname(__file__), "..", "conv.h5")
    gen = torch.Generator().manual_seed(20261121)
    with h5py.File(out, "w") as f:
        f.attrs["torch"] = str(torch.__version__)
        for name, (xs, (k, kh, kw), s, p, d, has_bias) in CASES.items():
            x = torch.rand(xs, generator=gen) * 2 - 1
            w = torch.rand((k, xs[1], kh, kw), generator=gen) - 0.5
            b = torch.rand((k,), generator=gen) * 2 - 1 if has_bias else None
            inputs = [t.double().requires_grad_() for t in (x, w, b) if t is not None]
            y = F.conv2d(inputs[0], inputs[1], inputs[2] if has_bias else None,
                         stride=s, padding=p, dilation=d)
            gy = (torch.rand(y.shape, generator=gen) * 2 - 1).double()
            (y * gy).sum().backward()
            tensors = {"x": x, "weight": w, "grad_y": gy, "y": y, "grad_x": inputs[0].grad,
                       "grad_weight": inputs[1].grad}
            if has_bias:
                tensors["bias"] = b
                tensors["grad_bias"] = inputs[2].grad
            for key, t in tensors.items():
                f[f"{name}.{key}"] = t.detach().float().numpy()
            f[f"{name}.x"].attrs["stride"] = s
            f[f"{name}.x"].attrs["padding"] = p
            f[f"{name}.x"].attrs["dilation"] = d


if __name__ == "__main__":
    main()
